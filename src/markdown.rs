//! The markdown stage: pulldown-cmark events in, safe HTML out, with every destination judged.
//!
//! The document is handled one top-level block at a time (a paragraph, a heading, a list, a
//! table, a code block, a block of raw HTML):
//!
//! - A block without raw HTML is written here, by an event filter in pulldown-cmark's style,
//!   from escaped text and policy-judged URLs, in the canonical form of [`crate::writer`]. It
//!   needs no parser and no sanitizer: nothing in it came from the input except text, which is
//!   escaped, and destinations, which the URL judge has allowed (or replaced with inert text).
//! - A block that contains raw HTML (inline tags in a paragraph, an HTML block) is written the
//!   same way with its raw HTML left in, and the whole block goes through the HTML stage
//!   (ammonia), so every byte of raw HTML is sanitized. Blocks that an open tag spans (a
//!   `<details>` around markdown, say) are grouped and sanitized together, and so are
//!   consecutive blocks with raw HTML. The grouping only decides what is parsed together; each
//!   group is sanitized as a whole, so a wrong guess can change layout, never safety.
//!
//! Under `raw_html: "escape"` raw HTML is written as text and nothing needs the HTML stage.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeWithOffset,
};

use crate::display;
use crate::html::{self, HtmlStage};
use crate::limits::{self, Depth};
use crate::policy::{Policy, RawHtml};
use crate::report::{Finding, FindingKind};
use crate::text;
use crate::urls::{self, Purpose, Verdict};
use crate::writer::HtmlWriter;

/// The CommonMark + GFM dialect models write.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// Consecutive top-level blocks with raw HTML, written in place, waiting to be sanitized
/// together.
struct Group {
    /// Where the group's HTML starts in the output: the newline that ended the output before
    /// it is included, since it is text that the group's first text would join when parsed.
    start: usize,
    /// The input the group was written from.
    source: Range<usize>,
    /// How many findings there were before it.
    findings: usize,
    /// How its raw HTML nests.
    depth: Depth,
}

/// Renders `input` to safe HTML, with its findings.
pub(crate) fn render(
    input: &str,
    policy: &Arc<Policy>,
    stage: &Arc<HtmlStage>,
) -> (String, Vec<Finding>) {
    render_after(&bare_cr_as_lf(input), policy, stage, "", true)
}

/// `input` with every bare CR (one not followed by LF) read as LF. CommonMark ends a line with
/// LF, CR or CRLF, but pulldown-cmark does not end every construct at a bare CR (a fence's info
/// string runs on past it: "```\rabc" is a fence of language `abc`), so a stream cut at line
/// ends would disagree with the batch parse. One byte for one, so byte ranges are unchanged.
pub(crate) fn bare_cr_as_lf(input: &str) -> Cow<'_, str> {
    if !input.contains('\r') {
        return Cow::Borrowed(input);
    }
    let bytes = input.as_bytes();
    let mut out = String::with_capacity(input.len());
    let mut from = 0;
    for (i, _) in input.match_indices('\r') {
        if bytes.get(i + 1) != Some(&b'\n') {
            out.push_str(&input[from..i]);
            out.push('\n');
            from = i + 1;
        }
    }
    out.push_str(&input[from..]);
    Cow::Owned(out)
}

/// Renders `input` after `lead`, text already in the output that its first text joins.
/// `spans`: whether raw inline HTML may be sanitized in inline spans (the tests compare with
/// sanitizing whole blocks).
fn render_after(
    input: &str,
    policy: &Arc<Policy>,
    stage: &Arc<HtmlStage>,
    lead: &str,
    spans: bool,
) -> (String, Vec<Finding>) {
    Renderer::new(Arc::clone(policy), Arc::clone(stage), lead, spans).render(input)
}

/// The markdown stage as a state machine fed one event at a time, so that a document can be
/// rendered in one go ([`render`]) or as it arrives (`crate::stream`), with the same output.
pub(crate) struct Renderer {
    filter: Filter,
    /// Output positions are only needed for groups; taking one ends the current text run, and
    /// under `raw_html: "escape"` an HTML block's text continues the run across blocks.
    groups: bool,
    spans: bool,
    group: Option<Group>,
    /// Where the current top-level block starts: in the output, in the input, in the findings.
    block: Option<(usize, usize, usize)>,
    /// From this input offset on, every block with raw HTML is sanitized on its own.
    isolate_from: Option<usize>,
    /// Events before this input offset are a prelude, not fed (see [`Renderer::render`]).
    prelude: usize,
    /// The text written before the document (see [`render_after`]).
    lead: String,
    /// The footnote numbering it started from (see [`Renderer::set_footnotes`]).
    first_footnotes: HashMap<String, usize>,
}

impl Renderer {
    pub(crate) fn new(
        policy: Arc<Policy>,
        stage: Arc<HtmlStage>,
        lead: &str,
        spans: bool,
    ) -> Renderer {
        let groups = policy.raw_html == RawHtml::Sanitize;
        let mut filter = Filter::new(policy, stage);
        filter.w.text(lead);
        Renderer {
            filter,
            groups,
            spans,
            group: None,
            block: None,
            isolate_from: None,
            prelude: 0,
            lead: lead.to_string(),
            first_footnotes: HashMap::new(),
        }
    }

    /// A renderer set up as this one was when it was made, to write the document again.
    fn fresh(&self) -> Renderer {
        let mut again = Renderer::new(
            Arc::clone(&self.filter.policy),
            Arc::clone(&self.filter.stage),
            &self.lead,
            self.spans,
        );
        again.set_footnotes(self.first_footnotes.clone());
        again.filter.open_end = self.filter.open_end;
        again.prelude = self.prelude;
        again
    }

    /// Renders the whole of `text` (but its prelude, see [`Renderer::set_prelude`]).
    pub(crate) fn render(mut self, text: &str) -> (String, Vec<Finding>) {
        let parser = TextMergeWithOffset::new(Parser::new_ext(text, options()).into_offset_iter());
        self.filter.w.reserve(text.len() + text.len() / 2);
        for (event, range) in parser {
            if range.start >= self.prelude {
                self.event(&event, range, text);
            }
        }
        self.finish(text)
    }

    /// The first `len` bytes of what [`Renderer::render`] is given only define references
    /// (the stream's prelude): their events are not rendered.
    pub(crate) fn set_prelude(&mut self, len: usize) {
        self.prelude = len;
    }

    /// Bare URLs that reach `end` in the input are not linked: the URL may still be arriving.
    pub(crate) fn set_open_end(&mut self, end: usize) {
        self.filter.open_end = Some(end);
    }

    /// Footnote numbers already given, so that a document's continuation numbers on.
    pub(crate) fn footnotes(&self) -> &HashMap<String, usize> {
        &self.filter.footnotes
    }

    /// Continues the footnote numbering of another renderer.
    pub(crate) fn set_footnotes(&mut self, footnotes: HashMap<String, usize>) {
        self.first_footnotes.clone_from(&footnotes);
        self.filter.footnotes = footnotes;
    }

