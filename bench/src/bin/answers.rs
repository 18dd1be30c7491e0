//! Writes generated answers (the streaming tests' documents) as JSON, for the npm tests:
//! `cargo run --release --bin answers > ../pkg-js/test/answers.json`.
fn main() {
    let answers: Vec<String> = (0..4u64)
        .map(|seed| safemark_bench::generate::answer_with_seed(2_500, seed))
        .collect();
    println!("{}", serde_json::to_string_pretty(&answers).expect("json"));
}
