#!/usr/bin/env bash
# Runs SlideMap's forest-shapes bench (the demo's global and same-event tree shapes) and
# scikit-learn (n_jobs=2) on the same rows in the same run, and prints the ratios.
#
# Usage (from the repository root):
#   python3 -m venv .venv && .venv/bin/pip install -r tools/sklearn_reference/requirements.txt
#   tools/sklearn_reference/bench_shapes.sh
# Env: PYTHON (default .venv/bin/python), SLIDEMAP_BENCH_ONLY / SLIDEMAP_BENCH_WALK (passed to
# the Rust bench), CARGO_BENCH_ARGS (extra cargo args).
set -euo pipefail
PYTHON="${PYTHON:-.venv/bin/python}"
DATA="$(mktemp -d)"
trap 'rm -rf "$DATA"' EXIT
SLIDEMAP_BENCH_DATA="$DATA" cargo bench --bench forest_shapes ${CARGO_BENCH_ARGS:-}
"$PYTHON" "$(dirname "$0")/bench_shapes.py" "$DATA"
