//! Test support: an independent check of safemark's output, and the oracle every test, fuzz
//! target (`fuzz/src/lib.rs` includes this file) and regression replay runs.
//!
//! The output is parsed with html5ever as a browser would parse it (`innerHTML` of a `<div>`),
//! and every element, attribute and URL is judged here, by rules written out again in this
//! file rather than taken from the crate, so that a bug in the crate's tables or URL judge
//! shows up as a violation.

#![allow(dead_code)]

pub mod grid;

use std::cell::RefCell;

use html5ever::tendril::TendrilSink;
use html5ever::{local_name, ns, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// The destinations a test policy trusts.
#[derive(Clone, Debug, Default)]
pub struct Trusted {
    pub link_hosts: Vec<&'static str>,
    pub mailto: bool,
    pub image_hosts: Vec<&'static str>,
    pub data_images: bool,
    /// The policy's `id_prefix`, when it is not the default `user-content-`.
    pub id_prefix: Option<&'static str>,
}

impl Trusted {
    /// The prefix every `id` and fragment must carry.
    pub fn id_prefix(&self) -> &'static str {
        self.id_prefix.unwrap_or("user-content-")
    }
}

/// The policy used by "allowlist" tests, and what it trusts.
pub const ALLOWLIST_POLICY: &str = r#"{
    "links":  { "allow": ["https://docs.example.com/", "mailto:"] },
    "images": { "allow": ["https://img.example.com/"] }
}"#;

/// The allowlist policy with untrusted links carried for click-time confirmation.
pub const CONFIRM_POLICY: &str = r#"{
    "links":  { "allow": ["https://docs.example.com/", "mailto:"], "untrusted": "confirm" },
    "images": { "allow": ["https://img.example.com/"] }
}"#;

pub fn trusted_for(policy_name: &str) -> Trusted {
    match policy_name {
        "default" | "escape" => Trusted::default(),
        "allowlist" | "confirm" => Trusted {
            link_hosts: vec!["docs.example.com"],
            mailto: true,
            image_hosts: vec!["img.example.com"],
            data_images: false,
            id_prefix: None,
        },
        other => panic!("unknown test policy {other}"),
    }
}

pub fn sanitizer_for(policy_name: &str) -> safemark::Sanitizer {
    match policy_name {
        "default" => safemark::Sanitizer::new(safemark::Policy::default()).unwrap(),
        "allowlist" => safemark::Sanitizer::from_json(ALLOWLIST_POLICY).unwrap(),
        "confirm" => safemark::Sanitizer::from_json(CONFIRM_POLICY).unwrap(),
        "escape" => safemark::Sanitizer::from_json(r#"{"raw_html": "escape"}"#).unwrap(),
        other => panic!("unknown test policy {other}"),
    }
}

const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

const ATTRIBUTES: &[&str] = &[
    "title",
    "lang",
    "id",
    "href",
    "rel",
    "referrerpolicy",
    "src",
    "alt",
    "width",
    "height",
    "start",
    "reversed",
    "type",
    "value",
    "align",
    "colspan",
    "rowspan",
    "scope",
    "span",
    "open",
    "checked",
    "disabled",
    "datetime",
    "class",
    "data-safemark-href",
];

/// A parsed fragment. The DOM is kept alive with the root: dropping an `RcDom` empties its
/// tree.
pub struct Parsed {
    _dom: RcDom,
    pub root: Handle,
}

/// Parses HTML as `div.innerHTML = html` would.
pub fn parse(html: &str) -> Parsed {
    let dom = html5ever::driver::parse_fragment(
        RcDom::default(),
        Default::default(),
        QualName::new(None, ns!(html), local_name!("div")),
        vec![],
        false,
    )
    .one(html);
    let root = dom.document.children.borrow()[0].clone();
    Parsed { _dom: dom, root }
}

/// An element's name (`foreign:` prefixed outside the HTML namespace), attributes and node.
pub type Element = (String, Vec<(String, String)>, Handle);

/// Every element under `root` in document order, with its attributes.
pub fn elements(root: &Handle) -> Vec<Element> {
    let mut out = Vec::new();
    let mut stack: Vec<Handle> = root.children.borrow().iter().rev().cloned().collect();
    while let Some(node) = stack.pop() {
        if let NodeData::Element { name, attrs, .. } = &node.data {
            let attrs = attrs
                .borrow()
                .iter()
                .map(|a| (a.name.local.to_string(), a.value.to_string()))
                .collect();
            let ns = if name.ns == ns!(html) { "" } else { "foreign:" };
            out.push((format!("{ns}{}", name.local), attrs, node.clone()));
        }
        stack.extend(node.children.borrow().iter().rev().cloned());
    }
    out
}

/// The text a reader sees (text nodes, concatenated).
pub fn text(root: &Handle) -> String {
    let mut out = String::new();
    let mut stack: Vec<Handle> = root.children.borrow().iter().rev().cloned().collect();
    while let Some(node) = stack.pop() {
        if let NodeData::Text { contents } = &node.data {
            out.push_str(&RefCell::borrow(contents));
        }
        stack.extend(node.children.borrow().iter().rev().cloned());
    }
    out
}

/// The value of attribute `name` in an [`Element`]'s attributes.
pub fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn hidden(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, '\u{E0000}'..='\u{E007F}' | '\u{202A}'..='\u{202E}'))
}

