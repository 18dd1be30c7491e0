//! The wasm-bindgen surface of safemark: a thin layer that the hand-written JavaScript in
//! `pkg-js/src/` wraps.
//!
//! Nothing is thrown across the boundary by this layer: every call returns its outcome as a
//! value (`[status, …]`, where `status` is empty on success or a JSON error object), so any
//! exception that does come out of a call (a trap, the JavaScript stack running out in the
//! glue) means the call was unwound, and the JavaScript layer resets the instance.

#![forbid(unsafe_code)]

use wasm_bindgen::prelude::*;

/// An error as the JSON the JavaScript layer turns into its error classes. A struct rather
/// than `serde_json::Value`, whose serializer (floats included) would be in the wasm only for
/// this.
#[derive(serde::Serialize)]
struct JsError<'a> {
    name: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<usize>,
}

impl<'a> JsError<'a> {
    fn new(name: &'static str, message: &'a str) -> JsError<'a> {
        JsError {
            name,
            message,
            key: None,
            length: None,
            limit: None,
        }
    }

    fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A Rust error as the JSON the JavaScript layer turns into its error classes.
fn error_json(e: &safemark::Error) -> String {
    let message = e.to_string();
    let error = JsError::new("SafemarkError", &message);
    match e {
        safemark::Error::Policy { key, .. } => JsError {
            name: "PolicyError",
            key: Some(key),
            ..error
        },
        safemark::Error::InputTooLarge { len, max } => JsError {
            name: "InputTooLargeError",
            length: Some(*len),
            limit: Some(*max),
            ..error
        },
        _ => error,
    }
    .json()
}

/// The findings as JSON, each with `range_utf16` beside its byte `range`: the same range in
/// UTF-16 code units of `input`, which is what JavaScript strings index.
fn findings_json(input: &str, findings: &[safemark::Finding]) -> String {
    let mut offsets: Vec<usize> = findings
        .iter()
        .filter_map(|f| f.range)
        .flat_map(|r| [r.start, r.end])
        .collect();
    offsets.sort_unstable();
    offsets.dedup();
    // One pass over the input for all the offsets.
    let mut utf16 = Vec::with_capacity(offsets.len());
    let (mut byte, mut unit) = (0usize, 0usize);
    let mut chars = input.chars();
    for &target in &offsets {
        while byte < target {
            let Some(c) = chars.next() else { break };
            byte += c.len_utf8();
            unit += c.len_utf16();
        }
        utf16.push(unit);
    }
    let at = |offset: usize| offsets.binary_search(&offset).map_or(offset, |i| utf16[i]);
    let list: Vec<JsFinding<'_>> = findings
        .iter()
        .map(|f| JsFinding {
            finding: f,
            range_utf16: f.range.map(|r| Range16 {
                start: at(r.start),
                end: at(r.end),
            }),
        })
        .collect();
    serde_json::to_string(&list).unwrap_or_default()
}

/// A finding as the JavaScript layer reports it: the Rust fields in their order, then the
/// range in UTF-16 code units.
#[derive(serde::Serialize)]
struct JsFinding<'a> {
    #[serde(flatten)]
    finding: &'a safemark::Finding,
    #[serde(skip_serializing_if = "Option::is_none")]
    range_utf16: Option<Range16>,
}

#[derive(serde::Serialize)]
struct Range16 {
    start: usize,
    end: usize,
}

/// IDNA from the platform. This crate's `Cargo.lock` pins `idna_adapter` 1.0, which has no
/// Unicode tables (107 KB less wasm), so internationalized hosts are parsed by the JavaScript
/// platform's own WHATWG URL parser instead (`safemark::set_platform_url_parser`): they are
/// still shown in punycode, never refused. Runs each time an instance starts.
#[wasm_bindgen(start)]
fn start() {
    safemark::set_platform_url_parser(platform_url);
}

#[wasm_bindgen]
extern "C" {
    /// The platform's WHATWG `URL` class (browsers, workers, node).
    #[wasm_bindgen(js_name = URL)]
    type PlatformUrl;
    #[wasm_bindgen(constructor, js_class = "URL", catch)]
    fn new(input: &str) -> Result<PlatformUrl, JsValue>;
    #[wasm_bindgen(constructor, js_class = "URL", catch)]
    fn new_with_base(input: &str, base: &str) -> Result<PlatformUrl, JsValue>;
    #[wasm_bindgen(method, getter, js_class = "URL")]
    fn href(this: &PlatformUrl) -> String;
}

/// `new URL(input, base).href`, or `None` where the platform throws (not a valid URL).
fn platform_url(input: &str, base: Option<&str>) -> Option<String> {
    let url = match base {
        Some(base) => PlatformUrl::new_with_base(input, base),
        None => PlatformUrl::new(input),
    };
    url.ok().map(|url| url.href())
}

