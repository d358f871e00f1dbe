//! Export for responders, one step of one event (the window's "Export for responders…"):
//! the step's predicted map, its calibrated uncertainty layers and its "landslides likely"
//! mask as COG + `.qml` (the same writers as `slidemap run` / `predict`), `metrics.csv` and
//! `report.html` for that step, `latest.kmz` (the map for Google Earth) and
//! `provenance.json` (inputs with size and SHA-256, acquisitions up to the step, settings,
//! seed, the step's validation).

use super::digest::{project_digests, FileDigest};
use super::outputs::{
    acquisitions_used, describe_options, step_record, write_provenance, write_step_kmz,
    AcquisitionUsed, StepRecord,
};
use super::RapidError;
use crate::experiment::{
    timeline_of, ExperimentKind, ExperimentOptions, ExperimentResult, StepResult,
};
use crate::pipeline::EventData;
use crate::report::{write_outputs_with, ReportOptions};
use chrono::NaiveDate;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// What to export.
pub struct StepExport<'a> {
    /// The event the map is of.
    pub event: &'a EventData,
    /// The run that made the map.
    pub result: &'a ExperimentResult,
    /// The options of that run.
    pub opts: &'a ExperimentOptions,
    /// Timeline step to export.
    pub step: usize,
    /// What asked for it (e.g. "SlideMap window: Export for responders").
    pub action: String,
    /// When (UTC, ISO 8601), supplied by the caller (the core never reads the clock).
    pub created_utc: Option<String>,
}

/// `provenance.json` of one exported step.
#[derive(Debug, Clone, Serialize)]
pub struct StepProvenance {
    /// SlideMap version.
    pub slidemap_version: String,
    /// What asked for the export.
    pub action: String,
    /// When, if the caller said.
    pub created_utc: Option<String>,
    /// Event name.
    pub event: String,
    /// Event date.
    pub event_date: NaiveDate,
    /// Experiment kind of the run ("same-event", "global", …).
    pub experiment: String,
    /// Inputs of the event.
    pub inputs: Vec<FileDigest>,
    /// Acquisitions the step's model used.
    pub acquisitions_used: Vec<AcquisitionUsed>,
    /// Settings as (name, value).
    pub parameters: Vec<(String, String)>,
    /// Seed.
    pub seed: u64,
    /// The step and how its score was validated.
    pub step: StepRecord,
}

/// The step's result with maps (the full training extent when a hold-out run has several).
fn find_step<'a>(x: &StepExport<'a>) -> Result<&'a StepResult, RapidError> {
    let name = x.event.name();
    x.result
        .steps
        .iter()
        .filter(|s| s.event == name && s.step == x.step && s.maps.is_some())
        .max_by(|a, b| a.training_extent.total_cmp(&b.training_extent))
        .ok_or_else(|| {
            RapidError::Invalid(format!(
                "{name}: step {} has no map to export (train a model first)",
                x.step
            ))
        })
}

/// The run cut down to one step of one event.
fn one_step(result: &ExperimentResult, step: &StepResult) -> ExperimentResult {
    let ev = &step.event;
    ExperimentResult {
        kind: result.kind,
        steps: vec![step.clone()],
        grids: result
            .grids
            .iter()
            .filter(|(e, _)| e == ev)
            .cloned()
            .collect(),
        observed: result
            .observed
            .iter()
            .filter(|(e, _)| e == ev)
            .cloned()
            .collect(),
        target_names: result
            .target_names
            .iter()
            .filter(|(e, _)| e == ev)
            .cloned()
            .collect(),
        warnings: result.warnings.clone(),
        timings: Vec::new(),
    }
}

/// `t` as ISO 8601 UTC to the second (the caller reads the clock; the core never does).
pub fn iso_utc(t: std::time::SystemTime) -> Option<String> {
    let secs = t.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    chrono::DateTime::from_timestamp(i64::try_from(secs).ok()?, 0)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// A run's result rebuilt from one streamed step of `event` (what the window keeps) and the
/// run's warnings, so it can be exported like a whole run (the warnings in `report.html`).
pub fn single_step_result(
    kind: ExperimentKind,
    event: &EventData,
    step: StepResult,
    warnings: Vec<String>,
) -> ExperimentResult {
    let name = event.name().to_string();
    ExperimentResult {
        kind,
        steps: vec![step],
        grids: vec![(name.clone(), event.table.coarse.clone())],
        observed: vec![(name.clone(), event.table.target.clone())],
        target_names: vec![(name, event.table.target_name.clone())],
        warnings,
        timings: Vec::new(),
    }
}

/// Write the step's files into `out` (which the caller has created empty); returns them.
pub fn export_step(
    x: &StepExport,
    out: &Path,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&str, f64),
) -> Result<Vec<PathBuf>, RapidError> {
    let step = find_step(x)?;
    let sub = one_step(x.result, step);
    let mut settings = vec![
        ("event".to_string(), x.event.name().to_string()),
        ("step".to_string(), format!("{} ({})", step.step, step.date)),
    ];
    settings.extend(describe_options(x.opts));
    let ropts = ReportOptions::default()
        .with_settings(settings)
        .with_title(format!(
            "SlideMap for responders: {}, step {} ({})",
            x.event.name(),
            step.step,
            step.date
        ));
    let mut written = write_outputs_with(&sub, out, &ropts, cancel, progress)
        .map_err(|e| RapidError::Invalid(format!("writing {}: {e}", out.display())))?;
    written.push(write_step_kmz(x.event, step, out)?);
    let tl = timeline_of(x.event, x.opts);
    let prov = StepProvenance {
        slidemap_version: env!("CARGO_PKG_VERSION").into(),
        action: x.action.clone(),
        created_utc: x.created_utc.clone(),
        event: x.event.name().to_string(),
        event_date: x.event.project.file.event.date,
        experiment: x.result.kind.name().into(),
        inputs: project_digests(&x.event.project)?,
        acquisitions_used: acquisitions_used(x.event, &tl)
            .into_iter()
            .filter(|a| a.step <= step.step)
            .collect(),
        parameters: describe_options(x.opts),
        seed: x.opts.seed,
        step: step_record(x.result.kind.name(), step),
    };
    written.push(write_provenance(out, &prov)?);
    Ok(written)
}
