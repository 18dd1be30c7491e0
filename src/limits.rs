//! Limits that keep work and output linear: the input size bound, and the depth bounds on raw
//! HTML and on markdown. (Markdown nesting is bounded where containers are judged, in
//! [`crate::judge`].)

use crate::error::Error;
use crate::policy::Policy;

/// Raw HTML whose elements nest deeper than this is shown as text. An HTML tree builder spends
/// time proportional to the depth of open elements on each tag, so unbounded depth makes
/// parsing quadratic (20,000 nested `<div>`s take seconds, in browsers too).
///
/// The bound is measured on html5ever's own tree builder, not estimated from tags (see
/// [`parse_fragment`]): a stray end tag does not lower it, and elements whose end tag is
/// optional (`<rt>`, `<optgroup>`) count as what they build.
pub const MAX_HTML_DEPTH: usize = 512;

/// `limits.max_nesting` means at most this many block quotes and lists: each list is two
/// elements (`<ul>`, `<li>`), so markdown at this depth, with its innermost blocks and
/// [`MAX_INLINE_NESTING`] inline elements, still nests well under [`MAX_HTML_DEPTH`], and its
/// output read again as raw HTML is kept, not shown as text (the fixpoint).
pub const MAX_BLOCK_NESTING: usize = 128;

/// Emphasis, strong emphasis and strikethrough nested deeper than this are flattened into
/// their parent (`nesting_limit` finding): their text stays, their elements go. Written
/// markdown never comes near it; `***…***` a thousand deep would nest past
/// [`MAX_HTML_DEPTH`].
pub const MAX_INLINE_NESTING: usize = 64;

/// How deep the elements markdown itself writes can nest: two for each block quote or list
/// ([`MAX_BLOCK_NESTING`]), [`MAX_INLINE_NESTING`] inline elements, and a margin for the rest
/// (the footnotes section, a table, a paragraph, a link and its label, a footnote reference).
#[cfg_attr(not(feature = "html"), allow(dead_code))]
pub const MAX_MARKDOWN_DEPTH: usize = 2 * MAX_BLOCK_NESTING + MAX_INLINE_NESTING + 32;

/// Raw HTML in markdown whose elements nest deeper than this is shown as text: whatever
/// markdown it stands in, the output then nests at most [`MAX_HTML_DEPTH`] deep, so that read
/// again as raw HTML it is kept whole (the fixpoint).
#[cfg_attr(not(feature = "html"), allow(dead_code))]
pub const MAX_HTML_DEPTH_IN_MARKDOWN: usize = MAX_HTML_DEPTH - MAX_MARKDOWN_DEPTH;

/// Longer destinations are refused as invalid URLs (`data:` images included).
pub const MAX_URL_BYTES: usize = 16 * 1024;

/// Text nodes longer than this are split with `<wbr>` (which adds no character), and other
/// attribute values are cut to this length. html5ever's serializer rescans the rest of a text
/// or attribute value for every `&` or U+0080–U+00BF it escapes, which is quadratic in the
/// length of one node; bounding the node keeps serialization linear.
pub const MAX_NODE_BYTES: usize = 2 * 1024;

/// A table row with fewer cells than its header is completed with empty cells, as GFM
/// completes it, but with at most one for every this many bytes of the row's own source (and
/// at least one). Without a bound the output grows with the header's width times the number
/// of rows: a header of 362 columns and 725 rows of `a` (2.9 KB) wrote 2.4 MB of empty cells,
/// and pulldown-cmark's own bound (2^18 filled cells per table) is per table. Rows as models
/// write them (`| yes | no |`, a few bytes per cell) are completed whole.
const ROW_BYTES_PER_FILLED_CELL: usize = 2;

/// How many empty cells a table row of `row_bytes` bytes of source may be completed with
/// (see [`ROW_BYTES_PER_FILLED_CELL`]).
pub(crate) fn filled_cells(row_bytes: usize) -> usize {
    (row_bytes / ROW_BYTES_PER_FILLED_CELL).max(1)
}

/// Refuses input over `limits.max_input_bytes`.
pub(crate) fn check_input(input: &str, policy: &Policy) -> Result<(), Error> {
    check_len(input.len(), policy)
}

/// Refuses `len` bytes of input if that is over `limits.max_input_bytes`.
pub(crate) fn check_len(len: usize, policy: &Policy) -> Result<(), Error> {
    let max = policy.limits.max_input_bytes;
    if len > max {
        return Err(Error::InputTooLarge { len, max });
    }
    Ok(())
}

/// Raw HTML that nests deeper than [`MAX_HTML_DEPTH`], or whose tree costs more than a linear
/// amount of work to build (see [`BoundedDom`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TooDeep;
#[cfg(feature = "html")]
mod tree;
/// The peers' and safemark's raw HTML inputs, for the HTML stage's tests too.
#[cfg(all(test, feature = "html"))]
pub(crate) use tree::tests::corpus_inputs;
#[cfg(feature = "html")]
pub(crate) use tree::{open_elements, parse_fragment, tokenize, Depth};

