//! The HTML stage: raw HTML in, safe HTML out, with ammonia as the sanitizer.
//!
//! Two passes over the same bytes:
//!
//! 1. **Judge and report.** The HTML is parsed once with html5ever exactly as ammonia parses it
//!    (a fragment in a `<div>` context). A walk over that tree applies the URL policy (every
//!    `a href` and `img src`; untrusted links become inert spans that show where they pointed,
//!    blocked images become their alt text), removes invisible characters, and records a
//!    finding for everything the allowlist below will remove.
//! 2. **Sanitize.** The walked tree is serialized and cleaned by ammonia under the same
//!    allowlist. ammonia's attribute filter judges every `href` and `src` again with the same
//!    URL judge, so a destination can only survive if the policy allows it, whatever the first
//!    pass did.
//!
//! The allowlist itself is in [`crate::allowlist`].

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{TagKind, Token, TokenSink, TokenSinkResult};
use html5ever::{ns, Attribute, QualName};
use markup5ever_rcdom::{Handle, Node, NodeData, RcDom, SerializableHandle};

use crate::allowlist::{
    allowed_classes, GENERIC_ATTRIBUTES, REMOVED_WITH_CONTENT, TAGS, TAG_ATTRIBUTES, URL_ATTRIBUTES,
};
use crate::display;
use crate::limits;
use crate::policy::{Policy, UntrustedDisplay};
use crate::report::{Finding, FindingKind};
use crate::text;
use crate::urls::{self, Deny, Purpose, Verdict};

/// Extra passes allowed for the output to reach a fixpoint (it takes at most one in every
/// case the corpora, properties and fuzzers have found).
const MAX_PASSES: usize = 3;

/// The compiled HTML stage: ammonia configured once.
pub(crate) struct HtmlStage {
    /// The policy it enforces, the one its attribute filter was built with.
    policy: Arc<Policy>,
    cleaner: ammonia::Builder<'static>,
    attributes: HashMap<&'static str, HashSet<&'static str>>,
}

/// The schemes ammonia lets through (every URL is judged again by the attribute filter):
/// `http`, `https`, `mailto`, `data` (raster images) and those the policy names (`tel:`).
fn url_schemes(policy: &Policy) -> HashSet<&'static str> {
    let mut schemes: HashSet<&'static str> = ["http", "https", "mailto", "data"].into();
    for p in &policy.links.allow {
        if let crate::policy::PrefixKind::Scheme(scheme) = &p.kind {
            schemes.insert(intern(scheme));
        }
    }
    schemes
}

/// `s` for the life of the process, allocated once per distinct value (ammonia's builder
/// holds `&'static str` schemes; a policy names a handful).
fn intern(s: &str) -> &'static str {
    static INTERNED: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut interned = INTERNED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(found) = interned.iter().find(|i| **i == s) {
        return found;
    }
    let leaked: &'static str = Box::leak(s.to_string().into_boxed_str());
    interned.push(leaked);
    leaked
}