/// Everything in `html` that could run script or make a request `trusted` does not allow.
pub fn violations(html: &str, trusted: &Trusted) -> Vec<String> {
    let parsed = parse(html);
    let root = &parsed.root;
    let mut v = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(node) = stack.pop() {
        match &node.data {
            NodeData::Comment { .. } => v.push("comment".to_string()),
            NodeData::Text { contents } if hidden(&RefCell::borrow(contents)) => {
                v.push("hidden characters in text".to_string())
            }
            _ => {}
        }
        stack.extend(node.children.borrow().iter().cloned());
    }
    for (name, attrs, _) in elements(root) {
        if !ELEMENTS.contains(&name.as_str()) {
            v.push(format!("element <{name}>"));
            continue;
        }
        for (a, value) in &attrs {
            if !ATTRIBUTES.contains(&a.as_str()) {
                v.push(format!("attribute {a} on <{name}>"));
            }
            if hidden(value) {
                v.push(format!("hidden characters in {name}@{a}"));
            }
            if a == "id" && !value.starts_with(trusted.id_prefix()) {
                v.push(format!("unprefixed id {value:?}"));
            }
            if a == "class" {
                for class in value.split_ascii_whitespace() {
                    let ok = match name.as_str() {
                        // safemark's labels, and the math spans KaTeX reads (`"math": true`).
                        "span" => {
                            class.starts_with("safemark-")
                                || matches!(class, "math" | "math-inline" | "math-display")
                        }
                        "sup" => class == "footnote-ref",
                        "section" => class == "footnotes",
                        "a" => class == "footnote-backref",
                        "code" => class.starts_with("language-"),
                        _ => false,
                    };
                    if !ok {
                        v.push(format!("class {class:?} on <{name}>"));
                    }
                }
            }
        }
        match name.as_str() {
            "a" => {
                if let Some(href) = attr(&attrs, "href") {
                    if let Some(why) = bad_link(href, trusted) {
                        v.push(format!("link {href:?}: {why}"));
                    } else if !href.starts_with('#') {
                        if attr(&attrs, "rel") != Some("noopener noreferrer nofollow") {
                            v.push(format!("link {href:?} without rel"));
                        }
                        if attr(&attrs, "referrerpolicy") != Some("no-referrer") {
                            v.push(format!("link {href:?} without referrerpolicy"));
                        }
                    }
                }
            }
            "span" => {
                // The confirm mode's destination: never a script, always an absolute URL.
                if let Some(href) = attr(&attrs, "data-safemark-href") {
                    match url::Url::parse(href) {
                        Ok(u) if matches!(u.scheme(), "http" | "https" | "mailto") => {}
                        _ => v.push(format!("confirm destination {href:?}")),
                    }
                }
            }
            "img" => {
                if let Some(src) = attr(&attrs, "src") {
                    if let Some(why) = bad_image(src, trusted) {
                        v.push(format!("image {src:?}: {why}"));
                    }
                }
            }
            "input"
                if attr(&attrs, "type") != Some("checkbox")
                    || attr(&attrs, "disabled").is_none() =>
            {
                v.push(format!("input that is not a disabled checkbox: {attrs:?}"));
            }
            _ => {}
        }
    }
    v
}

