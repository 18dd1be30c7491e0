//! Slowness hunt: renders repeated constructs at two sizes, 8x apart, and reports how time
//! grows, in markdown, HTML and terminal rendering. Linear work grows about 8x; quadratic work
//! about 64x. Exits 1 when any construct grows more than 24x, so CI catches superlinear paths
//! (this is a check run by `scripts/fuzz.sh`, not a unit test: unit tests never assert on
//! time).
//!
//! `cargo run --release --example scaling`

use std::time::{Duration, Instant};

const CONSTRUCTS: &[&str] = &[
    ">",
    "[",
    "]",
    "[[",
    "](",
    "![",
    "**",
    "__",
    "*a ",
    "_a ",
    "~~",
    "`",
    "<a",
    "<a<a",
    "<b><i>",
    "<div>",
    "<p>",
    "<td>",
    "<table>",
    "<li>",
    "<!--",
    "&amp;",
    "&#",
    "- ",
    "1. ",
    "> - ",
    "[^1]",
    "[a]: b\n",
    "|",
    "| a |\n",
    "\\",
    "http://a.example/ ",
    "<https://a.example/>",
    "[a](//e.example/)",
    "![](//e.example/)",
    "<img src=x>",
    "<a href=//e.example>x</a>",
    "\u{202E}",
    "\u{E0041}",
    "```\n",
    "    a\n",
    "a\n",
    "a\n\n",
    "# a\n",
    "a\n===\n",
    "\x1b[2J",
    "*a_b~~c",
    "| a | b |\n|---|---|\n",
];

fn best_of_3(s: &safemark::Sanitizer, input: &str, mode: &str) -> Duration {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            match mode {
                "markdown" => std::hint::black_box(s.render_markdown(input).is_ok()),
                "html" => std::hint::black_box(s.sanitize_html(input).is_ok()),
                _ => std::hint::black_box(
                    s.render_terminal(input, safemark::TerminalOptions::styled())
                        .is_ok(),
                ),
            };
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let s = safemark::Sanitizer::new(safemark::Policy::default()).expect("default policy");
    let (small, large) = (16 * 1024, 128 * 1024);
    let mut worst = 0.0f64;
    for construct in CONSTRUCTS {
        for mode in ["markdown", "html", "terminal"] {
            let make = |n: usize| construct.repeat(n / construct.len());
            let t_small = best_of_3(&s, &make(small), mode);
            let t_large = best_of_3(&s, &make(large), mode);
            // Below a millisecond, timer noise dominates; count it as linear.
            let ratio = if t_large < Duration::from_millis(1) {
                1.0
            } else {
                t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-6)
            };
            worst = worst.max(ratio);
            let flag = if ratio > 24.0 {
                "  <-- superlinear"
            } else {
                ""
            };
            println!(
                "{:>10} {:8} {:>10.2?} -> {:>10.2?}  x{ratio:.1}{flag}",
                format!("{construct:?}"),
                mode,
                t_small,
                t_large
            );
        }
    }
    println!("worst growth for 8x input: x{worst:.1}");
    if worst > 24.0 {
        std::process::exit(1);
    }
}