impl HtmlStage {
    pub(crate) fn new(policy: Arc<Policy>) -> HtmlStage {
        let attributes: HashMap<&'static str, HashSet<&'static str>> = TAG_ATTRIBUTES
            .iter()
            .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect()))
            .collect();
        let mut cleaner = ammonia::Builder::empty();
        let filter_policy = Arc::clone(&policy);
        cleaner
            .tags(TAGS.iter().copied().collect())
            .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
            .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
            .tag_attributes(attributes.clone())
            .url_schemes(url_schemes(&policy))
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(None)
            .strip_comments(true)
            .attribute_filter(move |element, attribute, value| {
                enforce(&filter_policy, element, attribute, value)
            });
        HtmlStage {
            policy,
            cleaner,
            attributes,
        }
    }

    /// The policy it enforces.
    pub(crate) fn policy(&self) -> &Arc<Policy> {
        &self.policy
    }

    fn allowed(&self, element: &str, attribute: &str) -> bool {
        GENERIC_ATTRIBUTES.contains(&attribute)
            || self
                .attributes
                .get(element)
                .is_some_and(|a| a.contains(attribute))
    }

    /// Sanitizes `html` under its policy, appending findings. Raw HTML that nests too deep is
    /// shown as text, with a finding.
    pub(crate) fn sanitize(&self, html: &str, findings: &mut Vec<Finding>) -> String {
        self.try_sanitize(html, findings)
            .unwrap_or_else(|limits::TooDeep| {
                findings.push(too_deep());
                // Escaped text has no tag: it cannot be too deep.
                self.try_sanitize(&shown_as_text(html), findings)
                    .unwrap_or_default()
            })
    }

    /// Sanitizes `html` under its policy, appending findings, unless it nests too deep (then
    /// nothing is appended).
    pub(crate) fn try_sanitize(
        &self,
        html: &str,
        findings: &mut Vec<Finding>,
    ) -> Result<String, limits::TooDeep> {
        self.sanitize_settled(html, &self.policy, findings, MAX_PASSES)
    }

    /// [`HtmlStage::try_sanitize`] with at most `extra_passes` passes after the first.
    fn sanitize_settled(
        &self,
        html: &str,
        policy: &Policy,
        findings: &mut Vec<Finding>,
        extra_passes: usize,
    ) -> Result<String, limits::TooDeep> {
        let mut found = Vec::new();
        let (mut out, mut settled) = self.sanitize_within_limits(html, policy, &mut found)?;
        findings.append(&mut found);
        // Serializing a tree and parsing it back does not always give the same tree (nested
        // `<a>`, the parser's limit of three identical open formatting elements, foster
        // parenting, a `<p>` left inside a `<p>` by an unwrapped `<button>`), so one pass is
        // not always a fixpoint. Until a pass has settled, its output is sanitized again (a
        // full pass that removes nothing new); findings come from the first pass.
        for _ in 0..extra_passes {
            if settled {
                break;
            }
            match self.sanitize_within_limits(&out, policy, &mut Vec::new()) {
                Ok(pass) => (out, settled) = pass,
                Err(limits::TooDeep) => break,
            }
        }
        if settled {
            return Ok(out);
        }
        // Never seen: output that still changes after every pass is not trusted; the input is
        // shown as text instead.
        findings.push(
            Finding::new(FindingKind::RemovedElement).detail(
                "raw HTML whose sanitized form does not settle is shown as text".to_string(),
            ),
        );
        Ok(shown_as_text(html))
    }

    /// One pass: parse, judge and report, serialize, clean with ammonia. Also says whether
    /// the pass has settled, that is, whether its output is final:
    ///
    /// - ammonia's output is exactly the judged HTML it was given: then ammonia's own parse of
    ///   that HTML built a tree that serializes to it, which is the tree that was judged (its
    ///   cleaning removes and rewrites, and every element the parser can add on its own, such
    ///   as `<tbody>` or `<p>`, is one it keeps); or
    /// - ammonia removed something, and both the judged HTML and the output read back as
    ///   themselves: ammonia cleaned the very tree that was judged, and a browser builds the
    ///   tree ammonia output (the mXSS guard).
    ///
    /// Otherwise the parser rebuilt the judged tree differently (a host suffix placed after a
    /// link may now follow a copy of it), so what was judged is not what is output.
    fn sanitize_within_limits(
        &self,
        html: &str,
        policy: &Policy,
        findings: &mut Vec<Finding>,
    ) -> Result<(String, bool), limits::TooDeep> {
        let dom = limits::parse_fragment(html)?;
        let root = dom.document.children.borrow().first().cloned();
        let Some(root) = root else {
            return Ok((String::new(), true));
        };
        self.walk(&root, policy, findings);
        let Some(judged) = serialize(&root) else {
            return Ok((String::new(), true));
        };
        drop(dom);
        // ammonia parses the judged HTML again, with no depth bound of its own: it is parsed
        // here first, within the bound (the same parse, so the tree ammonia builds is this
        // one), which also tells whether it reads back as itself.
        let judged_dom = limits::parse_fragment(&judged)?;
        let out = self.cleaner.clean(&judged).to_string();
        let settled =
            out == judged || (serializes_to(&judged_dom, &judged) && reads_back_as_itself(&out));
        Ok((out, settled))
    }

    /// Walks the tree in document order without recursion, judging and reporting.
    fn walk(&self, root: &Handle, policy: &Policy, findings: &mut Vec<Finding>) {
        // One frame per open element: the children still to visit, and those kept so far.
        struct Frame {
            node: Handle,
            queue: VecDeque<Handle>,
            kept: Vec<Handle>,
            /// A clickable link's destination: its text is read once its content is walked.
            clickable: Option<String>,
        }
        let frame = |node: Handle| {
            let queue = std::mem::take(&mut *node.children.borrow_mut()).into();
            Frame {
                queue,
                kept: Vec::new(),
                node,
                clickable: None,
            }
        };
        let is_link = |node: &Handle| matches!(&node.data, NodeData::Element { name, .. } if &*name.local == "a");
        let is_ruby = |node: &Handle| matches!(&node.data, NodeData::Element { name, .. } if &*name.local == "ruby");
        // How many of the open frames are `<ruby>`: an `<rp>` outside one hides its text from
        // view (browsers show it only where ruby is not supported), so it is unwrapped.
        let mut open_ruby = 0usize;
        let mut frames = vec![frame(root.clone())];
        // How many of the open frames are links: a link inside a link cannot be serialized and
        // parsed back to the same tree (each round trip unrolls it further), so it is unwrapped.
        let mut open_links = 0usize;
        while let Some(top) = frames.last_mut() {
            let Some(child) = top.queue.pop_front() else {
                if let Some(done) = frames.pop() {
                    open_links -= usize::from(is_link(&done.node));
                    open_ruby -= usize::from(is_ruby(&done.node));
                    *done.node.children.borrow_mut() = bounded_text(&done.node, done.kept);
                    if let (Some(url), Some(up)) = (done.clickable, frames.last_mut()) {
                        show_real_host(
                            &done.node,
                            &url,
                            &up.node,
                            &mut up.queue,
                            &mut up.kept,
                            findings,
                        );
                    }
                }
                continue;
            };
            let parent = top.node.clone();
            let mut descend = Vec::new();
            let mut clickable = None;
            match &child.data {
                NodeData::Text { contents } => {
                    let mut text = contents.borrow_mut();
                    if let Some(clean) = strip(&text, findings, None) {
                        *text = clean;
                    }
                    top.kept.push(child.clone());
                }
                NodeData::Comment { .. } => findings.push(Finding::new(FindingKind::Comment)),
                NodeData::Element { name, attrs, .. } => {
                    let tag = &*name.local;
                    if name.ns != ns!(html) || REMOVED_WITH_CONTENT.contains(&tag) {
                        report_element(tag, &attrs.borrow(), findings);
                    } else if !TAGS.contains(&tag)
                        || (tag == "a" && open_links > 0)
                        || (tag == "rp" && open_ruby == 0)
                    {
                        // Unwrapped, as ammonia would, but here, before the tree is
                        // serialized: its content is walked in its place, and the HTML that
                        // ammonia parses is already the shape it will output, which keeps the
                        // output a fixpoint (`<p><button><p>` would not be).
                        report_element(tag, &attrs.borrow(), findings);
                        let content = std::mem::take(&mut *child.children.borrow_mut());
                        for c in content.into_iter().rev() {
                            adopt(&parent, &c);
                            top.queue.push_front(c);
                        }
                    } else {
                        self.clean_attributes(tag, &mut attrs.borrow_mut(), policy, findings);
                        if tag == "input" {
                            disabled_checkbox(&mut attrs.borrow_mut());
                        }
                        let replaced = match tag {
                            "a" => match judge_link(
                                &parent,
                                &child,
                                &mut attrs.borrow_mut(),
                                policy,
                                findings,
                            ) {
                                LinkJudged::Kept => None,
                                LinkJudged::Clickable(url) => {
                                    clickable = Some(url);
                                    None
                                }
                                LinkJudged::Replaced(nodes) => Some(nodes),
                            },
                            "img" => {
                                judge_image(&parent, &mut attrs.borrow_mut(), policy, findings)
                            }
                            "span" => own_span(&child, &parent, &mut top.queue, policy, findings),
                            _ => None,
                        };
                        let nodes = replaced.unwrap_or_else(|| vec![child.clone()]);
                        descend.clone_from(&nodes);
                        top.kept.extend(nodes);
                    }
                }
                _ => {}
            }
            // Walk what was kept (a replacement's own nodes too), in document order.
            for node in descend.into_iter().rev() {
                open_links += usize::from(is_link(&node));
                open_ruby += usize::from(is_ruby(&node));
                let mut f = frame(node);
                if Rc::ptr_eq(&f.node, &child) {
                    f.clickable = clickable.take();
                }
                frames.push(f);
            }
        }
    }

    fn clean_attributes(
        &self,
        tag: &str,
        attrs: &mut Vec<Attribute>,
        policy: &Policy,
        findings: &mut Vec<Finding>,
    ) {
        let id_prefix = policy.id_prefix.as_str();
        attrs.retain_mut(|attr| {
            let name = &*attr.name.local;
            if name.starts_with("on") {
                findings.push(
                    Finding::new(FindingKind::EventHandler)
                        .element(tag)
                        .attribute(name),
                );
                return false;
            }
            if !self.allowed(tag, name) {
                let url = URL_ATTRIBUTES
                    .contains(&name)
                    .then(|| attr.value.to_string());
                findings.push(
                    Finding::new(FindingKind::RemovedAttribute)
                        .element(tag)
                        .attribute(name)
                        .url(url, None),
                );
                return false;
            }
            // URLs are judged whole below and never cut: a cut URL is another destination.
            if !matches!(name, "href" | "src" | display::CONFIRM_HREF_ATTRIBUTE) {
                if let Some(clean) = strip(&attr.value, findings, Some((tag, name))) {
                    attr.value = clean;
                }
                // Prefixed here (ammonia's filter would too) so that the length bound below
                // applies to the final value.
                if name == "id" && !attr.value.starts_with(id_prefix) {
                    attr.value = StrTendril::from(format!("{id_prefix}{}", attr.value));
                }
                if attr.value.len() > limits::MAX_NODE_BYTES {
                    let cut = limits::floor_char_boundary(&attr.value, limits::MAX_NODE_BYTES);
                    attr.value = StrTendril::from(&attr.value[..cut]);
                    findings.push(
                        Finding::new(FindingKind::RemovedAttribute)
                            .element(tag)
                            .attribute(name)
                            .detail(format!("cut to {cut} bytes")),
                    );
                }
            }
            if name == display::CONFIRM_HREF_ATTRIBUTE {
                let target = confirm_target(&attr.value, policy);
                if target.is_none() {
                    findings.push(
                        Finding::new(FindingKind::RemovedAttribute)
                            .element(tag)
                            .attribute(name)
                            .url(Some(attr.value.to_string()), None),
                    );
                }
                return match target {
                    Some(t) => {
                        attr.value = StrTendril::from(t.as_str());
                        true
                    }
                    None => false,
                };
            }
            if name == "class" {
                let kept = allowed_classes(tag, &attr.value);
                if kept.as_deref() != Some(&*attr.value) {
                    findings.push(
                        Finding::new(FindingKind::RemovedAttribute)
                            .element(tag)
                            .attribute("class")
                            .detail(attr.value.to_string()),
                    );
                }
                return match kept {
                    Some(k) => {
                        attr.value = StrTendril::from(k.as_str());
                        true
                    }
                    None => false,
                };
            }
            true
        });
    }
}

