//! The markdown stage: pulldown-cmark events in, safe HTML out. This module drives the layers
//! (as pulldown-cmark's `push_html` drives its writer):
//!
//! 1. pulldown-cmark parses the input into events;
//! 2. the judged-event layer ([`crate::judge`]) decides the policy's meaning for each;
//! 3. the HTML writer ([`crate::writer::HtmlOut`]) writes judged events as HTML, in the
//!    canonical form of [`crate::canonical::HtmlWriter`];
//! 4. raw HTML is grouped ([`crate::group`]) and sanitized by the HTML stage.
//!
//! The document is handled one top-level block at a time (a paragraph, a heading, a list, a
//! table, a code block, a block of raw HTML). A block without raw HTML needs no parser and no
//! sanitizer: nothing in it came from the input except text, which is escaped, and
//! destinations, which the judge has allowed (or replaced with inert text). A block with raw
//! HTML is written with its raw HTML in place, and goes through the HTML stage with its group,
//! so every byte of raw HTML is sanitized.
//!
//! Under `raw_html: "escape"` raw HTML is written as text and nothing needs the HTML stage.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{BrokenLink, CowStr, Event, Options, Parser, TextMergeWithOffset};

use crate::group::{show_unclosed_comment, Group};
use crate::html::HtmlStage;
use crate::judge::Judge;
use crate::limits::{self, Depth};
use crate::report::Finding;
use crate::writer::HtmlOut;

/// The CommonMark + GFM dialect models write. The npm package's wasm builds a copy of
/// pulldown-cmark that keeps the code of these five options only (`SAFEMARK_SETS` in
/// wasm/vendor/pulldown-cmark/src/lib.rs) and traps when given another: a new option here
/// goes there too.
pub(crate) fn options(math: bool) -> Options {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    match math {
        true => options | Options::ENABLE_MATH,
        false => options,
    }
}

/// What a parse calls for a reference whose definition it does not know. Every parse takes
/// this one type, so pulldown-cmark's parser is compiled into the program once, not once per
/// callback type (15 KB of the npm package's wasm).
pub(crate) type BrokenLinks<'c, 'i> =
    &'c mut dyn FnMut(BrokenLink<'i>) -> Option<(CowStr<'i>, CowStr<'i>)>;

/// pulldown-cmark's parser over `text` in the dialect of [`options`]; every parse in the
/// crate starts here.
pub(crate) fn parser<'c, 'i>(
    text: &'i str,
    math: bool,
    broken: Option<BrokenLinks<'c, 'i>>,
) -> Parser<'i, BrokenLinks<'c, 'i>> {
    Parser::new_with_broken_link_callback(text, options(math), broken)
}

/// The events of `text` as every output reads them: pulldown-cmark's, in the dialect of
/// [`options`], consecutive text merged, with their byte ranges.
pub(crate) fn events(text: &str, math: bool) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
    TextMergeWithOffset::new(parser(text, math, None).into_offset_iter())
}

/// How a document ended, for rendering a block after it on its own (the stream's tail).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ending {
    /// The block group a block written after it would meet.
    pub(crate) group: GroupEnd,
    /// Whether the document had raw HTML.
    pub(crate) raw_html: bool,
    /// Whether some of its raw HTML went to a block group: not all of it was in inline spans
    /// sanitized where they stand. Raw HTML all in such spans (`H<sub>2</sub>O`) opens and
    /// closes as many elements as it counts, so a block group before it would take it in
    /// and stay as it was (open or closed), and the block is written as it is on its own.
    pub(crate) grouped: bool,
}

/// The block group at the end of a document, which a block written after it would meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GroupEnd {
    /// No block group is pending: a later block is rendered as it would be on its own.
    None,
    /// A group with no element left open: a later block joins it only if it has raw HTML
    /// of its own that is not sanitized in inline spans.
    Closed,
    /// A group that left an element open (`<details>` around markdown). At the end of the
    /// document every block from the group on is sanitized on its own (see
    /// [`Renderer::finish`]); a later block's raw HTML may close the element instead. `true`
    /// when the output before the last sanitizing is at the start of a line (a block written
    /// next would not start with a line feed).
    Open(bool),
}

