#!/usr/bin/env bash
# `make run`: installs what is missing, builds the app (release) and the
# relay, and serves both on http://127.0.0.1:8080 until Ctrl-C.
source "$(dirname "$0")/tools.sh"

LISTEN="${DRIEHOEK_LISTEN:-127.0.0.1:8080}"
DATA_DIR="${DRIEHOEK_DATA_DIR:-$ROOT/data}"

ensure_build_tools
build_app
say "building the relay"
cargo build -p driehoek-relay --profile relay
say "Driehoek runs at http://$LISTEN/ (data in $DATA_DIR; Ctrl-C stops it)"
exec target/relay/driehoek-relay --listen "$LISTEN" --data-dir "$DATA_DIR" --dist "$ROOT/dist"