/// Without the HTML stage no raw HTML is parsed (it is shown as text): nothing is open.
#[cfg(not(feature = "html"))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Depth {
    /// Elements still open at the end.
    pub open: usize,
    /// The deepest point reached.
    pub deepest: usize,
}

#[cfg(not(feature = "html"))]
impl Depth {
    /// `self`, with the deepest point of `earlier` if that was deeper.
    pub(crate) fn max_with(self, earlier: Depth) -> Depth {
        Depth {
            open: self.open,
            deepest: self.deepest.max(earlier.deepest),
        }
    }
}

/// Without the HTML stage no raw HTML is grouped: nothing opens.
#[cfg(not(feature = "html"))]
pub(crate) fn open_elements(_html: &str, open: usize) -> Depth {
    Depth {
        open,
        deepest: open,
    }
}

/// HTML's whitespace: TAB, LF, FF, CR and SPACE only. (`char::is_whitespace` and
/// `str::trim` also take NBSP and the other Unicode spaces, which HTML treats as text.)
pub(crate) fn is_html_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0C' | '\r' | ' ')
}

/// A text node cut into pieces of at most [`MAX_NODE_BYTES`], to be separated by `<wbr>`. Text
/// of HTML whitespace only is left whole: it may stand where a `<wbr>` may not (between table
/// rows) and the serializer escapes none of it. Every other text is cut, NBSP and the other
/// Unicode spaces included (each NBSP is escaped as `&nbsp;`). The markdown writer and the HTML
/// stage both cut text here, so their output agrees byte for byte.
///
/// `text` may be the rest of a node whose first `before` bytes were written already (`blank`:
/// HTML whitespace only; a whole node is `(text, 0, true)`): the cuts fall where they fall in
/// the whole node, the first after `MAX_NODE_BYTES - before` bytes. When `before` is more
/// than that (which only whitespace, left whole, can be), the first piece is empty: a `<wbr>`
/// ends the whitespace, which is a node of its own then, whole.
pub(crate) fn node_chunks(text: &str, before: usize, blank: bool) -> impl Iterator<Item = &str> {
    let whole =
        before + text.len() <= MAX_NODE_BYTES || (blank && text.chars().all(is_html_whitespace));
    let mut room = MAX_NODE_BYTES.saturating_sub(before);
    let mut rest = text;
    let mut first = true;
    std::iter::from_fn(move || {
        if rest.is_empty() && !first {
            return None;
        }
        first = false;
        let cut = if whole {
            rest.len()
        } else {
            floor_char_boundary(rest, room.min(rest.len()))
        };
        room = MAX_NODE_BYTES;
        let (chunk, after) = rest.split_at(cut);
        rest = after;
        Some(chunk)
    })
}

/// The largest char boundary of `s` at or below `at`.
pub(crate) fn floor_char_boundary(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_chunks_cut_everything_but_html_whitespace() {
        let nbsp = "\u{A0}".repeat(MAX_NODE_BYTES);
        let chunks: Vec<&str> = node_chunks(&nbsp, 0, true).collect();
        assert_eq!(chunks.len(), 2);
        assert!(chunks.iter().all(|c| c.len() <= MAX_NODE_BYTES));
        assert_eq!(chunks.concat(), nbsp);
        let spaces = " \t\n\r\x0C".repeat(MAX_NODE_BYTES);
        assert_eq!(node_chunks(&spaces, 0, true).count(), 1);
        assert_eq!(node_chunks("", 0, true).collect::<Vec<_>>(), [""]);
        assert_eq!(node_chunks("ab", 0, true).collect::<Vec<_>>(), ["ab"]);
    }

    #[test]
    fn the_rest_of_a_node_is_cut_where_the_whole_node_is() {
        let rest = "a".repeat(MAX_NODE_BYTES);
        let lens = |before, blank| {
            node_chunks(&rest, before, blank)
                .map(str::len)
                .collect::<Vec<_>>()
        };
        // After 1 byte of text, or of whitespace, the first cut comes a byte early.
        assert_eq!(lens(1, false), [MAX_NODE_BYTES - 1, 1]);
        assert_eq!(lens(1, true), [MAX_NODE_BYTES - 1, 1]);
        assert_eq!(lens(0, true), [MAX_NODE_BYTES]);
        // Whitespace longer than a node is left whole: a cut ends it at once.
        assert_eq!(lens(MAX_NODE_BYTES + 5, true), [0, MAX_NODE_BYTES]);
        // Whitespace after whitespace stays whole, however long.
        let spaces = " ".repeat(MAX_NODE_BYTES);
        assert_eq!(node_chunks(&spaces, 100, true).count(), 1);
        assert_eq!(node_chunks(&spaces, 100, false).count(), 2);
    }
}