    /// One event of `input` (its range indexes `input`).
    pub(crate) fn event(&mut self, event: &Event, range: Range<usize>, input: &str) {
        let filter = &mut self.filter;
        if self.block.is_none() {
            // Inside an open tag of a block group the whole block is sanitized with the group
            // anyway.
            filter.whole_block =
                !self.spans || self.group.as_ref().is_some_and(|g| g.depth.open > 0);
        }
        let groups = self.groups;
        let (out_start, src_start, findings_start) = *self.block.get_or_insert_with(|| {
            let at = if groups { filter.w.len() } else { 0 };
            (at, range.start, filter.findings.len())
        });
        filter.event(event, &range);
        // `nest` is 0 between top-level blocks.
        if filter.nest > 0 {
            return;
        }
        // The block is complete.
        self.block = None;
        filter.abort_span();
        filter.whole_block = false;
        let raw = filter.raw.take();
        if raw.is_some() || self.group.as_ref().is_some_and(|g| g.depth.open > 0) {
            let g = self.group.get_or_insert_with(|| Group {
                start: filter.w.trimmed_len(out_start),
                source: src_start..range.end,
                findings: findings_start,
                depth: Depth::default(),
            });
            g.source.end = range.end;
            if let Some(raw) = raw {
                g.depth = limits::open_elements(&raw, g.depth.open).max_with(g.depth);
            }
            if self.isolate_from.is_some_and(|from| g.source.start >= from) {
                if let Some(g) = self.group.take() {
                    filter.flush_group(g, input, None);
                }
            }
        } else if let Some(g) = self.group.take() {
            filter.flush_group(g, input, Some((out_start, findings_start)));
        }
    }

    /// How much of the output and of the findings is final, between top-level blocks: all
    /// but an open block group and the line feeds at the end (a group may take them in).
    pub(crate) fn settled(&self) -> (usize, usize) {
        match &self.group {
            Some(g) => (g.start, g.findings),
            None => (
                self.filter.w.written().trim_end_matches('\n').len(),
                self.filter.findings.len(),
            ),
        }
    }

    /// Where the input of an open block group starts, if one is open.
    pub(crate) fn open_group_source(&self) -> Option<usize> {
        self.group.as_ref().map(|g| g.source.start)
    }

    /// The output written so far (final up to [`Renderer::settled`]).
    pub(crate) fn written(&self) -> &str {
        self.filter.w.written()
    }

    /// The findings so far (final up to [`Renderer::settled`]).
    pub(crate) fn findings(&self) -> &[Finding] {
        &self.filter.findings
    }

    /// Ends the document (`input`: all of it).
    ///
    /// An element left open to the end (`<details>` mentioned in prose, a `<div>` never
    /// closed) would make its block group take in every later block: they would be parsed
    /// inside it, folded into a closed `<details>` or worse. Then the document is written again
    /// with every block from that group's on sanitized on its own, so that an unclosed element
    /// closes at the end of the block it opened in. What comes before is the same (a stream
    /// never commits an open group), and so is the cost: one more pass at most.
    pub(crate) fn finish(mut self, input: &str) -> (String, Vec<Finding>) {
        if let Some(g) = self.group.take() {
            if g.depth.open > 0 && self.isolate_from.is_none() {
                let mut again = self.fresh();
                again.isolate_from = Some(g.source.start);
                return again.render(input);
            }
            self.filter.flush_group(g, input, None);
        }
        self.filter.write_footnotes();
        (self.filter.w.take(), self.filter.findings)
    }
}

struct ImageState {
    verdict: Verdict,
    title: String,
    alt: String,
    depth: usize,
    range: Range<usize>,
}

struct TableState {
    aligns: Vec<Alignment>,
    cell: usize,
    in_head: bool,
    body: bool,
}

/// Raw inline HTML in a paragraph (or a heading, or a table cell) that is sanitized on its
/// own: from a start tag to where the raw tags it opened are closed, written in place.
struct Span {
    /// Where it starts in the output.
    start: usize,
    /// The input it was written from.
    source: Range<usize>,
    /// How many markdown tags were open where it started: a markdown tag it did not open may
    /// not end inside it.
    nest: usize,
    /// How its raw HTML nests.
    depth: Depth,
    /// Its raw HTML.
    raw: String,
    /// Whether it is inside a markdown link.
    in_link: bool,
}

/// What ends an open link.
enum Closer {
    Link,
    /// A link inside a link (an autolink in a link's text, say): an `<a>` inside an `<a>`
    /// does not read back as itself, so only its text is written.
    Inert,
    /// An untrusted link's span, then what shows where it pointed.
    Span(Option<String>),
}

struct Filter {
    policy: Arc<Policy>,
    stage: Arc<HtmlStage>,
    findings: Vec<Finding>,
    /// Where the input may continue (see [`Renderer::set_open_end`]).
    open_end: Option<usize>,
    w: HtmlWriter,
    /// The raw HTML of the current top-level block that its block group must sanitize, when
    /// it has any.
    raw: Option<String>,
    /// The open inline span of raw HTML.
    span: Option<Span>,
    /// Set when the current top-level block's raw HTML could not be sanitized in inline spans:
    /// all of its raw HTML goes to the block group.
    whole_block: bool,
    /// How many markdown tags are open.
    nest: usize,
    /// Raw HTML is written as text (policy, or raw HTML nested too deep to parse).
    escape_raw: bool,
    link_closers: Vec<Closer>,
    /// Set while an image's alt text is being collected.
    image: Option<ImageState>,
    code_block: bool,
    /// For each open block quote, list or item: whether its tags were written.
    containers: Vec<bool>,
    /// How many written containers are open.
    depth: usize,
    nesting_reported: bool,
    footnotes: HashMap<String, usize>,
    /// The footnote definition being written: its label, where its HTML starts, its input,
    /// and how much raw HTML its top-level block had before it.
    definition: Option<(String, usize, Range<usize>, usize)>,
    /// Footnote definitions written so far (the first of each label), for the end.
    definitions: HashMap<String, String>,
    table: Option<TableState>,
    /// The open clickable link's destination, source and visible text so far: a link whose
    /// text reads as another host gets the real host shown after it.
    link_text: Option<LinkText>,
}

struct LinkText {
    href: String,
    range: Range<usize>,
    text: String,
    /// Where the link's `<a>` starts in the output.
    start: usize,
    /// Whether its content has raw HTML (which may hide some of its text).
    raw: bool,
}

impl Filter {
    fn new(policy: Arc<Policy>, stage: Arc<HtmlStage>) -> Self {
        let escape_raw = policy.raw_html == RawHtml::Escape;
        Filter {
            policy,
            stage,
            findings: Vec::new(),
            open_end: None,
            w: HtmlWriter::default(),
            raw: None,
            span: None,
            whole_block: false,
            nest: 0,
            escape_raw,
            link_closers: Vec::new(),
            image: None,
            code_block: false,
            containers: Vec::new(),
            depth: 0,
            nesting_reported: false,
            footnotes: HashMap::new(),
            definition: None,
            definitions: HashMap::new(),
            table: None,
            link_text: None,
        }
    }

