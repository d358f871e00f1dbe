//! `slidemap predict NEW.toml --global PAST.toml … | --models DIR | --same-event [--training
//! AREAS] [--as-of YYYY-MM-DD] --out DIR`: maps of a new event from global ensembles and/or
//! from its own mapped areas, one per timeline step, scored only where truth exists.

use super::model_args::ModelArgs;
use super::progress::{bar, callback, cancel_flag, say};
use super::run::load_events;
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use clap::Args;
use slidemap::experiment::{ExperimentKind, TrainingSource};
use slidemap::io::{read_vector, OutDir, VectorReadOptions};
use slidemap::pipeline::EventData;
use slidemap::rapid::{
    predict, write_prediction, ModelStore, PredictOptions, PredictOutput, PredictionRun,
};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// Arguments of `predict`.
#[derive(Debug, Clone, Args)]
pub struct PredictArgs {
    /// The new event's project file (an inventory is optional).
    pub project: PathBuf,
    /// Global model: past events (project files with inventories) to train ensembles on.
    #[arg(long, num_args = 1.., value_name = "PAST.toml")]
    pub global: Vec<PathBuf>,
    /// Global model: a folder of saved ensembles (`slidemap train`); missing steps are trained
    /// from its past events and added to it.
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Same-event model from the new event's own mapped cells.
    #[arg(long)]
    pub same_event: bool,
    /// Same-event model: train only on mapped cells inside these polygons (GeoPackage,
    /// GeoJSON, Shapefile); default: every mapped cell.
    #[arg(long, value_name = "AREAS")]
    pub training: Option<PathBuf>,
    /// Use only acquisitions available on this date (YYYY-MM-DD); default: all.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Output folder (written whole at the end; must be absent or empty unless --overwrite).
    #[arg(long)]
    pub out: PathBuf,
    /// Replace a non-empty --out folder whole.
    #[arg(long)]
    pub overwrite: bool,
    /// Minimum distance (m) between training cells and independent test cells.
    #[arg(long, default_value_t = 200.0, value_name = "M")]
    pub buffer_m: f64,
    /// Map only the last step of the (as-of) timeline (the newest acquisition).
    #[arg(long)]
    pub latest_only: bool,
    /// True-positive rate on validation cells that the "landslides likely" mask keeps.
    #[arg(long, default_value_t = 0.8, value_name = "RATE")]
    pub mask_tpr: f64,
    /// Model options.
    #[command(flatten)]
    pub model: ModelArgs,
}

/// A date argument, with the date and the reason when it is not one.
pub fn parse_date(s: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|e| format!("{s:?} is not a calendar date in YYYY-MM-DD form ({e})"))
}

/// Run the verb.
pub fn run(args: &PredictArgs, command_line: &[String]) -> Result<()> {
    let global_wanted = check_args(args)?;
    // refuse a file or a non-empty folder before the (long) computation
    let mut inputs: Vec<&std::path::Path> = vec![args.project.as_path()];
    inputs.extend(args.global.iter().map(|p| p.as_path()));
    inputs.extend(args.models.as_deref());
    inputs.extend(args.training.as_deref());
    let out_dir = OutDir::prepare_for(&args.out, args.overwrite, &inputs)?;
    let store = open_store(args)?;
    let past_paths = past_event_paths(args, store.as_ref());
    let mut all = vec![args.project.clone()];
    all.extend(past_paths.iter().cloned());
    let (mut events, features_s) = load_events(&all)?;
    let new = events.remove(0);
    let past = events;

    let opts = predict_options(args, global_wanted, &new)?;
    let t0 = Instant::now();
    let cancel = cancel_flag();
    let output = run_models(args, &new, &past, &opts, store.as_ref(), &cancel)?;
    let model_s = t0.elapsed().as_secs_f64();
    for r in [&output.global, &output.same_event].into_iter().flatten() {
        for w in &r.warnings {
            eprintln!("warning: {w}");
        }
    }
    let run = PredictionRun {
        new: &new,
        past: &past,
        output: &output,
        opts: &opts,
        command_line,
        models: args.models.as_deref(),
        as_of: args.as_of,
        created_utc: now_utc(),
    };
    let t1 = Instant::now();
    // Dropping `out_dir` on an error removes the temporary folder: nothing half-written.
    let files = write_prediction(&run, out_dir.path(), &cancel, &mut |_, _| {})
        .with_context(|| format!("writing into {}", args.out.display()))?;
    let out = out_dir.commit()?;
    eprintln!(
        "{} file(s) in {} (features {features_s:.1} s, models {model_s:.1} s, outputs {:.1} s)",
        files.len(),
        out.display(),
        t1.elapsed().as_secs_f64()
    );
    println!("{}", out.join("report.html").display());
    Ok(())
}

