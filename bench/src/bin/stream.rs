//! Streaming cost: the 20 KB answer in 4-byte chunks, rendered with `MarkdownStream` (with the
//! tail on every push, and committed only) beside one batch render and the naive loop that
//! re-renders the whole message with pulldown-cmark + ammonia on every chunk. Prints a table.
use std::time::{Duration, Instant};

use safemark_bench::{generate, pulldown_ammonia};

fn best<F: FnMut() -> Duration>(runs: usize, mut f: F) -> Duration {
    (0..runs).map(|_| f()).min().unwrap_or_default()
}

fn main() {
    let doc = generate::answer(20_000);
    let sanitizer = safemark::Sanitizer::from_json(generate::DEFAULT_POLICY).expect("policy");
    let chunks: Vec<&str> = {
        let mut out = Vec::new();
        let mut i = 0;
        while i < doc.len() {
            let mut j = (i + 4).min(doc.len());
            while !doc.is_char_boundary(j) {
                j += 1;
            }
            out.push(&doc[i..j]);
            i = j;
        }
        out
    };
    let batch = best(20, || {
        let t = Instant::now();
        let _ = sanitizer.render_markdown(&doc);
        t.elapsed()
    });
    let mut last_chunk = Duration::MAX;
    let with_tail = best(5, || {
        let t = Instant::now();
        let mut s = sanitizer.stream();
        for c in &chunks[..chunks.len() - 1] {
            let _ = s.push(c);
        }
        let l = Instant::now();
        let _ = s.push(chunks[chunks.len() - 1]);
        let _ = s.finish();
        last_chunk = last_chunk.min(l.elapsed());
        t.elapsed()
    });
    let committed_only = best(5, || {
        let t = Instant::now();
        let mut s = sanitizer.stream();
        for c in &chunks {
            let _ = s.push_committed(c);
        }
        let _ = s.finish();
        t.elapsed()
    });
    let naive = {
        let t = Instant::now();
        let mut end = 0;
        for c in &chunks {
            end += c.len();
            let _ = pulldown_ammonia(&doc[..end]);
        }
        t.elapsed()
    };
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "| {} bytes in {} chunks of 4 | total ms | × one batch render |",
        doc.len(),
        chunks.len()
    );
    println!("|---|---:|---:|");
    println!("| safemark batch render, once | {:.2} | 1.0× |", ms(batch));
    for (name, d) in [
        ("safemark stream, tail on every push", with_tail),
        ("safemark stream, committed only", committed_only),
        (
            "naive: pulldown-cmark + ammonia on the whole message per chunk",
            naive,
        ),
    ] {
        println!("| {name} | {:.2} | {:.1}× |", ms(d), ms(d) / ms(batch));
    }
    println!(
        "\nlast chunk + finish (stream, with tail): {:.1} µs",
        last_chunk.as_secs_f64() * 1e6
    );
    // Answers whose text is punctuation outside ASCII or written without spaces: each mark
    // and each push into a long word rendered the tail again before 2026-12-05.
    let chinese = ("这个函数返回一个迭代器，它会在每次调用时生成下一个值。你可以使用「for」循环来遍历它——非常方便！".repeat(6) + "\n\n").repeat(36);
    let typographic =
        ("The model’s answer — as always — was “fine”… mostly; «rarely» 50 € or 3 × 4. "
            .repeat(12)
            + "\n\n")
            .repeat(22);
    println!(
        "\n| answer, 4-byte chunks, tail on every push | bytes | batch ms | stream ms | × batch |"
    );
    println!("|---|---:|---:|---:|---:|");
    for (name, doc) in [
        ("Chinese paragraphs", &chinese),
        ("English with typographic punctuation", &typographic),
    ] {
        let batch = best(20, || {
            let t = Instant::now();
            let _ = sanitizer.render_markdown(doc);
            t.elapsed()
        });
        let stream = best(5, || {
            let t = Instant::now();
            let mut s = sanitizer.stream();
            for c in safemark_bench::chunks(doc, 4) {
                let _ = s.push(c);
            }
            let _ = s.finish();
            t.elapsed()
        });
        println!(
            "| {name} | {} | {:.2} | {:.2} | {:.1}× |",
            doc.len(),
            ms(batch),
            ms(stream),
            ms(stream) / ms(batch)
        );
    }
}
