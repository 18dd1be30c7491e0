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
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use html5ever::tokenizer::{TagKind, Token};
use markup5ever_rcdom::{Handle, RcDom, SerializableHandle};

mod dom;
mod links;
mod walk;

pub(crate) use links::link_views_of;

use crate::allowlist::{
    allowed_classes, GENERIC_ATTRIBUTES, REMOVED_WITH_CONTENT, TAGS, TAG_ATTRIBUTES,
};
use crate::display;
use crate::limits;
use crate::policy::{Policy, UntrustedDisplay};
use crate::report::{Finding, FindingKind};
use crate::urls::{self, Deny, Purpose, Verdict};

/// The longest raw HTML whose line feeds at the start a memo sanitizes apart from the rest
/// (see [`HtmlStage::try_sanitize`]). They join the rest's first text node when it starts
/// with one (after a tag the body ignores: `<td>`), which moves the `<wbr>` that cuts a text
/// node at [`limits::MAX_NODE_BYTES`]; no text node of HTML this long is that long (no
/// character reads as more than three bytes of text: U+0000 as U+FFFD).
const LINE_FEEDS_APART_MAX: usize = limits::MAX_NODE_BYTES / 3;

/// Extra passes allowed for the output to reach a fixpoint (it takes at most one in every
/// case the corpora, properties and fuzzers have found).
const MAX_PASSES: usize = 3;

/// The compiled HTML stage: ammonia configured once.
pub(crate) struct HtmlStage {
    /// The policy it enforces, the one its attribute filter was built with.
    policy: Arc<Policy>,
    cleaner: Arc<ammonia::Builder<'static>>,
    attributes: Arc<HashMap<&'static str, HashSet<&'static str>>>,
    /// Results already computed, for a stream (see [`HtmlStage::with_memo`]).
    memo: Option<Mutex<Memo>>,
    /// Raw HTML nested deeper is shown as text: [`limits::MAX_HTML_DEPTH`], or
    /// [`limits::MAX_HTML_DEPTH_IN_MARKDOWN`] for raw HTML in markdown (see
    /// [`HtmlStage::in_markdown`]).
    max_depth: usize,
}

/// Raw HTML a stream's stage sanitized, with what came out. A stream renders its tail again
/// on many pushes, and the raw HTML in it mostly has not changed (a `<kbd>` span in the
/// paragraph arriving): sanitizing is a function of the HTML and the policy, so an earlier
/// result is that result.
#[derive(Default)]
struct Memo {
    results: HashMap<String, Sanitized>,
    /// Bytes held in `results`, keys and values.
    bytes: usize,
}

/// The memo, locked. It holds finished results only: one left by a panic is still whole.
fn lock(memo: &Mutex<Memo>) -> std::sync::MutexGuard<'_, Memo> {
    memo.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What [`HtmlStage::try_sanitize`] made of some HTML: the output and the findings appended.
type Sanitized = Result<(String, Vec<Finding>), limits::TooDeep>;

/// The largest HTML a memo keeps a result for, and the bytes after which it starts again:
/// a memo is for the small spans and blocks a tail renders again, and costs a stream at most
/// this much memory.
const MEMO_MAX_KEY: usize = 4096;
const MEMO_MAX_BYTES: usize = 256 * 1024;

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
            cleaner: Arc::new(cleaner),
            attributes: Arc::new(attributes),
            memo: None,
            max_depth: limits::MAX_HTML_DEPTH,
        }
    }

    /// The same stage for raw HTML in markdown: it nests at most
    /// [`limits::MAX_HTML_DEPTH_IN_MARKDOWN`] deep, so that with the markdown around it the
    /// output nests at most [`limits::MAX_HTML_DEPTH`] deep.
    pub(crate) fn in_markdown(&self) -> HtmlStage {
        HtmlStage {
            policy: Arc::clone(&self.policy),
            cleaner: Arc::clone(&self.cleaner),
            attributes: Arc::clone(&self.attributes),
            memo: None,
            max_depth: limits::MAX_HTML_DEPTH_IN_MARKDOWN,
        }
    }

    /// The finding for raw HTML shown as text because it nests too deep.
    pub(crate) fn too_deep(&self) -> Finding {
        Finding::new(FindingKind::NestingLimit).detail(format!(
            "raw HTML nested deeper than {} elements is shown as text",
            self.max_depth
        ))
    }

    /// The same stage with a memo of its own: it sanitizes any given HTML once (a stream's).
    pub(crate) fn with_memo(&self) -> HtmlStage {
        HtmlStage {
            policy: Arc::clone(&self.policy),
            cleaner: Arc::clone(&self.cleaner),
            attributes: Arc::clone(&self.attributes),
            memo: Some(Mutex::default()),
            max_depth: self.max_depth,
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
                findings.push(self.too_deep());
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
        let Some(memo) = self.memo.as_ref().filter(|_| html.len() <= MEMO_MAX_KEY) else {
            return self.sanitize_settled(html, &self.policy, findings, MAX_PASSES);
        };
        // A block group after another block begins with the line feed between them (the
        // stream's committed render sanitizes `\n<details>…` where its tail sanitized
        // `<details>…`): line feeds at the start are text before anything can be open, so the
        // result is theirs followed by the rest's (`line_feeds_first_are_kept_as_they_are`),
        // and one result serves both.
        let body = html.trim_start_matches('\n');
        if body.len() < html.len() && html.len() <= LINE_FEEDS_APART_MAX {
            let mut out = html[..html.len() - body.len()].to_string();
            out.push_str(&self.try_sanitize(body, findings)?);
            return Ok(out);
        }
        if let Some(known) = lock(memo).results.get(html) {
            return known.clone().map(|(out, mut found)| {
                findings.append(&mut found);
                out
            });
        }
        let mut found = Vec::new();
        let result = self.sanitize_settled(html, &self.policy, &mut found, MAX_PASSES);
        let mut memo = lock(memo);
        let size = html.len() + result.as_ref().map_or(0, String::len);
        if memo.bytes + size > MEMO_MAX_BYTES {
            *memo = Memo::default();
        }
        memo.bytes += size;
        let kept = result.map(|out| (out, found));
        memo.results.insert(html.to_string(), kept.clone());
        kept.map(|(out, mut found)| {
            findings.append(&mut found);
            out
        })
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
        let dom = limits::parse_fragment(html, self.max_depth)?;
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
        let judged_dom = limits::parse_fragment(&judged, self.max_depth)?;
        let out = self.cleaner.clean(&judged).to_string();
        let settled =
            out == judged || (serializes_to(&judged_dom, &judged) && reads_back_as_itself(&out));
        Ok((out, settled))
    }
}

