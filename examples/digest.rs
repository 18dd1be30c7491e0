//! Renders every document of the test corpora and the fuzz seeds under every fuzz policy, on
//! every surface (markdown batch, markdown streamed with its tails, terminal plain and styled,
//! HTML), and prints one line per render: its name and a hash of the output and findings.
//!
//! Two builds that print the same lines render every document identically: this is how a
//! refactoring shows it changed no behaviour (`scripts/same-output.sh REV` compares the working
//! tree with a revision).
//!
//! ```text
//! cargo run --release --example digest > after.txt
//! ```

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;

use safemark::{Policy, Sanitizer, TerminalOptions};

fn hash(parts: &[&str]) -> u64 {
    let mut h = DefaultHasher::new();
    for p in parts {
        p.hash(&mut h);
    }
    h.finish()
}

fn documents(root: &Path) -> Vec<(String, String)> {
    let mut docs = Vec::new();
    let json = |p: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(root.join(p)).expect(p)).expect(p)
    };
    for file in [
        "tests/corpora/commonmark_spec.json",
        "tests/corpora/gfm_spec.json",
        "tests/corpora/gfm_extensions.json",
        "tests/corpora/gfm_extensions_tests.json",
    ] {
        for (i, case) in json(file).as_array().unwrap().iter().enumerate() {
            docs.push((
                format!("{file}#{i}"),
                case["markdown"].as_str().unwrap().to_string(),
            ));
        }
    }
    for (i, case) in json("tests/corpora/peer_vectors.json")
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        docs.push((
            format!("peer_vectors#{i}"),
            case["input"].as_str().unwrap_or_default().to_string(),
        ));
    }
    for (i, case) in json("tests/corpus/vectors.json")["cases"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        docs.push((
            format!("vectors#{i}"),
            case["input"].as_str().unwrap_or_default().to_string(),
        ));
    }
    let mut dirs = vec![
        root.join("fuzz/seeds/documents"),
        root.join("fuzz/regressions/markdown"),
        root.join("fuzz/regressions/html"),
        root.join("fuzz/regressions/terminal"),
    ];
    dirs.retain(|d| d.is_dir());
    for dir in dirs {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f).unwrap();
            docs.push((
                f.strip_prefix(root).unwrap().display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    for f in ["examples/answer.md", "fuzz/hostile.md"] {
        docs.push((
            f.to_string(),
            std::fs::read_to_string(root.join(f)).unwrap(),
        ));
    }
    docs
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let policies: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(root.join("fuzz/policies.json")).unwrap())
            .unwrap();
    let mut policies: Vec<Policy> = policies
        .iter()
        .map(|p| serde_json::from_value(p.clone()).unwrap())
        .collect();
    policies.push(Policy::from_json(r#"{"limits": {"max_nesting": 2}}"#).unwrap());
    policies.push(
        Policy::from_json(
            r#"{"links": {"allow": ["*"], "untrusted": "text"}, "images": {"allow": ["*"]}}"#,
        )
        .unwrap(),
    );
    let docs = documents(root);
    for (p, policy) in policies.into_iter().enumerate() {
        let s = Sanitizer::new(policy).unwrap();
        for (name, doc) in &docs {
            let line = |mode: &str, h: u64| println!("{name}\tp{p}\t{mode}\t{h:016x}");
            let fmt = |r: Result<safemark::Rendered, safemark::Error>| match r {
                Ok(r) => format!("{}\u{0}{:?}", r.html, r.findings),
                Err(e) => format!("error {e}"),
            };
            line("markdown", hash(&[&fmt(s.render_markdown(doc))]));
            line("html", hash(&[&fmt(s.sanitize_html(doc))]));
            for (mode, options) in [
                ("terminal", TerminalOptions::plain()),
                ("terminal-styled", TerminalOptions::styled()),
            ] {
                // Text and findings apart: a change to one shows which.
                let (text, findings) = match s.render_terminal(doc, options) {
                    Ok(t) => (t.text, format!("{:?}", t.findings)),
                    Err(e) => (format!("error {e}"), String::new()),
                };
                line(&format!("{mode}-text"), hash(&[&text]));
                line(&format!("{mode}-findings"), hash(&[&findings]));
            }
            // Streamed in 7-byte pieces (on character boundaries), every tail included.
            let mut stream = s.stream();
            let mut parts = Vec::new();
            let mut at = 0;
            while at < doc.len() {
                let mut end = (at + 7).min(doc.len());
                while !doc.is_char_boundary(end) {
                    end += 1;
                }
                match stream.push(&doc[at..end]) {
                    Ok(u) => parts.push(format!(
                        "{}\u{1}{}\u{1}{:?}",
                        u.committed, u.tail, u.findings
                    )),
                    Err(e) => parts.push(format!("error {e}")),
                }
                at = end;
            }
            match stream.finish() {
                Ok(u) => parts.push(format!("{}\u{1}{:?}", u.committed, u.findings)),
                Err(e) => parts.push(format!("error {e}")),
            }
            line("stream", hash(&[&parts.join("\u{2}")]));
        }
    }
}
