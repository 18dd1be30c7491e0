//! Where a tail with raw HTML ends: text shown where its last character is, or not (see the
//! parent module's documentation).

/// Elements whose tags leave the text after them to html5ever's data state, where it is shown
/// where it is: inline elements and blocks that hold flow content (not tables, which move
/// text out of them, nor elements whose content is raw text, removed or hidden).
#[cfg(feature = "html")]
const PLAIN_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "br",
    "cite",
    "code",
    "data",
    "del",
    "dfn",
    "em",
    "i",
    "ins",
    "kbd",
    "mark",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "time",
    "tt",
    "u",
    "var",
    "wbr",
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "section",
    "summary",
    "ul",
];

/// In a tail with raw HTML, is the end of `source` text shown where its last character is?
/// If so, is it an HTML block's text (`Some(true)`) or markdown text (`Some(false)`)?
///
/// The parse says what is raw HTML. The end must be text: markdown text or code after
/// complete tags,
/// or the text of an HTML block, which html5ever's tokenizer reads with a sentinel character
/// after it (a comment, a tag or a bogus comment still open at the end would take the
/// sentinel in). And every element before must be one of [`PLAIN_ELEMENTS`], whose content is
/// shown where it is.
#[cfg(feature = "html")]
pub(super) fn raw_text_at_end(source: &str, math: bool, work: &mut usize) -> Option<bool> {
    use crate::markdown::events;
    *work += source.len();
    use html5ever::tokenizer::Token;
    use pulldown_cmark::Event;

    const SENTINEL: char = '\u{E000}';
    let mut raw = String::new();
    let mut block_at_end = None;
    for (event, range) in events(source, math) {
        match event {
            Event::Html(h) => {
                raw.push_str(&h);
                block_at_end = Some(true);
            }
            Event::InlineHtml(h) => {
                raw.push_str(&h);
                block_at_end = Some(false);
            }
            Event::Text(_) | Event::Code(_) => {
                block_at_end = (range.end >= source.trim_end().len()).then_some(false)
            }
            Event::End(_) => {}
            _ => block_at_end = None,
        }
    }
    let block = block_at_end?;
    if block {
        raw.push(SENTINEL);
    }
    // Whether every element is plain, and whether the last token was text ending with the
    // sentinel.
    let (mut plain, mut at_end) = (true, false);
    crate::limits::tokenize(&raw, |token| match token {
        Token::CharacterTokens(text) => at_end = text.ends_with(SENTINEL),
        Token::EOFToken => {}
        Token::TagToken(tag) => {
            at_end = false;
            plain &= PLAIN_ELEMENTS.contains(&&*tag.name);
        }
        _ => at_end = false,
    });
    (plain && (!block || at_end)).then_some(block)
}

/// Without the HTML stage, raw HTML is text whose reading this build cannot check: nothing
/// is appended after it (a `<` the parse read as no raw HTML is asked nothing).
#[cfg(not(feature = "html"))]
pub(super) fn raw_text_at_end(_source: &str, _math: bool, _work: &mut usize) -> Option<bool> {
    None
}

/// Does `shown` end with `want` and the spaces `ws` (none but spaces)? An HTML block's text
/// shows the spaces at its end, markdown's does not.
pub(super) fn spaces_after(shown: &str, want: &str, ws: &str) -> bool {
    !ws.is_empty()
        && ws.bytes().all(|b| b == b' ')
        && shown.strip_suffix(ws).is_some_and(|s| s.ends_with(want))
}