fn bad_link(href: &str, trusted: &Trusted) -> Option<String> {
    if let Some(fragment) = href.strip_prefix('#') {
        return (!fragment.is_empty() && !fragment.starts_with(trusted.id_prefix()))
            .then(|| "fragment without prefix".to_string());
    }
    let url = match url::Url::parse(href) {
        Ok(u) => u,
        Err(e) => return Some(format!("not absolute ({e})")),
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Some("credentials".into());
    }
    match url.scheme() {
        "mailto" if trusted.mailto => None,
        "http" | "https" => {
            let host = same_host(&url);
            (!trusted.link_hosts.contains(&host)).then(|| format!("untrusted host {host}"))
        }
        s => Some(format!("scheme {s}")),
    }
}

/// The host of `url` as a trusted host is named: a single trailing dot (`docs.example.com.`,
/// the fully qualified form) names the same host, as DNS resolves it and as safemark's policy
/// matches it (found by the markdown fuzz target: `[x](https://docs.example.com./x)` is
/// clickable under an allowlist of `https://docs.example.com/`, and this rule called it
/// untrusted).
fn same_host(url: &url::Url) -> &str {
    let host = url.host_str().unwrap_or_default();
    host.strip_suffix('.').unwrap_or(host)
}

fn bad_image(src: &str, trusted: &Trusted) -> Option<String> {
    let url = match url::Url::parse(src) {
        Ok(u) => u,
        Err(e) => return Some(format!("not absolute ({e})")),
    };
    match url.scheme() {
        "data" if trusted.data_images => {
            let lower = src.to_ascii_lowercase();
            let raster = ["png", "gif", "jpeg", "webp"]
                .iter()
                .any(|t| lower.starts_with(&format!("data:image/{t}")));
            (!raster).then(|| "non-raster data image".to_string())
        }
        "http" | "https" => {
            let host = same_host(&url);
            (!trusted.image_hosts.contains(&host)).then(|| format!("untrusted host {host}"))
        }
        s => Some(format!("scheme {s}")),
    }
}

/// The oracle every property test, fuzz target and regression replay runs on a render (the fuzz
/// crate includes this file): `input` through `sanitizer` as markdown or HTML must give no
/// error below the input limit, no violation by this file's rules (when the test knows what
/// the policy trusts) and none by `safemark::audit`, output that sanitizing again in HTML mode
/// does not change (with the input limit lifted: output may be longer than a small limit), and
/// output within [`max_output`]. Returns the output.
pub fn check_output(
    sanitizer: &safemark::Sanitizer,
    trusted: Option<&Trusted>,
    markdown: bool,
    input: &str,
) -> Result<safemark::Rendered, String> {
    let out = if markdown {
        sanitizer.render_markdown(input)
    } else {
        sanitizer.sanitize_html(input)
    }
    .map_err(|e| format!("error {e}"))?;
    let v = trusted
        .map(|t| violations(&out.html, t))
        .unwrap_or_default();
    if !v.is_empty() {
        return Err(format!("{v:?}\n  input: {input:?}\n  output: {}", out.html));
    }
    let audited = safemark::audit(&out.html, sanitizer.policy());
    if !audited.is_empty() {
        return Err(format!(
            "audit: {audited:?}\n  input: {input:?}\n  output: {}",
            out.html
        ));
    }
    let unlimited;
    let resanitizer = if out.html.len() > sanitizer.policy().limits.max_input_bytes {
        let mut policy = sanitizer.policy().clone();
        policy.limits.max_input_bytes = usize::MAX;
        unlimited = safemark::Sanitizer::new(policy).expect("same policy, larger limit");
        &unlimited
    } else {
        sanitizer
    };
    let again = resanitizer
        .sanitize_html(&out.html)
        .map_err(|e| format!("error on re-sanitize {e}"))?;
    if again.html != out.html {
        return Err(format!(
            "not a fixpoint\n  input: {input:?}\n  once:  {}\n  twice: {}",
            out.html, again.html
        ));
    }
    if out.html.len() > max_output(sanitizer, input) {
        return Err(format!(
            "output {} bytes for {} input bytes",
            out.html.len(),
            input.len()
        ));
    }
    Ok(out)
}

