//! Where the tail's time goes: the 20 KB answer in 4-byte chunks, each push timed and grouped
//! by the element the tail starts with (and whether the tail changed at all).
use std::collections::BTreeMap;
use std::time::Instant;

use safemark_bench::generate;

fn main() {
    let doc = generate::answer(20_000);
    let sanitizer = safemark::Sanitizer::from_json(generate::DEFAULT_POLICY).expect("policy");
    let mut groups: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    let mut total = 0.0;
    for _ in 0..20 {
        let mut s = sanitizer.stream();
        let mut i = 0;
        let mut last_tail = String::new();
        while i < doc.len() {
            let mut j = (i + 4).min(doc.len());
            while !doc.is_char_boundary(j) {
                j += 1;
            }
            let t = Instant::now();
            let u = s.push(&doc[i..j]).expect("push");
            let d = t.elapsed().as_secs_f64() * 1e6;
            total += d;
            let head: String = u
                .tail
                .chars()
                .take_while(|c| *c != '>' && *c != ' ')
                .collect();
            let kind = if u.tail.starts_with(&last_tail) && !last_tail.is_empty() {
                "grew"
            } else {
                "changed"
            };
            let bucket = match d {
                d if d < 1.0 => "<1",
                d if d < 3.0 => "1-3",
                d if d < 10.0 => "3-10",
                _ => ">10",
            };
            let _ = kind;
            let e = groups
                .entry(format!(
                    "{:12} {} {bucket}",
                    head.trim(),
                    u.tail.contains("<details")
                ))
                .or_default();
            e.0 += 1;
            e.1 += d;
            last_tail = u.tail;
            i = j;
        }
        let _ = s.finish();
    }
    println!("| tail starts with | pushes | µs total | µs per push | share |");
    for (k, (n, d)) in &groups {
        println!(
            "| {k} | {} | {:.0} | {:.1} | {:.1}% |",
            n / 20,
            d / 20.0,
            d / *n as f64,
            100.0 * d / total
        );
    }
}
