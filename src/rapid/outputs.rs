//! The files of a prediction (`slidemap predict`): per map set the
//! experiment outputs (`metrics.csv`, `maps/<event>/predicted_step<k>.tif` and the
//! uncertainty layers, the "landslides likely" masks, all COG + `.qml`; figures,
//! `report.html`), `latest.kmz` (the last step's map for Google Earth), and
//! `provenance.json` (inputs with size and SHA-256, acquisitions used, parameters, seeds,
//! SlideMap version, command line).
//!
//! One map set goes straight into the output folder; a global and a same-event set together
//! go into `global/` and `same-event/` below it, with `provenance.json` and an index
//! `report.html` at the top.

use super::digest::{project_digests, FileDigest};
use super::{PredictOptions, PredictOutput, RapidError};
use crate::experiment::{timeline_of, ExperimentOptions, ExperimentResult};
use crate::io::atomic_write_bytes;
use crate::pipeline::EventData;
use crate::report::responder::{write_kmz, LayerStyle, QmlRamp};
use crate::report::{write_outputs_with, ReportOptions};
use chrono::NaiveDate;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// Everything about a finished prediction that its files record.
pub struct PredictionRun<'a> {
    /// The new event.
    pub new: &'a EventData,
    /// The past events of the global model.
    pub past: &'a [EventData],
    /// The map sets.
    pub output: &'a PredictOutput,
    /// The options used.
    pub opts: &'a PredictOptions,
    /// The command line (or the window's action) that asked for it.
    pub command_line: &'a [String],
    /// The model folder used, if any.
    pub models: Option<&'a Path>,
    /// `--as-of`.
    pub as_of: Option<NaiveDate>,
    /// When it ran (UTC, ISO 8601), supplied by the caller (the core never reads the clock).
    pub created_utc: Option<String>,
}

/// One acquisition used by a map set.
#[derive(Debug, Clone, Serialize)]
pub struct AcquisitionUsed {
    /// Timeline step that added it.
    pub step: usize,
    /// Date of the step.
    pub date: NaiveDate,
    /// Sensor name.
    pub sensor: String,
    /// Track.
    pub track: String,
    /// Pass.
    pub pass: String,
    /// Feature columns it added.
    pub features: Vec<String>,
}

/// One step of a map set, for the record.
#[derive(Debug, Clone, Serialize)]
pub struct StepRecord {
    /// Map set ("global", "same-event").
    pub model: String,
    /// Step index.
    pub step: usize,
    /// Step date.
    pub date: NaiveDate,
    /// Validation kind of its score.
    pub validation: String,
    /// Cells and landslide cells scored.
    pub n_scored: usize,
    /// Landslide cells scored.
    pub n_scored_landslide: usize,
    /// AUC (absent when not scored).
    pub auc: Option<f64>,
    /// "Landslides likely" threshold on predicted LAD (absent when not scored).
    pub likely_threshold: Option<f64>,
    /// Nominal level of the calibrated interval (absent when none was published).
    pub interval_level: Option<f64>,
    /// Its coverage on the validation cells (absent when not scored).
    pub interval_coverage: Option<f64>,
    /// How the interval and P(LAD > 0.1) were calibrated, or why they were not.
    pub uncertainty: Option<String>,
}

/// `provenance.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// SlideMap version.
    pub slidemap_version: String,
    /// The command line.
    pub command_line: Vec<String>,
    /// When it ran, if the caller said.
    pub created_utc: Option<String>,
    /// The new event's name and date.
    pub event: String,
    /// Event date.
    pub event_date: NaiveDate,
    /// `--as-of`.
    pub as_of: Option<NaiveDate>,
    /// Inputs of the new event.
    pub inputs: Vec<FileDigest>,
    /// Inputs of each past event (global model).
    pub past_events: Vec<(String, Vec<FileDigest>)>,
    /// The model folder, if one was used.
    pub models: Option<PathBuf>,
    /// Acquisitions used (up to `as_of`).
    pub acquisitions_used: Vec<AcquisitionUsed>,
    /// Parameters per map set as (name, value).
    pub parameters: Vec<(String, Vec<(String, String)>)>,
    /// Seeds per map set.
    pub seeds: Vec<(String, u64)>,
    /// Steps and their validation.
    pub steps: Vec<StepRecord>,
}

