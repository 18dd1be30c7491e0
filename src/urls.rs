//! The URL judge: one function decides every link and image destination.
//!
//! It knows nothing of markdown or HTML. Callers hand it a destination exactly as a browser
//! would see it (entity references already decoded); it parses it with the WHATWG-conformant
//! `url` crate and compares the *parsed* scheme, host, port and path with the policy. There is
//! no string-prefix check on raw text anywhere: `https://docs.example.com.evil.example/`,
//! `https://docs.example.com@evil.example/`, `//evil.example/`, backslashes, tabs inside the
//! scheme, upper case and percent-encoded hosts are all judged by their real host.

use std::borrow::Cow;

use url::Url;

use crate::policy::{Policy, PrefixKind, UrlPrefix};
use crate::text;

/// What a destination is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    Link,
    Image,
}

/// Why a destination was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Deny {
    /// A scheme that can never be clickable or load (`javascript:`, `vbscript:`, `file:`, SVG
    /// `data:` …).
    UnsafeScheme,
    /// A well-formed destination that the policy does not trust (includes relative ones).
    Untrusted,
    /// Contains zero-width or bidi characters.
    Invisible,
    /// Does not parse as a URL at all.
    Invalid,
}

/// The judgement of one destination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Allowed: the exact value to write into the attribute (normalized, maybe proxied).
    Allow(String),
    /// A same-document fragment link: the value to write into `href` (id-prefixed).
    Fragment(String),
    /// Refused. `url` is the parsed form where there is one, `host` what to show a reader.
    Deny {
        why: Deny,
        url: Option<String>,
        host: Option<String>,
    },
}

/// Judges `raw` (entity-decoded) as a link or image destination under `policy`.
///
/// The length bound applies both to what is read and to what would be written: a destination
/// whose normalized form (percent-encoded, resolved against `links.base`, wrapped by the image
/// proxy) is over [`crate::limits::MAX_URL_BYTES`] is refused as invalid, and is not shown
/// either. Otherwise the output, read again, would hold a URL over the bound and be judged
/// differently (a 5.5 KB path of emoji is 16.4 KB percent-encoded), so it would not be a
/// fixpoint.
pub(crate) fn judge(raw: &str, purpose: Purpose, policy: &Policy) -> Verdict {
    let over = |s: &str| s.len() > crate::limits::MAX_URL_BYTES;
    match judge_read(raw, purpose, policy) {
        Verdict::Allow(s) | Verdict::Fragment(s) if over(&s) => deny(Deny::Invalid, None),
        Verdict::Deny { url: Some(u), .. } if over(&u) => deny(Deny::Invalid, None),
        verdict => verdict,
    }
}

/// [`judge`], before the bound on the written form.
fn judge_read(raw: &str, purpose: Purpose, policy: &Policy) -> Verdict {
    if raw.len() > crate::limits::MAX_URL_BYTES {
        return deny(Deny::Invalid, None);
    }
    if raw.chars().any(text::is_invisible_in_url) {
        return deny(Deny::Invisible, None);
    }
    // The URL parser strips leading/trailing C0 controls and spaces, and tabs and newlines
    // anywhere; do the same before looking for a fragment.
    let trimmed: String = raw
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if purpose == Purpose::Link {
        if let Some(fragment) = trimmed.strip_prefix('#') {
            return Verdict::Fragment(prefixed_fragment(fragment, policy.id_prefix.as_str()));
        }
    }
    // With a base, resolve exactly as a browser on that page would: WHATWG parsing against a
    // base differs even for some absolute-looking input (`https:host/x` is relative to an
    // https base). Without one, a relative destination has nowhere trustworthy to point.
    let parsed = match (&policy.links.base, purpose) {
        (Some(base), Purpose::Link) => base.0.join(&trimmed),
        _ => Url::parse(&trimmed),
    };
    let url = match parsed {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => return relative(&trimmed),
        Err(_) => return deny(Deny::Invalid, None),
    };
    judge_absolute(url, purpose, policy, true)
}

