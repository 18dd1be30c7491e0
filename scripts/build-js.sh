#!/usr/bin/env bash
# Builds the npm package into pkg-js/dist: the wasm core (wasm32 target, wasm-bindgen CLI at
# the crate's exact version, wasm-opt from the npm binaryen package) and the hand-written JS
# and types from pkg-js/src. Generated files are not committed.
#   bash scripts/build-js.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh wasm

profile=${WASM_PROFILE:-wasm}
out=pkg-js/dist
rm -rf "$out"
mkdir -p "$out"

# cargo build of the wasm crate with the standard library built again from source with the
# wasm's own profile (nightly's build-std; scripts/setup.sh installs nightly's rust-src),
# sized for size, and a panic that traps at once instead of formatting a message nobody reads
# (the wasm has always aborted on panic; the JS layer resets the instance after a trap).
# Measured: full 465.8 -> 413.5 KB gzip, lite 220.2 -> 189.3 KB (pkg-js/README.md). Its own
# target directory: the flags differ from every other build's.
#   build_std <target dir> <more RUSTFLAGS> <cargo flags...>
build_std() {
  local dir=$1 flags=$2
  shift 2
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort $flags" cargo +nightly build -q \
    --profile "$profile" --target wasm32-unknown-unknown --manifest-path wasm/Cargo.toml \
    --target-dir "$dir" -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size "$@"
}

# wasm-opt's passes (WASM_OPT_LEVEL=O3 builds for speed instead). The two wasm entries also
# go through binaryen's flatten and rereloop (control flow rebuilt from scratch) and the
# level again: full 3.4 KB gzip smaller, lite 1.1 KB, the same speed in node; not the
# nowasm entry, whose JavaScript it makes 2.5x slower (pkg-js/README.md). WASM_OPT_PASSES
# replaces the wasm entries' passes.
level=-${WASM_OPT_LEVEL:-Oz}
opt=${WASM_OPT_PASSES:-"$level --flatten --rereloop $level"}

# One wasm per entry: `safemark` (the html feature) and `safemark/lite` (without it).
build_wasm() { # <dir under dist> <cargo feature flags...>
  local dir=$1
  shift
  # wasm/ is a workspace of its own (its Cargo.lock pins idna_adapter 1.0); it builds into
  # the same target directory.
  if [ "${WASM_BUILD_STD:-1}" = 1 ]; then
    # WASM_BUILD_STD=0 builds on the stable toolchain with its prebuilt standard library.
    build_std target/build-std "" "$@"
    wasm=target/build-std/wasm32-unknown-unknown/$profile/safemark_wasm.wasm
  else
    cargo build -q --profile "$profile" --target wasm32-unknown-unknown \
      --manifest-path wasm/Cargo.toml --target-dir target "$@"
    wasm=target/wasm32-unknown-unknown/$profile/safemark_wasm.wasm
  fi
  mkdir -p "$out/$dir"
  # --experimental-reset-state-function: the glue exports __wbg_reset_state, which the JS
  # layer calls after a call was unwound (a trap) to start again from a fresh instance.
  wasm-bindgen --target web --no-typescript --experimental-reset-state-function \
    --out-dir "$out/$dir" "$wasm"
  pkg-js/node_modules/.bin/wasm-opt $opt --strip-debug --strip-producers \
    --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
    "$out/$dir/safemark_wasm_bg.wasm" -o "$out/$dir/safemark_wasm_bg.wasm"
}
build_wasm wasm
build_wasm wasm-lite --no-default-features

# safemark/lite/nowasm: the lite wasm built for the first WebAssembly (no reference types, so
# the glue has no `externref` table, which wasm2js cannot translate), then compiled to
# JavaScript by wasm2js (scripts/nowasm.mjs). Needs build-std: the prebuilt standard library
# has reference types.
build_nowasm() {
  local tmp=target/nowasm-glue
  rm -rf "$tmp"
  build_std target/build-std-mvp -Ctarget-cpu=mvp --no-default-features
  wasm-bindgen --target web --no-typescript --experimental-reset-state-function \
    --out-dir "$tmp" "target/build-std-mvp/wasm32-unknown-unknown/$profile/safemark_wasm.wasm"
  pkg-js/node_modules/.bin/wasm-opt "$level" --strip-debug --strip-producers \
    "$tmp/safemark_wasm_bg.wasm" -o "$tmp/safemark_wasm_bg.wasm"
  node scripts/nowasm.mjs "$tmp" "$out/nowasm"
}
if [ "${WASM_BUILD_STD:-1}" = 1 ]; then
  build_nowasm
fi

cp pkg-js/src/safemark.js pkg-js/src/node.js pkg-js/src/safemark.d.ts "$out/"
# The lite entry is the same JS over the other wasm: only the glue's directory differs.
sed 's#\./wasm/safemark_wasm#./wasm-lite/safemark_wasm#g' pkg-js/src/safemark.js >"$out/lite.js"
sed -e 's#\./wasm/safemark_wasm#./wasm-lite/safemark_wasm#g' -e 's#\./safemark\.js#./lite.js#g' \
  pkg-js/src/node.js >"$out/lite-node.js"