    /// Sanitizes a group of blocks with raw HTML, written from `group.start` on, with the HTML
    /// stage. `after` is where a block written after the group starts (in the output and in
    /// the findings), if there is one.
    fn flush_group(&mut self, group: Group, input: &str, after: Option<(usize, usize)>) {
        let (out_end, findings_end) = after.unwrap_or((self.w.len(), self.findings.len()));
        let mut written = self.w.split_off(group.start);
        let following = written.split_off(out_end - group.start);
        let following_findings = self.findings.split_off(findings_end);
        let written = show_unclosed_comment(written);
        let mut found = Vec::new();
        match self.stage.try_sanitize(&written, &mut found) {
            Ok(html) => {
                // Raw HTML's findings are located by the blocks they come from.
                for f in &mut found {
                    f.range.get_or_insert_with(|| group.source.clone().into());
                }
                self.findings.extend(found);
                self.w.raw(&html);
            }
            Err(limits::TooDeep) => {
                // Too deep to parse in linear time: these blocks are written again, from their
                // own input, with their raw HTML as text.
                self.findings.truncate(group.findings);
                let mut escaping = (*self.policy).clone();
                escaping.raw_html = RawHtml::Escape;
                let lead = written.len() - written.trim_start_matches('\n').len();
                let (out, found) = render_after(
                    &input[group.source.clone()],
                    &Arc::new(escaping),
                    &self.stage,
                    &written[..lead],
                    true,
                );
                for mut f in found {
                    if let Some(r) = &mut f.range {
                        r.start += group.source.start;
                        r.end += group.source.start;
                    }
                    self.findings.push(f);
                }
                self.findings.push(html::too_deep());
                self.w.raw(&out);
            }
        }
        self.w.raw(&following);
        self.findings.extend(following_findings);
    }

    /// Raw inline HTML: it opens an inline span, or continues the open one; the span is
    /// sanitized where its raw tags are balanced again.
    fn inline_html(&mut self, h: &str, range: &Range<usize>) {
        if self.span.is_none() {
            let starts_with_tag =
                h.len() > 1 && h.starts_with('<') && h.as_bytes()[1].is_ascii_alphabetic();
            if !starts_with_tag {
                // An end tag or a comment first: the whole block is parsed together.
                self.whole_block = true;
                self.w.raw(h);
                self.raw.get_or_insert_with(String::new).push_str(h);
                return;
            }
            self.span = Some(Span {
                start: self.w.len(),
                source: range.clone(),
                nest: self.nest,
                depth: Depth::default(),
                raw: String::new(),
                in_link: !self.link_closers.is_empty(),
            });
        }
        self.w.raw(h);
        let Some(span) = self.span.as_mut() else {
            return;
        };
        span.raw.push_str(h);
        span.source.end = range.end;
        span.depth = limits::open_elements(h, span.depth.open).max_with(span.depth);
        if span.depth.open == 0 {
            self.close_span();
        }
    }

    /// Sanitizes the open span on its own, if what comes out can stand in the block it is
    /// in; otherwise the block is sanitized whole. A span in which a markdown tag opened that
    /// is still open (`<a>_</a>_`: emphasis started inside the raw `<a>` and ends after it)
    /// cannot be sanitized on its own: its closing tag would be written after the span.
    fn close_span(&mut self) {
        let Some(span) = self.span.take() else {
            return;
        };
        if self.nest == span.nest {
            let written = self.w.split_off(span.start);
            let mut found = Vec::new();
            let html = self.stage.try_sanitize(&written, &mut found);
            if let Some(html) = html
                .ok()
                .filter(|h| html::is_inline_fragment(h, span.in_link))
            {
                for f in &mut found {
                    f.range.get_or_insert_with(|| span.source.clone().into());
                }
                self.findings.extend(found);
                self.w.raw(&html);
                return;
            }
            self.w.raw(&written);
        }
        self.span = Some(span);
        self.abort_span();
    }

    /// Gives up the open span, if there is one: its raw HTML, still in the output as it
    /// came, goes to the block group with the rest of the block's.
    fn abort_span(&mut self) {
        if let Some(span) = self.span.take() {
            self.whole_block = true;
            self.raw.get_or_insert_with(String::new).push_str(&span.raw);
        }
    }

