//! Profiling helper: the 20 KB answer streamed in 4-byte chunks with the tail on, many times.
use safemark_bench::generate;
fn main() {
    let doc = generate::answer(20_000);
    let sanitizer = safemark::Sanitizer::from_json(generate::DEFAULT_POLICY).expect("policy");
    for _ in 0..40 {
        let mut s = sanitizer.stream();
        for chunk in safemark_bench::chunks(&doc, 4) {
            let _ = s.push(chunk).expect("push");
        }
        let _ = s.finish();
    }
}
