//! Text arriving after a line that is a marker only: a tight list's item (`- `, `2.`) or a
//! heading (`## `) that the tail shows empty, as its last element (`<li></li>`, `<h2></h2>`).
//!
//! The marker makes the block already; what follows on its line is the block's text, which
//! the render would write into that empty element. Text starting with a letter changes no
//! block (a letter starts none: not a nested list, a rule, a quote, a task's box, a fence or
//! an indented code block), so it is written there, after exactly one space: on the marker's
//! line or first in the chunk (`-` then ` when`; without it, `-when` is no item). The
//! element and what follows it are read in the tail's HTML, so that a marker line the parser
//! made something else of never counts: a setext underline (`> a\n> -` shows `<h2>a</h2>`),
//! a paragraph's text (`a\n- `: an empty item interrupts none), an element of raw HTML left
//! open around the list (its end tag ends the tail), an open comment. Healing changed nothing
//! before: on a last line of markers only it closes nothing (`heal`). Not in a list with a
//! blank line after its first block (it may be loose, and a loose list's items hold
//! paragraphs: `<li>\n<p>`), and not after a `]:`, as any text.
//! After that first chunk, text goes on as in any item or heading (`super`).

use super::{plain, Appendable, Mode, Scanned};
use crate::tail::Rendered;

/// The empty headings a tail may end with.
const HEADINGS: [&str; 6] = [
    "<h1></h1>\n",
    "<h2></h2>\n",
    "<h3></h3>\n",
    "<h4></h4>\n",
    "<h5></h5>\n",
    "<h6></h6>\n",
];

impl Appendable {
    /// For a tail `rendered` from `input` (region from `from`; `math` on or not) whose last
    /// line is a list item's or a heading's marker only, shown as the empty element the
    /// tail ends with: text goes into that element.
    pub(super) fn fresh_line(
        rendered: &Rendered,
        (input, from, math): (&str, usize, bool),
        scanned: Scanned,
    ) -> Option<Appendable> {
        let region = &input[from..];
        // Not after a `]:`, as any text (see `Scanned::definition`). (The end was kept:
        // `Appendable::new` asks only then.)
        if scanned.definition {
            return None;
        }
        let line = &input[scanned.line..];
        let marker = line.trim_start_matches([' ', '>']);
        let (marker, spaced) = match marker.strip_suffix(' ') {
            Some(marker) => (marker, true),
            None => (marker, false),
        };
        let html = &rendered.html;
        let at = if heading_marker(marker) {
            let tag = HEADINGS.iter().find(|t| html.ends_with(*t))?;
            html.len() - tag.len() + "<h1>".len()
        } else if item_marker(marker) {
            // A blank line after the region's first block (leading blank lines aside: the one
            // after committed blocks), as the region's scan found it (read here on every
            // render, a long list would cost its length each time).
            let first = region.len() - region.trim_start_matches(['\n', '\r', ' ', '\t']).len();
            if scanned.paragraph > from + first {
                return None;
            }
            empty_item(html)?
        } else {
            return None;
        };
        let appendable = Appendable::at_end(
            rendered,
            (input, from, math),
            scanned,
            (at, Mode::Text, ""),
            false,
        );
        Some(Appendable {
            fresh: Some(spaced),
            ..appendable
        })
    }

    /// Writes the first text of the empty element (see [`Appendable::fresh_line`]) that
    /// arrived from `old` on in `input` (region from `from`), if it may be: one space
    /// after the marker, then a letter, then plain text on the same line, no word of which
    /// a space ends may be a bare URL or an address. Where the tail changed.
    pub(super) fn fresh_text(&mut self, input: &str, from: usize, old: usize) -> Option<usize> {
        let spaced = self.fresh?;
        let chunk = &input[old..];
        let text = match spaced {
            true => chunk,
            false => chunk.strip_prefix(' ')?,
        };
        if !text.starts_with(char::is_alphabetic)
            || !text.chars().all(plain)
            || super::ends_link(input, self.words_from(from), old)
        {
            return None;
        }
        let last_byte = *input.as_bytes().last()?;
        let shown = self.shown(text);
        let changed = self.at;
        self.html.insert_str(self.at, &shown);
        self.at += shown.len();
        self.appended += chunk.len();
        self.input_len = input.len();
        self.last_byte = last_byte;
        self.fresh = None;
        Some(changed)
    }
}

