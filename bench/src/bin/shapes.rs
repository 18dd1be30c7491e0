//! How the tail keeps up with long blocks of each shape: each streamed in 4-byte chunks with
//! the tail on, and how many pushes with a letter or digit in them left the tail as it was
//! (held back by the work budget: a block of which nothing is kept), with the time against
//! a batch render. `ROWS` (default 300) repeats of each unit.
//! 2026-12-03, 300 / 1,000 rows: a table held back on 2,837 of 3,326 pushes and 10,662 of
//! 11,201 before its rows were kept, a loose list 452 of 1,700 and 1,382 of 5,726, a list
//! of items with two paragraphs 2,532 of 3,998 and 8,131 of 13,449; now none. A quote
//! 2,879 of 3,800 before its text was kept; now none. A section of 20 footnotes 113 of 187
//! while a footnote's line was hidden until it ended; now none (300 footnotes: 2,380 of
//! 2,998, held by the budget: nothing of a footnote is kept). Still held at 300 units: a
//! quoted list (1,514 of 2,300) and an HTML block (1,788 of 2,377; at 50 lines 12 of 389).
//! An italic paragraph or a link text still open: none (words are appended).
fn main() {
    let sanitizer =
        safemark::Sanitizer::from_json(safemark_bench::generate::DEFAULT_POLICY).unwrap();
    let n: usize = std::env::var("ROWS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(300);
    let shapes: Vec<(&str, String, &str)> = vec![
        (
            "table",
            "| Option | Default | Meaning |\n|---|:---:|---|\n".into(),
            "| `opt_{i}` | {i} | some words here **b** |\n",
        ),
        (
            "quote",
            "".into(),
            "> quoted line {i} with *some* words and more words\n",
        ),
        (
            "quote paras",
            "".into(),
            "> paragraph {i} with *some* words\n>\n",
        ),
        (
            "list with fences",
            "".into(),
            "{i}. Install it:\n\n   ```bash\n   npm i pkg-{i}\n   ```\n\n",
        ),
        (
            "nested list",
            "".into(),
            "- item {i}\n  - sub *a* {i}\n  - sub b\n",
        ),
        ("loose list", "".into(), "- item {i} with words\n\n"),
        (
            "list with paras",
            "".into(),
            "1. Step {i} does this.\n\n   More about step {i} here.\n\n",
        ),
        (
            "headings",
            "".into(),
            "## Heading {i}\n\nText {i} here.\n\n",
        ),
        ("quoted list", "".into(), "> - item {i} with *some* words\n"),
        (
            "html block",
            "<div>\n".into(),
            "line {i} with <b>bold</b> words\n",
        ),
        (
            "in details",
            "<details>\n<summary>More</summary>\n\n".into(),
            "Paragraph {i} with *some* words.\n\n",
        ),
        (
            "footnotes",
            // Every note referenced (a note nothing refers to is not shown).
            format!(
                "Text{}.\n\n",
                (1..=n).map(|i| format!("[^{i}]")).collect::<String>()
            ),
            "[^{i}]: note {i} with *some* words\n",
        ),
        ("italic paragraph", "*".into(), "word{i} and more words "),
        ("long link text", "[".into(), "word{i} and more words "),
        (
            "after a citation",
            "See [1].\n\n".into(),
            "Paragraph {i} with *some* words.\n\n",
        ),
    ];
    for (name, head, unit) in shapes {
        let mut doc = head.clone();
        for i in 1..=n {
            doc.push_str(&unit.replace("{i}", &i.to_string()));
        }
        doc.push_str("\nAfter.\n");
        let t = std::time::Instant::now();
        let mut s = sanitizer.stream();
        let (mut same, mut pushes) = (0, 0);
        let mut last = String::new();
        for chunk in safemark_bench::chunks(&doc, 4) {
            let u = s.push(chunk).unwrap();
            pushes += 1;
            if u.tail == last && chunk.chars().any(|c| c.is_alphanumeric()) {
                same += 1;
            }
            last = u.tail.clone();
        }
        let _ = s.finish();
        let tail_ms = t.elapsed().as_secs_f64() * 1e3;
        let t = std::time::Instant::now();
        for _ in 0..10 {
            let _ = sanitizer.render_markdown(&doc);
        }
        let batch = t.elapsed().as_secs_f64() * 1e3 / 10.0;
        println!("{name:18} {:6} bytes, {pushes:5} pushes, tail unchanged on {same:5}; stream {tail_ms:7.1} ms, batch {batch:.2} ms, ratio {:.1}", doc.len(), tail_ms / batch);
    }
}
