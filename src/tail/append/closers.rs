//! Closers arriving for what healing closed: `**a` shows `<strong>a</strong>`, healed with
//! the closers `**`. When a chunk brings exactly those closers (after more text or not), the
//! input up to them is the text the tail was rendered from, so the tail stays as it is, and
//! what follows the closers goes after their end tag, as after any closer the input ended
//! with (see [`after_inline_end`]).
//!
//! Healing writes the same closers after more of the text they close: text is appended there
//! only when it ends in the same class (punctuation or not) as the input did (see
//! `flanks_otherwise`). It writes none after whitespace (`**a ` then `**` closes nothing) and
//! may write others after a line break, so either forgets them.

use super::{
    has_letter, in_paragraph, last_word, symbol, url_like, Appendable, Mode, BLOCK_ENDS,
    MAX_APPENDED,
};
use crate::heal::heal_closing;
use crate::tail::Rendered;

/// The longest healed text whose closers with a backtick are checked (see
/// [`Appendable::closed_by`]).
const CHECKED: usize = 1024;

impl Appendable {
    /// This, with the closers healing wrote after the input's end when the tail has no raw
    /// HTML and the input ends in no whitespace (`ws`), and healing leaves the input with
    /// them as it is. Emphasis closers were read as closers by the parser when healing wrote
    /// them (`heal::write_closers`); a code span's changes what is text, and healing may then
    /// close more (`*a `b*c` gets `` ` ``, the emphasis seeming closed by the run in the open
    /// span; `*a `b*c`` gets `*`): with a backtick, healing is asked again, for up to
    /// [`CHECKED`] bytes (past them the check would cost what the render it saves costs).
    pub(super) fn closed_by(self, rendered: &Rendered, ws: &str, work: &mut usize) -> Appendable {
        let healed = rendered.closing && !rendered.raw_html && !self.raw && ws.is_empty();
        let mut closers = match healed {
            true => healed_closers(rendered),
            false => "",
        };
        if closers.contains('`') {
            let as_is = rendered.healed.len() <= CHECKED
                && heal_closing(&rendered.healed, self.math, work).0 == rendered.healed;
            closers = if as_is { closers } else { "" };
        }
        Appendable {
            closers: closers.to_string(),
            ..self
        }
    }

    /// May `text` follow the end of the input, after a closer run it ends with (see
    /// `flanking`)?
    pub(super) fn may_follow_closer(&self, text: &str) -> bool {
        !self.flanking
            || text.starts_with(|c: char| {
                c == ' ' || c == '\n' || (self.flanked && c.is_ascii_punctuation())
            })
    }

    /// After `chunk` was appended: the closers still hold unless it ends in whitespace or
    /// has a line break.
    pub(super) fn keep_closers(&mut self, chunk: &str) {
        if chunk.ends_with(char::is_whitespace) || chunk.contains(['\n', '\r']) {
            self.closers.clear();
        }
    }

    /// Where the closers healing wrote start in `chunk`, after text without them.
    pub(super) fn closers_at(&self, chunk: &str) -> Option<usize> {
        let first = self.closers.chars().next()?;
        let at = chunk.find(first)?;
        chunk[at..].starts_with(&self.closers).then_some(at)
    }

    /// Where the first of the closers healing wrote start in `chunk`, which ends with them
    /// (`**a` then `b*`), after text without them.
    pub(super) fn closers_begun_at(&self, chunk: &str) -> Option<usize> {
        let first = self.closers.chars().next()?;
        let at = chunk.find(first)?;
        (chunk.len() - at < self.closers.len() && self.closers.starts_with(&chunk[at..]))
            .then_some(at)
    }

    /// Appends the chunk from `old` on in `input` (region from `from`), which ends with the
    /// first of the closers healing wrote, from `at` in it, after a letter or a digit: healing
    /// completes a closer cut short (`**a` then `b*`: `**ab**`) as it closed the opener, so
    /// the input is what was rendered with the text before them; the closers still to come
    /// are the rest. All or nothing, as [`Appendable::append_closed`].
    pub(super) fn append_begun(
        &mut self,
        input: &str,
        from: usize,
        old: usize,
        at: usize,
    ) -> Option<usize> {
        let end = old + at;
        // (A bare URL the closer ends is a link now, as in `closed`.)
        let text = &input[from..end];
        if !self.opened || !text.ends_with(|c: char| c.is_ascii_alphanumeric()) || may_be_link(text)
        {
            return None;
        }
        let begun = &input[end..];
        self.text_then(input, from, end, |this| {
            if this.closers.len() <= begun.len() || !this.closers.starts_with(begun) {
                return None;
            }
            this.closers.drain(..begun.len());
            this.begun = true;
            this.appended += begun.len();
            this.input_len = input.len();
            this.last_byte = input.as_bytes()[input.len() - 1];
            Some(this.html.len())
        })
    }

