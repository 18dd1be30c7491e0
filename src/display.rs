//! How neutralized content looks: the markup that replaces an untrusted link or a blocked
//! image. The markdown stage writes it as text and the HTML stage builds it as nodes, both
//! from these functions, so the two always agree.

use crate::policy::{Policy, UntrustedDisplay};
#[cfg(feature = "html")]
use crate::urls::{self, Purpose};
use crate::urls::{Deny, Verdict};

/// Class of the `<span>` that replaces an untrusted link (it keeps the link's content).
pub const UNTRUSTED_LINK_CLASS: &str = "safemark-untrusted-link";
/// Class of the `<span>` after an untrusted link that shows where it pointed.
pub const LINK_HOST_CLASS: &str = "safemark-link-host";
/// Class of the `<span>` that replaces a blocked image (it shows the alt text).
pub const BLOCKED_IMAGE_CLASS: &str = "safemark-blocked-image";
/// Class of the `<span>` that holds TeX under `"math": true` (with one of the two below).
pub const MATH_CLASS: &str = "math";
/// Class of the `<span>` that holds inline TeX (`$…$`).
pub const MATH_INLINE_CLASS: &str = "math-inline";
/// Class of the `<span>` that holds display TeX (`$$…$$`).
pub const MATH_DISPLAY_CLASS: &str = "math-display";
/// Is `class` the whole `class` of a math span as safemark writes it?
#[cfg(feature = "html")]
pub(crate) fn is_math_class(class: &str) -> bool {
    matches!(class, "math math-inline" | "math math-display")
}

/// Class of the `<sup>` that refers to a footnote (GitHub's).
pub const FOOTNOTE_REFERENCE_CLASS: &str = "footnote-ref";
/// Class of the `<section>` at the end that holds the footnotes, in order of first reference.
pub const FOOTNOTES_CLASS: &str = "footnotes";
/// Class of the link at the end of a footnote back to where it was first referred to.
pub const FOOTNOTE_BACKREF_CLASS: &str = "footnote-backref";
/// `rel` of every clickable absolute link.
pub const LINK_REL: &str = "noopener noreferrer nofollow";
/// Attribute of an untrusted link's span holding its judged destination under
/// `"untrusted": "confirm"`, for click-time confirmation.
pub const CONFIRM_HREF_ATTRIBUTE: &str = "data-safemark-href";
/// `referrerpolicy` of every clickable absolute link.
pub const LINK_REFERRER_POLICY: &str = "no-referrer";

/// Untrusted URLs shown in a tooltip are cut to this many bytes (well under the attribute
/// bound of the HTML stage, so the output stays a fixpoint).
const TITLE_BYTES: usize = 1024;

/// What a reader sees in place of a refused destination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Shown {
    /// The `title` (tooltip) of the replacement span.
    pub title: Option<String>,
    /// Visible text after an untrusted link, such as ` (evil.example)`.
    pub suffix: Option<String>,
    /// The destination to open after confirmation (`"untrusted": "confirm"`).
    pub confirm: Option<String>,
}

/// How a refused link is shown under the policy. Only well-formed, merely untrusted
/// destinations are shown; `javascript:` and friends are not repeated to the reader, and
/// neither is a destination whose scheme, user name, host and port (and a `mailto:` address,
/// which is what its label shows) take over [`TITLE_BYTES`] (no DNS name is longer than 253
/// bytes): the tooltip always holds the whole of what the label shows, so that the label can
/// be checked against it (see [`refused_span`]).
pub(crate) fn refused(verdict: &Verdict, policy: &Policy) -> Shown {
    let (url, host) = match verdict {
        Verdict::Deny {
            why: Deny::Untrusted,
            url: Some(url),
            host,
        } if labelled_len(url) <= TITLE_BYTES => (Some(url.as_str()), host.as_deref()),
        _ => (None, None),
    };
    // A tooltip is for reading: an exfiltration URL can be kilobytes long.
    let title = url.map(title);
    match policy.links.untrusted {
        UntrustedDisplay::Host => Shown {
            title,
            suffix: host.map(host_suffix),
            confirm: None,
        },
        UntrustedDisplay::Confirm => Shown {
            title,
            suffix: host.map(host_suffix),
            confirm: url.and_then(confirmable),
        },
        UntrustedDisplay::Url => Shown {
            title,
            suffix: url.map(|u| format!(" ({u})")),
            confirm: None,
        },
        _ => Shown {
            title: None,
            suffix: None,
            confirm: None,
        },
    }
}

/// The tooltip of a refused destination: the URL, cut after [`TITLE_BYTES`] with `…`.
fn title(url: &str) -> String {
    if url.len() <= TITLE_BYTES {
        return url.to_string();
    }
    let cut = crate::limits::floor_char_boundary(url, TITLE_BYTES);
    format!("{}…", &url[..cut])
}

/// How many bytes of `url` come up to the end of what its label shows
/// ([`crate::host::display_host`]): scheme, user name, password, host and port, and for
/// `mailto:` the address (its path) too.
fn labelled_len(url: &str) -> usize {
    crate::url_parse::parse(url).map_or(url.len(), |u| {
        let end = if u.scheme() == "mailto" {
            url::Position::AfterPath
        } else {
            url::Position::BeforePath
        };
        u[..end].len()
    })
}

