#!/usr/bin/env bash
# Installs what the tests need, skipping what is present (idempotent).
#   bash scripts/setup.sh [fuzz] [wasm] [browser]
set -euo pipefail
cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
case " $* " in
  *" fuzz "*)
    rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
    cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz
    ;;
esac
case " $* " in
  *" wasm "*)
    rustup target list --installed | grep -q '^wasm32-unknown-unknown$' \
      || rustup target add wasm32-unknown-unknown
    # The package's wasm builds the standard library from source on nightly (build-js.sh).
    rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
    rustup +nightly component list --installed | grep -q '^rust-src' \
      || rustup component add rust-src --toolchain nightly
    # The CLI must be exactly the version of the wasm-bindgen crate in wasm/Cargo.lock (the
    # wasm crate is a workspace of its own).
    want=$(cargo pkgid --manifest-path wasm/Cargo.toml -p wasm-bindgen | sed 's/.*[@#]//')
    have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
    [ "$have" = "$want" ] || cargo install wasm-bindgen-cli --version "$want"
    # binaryen (wasm-opt), parse5 and playwright-core, exactly as package-lock.json says.
    if [ ! -x pkg-js/node_modules/.bin/wasm-opt ] \
      || [ pkg-js/package-lock.json -nt pkg-js/node_modules/.package-lock.json ]; then
      (cd pkg-js && npm ci --no-audit --no-fund)
    fi
    # React 18 beside the package's React 19, for the safemark/react test (its own lockfile).
    if [ ! -d pkg-js/test/react18/node_modules/react-dom ] \
      || [ pkg-js/test/react18/package-lock.json -nt pkg-js/test/react18/node_modules/.package-lock.json ]; then
      (cd pkg-js/test/react18 && npm ci --no-audit --no-fund)
    fi
    ;;
esac
case " $* " in
  *" browser "*)
    if [ ! -x /usr/bin/chromium ]; then
      apt-get update -qq && apt-get install -y -qq chromium >/dev/null
    fi
    ;;
esac
