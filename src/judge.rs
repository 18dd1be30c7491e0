//! The judged-event layer: pulldown-cmark events in, judged events out. This is where the
//! policy's meaning for markdown is decided, once, for every output:
//!
//! - every link, image and footnote destination is judged by the URL judge and carries its
//!   verdict: clickable, inert (a link inside a link), refused with what a reader is shown
//!   instead, or a blocked image with its alt text;
//! - a clickable link whose text reads as another host gets the real host to show
//!   ([`crate::deceptive`]);
//! - GFM's bare URLs become links only where the policy trusts them;
//! - invisible characters are removed from text and attribute values, attribute values are
//!   bounded;
//! - containers nested deeper than `limits.max_nesting` (at most
//!   [`limits::MAX_BLOCK_NESTING`]) are flattened, and so is emphasis nested deeper than
//!   [`limits::MAX_INLINE_NESTING`];
//! - a table row shorter than its header is completed with at most
//!   [`limits::filled_cells`] of the empty cells pulldown-cmark completes it with;
//! - footnotes are numbered in order of first reference, and the notes section is resolved;
//! - every one of these decisions that removes or neutralizes something is a [`Finding`].
//!
//! The consumers — the HTML writer ([`crate::writer`]) and the terminal writer
//! ([`crate::terminal`]) — receive [`Judged`](crate::judged::Judged) events through a [`Consumer`](crate::judged::Consumer) and decide only
//! how things look. Neither calls the URL judge.
//!
//! Each pulldown-cmark event gives exactly one judged event, except text, which a bare URL
//! splits into pieces, an image, whose events are collected into one [`Judged::Image`](crate::judged::Judged::Image) at
//! its end, and the empty cells completing a table row past its bound, which give none.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Tag, TagEnd};

use crate::autolink::find_autolinks;
use crate::display;
use crate::judged::{
    deceptive_finding, Consumer, DeceptiveCheck, Image, ImageOut, Judged, LinkEnd, LinkStart, Note,
};
use crate::limits;
use crate::policy::{Policy, RawHtml};
use crate::report::{Finding, FindingKind};
use crate::text;
use crate::urls::{self, Purpose, Verdict};

mod verdicts;
pub(crate) use verdicts::Verdicts;

struct ImageState {
    verdict: Verdict,
    title: String,
    alt: String,
    depth: usize,
    range: Range<usize>,
}

/// The open clickable link's destination, source and visible text so far.
struct LinkText {
    href: String,
    range: Range<usize>,
    text: String,
    raw: bool,
}

/// The judged-event layer's state: fed pulldown-cmark events one at a time.
pub(crate) struct Judge {
    policy: Arc<Policy>,
    /// Raw HTML is shown as text (policy, or raw HTML nested too deep to parse).
    escape_raw: bool,
    /// Where the input may continue (see [`Judge::set_open_end`]).
    open_end: Option<usize>,
    /// For each open link: how it ends.
    links: Vec<LinkEnd>,
    /// The open clickable link's text (the innermost one that checks it).
    link_text: Option<LinkText>,
    /// Set while an image's alt text is being collected.
    image: Option<ImageState>,
    code_block: bool,
    /// For each open block quote, list or item: whether it is shown.
    containers: Vec<bool>,
    /// How many shown containers are open.
    depth: usize,
    nesting_reported: bool,
    /// For each open emphasis, strong emphasis or strikethrough: whether it is shown.
    inline: Vec<bool>,
    /// How many of those are shown.
    inline_depth: usize,
    inline_nesting_reported: bool,
    /// Footnote numbers, in order of first reference.
    footnotes: HashMap<String, usize>,
    /// The open table body row: where its source ends (the empty cells pulldown-cmark
    /// completes it with stand there) and how many more of them may be written
    /// ([`limits::filled_cells`]).
    row: Option<(usize, usize)>,
    /// A completing cell was left out: its end is too.
    cell_left_out: bool,
    /// A stream's verdicts, shared by the renderers that continue it (see [`Verdicts`]).
    verdicts: Option<Arc<Verdicts>>,
}

