//! Healing the stream's tail: unfinished markdown made safe and quiet to render provisionally,
//! in the manner of Vercel's `remend`. An unclosed `**`, `*`, `~~` or code span is closed (or
//! dropped when nothing follows it yet), a link or image whose destination is still arriving
//! is shown as its text only, and a definition on the unfinished last line is left out, so
//! that no URL is loaded or linked before it is complete and judged by the policy.

use std::borrow::Cow;

mod destination;
mod scan;
pub(crate) use destination::destination_ended;
use scan::{scan, starts_block};

/// The healed text alone ([`heal_closing`]), for the tests.
#[cfg(test)]
fn heal<'s>(source: &'s str, math: bool, parsed: &mut usize) -> Cow<'s, str> {
    heal_closing(source, math, parsed).0
}

/// Heals unfinished markdown for the provisional tail (see the module documentation). Also
/// says whether the last paragraph had runs to close, so that their closers were written or,
/// where the parser would read one as text, left out (see [`write_closers`]): which of the
/// two depends on the character before them (after a letter a closer is right-flanking;
/// after punctuation it may not be).
pub(crate) fn heal_closing<'s>(
    source: &'s str,
    math: bool,
    parsed: &mut usize,
) -> (Cow<'s, str>, bool) {
    let mut text = Cow::Borrowed(source);
    // A definition on the unfinished last line: its destination may still be arriving. A
    // footnote's text is shown as it arrives, as a paragraph's is.
    if !text.ends_with('\n') {
        let line_start = rfind_lf(&text).map_or(0, |i| i + 1);
        if reference_definition_line(&text[line_start..]) {
            text = Cow::Owned(text[..line_start].to_string());
        }
    }
    // Inside a fence everything is code until the end: nothing to heal.
    let fences = Fences::of(&text, parsed);
    if fences.at_end {
        return (text, false);
    }
    let para_start = html_block_start(&text, fences.last_paragraph_start(&text), parsed);
    let mut para = text[para_start..].to_string();
    // What is still arriving is read in the input as it is (with a definition line left out
    // above, or a line a cut took): a cut that took a whole line leaves a block before it
    // last, which the final answer shows as it is now (`- a ![x` then `1. <https:`, cut to
    // `- a ![x`, keeps its image's text).
    let uncut = &source[para_start..];
    let whole = para.len();
    drop_unfinished_tag(&mut para, uncut, math, parsed);
    drop_unfinished_destination(&mut para, uncut, math, parsed);
    drop_unfinished_image(&mut para, uncut, math, parsed);
    if para.len() < whole && para.contains("]:") {
        // What is left of a line cut short may read as a definition that was none (`[a]:
        // [b](c` cut to `[a]: b`), which would resolve references before it: it goes too.
        if let Some(start) = definition_at_end(&para, math, parsed) {
            let uncut = definition_spans(&text[para_start..], math, parsed);
            if !uncut.iter().any(|span| span.start == start) {
                cut(&mut para, start);
            }
        }
    }
    // A last line of markers only (`*`, `1.`, `>`), or of what may rule, underline or
    // delimit (`---`, `===`, `|-|`), may be a block of its own or end the one before, and a
    // closer after it would make text of it (`` *` ``, `` ---` ``): nothing before it is
    // closed either. Closers go after the text, so that line is the last with any.
    let text_end = para.trim_end();
    let last_line = &text_end[rfind_lf(text_end).map_or(0, |i| i + 1)..];
    let markers = !last_line.trim().is_empty() && markup_only(last_line);
    // After a cut that took the whole last line, the markers before it stay as they are.
    let line_cut = para.len() < whole && (para.is_empty() || para.ends_with('\n'));
    let closing = !line_cut
        && !keep_setext_underline_as_text(&mut para, parsed)
        && !markers
        && close_markers(&mut para, math, parsed);
    if para.is_empty() {
        // All of the last paragraph was an unfinished marker: the blank lines before it stay
        // (a fence or an HTML block that a list item holds may end with them).
        return (Cow::Owned(text[..para_start].to_string()), closing);
    }
    (Cow::Owned([&text[..para_start], &para].concat()), closing)
}

/// A tag still arriving at the end (`Hello <div`, `</di`, `<a href="https://exa`): the
/// parser would show it as text until its `>` arrives, then hide it; it is hidden now. Not
/// in code, not a `<` that starts no tag (`3 < 5`, `value <1`), not one in a block that
/// has ended (a heading's line), and not one in a code span that healing closes (`` `Vec<S
/// ``: shown as the code it will be, as remend shows it).
fn drop_unfinished_tag(para: &mut String, uncut: &str, math: bool, parsed: &mut usize) {
    let Some(lt) = para.rfind('<') else {
        return;
    };
    let rest = &para[lt + 1..];
    let name = rest.strip_prefix('/').unwrap_or(rest);
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) || rest.contains('>') {
        return;
    }
    // A tag cannot go on past the end of the paragraph, heading, list item, table cell or
    // HTML block it is in (`## a </b` then a line: the heading ended, and its `</b` is text;
    // `<script </script><s` then a line: the block ended with its line, and `<s` is in it).
    let read = uncut_or(para, uncut);
    let (outside, block_end, tick) = scan(read, &[lt], true, math, parsed);
    // In a code span that healing closes (after the first backtick the parser left as text),
    // it is the code it will be.
    let in_open_span = tick.is_some_and(|t| t < lt);
    if outside && !in_open_span && block_end.is_none_or(|end| end >= read.trim_end().len()) {
        cut(para, lt);
    }
}

/// Cuts `para` at `at`, where something still arriving begins. Spaces before it go too; a
/// line break stays where it was (it ends a heading's line, or a code block's). A line left
/// with its block's markers only goes whole: what is left would start no block, or another
/// (`- ` then an image arriving: an empty item cannot interrupt a paragraph, and `-` under
/// one is a setext underline). So does a line left with only what may underline, rule or
/// delimit (`-`, `=`, `|`, `:`, `*`, `_`, `+` after its markers): `- |<https:/` cut to
/// `- |` would be a table's delimiter row under the line before, `=== ![x` cut to `===` a
/// setext underline.
fn cut(para: &mut String, at: usize) {
    para.truncate(at);
    let end = para.trim_end_matches([' ', '\t']).len();
    para.truncate(end);
    let line = rfind_lf(para).map_or(0, |nl| nl + 1);
    if markup_only(&para[line..]) {
        para.truncate(line);
    }
}

