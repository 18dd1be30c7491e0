//! Streaming cost: the 20 KB answer in 4-byte chunks, rendered with `MarkdownStream` (with the
//! tail on every push, and committed only) beside one batch render and the naive loop that
//! re-renders the whole message with pulldown-cmark + ammonia on every chunk. Prints a table.
use std::time::{Duration, Instant};

use safemark_bench::{generate, pulldown_ammonia};

/// Times `f` `runs` times, keeping the fastest (for the second table's small answers).
fn best<F: FnMut() -> Duration>(runs: usize, mut f: F) -> Duration {
    (0..runs).map(|_| f()).min().unwrap_or_default()
}

/// The median of `values` (sorted in place).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// A streaming mode's cost against one batch render, measured side by side: each of
/// `ROUNDS` rounds times one streamed run and, right before or after it (by turns), batch
/// renders for as long (`per_run` renders, their mean), and takes their ratio. The median
/// ratio and its spread (the middle half of the rounds, and the extremes) are what this
/// machine's load leaves of the cost: timed apart, minutes apart, a batch render here took
/// 0.64 ms in one run and 1.15 ms in the next.
struct Paired {
    /// Median of the rounds' stream times, in ms.
    ms: f64,
    /// Median of the rounds' mean batch render times, in ms.
    batch_ms: f64,
    /// The rounds' ratios, sorted.
    ratios: Vec<f64>,
}

impl Paired {
    const ROUNDS: usize = 32;

    fn measure(per_run: usize, mut batch: impl FnMut(), mut stream: impl FnMut()) -> Paired {
        let mut time_batch = || {
            let t = Instant::now();
            for _ in 0..per_run {
                batch();
            }
            t.elapsed().as_secs_f64() * 1e3 / per_run as f64
        };
        let mut time_stream = || {
            let t = Instant::now();
            stream();
            t.elapsed().as_secs_f64() * 1e3
        };
        let (mut ratios, mut streams, mut batches) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..Self::ROUNDS + 2 {
            let (b, s) = match round % 2 {
                0 => (time_batch(), time_stream()),
                _ => {
                    let s = time_stream();
                    (time_batch(), s)
                }
            };
            // The first two rounds warm the caches and the allocator.
            if round >= 2 {
                ratios.push(s / b);
                streams.push(s);
                batches.push(b);
            }
        }
        ratios.sort_by(f64::total_cmp);
        Paired {
            ms: median(&mut streams),
            batch_ms: median(&mut batches),
            ratios,
        }
    }

    fn ratio(&self) -> f64 {
        self.ratios[self.ratios.len() / 2]
    }

    /// `9.4× (9.1–9.8; 8.7–10.6)`: the median, the middle half, the extremes.
    fn spread(&self) -> String {
        let r = &self.ratios;
        let n = r.len();
        format!(
            "{:.1}× ({:.1}–{:.1}; {:.1}–{:.1})",
            self.ratio(),
            r[n / 4],
            r[n - 1 - n / 4],
            r[0],
            r[n - 1]
        )
    }
}

fn main() {
    let doc = generate::answer(20_000);
    let sanitizer = safemark::Sanitizer::from_json(generate::DEFAULT_POLICY).expect("policy");
    let chunks = safemark_bench::chunks(&doc, 4);
    let batch = || {
        let _ = std::hint::black_box(sanitizer.render_markdown(&doc));
    };
    let mut last_chunk = Duration::MAX;
    // Batch renders for about as long as one streamed run: the tail costs about ten.
    let with_tail = Paired::measure(8, batch, || {
        let mut s = sanitizer.stream();
        for c in &chunks[..chunks.len() - 1] {
            let _ = std::hint::black_box(s.push(c));
        }
        let l = Instant::now();
        let _ = s.push(chunks[chunks.len() - 1]);
        let _ = s.finish();
        last_chunk = last_chunk.min(l.elapsed());
    });
    let committed_only = Paired::measure(2, batch, || {
        let mut s = sanitizer.stream();
        for c in &chunks {
            let _ = std::hint::black_box(s.push_committed(c));
        }
        let _ = s.finish();
    });
    let batch_ms = with_tail.batch_ms;
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
        "| {} bytes in {} chunks of 4 | total ms (median) | × one batch render: median (middle half; extremes) of {} rounds side by side |",
        doc.len(),
        chunks.len(),
        Paired::ROUNDS
    );
    println!("|---|---:|---:|");
    println!("| safemark batch render, once | {batch_ms:.2} | 1.0× |");
    for (name, paired) in [
        ("safemark stream, tail on every push", &with_tail),
        ("safemark stream, committed only", &committed_only),
    ] {
        println!("| {name} | {:.2} | {} |", paired.ms, paired.spread());
    }
    println!(
        "| naive: pulldown-cmark + ammonia on the whole message per chunk (one run) | {:.2} | {:.0}× |",
        ms(naive),
        ms(naive) / batch_ms
    );
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
