//! The build without the `html` feature (`cargo test --no-default-features`): no HTML parser
//! or sanitizer in the crate, raw HTML always shown as text.
//!
//! - a policy asking for `"sanitize"` is refused, naming the feature; the default is
//!   `"escape"`;
//! - every document of the corpora (safemark's vectors, the peers' XSS vectors as markdown and
//!   as HTML, the CommonMark and GFM examples), under the default policy and an allowlist,
//!   renders to HTML that a browser's parser (html5ever, here a test dependency only) reads
//!   as elements of the allowlist only, with no handler, no `style`, and no link or image
//!   the policy does not allow; and every raw tag of the input is shown as text;
//! - streaming equals the batch render, in chunks of 1 and 7 bytes;
//! - `sanitize_html` shows its input as text: no element, the input's characters.
#![cfg(not(feature = "html"))]

use html5ever::tendril::TendrilSink;
use html5ever::{local_name, ns, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use safemark::{Error, Policy, RawHtml, Sanitizer};

/// An element's name and attributes.
type Element = (String, Vec<(String, String)>);

/// The elements and attributes of `html` parsed as a browser's `innerHTML` parses it, and its
/// text.
fn read(html: &str) -> (Vec<Element>, String) {
    let dom = html5ever::driver::parse_fragment(
        RcDom::default(),
        html5ever::driver::ParseOpts::default(),
        QualName::new(None, ns!(html), local_name!("div")),
        Vec::new(),
        false,
    )
    .one(html);
    let (mut elements, mut text) = (Vec::new(), String::new());
    fn walk(node: &Handle, elements: &mut Vec<Element>, text: &mut String) {
        for child in node.children.borrow().iter() {
            match &child.data {
                NodeData::Text { contents } => text.push_str(&contents.borrow()),
                NodeData::Element { name, attrs, .. } => {
                    let attrs = attrs
                        .borrow()
                        .iter()
                        .map(|a| (a.name.local.to_string(), a.value.to_string()))
                        .collect();
                    elements.push((name.local.to_string(), attrs));
                }
                NodeData::Comment { .. } => elements.push(("#comment".into(), Vec::new())),
                _ => {}
            }
            walk(child, elements, text);
        }
    }
    let root = dom.document.children.borrow()[0].clone();
    walk(&root, &mut elements, &mut text);
    (elements, text)
}

fn corpus(path: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every document the corpora hold.
fn documents() -> Vec<String> {
    let mut docs = Vec::new();
    let vectors = corpus("tests/corpus/vectors.json");
    for case in vectors["cases"].as_array().unwrap() {
        docs.push(case["input"].as_str().unwrap().to_string());
    }
    for case in corpus("tests/corpora/peer_vectors.json")
        .as_array()
        .unwrap()
    {
        docs.push(case["input"].as_str().unwrap().to_string());
    }
    for file in [
        "tests/corpora/commonmark_spec.json",
        "tests/corpora/gfm_spec.json",
    ] {
        for case in corpus(file).as_array().unwrap() {
            docs.push(case["markdown"].as_str().unwrap().to_string());
        }
    }
    docs
}

const ALLOWLIST: &str = r#"{
  "links": { "allow": ["https://docs.example.com/", "mailto:"] },
  "images": { "allow": ["https://img.example.com/"] }
}"#;

#[test]
fn sanitize_is_refused_escape_is_the_default() {
    assert_eq!(Policy::default().raw_html, RawHtml::Escape);
    let err = Sanitizer::from_json(r#"{ "raw_html": "sanitize" }"#)
        .err()
        .expect("refused");
    match &err {
        Error::Policy { key, message } => {
            assert_eq!(key, "raw_html");
            assert!(message.contains("`html` feature"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let mut policy = Policy::default();
    policy.raw_html = RawHtml::Sanitize;
    assert!(Sanitizer::new(policy).is_err());
    assert!(Sanitizer::from_json(r#"{ "raw_html": "escape" }"#).is_ok());
}

#[test]
fn every_corpus_document_renders_to_allowlisted_markup_with_raw_html_as_text() {
    let allowed = safemark::html_allowlist::TAGS;
    let mut checked = 0;
    let mut raw_shown = 0;
    for (name, json) in [("default", "{}"), ("allowlist", ALLOWLIST)] {
        let sanitizer = Sanitizer::from_json(json).unwrap();
        for doc in documents() {
            let out = sanitizer.render_markdown(&doc).unwrap();
            let (elements, text) = read(&out.html);
            for (element, attrs) in &elements {
                assert!(
                    allowed.contains(&element.as_str()),
                    "{name}: <{element}> from {doc:?}:\n{}",
                    out.html
                );
                for (attr, value) in attrs {
                    assert!(
                        !attr.starts_with("on") && attr != "style" && attr != "srcset",
                        "{name}: {element}@{attr} from {doc:?}"
                    );
                    if (element == "a" && attr == "href") || (element == "img" && attr == "src") {
                        let trusted = name == "allowlist"
                            && (value.starts_with("https://docs.example.com/")
                                || value.starts_with("mailto:")
                                || value.starts_with("https://img.example.com/"))
                            || value.starts_with('#');
                        assert!(trusted, "{name}: {element} {attr}={value:?} from {doc:?}");
                    }
                }
            }
            // A raw `<script>` starting the input is text a reader sees, never an element.
            if doc.starts_with("<script") {
                assert!(text.contains("<script"), "{name}: {doc:?}\n{}", out.html);
                raw_shown += 1;
            }
            checked += 1;
        }
    }
    println!("{checked} renders checked; a raw <script> shown as text in {raw_shown}");
    assert!(raw_shown > 10, "the corpora have raw script tags to show");
}

#[test]
fn streaming_equals_the_batch_render() {
    let sanitizer = Sanitizer::from_json(ALLOWLIST).unwrap();
    let mut checked = 0;
    for doc in documents() {
        let batch = sanitizer.render_markdown(&doc).unwrap();
        for chunk in [1, 7] {
            let mut stream = sanitizer.stream();
            let mut html = String::new();
            for piece in doc.as_bytes().chunks(chunk) {
                html.push_str(&stream.push_bytes(piece).unwrap().committed);
            }
            html.push_str(&stream.finish().unwrap().committed);
            assert_eq!(html, batch.html, "{doc:?} in {chunk}-byte chunks");
            checked += 1;
        }
    }
    println!("{checked} streams equal to the batch render");
}

#[test]
fn sanitize_html_shows_its_input_as_text() {
    let sanitizer = Sanitizer::from_json("{}").unwrap();
    for case in corpus("tests/corpora/peer_vectors.json")
        .as_array()
        .unwrap()
    {
        let input = case["input"].as_str().unwrap();
        let out = sanitizer.sanitize_html(input).unwrap();
        let (elements, text) = read(&out.html);
        assert!(elements.is_empty(), "{input:?}: {}", out.html);
        // The parser reads a CR as LF and drops NUL: the rest is the input.
        let expected = input
            .replace("\r\n", "\n")
            .replace(['\r'], "\n")
            .replace('\0', "");
        assert_eq!(text, expected.replace('\0', ""), "{input:?}");
    }
}

/// Math works the same without the HTML stage: TeX in math spans, escaped.
#[test]
fn math_without_the_html_stage() {
    let s =
        safemark::Sanitizer::new(safemark::Policy::builder().math(true).build().unwrap()).unwrap();
    let out = s
        .render_markdown("area $\\pi r^2 <b>$ and $$x$$")
        .unwrap()
        .html;
    assert_eq!(
        out,
        "<p>area <span class=\"math math-inline\">\\pi r^2 &lt;b&gt;</span> and <span class=\"math math-display\">x</span></p>\n"
    );
}
