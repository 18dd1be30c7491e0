//! `set_platform_url_parser`, the hook the npm package gives the JavaScript platform's URL
//! parser to (its wasm has no IDNA tables). Held natively, where the url crate has ICU4X's
//! tables, in one process (the parser is set once for its life), by a platform parser whose
//! behaviour the test switches:
//!
//! 1. **Agreeing** (the url crate itself): every render of the hostile corpus and of
//!    internationalized hosts in every place a URL is read, under policies that allow, proxy
//!    and resolve against them, is what it was before the parser was set: the hook changes
//!    nothing where the platform agrees, bases and relative URLs included.
//! 2. **Disagreeing** (every URL it is asked about is `https://platform.example/`): it is asked
//!    about every URL the url crate refuses for its host's IDNA or reads with an `xn--` label
//!    (where tables are needed), in every render of such a host, and about no other URL; every
//!    render it was not asked about is as before.
// The raw-HTML places need the `html` feature; `tests/lite.rs` covers the build without it.
#![cfg(feature = "html")]

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use safemark::Sanitizer;

static DISAGREE: AtomicBool = AtomicBool::new(false);
/// How often the platform was asked.
static ASKED: AtomicUsize = AtomicUsize::new(0);
/// What the platform was asked about that the url crate reads without IDNA tables.
static NEEDLESS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Only a URL refused for its host's IDNA, or whose host has an `xn--` label, needs tables.
fn needs_tables(parsed: &Result<url::Url, url::ParseError>) -> bool {
    match parsed {
        Err(url::ParseError::IdnaError) => true,
        Ok(url) => url
            .host_str()
            .is_some_and(|h| h.split('.').any(|l| l.starts_with("xn--"))),
        Err(_) => false,
    }
}

fn platform(input: &str, base: Option<&str>) -> Option<String> {
    ASKED.fetch_add(1, Ordering::SeqCst);
    let parsed = match base {
        Some(base) => url::Url::parse(base).ok()?.join(input),
        None => url::Url::parse(input),
    };
    if !needs_tables(&parsed) {
        NEEDLESS.lock().unwrap().push(input.to_string());
    }
    match DISAGREE.load(Ordering::SeqCst) {
        true => Some("https://platform.example/".into()),
        false => parsed.ok().map(String::from),
    }
}

const POLICIES: &[&str] = &[
    "{}",
    r#"{"links": {"allow": ["https://bücher.example/", "https://xn--nxasmq6b.com/", "mailto:"]},
        "images": {"allow": ["https://ü.example/", "https://img.example.com/"]}}"#,
    r#"{"links": {"allow": ["*"], "base": "https://bücher.example/dir/"},
        "images": {"allow": ["*"], "proxy": "https://proxy.xn--bcher-kva.example/img"}}"#,
];

/// For the disagreeing platform: policies whose own URLs need no IDNA tables (else every render
/// under them would hear the platform, through the policy).
const ASCII_POLICIES: &[&str] = &[
    "{}",
    r#"{"links": {"allow": ["*"], "base": "https://app.example/dir/"},
        "images": {"allow": ["*"], "proxy": "https://proxy.example/img"}}"#,
];

/// Hosts of every kind UTS #46 treats apart (see pkg-js/test/idna.js, which generates more).
const HOSTS: &[&str] = &[
    "bücher.example",
    "BÜCHER.example",
    "xn--bcher-kva.example",
    "XN--BCHER-KVA.example",
    "ｅｘａｍｐｌｅ.com",
    "faß.example",
    "ς.example",
    "а.example",
    "中文.中国",
    "ا.example",
    "٣.example",
    "a\u{301}.example",
    "\u{301}a.example",
    "a\u{ad}b.example",
    "💩.la",
    "a\u{fffd}.example",
    "bücher\u{3002}example",
    "a%C3%BCb.example",
    "a%FF.example",
    "xn--a.example",
    "xn--.example",
    "xn--ls8h.la",
    "ab--cd.example",
    "docs.example.com",
];

