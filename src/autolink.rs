//! GFM's extended autolinks: where a bare URL, `www.` name or e-mail address in text starts and
//! ends. Only text scanning: whether a candidate is a URL at all, and where it points, is
//! decided by the URL judge (see [`crate::judge`]).

use std::borrow::Cow;

/// What a bare autolink in text links to (GFM's extended autolinks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Autolink {
    /// `http://…`, `https://…`: the text itself.
    Url,
    /// `www.…`: `http://` and the text.
    Www,
    /// `name@example.com`: `mailto:` and the text.
    Email,
}

impl Autolink {
    /// The destination the text `t` of such an autolink links to.
    pub(crate) fn destination(self, t: &str) -> Cow<'_, str> {
        match self {
            Autolink::Url => Cow::Borrowed(t),
            Autolink::Www => Cow::Owned(format!("http://{t}")),
            Autolink::Email => Cow::Owned(format!("mailto:{t}")),
        }
    }
}

/// Every GFM extended autolink in `s`, in order, not overlapping: start, end and kind.
/// A `www.` link starts a line or follows whitespace or `*`, `_`, `~`, `(`; an `http(s)://`
/// URL starts anywhere its scheme is not the end of a longer word. Both end at whitespace or
/// `<`, without trailing punctuation, an unbalanced `)` or an entity reference, and need a
/// valid domain. An e-mail address is a local part of letters, digits
/// and `.+-_`, `@`, and a domain of at least two labels. One pass each: linear in `s`.
///
/// This only finds where candidates start and end; whether one is a URL at all, and what it
/// points to, is decided by the URL parser in `urls::judge`.
pub(crate) fn find_autolinks(s: &str) -> Vec<(usize, usize, Autolink)> {
    let mut found = find_web_links(s);
    found.extend(find_emails(s));
    found.sort_unstable_by_key(|f| f.0);
    let mut out: Vec<(usize, usize, Autolink)> = Vec::with_capacity(found.len());
    for f in found {
        if out.last().is_none_or(|last| f.0 >= last.1) {
            out.push(f);
        }
    }
    out
}

/// GFM's valid domain at the start of `b`: labels of letters, digits, `_` and `-` separated
/// by `.`, no `_` in the last two labels; returns its length (0: none).
fn valid_domain(b: &[u8]) -> usize {
    // No host name is longer than 253 bytes; a longer run is no domain (and scanning it again
    // from every `_` inside it would be quadratic).
    const MAX: usize = 256;
    let len = b
        .iter()
        .take(MAX)
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.') || **c >= 0x80)
        .count();
    if len == MAX {
        return 0;
    }
    let domain = &b[..len];
    let trimmed = domain.strip_suffix(b".").unwrap_or(domain);
    let labels: Vec<&[u8]> = trimmed.split(|c| *c == b'.').collect();
    let ok = !trimmed.is_empty()
        && labels.iter().all(|l| !l.is_empty())
        && labels.iter().rev().take(2).all(|l| !l.contains(&b'_'));
    if ok {
        len
    } else {
        0
    }
}

