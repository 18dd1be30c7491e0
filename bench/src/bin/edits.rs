//! Each push of `DOC` (`\n` for line feeds) in `SIZE`-byte chunks (4 by default), committed
//! first, with what it committed (bytes), its tail as an edit of the last one (bytes kept,
//! UTF-16 units removed, the text inserted) and the time the tail took: which pushes render,
//! and why a block stays in the tail.
//!   DOC='Para.\n\n<details>\n<summary>S</summary>\n\n</details>\n\nNext' cargo run --release --bin edits
use std::time::Instant;

fn main() {
    let doc = std::env::var("DOC").expect("DOC").replace("\\n", "\n");
    let size = std::env::var("SIZE").map_or(4, |s| s.parse().expect("SIZE"));
    let sanitizer =
        safemark::Sanitizer::from_json(safemark_bench::generate::DEFAULT_POLICY).expect("policy");
    let mut s = sanitizer.stream();
    for chunk in safemark_bench::chunks(&doc, size) {
        let update = s.push_committed(chunk).expect("push");
        let t = Instant::now();
        let edit = s.tail_edit();
        let us = t.elapsed().as_secs_f64() * 1e6;
        let text: String = edit.text.chars().take(80).collect();
        println!(
            "{us:6.1} µs committed {:4} {chunk:?} keep {} removed {} text {text:?}",
            update.committed.len(),
            edit.keep,
            edit.removed_utf16,
        );
    }
}
