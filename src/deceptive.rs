//! The deceptive-link rule: does a clickable link's text read as another host than the one
//! it points to? One rule for every surface: the markdown stage's judged events and the HTML
//! stage's tree both ask it, with the link's text as a reader sees it.

use std::borrow::Cow;

use crate::host::{comparable_host, display_host};

/// A clickable link is deceptive when what a reader sees of it may name a host other than the
/// one it goes to. This is the one rule every stage uses (the markdown stage for the links it
/// writes, the HTML stage for `<a href>`); the terminal stage shows the whole URL after every
/// trusted link whose text is not that URL, which is stricter.
///
/// `views` are the link's text as a reader may see it: the HTML stage passes its whole text
/// and its text without what may be hidden (`<rp>`, the closed part of `<details>`). Each is
/// read as a person reads it ([`host_claims`]): any token in it that reads as a host or a URL
/// is a claim, even inside a sentence, behind quotes or brackets, with look-alike dots,
/// slashes or colons, or split by characters nobody sees. The link is deceptive when any claim
/// is not the destination's host (case, a leading `www.` and a trailing dot do not matter; the
/// whole host must match: neither `docs.example.com.evil.example` nor, conservatively,
/// `example.com` is `docs.example.com`), or is no host at all (text that reads as a host but
/// does not parse as one is not trusted to name this one). A destination with an
/// internationalized host always is: the reader is shown its `xn--` form, whatever the text
/// (a homograph `dоcs.example.com` reads as the real thing).
///
/// Returns what to show beside the link: the destination's real host, as [`display_host`](crate::host::display_host)
/// shows it. A `mailto:` destination has no host and never is deceptive.
pub(crate) fn deceptive(views: &[&str], href: &str) -> Option<String> {
    let url = crate::url_parse::parse(href).ok()?;
    let real = comparable_host(&url)?;
    if real.split('.').any(|label| label.starts_with("xn--")) {
        return display_host(&url);
    }
    let bare = |h: &str| h.strip_prefix("www.").unwrap_or(h).to_string();
    let real = bare(&real);
    let honest = views
        .iter()
        .flat_map(|view| host_claims(view))
        .all(|readings| {
            readings
                .iter()
                .any(|h| h.as_deref().map(bare).as_deref() == Some(&*real))
        });
    if honest {
        None
    } else {
        display_host(&url)
    }
}

/// Every token of `text` that reads as a host or URL, each as the hosts its readings name
/// (`None` for a reading that does not parse as one). A token has several readings when
/// punctuation around it may or may not be part of it (`docs.example.com.` at the end of a
/// sentence). The text is read as a person reads it:
///
/// - characters nobody sees ([`crate::text::is_unseen`]) are ignored, and NUL reads as the
///   U+FFFD an HTML parser makes of it (so markdown and its output sanitized again agree);
/// - look-alike dots (`。`, `．`, `․`, `·`, …), slashes (`∕`, `⁄`, `／`, …), colons and at
///   signs read as `.`, `/`, `:` and `@` (IDNA itself maps `。` and `．` to `.`);
/// - tokens are separated by whitespace, blank-looking characters (U+2800) and quotes,
///   brackets and similar punctuation;
/// - a token reads as a host when it has a scheme (`x://`) or a dotted name whose last label
///   is two letters or more (any script) or `xn--`, as a domain or a dotted-quad address.
fn host_claims(text: &str) -> Vec<Vec<Option<String>>> {
    let read: String = text
        .chars()
        .filter(|c| !crate::text::is_unseen(*c))
        .map(|c| match c {
            '\0' => '\u{FFFD}',
            c if DOTS.contains(&c) => '.',
            c if SLASHES.contains(&c) => '/',
            c if COLONS.contains(&c) => ':',
            '\u{FF20}' | '\u{FE6B}' => '@',
            c => c,
        })
        .collect();
    read.split(|c: char| c.is_whitespace() || SEPARATORS.contains(&c))
        .filter(|t| !t.is_empty() && t.len() <= crate::limits::MAX_URL_BYTES)
        .filter_map(|token| {
            let trailing = token.trim_end_matches(SENTENCE_END);
            let both = trailing.trim_start_matches(['.', ':', '/', '-', '@']);
            let mut readings = vec![token];
            readings.extend([trailing, both].into_iter().filter(|r| !r.is_empty()));
            readings.dedup();
            readings
                .iter()
                .any(|r| reads_as_host(r))
                .then(|| readings.iter().map(|r| parsed_host(r)).collect())
        })
        .collect()
}

