//! The classes of characters the rules of `super` read: what is plain text, a symbol, code,
//! and what an open code span shows as it is.

/// A symbol, an emoji or a punctuation mark outside ASCII (arrows, technical and
/// miscellaneous symbols, enclosed letters, dingbats: `✅`, `⚠`, `Ⓐ`; the pictographs'
/// planes: `🚀`, `👍`; see [`punctuation`]: `—`, `…`, `“`, `。`, `，`), which is no markup and
/// needs no escaping, but is punctuation to the flanking rules of emphasis, as the parser
/// reads Unicode's punctuation and symbols (`🚀_a_` is emphasis, `b_a_` is not), the circled
/// letters too: a chunk after a delimiter run that starts with one is refused
/// (`Appendable::flanking`), and where healing wrote closers its class is punctuation's
/// (`flanks_otherwise`). Not the numbers among them (`①`), which are neither. (A code point
/// of these blocks that the parser's Unicode tables do not assign reads to it as a letter:
/// taken for punctuation, it only makes the rules refuse more.)
pub(super) fn symbol(c: char) -> bool {
    matches!(c, '\u{2190}'..='\u{2BFF}' | '\u{1F000}'..='\u{1FAFF}') && !c.is_numeric()
        || punctuation(c)
}

/// A punctuation mark or symbol outside ASCII that answers are full of: Latin-1's (`«`, `»`,
/// `¿`, `°`, `©`, `×`), the general punctuation block's dashes, quotes, ellipsis and marks
/// (`–`, `—`, `‘`, `’`, `“`, `”`, `…`, `•`, `‰`, `※`), currency signs (`€`) and letterlike
/// symbols (`™`, `℃`), and the ideographic (CJK) and fullwidth forms' (`、`, `。`, `「`, `」`,
/// `・`, `，`, `：`, `（`, `）`, `！`, `？`): every one of them punctuation or a symbol to the
/// parser (searched by `symbols_are_punctuation_to_the_parser`). Not spaces (U+00A0, U+2000
/// to U+200A, U+3000, which are whitespace), the format characters between them (the soft
/// hyphen, zero-width and bidi controls), combining marks (U+302A–U+302F) or letters and
/// digits (`ª`, `²`, `々`, `〇`, fullwidth `Ａ`, `１`), which are [`plain`] or neither.
fn punctuation(c: char) -> bool {
    let block = matches!(
        c,
        '\u{00A1}'..='\u{00BF}'
            | '\u{00D7}'
            | '\u{00F7}'
            | '\u{2010}'..='\u{2027}'
            | '\u{2030}'..='\u{205E}'
            | '\u{20A0}'..='\u{20C0}'
            | '\u{2100}'..='\u{214F}'
            | '\u{3001}'..='\u{3029}'
            | '\u{3030}'..='\u{303F}'
            | '\u{30FB}'
            | '\u{FF01}'..='\u{FF65}'
    );
    block && c != '\u{00AD}' && !c.is_alphanumeric()
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
                | ';'
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

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Event, Tag};

    /// How the parser's flanking rules read `c`: as punctuation, whitespace or neither.
    /// `a**{c}b**` has strong emphasis unless `c` is punctuation or whitespace (a run after a
    /// letter that punctuation follows opens nothing); `**b{c}**` has it unless `c` is
    /// whitespace.
    fn read_as(c: char) -> &'static str {
        let strong = |doc: &str| {
            crate::markdown::parser(doc, false, None)
                .any(|e| matches!(e, Event::Start(Tag::Strong)))
        };
        match (strong(&format!("a**{c}b**")), strong(&format!("**b{c}**"))) {
            (false, true) => "punctuation",
            (false, false) => "whitespace",
            _ => "neither",
        }
    }

    /// Every character [`punctuation`] takes is punctuation to the parser (which is what
    /// lets it be appended as `.` is), and no character [`symbol`] takes is whitespace to it
    /// (the symbols' blocks hold code points the parser's tables do not assign, which it
    /// reads as letters: see `symbol`): searched over every character of the Basic
    /// Multilingual Plane and of the pictographs' planes.
    #[test]
    fn symbols_are_punctuation_to_the_parser() {
        let (mut wrong, mut taken, mut unassigned) = (Vec::new(), 0, 0);
        for c in ('\u{80}'..='\u{FFFF}').chain('\u{1F000}'..='\u{1FAFF}') {
            if !symbol(c) {
                continue;
            }
            taken += 1;
            match (read_as(c), punctuation(c)) {
                ("punctuation", _) => {}
                ("neither", false) => unassigned += 1,
                _ => wrong.push(c),
            }
        }
        assert!(wrong.is_empty(), "{wrong:?}");
        // The new blocks' marks and the symbols: thousands, a tenth of them unassigned.
        assert!(
            taken > 5_000 && unassigned < taken / 8,
            "{taken} {unassigned}"
        );
        println!("{taken} characters, {unassigned} read as letters");
    }

    /// The characters [`punctuation`] leaves out of its blocks are what it says: whitespace
    /// to the parser, or not punctuation (letters, digits, combining marks, format
    /// characters).
    #[test]
    fn punctuation_leaves_out_what_is_no_punctuation() {
        let spaces = ['\u{00A0}', '\u{2000}', '\u{200A}', '\u{3000}'];
        for c in spaces {
            assert!(!symbol(c) && read_as(c) == "whitespace", "{c:?}");
        }
        for c in [
            '\u{00AD}', '\u{200B}', '\u{202E}', '\u{302A}', '\u{00B2}', '\u{3005}', '\u{FF21}',
        ] {
            assert!(!punctuation(c) && read_as(c) == "neither", "{c:?}");
        }
    }
}
