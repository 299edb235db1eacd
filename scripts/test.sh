#!/usr/bin/env bash
# `make test`: every test of the project, stopping at the first failure.
source "$(dirname "$0")/tools.sh"

ensure_build_tools
ensure_test_tools

# A test run builds everything once: incremental caches only cost disk here.
export CARGO_INCREMENTAL=0
free_kb="$(df -Pk "$ROOT" | awk 'NR == 2 { print $4 }')"
if [ "${free_kb:-0}" -lt $((8 * 1024 * 1024)) ]; then
  printf 'warning: only %s MB free next to the project; a clean test run needs about 8 GB for target/.\n' \
    "$((free_kb / 1024))" >&2
fi

say "1/7 formatting (cargo fmt --check)"
cargo fmt --all --check

say "2/7 lints, native (clippy, whole workspace)"
cargo clippy --workspace --all-targets -- -D warnings

say "3/7 lints, wasm32 (clippy, the app, its core and the crate it shares with the relay)"
cargo clippy -p driehoek --target "$WASM_TARGET" --lib --bins --tests -- -D warnings
cargo clippy -p driehoek-core --target "$WASM_TARGET" --features browser --lib -- -D warnings
cargo clippy -p driehoek-wire --target "$WASM_TARGET" --features browser --lib --tests -- -D warnings

say "4/7 native tests (cargo test --workspace)"
cargo test --workspace

say "5/7 browser tests (wasm-bindgen-test in headless Chromium)"
CHROMEDRIVER="$(command -v chromedriver)" cargo test -p driehoek --target "$WASM_TARGET" --test '*'

say "6/7 release build and size budget"
build_app
bash scripts/size.sh --no-build

say "7/7 end-to-end tests (Playwright in Chromium against the relay)"
cargo build -p driehoek-relay
RELAY_BIN="$ROOT/target/debug/driehoek-relay" DIST_DIR="$ROOT/dist" \
  node --test --test-concurrency=1 tests/e2e/
