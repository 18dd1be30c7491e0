//! Test support: an independent check of safemark's output.
//!
//! The output is parsed with html5ever as a browser would parse it (`innerHTML` of a `<div>`),
//! and every element, attribute and URL is judged here, by rules written out again in this
//! file rather than taken from the crate, so that a bug in the crate's tables or URL judge
//! shows up as a violation.

#![allow(dead_code)]

use std::cell::RefCell;

use html5ever::tendril::TendrilSink;
use html5ever::{local_name, ns, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// The destinations a test policy trusts.
#[derive(Clone, Debug, Default)]
pub struct Trusted {
    pub link_hosts: Vec<&'static str>,
    pub mailto: bool,
    pub image_hosts: Vec<&'static str>,
    pub data_images: bool,
}

/// The policy used by "allowlist" tests, and what it trusts.
pub const ALLOWLIST_POLICY: &str = r#"{
    "links":  { "allow": ["https://docs.example.com/", "mailto:"] },
    "images": { "allow": ["https://img.example.com/"] }
}"#;

/// The allowlist policy with untrusted links carried for click-time confirmation.
pub const CONFIRM_POLICY: &str = r#"{
    "links":  { "allow": ["https://docs.example.com/", "mailto:"], "untrusted": "confirm" },
    "images": { "allow": ["https://img.example.com/"] }
}"#;

pub fn trusted_for(policy_name: &str) -> Trusted {
    match policy_name {
        "default" => Trusted::default(),
        "allowlist" | "confirm" => Trusted {
            link_hosts: vec!["docs.example.com"],
            mailto: true,
            image_hosts: vec!["img.example.com"],
            data_images: false,
        },
        other => panic!("unknown test policy {other}"),
    }
}

pub fn sanitizer_for(policy_name: &str) -> safemark::Sanitizer {
    match policy_name {
        "default" => safemark::Sanitizer::new(safemark::Policy::default()).unwrap(),
        "allowlist" => safemark::Sanitizer::from_json(ALLOWLIST_POLICY).unwrap(),
        "confirm" => safemark::Sanitizer::from_json(CONFIRM_POLICY).unwrap(),
        other => panic!("unknown test policy {other}"),
    }
}

const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

const ATTRIBUTES: &[&str] = &[
    "title",
    "lang",
    "id",
    "href",
    "rel",
    "referrerpolicy",
    "src",
    "alt",
    "width",
    "height",
    "start",
    "reversed",
    "type",
    "value",
    "align",
    "colspan",
    "rowspan",
    "scope",
    "span",
    "open",
    "checked",
    "disabled",
    "datetime",
    "class",
    "data-safemark-href",
];

/// A parsed fragment. The DOM is kept alive with the root: dropping an `RcDom` empties its
/// tree.
pub struct Parsed {
    _dom: RcDom,
    pub root: Handle,
}

/// Parses HTML as `div.innerHTML = html` would.
pub fn parse(html: &str) -> Parsed {
    let dom = html5ever::driver::parse_fragment(
        RcDom::default(),
        Default::default(),
        QualName::new(None, ns!(html), local_name!("div")),
        vec![],
        false,
    )
    .one(html);
    let root = dom.document.children.borrow()[0].clone();
    Parsed { _dom: dom, root }
}

/// An element's name (`foreign:` prefixed outside the HTML namespace), attributes and node.
pub type Element = (String, Vec<(String, String)>, Handle);

/// Every element under `root` in document order, with its attributes.
pub fn elements(root: &Handle) -> Vec<Element> {
    let mut out = Vec::new();
    let mut stack: Vec<Handle> = root.children.borrow().iter().rev().cloned().collect();
    while let Some(node) = stack.pop() {
        if let NodeData::Element { name, attrs, .. } = &node.data {
            let attrs = attrs
                .borrow()
                .iter()
                .map(|a| (a.name.local.to_string(), a.value.to_string()))
                .collect();
            let ns = if name.ns == ns!(html) { "" } else { "foreign:" };
            out.push((format!("{ns}{}", name.local), attrs, node.clone()));
        }
        stack.extend(node.children.borrow().iter().rev().cloned());
    }
    out
}

