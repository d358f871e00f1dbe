#!/usr/bin/env python3
"""Generate the scikit-learn / scipy reference fixtures for SlideMap's forest and metrics tests.

Writes (committed, regenerate with this script):
  tests/fixtures/forest/metrics_reference.json  ROC points, AUC (many tied scores), r^2, MAE, RMSE
  tests/fixtures/forest/quality_<name>.json     train/test data + sklearn RandomForestRegressor
                                                held-out MAE (criterion=absolute_error and
                                                squared_error) averaged over seeds, importances

Usage (from the repository root):
  python3 -m venv .venv && .venv/bin/pip install -r tools/sklearn_reference/requirements.txt
  .venv/bin/python tools/sklearn_reference/make_fixtures.py
"""
import json
import pathlib

import numpy as np
import scipy.stats
import sklearn
from sklearn.datasets import make_friedman1
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import (mean_absolute_error, mean_squared_error, r2_score,
                             roc_auc_score, roc_curve)

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "forest"
SEEDS = [0, 1, 2, 3, 4]
FOREST = dict(n_estimators=100, max_features="sqrt", max_depth=None,
              min_samples_split=2, min_samples_leaf=2, bootstrap=True)


def finite_thresholds(t):
    assert np.isinf(t[0])
    return [float(v) for v in t[1:]]


def metrics_cases():
    rng = np.random.default_rng(20210901)
    cases = []
    for name, n, decimals in [("continuous", 300, None), ("ties_1dp", 400, 1),
                              ("ties_heavy", 500, 0), ("small", 7, 1)]:
        lad = np.clip(rng.gamma(0.6, 0.15, n) - 0.03, 0, 1)
        score = lad + rng.normal(0, 0.12, n)
        if decimals is not None:
            score = np.round(score * (10 if decimals == 0 else 1), 1)
        truth = lad > 0.1
        if truth.all() or not truth.any():
            truth[0] = not truth[0]
        fpr, tpr, thr = roc_curve(truth, score)
        slope = scipy.stats.linregress(lad, score)
        cases.append(dict(
            name=name, truth=[bool(v) for v in truth], lad=lad.tolist(),
            score=score.tolist(), fpr=fpr.tolist(), tpr=tpr.tolist(),
            thresholds_after_inf=finite_thresholds(thr),
            auc=float(roc_auc_score(truth, score)),
            linregress_r2=float(slope.rvalue ** 2),
            r2_score=float(r2_score(lad, score)),
            mae=float(mean_absolute_error(lad, score)),
            rmse=float(np.sqrt(mean_squared_error(lad, score))),
        ))
    return cases


def landslide_like(n, rng):
    """Skewed LAD-like target in [0, 1] with many exact zeros; features 0-2 informative."""
    slope = rng.uniform(0, 60, n)
    pga = rng.uniform(0, 1, n)
    coh_loss = rng.uniform(0, 1, n)
    noise = rng.uniform(0, 1, (n, 5))
    susc = 1 / (1 + np.exp(-(slope - 35) / 5))
    lad = 0.8 * susc * pga * (0.3 + coh_loss) + rng.normal(0, 0.03, n) - 0.12
    lad = np.clip(lad, 0, 1)
    X = np.column_stack([slope, pga, coh_loss, noise])
    return X, lad, [0, 1, 2]


def quality_case(name, X, y, informative, n_train):
    X = X.astype(np.float32)
    Xtr, Xte, ytr, yte = X[:n_train], X[n_train:], y[:n_train], y[n_train:]
    res = {}
    # "absolute_error_no_bootstrap": scikit-learn < 1.8 finds non-optimal MAE splits when
    # sample weights (bootstrap counts) are present (scikit-learn issues #32099, #9626), so the
    # unweighted variant is the like-for-like reference for an exact MAE implementation.
    variants = {"absolute_error": ("absolute_error", True),
                "absolute_error_no_bootstrap": ("absolute_error", False),
                "squared_error": ("squared_error", True)}
    for key, (crit, bootstrap) in variants.items():
        maes, imps = [], []
        for s in SEEDS:
            params = dict(FOREST, bootstrap=bootstrap)
            rf = RandomForestRegressor(criterion=crit, random_state=s, n_jobs=2, **params)
            rf.fit(Xtr, ytr)
            maes.append(mean_absolute_error(yte, rf.predict(Xte)))
            imps.append(rf.feature_importances_)
        res[key] = dict(mae_per_seed=[float(m) for m in maes], mae_mean=float(np.mean(maes)),
                         importances_mean=np.mean(imps, axis=0).tolist())
    doc = dict(name=name, sklearn_version=sklearn.__version__, params=FOREST, seeds=SEEDS,
               n_features=int(X.shape[1]), informative=informative,
               x_train=Xtr.astype(float).tolist(), y_train=ytr.tolist(),
               x_test=Xte.astype(float).tolist(), y_test=yte.tolist(), sklearn=res)
    (OUT / f"quality_{name}.json").write_text(json.dumps(doc))
    print(name, {k: round(v["mae_mean"], 5) for k, v in res.items()})


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "metrics_reference.json").write_text(json.dumps(
        dict(sklearn_version=sklearn.__version__, scipy_version=scipy.__version__,
             cases=metrics_cases())))
    X, y = make_friedman1(n_samples=1000, n_features=10, noise=1.0, random_state=0)
    quality_case("friedman1", X, y, [0, 1, 2, 3, 4], 600)
    X, y, inf = landslide_like(1000, np.random.default_rng(7))
    quality_case("landslide", X, y, inf, 600)


if __name__ == "__main__":
    main()