/// Every `http(s)://` and `www.` autolink in `s`. Long on purpose (a little over 80
/// lines): one scan, kept whole so that GFM's start, domain and end rules read in the order the spec gives them.
fn find_web_links(s: &str) -> Vec<(usize, usize, Autolink)> {
    let bytes = s.as_bytes();
    let mut found = Vec::new();
    // Every candidate has `://` or `www.` (in any case) in it; most text has neither, and is
    // read only by the searches for them.
    let www = || {
        memchr::memchr_iter(b'.', bytes)
            .any(|i| i >= 3 && bytes[i - 3..i].eq_ignore_ascii_case(b"www"))
    };
    // (`://` found from its `:` by memchr: memmem's searcher costs the wasm kilobytes.)
    let scheme = || memchr::memchr_iter(b':', bytes).any(|i| bytes[i + 1..].starts_with(b"//"));
    if !scheme() && !www() {
        return found;
    }
    let mut start = 0;
    while start < bytes.len() {
        let at = start;
        start += 1;
        if !matches!(bytes[at], b'h' | b'H' | b'w' | b'W') {
            continue;
        }
        let after = &bytes[at..];
        let has = |p: &[u8]| after.len() >= p.len() && after[..p.len()].eq_ignore_ascii_case(p);
        let (prefix_len, kind) = if has(b"https://") {
            (8, Autolink::Url)
        } else if has(b"http://") {
            (7, Autolink::Url)
        } else if has(b"www.") {
            (4, Autolink::Www)
        } else {
            continue;
        };
        // GFM: a `www.` link only at the start, after whitespace, or after `*`, `_`, `~`, `(`;
        // a URL wherever its scheme is not part of a longer word (`"https://…"` links,
        // `xhttps://…` does not), as cmark-gfm reads it.
        if at > 0 {
            let before = bytes[at - 1];
            let ok = match kind {
                Autolink::Www => matches!(
                    before,
                    b' ' | b'\t' | b'\n' | b'\r' | b'*' | b'_' | b'~' | b'('
                ),
                _ => !before.is_ascii_alphabetic(),
            };
            if !ok {
                continue;
            }
        }
        let domain_from = if kind == Autolink::Www {
            at
        } else {
            at + prefix_len
        };
        if valid_domain(&bytes[domain_from..]) == 0 {
            continue;
        }
        let mut end = at
            + s[at..]
                .find(|c: char| c.is_whitespace() || c == '<')
                .unwrap_or(s.len() - at);
        start = end;
        // Trailing punctuation is not part of the link; nor is an unbalanced `)`, nor an
        // entity reference (`&amp;`) at the end.
        let opens = bytes[at..end].iter().filter(|&&b| b == b'(').count();
        let mut closes = bytes[at..end].iter().filter(|&&b| b == b')').count();
        while end > at {
            match bytes[end - 1] {
                b'?' | b'!' | b'.' | b',' | b':' | b'*' | b'_' | b'~' | b'\'' | b'"' => end -= 1,
                b')' if closes > opens => {
                    closes -= 1;
                    end -= 1
                }
                b';' => {
                    let name = bytes[at..end - 1]
                        .iter()
                        .rev()
                        .take_while(|b| b.is_ascii_alphanumeric())
                        .count();
                    if name > 0 && end - 1 - name > at && bytes[end - 2 - name] == b'&' {
                        end -= name + 2;
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        }
        if end > at + prefix_len {
            found.push((at, end, kind));
        }
    }
    found
}

/// Every e-mail address in `s`.
fn find_emails(s: &str) -> Vec<(usize, usize, Autolink)> {
    let bytes = s.as_bytes();
    let local = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-' | b'_');
    let mut found = Vec::new();
    let mut done = 0;
    for at in memchr::memchr_iter(b'@', bytes) {
        if at < done {
            continue;
        }
        let start = at
            - bytes[done..at]
                .iter()
                .rev()
                .take_while(|b| local(**b))
                .count();
        done = at + 1;
        if start == at {
            continue;
        }
        let dlen = bytes[at + 1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            .count();
        let mut end = at + 1 + dlen;
        while end > at + 1 && bytes[end - 1] == b'.' {
            end -= 1;
        }
        let domain = &bytes[at + 1..end];
        let labels_ok = domain.split(|b| *b == b'.').count() >= 2
            && domain.split(|b| *b == b'.').all(|l| !l.is_empty());
        let last_ok = domain.last().is_some_and(|b| !matches!(b, b'-' | b'_'));
        if labels_ok && last_ok {
            found.push((start, end, Autolink::Email));
            done = end;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_urls() {
        fn f(s: &str) -> Option<&str> {
            find_autolinks(s).first().map(|&(a, b, _)| &s[a..b])
        }
        assert_eq!(f("see https://a.example/x."), Some("https://a.example/x"));
        assert_eq!(
            f("(https://a.example/x_(y))"),
            Some("https://a.example/x_(y)")
        );
        assert_eq!(f("(https://a.example/x)"), Some("https://a.example/x"));
        assert_eq!(f("xhttps://a.example/"), None);
        assert_eq!(f("\"https://a.example/x\""), Some("https://a.example/x"));
        assert_eq!(f("'www.a.example'"), None);
        assert_eq!(f("HTTP://A.example/<b>"), Some("HTTP://A.example/"));
        assert_eq!(f("https://"), None);
        assert_eq!(f("no url"), None);
        // GFM's extended www and e-mail autolinks (spec examples 621-631).
        let all = |s: &str| -> Vec<(String, Autolink)> {
            find_autolinks(s)
                .into_iter()
                .map(|(a, b, k)| (s[a..b].to_string(), k))
                .collect()
        };
        assert_eq!(
            all("Visit www.commonmark.org/help for more information."),
            [("www.commonmark.org/help".to_string(), Autolink::Www)]
        );
        assert_eq!(
            all("Visit www.commonmark.org."),
            [("www.commonmark.org".to_string(), Autolink::Www)]
        );
        assert_eq!(
            all("www.google.com/search?q=Markup+(business))"),
            [(
                "www.google.com/search?q=Markup+(business)".to_string(),
                Autolink::Www
            )]
        );
        assert_eq!(
            all("www.google.com/search?q=commonmark&hl;"),
            [(
                "www.google.com/search?q=commonmark".to_string(),
                Autolink::Www
            )]
        );
        assert_eq!(
            all("www.commonmark.org/he<lp"),
            [("www.commonmark.org/he".to_string(), Autolink::Www)]
        );
        assert!(all("Visit www.a_b.c_d/x").is_empty());
        assert_eq!(
            all("foo@bar.baz"),
            [("foo@bar.baz".to_string(), Autolink::Email)]
        );
        assert_eq!(
            all("hello@mail+xyz.example isn't valid, but hello+xyz@mail.example is."),
            [("hello+xyz@mail.example".to_string(), Autolink::Email)]
        );
        assert_eq!(
            all("a.b-c_d@a.b"),
            [("a.b-c_d@a.b".to_string(), Autolink::Email)]
        );
        assert_eq!(
            all("a.b-c_d@a.b."),
            [("a.b-c_d@a.b".to_string(), Autolink::Email)]
        );
        assert!(all("a.b-c_d@a.b-").is_empty());
        assert!(all("a.b-c_d@a.b_").is_empty());
        assert_eq!(
            all("see https://user@a.example/ and me@x.example"),
            [
                ("https://user@a.example/".to_string(), Autolink::Url),
                ("me@x.example".to_string(), Autolink::Email)
            ]
        );
    }
}
