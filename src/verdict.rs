//! Headless verdicts: one destination judged exactly as a render judges it, for an app that
//! builds its own link dialog, preview or check ([`crate::Sanitizer::judge_link`],
//! [`crate::Sanitizer::judge_image`]).
//!
//! Nothing here decides anything: the verdict is the URL stage's ([`crate::urls::judge`]) and
//! the deceptive-text rule's ([`crate::deceptive`]), reported as data. `tests/verdicts.rs`
//! holds every verdict to what the markdown and HTML renders of the same destination do.

use serde::Serialize;

use crate::host::display_host;
use crate::policy::Policy;
use crate::report::{Finding, FindingKind};
use crate::urls::{self, Deny, Purpose, Verdict};

/// What a render under the policy does with one link or image destination.
///
/// ```
/// use safemark::{Sanitizer, Policy, FindingKind};
/// let s = Sanitizer::from_json(r#"{"links": {"allow": ["https://docs.example.com/"]}}"#)?;
/// let v = s.judge_link("https://docs.example.com/guide", Some("the guide"));
/// assert!(v.allowed && !v.deceptive);
/// assert_eq!(v.value.as_deref(), Some("https://docs.example.com/guide"));
///
/// let v = s.judge_link("https://evil.example/x", None);
/// assert_eq!((v.allowed, v.reason), (false, Some(FindingKind::UntrustedLink)));
/// assert_eq!(v.host.as_deref(), Some("evil.example"));
///
/// // Text that names another host than the destination's.
/// let v = s.judge_link("https://docs.example.com/x", Some("paypal.com"));
/// assert!(v.allowed && v.deceptive);
/// # Ok::<(), safemark::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UrlVerdict {
    /// Whether the render writes it as a clickable link (`a href`) or a loading image
    /// (`img src`).
    pub allowed: bool,
    /// What the render writes into `href` or `src` when allowed: normalized, resolved
    /// against `links.base`, through the image proxy, or an id-prefixed `#fragment`.
    pub value: Option<String>,
    /// The destination as parsed (absolute, normalized; for a proxied image, the image's own
    /// URL), when it is allowed or merely untrusted: what a confirmation dialog may show and
    /// open. Never set for an unsafe scheme (`javascript:`), an invalid URL or one with
    /// invisible characters, which a render does not repeat to the reader either.
    pub url: Option<String>,
    /// The destination's host as a reader is shown it: the parser's form, punycode for an
    /// internationalized host (`xn--bcher-kva.example`), with a port if it has one; a
    /// `mailto:` link's address.
    pub host: Option<String>,
    /// Why it is refused (`None` when allowed): the kind of the finding a render reports for
    /// it, `untrusted_link` or `blocked_image` for a destination the policy does not trust.
    pub reason: Option<FindingKind>,
    /// For a clickable link judged with its text: whether the text names another host than
    /// the destination's, or it has an internationalized host. A render then writes the real
    /// host beside the link, with a `deceptive_link` finding.
    pub deceptive: bool,
}

/// `raw` (as the app has it: entity references already decoded) judged for `purpose`, with
/// the link's visible `text` for the deceptive-text rule.
pub(crate) fn judge(
    raw: &str,
    text: Option<&str>,
    purpose: Purpose,
    policy: &Policy,
) -> UrlVerdict {
    let verdict = urls::judge(raw, purpose, policy);
    match verdict {
        Verdict::Allow(value) => {
            let url = match purpose {
                Purpose::Image => urls::unproxied(&value, policy).unwrap_or_else(|| value.clone()),
                Purpose::Link => value.clone(),
            };
            let host = crate::url_parse::parse(&url)
                .ok()
                .as_ref()
                .and_then(display_host);
            let deceptive = match (purpose, text) {
                (Purpose::Link, Some(text)) => {
                    crate::deceptive::deceptive(&[text], &value).is_some()
                }
                _ => false,
            };
            UrlVerdict {
                allowed: true,
                value: Some(value),
                url: Some(url),
                host,
                reason: None,
                deceptive,
            }
        }
        Verdict::Fragment(value) => UrlVerdict {
            allowed: true,
            value: Some(value),
            url: None,
            host: None,
            reason: None,
            deceptive: false,
        },
        Verdict::Deny {
            ref why,
            ref url,
            ref host,
        } => {
            let element = match purpose {
                Purpose::Link => "a",
                Purpose::Image => "img",
            };
            let shown = matches!(why, Deny::Untrusted);
            UrlVerdict {
                allowed: false,
                value: None,
                url: url.clone().filter(|_| shown),
                host: host.clone().filter(|_| shown),
                reason: Finding::refused(&verdict, element, "").map(|f| f.kind),
                deceptive: false,
            }
        }
    }
}
