fn main() {
    let doc = safemark_bench::generate::answer(20_000);
    let a: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let b: usize = std::env::args().nth(2).unwrap().parse().unwrap();
    println!("{:?}", &doc[a..b]);
}
