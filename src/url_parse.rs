//! Every URL safemark reads is parsed here, with the WHATWG-conformant `url` crate, and, in
//! builds that bring no IDNA tables of their own, with the platform's help for internationalized
//! hosts.
//!
//! The `url` crate maps internationalized hosts (`bücher.example`) to punycode with the `idna`
//! crate, whose Unicode data comes from the `idna_adapter` version the final `Cargo.lock` pins:
//! ICU4X by default (about 107 KB of tables in a wasm build), or none at all with 1.0, where
//! every non-ASCII host is refused and `xn--` labels are not validated. The npm package pins
//! 1.0 and passes the JavaScript platform's own WHATWG URL parser (`new URL(input, base).href`,
//! with full UTS #46 processing: the parser that will later load the URL) to
//! [`set_platform_url_parser`]. Then:
//!
//! - a URL the `url` crate refused for its host's IDNA alone is parsed by the platform, and
//!   the platform's ASCII serialization is parsed again by the `url` crate: internationalized
//!   hosts are still judged and shown in punycode, never refused;
//! - a URL whose host has an `xn--` label, which the `url` crate cannot validate without
//!   tables, is valid only when the platform parses it too, and is read as the platform
//!   serializes it.
//!
//! Every other URL is the `url` crate's alone, so a build with ICU4X (this crate's own lockfile,
//! the CLI) and the npm package agree on every URL where the platform and ICU4X agree on UTS
//! #46. Without a platform parser set, nothing here differs from the `url` crate.

use std::sync::OnceLock;

use url::{Host, ParseError, Url};

/// A platform URL parser: `input` resolved against `base` (an absolute URL, or none) the way
/// the WHATWG URL Standard says, serialized (`href`), or `None` when it is not a valid URL.
pub type PlatformUrlParser = fn(input: &str, base: Option<&str>) -> Option<String>;

static PLATFORM: OnceLock<PlatformUrlParser> = OnceLock::new();

/// Sets the platform URL parser that internationalized hosts are parsed with, for builds whose
/// `Cargo.lock` pins `idna_adapter` 1.0 (no Unicode tables): see the
/// [module documentation](self). The first call wins for the life of the process: this returns
/// `false`, and changes nothing, when a parser was already set.
///
/// Leave it unset in a build with IDNA tables (the default): it is consulted only where those
/// tables would be.
pub fn set_platform_url_parser(parser: PlatformUrlParser) -> bool {
    PLATFORM.set(parser).is_ok()
}

/// Parses an absolute URL (`Err(RelativeUrlWithoutBase)` for a relative one).
pub(crate) fn parse(input: &str) -> Result<Url, ParseError> {
    with_platform(Url::parse(input), input, None)
}

/// Parses `input` against `base`, as a browser on that page would.
pub(crate) fn join(base: &Url, input: &str) -> Result<Url, ParseError> {
    with_platform(base.join(input), input, Some(base))
}

/// Asks the platform where the `url` crate needed IDNA tables it does not have.
fn with_platform(
    parsed: Result<Url, ParseError>,
    input: &str,
    base: Option<&Url>,
) -> Result<Url, ParseError> {
    let Some(platform) = PLATFORM.get() else {
        return parsed;
    };
    let ask = match &parsed {
        Err(ParseError::IdnaError) => true,
        Ok(url) => has_ace_label(url),
        Err(_) => false,
    };
    if !ask {
        return parsed;
    }
    let href = platform(input, base.map(Url::as_str)).ok_or(ParseError::IdnaError)?;
    // The platform's serialization has an ASCII host: the `url` crate reads it without IDNA
    // tables, and what is judged and written is the `url` crate's reading, as everywhere.
    Url::parse(&href)
}

/// Does the host have a label in punycode (`xn--`), which only IDNA tables can validate?
fn has_ace_label(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.split('.').any(|label| {
            label
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("xn--"))
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_platform_parser_it_is_the_url_crate() {
        for input in [
            "https://bücher.example/",
            "https://xn--bcher-kva.example/",
            "https://xn--a.example/",
            "https://EXAMPLE.com/a b",
            "//bücher.example/",
            "https://[::1]/",
        ] {
            assert_eq!(parse(input), Url::parse(input), "{input}");
        }
        let base = Url::parse("https://base.example/a/").unwrap();
        assert_eq!(
            join(&base, "//bücher.example/x"),
            base.join("//bücher.example/x")
        );
    }

    #[test]
    fn ace_labels_are_found_in_any_case_and_position() {
        let ace = |s: &str| has_ace_label(&Url::parse(s).unwrap());
        assert!(ace("https://xn--bcher-kva.example/"));
        assert!(ace("https://www.XN--bcher-kva.example/"));
        assert!(!ace("https://axn--b.example/"));
        assert!(!ace("https://127.0.0.1/"));
        assert!(!ace("mailto:a@xn--bcher-kva.example"));
    }
}