/// Is `line` made of block markers and what may underline, rule or delimit (`-`, `=`, `|`,
/// `:`, `*`, `_`, `+`) only: a line that may start or end a block whatever its text?
fn markup_only(line: &str) -> bool {
    after_markers(line)
        .bytes()
        .all(|b| b"-=|:*_+ \t".contains(&b))
}

/// Is `line` made of block markers (`>`, and `-`, `+`, `*` or up to nine digits then `.` or
/// `)`, each before whitespace or the end) and indentation only, so that what follows on it
/// starts its content?
fn only_markers(line: &str) -> bool {
    after_markers(line).is_empty()
}

/// What `line` holds after its block markers and indentation (see [`only_markers`]).
fn after_markers(line: &str) -> &str {
    let mut rest = line.trim_start_matches([' ', '\t']);
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (marker, spaced) = match rest.as_bytes().get(digits) {
            Some(b'>') if digits == 0 => (1, false),
            Some(b'-' | b'+' | b'*') if digits == 0 => (1, true),
            Some(b'.' | b')') if (1..=9).contains(&digits) => (digits + 1, true),
            _ => return rest,
        };
        let after = &rest[marker..];
        if spaced && !after.is_empty() && !after.starts_with([' ', '\t']) {
            return rest;
        }
        rest = after.trim_start_matches([' ', '\t']);
    }
    rest
}

/// A last line of one or two `-` or `=` under a paragraph line would make it a setext
/// heading while the line may still be a list item (`- `) or a longer rule arriving: the
/// paragraph is kept a paragraph, as remend keeps it, the marker shown as text (followed by
/// an invisible U+200B, which ends the underline). Returns whether it did.
fn keep_setext_underline_as_text(para: &mut String, parsed: &mut usize) -> bool {
    let Some(nl) = rfind_lf(para) else {
        return false;
    };
    let last = para[nl + 1..].trim();
    let above = para[..nl].lines().next_back().unwrap_or("");
    let marker = matches!(last, "-" | "--" | "=" | "==");
    let indent = para[nl + 1..].len() - para[nl + 1..].trim_start().len();
    if !marker || indent > 3 || above.trim().is_empty() || !ends_in_paragraph(&para[..nl], parsed) {
        return false;
    }
    let end = nl + 1 + indent + last.len();
    para.truncate(end);
    para.push('\u{200B}');
    true
}

/// Where a reference definition starts that reaches the end of `text` (its whitespace
/// aside), if one does.
fn definition_at_end(text: &str, math: bool, parsed: &mut usize) -> Option<usize> {
    let end = text.trim_end().len();
    definition_spans(text, math, parsed)
        .into_iter()
        .filter(|span| span.end >= end)
        .map(|span| span.start)
        .min()
}

/// Where the reference definitions of `text` are, from one parse.
fn definition_spans(text: &str, math: bool, parsed: &mut usize) -> Vec<std::ops::Range<usize>> {
    *parsed += text.len();
    let mut parser = crate::markdown::parser(text, math, None);
    parser.by_ref().for_each(drop);
    let spans = parser
        .reference_definitions()
        .iter()
        .map(|(_, d)| d.span.clone())
        .collect();
    spans
}

/// Does `line` start as a reference or footnote definition does (`[label]:`)?
pub(crate) fn definition_line(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with('[')
        && line
            .find(']')
            .is_some_and(|close| line[close + 1..].starts_with(':'))
}

/// Does `line` start as a reference definition does (`[label]:`, not a footnote's
/// `[^label]:`)? Healing hides such a line while it is the input's last: its destination may
/// be arriving. A footnote's text is shown as it arrives.
fn reference_definition_line(line: &str) -> bool {
    definition_line(line) && !line.trim_start().starts_with("[^")
}

/// The fenced code blocks of a text, from one parse (none without a fence marker).
struct Fences {
    /// Where the last one ends, if there is one.
    last_end: Option<usize>,
    /// Whether the text ends with one (open or closed): then there is no inline markdown at
    /// the end to heal.
    at_end: bool,
}

impl Fences {
    fn of(text: &str, parsed: &mut usize) -> Fences {
        use pulldown_cmark::{CodeBlockKind, Event, Tag};
        if !has_fence_run(text) {
            return Fences {
                last_end: None,
                at_end: false,
            };
        }
        *parsed += text.len();
        // Math does not change blocks.
        let last_end = crate::markdown::parser(text, false, None)
            .into_offset_iter()
            .filter(|(e, _)| matches!(e, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_)))))
            .last()
            .map(|(_, block)| block.end);
        Fences {
            last_end,
            at_end: last_end.is_some_and(|end| text[end..].trim().is_empty()),
        }
    }

    /// Where the last paragraph of `text` starts: after its last blank line, but not one
    /// inside a fence (the blank lines of a fenced block end no paragraph).
    fn last_paragraph_start(&self, text: &str) -> usize {
        let start = last_paragraph_start(text);
        match self.last_end {
            Some(end) if start < end => end,
            _ => start,
        }
    }
}

/// Where the HTML block starts that holds `at` (a line after a blank line), if one does and
/// reaches the end of `text`: blank lines end no script, pre, style or textarea block,
/// comment, processing instruction, declaration or CDATA section, and nothing in one is
/// markdown. Healing reads the last paragraph from there, so that its parse sees the block
/// (read from the blank line on, the block's rest is a paragraph whose markers look open).
/// Where such a block ended before the end of `text` (its list item or quote ended), the
/// last paragraph starts after it: read from the block's start without its container, the
/// block would go on to the end (`- <!--\n\n  x\n*a` hid that `*a` is a paragraph).
fn html_block_start(text: &str, at: usize, parsed: &mut usize) -> usize {
    use pulldown_cmark::{Event, Tag};
    let b = text.as_bytes();
    let spans = |i: usize| {
        let name = &b[i + 1..b.len().min(i + 10)];
        let is =
            |tag: &[u8]| name.len() >= tag.len() && name[..tag.len()].eq_ignore_ascii_case(tag);
        matches!(name.first(), Some(b'!' | b'?'))
            || [&b"script"[..], b"pre", b"style", b"textarea"]
                .into_iter()
                .any(is)
    };
    if !memchr::memchr_iter(b'<', &b[..at]).any(spans) {
        return at;
    }
    *parsed += text.len();
    // Math does not change blocks.
    crate::markdown::parser(text, false, None)
        .into_offset_iter()
        .find(|(e, r)| matches!(e, Event::Start(Tag::HtmlBlock)) && r.start < at && at < r.end)
        .map_or(at, |(_, r)| match r.end < text.trim_end().len() {
            true => r.end,
            false => r.start,
        })
}

