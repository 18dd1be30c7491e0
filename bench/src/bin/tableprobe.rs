fn main() {
    let sanitizer = safemark::Sanitizer::from_json(safemark_bench::generate::DEFAULT_POLICY).unwrap();
    let rows: usize = std::env::var("ROWS").ok().and_then(|r| r.parse().ok()).unwrap_or(300);
    let mut doc = String::from("Intro paragraph.\n\n| Option | Default | Meaning |\n|---|:---:|---|\n");
    for i in 0..rows { doc.push_str(&format!("| `opt_{i}` | {} | some words here **b** |\n", i * 7)); }
    doc.push_str("\nAfter.\n");
    let t = std::time::Instant::now();
    let mut s = sanitizer.stream();
    let (mut same, mut pushes) = (0, 0);
    let mut last = String::new();
    for chunk in safemark_bench::chunks(&doc, 4) {
        let u = s.push(chunk).unwrap();
        pushes += 1;
        if u.tail == last && !chunk.trim().is_empty() { same += 1; }
        last = u.tail.clone();
    }
    let _ = s.finish();
    let tail_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = std::time::Instant::now();
    let _ = sanitizer.render_markdown(&doc);
    let batch = t.elapsed().as_secs_f64() * 1e3;
    println!("{} bytes, {pushes} pushes, tail unchanged on {same}; stream {tail_ms:.1} ms, batch {batch:.2} ms, ratio {:.1}", doc.len(), tail_ms / batch);
}
