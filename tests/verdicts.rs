//! Headless verdicts (`Sanitizer::judge_link`, `Sanitizer::judge_image`) say what a render
//! does. For every destination in the peer corpora (each `href`, `src` and the like of the
//! DOMPurify, H5SC and OWASP vectors) and a list of hostile shapes, under seven policies and
//! with link texts that do and do not name a host, the markdown render and the HTML render of
//! that destination are parsed back and held to the verdict: clickable or loading exactly when
//! allowed, with the written value; refused with a finding of the verdict's reason; the host
//! label and the confirmation target the verdict's; deceptive exactly when a render flags it.
// Raw HTML sanitized: the `html` feature. `tests/lite.rs` covers the build without it.
#![cfg(feature = "html")]

mod common;

use common::{attr, elements, parse, text};
use safemark::{FindingKind, Sanitizer, UrlVerdict};

const POLICIES: &[&str] = &[
    "{}",
    r#"{"links": {"allow": ["https://docs.example.com/", "mailto:", "tel:"]},
        "images": {"allow": ["https://img.example.com/"]}}"#,
    r#"{"links": {"allow": ["https://app.example/"], "base": "https://app.example/chat/"}}"#,
    r#"{"links": {"allow": ["*"]}, "images": {"allow": ["*"], "proxy": "https://proxy.example/img"}}"#,
    r#"{"images": {"data": true, "allow": ["https://img.example.com/"]}}"#,
    r#"{"links": {"untrusted": "confirm"}}"#,
    r#"{"links": {"untrusted": "url", "allow": ["https://xn--bcher-kva.example/"]}}"#,
];

const TEXTS: &[&str] = &[
    "click here",
    "docs.example.com",
    "https://docs.example.com/login",
    "paypal.com",
];

/// Hostile and ordinary shapes, beside what the corpora hold.
const SHAPES: &[&str] = &[
    "https://docs.example.com/guide?q=1#top",
    "https://docs.example.com.evil.example/",
    "https://docs.example.com@evil.example/",
    "https://user:pass@docs.example.com/",
    "HTTPS://DOCS.EXAMPLE.COM/A",
    "https://docs.example.com:8443/x",
    "http://docs.example.com/",
    "//evil.example/x",
    "/relative/path",
    "./x",
    "../x",
    "x",
    "?q=1",
    "#section-2",
    "#",
    "mailto:me@example.com",
    "mailto:",
    "tel:+15551234",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:image/png;base64,iVBORw0KGgo=",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "file:///etc/passwd",
    "blob:https://docs.example.com/uuid",
    "https://bücher.example/",
    "https://xn--bcher-kva.example/x",
    "https://dоcs.example.com/",
    "https://docs.exa\u{200B}mple.com/",
    "https://docs.example.com/\u{202E}gpj.exe",
    "https://img.example.com/a.png",
    "https://img.example.com.evil.example/a.png",
    "https://proxy.example/img?url=https%3A%2F%2Fimg.example.com%2Fa.png",
    "https://proxy.example/img?url=javascript%3Aalert(1)",
    "https://app.example/chat/x",
    "https:app.example/x",
    "https://[::1]/x",
    "https://127.0.0.1:8080/",
    "https://evil.example/p.png?d=SECRET",
    "http://",
    "https://",
    "https://exa mple.com/",
    "",
];

/// The destinations the peers' vectors hold: every URL-bearing attribute of their HTML.
fn corpus_urls() -> Vec<String> {
    let vectors: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("corpora/peer_vectors.json")).unwrap();
    let mut urls = Vec::new();
    for v in &vectors {
        let Some(input) = v["input"].as_str() else {
            continue;
        };
        let parsed = parse(input);
        for (_, attrs, _) in elements(&parsed.root) {
            for (name, value) in attrs {
                if matches!(
                    name.as_str(),
                    "href" | "src" | "action" | "formaction" | "background" | "poster" | "data"
                ) {
                    urls.push(value);
                }
            }
        }
    }
    urls.sort();
    urls.dedup();
    urls
}

