//! Raw HTML grouping, in front of the HTML stage: which spans of the markdown stage's output go
//! whole to ammonia.
//!
//! The markdown stage writes a block with raw HTML with its raw HTML left in place; this
//! module decides how much is sanitized together:
//!
//! - raw inline HTML in a paragraph (or a heading, or a table cell) is sanitized in small
//!   *spans*, from a start tag to where the tags it opened are closed again, when what comes
//!   out can stand where it is (phrasing content, no link inside a link);
//! - otherwise the block's raw HTML goes to its *block group*: consecutive top-level blocks with
//!   raw HTML, and every block inside an element a group left open (a `<details>` around
//!   markdown), sanitized together.
//!
//! The grouping only decides what is parsed together; every byte of raw HTML is sanitized
//! within some span or group, so a wrong guess can change layout, never safety. Also here:
//! GFM's tagfilter, and a comment left open to the end.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::Event;

use crate::canonical::HtmlWriter;
use crate::html::{self, HtmlStage};
use crate::limits::{self, Depth};
use crate::report::{Finding, FindingKind};

/// Consecutive top-level blocks with raw HTML, written in place, waiting to be sanitized
/// together.
pub(crate) struct Group {
    /// Where the group's HTML starts in the output: the newline that ended the output before
    /// it is included, since it is text that the group's first text would join when parsed.
    pub start: usize,
    /// Where the group's own HTML starts in the output: after those line feeds.
    pub own: usize,
    /// The input the group was written from.
    pub source: Range<usize>,
    /// How many findings there were before it.
    pub findings: usize,
    /// How its raw HTML nests.
    pub depth: Depth,
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

/// The raw HTML of the current top-level block: its open inline span and what goes to its
/// block group.
#[derive(Default)]
pub(crate) struct Grouping {
    /// The open inline span of raw HTML.
    span: Option<Span>,
    /// The raw HTML of the current top-level block that its block group must sanitize, when
    /// it has any.
    raw: Option<String>,
    /// Set when the current top-level block's raw HTML could not be sanitized in inline spans:
    /// all of its raw HTML goes to the block group.
    whole_block: bool,
    /// How many markdown tags are open (0 between top-level blocks).
    nest: usize,
}

impl Grouping {
    /// How many markdown tags are open: 0 between top-level blocks.
    pub(crate) fn nest(&self) -> usize {
        self.nest
    }

    /// A top-level block starts; `whole`: its raw HTML is sanitized with its group anyway.
    pub(crate) fn start_block(&mut self, whole: bool) {
        self.whole_block = whole;
    }

    /// Counts open markdown tags, before `event` is written; a markdown tag that was open
    /// before the open span and ends inside it gives the span up.
    pub(crate) fn before(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(_) => self.nest += 1,
            Event::End(_) => {
                if self.span.as_ref().is_some_and(|s| self.nest <= s.nest) {
                    self.abort_span();
                }
                self.nest = self.nest.saturating_sub(1);
            }
            _ => {}
        }
    }

    /// A markdown element ends where the input may go on (the stream's tail: see
    /// [`crate::markdown::Renderer::continuation`]): a span still open in it is sanitized
    /// where it stands, its elements closed by the sanitizer as their end tags, still
    /// arriving, will close them (`Press <kbd>Ct`, shown as `<kbd>Ct</kbd>`), not given up
    /// to the block group, which would sanitize the whole block on every push that brings a
    /// tag. What comes out must still be phrasing content that can stand where it is.
    pub(crate) fn end_at_open_end(
        &mut self,
        w: &mut HtmlWriter,
        findings: &mut Vec<Finding>,
        stage: &HtmlStage,
    ) {
        if self.span.as_ref().is_some_and(|s| self.nest <= s.nest) {
            self.close_span(w, findings, stage);
        }
    }

    /// The top-level block is complete: the raw HTML its group must sanitize, if any.
    pub(crate) fn end_block(&mut self) -> Option<String> {
        self.abort_span();
        self.whole_block = false;
        self.raw.take()
    }

