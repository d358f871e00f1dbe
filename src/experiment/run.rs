//! `run_experiment`: dispatch to the experiment drivers, collect streamed steps and timings.

use super::{
    global, same_event, ExperimentError, ExperimentKind, ExperimentOptions, ExperimentResult,
    StepResult,
};
use crate::features::EventData;
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
}

/// Refuse a project given twice and two events with one name
/// ([`crate::project::find_duplicate_event`]).
pub fn check_distinct_events(events: &[EventData]) -> Result<(), ExperimentError> {
    let projects: Vec<&crate::project::Project> = events.iter().map(|e| &e.project).collect();
    match crate::project::find_duplicate_event(&projects) {
        Some(d) => Err(ExperimentError::DuplicateEvent {
            message: d.message(&projects),
        }),
        None => Ok(()),
    }
}

/// Shared context of one run.
pub(super) struct Ctx<'a> {
    pub opts: &'a ExperimentOptions,
    pub cancel: &'a AtomicBool,
    pub progress: &'a dyn Fn(&str, f64),
    pub on_step: &'a dyn Fn(&StepResult),
    pub timings: RefCell<Timings>,
    pub warnings: RefCell<Vec<String>>,
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

/// Run one experiment over `events`. Each finished step goes to `on_step` as soon as it is
/// done (the GUI streams them); the full result is returned at the end.
pub fn run_experiment(
    events: &[EventData],
    opts: &ExperimentOptions,
    cancel: &AtomicBool,
    progress: &dyn Fn(&str, f64),
    on_step: &dyn Fn(&StepResult),
) -> Result<ExperimentResult, ExperimentError> {
    opts.validate()?;
    check_distinct_events(events)?;
    let ctx = Ctx {
        opts,
        cancel,
        progress,
        on_step,
        timings: RefCell::new(Timings::default()),
        warnings: RefCell::new(Vec::new()),
    };
    let t0 = Instant::now();
    let steps = match opts.kind {
        ExperimentKind::SameEvent | ExperimentKind::Holdout => {
            let mut all = Vec::new();
            for (i, ev) in events.iter().enumerate() {
                all.extend(same_event::run(ev, i, events.len(), &ctx)?);
            }
            all
        }
        ExperimentKind::Global | ExperimentKind::SarOnly => global::run(events, &ctx)?,
    };
    let t = ctx.timings.into_inner();
    let total = t0.elapsed().as_secs_f64();
    let timings = vec![
        ("grid search".to_string(), t.grid_search_s),
        ("fitting".to_string(), t.fitting_s),
        ("prediction".to_string(), t.prediction_s),
        (
            "other (sampling, metrics)".to_string(),
            (total - t.grid_search_s - t.fitting_s - t.prediction_s).max(0.0),
        ),
    ];
    Ok(ExperimentResult {
        kind: opts.kind,
        steps,
        grids: events
            .iter()
            .map(|e| (e.name().to_string(), e.table.coarse.clone()))
            .collect(),
        observed: events
            .iter()
            .map(|e| (e.name().to_string(), e.table.target.clone()))
            .collect(),
        target_names: events
            .iter()
            .map(|e| (e.name().to_string(), e.table.target_name.clone()))
            .collect(),
        warnings: ctx.warnings.into_inner(),
        timings,
    })
}
