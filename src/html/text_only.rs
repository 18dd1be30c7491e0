//! The HTML stage without the `html` feature: there is no HTML parser or sanitizer in the
//! crate, so raw HTML is never parsed. The judge shows raw HTML in markdown as text, and
//! whatever reaches this stage (the input of `sanitize_html`) is escaped and shown as the text
//! it is: nothing of it can become markup.

use std::sync::Arc;

use crate::limits;
use crate::policy::Policy;
use crate::report::{Finding, FindingKind};

/// The HTML stage: here only the policy, and escaping.
pub(crate) struct HtmlStage {
    policy: Arc<Policy>,
}

impl HtmlStage {
    pub(crate) fn new(policy: Arc<Policy>) -> HtmlStage {
        HtmlStage { policy }
    }

    /// The same stage (raw HTML in markdown is text too).
    pub(crate) fn in_markdown(&self) -> HtmlStage {
        HtmlStage::new(Arc::clone(&self.policy))
    }

    /// The finding for raw HTML nested too deep (never made here: nothing is parsed).
    pub(crate) fn too_deep(&self) -> Finding {
        Finding::new(FindingKind::NestingLimit).detail(format!(
            "raw HTML nested deeper than {} elements is shown as text",
            limits::MAX_HTML_DEPTH
        ))
    }

    /// The same stage (there is nothing to remember between calls).
    pub(crate) fn with_memo(&self) -> HtmlStage {
        HtmlStage::new(Arc::clone(&self.policy))
    }

    /// The policy it enforces.
    pub(crate) fn policy(&self) -> &Arc<Policy> {
        &self.policy
    }

    /// `html` shown as text.
    pub(crate) fn sanitize(&self, html: &str, _findings: &mut Vec<Finding>) -> String {
        shown_as_text(html)
    }

    /// `html` shown as text.
    pub(crate) fn try_sanitize(
        &self,
        html: &str,
        _findings: &mut Vec<Finding>,
    ) -> Result<String, limits::TooDeep> {
        Ok(shown_as_text(html))
    }
}

/// No sanitized output goes into a block as an inline span (there is none).
pub(crate) fn is_inline_fragment(_html: &str, _in_link: bool) -> bool {
    false
}

/// What a link whose text has raw HTML shows: never asked here (raw HTML is text).
pub(crate) fn link_views_of(_html: &str) -> Option<(String, String)> {
    None
}

/// `html` escaped, to be shown as the text it is.
fn shown_as_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len() + html.len() / 8);
    crate::canonical::escape_text(&mut text, html);
    text
}
