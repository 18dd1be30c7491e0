//! The audit: an independent safety oracle for HTML.
//!
//! [`audit`] takes HTML, from safemark or from anywhere, and a [`Policy`], and answers "could
//! this run script or make a request the policy does not allow?". It does not reuse the
//! rendering pipeline: it parses the HTML with html5ever as a browser would (`innerHTML` of a
//! `<div>`), walks every element and attribute, and judges each against its own allowlist and
//! its own reading of the policy's URL prefixes. The tests, properties and fuzz targets all run
//! it over safemark's output; a bug in the pipeline's tables or URL judge shows up here as a
//! [`Violation`].
//!
//! ```
//! let policy = safemark::Policy::default();
//! assert!(safemark::audit("<p>hi <b>there</b></p>", &policy).is_empty());
//! let found = safemark::audit(r#"<img src="https://evil.example/x.png">"#, &policy);
//! assert_eq!(found[0].kind, safemark::ViolationKind::Url);
//! ```

use std::cell::RefCell;

use html5ever::tendril::TendrilSink;
use html5ever::{local_name, ns, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use serde::Serialize;
use url::Url;

use crate::policy::Policy;

/// What kind of unsafe thing the audit found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ViolationKind {
    /// An element outside the safe set (script, iframe, svg, style, form, meta …).
    Element,
    /// An attribute outside the safe set (`srcset`, `background`, `formaction` …).
    Attribute,
    /// An `on*` event handler.
    EventHandler,
    /// A `style` attribute.
    Style,
    /// A link or image destination the policy does not allow.
    Url,
    /// A clickable absolute link without `rel="noopener noreferrer nofollow"` and
    /// `referrerpolicy="no-referrer"`.
    LinkRel,
    /// A `class` value safemark never writes.
    Class,
    /// An `id` (or fragment) without the policy's prefix.
    Id,
    /// An `<input>` that is not a disabled checkbox.
    Input,
    /// Tag characters or bidi overrides in text or an attribute; zero-width or bidi characters
    /// in a URL.
    InvisibleCharacters,
}

/// One unsafe thing in audited HTML.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Violation {
    /// What it is.
    pub kind: ViolationKind,
    /// The element it is on (`#text` for text).
    pub element: String,
    /// The attribute, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    /// The offending value or a short explanation.
    pub detail: String,
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

/// Attributes that neither load, run, nor restyle, wherever they appear. `href`/`src` are
/// judged separately, `class` and `id` by value.
const ATTRIBUTES: &[&str] = &[
    "title",
    "lang",
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
    "rel",
    "referrerpolicy",
];

/// Audits `html` against `policy`; an empty list means nothing in it can run script or make a
/// request the policy does not allow.
pub fn audit(html: &str, policy: &Policy) -> Vec<Violation> {
    let dom = html5ever::driver::parse_fragment(
        RcDom::default(),
        html5ever::driver::ParseOpts::default(),
        QualName::new(None, ns!(html), local_name!("div")),
        vec![],
        false,
    )
    .one(html);
    let mut found = Vec::new();
    let root = dom.document.children.borrow().first().cloned();
    let mut stack: Vec<Handle> = root.into_iter().collect();
    while let Some(node) = stack.pop() {
        match &node.data {
            NodeData::Text { contents } if hidden(&RefCell::borrow(contents)) => {
                found.push(violation(
                    ViolationKind::InvisibleCharacters,
                    "#text",
                    None,
                    "tag characters or bidi overrides",
                ));
            }
            NodeData::Element { name, attrs, .. } if !is_root(&node) => {
                let tag = &*name.local;
                let attrs: Vec<(String, String)> = attrs
                    .borrow()
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .collect();
                if name.ns != ns!(html) || !ELEMENTS.contains(&tag) {
                    found.push(violation(ViolationKind::Element, tag, None, tag));
                }
                element(tag, &attrs, policy, &mut found);
            }
            _ => {}
        }
        if let NodeData::Element {
            template_contents, ..
        } = &node.data
        {
            stack.extend(template_contents.borrow().iter().cloned());
        }
        stack.extend(node.children.borrow().iter().rev().cloned());
    }
    drop(dom);
    found
}

fn is_root(node: &Handle) -> bool {
    let parent = node.parent.take();
    let is_root = parent
        .as_ref()
        .and_then(|p| p.upgrade())
        .is_some_and(|p| matches!(p.data, NodeData::Document));
    node.parent.set(parent);
    is_root
}

fn violation(
    kind: ViolationKind,
    element: &str,
    attribute: Option<&str>,
    detail: &str,
) -> Violation {
    Violation {
        kind,
        element: element.to_string(),
        attribute: attribute.map(str::to_string),
        detail: detail.to_string(),
    }
}

fn hidden(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, '\u{E0000}'..='\u{E007F}' | '\u{202A}'..='\u{202E}'))
}

fn zero_width_or_bidi(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{E0000}'..='\u{E007F}')
    })
}

