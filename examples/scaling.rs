//! Slowness hunt: renders every family of `tests/slowness/families.json` at two sizes, 8x
//! apart, and reports how time grows. Linear work grows about 8x; quadratic work about 64x.
//! Exits 1 when any family grows more than 14x at every size tried (measured again at the
//! same size, then at 2x, 4x and 8x the size before it counts; the best ratio counts, so
//! timer noise on a loaded machine does not fail CI, while quadratic work stays near x64 at
//! every size), so CI catches superlinear paths. This is a check run by `scripts/fuzz.sh`,
//! not a unit test: unit tests never assert on time. The npm package runs the same families
//! (`pkg-js/test/scaling.mjs`).
//!
//! The families: every filler (Unicode spaces, NBSP, entities, each ASCII punctuation, CR,
//! CRLF, ...) inside every container (inline span, HTML block, `<details>`, table cell, code,
//! list, quote, HTML mode, terminal), every element html5ever knows repeated alone, after a
//! stray end tag and around a formatting element, the constructs (also streamed), and the
//! shapes that keep a stream's blocks pending (held references and footnotes, long paragraphs,
//! open fences, lists, tables, open raw-HTML groups, a paragraph that an unclosed `[`, code
//! span, emphasis, tag, image or destination keeps from settling), streamed in 16-byte chunks
//! without the tail and with it (as edits, `MarkdownStream::tail_edit`, after every push), and
//! units after a prefix that multiplies their output (rows under a wide header, formatting
//! elements the HTML parser reopens before every text). Then the output bound's grid (every
//! construct of `tests/common/grid.rs` repeated in every container), quickly: see
//! [`grid_families`].
//!
//! `cargo run --release --example scaling [-- FILTER]` (a part of a family's name, or a mode:
//! `markdown`, `html`, `terminal`, `stream`, `tail`; `tail:NAME` for the tail's families named
//! so; `grid` for the whole grid under its six policies, `grid:N` under the Nth;
//! `grid-json` prints the grid's quick part for the npm package's check)

use std::time::{Duration, Instant};

// The tests' grid, shared: not every item of it is used here.
#[allow(dead_code)]
#[path = "../tests/common/grid.rs"]
mod grid;

/// Growth over this for 8x input fails the check. n^1.5 grows x22.6 and quadratic work x64;
/// linear work grows x8 in instructions but more in time once a 128 KiB input's trees and
/// buffers leave the caches: `<param>` in markdown (instructions x7.7 for 8x input, valgrind)
/// and `<br>` in HTML (x8.0) grew x12.0 and x11.8 in time in CI on 2026-12-03, at the limit
/// of x12 it was then.
const LIMIT: f64 = 14.0;

struct Family {
    name: String,
    /// Which of the sanitizers: 0 the default policy, 1.. `grid::policies()`.
    policy: usize,
    /// The smaller of the two sizes timed (the larger is 8 times it).
    small: usize,
    mode: &'static str,
    prefix: String,
    unit: String,
    suffix: String,
}

impl Family {
    fn input(&self, bytes: usize) -> String {
        let n = (bytes / self.unit.len().max(1)).max(1);
        format!("{}{}{}", self.prefix, self.unit.repeat(n), self.suffix)
    }
}

fn families() -> Vec<Family> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/slowness/families.json"
    ))
    .expect("tests/slowness/families.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("families.json parses");
    let strings = |key: &str| -> Vec<String> {
        json[key]
            .as_array()
            .expect(key)
            .iter()
            .map(|v| v.as_str().expect(key).to_string())
            .collect()
    };
    let mut out = Vec::new();
    let mut add = |name: String, mode: &'static str, prefix: &str, unit: &str, suffix: &str| {
        out.push(Family {
            name,
            policy: 0,
            small: 16 * 1024,
            mode,
            prefix: prefix.to_string(),
            unit: unit.to_string(),
            suffix: suffix.to_string(),
        })
    };
    for c in strings("constructs") {
        for mode in ["markdown", "html", "terminal", "stream"] {
            add(format!("{c:?}"), mode, "", &c, "");
        }
    }
    for container in json["containers"].as_array().expect("containers") {
        let field = |i: usize| container[i].as_str().expect("container field");
        let mode = match field(3) {
            "html" => "html",
            "terminal" => "terminal",
            _ => "markdown",
        };
        for filler in strings("fillers") {
            add(
                format!("{filler:?} in {}", field(0)),
                mode,
                field(1),
                &filler,
                field(2),
            );
        }
    }
    for shape in json["streams"].as_array().expect("streams") {
        let field = |i: usize| shape[i].as_str().expect("stream field");
        for mode in ["stream", "tail"] {
            add(field(0).to_string(), mode, field(1), field(2), field(3));
        }
    }
    for family in json["repeated"].as_array().expect("repeated") {
        let field = |i: usize| family[i].as_str().expect("repeated field");
        for mode in family[4].as_array().expect("repeated modes") {
            let mode = match mode.as_str().expect("a mode") {
                "markdown" => "markdown",
                "html" => "html",
                "terminal" => "terminal",
                "stream" => "stream",
                "tail" => "tail",
                other => panic!("families.json: unknown mode {other:?}"),
            };
            add(field(0).to_string(), mode, field(1), field(2), field(3));
        }
    }
    for e in strings("elements") {
        for (unit, modes) in [
            (format!("<{e}>"), &["html", "markdown"][..]),
            (format!("<{e}></b>"), &["html"][..]),
            (format!("<{e}><b>x"), &["html"][..]),
            (format!("<b><{e}>x</b>"), &["html"][..]),
        ] {
            for mode in modes {
                add(format!("{unit:?}"), mode, "", &unit, "");
            }
        }
    }
    out
}