/// Does `html` parse (as a fragment, the way ammonia and browsers' `innerHTML` parse it) to a
/// tree that serializes to exactly `html`?
fn reads_back_as_itself(html: &str) -> bool {
    limits::parse_fragment(html).is_ok_and(|dom| serializes_to(&dom, html))
}

/// Does the fragment `dom` serialize to exactly `html`?
fn serializes_to(dom: &RcDom, html: &str) -> bool {
    let root = dom.document.children.borrow().first().cloned();
    match root {
        Some(root) => serialize(&root).is_some_and(|s| s == html),
        None => html.is_empty(),
    }
}

/// The children of `root` (a fragment's `<html>`), serialized.
fn serialize(root: &Handle) -> Option<String> {
    let mut out = Vec::new();
    let handle: SerializableHandle = root.clone().into();
    html5ever::serialize::serialize(&mut out, &handle, Default::default()).ok()?;
    String::from_utf8(out).ok()
}

/// Elements a sanitized inline span may consist of (see [`is_inline_fragment`]).
const INLINE: &[&str] = &[
    "a", "abbr", "b", "br", "cite", "code", "del", "dfn", "em", "i", "img", "ins", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var",
    "wbr",
];

/// Can `html`, the output of [`HtmlStage::sanitize`] for an inline span of a paragraph (or a
/// heading, or a table cell), go back into that block as it is?
///
/// [`HtmlStage::sanitize`] guarantees that its output reads back as itself as a fragment. Put
/// inside a block, it still does when it is phrasing content that a parser nests exactly as
/// written in any phrasing context: only the elements in [`INLINE`], no `<a>` inside another
/// (or inside the markdown link the span is in, when `in_link`), no comment, and it starts and
/// ends with a tag, so that no text node joins the text around it. Anything else (a `<p>` or
/// `<div>` that would close the paragraph, say) is not placed back; the caller sanitizes the
/// whole block instead. The check runs html5ever's tokenizer over the sanitized output.
pub(crate) fn is_inline_fragment(html: &str, in_link: bool) -> bool {
    if !(html.starts_with('<') && html.ends_with('>')) {
        return false;
    }
    let sink = limits::tokenize(
        html,
        InlineSink {
            inline: Cell::new(true),
            links: Cell::new(usize::from(in_link)),
        },
    );
    sink.inline.get()
}

