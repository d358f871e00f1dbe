//! The training job: `run_experiment` on a [`JobHandle`] (a named worker thread, results
//! streamed step by step through its bounded channel, a shared cancel flag, `Drop`
//! cancels). The UI thread only drains within a budget.
//!
//! The worker runs the forests in its own rayon pool with one thread fewer than the
//! machine has, so the UI thread keeps a core while training.

use crate::experiment::{
    run_experiment, ExperimentError, ExperimentOptions, ExperimentResult, StepResult,
    TrainingSource,
};
use crate::gui::job::{JobHandle, Worker};
use crate::io::{transform_points, wgs84_wkt, Polygon};
use crate::pipeline::EventData;
use crate::rapid::{predict, ModelStore, PredictOptions, RapidError};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// The training job: a [`JobHandle`] whose partial results are the timeline steps as they
/// finish (metrics, importances, maps) and whose result is the whole experiment. Its `name`
/// is the request's label; the failure message `"cancelled"` means the user cancelled.
pub type TrainingJob = JobHandle<Box<RunStep>, Box<ExperimentResult>>;

/// One finished timeline step, and which of the run's models it comes from.
#[derive(Debug, Clone)]
pub struct RunStep {
    /// The step.
    pub step: StepResult,
    /// From the global model of a [`RunKind::Both`] run (else from the run's own model).
    pub global_of_both: bool,
}

/// What to train.
#[derive(Clone)]
pub struct TrainingRequest {
    /// Events (feature tables) in the order the experiment sees them.
    pub events: Vec<Arc<EventData>>,
    /// Experiment settings; `TrainingSource::Polygons` is filled from `polygons_lon_lat`.
    pub opts: ExperimentOptions,
    /// Drawn training polygons as (lon, lat) rings, reprojected on the worker.
    pub polygons_lon_lat: Option<Vec<Vec<[f64; 2]>>>,
    /// Feature columns to leave out (acquisitions switched off on the timeline).
    pub excluded_features: Vec<String>,
    /// Short description for the progress line.
    pub label: String,
    /// The paper's experiment over `events`, or a map of `events[0]` from the others.
    pub run: RunKind,
}

/// What a training request runs.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum RunKind {
    /// `run_experiment` over the events (leave one event out for global models).
    #[default]
    Experiment,
    /// `events[0]`, a new event, mapped by global ensembles from `events[1..]`
    /// (`slidemap predict --global`), or with the saved models of `models` (whose training
    /// events `events[1..]` are, in the manifest's order: `slidemap predict --models`).
    PredictCurrent {
        /// A saved model folder, if one is used.
        models: Option<std::path::PathBuf>,
    },
    /// `events[0]` mapped twice: by a same-event model from its own mapped cells (the
    /// request's options), then by global ensembles from `events[1..]` or the saved models
    /// of `models` (`slidemap predict --same-event --global | --models`). The global steps
    /// arrive marked [`RunStep::global_of_both`]; the result is the same-event run's, with
    /// the global run's warnings added (prefixed "global model: ").
    Both {
        /// The global model's options.
        global: Box<ExperimentOptions>,
        /// A saved model folder, if one is used.
        models: Option<std::path::PathBuf>,
        /// The global model's label in the results.
        label: String,
    },
}

/// Start training on a named thread (`slidemap-training`).
pub fn spawn_training(req: TrainingRequest, ctx: &egui::Context) -> TrainingJob {
    let label = req.label.clone();
    let mut job = JobHandle::spawn("training", ctx, move |w| train(&req, w).map(Box::new));
    job.name = label;
    job
}

/// `m:ss` for the ETA.
pub fn format_eta(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}:{:02}", s / 60, s % 60)
}

fn train(
    req: &TrainingRequest,
    w: &Worker<Box<RunStep>, Box<ExperimentResult>>,
) -> Result<ExperimentResult, String> {
    let mut opts = req.opts.clone();
    let mut events: Vec<EventData> = req.events.iter().map(|e| (**e).clone()).collect();
    if !req.excluded_features.is_empty() {
        for e in &mut events {
            e.table
                .columns
                .retain(|c| !req.excluded_features.contains(&c.name));
        }
    }
    if let (Some(rings), Some(first)) = (&req.polygons_lon_lat, events.first()) {
        opts.training =
            TrainingSource::Polygons(to_analysis_crs(rings, &first.table.coarse.crs_wkt)?);
    }
    // Progress may be dropped when the UI lags; steps and the end never are.
    let progress = |stage: &str, fraction: f64| w.try_progress(stage, fraction);
    let on_step = |s: &StepResult| {
        w.partial(Box::new(RunStep {
            step: s.clone(),
            global_of_both: false,
        }))
    };
    let on_global_step = |s: &StepResult| {
        w.partial(Box::new(RunStep {
            step: s.clone(),
            global_of_both: true,
        }))
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .saturating_sub(1)
        .max(1);
    let run = || match &req.run {
        RunKind::PredictCurrent { models } => predict_current(
            models.as_deref(),
            &events,
            &opts,
            w.cancel_flag(),
            &progress,
            &on_step,
        ),
        RunKind::Experiment => run_experiment(&events, &opts, w.cancel_flag(), &progress, &on_step)
            .map_err(experiment_message),
        RunKind::Both { global, models, .. } => predict_both(
            models.as_deref(),
            &events,
            (&opts, global),
            w.cancel_flag(),
            &progress,
            (&on_step, &on_global_step),
        ),
    };
    let result = match rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("slidemap-forest-{i}"))
        .build()
    {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    };
    result
}