/// Has `text` three backticks or three tildes in a row (`contains("```") ||
/// contains("~~~")`, in one byte search: asked of the tail on every render)?
fn has_fence_run(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr2_iter(b'`', b'~', b)
        .any(|i| b.get(i + 1) == Some(&b[i]) && b.get(i + 2) == Some(&b[i]))
}

/// Does `text` end with a fenced code block (open or closed)?
fn ends_in_fence(text: &str, parsed: &mut usize) -> bool {
    Fences::of(text, parsed).at_end
}

/// Does `text` end in a paragraph (that a setext underline would make a heading)?
fn ends_in_paragraph(text: &str, parsed: &mut usize) -> bool {
    use pulldown_cmark::{Event, TagEnd};
    let mut last = None;
    let mut depth = 0usize;
    *parsed += text.len();
    // Math does not change blocks.
    for event in crate::markdown::parser(text, false, None) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    last = Some(end);
                }
            }
            _ if depth == 0 => last = None,
            _ => {}
        }
    }
    matches!(last, Some(TagEnd::Paragraph))
}

/// Is the innermost block `text` ends in a paragraph (not a heading, a table cell or code)?
fn ends_in_a_paragraph_line(text: &str, parsed: &mut usize) -> bool {
    use pulldown_cmark::{Event, Tag};
    *parsed += text.len();
    let mut last = None;
    // Math does not change blocks.
    for event in crate::markdown::parser(text, false, None) {
        if let Event::Start(tag) = event {
            match tag {
                // A tight list item's text is a paragraph without its tags.
                Tag::Paragraph | Tag::Item => last = Some(true),
                Tag::Heading { .. }
                | Tag::TableCell
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::MetadataBlock(_) => last = Some(false),
                _ => {}
            }
        }
    }
    last.unwrap_or(false)
}

/// An image whose alt text is still arriving (`![diag`, `![a [b]`) is hidden, as remend hides
/// it: what it will show is not known yet. Not in code (an indented code block's text
/// included), and not once its `]` has come (`![a] foo [`: a `[` after it is no part of it,
/// and what it shows, the text before included, is known).
fn drop_unfinished_image(para: &mut String, uncut: &str, math: bool, parsed: &mut usize) {
    if let Some(at) = unfinished_image(para, uncut, math, parsed) {
        cut(para, at);
    }
}

/// Where the `![` of an image whose alt text is still arriving at the end of `para` is (see
/// `drop_unfinished_image`).
fn unfinished_image(para: &str, uncut: &str, math: bool, parsed: &mut usize) -> Option<usize> {
    let at = rfind_pair(para, b"![")?;
    let mut depth = 0isize;
    for c in para[at + 1..].chars() {
        match c {
            '[' => depth += 1,
            // The alt text has ended: what follows it is no longer its text.
            ']' if depth == 1 => return None,
            ']' => depth -= 1,
            _ => {}
        }
    }
    still_arriving(uncut_or(para, uncut), &[at], math, parsed).then_some(at)
}

/// Does healing hide the end of `text` because an image's alt text is arriving there (no
/// `]` yet)? Then more of it that holds no markup changes nothing a reader sees.
pub(crate) fn alt_arriving(text: &str, math: bool, parsed: &mut usize) -> bool {
    arriving_paragraph(text, parsed)
        .is_some_and(|para| unfinished_image(para, para, math, parsed).is_some())
}

/// The last paragraph of `text`, if healing may hide what arrives at its end: not on a
/// definition's line (its destination is hidden as a whole), not in a fence.
fn arriving_paragraph<'t>(text: &'t str, parsed: &mut usize) -> Option<&'t str> {
    let para = &text[last_paragraph_start(text)..];
    let last_line = &para[rfind_lf(para).map_or(0, |i| i + 1)..];
    (!reference_definition_line(last_line) && !ends_in_fence(text, parsed)).then_some(para)
}

/// Where the last paragraph of `text` starts: after its last blank line (a line after a line
/// feed, blank as [`blank`] reads it, on either line ending), found from the line feeds.
pub(crate) fn last_paragraph_start(text: &str) -> usize {
    let Some(mut lf) = rfind_lf(text) else {
        return 0;
    };
    // The line from the line feed before `lf` to it.
    while let Some(start) = rfind_lf(&text[..lf]) {
        if blank(&text[start + 1..lf]) {
            return lf + 1;
        }
        lf = start;
    }
    0
}

/// Is `line` (without its line feed) blank: spaces, tabs, vertical tabs and form feeds
/// only, and a CR before the line feed? CommonMark's blank line has spaces and tabs only;
/// pulldown-cmark, which renders the batch, reads U+000B and U+000C as blank too
/// (`scanners::is_ascii_whitespace_no_nl`), and the tail must read lines as it does (a
/// list whose items a line of U+000B separates was kept as tight while the parser made
/// the rest loose: found by the `stream` fuzz target).
pub(crate) fn blank(line: &str) -> bool {
    let line = line.strip_suffix('\r').unwrap_or(line);
    line.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | 0x0b | 0x0c))
}

