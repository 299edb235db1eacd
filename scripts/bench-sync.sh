#!/usr/bin/env bash
# `make bench-sync`: sync latency between two browser devices through the
# relay on loopback (see BENCHMARKS.md).
source "$(dirname "$0")/tools.sh"
ensure_build_tools
ensure_test_tools
build_app
say "building the relay"
cargo build -p driehoek-relay
RELAY_BIN=target/debug/driehoek-relay DIST_DIR=dist node tools/bench-sync.mjs
