//! Which chunks make the tail render: the 20 KB answer in 4-byte chunks, pushes slower than
//! 2 µs (renders) grouped by what their chunk holds. `SHOW=newline` (or `plain`, `marker`, ...)
//! also prints the 40 characters before each such chunk.
use std::collections::BTreeMap;
use std::time::Instant;

use safemark_bench::generate;

fn main() {
    let doc = generate::answer(20_000);
    let sanitizer = safemark::Sanitizer::from_json(generate::DEFAULT_POLICY).expect("policy");
    let mut groups: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    let runs = 20;
    for runs_left in (1..=runs).rev() {
        let mut s = sanitizer.stream();
        let mut i = 0usize;
        for chunk in safemark_bench::chunks(&doc, 4) {
            let t = Instant::now();
            let _ = s.push(chunk).expect("push");
            let d = t.elapsed().as_secs_f64() * 1e6;
            let class = if chunk.contains('\n') {
                "newline".to_string()
            } else if let Some(c) = chunk.chars().find(|c| "*_`[]()!<>|~#\\&$".contains(*c)) {
                format!("marker {c}")
            } else if let Some(c) = chunk.chars().find(|c| c.is_ascii_punctuation()) {
                format!("punct {c}")
            } else {
                "plain".to_string()
            };
            if std::env::var("SHOW").is_ok_and(|v| class.starts_with(&v))
                && d >= 2.0
                && runs_left == 1
            {
                println!(
                    "{d:7.1} {:?} + {:?}",
                    &doc[(i.saturating_sub(40)..i)
                        .find(|&k| doc.is_char_boundary(k))
                        .unwrap_or(i)..i]
                        .chars()
                        .rev()
                        .take(40)
                        .collect::<String>()
                        .chars()
                        .rev()
                        .collect::<String>(),
                    chunk
                );
            }
            let key = format!("{:8} {class}", if d < 2.0 { "append" } else { "render" });
            let e = groups.entry(key).or_default();
            e.0 += 1;
            e.1 += d;
            i += chunk.len();
        }
    }
    for (k, (n, t)) in groups {
        println!(
            "{k:30} {:6} pushes/run {:8.1} us/run",
            n / runs,
            t / runs as f64
        );
    }
}
