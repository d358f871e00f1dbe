//! Outputs of an experiment run (`slidemap run`): tables, GeoTIFF maps, PNG figures and a
//! one-page HTML report, written into one directory.
//!
//! Contract:
//! - [`write_outputs`] writes `metrics.csv`, `importances.csv`, `maps/<event>/*.tif`,
//!   `figures/*.png` and, last, `report.html`, and returns the paths written in that order.
//!   `docs/outputs.md` describes every file and column.
//! - Every file is written atomically (temporary sibling, fsync, rename): a cancellation or a
//!   crash leaves finished files and never a partial one. The cancel flag is checked before
//!   each file; on cancel the function returns [`ReportError::Cancelled`].
//! - Deterministic: identical results and options give byte-identical files. Nothing reads
//!   the clock; the only run-dependent content is the wall-clock `timings` section of
//!   `report.html` (switch it off with [`ReportOptions::include_timings`]).
//! - Bad input is never silent: problems found while writing (a missing grid, an all-NaN
//!   map) are added to the warnings listed in `report.html`; a result without any step
//!   still gets its report and then fails with [`ReportError::NoResults`].
//! - Maps are on the event's coarse grid, row-major, row 0 north, NaN = no value.
//! - [`responder`] holds the per-file writers for responders (COG + `.qml`, KMZ overlay,
//!   `provenance.json`) that `slidemap predict` / `slidemap run` call.

mod csv;
mod error;
mod figures;
mod html;
mod html_escape;
mod importances_csv;
mod layout;
#[cfg_attr(not(feature = "gui"), allow(unused_imports))] // the window's exports use it
pub(crate) use layout::file_safe;
mod maps;
mod metrics_csv;
pub mod responder;
mod uncertainty_html;

pub use error::ReportError;
/// The colour-ramp tables shared by the figures, the responder outputs and the GUI.
pub(crate) use figures::palette;
pub use figures::step_line;
pub use importances_csv::{group_id, importances_csv, IMPORTANCE_COLUMNS};
pub use metrics_csv::{metrics_csv, BASELINE_PREFIX, METRICS_COLUMNS};

use crate::experiment::ExperimentResult;
use crate::io::atomic_write_bytes;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Which timeline steps get a PNG map (observed vs predicted LAD). GeoTIFFs are written for
/// every step regardless.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum MapSteps {
    /// Step 0 (no radar) and the last step of each series (the paper's Figure 4).
    #[default]
    FirstAndLast,
    /// Every step.
    All,
    /// No map figure.
    None,
    /// These step numbers (where they exist).
    Steps(Vec<usize>),
}

impl MapSteps {
    /// True when `step` gets a map, given the first and last step numbers of its series.
    pub fn selects(&self, step: usize, first: usize, last: usize) -> bool {
        match self {
            MapSteps::FirstAndLast => step == first || step == last,
            MapSteps::All => true,
            MapSteps::None => false,
            MapSteps::Steps(v) => v.contains(&step),
        }
    }
}

/// Options of [`write_outputs`].
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOptions {
    /// The run's settings shown in the report, in order (e.g. ("seed", "42"), ("projects",
    /// "…")). Put a run date here if wanted: the writer never reads the clock.
    pub settings: Vec<(String, String)>,
    /// Which steps get PNG maps.
    pub map_steps: MapSteps,
    /// Show the wall-clock timings in `report.html` (the only run-dependent content).
    pub include_timings: bool,
    /// Report title (default: "SlideMap experiment: <kind>").
    pub title: Option<String>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self {
            settings: Vec::new(),
            map_steps: MapSteps::default(),
            include_timings: true,
            title: None,
        }
    }
}

impl ReportOptions {
    /// Set the settings shown in the report.
    pub fn with_settings(mut self, settings: Vec<(String, String)>) -> Self {
        self.settings = settings;
        self
    }
    /// Choose the steps that get PNG maps.
    pub fn with_map_steps(mut self, map_steps: MapSteps) -> Self {
        self.map_steps = map_steps;
        self
    }
    /// Show or hide the timings section.
    pub fn with_timings(mut self, include: bool) -> Self {
        self.include_timings = include;
        self
    }
    /// Set the report title.
    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }
}

