//! The classes of characters the rules of `super` read: what is plain text, a symbol, code,
//! and what an open code span shows as it is.

/// A symbol or an emoji (arrows, technical and miscellaneous symbols, enclosed letters,
/// dingbats: `✅`, `⚠`, `Ⓐ`; the pictographs' planes: `🚀`, `👍`), which is no markup and
/// needs no escaping, but is punctuation to the flanking rules of emphasis, as the parser
/// reads Unicode's symbols (`🚀_a_` is emphasis, `b_a_` is not), the circled letters too:
/// a chunk after a delimiter run that starts with one is refused (`Appendable::flanking`),
/// and where healing wrote closers its class is punctuation's (`flanks_otherwise`). Not
/// the numbers among them (`①`), which are neither.
pub(super) fn symbol(c: char) -> bool {
    matches!(c, '\u{2190}'..='\u{2BFF}' | '\u{1F000}'..='\u{1FAFF}') && !c.is_numeric()
}

/// A character that starts, ends and changes no markup in text (and needs no escaping).
pub(super) fn plain(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            ' ' | '.'
                | ','
                | '?'
                | '!'
                | '\''
                | '"'
                | '('
                | ')'
                | '-'
                | '/'
                | '%'
                | '+'
                | '='
                | ':'
        )
        || (!c.is_ascii()
            && c.is_alphanumeric()
            && !crate::text::is_invisible_in_url(c)
            && !symbol(c))
}

/// Is `code` text that changes nothing in an open code span, which healing reads as text
/// until it closes: [`in_open_span`] characters, and `<` before a character that starts no
/// tag (see [`no_tag_start`]).
pub(super) fn open_span_text(code: &str) -> bool {
    code.chars().all(|c| in_open_span(c) || c == '<') && no_tag_start(code.as_bytes())
}

/// Is every `<` in `text` followed, in it, by a character that starts no tag (`x < y`,
/// `Option<&str>`: not a letter, `/`, `!`, `?` or another `<`)? A `<` at its end may be a
/// tag arriving (`<d`), which healing hides.
fn no_tag_start(text: &[u8]) -> bool {
    let starts_no_tag =
        |b: &u8| !b.is_ascii_alphabetic() && !matches!(b, b'/' | b'!' | b'?' | b'<');
    memchr::memchr_iter(b'<', text).all(|i| text.get(i + 1).is_some_and(starts_no_tag))
}

/// A character that changes nothing in an open code span, which healing reads as text until
/// it closes: no tag (`<`), image (`![`), delimiter (`*`, `_`) or escape may be arriving.
pub(super) fn in_open_span(c: char) -> bool {
    code(c) && !matches!(c, '<' | '[' | '!' | '*' | '_' | '\\')
}

/// A character that changes nothing in code: printable ASCII but a backtick, `~` (which may
/// close a fence) and `|` (a table cell boundary even in a code span), or a plain character.
pub(super) fn code(c: char) -> bool {
    (c == ' ' || c.is_ascii_graphic()) && !matches!(c, '`' | '~' | '|') || plain(c)
}
