//! Text appended to the last tail without rendering it again.
//!
//! Most chunks of an answer are words: letters, digits, spaces and a little punctuation, or
//! code. When such a chunk follows text that the last tail showed at its very end, the new
//! tail is the last one with the chunk written at that end, escaped as the writer escapes
//! text. It is used only when nothing in the chunk can start, end or change markup, and the
//! last tail was healed without cutting anything at its end (no destination, tag or definition
//! still arriving), with no `]:` in it (a definition whose title a quote may close), and ends
//! with what its input ends with, in a text node followed by end tags only. Where that text
//! is:
//!
//! - **text**: the chunk holds letters, digits, spaces and `.,?!'"()-/%+=:;` only, symbols
//!   and emoji (`✅`, `🚀`: punctuation to emphasis's flanking rules, see `symbol`), and `[`
//!   (text until a `]` comes; not after a `!`, an image's text, which healing hides); no
//!   word it ends with a space could be a bare URL or an e-mail address (`://`, `@` or
//!   `www.` in it), and it has no `)` if the paragraph has a `](` (a link a `)` may complete).
//!   The input ended in such a character but `)` (which may end a link), in a word with no
//!   `<` after its last `>` (`</` then `p` may become a tag; `<summary>Sh` is text after
//!   one) and no `&` (a character reference: in raw HTML
//!   `&amp` is one), on a line with a letter (a line without
//!   may still become a marker: `1.`, `> 1.`, `--`);
//! - **an open code span** (healing closes it) or **a code block**: the chunk holds printable
//!   ASCII but a backtick, `~` and `|` (a cell boundary, even in code), and is escaped; in a
//!   code span also no `[`, `!`, `*`, `_` or `\`, neither in the chunk nor last before it,
//!   and a `<` only before a character of the chunk that starts no tag (not a letter, `/`,
//!   `!`, `?` or `<`: `x < y`, `Option<&str>`), and not after a `</` (healing reads the
//!   span as text until it closes: a tag, an image or a delimiter may be arriving; a tag it
//!   hides, and a tail that hid one takes no text), no `>` when a tag, a comment or an
//!   autolink may be open (a `>` may complete one that began before the span's backtick,
//!   inside a quoted attribute value: `<b title="<!x `y" z` then `>`; see
//!   `tag_may_be_open`), and no `)` if the paragraph has a `](`; the line has a letter (a
//!   span may cross a line that becomes a list item, an indented code block in a list item
//!   may become a rule: `-     -` then `  -`).
//!
//! In an open fence that is the tail's kept block (not indented, no backtick or `~` after
//! its complete lines, so no chunk without one can close it), a chunk may also hold line
//! feeds and `|`: a line feed only starts another line of code, and is shown as it is (a
//! last line of up to three spaces is not shown until it ends or has more).
//!
//! In a paragraph (markdown's, in a list item or a quote too; not a heading or a table cell,
//! and no raw HTML in the tail), a text chunk may also hold line feeds, and a tail may end
//! with one: the next line continues the paragraph when it begins (after spaces) with a
//! letter, which starts no block (a list item, a heading, a quote, a fence, HTML, a setext
//! underline or a table's delimiter row) and is no blank line, and the line before it ends in
//! at most one space (two make a hard break). The line feed shows as a soft break once that
//! letter arrives; until then it is pending.
//!
//! Whitespace at the end of markdown text and of a code span is not shown until more follows
//! (the parser or healing drops it): it is kept pending. An HTML block's text shows it: a
//! chunk is written there with the spaces at its end. A code block shows
//! it, or not (an indented one): a chunk ending in a space there renders the tail again, but
//! in such an open fence.
//!
//! In a tail with raw HTML, text is appended only where the end is text shown in place:
//! markdown text or code after complete tags, or an HTML block's text that html5ever's tokenizer
//! reads as text to its end (not inside a comment, a tag or a bogus comment), with only
//! elements before it whose content is shown where it is (no `<script>`, `<table>`, ...).
//!
//! Under `"math": true` a `$` may close a math span an earlier `$` opened (math binds before
//! code spans and links): a chunk with one renders the tail again, but in a code block.
//!
//! After a code span, emphasis or link that the input's last character closed (`` ` ``, `*`,
//! `_`, `)`), with no raw HTML in the tail and nothing healed, text goes after its end tag;
//! after `*` and `_` only when a space comes first, or punctuation after a letter or digit
//! before the run (after punctuation, punctuation would make it left-flanking too, and the
//! rule of 3 may forbid the pair: `**(b)*` then `!`; see `after_inline_end`).
//! A word of that text begins at the element's end: its source (a destination, code) is no
//! text a space could make a bare URL of (see `Appendable::words_from`).
//!
//! When healing closed runs at the end (`*`, `_`, `~`), whether they close depends on what the
//! input ends with: after a letter `*b:c` gets its closers, after punctuation `*a ~*1 *b:` may
//! get none. Text is then appended only when it ends in the same class (punctuation or not)
//! as the input did (`flanks_otherwise`); otherwise the tail is rendered again.
//!
//! A chunk that opens emphasis, strong emphasis, a strikethrough or a code span after
//! whitespace, with a word of ASCII letters and digits right after the opener and nothing
//! else (`**la`, ` *tok`, `~~ol`, `` `npm ``; after a backtick, any text that an open span
//! shows as it is, as above, but a space at its end: `` `--release ``, `` `x < y ``), at the
//! end of a paragraph's text in which
//! healing closed nothing, is written at that end as the element with the word in it: the
//! opener is left-flanking only (whitespace before it, a letter or digit after it), the
//! closer healing writes after the word is right-flanking only and pairs with the nearest
//! opener, which is this one, and a code span's backtick is the first one left open. Not
//! after a word that may be a bare URL or an address (the whitespace completes it: a link
//! now). The closers healing wrote are then what arriving closers make the input. Text may
//! come first in the chunk (`u **la`), and an opener that nothing follows yet is shown as the
//! text it is (`u **`: healing leaves it), after which only the rest of its run and its word
//! may be appended (`*thi`, `uses`: the text becomes the element). A closer cut short that
//! completes the closers of an opener appended so (`**la` then `yer*`) is healed as the whole
//! closers were, and only the rest of them may follow; closers followed by spaces only keep
//! them pending.
//!
//! When a chunk brings the closers healing wrote at the end (`**a`, shown as
//! `<strong>a</strong>`, then `**`, after more text or not), the tail is what was rendered up
//! to them, and what follows them goes after their end tag, as above (see `closers`).
//!
//! While an image's alt text arrives at the end (`![diag`, no `]` yet), healing hides the
//! image: more of it that holds only such text as above (no bracket, delimiter, `<`, `&`,
//! `$`, `|` or line break) leaves the tail as it was. Not where a tag may be arriving
//! before it.
//!
//! After a line that is a list item's or a heading's marker only, shown as an empty
//! element at the tail's end, text that starts with a letter goes into it (see `items`).
//!
//! While a link or image destination arrives at the end, healing hides it: more of it (no
//! `)`, `(`, line break, `<`, `>`, backtick, `~`, `]` or `|`, which ends a table's cell, and
//! nothing that makes it no link at all, as `heal::destination_ended` reads it; nothing after
//! a line break in it) leaves the tail as it was. When its `](` arrives after a `[` and plain
//! text that were appended, the tail is the one shown with the `[` taken out (healing shows
//! a link whose destination is arriving as its text); a `]` at a chunk's end is appended as
//! text first, and the `(` after it takes both brackets out (see `links`).
//!
//! After 1024 appended bytes, or an eighth of the tail's length when that is more, the tail is
//! rendered again, so that every other rule (text node bounds, the stable part moving on)
//! catches up without a long tail being copied whole every few hundred bytes.