/// Write every output of `result` into `out_dir` (created if needed); returns the files
/// written. See [`write_outputs_with`] for cancellation and progress.
pub fn write_outputs(
    result: &ExperimentResult,
    out_dir: &Path,
    opts: &ReportOptions,
) -> Result<Vec<PathBuf>, ReportError> {
    write_outputs_with(
        result,
        out_dir,
        opts,
        &AtomicBool::new(false),
        &mut |_, _| {},
    )
}

/// [`write_outputs`] with a cancel flag (checked before each file) and a progress callback
/// receiving (stage, fraction of that stage done); stages are `tables`, `maps`, `figures`,
/// `report`.
pub fn write_outputs_with(
    result: &ExperimentResult,
    out_dir: &Path,
    opts: &ReportOptions,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&str, f64),
) -> Result<Vec<PathBuf>, ReportError> {
    std::fs::create_dir_all(out_dir).map_err(|e| ReportError::io(out_dir, e))?;
    let mut sink = Sink {
        out_dir: out_dir.to_path_buf(),
        written: Vec::new(),
        notes: Vec::new(),
        cancel,
        progress,
    };
    if result.steps.is_empty() {
        sink.note("the experiment produced no timeline step: nothing to tabulate or plot".into());
        let report = sink.write_text(
            "report.html",
            &html::report_html(result, opts, &[], &sink.notes, &[]),
        )?;
        return Err(ReportError::NoResults {
            report,
            n_warnings: result.warnings.len() + sink.notes.len(),
        });
    }
    sink.progress("tables", 0.0);
    sink.write_text("metrics.csv", &metrics_csv(result))?;
    sink.write_text("importances.csv", &importances_csv(result))?;
    sink.progress("tables", 1.0);
    maps::write_maps(result, &mut sink)?;
    let figs = figures::write_figures(result, &mut sink, &opts.map_steps)?;
    let files: Vec<String> = sink
        .written
        .iter()
        .filter_map(|p| p.strip_prefix(&sink.out_dir).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    let page = html::report_html(result, opts, &figs, &sink.notes, &files);
    sink.write_text("report.html", &page)?;
    sink.progress("report", 1.0);
    Ok(sink.written)
}

/// Where files go, what was written, and the warnings found while writing.
pub(crate) struct Sink<'a> {
    out_dir: PathBuf,
    written: Vec<PathBuf>,
    notes: Vec<String>,
    cancel: &'a AtomicBool,
    progress: &'a mut dyn FnMut(&str, f64),
}

impl Sink<'_> {
    /// Fail with [`ReportError::Cancelled`] when the flag is raised.
    pub(crate) fn check_cancel(&self) -> Result<(), ReportError> {
        if self.cancel.load(Ordering::Relaxed) {
            Err(ReportError::Cancelled {
                written: self.written.len(),
            })
        } else {
            Ok(())
        }
    }
    /// Absolute path of `rel` (a `/`-separated path under the output directory), creating
    /// its parent directory.
    pub(crate) fn target(&self, rel: &str) -> Result<PathBuf, ReportError> {
        let path = rel
            .split('/')
            .fold(self.out_dir.clone(), |p, part| p.join(part));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| ReportError::io(dir, e))?;
        }
        Ok(path)
    }
    /// Record a finished file.
    pub(crate) fn done(&mut self, path: PathBuf) {
        self.written.push(path);
    }
    /// Add a warning for the report.
    pub(crate) fn note(&mut self, warning: String) {
        self.notes.push(warning);
    }
    /// Report progress.
    pub(crate) fn progress(&mut self, stage: &str, fraction: f64) {
        (self.progress)(stage, fraction.clamp(0.0, 1.0));
    }
    /// Write a text file atomically (after checking the cancel flag).
    pub(crate) fn write_text(&mut self, rel: &str, text: &str) -> Result<PathBuf, ReportError> {
        self.check_cancel()?;
        let path = self.target(rel)?;
        atomic_write_bytes(&path, text.as_bytes()).map_err(|e| ReportError::gis(&path, e))?;
        self.done(path.clone());
        Ok(path)
    }
}