/// Raw HTML can write safemark's own spans; only a span exactly as safemark writes it for some
/// refused destination keeps its class, and its label is derived again here, never taken from
/// the input.
///
/// Given the `title` and `data-safemark-href` of a `<span class="safemark-untrusted-link">`
/// (or of a `safemark-blocked-image` one, for `Purpose::Image`) and the text of the label span
/// that follows it (if any), returns `None` when no refused destination is shown that way under
/// `policy` (the span is not one safemark writes), else the label safemark writes after it.
/// The destination is read from the span: the confirmation target, the label's URL (under
/// `"url"`), or the tooltip; a tooltip cut with `…` still holds the whole host, which is all
/// a `"host"` label shows.
#[cfg(feature = "html")]
pub(crate) fn refused_span(
    title: Option<&str>,
    confirm: Option<&str>,
    label: Option<&str>,
    purpose: Purpose,
    policy: &Policy,
) -> Option<Option<String>> {
    if title.is_none() && confirm.is_none() {
        // A refused destination that is not shown (a `javascript:` one, say, or any under
        // `"text"`): no label.
        return Some(None);
    }
    // What is shown for a candidate destination: refused as untrusted, or one the policy
    // would allow as written (a protocol-relative `//host/x` is refused as relative, and its
    // tooltip holds the absolute form, which may be allowed, and proxied for an image).
    let shown_for = |candidate: &str| shown_refusal(candidate, purpose, policy);
    let from_label = label
        .and_then(|l| l.strip_prefix(" ("))
        .and_then(|l| l.strip_suffix(')'));
    for candidate in [confirm, from_label, title].into_iter().flatten() {
        if let Some(shown) = shown_for(candidate) {
            // A blocked image's span carries no confirmation target.
            let shown_confirm = shown.confirm.filter(|_| matches!(purpose, Purpose::Link));
            if shown.title.as_deref() == title && shown_confirm.as_deref() == confirm {
                return Some(shown.suffix);
            }
        }
    }
    // A cut tooltip. First a witness: a destination that goes on past the cut, shown exactly
    // this way. The cut alone may not be one (a `data:` image cut inside its media type has
    // lost its comma, and with it its data: judged alone it is not an image at all).
    let cut = title?.strip_suffix('…')?;
    if let Some(shown) = shown_for(&format!("{cut},{}", "A".repeat(8))) {
        let shown_confirm = shown.confirm.filter(|_| matches!(purpose, Purpose::Link));
        if shown.title.as_deref() == title && shown_confirm.as_deref() == confirm {
            return Some(shown.suffix);
        }
    }
    // Else: it holds the whole of what a `"host"` label shows (see `refused`). A `"url"` label
    // shows the whole destination: it was a candidate above.
    let whole_url_shown =
        matches!(purpose, Purpose::Link) && policy.links.untrusted == UntrustedDisplay::Url;
    if confirm.is_some() || whole_url_shown || cut.len() < TITLE_BYTES - 3 {
        return None;
    }
    let verdict = match urls::judge(cut, purpose, policy) {
        verdict @ Verdict::Deny {
            why: Deny::Untrusted,
            ..
        } => verdict,
        Verdict::Allow(_) => urls::shown_refusal(cut)?,
        _ => return None,
    };
    match verdict {
        Verdict::Deny {
            url: Some(u), host, ..
        } if labelled_len(&u) <= TITLE_BYTES => Some(host.as_deref().map(host_suffix)),
        _ => None,
    }
}

/// The refusal shown for `candidate`, a destination as safemark writes it in a refused span:
/// one refused as untrusted exactly as written, or one the policy would allow (a
/// protocol-relative `//host/x` is refused as relative, and its tooltip holds the absolute
/// form, which may be allowed, and proxied for an image).
#[cfg(feature = "html")]
fn shown_refusal(candidate: &str, purpose: Purpose, policy: &Policy) -> Option<Shown> {
    let verdict = urls::judge(candidate, purpose, policy);
    match &verdict {
        Verdict::Deny {
            why: Deny::Untrusted,
            url: Some(u),
            ..
        } if u == candidate => Some(refused(&verdict, policy)),
        Verdict::Allow(_) => urls::shown_refusal(candidate).map(|v| refused(&v, policy)),
        _ => None,
    }
}

/// A refused destination that may be opened after confirmation: a well-formed `http`,
/// `https` or `mailto` URL without a user name or password (`https://bank.example@evil.example/`
/// is never offered, even with confirmation).
pub(crate) fn confirmable(url: &str) -> Option<String> {
    let parsed = crate::url_parse::parse(url).ok()?;
    (matches!(parsed.scheme(), "http" | "https" | "mailto")
        && parsed.username().is_empty()
        && parsed.password().is_none())
    .then(|| parsed.into())
}

/// What a plain-text output shows of a refused destination in words: its host, with `…` when
/// the URL goes on past it (a path other than `/`, a query or a fragment; never for `mailto:`).
pub(crate) fn brief_host(verdict: &Verdict) -> Option<String> {
    let Verdict::Deny { url, host, .. } = verdict else {
        return None;
    };
    let host = host.as_ref()?;
    let more = url.as_deref().and_then(|u| {
        let parsed = crate::url_parse::parse(u).ok()?;
        Some(
            parsed.scheme() != "mailto"
                && (parsed.path() != "/"
                    || parsed.query().is_some()
                    || parsed.fragment().is_some()),
        )
    });
    Some(if more == Some(true) {
        format!("{host}…")
    } else {
        host.clone()
    })
}

/// The visible text that shows a host after a link: ` (evil.example)`.
pub(crate) fn host_suffix(host: &str) -> String {
    format!(" ({host})")
}

/// The visible text of a blocked image.
pub(crate) fn blocked_image_text(alt: &str) -> String {
    if alt.trim().is_empty() {
        "[image]".to_string()
    } else {
        format!("[image: {alt}]")
    }
}
