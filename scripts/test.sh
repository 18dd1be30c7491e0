#!/usr/bin/env bash
# Runs every test safemark has, installing what it needs first (scripts/setup.sh):
#   1. cargo fmt --check and clippy -D warnings;
#   2. cargo test: unit, corpus, peer vectors, properties, CommonMark, policy, limits, CLI,
#      regressions and doc tests; and the build without the `html` feature (tests/lite.rs);
#   3. the npm package: built (scripts/build-js.sh), node tests, the packed tarball, Chromium;
#   4. every fuzz target for FUZZ_SECONDS each (default 60; 0 skips) and the slowness check.
# The README names this command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz_seconds=${FUZZ_SECONDS:-60}
# Each section's heading says how long the run has taken so far (the CI budget is 40 min).
export SAFEMARK_T0=${SAFEMARK_T0:-$(date +%s)}
section() { echo "== $* [$(($(date +%s) - SAFEMARK_T0)) s]"; }

bash scripts/setup.sh wasm browser $([ "$fuzz_seconds" != 0 ] && echo fuzz)

section "cargo fmt --check"
cargo fmt --all -- --check
cargo fmt --manifest-path wasm/Cargo.toml -- --check
rustfmt --edition 2021 --check wasm/vendor/web_atoms/build.rs wasm/vendor/web_atoms/lib.rs wasm/vendor/pulldown-cmark/src/entities.rs

section "cargo clippy --all-targets -D warnings (with and without the html feature)"
cargo clippy --workspace --all-targets -q -- -D warnings
cargo clippy --manifest-path wasm/Cargo.toml --target-dir target --all-targets -q -- -D warnings
cargo clippy --manifest-path wasm/Cargo.toml --target-dir target -p web_atoms --all-targets -q -- -D warnings
cargo clippy -p safemark --no-default-features --all-targets -q -- -D warnings

section "without the html feature: no HTML parser or sanitizer in the dependency tree"
if cargo tree -p safemark --no-default-features -e normal --prefix none |
  grep -E '^(ammonia|html5ever|markup5ever|markup5ever_rcdom|tendril) '; then
  echo "the build without the html feature depends on an HTML parser" >&2
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

# Without the html feature first: it builds target/debug/safemark without it, and the full
# run after it builds the CLI the npm tests compare with again, with it.
section "cargo test without the html feature"
cargo test -p safemark --no-default-features --all-targets --no-fail-fast 2>&1 | tee -a "$log" || status=1
cargo test -p safemark --no-default-features --doc 2>&1 | tee -a "$log" || status=1
section "cargo test"
cargo test --all-targets --no-fail-fast 2>&1 | tee -a "$log" || status=1
cargo test --doc 2>&1 | tee -a "$log" || status=1
section "cargo test of the vendored web_atoms (wasm/vendor/web_atoms/VENDORED.md)"
cargo test --manifest-path wasm/Cargo.toml --target-dir target -p web_atoms 2>&1 | tee -a "$log" || status=1

section "npm package: build"
bash scripts/build-js.sh || status=1
section "npm package: declarations (tsc --strict against test/types.ts)"
(cd pkg-js && node node_modules/typescript/bin/tsc -p .) || status=1
section "npm package: node tests"
(cd pkg-js && node --test test/node.test.js test/hardening.test.js test/property.test.js test/lite.test.js test/nowasm.test.js test/idna.test.js test/entities.test.js test/reparse.test.js test/package.test.js) 2>&1 | tee -a "$log" || status=1
section "npm package: Chromium"
node pkg-js/test/browser.mjs 2>&1 | tee -a "$log" || status=1
section "npm package: the Content-Security-Policy each entry needs, in Chromium"
node pkg-js/test/csp.mjs 2>&1 | tee -a "$log" || status=1
section "npm package: safemark/react, bundled with esbuild from the packed tarball, in Chromium"
node pkg-js/test/react.mjs 2>&1 | tee -a "$log" || status=1
section "npm package: math through safemark then KaTeX with the documented options, in Chromium"
node pkg-js/test/math.mjs 2>&1 | tee -a "$log" || status=1
section "npm package: code highlighted after insertion (highlight.js), in Chromium"
node pkg-js/test/highlight.mjs 2>&1 | tee -a "$log" || status=1

if [ "$fuzz_seconds" != 0 ] && [ "$status" -eq 0 ]; then
  bash scripts/fuzz.sh "$fuzz_seconds" || status=1
fi

sum() { grep -Eo "$1" "$log" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}'; }
passed=$(( $(sum '^test result: [a-zA-Z]+\. [0-9]+ passed') + $(sum '^# pass [0-9]+') + $(sum '^browser: [0-9]+ passed') + $(sum '^csp: [0-9]+ passed') + $(sum '^react: [0-9]+ passed') + $(sum '^math: [0-9]+ passed') + $(sum '^highlight: [0-9]+ passed') ))
failed=$(( $(sum '; [0-9]+ failed;') + $(sum '^# fail [0-9]+') + $(sum 'passed, [0-9]+ failed$') ))
echo
echo "time: $(($(date +%s) - SAFEMARK_T0)) s"
echo "tests: $passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
