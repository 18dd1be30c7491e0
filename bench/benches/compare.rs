//! Throughput of safemark beside the alternatives, on the same LLM-style documents, in one run.
//!
//! `cargo bench` in `bench/` (or `bash scripts/bench.sh`, which also prints the table).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
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
        group.bench_with_input(BenchmarkId::new("pulldown-cmark (unsafe)", name), &doc, |b, d| {
            b.iter(|| pulldown_only(d))
        });
        group.bench_with_input(BenchmarkId::new("pulldown-cmark + ammonia", name), &doc, |b, d| {
            b.iter(|| pulldown_ammonia(d))
        });
        group.bench_with_input(BenchmarkId::new("comrak + ammonia", name), &doc, |b, d| {
            b.iter(|| comrak_ammonia(d))
        });
        group.bench_with_input(BenchmarkId::new("safemark default", name), &doc, |b, d| {
            b.iter(|| default.render_markdown(d).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("safemark allowlist", name), &doc, |b, d| {
            b.iter(|| allowlist.render_markdown(d).unwrap())
        });
        group.finish();
    }
}

criterion_group!(benches, compare);
criterion_main!(benches);
