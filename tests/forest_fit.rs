//! Fitting, prediction, persistence, determinism and bad-input behaviour of the forest engine.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

use std::sync::atomic::AtomicBool;

use slidemap::forest::{Criterion, Ensemble, ForestError, ForestParams, Matrix, RandomForest};

/// Deterministic synthetic data: y depends on columns 0 and 1 only.
fn synthetic(n: usize, cols: usize) -> (Matrix, Vec<f64>) {
    let mut state = 12345u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as f64) / (1u64 << 31) as f64
    };
    let mut data = Vec::with_capacity(n * cols);
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let row: Vec<f64> = (0..cols).map(|_| next()).collect();
        y.push((10.0 * row[0]).sin() + 2.0 * row[1] * row[1] + 0.05 * next());
        data.extend(row.iter().map(|&v| v as f32));
    }
    (Matrix::new(n, cols, data).unwrap(), y)
}

fn no_cancel() -> AtomicBool {
    AtomicBool::new(false)
}

#[test]
fn same_seed_gives_identical_predictions_with_one_and_two_threads() {
    let (x, y) = synthetic(300, 6);
    let params = ForestParams::default().with_n_estimators(20).with_seed(42);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let rf = RandomForest::fit(&x, &y, &params, &no_cancel()).unwrap();
            (rf.predict(&x).unwrap(), rf.feature_importances().to_vec())
        })
    };
    let (p1, i1) = run(1);
    let (p2, i2) = run(2);
    assert_eq!(p1, p2);
    assert_eq!(i1, i2);
    let other = RandomForest::fit(&x, &y, &params.clone().with_seed(43), &no_cancel()).unwrap();
    assert_ne!(other.predict(&x).unwrap(), p1);
}

