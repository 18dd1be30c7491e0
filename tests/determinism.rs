//! Deterministic output: identical input and policy give byte-identical output and findings in
//! every run, in separate processes (each with its own hash map seeds), and natively and in
//! the npm package.
//!
//! Every corpus document (safemark's vectors, the peers' XSS vectors, the CommonMark and GFM
//! examples) is rendered under each test policy in each mode. The test binary runs itself twice
//! as a child process and byte-compares the children's renderings with its own. It also writes
//! them to `target/determinism/native.json`, which the npm package's node tests render again
//! with the wasm build and compare byte for byte (`pkg-js/test/node.test.js`).
// Raw HTML sanitized (and `safemark::audit`): the `html` feature. `tests/lite.rs` covers
// the build without it.
#![cfg(feature = "html")]

mod common;

use std::path::PathBuf;
use std::process::Command;

use serde::{Deserialize, Serialize};

const CHILD_ENV: &str = "SAFEMARK_DETERMINISM_OUT";

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Rendering {
    policy: String,
    /// The policy as JSON, for the npm package's comparison.
    policy_json: String,
    mode: String,
    input: String,
    /// The HTML (or terminal text); an error's message when rendering failed.
    output: String,
    /// The findings, as JSON.
    findings: String,
}

/// Every corpus document.
fn documents() -> Vec<String> {
    let read = |path: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap()
    };
    let mut docs = Vec::new();
    let vectors = read("tests/corpus/vectors.json");
    for case in vectors["cases"].as_array().unwrap() {
        docs.push(case["input"].as_str().unwrap().to_string());
    }
    for v in read("tests/corpora/peer_vectors.json").as_array().unwrap() {
        docs.push(v["input"].as_str().unwrap().to_string());
    }
    for file in [
        "tests/corpora/commonmark_spec.json",
        "tests/corpora/gfm_extensions.json",
    ] {
        for v in read(file).as_array().unwrap() {
            docs.push(v["markdown"].as_str().unwrap().to_string());
        }
    }
    docs
}

/// Renders every document under every test policy in every mode.
fn render_all() -> Vec<Rendering> {
    let mut out = Vec::new();
    for policy in ["default", "allowlist", "confirm"] {
        let s = common::sanitizer_for(policy);
        for input in documents() {
            for mode in ["markdown", "html", "terminal"] {
                let (output, findings) = match mode {
                    "markdown" => split(s.render_markdown(&input)),
                    "html" => split(s.sanitize_html(&input)),
                    _ => match s.render_terminal(&input, safemark::TerminalOptions::styled()) {
                        Ok(t) => (t.text, serde_json::to_string(&t.findings).unwrap()),
                        Err(e) => (e.to_string(), String::new()),
                    },
                };
                out.push(Rendering {
                    policy: policy.to_string(),
                    policy_json: s.policy().to_json(),
                    mode: mode.to_string(),
                    input: input.clone(),
                    output,
                    findings,
                });
            }
        }
    }
    out
}

fn split(r: Result<safemark::Rendered, safemark::Error>) -> (String, String) {
    match r {
        Ok(r) => (r.html, serde_json::to_string(&r.findings).unwrap()),
        Err(e) => (e.to_string(), String::new()),
    }
}

/// Run as a child process: writes the renderings to the file the parent names.
#[test]
fn determinism_child() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return; // Only meaningful as a child of `output_is_identical_across_processes`.
    };
    std::fs::write(path, serde_json::to_vec(&render_all()).unwrap()).unwrap();
}

#[test]
fn output_is_identical_across_processes() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("determinism");
    std::fs::create_dir_all(&dir).unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut runs = Vec::new();
    for i in 0..2 {
        let path = dir.join(format!("child-{i}.json"));
        let status = Command::new(&exe)
            .args(["determinism_child", "--exact", "--test-threads", "1"])
            .env(CHILD_ENV, &path)
            .status()
            .unwrap();
        assert!(status.success(), "child {i} failed");
        let text = std::fs::read(&path).unwrap();
        let rendered: Vec<Rendering> = serde_json::from_slice(&text).unwrap();
        runs.push(rendered);
    }
    let here = render_all();
    assert!(here.len() > 3000, "only {} renderings", here.len());
    for run in &runs {
        assert_eq!(run.len(), here.len());
        for (a, b) in run.iter().zip(&here) {
            assert_eq!(a, b, "output differs between processes");
        }
    }
    // For the npm package's comparison of wasm with native (pkg-js/test/node.test.js).
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/determinism");
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::write(
        shared.join("native.json"),
        serde_json::to_vec(&here).unwrap(),
    )
    .unwrap();
}
