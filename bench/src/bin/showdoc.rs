fn main() {
    let doc = safemark_bench::generate::answer(20_000);
    let at: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let mut i = 0;
    let mut k = 0;
    while k < at {
        let mut j = (i + 4).min(doc.len());
        while !doc.is_char_boundary(j) {
            j += 1;
        }
        i = j;
        k += 1;
    }
    let start = i.saturating_sub(1500);
    let start = (start..i).find(|&s| doc.is_char_boundary(s)).unwrap();
    println!("{}", &doc[start..i]);
}
