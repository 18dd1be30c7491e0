//! A `[` in text that is appended (see `append`): an unclosed bracket shows as the text it
//! is until its `]` arrives, unless it opens an image (`![`, which healing hides while it
//! arrives) or ends a word that may become a link.

use super::{last_word, MAX_APPENDED};

/// Does `chunk`, after `before`, have a `[` right after `!`: an image's opener, which
/// healing hides while it arrives? (A `[` at the end of the input shows as text, or the tail
/// ends in no text to append to; see `Scanned::image` for one before.)
pub(super) fn opens_image(before: &str, chunk: &str) -> bool {
    chunk.contains("![") || (chunk.starts_with('[') && before.ends_with('!'))
}

/// Could the last word of `text` be a bare URL or an e-mail address still arriving (`://`,
/// `@` or `www.` in it)? A character that ends it (a closer, `[`) may make it a link, which
/// it is not while it is the input's end. A word longer than the appended bytes allow counts
/// as one.
pub(super) fn may_be_link(text: &str) -> bool {
    let word = std::str::from_utf8(last_word(text)).unwrap_or_default();
    word.len() > MAX_APPENDED
        || word.contains("://")
        || word.contains('@')
        || word.to_ascii_lowercase().contains("www.")
}

/// Has `chunk`, after `before`, a `[` that ends a word that may be a link (see
/// [`may_be_link`])?
pub(super) fn bracket_ends_link(before: &str, chunk: &str) -> bool {
    chunk
        .match_indices('[')
        .any(|(i, _)| may_be_link(&[before, &chunk[..i]].concat()))
}