impl Appendable {
    /// Writes a chunk that ends the input's last line, a tight list item's (`- a`, `2. a`,
    /// indented by spaces only), and begins the next item of the same list (`.\n- ` or
    /// `\n- wh`): the text before the line feed goes at the item's end, an empty item after
    /// its `</li>`, and the text after the new marker into it. Where the tail changed, or
    /// `None` when these rules do not take the chunk (the others decide it).
    ///
    /// The new line has the item's indentation and a marker of its list (the same bullet,
    /// or digits and the same delimiter), then one space, then nothing yet or a letter and
    /// plain text (see `fresh_text`). The item's text is markdown's, right before its
    /// `</li>` (a loose list's item holds a `<p>`), with nothing healing closed or that may
    /// still pair (an opener shown as text, a link arriving); the text before the line feed
    /// is plain, no word it ends may be a bare URL or an address, and no `)` may end a
    /// destination. A `[` open in the item can pair with nothing after its end.
    pub(super) fn sibling_item(&mut self, input: &str, from: usize, old: usize) -> Option<usize> {
        let chunk = &input[old..];
        if self.mode != Mode::Text || !self.paragraph || !chunk.contains('\n') {
            return None;
        }
        let (indent, marker, _) = item_line(&input[self.line..old])?;
        // Its text ends its item (a loose list's item holds a `<p>`), the list's last: the
        // line is the input's last.
        self.html[self.at..].strip_prefix("</li>\n")?;
        // The whitespace pending (spaces: the line feed is in the chunk) and the chunk.
        let whole = [self.pending.as_str(), chunk].concat();
        let (before, after) = whole.split_once('\n')?;
        let (new_indent, new_marker, rest) = item_line(after)?;
        let fits = !self.raw
            && !self.tags
            && !self.closing
            && self.lone == 0
            && self.closers.is_empty()
            && self.link.is_none()
            && new_indent == indent
            && same_list(marker, new_marker)
            && before.chars().all(|c| plain(c) && c != '\r')
            && (before.is_empty() || self.may_follow_closer(before))
            && !(self.destination && before.contains(')'))
            && (rest.is_empty() || rest.starts_with(char::is_alphabetic))
            && rest.chars().all(plain)
            && !super::ends_link(input, self.words_from(from), old);
        if !fits {
            return None;
        }
        let changed = self.at;
        let shown = before.trim_end_matches(' ');
        self.html.insert_str(self.at, shown);
        self.at += shown.len() + "</li>\n".len();
        self.html.insert_str(self.at, "<li></li>\n");
        self.at += "<li>".len();
        self.pending.clear();
        self.html.insert_str(self.at, rest.trim_end_matches(' '));
        self.at += rest.trim_end_matches(' ').len();
        self.pending
            .push_str(&rest[rest.trim_end_matches(' ').len()..]);
        let line_start = input.len() - after.len();
        self.line = line_start;
        self.word_from = line_start + new_indent + new_marker.len() + 1;
        self.fresh = rest.is_empty().then_some(true);
        self.flanking = false;
        self.appended += input.len() - old;
        self.input_len = input.len();
        self.last_byte = *input.as_bytes().last()?;
        Some(changed)
    }
}

/// A line that starts a list item: its indentation (spaces), its marker and its text after
/// the space that follows it.
fn item_line(line: &str) -> Option<(usize, &str, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let (marker, text) = line[indent..].split_once(' ')?;
    item_marker(marker).then_some((indent, marker, text))
}

/// Do the markers `a` and `b` make items of one list: the same bullet, or numbers with the
/// same delimiter?
fn same_list(a: &str, b: &str) -> bool {
    match (a.as_bytes().last(), b.as_bytes().last()) {
        (Some(x @ (b'.' | b')')), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Is `marker` a heading's (`#` to `######`)?
fn heading_marker(marker: &str) -> bool {
    (1..=6).contains(&marker.len()) && marker.bytes().all(|b| b == b'#')
}

/// Is `marker` a list item's (`-`, `*`, `+`, or up to nine digits and `.` or `)`)?
fn item_marker(marker: &str) -> bool {
    match marker.strip_suffix(['.', ')']) {
        Some(digits) => {
            (1..=9).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
        }
        None => matches!(marker, "-" | "*" | "+"),
    }
}

/// Where the content of the empty item `html` ends with goes (after its `<li>`): a last
/// `<li></li>` followed by the end tags of lists, items and quotes only, read from the end.
fn empty_item(html: &str) -> Option<usize> {
    const EMPTY: &str = "<li></li>";
    let mut rest = html;
    loop {
        rest = rest.trim_end_matches('\n');
        if let Some(before) = rest.strip_suffix(EMPTY) {
            return Some(before.len() + "<li>".len());
        }
        rest = ["</ul>", "</ol>", "</li>", "</blockquote>"]
            .iter()
            .find_map(|end| rest.strip_suffix(end))?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        for yes in ["-", "*", "+", "1.", "2)", "123456789."] {
            assert!(item_marker(yes), "{yes}");
        }
        for no in ["", "--", "1234567890.", "a.", ".", "1", "-.", "#"] {
            assert!(!item_marker(no), "{no}");
        }
        for yes in ["#", "######"] {
            assert!(heading_marker(yes), "{yes}");
        }
        for no in ["", "#######", "#a", "-"] {
            assert!(!heading_marker(no), "{no}");
        }
    }

    #[test]
    fn empty_items() {
        let ul = "<ul>\n<li>a</li>\n<li></li>\n</ul>\n";
        assert_eq!(empty_item(ul), Some(ul.find("<li></li>").unwrap() + 4));
        let nested =
            "<blockquote>\n<ul>\n<li>a\n<ul>\n<li></li>\n</ul>\n</li>\n</ul>\n</blockquote>\n";
        assert!(empty_item(nested).is_some());
        assert_eq!(empty_item("<ul>\n<li></li>\n</ul>\n<p>a</p>\n"), None);
        assert_eq!(empty_item("<ul>\n<li>a</li>\n</ul>\n"), None);
    }
}
