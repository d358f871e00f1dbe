//! `slidemap run PROJECT [PROJECT ...] --experiment KIND --out DIR …`: the paper's method
//! along the acquisition timeline, with CSV, GeoTIFF, PNG and HTML outputs.

use super::model_args::{ExperimentArg, FeatureSetArg, GfTransformArg, ModelArgs};
use super::progress::{bar, callback, cancel_flag, say};
use anyhow::{bail, Context, Result};
use clap::Args;
use rayon::prelude::*;
use slidemap::experiment::{
    run_experiment, ExperimentKind, ExperimentOptions, ExperimentResult, TrainingSource,
};
use slidemap::io::{read_vector, OutDir, VectorReadOptions};
use slidemap::pipeline::{build_event, EventData, FeatureOptions};
use slidemap::project::{find_duplicate_event, Project};
use slidemap::report::{write_outputs_with, ReportError, ReportOptions};
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of the verb.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// Project files (two or more for global / sar-only).
    #[arg(required = true)]
    pub projects: Vec<PathBuf>,
    /// same-event, global, sar-only or holdout.
    #[arg(long, value_enum, default_value = "same-event")]
    pub experiment: ExperimentArg,
    /// Output folder (written whole: a temporary sibling renamed into place at the end).
    #[arg(long)]
    pub out: PathBuf,
    /// Replace a non-empty output folder whole (default: refuse it).
    #[arg(long)]
    pub overwrite: bool,
    /// Repeats of the random training sample (paper: 30; hold-out: 1, one model per extent).
    #[arg(long, allow_hyphen_values = true, value_parser = super::parse_count)]
    pub repeats: Option<usize>,
    /// Random seed (a non-negative integer).
    #[arg(long, default_value_t = 0, allow_hyphen_values = true, value_parser = super::parse_seed)]
    pub seed: u64,
    /// Training polygons (GeoPackage/GeoJSON) for a same-event model.
    #[arg(long)]
    pub training: Option<PathBuf>,
    /// Skip the Table 2 grid search (default parameters).
    #[arg(long)]
    pub no_grid_search: bool,
    /// Models per global ensemble (paper: 100).
    #[arg(long, allow_hyphen_values = true, value_parser = super::parse_count)]
    pub ensemble: Option<usize>,
    /// Quick preset: no grid search, 5 repeats (hold-out: 1), ensembles of 20.
    #[arg(long)]
    pub quick: bool,
    /// Global / SAR-only feature set: the paper's Table 1, or extended (+ terrain, PGV).
    #[arg(long, value_enum, default_value = "table1")]
    pub features: FeatureSetArg,
    /// Ground-failure product transform in global models (rank: per-event quantiles).
    #[arg(long, value_enum, default_value = "none")]
    pub gf_transform: GfTransformArg,
    /// Nominal coverage of the calibrated predictive interval, between 0 and 1 (exclusive).
    #[arg(long, default_value_t = 0.9, allow_hyphen_values = true, value_name = "LEVEL", value_parser = super::parse_level)]
    pub interval_level: f64,
}

/// Load the project files, refusing a project given twice and two events with one name
/// before any feature is built.
pub fn load_projects(paths: &[PathBuf]) -> Result<Vec<Project>> {
    let projects = paths
        .iter()
        .map(|p| Project::load(p))
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&Project> = projects.iter().collect();
    if let Some(d) = find_duplicate_event(&refs) {
        bail!("{}", d.message(&refs));
    }
    Ok(projects)
}

/// Load every project into analysis layers, events in parallel (timed).
pub fn load_events(projects: &[PathBuf]) -> Result<(Vec<EventData>, f64)> {
    let t0 = Instant::now();
    let loaded = load_projects(projects)?;
    let cancel = cancel_flag();
    let pb = bar("features");
    let n = projects.len().max(1) as f64;
    let fractions: Vec<std::sync::Mutex<f64>> = projects
        .iter()
        .map(|_| std::sync::Mutex::new(0.0))
        .collect();
    let events = loaded
        .par_iter()
        .enumerate()
        .map(|(i, project)| -> Result<EventData> {
            let p = &project.path;
            let report = |stage: &str, f: f64| {
                if let Ok(mut slot) = fractions[i].lock() {
                    *slot = f;
                }
                let total: f64 = fractions
                    .iter()
                    .filter_map(|m| m.lock().ok().map(|v| *v))
                    .sum();
                pb.set_position((total / n * 1000.0) as u64);
                pb.set_message(format!("{}: {stage}", project.file.event.name));
            };
            build_event(
                project,
                &FeatureOptions::default().with_keep_fine_dem(false),
                &cancel,
                &report,
            )
            .with_context(|| format!("building features of {}", p.display()))
        })
        .collect::<Result<Vec<_>>>()?;
    pb.finish_and_clear();
    for ev in &events {
        for w in &ev.warnings {
            eprintln!("warning ({}): {w}", ev.name());
        }
    }
    Ok((events, t0.elapsed().as_secs_f64()))
}