impl Judge {
    /// A judge under `policy`; `escape_raw` shows raw HTML as text whatever the policy says.
    pub(crate) fn new(policy: Arc<Policy>, escape_raw: bool) -> Judge {
        // Without the HTML stage, raw HTML is always text.
        let escape_raw =
            escape_raw || policy.raw_html == RawHtml::Escape || !cfg!(feature = "html");
        Judge {
            policy,
            escape_raw,
            open_end: None,
            links: Vec::new(),
            link_text: None,
            image: None,
            code_block: false,
            containers: Vec::new(),
            depth: 0,
            nesting_reported: false,
            inline: Vec::new(),
            inline_depth: 0,
            inline_nesting_reported: false,
            footnotes: HashMap::new(),
            row: None,
            cell_left_out: false,
            verdicts: None,
        }
    }

    /// Judges destinations with `verdicts`, which remembers them (a stream's).
    pub(crate) fn set_verdicts(&mut self, verdicts: Option<Arc<Verdicts>>) {
        self.verdicts = verdicts;
    }

    /// The verdicts it judges with, if it remembers them.
    pub(crate) fn verdicts(&self) -> Option<Arc<Verdicts>> {
        self.verdicts.clone()
    }

    /// What is shown of a refused destination ([`display::refused`]), remembered for a stream.
    fn refused(&self, verdict: &Verdict) -> display::Shown {
        match &self.verdicts {
            Some(verdicts) => verdicts.refused(verdict, &self.policy),
            None => display::refused(verdict, &self.policy),
        }
    }

    /// `raw` judged under the policy ([`urls::judge`]), remembered for a stream.
    fn judge_url(&self, raw: &str, purpose: Purpose) -> Verdict {
        match &self.verdicts {
            Some(verdicts) => verdicts.judge(raw, purpose, &self.policy),
            None => urls::judge(raw, purpose, &self.policy),
        }
    }

    /// Whether raw HTML is shown as text.
    pub(crate) fn escapes_raw_html(&self) -> bool {
        self.escape_raw
    }

    /// Bare URLs that reach `end` in the input are not linked: the URL may still be arriving.
    pub(crate) fn set_open_end(&mut self, end: usize) {
        self.open_end = Some(end);
    }

    /// Where the input may continue, if set.
    pub(crate) fn open_end(&self) -> Option<usize> {
        self.open_end
    }

    /// Footnote numbers already given, so that a document's continuation numbers on.
    pub(crate) fn footnotes(&self) -> &HashMap<String, usize> {
        &self.footnotes
    }

    /// Continues the footnote numbering of another document.
    pub(crate) fn set_footnotes(&mut self, footnotes: HashMap<String, usize>) {
        self.footnotes = footnotes;
    }

