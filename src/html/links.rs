//! Destinations in raw HTML, for the walk: links and images judged, the real host shown after a
//! deceptive link, and safemark's own markup recognized only exactly as safemark writes it.

use std::collections::VecDeque;

use html5ever::Attribute;
use markup5ever_rcdom::{Handle, NodeData};

use super::dom::*;
use crate::allowlist::REMOVED_WITH_CONTENT;
use crate::display;
use crate::limits;
use crate::policy::Policy;
use crate::report::{Finding, FindingKind};
use crate::text;
use crate::urls::{self, Purpose, Verdict};

/// What judging a link did to it.
pub(super) enum LinkJudged {
    /// Kept as it is (no `href`, or a fragment).
    Kept,
    /// Kept, clickable to this URL: its text is read for deceptive hosts once its content has
    /// been walked ([`show_real_host`]).
    Clickable(String),
    /// Replaced by these nodes.
    Replaced(Vec<Handle>),
}

/// Judges `a href`: allowed links get `rel`/`referrerpolicy`; an untrusted one is replaced by
/// a span holding its content, then a span that shows where it pointed.
pub(super) fn judge_link(
    parent: &Handle,
    node: &Handle,
    attrs: &mut Vec<Attribute>,
    policy: &Policy,
    findings: &mut Vec<Finding>,
) -> LinkJudged {
    attrs.retain(|a| !matches!(&*a.name.local, "rel" | "referrerpolicy"));
    let Some(href) = attr_value(attrs, "href").map(str::to_string) else {
        return LinkJudged::Kept;
    };
    let verdict = urls::judge(&href, Purpose::Link, policy);
    match &verdict {
        Verdict::Allow(url) => {
            set_attr(attrs, "href", url);
            set_attr(attrs, "rel", display::LINK_REL);
            set_attr(attrs, "referrerpolicy", display::LINK_REFERRER_POLICY);
            LinkJudged::Clickable(url.clone())
        }
        Verdict::Fragment(href) => {
            set_attr(attrs, "href", href);
            LinkJudged::Kept
        }
        Verdict::Deny { .. } => {
            findings.extend(Finding::refused(&verdict, "a", "href"));
            let shown = display::refused(&verdict, policy);
            let mut span_attrs = vec![("class", display::UNTRUSTED_LINK_CLASS.to_string())];
            span_attrs.extend(shown.title.map(|t| ("title", t)));
            span_attrs.extend(shown.confirm.map(|u| (display::CONFIRM_HREF_ATTRIBUTE, u)));
            let span = element("span", span_attrs);
            let content = std::mem::take(&mut *node.children.borrow_mut());
            for c in &content {
                adopt(&span, c);
            }
            *span.children.borrow_mut() = content;
            adopt(parent, &span);
            let mut nodes = vec![span];
            if let Some(suffix) = shown.suffix {
                let host = host_span(&suffix);
                adopt(parent, &host);
                nodes.push(host);
            }
            LinkJudged::Replaced(nodes)
        }
    }
}

/// After a clickable link whose content has been walked: when what a reader sees of it names
/// another host ([`urls::deceptive`]), its real host is shown after it, with a finding. A
/// label that already shows it (this output, sanitized again) is replaced; any other is not a
/// label (see [`own_span`]).
pub(super) fn show_real_host(
    link: &Handle,
    url: &str,
    parent: &Handle,
    queue: &mut VecDeque<Handle>,
    kept: &mut Vec<Handle>,
    findings: &mut Vec<Finding>,
) {
    let (all, seen) = link_views(link);
    let Some(host) = crate::deceptive::deceptive(&[&all, &seen], url) else {
        return;
    };
    findings.push(
        Finding::new(FindingKind::DeceptiveLink)
            .element("a")
            .attribute("href")
            .url(Some(url.to_string()), Some(host.clone())),
    );
    let suffix = display::host_suffix(&host);
    if queue.front().and_then(label_text).as_deref() == Some(suffix.as_str()) {
        queue.pop_front();
    }
    let shown = host_span(&suffix);
    adopt(parent, &shown);
    kept.push(shown);
}

/// `<span class="safemark-link-host">` holding `suffix`.
pub(super) fn host_span(suffix: &str) -> Handle {
    let host = element(
        "span",
        vec![("class", display::LINK_HOST_CLASS.to_string())],
    );
    let t = text_node(suffix);
    adopt(&host, &t);
    let text = bounded_text(&host, vec![t]);
    *host.children.borrow_mut() = text;
    host
}

