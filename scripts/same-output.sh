#!/usr/bin/env bash
# Shows that the working tree renders every corpus document exactly as revision REV does
# (default: HEAD): examples/digest.rs is run on both, over the working tree's corpora, and the
# digests are compared line by line. For refactorings that promise no behaviour change.
#   bash scripts/same-output.sh [REV]
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-HEAD}
base=$(mktemp -d)
trap 'git worktree remove --force "$base/tree" >/dev/null 2>&1 || true; rm -rf "$base"' EXIT
git worktree add -q --detach "$base/tree" "$rev"
# The revision's code, this tree's digest program and corpora (the documents must be the same).
cp examples/digest.rs "$base/tree/examples/digest.rs"
for d in tests/corpora tests/corpus fuzz/seeds/documents fuzz/regressions fuzz/policies.json fuzz/hostile.md examples/answer.md; do
  rm -rf "${base:?}/tree/$d"; mkdir -p "$(dirname "$base/tree/$d")"; cp -r "$d" "$base/tree/$d"
done
# Each tree builds in its own target directory (a shared one can mix stale artifacts).
(cd "$base/tree" && CARGO_TARGET_DIR="$base/target" cargo run -q --release --example digest > "$base/before.txt")
cargo run -q --release --example digest > "$base/after.txt"
mkdir -p target/same-output
cp "$base/before.txt" "$base/after.txt" target/same-output/
renders=$(wc -l < "$base/after.txt")
if cmp -s "$base/before.txt" "$base/after.txt"; then
  echo "same output: $renders renders (documents x policies x surfaces) identical to $rev"
else
  echo "DIFFERENT output from $rev (digests in target/same-output/), renders that differ by surface:" >&2
  diff "$base/before.txt" "$base/after.txt" | awk -F'\t' '/^>/ {print $3}' | sort | uniq -c >&2
  diff "$base/before.txt" "$base/after.txt" | head -20 >&2
  exit 1
fi