use std::borrow::Cow;

use super::{Region, Rendered};
use crate::canonical::escape_text;
use crate::heal::{has_pair, rfind_lf, rfind_pair};

mod chars;
mod closers;
mod items;
mod links;
mod openers;
mod raw;
mod words;
use chars::{code, in_open_span, open_span_text, plain, symbol};
use closers::{after_inline_end, flanks_otherwise, letter_before_run, may_be_link, Left};
use raw::{raw_text_at_end, spaces_after};
use words::{ends_link, last_word, url_like, MAX_APPENDED};

/// Appended bytes after which the tail is rendered again (or an eighth of its length, when
/// that is more). 1024 keeps most paragraphs of an answer from rendering again halfway (a
/// render of one costs what its length does): 256 cost the 20 KB benchmark answer 5% more
/// instructions than 512, and 512 1% more than 1024 (2048 no fewer).
const RENDER_AFTER: usize = 1024;

/// What more of a destination may not hold to leave the tail as it was (see
/// `Mode::Destination`): what may end it, nest in it or make the line something else.
const NOT_IN_DESTINATION: [char; 10] = ['(', ')', '\n', '\r', '<', '>', '`', '~', ']', '|'];

/// May `b` be in a plain link destination, one that a `)` ends and no later text reopens
/// (see `Scanned::destination`)? Not whitespace or a control character, a parenthesis, `<`,
/// `>`, a backslash, a backtick or a quote: nothing that may begin a title, nest, escape or
/// hide a `)`.
pub(super) fn plain_destination(b: u8) -> bool {
    !(b.is_ascii_whitespace()
        || b.is_ascii_control()
        || matches!(b, b'(' | b')' | b'<' | b'>' | b'\\' | b'`' | b'"' | b'\''))
}

/// Where the last tail ends, for what may be appended.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Text,
    CodeSpan,
    CodeBlock,
    /// A destination arriving, hidden by healing.
    Destination,
    /// An image's alt text arriving, hidden by healing (`![diag`).
    Alt,
}

impl Mode {
    /// Where `shown` (a tail up to the end of its last text) ends: in an open `<code>` of a
    /// code block or a code span, or in text.
    /// The last `<code` or `</code>` decides, found from tag to tag (a byte search for `<`:
    /// text and code in the tail have theirs escaped) after `closed` (see `Rendered::closed`):
    /// before it, the elements are closed but a fence's `<pre><code>` when its flag is set.
    fn at_end_of(shown: &str, closed: (usize, bool)) -> Mode {
        let from = closed.0.min(shown.len());
        let mut end = shown.len();
        while let Some(lt) = shown[from..end].rfind('<').map(|lt| from + lt) {
            let tag = &shown[lt..];
            if tag.starts_with("</code>") {
                return Mode::Text;
            }
            if tag.starts_with("<code") {
                return match shown[..lt].ends_with("<pre>") {
                    true => Mode::CodeBlock,
                    false => Mode::CodeSpan,
                };
            }
            end = lt;
        }
        match closed.1 {
            true => Mode::CodeBlock,
            false => Mode::Text,
        }
    }
}

