#!/usr/bin/env bash
# Prints what a first visit downloads (wasm + JS + CSS, gzip -9) and fails above the budget.
set -euo pipefail
dist=${1:-dist}
budget_kib=${BUDGET_KIB:-450}
total=0
for f in "$dist"/*.wasm "$dist"/*.js "$dist"/*.css; do
  [ -e "$f" ] || continue
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total=$((total + gz))
  printf '   %-48s %8d bytes  %7d gzip\n' "$(basename "$f")" "$raw" "$gz"
done
printf '   total gzip: %d bytes (%d KiB; budget %d KiB)\n' "$total" $((total / 1024)) "$budget_kib"
[ $((total / 1024)) -le "$budget_kib" ] || { echo "over the bundle budget" >&2; exit 1; }
