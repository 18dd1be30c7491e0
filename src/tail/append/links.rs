//! A link's `](` arriving after its text was appended: healing shows an inline link whose
//! destination is still arriving as its text only (`see [the guide](https://do` shows `see
//! the guide`), so the tail is the one shown with the `[` taken out (and the `]`, when it
//! came first: it is appended as text, `[the guide]`, where no definition may match it)
//! and the text before the `]` appended, and the destination arriving changes nothing until
//! its `)` (see `Mode::Destination`).
//!
//! Only where the `[` was appended as text (never after a `!` or a `\`: see
//! `Appendable::text`), the link text is plain text (no delimiter a `[` could flank, no
//! bracket) and not blank, no `$` arrives under math (a math span binds before a link), and
//! the destination holds nothing that `Mode::Destination` refuses, nor has ended (then the
//! `](` is text), and not in an HTML block's text, where healing may show it
//! (`<div>\n[a](b[c](`). Healing writes the closers of emphasis open before the link after
//! its text as after the text before it. Entering `Mode::Destination`, the closers healing
//! wrote are forgotten: a `**` in the destination closes nothing (`[a](q**`). After a `]`
//! appended, only a `(` is appended (`[x] a` may be a task, `[a][b]` a reference).
//!
//! The link's `)` then puts the link, rendered on its own, in place of its text, and what
//! follows it is appended as after any inline element's end (see
//! `Appendable::link_closed`): a link completing needs no render of the tail.

use super::{
    ends_link, last_word, plain, plain_destination, url_like, Appendable, Mode, NOT_IN_DESTINATION,
};
use crate::heal::{destination_ended, has_pair};
use crate::tail::Region;

/// A `[` appended as text (see `Appendable::bracket`).
#[derive(Clone, Copy)]
pub(super) struct Bracket {
    /// Where it is in the tail.
    at: usize,
    /// Where it is in the input.
    opener: usize,
    /// Where the `]` appended after its text is in the tail, once it came.
    pub(super) closed: Option<usize>,
}

/// A link whose destination is arriving, begun by [`Appendable::link_begun`].
#[derive(Clone, Copy)]
pub(super) struct Arriving {
    /// Where its text starts in the tail (it ends where text goes).
    text: usize,
    /// Where its `[` and its `(` are in the input.
    opener: usize,
    paren: usize,
    /// Whether the paragraph had a destination a `)` may end before this one (see
    /// `Appendable::destination`): once this one ends plainly, it has as before.
    destination: bool,
}

impl Appendable {
    /// Where a chunk with a link's brackets goes, when these rules decide it: `Some` of what
    /// `Appendable::append` returns then. A `](` (in the chunk, or across its start) with
    /// `bracket`, the `[` appended last, begins a link; a `]` at its end closes the link
    /// text; after such a `]`, only a `(` is appended.
    pub(super) fn bracketed(
        &mut self,
        input: &str,
        from: usize,
        old: usize,
        bracket: Option<Bracket>,
    ) -> Option<Option<usize>> {
        let chunk = &input[old..];
        if has_pair(chunk, b"](") || (input.as_bytes()[old - 1] == b']' && chunk.starts_with('(')) {
            return Some(bracket.and_then(|b| self.link_begun(input, from, old, b)));
        }
        let bracket = bracket?;
        (bracket.closed.is_some() || chunk.ends_with(']'))
            .then(|| self.label_closed(input, from, old, bracket))
    }

    /// Whether the link text from `bracket` to `end` in `input` (region from `from`, the
    /// chunk from `old` on) may be a link's as shown: plain text, not blank, in markdown's
    /// text, the `[` where it was written, and no word a space in the chunk ends could be a
    /// bare URL (`https://x.example/p[the guide`: without the `[`, or with its `]`, the space
    /// ends a URL).
    fn label_fits(
        &self,
        input: &str,
        (from, old): (usize, usize),
        bracket: Bracket,
        end: usize,
    ) -> bool {
        let label = &input[bracket.opener + 1..end];
        !ends_link(input, self.words_from(from), old)
            && self.mode == Mode::Text
            && !self.raw
            && label.chars().all(plain)
            && !label.trim().is_empty()
            && self.html.as_bytes().get(bracket.at) == Some(&b'[')
    }

    /// Appends the chunk from `old` on in `input`, which holds a `](`, when it begins the
    /// destination of a link whose `[` is `bracket`: the text before the `]` goes where text
    /// goes, the `[` (and a `]` appended before) is taken out, and the tail waits for the
    /// destination. The tail changed from the `[` on (two places: the push is an edit from
    /// there, see `replaced`).
    fn link_begun(
        &mut self,
        input: &str,
        from: usize,
        old: usize,
        bracket: Bracket,
    ) -> Option<usize> {
        let chunk = &input[old..];
        let (before, destination, end) = match bracket.closed {
            Some(_) => ("", chunk.strip_prefix('(')?, old - 1),
            None => {
                let k = chunk.find("](")?;
                (&chunk[..k], &chunk[k + 2..], old + k)
            }
        };
        // A `$` may close a math span, which binds before links.
        let math = self.math && chunk.contains('$');
        let arriving = !destination.contains(NOT_IN_DESTINATION) && !destination_ended(destination);
        if math || !arriving || !self.label_fits(input, (from, old), bracket, end) {
            return None;
        }
        let was = self.html[bracket.at..].to_string();
        let text = self.shown(before);
        self.html.insert_str(self.at, &text);
        self.at += text.len();
        for at in bracket.closed.into_iter().chain([bracket.at]) {
            self.html.remove(at);
            self.at -= 1;
        }
        // What the tail of an arriving destination is when rendered (see `Appendable::new`):
        // no closers a chunk could bring, no opener shown as text.
        self.mode = Mode::Destination;
        let before = std::mem::replace(&mut self.destination, true);
        self.closers.clear();
        (self.begun, self.opened, self.lone, self.flanking) = (false, false, 0, false);
        self.appended += chunk.len();
        self.input_len = input.len();
        self.last_byte = *input.as_bytes().last()?;
        self.replaced = Some(was);
        self.link = Some(Arriving {
            text: bracket.at,
            opener: bracket.opener,
            paren: end + 1,
            destination: before,
        });
        Some(bracket.at)
    }

