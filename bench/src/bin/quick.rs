//! A quick throughput table without criterion's statistics: `cargo run --release --bin quick`.
use std::time::Instant;

use safemark_bench::{comrak_ammonia, generate, pulldown_ammonia, pulldown_only, SIZES};

fn mbps(f: &dyn Fn(&str) -> usize, doc: &str) -> f64 {
    let start = Instant::now();
    let mut n = 0;
    while start.elapsed().as_secs_f64() < 0.5 || n < 3 {
        std::hint::black_box(f(doc));
        n += 1;
    }
    doc.len() as f64 * n as f64 / start.elapsed().as_secs_f64() / 1e6
}

fn main() {
    let default = safemark::Sanitizer::from_json(generate::DEFAULT_POLICY).unwrap();
    let allowlist = safemark::Sanitizer::from_json(generate::ALLOWLIST_POLICY).unwrap();
    for &(name, size) in SIZES {
        let doc = generate::answer(size);
        let rows: Vec<(&str, Box<dyn Fn(&str) -> usize>)> = vec![
            ("pulldown", Box::new(|d| pulldown_only(d).len())),
            ("pulldown+ammonia", Box::new(|d| pulldown_ammonia(d).len())),
            ("comrak+ammonia", Box::new(|d| comrak_ammonia(d).len())),
            ("safemark default", Box::new(|d| default.render_markdown(d).unwrap().html.len())),
            ("safemark allowlist", Box::new(|d| allowlist.render_markdown(d).unwrap().html.len())),
        ];
        for (label, f) in rows {
            println!("{name:>6} {label:<20} {:8.1} MB/s", mbps(&*f, &doc));
        }
    }
}