#[test]
fn informative_columns_get_the_largest_importances() {
    let (x, y) = synthetic(400, 6);
    for criterion in [Criterion::Mae, Criterion::Mse] {
        let params = ForestParams::default()
            .with_n_estimators(30)
            .with_criterion(criterion);
        let rf = RandomForest::fit(&x, &y, &params, &no_cancel()).unwrap();
        let imp = rf.feature_importances();
        assert!((imp.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        let min_informative = imp[0].min(imp[1]);
        assert!(
            imp[2..].iter().all(|&v| v < min_informative),
            "{criterion:?}: {imp:?}"
        );
    }
}

#[test]
fn save_and_load_round_trip_keeps_predictions() {
    let (x, y) = synthetic(200, 4);
    let rf = RandomForest::fit(
        &x,
        &y,
        &ForestParams::default().with_n_estimators(10),
        &no_cancel(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.bin");
    std::fs::write(&path, bincode::serialize(&rf).unwrap()).unwrap();
    let back: RandomForest = bincode::deserialize(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(back, rf);
    assert_eq!(back.predict(&x).unwrap(), rf.predict(&x).unwrap());
    // serde_json's default float parser may be off by one ulp; bincode above is bit-exact
    let json: RandomForest = serde_json::from_str(&serde_json::to_string(&rf).unwrap()).unwrap();
    for (a, b) in json
        .predict(&x)
        .unwrap()
        .iter()
        .zip(rf.predict(&x).unwrap())
    {
        assert!((a - b).abs() <= 1e-12);
    }
}

#[test]
fn a_constant_target_gives_single_leaf_trees_and_zero_importances() {
    let (x, _) = synthetic(50, 3);
    let y = vec![0.25; 50];
    let rf = RandomForest::fit(
        &x,
        &y,
        &ForestParams::default().with_n_estimators(5),
        &no_cancel(),
    )
    .unwrap();
    assert!(rf.trees().iter().all(|t| t.n_nodes() == 1));
    assert_eq!(rf.feature_importances(), &[0.0, 0.0, 0.0]);
    assert!(rf.predict(&x).unwrap().iter().all(|&p| p == 0.25));
}

#[test]
fn nan_in_training_data_is_reported_with_row_and_column() {
    let (x, y) = synthetic(20, 3);
    let mut data = x.as_slice().to_vec();
    data[7 * 3 + 2] = f32::NAN;
    let bad = Matrix::new(20, 3, data).unwrap();
    let err = RandomForest::fit(&bad, &y, &ForestParams::default(), &no_cancel()).unwrap_err();
    // NaN != NaN, so check the fields and the message rather than PartialEq
    assert!(
        matches!(err, ForestError::NonFiniteFeature { stage: "fit", row: 7, col: 2, value } if value.is_nan())
    );
    assert_eq!(
        err.to_string(),
        "fit: feature value NaN at row 7, column 2 is not finite"
    );
}

#[test]
fn nan_and_inf_at_prediction_are_errors_naming_the_cell() {
    let (x, y) = synthetic(40, 3);
    let rf = RandomForest::fit(
        &x,
        &y,
        &ForestParams::default().with_n_estimators(3),
        &no_cancel(),
    )
    .unwrap();
    let mut data = x.as_slice().to_vec();
    data[5 * 3 + 1] = f32::INFINITY;
    let err = rf.predict(&Matrix::new(40, 3, data).unwrap()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "predict: feature value inf at row 5, column 1 is not finite"
    );
}

#[test]
fn an_all_nan_column_is_rejected_at_fit() {
    let data: Vec<f32> = (0..30)
        .map(|i| if i % 3 == 1 { f32::NAN } else { i as f32 })
        .collect();
    let x = Matrix::new(10, 3, data).unwrap();
    let err =
        RandomForest::fit(&x, &[1.0; 10], &ForestParams::default(), &no_cancel()).unwrap_err();
    assert!(err.to_string().contains("row 0, column 1"), "{err}");
}

#[test]
fn bad_shapes_and_parameters_are_clear_errors() {
    let (x, y) = synthetic(30, 4);
    let cancel = no_cancel();
    let rf = RandomForest::fit(
        &x,
        &y,
        &ForestParams::default().with_n_estimators(2),
        &cancel,
    )
    .unwrap();
    let narrow = Matrix::new(2, 3, vec![0.0; 6]).unwrap();
    assert_eq!(
        rf.predict(&narrow).unwrap_err(),
        ForestError::FeatureCountMismatch {
            expected: 4,
            found: 3
        }
    );
    let empty = Matrix::new(0, 4, vec![]).unwrap();
    assert!(matches!(
        rf.predict(&empty),
        Err(ForestError::EmptyMatrix {
            stage: "predict",
            ..
        })
    ));
    assert!(matches!(
        RandomForest::fit(&empty, &[], &ForestParams::default(), &cancel),
        Err(ForestError::EmptyMatrix { stage: "fit", .. })
    ));
    assert!(matches!(
        RandomForest::fit(
            &x,
            &y,
            &ForestParams::default().with_n_estimators(0),
            &cancel
        ),
        Err(ForestError::InvalidParameter {
            name: "n_estimators",
            ..
        })
    ));
    assert_eq!(
        RandomForest::fit(&x, &y[..29], &ForestParams::default(), &cancel).unwrap_err(),
        ForestError::TargetLengthMismatch {
            rows: 30,
            targets: 29
        }
    );
    let mut y_nan = y.clone();
    y_nan[3] = f64::INFINITY;
    assert!(matches!(
        RandomForest::fit(&x, &y_nan, &ForestParams::default(), &cancel),
        Err(ForestError::NonFiniteTarget { row: 3, .. })
    ));
}

#[test]
fn a_raised_cancel_flag_stops_fitting() {
    let (x, y) = synthetic(30, 4);
    let err =
        RandomForest::fit(&x, &y, &ForestParams::default(), &AtomicBool::new(true)).unwrap_err();
    assert_eq!(err, ForestError::Cancelled);
}

#[test]
fn prediction_over_several_chunks_equals_row_by_row_prediction() {
    let (x, y) = synthetic(9000, 3);
    let rf = RandomForest::fit(
        &x,
        &y,
        &ForestParams::default()
            .with_n_estimators(4)
            .with_criterion(Criterion::Mse),
        &no_cancel(),
    )
    .unwrap();
    let batch = rf.predict(&x).unwrap();
    for r in [0, 4095, 4096, 8999] {
        let row = x.row(r).unwrap();
        let single: f64 = rf.trees().iter().map(|t| t.predict_row(row)).sum::<f64>() / 4.0;
        assert_eq!(batch[r], single);
    }
}

#[test]
fn ensemble_summary_is_deterministic_and_ordered() {
    let (x, y) = synthetic(300, 4);
    let sets: Vec<Vec<usize>> = (0..12)
        .map(|m| (0..300).filter(|r| (r + m) % 3 != 0).collect())
        .collect();
    let params = ForestParams::default().with_n_estimators(5);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let e = Ensemble::fit(&x, &y, &sets, &params, &no_cancel(), &|_, _| {}).unwrap();
            e.summarize(&x, &no_cancel()).unwrap()
        })
    };
    let s1 = run(1);
    assert_eq!(s1, run(2));
    for r in 0..300 {
        assert!(s1.p05[r] <= s1.median[r] && s1.median[r] <= s1.p95[r]);
        assert!(s1.variance[r] >= 0.0);
    }
    let bad = vec![vec![0, 1], vec![]];
    assert_eq!(
        Ensemble::fit(&x, &y, &bad, &params, &no_cancel(), &|_, _| {}).unwrap_err(),
        ForestError::EmptyRowSubset { model: 1 }
    );
}

#[test]
fn ensemble_statistics_match_numpy_definitions_for_two_members() {
    let (x, y) = synthetic(100, 3);
    let sets = vec![(0..50).collect::<Vec<usize>>(), (50..100).collect()];
    let params = ForestParams::default().with_n_estimators(3);
    let e = Ensemble::fit(&x, &y, &sets, &params, &no_cancel(), &|_, _| {}).unwrap();
    let s = e.summarize(&x, &no_cancel()).unwrap();
    let a = e.models()[0].predict(&x).unwrap();
    let b = e.models()[1].predict(&x).unwrap();
    for r in 0..100 {
        let (lo, hi) = (a[r].min(b[r]), a[r].max(b[r]));
        assert!((s.median[r] - (lo + hi) / 2.0).abs() < 1e-12);
        assert!((s.p05[r] - (lo + 0.05 * (hi - lo))).abs() < 1e-12);
        assert!((s.variance[r] - (hi - lo) * (hi - lo) / 4.0).abs() < 1e-12);
    }
}
