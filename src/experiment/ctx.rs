//! The shared context of one experiment run (options, cancel flag, progress and step
//! callbacks, accumulated timings and warnings, the ensemble cache) and the fit/predict
//! helpers every driver uses. `run.rs` builds it; the drivers (`same_event.rs`,
//! `global.rs`) borrow it, so neither imports `run.rs`.

use super::model_cache::EnsembleCache;
use super::{ExperimentError, ExperimentOptions, StepResult};
use crate::forest::{grid_search, ForestParams, GridSearchOptions, Matrix, RandomForest, Scoring};
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Seconds spent per stage, accumulated by the drivers.
#[derive(Debug, Default)]
pub(super) struct Timings {
    pub grid_search_s: f64,
    pub fitting_s: f64,
    pub prediction_s: f64,
    /// Calibration of intervals and P(LAD > 0.1): the out-of-fold models and their
    /// predictions (kept apart from the map's own fitting and prediction).
    pub calibration_s: f64,
}

/// Shared context of one run.
pub(super) struct Ctx<'a> {
    pub opts: &'a ExperimentOptions,
    pub cancel: &'a AtomicBool,
    pub progress: &'a dyn Fn(&str, f64),
    pub on_step: &'a dyn Fn(&StepResult),
    pub timings: RefCell<Timings>,
    pub warnings: RefCell<Vec<String>>,
    /// Where global ensembles are kept between runs, if anywhere.
    pub cache: Option<&'a dyn EnsembleCache>,
}

impl Ctx<'_> {
    pub fn check(&self) -> Result<(), ExperimentError> {
        if self.cancel.load(Ordering::Relaxed) {
            Err(ExperimentError::Cancelled)
        } else {
            Ok(())
        }
    }
    pub fn warn(&self, w: String) {
        let mut ws = self.warnings.borrow_mut();
        if !ws.contains(&w) {
            ws.push(w);
        }
    }

    /// The parameters to fit with: grid-searched on (x, y) when enabled, else the defaults.
    pub fn tuned_params(
        &self,
        x: &Matrix,
        y: &[f64],
        seed: u64,
        event: &str,
        step: usize,
    ) -> Result<Option<(ForestParams, RandomForest)>, ExperimentError> {
        if !self.opts.grid_search {
            return Ok(None);
        }
        let t0 = Instant::now();
        let gs = GridSearchOptions::default()
            .with_grid(self.opts.grid.clone())
            .with_n_folds(self.opts.folds)
            .with_scoring(Scoring::R2)
            .with_base(self.opts.forest.clone().with_seed(seed));
        let r = grid_search(x, y, &gs, self.cancel, &|_, _| {})
            .map_err(|e| ExperimentError::forest(event, step, e))?;
        self.timings.borrow_mut().grid_search_s += t0.elapsed().as_secs_f64();
        Ok(Some((r.best_params, r.model)))
    }

    /// Fit (after optional grid search) and predict `x_pred`; returns predictions and
    /// per-feature importances.
    pub fn fit_predict(
        &self,
        x: &Matrix,
        y: &[f64],
        x_pred: &Matrix,
        seed: u64,
        event: &str,
        step: usize,
    ) -> Result<(Vec<f64>, Vec<f64>), ExperimentError> {
        self.check()?;
        let model = match self.tuned_params(x, y, seed, event, step)? {
            Some((_, m)) => m,
            None => {
                let t0 = Instant::now();
                let m =
                    RandomForest::fit(x, y, &self.opts.forest.clone().with_seed(seed), self.cancel)
                        .map_err(|e| ExperimentError::forest(event, step, e))?;
                self.timings.borrow_mut().fitting_s += t0.elapsed().as_secs_f64();
                m
            }
        };
        let t0 = Instant::now();
        let pred = model
            .predict(x_pred)
            .map_err(|e| ExperimentError::forest(event, step, e))?;
        self.timings.borrow_mut().prediction_s += t0.elapsed().as_secs_f64();
        Ok((pred, model.feature_importances().to_vec()))
    }
}