/// Where the `[` and the `](` of a link or image whose destination is still arriving at the
/// end of `para` are. A `](` that closes no `[` starts no link.
fn unfinished_destination(
    para: &str,
    uncut: &str,
    math: bool,
    parsed: &mut usize,
) -> Option<(usize, usize)> {
    let open_paren = rfind_pair(para, b"](")?;
    let mut depth = 1usize;
    for c in para[open_paren + 2..].chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return None;
                }
            }
            _ => {}
        }
    }
    // The `[` that the `]` closes.
    let bytes = para.as_bytes();
    let mut depth = 0usize;
    let mut open = None;
    for i in (0..open_paren).rev() {
        match bytes[i] {
            b']' => depth += 1,
            b'[' if depth == 0 => {
                open = Some(i);
                break;
            }
            b'[' => depth -= 1,
            _ => {}
        }
    }
    let open = open?;
    if destination_ended(&para[open_paren + 2..]) {
        return None;
    }
    let read = uncut_or(para, uncut);
    still_arriving(read, &[open, open_paren], math, parsed).then_some((open, open_paren))
}

/// The text whose blocks say whether something in `para` is still arriving: `uncut`, the
/// last paragraph as it came (lines that healing left out included), while `para` is what is
/// left of it after cuts; `para` once it holds more than that (a link's text shown).
fn uncut_or<'a>(para: &'a str, uncut: &'a str) -> &'a str {
    match uncut.starts_with(para) {
        true => uncut,
        false => para,
    }
}

/// Is a link or image that opens at `at[0]` (its `[`, `![` or `](` at the others) still
/// arriving: every byte of `at` outside code, and `at[0]` in the block `text` ends in? Link
/// text cannot go on past the end of its paragraph, heading, list item or table cell: a `[`
/// that a later block (a list item interrupting the paragraph, the next cell) has closed off
/// is text, shown as it will stay.
fn still_arriving(text: &str, at: &[usize], math: bool, parsed: &mut usize) -> bool {
    let (outside, block_end, _) = scan(text, at, false, math, parsed);
    outside && block_end.is_some_and(|end| end >= text.trim_end().len())
}

/// Does healing hide the end of `text` because a link or image destination is arriving there?
/// Then more of the destination changes nothing a reader sees.
pub(crate) fn destination_arriving(text: &str, math: bool, parsed: &mut usize) -> bool {
    arriving_paragraph(text, parsed)
        .is_some_and(|para| unfinished_destination(para, para, math, parsed).is_some())
}

/// `[text](partial` becomes `text` (not in code; `[text` at a line's start, but before a
/// letter); `![alt](partial` is hidden, as remend hides it (the image it will be, or its alt
/// text where the policy blocks it, shows once it is complete).
fn drop_unfinished_destination(para: &mut String, uncut: &str, math: bool, parsed: &mut usize) {
    let Some((open, open_paren)) = unfinished_destination(para, uncut, math, parsed) else {
        return;
    };
    let text = para[open + 1..open_paren].to_string();
    if open > 0 && para.as_bytes()[open - 1] == b'!' {
        cut(para, open - 1);
        return;
    }
    // At the start of a line's content (after markers or indentation only), text without its
    // `[` could start a block (`[# a](`, `[    code](`), which would change the blocks
    // before it (a line indented into a list item's fence): its `[` stays, as text, unless
    // a letter follows (no block starts with one).
    let line = &para[rfind_lf(&para[..open]).map_or(0, |i| i + 1)..open];
    let starts_line = only_markers(line);
    let keep = starts_line && !text.starts_with(char::is_alphabetic);
    para.truncate(open + usize::from(keep));
    para.push_str(&text);
}

/// A delimiter run the parser left as text: where it starts, its character, its length.
struct Literal {
    at: usize,
    c: u8,
    len: usize,
}

/// Where `needle` (ASCII, not empty) first occurs in `text` from `from` on:
/// `text[from..].find(needle)`, without building a substring searcher (asked on every push
/// and every render of the tail): its first byte is found by memchr, then the rest compared.
pub(crate) fn find_ascii(text: &str, needle: &[u8], from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let (&first, _) = needle.split_first()?;
    let mut at = from;
    loop {
        let found = at + memchr::memchr(first, bytes.get(at..)?)?;
        if bytes[found..].starts_with(needle) {
            return Some(found);
        }
        at = found + 1;
    }
}

/// Whether `text` has the `pair` of ASCII bytes: `text.contains(pair)` (see [`find_ascii`]).
pub(crate) fn has_pair(text: &str, pair: &[u8; 2]) -> bool {
    find_ascii(text, pair, 0).is_some()
}

/// Where the last line feed in `text` is: `text.rfind('\n')` by the vectorized search (the
/// tail asks it of its text on every render).
pub(crate) fn rfind_lf(text: &str) -> Option<usize> {
    memchr::memrchr(b'\n', text.as_bytes())
}

/// Where the last `pair` of ASCII bytes in `text` starts: `text.rfind(pair)` without building
/// a substring searcher (asked on every render of the tail).
pub(crate) fn rfind_pair(text: &str, pair: &[u8; 2]) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    while let Some(at) = memchr::memrchr(pair[0], &bytes[..end]) {
        if bytes.get(at + 1) == Some(&pair[1]) {
            return Some(at);
        }
        end = at;
    }
    None
}

/// The delimiter runs (`*`, `_`, `~`, `` ` ``) of the last block of `para` that pulldown-cmark
/// left as text: the ones that closed nothing. Escaped characters are not runs.
fn literal_runs(para: &str, math: bool, parsed: &mut usize) -> Vec<Literal> {
    *parsed += para.len();
    use pulldown_cmark::{Event, LinkType, Tag, TagEnd};
    let mut runs: Vec<Literal> = Vec::new();
    let bytes = para.as_bytes();
    let mut in_code_block = false;
    // An autolink's text is its destination (`<https://a.example/`x>`): complete, it binds
    // before any code span that a backtick in it could open.
    let mut in_autolink = false;
    let parser = crate::markdown::parser(para, math, None);
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => {
                in_autolink = true;
                continue;
            }
            Event::End(TagEnd::Link) => {
                in_autolink = false;
                continue;
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                runs.clear();
                continue;
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                continue;
            }
            // Only the last block's runs may still close: a new paragraph, heading, list
            // item, quote, table row or thematic break (`**a\n---`) starts afresh (not a
            // cell: a row may end in cells the parser adds).
            Event::Rule => {
                runs.clear();
                continue;
            }
            Event::Start(ref tag) if starts_block(tag) => {
                runs.clear();
                continue;
            }
            Event::Text(_) if !in_code_block && !in_autolink => {}
            _ => continue,
        }
        let mut i = range.start;
        while i < range.end {
            let c = bytes[i];
            if !matches!(c, b'*' | b'_' | b'~' | b'`') {
                i += 1;
                continue;
            }
            // An escaped character (`\*`; the parser's text starts after the backslash).
            // Counted only at a delimiter, so a long run of backslashes is read once.
            let backslashes = bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count();
            if backslashes % 2 == 1 {
                i += 1;
                continue;
            }
            let len = bytes[i..range.end].iter().take_while(|&&b| b == c).count();
            // The parser splits a run between text events (`~~` as `~`, `~`): one run.
            match runs.last_mut() {
                Some(last) if last.c == c && last.at + last.len == i => last.len += len,
                _ => runs.push(Literal { at: i, c, len }),
            }
            i += len;
        }
    }
    runs
}

