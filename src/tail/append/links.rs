//! A link's `](` arriving after its text was appended: healing shows an inline link whose
//! destination is still arriving as its text only (`see [the guide](https://do` shows `see
//! the guide`), so the tail is the one shown with the `[` taken out and the text before the
//! `]` appended, and the destination arriving changes nothing until its `)` (see
//! `Mode::Destination`).
//!
//! Only where the `[` was appended as text (never after a `!` or a `\`: see
//! `Appendable::text`), the link text is plain text (no delimiter a `[` could flank, no
//! bracket) and not blank, no `$` arrives under math (a math span binds before a link), and
//! the destination holds nothing that `Mode::Destination` refuses, nor has ended (then the
//! `](` is text), and not in an HTML block's text, where healing may show it
//! (`<div>\n[a](b[c](`). Healing writes the closers of emphasis open before the link
//! after its text as after the text before it. Entering `Mode::Destination`, the closers
//! healing wrote are forgotten: a `**` in the destination closes nothing (`[a](q**`).

use super::{plain, Appendable, Mode, NOT_IN_DESTINATION};
use crate::heal::destination_ended;

impl Appendable {
    /// Appends the chunk from `old` on in `input`, which holds a `](`, when it begins the
    /// destination of a link whose `[` is `bracket` (where it is in the tail and in the
    /// input): the text before the `]` goes where text goes, the `[` is taken out, and the
    /// tail waits for the destination. The tail changed from the `[` on (two places: the push
    /// is an edit from there, see `replaced`).
    pub(super) fn link_begun(
        &mut self,
        input: &str,
        old: usize,
        (bracket, opener): (usize, usize),
    ) -> Option<usize> {
        let chunk = &input[old..];
        let k = chunk.find("](")?;
        let (before, destination) = (&chunk[..k], &chunk[k + 2..]);
        let label = &input[opener + 1..old + k];
        // A `$` may close a math span, which binds before links.
        let fits = self.mode == Mode::Text && !self.raw && !(self.math && chunk.contains('$'));
        let arriving = !destination.contains(NOT_IN_DESTINATION) && !destination_ended(destination);
        if !fits
            || !arriving
            || !label.chars().all(plain)
            || label.trim().is_empty()
            || self.html.as_bytes().get(bracket) != Some(&b'[')
        {
            return None;
        }
        let was = self.html[bracket..].to_string();
        let text = self.shown(before);
        self.html.insert_str(self.at, &text);
        self.html.remove(bracket);
        // The `[` was before `at`.
        self.at = self.at + text.len() - 1;
        // What the tail of an arriving destination is when rendered (see `Appendable::new`):
        // no closers a chunk could bring, no opener shown as text.
        self.mode = Mode::Destination;
        self.destination = true;
        self.closers.clear();
        (self.begun, self.opened, self.lone, self.flanking) = (false, false, 0, false);
        self.appended += chunk.len();
        self.input_len = input.len();
        self.last_byte = *input.as_bytes().last()?;
        self.replaced = Some(was);
        Some(bracket)
    }
}

/// Where in `input` the last `[` of the chunk from `old` on is.
pub(super) fn opener(input: &str, old: usize) -> Option<usize> {
    Some(old + input[old..].rfind('[')?)
}