cp pkg-js/src/safemark.d.ts "$out/lite.d.ts"
if [ -d "$out/nowasm" ]; then
  sed 's#\./wasm/safemark_wasm#./nowasm/safemark_wasm#g' pkg-js/src/safemark.js >"$out/lite-nowasm.js"
  grep -q "'./nowasm/safemark_wasm.js'" "$out/lite-nowasm.js"
  # node: the same module, instantiated on import as the other node entries are.
  printf '%s\n' "// safemark/lite/nowasm for node: instantiated on import." \
    "import { initSync } from './lite-nowasm.js';" "" "initSync();" "" \
    "export * from './lite-nowasm.js';" >"$out/lite-nowasm-node.js"
  cp pkg-js/src/safemark.d.ts "$out/lite-nowasm.d.ts"
fi
grep -q wasm-lite "$out/lite.js" && grep -q wasm-lite "$out/lite-node.js" && grep -q lite.js "$out/lite-node.js"
# safemark/react: the components over the browser entry, and over the node entry for server
# rendering (which initializes itself).
cp pkg-js/src/react.js pkg-js/src/react.d.ts "$out/"
sed 's#'"'"'\./safemark\.js'"'"'#'"'"'./node.js'"'"'#' pkg-js/src/react.js >"$out/react-node.js"
grep -q "'./node.js'" "$out/react-node.js"
# safemark/lite/react: the same components over the lite entry (no HTML parser in the wasm).
sed 's#'"'"'\./safemark\.js'"'"'#'"'"'./lite.js'"'"'#' pkg-js/src/react.js >"$out/react-lite.js"
sed 's#'"'"'\./safemark\.js'"'"'#'"'"'./lite-node.js'"'"'#' pkg-js/src/react.js >"$out/react-lite-node.js"
sed 's#'"'"'\./safemark\.js'"'"'#'"'"'./lite.js'"'"'#' pkg-js/src/react.d.ts >"$out/react-lite.d.ts"
grep -q "'./lite.js'" "$out/react-lite.js" && grep -q "'./lite-node.js'" "$out/react-lite-node.js" \
  && grep -q "'./lite.js'" "$out/react-lite.d.ts"
# safemark/lite/nowasm/react: the same components over the entry without WebAssembly.
if [ -d "$out/nowasm" ]; then
  sed 's#'"'"'\./safemark\.js'"'"'#'"'"'./lite-nowasm.js'"'"'#' pkg-js/src/react.js >"$out/react-lite-nowasm.js"
  sed 's#'"'"'\./safemark\.js'"'"'#'"'"'./lite-nowasm-node.js'"'"'#' pkg-js/src/react.js >"$out/react-lite-nowasm-node.js"
  sed 's#'"'"'\./safemark\.js'"'"'#'"'"'./lite-nowasm.js'"'"'#' pkg-js/src/react.d.ts >"$out/react-lite-nowasm.d.ts"
  grep -q "'./lite-nowasm.js'" "$out/react-lite-nowasm.js" \
    && grep -q "'./lite-nowasm-node.js'" "$out/react-lite-nowasm-node.js" \
    && grep -q "'./lite-nowasm.js'" "$out/react-lite-nowasm.d.ts"
fi
cp LICENSE-MIT LICENSE-APACHE pkg-js/

# Every JS file shipped is minified, as the packages it is compared with are measured
# (marked, DOMPurify: their .min.js): the JS layer and the glue go from 12.2 KB gzip to about
# 6 KB per entry. --keep-names keeps function and class names (stack traces, `.name`); the
# readable sources are pkg-js/src and the glue wasm-bindgen writes. After every edit above:
# those match the unminified text. The wasm2js module is minified already (scripts/nowasm.mjs).
version=$(node -p 'require("./pkg-js/package.json").version')
find "$out" -name '*.js' ! -path "$out/nowasm/safemark_wasm_bg.js" -print0 |
  while IFS= read -r -d '' js; do
    pkg-js/node_modules/.bin/esbuild "$js" --minify --keep-names --format=esm \
      --log-level=warning --legal-comments=none \
      "--banner:js=// safemark $version (MIT OR Apache-2.0): sources at https://github.com/safemark/safemark" \
      --outfile="$js.min"
    mv "$js.min" "$js"
  done

size() {
  local brotli
  brotli=$(node -e 'const z=require("zlib");process.stdout.write(String(z.brotliCompressSync(require("fs").readFileSync(process.argv[1])).length))' "$2")
  printf '%s: %s bytes raw, %s gzip, %s brotli\n' "$1" "$(wc -c <"$2")" "$(gzip -9c "$2" | wc -c)" "$brotli"
}
echo "built pkg-js/dist ($profile profile)"
for entry in wasm wasm-lite; do
  name=$([ "$entry" = wasm ] && echo safemark || echo safemark/lite)
  js=$([ "$entry" = wasm ] && echo safemark.js || echo lite.js)
  size "$name: wasm" "$out/$entry/safemark_wasm_bg.wasm"
  cat "$out/$js" "$out/$entry/safemark_wasm.js" >"$out/.browser-js"
  size "$name: js ($js + glue)" "$out/.browser-js"
  cat "$out/$entry/safemark_wasm_bg.wasm" "$out/.browser-js" >"$out/.all"
  size "$name: total" "$out/.all"
  rm "$out/.browser-js" "$out/.all"
done
if [ -d "$out/nowasm" ]; then
  cat "$out/lite-nowasm.js" "$out/nowasm/safemark_wasm.js" "$out/nowasm/safemark_wasm_bg.js" >"$out/.all"
  size "safemark/lite/nowasm: module (wasm2js, minified)" "$out/nowasm/safemark_wasm_bg.js"
  size "safemark/lite/nowasm: total" "$out/.all"
  rm "$out/.all"
fi
size "safemark/react: react.js (on top of safemark)" "$out/react.js"