    /// Appends the chunk from `old` on in `input`, whose closers start at `at` in it: the
    /// text before them, the closers, then the text after them. All or nothing: a push that
    /// shows the tail as it was (the caller renders it, or the budget holds it) keeps this as
    /// it was.
    pub(super) fn append_closed(
        &mut self,
        input: &str,
        from: usize,
        old: usize,
        at: usize,
    ) -> Option<usize> {
        // Text before the closers and text after them are two insertions, around the end tag:
        // the tail as it was from the first is kept for the edit, which replaces it (an edit
        // of one insertion was wrong there: found by `edits_applied_give_the_tail`). Spaces
        // after them are pending: they show nothing yet.
        let after = &input[(old + at + self.closers.len()).min(input.len())..];
        let twice = at > 0 && !after.bytes().all(|b| b == b' ');
        let start = self.at;
        let was = twice.then(|| self.html[start..].to_string());
        let changed = self.text_then(input, from, old + at, |this| {
            this.closed(input, from, old + at)
        })?;
        match was {
            Some(was) => {
                self.replaced = Some(was);
                Some(start)
            }
            None => Some(changed),
        }
    }

    /// Appends the text of `input` (region from `from`) from the tail's end to `end` (none
    /// when it is the tail's end), then what `then` writes, all or nothing: when either
    /// refuses, this is left as it was. Returns where the tail changed (`then` returns it
    /// for what it wrote; it leaves the tail as it was when it refuses).
    pub(super) fn text_then(
        &mut self,
        input: &str,
        from: usize,
        end: usize,
        then: impl FnOnce(&mut Appendable) -> Option<usize>,
    ) -> Option<usize> {
        let html = std::mem::take(&mut self.html);
        let saved = self.clone();
        self.html = html;
        let len = self.html.len();
        let before = match end == self.input_len {
            true => Some(None),
            false => self.append(&input[..end], from).map(Some),
        };
        // The tail changed from where the first text was written.
        let changed = before.and_then(|before| {
            let after = then(self)?;
            Some(before.map_or(after, |b: usize| b.min(after)))
        });
        if changed.is_none() {
            let mut html = std::mem::take(&mut self.html);
            if let Some(Some(p)) = before {
                html.replace_range(p..p + (html.len() - len), "");
            }
            *self = Appendable { html, ..saved };
        }
        changed
    }

    /// The chunk from `old` on in `input` starts with the closers: the tail is as it was, and
    /// ends after their end tag; then what follows them is appended.
    fn closed(&mut self, input: &str, from: usize, old: usize) -> Option<usize> {
        let end = old + self.closers.len();
        let last = self.closers.chars().next_back()?;
        if may_be_link(&input[from..old]) {
            // A bare URL the closers end is a link now, which it was not at the input's end.
            return None;
        }
        let at = after_inline_end(&self.html, &input[from..end], last, self.left)?;
        self.at = at;
        self.mode = Mode::Text;
        self.pending.clear();
        self.closing = false;
        self.closers.clear();
        self.begun = false;
        self.opened = false;
        self.flanking = matches!(last, '*' | '_' | '~');
        self.flanked = letter_before_run(&input[from..end], last);
        self.paragraph = !self.tags && in_paragraph(&self.html[at..]);
        self.input_len = end;
        self.word_from = end;
        self.last_byte = input.as_bytes()[end - 1];
        if end == input.len() {
            return Some(self.html.len());
        }
        self.append(input, from)
    }
}

/// The closers healing wrote after the input's end, when it did nothing else: delimiter
/// characters only (`*`, `_`, `~`, `` ` ``), after the input as it came.
fn healed_closers(rendered: &Rendered) -> &str {
    rendered
        .healed
        .strip_prefix(rendered.source.as_str())
        .filter(|c| c.bytes().all(|b| matches!(b, b'*' | b'_' | b'~' | b'`')))
        .unwrap_or_default()
}