/// What the tail region holds, for what may be appended (searched as the region grows, see
/// `tail::RegionScan`).
#[derive(Clone, Copy, Default)]
pub(super) struct Scanned {
    /// Its last paragraph has a `](` whose destination a `)` may still end: one not
    /// followed by a plain destination (see `plain_destination`) and its `)`.
    pub(super) destination: bool,
    /// It has something that may be a tag ([`has_raw_tag`]).
    pub(super) raw_tag: bool,
    /// It has a `]:` (a definition whose title a quote may close).
    pub(super) definition: bool,
    /// The committed input defines references (the stream's prelude): a `[label]` may be
    /// one.
    pub(super) references: bool,
    /// Where its last line starts (the region's start when it has one line).
    pub(super) line: usize,
    /// Where its last paragraph starts: after its last blank line (the region's start when
    /// it has none).
    pub(super) paragraph: usize,
}

/// May a tag, a comment, a processing instruction or an autolink be open at the end of
/// `region`, which a `>` (or `-->`, `?>`) arriving would close around what came after its
/// start? Where a `<` starts one (see [`has_raw_tag`]): a `<!` or `<?` may be open whatever
/// follows; a tag or an autolink until a `>`, unless a quote comes first (a quoted attribute
/// value may hold a `>`). Without a quote, a tag holds no backtick, so a `>` after one ends
/// no tag around it.
fn tag_may_be_open(region: &str) -> bool {
    let bytes = region.as_bytes();
    memchr::memchr_iter(b'<', bytes).any(|i| match bytes.get(i + 1) {
        Some(b'!' | b'?') => true,
        Some(b) if b.is_ascii_alphabetic() || *b == b'/' => {
            let rest = &bytes[i + 1..];
            let end = memchr::memchr(b'>', rest).unwrap_or(rest.len());
            end == rest.len() || memchr::memchr2(b'"', b'\'', &rest[..end]).is_some()
        }
        _ => false,
    })
}

/// Has `region` something that may be a tag, a comment or a processing instruction (`<`
/// then a letter, `/`, `!` or `?`)?
pub(super) fn has_raw_tag(region: &str) -> bool {
    region.match_indices('<').any(|(i, _)| {
        region[i + 1..]
            .starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'))
    })
}

