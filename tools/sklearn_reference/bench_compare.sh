#!/usr/bin/env bash
# Runs SlideMap's forest bench and scikit-learn (n_jobs=2) on the same data in the same run and
# prints seconds and speed-up ratios (smartcore figures come from the Rust bench).
#
# Usage (from the repository root):
#   python3 -m venv .venv && .venv/bin/pip install -r tools/sklearn_reference/requirements.txt
#   tools/sklearn_reference/bench_compare.sh [--grid-subset] [--only grid|fit|predict]
# Env: PYTHON (default .venv/bin/python), CARGO_BENCH_ARGS (extra cargo args).
# Needs ~400 MB of free space in a temp dir (1,000,000 x 45 f32 prediction matrix).
set -euo pipefail
PYTHON="${PYTHON:-.venv/bin/python}"
DATA="$(mktemp -d)"
trap 'rm -rf "$DATA"' EXIT
ONLY=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ "${args[$i]}" == "--only" ]]; then ONLY="${args[$((i + 1))]}"; fi
done
SLIDEMAP_BENCH_DATA="$DATA" SLIDEMAP_BENCH_ONLY="$ONLY" cargo bench --bench forest ${CARGO_BENCH_ARGS:-}
"$PYTHON" "$(dirname "$0")/bench_sklearn.py" "$DATA" "$@"
