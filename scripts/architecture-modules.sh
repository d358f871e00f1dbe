#!/usr/bin/env bash
# Prints the "Every module" table of ARCHITECTURE.md: one row per file under src/, from the
# first sentence of the file's `//!` doc. Usage: scripts/architecture-modules.sh
set -euo pipefail
cd "$(dirname "$0")/.."
echo "| file | purpose |"
echo "|---|---|"
find src -name '*.rs' | sort | while read -r f; do
  d=$(awk '/^\/\/!/ { l = $0; sub(/^\/\/! ?/, "", l); if (l == "") exit; p = p (p == "" ? "" : " ") l; next } { exit } END { print p }' "$f" |
    sed -e 's/\. .*/./' -e 's/|/\\|/g')
  echo "| \`$f\` | $d |"
done