/// The last tail rendered, and where text arriving next goes in it.
#[derive(Clone)]
pub(super) struct Appendable {
    html: String,
    /// Where appended text goes: the end of the last text.
    at: usize,
    mode: Mode,
    /// Whitespace at the end of the input that the tail does not show yet.
    pending: String,
    /// The input length and tail region the tail is for.
    input_len: usize,
    from: usize,
    /// The input's last byte then (a CR may become an LF).
    last_byte: u8,
    appended: usize,
    /// Whether the last paragraph has a `](`, which a `)` may turn into a link (healing does
    /// not see escaped parentheses: `[a](b\)`).
    destination: bool,
    /// Whether the last paragraph had runs for healing to close. Whether it closes them
    /// depends on the character before the closers: after punctuation a closer may not be
    /// right-flanking (`*a ~*1 *b:` gets none, `*a ~*1 *b:c` gets `**_*`). Text appended
    /// there must end in the same class (punctuation or not) as the input did.
    closing: bool,
    /// Whether the tail ends in an HTML block's text, which keeps its trailing whitespace.
    raw: bool,
    /// Whether the policy has math on: a `$` may then close a math span that an earlier `$`
    /// opened, around a code span or a destination arriving.
    math: bool,
    /// Whether the region has something that may be a tag ([`Scanned::raw_tag`]): a tail
    /// with raw HTML takes no line feed (see `paragraph`).
    tags: bool,
    /// Whether a tag, a comment or an autolink may be open at the input's end
    /// ([`tag_may_be_open`]): a `>` may complete one that started before an open code span's
    /// backtick, which is then part of it (`<b title="<!x `y" z` then `>`).
    open_tag: bool,
    /// Whether the tail ends in an open fence that no chunk without a backtick or `~` can
    /// close (see `Rendered::fence`): line feeds and `|` may be appended there.
    fenced: bool,
    /// In such a fence, whether the input's last line is spaces only (held in `pending`).
    blank_line: bool,
    /// Whether the input ends with a delimiter run (`*`, `_`, `~`) that closed emphasis or a
    /// strikethrough: the next character must leave the run right-flanking only, as the end
    /// of the input does (a letter would let it open, and count in the rule of 3): a space,
    /// or punctuation when a letter or digit is before the run (`flanked`; after punctuation,
    /// punctuation makes it left-flanking too: `**(a)*` then `!` is text, the rule of 3
    /// forbids the pair).
    flanking: bool,
    /// With `flanking`: whether a letter or digit is before the run.
    flanked: bool,
    /// Whether the tail's text ends in a paragraph (markdown's, not a heading's or a table
    /// cell's; in a list item or a quote too), without raw HTML: a line feed there may only
    /// continue it (see [`Appendable::shown_in_paragraph`]).
    paragraph: bool,
    /// The closers healing wrote after the input's end (`**`, `` ` ``; empty when none, or
    /// when it cut or added anything else), when the tail has no raw HTML and the input ends
    /// in no whitespace: a chunk that starts with them makes the input what was rendered
    /// (see [`Appendable::closed`]).
    closers: String,
    /// Whether the input ends with the first of the closers healing wrote (see
    /// `Appendable::append_begun`): only the rest of them may follow without a render (after
    /// `**a*`, a `.` makes the run no closer).
    begun: bool,
    /// Whether the closers are those of an opener this module appended (`opened`), with
    /// only plain text after it: no delimiter between it and the input's end that a closer
    /// cut short could pair with instead (`**foo*bar` then `*` closes `*bar*`).
    opened: bool,
    /// The length of an opener run at the input's end that nothing follows yet, shown as the
    /// text it is right before `at` (`so **`): only a word may follow it without a render,
    /// which makes it the element's (see `Appendable::opened_after_lone`).
    lone: usize,
    /// After a push that wrote in two places (text before closers and after their end tag:
    /// `y` then `` ` r``), the tail as it was from where it changed: the edit replaces it.
    replaced: Option<String>,
    /// Where in the input a word of text may begin (see [`Appendable::words_from`]): the end
    /// of the code span, emphasis or link that the input ended with when this was made
    /// (`after_inline_end`), or the region's start.
    word_from: usize,
    /// The last `[` appended as text since the tail was rendered, where it is in the tail and
    /// in the input, while only text has been appended after it: a `](` arriving makes that
    /// text a link's, which healing shows without the `[` (see `links`).
    bracket: Option<links::Bracket>,
    /// Whether a reference definition may match a `[label]` (see `Scanned::references`).
    references: bool,
    /// Where the input's last line starts (see `Scanned::line`; moved on by line feeds
    /// appended): a line that starts with a tag may become an HTML block's start.
    line: usize,
    /// The link whose destination is arriving, begun by a `](` appended (see `links`): a
    /// `)` may complete it.
    link: Option<links::Arriving>,
    /// The input's last line is a list item's or a heading's marker only, which the tail
    /// shows as an empty element: its first text goes in there (see `items`); whether the
    /// line ends with the space after the marker already.
    fresh: Option<bool>,
    /// Which delimiters the tail shows after its kept part (see `Rendered::closed`; see
    /// `Left`): a run the parser left as text, which healing may close once text follows a
    /// code span's or an emphasis's end (see `after_inline_end`). Nothing appended shows one.
    left: Left,
}

impl Appendable {
    /// For a tail just `rendered` from `input` (region from `from`), if text may be appended
    /// (without the tail itself: see [`Appendable::with_html`]).
    /// `scanned`: what the region holds (see [`Scanned`]).
    pub(super) fn new(
        rendered: &Rendered,
        region: &Region<'_>,
        scanned: Scanned,
        work: &mut usize,
    ) -> Option<Appendable> {
        let (input, from, math) = (region.input, region.from, region.renderer.math());
        let (html, kept_end) = (&rendered.html, rendered.kept);
        let region = &input[from..];
        let at_end = |at, mode, pending: &str, raw| {
            Appendable::at_end(
                rendered,
                (input, from, math),
                scanned,
                (at, mode, pending),
                raw,
            )
        };
        if !kept_end {
            return Appendable::hidden_end(rendered, (input, from, math), scanned, work);
        }
        if let Some(fresh) = Appendable::fresh_line(rendered, (input, from, math), scanned) {
            return Some(fresh);
        }
        let (text, line_fed) = without_end(region);
        // Not after a `]:` (see `Scanned::definition`).
        let last = text.chars().next_back().filter(|_| !scanned.definition)?;
        let ws = &region[text.len()..];
        if rendered.unchanged && !rendered.raw_html {
            if let Some(at) = after_inline_end(html, text, last, Left::shown(rendered)) {
                let flanking = matches!(last, '*' | '_' | '~') && ws.is_empty();
                return Appendable {
                    flanking,
                    flanked: letter_before_run(text, last),
                    word_from: from + text.len(),
                    ..at_end(at, Mode::Text, ws, false)
                }
                .fed(line_fed);
            }
        }
        let end = text_end(html)?;
        if !ws.is_empty() && html[end..].contains("</a>") {
            // A bare URL that the whitespace after it ended is a link now: text after the
            // whitespace goes after the link, not into its text.
            return None;
        }
        let shown = &html[..end];
        let mode = Mode::at_end_of(shown, rendered.closed);
        let want = expected(mode, text, last, ws)?;
        // An HTML block's text shows the spaces at its end (see `raw` below).
        let spaces_shown = mode == Mode::Text && scanned.raw_tag && spaces_after(shown, &want, ws);
        if !spaces_shown && !shown.ends_with(&want) {
            return None;
        }
        // In raw HTML, the end may be in a tag, a comment or an element whose content is not
        // shown as it is: then what the tail ends with is some earlier text (a comment after
        // a code block whose text ends as the comment does). Without raw HTML, nothing after
        // text renders to nothing but a definition (`]:`, above). A region whose `<` the render
        // read as no raw HTML (`x < y`, `Vec<String>` in code) is without it: no parse asks.
        let raw = match scanned.raw_tag && rendered.raw_html {
            false => false,
            // Only an HTML block's text shows the whitespace at its end; code in one is not
            // markdown's (`&amp` is a reference there).
            true => match raw_text_at_end(&rendered.healed, math, work)? {
                true if mode != Mode::Text => return None,
                block => block,
            },
        };
        if !ws.is_empty() && spaces_shown != raw {
            return None;
        }
        let pending = if mode == Mode::CodeBlock || raw {
            ""
        } else {
            ws
        };
        at_end(end, mode, pending, raw)
            .closed_by(rendered, ws, work)
            .fed(line_fed)
    }