/// The text of `node` if it is a label exactly as safemark writes it: a `<span>` whose only
/// attribute is the host class and that holds only text (cut by `<wbr>` where it is long,
/// as [`bounded_text`] cuts it). Anything else inside it (an `<rp>`, hidden outside ruby)
/// could keep the text from view.
pub(super) fn label_text(node: &Handle) -> Option<String> {
    let NodeData::Element { name, attrs, .. } = &node.data else {
        return None;
    };
    let attrs = attrs.borrow();
    let shaped = &*name.local == "span"
        && attrs.len() == 1
        && &*attrs[0].name.local == "class"
        && &*attrs[0].value == display::LINK_HOST_CLASS;
    shaped.then(|| only_text(node)).flatten()
}

/// The text of `node` if it holds only text, cut by `<wbr>` where it is long (as
/// [`bounded_text`] writes long text).
pub(super) fn only_text(node: &Handle) -> Option<String> {
    let mut text = String::new();
    for child in node.children.borrow().iter() {
        match &child.data {
            NodeData::Text { contents } => text.push_str(&contents.borrow()),
            NodeData::Element { name, attrs, .. }
                if &*name.local == "wbr" && attrs.borrow().is_empty() => {}
            _ => return None,
        }
    }
    (!text.is_empty()).then_some(text)
}

/// Removes safemark's own `class` and `data-safemark-href` from a span that safemark did not
/// write, with a finding.
fn strip_own_attributes(attrs: &mut Vec<html5ever::Attribute>, findings: &mut Vec<Finding>) {
    let mut removed = Vec::new();
    attrs.retain(|a| {
        let own = matches!(&*a.name.local, "class" | display::CONFIRM_HREF_ATTRIBUTE);
        if own {
            removed.push(format!("{}=\"{}\"", &*a.name.local, &*a.value));
        }
        !own
    });
    if !removed.is_empty() {
        findings.push(
            Finding::new(FindingKind::RemovedAttribute)
                .element("span")
                .attribute("class")
                .detail(format!(
                    "safemark's own markup, not written by safemark: {}",
                    removed.join(" ")
                )),
        );
    }
}

/// A `<span>` of the input with one of safemark's own classes or `data-safemark-href`. Input
/// can never write a label or an attribute of safemark's that safemark did not derive itself:
///
/// - an untrusted link's span (or a blocked image's) keeps its class only when it is exactly
///   such a span as safemark writes under the policy for some refused destination (see
///   [`display::refused_span`]); its label is then written again from that destination, and
///   replaces the label after it if that is the same;
/// - every other span loses those classes and `data-safemark-href`, with a finding: a label
///   anywhere else is plain text; but a math span (`class="math math-inline"`, or
///   `math-display`) keeps its class, as safemark writes it for TeX.
pub(super) fn own_span(
    node: &Handle,
    parent: &Handle,
    queue: &mut VecDeque<Handle>,
    policy: &Policy,
    findings: &mut Vec<Finding>,
) -> Option<Vec<Handle>> {
    let NodeData::Element { attrs, .. } = &node.data else {
        return None;
    };
    let derived = {
        let attrs = attrs.borrow();
        let class = attr_value(&attrs, "class");
        let confirm = attr_value(&attrs, display::CONFIRM_HREF_ATTRIBUTE);
        if class.is_none() && confirm.is_none() {
            return None;
        }
        // A math span (`"math": true`) holds only text for the app's KaTeX: kept as it is.
        if confirm.is_none() && class.is_some_and(display::is_math_class) {
            return None;
        }
        let purpose = match class {
            Some(display::UNTRUSTED_LINK_CLASS) => Some(Purpose::Link),
            Some(display::BLOCKED_IMAGE_CLASS)
                if confirm.is_none() && shows_blocked_image(node) =>
            {
                Some(Purpose::Image)
            }
            _ => None,
        };
        let shaped = attrs.iter().all(|a| {
            matches!(
                &*a.name.local,
                "class" | "title" | display::CONFIRM_HREF_ATTRIBUTE
            )
        });
        let label = queue.front().and_then(label_text);
        purpose.filter(|_| shaped).and_then(|purpose| {
            display::refused_span(
                attr_value(&attrs, "title"),
                confirm,
                label.as_deref(),
                purpose,
                policy,
            )
            // A blocked image shows no label.
            .map(|suffix| (suffix.filter(|_| matches!(purpose, Purpose::Link)), label))
        })
    };
    match derived {
        None => {
            strip_own_attributes(&mut attrs.borrow_mut(), findings);
            None
        }
        Some((None, _)) => None,
        Some((Some(suffix), label)) => {
            if label.as_deref() == Some(suffix.as_str()) {
                queue.pop_front();
            }
            let shown = host_span(&suffix);
            adopt(parent, &shown);
            Some(vec![node.clone(), shown])
        }
    }
}