/// Where the tail `html` of markdown `text` (without raw HTML, and as healing left it) ends
/// in a code span, emphasis, strikethrough or link that the
/// input's `last` character closed (`` ` ``, `*`, `_`, `~`, `)`), followed by block end tags
/// only: text that arrives next goes after its end tag. Plain text changes none of them: a
/// backtick string closes a span whatever follows, emphasis stays closed when a space or
/// punctuation follows (the latter after a letter or digit: see `Appendable::flanking`), and an inline link or image is complete
/// at its `)`. The last line must have a letter (see `text_may_follow`); an `&` before
/// the closer begins no character reference with the text after it (none holds a `` ` ``,
/// `*`, `_` or `)`). `left`: the delimiters the tail shows outside its kept part (see
/// `Appendable::left`).
pub(super) fn after_inline_end(html: &str, text: &str, last: char, left: Left) -> Option<usize> {
    let closers: &[&str] = match last {
        '`' => &["</code>"],
        '*' | '_' => &["</em>", "</strong>"],
        '~' => &["</del>"],
        // A link, or what the policy made of it (a host label after it, a blocked image).
        ')' => &["</a>", "</span>"],
        _ => return None,
    };
    let word = last_word(text);
    if !has_letter(text) || word.len() > MAX_APPENDED {
        return None;
    }
    // A backtick run the parser left as text (an opener no run of its length closes: `` `a
    // ```b``` ``) is one healing can close once text follows the span's end, not before it
    // (its closer would join the span's run): the text would be code. So is an emphasis
    // run left as text (`*�*m*` then `/`: healing closes the first `*` once the `/` is
    // after the last). Such a run shows as its character in the tail after its kept part,
    // which it cannot be in (the parse settles no cut after one); so does one in code, or
    // escaped: then the tail renders too.
    if left.has(last) {
        return None;
    }
    let mut end = html.len();
    loop {
        let h = html[..end].trim_end_matches('\n');
        let tag = &h[h.rfind('<')?..];
        if closers.contains(&tag) {
            return Some(h.len());
        }
        if !BLOCK_ENDS.contains(&tag) {
            return None;
        }
        end = h.len() - tag.len();
    }
}

/// Could the last word of `text` be a bare URL or an e-mail address still arriving (`://`,
/// `@` or `www.` in it)? A closer that ends it may make it a link, which
/// it is not while it is the input's end. A word longer than the appended bytes allow counts
/// as one.
pub(super) fn may_be_link(text: &str) -> bool {
    let word = last_word(text);
    word.len() > MAX_APPENDED || url_like(word)
}

/// The delimiters (`` ` ``, `*`, `_`, `~`) a tail shows after its kept part (see
/// `Appendable::left`).
#[derive(Clone, Copy, Default)]
pub(super) struct Left([bool; 4]);

impl Left {
    const DELIMITERS: [u8; 4] = [b'`', b'*', b'_', b'~'];

    /// Those the tail `rendered` shows after its kept part. Read once per render, over what
    /// the render wrote.
    pub(super) fn shown(rendered: &Rendered) -> Left {
        let html = &rendered.html.as_bytes()[rendered.closed.0.min(rendered.html.len())..];
        Left(Left::DELIMITERS.map(|d| memchr::memchr(d, html).is_some()))
    }

    /// Does it show `c`?
    pub(super) fn has(self, c: char) -> bool {
        Left::DELIMITERS
            .iter()
            .zip(self.0)
            .any(|(&d, shown)| shown && c == char::from(d))
    }
}

/// Is a letter or digit before the run of `last` that `text` ends with?
pub(super) fn letter_before_run(text: &str, last: char) -> bool {
    text.trim_end_matches(last)
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

/// Does `chunk`, after `before`, end in a character of another class for flanking
/// (punctuation or not) than `before` ends in? Whitespace at the end aside, which healing
/// writes no closer after.
pub(super) fn flanks_otherwise(before: &str, chunk: &str) -> bool {
    let punctuation = |s: &str| {
        s.trim_end()
            .chars()
            .next_back()
            .map(|c| c.is_ascii_punctuation() || symbol(c))
    };
    punctuation(chunk).is_some_and(|p| Some(p) != punctuation(before))
}