struct InlineSink {
    inline: Cell<bool>,
    /// How many `<a>` are open.
    links: Cell<usize>,
}

impl TokenSink for InlineSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let inline = match token {
            Token::TagToken(tag) if !INLINE.contains(&&*tag.name) => false,
            Token::TagToken(tag) if &*tag.name == "a" => match tag.kind {
                TagKind::StartTag => {
                    let open = self.links.get();
                    self.links.set(open + 1);
                    open == 0
                }
                TagKind::EndTag => {
                    self.links.set(self.links.get().saturating_sub(1));
                    true
                }
            },
            Token::TagToken(_)
            | Token::CharacterTokens(_)
            | Token::NullCharacterToken
            | Token::EOFToken => true,
            Token::CommentToken(_) | Token::DoctypeToken(_) | Token::ParseError(_) => false,
        };
        if !inline {
            self.inline.set(false);
        }
        TokenSinkResult::Continue
    }
}

/// Merges adjacent text nodes (as a parser would on reading the serialized tree back) and
/// splits long ones with `<wbr>`, so that no text node is longer than
/// [`limits::MAX_NODE_BYTES`].
///
/// Also drops the newlines that open a `<pre>`: the parser drops a newline right after
/// `<pre>`, and html5ever's serializer does not write the extra one that would preserve it, so
/// they would be lost one per round trip and the output would not be a fixpoint.
fn bounded_text(parent: &Handle, children: Vec<Handle>) -> Vec<Handle> {
    let mut opens_pre =
        matches!(&parent.data, NodeData::Element { name, .. } if &*name.local == "pre");
    let text_len = |node: &Handle| match &node.data {
        NodeData::Text { contents } => Some(contents.borrow().len()),
        _ => None,
    };
    // Most children need nothing: keep them as they are, without rebuilding any node.
    let adjacent_texts = children
        .windows(2)
        .any(|w| text_len(&w[0]).is_some() && text_len(&w[1]).is_some());
    let long_text = children
        .iter()
        .any(|c| text_len(c).is_some_and(|n| n > limits::MAX_NODE_BYTES));
    if !opens_pre && !adjacent_texts && !long_text {
        return children;
    }
    let mut out: Vec<Handle> = Vec::with_capacity(children.len());
    let mut pending = String::new();
    let flush = |pending: &mut String, out: &mut Vec<Handle>| {
        if pending.is_empty() {
            return;
        }
        let text = std::mem::take(pending);
        for (i, chunk) in limits::node_chunks(&text).enumerate() {
            if i > 0 {
                let wbr = element("wbr", vec![]);
                adopt(parent, &wbr);
                out.push(wbr);
            }
            let node = text_node(chunk);
            adopt(parent, &node);
            out.push(node);
        }
    };
    for child in children {
        if let NodeData::Text { contents } = &child.data {
            let contents = contents.borrow();
            let text: &str = &contents;
            pending.push_str(if opens_pre {
                text.trim_start_matches('\n')
            } else {
                text
            });
            opens_pre = opens_pre && pending.is_empty();
        } else {
            opens_pre = false;
            flush(&mut pending, &mut out);
            out.push(child);
        }
    }
    flush(&mut pending, &mut out);
    out
}

