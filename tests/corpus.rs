//! safemark's own corpus of exfiltration, XSS and benign cases: `tests/corpus/vectors.json`,
//! shared with the JavaScript tests (`pkg-js/test/`), policies included.
//!
//! Each case: `{name, mode: "markdown"|"html", policy: "default"|"allowlist", input, expect}`
//! where `expect` holds
//! - `findings`: finding kinds that must be reported (`clean: true`: no finding at all),
//! - `links`: the exact list of clickable non-fragment `href`s, in order,
//! - `images`: the exact list of `img src`s,
//! - `text` / `no_text`: strings the visible text must / must not contain,
//! - `elements`: minimum element counts.
//!
//! Every case is also run through the independent output check and the fixpoint check.
// Raw HTML sanitized (and `safemark::audit`): the `html` feature. `tests/lite.rs` covers
// the build without it.
#![cfg(feature = "html")]

mod common;

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Deserialize)]
struct Corpus {
    /// The policies the cases name, shared with the JavaScript runner.
    policies: BTreeMap<String, serde_json::Value>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    mode: String,
    policy: String,
    input: String,
    expect: Expect,
}

#[derive(Deserialize)]
struct Expect {
    findings: Vec<String>,
    links: Vec<String>,
    images: Vec<String>,
    text: Vec<String>,
    #[serde(default)]
    no_text: Vec<String>,
    #[serde(default)]
    elements: BTreeMap<String, usize>,
    #[serde(default)]
    clean: bool,
}

fn run(case: &Case) -> Result<(), String> {
    let sanitizer = common::sanitizer_for(&case.policy);
    let trusted = common::trusted_for(&case.policy);
    let out = common::check(
        &sanitizer,
        &trusted,
        case.mode == "markdown",
        &case.input,
        &case.name,
    )?;
    let fail = |what: String| Err(format!("{}: {what}\n  output: {}", case.name, out.html));
    let kinds: Vec<String> = out
        .findings
        .iter()
        .map(|f| {
            serde_json::to_value(f.kind)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for want in &case.expect.findings {
        if !kinds.contains(want) {
            return fail(format!("missing finding {want}; got {kinds:?}"));
        }
    }
    if case.expect.clean && !kinds.is_empty() {
        return fail(format!("expected no findings, got {:?}", out.findings));
    }
    let parsed = common::parse(&out.html);
    let elements = common::elements(&parsed.root);
    let attr_of = |name: &str, attr: &str| -> Vec<String> {
        elements
            .iter()
            .filter(|(n, _, _)| n == name)
            .filter_map(|(_, attrs, _)| attrs.iter().find(|(a, _)| a == attr))
            .map(|(_, v)| v.clone())
            .collect()
    };
    let links: Vec<String> = attr_of("a", "href")
        .into_iter()
        .filter(|h| !h.starts_with('#'))
        .collect();
    if links != case.expect.links {
        return fail(format!("links {links:?}, expected {:?}", case.expect.links));
    }
    let images = attr_of("img", "src");
    if images != case.expect.images {
        return fail(format!(
            "images {images:?}, expected {:?}",
            case.expect.images
        ));
    }
    let text = common::text(&parsed.root);
    for want in &case.expect.text {
        if !text.contains(want.as_str()) {
            return fail(format!("text lacks {want:?}: {text:?}"));
        }
    }
    for unwanted in &case.expect.no_text {
        if text.contains(unwanted.as_str()) {
            return fail(format!("text contains {unwanted:?}: {text:?}"));
        }
    }
    for (name, min) in &case.expect.elements {
        let n = elements.iter().filter(|(e, _, _)| e == name).count();
        if n < *min {
            return fail(format!("{n} <{name}>, expected at least {min}"));
        }
    }
    Ok(())
}

#[test]
fn corpus() {
    let corpus: Corpus = serde_json::from_str(include_str!("corpus/vectors.json")).unwrap();
    assert!(corpus.cases.len() >= 100, "corpus shrank");
    // The JavaScript runner reads the policies from the file; the Rust helpers must agree.
    for (name, policy) in &corpus.policies {
        let from_file = safemark::Policy::from_json(&policy.to_string()).unwrap();
        assert_eq!(
            &from_file,
            common::sanitizer_for(name).policy(),
            "policy {name}"
        );
    }
    let failures: Vec<String> = corpus.cases.iter().filter_map(|c| run(c).err()).collect();
    eprintln!("corpus: {} cases", corpus.cases.len());
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
