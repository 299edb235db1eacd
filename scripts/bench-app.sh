#!/usr/bin/env bash
# `make bench-app`: the app's browser benchmark (see BENCHMARKS.md). Builds
# the release app and the relay, then measures in headless Chromium.
source "$(dirname "$0")/tools.sh"
ensure_build_tools
ensure_test_tools
build_app
say "building the relay"
cargo build -p driehoek-relay
RELAY_BIN=target/debug/driehoek-relay DIST_DIR=dist node tools/bench-app.mjs