    /// How much raw HTML the current block has given its group so far.
    pub(crate) fn raw_len(&self) -> usize {
        self.raw.as_ref().map_or(0, String::len)
    }

    /// Takes back the block's raw HTML after its first `len` bytes (a footnote definition's
    /// own, sanitized with it); says whether there was any.
    pub(crate) fn take_raw_after(&mut self, len: usize) -> bool {
        let own = match &mut self.raw {
            Some(raw) if raw.len() > len => {
                raw.truncate(len);
                true
            }
            _ => false,
        };
        if self.raw.as_ref().is_some_and(String::is_empty) {
            self.raw = None;
        }
        own
    }

    /// Raw HTML of the block at `range`, after the tagfilter: written in place, as an inline
    /// span where it can be one, else for the block group.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn html(
        &mut self,
        h: &str,
        inline: bool,
        in_link: bool,
        range: &Range<usize>,
        w: &mut HtmlWriter,
        findings: &mut Vec<Finding>,
        stage: &HtmlStage,
    ) {
        let h = &*tagfilter(h, range, findings);
        if inline && !self.whole_block {
            self.inline_html(h, in_link, range, w, findings, stage);
        } else {
            self.abort_span();
            w.raw(h);
            self.raw.get_or_insert_with(String::new).push_str(h);
        }
    }

    /// Raw inline HTML: it opens an inline span, or continues the open one; the span is
    /// sanitized where its raw tags are balanced again.
    fn inline_html(
        &mut self,
        h: &str,
        in_link: bool,
        range: &Range<usize>,
        w: &mut HtmlWriter,
        findings: &mut Vec<Finding>,
        stage: &HtmlStage,
    ) {
        if self.span.is_none() {
            let starts_with_tag =
                h.len() > 1 && h.starts_with('<') && h.as_bytes()[1].is_ascii_alphabetic();
            if !starts_with_tag {
                // An end tag or a comment first: the whole block is parsed together.
                self.whole_block = true;
                w.raw(h);
                self.raw.get_or_insert_with(String::new).push_str(h);
                return;
            }
            self.span = Some(Span {
                start: w.len(),
                source: range.clone(),
                nest: self.nest,
                depth: Depth::default(),
                raw: String::new(),
                in_link,
            });
        }
        w.raw(h);
        let Some(span) = self.span.as_mut() else {
            return;
        };
        span.raw.push_str(h);
        span.source.end = range.end;
        span.depth = limits::open_elements(h, span.depth.open).max_with(span.depth);
        if span.depth.open == 0 {
            self.close_span(w, findings, stage);
        }
    }

    /// Sanitizes the open span on its own, if what comes out can stand in the block it is
    /// in; otherwise the block is sanitized whole. A span in which a markdown tag opened that
    /// is still open (`<a>_</a>_`: emphasis started inside the raw `<a>` and ends after it)
    /// cannot be sanitized on its own: its closing tag would be written after the span.
    fn close_span(&mut self, w: &mut HtmlWriter, findings: &mut Vec<Finding>, stage: &HtmlStage) {
        let Some(span) = self.span.take() else {
            return;
        };
        if self.nest == span.nest {
            let written = w.split_off(span.start);
            let mut found = Vec::new();
            let html = stage.try_sanitize(&written, &mut found);
            if let Some(html) = html
                .ok()
                .filter(|h| html::is_inline_fragment(h, span.in_link))
            {
                for f in &mut found {
                    f.range.get_or_insert_with(|| span.source.clone().into());
                }
                findings.extend(found);
                w.raw(&html);
                return;
            }
            w.raw(&written);
        }
        self.span = Some(span);
        self.abort_span();
    }

    /// Gives up the open span, if there is one: its raw HTML, still in the output as it
    /// came, goes to the block group with the rest of the block's.
    pub(crate) fn abort_span(&mut self) {
        if let Some(span) = self.span.take() {
            self.whole_block = true;
            self.raw.get_or_insert_with(String::new).push_str(&span.raw);
        }
    }
}