/// The arguments' own checks (before anything is read); whether a global model is wanted.
fn check_args(args: &PredictArgs) -> Result<bool> {
    if !(args.buffer_m.is_finite() && args.buffer_m >= 0.0) {
        bail!(
            "--buffer-m {}: give a distance of 0 m or more",
            args.buffer_m
        );
    }
    if !(args.mask_tpr > 0.0 && args.mask_tpr <= 1.0) {
        bail!(
            "--mask-tpr {}: give a rate in (0, 1], e.g. 0.8",
            args.mask_tpr
        );
    }
    let global_wanted = !args.global.is_empty() || args.models.is_some();
    if !global_wanted && !args.same_event {
        bail!("nothing to predict with: give --global PAST.toml …, --models DIR, --same-event, or a global and a same-event model together");
    }
    if args.training.is_some() && !args.same_event {
        bail!("--training AREAS is for the same-event model: add --same-event");
    }
    Ok(global_wanted)
}

/// The model folder of `--models`, opened (none without it).
fn open_store(args: &PredictArgs) -> Result<Option<ModelStore>> {
    Ok(match &args.models {
        Some(dir) => Some(
            ModelStore::open(dir)
                .with_context(|| format!("opening the model folder {}", dir.display()))?,
        ),
        None => None,
    })
}

/// The past events: `--global`'s, or the model folder's training events when none is given.
fn past_event_paths(args: &PredictArgs, store: Option<&ModelStore>) -> Vec<PathBuf> {
    let mut past_paths = args.global.clone();
    if let (Some(s), true) = (store, past_paths.is_empty()) {
        past_paths = s
            .manifest
            .training_events
            .iter()
            .map(|e| e.project.clone())
            .collect();
    }
    past_paths
}

/// The global and/or same-event options asked for.
fn predict_options(
    args: &PredictArgs,
    global_wanted: bool,
    new: &EventData,
) -> Result<PredictOptions> {
    let mut opts = PredictOptions::default();
    if global_wanted {
        let o = args
            .model
            .options(ExperimentKind::Global)?
            .with_as_of(args.as_of)
            .with_latest_only(args.latest_only)
            .with_buffer_m(args.buffer_m);
        let mut o = o;
        o.mask_tpr = args.mask_tpr;
        opts.global = Some(o);
    }
    if args.same_event {
        let training = same_event_training(args, new)?;
        let mut o = args
            .model
            .options(ExperimentKind::SameEvent)?
            .with_training(training)
            .with_as_of(args.as_of)
            .with_latest_only(args.latest_only)
            .with_buffer_m(args.buffer_m);
        o.mask_tpr = args.mask_tpr;
        opts.same_event = Some(o);
    }
    Ok(opts)
}

/// Where the same-event model trains: `--training`'s polygons, or every mapped cell.
fn same_event_training(args: &PredictArgs, new: &EventData) -> Result<TrainingSource> {
    Ok(match &args.training {
        Some(path) => {
            let layer = read_vector(path, &VectorReadOptions::new(&new.table.coarse.crs_wkt))?;
            let polys: Vec<_> = layer.features.into_iter().flat_map(|f| f.parts).collect();
            if polys.is_empty() {
                bail!("{}: contains no polygon", path.display());
            }
            TrainingSource::Polygons(polys)
        }
        None => TrainingSource::AllMapped,
    })
}

/// The models' predictions, with a progress bar and a line per step; a cancel says nothing
/// was written.
fn run_models(
    args: &PredictArgs,
    new: &EventData,
    past: &[EventData],
    opts: &PredictOptions,
    store: Option<&ModelStore>,
    cancel: &AtomicBool,
) -> Result<PredictOutput> {
    let pb = bar("predict");
    let cb = callback(&pb);
    let result = predict(new, past, opts, store, cancel, &cb, &|s| {
        let score = if s.validation.kind == slidemap::experiment::ValidationKind::None {
            "not scored".to_string()
        } else {
            format!("AUC {:.3} ({})", s.auc.mean, s.validation.kind.name())
        };
        say(
            &pb,
            format!(
                "{:>14} step {} ({}, +{} d, {}): {score}",
                s.event, s.step, s.date, s.days_after_event, s.sensor
            ),
        );
    });
    pb.finish_and_clear();
    match result {
        Ok(r) => Ok(r),
        Err(slidemap::rapid::RapidError::Experiment(
            slidemap::experiment::ExperimentError::Cancelled,
        )) => bail!("cancelled: nothing was written to {}", args.out.display()),
        Err(e) => Err(e.into()),
    }
}

/// Now in UTC as ISO 8601 (the core never reads the clock; the CLI records when it ran).
fn now_utc() -> Option<String> {
    slidemap::rapid::iso_utc(std::time::SystemTime::now())
}
