//! The 20 KB answer streamed in 4-byte chunks with the tail on every push (`MODE=tail`, the
//! default), committed only (`MODE=committed`), or rendered once (`MODE=batch`), `RUNS` times.
//! For profilers and instruction counts, which unlike the timings of `stream` do not depend on
//! the machine's load: the ratio of two modes' counts is the cost ratio without noise.
//!   RUNS=3 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
//!     target/release/tailwork      # and RUNS=0 for the count without the runs
//! 2026-12-01 (per run, less RUNS=0): batch 5.36 M instructions, committed 9.86 M (1.84x),
//! tail 124.4 M (23.2x). 2026-12-02, with the stream's verdicts remembered: batch 5.37 M,
//! committed 9.76 M (1.82x), tail 115.5 M (21.5x); with healing's closers checked by a parse,
//! tail 117.9 M (21.9x). 2026-12-02 (fourth session): tail 108.3 M (20.2x), with blocks after
//! a closed raw HTML group kept and closers arriving appended. 2026-12-03: tail 98.4 M (18.3x),
//! with the cut moved on at every render, a 5-byte token and stable parts kept across blocks
//! that have none. 2026-12-03 (fourth session): 97.7 M (18.3x) with quotes kept; 95.7 M
//! (17.9x) with a piece the cut moves past rendered from the parse that settled it; 95.0 M
//! (17.7x) with a quote's stable part looked for again as soon as its first line has text.
//! 2026-12-03 (seventh session): 89.5 M (16.8x, batch 5.34 M) with the tail's searches and
//! copies made cheaper (the token found by its first byte, 16-byte prefix compares, one copy);
//! 87.9 M (16.4x) with two-byte pairs (`](`, `]:`, `![`) found by memchr.
//! 2026-12-04: that day's fixpoint fix (the writer measuring the text node its output ends
//! with, four substring searchers per text run) had made it 102.1 M (batch 6.72 M); measured
//! in one pass, and not at all after a tag: 88.3 M (16.4x, batch 5.39 M).
//! 2026-12-04 (twelfth session): 80.9 M (15.0x), a paragraph committed at its blank line.
//! 2026-12-04 (thirteenth session): 79.8 M (14.8x) with a fence opened in pieces kept as a
//! fence (this answer's fences began as a paragraph's `` `` ``); 78.4 M (14.5x) with the
//! tail's line-feed searches vectorized. `NODETAILS=1` leaves the answer's `<details>` groups
//! out (their raw HTML costs the batch render more than the tail: 74.7 M, 4.40 M, 17.0x).
//! 2026-12-04 (fourteenth session): 62.6 M (11.6x, batch 5.39 M), with links' brackets and
//! code spans of any text appended, closers with text on both sides in one push.
//! 2026-12-04 (fifteenth session): 58.5 M (10.9x) with blocks sanitized on their own (an
//! open `<details>`) not sanitized again as a whole under a text node's length; 57.4 M
//! (10.7x) with text after a link's `)` appended and inline raw spans after a group kept;
//! 55.6 M (10.3x) with a link's `](` taking the appended `[` out; 54.6 M (10.1x) with its
//! `]` appended and a `(` after it; 53.5 M (9.90x, batch 5.40 M, committed 9.38 M, 1.74x)
//! with URL-like words found in one pass and appended text borrowed, not copied.
//! 2026-12-05 (sixteenth session): 52.8 M (9.8x) with a link's `)` appended; 50.3 M (9.31x,
//! batch 5.40 M, committed 9.40 M) with a tag arriving in a code span shown as code.
//! Later sessions' figures are in the README; 2026-12-05 (twenty-second session): 40.44 M
//! (7.64x, batch 5.29 M) with a raw HTML group's leading line feeds sanitized apart in a
//! stream's memo, 40.20 M (7.58x, committed 10.19 M) with the stable cut moved on at 32 bytes.
use safemark_bench::generate;

fn main() {
    let mut doc = generate::answer(20_000);
    if std::env::var("NODETAILS").is_ok() {
        doc = doc
            .replace("<details>\n<summary>Show the full output</summary>\n\n", "")
            .replace("</details>\n\n", "");
    }
    let sanitizer = safemark::Sanitizer::from_json(generate::DEFAULT_POLICY).expect("policy");
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(100);
    let mode = std::env::var("MODE").unwrap_or_else(|_| "tail".to_string());
    let t = std::time::Instant::now();
    for _ in 0..runs {
        if mode == "batch" {
            let _ = sanitizer.render_markdown(&doc);
            continue;
        }
        let mut s = sanitizer.stream();
        for chunk in safemark_bench::chunks(&doc, 4) {
            let _ = match mode.as_str() {
                "committed" => s.push_committed(chunk),
                _ => s.push(chunk),
            }
            .expect("push");
        }
        let _ = s.finish();
    }
    let ms = t.elapsed().as_secs_f64() * 1e3 / runs.max(1) as f64;
    eprintln!("{ms:.2} ms/run ({mode})");
}
