//! Throughput of safemark beside the alternatives, on the same LLM-style documents, in one run.
//!
//! `bash scripts/bench.sh` runs this and prints the table (`src/bin/report.rs`).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use safemark_bench::{comrak_ammonia, generate, pulldown_ammonia, pulldown_only, SIZES};

fn compare(c: &mut Criterion) {
    let default = safemark::Sanitizer::from_json(generate::DEFAULT_POLICY).unwrap();
    let allowlist = safemark::Sanitizer::from_json(generate::ALLOWLIST_POLICY).unwrap();
    for &(name, size) in SIZES {
        let doc = generate::answer(size);
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(doc.len() as u64));
        if size >= 1_000_000 {
            group.sample_size(10);
        }
        group.bench_function("pulldown-cmark", |b| b.iter(|| pulldown_only(&doc)));
        group.bench_function("pulldown-cmark+ammonia", |b| {
            b.iter(|| pulldown_ammonia(&doc))
        });
        group.bench_function("comrak+ammonia", |b| b.iter(|| comrak_ammonia(&doc)));
        group.bench_function("safemark-default", |b| {
            b.iter(|| default.render_markdown(&doc).unwrap())
        });
        group.bench_function("safemark-allowlist", |b| {
            b.iter(|| allowlist.render_markdown(&doc).unwrap())
        });
        group.finish();
    }
}

criterion_group!(benches, compare);
criterion_main!(benches);