    /// GFM's tagfilter, widened to every element the HTML stage removes with its content: a
    /// tag of one of them in raw HTML is shown as text (its `<` written as `&lt;`), with a
    /// finding. A model that mentions `<textarea>` in prose, or leaves a `<style>` open, then
    /// loses nothing after it; a `<script>` shows as the text it is and never runs.
    fn tagfilter<'h>(&mut self, h: &'h str, range: &Range<usize>) -> Cow<'h, str> {
        let tags = filtered_tags(h);
        if tags.is_empty() {
            return Cow::Borrowed(h);
        }
        let mut out = String::with_capacity(h.len() + 3 * tags.len());
        let mut last = 0;
        for (at, name, end) in tags {
            out.push_str(&h[last..at]);
            out.push_str("&lt;");
            last = at + 1;
            if !end {
                let kind = if name == "script" {
                    FindingKind::Script
                } else {
                    FindingKind::RemovedElement
                };
                self.findings.push(
                    Finding::new(kind)
                        .element(name)
                        .range(Some(range.clone()))
                        .detail("shown as text (tagfilter)".to_string()),
                );
            }
        }
        out.push_str(&h[last..]);
        Cow::Owned(out)
    }

    /// Removes invisible characters, with a finding.
    fn clean<'t>(&mut self, s: &'t str, range: &Range<usize>) -> Cow<'t, str> {
        let (cleaned, removed) = text::strip(s);
        if removed > 0 {
            self.findings
                .push(Finding::invisible(removed).range(Some(range.clone())));
        }
        cleaned
    }

    /// An attribute value (not a URL) as the HTML stage bounds it: invisible characters
    /// removed, cut to [`limits::MAX_NODE_BYTES`], each with a finding.
    fn attribute<'t>(&mut self, element: &str, name: &str, value: &'t str) -> Cow<'t, str> {
        let (mut value, removed) = text::strip(value);
        if removed > 0 {
            self.findings
                .push(Finding::invisible(removed).element(element).attribute(name));
        }
        if value.len() > limits::MAX_NODE_BYTES {
            let cut = limits::floor_char_boundary(&value, limits::MAX_NODE_BYTES);
            value = Cow::Owned(value[..cut].to_string());
            self.findings.push(
                Finding::new(FindingKind::RemovedAttribute)
                    .element(element)
                    .attribute(name)
                    .detail(format!("cut to {cut} bytes")),
            );
        }
        value
    }

    /// A block-level start tag on a line of its own, as pulldown-cmark writes it.
    fn block_start(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.w.newline();
        self.w.start(tag, attrs);
    }

    fn block_end(&mut self, tag: &str) {
        self.w.end(tag);
        self.w.text("\n");
    }

    fn event(&mut self, event: &Event, range: &Range<usize>) {
        match event {
            Event::Start(_) => self.nest += 1,
            Event::End(_) => {
                if self.span.as_ref().is_some_and(|s| self.nest <= s.nest) {
                    // A markdown tag that was open before the span ends inside it.
                    self.abort_span();
                }
                self.nest = self.nest.saturating_sub(1);
            }
            _ => {}
        }
        if self.image.is_some() {
            return self.image_event(event);
        }
        match event {
            Event::Text(t) => {
                let t = self.clean(t, range);
                self.link_text_push(&t);
                if self.code_block || !self.link_closers.is_empty() {
                    self.w.text(&t);
                } else {
                    self.autolink(&t, range);
                }
            }
            Event::Code(t) => {
                let t = self.clean(t, range);
                self.link_text_push(&t);
                self.w.start("code", &[]);
                self.w.text(&t);
                self.w.end("code");
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if let Some(link) = &mut self.link_text {
                    link.raw = true;
                }
                if self.escape_raw {
                    let h = self.clean(h, range);
                    self.w.text(&h);
                    return;
                }
                let h = &*self.tagfilter(h, range);
                if matches!(event, Event::InlineHtml(_)) && !self.whole_block {
                    self.inline_html(h, range);
                } else {
                    self.abort_span();
                    self.w.raw(h);
                    self.raw.get_or_insert_with(String::new).push_str(h);
                }
            }
            Event::SoftBreak => {
                self.link_text_push(" ");
                self.w.text("\n");
            }
            Event::HardBreak => {
                self.link_text_push(" ");
                self.w.start("br", &[]);
                self.w.text("\n");
            }
            Event::Rule => {
                self.block_start("hr", &[]);
                self.w.text("\n");
            }
            Event::TaskListMarker(checked) => {
                let mut attrs = vec![("disabled", ""), ("type", "checkbox")];
                if *checked {
                    attrs.push(("checked", ""));
                }
                self.w.start("input", &attrs);
                self.w.text("\n");
            }
            Event::FootnoteReference(label) => {
                // Numbered in order of first reference, as GitHub numbers them; the first
                // reference is where the footnote's back-link returns to.
                let first = !self.footnotes.contains_key(label.as_ref());
                let n = self.footnote_number(label);
                let target = format!("#{}fn-{label}", self.policy.id_prefix.as_str());
                self.w
                    .start("sup", &[("class", display::FOOTNOTE_REFERENCE_CLASS)]);
                match urls::judge(&target, Purpose::Link, &self.policy) {
                    Verdict::Fragment(href) if !self.in_anchor() => {
                        let id = format!("{}fnref-{label}", self.policy.id_prefix.as_str());
                        let id = self.attribute("a", "id", &id).into_owned();
                        let mut attrs = vec![("href", href.as_str())];
                        if first {
                            attrs.push(("id", &id));
                        }
                        self.w.start("a", &attrs);
                        self.w.text(&n.to_string());
                        self.w.end("a");
                    }
                    _ => self.w.text(&n.to_string()),
                }
                self.link_text_push(&n.to_string());
                self.w.end("sup");
            }
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(*tag),
            _ => {}
        }
    }

    fn start(&mut self, tag: &Tag, range: &Range<usize>) {
        match tag {
            Tag::Paragraph => self.block_start("p", &[]),
            Tag::Heading { level, .. } => self.block_start(heading(*level as usize), &[]),
            Tag::Emphasis => self.w.start("em", &[]),
            Tag::Strong => self.w.start("strong", &[]),
            Tag::Strikethrough => self.w.start("del", &[]),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => self.open_link(*link_type, dest_url, title, range),
            Tag::Image {
                dest_url, title, ..
            } => {
                let verdict = urls::judge(dest_url, Purpose::Image, &self.policy);
                let title = self.clean(title, range).into_owned();
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
                self.w.newline();
                self.w.start("pre", &[]);
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_ascii_whitespace().next(),
                    CodeBlockKind::Indented => None,
                };
                // The class as cleaned (invisible characters removed, with a finding) and as
                // the HTML stage keeps it: a language that was nothing but invisible
                // characters writes no class.
                let class = lang.and_then(|lang| {
                    let class = format!("language-{lang}");
                    crate::allowlist::allowed_classes(
                        "code",
                        &self.attribute("code", "class", &class),
                    )
                });
                match class {
                    Some(class) => self.w.start("code", &[("class", &class)]),
                    None => self.w.start("code", &[]),
                }
            }
            Tag::BlockQuote(_) | Tag::List(_) => {
                let write = self.depth < self.policy.limits.max_nesting;
                if write {
                    self.depth += 1;
                    match tag {
                        Tag::List(Some(1)) => self.block_start("ol", &[]),
                        Tag::List(Some(start)) => {
                            self.block_start("ol", &[("start", &start.to_string())])
                        }
                        Tag::List(None) => self.block_start("ul", &[]),
                        _ => self.block_start("blockquote", &[]),
                    }
                    self.w.text("\n");
                } else if !self.nesting_reported {
                    self.nesting_reported = true;
                    self.findings.push(
                        Finding::new(FindingKind::NestingLimit)
                            .range(Some(range.clone()))
                            .detail(format!(
                                "containers nested deeper than {} were flattened",
                                self.policy.limits.max_nesting
                            )),
                    );
                }
                self.containers.push(write);
            }
            Tag::Item => {
                let write = self.containers.last().copied().unwrap_or(true);
                if write {
                    self.block_start("li", &[]);
                }
                self.containers.push(write);
            }
            Tag::FootnoteDefinition(label) => {
                // Written aside and placed at the end, in the footnotes section.
                self.abort_span();
                self.w.newline();
                let raw_before = self.raw.as_ref().map_or(0, String::len);
                self.definition =
                    Some((label.to_string(), self.w.len(), range.clone(), raw_before));
            }
            Tag::Table(aligns) => {
                self.table = Some(TableState {
                    aligns: aligns.clone(),
                    cell: 0,
                    in_head: false,
                    body: false,
                });
                self.block_start("table", &[]);
            }
            Tag::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = true;
                    t.cell = 0;
                }
                self.w.start("thead", &[]);
                self.w.start("tr", &[]);
            }
            Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.cell = 0;
                    if !t.body {
                        t.body = true;
                        self.w.start("tbody", &[]);
                    }
                }
                self.w.start("tr", &[]);
            }
            Tag::TableCell => {
                let (tag, align) = match &self.table {
                    Some(t) => (
                        if t.in_head { "th" } else { "td" },
                        t.aligns.get(t.cell).copied().unwrap_or(Alignment::None),
                    ),
                    None => ("td", Alignment::None),
                };
                let align = match align {
                    Alignment::Left => Some("left"),
                    Alignment::Center => Some("center"),
                    Alignment::Right => Some("right"),
                    Alignment::None => None,
                };
                match align {
                    Some(a) => self.w.start(tag, &[("align", a)]),
                    None => self.w.start(tag, &[]),
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.block_end("p"),
            TagEnd::Heading(level) => self.block_end(heading(level as usize)),
            TagEnd::Emphasis => self.w.end("em"),
            TagEnd::Strong => self.w.end("strong"),
            TagEnd::Strikethrough => self.w.end("del"),
            TagEnd::Link => match self.link_closers.pop() {
                Some(Closer::Link) => {
                    self.w.end("a");
                    self.show_real_host();
                }
                Some(Closer::Inert) => {}
                Some(Closer::Span(suffix)) => {
                    self.w.end("span");
                    if let Some(suffix) = suffix {
                        self.w.start("span", &[("class", display::LINK_HOST_CLASS)]);
                        self.w.text(&suffix);
                        self.w.end("span");
                    }
                }
                None => {}
            },
            TagEnd::CodeBlock => {
                self.code_block = false;
                self.w.end("code");
                self.block_end("pre");
            }
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item => {
                let written = self.containers.pop().unwrap_or(true);
                if written {
                    match tag {
                        TagEnd::Item => self.block_end("li"),
                        TagEnd::List(true) => self.block_end("ol"),
                        TagEnd::List(false) => self.block_end("ul"),
                        _ => self.block_end("blockquote"),
                    }
                    if !matches!(tag, TagEnd::Item) {
                        self.depth = self.depth.saturating_sub(1);
                    }
                }
            }
            TagEnd::FootnoteDefinition => self.end_definition(),
            TagEnd::Table => {
                if self.table.take().is_some_and(|t| t.body) {
                    self.w.end("tbody");
                }
                self.block_end("table");
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = false;
                }
                self.w.end("tr");
                self.w.end("thead");
            }
            TagEnd::TableRow => self.w.end("tr"),
            TagEnd::TableCell => {
                let tag = match &mut self.table {
                    Some(t) => {
                        t.cell += 1;
                        if t.in_head {
                            "th"
                        } else {
                            "td"
                        }
                    }
                    None => "td",
                };
                self.w.end(tag);
            }
            _ => {}
        }
    }

    /// Collects the visible text of the open clickable link (bounded: longer text is no URL).
    fn link_text_push(&mut self, t: &str) {
        if let Some(link) = &mut self.link_text {
            if link.text.len() <= crate::limits::MAX_URL_BYTES {
                link.text.push_str(t);
            }
        }
    }

    /// After a clickable link: when its text reads as another host, the real host is shown
    /// beside it and reported.
    fn show_real_host(&mut self) {
        let Some(link) = self.link_text.take() else {
            return;
        };
        // Raw HTML in the link may hide some of its text: what a reader sees is read from the
        // link as written, as the HTML stage reads it.
        let views = if link.raw {
            let written = &self.w.written()[link.start..];
            html::link_views_of(written).unwrap_or_else(|| (link.text.clone(), String::new()))
        } else {
            (link.text.clone(), link.text.clone())
        };
        if let Some(host) = crate::deceptive::deceptive(&[&views.0, &views.1], &link.href) {
            let suffix = display::host_suffix(&host);
            self.w.start("span", &[("class", display::LINK_HOST_CLASS)]);
            self.w.text(&suffix);
            self.w.end("span");
            self.findings.push(
                Finding::new(FindingKind::DeceptiveLink)
                    .element("a")
                    .attribute("href")
                    .url(Some(link.href), Some(host))
                    .range(Some(link.range)),
            );
        }
    }

    /// Is an `<a>` open?
    fn in_anchor(&self) -> bool {
        self.link_closers.iter().any(|c| matches!(c, Closer::Link))
    }

    /// Takes the footnote definition just written out of the output, sanitized on its own if
    /// it holds raw HTML (so no block group spans it), for [`Filter::write_footnotes`]. Raw
    /// HTML of its block from before it (a definition can stand in a block quote) stays with
    /// that block, for its group.
    fn end_definition(&mut self) {
        let Some((label, start, range, raw_before)) = self.definition.take() else {
            return;
        };
        self.abort_span();
        let mut body = self.w.split_off(start);
        let own_raw = match &mut self.raw {
            Some(raw) if raw.len() > raw_before => {
                raw.truncate(raw_before);
                true
            }
            _ => false,
        };
        if self.raw.as_ref().is_some_and(String::is_empty) {
            self.raw = None;
        }
        if own_raw {
            let mut found = Vec::new();
            body = self.stage.sanitize(&body, &mut found);
            for mut f in found {
                f.range.get_or_insert_with(|| range.clone().into());
                self.findings.push(f);
            }
        }
        self.definitions.entry(label).or_insert(body);
    }

    /// GitHub's footnotes section: every referenced definition, in order of first reference,
    /// each with a link back to that reference; definitions never referenced are left out.
    fn write_footnotes(&mut self) {
        let mut notes: Vec<(usize, String, String)> = std::mem::take(&mut self.definitions)
            .into_iter()
            .filter_map(|(label, body)| Some((*self.footnotes.get(&label)?, label, body)))
            .collect();
        if notes.is_empty() {
            return;
        }
        notes.sort_by_key(|n| n.0);
        let prefix = self.policy.id_prefix.as_str().to_string();
        let mut out = String::from("<section class=\"");
        out.push_str(display::FOOTNOTES_CLASS);
        out.push_str("\">\n<ol>\n");
        for (_, label, body) in &notes {
            // The id and the back-link as the reference writes them: cleaned like any
            // attribute, the fragment judged (a label with invisible characters has none).
            let id = self
                .attribute("li", "id", &format!("{prefix}fn-{label}"))
                .into_owned();
            let mut item = HtmlWriter::default();
            item.start("li", &[("id", &id)]);
            out.push_str(item.written());
            out.push('\n');
            let mut back = HtmlWriter::default();
            let target = format!("#{prefix}fnref-{label}");
            if let Verdict::Fragment(href) = urls::judge(&target, Purpose::Link, &self.policy) {
                back.start(
                    "a",
                    &[("href", &href), ("class", display::FOOTNOTE_BACKREF_CLASS)],
                );
                back.text("\u{21A9}");
                back.end("a");
            }
            let body = body.trim_start_matches('\n');
            let back = back.written();
            match body.strip_suffix("</p>\n").filter(|_| !back.is_empty()) {
                Some(para) => {
                    out.push_str(para);
                    out.push(' ');
                    out.push_str(back);
                    out.push_str("</p>\n");
                }
                None => {
                    out.push_str(body);
                    if !body.is_empty() && !body.ends_with('\n') {
                        out.push('\n');
                    }
                    if !back.is_empty() {
                        out.push_str(back);
                        out.push('\n');
                    }
                }
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n</section>\n");
        self.w.newline();
        self.w.raw(&out);
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(label.to_string()).or_insert(next)
    }

    fn open_link(&mut self, link_type: LinkType, dest: &str, title: &str, range: &Range<usize>) {
        let dest = match link_type {
            LinkType::Email => Cow::Owned(format!("mailto:{dest}")),
            _ => Cow::Borrowed(dest),
        };
        let (title, _) = text::strip(title);
        let title = self.attribute("a", "title", &title).into_owned();
        let verdict = urls::judge(&dest, Purpose::Link, &self.policy);
        let mut attrs: Vec<(&str, &str)> = Vec::with_capacity(4);
        match &verdict {
            Verdict::Allow(_) | Verdict::Fragment(_) if self.in_anchor() => {
                self.link_closers.push(Closer::Inert);
            }
            Verdict::Allow(url) | Verdict::Fragment(url) => {
                attrs.push(("href", url));
                if !title.is_empty() {
                    attrs.push(("title", &title));
                }
                if matches!(verdict, Verdict::Allow(_)) {
                    attrs.push(("rel", display::LINK_REL));
                    attrs.push(("referrerpolicy", display::LINK_REFERRER_POLICY));
                }
                let start = self.w.len();
                self.w.start("a", &attrs);
                self.link_closers.push(Closer::Link);
                if matches!(verdict, Verdict::Allow(_)) {
                    self.link_text = Some(LinkText {
                        href: url.clone(),
                        range: range.clone(),
                        text: String::new(),
                        start,
                        raw: false,
                    });
                }
            }
            Verdict::Deny { .. } => {
                self.report(&verdict, "a", "href", range);
                let shown = display::refused(&verdict, &self.policy);
                attrs.push(("class", display::UNTRUSTED_LINK_CLASS));
                if let Some(t) = &shown.title {
                    attrs.push(("title", t));
                }
                if let Some(u) = &shown.confirm {
                    attrs.push((display::CONFIRM_HREF_ATTRIBUTE, u));
                }
                self.w.start("span", &attrs);
                self.link_closers.push(Closer::Span(shown.suffix));
            }
        }
    }

    fn report(&mut self, verdict: &Verdict, element: &str, attribute: &str, range: &Range<usize>) {
        if let Some(f) = Finding::refused(verdict, element, attribute) {
            self.findings.push(f.range(Some(range.clone())));
        }
    }

    /// Collects an image's alt text; writes the image (or its replacement) at its end.
    fn image_event(&mut self, event: &Event) {
        let Some(image) = self.image.as_mut() else {
            return;
        };
        match event {
            Event::Start(Tag::Image { .. }) => image.depth += 1,
            Event::End(TagEnd::Image) if image.depth > 0 => image.depth -= 1,
            Event::End(TagEnd::Image) => {
                if let Some(image) = self.image.take() {
                    self.write_image(image);
                }
            }
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                image.alt.push_str(t)
            }
            Event::SoftBreak | Event::HardBreak => image.alt.push('\n'),
            _ => {}
        }
    }

    fn write_image(&mut self, image: ImageState) {
        let (alt, removed) = text::strip(&image.alt);
        if removed > 0 {
            self.findings.push(
                Finding::invisible(removed)
                    .element("img")
                    .attribute("alt")
                    .range(Some(image.range.clone())),
            );
        }
        match &image.verdict {
            Verdict::Allow(src) => {
                let alt = self.attribute("img", "alt", &alt).into_owned();
                let title = self.attribute("img", "title", &image.title).into_owned();
                let mut attrs = vec![("src", src.as_str()), ("alt", &alt)];
                if !title.is_empty() {
                    attrs.push(("title", &title));
                }
                self.w.start("img", &attrs);
            }
            verdict => {
                self.report(verdict, "img", "src", &image.range);
                let shown = display::refused(verdict, &self.policy);
                let mut attrs = vec![("class", display::BLOCKED_IMAGE_CLASS)];
                if let Some(t) = &shown.title {
                    attrs.push(("title", t));
                }
                self.w.start("span", &attrs);
                let shown = display::blocked_image_text(&alt);
                self.w.text(&shown);
                self.w.end("span");
                // What a reader sees of the link's text (and what sanitizing again reads).
                self.link_text_push(&shown);
            }
        }
    }

    /// GFM's bare-URL autolinks: `https://…` in text becomes a link only where the policy
    /// trusts it; otherwise it stays plain text.
    fn autolink(&mut self, t: &str, range: &Range<usize>) {
        let mut last = 0;
        for (start, end, kind) in find_autolinks(t) {
            if self.open_end.is_some_and(|e| range.end >= e)
                && !t[end..].contains(char::is_whitespace)
            {
                // The URL may still be arriving.
                break;
            }
            let destination = kind.destination(&t[start..end]);
            if let Verdict::Allow(url) = urls::judge(&destination, Purpose::Link, &self.policy) {
                self.w.text(&t[last..start]);
                // Its text is its URL, which can still read as another host (an
                // internationalized one always does).
                self.link_text = Some(LinkText {
                    href: url.clone(),
                    range: range.clone(),
                    text: t[start..end].to_string(),
                    start: self.w.len(),
                    raw: false,
                });
                self.w.start(
                    "a",
                    &[
                        ("href", &url),
                        ("rel", display::LINK_REL),
                        ("referrerpolicy", display::LINK_REFERRER_POLICY),
                    ],
                );
                self.w.text(&t[start..end]);
                self.w.end("a");
                self.show_real_host();
                last = end;
            }
        }
        self.w.text(&t[last..]);
    }
}

