//! When the part of the tail's last block before a cut is stable: nothing arriving after the
//! cut can change how it renders (see `crate::tail`). Each rule reads the parse of the
//! candidate part (`events`, ranges in `source`).

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::blank_line_at_end;

/// One paragraph whose text left no delimiter, bracket, backtick or `<` as text, and no
/// footnote reference: nothing after it can pair with anything in it. Its raw HTML, if any,
/// is in spans that are sanitized on their own (see [`crate::group`]), closed where they
/// opened, of elements the allowlist keeps inline ([`span_tags`]): spliced before a rest
/// whose raw HTML makes the block be sanitized as a whole, the sanitized spans come out as
/// they are (sanitized output is a fixpoint), which `kept_tail_is_the_whole_tail` checks.
pub(super) fn settled_paragraph(
    events: &[(Event<'_>, Range<usize>)],
    source: &str,
    skip: usize,
    math: bool,
) -> bool {
    let (Some(first), Some(last)) = (events.first(), events.last()) else {
        return false;
    };
    // All of it is the paragraph: a definition before it would be taken out of it.
    let starts = first.1.start <= source.len() - source.trim_start().len();
    if !matches!(first.0, Event::Start(Tag::Paragraph))
        || !starts
        || last.1.end < source.trim_end().len()
    {
        return false;
    }
    paragraphs_settled(events, source, skip, math, false)
}

/// One block quote of paragraphs covering all of `source`, each settled as
/// [`settled_paragraph`] says: the quote's text is read as one paragraph's, whose stable part
/// may end one paragraph and begin the next. A list, a fence, a heading or a quote in it, or
/// the quote ending (a blank line), and it is not. (A definition in it renders nothing; the
/// `]:` makes the tail be rendered whole while a reference may use it: `Stable::defined`.)
pub(super) fn settled_quote(
    events: &[(Event<'_>, Range<usize>)],
    source: &str,
    skip: usize,
    math: bool,
) -> bool {
    let starts = |r: &Range<usize>| r.start <= source.len() - source.trim_start().len();
    let [(Event::Start(Tag::BlockQuote(_)), first), inner @ .., (Event::End(TagEnd::BlockQuote(_)), last)] =
        events
    else {
        return false;
    };
    starts(first)
        && last.end >= source.trim_end().len()
        && matches!(inner.first(), Some((Event::Start(Tag::Paragraph), _)))
        && paragraphs_settled(inner, source, skip, math, true)
}

/// Are `events` one paragraph (or, when `many`, paragraphs) whose text is settled (see
/// [`settled_paragraph`])?
fn paragraphs_settled(
    events: &[(Event<'_>, Range<usize>)],
    source: &str,
    skip: usize,
    math: bool,
    many: bool,
) -> bool {
    let mut paragraphs = 0;
    // Markdown elements open.
    let mut nest = 0usize;
    let mut spans = RawSpans::default();
    let settled = events.iter().all(|(event, range)| match event {
        Event::Start(Tag::Paragraph) => {
            paragraphs += 1;
            nest == 0 && (many || paragraphs == 1)
        }
        Event::Text(_) => {
            let text = &source[range.start.max(skip)..range.end.max(skip)];
            // Under math, a `$` left as text may still open or close a span.
            let open = if math {
                &['*', '_', '~', '[', ']', '`', '<', '|', '$'][..]
            } else {
                &['*', '_', '~', '[', ']', '`', '<', '|'][..]
            };
            !text.contains(open)
        }
        Event::Start(
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. },
        ) => {
            nest += 1;
            spans.closed()
        }
        Event::End(TagEnd::Paragraph) => spans.closed(),
        Event::End(_) => {
            nest = nest.saturating_sub(1);
            spans.closed()
        }
        // Without the HTML stage, raw HTML is text, and a complete tag stays one.
        Event::InlineHtml(_) if !cfg!(feature = "html") => spans.closed(),
        Event::InlineHtml(h) => spans.read(h, nest),
        Event::Code(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_)
        | Event::SoftBreak
        | Event::HardBreak => true,
        _ => false,
    });
    settled && spans.closed()
}

/// The raw HTML spans of a paragraph or a table cell, read one `InlineHtml` event at a time:
/// a span starts with a start tag (else the block is sanitized whole), holds only
/// [`span_tags`], and closes where it opened (as many markdown elements open as at its start).
#[derive(Default)]
struct RawSpans {
    /// Raw elements open.
    open: usize,
    /// How many markdown elements were open where the open span started.
    nest: usize,
}

impl RawSpans {
    /// No raw span is open.
    fn closed(&self) -> bool {
        self.open == 0
    }

    /// Reads `html`, with `nest` markdown elements open: may the span go on (or have closed)?
    fn read(&mut self, html: &str, nest: usize) -> bool {
        if self.open == 0 {
            self.nest = nest;
            let b = html.as_bytes();
            if !(b.len() > 1 && b[0] == b'<' && b[1].is_ascii_alphabetic()) {
                return false;
            }
        }
        self.open = crate::limits::open_elements(html, self.open).open;
        (self.open > 0 || self.nest == nest) && span_tags(html)
    }
}

/// Are all of `html`'s tokens tags of elements the allowlist keeps and a sanitized inline
/// span may hold (see `html::is_inline_fragment`), but `a` (a link may not nest) and `img`
/// (which the policy may replace with its text), or text?
#[cfg(feature = "html")]
fn span_tags(html: &str) -> bool {
    use html5ever::tokenizer::Token;
    let mut kept = true;
    crate::limits::tokenize(html, |token| {
        kept &= match token {
            Token::TagToken(tag) => {
                let name = &*tag.name;
                crate::html::INLINE.contains(&name)
                    && crate::allowlist::TAGS.contains(&name)
                    && !matches!(name, "a" | "img")
            }
            Token::CharacterTokens(_) | Token::EOFToken => true,
            _ => false,
        };
    });
    kept
}

/// Without the HTML stage, raw HTML is text: no span is kept.
#[cfg(not(feature = "html"))]
fn span_tags(_html: &str) -> bool {
    false
}

/// One fenced code block whose content reaches the end: still open.
pub(super) fn settled_fence(events: &[(Event<'_>, Range<usize>)], source: &str) -> bool {
    let blocks = events
        .iter()
        .filter(|(e, _)| matches!(e, Event::Start(_)))
        .count();
    let reaches_end = events
        .iter()
        .rev()
        .find(|(e, _)| matches!(e, Event::Text(_)))
        .is_some_and(|(_, r)| r.end == source.len());
    blocks == 1
        && matches!(events.first(), Some((Event::Start(Tag::CodeBlock(_)), _)))
        && reaches_end
}

/// One list, tight or (`loose`) loose, no raw HTML and no footnote reference in it, covering
/// all of `source`. A loose list's items stay loose whatever follows them; a tight list's
/// would not after a blank line. Read as they are, the items must be what the shape says.
pub(super) fn settled_list(
    events: &[(Event<'_>, Range<usize>)],
    source: &str,
    loose: bool,
) -> bool {
    let starts = |r: &Range<usize>| r.start <= source.len() - source.trim_start().len();
    if !matches!(events.first(), Some((Event::Start(Tag::List(_)), r)) if starts(r)) {
        return false;
    }
    let mut depth = 0usize;
    let mut lists = 0;
    let mut paragraphs = false;
    for (event, range) in events {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    lists += 1;
                }
                // A paragraph directly in an item: a loose list.
                if depth == 2 && matches!(tag, Tag::Paragraph) {
                    if !loose {
                        return false;
                    }
                    paragraphs = true;
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) => return false,
            _ => {}
        }
        if depth == 0 && range.end < source.trim_end().len() {
            return false;
        }
    }
    // A loose list's items read on their own (`- a` then a blank line) may be a tight list's.
    lists == 1 && (paragraphs || !blank_line_at_end(source)) && paragraphs == loose
}

/// One table covering all of `source`, which ends with a complete row (not a blank line),
/// and no footnote reference in it: a row is read on its own line, under the header's
/// columns, and nothing after it can change it. Its raw HTML, if any, is in spans as a
/// paragraph's must be (see [`settled_paragraph`]), each closed in the cell it opened in.
pub(super) fn settled_table(events: &[(Event<'_>, Range<usize>)], source: &str) -> bool {
    let starts = |r: &Range<usize>| r.start <= source.len() - source.trim_start().len();
    // After a blank line, what follows starts another block.
    if !matches!(events.first(), Some((Event::Start(Tag::Table(_)), r)) if starts(r))
        || !source.ends_with('\n')
        || blank_line_at_end(source)
    {
        return false;
    }
    let mut depth = 0usize;
    // Markdown elements open in the cell.
    let mut nest = 0usize;
    let mut spans = RawSpans::default();
    for (event, range) in events {
        let kept = match event {
            Event::Start(tag) => {
                depth += 1;
                if matches!(tag, Tag::TableCell) {
                    nest = 0;
                } else if depth > 3 {
                    nest += 1;
                }
                spans.closed()
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if !matches!(end, TagEnd::TableCell) && depth > 2 {
                    nest = nest.saturating_sub(1);
                }
                spans.closed()
            }
            // Without the HTML stage, raw HTML is text, and a complete tag stays one.
            Event::InlineHtml(_) if !cfg!(feature = "html") => true,
            Event::InlineHtml(h) => spans.read(h, nest),
            Event::Html(_) | Event::FootnoteReference(_) => false,
            _ => true,
        };
        if !kept || (depth == 0 && range.end < source.trim_end().len()) {
            return false;
        }
    }
    spans.closed()
}