/// `outer` is false for the URL inside a proxy URL: that one is judged as it is, never
/// proxied again, and may not itself be addressed to the proxy.
fn judge_absolute(url: Url, purpose: Purpose, policy: &Policy, outer: bool) -> Verdict {
    let scheme_ok = match (purpose, url.scheme()) {
        (_, "http" | "https") => true,
        (Purpose::Link, "mailto") => true,
        // A scheme the policy names (`tel:`): clickable; never one of the schemes no policy
        // may allow (the policy refuses to name those).
        (Purpose::Link, scheme) if names_scheme(policy, scheme) => true,
        (Purpose::Image, "data") => {
            return if !is_raster_data(&url) {
                deny(Deny::UnsafeScheme, Some(&url))
            } else if policy.images.data {
                Verdict::Allow(url.into())
            } else {
                deny(Deny::Untrusted, Some(&url))
            };
        }
        _ => false,
    };
    if !scheme_ok {
        return deny(Deny::UnsafeScheme, Some(&url));
    }
    // `https://trusted.example@evil.example/` is a phishing classic, and browsers refuse
    // credentials in subresource URLs: never trust a URL that carries them.
    if !url.username().is_empty() || url.password().is_some() {
        return deny(Deny::Untrusted, Some(&url));
    }
    let (allow, proxy_url) = match purpose {
        Purpose::Link => (&policy.links.allow, None),
        Purpose::Image => (&policy.images.allow, policy.images.proxy.as_ref()),
    };
    // A URL addressed to the app's proxy (our own output, sanitized again) is judged only by
    // the one URL it asks the proxy to fetch, even when the proxy's own address is allowed:
    // re-proxying it would nest the proxy once more on every pass, and the proxy is never
    // asked to fetch itself.
    if let Some(proxy) = proxy_url {
        if addressed_to(&proxy.0, &url) {
            let inner = proxy_target(&url)
                .filter(|_| outer)
                .and_then(|target| Url::parse(&target).ok())
                .map(|inner| judge_absolute(inner, purpose, policy, false));
            return match inner {
                Some(Verdict::Allow(inner)) => Verdict::Allow(proxied(&proxy.0, &inner)),
                _ => deny(Deny::Untrusted, Some(&url)),
            };
        }
    }
    if allow.iter().any(|p| matches(p, &url)) {
        return match proxy_url.filter(|_| outer) {
            Some(proxy) => Verdict::Allow(proxied(&proxy.0, url.as_str())),
            None => Verdict::Allow(url.into()),
        };
    }
    deny(Deny::Untrusted, Some(&url))
}

/// Does `links.allow` name `scheme` (as `tel:`)?
pub(crate) fn names_scheme(policy: &Policy, scheme: &str) -> bool {
    policy
        .links
        .allow
        .iter()
        .any(|p| matches!(&p.kind, PrefixKind::Scheme(s) if s == scheme))
}

/// Does `prefix` cover `url`?
pub(crate) fn matches(prefix: &UrlPrefix, url: &Url) -> bool {
    match &prefix.kind {
        PrefixKind::AnyHttp => matches!(url.scheme(), "http" | "https"),
        PrefixKind::Scheme(scheme) => url.scheme() == scheme,
        PrefixKind::Url {
            scheme,
            host,
            port,
            path,
        } => {
            url.scheme() == scheme
                && comparable_host(url).as_deref() == Some(host.as_str())
                && url.port_or_known_default() == *port
                && path_continues(path, url.path())
        }
    }
}

/// The host as compared with prefixes: the parser has already lower-cased and IDNA-normalized
/// it; a single trailing dot (`example.com.`) names the same host and is dropped.
pub(crate) fn comparable_host(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    Some(host.strip_suffix('.').unwrap_or(host).to_string())
}

fn path_continues(prefix: &str, path: &str) -> bool {
    prefix == "/"
        || path == prefix
        || match path.strip_prefix(prefix) {
            Some(rest) => prefix.ends_with('/') || rest.starts_with('/'),
            None => false,
        }
}

fn proxied(proxy: &Url, target: &str) -> String {
    let mut out = proxy.clone();
    out.query_pairs_mut().clear().append_pair("url", target);
    out.into()
}

/// Is `url` a request to the proxy itself (same origin and path), whatever its query?
fn addressed_to(proxy: &Url, url: &Url) -> bool {
    url.scheme() == proxy.scheme()
        && comparable_host(url) == comparable_host(proxy)
        && url.port_or_known_default() == proxy.port_or_known_default()
        && url.path() == proxy.path()
}

/// The URL a proxy request asks for: its only query pair, `url`, and no fragment.
fn proxy_target(url: &Url) -> Option<String> {
    if url.fragment().is_some() {
        return None;
    }
    let mut pairs = url.query_pairs();
    match (pairs.next(), pairs.next()) {
        (Some((k, v)), None) if k == "url" => Some(v.into_owned()),
        _ => None,
    }
}

fn is_raster_data(url: &Url) -> bool {
    match data_url::DataUrl::process(url.as_str()) {
        Ok(data) => {
            let mime = data.mime_type();
            mime.type_ == "image"
                && matches!(mime.subtype.as_str(), "png" | "gif" | "jpeg" | "webp")
        }
        Err(_) => false,
    }
}

