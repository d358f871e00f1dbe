//! Forest quality against scikit-learn 1.5.2 and smartcore 0.7 on committed data
//! (`tests/fixtures/forest/quality_*.json`, made by `tools/sklearn_reference/make_fixtures.py`:
//! Friedman #1 and a landslide-like skewed target with many zeros, 600 train / 400 test rows).
//!
//! - MAE criterion: our held-out MAE averaged over seeds 0..5 is within 5% of scikit-learn's
//!   `RandomForestRegressor(criterion="absolute_error")` with the same hyper-parameters:
//!   two-sided without bootstrap; with bootstrap one-sided (ours at most 5% worse), because
//!   scikit-learn < 1.8 finds non-optimal MAE splits when sample weights (bootstrap counts) are
//!   present (scikit-learn issues #32099 and #9626) and our exact search is markedly better on
//!   the tie-heavy landslide target.
//! - Importances rank the known informative features first.
//! - MSE criterion: held-out MAE within 10% of smartcore's `RandomForestRegressor` (an
//!   independent MSE implementation) with matching hyper-parameters, averaged over seeds.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

use std::sync::atomic::AtomicBool;

use serde_json::Value;
use slidemap::forest::{Criterion, ForestParams, Matrix, MaxFeatures, RandomForest};
use slidemap::metrics::mean_absolute_error;
use smartcore::ensemble::random_forest_regressor::{
    RandomForestRegressor, RandomForestRegressorParameters,
};
use smartcore::linalg::basic::matrix::DenseMatrix;

struct Case {
    doc: Value,
    x_train: Matrix,
    y_train: Vec<f64>,
    x_test: Matrix,
    y_test: Vec<f64>,
}

fn rows(v: &Value) -> Vec<Vec<f64>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect()
        })
        .collect()
}

fn matrix(rows: &[Vec<f64>]) -> Matrix {
    let f32rows: Vec<Vec<f32>> = rows
        .iter()
        .map(|r| r.iter().map(|&v| v as f32).collect())
        .collect();
    Matrix::from_rows(&f32rows).unwrap()
}