/// `url` as a markdown destination between `<` and `>`: every ASCII punctuation character
/// backslash-escaped (so no entity reference or bracket is read), if it can be one.
fn markdown_destination(url: &str) -> Option<String> {
    if url.contains(['\n', '\r', '\0']) {
        return None;
    }
    let mut out = String::from("<");
    for c in url.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('>');
    Some(out)
}

/// `url` as an HTML attribute value, if html5ever reads it back unchanged.
fn attribute_value(url: &str) -> Option<String> {
    if url.contains(['\0', '\r']) {
        return None;
    }
    Some(url.replace('&', "&amp;").replace('"', "&quot;"))
}

/// Holds the render `html` (with `kinds`, its findings) of one link to the verdict.
fn check_link(v: &UrlVerdict, html: &str, kinds: &[FindingKind], url_labels: bool, what: &str) {
    let parsed = parse(html);
    let all = elements(&parsed.root);
    let hrefs: Vec<&str> = all
        .iter()
        .filter(|(name, _, _)| name == "a")
        .filter_map(|(_, attrs, _)| attr(attrs, "href"))
        .collect();
    let label = all
        .iter()
        .find(|(name, attrs, _)| {
            name == "span" && attr(attrs, "class") == Some("safemark-link-host")
        })
        .map(|(_, _, node)| text(node));
    if v.allowed {
        assert_eq!(
            hrefs,
            [v.value.as_deref().unwrap()],
            "{what}: {v:?}\n{html}"
        );
        assert_eq!(
            v.deceptive,
            kinds.contains(&FindingKind::DeceptiveLink),
            "{what}: {v:?}\n{html}"
        );
        if v.deceptive {
            assert_eq!(
                label,
                v.host.as_ref().map(|h| format!(" ({h})")),
                "{what}: {html}"
            );
        }
    } else {
        assert!(hrefs.is_empty(), "{what}: {v:?}\n{html}");
        let reason = v.reason.expect("a refusal has a reason");
        assert!(kinds.contains(&reason), "{what}: {v:?} {kinds:?}\n{html}");
        // Under `"untrusted": "url"` the label shows the whole URL, else the host.
        let shown = if url_labels { &v.url } else { &v.host };
        if let Some(label) = label {
            assert_eq!(
                Some(label),
                shown.as_ref().map(|h| format!(" ({h})")),
                "{what}: {html}"
            );
        }
        let confirm = all
            .iter()
            .find_map(|(_, attrs, _)| attr(attrs, "data-safemark-href"));
        if let Some(confirm) = confirm {
            assert_eq!(Some(confirm), v.url.as_deref(), "{what}: {html}");
        }
    }
}

/// Holds the render `html` of one image to the verdict.
fn check_image(v: &UrlVerdict, html: &str, kinds: &[FindingKind], what: &str) {
    let parsed = parse(html);
    let srcs: Vec<String> = elements(&parsed.root)
        .iter()
        .filter(|(name, _, _)| name == "img")
        .map(|(_, attrs, _)| attr(attrs, "src").unwrap_or_default().to_string())
        .collect();
    if v.allowed {
        assert_eq!(srcs, [v.value.clone().unwrap()], "{what}: {v:?}\n{html}");
    } else {
        assert!(srcs.is_empty(), "{what}: {v:?}\n{html}");
        let reason = v.reason.expect("a refusal has a reason");
        assert!(kinds.contains(&reason), "{what}: {v:?} {kinds:?}\n{html}");
    }
}

/// `url` rendered on each surface that can carry it: as markdown (`markdown` of its escaped
/// destination) and as HTML (`html` of its attribute value).
fn renders(
    s: &Sanitizer,
    url: &str,
    markdown: impl Fn(&str) -> String,
    html: impl Fn(&str) -> String,
) -> Vec<(&'static str, safemark::Rendered)> {
    let mut out = Vec::new();
    if let Some(dest) = markdown_destination(url) {
        out.push(("markdown", s.render_markdown(&markdown(&dest)).unwrap()));
    }
    if let Some(value) = attribute_value(url) {
        out.push(("html", s.sanitize_html(&html(&value)).unwrap()));
    }
    out
}

