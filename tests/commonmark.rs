//! CommonMark conformance once policy is applied.
//!
//! Each spec example is rendered and compared with the spec's HTML after normalizing both (the
//! way the spec's own `normalize.py` does: parsed, attributes sorted, whitespace collapsed
//! outside `<pre>` and dropped around block tags). Examples without raw HTML or URLs must all
//! match; the others are counted and reported (raw HTML is sanitized and links are judged by
//! policy, so they legitimately differ).
// Raw HTML sanitized (and `safemark::audit`): the `html` feature. `tests/lite.rs` covers
// the build without it.
#![cfg(feature = "html")]

mod common;

use std::cell::RefCell;

use markup5ever_rcdom::{Handle, NodeData};
use serde::Deserialize;

#[derive(Deserialize)]
struct Example {
    example: u32,
    section: String,
    markdown: String,
    html: String,
    /// Examples cmark-gfm itself does not run.
    #[serde(default)]
    disabled: bool,
}

const BLOCK: &[&str] = &[
    "blockquote",
    "dd",
    "div",
    "dl",
    "dt",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

enum Tok {
    Tag(String, bool),
    Text(String, bool),
}

fn tokens(node: &Handle, pre: bool, ignore: &[&str], out: &mut Vec<Tok>) {
    for child in node.children.borrow().iter() {
        match &child.data {
            NodeData::Text { contents } => {
                let t = RefCell::borrow(contents).to_string();
                if pre {
                    out.push(Tok::Text(t, true));
                } else {
                    let collapsed = t.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
                    let lead = t.starts_with(|c: char| c.is_ascii_whitespace());
                    let trail = t.ends_with(|c: char| c.is_ascii_whitespace());
                    let s = match (collapsed.is_empty(), lead, trail) {
                        (true, _, _) if !t.is_empty() => " ".to_string(),
                        (true, _, _) => String::new(),
                        _ => format!(
                            "{}{collapsed}{}",
                            if lead { " " } else { "" },
                            if trail { " " } else { "" }
                        ),
                    };
                    out.push(Tok::Text(s, false));
                }
            }
            NodeData::Element { name, attrs, .. } => {
                let tag = name.local.to_string();
                let mut attrs: Vec<(String, String)> = attrs
                    .borrow()
                    .iter()
                    .filter(|a| !ignore.contains(&&*a.name.local))
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .collect();
                attrs.sort();
                let mut open = format!("<{tag}");
                for (n, v) in attrs {
                    open.push_str(&format!(" {n}=\"{v}\""));
                }
                open.push('>');
                let block = BLOCK.contains(&tag.as_str());
                out.push(Tok::Tag(open, block));
                tokens(child, pre || tag == "pre", ignore, out);
                out.push(Tok::Tag(format!("</{tag}>"), block));
            }
            _ => {}
        }
    }
}

fn normalize(html: &str, ignore: &[&str]) -> String {
    let parsed = common::parse(html);
    let mut toks = Vec::new();
    tokens(&parsed.root, false, ignore, &mut toks);
    let mut out = String::new();
    for i in 0..toks.len() {
        match &toks[i] {
            Tok::Tag(t, _) => out.push_str(t),
            Tok::Text(t, true) => out.push_str(t),
            Tok::Text(t, false) => {
                let mut s = t.as_str();
                if i == 0 || matches!(toks.get(i - 1), Some(Tok::Tag(_, true))) {
                    s = s.trim_start();
                }
                if matches!(toks.get(i + 1), None | Some(Tok::Tag(_, true))) {
                    s = s.trim_end();
                }
                out.push_str(s);
            }
        }
    }
    out
}

/// Raw HTML, autolinks (GFM's extended ones included), links, images or reference definitions.
fn has_html_or_urls(e: &Example) -> bool {
    let md = &e.markdown;
    let raw = md.as_bytes().windows(2).any(|w| {
        w[0] == b'<' && (w[1].is_ascii_alphabetic() || matches!(w[1], b'/' | b'!' | b'?'))
    });
    // GFM's extended autolinks (`www.`, e-mail addresses) are links too: CommonMark's own
    // examples of them expect text.
    raw || md.contains("](")
        || md.contains("]:")
        || md.contains("][")
        || md.contains("http")
        || md.contains("www.")
        || md.contains('@')
        || e.html.contains("<a ")
        || e.html.contains("<img")
}

fn run(file: &str, policy: &str, ignore: &[&str]) -> (usize, usize, usize, Vec<String>) {
    let examples: Vec<Example> = serde_json::from_str(file).unwrap();
    let sanitizer = safemark::Sanitizer::from_json(policy).unwrap();
    let (mut matched, mut plain, mut plain_failures) = (0, 0, Vec::new());
    for e in examples.iter().filter(|e| !e.disabled) {
        let out = sanitizer.render_markdown(&e.markdown).unwrap();
        let ok = normalize(&out.html, ignore) == normalize(&e.html, ignore);
        matched += usize::from(ok);
        if !has_html_or_urls(e) {
            plain += 1;
            if !ok {
                plain_failures.push(format!(
                    "example {} ({}):\n  md:   {:?}\n  want: {}\n  got:  {}",
                    e.example,
                    e.section,
                    e.markdown,
                    normalize(&e.html, ignore),
                    normalize(&out.html, ignore)
                ));
            }
        }
    }
    (examples.len(), matched, plain, plain_failures)
}

#[test]
fn commonmark_spec_default_policy() {
    let (total, matched, plain, failures) =
        run(include_str!("corpora/commonmark_spec.json"), "{}", &[]);
    eprintln!(
        "CommonMark, default policy: {matched}/{total} examples match; {plain} without raw HTML or URLs, {} of them differ",
        failures.len()
    );
    assert_eq!(total, 655);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn commonmark_spec_permissive_policy() {
    // Every http(s) link and image trusted: what differs is then sanitized raw HTML, URL
    // normalization and the links a policy can never make clickable (`javascript:` …).
    let policy = r#"{"links": {"allow": ["*", "mailto:"]}, "images": {"allow": ["*"]}}"#;
    let (total, matched, _, failures) = run(
        include_str!("corpora/commonmark_spec.json"),
        policy,
        &["rel", "referrerpolicy"],
    );
    eprintln!("CommonMark, every http(s) URL trusted: {matched}/{total} examples match");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn gfm_extension_examples() {
    let policy = r#"{"links": {"allow": ["*", "mailto:"]}, "images": {"allow": ["*"]}}"#;
    let (total, matched, plain, failures) = run(
        include_str!("corpora/gfm_extensions.json"),
        policy,
        &["rel", "referrerpolicy"],
    );
    eprintln!("GFM extension examples: {matched}/{total} match ({plain} plain)");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The whole GFM spec (cmark-gfm's `test/spec.txt`) and its extension tests
/// (`test/extensions.txt`), every URL trusted. The matches are a floor: a change that loses
/// one fails here. What still differs is listed in the README (raw HTML sanitized or shown as
/// text, links a policy never makes clickable, footnotes' layout, URL normalization).
#[test]
fn gfm_spec_and_extension_tests() {
    let policy = r#"{"links": {"allow": ["*", "mailto:"]}, "images": {"allow": ["*"]}}"#;
    for (name, file, floor) in [
        (
            "GFM spec",
            include_str!("corpora/gfm_spec.json"),
            GFM_SPEC_FLOOR,
        ),
        (
            "GFM extension tests",
            include_str!("corpora/gfm_extensions_tests.json"),
            GFM_EXTENSION_TESTS_FLOOR,
        ),
    ] {
        let (total, matched, plain, failures) = run(file, policy, &["rel", "referrerpolicy"]);
        eprintln!("{name}: {matched}/{total} examples match ({plain} plain)");
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(matched >= floor, "{name}: {matched} < {floor}");
    }
}

/// Matches measured when the floors were last raised.
const GFM_SPEC_FLOOR: usize = 505;
const GFM_EXTENSION_TESTS_FLOOR: usize = 22;
