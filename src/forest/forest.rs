//! The random forest regressor: fit, batch prediction, importances.
//!
//! Contract: `fit` validates inputs (no NaN/inf in X or y, matching lengths, valid
//! parameters), grows `n_estimators` trees in parallel (rayon), tree `i` depending only on
//! `(seed, i)` and the data, so results are bit-identical for any thread count. `predict`
//! rejects a wrong column count or any NaN/inf value (naming the row and column) and returns
//! the mean of the trees' predictions per row; rows are processed in chunks of
//! [`PREDICT_CHUNK_ROWS`] in parallel, each chunk walking every tree, without copying X.
//! A constant target is accepted: every tree is a single leaf predicting it and all
//! importances are 0.0. Models are serde-serialisable.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::forest::flat::FlatTree;
use crate::forest::importance::forest_importances;
use crate::forest::ranks::ColumnRanks;
use crate::forest::tree::{grow_tree, GrownTree};
use crate::forest::{ForestError, ForestParams, Matrix};

/// Rows per prediction chunk (one rayon task each).
pub const PREDICT_CHUNK_ROWS: usize = 1024;

/// A fitted random forest regressor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RandomForest {
    trees: Vec<FlatTree>,
    n_features: usize,
    importances: Vec<f64>,
    params: ForestParams,
}

/// Validates a training set; shared by fit, grid search and ensembles.
pub(crate) fn validate_training(
    x: &Matrix,
    y: &[f64],
    params: &ForestParams,
) -> Result<(), ForestError> {
    params.validate()?;
    x.check_finite("fit")?;
    if y.len() != x.n_rows() {
        return Err(ForestError::TargetLengthMismatch {
            rows: x.n_rows(),
            targets: y.len(),
        });
    }
    if let Some(row) = y.iter().position(|v| !v.is_finite()) {
        return Err(ForestError::NonFiniteTarget { row, value: y[row] });
    }
    Ok(())
}

/// Grows `n_trees` trees on `rows` in parallel; checks `cancel` before each tree. `ranks`
/// ranks at least `rows` of `x`.
pub(crate) fn grow_trees(
    x: &Matrix,
    ranks: &ColumnRanks,
    y: &[f64],
    rows: &[usize],
    params: &ForestParams,
    n_trees: usize,
    cancel: &AtomicBool,
) -> Result<Vec<GrownTree>, ForestError> {
    (0..n_trees)
        .into_par_iter()
        .map(|i| {
            if cancel.load(Ordering::Relaxed) {
                return Err(ForestError::Cancelled);
            }
            Ok(grow_tree(x, ranks, y, rows, params, i))
        })
        .collect()
}

/// Adds the predictions of `trees` for the rows of `chunk` (row-major, `n_cols` wide) to `out`.
pub(crate) fn accumulate_chunk(trees: &[FlatTree], chunk: &[f32], n_cols: usize, out: &mut [f64]) {
    for tree in trees {
        tree.accumulate(chunk, n_cols, out);
    }
}

impl RandomForest {
    /// Fits a forest on all rows of `x` with targets `y`.
    pub fn fit(
        x: &Matrix,
        y: &[f64],
        params: &ForestParams,
        cancel: &AtomicBool,
    ) -> Result<Self, ForestError> {
        let rows: Vec<usize> = (0..x.n_rows()).collect();
        Self::fit_rows(x, y, &rows, params, cancel)
    }

    /// Fits on the subset `rows` of `x`/`y` (same result as fitting on those rows copied out
    /// in that order). Row indices must be valid (checked).
    pub fn fit_rows(
        x: &Matrix,
        y: &[f64],
        rows: &[usize],
        params: &ForestParams,
        cancel: &AtomicBool,
    ) -> Result<Self, ForestError> {
        validate_training(x, y, params)?;
        Self::fit_rows_validated(x, None, y, rows, params, cancel)
    }