/// The grid of the output bound's search (`tests/common/grid.rs`): every piece repeated in
/// every context, under each policy of the grid (`policy`: only that one), as markdown, for a
/// terminal, streamed without the tail, and as HTML where the context is searched so too:
/// about 12,800 families a policy, timed at [`GRID_SMALL`] and 8 times it, 13 minutes a
/// policy here: by hand (`grid`, `grid:N`). CI times its `quick` part with the rest: the
/// default policy, the contexts that are not table rows, not streamed (2,898).
/// Found 2026-12-04 by the grid: a run of empty comments (`<!---->`) was quadratic in
/// markdown (each comment searched to the end of its HTML block for a closer it did not
/// have: 112 KB took 0.8 s), and so were blocks that sanitize to nothing (`<x>` in blocks of
/// their own, or a comment and a footnote definition, repeated: each lengthened the run of
/// line feeds the next one sanitized again; 64 KB took 19.5 s).
fn grid_families(policy: Option<usize>, quick: bool) -> Vec<Family> {
    let mut out = Vec::new();
    let policies = grid::policies().len();
    for p in (0..policies).filter(|p| policy.is_none_or(|only| only == *p)) {
        for piece in grid::PIECES {
            for context in grid::contexts() {
                if quick && context.open.starts_with('|') {
                    continue;
                }
                let mut modes = vec!["markdown", "terminal"];
                if !quick {
                    modes.push("stream");
                }
                if context.html {
                    modes.push("html");
                }
                for mode in modes {
                    out.push(Family {
                        name: format!(
                            "{piece:?} in {:?} after {:?}, policy {p}",
                            context.each,
                            context.open.chars().take(24).collect::<String>()
                        ),
                        policy: p + 1,
                        small: GRID_SMALL,
                        mode,
                        prefix: format!("{}{}", grid::DEFINED, context.open),
                        unit: context.each.replace("{}", piece),
                        suffix: context.close.to_string(),
                    });
                }
            }
        }
    }
    out
}

/// The grid's smaller size: 4 KiB (and 32 KiB). Quadratic work shows at that size (the
/// empty comments took 26 ms at 32 KiB, x40; the removed blocks 5 s).
const GRID_SMALL: usize = 4 * 1024;

/// One run of `input` through `mode`, timed.
fn time(s: &safemark::Sanitizer, input: &str, mode: &str) -> Duration {
    let t = Instant::now();
    match mode {
        "markdown" => std::hint::black_box(s.render_markdown(input).is_ok()),
        "html" => std::hint::black_box(s.sanitize_html(input).is_ok()),
        "stream" => std::hint::black_box(stream(s, input, false) > 0),
        "tail" => std::hint::black_box(stream(s, input, true) > 0),
        _ => std::hint::black_box(
            s.render_terminal(input, safemark::TerminalOptions::styled())
                .is_ok(),
        ),
    };
    t.elapsed()
}

/// Streams `input` in 16-byte chunks, without the tail (its cost is the stream's own) or, with
/// `tail`, with the tail after every push as edits (returned whole, the tail of a block that
/// stays open is copied whole on every push: quadratic in bytes moved by the API's design,
/// which edits avoid).
fn stream(s: &safemark::Sanitizer, input: &str, tail: bool) -> usize {
    let mut stream = s.stream();
    let mut out = 0;
    for piece in input.as_bytes().chunks(16) {
        out += stream
            .push_bytes_committed(piece)
            .map_or(0, |u| u.committed.len());
        if tail {
            out += stream.tail_edit().text.len();
        }
    }
    out + stream.finish().map_or(0, |u| u.committed.len())
}

