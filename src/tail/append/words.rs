//! Words arriving at the tail's end: where the word a chunk ends starts, and whether it could
//! become a bare URL or an e-mail address once complete (a space after it links it), which
//! keeps the chunk from being appended as text.

/// The longest word whose start text arriving looks for (see `ends_link`): a longer one
/// counts as a bare URL or an address.
pub(super) const MAX_APPENDED: usize = 256;

/// The last word of `text` (after its last whitespace).
pub(super) fn last_word(text: &str) -> &[u8] {
    let start = text
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    &text.as_bytes()[start..]
}

/// Does the chunk `input[old..]` end, with a space, a word that could be a bare URL or an
/// e-mail address (it may become a link once complete)? A word longer than the appended bytes
/// allow counts as one.
pub(super) fn ends_link(input: &str, from: usize, old: usize) -> bool {
    let chunk = &input[old..];
    if !chunk.contains([' ', '\n']) {
        return false;
    }
    let Some(mut start) = word_start(input, from, old) else {
        return true;
    };
    for (i, c) in chunk.char_indices() {
        if c == ' ' || c == '\n' {
            if url_like(&input.as_bytes()[start..old + i]) {
                return true;
            }
            start = old + i + 1;
        }
    }
    false
}

/// Where the word that `input[from..old]` ends with starts: after its last whitespace among
/// its last [`MAX_APPENDED`] characters, at `from` when it is shorter, `None` when it is a
/// longer word. Asked on most pushes: the bytes are read from the end while they are ASCII,
/// and only a word with other characters in it is read as characters.
fn word_start(input: &str, from: usize, old: usize) -> Option<usize> {
    let bytes = &input.as_bytes()[from..old];
    // `char::is_whitespace` in ASCII: tab, line feed, U+000B, U+000C, carriage return, space.
    let space = |b: u8| matches!(b, b'\t'..=b'\r' | b' ');
    match bytes
        .iter()
        .rev()
        .take(MAX_APPENDED)
        .position(|&b| !b.is_ascii() || space(b))
    {
        Some(k) if bytes[bytes.len() - 1 - k].is_ascii() => Some(old - k),
        Some(_) => input[from..old]
            .char_indices()
            .rev()
            .take(MAX_APPENDED)
            .find(|(_, c)| c.is_whitespace())
            .map(|(i, c)| from + i + c.len_utf8())
            .or((old - from < MAX_APPENDED).then_some(from)),
        None => (old - from < MAX_APPENDED).then_some(from),
    }
}

/// Could `word` be a bare URL or an e-mail address (`://`, `@` or `www.` in any case in it)?
/// Asked of words on most pushes: one pass over a few bytes, no substring searcher or
/// lowercase copy.
pub(super) fn url_like(word: &[u8]) -> bool {
    word.iter().enumerate().any(|(i, &b)| match b {
        b'@' => true,
        b':' => word[i + 1..].starts_with(b"//"),
        b'.' => i >= 3 && word[i - 3..i].eq_ignore_ascii_case(b"www"),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    /// Every string of up to `len` pieces of `alphabet`, the empty one first.
    fn strings_over(alphabet: &[&str], len: usize) -> Vec<String> {
        let mut strings = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..len {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            strings.extend(last.iter().cloned());
        }
        strings
    }

    /// `word_start` is the scan over characters it replaced, on every string of up to seven
    /// characters over ASCII whitespace, a letter, U+00A0 and U+3000 (whitespace outside
    /// ASCII) and `é`, from every start, and on words around [`super::MAX_APPENDED`] long.
    #[test]
    fn word_start_is_the_scan_over_characters() {
        let by_chars = |input: &str, from: usize, old: usize| {
            input[from..old]
                .char_indices()
                .rev()
                .take(super::MAX_APPENDED)
                .find(|(_, c)| c.is_whitespace())
                .map(|(i, c)| from + i + c.len_utf8())
                .or((old - from < super::MAX_APPENDED).then_some(from))
        };
        let alphabet = [
            " ", "\t", "\n", "\u{b}", "\u{c}", "\r", "a", "\u{a0}", "\u{3000}", "é",
        ];
        let mut strings = strings_over(&alphabet, 5);
        let n = super::MAX_APPENDED;
        for word in ["a", "é", "\u{3000}"] {
            for len in n - 2..n + 3 {
                for before in ["", " ", "é", "\u{a0}", "b "] {
                    strings.push(format!("{before}{}", word.repeat(len)));
                    strings.push(format!("{before}{} {}", word.repeat(len), word.repeat(3)));
                }
            }
        }
        let mut compared = 0;
        for s in &strings {
            for from in (0..=s.len()).filter(|&i| s.is_char_boundary(i)) {
                assert_eq!(
                    super::word_start(s, from, s.len()),
                    by_chars(s, from, s.len()),
                    "{s:?} from {from}"
                );
                compared += 1;
            }
        }
        assert!(compared > 500_000, "{compared}");
    }

    /// `url_like` is the substring test it replaced (`://`, `@`, or `www.` in any case) on
    /// every string of up to six bytes over the bytes those hold, another letter and a
    /// two-byte character.
    #[test]
    fn url_like_is_the_substring_test() {
        let strings = strings_over(&["w", "W", ".", ":", "/", "@", "a", "é"], 6);
        assert!(strings.len() > 290_000);
        for s in &strings {
            let want =
                s.contains("://") || s.contains('@') || s.to_ascii_lowercase().contains("www.");
            assert_eq!(super::url_like(s.as_bytes()), want, "{s:?}");
        }
    }
}
