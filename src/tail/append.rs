//! Plain text appended to the last tail without rendering it again.
//!
//! Most chunks of an answer are words: letters, digits, spaces and a little punctuation. When
//! such a chunk follows text that the last tail showed at its very end, the new tail is the
//! last one with the chunk's text written at that end, escaped as the writer escapes text. It
//! is used only when nothing in the chunk can start, end or change markup:
//!
//! - the chunk holds letters, digits, spaces and `.,?!'"()-/%+=` only: no line break, no
//!   delimiter, bracket, backtick, `<`, `&`, `#`, `|`, `:` or `@`;
//! - no word the chunk touches, ended by a space, could be a bare URL or an e-mail address
//!   (`:`, `@` or `www.` in it): it may become a link once complete;
//! - the last tail was healed without cutting anything at its end (no destination, tag or
//!   definition still arriving), its input ended in a letter, a digit or such punctuation but
//!   `)` (which may end a link), in a word without `<` (which may become a tag), on a line
//!   with a letter (a line without may still become a marker: `1.`, `> 1.`, `--`), and
//!   no `]:` in the tail (a definition whose title a quote may close);
//! - the HTML ends with that character in a text node, followed by end tags only.
//!
//! While a link or image destination arrives at the end, healing hides it: more of it (no
//! `)`, `(`, line break, `<`, `>`, backtick, `~` or `]`) leaves the tail as it was.
//!
//! Whitespace at the end of text is not shown until more text follows (inside code it is):
//! it is kept pending. After 256 appended bytes the tail is rendered again, so that every
//! other rule (text node bounds, the stable part moving on) catches up.

use crate::markdown::bare_cr_as_lf;

/// Appended bytes after which the tail is rendered again.
const MAX_APPENDED: usize = 256;

/// The last tail rendered, and where text arriving next goes in it.
pub(super) struct Appendable {
    html: String,
    /// Where appended text goes: the end of the last text.
    at: usize,
    /// Whether that text is code, which shows its trailing whitespace.
    code: bool,
    /// Whether a destination is arriving at the end: healing hides it, and more of it changes
    /// nothing.
    frozen: bool,
    /// Whitespace at the end of the input that the tail does not show yet.
    pending: String,
    /// The input length and tail region the tail is for.
    input_len: usize,
    from: usize,
    /// The input's last byte then (a CR may become an LF).
    last_byte: u8,
    appended: usize,
}

impl Appendable {
    /// For a tail `html` just rendered from `input` (region from `from`), if healing kept the
    /// input's end (`kept_end`) and plain text may follow.
    pub(super) fn new(html: &str, input: &str, from: usize, kept_end: bool) -> Option<Appendable> {
        let region = &input[from..];
        if !kept_end && crate::heal::destination_arriving(&bare_cr_as_lf(region)) {
            return Some(Appendable {
                html: html.to_string(),
                at: html.len(),
                code: false,
                frozen: true,
                pending: String::new(),
                input_len: input.len(),
                from,
                last_byte: *input.as_bytes().last()?,
                appended: 0,
            });
        }
        let text = region.trim_end_matches([' ', '\t']);
        let last = text.chars().next_back()?;
        let line = &text[text.rfind('\n').map_or(0, |i| i + 1)..];
        // Not after `)`, which may end a link: text after it goes after the link. Not in a word
        // with `<`, which may become a tag (`</` then `p`).
        let word_start = text
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = &text.as_bytes()[word_start..];
        if !kept_end
            || !plain(last)
            || last == ')'
            || !text_line(line)
            || word.len() > MAX_APPENDED
            || word.contains(&b'<')
            || region.contains("]:")
        {
            return None;
        }
        // The end of the last text: before end tags and line feeds only.
        let mut end = html.len();
        loop {
            let h = html[..end].trim_end_matches('\n');
            end = h.len();
            if !h.ends_with('>') {
                break;
            }
            let lt = h.rfind('<')?;
            if !h[lt..].starts_with("</") {
                return None;
            }
            end = lt;
        }
        let shown = &html[..end];
        // In a code block, whitespace at the end shows; in a code span, healing drops it as it
        // does in text.
        let code = shown
            .rfind("<pre><code")
            .is_some_and(|open| shown.rfind("</code>").is_none_or(|close| close < open));
        let ws = &region[text.len()..];
        let expected = if code {
            format!("{last}{ws}")
        } else {
            last.to_string()
        };
        if !shown.ends_with(&expected) {
            return None;
        }
        Some(Appendable {
            html: html.to_string(),
            at: end,
            code,
            frozen: false,
            pending: if code { String::new() } else { ws.to_string() },
            input_len: input.len(),
            from,
            last_byte: *input.as_bytes().last()?,
            appended: 0,
        })
    }

