//! The training job handle: `run_experiment` on a named worker thread, results
//! streamed step by step through a bounded crossbeam channel, a shared cancel flag, and
//! `Drop` cancels. The UI thread only drains within a budget.
//!
//! The worker runs the forests in its own rayon pool with one thread fewer than the
//! machine has, so the UI thread keeps a core while training.

use crate::experiment::{
    run_experiment, ExperimentError, ExperimentOptions, ExperimentResult, StepResult,
    TrainingSource,
};
use crate::features::EventData;
use crate::io::{transform_points, wgs84_wkt, Polygon};
use crossbeam_channel::{bounded, Receiver, Sender};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the training worker reports.
#[derive(Debug)]
pub enum TrainingEvent {
    /// Stage name and fraction done in 0..=1.
    Progress {
        /// e.g. "Gorkha: step 2 of 5".
        stage: String,
        /// 0..=1.
        fraction: f64,
    },
    /// One timeline step finished, with its metrics, importances and maps.
    StepFinished(Box<StepResult>),
    /// The experiment finished.
    Done(Box<ExperimentResult>),
    /// It failed (or was cancelled); the message is shown in the UI.
    Failed(String),
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
}

/// The UI side of one training run.
pub struct TrainingJob {
    /// What runs.
    pub label: String,
    rx: Receiver<TrainingEvent>,
    cancel: Arc<AtomicBool>,
    /// Last stage.
    pub stage: String,
    /// Last fraction done.
    pub fraction: f64,
    /// When it started.
    pub started: Instant,
    /// True once `Done` or `Failed` arrived.
    pub finished: bool,
}

impl TrainingJob {
    /// Start training on a named thread.
    pub fn spawn(req: TrainingRequest, ctx: &egui::Context) -> Self {
        let (tx, rx) = bounded(64);
        let cancel = Arc::new(AtomicBool::new(false));
        let label = req.label.clone();
        let flag = cancel.clone();
        let ctx2 = ctx.clone();
        let tx2 = tx.clone();
        let spawned = std::thread::Builder::new()
            .name("slidemap-training".into())
            .spawn(move || {
                let ev = match train(&req, &flag, &tx2, &ctx2) {
                    Ok(r) => TrainingEvent::Done(Box::new(r)),
                    Err(e) => TrainingEvent::Failed(e),
                };
                tx2.send(ev).ok();
                ctx2.request_repaint();
            });
        if let Err(e) = spawned {
            tx.send(TrainingEvent::Failed(format!(
                "could not start the training thread: {e}"
            )))
            .ok();
        }
        Self {
            label,
            rx,
            cancel,
            stage: "starting".into(),
            fraction: 0.0,
            started: Instant::now(),
            finished: false,
        }
    }

    /// Drain events for at most `budget`; progress is absorbed into `stage`/`fraction`.
    pub fn drain(&mut self, budget: Duration) -> Vec<TrainingEvent> {
        let start = Instant::now();
        let mut out = Vec::new();
        for ev in self.rx.try_iter() {
            match ev {
                TrainingEvent::Progress { stage, fraction } => {
                    self.stage = stage;
                    self.fraction = fraction;
                }
                e @ (TrainingEvent::Done(_) | TrainingEvent::Failed(_)) => {
                    self.finished = true;
                    out.push(e);
                }
                e => out.push(e),
            }
            if start.elapsed() > budget {
                break;
            }
        }
        out
    }

    /// Ask the worker to stop at its next check (between models).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// True once cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Remaining time from the rate so far (after 2 % progress).
    pub fn eta(&self) -> Option<Duration> {
        let f = self.fraction;
        (f > 0.02 && f < 1.0).then(|| self.started.elapsed().mul_f64((1.0 - f) / f))
    }
}

impl Drop for TrainingJob {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// `m:ss` for the ETA.
pub fn format_eta(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}:{:02}", s / 60, s % 60)
}

fn train(
    req: &TrainingRequest,
    cancel: &AtomicBool,
    tx: &Sender<TrainingEvent>,
    ctx: &egui::Context,
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
    let progress = |stage: &str, fraction: f64| {
        // Progress may be dropped when the UI lags; steps and the end never are.
        tx.try_send(TrainingEvent::Progress {
            stage: stage.to_string(),
            fraction,
        })
        .ok();
        ctx.request_repaint();
    };
    let on_step = |s: &StepResult| {
        tx.send(TrainingEvent::StepFinished(Box::new(s.clone())))
            .ok();
        ctx.request_repaint();
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .saturating_sub(1)
        .max(1);
    let run = || run_experiment(&events, &opts, cancel, &progress, &on_step);
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