/// The settings of a map set, for `report.html` and `provenance.json`.
pub fn describe_options(o: &ExperimentOptions) -> Vec<(String, String)> {
    vec![
        ("model".into(), o.kind.name().into()),
        ("seed".into(), o.seed.to_string()),
        ("repeats (same-event)".into(), o.repeats.to_string()),
        ("ensemble size (global)".into(), o.ensemble_size.to_string()),
        ("cells per class and past event".into(), o.global_per_class.to_string()),
        (
            "grid search".into(),
            if o.grid_search {
                format!("Table 2 grid, {} folds", o.folds)
            } else {
                "off".into()
            },
        ),
        (
            "forest".into(),
            format!(
                "{} trees ({:?} per ensemble member), max_features {:?}, max_depth {:?}, min_samples_split {}, min_samples_leaf {}",
                o.forest.n_estimators,
                o.ensemble_member_trees,
                o.forest.max_features,
                o.forest.max_depth,
                o.forest.min_samples_split,
                o.forest.min_samples_leaf
            ),
        ),
        ("global features".into(), o.global_features.name().into()),
        ("ground-failure transform".into(), o.gf_transform.name().into()),
        ("buffer between training and test cells".into(), format!("{} m", o.buffer_m)),
        ("landslides-likely mask keeps TPR".into(), o.mask_tpr.to_string()),
        (
            "as of".into(),
            o.as_of.map_or("all acquisitions".into(), |d| d.to_string()),
        ),
    ]
}

/// The map sets with their folder names.
fn sets(
    output: &PredictOutput,
    opts: &PredictOptions,
) -> Vec<(&'static str, ExperimentResult, ExperimentOptions)> {
    let mut v = Vec::new();
    if let (Some(r), Some(o)) = (&output.global, &opts.global) {
        v.push(("global", r.clone(), o.clone()));
    }
    if let (Some(r), Some(o)) = (&output.same_event, &opts.same_event) {
        v.push(("same-event", r.clone(), o.clone()));
    }
    v
}

/// The provenance record of a prediction.
pub fn provenance(run: &PredictionRun) -> Result<Provenance, RapidError> {
    let new = run.new;
    let first = run.opts.global.as_ref().or(run.opts.same_event.as_ref());
    let tl = first.map(|o| timeline_of(new, o));
    let acquisitions_used = tl
        .as_ref()
        .map(|tl| acquisitions_used(new, tl))
        .unwrap_or_default();
    let mut past_events = Vec::new();
    if run.opts.global.is_some() {
        for e in run.past {
            past_events.push((e.name().to_string(), project_digests(&e.project)?));
        }
    }
    let all = sets(run.output, run.opts);
    Ok(Provenance {
        slidemap_version: env!("CARGO_PKG_VERSION").into(),
        command_line: run.command_line.to_vec(),
        created_utc: run.created_utc.clone(),
        event: new.name().to_string(),
        event_date: new.project.file.event.date,
        as_of: run.as_of,
        inputs: project_digests(&new.project)?,
        past_events,
        models: run.models.map(Path::to_path_buf),
        acquisitions_used,
        parameters: all
            .iter()
            .map(|(n, _, o)| (n.to_string(), describe_options(o)))
            .collect(),
        seeds: all
            .iter()
            .map(|(n, _, o)| (n.to_string(), o.seed))
            .collect(),
        steps: all
            .iter()
            .flat_map(|(n, r, _)| r.steps.iter().map(move |s| step_record(n, s)))
            .collect(),
    })
}

/// `provenance.json` in `out`, pretty-printed and written atomically; returns its path.
pub(super) fn write_provenance(out: &Path, prov: &impl Serialize) -> Result<PathBuf, RapidError> {
    let path = out.join("provenance.json");
    let text = serde_json::to_string_pretty(prov)
        .map_err(|e| RapidError::Invalid(format!("provenance: {e}")))?;
    atomic_write_bytes(&path, text.as_bytes()).map_err(|e| RapidError::Model {
        path: path.clone(),
        message: e.to_string(),
    })?;
    Ok(path)
}

/// The acquisitions each step of the timeline added, with the features made from them.
pub(super) fn acquisitions_used(
    new: &EventData,
    tl: &crate::coherence::Timeline,
) -> Vec<AcquisitionUsed> {
    let acqs = &new.project.file.acquisitions;
    let mut acquisitions_used = Vec::new();
    for s in tl.steps.iter().skip(1) {
        let mut by_acq: Vec<usize> = s.added.iter().map(|f| f.acquisition).collect();
        by_acq.dedup();
        for a in by_acq {
            if let Some(cfg) = acqs.get(a) {
                acquisitions_used.push(AcquisitionUsed {
                    step: s.index,
                    date: s.date,
                    sensor: cfg.sensor.clone(),
                    track: cfg.track.clone(),
                    pass: cfg.pass.short().into(),
                    features: s
                        .added
                        .iter()
                        .filter(|f| f.acquisition == a)
                        .map(|f| f.name.clone())
                        .collect(),
                });
            }
        }
    }
    acquisitions_used
}