fn heading(level: usize) -> &'static str {
    ["h1", "h2", "h3", "h4", "h5", "h6"][level.clamp(1, 6) - 1]
}

/// The tags of elements [`Filter::tagfilter`] shows as text: where each `<` is, the element,
/// and whether it is an end tag. GFM's rule, by its text: `<` or `</`, one of the names in any
/// case, then whitespace, `/`, `>` or the end. (Not a parser: whatever it misses is still
/// sanitized by the HTML stage, which removes these elements with their content.)
fn filtered_tags(h: &str) -> Vec<(usize, &'static str, bool)> {
    let bytes = h.as_bytes();
    let mut found = Vec::new();
    for at in memchr::memchr_iter(b'<', bytes) {
        let end = bytes.get(at + 1) == Some(&b'/');
        let from = at + 1 + usize::from(end);
        let name_len = bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        let name = &h[from..from + name_len];
        let Some(name) = crate::allowlist::REMOVED_WITH_CONTENT
            .iter()
            .find(|n| n.eq_ignore_ascii_case(name))
        else {
            continue;
        };
        let delimited = bytes
            .get(from + name_len)
            .is_none_or(|b| matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ' | b'/' | b'>'));
        if delimited {
            found.push((at, *name, end));
        }
    }
    found
}

/// A comment left open in a group of raw HTML (`<!-- a note` and nothing closing it, which
/// CommonMark makes an HTML block running to the end of the document) would hide everything
/// after it: its opener is shown as text instead, so is what follows. The sanitizer still
/// removes any comment that does close.
fn show_unclosed_comment(html: String) -> String {
    let mut from = 0;
    while let Some(at) = html[from..].find("<!--").map(|i| from + i) {
        let rest = &html[at + 4..];
        let end = if rest.starts_with('>') {
            Some(1)
        } else if rest.starts_with("->") {
            Some(2)
        } else {
            [
                rest.find("-->").map(|i| i + 3),
                rest.find("--!>").map(|i| i + 4),
            ]
            .into_iter()
            .flatten()
            .min()
        };
        match end {
            Some(end) => from = at + 4 + end,
            // Open to the end: this opener and any after it are text.
            None => return format!("{}{}", &html[..at], html[at..].replace("<!--", "&lt;!--")),
        }
    }
    html
}

/// What a bare autolink in text links to (GFM's extended autolinks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Autolink {
    /// `http://…`, `https://…`: the text itself.
    Url,
    /// `www.…`: `http://` and the text.
    Www,
    /// `name@example.com`: `mailto:` and the text.
    Email,
}