/// `#section` → `#user-content-section` (ids are prefixed the same way).
fn prefixed_fragment(fragment: &str, prefix: &str) -> String {
    if fragment.is_empty() || fragment.starts_with(prefix) {
        format!("#{fragment}")
    } else {
        format!("#{prefix}{fragment}")
    }
}

/// A relative destination: untrusted, but a protocol-relative one (`//evil.example/x`) still
/// has a host worth showing.
fn relative(raw: &str) -> Verdict {
    const PROBE: &str = "https://safemark.invalid/";
    let url = Url::parse(PROBE).ok().and_then(|base| base.join(raw).ok());
    match url {
        Some(url) if url.host_str() != Some("safemark.invalid") => {
            deny(Deny::Untrusted, Some(&url))
        }
        _ => Verdict::Deny {
            why: Deny::Untrusted,
            url: Some(raw.to_string()),
            host: None,
        },
    }
}

/// The refusal a reader was shown for `shown`, a destination as safemark writes it in a
/// refused link's tooltip or confirmation target (absolute, normalized): untrusted, with its
/// host. `None` when `shown` is not such a URL.
pub(crate) fn shown_refusal(shown: &str) -> Option<Verdict> {
    let url = Url::parse(shown).ok()?;
    (url.as_str() == shown).then(|| deny(Deny::Untrusted, Some(&url)))
}

fn deny(why: Deny, url: Option<&Url>) -> Verdict {
    Verdict::Deny {
        why,
        url: url.map(|u| u.as_str().to_string()),
        host: url.and_then(display_host),
    }
}

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
/// Returns what to show beside the link: the destination's real host, as [`display_host`]
/// shows it. A `mailto:` destination has no host and never is deceptive.
pub(crate) fn deceptive(views: &[&str], href: &str) -> Option<String> {
    let url = Url::parse(href).ok()?;
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
    comparable_host(&Url::parse(&candidate).ok()?)
}