/// Closes what the parser left open at the end of the last paragraph, as the whole answer
/// would close it once it arrives: an emphasis, strong emphasis or strikethrough opener (a
/// run that closed nothing and is followed by text) gets its closer at the end, innermost
/// first; a closer cut short at the very end (`~~strike~`) is completed; an unclosed code
/// span is closed, and what follows its opener is code. An opener that nothing follows yet is
/// left as the text it is: healing never hides what a reader has seen, and adds only closers.
/// `_` opens only at the start of a word (`snake_case` stays text). Returns whether there
/// were closers to write (written or not, see [`write_closers`]).
fn close_markers(para: &mut String, math: bool, parsed: &mut usize) -> bool {
    // Without a delimiter character there is nothing to close (and no parse to pay for on
    // every render of the tail).
    if !para.bytes().any(|b| matches!(b, b'*' | b'_' | b'~' | b'`')) {
        return false;
    }
    // Closers go right after the text; whitespace after it stays if none is added (a line
    // break may end a code block).
    let end = para.trim_end().len();
    let trailing = para.split_off(end);
    let bytes = para.as_bytes();
    let mut openers: Vec<&Literal> = Vec::new();
    let runs = literal_runs(para, math, parsed);
    let mut code: Option<&Literal> = None;
    let mut partial: Option<&Literal> = None;
    for run in &runs {
        let after = bytes.get(run.at + run.len).copied();
        let before = run.at.checked_sub(1).map(|i| bytes[i]);
        let followed = after.is_some_and(|b| !b.is_ascii_whitespace());
        if run.c == b'`' {
            if !para[run.at + run.len..].trim().is_empty() {
                code = Some(run);
                break;
            }
            continue;
        }
        if run.at + run.len == para.len() && !followed {
            // A run at the very end: a closer cut short, or an opener nothing follows yet.
            if before.is_some_and(|b| !b.is_ascii_whitespace()) {
                partial = Some(run);
            }
            continue;
        }
        // `_`, and a single `~`, open only at the start of a word (`snake_case`, `20~25°C`).
        let intraword_ok = !(run.c == b'_' || (matches!(run.c, b'~' | b'*') && run.len == 1));
        let before_char = para[..run.at].chars().next_back();
        let word_start = !before_char.is_some_and(char::is_alphanumeric)
            || (run.c == b'*' && !after.is_some_and(|b| b.is_ascii_alphanumeric()));
        // A single `~` opens nothing: it is far more often a home directory or "about"
        // (`~/src`, `~5 min`) than a strikethrough, as remend reads it.
        let single_tilde = run.c == b'~' && run.len == 1;
        if followed && (intraword_ok || word_start) && !single_tilde {
            openers.push(run);
        }
    }
    let mut closers = String::new();
    if let Some(run) = code {
        // A closing run cut short at the end (`` ``x` ``) is completed, not followed by a
        // whole one (which would make a longer run that closes nothing). A run at the end
        // longer than the opener (`` ` `` then ` `` `) cannot become its closer: more
        // backticks would only show as text, so the span is left open.
        let cut = para.len() - para.trim_end_matches('`').len();
        if cut <= run.len {
            let short = (cut < run.len && para.len() - cut > run.at + run.len).then_some(cut);
            closers.push_str(&"`".repeat(run.len - short.unwrap_or(0)));
            openers.retain(|o| o.at < run.at);
        }
    }
    if let (Some(cut), None) = (partial, code) {
        if let Some(i) = openers
            .iter()
            .rposition(|o| o.c == cut.c && o.len > cut.len)
        {
            if i + 1 == openers.len() {
                let open = openers.remove(i);
                closers.push_str(&(open.c as char).to_string().repeat(open.len - cut.len));
            }
        }
    }
    for open in openers.iter().rev() {
        closers.push_str(&(open.c as char).to_string().repeat(open.len));
    }
    write_closers(para, &closers, &trailing, math, parsed);
    !closers.is_empty()
}

