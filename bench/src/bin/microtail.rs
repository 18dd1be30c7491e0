use std::time::Instant;
fn main() {
    let sanitizer =
        safemark::Sanitizer::from_json(safemark_bench::generate::DEFAULT_POLICY).unwrap();
    for src in [
        "The handler returns **a str**",
        "word",
        "The handler <kbd>Ctrl</kbd> returns",
        "- a\n- b *c*",
        "| a | b |\n|---|---|\n| c | d |",
    ] {
        let n = 20000;
        let t = Instant::now();
        for _ in 0..n {
            let _ = sanitizer.render_markdown(src);
        }
        println!(
            "{:?}: {:.2} µs",
            src,
            t.elapsed().as_secs_f64() * 1e6 / n as f64
        );
    }
}
