//! The npm package's wasm builds html5ever over a vendored copy of `web_atoms`
//! (wasm/vendor/web_atoms, patched in by wasm/Cargo.toml): a copy of the published crate in
//! which only the table of named character references is written differently
//! (VENDORED.md there). These tests hold the copy to that: every file but the two that write
//! and read the table is byte for byte the published crate's (the one this workspace builds
//! natively, from the registry), and the wasm workspace's lockfile takes the copy, not the
//! registry's (a new html5ever asking for another `web_atoms` would drop the patch silently).
//! The table itself is held to upstream's answers by the copy's own test (every key and every
//! next character) and by `pkg-js/test/entities.test.js` (every reference, package against
//! this CLI).

use std::path::{Path, PathBuf};
use std::process::Command;

const VENDORED: &str = "wasm/vendor/web_atoms";
/// The copy's own files, and the two it changes.
const OURS: &[&str] = &["VENDORED.md"];
const CHANGED: &[&str] = &["build.rs", "lib.rs"];
/// What cargo adds when it unpacks a crate, not part of it.
const UNPACKED: &[&str] = &[".cargo-ok", "Cargo.lock"];

/// The published `web_atoms` this workspace builds, as cargo unpacked it.
fn upstream() -> PathBuf {
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
        .find(|p| p["name"] == "web_atoms")
        .expect("html5ever depends on web_atoms");
    assert_eq!(
        package["version"], "0.3.0",
        "the copy is of web_atoms 0.3.0"
    );
    let manifest = package["manifest_path"].as_str().unwrap();
    Path::new(manifest).parent().unwrap().to_path_buf()
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn the_vendored_web_atoms_is_the_published_crate_but_its_table() {
    let upstream = upstream();
    let copy = Path::new(env!("CARGO_MANIFEST_DIR")).join(VENDORED);
    let theirs: Vec<String> = files(&upstream)
        .into_iter()
        .filter(|f| !UNPACKED.contains(&f.as_str()))
        .collect();
    let mut expected: Vec<String> = theirs.clone();
    expected.extend(OURS.iter().map(|s| s.to_string()));
    expected.sort();
    assert_eq!(
        files(&copy),
        expected,
        "the copy has the published crate's files"
    );
    let mut same = 0;
    for name in &theirs {
        let a = std::fs::read(upstream.join(name)).unwrap();
        let b = std::fs::read(copy.join(name)).unwrap();
        if CHANGED.contains(&name.as_str()) {
            assert_ne!(a, b, "{name} is the copy's change");
        } else {
            assert!(
                a == b,
                "{VENDORED}/{name} differs from the published crate's"
            );
            same += 1;
        }
    }
    assert!(same >= 6, "{same} files compared");
}

#[test]
fn the_wasm_lockfile_takes_the_vendored_web_atoms() {
    let lock =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("wasm/Cargo.lock"))
            .unwrap();
    let block = lock
        .split("[[package]]")
        .find(|b| b.contains("name = \"web_atoms\""))
        .expect("the wasm's html5ever depends on web_atoms");
    assert!(block.contains("version = \"0.3.0\""), "{block}");
    assert!(
        !block.contains("source = "),
        "wasm/Cargo.lock takes web_atoms from the registry, not the vendored copy:{block}"
    );
}