/// Does `html` parse (as a fragment, the way ammonia and browsers' `innerHTML` parse it) to a
/// tree that serializes to exactly `html`?
fn reads_back_as_itself(html: &str) -> bool {
    limits::parse_fragment(html, limits::MAX_HTML_DEPTH).is_ok_and(|dom| serializes_to(&dom, html))
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
pub(crate) const INLINE: &[&str] = &[
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
    let (mut inline, mut links) = (true, usize::from(in_link));
    limits::tokenize(html, |token| {
        inline &= match token {
            Token::TagToken(tag) if !INLINE.contains(&&*tag.name) => false,
            // A link may not nest.
            Token::TagToken(tag) if &*tag.name == "a" => match tag.kind {
                TagKind::StartTag => {
                    links += 1;
                    links == 1
                }
                TagKind::EndTag => {
                    links = links.saturating_sub(1);
                    true
                }
            },
            Token::TagToken(_)
            | Token::CharacterTokens(_)
            | Token::NullCharacterToken
            | Token::EOFToken => true,
            Token::CommentToken(_) | Token::DoctypeToken(_) | Token::ParseError(_) => false,
        };
    });
    inline
}

/// `html` escaped, to be shown as the text it is.
fn shown_as_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len() + html.len() / 8);
    crate::canonical::escape_text(&mut text, html);
    text
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
        crate::canonical::escape_text(&mut expected, html);
        assert_eq!(unsettled, expected);
        assert!(findings
            .iter()
            .any(|f| f.kind == FindingKind::RemovedElement
                && f.detail
                    .as_deref()
                    .is_some_and(|d| d.contains("does not settle"))));
    }

    /// Line feeds at the start of raw HTML are text that nothing can be open around yet: its
    /// sanitized form is them followed by the rest's, with the rest's findings. A stream's
    /// memo answers both from one result (its committed render sanitizes a group with the
    /// line feed after the block before it, its tail the same group without), so this is
    /// searched over every input of the peers' corpus and safemark's, with the input after
    /// a paragraph and inside an open `<details>`, under the default policy and one that
    /// allows links and images; and the memo's answers are held to the stage without one.
    #[test]
    fn line_feeds_first_are_kept_as_they_are() {
        let policies = [
            "{}",
            r#"{"links": {"allow": ["*"]}, "images": {"allow": ["*"]}}"#,
        ];
        let (mut compared, mut apart) = (0, 0);
        for json in policies {
            let policy = Arc::new(Policy::from_json(json).unwrap());
            let stage = HtmlStage::new(policy.clone());
            let memo = stage.with_memo();
            let sanitized = |html: &str| {
                let mut findings = Vec::new();
                let out = stage.sanitize_settled(html, &policy, &mut findings, MAX_PASSES);
                (out.ok(), findings)
            };
            // HTML just under and just over the bound, so that the memo is held to the stage
            // on both sides of it: long text after a tag the body ignores (which the line
            // feeds join), U+0000 (three bytes of text in a `<textarea>`, none in the body).
            let bound = super::LINE_FEEDS_APART_MAX;
            let around = (bound - 16..bound + 2).flat_map(|n| {
                [
                    format!("<td>\n{}", "a".repeat(n - 5)),
                    format!("<textarea>{}", "\0".repeat(n - 11)),
                    format!("<td>{}", "\0".repeat(n - 5)),
                ]
            });
            for input in crate::limits::corpus_inputs().into_iter().chain(around) {
                for body in [
                    input.clone(),
                    format!("<p>a</p>\n{input}"),
                    format!("<details>\n<summary>s</summary>\n{input}"),
                ] {
                    let (out, findings) = sanitized(&body);
                    for lead in ["\n", "\n\n"] {
                        let html = format!("{lead}{body}");
                        let (lead_out, lead_findings) = sanitized(&html);
                        if html.len() <= bound {
                            assert_eq!(
                                lead_out,
                                out.as_ref().map(|out| format!("{lead}{out}")),
                                "{html:?}"
                            );
                            assert_eq!(lead_findings, findings, "{html:?}");
                            apart += 1;
                        }
                        // The memo, asked first for the rest or first for the whole.
                        for _ in 0..2 {
                            let mut memo_findings = Vec::new();
                            let memo_out = memo.try_sanitize(&html, &mut memo_findings).ok();
                            assert_eq!(memo_out, lead_out, "{html:?}");
                            assert_eq!(memo_findings, lead_findings, "{html:?}");
                        }
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 3_000 && apart > 2_500, "{compared} {apart}");
    }
}