impl Autolink {
    /// The destination the text `t` of such an autolink links to.
    fn destination(self, t: &str) -> Cow<'_, str> {
        match self {
            Autolink::Url => Cow::Borrowed(t),
            Autolink::Www => Cow::Owned(format!("http://{t}")),
            Autolink::Email => Cow::Owned(format!("mailto:{t}")),
        }
    }
}

/// Every GFM extended autolink in `s`, in order, not overlapping: start, end and kind.
/// A `www.` link starts a line or follows whitespace or `*`, `_`, `~`, `(`; an `http(s)://`
/// URL starts anywhere its scheme is not the end of a longer word. Both end at whitespace or
/// `<`, without trailing punctuation, an unbalanced `)` or an entity reference, and need a
/// valid domain. An e-mail address is a local part of letters, digits
/// and `.+-_`, `@`, and a domain of at least two labels. One pass each: linear in `s`.
///
/// This only finds where candidates start and end; whether one is a URL at all, and what it
/// points to, is decided by the URL parser in `urls::judge`.
fn find_autolinks(s: &str) -> Vec<(usize, usize, Autolink)> {
    let mut found = find_web_links(s);
    found.extend(find_emails(s));
    found.sort_unstable_by_key(|f| f.0);
    let mut out: Vec<(usize, usize, Autolink)> = Vec::with_capacity(found.len());
    for f in found {
        if out.last().is_none_or(|last| f.0 >= last.1) {
            out.push(f);
        }
    }
    out
}

