//! The wasm-bindgen surface of safemark: a thin layer that the hand-written JavaScript in
//! `pkg-js/src/` wraps. Errors become JavaScript `Error`s carrying the same message as Rust.

#![forbid(unsafe_code)]

use wasm_bindgen::prelude::*;

/// A Rust error as a JavaScript `Error` with the same message.
fn js(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// A compiled sanitizer (one policy, reused for many documents).
#[wasm_bindgen]
pub struct Sanitizer {
    inner: safemark::Sanitizer,
}

#[wasm_bindgen]
impl Sanitizer {
    /// Compiles a policy given as JSON (`undefined` or `"{}"`: the default policy).
    #[wasm_bindgen(constructor)]
    pub fn new(policy_json: Option<String>) -> Result<Sanitizer, JsError> {
        let policy = match policy_json.as_deref() {
            None => safemark::Policy::default(),
            Some(json) => safemark::Policy::from_json(json).map_err(js)?,
        };
        let inner = safemark::Sanitizer::new(policy).map_err(js)?;
        Ok(Sanitizer { inner })
    }

    /// Markdown to safe HTML.
    #[wasm_bindgen(js_name = renderMarkdown)]
    pub fn render_markdown(&self, markdown: &str) -> Result<String, JsError> {
        self.inner
            .render_markdown(markdown)
            .map(|r| r.html)
            .map_err(js)
    }

    /// HTML to safe HTML.
    #[wasm_bindgen(js_name = sanitizeHtml)]
    pub fn sanitize_html(&self, html: &str) -> Result<String, JsError> {
        self.inner.sanitize_html(html).map(|r| r.html).map_err(js)
    }

    /// Markdown to `{"html": …, "findings": […]}` as JSON.
    #[wasm_bindgen(js_name = inspectMarkdown)]
    pub fn inspect_markdown(&self, markdown: &str) -> Result<String, JsError> {
        let rendered = self.inner.render_markdown(markdown).map_err(js)?;
        serde_json::to_string(&rendered).map_err(js)
    }

    /// HTML to `{"html": …, "findings": […]}` as JSON.
    #[wasm_bindgen(js_name = inspectHtml)]
    pub fn inspect_html(&self, html: &str) -> Result<String, JsError> {
        let rendered = self.inner.sanitize_html(html).map_err(js)?;
        serde_json::to_string(&rendered).map_err(js)
    }

    /// The policy in force, as JSON.
    #[wasm_bindgen(js_name = policyJson)]
    pub fn policy_json(&self) -> String {
        self.inner.policy().to_json()
    }
}

/// Markdown rendered as it arrives (see `safemark::MarkdownStream`).
#[wasm_bindgen]
pub struct MarkdownStream {
    inner: Option<safemark::MarkdownStream>,
    findings: Vec<safemark::Finding>,
}

#[wasm_bindgen]
impl MarkdownStream {
    /// A stream under a policy given as JSON (`undefined`: the default policy).
    #[wasm_bindgen(constructor)]
    pub fn new(policy_json: Option<String>) -> Result<MarkdownStream, JsError> {
        let sanitizer = Sanitizer::new(policy_json)?;
        Ok(MarkdownStream {
            inner: Some(sanitizer.inner.stream()),
            findings: Vec::new(),
        })
    }

    /// Adds a chunk: `[committed, tail]`, or only `[committed, ""]` when `tail` is false.
    pub fn push(&mut self, chunk: &str, tail: bool) -> Result<Vec<String>, JsError> {
        let stream = self
            .inner
            .as_mut()
            .ok_or_else(|| JsError::new("safemark: the stream is finished"))?;
        let update = if tail {
            stream.push(chunk)
        } else {
            stream.push_committed(chunk)
        }
        .map_err(js)?;
        self.findings.extend(update.findings);
        Ok(vec![update.committed, update.tail])
    }

    /// The provisional HTML for what is not committed yet.
    pub fn tail(&self) -> String {
        self.inner.as_ref().map(|s| s.tail()).unwrap_or_default()
    }

    /// Ends the stream: the rest of the HTML, all final.
    pub fn finish(&mut self) -> Result<String, JsError> {
        let stream = self
            .inner
            .take()
            .ok_or_else(|| JsError::new("safemark: the stream is finished"))?;
        let update = stream.finish().map_err(js)?;
        self.findings.extend(update.findings);
        Ok(update.committed)
    }

    /// The findings of everything committed so far, as a JSON array (the same findings as a
    /// batch render once the stream is finished).
    #[wasm_bindgen(js_name = findingsJson)]
    pub fn findings_json(&self) -> Result<String, JsError> {
        serde_json::to_string(&self.findings).map_err(js)
    }
}
