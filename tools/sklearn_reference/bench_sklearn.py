#!/usr/bin/env python3
"""scikit-learn side of SlideMap's forest benchmarks, on the data written by benches/forest.rs.

Usage: bench_sklearn.py DATA_DIR [--only grid|fit|predict] [--grid-subset]
Reads DATA_DIR/{shapes.json,*_x.f32,*_y.f64,rust_results.json}; prints a table with
SlideMap / scikit-learn / smartcore seconds and speed-up ratios (n_jobs=2 for scikit-learn).
--grid-subset times 12 of the 192 Table-2 candidates (max_depth=[30], min_samples_split=[2])
and scales by 16 (an estimate; say so when quoting it).
"""
import json
import pathlib
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import GridSearchCV


def load(d, name, shapes, with_y=True):
    r, c = shapes[name]
    x = np.fromfile(d / f"{name}_x.f32", dtype="<f4").reshape(r, c)
    y = np.fromfile(d / f"{name}_y.f64", dtype="<f8") if with_y else None
    return x, y


def main():
    d = pathlib.Path(sys.argv[1])
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    subset = "--grid-subset" in sys.argv
    shapes = json.loads((d / "shapes.json").read_text())
    ours = json.loads((d / "rust_results.json").read_text())
    sk = {}
    if only in (None, "grid"):
        x, y = load(d, "grid", shapes)
        grid = dict(n_estimators=[75, 100, 125], max_features=["log2", "sqrt"],
                    max_depth=[10, 15, 20, 30], min_samples_split=[2, 3, 4, 5],
                    min_samples_leaf=[2, 10])
        scale = 1.0
        if subset:
            grid.update(max_depth=[30], min_samples_split=[2])
            scale = 16.0
        gs = GridSearchCV(RandomForestRegressor(criterion="absolute_error", random_state=0),
                          grid, cv=4, n_jobs=2)
        t = time.perf_counter()
        gs.fit(x, y)
        sk["grid_s"] = (time.perf_counter() - t) * scale
    if only in (None, "fit"):
        x, y = load(d, "fit", shapes)
        rf = RandomForestRegressor(n_estimators=100, criterion="absolute_error", max_depth=20,
                                   max_features="sqrt", n_jobs=2, random_state=0)
        t = time.perf_counter()
        rf.fit(x, y)
        sk["fit_s"] = time.perf_counter() - t
    if only in (None, "predict"):
        x, y = load(d, "pred_train", shapes)
        rf = RandomForestRegressor(n_estimators=100, criterion="squared_error",
                                   max_features="sqrt", n_jobs=2, random_state=0).fit(x, y)
        xp, _ = load(d, "pred", shapes, with_y=False)
        rf.predict(xp[:10000])
        t = time.perf_counter()
        rf.predict(xp)
        sk["predict_s"] = time.perf_counter() - t
        sk["predict_model_nodes"] = int(sum(e.tree_.node_count for e in rf.estimators_))
    print(f"{'workload':<34}{'SlideMap s':>12}{'sklearn s':>12}{'ratio':>9}{'smartcore s':>13}{'ratio':>9}")
    rows = [("grid search Table 2 (500x45)" + (" [subset x16]" if subset else ""), "grid_s", None),
            ("fit 100 MAE trees (4000x15)", "fit_s", None),
            ("predict 100 trees (1Mx45)", "predict_s", "smartcore_predict_s")]
    for label, key, sc_key in rows:
        if key not in sk or ours.get(key) is None:
            continue
        o = ours[key]
        line = f"{label:<34}{o:>12.3f}{sk[key]:>12.3f}{sk[key] / o:>8.1f}x"
        if sc_key and ours.get(sc_key) is not None:
            line += f"{ours[sc_key]:>13.1f}{ours[sc_key] / o:>8.0f}x"
        print(line)
    if "predict_model_nodes" in sk:
        print(f"tree nodes in the predict model: SlideMap {ours['predict_model_nodes']}, "
              f"sklearn {sk['predict_model_nodes']}")


if __name__ == "__main__":
    main()
