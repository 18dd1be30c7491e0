#!/usr/bin/env bash
# Runs every test safemark has: formatting, lints, unit, integration, property, corpus,
# CommonMark conformance, CLI and doc tests, then every fuzz target for FUZZ_SECONDS each
# (default 60; 0 skips fuzzing). The README names this command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz_seconds=${FUZZ_SECONDS:-60}

bash scripts/setup.sh $([ "$fuzz_seconds" != 0 ] && echo fuzz)

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy --all-targets -D warnings"
cargo clippy --all-targets -q -- -D warnings

echo "== cargo test"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
cargo test --all-targets --no-fail-fast 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
cargo test --doc 2>&1 | tee -a "$log"
doc_status=${PIPESTATUS[0]}
set -e

if [ "$fuzz_seconds" != 0 ] && [ "$status" -eq 0 ] && [ "$doc_status" -eq 0 ]; then
  bash scripts/fuzz.sh "$fuzz_seconds"
fi

passed=$(grep -Eo '^test result: .* ([0-9]+) passed' "$log" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '; [0-9]+ failed' "$log" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
echo
echo "tests: $passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$doc_status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
