#!/usr/bin/env bash
# The release build of the app into dist/.
source "$(dirname "$0")/tools.sh"
ensure_build_tools
build_app
