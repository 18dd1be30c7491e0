//! The URL judge: one function decides every link and image destination.
//!
//! It knows nothing of markdown or HTML. Callers hand it a destination exactly as a browser
//! would see it (entity references already decoded); it parses it with the WHATWG-conformant
//! `url` crate and compares the *parsed* scheme, host, port and path with the policy. There is
//! no string-prefix check on raw text anywhere: `https://docs.example.com.evil.example/`,
//! `https://docs.example.com@evil.example/`, `//evil.example/`, backslashes, tabs inside the
//! scheme, upper case and percent-encoded hosts are all judged by their real host.

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

/// Does `prefix` cover `url`?
pub(crate) fn matches(prefix: &UrlPrefix, url: &Url) -> bool {
    match &prefix.kind {
        PrefixKind::AnyHttp => matches!(url.scheme(), "http" | "https"),
        PrefixKind::AnyMailto => url.scheme() == "mailto",
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

fn deny(why: Deny, url: Option<&Url>) -> Verdict {
    Verdict::Deny {
        why,
        url: url.map(|u| u.as_str().to_string()),
        host: url.and_then(display_host),
    }
}

/// A clickable link is deceptive when its visible text reads as a URL or a domain
/// (`https://docs.example.com/login`, `docs.example.com`) whose host is not the destination's.
/// Hosts are compared as a reader compares them: case and a leading `www.` do not matter, and
/// the whole host must match (`docs.example.com.evil.example` is not `docs.example.com`; nor,
/// conservatively, is `example.com` the same as `docs.example.com`). Returns what to show
/// beside the text: the destination's real host, as [`display_host`] shows it.
pub(crate) fn deceptive(text: &str, href: &str) -> Option<String> {
    // The text as a reader sees it: without invisible characters (`\u{200C}docs.example.com`
    // reads as `docs.example.com` but is no host a URL parser accepts), and with NUL as the
    // U+FFFD an HTML parser reads it as (so the text reads the same in markdown and in the
    // output sanitized again).
    let visible: String;
    let text = if text.chars().any(|c| c == '\0' || crate::text::is_unseen(c)) {
        visible = text
            .chars()
            .filter(|c| !crate::text::is_unseen(*c))
            .map(|c| if c == '\0' { '\u{FFFD}' } else { c })
            .collect();
        &visible
    } else {
        text
    };
    // The text as written and without the punctuation that ends a sentence: the link is
    // honest if either names the destination's host (so a link whose text is its own URL,
    // such as an autolink, never is deceptive).
    let text = text.trim();
    let trimmed = text.trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
    let readings = if trimmed == text {
        &[text][..]
    } else {
        &[text, trimmed][..]
    };
    let claims: Vec<String> = readings.iter().filter_map(|t| host_in_text(t)).collect();
    if claims.is_empty() {
        return None;
    }
    let url = Url::parse(href).ok()?;
    let bare = |h: &str| h.strip_prefix("www.").unwrap_or(h).to_string();
    let real = bare(&comparable_host(&url)?);
    claims
        .iter()
        .all(|claimed| bare(claimed) != real)
        .then(|| display_host(&url))
        .flatten()
}

/// The host a reader takes from text that reads as a URL (`scheme://…`) or a domain
/// (`name.tld`, optionally with a port and a path), parsed as a browser would parse it.
fn host_in_text(t: &str) -> Option<String> {
    if t.is_empty() || t.len() > crate::limits::MAX_URL_BYTES || t.chars().any(char::is_whitespace)
    {
        return None;
    }
    let candidate = match t.find("://") {
        Some(i) if i > 0 && t[..i].chars().all(|c| c.is_ascii_alphabetic()) => t.to_string(),
        Some(_) => return None,
        None => {
            let authority = t.split(['/', '?', '#', '\\']).next().unwrap_or(t);
            if authority.contains('@') {
                return None; // an e-mail address, not a host
            }
            let name = match authority.rsplit_once(':') {
                Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
                _ => authority,
            };
            let (_, tld) = name.trim_end_matches('.').rsplit_once('.')?;
            let tld_like = (tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic))
                || tld.to_ascii_lowercase().starts_with("xn--");
            if !tld_like {
                return None;
            }
            format!("http://{t}")
        }
    };
    let url = Url::parse(&candidate).ok()?;
    comparable_host(&url)
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
    use super::deceptive;

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
            ("(see docs.example.com)", "https://evil.example/"), // not a URL: has spaces
            ("click here", "https://evil.example/"),
            ("v1.2", "https://evil.example/"),
            ("3.14", "https://evil.example/"),
            ("me@example.com", "https://evil.example/"),
            ("", "https://evil.example/"),
            ("docs.example.com", "mailto:someone@example.com"),
            // Text that is its own URL, trailing punctuation and all (found by fuzzing).
            ("https://saf('XSS')", "https://saf('xss')/"),
        ] {
            assert_eq!(deceptive(text, href), None, "{text} -> {href}");
        }
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