/// [`check_output`] under a test policy whose trust is `trusted`; errors name `label`.
pub fn check(
    sanitizer: &safemark::Sanitizer,
    trusted: &Trusted,
    markdown: bool,
    input: &str,
    label: &str,
) -> Result<safemark::Rendered, String> {
    check_output(sanitizer, Some(trusted), markdown, input).map_err(|e| format!("{label}: {e}"))
}

/// The largest output `input` may give (the README's bound): a constant factor of the input
/// ([`bound_factor`]) and 4 KiB.
pub fn max_output(sanitizer: &safemark::Sanitizer, input: &str) -> usize {
    bound_factor(sanitizer) * input.len() + 4096
}

/// The bound's bytes out per byte in: 64, and 6 for each byte of the URLs the policy itself
/// adds. A relative link of three input bytes (`[a]` after its definition) shows the
/// base-resolved URL, entity-escaped (up to 5 bytes a byte), in its tooltip and its suffix;
/// an image carries the proxy's address. That is linear in the input, not amplification. The
/// steepest construct without them (`tests/limits.rs` searches every construct in every
/// container): a reference link on each row of a table of centred columns under
/// `"confirm"`, about 58 bytes a byte.
pub fn bound_factor(sanitizer: &safemark::Sanitizer) -> usize {
    let policy = sanitizer.policy();
    let added: usize = [&policy.links.base, &policy.images.proxy]
        .into_iter()
        .flatten()
        .map(|url| url.as_str().len())
        .sum();
    64 + 6 * added
}

/// Renders `input` for a terminal, plain and styled, and asserts that no control character of
/// the input reaches the terminal: plain text has no control character but `\n` and `\t`;
/// styled text's only escapes are SGR codes (`ESC [ digits m`) and OSC 8 hyperlinks to an
/// absolute URL of printable ASCII that the policy trusts (or the empty closing one).
pub fn check_terminal(sanitizer: &safemark::Sanitizer, input: &str) {
    let plain = sanitizer
        .render_terminal(input, safemark::TerminalOptions::plain())
        .expect("no error below the input limit");
    if let Some(c) = plain.text.chars().find(|&c| is_control(c)) {
        panic!(
            "control {c:?} in plain output\ninput: {input:?}\noutput: {:?}",
            plain.text
        );
    }
    let styled = sanitizer
        .render_terminal(input, safemark::TerminalOptions::styled())
        .expect("no error below the input limit");
    for text in [&plain.text, &styled.text] {
        assert!(
            text.len() <= 32 * input.len() + 4096,
            "terminal output {} bytes for {} input bytes",
            text.len(),
            input.len()
        );
    }
    let mut rest = styled.text.as_str();
    while let Some(i) = rest.find(is_control) {
        let after = &rest[i..];
        let len = if let Some(sgr) = after.strip_prefix("\x1b[") {
            let digits = sgr.bytes().take_while(u8::is_ascii_digit).count();
            (digits > 0 && sgr[digits..].starts_with('m')).then_some(3 + digits)
        } else if let Some(osc) = after.strip_prefix("\x1b]8;;") {
            osc.find("\x1b\\").and_then(|end| {
                let url = &osc[..end];
                // Asked of the markdown renderer as a link. `&`, `<`, `>` and `\` are
                // percent-encoded so that the probe is one pointy destination with no character
                // reference or backslash escape in it (`<` and `>` survive in an opaque path
                // such as `mailto:`'s). Encoding them does not change trust: scheme, host and
                // port stay the same and no policy prefix used here contains them.
                let probe = format!(
                    "[x](<{}>)",
                    url.replace('&', "%26")
                        .replace('<', "%3C")
                        .replace('>', "%3E")
                        .replace('\\', "%5C")
                );
                let trusted = url.is_empty()
                    || (url.bytes().all(|b| (0x21..0x7f).contains(&b))
                        && sanitizer
                            .render_markdown(&probe)
                            .is_ok_and(|r| r.html.contains("<a href=")));
                trusted.then_some(7 + end)
            })
        } else {
            None
        };
        match len {
            Some(n) => rest = &after[n..],
            None => panic!(
                "escape not written by safemark: {:?}\ninput: {input:?}",
                &after[..after.len().min(40)]
            ),
        }
    }
}

