#!/usr/bin/env bash
# `make check`: the quick loop while working on the code. Formatting, the
# native lints of the whole workspace and the tests of driehoek-core (the
# model, storage, the store's engine and the sync engine), with fewer
# property-test cases unless PROPTEST_CASES says otherwise. `make test`
# still runs everything.
source "$(dirname "$0")/tools.sh"

export PROPTEST_CASES="${PROPTEST_CASES:-32}"

say "formatting (cargo fmt --check)"
cargo fmt --all --check

say "lints, native (clippy, whole workspace)"
cargo clippy --workspace --all-targets -- -D warnings

say "driehoek-core's tests (PROPTEST_CASES=$PROPTEST_CASES)"
cargo test -p driehoek-core
