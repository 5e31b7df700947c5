#!/usr/bin/env bash
# Runs every test: installs what is missing (scripts/setup.sh), then formatting, clippy, the
# Rust tests (engine, CLI, app reducer, oracle and hostile-input tests), a wasm32 build of the
# engine, the release build of the app exactly as users get it, and the browser tests against it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; SECONDS_AT_STEP=$SECONDS; }
done_step() { printf '   (%ss)\n' $((SECONDS - SECONDS_AT_STEP)); }

step "setup"; scripts/setup.sh; done_step
step "cargo fmt --check"; cargo fmt --all --check; done_step
step "cargo clippy"; cargo clippy --workspace --all-targets --quiet -- -D warnings; done_step
step "cargo test"; cargo test --workspace --quiet; done_step
step "engine builds for wasm32"; cargo build -p fpmaudit-engine --target wasm32-unknown-unknown --quiet; done_step
step "trunk build --release"; trunk build --release; done_step
step "bundle size"; scripts/bundle-size.sh dist; done_step
step "browser tests"; (cd tests/browser && npm ci --silent --no-audit --no-fund && node run.mjs ../../dist); done_step
printf '\nall tests passed in %ss\n' "$SECONDS"