/// How time grows from `small` to 8x `small` bytes: each size's best of `runs`, timed by
/// turns (small, large, small, ...), so that a stretch of load on the machine slows both sizes
/// alike, not the runs of one (timed one size after the other, a family that grows x2 to x6 here
/// grew x14.0 in CI on 2026-12-05). Timer noise below 2 ms counts as linear.
fn growth(s: &safemark::Sanitizer, f: &Family, small: usize, runs: usize) -> (Duration, f64) {
    let (small_input, large_input) = (f.input(small), f.input(8 * small));
    let (mut t_small, mut t_large) = (Duration::MAX, Duration::MAX);
    for _ in 0..runs {
        t_small = t_small.min(time(s, &small_input, f.mode));
        t_large = t_large.min(time(s, &large_input, f.mode));
    }
    let ratio = if t_large < Duration::from_millis(2) {
        1.0
    } else {
        t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-6)
    };
    (t_large, ratio)
}

/// The grid's quick part as the npm package's check reads it (`grid-json`): a JSON array of
/// `{name, policy, small, mode, prefix, unit, suffix}`, `policy` the policy's JSON, `small` the
/// smaller size timed, `mode` markdown or html (the package has no terminal renderer). One definition of the grid for both checks.
fn grid_json() -> String {
    let policies = grid::policies();
    let families: Vec<serde_json::Value> = grid_families(Some(0), true)
        .into_iter()
        .filter(|f| matches!(f.mode, "markdown" | "html"))
        .map(|f| {
            serde_json::json!({
                "name": f.name,
                "policy": format!("{{{}}}", policies[f.policy - 1]),
                "small": f.small,
                "mode": f.mode,
                "prefix": f.prefix,
                "unit": f.unit,
                "suffix": f.suffix,
            })
        })
        .collect();
    serde_json::Value::Array(families).to_string()
}

fn main() {
    let filter = std::env::args().nth(1).unwrap_or_default();
    if filter == "grid-json" {
        println!("{}", grid_json());
        return;
    }
    let sanitizers: Vec<safemark::Sanitizer> = std::iter::once(String::new())
        .chain(grid::policies())
        .map(|p| safemark::Sanitizer::from_json(&format!("{{{p}}}")).expect("policy"))
        .collect();
    let grid = match filter.strip_prefix("grid") {
        Some("") => Some(None),
        Some(n) => Some(Some(
            n.trim_start_matches(':')
                .parse()
                .expect("grid:N, N a policy of the grid"),
        )),
        None => None,
    };
    let (mut worst, mut slowest, mut count) = (0.0f64, Duration::ZERO, 0);
    let mut failed = Vec::new();
    let families = match grid {
        Some(policy) => grid_families(policy, false),
        None => families()
            .into_iter()
            .chain(grid_families(Some(0), true))
            .collect(),
    };
    for f in families {
        let s = &sanitizers[f.policy];
        let asked = grid.is_some()
            || match filter.strip_prefix("tail:") {
                Some(name) => f.mode == "tail" && f.name.contains(name),
                None => f.mode == filter || f.name.contains(&filter),
            };
        if !asked {
            continue;
        }
        count += 1;
        // Once at first: noise that makes it look too fast is measured again below.
        let (mut t, mut ratio) = growth(s, &f, f.small, 1);
        // Measured again, at the same size best of 5, then larger and best of 3, before it
        // counts (four times): timer noise on a shared machine. A family fails only when it grows too fast at every size tried (the
        // best ratio counts): quadratic work stays near x64 at every size, noise does not.
        for (scale, runs) in [(1, 5), (2, 3), (4, 3), (8, 3)] {
            if ratio > LIMIT {
                let (t2, r2) = growth(s, &f, scale * f.small, runs);
                if r2 < ratio {
                    (t, ratio) = (t2, r2);
                }
            }
        }
        worst = worst.max(ratio);
        slowest = slowest.max(t);
        if ratio > 9.0 {
            println!("{:>40} {:8} {:>10.2?}  x{ratio:.1}", f.name, f.mode, t);
        }
        if ratio > LIMIT {
            failed.push(format!("{} ({}): x{ratio:.1}", f.name, f.mode));
        }
    }
    println!(
        "slowness: {count} families, worst growth x{worst:.1} for 8x input (limit x{LIMIT}), slowest input {slowest:.2?}"
    );
    if !failed.is_empty() {
        println!("superlinear:\n  {}", failed.join("\n  "));
        std::process::exit(1);
    }
}