    /// For a tail `rendered` from `input` (region from `from`; `math` on or not) whose end
    /// healing hid: a destination or an alt text arriving, more of which changes nothing.
    fn hidden_end(
        rendered: &Rendered,
        (input, from, math): (&str, usize, bool),
        scanned: Scanned,
        work: &mut usize,
    ) -> Option<Appendable> {
        let at_end = |mode| {
            let place = (rendered.html.len(), mode, "");
            Appendable::at_end(rendered, (input, from, math), scanned, place, false)
        };
        // What was healed: not the whole region, which may be held whole.
        if crate::heal::destination_arriving(&rendered.source, math, work) {
            return Some(at_end(Mode::Destination));
        }
        // Not where a tag may be arriving before it: one hides from its `<`, and whether
        // it is one depends on what follows (`<b x=![a b/`; kept though no search
        // reaches it). Not where the last line may still become a block's start (a
        // list item after a line break ends the paragraph the image is in): it has the
        // `![` or begins with a letter, and no chunk appended here adds a line.
        let line = &input[scanned.line..];
        // (The `![` is searched from the end: the rest rendered holds it.)
        let alt = !scanned.raw_tag
            && (starts_with_letter(line) || rfind_pair(line, b"![").is_some())
            && crate::heal::alt_arriving(&rendered.source, math, work);
        alt.then(|| at_end(Mode::Alt))
    }

    /// For a tail `rendered` from `input` (region from `from`), with `math` on or not, whose
    /// region holds what `scanned` found: text goes at `at`, in `mode`, after `pending`
    /// whitespace; `raw` when it ends in an HTML block's text.
    fn at_end(
        rendered: &Rendered,
        (input, from, math): (&str, usize, bool),
        scanned: Scanned,
        (at, mode, pending): (usize, Mode, &str),
        raw: bool,
    ) -> Appendable {
        let html = &rendered.html;
        Appendable {
            html: String::new(),
            at,
            mode,
            pending: pending.to_string(),
            input_len: input.len(),
            from,
            last_byte: input.as_bytes().last().copied().unwrap_or(b'\n'),
            appended: 0,
            destination: scanned.destination,
            closing: rendered.closing,
            raw,
            math,
            tags: scanned.raw_tag,
            open_tag: scanned.raw_tag && tag_may_be_open(&input[from..]),
            fenced: mode == Mode::CodeBlock && rendered.fence && !raw,
            blank_line: false,
            flanking: false,
            flanked: false,
            paragraph: mode == Mode::Text && !raw && !scanned.raw_tag && in_paragraph(&html[at..]),
            closers: String::new(),
            begun: false,
            opened: false,
            lone: 0,
            replaced: None,
            word_from: from,
            bracket: None,
            references: scanned.references,
            link: None,
            line: scanned.line,
            fresh: None,
            left: Left::shown(rendered),
        }
    }

    /// Where the words of the region from `from` that text arriving may continue begin:
    /// after the end of an inline element the input ended with (`word_from`), the source
    /// before is no text a word joins (a link's destination, a code span's code) or was
    /// linked already where it could be (the render had the element's end before the input's
    /// end), so no later space makes a bare URL or an address of it.
    fn words_from(&self, from: usize) -> usize {
        from.max(self.word_from)
    }

    /// This, unless the tail's input ends with a line feed (`line_fed`) outside a paragraph.
    fn fed(self, line_fed: bool) -> Option<Appendable> {
        (!line_fed || self.paragraph).then_some(self)
    }

    /// The tail as last shown, if it is for the region from `from`.
    pub(super) fn last_shown(&self, from: usize) -> Option<&str> {
        (from == self.from).then_some(self.html.as_str())
    }

    /// With the tail it was made for (moved in, not copied: [`Appendable::new`] reads it).
    pub(super) fn with_html(mut self, html: String) -> Appendable {
        self.html = html;
        self
    }

    /// After a push appended from `old` on in `input`: its line feeds move the last line's
    /// start.
    pub(super) fn lines_arrived(&mut self, input: &str, old: usize) {
        if let Some(lf) = rfind_lf(&input[old.min(input.len())..]) {
            self.line = old + lf + 1;
        }
    }

    /// The tail as it is now.
    pub(super) fn html(&self) -> &str {
        &self.html
    }