fn load(name: &str) -> Case {
    let path = format!(
        "{}/tests/fixtures/forest/quality_{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let floats = |k: &str| -> Vec<f64> {
        doc[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    Case {
        x_train: matrix(&rows(&doc["x_train"])),
        y_train: floats("y_train"),
        x_test: matrix(&rows(&doc["x_test"])),
        y_test: floats("y_test"),
        doc,
    }
}

/// The fixture's hyper-parameters (n_estimators 100, sqrt, no depth limit, min_samples_leaf 2).
fn params(criterion: Criterion, bootstrap: bool, seed: u64) -> ForestParams {
    ForestParams::default()
        .with_criterion(criterion)
        .with_n_estimators(100)
        .with_max_features(MaxFeatures::Sqrt)
        .with_max_depth(None)
        .with_min_samples_split(2)
        .with_min_samples_leaf(2)
        .with_bootstrap(bootstrap)
        .with_seed(seed)
}

fn our_mean_mae(case: &Case, criterion: Criterion, bootstrap: bool) -> (f64, Vec<f64>) {
    let cancel = AtomicBool::new(false);
    let mut maes = Vec::new();
    let mut imp = vec![0.0; case.x_train.n_cols()];
    for seed in 0..5 {
        let rf = RandomForest::fit(
            &case.x_train,
            &case.y_train,
            &params(criterion, bootstrap, seed),
            &cancel,
        )
        .unwrap();
        let pred = rf.predict(&case.x_test).unwrap();
        maes.push(mean_absolute_error(&case.y_test, &pred).unwrap());
        imp.iter_mut()
            .zip(rf.feature_importances())
            .for_each(|(a, b)| *a += b / 5.0);
    }
    (maes.iter().sum::<f64>() / maes.len() as f64, imp)
}

fn check_against_sklearn(name: &str) {
    let case = load(name);
    let sk_ref = |key: &str| case.doc["sklearn"][key]["mae_mean"].as_f64().unwrap();
    let (ours_nb, _) = our_mean_mae(&case, Criterion::Mae, false);
    let sk_nb = sk_ref("absolute_error_no_bootstrap");
    eprintln!(
        "{name} no bootstrap: held-out MAE ours {ours_nb:.5} vs sklearn {sk_nb:.5} (ratio {:.3})",
        ours_nb / sk_nb
    );
    assert!(
        (ours_nb / sk_nb - 1.0).abs() <= 0.05,
        "{name}: ours {ours_nb} vs sklearn {sk_nb}"
    );
    let (ours, imp) = our_mean_mae(&case, Criterion::Mae, true);
    let sk = sk_ref("absolute_error");
    eprintln!(
        "{name} bootstrap: held-out MAE ours {ours:.5} vs sklearn {sk:.5} (ratio {:.3})",
        ours / sk
    );
    assert!(
        ours <= sk * 1.05,
        "{name}: our MAE {ours} is more than 5% above sklearn's {sk}"
    );
    let informative: Vec<usize> = case.doc["informative"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    let mut order: Vec<usize> = (0..imp.len()).collect();
    order.sort_by(|&a, &b| imp[b].total_cmp(&imp[a]));
    let mut top: Vec<usize> = order[..informative.len()].to_vec();
    top.sort_unstable();
    assert_eq!(top, informative, "{name}: importances {imp:?}");
    assert!((imp.iter().sum::<f64>() - 1.0).abs() < 1e-9);
}

#[test]
fn mae_forest_matches_sklearn_absolute_error_on_friedman1() {
    check_against_sklearn("friedman1");
}

#[test]
fn mae_forest_matches_sklearn_absolute_error_on_a_landslide_like_target() {
    check_against_sklearn("landslide");
}

fn smartcore_mean_mae(case: &Case) -> f64 {
    let to_f64 = |m: &Matrix| -> Vec<Vec<f64>> {
        (0..m.n_rows())
            .map(|r| m.row(r).unwrap().iter().map(|&v| f64::from(v)).collect())
            .collect()
    };
    let xtr = DenseMatrix::from_2d_vec(&to_f64(&case.x_train)).unwrap();
    let xte = DenseMatrix::from_2d_vec(&to_f64(&case.x_test)).unwrap();
    let m = (case.x_train.n_cols() as f64).sqrt().floor() as usize;
    let mut maes = Vec::new();
    for seed in 0..5 {
        let p = RandomForestRegressorParameters::default()
            .with_n_trees(100)
            .with_m(m)
            .with_min_samples_leaf(2)
            .with_min_samples_split(2)
            .with_max_depth(u16::MAX)
            .with_seed(seed);
        let rf = RandomForestRegressor::fit(&xtr, &case.y_train, p).unwrap();
        let pred: Vec<f64> = rf.predict(&xte).unwrap();
        maes.push(mean_absolute_error(&case.y_test, &pred).unwrap());
    }
    maes.iter().sum::<f64>() / maes.len() as f64
}

#[test]
fn mse_forest_agrees_with_smartcore_and_sklearn_within_10_percent() {
    for name in ["friedman1", "landslide"] {
        let case = load(name);
        let (ours, _) = our_mean_mae(&case, Criterion::Mse, true);
        let smart = smartcore_mean_mae(&case);
        let sk = case.doc["sklearn"]["squared_error"]["mae_mean"]
            .as_f64()
            .unwrap();
        eprintln!("{name} (MSE criterion): held-out MAE ours {ours:.5}, smartcore {smart:.5}, sklearn {sk:.5}");
        assert!(
            (ours / smart - 1.0).abs() <= 0.10,
            "{name}: ours {ours} vs smartcore {smart}"
        );
        assert!(
            (ours / sk - 1.0).abs() <= 0.05,
            "{name}: ours {ours} vs sklearn {sk}"
        );
    }
}