    /// Judges one event of the input at `range` and hands the result to `out`.
    pub(crate) fn event(
        &mut self,
        event: &Event<'_>,
        range: &Range<usize>,
        findings: &mut Vec<Finding>,
        out: &mut impl Consumer,
    ) {
        if self.image.is_some() {
            return self.image_event(event, findings, out);
        }
        match event {
            Event::Text(t) => {
                let t = clean(t, range, findings);
                self.link_text_push(&t);
                if self.code_block || !self.links.is_empty() {
                    out.judged(Judged::Text(&t), range, findings);
                } else {
                    self.autolink(&t, range, findings, out);
                }
            }
            Event::Code(t) => {
                let t = clean(t, range, findings);
                self.link_text_push(&t);
                out.judged(Judged::Code(&t), range, findings);
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                let t = clean(t, range, findings);
                self.link_text_push(&t);
                let display = matches!(event, Event::DisplayMath(_));
                out.judged(Judged::Math { tex: &t, display }, range, findings);
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if let Some(link) = &mut self.link_text {
                    link.raw = true;
                }
                if self.escape_raw {
                    let h = clean(h, range, findings);
                    out.judged(Judged::HtmlAsText(&h), range, findings);
                } else {
                    let inline = matches!(event, Event::InlineHtml(_));
                    out.judged(Judged::Html { html: h, inline }, range, findings);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                self.link_text_push(" ");
                out.judged(Judged::Event(event), range, findings);
            }
            Event::FootnoteReference(label) => self.footnote_reference(label, range, findings, out),
            Event::Start(tag) => self.start(event, tag, range, findings, out),
            Event::End(tag) => self.end(event, *tag, range, findings, out),
            _ => out.judged(Judged::Event(event), range, findings),
        }
    }

    fn start(
        &mut self,
        event: &Event<'_>,
        tag: &Tag<'_>,
        range: &Range<usize>,
        findings: &mut Vec<Finding>,
        out: &mut impl Consumer,
    ) {
        match tag {
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let start = self.open_link(*link_type, dest_url, title, range, findings);
                out.judged(Judged::Link(&start), range, findings);
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                let verdict = self.judge_url(dest_url, Purpose::Image);
                let title = clean(title, range, findings).into_owned();
                self.image = Some(ImageState {
                    verdict,
                    title,
                    alt: String::new(),
                    depth: 0,
                    range: range.clone(),
                });
            }
            Tag::CodeBlock(kind) => {
                self.code_block = true;
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_ascii_whitespace().next(),
                    CodeBlockKind::Indented => None,
                };
                // The class as cleaned (invisible characters removed, with a finding) and as
                // the HTML stage keeps it: a language that was nothing but invisible
                // characters writes no class.
                let class = lang.and_then(|lang| {
                    let class = format!("language-{lang}");
                    let class = attribute("code", "class", &class, findings);
                    crate::allowlist::allowed_classes("code", &class)
                });
                out.judged(Judged::CodeBlock(kind, class.as_deref()), range, findings);
            }
            Tag::BlockQuote(_) | Tag::List(_) => {
                let shown = self.open_container(range, findings);
                self.containers.push(shown);
                out.judged(Judged::Container(tag, shown), range, findings);
            }
            Tag::Item => {
                let shown = self.containers.last().copied().unwrap_or(true);
                self.containers.push(shown);
                out.judged(Judged::Container(tag, shown), range, findings);
            }
            Tag::TableRow => {
                self.row = Some((range.end, limits::filled_cells(range.len())));
                out.judged(Judged::Event(event), range, findings);
            }
            Tag::TableCell => match self.cell_written(range) {
                true => out.judged(Judged::Event(event), range, findings),
                false => self.cell_left_out = true,
            },
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough => {
                let shown = self.open_inline(range, findings);
                self.inline.push(shown);
                out.judged(inline(event, shown), range, findings);
            }
            _ => out.judged(Judged::Event(event), range, findings),
        }
    }

    /// Whether a table cell starting at `range` is written: every cell of the source is, and
    /// of the empty cells pulldown-cmark completes a short row with, [`limits::filled_cells`].
    /// Those stand where the row's source ends, and no cell of the source does (there is
    /// none after the last `|`).
    fn cell_written(&mut self, range: &Range<usize>) -> bool {
        match &mut self.row {
            Some((end, left)) if range.is_empty() && range.start >= *end => {
                let written = *left > 0;
                *left = left.saturating_sub(1);
                written
            }
            _ => true,
        }
    }

    /// Whether a block quote or list starting here is shown: it is flattened past
    /// `limits.max_nesting` (at most [`limits::MAX_BLOCK_NESTING`]), with one finding.
    fn open_container(&mut self, range: &Range<usize>, findings: &mut Vec<Finding>) -> bool {
        let max = self
            .policy
            .limits
            .max_nesting
            .min(limits::MAX_BLOCK_NESTING);
        let shown = self.depth < max;
        if shown {
            self.depth += 1;
        } else if !self.nesting_reported {
            self.nesting_reported = true;
            findings.push(
                Finding::new(FindingKind::NestingLimit)
                    .range(Some(range.clone()))
                    .detail(format!(
                        "containers nested deeper than {max} were flattened"
                    )),
            );
        }
        shown
    }

    /// Whether an emphasis, strong emphasis or strikethrough starting here is shown: it is
    /// flattened past [`limits::MAX_INLINE_NESTING`], with one finding.
    fn open_inline(&mut self, range: &Range<usize>, findings: &mut Vec<Finding>) -> bool {
        let shown = self.inline_depth < limits::MAX_INLINE_NESTING;
        if shown {
            self.inline_depth += 1;
        } else if !self.inline_nesting_reported {
            self.inline_nesting_reported = true;
            findings.push(
                Finding::new(FindingKind::NestingLimit)
                    .range(Some(range.clone()))
                    .detail(format!(
                        "emphasis nested deeper than {} was flattened",
                        limits::MAX_INLINE_NESTING
                    )),
            );
        }
        shown
    }

    fn end(
        &mut self,
        event: &Event<'_>,
        tag: TagEnd,
        range: &Range<usize>,
        findings: &mut Vec<Finding>,
        out: &mut impl Consumer,
    ) {
        match tag {
            TagEnd::Link => {
                if let Some(end) = self.links.pop() {
                    let end = match end {
                        LinkEnd::Clickable(_) => LinkEnd::Clickable(self.take_link_text()),
                        end => end,
                    };
                    out.judged(Judged::LinkEnd(end), range, findings);
                }
            }
            TagEnd::CodeBlock => {
                self.code_block = false;
                out.judged(Judged::Event(event), range, findings);
            }
            TagEnd::TableCell if std::mem::take(&mut self.cell_left_out) => {}
            TagEnd::TableRow => {
                self.row = None;
                out.judged(Judged::Event(event), range, findings);
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                let shown = self.inline.pop().unwrap_or(true);
                if shown {
                    self.inline_depth = self.inline_depth.saturating_sub(1);
                }
                out.judged(inline(event, shown), range, findings);
            }
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item => {
                let shown = self.containers.pop().unwrap_or(true);
                if shown && !matches!(tag, TagEnd::Item) {
                    self.depth = self.depth.saturating_sub(1);
                }
                out.judged(Judged::ContainerEnd(tag, shown), range, findings);
            }
            _ => out.judged(Judged::Event(event), range, findings),
        }
    }

    /// The check of the clickable link that just ended (a link inside it that was only
    /// text has none of its own).
    fn take_link_text(&mut self) -> DeceptiveCheck {
        match self.link_text.take() {
            Some(link) => DeceptiveCheck {
                href: Some(link.href),
                range: link.range,
                text: link.text,
                raw: link.raw,
            },
            None => DeceptiveCheck::none(),
        }
    }

    fn footnote_reference(
        &mut self,
        label: &str,
        range: &Range<usize>,
        findings: &mut Vec<Finding>,
        out: &mut impl Consumer,
    ) {
        // Numbered in order of first reference, as GitHub numbers them; the first reference
        // is where the footnote's back-link returns to.
        let first = !self.footnotes.contains_key(label);
        let next = self.footnotes.len() + 1;
        let number = *self.footnotes.entry(label.to_string()).or_insert(next);
        let prefix = self.policy.id_prefix.as_str();
        let target = format!("#{prefix}fn-{label}");
        let link = match self.judge_url(&target, Purpose::Link) {
            Verdict::Fragment(href) if !self.in_anchor() => {
                let id = format!("{prefix}fnref-{label}");
                let id = attribute("a", "id", &id, findings).into_owned();
                Some((href, first.then_some(id)))
            }
            _ => None,
        };
        let judged = Judged::FootnoteReference {
            label,
            number,
            link: link.as_ref().map(|(h, id)| (h.as_str(), id.as_deref())),
        };
        out.judged(judged, range, findings);
        self.link_text_push(&number.to_string());
    }

    /// Is a clickable link open?
    fn in_anchor(&self) -> bool {
        self.links
            .iter()
            .any(|l| matches!(l, LinkEnd::Clickable(_)))
    }

    fn open_link(
        &mut self,
        link_type: LinkType,
        dest: &str,
        title: &str,
        range: &Range<usize>,
        findings: &mut Vec<Finding>,
    ) -> LinkStart {
        let dest = match link_type {
            LinkType::Email => Cow::Owned(format!("mailto:{dest}")),
            _ => Cow::Borrowed(dest),
        };
        let (title, _) = text::strip(title);
        let title = attribute("a", "title", &title, findings).into_owned();
        let verdict = self.judge_url(&dest, Purpose::Link);
        match verdict {
            Verdict::Allow(href) if self.in_anchor() => {
                self.links.push(LinkEnd::Inert);
                LinkStart::Inert {
                    href,
                    external: true,
                }
            }
            Verdict::Fragment(href) if self.in_anchor() => {
                self.links.push(LinkEnd::Inert);
                LinkStart::Inert {
                    href,
                    external: false,
                }
            }
            Verdict::Allow(href) => {
                self.link_text = Some(LinkText {
                    href: href.clone(),
                    range: range.clone(),
                    text: String::new(),
                    raw: false,
                });
                self.links.push(LinkEnd::Clickable(DeceptiveCheck::none()));
                LinkStart::Clickable {
                    href,
                    title,
                    external: true,
                }
            }
            Verdict::Fragment(href) => {
                self.links.push(LinkEnd::Clickable(DeceptiveCheck::none()));
                LinkStart::Clickable {
                    href,
                    title,
                    external: false,
                }
            }
            Verdict::Deny { .. } => {
                if let Some(f) = Finding::refused(&verdict, "a", "href") {
                    findings.push(f.range(Some(range.clone())));
                }
                let shown = self.refused(&verdict);
                self.links.push(LinkEnd::Refused(shown.suffix.clone()));
                LinkStart::Refused { shown, verdict }
            }
        }
    }

    /// Collects an image's alt text; judges the image at its end.
    fn image_event(
        &mut self,
        event: &Event<'_>,
        findings: &mut Vec<Finding>,
        out: &mut impl Consumer,
    ) {
        let Some(image) = self.image.as_mut() else {
            return;
        };
        match event {
            Event::Start(Tag::Image { .. }) => image.depth += 1,
            Event::End(TagEnd::Image) if image.depth > 0 => image.depth -= 1,
            Event::End(TagEnd::Image) => {
                if let Some(image) = self.image.take() {
                    let range = image.range.clone();
                    let judged = self.judge_image(image, findings);
                    out.judged(Judged::Image(&judged), &range, findings);
                }
            }
            Event::Text(t)
            | Event::Code(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t)
            | Event::InlineHtml(t)
            | Event::Html(t) => image.alt.push_str(t),
            Event::SoftBreak | Event::HardBreak => image.alt.push('\n'),
            _ => {}
        }
    }

    fn judge_image(&mut self, image: ImageState, findings: &mut Vec<Finding>) -> Image {
        let (alt, removed) = text::strip(&image.alt);
        if removed > 0 {
            findings.push(
                Finding::invisible(removed)
                    .element("img")
                    .attribute("alt")
                    .range(Some(image.range.clone())),
            );
        }
        let out = match &image.verdict {
            Verdict::Allow(src) => {
                let alt = attribute("img", "alt", &alt, findings).into_owned();
                let title = attribute("img", "title", &image.title, findings).into_owned();
                ImageOut::Shown {
                    src: src.clone(),
                    alt,
                    title,
                }
            }
            verdict => {
                if let Some(f) = Finding::refused(verdict, "img", "src") {
                    findings.push(f.range(Some(image.range.clone())));
                }
                let shown = self.refused(verdict);
                let text = display::blocked_image_text(&alt);
                // What a reader sees of the link's text (and what sanitizing again reads).
                self.link_text_push(&text);
                ImageOut::Blocked {
                    title: shown.title,
                    text,
                }
            }
        };
        Image {
            alt: alt.into_owned(),
            out,
        }
    }

    /// Collects the visible text of the open clickable link (bounded: longer text is no URL).
    fn link_text_push(&mut self, t: &str) {
        if let Some(link) = &mut self.link_text {
            if link.text.len() <= limits::MAX_URL_BYTES {
                link.text.push_str(t);
            }
        }
    }

    /// GFM's bare-URL autolinks: `https://…` in text becomes a link only where the policy
    /// trusts it; otherwise it stays plain text.
    fn autolink(
        &mut self,
        t: &str,
        range: &Range<usize>,
        findings: &mut Vec<Finding>,
        out: &mut impl Consumer,
    ) {
        let mut last = 0;
        for (start, end, kind) in find_autolinks(t) {
            if self.open_end.is_some_and(|e| range.end >= e)
                && !t[end..].contains(char::is_whitespace)
            {
                // The URL may still be arriving.
                break;
            }
            let destination = kind.destination(&t[start..end]);
            if let Verdict::Allow(url) = self.judge_url(&destination, Purpose::Link) {
                out.judged(Judged::Text(&t[last..start]), range, findings);
                // Its text is its URL, which can still read as another host (an
                // internationalized one always does).
                let text = &t[start..end];
                let host = crate::deceptive::deceptive(&[text, text], &url);
                if let Some(host) = &host {
                    findings.push(deceptive_finding(url.clone(), host, range.clone()));
                }
                let judged = Judged::Autolink {
                    href: &url,
                    text,
                    host,
                };
                out.judged(judged, range, findings);
                last = end;
            }
        }
        out.judged(Judged::Text(&t[last..]), range, findings);
    }

    /// The footnotes section: every referenced definition of `definitions` (label → body),
    /// in order of first reference, with the `id` of its item and its link back; definitions
    /// never referenced are left out.
    pub(crate) fn notes(
        &self,
        definitions: HashMap<String, String>,
        findings: &mut Vec<Finding>,
    ) -> Vec<Note> {
        let mut notes: Vec<(usize, String, String)> = definitions
            .into_iter()
            .filter_map(|(label, body)| Some((*self.footnotes.get(&label)?, label, body)))
            .collect();
        notes.sort_by_key(|n| n.0);
        let prefix = self.policy.id_prefix.as_str();
        notes
            .into_iter()
            .map(|(_, label, body)| {
                // The id and the back-link as the reference writes them: cleaned like any
                // attribute, the fragment judged (a label with invisible characters has none).
                let id = format!("{prefix}fn-{label}");
                let id = attribute("li", "id", &id, findings).into_owned();
                let target = format!("#{prefix}fnref-{label}");
                let backref = match self.judge_url(&target, Purpose::Link) {
                    Verdict::Fragment(href) => Some(href),
                    _ => None,
                };
                Note { id, backref, body }
            })
            .collect()
    }
}