fn is_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// For each clickable link, in order: its href and the text of the host span right after it.
pub fn links_and_suffixes(html: &str) -> Vec<(String, Option<String>)> {
    let parsed = parse(html);
    let mut parents = vec![parsed.root.clone()];
    parents.extend(elements(&parsed.root).into_iter().map(|(_, _, node)| node));
    let mut out = Vec::new();
    for parent in parents {
        let kids = parent.children.borrow();
        for (i, kid) in kids.iter().enumerate() {
            let NodeData::Element { name, attrs, .. } = &kid.data else {
                continue;
            };
            if &*name.local != "a" {
                continue;
            }
            let href = attrs
                .borrow()
                .iter()
                .find(|a| &*a.name.local == "href")
                .map(|a| a.value.to_string());
            let suffix = kids.get(i + 1).filter(|next| match &next.data {
                NodeData::Element { name, attrs, .. } => {
                    &*name.local == "span"
                        && attrs
                            .borrow()
                            .iter()
                            .any(|a| &*a.name.local == "class" && &*a.value == "safemark-link-host")
                }
                _ => false,
            });
            out.push((href.unwrap_or_default(), suffix.map(text)));
        }
    }
    out
}

/// Where `shown` (committed + tail) differs from the batch render of `input` in a block before
/// the input's last top-level block: healing may change only the last block (a closer written
/// into an earlier block's line is a change the final answer does not have). The blocks
/// before are rendered after the input's reference definitions (which may resolve a
/// reference before them), and compared as their elements and text. Not read when the input
/// has raw HTML as markdown parses it and the policy sanitizes it (a block group is rendered
/// whole; a `<` in text, in code or in an autolink is read, and raw HTML shown as text), a
/// footnote (its notes come at the end) or a definition that reaches its end (it may still be
/// arriving).
pub fn earlier_blocks_differ(
    sanitizer: &safemark::Sanitizer,
    shown: &str,
    input: &str,
) -> Option<String> {
    use pulldown_cmark::{Event, Options, Parser};
    if input.contains("[^") {
        return None;
    }
    // As safemark parses: a bare CR (one not before a LF) is a line feed, with the
    // extensions it enables.
    let input: &String = &input
        .char_indices()
        .map(
            |(i, c)| match c == '\r' && input.as_bytes().get(i + 1) != Some(&b'\n') {
                true => '\n',
                false => c,
            },
        )
        .collect();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    // Raw HTML shown as text is in markdown's blocks, as any text.
    let escaped = sanitizer.policy().raw_html == safemark::RawHtml::Escape;
    let mut depth = 0usize;
    let mut last = 0;
    let mut parser = Parser::new_ext(input, options).into_offset_iter();
    for (event, range) in parser.by_ref() {
        match event {
            Event::Start(_) => {
                if depth == 0 {
                    last = range.start;
                }
                depth += 1;
            }
            Event::End(_) => depth -= 1,
            Event::Html(_) | Event::InlineHtml(_) if !escaped => return None,
            _ if depth == 0 => last = range.start,
            _ => {}
        }
    }
    // A definition at the end may still be arriving (healing hides it, and a reference it
    // would resolve shows as text until it is complete).
    let defined = parser.reference_definitions();
    if defined
        .iter()
        .any(|(_, d)| d.span.end >= input.trim_end().len())
    {
        return None;
    }
    // The destination as the parser decoded it, written back so that it reads the same: an
    // `&` escaped (`&amp;amp;` was decoded once), a line break as a character reference (a
    // destination in `<>` holds none; `&NewLine;` decodes to one: found by the `stream`
    // fuzz target).
    let escape = |d: &str| {
        d.replace('\\', "\\\\")
            .replace('<', "\\<")
            .replace('>', "\\>")
            .replace('&', "\\&")
            .replace('\n', "&#10;")
            .replace('\r', "&#13;")
    };
    let definitions: String = defined
        .iter()
        .map(|(label, d)| format!("[{label}]: <{}>\n\n", escape(&d.dest)))
        .collect();
    let before = sanitizer
        .render_markdown(&format!("{definitions}{}", &input[..last]))
        .unwrap()
        .html;
    // `<wbr>` breaks text over 2 KB from where its render starts, which differs between the
    // two: it is invisible, and left out of both.
    let want = blocks(&before.replace("<wbr>", ""));
    let got = blocks(&shown.replace("<wbr>", ""));
    // Raw HTML shown as text is a text node at the top level, which the text of a block after
    // it joins: the last block wanted may be the start of the one shown.
    let same = match want.split_last() {
        None => true,
        Some((last, before)) => {
            let shown = got.get(before.len()).map_or("", String::as_str);
            before.iter().zip(&got).all(|(w, g)| w == g)
                && (shown == last || (last.starts_with(TEXT) && shown.starts_with(last.as_str())))
        }
    };
    (!same).then(|| format!("want {want:?}, shown {got:?}"))
}

