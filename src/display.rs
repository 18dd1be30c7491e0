//! How neutralized content looks: the markup that replaces an untrusted link or a blocked
//! image. The markdown stage writes it as text and the HTML stage builds it as nodes, both
//! from these functions, so the two always agree.

use crate::policy::{Policy, UntrustedDisplay};
use crate::urls::{Deny, Verdict};

/// Class of the `<span>` that replaces an untrusted link (it keeps the link's content).
pub const UNTRUSTED_LINK_CLASS: &str = "safemark-untrusted-link";
/// Class of the `<span>` after an untrusted link that shows where it pointed.
pub const LINK_HOST_CLASS: &str = "safemark-link-host";
/// Class of the `<span>` that replaces a blocked image (it shows the alt text).
pub const BLOCKED_IMAGE_CLASS: &str = "safemark-blocked-image";
/// Class of the `<sup>` that refers to a footnote.
pub const FOOTNOTE_REFERENCE_CLASS: &str = "footnote-reference";
/// Class of the `<div>` that holds a footnote.
pub const FOOTNOTE_DEFINITION_CLASS: &str = "footnote-definition";
/// Class of the `<sup>` that numbers a footnote.
pub const FOOTNOTE_LABEL_CLASS: &str = "footnote-definition-label";
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
pub(crate) struct Shown {
    /// The `title` (tooltip) of the replacement span.
    pub title: Option<String>,
    /// Visible text after an untrusted link, such as ` (evil.example)`.
    pub suffix: Option<String>,
    /// The destination to open after confirmation (`"untrusted": "confirm"`).
    pub confirm: Option<String>,
}

/// How a refused link is shown under the policy. Only well-formed, merely untrusted
/// destinations are shown; `javascript:` and friends are not repeated to the reader.
pub(crate) fn refused(verdict: &Verdict, policy: &Policy) -> Shown {
    let (url, host) = match verdict {
        Verdict::Deny {
            why: Deny::Untrusted,
            url,
            host,
        } => (url.as_deref(), host.as_deref()),
        _ => (None, None),
    };
    // A tooltip is for reading: an exfiltration URL can be kilobytes long.
    let title = url.map(|u| {
        if u.len() <= TITLE_BYTES {
            return u.to_string();
        }
        let mut cut = TITLE_BYTES;
        while !u.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}…", &u[..cut])
    });
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

/// A refused destination that may be opened after confirmation: a well-formed `http`,
/// `https` or `mailto` URL without a user name or password (`https://bank.example@evil.example/`
/// is never offered, even with confirmation).
pub(crate) fn confirmable(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    (matches!(parsed.scheme(), "http" | "https" | "mailto")
        && parsed.username().is_empty()
        && parsed.password().is_none())
    .then(|| parsed.into())
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