fn places(host: &str) -> (String, String) {
    let markdown = [
        format!("- [link](https://{host}/p?q=1)"),
        format!("- ![image](https://{host}/i.png)"),
        format!("- <https://{host}/auto>"),
        format!("- [relative](//{host}/r)"),
        format!("- [mail](mailto:someone@{host})"),
        format!("- [https://{host}/](https://{host}/)"),
        format!("- [parts](https://user:pw@{host}:8080/ä%20b/./x/../c?ö=1#ü)"),
    ]
    .join("\n");
    let html = [
        format!(r#"<a href="https://{host}/h">h</a>"#),
        format!(r#"<img src="https://{host}/i.png" alt="i">"#),
        format!(r#"<a href="//{host}/r">r</a>"#),
    ]
    .join("\n");
    (markdown, html)
}

/// Every document rendered under every policy: the HTML, and whether the platform was asked
/// (for the render, or for its policy's URLs).
fn render_all(corpus: &[(bool, String)], policies: &[&str]) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for policy in policies {
        // The policy's own URLs (a prefix, a proxy or base with an `xn--` host) are parsed once.
        let compiling = ASKED.load(Ordering::SeqCst);
        let s = Sanitizer::from_json(policy).expect("policy");
        let policy_asked = ASKED.load(Ordering::SeqCst) > compiling;
        for (html_input, doc) in corpus {
            let asked = if policy_asked {
                0
            } else {
                ASKED.load(Ordering::SeqCst)
            };
            let rendered = match html_input {
                true => s.sanitize_html(doc),
                false => s.render_markdown(doc),
            };
            let html = rendered.map_or_else(|e| format!("error: {e}"), |r| r.html);
            out.push((html, ASKED.load(Ordering::SeqCst) > asked));
        }
    }
    out
}

fn corpus() -> Vec<(bool, String)> {
    let vectors: serde_json::Value =
        serde_json::from_str(include_str!("corpus/vectors.json")).expect("vectors.json");
    let mut docs: Vec<(bool, String)> = vectors["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| {
            let html = c["mode"] == "html";
            (html, c["input"].as_str().expect("input").to_string())
        })
        .collect();
    for host in HOSTS {
        let (markdown, html) = places(host);
        docs.push((false, markdown));
        docs.push((true, html));
    }
    docs
}

#[test]
fn the_platform_is_asked_exactly_where_idna_tables_would_be() {
    let docs = corpus();
    let before = render_all(&docs, POLICIES);
    let before_ascii = render_all(&docs, ASCII_POLICIES);
    assert!(safemark::set_platform_url_parser(platform));
    assert!(
        !safemark::set_platform_url_parser(platform),
        "the first parser set stays"
    );

    // 1. A platform that agrees with the url crate changes nothing.
    let agreeing = render_all(&docs, POLICIES);
    for ((old, _), (new, _)) in before.iter().zip(&agreeing) {
        assert_eq!(new, old);
    }

    // 2. A platform that disagrees is heard where it is asked, and only there.
    DISAGREE.store(true, Ordering::SeqCst);
    let after = render_all(&docs, ASCII_POLICIES);
    DISAGREE.store(false, Ordering::SeqCst);
    let (mut unasked, mut heard) = (0, 0);
    for ((old, _), (new, asked)) in before_ascii.iter().zip(&after) {
        match asked {
            false => {
                assert_eq!(
                    new, old,
                    "a render the platform was not asked about changed"
                );
                unasked += 1;
            }
            true => {
                heard += usize::from(new != old);
            }
        }
    }
    let needless = NEEDLESS.lock().unwrap();
    assert!(
        needless.is_empty(),
        "asked about {} URLs that need no IDNA tables: {:?}",
        needless.len(),
        &needless[..needless.len().min(8)]
    );
    // And every host that needs them is asked about, in every render of it.
    let mut needing = 0;
    for (i, host) in HOSTS.iter().enumerate() {
        if needs_tables(&url::Url::parse(&format!("https://{host}/"))) {
            needing += 1;
            for p in 0..ASCII_POLICIES.len() {
                let at = p * docs.len() + docs.len() - 2 * HOSTS.len() + 2 * i;
                assert!(
                    after[at].1 && after[at + 1].1,
                    "{host}: the platform was not asked"
                );
            }
        }
    }
    assert!(needing > 10, "{needing} hosts need IDNA tables");
    assert!(
        unasked > 200 && heard > 50,
        "{unasked} unasked, {heard} heard"
    );
    println!("{unasked} renders the platform was not asked about, unchanged; {heard} changed by its answer; {needing} of {} hosts need IDNA tables", HOSTS.len());
}
