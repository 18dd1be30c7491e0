//! The HTML stage's first pass: a walk over html5ever's tree of the raw HTML that judges and
//! reports before ammonia cleans. Every `a href` and `img src` is judged by the URL judge
//! (untrusted links become inert spans that show where they pointed, blocked images their alt
//! text), a clickable link whose text reads as another host gets the real host shown,
//! safemark's own markup is kept only exactly as safemark writes it, invisible characters are
//! removed, text nodes and attribute values are bounded, and everything the allowlist will
//! remove is reported.

use std::collections::VecDeque;
use std::rc::Rc;

use html5ever::tendril::StrTendril;
use html5ever::{ns, Attribute};
use markup5ever_rcdom::{Handle, NodeData};

use super::dom::*;
use super::links::*;
use super::{confirm_target, HtmlStage};
use crate::allowlist::{allowed_classes, REMOVED_WITH_CONTENT, TAGS, URL_ATTRIBUTES};
use crate::display;
use crate::limits;
use crate::policy::Policy;
use crate::report::{Finding, FindingKind};
use crate::text;

impl HtmlStage {
    /// Walks the tree in document order without recursion, judging and reporting. Long on
    /// purpose: one loop over an explicit stack of frames (no recursion, so no depth limit of
    /// its own), where each element is judged, kept, unwrapped or removed; split up, every
    /// piece would take the whole stack and the frame being built.
    pub(super) fn walk(&self, root: &Handle, policy: &Policy, findings: &mut Vec<Finding>) {
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

    /// Keeps an element's allowed attributes, cleaned and bounded, and reports the others.
    /// Long on purpose: one `retain` pass whose rules (event handlers, the allowlist, classes,
    /// ids, confirmation targets, invisible characters, length) each see the attribute once.
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

/// Strips invisible characters; `Some` with the cleaned text when anything was removed.
pub(super) fn strip(
    s: &str,
    findings: &mut Vec<Finding>,
    at: Option<(&str, &str)>,
) -> Option<StrTendril> {
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

pub(super) fn report_element(tag: &str, attrs: &[Attribute], findings: &mut Vec<Finding>) {
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
pub(super) fn disabled_checkbox(attrs: &mut Vec<Attribute>) {
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