/// Does a blocked image's span hold what safemark writes in it: only `[image]` or
/// `[image: alt]`?
pub(super) fn shows_blocked_image(node: &Handle) -> bool {
    only_text(node).is_some_and(|text| {
        text == "[image]"
            || text
                .strip_prefix("[image: ")
                .and_then(|t| t.strip_suffix(']'))
                .is_some_and(|alt| display::blocked_image_text(alt) == text)
    })
}

/// [`link_views`] of the first element of `html`, a link as written (`None` when it does
/// not parse within the bounds).
pub(crate) fn link_views_of(html: &str) -> Option<(String, String)> {
    let dom = limits::parse_fragment(html, limits::MAX_HTML_DEPTH).ok()?;
    let root = dom.document.children.borrow().first().cloned()?;
    let first = root.children.borrow().first().cloned()?;
    Some(link_views(&first))
}

/// The text of a link as a reader may see it: all of it, and all but what may be hidden from
/// view (an `<rp>`, shown only where ruby is not supported; a closed `<details>` but for its
/// `<summary>`). Both bounded (longer text reads as no URL anyway).
pub(super) fn link_views(node: &Handle) -> (String, String) {
    let (mut all, mut seen) = (String::new(), String::new());
    // (node, inside something hidden)
    let mut stack: Vec<(Handle, bool)> = node
        .children
        .borrow()
        .iter()
        .rev()
        .map(|c| (c.clone(), false))
        .collect();
    while let Some((n, hidden)) = stack.pop() {
        if all.len() > crate::limits::MAX_URL_BYTES {
            break;
        }
        match &n.data {
            NodeData::Text { contents } => {
                all.push_str(&contents.borrow());
                if !hidden {
                    seen.push_str(&contents.borrow());
                }
            }
            NodeData::Element { name, attrs, .. }
                if !REMOVED_WITH_CONTENT.contains(&&*name.local) =>
            {
                let closed_details =
                    &*name.local == "details" && attr_value(&attrs.borrow(), "open").is_none();
                for child in n.children.borrow().iter().rev() {
                    let is_summary = matches!(&child.data, NodeData::Element { name, .. } if &*name.local == "summary");
                    let hides = &*name.local == "rp" || (closed_details && !is_summary);
                    stack.push((child.clone(), hidden || hides));
                }
            }
            _ => {}
        }
    }
    (all, seen)
}

/// Judges `img src`: a blocked image is replaced by a span showing its alt text.
pub(super) fn judge_image(
    parent: &Handle,
    attrs: &mut [Attribute],
    policy: &Policy,
    findings: &mut Vec<Finding>,
) -> Option<Vec<Handle>> {
    let src = attrs.iter_mut().find(|a| &*a.name.local == "src")?;
    let verdict = urls::judge(&src.value, Purpose::Image, policy);
    if let Verdict::Allow(url) = &verdict {
        src.value = url.as_str().into();
        return None;
    }
    findings.extend(Finding::refused(&verdict, "img", "src"));
    let alt = attr_value(attrs, "alt").unwrap_or("");
    let (alt, _) = text::strip(alt);
    let shown = display::refused(&verdict, policy);
    let mut span_attrs = vec![("class", display::BLOCKED_IMAGE_CLASS.to_string())];
    span_attrs.extend(shown.title.map(|t| ("title", t)));
    let span = element("span", span_attrs);
    let t = text_node(&display::blocked_image_text(&alt));
    adopt(&span, &t);
    span.children.borrow_mut().push(t);
    adopt(parent, &span);
    Some(vec![span])
}
