#!/usr/bin/env python3
"""scikit-learn side of SlideMap's forest-shapes benchmark (benches/forest_shapes.rs).

Usage: bench_shapes.py DATA_DIR
Reads DATA_DIR/shapes_rust.json and the rows the Rust bench wrote (<shape>_train_x.f32,
<shape>_train_y.f64, <shape>_pred_x.f32), fits scikit-learn's RandomForestRegressor with the
same parameters (n_jobs=2, random_state=0) on the same rows, predicts the same rows, and
prints per shape: nodes per tree, mean and deepest path, fit seconds per model, ns per
row-tree (wall time / (rows x trees)), and SlideMap's speed-up (sklearn time / ours).
"""
import json
import pathlib
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestRegressor


def load(d, name, rows, cols, with_y):
    x = np.fromfile(d / f"{name}_x.f32", dtype="<f4").reshape(rows, cols)
    y = np.fromfile(d / f"{name}_y.f64", dtype="<f8") if with_y else None
    return x, y


def main():
    d = pathlib.Path(sys.argv[1])
    ours = json.loads((d / "shapes_rust.json").read_text())
    print(f"{'shape':<18}{'engine':<10}{'nodes/t':>9}{'path':>7}{'max':>5}{'fit s':>9}"
          f"{'ns/row-tree':>13}{'fit x':>8}{'pred x':>8}")
    for s in ours["shapes"]:
        if "train_rows" not in s:
            continue
        name = s["name"]
        x, y = load(d, f"{name}_train", s["train_rows"], s["cols"], True)
        xp, _ = load(d, f"{name}_pred", s["predict_rows"], s["cols"], False)
        rf = RandomForestRegressor(
            n_estimators=s["n_estimators"], criterion="absolute_error",
            max_features=s["max_features"], max_depth=s["max_depth"],
            min_samples_split=s["min_samples_split"], min_samples_leaf=s["min_samples_leaf"],
            bootstrap=True, n_jobs=2, random_state=0)
        t = time.perf_counter()
        rf.fit(x, y)
        fit_s = time.perf_counter() - t
        rf.predict(xp[:1000])  # warm-up
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            rf.predict(xp)
            best = min(best, time.perf_counter() - t)
        trees = rf.estimators_
        nodes = np.mean([e.tree_.node_count for e in trees])
        deepest = max(e.tree_.max_depth for e in trees)
        path = np.mean([e.decision_path(xp).sum(axis=1).mean() - 1 for e in trees[:10]])
        ns = best * 1e9 / (xp.shape[0] * len(trees))
        print(f"{name:<18}{'SlideMap':<10}{s['nodes_per_tree']:>9.0f}{s['path_mean']:>7.1f}"
              f"{s['deepest']:>5}{s['fit_s']:>9.3f}{s['ns_per_row_tree']:>13.1f}"
              f"{fit_s / s['fit_s']:>7.1f}x{ns / s['ns_per_row_tree']:>7.2f}x")
        print(f"{'':<18}{'sklearn':<10}{nodes:>9.0f}{path:>7.1f}{deepest:>5}{fit_s:>9.3f}"
              f"{ns:>13.1f}")
    for s in ours["shapes"]:
        if s["name"] == "ensemble":
            print(f"ensemble (10 default models, Ensemble::summarize): {s['ns_per_row_tree']:.1f} "
                  f"ns per row-tree, fit {s['fit_s_per_model']:.3f} s per model")


if __name__ == "__main__":
    main()