/// The finding for raw HTML shown as text because it nests too deep.
pub(crate) fn too_deep() -> Finding {
    Finding::new(FindingKind::NestingLimit).detail(format!(
        "raw HTML nested deeper than {} elements is shown as text",
        limits::MAX_HTML_DEPTH
    ))
}

/// `html` escaped, to be shown as the text it is.
fn shown_as_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len() + html.len() / 8);
    crate::writer::escape_text(&mut text, html);
    text
}

/// Strips invisible characters; `Some` with the cleaned text when anything was removed.
fn strip(s: &str, findings: &mut Vec<Finding>, at: Option<(&str, &str)>) -> Option<StrTendril> {
    let (clean, removed) = text::strip(s);
    if removed == 0 {
        return None;
    }
    let mut f = Finding::invisible(removed);
    if let Some((tag, attr)) = at {
        f = f.element(tag).attribute(attr);
    }
    findings.push(f);
    Some(StrTendril::from(clean.as_ref()))
}

fn report_element(tag: &str, attrs: &[Attribute], findings: &mut Vec<Finding>) {
    let kind = if tag == "script" {
        FindingKind::Script
    } else {
        FindingKind::RemovedElement
    };
    let url = attrs
        .iter()
        .find(|a| URL_ATTRIBUTES.contains(&&*a.name.local))
        .map(|a| a.value.to_string());
    findings.push(Finding::new(kind).element(tag).url(url, None));
    for a in attrs {
        let name = &*a.name.local;
        if name.starts_with("on") {
            findings.push(
                Finding::new(FindingKind::EventHandler)
                    .element(tag)
                    .attribute(name),
            );
        }
    }
}