/// The text a reader sees (text nodes, concatenated).
pub fn text(root: &Handle) -> String {
    let mut out = String::new();
    let mut stack: Vec<Handle> = root.children.borrow().iter().rev().cloned().collect();
    while let Some(node) = stack.pop() {
        if let NodeData::Text { contents } = &node.data {
            out.push_str(&RefCell::borrow(contents));
        }
        stack.extend(node.children.borrow().iter().rev().cloned());
    }
    out
}

/// The value of attribute `name` in an [`Element`]'s attributes.
pub fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn hidden(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, '\u{E0000}'..='\u{E007F}' | '\u{202A}'..='\u{202E}'))
}

/// Everything in `html` that could run script or make a request `trusted` does not allow.
pub fn violations(html: &str, trusted: &Trusted) -> Vec<String> {
    let parsed = parse(html);
    let root = &parsed.root;
    let mut v = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(node) = stack.pop() {
        match &node.data {
            NodeData::Comment { .. } => v.push("comment".to_string()),
            NodeData::Text { contents } if hidden(&RefCell::borrow(contents)) => {
                v.push("hidden characters in text".to_string())
            }
            _ => {}
        }
        stack.extend(node.children.borrow().iter().cloned());
    }
    for (name, attrs, _) in elements(root) {
        if !ELEMENTS.contains(&name.as_str()) {
            v.push(format!("element <{name}>"));
            continue;
        }
        for (a, value) in &attrs {
            if !ATTRIBUTES.contains(&a.as_str()) {
                v.push(format!("attribute {a} on <{name}>"));
            }
            if hidden(value) {
                v.push(format!("hidden characters in {name}@{a}"));
            }
            if a == "id" && !value.starts_with("user-content-") {
                v.push(format!("unprefixed id {value:?}"));
            }
            if a == "class" {
                for class in value.split_ascii_whitespace() {
                    let ok = match name.as_str() {
                        "span" => class.starts_with("safemark-"),
                        "sup" => class == "footnote-ref",
                        "section" => class == "footnotes",
                        "a" => class == "footnote-backref",
                        "code" => class.starts_with("language-"),
                        _ => false,
                    };
                    if !ok {
                        v.push(format!("class {class:?} on <{name}>"));
                    }
                }
            }
        }
        match name.as_str() {
            "a" => {
                if let Some(href) = attr(&attrs, "href") {
                    if let Some(why) = bad_link(href, trusted) {
                        v.push(format!("link {href:?}: {why}"));
                    } else if !href.starts_with('#') {
                        if attr(&attrs, "rel") != Some("noopener noreferrer nofollow") {
                            v.push(format!("link {href:?} without rel"));
                        }
                        if attr(&attrs, "referrerpolicy") != Some("no-referrer") {
                            v.push(format!("link {href:?} without referrerpolicy"));
                        }
                    }
                }
            }
            "span" => {
                // The confirm mode's destination: never a script, always an absolute URL.
                if let Some(href) = attr(&attrs, "data-safemark-href") {
                    match url::Url::parse(href) {
                        Ok(u) if matches!(u.scheme(), "http" | "https" | "mailto") => {}
                        _ => v.push(format!("confirm destination {href:?}")),
                    }
                }
            }
            "img" => {
                if let Some(src) = attr(&attrs, "src") {
                    if let Some(why) = bad_image(src, trusted) {
                        v.push(format!("image {src:?}: {why}"));
                    }
                }
            }
            "input"
                if attr(&attrs, "type") != Some("checkbox")
                    || attr(&attrs, "disabled").is_none() =>
            {
                v.push(format!("input that is not a disabled checkbox: {attrs:?}"));
            }
            _ => {}
        }
    }
    v
}