    /// After a push that wrote in two places, the tail as it was from where it changed (see
    /// `replaced`).
    pub(super) fn take_replaced(&mut self) -> Option<String> {
        self.replaced.take()
    }

    /// Takes the tail as it is now.
    pub(super) fn into_html(self) -> String {
        self.html
    }

    /// Where what arrived in `input` (region from `from`) since the tail starts, if the tail
    /// is for the input before it and it may be appended at all: not too much since the tail
    /// was rendered, and no `]:`.
    fn arrived(&self, input: &str, from: usize) -> Option<usize> {
        let old = self.input_len;
        if from != self.from
            || input.len() <= old
            || !input.is_char_boundary(old)
            || input.as_bytes()[old - 1] != self.last_byte
        {
            return None;
        }
        let chunk = &input[old..];
        // Healing reads a `]:` as text even in code: it may make a definition of the line,
        // which it hides (and a `](` a destination: see `bracketed`).
        let definition =
            has_pair(chunk, b"]:") || (input.as_bytes()[old - 1] == b']' && chunk.starts_with(':'));
        // Rendered again after an eighth of the tail's length (at least `RENDER_AFTER`): a
        // long tail is not copied whole every few hundred bytes.
        let limit = RENDER_AFTER.max(self.html.len() / 8);
        (self.appended + chunk.len() <= limit && !definition).then_some(old)
    }

    /// Writes what arrived in `input` (region from `from`) since the tail into it, if it may
    /// be appended: where the tail changed (before it, the tail is as it was).
    pub(super) fn append(&mut self, input: &str, from: usize) -> Option<usize> {
        let old = self.arrived(input, from)?;
        if self.fresh.is_some() {
            return self.fresh_text(input, from, old);
        }
        let chunk = &input[old..];
        let bracket = self.bracket.take();
        if let Some(linked) = self.bracketed(input, from, old, bracket) {
            return linked;
        }
        if let Some(changed) = self.sibling_item(input, from, old) {
            return Some(changed);
        }
        if let Some(delimited) = self.delimited(input, from, old) {
            return delimited;
        }
        let closes = self.destination && chunk.contains(')');
        if self.math && self.mode != Mode::CodeBlock && chunk.contains('$') {
            return None;
        }
        let text = match self.mode {
            // More of the destination: it may end (`)`), nest (`(`), or turn the line into
            // something else (a line break, a fence, a tag, a definition's `]:`).
            // After whitespace only a title may follow, and after a title only `)`: anything
            // else makes it no destination at all (`![](a b` is text, which healing shows:
            // `heal::destination_ended`), and healing decides again; so does a line break in
            // it (the next line may start a block: after a heading).
            Mode::Destination => {
                let dest = rfind_pair(&input[from..], b"](").map(|at| &input[from + at + 2..]);
                let ended = dest.is_some_and(crate::heal::destination_ended);
                let next_line = dest.is_some_and(|dest| dest.contains(['\n', '\r']));
                if ended || next_line || chunk.contains(NOT_IN_DESTINATION) {
                    return None;
                }
                Cow::Borrowed("")
            }
            // More of the alt text, with no markup: healing still hides the image from its
            // `![` (no bracket, which may end it or nest; no delimiter, `<`, `&`, `$`, `|`
            // or line break).
            Mode::Alt => match chunk.chars().all(plain) {
                true => Cow::Borrowed(""),
                false => return None,
            },
            Mode::Text if closes => return None,
            Mode::Text => self.text(input, from, old)?,
            Mode::CodeSpan | Mode::CodeBlock => {
                // Healing reads an open code span as the text it is until closed: `<d` would
                // be a tag arriving, `![` an image, `*`, `_` and `\` delimiters and escapes.
                // A line that starts with a tag may become an HTML block's start (`</details`
                // once its name is whole), which ends the paragraph.
                let block_tag = self.mode == Mode::CodeSpan && starts_with_tag(&input[self.line..]);
                let span = self.mode == Mode::CodeSpan && (!self.keeps_span(chunk) || block_tag);
                // In an open fence that cannot close, a line feed starts another line of code
                // and `|` is code; the fence shows whitespace at a line's end.
                let fenced = |c: char| self.fenced && matches!(c, '\n' | '|');
                if closes
                    || span
                    || !chunk.chars().all(|c| code(c) || fenced(c))
                    || (self.mode == Mode::CodeBlock && !self.fenced && chunk.ends_with(' '))
                {
                    return None;
                }
                let mut escaped = String::new();
                escape_text(&mut escaped, &self.shown(chunk));
                Cow::Owned(escaped)
            }
        };
        let last_byte = *input.as_bytes().last()?;
        self.keep_closers(chunk);
        let changed = self.at;
        self.html.insert_str(self.at, &text);
        self.bracket = self.bracket_after(&text, (input, old), changed, bracket);
        self.at += text.len();
        self.appended += chunk.len();
        self.input_len = input.len();
        self.last_byte = last_byte;
        Some(changed)
    }