/// GFM's tagfilter, widened to every element the HTML stage removes with its content: a
/// tag of one of them in raw HTML is shown as text (its `<` written as `&lt;`), with a
/// finding. A model that mentions `<textarea>` in prose, or leaves a `<style>` open, then
/// loses nothing after it; a `<script>` shows as the text it is and never runs.
fn tagfilter<'h>(h: &'h str, range: &Range<usize>, findings: &mut Vec<Finding>) -> Cow<'h, str> {
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
            findings.push(
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

/// The tags of elements [`tagfilter`] shows as text: where each `<` is, the element, and
/// whether it is an end tag. GFM's rule, by its text: `<` or `</`, one of the names in any
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
pub(crate) fn show_unclosed_comment(html: String) -> String {
    let mut from = 0;
    while let Some(at) = html[from..].find("<!--").map(|i| from + i) {
        match comment_end(&html[at + 4..]) {
            Some(end) => from = at + 4 + end,
            // Open to the end: this opener and any after it are text.
            None => return format!("{}{}", &html[..at], html[at..].replace("<!--", "&lt;!--")),
        }
    }
    html
}

/// Where a comment whose text begins `rest` (after its `<!--`) ends, just past its closer, as
/// the HTML tokenizer ends it: `>` or `->` at once, else the first `-->` or `--!>`. One scan,
/// from the comment's start to its end: each comment searched to the end of the group for a
/// closer it does not have (`--!>`) made a run of `<!---->` quadratic (112 KB took 0.8 s).
fn comment_end(rest: &str) -> Option<usize> {
    if rest.starts_with('>') {
        return Some(1);
    }
    if rest.starts_with("->") {
        return Some(2);
    }
    let mut from = 0;
    while let Some(at) = rest[from..].find("--").map(|i| from + i) {
        let after = &rest[at + 2..];
        if after.starts_with('>') {
            return Some(at + 3);
        }
        if after.starts_with("!>") {
            return Some(at + 4);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one scan ends every comment where the closers searched one by one end it (the
    /// nearest of `-->` and `--!>`, unless `>` or `->` closes it at once), over every string
    /// of up to seven characters that can make or miss a closer.
    #[test]
    fn a_comment_ends_where_its_first_closer_ends() {
        let searched = |rest: &str| {
            if rest.starts_with('>') {
                return Some(1);
            }
            if rest.starts_with("->") {
                return Some(2);
            }
            [
                rest.find("-->").map(|i| i + 3),
                rest.find("--!>").map(|i| i + 4),
            ]
            .into_iter()
            .flatten()
            .min()
        };
        let alphabet = ['-', '!', '>', 'x', '<'];
        let mut strings = vec![String::new()];
        let mut count = 0;
        for _ in 0..7 {
            strings = strings
                .iter()
                .flat_map(|s| alphabet.map(|c| format!("{s}{c}")))
                .collect();
            for rest in &strings {
                assert_eq!(comment_end(rest), searched(rest), "{rest:?}");
                count += 1;
            }
        }
        assert_eq!(count, 97_655);
    }

    /// Comments that close stay for the sanitizer; an opener left open and every one after
    /// it are shown as text.
    #[test]
    fn only_an_unclosed_comment_is_shown_as_text() {
        let closed = "<!----><!-- a --!><!--><!--->".repeat(3);
        assert_eq!(show_unclosed_comment(closed.clone()), closed);
        assert_eq!(
            show_unclosed_comment("<!---->x<!-- open <!-- -->".to_string()),
            "<!---->x<!-- open <!-- -->"
        );
        assert_eq!(
            show_unclosed_comment("<!---->x<!-- open -- > <!--".to_string()),
            "<!---->x&lt;!-- open -- > &lt;!--"
        );
    }
}
