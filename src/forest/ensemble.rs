//! Ensembles of forests trained on random undersamples, summarised per cell.
//!
//! Contract: model `i` is a [`RandomForest`] fitted on the caller's row subset `i` with the
//! base parameters and seed `combine(seed, i)` (so results do not depend on the number of
//! threads). [`Ensemble::summarize`] streams over rows in chunks of
//! [`crate::forest::PREDICT_CHUNK_ROWS`] (memory: `n_models x chunk` values per worker, never
//! `n_models x rows`) and returns per row the median, 5th and 95th percentiles (numpy's
//! default linear interpolation) and the population variance (ddof = 0) of the member
//! predictions.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::forest::forest::validate_training;
use crate::forest::ranks::ColumnRanks;
use crate::forest::rng::combine;
use crate::forest::{ForestError, ForestParams, Matrix, RandomForest, PREDICT_CHUNK_ROWS};

/// Number of models in a default ensemble.
pub const DEFAULT_ENSEMBLE_SIZE: usize = 100;

/// A set of forests, each trained on its own row subset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ensemble {
    models: Vec<RandomForest>,
}

/// Per-row summary of the member predictions.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EnsembleSummary {
    /// Median (50th percentile).
    pub median: Vec<f64>,
    /// 5th percentile.
    pub p05: Vec<f64>,
    /// 95th percentile.
    pub p95: Vec<f64>,
    /// Population variance (ddof = 0).
    pub variance: Vec<f64>,
}

/// numpy `percentile(values, q, method="linear")` of sorted `values` (non-empty), `q` in [0,100].
pub fn percentile_sorted(values: &[f64], q: f64) -> f64 {
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    let pos = q / 100.0 * (n - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    let t = pos - lo as f64;
    let (a, b) = (values[lo], values[hi]);
    // numpy's _lerp: symmetric formula for accuracy
    if t >= 0.5 {
        b - (b - a) * (1.0 - t)
    } else {
        a + (b - a) * t
    }
}

impl Ensemble {
    /// Fits one model per row subset, in parallel; `progress(done, total)` counts models.
    pub fn fit(
        x: &Matrix,
        y: &[f64],
        row_sets: &[Vec<usize>],
        params: &ForestParams,
        cancel: &AtomicBool,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Self, ForestError> {
        validate_training(x, y, params)?;
        if row_sets.is_empty() {
            return Err(ForestError::InvalidParameter {
                name: "row_sets",
                reason: "an ensemble needs at least one model".into(),
            });
        }
        for (model, set) in row_sets.iter().enumerate() {
            if set.is_empty() {
                return Err(ForestError::EmptyRowSubset { model });
            }
            if let Some(&index) = set.iter().find(|&&r| r >= x.n_rows()) {
                return Err(ForestError::RowIndexOutOfRange {
                    model,
                    index,
                    rows: x.n_rows(),
                });
            }
        }
        // value ranks of every row, computed once and shared by all models
        let all_rows: Vec<usize> = (0..x.n_rows()).collect();
        let ranks = ColumnRanks::new(x, &all_rows);
        let done = AtomicUsize::new(0);
        let total = row_sets.len();
        let models = row_sets
            .par_iter()
            .enumerate()
            .map(|(i, rows)| {
                let p = params.clone().with_seed(combine(params.seed, i as u64));
                let m = RandomForest::fit_rows_validated(x, Some(&ranks), y, rows, &p, cancel)?;
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                Ok(m)
            })
            .collect::<Result<Vec<_>, ForestError>>()?;
        Ok(Self { models })
    }

    /// Like [`Ensemble::fit`] with `n_models` subsets produced by `rows_for(model_index)`.
    pub fn fit_with(
        x: &Matrix,
        y: &[f64],
        n_models: usize,
        rows_for: impl Fn(usize) -> Vec<usize>,
        params: &ForestParams,
        cancel: &AtomicBool,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Self, ForestError> {
        let sets: Vec<Vec<usize>> = (0..n_models).map(rows_for).collect();
        Self::fit(x, y, &sets, params, cancel, progress)
    }

    /// The member models.
    pub fn models(&self) -> &[RandomForest] {
        &self.models
    }

    /// Streams the per-row median, 5th/95th percentiles and variance of member predictions.
    pub fn summarize(
        &self,
        x: &Matrix,
        cancel: &AtomicBool,
    ) -> Result<EnsembleSummary, ForestError> {
        let Some(first) = self.models.first() else {
            return Ok(EnsembleSummary::default());
        };
        first.check_predict_input(x)?;
        let n = x.n_rows();
        let n_cols = x.n_cols();
        let k = self.models.len();
        let mut s = EnsembleSummary {
            median: vec![0.0; n],
            p05: vec![0.0; n],
            p95: vec![0.0; n],
            variance: vec![0.0; n],
        };
        s.median
            .par_chunks_mut(PREDICT_CHUNK_ROWS)
            .zip(s.p05.par_chunks_mut(PREDICT_CHUNK_ROWS))
            .zip(s.p95.par_chunks_mut(PREDICT_CHUNK_ROWS))
            .zip(s.variance.par_chunks_mut(PREDICT_CHUNK_ROWS))
            .zip(x.as_slice().par_chunks(PREDICT_CHUNK_ROWS * n_cols))
            .try_for_each(|((((med, p05), p95), var), rows)| {
                if cancel.load(Ordering::Relaxed) {
                    return Err(ForestError::Cancelled);
                }
                let m = med.len();
                let mut preds = vec![0.0; k * m]; // model-major
                for (model, out) in self.models.iter().zip(preds.chunks_exact_mut(m)) {
                    model.predict_block_seq(rows, out);
                }
                let mut cell = vec![0.0; k];
                for r in 0..m {
                    for (c, model_preds) in cell.iter_mut().zip(preds.chunks_exact(m)) {
                        *c = model_preds[r];
                    }
                    let mean = cell.iter().sum::<f64>() / k as f64;
                    var[r] = cell.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / k as f64;
                    cell.sort_by(f64::total_cmp);
                    med[r] = percentile_sorted(&cell, 50.0);
                    p05[r] = percentile_sorted(&cell, 5.0);
                    p95[r] = percentile_sorted(&cell, 95.0);
                }
                Ok(())
            })?;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn percentiles_follow_numpy_linear_interpolation() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile_sorted(&v, 50.0), 2.5);
        assert!((percentile_sorted(&v, 5.0) - 1.15).abs() < 1e-12);
        assert!((percentile_sorted(&v, 95.0) - 3.85).abs() < 1e-12);
        assert_eq!(percentile_sorted(&[7.0], 95.0), 7.0);
    }
}
