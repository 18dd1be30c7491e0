//! The URL judge: one function decides every link and image destination.
//!
//! It knows nothing of markdown or HTML. Callers hand it a destination exactly as a browser
//! would see it (entity references already decoded); it parses it with the WHATWG-conformant
//! `url` crate and compares the *parsed* scheme, host, port and path with the policy. There is
//! no string-prefix check on raw text anywhere: `https://docs.example.com.evil.example/`,
//! `https://docs.example.com@evil.example/`, `//evil.example/`, backslashes, tabs inside the
//! scheme, upper case and percent-encoded hosts are all judged by their real host.

use url::Url;

use crate::host::{comparable_host, display_host};
use crate::policy::{Policy, PrefixKind, UrlPrefix};
use crate::text;

/// What a destination is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    Link,
    Image,
}

/// Why a destination was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
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
        (Some(base), Purpose::Link) => crate::url_parse::join(&base.0, &trimmed),
        _ => crate::url_parse::parse(&trimmed),
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
                .and_then(|target| crate::url_parse::parse(&target).ok())
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

/// The image a written `src` asks the policy's proxy for, if it is addressed to the proxy.
pub(crate) fn unproxied(value: &str, policy: &Policy) -> Option<String> {
    let proxy = policy.images.proxy.as_ref()?;
    let url = crate::url_parse::parse(value).ok()?;
    addressed_to(&proxy.0, &url)
        .then(|| proxy_target(&url))
        .flatten()
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
    let url = crate::url_parse::parse(PROBE)
        .ok()
        .and_then(|base| crate::url_parse::join(&base, raw).ok());
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
#[cfg(feature = "html")]
pub(crate) fn shown_refusal(shown: &str) -> Option<Verdict> {
    let url = crate::url_parse::parse(shown).ok()?;
    (url.as_str() == shown).then(|| deny(Deny::Untrusted, Some(&url)))
}

fn deny(why: Deny, url: Option<&Url>) -> Verdict {
    Verdict::Deny {
        why,
        url: url.map(|u| u.as_str().to_string()),
        host: url.and_then(display_host),
    }
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