fn get<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The violations of one element. Long on purpose: the oracle's rules for attributes, classes,
/// ids and destinations read top to bottom as one checklist, each rule a few lines.
fn element(tag: &str, attrs: &[(String, String)], policy: &Policy, found: &mut Vec<Violation>) {
    let prefix = policy.id_prefix.as_str();
    for (name, value) in attrs {
        let at = Some(name.as_str());
        if hidden(value) {
            found.push(violation(
                ViolationKind::InvisibleCharacters,
                tag,
                at,
                value,
            ));
        }
        match name.as_str() {
            n if n.starts_with("on") => {
                found.push(violation(ViolationKind::EventHandler, tag, at, value))
            }
            "style" => found.push(violation(ViolationKind::Style, tag, at, value)),
            "id" if !value.starts_with(prefix) => {
                found.push(violation(ViolationKind::Id, tag, at, value))
            }
            "id" => {}
            "class" => {
                for class in value.split_ascii_whitespace() {
                    if !class_ok(tag, class) {
                        found.push(violation(ViolationKind::Class, tag, at, class));
                    }
                }
            }
            "href" if tag == "a" => {
                if let Some(why) = link_problem(value, policy) {
                    found.push(violation(
                        ViolationKind::Url,
                        tag,
                        at,
                        &format!("{value}: {why}"),
                    ));
                } else if !value.starts_with('#')
                    && (get(attrs, "rel") != Some("noopener noreferrer nofollow")
                        || get(attrs, "referrerpolicy") != Some("no-referrer"))
                {
                    found.push(violation(ViolationKind::LinkRel, tag, at, value));
                }
            }
            "data-safemark-href" if tag == "span" => {
                // Opened by `guardLinks` after the reader confirms: only under the confirm
                // mode, only an absolute http(s)/mailto URL the policy does not trust.
                let why = if policy.links.untrusted != crate::UntrustedDisplay::Confirm {
                    Some("only written under \"untrusted\": \"confirm\"".to_string())
                } else {
                    match absolute(value) {
                        Ok(u) if !matches!(u.scheme(), "http" | "https" | "mailto") => {
                            Some(format!("scheme {}", u.scheme()))
                        }
                        Ok(_) => None,
                        Err(e) => Some(e),
                    }
                };
                if let Some(why) = why {
                    found.push(violation(
                        ViolationKind::Url,
                        tag,
                        at,
                        &format!("{value}: {why}"),
                    ));
                }
            }
            "src" if tag == "img" => {
                if let Some(why) = image_problem(value, policy) {
                    found.push(violation(
                        ViolationKind::Url,
                        tag,
                        at,
                        &format!("{value}: {why}"),
                    ));
                }
            }
            n if ATTRIBUTES.contains(&n) => {}
            _ => found.push(violation(ViolationKind::Attribute, tag, at, value)),
        }
    }
    if tag == "input"
        && (get(attrs, "type") != Some("checkbox") || get(attrs, "disabled").is_none())
    {
        found.push(violation(
            ViolationKind::Input,
            tag,
            None,
            "an input that is not a disabled checkbox",
        ));
    }
}

fn class_ok(tag: &str, class: &str) -> bool {
    match tag {
        // safemark's labels, and the math spans (`"math": true`) that KaTeX reads.
        "span" => matches!(
            class,
            "safemark-untrusted-link"
                | "safemark-link-host"
                | "safemark-blocked-image"
                | "math"
                | "math-inline"
                | "math-display"
        ),
        "sup" => class == "footnote-ref",
        "section" => class == "footnotes",
        "a" => class == "footnote-backref",
        "code" => class.len() > "language-".len() && class.starts_with("language-"),
        _ => false,
    }
}

/// Does one of `prefixes` (as written in the policy) cover `url`? Written apart from the
/// pipeline's judge on purpose.
fn covered<'a>(url: &Url, mut prefixes: impl Iterator<Item = &'a str>) -> bool {
    prefixes.any(|prefix| match prefix {
        "*" => matches!(url.scheme(), "http" | "https"),
        // A scheme and a colon (`mailto:`, `tel:`): every link of that scheme.
        _ if prefix.ends_with(':') && !prefix.contains('/') => url
            .scheme()
            .eq_ignore_ascii_case(&prefix[..prefix.len() - 1]),
        _ => crate::url_parse::parse(prefix).is_ok_and(|p| {
            let host = |u: &Url| u.host_str().map(|h| h.trim_end_matches('.').to_string());
            let (pp, up) = (p.path(), url.path());
            p.scheme() == url.scheme()
                && host(&p).is_some()
                && host(&p) == host(url)
                && p.port_or_known_default() == url.port_or_known_default()
                && (pp == "/"
                    || up == pp
                    || (up.starts_with(pp)
                        && (pp.ends_with('/') || up[pp.len()..].starts_with('/'))))
        }),
    })
}

