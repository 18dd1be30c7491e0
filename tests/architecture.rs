//! The shape the README's Architecture section promises, checked on the source itself: the
//! modules' imports form no cycle (dependency arrows point one way), no module is over 600
//! lines of code (tests and comments aside), and no function is over 80 lines unless its doc
//! comment says why ("Long on purpose").

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "bin") {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every module of the crate (`html::walk` for `src/html/walk.rs`) and its source without the
/// tests at its end.
fn modules() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut modules = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap().with_extension("");
        let name = rel
            .to_string_lossy()
            .replace('\\', "/")
            .trim_end_matches("/mod")
            .replace('/', "::");
        if name == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = match text.find("#[cfg(test)]\nmod tests") {
            Some(at) => text[..at].to_string(),
            None => text,
        };
        modules.insert(name, code);
    }
    modules
}

/// Lines that are code, not comments or blank.
fn code_lines(code: &str) -> impl Iterator<Item = &str> {
    code.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with("//"))
}

/// The modules `name` imports (`crate::x`, `super::y` for a sibling), by name.
fn imports(name: &str, code: &str, all: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let parent = name.rsplit_once("::").map(|(p, _)| p);
    for line in code_lines(code) {
        for (prefix, base) in [("crate::", None), ("super::", parent)] {
            let mut rest = line;
            while let Some(at) = rest.find(prefix) {
                rest = &rest[at + prefix.len()..];
                let ident: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                let target = match base {
                    Some(p) => format!("{p}::{ident}"),
                    None => ident,
                };
                if all.contains(&target) && target != name {
                    out.insert(target);
                }
            }
        }
    }
    out
}

#[test]
fn module_imports_form_no_cycle() {
    let modules = modules();
    let names: BTreeSet<String> = modules.keys().cloned().collect();
    // Top-level modules for the crate, submodules within their parent.
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, code) in &modules {
        let top = |n: &str| n.split("::").next().unwrap().to_string();
        for target in imports(name, code, &names) {
            let (from, to) = if name.contains("::") && top(&target) == top(name) {
                (name.clone(), target.clone())
            } else {
                (top(name), top(&target))
            };
            if from != to {
                graph.entry(from).or_default().insert(to);
            }
        }
    }
    assert!(graph.len() > 15, "{graph:?}");
    // Depth-first search for a back edge.
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            let mut cycle = path[i..].to_vec();
            cycle.push(n.to_string());
            return Some(cycle);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for next in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for n in graph.keys() {
        if let Some(cycle) = visit(n, &graph, &mut Vec::new(), &mut done) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn modules_and_functions_stay_small() {
    let mut over = Vec::new();
    for (name, code) in modules() {
        let lines = code_lines(&code).count();
        // The allowlist and the oracle's tables are data.
        if lines > 600 {
            over.push(format!("module {name}: {lines} lines of code"));
        }
        let all: Vec<&str> = code.lines().collect();
        for (i, line) in all.iter().enumerate() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            let is_fn = ["fn ", "pub fn ", "pub(crate) fn ", "pub(super) fn "]
                .iter()
                .any(|p| trimmed.starts_with(p));
            if !is_fn || line.trim_end().ends_with(';') {
                continue;
            }
            let close = " ".repeat(indent) + "}";
            let Some(len) = all[i + 1..]
                .iter()
                .position(|l| l.starts_with(&close) && l.len() - l.trim_start().len() == indent)
            else {
                continue;
            };
            let mut doc: Vec<&str> = all[..i]
                .iter()
                .rev()
                .take_while(|l| {
                    l.trim_start().starts_with("///") || l.trim_start().starts_with("#[")
                })
                .map(|l| l.trim_start().trim_start_matches("///").trim())
                .collect();
            doc.reverse();
            let doc = doc.join(" ");
            if len + 2 > 80 && !doc.contains("Long on purpose") {
                over.push(format!("fn {name}::{}: {} lines", trimmed, len + 2));
            }
        }
    }
    assert!(over.is_empty(), "{over:#?}");
}
