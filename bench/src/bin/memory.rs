//! Renders the 2 MB document once with one pipeline, for `/usr/bin/time -v` to measure peak
//! memory: `memory <none|pulldown-cmark|pulldown-cmark+ammonia|comrak+ammonia|safemark-default|safemark-allowlist>`.
//! `none` only builds the document: the baseline to subtract.
use safemark_bench::{comrak_ammonia, generate, pulldown_ammonia, pulldown_only};

fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    let doc = generate::answer(2_000_000);
    let out = match which.as_str() {
        "none" => String::new(),
        "pulldown-cmark" => pulldown_only(&doc),
        "pulldown-cmark+ammonia" => pulldown_ammonia(&doc),
        "comrak+ammonia" => comrak_ammonia(&doc),
        "safemark-default" => safemark::Sanitizer::from_json(generate::DEFAULT_POLICY)
            .and_then(|s| s.render_markdown(&doc))
            .map(|r| r.html)
            .unwrap_or_default(),
        "safemark-allowlist" => safemark::Sanitizer::from_json(generate::ALLOWLIST_POLICY)
            .and_then(|s| s.render_markdown(&doc))
            .map(|r| r.html)
            .unwrap_or_default(),
        other => {
            eprintln!("unknown pipeline {other:?}");
            std::process::exit(2);
        }
    };
    println!("{} bytes in, {} bytes out", doc.len(), out.len());
}
