//! Prints how long pathological inputs take and how large their output is (a quick look; the
//! benchmarks measure, the tests never assert on time). `cargo run --release --example pathological`
use std::time::Instant;
fn main() {
    let s = safemark::Sanitizer::new(Default::default()).unwrap();
    let inputs = [
        ("[", "[".repeat(100_000)),
        ("**", "**".repeat(50_000)),
        ("<a", "<a".repeat(50_000)),
        ("<div>", "<div>".repeat(200_000)),
        ("<b><i>", "<b><i>".repeat(20_000)),
        ("img", "![](//e.example/)".repeat(10_000)),
        ("link", "[a](//e.example/)".repeat(10_000)),
        ("`", "`".repeat(100_000)),
        ("*a ", "*a ".repeat(50_000)),
        (
            "table",
            "| a |\n|---|\n".to_string() + &"| x |\n".repeat(30_000),
        ),
        ("fn", "[^1]".repeat(30_000) + "\n\n[^1]: n"),
        ("&amp;", "&amp;".repeat(50_000)),
        ("td", "<table><tr><td>".repeat(5_000)),
        (">", format!("{}deep", ">".repeat(50_000))),
        ("- ", format!("{} x", "- ".repeat(20_000))),
    ];
    for (name, input) in &inputs {
        for md in [true, false] {
            let t = Instant::now();
            let out = if md {
                s.render_markdown(input)
            } else {
                s.sanitize_html(input)
            }
            .unwrap();
            println!(
                "{name:8} md={md:5} {:>8} -> {:>8} bytes {:?}",
                input.len(),
                out.html.len(),
                t.elapsed()
            );
        }
    }
}
