//! The findings report: every removal or neutralization, and why.
//!
//! This is what an operator logs to notice a prompt-injection attempt. It serializes with serde
//! to the same JSON in Rust, JavaScript and the CLI.

use serde::{Deserialize, Serialize};

use crate::limits;
use crate::urls::{Deny, Verdict};

/// What kind of thing was removed or neutralized.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FindingKind {
    /// A `<script>` element (removed with its content).
    Script,
    /// An `on*` event-handler attribute.
    EventHandler,
    /// A destination whose scheme can never be clickable or load (`javascript:`, `vbscript:`,
    /// SVG `data:` …).
    UnsafeScheme,
    /// An image that the policy does not let load; its alt text stays.
    BlockedImage,
    /// A link to a destination the policy does not trust; its text stays, not clickable.
    UntrustedLink,
    /// An element outside the allowlist (its text content stays unless it is a container of
    /// code or foreign content such as `style`, `iframe`, `svg`, `math`).
    RemovedElement,
    /// An attribute outside the allowlist (`style`, `srcset`, `class`, `name` …).
    RemovedAttribute,
    /// An HTML comment (removed: comments can hide instructions).
    Comment,
    /// Invisible characters removed from text or an attribute (tag characters, bidi
    /// overrides), or a URL refused because it contains zero-width or bidi characters.
    InvisibleCharacters,
    /// A destination that is not a URL at all.
    InvalidUrl,
    /// Markdown containers nested deeper than `limits.max_nesting` were flattened.
    NestingLimit,
    /// A clickable link whose text reads as a URL or a domain with a different host
    /// (`[docs.example.com](https://evil.example/)`). It stays clickable if the policy trusts
    /// it; the real host is shown after it (`<span class="safemark-link-host">`).
    DeceptiveLink,
    /// Control characters or escape sequences in text for a terminal (`\x1b`, C1 controls, a
    /// bare `\r`): made visible (`␛`) instead of reaching the terminal.
    ControlCharacter,
}

/// One removal or neutralization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Finding {
    /// What it was.
    pub kind: FindingKind,
    /// The element concerned, such as `img` or `script`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub element: Option<String>,
    /// The attribute concerned, such as `onerror` or `href`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub attribute: Option<String>,
    /// The destination, parsed and normalized where it parsed (capped at 4096 bytes).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub url: Option<String>,
    /// The destination's real host.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub host: Option<String>,
    /// Byte range in the input, where the pipeline knows it (markdown constructs; raw HTML
    /// is located by its markdown block only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub range: Option<ByteRange>,
    /// Extra detail, such as how many characters were removed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub detail: Option<String>,
}

/// A half-open byte range `[start, end)` in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByteRange {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl From<std::ops::Range<usize>> for ByteRange {
    fn from(r: std::ops::Range<usize>) -> Self {
        ByteRange {
            start: r.start,
            end: r.end,
        }
    }
}

const MAX_URL_IN_FINDING: usize = 4096;

impl Finding {
    /// An [`FindingKind::InvisibleCharacters`] finding for `removed` characters.
    pub(crate) fn invisible(removed: usize) -> Self {
        let plural = if removed == 1 { "" } else { "s" };
        Finding::new(FindingKind::InvisibleCharacters)
            .detail(format!("{removed} invisible character{plural} removed"))
    }

    /// The finding for a refused destination of `element`'s `attribute` (`None` for a
    /// destination that was not refused): the one place a [`Verdict`] becomes a finding.
    pub(crate) fn refused(verdict: &Verdict, element: &str, attribute: &str) -> Option<Self> {
        let Verdict::Deny { why, url, host } = verdict else {
            return None;
        };
        let kind = match why {
            Deny::UnsafeScheme => FindingKind::UnsafeScheme,
            Deny::Invisible => FindingKind::InvisibleCharacters,
            Deny::Invalid => FindingKind::InvalidUrl,
            Deny::Untrusted if element == "img" => FindingKind::BlockedImage,
            Deny::Untrusted => FindingKind::UntrustedLink,
        };
        Some(
            Finding::new(kind)
                .element(element)
                .attribute(attribute)
                .url(url.clone(), host.clone()),
        )
    }