    /// [`RandomForest::fit_rows`] after `validate_training`, with the column ranks of (at
    /// least) `rows` when the caller shares them between fits (computed here otherwise).
    pub(crate) fn fit_rows_validated(
        x: &Matrix,
        ranks: Option<&ColumnRanks>,
        y: &[f64],
        rows: &[usize],
        params: &ForestParams,
        cancel: &AtomicBool,
    ) -> Result<Self, ForestError> {
        if let Some(&bad) = rows.iter().find(|&&r| r >= x.n_rows()) {
            return Err(ForestError::RowIndexOutOfRange {
                model: 0,
                index: bad,
                rows: x.n_rows(),
            });
        }
        if rows.is_empty() {
            return Err(ForestError::EmptyMatrix {
                stage: "fit",
                rows: 0,
                cols: x.n_cols(),
            });
        }
        let own;
        let ranks = match ranks {
            Some(r) => r,
            None => {
                own = ColumnRanks::new(x, rows);
                &own
            }
        };
        let grown = grow_trees(x, ranks, y, rows, params, params.n_estimators, cancel)?;
        Ok(Self::from_grown(grown, x.n_cols(), params.clone()))
    }

    pub(crate) fn from_grown(
        grown: Vec<GrownTree>,
        n_features: usize,
        params: ForestParams,
    ) -> Self {
        let importances = forest_importances(
            grown.iter().map(|g| g.importance_raw.as_slice()),
            n_features,
        );
        let trees = grown.into_iter().map(|g| g.tree).collect();
        Self {
            trees,
            n_features,
            importances,
            params,
        }
    }

    /// Number of feature columns the model expects.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// Number of trees.
    pub fn n_trees(&self) -> usize {
        self.trees.len()
    }

    /// The trees (flat storage).
    pub fn trees(&self) -> &[FlatTree] {
        &self.trees
    }

    /// Parameters the model was fitted with.
    pub fn params(&self) -> &ForestParams {
        &self.params
    }

    /// Impurity-based importances, one per feature, summing to 1 (all 0.0 if every tree is a
    /// single leaf).
    pub fn feature_importances(&self) -> &[f64] {
        &self.importances
    }

    /// Checks that `x` can be predicted (column count, finite values, not empty).
    pub fn check_predict_input(&self, x: &Matrix) -> Result<(), ForestError> {
        if x.n_cols() != self.n_features {
            return Err(ForestError::FeatureCountMismatch {
                expected: self.n_features,
                found: x.n_cols(),
            });
        }
        x.check_finite("predict")
    }

    /// Mean prediction of all trees for every row of `x`.
    pub fn predict(&self, x: &Matrix) -> Result<Vec<f64>, ForestError> {
        self.check_predict_input(x)?;
        let mut out = vec![0.0; x.n_rows()];
        self.predict_into_unchecked(x.as_slice(), &mut out);
        Ok(out)
    }

    /// Predicts the row-major rows in `rows` (`out.len()` rows, already validated) into `out`.
    pub(crate) fn predict_into_unchecked(&self, rows: &[f32], out: &mut [f64]) {
        let n_cols = self.n_features;
        let n_trees = self.trees.len() as f64;
        out.par_chunks_mut(PREDICT_CHUNK_ROWS)
            .zip(rows.par_chunks(PREDICT_CHUNK_ROWS * n_cols))
            .for_each(|(o, chunk)| {
                o.fill(0.0);
                accumulate_chunk(&self.trees, chunk, n_cols, o);
                o.iter_mut().for_each(|v| *v /= n_trees);
            });
    }

    /// Sequential prediction of a block of validated rows (used inside parallel callers).
    pub(crate) fn predict_block_seq(&self, rows: &[f32], out: &mut [f64]) {
        out.fill(0.0);
        accumulate_chunk(&self.trees, rows, self.n_features, out);
        let n_trees = self.trees.len() as f64;
        out.iter_mut().for_each(|v| *v /= n_trees);
    }
}
