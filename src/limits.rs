//! Limits that keep work and output linear: the input size bound, and the depth bound on raw
//! HTML. (Markdown container nesting is bounded where containers are written, in the
//! markdown stage.)

use std::cell::Cell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::error::Error;
use crate::policy::Policy;

/// Raw HTML whose elements nest deeper than this is shown as text. An HTML tree builder spends
/// time proportional to the depth of open elements on each tag, so unbounded depth makes
/// parsing quadratic (20,000 nested `<div>`s take seconds, in browsers too).
pub const MAX_HTML_DEPTH: usize = 512;

/// Longer destinations are refused as invalid URLs (`data:` images included).
pub const MAX_URL_BYTES: usize = 16 * 1024;

/// Text nodes longer than this are split with `<wbr>` (which adds no character), and other
/// attribute values are cut to this length. html5ever's serializer rescans the rest of a text
/// or attribute value for every `&` or U+0080–U+00BF it escapes, which is quadratic in the
/// length of one node; bounding the node keeps serialization linear.
pub const MAX_NODE_BYTES: usize = 2 * 1024;

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

/// Does `html` open elements deeper than [`MAX_HTML_DEPTH`]? A linear pass of html5ever's
/// tokenizer (no tree building) that over-estimates: see [`open_elements`].
pub(crate) fn html_too_deep(html: &str) -> bool {
    if html.matches('<').count() <= MAX_HTML_DEPTH {
        return false;
    }
    open_elements(html, 0).deepest > MAX_HTML_DEPTH
}

/// How deep the elements of a piece of raw HTML nest, estimated by html5ever's tokenizer:
/// every start tag opens an element and every end tag closes one, except void elements and
/// elements whose end tag is optional, which are not counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Depth {
    /// Elements still open at the end (counting from the `open` given).
    pub open: usize,
    /// The deepest point reached.
    pub deepest: usize,
}

impl Depth {
    /// `self`, with the deepest point of `earlier` if that was deeper.
    pub(crate) fn max_with(self, earlier: Depth) -> Depth {
        Depth {
            open: self.open,
            deepest: self.deepest.max(earlier.deepest),
        }
    }
}

/// Scans `html` with `open` elements already open.
pub(crate) fn open_elements(html: &str, open: usize) -> Depth {
    let sink = tokenize(
        html,
        DepthSink {
            depth: Cell::new(open),
            deepest: Cell::new(open),
        },
    );
    Depth {
        open: sink.depth.get(),
        deepest: sink.deepest.get(),
    }
}

/// Runs html5ever's tokenizer (no tree building, linear) over `html` into `sink`.
pub(crate) fn tokenize<S: TokenSink>(html: &str, sink: S) -> S {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink
}

/// The largest char boundary of `s` at or below `at`.
pub(crate) fn floor_char_boundary(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

struct DepthSink {
    depth: Cell<usize>,
    deepest: Cell<usize>,
}

impl TokenSink for DepthSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token {
            let counted = !matches!(
                &*tag.name,
                "area"
                    | "base"
                    | "br"
                    | "col"
                    | "embed"
                    | "hr"
                    | "img"
                    | "input"
                    | "link"
                    | "meta"
                    | "param"
                    | "source"
                    | "track"
                    | "wbr"
                    | "keygen"
                    | "p"
                    | "li"
                    | "dt"
                    | "dd"
                    | "tr"
                    | "td"
                    | "th"
                    | "option"
                    | "optgroup"
                    | "rb"
                    | "rt"
                    | "rp"
                    | "rtc"
                    | "thead"
                    | "tbody"
                    | "tfoot"
                    | "colgroup"
                    | "caption"
                    | "html"
                    | "head"
                    | "body"
            );
            if counted {
                let depth = match tag.kind {
                    TagKind::StartTag => self.depth.get() + 1,
                    TagKind::EndTag => self.depth.get().saturating_sub(1),
                };
                self.depth.set(depth);
                self.deepest.set(self.deepest.get().max(depth));
            }
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_estimate() {
        assert!(!html_too_deep(&"<p>x".repeat(5000)));
        assert!(!html_too_deep(&"<b>x</b>".repeat(5000)));
        assert!(!html_too_deep(&"<li><br>".repeat(5000)));
        assert!(html_too_deep(&"<div>".repeat(MAX_HTML_DEPTH + 1)));
        assert!(!html_too_deep(&"<div>".repeat(MAX_HTML_DEPTH)));
    }
}