    pub(crate) fn new(kind: FindingKind) -> Self {
        Finding {
            kind,
            element: None,
            attribute: None,
            url: None,
            host: None,
            range: None,
            detail: None,
        }
    }

    pub(crate) fn element(mut self, e: &str) -> Self {
        self.element = Some(e.to_string());
        self
    }

    pub(crate) fn attribute(mut self, a: &str) -> Self {
        self.attribute = Some(a.to_string());
        self
    }

    pub(crate) fn url(mut self, url: Option<String>, host: Option<String>) -> Self {
        self.url = url.map(|mut u| {
            if u.len() > MAX_URL_IN_FINDING {
                u.truncate(limits::floor_char_boundary(&u, MAX_URL_IN_FINDING));
                u.push('…');
            }
            u
        });
        self.host = host;
        self
    }

    pub(crate) fn range(mut self, r: Option<std::ops::Range<usize>>) -> Self {
        self.range = r.map(Into::into);
        self
    }

    pub(crate) fn detail(mut self, d: impl Into<String>) -> Self {
        self.detail = Some(d.into());
        self
    }
}

/// Safe HTML and the findings that produced it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Rendered {
    /// The safe HTML.
    pub html: String,
    /// Everything removed or neutralized, in input order where known.
    pub findings: Vec<Finding>,
}

#[cfg(test)]
mod js_types {
    use super::FindingKind::{self, *};
    use crate::policy::{RawHtml, UntrustedDisplay};

    /// The quoted strings of the TypeScript union `name` in the npm package's declarations.
    fn union(name: &str) -> Option<Vec<String>> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/pkg-js/src/safemark.d.ts");
        // Outside the repository (the published crate) there is no npm package to compare.
        let d_ts = std::fs::read_to_string(path).ok()?;
        let start = d_ts.find(name)? + name.len();
        let end = start + d_ts[start..].find(';')?;
        Some(
            d_ts[start..end]
                .split('\'')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect(),
        )
    }

    fn names<T: serde::Serialize>(all: &[T]) -> Vec<String> {
        all.iter()
            .map(|v| {
                serde_json::to_value(v)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    /// The npm package's `FindingKind`, `untrusted` and `raw_html` types list exactly the Rust
    /// enums' JSON names. The matches make a new variant fail to compile until it is listed.
    #[test]
    fn typescript_unions_match_the_rust_enums() {
        let kinds = [
            Script,
            EventHandler,
            UnsafeScheme,
            BlockedImage,
            UntrustedLink,
            RemovedElement,
            RemovedAttribute,
            Comment,
            InvisibleCharacters,
            InvalidUrl,
            NestingLimit,
            DeceptiveLink,
            ControlCharacter,
        ];
        for k in kinds {
            match k {
                Script | EventHandler | UnsafeScheme | BlockedImage | UntrustedLink
                | RemovedElement | RemovedAttribute | Comment | InvisibleCharacters
                | InvalidUrl | NestingLimit | DeceptiveLink | ControlCharacter => {}
            }
        }
        let modes = [
            UntrustedDisplay::Host,
            UntrustedDisplay::Url,
            UntrustedDisplay::Text,
            UntrustedDisplay::Confirm,
        ];
        for m in modes {
            match m {
                UntrustedDisplay::Host
                | UntrustedDisplay::Url
                | UntrustedDisplay::Text
                | UntrustedDisplay::Confirm => {}
            }
        }
        let raw = [RawHtml::Sanitize, RawHtml::Escape];
        for r in raw {
            match r {
                RawHtml::Sanitize | RawHtml::Escape => {}
            }
        }
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        for (union_name, rust) in [
            ("export type FindingKind =", names::<FindingKind>(&kinds)),
            ("untrusted?:", names(&modes)),
            ("raw_html?:", names(&raw)),
        ] {
            let Some(ts) = union(union_name) else {
                return;
            };
            assert_eq!(sorted(ts), sorted(rust), "{union_name}");
        }
    }
}
