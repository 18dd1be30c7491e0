#!/usr/bin/env bash
# Installs what the tests need, skipping what is present (idempotent).
#   bash scripts/setup.sh [fuzz]
set -euo pipefail
cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
case " $* " in
  *" fuzz "*)
    rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
    cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz
    ;;
esac
