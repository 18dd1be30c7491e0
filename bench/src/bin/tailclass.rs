//! Where the tail's time goes: the 20 KB answer (or `DOC`, `\n` for line feeds) in 4-byte
//! chunks, each push committed first and its tail timed on its own, grouped by what the
//! input ends in (a blank line, a fence, raw HTML, a table row, a heading, a list item's
//! line, a chunk's markers) and by whether the tail rendered (1.5 µs or more) or was
//! appended to. `SHOW=CLASS` (or `all`) prints the 50 characters before each render.
use safemark_bench::generate;
use std::collections::BTreeMap;
use std::time::Instant;

fn main() {
    let doc = std::env::var("DOC")
        .map(|d| d.replace("\\n", "\n"))
        .unwrap_or_else(|_| generate::answer(20_000));
    let sanitizer = safemark::Sanitizer::from_json(generate::DEFAULT_POLICY).expect("policy");
    let mut groups: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    let runs = 30;
    let show = std::env::var("SHOW").ok();
    for r in 0..runs {
        let mut s = sanitizer.stream();
        let mut input = String::new();
        for chunk in safemark_bench::chunks(&doc, 4) {
            let _ = s.push_committed(chunk).expect("push");
            input.push_str(chunk);
            let t = Instant::now();
            let _ = s.tail();
            let d = t.elapsed().as_secs_f64() * 1e6;
            let line = &input[input.rfind('\n').map_or(0, |i| i + 1)..];
            let t = line.trim_start_matches([' ', '>']);
            let para_start = input.rfind("\n\n").map_or(0, |i| i + 2);
            let para = &input[para_start..];
            let html = para.contains("<kbd")
                || para.contains("<sub")
                || para.contains("<br")
                || para.contains("<details")
                || para.contains("</details")
                || para.contains("<summary");
            let fence = input.matches("```").count() % 2 == 1;
            let class = if input.ends_with("\n\n") || chunk.contains("\n\n") {
                "blank"
            } else if fence {
                "fence"
            } else if html {
                "html"
            } else if t.starts_with('|') {
                "table"
            } else if t.starts_with('#') {
                "heading"
            } else if (t.starts_with("- ")
                || t == "-"
                || t.starts_with("* ")
                || t.starts_with("1")
                || t.starts_with("2")
                || t.starts_with("3"))
                && chunk.contains('\n')
            {
                "item line"
            } else if t.starts_with("- ")
                || t.starts_with("1. ")
                || t.starts_with("2. ")
                || t.starts_with("3. ")
            {
                "in item"
            } else if chunk.contains('\n') {
                "newline"
            } else if let Some(c) = chunk.chars().find(|c| "*_`[]()!<>|~#\\&$".contains(*c)) {
                match c {
                    '*' | '_' | '~' => "delim",
                    '`' => "backtick",
                    '[' | ']' | '(' | ')' | '!' => "link",
                    _ => "other marker",
                }
            } else {
                "plain"
            };
            let key = format!("{:6} {class}", if d < 1.5 { "append" } else { "render" });
            if r == runs - 1
                && d >= 1.5
                && (show.as_deref() == Some(class) || show.as_deref() == Some("all"))
            {
                let ctx: String = input
                    .chars()
                    .rev()
                    .take(50)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                println!("{d:6.1} {ctx:?}");
            }
            let e = groups.entry(key).or_default();
            e.0 += 1;
            e.1 += d;
        }
    }
    let total: f64 = groups.values().map(|v| v.1).sum();
    for (k, (n, t)) in groups {
        println!(
            "{k:24} {:6} pushes {:8.1} us  {:4.1}%",
            n / runs,
            t / runs as f64,
            100.0 * t / total
        );
    }
    println!("total {:.1} us", total / runs as f64);
}
