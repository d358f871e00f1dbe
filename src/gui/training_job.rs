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
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// The training job: a [`JobHandle`] whose partial results are the timeline steps as they
/// finish (metrics, importances, maps) and whose result is the whole experiment. Its `name`
/// is the request's label; the failure message `"cancelled"` means the user cancelled.
pub type TrainingJob = JobHandle<Box<StepResult>, Box<ExperimentResult>>;

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
    w: &Worker<Box<StepResult>, Box<ExperimentResult>>,
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
    let on_step = |s: &StepResult| w.partial(Box::new(s.clone()));
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .saturating_sub(1)
        .max(1);
    let run = || run_experiment(&events, &opts, w.cancel_flag(), &progress, &on_step);
    let result = match rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("slidemap-forest-{i}"))
        .build()
    {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    };
    result.map_err(|e| match e {
        ExperimentError::Cancelled => "cancelled".to_string(),
        e => e.to_string(),
    })
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
