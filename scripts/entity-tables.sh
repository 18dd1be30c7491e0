#!/usr/bin/env bash
# What the two named-character-reference tables the npm package cannot leave out cost, built
# as the package is built (wasm32, opt-level "z", LTO, wasm-opt -Oz), each in a probe of its
# own that does one lookup (so the table is linked) against one that does none:
#   - html5ever's (`web_atoms::NAMED_ENTITIES`: every entity name and every prefix of one, which
#     its tokenizer reads a reference with), in the full entry only;
#   - pulldown-cmark's (`ENTITIES`, private to the crate: its source is copied into the probe),
#     in every entry.
# The versions are the ones wasm/Cargo.lock pins. For pkg-js/README.md's size section.
#   bash scripts/entity-tables.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh wasm >/dev/null
version() { cargo pkgid --manifest-path wasm/Cargo.toml -p "$1" | sed 's/.*[@#]//'; }
atoms=$(version web_atoms)
cmark=$(version pulldown-cmark)
cmark_src=$(cargo metadata --format-version 1 --manifest-path wasm/Cargo.toml |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const p=JSON.parse(s).packages.find(p=>p.name==="pulldown-cmark"&&p.version===process.argv[1]);console.log(require("path").dirname(p.manifest_path))})' "$cmark")

dir=target/entity-probe
rm -rf "$dir" && mkdir -p "$dir/src"
cat >"$dir/Cargo.toml" <<EOF
[package]
name = "entity-probe"
version = "0.0.0"
edition = "2021"
publish = false

[lib]
crate-type = ["cdylib"]
path = "src/lib.rs"

[dependencies]
web_atoms = "=$atoms"

[features]
html5ever = []
pulldown = []

[profile.release]
opt-level = "z"
lto = true
codegen-units = 1
panic = "abort"

[workspace]
EOF
sed -n '/^const ENTITIES/,$p' "$cmark_src/src/entities.rs" | sed 's/pub(crate) fn/pub fn/' >"$dir/src/pulldown.rs"
cat >"$dir/src/lib.rs" <<'EOF'
#![allow(clippy::all, unreachable_code)]
#[cfg(feature = "pulldown")]
mod pulldown;

/// One lookup of the name at `p..p + n` (none without a feature).
#[no_mangle]
pub extern "C" fn probe(p: *const u8, n: usize) -> u32 {
    let name = unsafe { core::slice::from_raw_parts(p, n) };
    #[cfg(feature = "html5ever")]
    return core::str::from_utf8(name)
        .ok()
        .and_then(|s| web_atoms::NAMED_ENTITIES.get(s))
        .map_or(0, |v| v.0);
    #[cfg(feature = "pulldown")]
    return pulldown::get_entity(name).map_or(0, |v| v.len() as u32);
    name.len() as u32
}
EOF
measure() { # <label> <cargo feature flags...>
  local label=$1
  shift
  (cd "$dir" && cargo build -q --release --target wasm32-unknown-unknown "$@")
  pkg-js/node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
    "$dir/target/wasm32-unknown-unknown/release/entity_probe.wasm" -o "$dir/probe.wasm"
  node -e 'const z=require("zlib"),b=require("fs").readFileSync(process.argv[1]);
    console.log(process.argv[2].padEnd(44), String(b.length).padStart(8), "raw",
      String(z.gzipSync(b,{level:9}).length).padStart(7), "gzip",
      String(z.brotliCompressSync(b).length).padStart(7), "brotli")' "$dir/probe.wasm" "$label"
}
measure "no table (the probe alone)"
measure "html5ever's (web_atoms $atoms)" --features html5ever
measure "pulldown-cmark's ($cmark)" --features pulldown