/// The failure message of an experiment (`"cancelled"` when the user cancelled).
fn experiment_message(e: ExperimentError) -> String {
    match e {
        ExperimentError::Cancelled => "cancelled".to_string(),
        e => e.to_string(),
    }
}

/// `events[0]` mapped by global ensembles trained on `events[1..]`, or taken from the saved
/// models in `models` (checked against `events[1..]`, their training events as they are now).
fn predict_current(
    models: Option<&Path>,
    events: &[EventData],
    opts: &ExperimentOptions,
    cancel: &std::sync::atomic::AtomicBool,
    progress: &dyn Fn(&str, f64),
    on_step: &dyn Fn(&StepResult),
) -> Result<ExperimentResult, String> {
    let store = match models {
        Some(dir) => Some(ModelStore::open(dir).map_err(|e| format!("{e:#}"))?),
        None => None,
    };
    let (new, past) = events.split_first().ok_or("no event to predict")?;
    let popts = PredictOptions {
        global: Some(opts.clone()),
        same_event: None,
    };
    predict(new, past, &popts, store.as_ref(), cancel, progress, on_step)
        .map_err(rapid_message)?
        .global
        .ok_or_else(|| "the saved models gave no map".to_string())
}

/// Where a finished step goes.
type StepSink<'a> = &'a dyn Fn(&StepResult);

/// `events[0]` mapped by a same-event model with `opts.0` (steps to `on_step.0`), then by
/// the global model with `opts.1` as [`predict_current`] (steps to `on_step.1`): the
/// same-event result with the global run's warnings added.
fn predict_both(
    models: Option<&Path>,
    events: &[EventData],
    opts: (&ExperimentOptions, &ExperimentOptions),
    cancel: &std::sync::atomic::AtomicBool,
    progress: &dyn Fn(&str, f64),
    on_step: (StepSink<'_>, StepSink<'_>),
) -> Result<ExperimentResult, String> {
    let (new, _) = events.split_first().ok_or("no event to map")?;
    let own_opts = PredictOptions {
        global: None,
        same_event: Some(opts.0.clone()),
    };
    // one progress bar for the two: the first half is the same-event model's
    let own_progress =
        |stage: &str, f: f64| progress(&format!("my mapped areas: {stage}"), 0.5 * f);
    let global_progress =
        |stage: &str, f: f64| progress(&format!("past events: {stage}"), 0.5 + 0.5 * f);
    let mut own = predict(new, &[], &own_opts, None, cancel, &own_progress, on_step.0)
        .map_err(rapid_message)?
        .same_event
        .ok_or("the same-event model gave no map")?;
    let from_past = predict_current(models, events, opts.1, cancel, &global_progress, on_step.1)?;
    own.warnings.extend(
        from_past
            .warnings
            .into_iter()
            .map(|m| format!("{}{m}", crate::gui::results::GLOBAL_WARNING)),
    );
    Ok(own)
}

/// The failure message of a prediction (`"cancelled"` when the user cancelled).
fn rapid_message(e: RapidError) -> String {
    match e {
        RapidError::Experiment(e) => experiment_message(e),
        e => format!("{e:#}"),
    }
}

/// Reproject drawn (lon, lat) rings to the analysis CRS (empty CRS = already lon/lat).
pub fn to_analysis_crs(rings: &[Vec<[f64; 2]>], crs_wkt: &str) -> Result<Vec<Polygon>, String> {
    let wgs = wgs84_wkt().map_err(|e| format!("{e:#}"))?;
    rings
        .iter()
        .map(|r| {
            let mut ring = r.clone();
            if !crs_wkt.trim().is_empty() {
                transform_points(&mut ring, &wgs, crs_wkt, Path::new("training polygons"))
                    .map_err(|e| format!("training polygons: {e:#}"))?;
            }
            if let Some(first) = ring.first().copied() {
                ring.push(first);
            }
            Ok(Polygon::new(ring))
        })
        .collect()
}