/// What a reader is shown as "where it pointed": the host (punycode, as the parser serializes
/// internationalized names) with a non-default port, or a `mailto:` address.
fn display_host(url: &Url) -> Option<String> {
    if url.scheme() == "mailto" {
        return Some(url.path().to_string());
    }
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        Policy::builder()
            .allow_link("https://docs.example.com/api/")
            .allow_link("mailto:")
            .allow_image("https://img.example.com/")
            .build()
            .unwrap()
    }

    fn link(raw: &str) -> Verdict {
        judge(raw, Purpose::Link, &policy())
    }

    fn allowed(v: &Verdict) -> bool {
        matches!(v, Verdict::Allow(_))
    }

    #[test]
    fn real_host_decides() {
        assert!(allowed(&link("https://docs.example.com/api/x")));
        assert!(allowed(&link("HTTPS://DOCS.EXAMPLE.COM/api/x")));
        assert!(allowed(&link("https://docs.example.com./api/x")));
        assert!(allowed(&link("https://%64ocs.example.com/api/")));
        assert!(allowed(&link("ht\ttps://docs.example.com/api/")));
        for bad in [
            "https://docs.example.com.evil.example/api/",
            "https://docs.example.com@evil.example/api/",
            "https://user@docs.example.com/api/",
            "//evil.example/api/",
            "https:\\\\evil.example\\api\\",
            "https://docs.example.com/apix",
            "https://docs.example.com/api/../admin",
            "https://docs.example.com/api/%2e%2e/admin",
            "https://docs.example.com:8443/api/",
            "http://docs.example.com/api/",
            "javascript:alert(1)",
            "/api/relative",
        ] {
            assert!(!allowed(&link(bad)), "{bad} must not be trusted");
        }
    }

    #[test]
    fn hosts_shown_are_real() {
        match link("https://docs.example.com@evil.example/x") {
            Verdict::Deny { host, .. } => assert_eq!(host.as_deref(), Some("evil.example")),
            v => panic!("{v:?}"),
        }
        match link("//evil.example:8080/x") {
            Verdict::Deny { host, .. } => assert_eq!(host.as_deref(), Some("evil.example:8080")),
            v => panic!("{v:?}"),
        }
        match link("https://exаmple.com/") {
            Verdict::Deny { host, .. } => assert_eq!(host.as_deref(), Some("xn--exmple-4nf.com")),
            v => panic!("{v:?}"),
        }
    }

    #[test]
    fn fragments_and_schemes() {
        assert_eq!(
            link("#fn-1"),
            Verdict::Fragment("#user-content-fn-1".into())
        );
        assert_eq!(
            link("#user-content-x"),
            Verdict::Fragment("#user-content-x".into())
        );
        assert!(allowed(&link("mailto:a@example.com")));
        for s in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            " javascript:x",
            "java\tscript:x",
            "vbscript:x",
            "data:text/html,x",
            "file:///etc/passwd",
        ] {
            assert!(
                matches!(
                    link(s),
                    Verdict::Deny {
                        why: Deny::UnsafeScheme,
                        ..
                    }
                ),
                "{s}"
            );
        }
        assert!(matches!(
            link("https://x.example/\u{200B}"),
            Verdict::Deny {
                why: Deny::Invisible,
                ..
            }
        ));
        // Over the URL length bound: refused, even under a trusted prefix.
        let long = format!(
            "https://docs.example.com/api/{}",
            "a".repeat(crate::limits::MAX_URL_BYTES)
        );
        assert!(matches!(
            link(&long),
            Verdict::Deny {
                why: Deny::Invalid,
                ..
            }
        ));
    }

    #[test]
    fn images() {
        let p = policy();
        let img = |s: &str| judge(s, Purpose::Image, &p);
        assert!(allowed(&img("https://img.example.com/a.png")));
        assert!(!allowed(&img("/a.png")));
        assert!(!allowed(&img("//img.example.com/a.png")));
        assert!(!allowed(&img("#x")));
        assert!(!allowed(&img("data:image/png;base64,AAAA")));
        assert!(matches!(
            img("data:image/svg+xml,<svg/>"),
            Verdict::Deny {
                why: Deny::UnsafeScheme,
                ..
            }
        ));
        let p = Policy::builder()
            .allow_image("https://img.example.com/")
            .data_images(true)
            .image_proxy("https://app.example/proxy")
            .build()
            .unwrap();
        let img = |s: &str| judge(s, Purpose::Image, &p);
        assert!(allowed(&img("data:image/png;base64,AAAA")));
        assert!(!allowed(&img("data:image/svg+xml;base64,AAAA")));
        let proxied = img("https://img.example.com/a.png?x=1&y=2");
        assert_eq!(
            proxied,
            Verdict::Allow("https://app.example/proxy?url=https%3A%2F%2Fimg.example.com%2Fa.png%3Fx%3D1%26y%3D2".into())
        );
        // Sanitizing our own output again keeps it; a hand-made proxy URL to elsewhere is refused.
        if let Verdict::Allow(u) = &proxied {
            assert_eq!(img(u), proxied);
        }
        assert!(!allowed(&img(
            "https://app.example/proxy?url=https%3A%2F%2Fevil.example%2F"
        )));
        // The proxy's own address under an allowed prefix: a proxied URL is judged by its
        // target, never proxied again, and the proxy is never asked to fetch itself.
        let p = Policy::builder()
            .allow_image("https://img.example.com/")
            .image_proxy("https://img.example.com/proxy")
            .build()
            .unwrap();
        let img = |s: &str| judge(s, Purpose::Image, &p);
        let once = img("https://img.example.com/a.png");
        assert_eq!(
            once,
            Verdict::Allow(
                "https://img.example.com/proxy?url=https%3A%2F%2Fimg.example.com%2Fa.png".into()
            )
        );
        if let Verdict::Allow(u) = &once {
            assert_eq!(img(u), once);
            assert!(!allowed(&img(&format!(
                "https://img.example.com/proxy?url={}",
                url::form_urlencoded::byte_serialize(u.as_bytes()).collect::<String>()
            ))));
        }
        assert!(!allowed(&img("https://img.example.com/proxy")));
        assert!(!allowed(&img("https://img.example.com/proxy?x=1")));
        assert!(allowed(&img("https://img.example.com/proxy/a.png")));
    }

    #[test]
    fn variation_selectors_are_allowed_in_urls() {
        // `❤️` is U+2764 U+FE0F: a visible emoji, not a hidden character.
        let p = Policy::builder().allow_link("*").build().unwrap();
        assert!(allowed(&judge(
            "https://emoji.example/\u{2764}\u{FE0F}",
            Purpose::Link,
            &p
        )));
        assert!(!allowed(&judge(
            "https://emoji.example/\u{200B}",
            Purpose::Link,
            &p
        )));
    }

    #[test]
    fn star_and_path_boundaries() {
        let p = Policy::builder().allow_link("*").build().unwrap();
        assert!(allowed(&judge("http://any.example/", Purpose::Link, &p)));
        assert!(!allowed(&judge("mailto:a@b.c", Purpose::Link, &p)));
        assert!(path_continues("/docs", "/docs/a"));
        assert!(path_continues("/docs/", "/docs/a"));
        assert!(!path_continues("/docs", "/docsevil"));
        assert!(path_continues("/", "/anything"));
    }
}

#[cfg(test)]
mod deceptive_tests {
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