/// The record of one step of model `model`.
pub(super) fn step_record(model: &str, s: &crate::experiment::StepResult) -> StepRecord {
    StepRecord {
        model: model.to_string(),
        step: s.step,
        date: s.date,
        validation: s.validation.kind.name().into(),
        n_scored: s.validation.n_cells,
        n_scored_landslide: s.validation.n_landslide,
        auc: s.auc.mean.is_finite().then_some(s.auc.mean),
        likely_threshold: s.likely_threshold,
        interval_level: s
            .uncertainty
            .as_ref()
            .filter(|u| u.calibrated.is_some())
            .map(|u| u.level),
        interval_coverage: s
            .uncertainty
            .as_ref()
            .map(|u| u.coverage)
            .filter(|c| c.is_finite()),
        uncertainty: s.uncertainty.as_ref().map(|u| {
            if u.note.is_empty() {
                u.method.clone()
            } else {
                format!("{}: {}", u.method, u.note)
            }
        }),
    }
}

/// Write every file of a prediction into `out` (which the caller has created empty);
/// returns the files written.
pub fn write_prediction(
    run: &PredictionRun,
    out: &Path,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&str, f64),
) -> Result<Vec<PathBuf>, RapidError> {
    let all = sets(run.output, run.opts);
    let single = all.len() == 1;
    let mut written = Vec::new();
    for (name, result, o) in &all {
        let dir = if single {
            out.to_path_buf()
        } else {
            out.join(name)
        };
        let mut settings = vec![("event".to_string(), run.new.name().to_string())];
        if *name == "global" {
            settings.push((
                "past events".into(),
                run.past
                    .iter()
                    .map(|e| e.name().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
            if let Some(m) = run.models {
                settings.push(("saved models".into(), m.display().to_string()));
            }
        }
        settings.extend(describe_options(o));
        let ropts = ReportOptions::default()
            .with_settings(settings)
            .with_title(format!(
                "SlideMap prediction: {} ({} model)",
                run.new.name(),
                name
            ));
        let files = write_outputs_with(result, &dir, &ropts, cancel, progress)
            .map_err(|e| RapidError::Invalid(format!("writing {}: {e}", dir.display())))?;
        written.extend(files);
        if let Some(kmz) = write_latest_kmz(run.new, result, &dir)? {
            written.push(kmz);
        }
    }
    written.push(write_provenance(out, &provenance(run)?)?);
    if !single {
        let mut h = String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>SlideMap prediction</title></head><body>\n");
        h.push_str(&format!(
            "<h1>SlideMap prediction: {}</h1>\n<ul>\n",
            html_escape(run.new.name())
        ));
        for (name, _, _) in &all {
            h.push_str(&format!(
                "<li><a href=\"{name}/report.html\">{name} model</a> (<a href=\"{name}/metrics.csv\">metrics.csv</a>)</li>\n"
            ));
        }
        h.push_str(
            "<li><a href=\"provenance.json\">provenance.json</a></li>\n</ul>\n</body></html>\n",
        );
        let path = out.join("report.html");
        atomic_write_bytes(&path, h.as_bytes()).map_err(|e| RapidError::Model {
            path: path.clone(),
            message: e.to_string(),
        })?;
        written.push(path);
    }
    Ok(written)
}

/// `latest.kmz`: the map of the last step as a Google Earth overlay, for people without a
/// GIS (LAD 0 transparent, so the imagery shows through).
fn write_latest_kmz(
    new: &EventData,
    result: &ExperimentResult,
    dir: &Path,
) -> Result<Option<PathBuf>, RapidError> {
    let Some(step) = result.steps.iter().rev().find(|s| s.maps.is_some()) else {
        return Ok(None);
    };
    write_step_kmz(new, step, dir).map(Some)
}

/// `latest.kmz` in `dir`: the predicted map of `step` (which must carry maps) for Google
/// Earth, its score in the description.
pub(super) fn write_step_kmz(
    new: &EventData,
    step: &crate::experiment::StepResult,
    dir: &Path,
) -> Result<PathBuf, RapidError> {
    let Some(maps) = &step.maps else {
        return Err(RapidError::Invalid(format!(
            "{} step {}: no map to write",
            new.name(),
            step.step
        )));
    };
    let grid = crate::grid::Grid {
        spec: new.table.coarse.clone(),
        data: maps.predicted.clone(),
    };
    let max = grid
        .data
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0f32, f32::max)
        .max(1e-6);
    let title = format!(
        "{}: predicted landslide areal density, step {} ({})",
        new.name(),
        step.step,
        step.date
    );
    let style = LayerStyle::gradient(title.clone(), "fraction", QmlRamp::Viridis, 0.0, max)
        .with_transparent_at_or_below_min(true);
    let description = format!(
        "SlideMap {}: {}. Score: {}.",
        env!("CARGO_PKG_VERSION"),
        title,
        step.validation.summary()
    );
    let path = dir.join("latest.kmz");
    write_kmz(&path, &grid, &style, &title, &description)
        .map_err(|e| RapidError::Invalid(format!("writing {}: {e}", path.display())))?;
    Ok(path)
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
