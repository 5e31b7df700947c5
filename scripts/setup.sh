#!/usr/bin/env bash
# Installs whatever the build and the tests need and is missing; quick when everything is there.
# Called by scripts/serve.sh and scripts/test.sh. Safe to run again at any time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tools="$root/.tools"
mkdir -p "$tools"

log() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# --- Debian packages -----------------------------------------------------------------------
apt_packages=(chromium chromium-driver php8.2-fpm php8.2-cli nginx systemd curl)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt: installing ${missing[*]}"
  as_root apt-get update -qq
  # The packages' own services must not start here: the tests start their own instances.
  printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
  as_root chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  as_root rm -f /usr/sbin/policy-rc.d
fi

# --- Rust targets and components ------------------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup: adding wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for comp in clippy rustfmt; do
  rustup component list --installed | grep -q "^$comp" || rustup component add "$comp"
done

# --- cargo tools ----------------------------------------------------------------------------
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$cargo_bin:$PATH"

# trunk 0.22 needs rustc >= 1.96.1; 0.21.14 builds here. A debug build installs 4x faster and
# is fast enough for what trunk does.
if ! trunk --version 2>/dev/null | grep -q "trunk 0.21.14"; then
  log "cargo: installing trunk 0.21.14 (a few minutes)"
  cargo install trunk --version 0.21.14 --locked --debug --quiet
fi

# Trunk builds offline (cargo --offline), so every crate must be in the local registry first.
cargo fetch --quiet

# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly.
wb_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
if [ -n "$wb_version" ] && ! wasm-bindgen --version 2>/dev/null | grep -q "wasm-bindgen $wb_version"; then
  log "cargo: installing wasm-bindgen-cli $wb_version (several minutes)"
  # Not --locked: one locked dependency of the CLI is missing from the registry.
  cargo install wasm-bindgen-cli --version "$wb_version" --quiet
fi

# --- npm tools ------------------------------------------------------------------------------
# Debian's binaryen 108 cannot read current wasm; the npm build of binaryen 132 can.
if [ ! -x "$tools/node_modules/.bin/wasm-opt" ]; then
  log "npm: installing binaryen@132.0.0"
  npm install --silent --no-audit --no-fund --prefix "$tools" binaryen@132.0.0 >/dev/null
fi

# The SARIF output is checked by Microsoft's SARIF multitool (`validate`), whose package also
# carries the OASIS SARIF 2.1.0 schema.
if [ ! -x "$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ]; then
  log "npm: installing @microsoft/sarif-multitool-linux@5.7.0 (the SARIF validator)"
  npm install --silent --no-audit --no-fund --prefix "$tools" @microsoft/sarif-multitool-linux@5.7.0 >/dev/null
fi

# --- Python: the JSON report is validated against the contract's JSON Schema --------------
python3 -c 'import jsonschema' 2>/dev/null || {
  log "pip: installing jsonschema"
  python3 -m pip install --quiet jsonschema
}