/// Punctuation that ends a sentence, which a reader does not take for part of a host.
const SENTENCE_END: &[char] = &['.', ',', ';', ':', '!', '?', '-'];

/// Characters read as a dot: IDNA's label separators and look-alikes of `.`.
const DOTS: &[char] = &[
    '\u{3002}',
    '\u{FF0E}',
    '\u{FF61}',
    '\u{2024}',
    '\u{FE52}',
    '\u{00B7}',
    '\u{0387}',
    '\u{2027}',
    '\u{30FB}',
    '\u{FF65}',
    '\u{22C5}',
    '\u{2219}',
    '\u{16EB}',
    '\u{0701}',
    '\u{0702}',
    '\u{A4F8}',
    '\u{A60E}',
    '\u{10A50}',
    '\u{1D16D}',
    '\u{2E33}',
    '\u{0660}',
    '\u{06F0}',
    '\u{18FC}',
    '\u{2E31}',
];

/// Characters read as a slash.
const SLASHES: &[char] = &[
    '\u{2215}', '\u{2044}', '\u{FF0F}', '\u{29F8}', '\u{2571}', '\u{1735}', '\u{27CB}', '\u{2CC6}',
];

/// Characters read as a colon.
const COLONS: &[char] = &[
    '\u{FF1A}', '\u{2236}', '\u{A789}', '\u{02D0}', '\u{02F8}', '\u{0589}', '\u{05C3}', '\u{0703}',
    '\u{0704}', '\u{16EC}', '\u{FE30}', '\u{FE13}', '\u{FE55}', '\u{1803}', '\u{1809}', '\u{205A}',
    '\u{A4FD}',
];

/// Characters that separate tokens besides whitespace: blank-looking ones, quotes, brackets
/// and the like.
const SEPARATORS: &[char] = &[
    '\u{2800}', '(', ')', '[', ']', '{', '}', '<', '>', '"', '\'', '`', '|', '*', '\u{AB}',
    '\u{BB}', '\u{2039}', '\u{203A}', '\u{201C}', '\u{201D}', '\u{201E}', '\u{201F}', '\u{2018}',
    '\u{2019}', '\u{201A}', '\u{201B}', '\u{300C}', '\u{300D}', '\u{300E}', '\u{300F}', '\u{3010}',
    '\u{3011}', '\u{3014}', '\u{3015}', '\u{3008}', '\u{3009}', '\u{300A}', '\u{300B}', '\u{FF08}',
    '\u{FF09}', '\u{FF3B}', '\u{FF3D}', '\u{FF5B}', '\u{FF5D}', '\u{FF1C}', '\u{FF1E}', '\u{FF02}',
    '\u{FF07}', '\u{FF5C}', '\u{FFFD}',
];

/// Does `t` have the shape of a URL (`scheme://…`) or of a host name (`name.tld`, with an
/// optional user, port and path), as a reader would take it?
fn reads_as_host(t: &str) -> bool {
    if let Some(i) = t.find("://") {
        return i > 0
            && t[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    }
    let authority = t.split(['/', '?', '#', '\\']).next().unwrap_or(t);
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    };
    let name = name.trim_end_matches('.');
    let Some((_, tld)) = name.rsplit_once('.') else {
        return false;
    };
    let quad = name.split('.').count() == 4
        && name
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    quad || (tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic))
        || tld.to_ascii_lowercase().starts_with("xn--")
}

/// The host a reading names, parsed as a browser parses what is typed into its address bar.
fn parsed_host(t: &str) -> Option<String> {
    let candidate = if t.contains("://") {
        Cow::Borrowed(t)
    } else {
        Cow::Owned(format!("http://{t}"))
    };
    comparable_host(&crate::url_parse::parse(&candidate).ok()?)
}

#[cfg(test)]
mod tests {
    use super::deceptive as deceptive_views;

    /// The rule for a link whose text has no hidden part.
    fn deceptive(text: &str, href: &str) -> Option<String> {
        deceptive_views(&[text], href)
    }