/// An emphasis, strong emphasis or strikethrough start or end: as it is when shown, else
/// [`Judged::Flattened`].
fn inline<'e>(event: &'e Event<'e>, shown: bool) -> Judged<'e> {
    if shown {
        Judged::Event(event)
    } else {
        Judged::Flattened
    }
}

/// Removes invisible characters, with a finding.
fn clean<'t>(s: &'t str, range: &Range<usize>, findings: &mut Vec<Finding>) -> Cow<'t, str> {
    let (cleaned, removed) = text::strip(s);
    if removed > 0 {
        findings.push(Finding::invisible(removed).range(Some(range.clone())));
    }
    cleaned
}

/// An attribute value (not a URL) as the HTML stage bounds it: invisible characters
/// removed, cut to [`limits::MAX_NODE_BYTES`], each with a finding.
fn attribute<'t>(
    element: &str,
    name: &str,
    value: &'t str,
    findings: &mut Vec<Finding>,
) -> Cow<'t, str> {
    let (mut value, removed) = text::strip(value);
    if removed > 0 {
        findings.push(Finding::invisible(removed).element(element).attribute(name));
    }
    if value.len() > limits::MAX_NODE_BYTES {
        let cut = limits::floor_char_boundary(&value, limits::MAX_NODE_BYTES);
        value = Cow::Owned(value[..cut].to_string());
        findings.push(
            Finding::new(FindingKind::RemovedAttribute)
                .element(element)
                .attribute(name)
                .detail(format!("cut to {cut} bytes")),
        );
    }
    value
}
