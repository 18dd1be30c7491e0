//! The judged events: what the judged-event layer ([`crate::judge`]) hands its consumers.
//! Text in them is cleaned and every destination is decided; a consumer only chooses how each
//! looks.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

use crate::display::Shown;
use crate::report::{Finding, FindingKind};
use crate::urls::Verdict;

/// One judged event. Text is cleaned; every destination is decided.
pub(crate) enum Judged<'e> {
    /// Structure with nothing to judge, as pulldown-cmark gave it: the start and end of
    /// paragraphs, headings, emphasis, strong emphasis, strikethrough, tables and their parts
    /// and footnote definitions; the end of a code block; breaks, rules, task list markers.
    Event(&'e Event<'e>),
    /// Text, invisible characters removed.
    Text(&'e str),
    /// Inline code, invisible characters removed.
    Code(&'e str),
    /// TeX (`"math": true`), invisible characters removed: `$…$`, or `$$…$$` when `display`.
    Math {
        /// The TeX, as written.
        tex: &'e str,
        /// Display math (`$$…$$`).
        display: bool,
    },
    /// Raw HTML, as it came, for the HTML stage (`raw_html: "sanitize"`).
    Html {
        /// The HTML.
        html: &'e str,
        /// Inline HTML (in a paragraph), not an HTML block.
        inline: bool,
    },
    /// Raw HTML to show as text (`raw_html: "escape"`), invisible characters removed.
    HtmlAsText(&'e str),
    /// A bare URL the policy trusts (GFM's autolinks): a clickable link whose text is `text`.
    Autolink {
        /// The judged destination.
        href: &'e str,
        /// The text, as written.
        text: &'e str,
        /// The real host to show after it when its text reads as another one.
        host: Option<String>,
    },
    /// The start of a code block (fenced with its info string, or indented), with the
    /// `class` of its `<code>` (its language).
    CodeBlock(&'e CodeBlockKind<'e>, Option<&'e str>),
    /// The start of a block quote, list or list item; `shown` is false past the nesting
    /// limit, where it is flattened into its parent.
    Container(&'e Tag<'e>, bool),
    /// The end of a block quote, list or list item (`shown` as at its start).
    ContainerEnd(TagEnd, bool),
    /// The start or end of an emphasis, strong emphasis or strikethrough nested past
    /// [`crate::limits::MAX_INLINE_NESTING`]: nothing is written for it; its content is
    /// written in its parent.
    Flattened,
    /// The start of a link.
    Link(&'e LinkStart),
    /// The end of a link.
    LinkEnd(LinkEnd),
    /// A whole image.
    Image(&'e Image),
    /// A footnote reference.
    FootnoteReference {
        /// Its label.
        label: &'e str,
        /// Its number, in order of first reference.
        number: usize,
        /// The judged fragment it links to, and the `id` it carries when it is the first
        /// reference; `None` when it cannot be a link (inside a link, or a refused fragment).
        link: Option<(&'e str, Option<&'e str>)>,
    },
}

/// How a link starts.
pub(crate) enum LinkStart {
    /// Clickable: the judged destination, its cleaned title, and whether it leaves the
    /// document (then it gets `rel` and `referrerpolicy`).
    Clickable {
        href: String,
        title: String,
        external: bool,
    },
    /// A trusted destination inside a link: only its text is written (an `<a>` inside an
    /// `<a>` does not read back as itself). The judged destination, and whether it leaves
    /// the document, for outputs that show it in words.
    Inert { href: String, external: bool },
    /// Refused: how it is shown instead (see [`crate::display::refused`]), and the verdict,
    /// for outputs that show it in words ([`crate::display::brief_host`]).
    Refused { shown: Shown, verdict: Verdict },
}

/// How a link ends.
pub(crate) enum LinkEnd {
    /// A clickable link: the check of its text against its destination.
    Clickable(DeceptiveCheck),
    /// See [`LinkStart::Inert`].
    Inert,
    /// A refused link, with the text to show after it (`shown.suffix`).
    Refused(Option<String>),
}

/// The deceptive-link check of a clickable link that just ended. When the link has no raw
/// HTML its text is known here; raw HTML may hide part of it, and then the writer that wrote
/// the link gives the views a reader has of it ([`DeceptiveCheck::real_host`]).
pub(crate) struct DeceptiveCheck {
    /// `None` for a fragment link, which names no host.
    pub(crate) href: Option<String>,
    pub(crate) range: Range<usize>,
    pub(crate) text: String,
    pub(crate) raw: bool,
}

impl DeceptiveCheck {
    /// The check of a link that names no host (a fragment link).
    pub(crate) fn none() -> DeceptiveCheck {
        DeceptiveCheck {
            href: None,
            range: 0..0,
            text: String::new(),
            raw: false,
        }
    }

    /// The real host to show after the link, if its text reads as another host, with a
    /// finding. `views` gives the link's whole text and its text without what may be hidden,
    /// as a reader sees them in the consumer's output; it is asked only for a link with raw
    /// HTML (a consumer that shows raw HTML as text can give `None`: the text collected here
    /// is read).
    pub(crate) fn real_host(
        self,
        views: impl FnOnce() -> Option<(String, String)>,
        findings: &mut Vec<Finding>,
    ) -> Option<String> {
        let href = self.href?;
        let views = if self.raw {
            views().unwrap_or_else(|| (self.text.clone(), String::new()))
        } else {
            (self.text.clone(), self.text.clone())
        };
        let host = crate::deceptive::deceptive(&[&views.0, &views.1], &href)?;
        findings.push(deceptive_finding(href, &host, self.range));
        Some(host)
    }
}

pub(crate) fn deceptive_finding(href: String, host: &str, range: Range<usize>) -> Finding {
    Finding::new(FindingKind::DeceptiveLink)
        .element("a")
        .attribute("href")
        .url(Some(href), Some(host.to_string()))
        .range(Some(range))
}

/// An image, judged.
pub(crate) struct Image {
    /// Its alt text, invisible characters removed (not bounded).
    pub alt: String,
    /// How it is shown.
    pub out: ImageOut,
}

/// How an image is shown.
pub(crate) enum ImageOut {
    /// Loaded: the judged source, the alt text and the title, cleaned and bounded.
    Shown {
        src: String,
        alt: String,
        title: String,
    },
    /// Blocked: the tooltip showing where it pointed (if shown) and the text shown instead.
    Blocked { title: Option<String>, text: String },
}

/// One note of the footnotes section, resolved: in order of first reference.
pub(crate) struct Note {
    /// The `id` of its item.
    pub id: String,
    /// The judged fragment of its link back to the first reference, if it can have one.
    pub backref: Option<String>,
    /// Its body, as the consumer wrote it.
    pub body: String,
}

/// A consumer of judged events: an output.
pub(crate) trait Consumer {
    /// One judged event from the input at `range`; `findings` is where the consumer's own
    /// findings go, in order with the judge's.
    fn judged(&mut self, event: Judged<'_>, range: &Range<usize>, findings: &mut Vec<Finding>);
}