fn bad_link(href: &str, trusted: &Trusted) -> Option<String> {
    if let Some(fragment) = href.strip_prefix('#') {
        return (!fragment.is_empty() && !fragment.starts_with("user-content-"))
            .then(|| "fragment without prefix".to_string());
    }
    let url = match url::Url::parse(href) {
        Ok(u) => u,
        Err(e) => return Some(format!("not absolute ({e})")),
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Some("credentials".into());
    }
    match url.scheme() {
        "mailto" if trusted.mailto => None,
        "http" | "https" => {
            let host = url.host_str().unwrap_or_default();
            (!trusted.link_hosts.contains(&host)).then(|| format!("untrusted host {host}"))
        }
        s => Some(format!("scheme {s}")),
    }
}

fn bad_image(src: &str, trusted: &Trusted) -> Option<String> {
    let url = match url::Url::parse(src) {
        Ok(u) => u,
        Err(e) => return Some(format!("not absolute ({e})")),
    };
    match url.scheme() {
        "data" if trusted.data_images => {
            let lower = src.to_ascii_lowercase();
            let raster = ["png", "gif", "jpeg", "webp"]
                .iter()
                .any(|t| lower.starts_with(&format!("data:image/{t}")));
            (!raster).then(|| "non-raster data image".to_string())
        }
        "http" | "https" => {
            let host = url.host_str().unwrap_or_default();
            (!trusted.image_hosts.contains(&host)).then(|| format!("untrusted host {host}"))
        }
        s => Some(format!("scheme {s}")),
    }
}

/// Runs `input` through `sanitizer` and checks the output: no violation (by this file's rules
/// and by `safemark::audit`), and sanitizing the output again in HTML mode changes nothing.
/// Returns the output.
pub fn check(
    sanitizer: &safemark::Sanitizer,
    trusted: &Trusted,
    markdown: bool,
    input: &str,
    label: &str,
) -> Result<safemark::Rendered, String> {
    let out = if markdown {
        sanitizer.render_markdown(input)
    } else {
        sanitizer.sanitize_html(input)
    }
    .map_err(|e| format!("{label}: error {e}"))?;
    let v = violations(&out.html, trusted);
    if !v.is_empty() {
        return Err(format!(
            "{label}: {v:?}\n  input: {input:?}\n  output: {}",
            out.html
        ));
    }
    let audited = safemark::audit(&out.html, sanitizer.policy());
    if !audited.is_empty() {
        return Err(format!(
            "{label}: audit: {audited:?}\n  input: {input:?}\n  output: {}",
            out.html
        ));
    }
    let again = sanitizer
        .sanitize_html(&out.html)
        .map_err(|e| format!("{label}: error on re-sanitize {e}"))?;
    if again.html != out.html {
        return Err(format!(
            "{label}: not a fixpoint\n  input: {input:?}\n  once:  {}\n  twice: {}",
            out.html, again.html
        ));
    }
    Ok(out)
}

/// For each clickable link, in order: its href and the text of the host span right after it.
pub fn links_and_suffixes(html: &str) -> Vec<(String, Option<String>)> {
    let parsed = parse(html);
    let mut parents = vec![parsed.root.clone()];
    parents.extend(elements(&parsed.root).into_iter().map(|(_, _, node)| node));
    let mut out = Vec::new();
    for parent in parents {
        let kids = parent.children.borrow();
        for (i, kid) in kids.iter().enumerate() {
            let NodeData::Element { name, attrs, .. } = &kid.data else {
                continue;
            };
            if &*name.local != "a" {
                continue;
            }
            let href = attrs
                .borrow()
                .iter()
                .find(|a| &*a.name.local == "href")
                .map(|a| a.value.to_string());
            let suffix = kids.get(i + 1).filter(|next| match &next.data {
                NodeData::Element { name, attrs, .. } => {
                    &*name.local == "span"
                        && attrs
                            .borrow()
                            .iter()
                            .any(|a| &*a.name.local == "class" && &*a.value == "safemark-link-host")
                }
                _ => false,
            });
            out.push((href.unwrap_or_default(), suffix.map(text)));
        }
    }
    out
}