/// What [`blocks`] writes before a top-level text node.
const TEXT: &str = "#text ";

/// The top-level nodes of `html` that are not whitespace, each as its elements' names and
/// its text (a text node's after [`TEXT`]), in document order.
pub fn blocks(html: &str) -> Vec<String> {
    fn write(node: &Handle, out: &mut String) {
        match &node.data {
            NodeData::Element { name, .. } => {
                out.push_str(&format!("<{}>", name.local));
                for child in node.children.borrow().iter() {
                    write(child, out);
                }
                out.push_str("</>");
            }
            NodeData::Text { contents } => out.push_str(&contents.borrow()),
            _ => {}
        }
    }
    let parsed = parse(html);
    let nodes = parsed.root.children.borrow();
    nodes
        .iter()
        .map(|node| {
            let mut out = String::new();
            write(node, &mut out);
            let text = matches!(node.data, NodeData::Text { .. });
            (text, out.trim().to_string())
        })
        .filter(|(_, block)| !block.is_empty())
        .map(|(text, block)| match text {
            true => format!("{TEXT}{block}"),
            false => block,
        })
        .collect()
}

/// How one chunk reaches a stream in [`check_stream`]: the ways a caller can push.
#[derive(Debug, Clone, Copy)]
pub enum Push<'a> {
    /// [`safemark::MarkdownStream::push`]: the tail with every chunk.
    Str(&'a str),
    /// [`safemark::MarkdownStream::push_bytes`]: bytes that may split a character.
    Bytes(&'a [u8]),
    /// [`safemark::MarkdownStream::push_bytes_committed`], then the tail as an edit of the
    /// last one ([`safemark::MarkdownStream::tail_edit`]), as `renderStream` asks once a frame.
    Edit(&'a [u8]),
    /// [`safemark::MarkdownStream::push_bytes_committed`] and no tail: frames that push
    /// several chunks before they draw.
    Quiet(&'a [u8]),
}

/// The pushes of `input` as the `stream` fuzz target makes them, `next(n)` giving a number
/// below `n`: chunks of 1 to 16 bytes, each pushed as bytes, as a string (when it is one),
/// with `push_bytes_committed` then the tail as an edit, or not shown.
pub fn mixed_pushes(input: &[u8], mut next: impl FnMut(u64) -> u64) -> Vec<Push<'_>> {
    let mut pushes = Vec::new();
    let mut at = 0;
    while at < input.len() {
        let end = (at + 1 + next(16) as usize).min(input.len());
        let piece = &input[at..end];
        pushes.push(match next(4) {
            0 => Push::Bytes(piece),
            1 => Push::Edit(piece),
            2 => Push::Quiet(piece),
            _ => match std::str::from_utf8(piece) {
                Ok(s) => Push::Str(s),
                Err(_) => Push::Bytes(piece),
            },
        });
        at = end;
    }
    pushes
}

/// The stream oracle, for the property tests and the `stream` fuzz target: `pushes` through a
/// stream of `sanitizer`. After every push that shows a tail, what a reader sees (committed +
/// tail) has no violation by this file's rules (when `trusted` is known) and none by
/// `safemark::audit`; the tail asked for again is the same (a tail given as an edit, the
/// tail `tail()` returns); every block before the input's last is shown as the batch render
/// shows it ([`earlier_blocks_differ`]); `each_tail`
/// (the fuzz target's comparison with the tail rendered whole) accepts it. At `finish`,
/// everything committed is byte for byte the batch render of `input` (the pushes' bytes, read
/// as `push_bytes` reads them), with the same findings.
pub fn check_stream(
    sanitizer: &safemark::Sanitizer,
    trusted: Option<&Trusted>,
    input: &str,
    pushes: &[Push<'_>],
    mut each_tail: impl FnMut(&mut safemark::MarkdownStream, &str) -> Result<(), String>,
) -> Result<(), String> {
    let batch = sanitizer
        .render_markdown(input)
        .map_err(|e| format!("batch: error {e}"))?;
    let mut stream = sanitizer.stream();
    let mut committed = String::new();
    let mut findings = Vec::new();
    let mut tail = String::new();
    for push in pushes {
        let (update, shown) = match *push {
            Push::Str(s) => (stream.push(s), true),
            Push::Bytes(b) => (stream.push_bytes(b), true),
            Push::Edit(b) | Push::Quiet(b) => (
                stream.push_bytes_committed(b),
                matches!(push, Push::Edit(_)),
            ),
        };
        let update = update.map_err(|e| format!("push: error {e}"))?;
        committed.push_str(&update.committed);
        findings.extend(update.findings);
        if !shown {
            continue;
        }
        match push {
            Push::Edit(_) => {
                let edit = stream.tail_edit();
                if !edit.apply(&mut tail) {
                    return Err(format!(
                        "tail edit {edit:?} does not apply to {tail:?}\n  input: {:?}",
                        stream.input()
                    ));
                }
                // Without `<wbr>`, as below: the edits append to a tail that the render
                // asked for here starts again.
                let whole = stream.tail();
                if whole.replace("<wbr>", "") != tail.replace("<wbr>", "") {
                    return Err(format!(
                        "tail edit gives {tail:?}, tail() {whole:?}\n  input: {:?}\n  pushes: {pushes:?}",
                        stream.input()
                    ));
                }
            }
            _ => {
                tail = update.tail;
                // The tail is a function of the input: asked for again, it is the same, but
                // for `<wbr>`, which breaks text over 2 KB counted from where a render starts
                // (a tail with text appended and the same tail rendered again count from
                // different places; found by the `stream` fuzz target in a long code block).
                let again = stream.tail();
                if again.replace("<wbr>", "") != tail.replace("<wbr>", "") {
                    return Err(format!(
                        "tail asked again differs: {again:?}, was {tail:?}\n  input: {:?}\n  pushes: {pushes:?}",
                        stream.input()
                    ));
                }
            }
        }
        let state = format!("{committed}{tail}");
        let v = trusted.map(|t| violations(&state, t)).unwrap_or_default();
        let audited = safemark::audit(&state, sanitizer.policy());
        if !v.is_empty() || !audited.is_empty() {
            return Err(format!(
                "unsafe state: {v:?} {audited:?}\n  input so far: {:?}\n  shown: {state}",
                stream.input()
            ));
        }
        if let Some(diff) = earlier_blocks_differ(sanitizer, &state, stream.input()) {
            return Err(format!(
                "healing changed a block before the last\n  input so far: {:?}\n  {diff}\n  pushes: {pushes:?}",
                stream.input()
            ));
        }
        each_tail(&mut stream, &tail)?;
    }
    let update = stream.finish().map_err(|e| format!("finish: error {e}"))?;
    committed.push_str(&update.committed);
    findings.extend(update.findings);
    if committed != batch.html {
        return Err(format!(
            "committed differs from batch\n  input: {input:?}\n  pushes: {pushes:?}\n  stream: {committed:?}\n  batch:  {:?}",
            batch.html
        ));
    }
    if findings != batch.findings {
        return Err(format!(
            "findings differ\n  input: {input:?}\n  stream: {findings:?}\n  batch:  {:?}",
            batch.findings
        ));
    }
    Ok(())
}
