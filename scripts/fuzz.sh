#!/usr/bin/env bash
# Fuzzing: builds every cargo-fuzz target, replays the kept regressions and the seeds, then
# fuzzes each target for SECONDS (default 60; FUZZ_SECONDS also works), and finally runs the
# slowness check, natively and through the npm package. Any finding fails the run; its input
# is left in fuzz/artifacts/<target>/ (see fuzz/README.md to keep it as a regression test).
#
#   bash scripts/fuzz.sh [SECONDS]
set -euo pipefail
# Each section's heading says how long the run has taken so far (the CI budget is 40 min).
export SAFEMARK_T0=${SAFEMARK_T0:-$(date +%s)}
section() { echo "== $* [$(($(date +%s) - SAFEMARK_T0)) s]"; }
cd "$(dirname "$0")/.."
secs=${1:-${FUZZ_SECONDS:-60}}
# libFuzzer's seed: FUZZ_SEED if set; under CI one derived from the commit, so that a CI run is
# reproducible (the same commit fuzzes the same inputs: run `CI=true bash .ci/run` on a clean
# clone to see what CI will see) while every new commit explores new inputs; otherwise random.
seed_args=()
if [ -n "${FUZZ_SEED:-}" ]; then
  seed_args=(-seed="$FUZZ_SEED")
elif [ "${CI:-}" = true ] && commit=$(git rev-parse --short=7 HEAD 2>/dev/null); then
  seed_args=(-seed="$((16#$commit % 2147483647 + 1))")
fi
section "libFuzzer seed: ${seed_args[*]:-random}"

bash scripts/setup.sh fuzz

cd fuzz
section "cargo fuzz build (no sanitizer: safemark forbids unsafe code; the invariants are asserted)"
cargo +nightly fuzz build -s none

declare -A seeds=([markdown]=documents [html]=documents [policy_json]=policies [url]=urls [terminal]=documents [stream]=documents [amplification]="amplification documents")
# The stream target renders the tail twice at every push: it reads at most 4 KiB of markdown.
declare -A max_len=([stream]=4098)
# policy_json and url saturate their coverage early (hundreds of thousands of executions a
# minute): half the time, which the stream target takes instead.
declare -A share=([policy_json]=2 [url]=2)
summary=()
for target in markdown html policy_json url terminal stream amplification; do
  tsecs=$((secs / ${share[$target]:-1}))
  mkdir -p "corpus/$target" "regressions/$target"
  section "$target: replay regressions"
  cargo +nightly fuzz run -s none "$target" "regressions/$target" -- -runs=0
  section "$target: fuzz for ${tsecs}s"
  log=$(mktemp)
  set +e
  seed_dirs=()
  for dir in ${seeds[$target]}; do seed_dirs+=("seeds/$dir"); done
  cargo +nightly fuzz run -s none "$target" "corpus/$target" "${seed_dirs[@]}" -- \
    -max_total_time="$tsecs" -timeout=10 -rss_limit_mb=2048 -max_len="${max_len[$target]:-16384}" \
    -dict=dict/safemark.dict -print_final_stats=1 ${seed_args[@]+"${seed_args[@]}"} >"$log" 2>&1
  status=$?
  set -e
  grep -E '^(Done|stat::number_of_executed_units|stat::average_exec_per_sec)' "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$log"
    echo "fuzz target $target FAILED (input kept in fuzz/artifacts/$target/)"
    exit 1
  fi
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  rate=$(grep -Eo 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  summary+=("$target: $runs executions, $rate/s")
  rm -f "$log"
done
cd ..

section "slowness check (time growth for 8x larger repeated constructs)"
cargo run -q --release --example scaling
section "slowness check through the npm package (the same families and the grid's quick part, in node)"
[ -f pkg-js/dist/node.js ] || bash scripts/build-js.sh
mkdir -p target
cargo run -q --release --example scaling grid-json >target/slowness-grid.json
# Half the grid's quick part in node (the native check above times all of it): which half, by
# the commit under CI (as the fuzzing seed), so that each commit covers another.
share=1:0
if [ "${CI:-}" = true ] && commit=$(git rev-parse --short=7 HEAD 2>/dev/null); then
  share=2:$((16#$commit % 2))
fi
GRID=target/slowness-grid.json GRID_SHARE=$share node pkg-js/test/scaling.mjs

section "fuzz summary (${secs}s per target; policy_json and url half of it)"
printf '  %s\n' "${summary[@]}"
