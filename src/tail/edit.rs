//! The tail as an edit of the tail returned before it ([`crate::MarkdownStream::tail_edit`]).
//!
//! The tail is replaced on every push, so returning it whole copies its length each time: a
//! block that stays open (a long code fence) costs the square of its length in bytes copied,
//! however little each push renders. An edit says only what changed: when text was written
//! at the tail's end, the bytes after that point (the end tags) and the text; when the tail
//! was rendered again, what follows the part it has in common with the tail before it.

use super::stable::common_prefix;
use super::{led, Next, Region, TailCache};

/// How the tail changed since the tail returned before it
/// ([`crate::MarkdownStream::tail_edit`]): the new tail is the previous tail's first `keep`
/// bytes, then `text`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TailEdit {
    /// How many bytes of the previous tail stay, from its start.
    pub keep: usize,
    /// How many UTF-16 code units of the previous tail go, from its end: the same cut for a
    /// client in JavaScript, whose strings count UTF-16 code units
    /// (`tail.slice(0, tail.length - removed_utf16) + text`).
    pub removed_utf16: usize,
    /// What follows the bytes kept.
    pub text: String,
}

impl TailEdit {
    /// Applies the edit to the previous tail. Returns false, leaving `tail` as it was, if
    /// `tail` cannot be the tail it is for (shorter than `keep`, or `keep` inside a
    /// character).
    pub fn apply(&self, tail: &mut String) -> bool {
        if !tail.is_char_boundary(self.keep) {
            return false;
        }
        tail.truncate(self.keep);
        tail.push_str(&self.text);
        true
    }
}

impl TailCache {
    /// The tail for `region` as an edit of the tail returned last (after a line feed when
    /// `lead`, as `crate::tail::led` shows it).
    pub(crate) fn edit(&mut self, region: &Region<'_>, lead: bool) -> TailEdit {
        let lead_before = std::mem::replace(&mut self.lead, lead);
        let next = self.next(region);
        let html = self.current();
        match next {
            // Written into a tail that was not empty, after the same lead.
            Next::Appended { at, added } if lead_before == lead && html.len() > added => TailEdit {
                keep: usize::from(lead) + at,
                removed_utf16: utf16_len(&html[at + added..]),
                text: html[at..].to_string(),
            },
            Next::Held if lead_before == lead => TailEdit {
                keep: usize::from(lead) + html.len(),
                removed_utf16: 0,
                text: String::new(),
            },
            Next::Appended { at, added } => {
                let previous = [&html[..at], &html[at + added..]].concat();
                between(&led(lead_before, &previous), &led(lead, html))
            }
            Next::Held => between(&led(lead_before, html), &led(lead, html)),
            // Both after the same lead, neither empty: compared as they are.
            Next::Rendered { keep, removed }
                if lead_before == lead && (keep > 0 || !removed.is_empty()) && !html.is_empty() =>
            {
                TailEdit {
                    keep: usize::from(lead) + keep,
                    removed_utf16: utf16_len(&removed),
                    text: html[keep..].to_string(),
                }
            }
            Next::Rendered { keep, removed } => {
                let previous = [&html[..keep], &removed].concat();
                between(&led(lead_before, &previous), &led(lead, html))
            }
        }
    }
}

/// The edit from `before` to `after`: what follows their common start.
fn between(before: &str, after: &str) -> TailEdit {
    let keep = common_prefix(before, after);
    TailEdit {
        keep,
        removed_utf16: utf16_len(&before[keep..]),
        text: after[keep..].to_string(),
    }
}

/// The length of `s` in UTF-16 code units (what JavaScript's `length` counts).
fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}
