//! Invisible text: characters that hide instructions or data from the reader.
//!
//! - Unicode tag characters (U+E0000–U+E007F) can spell out a hidden ASCII message that models
//!   read and people do not see ("ASCII smuggling").
//! - Bidi embedding and override controls (U+202A–U+202E) make text display in an order other
//!   than the one it is stored in.
//!
//! Both are removed from text and attribute values. A URL that contains any zero-width or bidi
//! character is rejected outright: it does not say what it looks like.

use std::borrow::Cow;

/// Characters removed from text and attributes.
pub fn is_stripped(c: char) -> bool {
    matches!(c, '\u{E0000}'..='\u{E007F}' | '\u{202A}'..='\u{202E}')
}

/// Characters that make a URL be rejected: the stripped ones, zero-width characters, bidi
/// marks and isolates, the soft hyphen, the byte-order mark, fillers, interlinear annotation
/// controls and the other default-ignorable format characters (Egyptian hieroglyph and
/// shorthand format controls, musical symbol formatting U+1D173–U+1D17A), except variation
/// selectors.
pub fn is_invisible_in_url(c: char) -> bool {
    is_stripped(c)
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{3164}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFFB}'
                | '\u{13430}'..='\u{1343F}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0080}'..='\u{E00FF}'
                | '\u{E01F0}'..='\u{E0FFF}'
        )
}

/// Characters a reader does not see in link text, ignored when the text is compared with the
/// link's destination: the [URL-invisible](is_invisible_in_url) ones, variation selectors
/// (which only choose a glyph's form, and are allowed in URLs: `❤️` carries one) and the
/// deprecated format characters U+206A–U+206F, and the remaining format characters (Arabic
/// number signs and end of ayah, Syriac abbreviation mark, Kaithi number signs).
pub fn is_unseen(c: char) -> bool {
    is_invisible_in_url(c)
        || matches!(
            c,
            '\u{180B}'..='\u{180D}'
                | '\u{180F}'
                | '\u{2065}'..='\u{206F}'
                | '\u{0600}'..='\u{0605}'
                | '\u{06DD}'
                | '\u{070F}'
                | '\u{0890}'..='\u{0891}'
                | '\u{08E2}'
                | '\u{110BD}'
                | '\u{110CD}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{E0100}'..='\u{E01EF}'
        )
}

/// Removes the [stripped](is_stripped) characters; returns the text and how many were removed.
pub fn strip(s: &str) -> (Cow<'_, str>, usize) {
    // Every stripped character is encoded in UTF-8 starting with 0xE2 (U+202A–U+202E) or
    // 0xF3 (U+E0000–U+E007F): most text has neither byte and needs no decoding at all.
    if memchr::memchr2(0xE2, 0xF3, s.as_bytes()).is_none() || !s.chars().any(is_stripped) {
        return (Cow::Borrowed(s), 0);
    }
    let mut removed = 0;
    let out = s
        .chars()
        .filter(|&c| {
            let strip = is_stripped(c);
            removed += usize::from(strip);
            !strip
        })
        .collect();
    (Cow::Owned(out), removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_overrides_only() {
        let (s, n) = strip("a\u{E0041}\u{E0042}b\u{202E}c\u{200D}d");
        assert_eq!(s, "abc\u{200D}d");
        assert_eq!(n, 3);
        assert!(matches!(strip("plain"), (Cow::Borrowed("plain"), 0)));
    }

    #[test]
    fn url_invisibles() {
        for c in ['\u{200B}', '\u{202E}', '\u{2066}', '\u{FEFF}', '\u{E0001}'] {
            assert!(is_invisible_in_url(c), "{c:?}");
        }
        assert!(!is_invisible_in_url('a'));
        assert!(!is_invisible_in_url('é'));
    }
}