    #[test]
    fn text_that_reads_as_another_host_is_deceptive() {
        let d = |text: &str, href: &str| deceptive(text, href);
        // The text names one host, the link goes to another.
        assert_eq!(
            d("https://docs.example.com/login", "https://other.example/x").as_deref(),
            Some("other.example")
        );
        assert_eq!(
            d("docs.example.com", "https://other.example/").as_deref(),
            Some("other.example")
        );
        assert_eq!(
            d("docs.example.com", "https://docs.example.com.evil.example/").as_deref(),
            Some("docs.example.com.evil.example")
        );
        assert_eq!(
            d("example.com", "https://docs.example.com/").as_deref(),
            Some("docs.example.com")
        );
        assert_eq!(
            d("docs.example.com:8443/x", "https://evil.example:8443/").as_deref(),
            Some("evil.example:8443")
        );
        // A lookalike destination is shown in its punycode form.
        assert_eq!(
            d("example.com", "https://xn--exmple-4nf.com/").as_deref(),
            Some("xn--exmple-4nf.com")
        );
        // Case, `www.`, a trailing dot or punctuation and the path do not matter to a reader.
        for (text, href) in [
            ("Docs.Example.COM", "https://docs.example.com/a"),
            ("www.example.com", "https://example.com/"),
            ("example.com", "https://www.example.com/x?y"),
            (
                "https://docs.example.com/other/page",
                "https://docs.example.com/",
            ),
            ("docs.example.com.", "https://docs.example.com/"),
            ("click here", "https://evil.example/"),
            ("v1.2", "https://evil.example/"),
            ("3.14", "https://evil.example/"),
            ("", "https://evil.example/"),
            ("docs.example.com", "mailto:someone@example.com"),
            // Text that is its own URL, trailing punctuation and all.
            ("https://docs.example.com/a).", "https://docs.example.com/a"),
            (
                "see https://docs.example.com/a, then",
                "https://docs.example.com/a",
            ),
        ] {
            assert_eq!(deceptive(text, href), None, "{text} -> {href}");
        }
        // A host anywhere in the text is a claim: in a sentence, in brackets or quotes, as the
        // domain of an e-mail address, or in text that is a URL only in part (a quote in its
        // host, found by fuzzing, ends the token a reader takes for it).
        for text in [
            "(see docs.example.com)",
            "Sign in at https://docs.example.com/login",
            "\u{201C}docs.example.com\u{201D}",
            "[docs.example.com]",
            "me@example.com",
            "docs.example.com and evil.example",
        ] {
            assert_eq!(
                deceptive(text, "https://evil.example/").as_deref(),
                Some("evil.example"),
                "{text}"
            );
        }
        assert!(deceptive("https://saf('XSS')", "https://saf('xss')/").is_some());
        // Full-width and upper-case text is normalized as the browser would before comparing.
        assert_eq!(
            deceptive("ｄｏｃｓ.example.com", "https://docs.example.com/"),
            None
        );
    }

    #[test]
    fn invisible_characters_do_not_hide_the_claimed_host() {
        // A zero-width joiner, a mark or a tag character before or inside the text: a reader
        // sees `docs.example.com`, and the link goes elsewhere (found by the properties).
        for invisible in [
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{200E}',
            '\u{061C}',
            '\u{00AD}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{FE0F}',
            '\u{E0100}',
            '\u{E0041}',
            '\u{202E}',
        ] {
            for text in [
                format!("{invisible}docs.example.com"),
                format!("docs.exa{invisible}mple.com"),
                format!("{invisible}https://docs.example.com/login"),
                format!("https{invisible}://docs.example.com/"),
            ] {
                assert_eq!(
                    deceptive(&text, "https://evil.example/").as_deref(),
                    Some("evil.example"),
                    "{text:?}"
                );
                // Honest once the invisible character is ignored.
                assert_eq!(
                    deceptive(&text, "https://docs.example.com/"),
                    None,
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn nul_reads_as_the_replacement_character() {
        // An HTML parser reads NUL in text as U+FFFD, so markdown text with NUL and the same
        // output sanitized again must be judged alike (found by the markdown fuzz target).
        for (nul, replaced) in [
            ("docttps://attack\0\0s", "docttps://attack\u{FFFD}\u{FFFD}s"),
            ("docs.exa\0mple.com", "docs.exa\u{FFFD}mple.com"),
        ] {
            let href = "https://docs.example.com/a";
            assert_eq!(deceptive(nul, href), deceptive(replaced, href), "{nul:?}");
        }
        assert_eq!(
            deceptive("docttps://attack\0s", "https://docs.example.com/").as_deref(),
            Some("docs.example.com")
        );
    }
}