/// Makes an `<input>` a disabled checkbox, with its attributes in the order the markdown stage
/// writes a task list marker (`disabled`, `type`, then `checked`), so that the output never
/// depends on a hash map's order (ammonia's `set_tag_attribute_value` would add them in one).
fn disabled_checkbox(attrs: &mut Vec<Attribute>) {
    let checked = attrs.iter().any(|a| &*a.name.local == "checked");
    let others: Vec<Attribute> = attrs
        .drain(..)
        .filter(|a| !matches!(&*a.name.local, "disabled" | "type" | "checked"))
        .collect();
    set_attr(attrs, "disabled", "");
    set_attr(attrs, "type", "checkbox");
    if checked {
        set_attr(attrs, "checked", "");
    }
    attrs.extend(others);
}

fn attr_value<'a>(attrs: &'a [Attribute], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| a.value.as_ref())
}

/// Sets an attribute, in place when it exists, else at the end.
fn set_attr(attrs: &mut Vec<Attribute>, name: &str, value: &str) {
    match attrs.iter_mut().find(|a| &*a.name.local == name) {
        Some(a) => a.value = value.into(),
        None => attrs.push(Attribute {
            name: QualName::new(None, ns!(), name.into()),
            value: value.into(),
        }),
    }
}

fn element(name: &str, attrs: Vec<(&str, String)>) -> Handle {
    Node::new(NodeData::Element {
        name: QualName::new(None, ns!(html), name.into()),
        attrs: RefCell::new(
            attrs
                .into_iter()
                .map(|(n, v)| Attribute {
                    name: QualName::new(None, ns!(), n.into()),
                    value: v.into(),
                })
                .collect(),
        ),
        template_contents: RefCell::new(None),
        mathml_annotation_xml_integration_point: false,
    })
}

fn text_node(s: &str) -> Handle {
    Node::new(NodeData::Text {
        contents: RefCell::new(s.into()),
    })
}

fn adopt(parent: &Handle, child: &Handle) {
    child.parent.set(Some(Rc::downgrade(parent)));
}

