//! Grid search: exactness of the tree sharing, sklearn ordering, cancellation, bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use slidemap::forest::{
    grid_search, kfold, ForestError, ForestParams, GridSearchOptions, Matrix, MaxFeatures,
    ParamGrid, RandomForest, Scoring,
};
use slidemap::metrics::r2_score;

fn synthetic(n: usize, cols: usize) -> (Matrix, Vec<f64>) {
    let mut state = 99u64;
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
        y.push((row[0] * 6.0).cos() + row[1] + 0.1 * next());
        data.extend(row.iter().map(|&v| v as f32));
    }
    (Matrix::new(n, cols, data).unwrap(), y)
}

fn small_grid() -> ParamGrid {
    ParamGrid::default()
        .with_n_estimators(vec![3, 5])
        .with_max_features(vec![MaxFeatures::Log2, MaxFeatures::Sqrt])
        .with_max_depth(vec![Some(2), Some(4), None])
        .with_min_samples_split(vec![2, 5])
        .with_min_samples_leaf(vec![2, 3])
}

#[test]
fn shared_tree_scores_equal_fitting_every_candidate_separately() {
    let (x, y) = synthetic(120, 5);
    let opts = GridSearchOptions::default()
        .with_grid(small_grid())
        .with_base(ForestParams::default().with_seed(9));
    let calls = AtomicUsize::new(0);
    let last = AtomicUsize::new(0);
    let progress = |done: usize, total: usize| {
        calls.fetch_add(1, Ordering::Relaxed);
        last.fetch_max(done, Ordering::Relaxed);
        assert_eq!(total, 48 * 4);
    };
    let res = grid_search(&x, &y, &opts, &AtomicBool::new(false), &progress).unwrap();
    assert_eq!(res.candidates.len(), 48);
    assert_eq!(last.load(Ordering::Relaxed), 48 * 4);
    assert!(calls.load(Ordering::Relaxed) > 1);
    let folds = kfold(120, 4).unwrap();
    let cancel = AtomicBool::new(false);
    for (i, cand) in res.candidates.iter().enumerate().step_by(5) {
        for (f, fold) in folds.iter().enumerate() {
            let rf = RandomForest::fit_rows(&x, &y, &fold.train, &cand.params, &cancel).unwrap();
            let test = x.select_rows(&fold.test).unwrap();
            let truth: Vec<f64> = fold.test.iter().map(|&r| y[r]).collect();
            let expected = r2_score(&truth, &rf.predict(&test).unwrap()).unwrap();
            assert_eq!(cand.fold_scores[f], expected, "candidate {i} fold {f}");
        }
    }
    let best = res
        .candidates
        .iter()
        .map(|c| c.mean_score)
        .fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(res.best_score, best);
    let first_best = res
        .candidates
        .iter()
        .position(|c| c.mean_score == best)
        .unwrap();
    assert_eq!(res.best_index, first_best);
    assert_eq!(res.model.params(), &res.best_params);
    assert_eq!(res.model.n_trees(), res.best_params.n_estimators);
}

#[test]
fn negated_mae_scoring_prefers_lower_error() {
    let (x, y) = synthetic(80, 4);
    let opts = GridSearchOptions::default()
        .with_grid(small_grid().with_max_depth(vec![Some(1), None]))
        .with_scoring(Scoring::NegMae);
    let res = grid_search(&x, &y, &opts, &AtomicBool::new(false), &|_, _| {}).unwrap();
    assert!(res.candidates.iter().all(|c| c.mean_score <= 0.0));
    assert_eq!(res.best_params.max_depth, None);
}

#[test]
fn fewer_rows_than_folds_is_a_clear_error() {
    let (x, y) = synthetic(3, 2);
    let err = grid_search(
        &x,
        &y,
        &GridSearchOptions::default(),
        &AtomicBool::new(false),
        &|_, _| {},
    )
    .unwrap_err();
    assert_eq!(err, ForestError::TooFewRowsForFolds { rows: 3, folds: 4 });
}

#[test]
fn a_constant_target_cannot_be_ranked_by_r2() {
    let (x, _) = synthetic(40, 3);
    let err = grid_search(
        &x,
        &[0.0; 40],
        &GridSearchOptions::default(),
        &AtomicBool::new(false),
        &|_, _| {},
    )
    .unwrap_err();
    assert_eq!(err, ForestError::ConstantTarget { value: 0.0 });
}

#[test]
fn a_raised_cancel_flag_returns_cancelled() {
    let (x, y) = synthetic(40, 3);
    let err = grid_search(
        &x,
        &y,
        &GridSearchOptions::default(),
        &AtomicBool::new(true),
        &|_, _| {},
    )
    .unwrap_err();
    assert_eq!(err, ForestError::Cancelled);
}

#[test]
fn zero_trees_in_the_grid_is_rejected() {
    let (x, y) = synthetic(40, 3);
    let opts =
        GridSearchOptions::default().with_grid(ParamGrid::default().with_n_estimators(vec![0]));
    let err = grid_search(&x, &y, &opts, &AtomicBool::new(false), &|_, _| {}).unwrap_err();
    assert!(matches!(
        err,
        ForestError::InvalidParameter {
            name: "n_estimators",
            ..
        }
    ));
}