    /// The tail for `input` (region from `from`), if what arrived since is plain text.
    pub(super) fn append(&mut self, input: &str, from: usize) -> Option<String> {
        let old = self.input_len;
        if from != self.from
            || input.len() <= old
            || !input.is_char_boundary(old)
            || input.as_bytes()[old - 1] != self.last_byte
        {
            return None;
        }
        let chunk = &input[old..];
        if self.appended + chunk.len() > MAX_APPENDED {
            return None;
        }
        if self.frozen {
            // More of the destination: it may end (`)`), nest (`(`), or turn the line into
            // something else (a line break, a fence, a tag, a definition's `]:`).
            if chunk.contains(['(', ')', '\n', '\r', '<', '>', '`', '~', ']']) {
                return None;
            }
            self.appended += chunk.len();
            self.input_len = input.len();
            self.last_byte = *input.as_bytes().last()?;
            return Some(self.html.clone());
        }
        if !chunk.chars().all(plain) {
            return None;
        }
        // Every word the chunk ends with a space: not a link arriving. (A word longer than
        // the appended bytes allow is rendered again.)
        if chunk.contains(' ') {
            let mut start = input[from..old]
                .char_indices()
                .rev()
                .take(MAX_APPENDED)
                .find(|(_, c)| c.is_whitespace())
                .map(|(i, c)| from + i + c.len_utf8())
                .or((old - from < MAX_APPENDED).then_some(from))?;
            for (i, c) in chunk.char_indices() {
                if c == ' ' {
                    if may_link(&input[start..old + i]) {
                        return None;
                    }
                    start = old + i + 1;
                }
            }
        }
        let text = if self.code {
            // Whether a code block shows whitespace at its end depends on the block (an
            // indented one does not): rendered again.
            if chunk.ends_with(' ') {
                return None;
            }
            chunk.to_string()
        } else {
            let shown = chunk.trim_end_matches(' ');
            let text = match shown {
                "" => String::new(),
                _ => format!("{}{shown}", std::mem::take(&mut self.pending)),
            };
            self.pending.push_str(&chunk[shown.len()..]);
            text
        };
        // Plain characters need no escaping in text.
        self.html.insert_str(self.at, &text);
        self.at += text.len();
        self.appended += chunk.len();
        self.input_len = input.len();
        self.last_byte = *input.as_bytes().last()?;
        Some(self.html.clone())
    }
}

/// A character that starts, ends and changes no markup in text (and needs no escaping).
fn plain(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            ' ' | '.' | ',' | '?' | '!' | '\'' | '"' | '(' | ')' | '-' | '/' | '%' | '+' | '='
        )
        || (!c.is_ascii() && c.is_alphanumeric() && !crate::text::is_invisible_in_url(c))
}

/// Can `line` (so far) not become a block marker, however it goes on? A line with a letter
/// has its markers already (`- 1.` may still become a list in a list, `> 1.` in a quote).
fn text_line(line: &str) -> bool {
    line.chars().any(char::is_alphabetic)
}

/// Could `word` be a bare URL or an e-mail address once complete?
fn may_link(word: &str) -> bool {
    word.contains([':', '@']) || word.to_ascii_lowercase().contains("www.")
}