/// What judging a link did to it.
enum LinkJudged {
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
fn judge_link(
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
fn show_real_host(
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
fn host_span(suffix: &str) -> Handle {
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
fn label_text(node: &Handle) -> Option<String> {
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
fn only_text(node: &Handle) -> Option<String> {
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

/// A `<span>` of the input with one of safemark's own classes or `data-safemark-href`. Input
/// can never write a label or an attribute of safemark's that safemark did not derive itself:
///
/// - an untrusted link's span (or a blocked image's) keeps its class only when it is exactly
///   such a span as safemark writes under the policy for some refused destination (see
///   [`display::refused_span`]); its label is then written again from that destination, and
///   replaces the label after it if that is the same;
/// - every other span loses those classes and `data-safemark-href`, with a finding: a label
///   anywhere else is plain text.
fn own_span(
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
            let mut attrs = attrs.borrow_mut();
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
fn shows_blocked_image(node: &Handle) -> bool {
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
    let dom = limits::parse_fragment(html).ok()?;
    let root = dom.document.children.borrow().first().cloned()?;
    let first = root.children.borrow().first().cloned()?;
    Some(link_views(&first))
}

/// The text of a link as a reader may see it: all of it, and all but what may be hidden from
/// view (an `<rp>`, shown only where ruby is not supported; a closed `<details>` but for its
/// `<summary>`). Both bounded (longer text reads as no URL anyway).
fn link_views(node: &Handle) -> (String, String) {
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
fn judge_image(
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

/// ammonia's attribute filter: the last word on every attribute value that survives.
fn enforce<'v>(
    policy: &Policy,
    element: &str,
    attribute: &str,
    value: &'v str,
) -> Option<Cow<'v, str>> {
    match (element, attribute) {
        ("a", "href") => match urls::judge(value, Purpose::Link, policy) {
            Verdict::Allow(u) | Verdict::Fragment(u) => Some(Cow::Owned(u)),
            Verdict::Deny { .. } => None,
        },
        ("img", "src") => match urls::judge(value, Purpose::Image, policy) {
            Verdict::Allow(u) => Some(Cow::Owned(u)),
            _ => None,
        },
        ("span", display::CONFIRM_HREF_ATTRIBUTE) => confirm_target(value, policy).map(Cow::Owned),
        ("a", "rel") => Some(Cow::Borrowed(display::LINK_REL)),
        ("input", "type") => Some(Cow::Borrowed("checkbox")),
        ("input", "disabled") => Some(Cow::Borrowed("")),
        ("a", "referrerpolicy") => Some(Cow::Borrowed(display::LINK_REFERRER_POLICY)),
        (_, "class") => allowed_classes(element, value).map(Cow::Owned),
        (_, "id") => {
            let prefix = policy.id_prefix.as_str();
            if value.starts_with(prefix) {
                Some(Cow::Borrowed(value))
            } else {
                Some(Cow::Owned(format!("{prefix}{value}")))
            }
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

/// The destination an untrusted link's span may carry for click-time confirmation: only under
/// `"untrusted": "confirm"`, only a merely untrusted, well-formed `http`/`https`/`mailto` URL
/// (as the link judge normalizes it). Anything else is removed.
fn confirm_target(value: &str, policy: &Policy) -> Option<String> {
    if policy.links.untrusted != UntrustedDisplay::Confirm {
        return None;
    }
    // A destination the policy would allow as written can be carried too: a protocol-relative
    // link is refused as relative, and its target is the absolute form.
    match urls::judge(value, Purpose::Link, policy) {
        Verdict::Deny {
            why: Deny::Untrusted,
            url: Some(url),
            ..
        }
        | Verdict::Allow(url) => display::confirmable(&url),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{HtmlStage, MAX_PASSES};
    use crate::policy::Policy;
    use crate::report::FindingKind;

    #[test]
    fn output_that_does_not_settle_is_shown_as_text() {
        // A `<button>` unwrapped inside a link leaves a `<p>` in a `<p>`: the first pass's
        // judged tree is rebuilt by the parser, so it takes a second pass to settle.
        let policy = Arc::new(
            Policy::from_json(r#"{"links": {"allow": ["https://docs.example.com/"]}}"#).unwrap(),
        );
        let stage = HtmlStage::new(policy.clone());
        let html =
            "<p><a href=\"https://docs.example.com/\"><button><span> (evil.example)</span></p>";
        let mut findings = Vec::new();
        let settled = stage
            .sanitize_settled(html, &policy, &mut findings, MAX_PASSES)
            .unwrap();
        assert!(settled.contains("<a href="), "{settled}");
        assert!(!findings
            .iter()
            .any(|f| f.detail.as_deref().is_some_and(|d| d.contains("settle"))));
        // Allowed no second pass, it is not trusted: the input is shown as text.
        let mut findings = Vec::new();
        let unsettled = stage
            .sanitize_settled(html, &policy, &mut findings, 0)
            .unwrap();
        let mut expected = String::new();
        crate::writer::escape_text(&mut expected, html);
        assert_eq!(unsettled, expected);
        assert!(findings
            .iter()
            .any(|f| f.kind == FindingKind::RemovedElement
                && f.detail
                    .as_deref()
                    .is_some_and(|d| d.contains("does not settle"))));
    }
}