fn absolute(value: &str) -> Result<Url, String> {
    if zero_width_or_bidi(value) {
        return Err("zero-width or bidi characters".into());
    }
    let url = crate::url_parse::parse(value).map_err(|e| format!("not an absolute URL ({e})"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("user name or password".into());
    }
    Ok(url)
}

fn link_problem(value: &str, policy: &Policy) -> Option<String> {
    if let Some(fragment) = value.strip_prefix('#') {
        let ok = fragment.is_empty() || fragment.starts_with(policy.id_prefix.as_str());
        return (!ok).then(|| "fragment without the id prefix".into());
    }
    let url = match absolute(value) {
        Ok(u) => u,
        Err(e) => return Some(e),
    };
    // Script, embedded documents and local files are never acceptable, whatever the policy
    // says; other schemes only where the policy names them (`tel:`).
    if matches!(
        url.scheme(),
        "javascript" | "vbscript" | "data" | "file" | "blob" | "filesystem"
    ) {
        return Some(format!("scheme {}", url.scheme()));
    }
    let named = policy.links.allow.iter().any(|p| {
        p.as_str()
            .eq_ignore_ascii_case(&format!("{}:", url.scheme()))
    });
    if !matches!(url.scheme(), "http" | "https" | "mailto") && !named {
        return Some(format!("scheme {}", url.scheme()));
    }
    let prefixes = policy.links.allow.iter().map(|p| p.as_str());
    (!covered(&url, prefixes)).then(|| "not under links.allow".into())
}

fn image_problem(value: &str, policy: &Policy) -> Option<String> {
    let url = match absolute(value) {
        Ok(u) => u,
        Err(e) => return Some(e),
    };
    match url.scheme() {
        "data" => {
            let raster = data_url::DataUrl::process(value).is_ok_and(|d| {
                let m = d.mime_type();
                m.type_ == "image" && ["png", "gif", "jpeg", "webp"].contains(&m.subtype.as_str())
            });
            (!(raster && policy.images.data)).then(|| "data: image not allowed".into())
        }
        "http" | "https" => {
            let allowed = |u: &Url| covered(u, policy.images.allow.iter().map(|p| p.as_str()));
            if let Some(proxy) = &policy.images.proxy {
                let proxy = crate::url_parse::parse(proxy.as_str()).ok()?;
                let through_proxy = url.scheme() == proxy.scheme()
                    && url.host_str() == proxy.host_str()
                    && url.port_or_known_default() == proxy.port_or_known_default()
                    && url.path() == proxy.path();
                if through_proxy {
                    let pairs: Vec<_> = url.query_pairs().collect();
                    let inner = match pairs.as_slice() {
                        [(k, v)] if k == "url" => crate::url_parse::parse(v).ok(),
                        _ => None,
                    };
                    return match inner {
                        Some(inner) if allowed(&inner) && inner.username().is_empty() => None,
                        _ => Some("proxied URL not under images.allow".into()),
                    };
                }
                // With a proxy, every allowed image goes through it.
                return Some("image not loaded through images.proxy".into());
            }
            (!allowed(&url)).then(|| "not under images.allow".into())
        }
        s => Some(format!("scheme {s}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_it_should() {
        let p = Policy::builder()
            .allow_link("https://docs.example.com/api")
            .allow_image("https://img.example.com/")
            .build()
            .unwrap();
        let kinds = |html: &str| -> Vec<ViolationKind> {
            audit(html, &p).into_iter().map(|v| v.kind).collect()
        };
        let rel = r#" rel="noopener noreferrer nofollow" referrerpolicy="no-referrer""#;
        assert!(kinds(&format!(
            r#"<a href="https://docs.example.com/api/x"{rel}>x</a>"#
        ))
        .is_empty());
        assert!(kinds(r#"<img src="https://img.example.com/a.png" alt="">"#).is_empty());
        assert!(
            kinds(r##"<a href="#user-content-x">x</a><h2 id="user-content-x">t</h2>"##).is_empty()
        );
        for (html, kind) in [
            ("<script>1</script>", ViolationKind::Element),
            ("<svg></svg>", ViolationKind::Element),
            (
                "<template><b onclick=x>t</b></template>",
                ViolationKind::Element,
            ),
            ("<b onclick=x>t</b>", ViolationKind::EventHandler),
            ("<b style=x>t</b>", ViolationKind::Style),
            ("<img srcset=x>", ViolationKind::Attribute),
            (
                r#"<a href="https://docs.example.com/apix">x</a>"#,
                ViolationKind::Url,
            ),
            (
                r#"<a href="https://docs.example.com.evil.example/api/">x</a>"#,
                ViolationKind::Url,
            ),
            (r#"<a href="javascript:alert(1)">x</a>"#, ViolationKind::Url),
            (
                r#"<a href="https://docs.example.com/api/x">x</a>"#,
                ViolationKind::LinkRel,
            ),
            (r#"<img src="/relative.png">"#, ViolationKind::Url),
            (
                r#"<img src="data:image/png;base64,AA">"#,
                ViolationKind::Url,
            ),
            ("<input type=text>", ViolationKind::Input),
            ("<p id=x>t</p>", ViolationKind::Id),
            ("<span class=x>t</span>", ViolationKind::Class),
            ("t\u{202E}", ViolationKind::InvisibleCharacters),
        ] {
            assert!(kinds(html).contains(&kind), "{html}: {:?}", kinds(html));
        }
    }
}
