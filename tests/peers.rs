//! The peers' hostile corpora (DOMPurify, H5SC, OWASP, markdown-sanitizers bypass attempts),
//! each rendered as markdown and sanitized as HTML, under the default and an allowlist policy:
//! the output must pass the independent check and be a fixpoint.
// Raw HTML sanitized (and `safemark::audit`): the `html` feature. `tests/lite.rs` covers
// the build without it.
#![cfg(feature = "html")]

mod common;

use serde::Deserialize;

#[derive(Deserialize)]
struct Vector {
    source: String,
    id: String,
    input: String,
}

#[test]
fn peer_vectors_are_neutralized() {
    let vectors: Vec<Vector> =
        serde_json::from_str(include_str!("corpora/peer_vectors.json")).unwrap();
    assert!(vectors.len() >= 600, "corpus shrank: {}", vectors.len());
    let mut failures = Vec::new();
    let mut checked = 0;
    for policy in ["default", "allowlist", "confirm"] {
        let sanitizer = common::sanitizer_for(policy);
        let trusted = common::trusted_for(policy);
        for v in &vectors {
            for markdown in [true, false] {
                let label = format!(
                    "{} {} [{}] ({policy}, {})",
                    v.source,
                    v.id,
                    checked,
                    if markdown { "markdown" } else { "html" }
                );
                checked += 1;
                if let Err(e) = common::check(&sanitizer, &trusted, markdown, &v.input, &label) {
                    failures.push(e);
                }
            }
        }
    }
    eprintln!(
        "peer vectors: {} inputs, {checked} renders checked",
        vectors.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The check itself must be able to fail: feed it known-bad markup directly.
#[test]
fn negative_control_check_goes_red() {
    let trusted = common::trusted_for("allowlist");
    for bad in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<img src=\"https://attacker.example/p.png?d=secret\">",
        "<a href=\"https://evil.example/\" rel=\"noopener noreferrer nofollow\" referrerpolicy=\"no-referrer\">x</a>",
        "<a href=\"https://docs.example.com/\">missing rel</a>",
        "<p style=\"background:url(https://evil.example/)\">x</p>",
        "<svg><image href=\"https://evil.example/\"></image></svg>",
        "<div id=\"login\">clobber</div>",
        "<span class=\"admin-banner\">x</span>",
        "<input type=\"text\">",
        "<!-- hidden -->",
        "te\u{E0041}xt",
    ] {
        assert!(
            !common::violations(bad, &trusted).is_empty(),
            "the check let {bad:?} through"
        );
        // The public audit is the same kind of oracle (comments are not unsafe to it).
        let policy = common::sanitizer_for("allowlist").policy().clone();
        if !bad.starts_with("<!--") {
            assert!(
                !safemark::audit(bad, &policy).is_empty(),
                "audit let {bad:?} through"
            );
        }
    }
}
