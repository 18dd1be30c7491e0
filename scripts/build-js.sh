#!/usr/bin/env bash
# Builds the npm package into pkg-js/dist: the wasm core (wasm32 target, wasm-bindgen CLI at
# the crate's exact version, wasm-opt from the npm binaryen package) and the hand-written JS
# and types from pkg-js/src. Generated files are not committed.
#   bash scripts/build-js.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh wasm

profile=${WASM_PROFILE:-wasm}
cargo build -q --profile "$profile" --target wasm32-unknown-unknown -p safemark-wasm

out=pkg-js/dist
rm -rf "$out"
mkdir -p "$out/wasm"
# --experimental-reset-state-function: the glue exports __wbg_reset_state, which the JS layer
# calls after a call was unwound (a trap) to start again from a fresh instance.
wasm-bindgen --target web --no-typescript --experimental-reset-state-function --out-dir "$out/wasm" \
  "target/wasm32-unknown-unknown/$profile/safemark_wasm.wasm"
pkg-js/node_modules/.bin/wasm-opt "-${WASM_OPT_LEVEL:-Oz}" --strip-debug --strip-producers \
  --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
  "$out/wasm/safemark_wasm_bg.wasm" -o "$out/wasm/safemark_wasm_bg.wasm"
cp pkg-js/src/safemark.js pkg-js/src/node.js pkg-js/src/safemark.d.ts "$out/"
cp LICENSE-MIT LICENSE-APACHE pkg-js/

size() {
  local brotli
  brotli=$(node -e 'const z=require("zlib");process.stdout.write(String(z.brotliCompressSync(require("fs").readFileSync(process.argv[1])).length))' "$2")
  printf '%s: %s bytes raw, %s gzip, %s brotli\n' "$1" "$(wc -c <"$2")" "$(gzip -9c "$2" | wc -c)" "$brotli"
}
echo "built pkg-js/dist ($profile profile)"
size "wasm" "$out/wasm/safemark_wasm_bg.wasm"
cat "$out/safemark.js" "$out/wasm/safemark_wasm.js" >"$out/.browser-js"
size "js (safemark.js + glue)" "$out/.browser-js"
rm "$out/.browser-js"