    /// What the `chunk` of text from `old` on in `input` (region from `from`) shows, if it may
    /// be appended (see the module's documentation).
    fn text<'i>(&mut self, input: &'i str, from: usize, old: usize) -> Option<Cow<'i, str>> {
        let chunk = &input[old..];
        if ends_link(input, self.words_from(from), old)
            || (self.closing && flanks_otherwise(&input[from..old], chunk))
        {
            return None;
        }
        let opens = !self.may_follow_closer(chunk);
        let line_feed = |c: char| c == '\n' && self.paragraph;
        // A `[` is text until a `]` comes (which is no text), but after a `!`: an image's
        // text, which healing hides.
        let text = |c: char| plain(c) || symbol(c) || line_feed(c) || c == '[';
        let image = input.as_bytes()[old - 1..].windows(2).any(|w| w == b"![");
        if opens || image || !chunk.chars().all(text) {
            return None;
        }
        self.flanking = false;
        match self.paragraph && (chunk.contains('\n') || self.pending.contains('\n')) {
            true => self.shown_in_paragraph(chunk).map(Cow::Owned),
            false => Some(self.shown(chunk)),
        }
    }

    /// Whether `code`, arriving in an open code span (or as the word after its opener),
    /// changes nothing there or around it: text an open span shows as it is
    /// ([`open_span_text`]; where the region has no tag at all, a tag arriving too, which
    /// healing shows as the code it will be: see `heal::in_open_span`), no `$` under math (a
    /// math span may close), no `>` where a tag may be open (it may close one around the
    /// backtick: see `open_tag`), no `)` after a `](` (it may close a link around it).
    fn keeps_span(&self, code: &str) -> bool {
        let closes = |c: char| {
            (c == '$' && self.math) || (c == '>' && self.open_tag) || (c == ')' && self.destination)
        };
        let text = match self.tags {
            true => open_span_text(code),
            false => code.chars().all(|c| in_open_span(c) || c == '<'),
        };
        text && !code.contains(closes)
    }

    /// What `chunk` shows in an open fence: what it holds, but a last line of up to three
    /// spaces (the indentation a closing fence may have: not shown at the end of the input),
    /// pending until the line ends or has more.
    fn shown_in_fence(&mut self, chunk: &str) -> String {
        let (lines, last) = chunk.split_at(rfind_lf(chunk).map_or(0, |i| i + 1));
        let mut text = String::new();
        if !lines.is_empty() {
            text.push_str(&std::mem::take(&mut self.pending));
            text.push_str(lines);
            self.blank_line = true;
        }
        if self.blank_line && last.bytes().all(|b| b == b' ') && self.pending.len() + last.len() < 4
        {
            self.pending.push_str(last);
        } else {
            text.push_str(&std::mem::take(&mut self.pending));
            text.push_str(last);
            self.blank_line = false;
        }
        text
    }

    /// What `chunk` shows: with the whitespace pending before it, without its own at its end
    /// (pending now), but in a code block, which shows it.
    /// Borrowed from `chunk` when no whitespace is pending (most chunks continue a word).
    fn shown<'c>(&mut self, chunk: &'c str) -> Cow<'c, str> {
        if self.raw {
            // An HTML block's text shows its whitespace.
            return Cow::Borrowed(chunk);
        }
        if self.mode == Mode::CodeBlock {
            return match self.fenced {
                true => Cow::Owned(self.shown_in_fence(chunk)),
                false => Cow::Borrowed(chunk),
            };
        }
        let shown = chunk.trim_end_matches(' ');
        let text = match (shown.is_empty(), self.pending.is_empty()) {
            (true, _) => Cow::Borrowed(""),
            (false, true) => Cow::Borrowed(shown),
            // One allocation; the pending whitespace keeps its buffer.
            (false, false) => {
                let text = [self.pending.as_str(), shown].concat();
                self.pending.clear();
                Cow::Owned(text)
            }
        };
        self.pending.push_str(&chunk[shown.len()..]);
        text
    }

    /// What `chunk` of plain text and line feeds shows at the end of a paragraph, if its line
    /// feeds only continue the paragraph: each line it starts begins (after spaces) with a
    /// letter, which starts no block (a list item, a heading, a quote, a fence, a setext
    /// underline or a table's delimiter row, HTML) and no blank line, and each line it ends has
    /// at most one space at its end (two make a hard break; a tab is not taken either). A
    /// line feed shows as itself (a soft break); the spaces around it do not. A line feed and
    /// spaces after it that no letter has followed yet are kept pending.
    fn shown_in_paragraph(&mut self, chunk: &str) -> Option<String> {
        let whole = [self.pending.as_str(), chunk].concat();
        let mut lines = whole.split('\n');
        // The rest of the tail's last line, then the lines the chunk starts.
        let mut line = lines.next().unwrap_or_default();
        let mut continued = false;
        let mut text = String::new();
        let content = |line: &str, continued: bool| {
            let content = line.trim_end_matches(' ');
            match continued {
                true => content.len() - content.trim_start_matches(' ').len()..content.len(),
                false => 0..content.len(),
            }
        };
        for next in lines {
            // At most one space at its end (two make a hard break; a tab, to be safe).
            let end = &line[line.trim_end_matches([' ', '\t']).len()..];
            if end.len() > 1 || end == "\t" || (continued && !starts_with_letter(line)) {
                return None;
            }
            text.push_str(&line[content(line, continued)]);
            text.push('\n');
            (line, continued) = (next, true);
        }
        if continued && line.bytes().all(|b| b == b' ') {
            // The line feed and the spaces after it: nothing shows until a letter comes.
            text.pop();
            self.pending = format!("\n{line}");
            return Some(text);
        }
        if continued && !starts_with_letter(line) {
            return None;
        }
        let shown = content(line, continued);
        text.push_str(&line[shown.clone()]);
        self.pending = line[shown.end..].to_string();
        Some(text)
    }
}