/// Renders `input` to safe HTML, with its findings.
pub(crate) fn render(input: &str, stage: &Arc<HtmlStage>) -> (String, Vec<Finding>) {
    Renderer::new(Arc::clone(stage), "", false).render(&bare_cr_as_lf(input))
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

/// The markdown stage as a state machine fed one event at a time, so that a document can be
/// rendered in one go ([`render`]) or as it arrives (`crate::stream`), with the same output.
pub(crate) struct Renderer {
    judge: Judge,
    out: HtmlOut,
    findings: Vec<Finding>,
    stage: Arc<HtmlStage>,
    /// Whether raw inline HTML may be sanitized in inline spans; always, but where a test
    /// compares with sanitizing whole blocks.
    spans: bool,
    /// Where the input ends while more may arrive (the stream's tail): a span still open in
    /// an element that ends there is sanitized where it stands (see
    /// [`Renderer::close_spans_at`]).
    spans_end: Option<usize>,
    group: Option<Group>,
    /// Where the current top-level block starts: in the output, in the input, in the findings.
    block: Option<(usize, usize, usize)>,
    /// How much output was written (the text run aside) when the current block started.
    written_at_block: usize,
    /// Where the input starts whose output is still in the writer's text run, not written:
    /// under `raw_html: "escape"` an HTML block's text continues the run into the next block,
    /// and the run is bounded as a whole when it ends. Not settled until then.
    run_source: Option<usize>,
    /// From this input offset on, every block with raw HTML is sanitized on its own.
    isolate_from: Option<usize>,
    /// Where in the output the first block sanitized on its own starts.
    isolated_start: Option<usize>,
    /// Events before this input offset are a prelude, not fed (see [`Renderer::render`]).
    prelude: usize,
    /// Whether a block's raw HTML went to a block group (see [`Ending::grouped`]).
    grouped: bool,
    /// The text written before the document (see [`Renderer::new`]).
    lead: String,
    /// The footnote numbering it started from (see [`Renderer::set_footnotes`]).
    first_footnotes: HashMap<String, usize>,
}

impl Renderer {
    /// A renderer under `stage`'s policy. `lead`: text already in the output that the
    /// document's first text joins. `escape_raw`: raw HTML is shown as text whatever the
    /// policy says.
    pub(crate) fn new(stage: Arc<HtmlStage>, lead: &str, escape_raw: bool) -> Self {
        let judge = Judge::new(Arc::clone(stage.policy()), escape_raw);
        let mut out = HtmlOut::new(Arc::clone(&stage));
        out.w.text(lead);
        Renderer {
            judge,
            out,
            findings: Vec::new(),
            stage,
            spans: true,
            spans_end: None,
            group: None,
            block: None,
            written_at_block: 0,
            run_source: None,
            isolate_from: None,
            isolated_start: None,
            prelude: 0,
            grouped: false,
            lead: lead.to_string(),
            first_footnotes: HashMap::new(),
        }
    }

    /// A renderer set up as this one was when it was made, to write the document again.
    fn fresh(&self) -> Renderer {
        let escape = self.judge.escapes_raw_html();
        let mut again = Renderer::new(Arc::clone(&self.stage), &self.lead, escape);
        again.spans = self.spans;
        again.judge.set_verdicts(self.judge.verdicts());
        again.set_footnotes(self.first_footnotes.clone());
        if let Some(end) = self.judge.open_end() {
            again.set_open_end(end);
        }
        again.spans_end = self.spans_end;
        again.prelude = self.prelude;
        again
    }

    /// Renders the whole of `text` (but its prelude, see [`Renderer::set_prelude`]).
    pub(crate) fn render(self, text: &str) -> (String, Vec<Finding>) {
        let (html, findings, _) = self.render_to_end(text);
        (html, findings)
    }

    /// Whether the policy has math on (the dialect every parse of this document uses).
    pub(crate) fn math(&self) -> bool {
        self.stage.policy().math
    }

    /// [`Renderer::render`], and how the document ends.
    pub(crate) fn render_to_end(self, text: &str) -> (String, Vec<Finding>, Ending) {
        let math = self.math();
        self.render_events_to_end(text, &mut events(text, math))
    }

    /// [`Renderer::render_to_end`] from `parsed`, the events of `text` as [`events`] gives
    /// them (parsed once by a caller that read them first). One loop for both (`dyn`: the
    /// wasm holds one copy of it).
    pub(crate) fn render_events_to_end<'t>(
        mut self,
        text: &'t str,
        parsed: &mut dyn Iterator<Item = (Event<'t>, Range<usize>)>,
    ) -> (String, Vec<Finding>, Ending) {
        self.out.w.reserve(text.len() + text.len() / 2);
        let mut raw_html = false;
        for (event, range) in parsed {
            if range.start >= self.prelude {
                raw_html |= matches!(event, Event::Html(_) | Event::InlineHtml(_));
                self.event(&event, range, text);
            }
        }
        let end = match &self.group {
            None => GroupEnd::None,
            Some(g) if g.depth.open == 0 => GroupEnd::Closed,
            Some(g) => {
                if self.isolate_from.is_none() {
                    // As `finish` does, told here where a later block would start.
                    let mut again = self.fresh();
                    again.isolate_from = Some(g.source.start);
                    return again.render_to_end(text);
                }
                GroupEnd::Open(false)
            }
        };
        let end = match (end, self.isolated_start) {
            (GroupEnd::None, Some(_)) => GroupEnd::Open(self.out.w.at_line_start()),
            (end, _) => end,
        };
        let grouped = self.grouped;
        let (html, findings) = self.finish(text);
        (
            html,
            findings,
            Ending {
                group: end,
                raw_html,
                grouped,
            },
        )
    }

    /// The first `len` bytes of what [`Renderer::render`] is given only define references
    /// (the stream's prelude): their events are not rendered.
    fn set_prelude(&mut self, len: usize) {
        self.prelude = len;
    }

    /// Bare URLs that reach `end` in the input are not linked: the URL may still be arriving.
    fn set_open_end(&mut self, end: usize) {
        self.judge.set_open_end(end);
    }

    /// The input ends at `end` while more may arrive (the stream's tail, not blocks before
    /// it rendered on their own): a raw inline span still open in a markdown element that
    /// ends there (`Press <kbd>Ct`) is sanitized where it stands, its elements closed as their
    /// end tags still arriving will close them, instead of the whole block being sanitized
    /// again on every push that brings a tag (see `Grouping::end_at_open_end`).
    pub(crate) fn close_spans_at(&mut self, end: usize) {
        self.spans_end = Some(end);
    }

    /// Remembers the verdicts it gives, for the renderers that continue it (a stream's: its
    /// tail judges the same destinations again on many pushes).
    pub(crate) fn remember_verdicts(&mut self) {
        self.judge
            .set_verdicts(Some(Arc::new(crate::judge::Verdicts::default())));
    }

    /// Continues the footnote numbering of another renderer.
    fn set_footnotes(&mut self, footnotes: HashMap<String, usize>) {
        self.first_footnotes.clone_from(&footnotes);
        self.judge.set_footnotes(footnotes);
    }

    /// One event of `input` (its range indexes `input`).
    pub(crate) fn event(&mut self, event: &Event<'_>, range: Range<usize>, input: &str) {
        let out = &mut self.out;
        if self.block.is_none() {
            // Inside an open tag of a block group the whole block is sanitized with the group
            // anyway.
            let whole = !self.spans || self.group.as_ref().is_some_and(|g| g.depth.open > 0);
            out.grouping.start_block(whole);
            self.written_at_block = out.w.written().len();
        }
        // Output positions are only needed for groups; taking one ends the current text run,
        // and under `raw_html: "escape"` an HTML block's text continues the run across blocks.
        let groups = !self.judge.escapes_raw_html();
        let findings = &mut self.findings;
        let (out_start, src_start, findings_start) = *self.block.get_or_insert_with(|| {
            let at = if groups { out.w.len() } else { 0 };
            (at, range.start, findings.len())
        });
        if matches!(event, Event::End(_)) && self.spans_end.is_some_and(|e| range.end >= e) {
            out.grouping
                .end_at_open_end(&mut out.w, findings, &self.stage);
        }
        out.grouping.before(event);
        self.judge.event(event, &range, findings, out);
        // `nest` is 0 between top-level blocks.
        if out.grouping.nest() > 0 {
            return;
        }
        // The block is complete.
        self.block = None;
        let raw = out.grouping.end_block();
        self.grouped |= raw.is_some();
        if raw.is_some() || self.group.as_ref().is_some_and(|g| g.depth.open > 0) {
            let g = self.group.get_or_insert_with(|| Group {
                start: out.w.trimmed_len(out_start),
                own: out_start,
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
                    self.isolated_start.get_or_insert(g.start);
                    self.flush_group(g, input, None);
                }
            }
        } else if let Some(g) = self.group.take() {
            self.flush_group(g, input, Some((out_start, findings_start)));
        }
        let w = &self.out.w;
        self.run_source = match w.in_run() {
            false => None,
            // The run went on from an earlier block, unbroken.
            true if w.written().len() == self.written_at_block => {
                self.run_source.or(Some(src_start))
            }
            true => Some(src_start),
        };
    }

    /// What is final since `sent` (a position in the output and in the findings, as this
    /// returned it last): the HTML, the findings, and the position to pass next time. Final,
    /// between top-level blocks, is all but an open block group, the open text run (see
    /// [`Renderer::unsettled_source`]) and the line feeds at the end (a group may take them
    /// in).
    pub(crate) fn settled_since(&self, sent: (usize, usize)) -> (&str, &[Finding], (usize, usize)) {
        let (out, found) = match &self.group {
            Some(g) => (g.start, g.findings),
            None => (
                self.out.w.written().trim_end_matches('\n').len(),
                self.findings.len(),
            ),
        };
        let html = self.out.w.written().get(sent.0..out).unwrap_or_default();
        let findings = self.findings.get(sent.1..found).unwrap_or_default();
        (html, findings, (out.max(sent.0), found.max(sent.1)))
    }

    /// A renderer for a continuation of this document (the stream's provisional tail): it
    /// numbers footnotes on from here, skips the first `prelude` bytes it is given (see
    /// [`Renderer::set_prelude`]), and links no bare URL that reaches `end` (it may still be
    /// arriving).
    pub(crate) fn continuation(&self, prelude: usize, end: usize) -> Renderer {
        let mut next = Renderer::new(Arc::clone(&self.stage), "", false);
        next.judge.set_verdicts(self.judge.verdicts());
        next.set_footnotes(self.judge.footnotes().clone());
        next.set_open_end(end);
        next.set_prelude(prelude);
        next
    }

    /// Where the input starts whose output is not settled, if any: an open block group's, or
    /// that of the blocks whose text is still in the open text run (see
    /// [`Renderer::settled_since`]).
    pub(crate) fn unsettled_source(&self) -> Option<usize> {
        let group = self.group.as_ref().map(|g| g.source.start);
        group.into_iter().chain(self.run_source).min()
    }

    /// Ends the document (`input`: all of it).
    ///
    /// An element left open to the end (`<details>` mentioned in prose, a `<div>` never
    /// closed) would make its block group take in every later block: they would be parsed
    /// inside it, folded into a closed `<details>` or worse. Then the document is written again
    /// with every block from that group's on sanitized on its own, so that an unclosed element
    /// closes at the end of the block it opened in. What comes before is the same (a stream
    /// never commits an open group), and so is the cost: one more pass at most.
    ///
    /// Blocks sanitized on their own are each bounded on their own: two that end and start
    /// with text read back as one text node, which may be longer than a node may be. So what
    /// was written from the first of them on is sanitized once more as a whole (its findings
    /// were reported already), which splits such a node where sanitizing the output again
    /// would: the output stays a fixpoint. Each block's output is balanced and a fixpoint on
    /// its own, so joined they read back as themselves but for such a node; when all of it is
    /// no longer than a node may be, no node can be, and it is kept as it is (the stream's
    /// tail renders an open `<details>` on most pushes that render).
    pub(crate) fn finish(mut self, input: &str) -> (String, Vec<Finding>) {
        if let Some(g) = self.group.take() {
            if g.depth.open > 0 && self.isolate_from.is_none() {
                let mut again = self.fresh();
                again.isolate_from = Some(g.source.start);
                return again.render(input);
            }
            if self.isolate_from.is_some_and(|from| g.source.start >= from) {
                self.isolated_start.get_or_insert(g.start);
            }
            self.flush_group(g, input, None);
        }
        if let Some(at) = self
            .isolated_start
            .filter(|&at| self.out.w.len() - at > limits::MAX_NODE_BYTES)
        {
            let isolated = self.out.w.split_off(at);
            let whole = self.stage.try_sanitize(&isolated, &mut Vec::new());
            self.out.w.raw(whole.as_deref().unwrap_or(&isolated));
        }
        self.out.write_footnotes(&self.judge, &mut self.findings);
        (self.out.w.take(), self.findings)
    }

    /// Sanitizes a group of blocks with raw HTML, written from `group.start` on, with the HTML
    /// stage. `after` is where a block written after the group starts (in the output and in
    /// the findings), if there is one.
    fn flush_group(&mut self, group: Group, input: &str, after: Option<(usize, usize)>) {
        let w = &mut self.out.w;
        let (out_end, findings_end) = after.unwrap_or((w.len(), self.findings.len()));
        let mut written = w.split_off(group.start);
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
                // A group that sanitizes to whitespace only (an element removed, a comment)
                // writes nothing: the line feeds it took in (see `Group::start`) stay as they
                // were. Otherwise every such group would lengthen the run of line feeds the
                // next one takes in and sanitizes again: `<x>` or `<!---->` and a footnote,
                // repeated, were quadratic (56 KB took 1.5 s). Nothing, not the whitespace
                // after what was there, so that the output does not depend on what was before
                // (a stream's tail rendered after a token must read as the batch render).
                match html.chars().all(limits::is_html_whitespace) {
                    true => w.raw(&written[..group.own - group.start]),
                    false => w.raw(&html),
                }
            }
            Err(limits::TooDeep) => {
                // Too deep to parse in linear time: these blocks are written again, from their
                // own input, with their raw HTML as text.
                self.findings.truncate(group.findings);
                let lead = written.len() - written.trim_start_matches('\n').len();
                let again = Renderer::new(Arc::clone(&self.stage), &written[..lead], true);
                let (out, found) = again.render(&input[group.source.clone()]);
                for mut f in found {
                    if let Some(r) = &mut f.range {
                        r.start += group.source.start;
                        r.end += group.source.start;
                    }
                    self.findings.push(f);
                }
                self.findings.push(self.stage.too_deep());
                w.raw(&out);
            }
        }
        w.raw(&following);
        self.findings.extend(following_findings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;
    use std::sync::Arc;

    /// Renders with and without inline spans.
    fn both(md: &str, policy: &Policy) -> [(String, Vec<Finding>); 2] {
        let stage = Arc::new(HtmlStage::new(Arc::new(policy.clone())));
        [true, false].map(|spans| {
            let mut renderer = Renderer::new(Arc::clone(&stage), "", false);
            renderer.spans = spans;
            renderer.render(md)
        })
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
    #[cfg(feature = "html")]
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
}