/// `[status, payload]`: an empty status and the payload, or the error and nothing.
fn outcome(result: Result<String, safemark::Error>) -> Vec<String> {
    match result {
        Ok(payload) => vec![String::new(), payload],
        Err(e) => vec![error_json(&e), String::new()],
    }
}

/// The policy's JSON compiled, or why not.
fn compile(policy_json: Option<String>) -> Result<safemark::Sanitizer, safemark::Error> {
    let policy = match policy_json.as_deref() {
        None => safemark::Policy::default(),
        Some(json) => safemark::Policy::from_json(json)?,
    };
    safemark::Sanitizer::new(policy)
}

/// A compiled sanitizer (one policy, reused for many documents), or the error that kept the
/// policy from compiling.
#[wasm_bindgen]
pub struct Sanitizer {
    inner: Result<safemark::Sanitizer, safemark::Error>,
}

#[wasm_bindgen]
impl Sanitizer {
    /// Compiles a policy given as JSON (`undefined`: the default policy). Never fails: see
    /// [`Sanitizer::error`].
    #[wasm_bindgen(constructor)]
    pub fn new(policy_json: Option<String>) -> Sanitizer {
        Sanitizer {
            inner: compile(policy_json),
        }
    }

    /// Why the policy did not compile, as JSON; empty when it did.
    pub fn error(&self) -> String {
        self.inner
            .as_ref()
            .err()
            .map(error_json)
            .unwrap_or_default()
    }

    fn run(
        &self,
        input: &str,
        f: impl Fn(&safemark::Sanitizer, &str) -> Result<String, safemark::Error>,
    ) -> Vec<String> {
        outcome(
            self.inner
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|s| f(s, input)),
        )
    }

    /// Markdown to safe HTML: `[status, html]`.
    #[wasm_bindgen(js_name = renderMarkdown)]
    pub fn render_markdown(&self, markdown: &str) -> Vec<String> {
        self.run(markdown, |s, md| s.render_markdown(md).map(|r| r.html))
    }

    /// HTML to safe HTML: `[status, html]`.
    #[wasm_bindgen(js_name = sanitizeHtml)]
    pub fn sanitize_html(&self, html: &str) -> Vec<String> {
        self.run(html, |s, h| s.sanitize_html(h).map(|r| r.html))
    }

    /// One link destination judged as a render judges it: `[status, verdict JSON]`.
    #[wasm_bindgen(js_name = judgeLink)]
    pub fn judge_link(&self, url: &str, text: Option<String>) -> Vec<String> {
        self.run(url, |s, u| {
            Ok(serde_json::to_string(&s.judge_link(u, text.as_deref())).unwrap_or_default())
        })
    }

    /// One image source judged as a render judges it: `[status, verdict JSON]`.
    #[wasm_bindgen(js_name = judgeImage)]
    pub fn judge_image(&self, url: &str) -> Vec<String> {
        self.run(url, |s, u| {
            Ok(serde_json::to_string(&s.judge_image(u)).unwrap_or_default())
        })
    }

    /// Markdown to `[status, html, findings JSON]`.
    #[wasm_bindgen(js_name = inspectMarkdown)]
    pub fn inspect_markdown(&self, markdown: &str) -> Vec<String> {
        self.inspect(markdown, |s, md| s.render_markdown(md))
    }

    /// HTML to `[status, html, findings JSON]`.
    #[wasm_bindgen(js_name = inspectHtml)]
    pub fn inspect_html(&self, html: &str) -> Vec<String> {
        self.inspect(html, |s, h| s.sanitize_html(h))
    }

    fn inspect(
        &self,
        input: &str,
        f: impl Fn(&safemark::Sanitizer, &str) -> Result<safemark::Rendered, safemark::Error>,
    ) -> Vec<String> {
        match self
            .inner
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|s| f(s, input))
        {
            Ok(r) => vec![String::new(), findings_json(input, &r.findings), r.html],
            Err(e) => vec![error_json(&e), String::new(), String::new()],
        }
    }

    /// The policy in force, as JSON (empty when it did not compile). Compact, not
    /// `Policy::to_json`'s pretty form: JavaScript parses it, and the pretty printer would be
    /// in the wasm only for this.
    #[wasm_bindgen(js_name = policyJson)]
    pub fn policy_json(&self) -> String {
        self.inner
            .as_ref()
            .ok()
            .and_then(|s| serde_json::to_string(s.policy()).ok())
            .unwrap_or_default()
    }

    /// `limits.max_input_bytes` (0 when the policy did not compile), for refusing input that
    /// is too long before it is copied into WebAssembly memory.
    #[wasm_bindgen(js_name = maxInputBytes)]
    pub fn max_input_bytes(&self) -> f64 {
        self.inner
            .as_ref()
            .map_or(0.0, |s| s.policy().limits.max_input_bytes as f64)
    }
}