/// GFM's valid domain at the start of `b`: labels of letters, digits, `_` and `-` separated
/// by `.`, no `_` in the last two labels; returns its length (0: none).
fn valid_domain(b: &[u8]) -> usize {
    // No host name is longer than 253 bytes; a longer run is no domain (and scanning it again
    // from every `_` inside it would be quadratic).
    const MAX: usize = 256;
    let len = b
        .iter()
        .take(MAX)
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.') || **c >= 0x80)
        .count();
    if len == MAX {
        return 0;
    }
    let domain = &b[..len];
    let trimmed = domain.strip_suffix(b".").unwrap_or(domain);
    let labels: Vec<&[u8]> = trimmed.split(|c| *c == b'.').collect();
    let ok = !trimmed.is_empty()
        && labels.iter().all(|l| !l.is_empty())
        && labels.iter().rev().take(2).all(|l| !l.contains(&b'_'));
    if ok {
        len
    } else {
        0
    }
}

fn find_web_links(s: &str) -> Vec<(usize, usize, Autolink)> {
    let bytes = s.as_bytes();
    let mut found = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let at = start;
        start += 1;
        if !matches!(bytes[at], b'h' | b'H' | b'w' | b'W') {
            continue;
        }
        let after = &bytes[at..];
        let has = |p: &[u8]| after.len() >= p.len() && after[..p.len()].eq_ignore_ascii_case(p);
        let (prefix_len, kind) = if has(b"https://") {
            (8, Autolink::Url)
        } else if has(b"http://") {
            (7, Autolink::Url)
        } else if has(b"www.") {
            (4, Autolink::Www)
        } else {
            continue;
        };
        // GFM: a `www.` link only at the start, after whitespace, or after `*`, `_`, `~`, `(`;
        // a URL wherever its scheme is not part of a longer word (`"https://…"` links,
        // `xhttps://…` does not), as cmark-gfm reads it.
        if at > 0 {
            let before = bytes[at - 1];
            let ok = match kind {
                Autolink::Www => matches!(
                    before,
                    b' ' | b'\t' | b'\n' | b'\r' | b'*' | b'_' | b'~' | b'('
                ),
                _ => !before.is_ascii_alphabetic(),
            };
            if !ok {
                continue;
            }
        }
        let domain_from = if kind == Autolink::Www {
            at
        } else {
            at + prefix_len
        };
        if valid_domain(&bytes[domain_from..]) == 0 {
            continue;
        }
        let mut end = at
            + s[at..]
                .find(|c: char| c.is_whitespace() || c == '<')
                .unwrap_or(s.len() - at);
        start = end;
        // Trailing punctuation is not part of the link; nor is an unbalanced `)`, nor an
        // entity reference (`&amp;`) at the end.
        let opens = bytes[at..end].iter().filter(|&&b| b == b'(').count();
        let mut closes = bytes[at..end].iter().filter(|&&b| b == b')').count();
        while end > at {
            match bytes[end - 1] {
                b'?' | b'!' | b'.' | b',' | b':' | b'*' | b'_' | b'~' | b'\'' | b'"' => end -= 1,
                b')' if closes > opens => {
                    closes -= 1;
                    end -= 1
                }
                b';' => {
                    let name = bytes[at..end - 1]
                        .iter()
                        .rev()
                        .take_while(|b| b.is_ascii_alphanumeric())
                        .count();
                    if name > 0 && end - 1 - name > at && bytes[end - 2 - name] == b'&' {
                        end -= name + 2;
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        }
        if end > at + prefix_len {
            found.push((at, end, kind));
        }
    }
    found
}

/// Every e-mail address in `s`.
fn find_emails(s: &str) -> Vec<(usize, usize, Autolink)> {
    let bytes = s.as_bytes();
    let local = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-' | b'_');
    let mut found = Vec::new();
    let mut done = 0;
    for at in memchr::memchr_iter(b'@', bytes) {
        if at < done {
            continue;
        }
        let start = at
            - bytes[done..at]
                .iter()
                .rev()
                .take_while(|b| local(**b))
                .count();
        done = at + 1;
        if start == at {
            continue;
        }
        let dlen = bytes[at + 1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            .count();
        let mut end = at + 1 + dlen;
        while end > at + 1 && bytes[end - 1] == b'.' {
            end -= 1;
        }
        let domain = &bytes[at + 1..end];
        let labels_ok = domain.split(|b| *b == b'.').count() >= 2
            && domain.split(|b| *b == b'.').all(|l| !l.is_empty());
        let last_ok = domain.last().is_some_and(|b| !matches!(b, b'-' | b'_'));
        if labels_ok && last_ok {
            found.push((start, end, Autolink::Email));
            done = end;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// Renders with and without inline spans.
    fn both(md: &str, policy: &Policy) -> [(String, Vec<Finding>); 2] {
        let policy = Arc::new(policy.clone());
        let stage = Arc::new(HtmlStage::new(Arc::clone(&policy)));
        [true, false].map(|spans| render_after(md, &policy, &stage, "", spans))
    }

    /// Sanitizing raw inline HTML span by span gives the same HTML and the same findings as
    /// sanitizing the whole block, including where a span cannot stand on its own and the
    /// block is sanitized whole after all.
    #[test]
    fn inline_spans_match_whole_blocks() {
        let cases = [
            "Water is H<sub>2</sub>O and <kbd>Ctrl</kbd>+<kbd>C</kbd>.",
            "Line one<br>line two.",
            "a <img src=x onerror=alert(1)> b",
            "a <img src=\"https://images.example.com/a.png\" alt=x> b",
            "*a <b> b* c </b>",
            "a <b>x</p></b> c",
            "a <div>block</div> c",
            "a <b><i>x</b></i> c",
            "[l](https://docs.example.com/) <a href=\"https://docs.example.com/y\">z</a>",
            "[<a href=\"https://docs.example.com/\">in</a>](https://docs.example.com/x)",
            "<a href=\"https://docs.example.com/\">[x](https://github.com/y)</a>",
            "<a href=\"https://evil.example/\">[x](https://evil.example/y)</a>",
            "a <ruby>漢<rt>kan</rt></ruby> b",
            "a <span>**x** and [y](https://evil.example/)</span> b",
            "a <b>unclosed\n\nnext <i>one</i>",
            "a <script>alert(1)</script> b <b>c</b>",
            "a <!-- c --> <b>x</b>",
            "a </b> <b>x</b>",
            "# Head <sub>2</sub>\n\n| a <b>x</b> | b |\n|---|---|\n| <i>c</i> | d |",
            "- item <kbd>K</kbd>\n  - nested <q>q</q>\n\n> quote <mark>m</mark>",
            "<details>\n<summary>s</summary>\n\npara <b>x</b>\n\n</details>\n\nafter <b>y</b>",
            "a <b>b <i>c</b> d</i> e <u>f</u>",
            "text <table><td>x</td></table> more",
            "x <input type=checkbox> y <textarea>t</textarea>",
            "x <b title=\"a\u{200B}b\">y</b> z",
            "x <sub>a</sub><sup>b</sup>",
            "x <em>[a](https://evil.example/)![i](https://evil.example/i.png)</em>",
        ];
        let long = format!(
            "x <b>{}</b> y {} <i>z</i>",
            "a".repeat(5000),
            "b".repeat(3000)
        );
        let policies = [
            Policy::default(),
            serde_json::from_str(
                r#"{ "links": { "allow": ["https://docs.example.com/", "https://github.com/"] },
                     "images": { "allow": ["https://images.example.com/"] } }"#,
            )
            .unwrap(),
        ];
        for policy in &policies {
            for md in cases.iter().copied().chain([long.as_str()]) {
                let [(spans, f1), (whole, f2)] = both(md, policy);
                assert_eq!(spans, whole, "{md:?}");
                let kinds = |f: &[Finding]| {
                    let mut k: Vec<String> = f.iter().map(|f| format!("{:?}", f.kind)).collect();
                    k.sort();
                    k
                };
                assert_eq!(kinds(&f1), kinds(&f2), "{md:?}");
            }
        }
    }

    /// A finding in raw inline HTML points at its span, not at the whole paragraph.
    #[test]
    fn inline_span_findings_point_at_the_span() {
        let md = "Some words first. <img src=x onerror=alert(1)> And after.";
        let [(_, findings), _] = both(md, &Policy::default());
        let at = md.find('<').unwrap();
        let end = md.find('>').unwrap() + 1;
        assert!(!findings.is_empty());
        for f in &findings {
            let r = f.range.expect("located");
            assert_eq!((r.start, r.end), (at, end), "{f:?}");
        }
    }

    #[test]
    fn bare_urls() {
        fn f(s: &str) -> Option<&str> {
            find_autolinks(s).first().map(|&(a, b, _)| &s[a..b])
        }
        assert_eq!(f("see https://a.example/x."), Some("https://a.example/x"));
        assert_eq!(
            f("(https://a.example/x_(y))"),
            Some("https://a.example/x_(y)")
        );
        assert_eq!(f("(https://a.example/x)"), Some("https://a.example/x"));
        assert_eq!(f("xhttps://a.example/"), None);
        assert_eq!(f("\"https://a.example/x\""), Some("https://a.example/x"));
        assert_eq!(f("'www.a.example'"), None);
        assert_eq!(f("HTTP://A.example/<b>"), Some("HTTP://A.example/"));
        assert_eq!(f("https://"), None);
        assert_eq!(f("no url"), None);
        // GFM's extended www and e-mail autolinks (spec examples 621-631).
        let all = |s: &str| -> Vec<(String, Autolink)> {
            find_autolinks(s)
                .into_iter()
                .map(|(a, b, k)| (s[a..b].to_string(), k))
                .collect()
        };
        assert_eq!(
            all("Visit www.commonmark.org/help for more information."),
            [("www.commonmark.org/help".to_string(), Autolink::Www)]
        );
        assert_eq!(
            all("Visit www.commonmark.org."),
            [("www.commonmark.org".to_string(), Autolink::Www)]
        );
        assert_eq!(
            all("www.google.com/search?q=Markup+(business))"),
            [(
                "www.google.com/search?q=Markup+(business)".to_string(),
                Autolink::Www
            )]
        );
        assert_eq!(
            all("www.google.com/search?q=commonmark&hl;"),
            [(
                "www.google.com/search?q=commonmark".to_string(),
                Autolink::Www
            )]
        );
        assert_eq!(
            all("www.commonmark.org/he<lp"),
            [("www.commonmark.org/he".to_string(), Autolink::Www)]
        );
        assert!(all("Visit www.a_b.c_d/x").is_empty());
        assert_eq!(
            all("foo@bar.baz"),
            [("foo@bar.baz".to_string(), Autolink::Email)]
        );
        assert_eq!(
            all("hello@mail+xyz.example isn't valid, but hello+xyz@mail.example is."),
            [("hello+xyz@mail.example".to_string(), Autolink::Email)]
        );
        assert_eq!(
            all("a.b-c_d@a.b"),
            [("a.b-c_d@a.b".to_string(), Autolink::Email)]
        );
        assert_eq!(
            all("a.b-c_d@a.b."),
            [("a.b-c_d@a.b".to_string(), Autolink::Email)]
        );
        assert!(all("a.b-c_d@a.b-").is_empty());
        assert!(all("a.b-c_d@a.b_").is_empty());
        assert_eq!(
            all("see https://user@a.example/ and me@x.example"),
            [
                ("https://user@a.example/".to_string(), Autolink::Url),
                ("me@x.example".to_string(), Autolink::Email)
            ]
        );
    }
}
