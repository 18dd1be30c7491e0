//! The npm package's wasm builds over two vendored crates (patched in by wasm/Cargo.toml):
//! `web_atoms` (html5ever's atoms and named character references, wasm/vendor/web_atoms) and
//! `pulldown-cmark` (wasm/vendor/pulldown-cmark), copies of the published crates in which
//! the table of named character references is written differently, and pulldown-cmark's
//! options that safemark never sets are compiled out (VENDORED.md in each). These tests hold
//! each copy to that: every file but the ones that write and read the table is byte for byte
//! the published crate's (the one this workspace builds natively, from the registry, at the
//! same version), or, for the three files that read pulldown-cmark's options, the published
//! crate's with its options read by `has`; and the wasm workspace's lockfile takes the copy,
//! not the registry's (a new html5ever asking for another `web_atoms` would drop the patch
//! silently).
//! The tables are held to upstream's answers by the copies' own tests (web_atoms: every key
//! and every next character; pulldown-cmark's, compiled here: every name and prefix and every
//! next letter or digit) and by `pkg-js/test/entities.test.js` (every reference, package
//! against this CLI).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A copy of a published crate in the wasm workspace.
struct Vendored {
    /// Where the copy is.
    dir: &'static str,
    /// The crate, as the native build takes it from the registry (the same version).
    name: &'static str,
    /// The copy's own files, which the published crate does not have.
    ours: &'static [&'static str],
    /// The files the copy changes.
    changed: &'static [&'static str],
    /// The files that are the published crate's with every `.contains(Options::` read as
    /// `.has(Options::` (pulldown-cmark: the options safemark never sets compiled out), one
    /// of them followed by the block that defines `has`, which starts with `// safemark:`.
    options_read_by_has: &'static [&'static str],
}

const VENDORED: &[Vendored] = &[
    Vendored {
        dir: "wasm/vendor/web_atoms",
        name: "web_atoms",
        ours: &["VENDORED.md"],
        changed: &["build.rs", "lib.rs"],
        options_read_by_has: &[],
    },
    Vendored {
        dir: "wasm/vendor/pulldown-cmark",
        name: "pulldown-cmark",
        ours: &["VENDORED.md"],
        changed: &["src/entities.rs"],
        options_read_by_has: &["src/firstpass.rs", "src/lib.rs", "src/parse.rs"],
    },
];

/// What cargo adds when it unpacks a crate, not part of it.
const UNPACKED: &[&str] = &[".cargo-ok", "Cargo.lock"];

/// The version of a vendored copy, from its manifest.
fn version_of(copy: &Path) -> String {
    let manifest = std::fs::read_to_string(copy.join("Cargo.toml")).unwrap();
    let line = manifest
        .lines()
        .find(|l| l.starts_with("version = "))
        .expect("the manifest has a version");
    line.trim_start_matches("version = ")
        .trim_matches('"')
        .to_string()
}

/// The published crate `name` this workspace builds natively, as cargo unpacked it: the same
/// version as the copy (a new version in Cargo.lock needs the copy made again).
fn upstream(name: &str, version: &str) -> PathBuf {
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let package = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("the native build depends on {name}"));
    assert_eq!(
        package["version"], version,
        "the vendored {name} is {version}: make the copy again from the new version"
    );
    let manifest = package["manifest_path"].as_str().unwrap();
    Path::new(manifest).parent().unwrap().to_path_buf()
}

/// Every file under `dir`, as paths relative to it with `/` between their parts, sorted.
fn files(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = format!("{prefix}{}", entry.file_name().into_string().unwrap());
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &format!("{name}/"), out);
            } else {
                out.push(name);
            }
        }
    }
    let mut names = Vec::new();
    walk(dir, "", &mut names);
    names.sort();
    names
}

#[test]
fn each_vendored_crate_is_the_published_crate_but_its_change() {
    for vendored in VENDORED {
        let copy = Path::new(env!("CARGO_MANIFEST_DIR")).join(vendored.dir);
        let upstream = upstream(vendored.name, &version_of(&copy));
        let theirs: Vec<String> = files(&upstream)
            .into_iter()
            .filter(|f| !UNPACKED.contains(&f.as_str()))
            .collect();
        let mut expected: Vec<String> = theirs.clone();
        expected.extend(vendored.ours.iter().map(|s| s.to_string()));
        expected.sort();
        assert_eq!(
            files(&copy),
            expected,
            "{} has the published crate's files",
            vendored.dir
        );
        let mut same = 0;
        let mut defines_has = false;
        for name in &theirs {
            let a = std::fs::read(upstream.join(name)).unwrap();
            let b = std::fs::read(copy.join(name)).unwrap();
            if vendored.changed.contains(&name.as_str()) {
                assert_ne!(a, b, "{name} is the copy's change");
            } else if vendored.options_read_by_has.contains(&name.as_str()) {
                let (a, b) = (String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap());
                let read = a.replace(".contains(Options::", ".has(Options::");
                assert_ne!(read, a, "{name} reads options");
                let added = b.strip_prefix(read.as_str()).unwrap_or_else(|| {
                    panic!(
                        "{}/{name} is the published crate's, options read by `has`",
                        vendored.dir
                    )
                });
                assert!(
                    added.is_empty() || added.starts_with("\n// safemark:"),
                    "{}/{name} adds {added:?}",
                    vendored.dir
                );
                defines_has |= !added.is_empty();
            } else {
                assert!(
                    a == b,
                    "{}/{name} differs from the published crate's",
                    vendored.dir
                );
                same += 1;
            }
        }
        assert!(same >= 6, "{same} files compared");
        assert_eq!(defines_has, !vendored.options_read_by_has.is_empty());
    }
}

#[test]
fn the_wasm_lockfile_takes_the_vendored_copies() {
    let lock =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("wasm/Cargo.lock"))
            .unwrap();
    for vendored in VENDORED {
        let copy = Path::new(env!("CARGO_MANIFEST_DIR")).join(vendored.dir);
        let block = lock
            .split("[[package]]")
            .find(|b| b.contains(&format!("name = \"{}\"\n", vendored.name)))
            .unwrap_or_else(|| panic!("the wasm depends on {}", vendored.name));
        assert!(
            block.contains(&format!("version = \"{}\"", version_of(&copy))),
            "{block}"
        );
        assert!(
            !block.contains("source = "),
            "wasm/Cargo.lock takes {} from the registry, not the vendored copy:{block}",
            vendored.name
        );
    }
}

/// The vendored pulldown-cmark's table of named character references, compiled here with its
/// own test (`packed::packed_table_answers_as_the_array`: the packed table answers as
/// upstream's array, which the file keeps, for every string the parser can ask).
// Upstream's array is a `const`, read while compiling; so is the table made of it.
#[allow(clippy::large_const_arrays)]
#[path = "../wasm/vendor/pulldown-cmark/src/entities.rs"]
mod pulldown_cmark_entities;