/// The kinds of a render's findings.
fn kinds(r: &safemark::Rendered) -> Vec<FindingKind> {
    r.findings.iter().map(|f| f.kind).collect()
}

#[test]
fn verdicts_say_what_renders_do() {
    let mut urls: Vec<String> = SHAPES.iter().map(|s| s.to_string()).collect();
    let corpus = corpus_urls();
    assert!(corpus.len() > 150, "{} corpus destinations", corpus.len());
    urls.extend(corpus);
    let mut checked = 0;
    for policy in POLICIES {
        let s = Sanitizer::from_json(policy).unwrap();
        let url_labels = policy.contains(r#""untrusted": "url""#);
        for url in &urls {
            for t in TEXTS {
                let v = s.judge_link(url, Some(t));
                let link = |dest: &str| format!("[{t}]({dest})");
                let a = |value: &str| format!("<a href=\"{value}\">{t}</a>");
                for (surface, r) in renders(&s, url, link, a) {
                    let what = format!("{surface} {url:?} {t:?} {policy}");
                    check_link(&v, &r.html, &kinds(&r), url_labels, &what);
                    checked += 1;
                }
            }
            let v = s.judge_image(url);
            assert!(!v.deceptive);
            let image = |dest: &str| format!("![a diagram]({dest})");
            let img = |value: &str| format!("<img src=\"{value}\" alt=\"a diagram\">");
            for (surface, r) in renders(&s, url, image, img) {
                let what = format!("{surface} image {url:?} {policy}");
                check_image(&v, &r.html, &kinds(&r), &what);
                checked += 1;
            }
        }
    }
    println!(
        "{checked} renders held to their verdicts ({} destinations)",
        urls.len()
    );
}

/// What a dialog shows is the parser's: punycode hosts, no repeated `javascript:`, the proxy's
/// target as the image's URL.
#[test]
fn verdicts_show_what_a_dialog_may_show() {
    let s = Sanitizer::from_json(r#"{"links": {"untrusted": "confirm"}, "images": {"allow": ["https://img.example.com/"], "proxy": "https://proxy.example/img"}}"#).unwrap();
    let v = s.judge_link("https://bücher.example/a b", Some("Bücher"));
    assert_eq!(v.host.as_deref(), Some("xn--bcher-kva.example"));
    assert_eq!(
        v.url.as_deref(),
        Some("https://xn--bcher-kva.example/a%20b")
    );
    assert_eq!(v.reason, Some(FindingKind::UntrustedLink));
    let v = s.judge_link("javascript:alert(1)", None);
    assert_eq!(
        (v.url, v.host, v.reason),
        (None, None, Some(FindingKind::UnsafeScheme))
    );
    let v = s.judge_link("https://docs.exa\u{200B}mple.com/", None);
    assert_eq!(v.reason, Some(FindingKind::InvisibleCharacters));
    let v = s.judge_image("https://img.example.com/a.png");
    assert!(v.allowed);
    assert_eq!(v.url.as_deref(), Some("https://img.example.com/a.png"));
    assert_eq!(
        v.value.as_deref(),
        Some("https://proxy.example/img?url=https%3A%2F%2Fimg.example.com%2Fa.png")
    );
    assert_eq!(v.host.as_deref(), Some("img.example.com"));
    let v = s.judge_link("#Intro", None);
    assert_eq!(
        (v.allowed, v.value.as_deref()),
        (true, Some("#user-content-Intro"))
    );
    let json = serde_json::to_value(s.judge_image("https://evil.example/p.png?d=1")).unwrap();
    assert_eq!(json["reason"], "blocked_image");
    assert_eq!(json["allowed"], false);
}