/// Run the verb: options → output folder refused early if unusable → features →
/// experiment → report, then the folder is committed.
pub fn run(args: &RunArgs) -> Result<()> {
    let kind = ExperimentKind::from(args.experiment);
    let mut opts = ModelArgs {
        quick: args.quick,
        ensemble: args.ensemble,
        no_grid_search: args.no_grid_search,
        repeats: args.repeats,
        seed: args.seed,
        features: args.features,
        gf_transform: args.gf_transform,
        interval_level: args.interval_level,
    }
    .options(kind)?;
    // Refuse a file or a non-empty folder before the (long) computation.
    let mut inputs: Vec<&std::path::Path> = args.projects.iter().map(|p| p.as_path()).collect();
    inputs.extend(args.training.as_deref());
    let out_dir = OutDir::prepare_for(&args.out, args.overwrite, &inputs)?;
    let (events, features_s) = load_events(&args.projects)?;
    if let Some(path) = &args.training {
        if kind != ExperimentKind::SameEvent {
            bail!("--training polygons apply to the same-event experiment only");
        }
        opts = opts.with_training(training_polygons(path, &events)?);
    }
    let t0 = Instant::now();
    let mut result = experiment(&events, &opts, args)?;
    result.timings.insert(0, ("features".into(), features_s));
    let experiment_s = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let (files, out) = write_report(&result, settings(args, &opts), out_dir, args)?;
    for w in &result.warnings {
        eprintln!("warning: {w}");
    }
    eprintln!("{} steps in {experiment_s:.1} s (features {features_s:.1} s, outputs {:.1} s); {} files in {}", result.steps.len(), t1.elapsed().as_secs_f64(), files, out.display());
    println!("{}", out.join("report.html").display());
    Ok(())
}

/// `--training` polygons in the analysis CRS of the (first) event.
fn training_polygons(path: &std::path::Path, events: &[EventData]) -> Result<TrainingSource> {
    let crs = &events
        .first()
        .context("no project given")?
        .table
        .coarse
        .crs_wkt;
    let layer = read_vector(path, &VectorReadOptions::new(crs))?;
    let polys: Vec<_> = layer.features.into_iter().flat_map(|f| f.parts).collect();
    if polys.is_empty() {
        bail!("{}: contains no polygon", path.display());
    }
    Ok(TrainingSource::Polygons(polys))
}

/// The experiment with a progress bar and one line per finished step.
fn experiment(
    events: &[EventData],
    opts: &ExperimentOptions,
    args: &RunArgs,
) -> Result<ExperimentResult> {
    let pb = bar(opts.kind.name());
    let cb = callback(&pb);
    let result = run_experiment(events, opts, &cancel_flag(), &cb, &|s| {
        say(
            &pb,
            format!(
                "{:>14} step {} (+{} d, {}): AUC {:.3} ± {:.3}, r² {:.3}",
                s.event, s.step, s.days_after_event, s.sensor, s.auc.mean, s.auc.sd, s.r2.mean
            ),
        );
    });
    pb.finish_and_clear();
    match result {
        Ok(r) => Ok(r),
        Err(slidemap::experiment::ExperimentError::Cancelled) => {
            bail!("cancelled: nothing was written to {}", args.out.display())
        }
        Err(e) => Err(e.into()),
    }
}

/// The settings table of `report.html`: the options, the project files after the
/// experiment, and the `--training` file instead of the polygon count.
fn settings(args: &RunArgs, opts: &ExperimentOptions) -> Vec<(String, String)> {
    let mut settings = opts.describe();
    settings.insert(
        1,
        (
            "projects".to_string(),
            args.projects
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    );
    if let (Some(path), Some(training)) = (&args.training, settings.last_mut()) {
        training.1 = path.display().to_string();
    }
    settings
}

/// Write the outputs into the temporary folder and commit it; returns the number of files
/// and the final folder. A run without any result still commits (the report says why) and
/// fails; a cancel leaves nothing.
fn write_report(
    result: &ExperimentResult,
    settings: Vec<(String, String)>,
    out_dir: OutDir,
    args: &RunArgs,
) -> Result<(usize, PathBuf)> {
    let pb = bar("outputs");
    let written = write_outputs_with(
        result,
        out_dir.path(),
        &ReportOptions {
            settings,
            ..ReportOptions::default()
        },
        &cancel_flag(),
        &mut |stage, f| {
            pb.set_position((f.clamp(0.0, 1.0) * 1000.0) as u64);
            pb.set_message(stage.to_string());
        },
    );
    pb.finish_and_clear();
    let files = match written {
        Ok(files) => files,
        // Dropping `out_dir` removes the temporary folder: nothing half-written remains.
        Err(ReportError::Cancelled { .. }) => {
            bail!("cancelled: nothing was written to {}", args.out.display())
        }
        Err(ReportError::NoResults { n_warnings, .. }) => {
            let out = out_dir.commit()?;
            bail!(
                "the experiment produced no result ({n_warnings} warning(s)); see {}",
                out.join("report.html").display()
            )
        }
        Err(e) => return Err(e.into()),
    };
    Ok((files.len(), out_dir.commit()?))
}