    /// A `)` arriving that completes the link whose destination was arriving (see
    /// [`Arriving`]): its text in the tail is replaced by the link as the renderer writes it
    /// (rendered on its own, `[text](destination)` alone: a link's HTML depends on its text,
    /// its destination and the policy only), and what follows the `)` is appended after it
    /// as after any inline element's end (all or nothing). Only a destination that holds
    /// nothing `Mode::Destination` refuses (`](q(x))`: the first `)` is no end), no
    /// whitespace (a title, or no link at all) and no backslash (`\)` is no end), no `$`
    /// under math (a math span binds first), no bare URL or address right before the `[`
    /// (shown unlinked while it reached the input's end, it ends at the `[` once the link is
    /// complete), and no whitespace held pending after the text
    /// (`[a  ](q)`: the link's text keeps it). And not where the committed input defines
    /// references: no search reaches a `[` appended there (a `]` after one renders), but a
    /// definition could make the text before a reference link (`[a][text](b)`). Where the
    /// tail changed, as `Appendable::append` returns it.
    pub(in crate::tail) fn link_closed(&mut self, region: &Region<'_>) -> Option<usize> {
        let (input, from) = (region.input, region.from);
        let link = self.link.filter(|_| self.mode == Mode::Destination)?;
        let old = self.arrived(input, from)?;
        let close = old + memchr::memchr(b')', &input.as_bytes()[old..])?;
        let destination = &input[link.paren + 1..close];
        // A bare URL or address right before the `[` (`https://x.example/p[t](q)`) was shown
        // as text while it reached the end: with the link, it ends before it.
        let word = last_word(&input[self.words_from(from).min(link.opener)..link.opener]);
        if self.references
            || url_like(word)
            || !self.pending.is_empty()
            || (self.math && input[old..close].contains('$'))
            || destination.contains(NOT_IN_DESTINATION)
            || destination.contains(['\\', ' ', '\t'])
        {
            return None;
        }
        let source = &input[link.opener..=close];
        let (html, _, _) = region
            .renderer
            .continuation(0, source.len() + 1)
            .render_to_end(source);
        let shown = html.strip_prefix("<p>")?.strip_suffix("</p>\n")?;
        let saved = self.clone();
        let was = self.html[link.text..].to_string();
        self.html.replace_range(link.text..self.at, shown);
        self.at = link.text + shown.len();
        self.mode = Mode::Text;
        self.link = None;
        // A plain destination ended by its `)`: no `)` after it makes a link of it.
        self.destination = link.destination || !destination.bytes().all(plain_destination);
        self.closers.clear();
        (self.begun, self.opened, self.lone, self.flanking) = (false, false, 0, false);
        self.word_from = close + 1;
        self.appended += close + 1 - old;
        self.input_len = close + 1;
        self.last_byte = b')';
        if close + 1 < input.len() && self.append(input, from).is_none() {
            *self = saved;
            return None;
        }
        self.replaced = Some(was);
        Some(link.text)
    }

    /// Appends the chunk from `old` on in `input`, which ends with the `]` of the link text
    /// that `bracket` opened, as text: `[the guide]` is text where no definition may match
    /// it, and healing closes emphasis after the `]` as after the text before it. After a
    /// `]` appended, `None`: only a `(` (see [`Appendable::link_begun`]) may follow without a
    /// render.
    fn label_closed(
        &mut self,
        input: &str,
        from: usize,
        old: usize,
        bracket: Bracket,
    ) -> Option<usize> {
        let chunk = &input[old..];
        let end = input.len() - 1;
        // Whitespace before the `]` would be shown, and stay once the `]` goes. (A definition
        // in the committed input would make `[the guide]` a link: no search reaches an
        // appended `[` with one, a definition in the region ends appending, but the rule
        // stands on its own.)
        let fits = bracket.closed.is_none()
            && !self.references
            && !input[..end].ends_with(char::is_whitespace);
        if !fits || !self.label_fits(input, (from, old), bracket, end) {
            return None;
        }
        let text = self.shown(chunk);
        let changed = self.at;
        self.html.insert_str(self.at, &text);
        self.at += text.len();
        self.bracket = Some(Bracket {
            closed: Some(self.at - 1),
            ..bracket
        });
        self.flanking = false;
        self.keep_closers(chunk);
        self.appended += chunk.len();
        self.input_len = input.len();
        self.last_byte = b']';
        Some(changed)
    }
}

impl Appendable {
    /// The `[` appended last once `text` was written at `at` in the tail for the chunk from
    /// `old` on in `input`, in markdown's text: its last `[`, or `before` when it has none.
    pub(super) fn bracket_after(
        &self,
        text: &str,
        (input, old): (&str, usize),
        at: usize,
        before: Option<Bracket>,
    ) -> Option<Bracket> {
        if self.mode != Mode::Text {
            return None;
        }
        // A byte search: the text is a few bytes, too short for `rfind`'s searcher to pay.
        let last = |s: &str| s.bytes().rposition(|b| b == b'[');
        let Some(i) = last(text) else {
            return before;
        };
        Some(Bracket {
            at: at + i,
            opener: old + last(&input[old..])?,
            closed: None,
        })
    }
}