/// Writes `closers` after `para`, or, when there are none or the parser would read one as
/// text, the whitespace `trailing` that was after it. The parser has the last word: a closer
/// it reads as text (an opener the rules of [`close_markers`] took for one but the parser's
/// flanking rules do not, `a*"`) would be a character the input does not have; so would one
/// a backslash at the end escapes (`foo *\`). Then nothing is closed. Nor when `trailing`
/// ends the last line and that line's block is not a paragraph (a heading or a table row
/// ends with its line: `## a \`b` then a line break is final, and a closer would make code
/// of it).
fn write_closers(para: &mut String, closers: &str, trailing: &str, math: bool, parsed: &mut usize) {
    let end = para.len();
    let escaped = para.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1;
    if closers.is_empty()
        || escaped
        || (trailing.contains(['\n', '\r']) && !ends_in_a_paragraph_line(para, parsed))
    {
        para.push_str(trailing);
        return;
    }
    para.push_str(closers);
    if literal_runs(para, math, parsed)
        .iter()
        .any(|run| run.at + run.len > end)
    {
        para.truncate(end);
        para.push_str(trailing);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Event, Tag};

    /// `find_ascii` is `str::find` from every character boundary, `rfind_pair` `str::rfind` and
    /// `has_pair` `str::contains`, for each needle they are asked (two bytes, and the tail's
    /// five-byte token), on every string of up to six characters over the needles' bytes, a
    /// letter and a two-byte character.
    #[test]
    fn pair_searches_are_strs() {
        let alphabet = ["!", "[", "]", "(", "a", "é"];
        let mut strings = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> = strings
                .iter()
                .filter(|s| s.chars().count() == strings.last().unwrap().chars().count())
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            strings.extend(longer);
        }
        assert!(strings.len() > 55_000);
        for s in &strings {
            for pair in [b"![", b"](", b"]:", b"[["] {
                let want = s.rfind(std::str::from_utf8(pair).unwrap());
                assert_eq!(super::rfind_pair(s, pair), want, "{s:?} {pair:?}");
                assert_eq!(super::has_pair(s, pair), want.is_some(), "{s:?} {pair:?}");
            }
            for needle in ["](", "[[", "!a]"] {
                for (from, _) in s.char_indices().chain([(s.len(), ' ')]) {
                    let want = s[from..].find(needle).map(|at| from + at);
                    let got = super::find_ascii(s, needle.as_bytes(), from);
                    assert_eq!(got, want, "{s:?} {needle:?} from {from}");
                }
            }
        }
    }

    /// Text already shown stays shown: once an image's alt text has ended (its `]` arrived),
    /// a `[` after it opens no part of it, and healing hid the whole paragraph from the `!`
    /// on until that bracket closed (`![a] foo [`, a flicker of all the text before it). An
    /// image whose alt text is still arriving is hidden as before.
    #[test]
    fn an_image_whose_alt_has_ended_stays() {
        let leads = ["", "see ", "- item ", "> q "];
        let alts = ["a", "a b", "a [b] c", "[b]", "a [b [c]] d"];
        let mids = [" foo ", " ", "", ".", " **x** "];
        let tails = ["[", "[x", "[x [y", "[x]", "[x] y ["];
        let mut checked = 0;
        for lead in leads {
            for alt in alts {
                for mid in mids {
                    for tail in tails {
                        let shown = format!("{lead}![{alt}]{mid}");
                        let text = format!("{shown}{tail}");
                        for math in [false, true] {
                            let healed = heal(&text, math, &mut 0);
                            assert!(healed.starts_with(&shown), "{text:?} healed to {healed:?}");
                            checked += 1;
                        }
                    }
                }
                // Still arriving: hidden from its `!` on.
                for arriving in ["", " [b", " [b] c [d"] {
                    let text = format!("{lead}x ![{alt}{arriving}");
                    let text = text.trim_end_matches(']');
                    if text.matches('[').count() > text.matches(']').count() {
                        let healed = heal(text, false, &mut 0);
                        assert!(!healed.contains("!["), "{text:?} healed to {healed:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1_000, "{checked}");
    }

    /// A thematic break after a block with a marker left open: nothing is closed after the
    /// break (a closer there made the break text and took it into the block before:
    /// `- item\n**a\n---` showed the rule as strong text in the item). Found by the stream
    /// oracle's check that healing changes only the last block.
    #[test]
    fn a_rule_ends_what_is_open() {
        for text in [
            "- item\n**strong para\n---",
            "- item\nSetext\n===\n**strong para\n---\n",
            "x *b\n***",
            "> q _c\n___\n",
            "* ~~d\n- - -\n",
        ] {
            for ending in ["\n", "\r\n"] {
                let text = text.replace('\n', ending);
                assert_eq!(heal(&text, false, &mut 0), text);
            }
        }
    }

    /// A line that starts as a definition would, then a link, image or tag that healing cuts
    /// short: what is left is no definition (`[a]: [b](c` cut to `[a]: [b` would define `a`
    /// and resolve the `[a]` before it, which the final answer shows as text). Found by the
    /// stream oracle's check that healing changes only the last block, in the `stream` fuzz
    /// target's corpus.
    #[test]
    fn a_cut_leaves_no_definition() {
        let starts = ["[a]: ", "  [a]: ", "[a]:\n", "[a]:\n  "];
        let cuts = [
            "[b](c",
            "[b](https://x.example/p",
            "![i](c",
            "<di",
            "![alt",
            "[b](c d",
        ];
        for (start, cut) in starts.iter().flat_map(|s| cuts.map(|c| (s, c))) {
            for ending in ["", "\n"] {
                let text = format!("see [a] here\n\n{start}{cut}{ending}");
                let healed = heal(&text, false, &mut 0);
                if healed != text {
                    let at_end = definition_at_end(&healed, false, &mut 0);
                    assert_eq!(at_end, None, "{text:?} healed to {healed:?}");
                }
            }
            // A definition that was one before the cut line stays.
            let text = format!("see [a] here\n\n[a]: https://x.example/r\n{cut}");
            let healed = heal(&text, false, &mut 0);
            assert!(
                healed.contains("[a]: https://x.example/r"),
                "{text:?} healed to {healed:?}"
            );
        }
    }

    /// A heading or a table row whose line has ended, with a marker left open in it, then a
    /// line that healing cuts short or none: healing writes nothing into the ended line (a
    /// closer there would make code or emphasis of what the final answer shows as text).
    #[test]
    fn ended_lines_get_no_closers() {
        let blocks = [
            "## a `b>] c",
            "# x *y",
            "### **z",
            "###### ~~s",
            "- ## in an item `b",
            "> # quoted *q",
            "| a | b |\n|---|---|\n| `c | d |",
        ];
        let cuts = ["", "![(tes", "![i](https://x.example/p", "<di", "[a](ht"];
        for (block, cut) in blocks.iter().flat_map(|b| cuts.map(|c| (b, c))) {
            for ending in ["\n", "\r\n"] {
                let text = format!("{block}\n{cut}").replace('\n', ending);
                let healed = heal(&text, false, &mut 0);
                let line = format!("{block}\n").replace('\n', ending);
                assert!(healed.starts_with(&line), "{text:?} healed to {healed:?}");
            }
        }
    }

    /// A heading (ATX or setext) or a table row with an image, a destination or a tag cut
    /// short in it, whose line has ended, then nothing, a definition arriving (which healing
    /// leaves out), or a line: what is in the ended line stays (`# ![` then a line and `[r]:
    /// ` showed an empty heading: with the definition left out, the heading's line looked
    /// like the end). Found by `tests/stream.rs`'s search over open blocks.
    #[test]
    fn cuts_stop_at_an_ended_line() {
        let blocks = [
            "# a ![x",
            "## [a](ht",
            "# b <di",
            "c ![y\n===",
            "| a | b |\n|---|---|\n| ![z | d |",
        ];
        let afters = ["", "[r]: ", "[r]: https://r.example/", "more"];
        let mut checked = 0;
        for (block, after) in blocks.iter().flat_map(|b| afters.map(|a| (b, a))) {
            for ending in ["\n", "\r\n"] {
                let line = format!("{block}\n").replace('\n', ending);
                let text = format!("{line}{after}");
                let healed = heal(&text, false, &mut 0);
                assert!(healed.starts_with(&line), "{text:?} healed to {healed:?}");
                checked += 1;
            }
        }
        assert_eq!(checked, 5 * 4 * 2);
    }

    /// HTML blocks of every kind that end on the line they start (or with a line after), a
    /// tag arriving at the end of that line, then lines after the block: the tag is in the
    /// ended block and stays, with everything after it (the tag was cut, and every line after
    /// it with it: `<script </script><s` then `y` showed no `y`). Found by the `stream` fuzz
    /// target.
    #[test]
    fn tags_in_an_ended_html_block_stay() {
        let blocks = [
            "<script </script>",
            "<pre>x</pre>",
            "<style></style>",
            "<textarea></textarea>",
            "<!-- c -->",
            "<?x ?>",
            "<!X >",
            "<![CDATA[ ]]>",
            "<div>\n",
            "<del>\n",
        ];
        let tags = ["<s", "</di", "<a href=\"https://x.example/", "<b title='"];
        let afters = [
            "y",
            "*a",
            "- b",
            "![i](https://x.example/p)",
            "[a](b) and `c`",
        ];
        let mut checked = 0;
        for (block, tag) in blocks.iter().flat_map(|b| tags.map(|t| (b, t))) {
            for after in afters {
                for ending in ["\n", "\r\n"] {
                    // Type 6 and 7 blocks (`<div>`, `<del>`) end at a blank line.
                    let gap = if block.ends_with('\n') { "\n" } else { "" };
                    let start = format!("{block}{tag}\n{gap}").replace('\n', ending);
                    let text = format!("{start}{after}");
                    let healed = heal(&text, false, &mut 0);
                    assert!(healed.starts_with(&start), "{text:?} healed to {healed:?}");
                    let rest = &healed[start.len()..];
                    assert!(
                        rest.starts_with(&after[..1]),
                        "{text:?} healed to {healed:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 10 * 4 * 5 * 2);
    }

    /// An HTML block that blank lines do not end (script, pre, style, textarea, a comment, a
    /// processing instruction, a declaration, CDATA), holding markers after a blank line,
    /// then text after it: healing adds nothing to that text, and what it does to the whole
    /// is what it does with the block's start in view. Healing read from the last blank line
    /// on, saw the block's markers as an open code span or emphasis, and wrote closers into
    /// the paragraph after it (`});` then a stray backtick). Found by the `stream` fuzz target.
    #[test]
    fn html_blocks_across_blank_lines_are_read_whole() {
        let blocks = [
            ("<script syc", "</script>"),
            ("<pre>", "</pre>"),
            ("<STYLE>", "</style>"),
            ("<textarea>", "</textarea>"),
            ("<!--", "-->"),
            ("<?php", "?>"),
            ("<!DOCTYPE x", ">"),
            ("<![CDATA[", "]]>"),
        ];
        let markers = [
            "//`h",
            "*a",
            "**b",
            "_c",
            "~~d",
            "`` e",
            "[f](https://docs.exa",
        ];
        let mut checked = 0;
        for (open, close) in blocks {
            for marker in markers {
                for after in ["x\n});\nmore", "});\nmore\n\ntext", ""] {
                    let text = format!("{open} syc\n\n{marker}\n{close}{after}");
                    let healed = heal(&text, false, &mut 0);
                    if after.is_empty() {
                        // Still in the block: nothing in it is markdown, or is healed.
                        assert!(
                            text.starts_with(healed.trim_end()),
                            "{text:?} -> {healed:?}"
                        );
                    } else {
                        assert_eq!(healed, text, "{text:?}");
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 8 * 7 * 3);
    }

    /// A destination that `destination_ended` calls ended starts no link or image, whatever
    /// follows, and healing shows it: over every string of up to 5 characters from the
    /// characters that make or break a destination and its title, after four openings, with
    /// ten endings (nothing, `)`, a title and `)`, more lines). Healing hid such a destination
    /// (`[a](x word and more`) to the end of its paragraph, and every push rendered the tail
    /// again: the slowest of the npm tail families.
    #[test]
    fn ended_destinations_start_no_link() {
        let alphabet = [
            'x', ' ', '\n', '"', '\'', '(', ')', 'w', '<', '\\', '\t', '\r', ']',
        ];
        let endings = [
            "", ")", "\")", "')", " )", " \"t\")", "x)", "\n)", " (t))", ">)",
        ];
        let (mut ended, mut checked) = (0, 0);
        for rest in strings_over(&alphabet, 5) {
            checked += 1;
            if !destination_ended(&rest) {
                continue;
            }
            ended += 1;
            for open in ["[a](", "![a](", "b [a](", "- x\n  [a](y) [a]("] {
                let paren = open.len() - 1;
                let text = format!("{open}{rest}");
                // A tag arriving is cut first, and the destination before it is hidden.
                let healed = heal(&text, false, &mut 0);
                let shown = healed.starts_with(open) || rest.contains('<');
                assert!(shown, "{text:?} healed to {healed:?}");
                for ending in endings {
                    let text = format!("{text}{ending}");
                    let parser = crate::markdown::parser(&text, false, None);
                    let link = parser.into_offset_iter().any(|(event, range)| {
                        matches!(event, Event::Start(Tag::Link { .. } | Tag::Image { .. }))
                            && range.contains(&paren)
                    });
                    assert!(!link, "{rest:?} ended, but {text:?} has a link");
                }
            }
        }
        assert_eq!(checked, (0..=5).map(|n| 13usize.pow(n)).sum::<usize>());
        assert!(ended > 1000, "{ended}");
        for rest in ["x w", "x\nw", "x \"t\" w", "x 'a\\'b' ]", " x\t<"] {
            assert!(destination_ended(rest), "{rest:?}");
        }
        for rest in [
            "x", "x ", "x \"t", "x \"t\" ", "x (t) w", "<x w", "x\n\nw", "x(y w",
        ] {
            assert!(!destination_ended(rest), "{rest:?}");
        }
    }

    /// Every string of up to `max_len` characters over `alphabet`, shortest first.
    fn strings_over(alphabet: &[char], max_len: u32) -> impl Iterator<Item = String> + '_ {
        let n = alphabet.len();
        (0..=max_len).flat_map(move |len| {
            (0..n.pow(len)).map(move |mut code| {
                (0..len)
                    .map(|_| {
                        let c = alphabet[code % n];
                        code /= n;
                        c
                    })
                    .collect()
            })
        })
    }

    /// The byte search for a fence's run says what the two substring searches say, over every
    /// string of up to 8 characters from backticks, tildes, a letter and a two-byte letter.
    #[test]
    fn has_fence_run_is_contains() {
        let mut checked = 0;
        for text in strings_over(&['`', '~', 'a', 'é'], 8) {
            let want = text.contains("```") || text.contains("~~~");
            assert_eq!(has_fence_run(&text), want, "{text:?}");
            checked += 1;
        }
        assert_eq!(checked, (0..=8).map(|n| 4usize.pow(n)).sum::<usize>());
    }

    /// The last paragraph starts after the last line of spaces and tabs only (a CR before its
    /// line feed) that follows a line feed, over every string of up to 7 characters from line
    /// feeds, CRs, a space, a tab, a letter and a two-byte letter. Lines of whitespace were
    /// read as text: a paragraph before one, with an open code span, was healed as the last
    /// block (`` a```-->\r\n\t  \r\n![x `` showed code).
    #[test]
    fn blank_lines_are_found() {
        let mut checked = 0;
        for text in strings_over(&['\n', '\r', ' ', '\t', 'a', 'é'], 7) {
            // Each line a line feed ends, with where it ends; not the first (no line feed
            // before it).
            let mut from = 0;
            let mut lines = Vec::new();
            for (lf, _) in text.match_indices('\n') {
                lines.push((&text[from..lf], lf + 1));
                from = lf + 1;
            }
            let want = lines
                .iter()
                .skip(1)
                .rfind(|(line, _)| {
                    let line = line.strip_suffix('\r').unwrap_or(line);
                    line.chars().all(|c| c == ' ' || c == '\t')
                })
                .map_or(0, |&(_, end)| end);
            assert_eq!(last_paragraph_start(&text), want, "{text:?}");
            checked += 1;
        }
        assert_eq!(checked, (0..=7).map(|len| 6usize.pow(len)).sum::<usize>());
    }

    #[test]
    fn healing() {
        let cases = [
            ("some **bold", "some **bold**"),
            // What the parser would read as text is not written: a run at the end longer than
            // the code span's opener, a backtick in an autolink, an opener the flanking rules
            // do not allow, a closer a backslash would escape.
            ("` ``", "` ``"),
            ("<https://a.example/`x> and", "<https://a.example/`x> and"),
            ("a*\"", "a*\""),
            ("foo *\\", "foo *\\"),
            ("some **bold *and", "some **bold *and***"),
            ("some **", "some **"),
            ("a ~~gone", "a ~~gone~~"),
            ("use `cargo b", "use `cargo b`"),
            ("```py print()``", "```py print()```"),
            ("use `", "use `"),
            ("see [the docs](https://docs.exa", "see the docs"),
            ("![chart](https://images.example.com/a.png?d=SE", ""),
            (
                "done [a](https://x.example/) and *b",
                "done [a](https://x.example/) and *b*",
            ),
            ("```\ncode **", "```\ncode **"),
            ("text\n[ref]: https://evi", "text\n"),
            ("- item\n- *x", "- item\n- *x*"),
            ("2 * 3 = 6", "2 * 3 = 6"),
            ("20~25°C and ~~strike", "20~25°C and ~~strike~~"),
            ("~~strike~", "~~strike~~"),
            ("***x*** and more", "***x*** and more"),
            ("text ***", "text ***"),
            ("Hello <div class=\"fo", "Hello"),
            ("`<div`", "`<div`"),
            // A tag arriving in a code span that healing closes is the code it will be.
            ("use `Vec<Str", "use `Vec<Str`"),
            ("``a ` <di", "``a ` <di``"),
            ("<b>x</b> `Vec<S", "<b>x</b> `Vec<S`"),
            ("<b title=\"x `Vec<S", "<b title=\"x `Vec<S`"),
            ("`a` and <di", "`a` and"),
            ("3 < 5", "3 < 5"),
            ("Some text\n\n<casecard", "Some text\n\n"),
            ("    code\n\n<det", "    code\n\n"),
            ("here is a list\n- ", "here is a list\n-\u{200B}"),
            ("Some text\n---", "Some text\n---"),
            ("see ![diag", "see"),
            ("- a ![diag\n  more", "- a"),
            // A later block has closed the `![` off: it is text, shown as it will stay.
            ("see ![diag\n1. item", "see ![diag\n1. item"),
            ("- a ![diag\n- b", "- a ![diag\n- b"),
            ("| a |\n|---|\n| ![x | y", "| a |\n|---|\n| ![x | y"),
            ("see [a\n1. b](https://x", "see [a\n1. b](https://x"),
            ("see [a\nb](https://x", "see a\nb"),
            // A tag still arriving, but not one in a block that has ended.
            ("text <a\nhref=\"x", "text"),
            ("# h <b", "# h"),
            ("## a </b\nmore text", "## a </b\nmore text"),
            ("## a <a href=\"x\nmore", "## a <a href=\"x\nmore"),
            ("- a <b\n- b", "- a <b\n- b"),
            (
                "| a |\n|---|\n| <b | c\nmore",
                "| a |\n|---|\n| <b | c\nmore",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(heal(input, false, &mut 0), expected, "{input:?}");
        }
    }
}
