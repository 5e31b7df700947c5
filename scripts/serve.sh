#!/usr/bin/env bash
# Builds the playground and serves it on http://127.0.0.1:8080/ (installs what is missing first).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
scripts/setup.sh
# No autoreload: its injected script and websocket would break the page's CSP (and its
# promise of no request after load). Rebuild by restarting this script.
exec trunk serve --release --no-autoreload --address 127.0.0.1 --port "${PORT:-8080}"
