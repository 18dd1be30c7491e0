//! Openers arriving after whitespace (`**la`, `` `npm ``, `u **`), appended with the element
//! healing closes them in (see the parent module's documentation).

use super::{in_paragraph, may_be_link, Appendable, Mode};
use crate::canonical::escape_text;

impl Appendable {
    /// Where a chunk with delimiters goes, when the rules for closers arriving (see `closers`)
    /// or openers decide it: `Some` of what `Appendable::append` returns then.
    pub(super) fn delimited(
        &mut self,
        input: &str,
        from: usize,
        old: usize,
    ) -> Option<Option<usize>> {
        let chunk = &input[old..];
        if self.lone > 0 {
            return Some(self.opened_after_lone(input, old));
        }
        let closers_at = self.closers_at(chunk);
        if self.begun && closers_at != Some(0) {
            return Some(None);
        }
        if let Some(at) = closers_at {
            return Some(self.append_closed(input, from, old, at));
        }
        if let Some(at) = self.closers_begun_at(chunk) {
            return Some(self.append_begun(input, from, old, at));
        }
        self.opened(input, from, old).map(Some)
    }

    /// Appends the chunk from `old` on in `input` (region from `from`) when it opens
    /// emphasis, strong emphasis, a strikethrough or a code span after whitespace, with a
    /// word right after the opener and nothing else (`**la`, ` *tok`, `~~ol`, `` `npm ``), at
    /// the end of markdown text that healing closed nothing in (see the module's
    /// documentation). An opener that nothing follows yet (`u **`) is shown as the text it is
    /// until its word arrives. Nothing is written, and `None` returned, otherwise.
    fn opened(&mut self, input: &str, from: usize, old: usize) -> Option<usize> {
        let chunk = &input[old..];
        // Text before the opener's whitespace goes first, as text does (`u **`).
        // (A chunk is a few bytes: no vectorized search.)
        let body_at = chunk
            .bytes()
            .position(|b| matches!(b, b'*' | b'~' | b'`'))?;
        let start = chunk[..body_at].trim_end_matches(' ').len();
        let spaces = &chunk[start..body_at];
        let body = &chunk[body_at..];
        let c = body.as_bytes()[0];
        let run = body.bytes().take_while(|&b| b == c).count();
        let word = &body[run..];
        let lone = word.is_empty();
        let spaced = !spaces.is_empty() || (start == 0 && !self.pending.is_empty());
        if !spaced || !(lone || tag(c, run).is_some()) || !(lone || self.fits_in(c, word)) {
            return None;
        }
        let end = old + start;
        self.text_then(input, from, end, |this| {
            // Markdown's text, not an HTML block's (where `**` is text).
            let fits = this.mode == Mode::Text
                && !this.raw
                && !this.closing
                && this.pending.bytes().all(|b| b == b' ')
                && !may_be_link(input[this.words_from(from)..end].trim_end_matches(' '));
            if !fits {
                return None;
            }
            let changed = this.at;
            let mut text = std::mem::take(&mut this.pending);
            text.push_str(spaces);
            if lone {
                // Shown as the text it is (`*`, `~` and backticks need no escaping).
                text.push_str(body);
            }
            this.html.insert_str(this.at, &text);
            this.at += text.len();
            match lone {
                true => this.lone = run,
                false => this.write_element(c, run, word),
            }
            this.appended += input.len() - end;
            this.input_len = input.len();
            this.last_byte = input.as_bytes()[input.len() - 1];
            Some(changed)
        })
    }

    /// After an opener shown as text (`so **`, see `lone`): the chunk from `old` on in
    /// `input` is the rest of its run, if any, and a word (`uses`, `*thi`).
    fn opened_after_lone(&mut self, input: &str, old: usize) -> Option<usize> {
        let chunk = &input[old..];
        let c = self.html.as_bytes()[self.at - 1];
        let more = chunk.bytes().take_while(|&b| b == c).count();
        let word = &chunk[more..];
        let run = self.lone + more;
        if tag(c, run).is_none() || word.is_empty() || !self.fits_in(c, word) {
            return None;
        }
        self.at -= self.lone;
        self.html.replace_range(self.at..self.at + self.lone, "");
        let changed = self.at;
        self.lone = 0;
        self.write_element(c, run, word);
        self.appended += chunk.len();
        self.input_len = input.len();
        self.last_byte = *input.as_bytes().last()?;
        Some(changed)
    }

    /// Whether `word`, right after an opener of characters `c`, is what the element it opens
    /// shows: ASCII letters and digits (a right-flanking closer after them pairs with the
    /// opener); in a code span, what text arriving in an open span may be
    /// (`Appendable::keeps_span`: `--release`, `$HOME`, `x < y`), not ending with a space
    /// (shown once more follows, and one at each end is stripped).
    fn fits_in(&self, c: u8, word: &str) -> bool {
        match c {
            b'`' => !word.ends_with(' ') && self.keeps_span(word),
            _ => word.bytes().all(|b| b.is_ascii_alphanumeric()),
        }
    }

    /// Writes at `at` the element an opener of `run` characters `c` makes, with `word` in it,
    /// and where the text arriving next goes: in it, before the closers healing wrote.
    fn write_element(&mut self, c: u8, run: usize, word: &str) {
        let Some(tag) = tag(c, run) else {
            return;
        };
        let mut text = ["<", tag, ">"].concat();
        escape_text(&mut text, word);
        let end = text.len();
        for part in ["</", tag, ">"] {
            text.push_str(part);
        }
        self.html.insert_str(self.at, &text);
        self.at += end;
        self.mode = match tag {
            "code" => Mode::CodeSpan,
            _ => Mode::Text,
        };
        self.closing = true;
        self.closers = (c as char).to_string().repeat(run);
        self.opened = true;
        self.flanking = false;
        self.paragraph = !self.tags && in_paragraph(&self.html[self.at..]);
    }
}

/// The element an opener of `run` characters `c` opens, which healing closes: `*`, `**`,
/// `~~` or a backtick.
fn tag(c: u8, run: usize) -> Option<&'static str> {
    match (c, run) {
        (b'*', 1) => Some("em"),
        (b'*', 2) => Some("strong"),
        (b'~', 2) => Some("del"),
        (b'`', 1) => Some("code"),
        _ => None,
    }
}