/// What a tail in `mode` for `text` (whose last character is `last`, then the whitespace
/// `ws`) ends with, if text may be appended to it.
fn expected(mode: Mode, text: &str, last: char, ws: &str) -> Option<String> {
    match mode {
        Mode::Text if text_may_follow(text, last) => Some(last.to_string()),
        Mode::CodeSpan | Mode::CodeBlock
            if code(last)
                && has_letter(text)
                && (mode == Mode::CodeBlock || (in_open_span(last) && !text.ends_with("</"))) =>
        {
            let mut e = String::new();
            escape_text(&mut e, last.encode_utf8(&mut [0; 4]));
            if mode == Mode::CodeBlock {
                e.push_str(ws);
            }
            Some(e)
        }
        _ => None,
    }
}

/// `region` without the whitespace at its end, and whether that holds a line feed after a
/// line (in a paragraph it is pending: the next line may continue the paragraph, see
/// `Appendable::shown_in_paragraph`).
fn without_end(region: &str) -> (&str, bool) {
    let text = region.trim_end_matches([' ', '\t']);
    match text.strip_suffix('\n') {
        Some(line) if !line.ends_with(['\n', '\r']) => (line.trim_end_matches(' '), true),
        _ => (text, false),
    }
}

/// Does `line` begin, after spaces, with a letter?
fn starts_with_letter(line: &str) -> bool {
    line.trim_start_matches(' ')
        .starts_with(char::is_alphabetic)
}

/// Are `ends`, the tags after the tail's last text, a paragraph's end: end tags of emphasis,
/// strong emphasis or strikethrough (healing may close them), then `</p>` or `</li>` (a tight
/// list item's paragraph)?
fn in_paragraph(ends: &str) -> bool {
    let mut rest = ends;
    loop {
        rest = rest.trim_start_matches('\n');
        let Some(tag) = rest.get(..rest.find('>').map_or(0, |i| i + 1)) else {
            return false;
        };
        match tag {
            "</em>" | "</strong>" | "</del>" => rest = &rest[tag.len()..],
            "</p>" | "</li>" => return true,
            _ => return false,
        }
    }
}

/// Where the last text of `html` ends: before end tags and line feeds only.
fn text_end(html: &str) -> Option<usize> {
    let mut end = html.len();
    loop {
        let h = html[..end].trim_end_matches('\n');
        end = h.len();
        if !h.ends_with('>') {
            return (end > 0).then_some(end);
        }
        let lt = h.rfind('<')?;
        if !h[lt..].starts_with("</") {
            return None;
        }
        end = lt;
    }
}

/// End tags of blocks that text may end in.
const BLOCK_ENDS: &[&str] = &[
    "</p>",
    "</li>",
    "</h1>",
    "</h2>",
    "</h3>",
    "</h4>",
    "</h5>",
    "</h6>",
    "</td>",
    "</th>",
    "</tr>",
    "</thead>",
    "</tbody>",
    "</table>",
    "</blockquote>",
    "</ul>",
    "</ol>",
];

/// May plain text follow `text`, which ends with `last`, without changing what it is? Not
/// after `)`, which may end a link (text after it goes after the link); not in a word with a
/// `<` after its last `>`, which may become a tag (`<summary>Sh` is text after a tag), or
/// with `&`, which may become a character reference (in raw HTML `&amp` is one without its
/// `;`); not on a line without a letter, which may still become a marker (`1.`, `> 1.`,
/// `- 1.`, `--`). A word longer than [`MAX_APPENDED`] only if it could be no bare URL or
/// address yet (text in a language written without spaces, `这个函数返回一个迭代器。…`, is one
/// word to the end of its paragraph): a space after it is then taken for the end of a URL
/// (see `ends_link`), but text glued to it is appended.
fn text_may_follow(text: &str, last: char) -> bool {
    let word = last_word(text);
    let after_tags = word.rsplit(|&b| b == b'>').next().unwrap_or(word);
    (plain(last) || last == '[' || symbol(last))
        && last != ')'
        && has_letter(text)
        && (word.len() <= MAX_APPENDED || !url_like(word))
        && !after_tags.contains(&b'<')
        && !word.contains(&b'&')
}

/// Has the last line of `text` a letter? A line without may still become a marker (`1.`,
/// `> 1.`, `- 1.`, `--`, `-` then a space).
fn has_letter(text: &str) -> bool {
    text[rfind_lf(text).map_or(0, |i| i + 1)..]
        .chars()
        .any(char::is_alphabetic)
}

/// Does `line` start with a `<` after at most three spaces or tabs (or with four of them,
/// which may still be followed by one)? Read up to its fifth byte only.
fn starts_with_tag(line: &str) -> bool {
    let head = &line.as_bytes()[..line.len().min(5)];
    let indent = head
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    indent == head.len() || head[indent] == b'<'
}
