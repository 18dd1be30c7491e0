//! Profiling helper: the 20 KB answer streamed in 4-byte chunks with the tail on, many times.
use safemark_bench::generate;
fn main() {
    let doc = generate::answer(20_000);
    let sanitizer = safemark::Sanitizer::from_json(generate::DEFAULT_POLICY).expect("policy");
    for _ in 0..40 {
        let mut s = sanitizer.stream();
        let mut i = 0;
        while i < doc.len() {
            let mut j = (i + 4).min(doc.len());
            while !doc.is_char_boundary(j) {
                j += 1;
            }
            let _ = s.push(&doc[i..j]).expect("push");
            i = j;
        }
        let _ = s.finish();
    }
}
