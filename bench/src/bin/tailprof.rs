use safemark_bench::generate;
fn main() {
    let doc = generate::answer(20_000);
    let sanitizer = safemark::Sanitizer::from_json(generate::DEFAULT_POLICY).expect("policy");
    let mut total_tail = 0usize;
    let mut pushes = 0usize;
    for _ in 0..20 {
        let mut s = sanitizer.stream();
        let mut i = 0;
        while i < doc.len() {
            let mut j = (i + 4).min(doc.len());
            while !doc.is_char_boundary(j) { j += 1; }
            let u = s.push(&doc[i..j]).unwrap();
            total_tail += u.tail.len();
            pushes += 1;
            i = j;
        }
        let _ = s.finish();
    }
    eprintln!("avg tail html {} bytes", total_tail / pushes);
}
