#!/usr/bin/env bash
# Benchmarks safemark beside the alternatives, in one run, and prints the tables the README
# shows (the README names this command):
#   1. native throughput (criterion, bench/): pulldown-cmark alone, pulldown-cmark + ammonia,
#      comrak + ammonia, safemark (default and allowlist policies) at 2 KB, 20 KB, 200 KB, 2 MB;
#   2. peak memory for the 2 MB document (/usr/bin/time -v), minus building the document;
#      streaming cost (bench/src/bin/stream.rs) beside the naive re-render loop;
#   3. the npm package in node and in Chromium beside markdown-it/marked + DOMPurify and
#      markdown-it + sanitize-html (bench/js/).
# BENCH_TIME (seconds of measurement per benchmark, default 3) trades time for precision.
set -euo pipefail
cd "$(dirname "$0")/.."
measure=${BENCH_TIME:-3}

bash scripts/setup.sh wasm browser
command -v /usr/bin/time >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq time >/dev/null; }

echo "== machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(rustc --version), node $(node --version)"

echo "== native throughput (criterion)"
(cd bench && cargo bench --bench compare -- --warm-up-time 1 --measurement-time "$measure" --noplot >/dev/null)
(cd bench && cargo run -q --release --bin report)

echo
echo "== peak memory, 2 MB document"
(cd bench && cargo build -q --release --bin memory)
base=$(/usr/bin/time -v bench/target/release/memory none 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}')
echo "| pipeline | peak RSS above building the document |"
echo "|---|---:|"
for p in pulldown-cmark pulldown-cmark+ammonia comrak+ammonia safemark-default safemark-allowlist; do
  kb=$(/usr/bin/time -v bench/target/release/memory "$p" 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}')
  echo "| $p | $(( (kb - base) / 1024 )) MB |"
done

echo
echo "== streaming: the 20 KB answer in 4-byte chunks"
(cd bench && cargo run -q --release --bin stream)
echo
echo "== npm package (wasm) vs JavaScript pipelines"
bash scripts/build-js.sh >/dev/null
(cd bench && cargo run -q --release --bin docs)
(cd bench/js && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
node bench/js/node.mjs
echo
node bench/js/browser.mjs
echo
echo "== cold start in Chromium: full, lite, marked + DOMPurify (cache disabled)"
node bench/js/coldstart.mjs
