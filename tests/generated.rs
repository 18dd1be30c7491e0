//! The benchmark documents (`bench/src/generate.rs`, LLM-style answers with a little raw HTML)
//! pass the same checks as every other test input: no violation, audit clean, fixpoint. They
//! are what the performance numbers are measured on, so the fast path is checked on them too.
// Raw HTML sanitized (and `safemark::audit`): the `html` feature. `tests/lite.rs` covers
// the build without it.
#![cfg(feature = "html")]

mod common;

#[path = "../bench/src/generate.rs"]
mod generate;

use safemark::FindingKind;

fn generator_trust() -> common::Trusted {
    common::Trusted {
        link_hosts: vec!["docs.example.com", "github.com"],
        mailto: false,
        image_hosts: vec!["images.example.com"],
        data_images: false,
        id_prefix: None,
    }
}

#[test]
fn generated_answers_are_safe_and_stable() {
    let default = safemark::Sanitizer::from_json(generate::DEFAULT_POLICY).unwrap();
    let allowlist = safemark::Sanitizer::from_json(generate::ALLOWLIST_POLICY).unwrap();
    for seed in 0..24u64 {
        let doc = generate::answer_with_seed(2_000 + 2_500 * seed as usize, seed);
        let label = format!("seed {seed}");
        common::check(&default, &common::Trusted::default(), true, &doc, &label).unwrap();
        let out = common::check(&allowlist, &generator_trust(), true, &doc, &label).unwrap();
        let parsed = common::parse(&out.html);
        let elements = common::elements(&parsed.root);
        let count = |name: &str| elements.iter().filter(|e| e.0 == name).count();
        // Benign content survives: allowed links and images, tables, code, lists.
        assert!(count("a") > 0 && count("p") > 0, "{label}: {}", out.html);
        for (marker, element) in [
            ("](https://images.example.com/", "img"),
            ("| Option |", "table"),
            ("```", "pre"),
            ("\n- ", "ul"),
            ("<details>", "details"),
            ("<sub>", "sub"),
            ("<kbd>", "kbd"),
        ] {
            if doc.contains(marker) {
                assert!(
                    count(element) > 0,
                    "{label}: no <{element}> in {}",
                    out.html
                );
            }
        }
        if doc.contains("onerror") {
            assert!(out
                .findings
                .iter()
                .any(|f| f.kind == FindingKind::EventHandler && f.range.is_some()));
        }
    }
}

#[test]
fn the_generator_is_deterministic() {
    assert_eq!(generate::answer(20_000), generate::answer(20_000));
    assert_ne!(
        generate::answer_with_seed(20_000, 1),
        generate::answer_with_seed(20_000, 2)
    );
    assert!(generate::answer(2_000_000).len() >= 2_000_000);
}
