//! One parse of the text healing reads, for where a link, an image or a tag arriving stands:
//! in text or code, in which block, after which code span opener.

/// One parse of `text`: is every byte of `at` in text that markdown reads as such (or, with
/// `html`, in raw HTML), not in code (an indented code block's text included) or math, and
/// where does the innermost paragraph, heading, list item, table cell or HTML block holding
/// `at[0]` end (at `at[0]` when it is a heading or a table cell whose line has ended)? And
/// where is the first backtick of the last block that the parser left as text (escaped ones
/// and those in an autolink's text aside, as `literal_runs` reads them): the opener of the
/// code span healing closes, if any?
pub(super) fn scan(
    text: &str,
    at: &[usize],
    html: bool,
    math: bool,
    parsed: &mut usize,
) -> (bool, Option<usize>, Option<usize>) {
    *parsed += text.len();
    use pulldown_cmark::{Event, LinkType, Tag, TagEnd};
    let mut in_code_block = false;
    let mut in_autolink = false;
    let mut found = vec![false; at.len()];
    let mut block_end = None;
    let mut tick = None;
    for (event, range) in crate::markdown::parser(text, math, None).into_offset_iter() {
        match &event {
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => in_autolink = true,
            Event::End(TagEnd::Link) => in_autolink = false,
            Event::Start(Tag::CodeBlock(_)) | Event::Rule => tick = None,
            Event::Start(tag) if starts_block(tag) => tick = None,
            Event::Text(_) if !in_code_block && !in_autolink && tick.is_none() => {
                tick = first_backtick(text, range.clone());
            }
            _ => {}
        }
        let counts = match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                false
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                false
            }
            Event::Start(
                tag @ (Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::TableCell
                | Tag::HtmlBlock),
            ) => {
                if let Some(&a) = at.first().filter(|a| range.contains(a)) {
                    // A heading or a table row ends with its line (a setext heading's text
                    // with its underline): a line break after `a` has ended it.
                    let one_line = matches!(tag, Tag::Heading { .. } | Tag::TableCell);
                    block_end = match one_line && text[a..].contains('\n') {
                        true => Some(a),
                        false => Some(range.end),
                    };
                }
                false
            }
            Event::Text(_) => !in_code_block,
            Event::Html(_) | Event::InlineHtml(_) => html && !in_code_block,
            _ => false,
        };
        if counts {
            for (f, &a) in found.iter_mut().zip(at) {
                *f |= range.contains(&a);
            }
        }
    }
    (found.iter().all(|&f| f), block_end, tick)
}

/// Does `tag` start a block after which only its own delimiter runs may close (see
/// `literal_runs`; a table cell does not: a row may end in cells the parser adds)?
pub(super) fn starts_block(tag: &pulldown_cmark::Tag<'_>) -> bool {
    use pulldown_cmark::Tag;
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::List(_)
            | Tag::Item
            | Tag::FootnoteDefinition(_)
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::HtmlBlock
    )
}

/// The first backtick in `text[range]` that no backslash escapes.
fn first_backtick(text: &str, range: std::ops::Range<usize>) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'`', &bytes[range.clone()])
        .map(|i| range.start + i)
        .find(|&i| bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 0)
}
