# Installs the tools the project needs, each only when it is missing or at
# the wrong version, so a second run does nothing and takes seconds.
# Sourced by run.sh, test.sh, build.sh and size.sh; not run on its own.
#
# Everything comes from package registries by name: Rust crates (trunk,
# wasm-bindgen-cli), npm (binaryen for wasm-opt, playwright-core) and
# Debian (chromium, chromium-driver). No tool downloads a binary of its own.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.21.14"
WASM_TARGET="wasm32-unknown-unknown"

export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() {
  printf '\n\033[1m== %s\033[0m\n' "$*"
}

fail() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# The wasm-bindgen CLI must be exactly the library version in Cargo.lock.
wasm_bindgen_version() {
  awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    fail "installing system packages needs root: run as root or install sudo"
  fi
}

ensure_apt_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  fi
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx "$WASM_TARGET"; then
    say "adding the Rust target $WASM_TARGET"
    rustup target add "$WASM_TARGET"
  fi
}

ensure_trunk() {
  if ! trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
    say "installing trunk $TRUNK_VERSION (takes about 12 minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked --force
  fi
}

ensure_wasm_bindgen() {
  local version
  version="$(wasm_bindgen_version)"
  [ -n "$version" ] || fail "wasm-bindgen is not in Cargo.lock"
  if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $version" ||
    ! wasm-bindgen-test-runner --version 2>/dev/null | grep -q "$version"; then
    say "installing wasm-bindgen-cli $version (takes about 4 minutes, once)"
    # Not --locked: its lockfile names a crate version the registry lacks.
    cargo install wasm-bindgen-cli --version "=$version" --force
  fi
}

ensure_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    ensure_apt_packages nodejs npm
  fi
}

# npm ci only when package-lock.json changed since the last install.
ensure_node_packages() {
  ensure_node
  local stamp="node_modules/.driehoek-lock.sha256"
  local want
  want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing npm packages (binaryen, playwright-core, axe-core)"
    npm ci --no-audit --no-fund
    printf '%s\n' "$want" >"$stamp"
  fi
  wasm-opt --version | grep -q "version 132" || fail "wasm-opt 132 from npm's binaryen is not on PATH"
}

# The emoji font: the app's pictures (kinds of entries, child mode) are
# emoji, which every phone has and a bare Chromium install lacks.
ensure_browser() {
  ensure_apt_packages chromium chromium-driver fonts-noto-color-emoji
}

# What `make run` needs.
ensure_build_tools() {
  ensure_wasm_target
  ensure_node_packages
  ensure_trunk
  ensure_wasm_bindgen
}

# What `make test` needs beyond the build tools.
ensure_test_tools() {
  ensure_browser
  rustup component list --installed | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
}

# The release build of the app into dist/.
build_app() {
  say "building the app (release)"
  trunk build --release --offline
}