/// Markdown rendered as it arrives (see `safemark::MarkdownStream`).
#[wasm_bindgen]
pub struct MarkdownStream {
    inner: Result<Option<safemark::MarkdownStream>, safemark::Error>,
    max: usize,
    findings: Vec<safemark::Finding>,
}

#[wasm_bindgen]
impl MarkdownStream {
    /// A stream under a policy given as JSON (`undefined`: the default policy). Never fails:
    /// see [`MarkdownStream::error`].
    #[wasm_bindgen(constructor)]
    pub fn new(policy_json: Option<String>) -> MarkdownStream {
        let sanitizer = compile(policy_json);
        MarkdownStream {
            max: sanitizer
                .as_ref()
                .map_or(0, |s| s.policy().limits.max_input_bytes),
            inner: sanitizer.map(|s| Some(s.stream())),
            findings: Vec::new(),
        }
    }

    /// Why the policy did not compile, as JSON; empty when it did.
    pub fn error(&self) -> String {
        self.inner
            .as_ref()
            .err()
            .map(error_json)
            .unwrap_or_default()
    }

    /// Adds a chunk: `[status, committed, tail]` (`tail` empty unless asked for). `held` bytes
    /// (a surrogate half the JavaScript layer keeps until its other half arrives; it becomes at
    /// most 3 bytes, a U+FFFD, if none does) count toward the limit, so that the stream can
    /// always finish. A chunk that fails changes nothing.
    pub fn push(&mut self, chunk: &str, tail: bool, held: usize) -> Vec<String> {
        let max = self.max;
        let stream = match self.stream() {
            Ok(s) => s,
            Err(status) => return vec![status, String::new(), String::new()],
        };
        let len = stream.input().len() + chunk.len() + held;
        let update = if len > max {
            Err(safemark::Error::InputTooLarge { len, max })
        } else if tail {
            stream.push(chunk)
        } else {
            stream.push_committed(chunk)
        };
        match update {
            Ok(update) => {
                self.findings.extend(update.findings);
                vec![String::new(), update.committed, update.tail]
            }
            Err(e) => vec![error_json(&e), String::new(), String::new()],
        }
    }

    fn stream(&mut self) -> Result<&mut safemark::MarkdownStream, String> {
        match &mut self.inner {
            Ok(Some(s)) => Ok(s),
            Ok(None) => Err(JsError::new("StateError", "safemark: the stream is finished").json()),
            Err(e) => Err(error_json(e)),
        }
    }

    /// The provisional HTML for what is not committed yet.
    pub fn tail(&self) -> String {
        match &self.inner {
            Ok(Some(s)) => s.tail(),
            _ => String::new(),
        }
    }

    /// The tail as an edit of the tail returned last (by `tail`, `tailEdit` or a push with
    /// the tail): `[UTF-16 code units removed from its end, what follows]`.
    #[wasm_bindgen(js_name = tailEdit)]
    pub fn tail_edit(&self) -> Vec<String> {
        match &self.inner {
            Ok(Some(s)) => {
                let edit = s.tail_edit();
                vec![edit.removed_utf16.to_string(), edit.text]
            }
            _ => vec!["0".to_string(), String::new()],
        }
    }

    /// Ends the stream: `[status, rest of the HTML, findings JSON]`.
    pub fn finish(&mut self) -> Vec<String> {
        let stream = match self.stream() {
            Ok(_) => self.inner.as_mut().ok().and_then(Option::take),
            Err(status) => return vec![status, String::new(), String::new()],
        };
        let Some(stream) = stream else {
            return vec![String::new(), String::new(), String::new()];
        };
        let input = stream.input().to_string();
        match stream.finish() {
            Ok(update) => {
                self.findings.extend(update.findings);
                vec![
                    String::new(),
                    update.committed,
                    findings_json(&input, &self.findings),
                ]
            }
            Err(e) => vec![error_json(&e), String::new(), String::new()],
        }
    }

    /// The findings of everything committed so far, as JSON (after `finish`, see `finish`).
    #[wasm_bindgen(js_name = findingsJson)]
    pub fn findings_json(&self) -> String {
        match &self.inner {
            Ok(Some(s)) => findings_json(s.input(), &self.findings),
            _ => serde_json::to_string(&self.findings).unwrap_or_default(),
        }
    }
}

/// The size of this instance's linear memory in bytes (for tests of the JavaScript layer:
/// memory a WebAssembly instance has grown to is never returned, only reused).
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        (core::arch::wasm32::memory_size(0) * 65536) as f64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}
