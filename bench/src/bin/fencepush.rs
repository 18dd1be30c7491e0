//! A code fence (`SIZE` bytes, default 100 KB) streamed in 4-byte chunks, natively: committed
//! only, with the whole tail on every push, and with tail edits.
use std::time::Instant;

fn main() {
    let size: usize = std::env::var("SIZE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    // `UNIT` (with `PREFIX` before it) repeated instead of the fence's lines.
    let mut body = std::env::var("PREFIX").unwrap_or_else(|_| "```rust\n".to_string());
    let unit = std::env::var("UNIT").ok();
    let mut i = 0;
    while body.len() < size {
        match &unit {
            Some(unit) => body.push_str(unit),
            None => body.push_str(&format!(
                "let x{i} = compute(&input[{i}], {i}) < limit && ok; // note\n"
            )),
        }
        i += 1;
    }
    let sanitizer = safemark::Sanitizer::new(safemark::Policy::default()).expect("policy");
    // `ONLY=edits` measures the tail edits alone (for a profiler).
    let only_edits = std::env::var("ONLY").is_ok_and(|o| o == "edits");
    for tail in [false, true].into_iter().filter(|_| !only_edits) {
        let t = Instant::now();
        let mut s = sanitizer.stream();
        let mut bytes = 0;
        for chunk in body.as_bytes().chunks(4) {
            let u = if tail {
                s.push_bytes(chunk)
            } else {
                s.push_bytes_committed(chunk)
            }
            .expect("push");
            bytes += u.tail.len();
        }
        s.finish().expect("finish");
        println!("tail {tail}: {:?}, tail bytes {bytes}", t.elapsed());
    }
    let t = Instant::now();
    let mut s = sanitizer.stream();
    let (mut tail, mut moved) = (String::new(), 0);
    for chunk in body.as_bytes().chunks(4) {
        s.push_bytes_committed(chunk).expect("push");
        let edit = s.tail_edit();
        moved += edit.text.len();
        assert!(edit.apply(&mut tail));
    }
    s.finish().expect("finish");
    println!("tail edits: {:?}, edit bytes {moved}", t.elapsed());
    let t = Instant::now();
    sanitizer.render_markdown(&body).expect("render");
    println!("batch {:?}", t.elapsed());
}
