//! What an experiment produces: per event, per timeline step (and per training extent for
//! the hold-out experiment), metrics with their spread over repeats, ROC points, grouped
//! importances, single-surface baselines and prediction maps.

use super::validation::Validation;
use crate::features::FeatureGroup;
use crate::grid::GridSpec;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The four experiments (paper sections 2.2, 3, 4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ExperimentKind {
    /// Trained on part of the event (random cells or user polygons), tested on the rest.
    SameEvent,
    /// Leave-one-event-out over two or more events: ground-failure product + ICFs.
    Global,
    /// Leave-one-event-out with ICFs only.
    SarOnly,
    /// Same-event with a spatial test box and training extents halved repeatedly.
    Holdout,
}

impl ExperimentKind {
    /// CLI / CSV name.
    pub fn name(self) -> &'static str {
        match self {
            ExperimentKind::SameEvent => "same-event",
            ExperimentKind::Global => "global",
            ExperimentKind::SarOnly => "sar-only",
            ExperimentKind::Holdout => "holdout",
        }
    }
    /// Parse a CLI name.
    pub fn from_name(s: &str) -> Option<Self> {
        [
            ExperimentKind::SameEvent,
            ExperimentKind::Global,
            ExperimentKind::SarOnly,
            ExperimentKind::Holdout,
        ]
        .into_iter()
        .find(|k| k.name() == s)
    }
}

/// Mean and sample standard deviation (ddof = 1; 0 for a single repeat) over repeats.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct MeanSd {
    /// Mean.
    pub mean: f64,
    /// Standard deviation over repeats.
    pub sd: f64,
    /// Number of finite values averaged.
    pub n: usize,
}

impl MeanSd {
    /// Summarise finite values (NaN ignored; all-NaN gives NaN mean).
    pub fn of(values: &[f64]) -> MeanSd {
        let v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        let n = v.len();
        if n == 0 {
            return MeanSd {
                mean: f64::NAN,
                sd: f64::NAN,
                n: 0,
            };
        }
        let mean = v.iter().sum::<f64>() / n as f64;
        let sd = if n > 1 {
            (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        MeanSd { mean, sd, n }
    }
}

/// AUC of one surface used on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineAuc {
    /// Column name (e.g. `usgs_ground_failure`, `A2_desc_CECL`).
    pub name: String,
    /// AUC on the test cells (truth LAD > 0.1).
    pub auc: f64,
}

/// Importance of one data-source group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupImportance {
    /// Group.
    pub group: FeatureGroup,
    /// Mean importance over repeats / ensemble members (groups sum to 1).
    pub importance: f64,
}

/// Prediction maps on the event's coarse grid (NaN outside valid cells).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepMaps {
    /// Predicted LAD: mean over repeats (same-event) or ensemble median (global).
    pub predicted: Vec<f32>,
    /// Model spread: 5th percentile of the ensemble members' predictions (global
    /// experiments). Not a predictive interval.
    pub p5: Option<Vec<f32>>,
    /// Model spread: 95th percentile of the ensemble members' predictions.
    pub p95: Option<Vec<f32>>,
    /// Variance of predictions over repeats / ensemble members.
    pub variance: Option<Vec<f32>>,
    /// Lower bound of the calibrated predictive interval at the options' level
    /// ([`super::Uncertainty`]); absent when it could not be calibrated.
    #[serde(default)]
    pub interval_lo: Option<Vec<f32>>,
    /// Upper bound of the calibrated predictive interval.
    #[serde(default)]
    pub interval_hi: Option<Vec<f32>>,
    /// Calibrated probability that LAD exceeds the AUC threshold (0.1).
    #[serde(default)]
    pub p_landslide: Option<Vec<f32>>,
}

impl StepMaps {
    /// Add the calibrated interval and probability maps of `predicted`, when calibrated.
    pub fn with_uncertainty(mut self, u: &super::Uncertainty) -> Self {
        if let Some(c) = &u.calibrated {
            let (lo, hi, p) = c.maps(&self.predicted);
            self.interval_lo = Some(lo);
            self.interval_hi = Some(hi);
            self.p_landslide = Some(p);
        }
        self
    }
}

/// Results of one timeline step of one event (and one training extent for hold-out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepResult {
    /// Event name.
    pub event: String,
    /// Timeline step (0 = no radar).
    pub step: usize,
    /// Date of the step.
    pub date: NaiveDate,
    /// Days after the event.
    pub days_after_event: i64,
    /// Sensors added at this step ("none" at step 0).
    pub sensor: String,
    /// Feature names added at this step.
    pub features_added: Vec<String>,
    /// Number of features the models used.
    pub n_features: usize,
    /// Hold-out: training extent as a fraction of the full training area (1 otherwise).
    pub training_extent: f64,
    /// ROC AUC (truth LAD > 0.1) on the test cells.
    pub auc: MeanSd,
    /// r² of the least-squares line observed vs predicted LAD.
    pub r2: MeanSd,
    /// Mean absolute error of predicted LAD.
    pub mae: MeanSd,
    /// ROC curve (false-positive rate, true-positive rate) of the step's final prediction.
    pub roc: Vec<(f64, f64)>,
    /// Grouped feature importances.
    pub importances: Vec<GroupImportance>,
    /// Single-surface baselines available at this step.
    pub baselines: Vec<BaselineAuc>,
    /// Number of training rows per model and test cells.
    pub n_train: usize,
    /// Number of test cells.
    pub n_test: usize,
    /// Prediction maps (dropped when saving memory).
    pub maps: Option<StepMaps>,
    /// On which cells the metrics were computed and how they were chosen.
    #[serde(default)]
    pub validation: Validation,
    /// The predicted LAD at and above which a cell is "landslides likely": the threshold that
    /// keeps the options' true-positive rate on the validation cells (`None` when not scored).
    #[serde(default)]
    pub likely_threshold: Option<f64>,
    /// The calibrated interval and P(LAD > 0.1) of the step's map and how they scored on the
    /// validation cells (`None` when the run did not compute them).
    #[serde(default)]
    pub uncertainty: Option<super::Uncertainty>,
}

/// What an event's target is: LAD (areal density, a fraction) or LND (number density,
/// landslides/km², from a point inventory).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetKind {
    /// "LAD" or "LND".
    pub name: &'static str,
    /// Lower-case tag for file names ("lad", "lnd").
    pub tag: &'static str,
    /// Unit for GeoTIFF metadata and labels.
    pub unit: &'static str,
    /// Words for titles.
    pub words: &'static str,
}

impl TargetKind {
    /// Landslide areal density.
    pub const LAD: TargetKind = TargetKind {
        name: "LAD",
        tag: "lad",
        unit: "fraction",
        words: "landslide areal density",
    };
    /// Landslide number density.
    pub const LND: TargetKind = TargetKind {
        name: "LND",
        tag: "lnd",
        unit: "landslides/km²",
        words: "landslide number density",
    };
}

/// All results of one experiment run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExperimentResult {
    /// Which experiment.
    pub kind: ExperimentKind,
    /// Steps in the order computed (event, extent, step).
    pub steps: Vec<StepResult>,
    /// Coarse grid of each event (by name) for writing maps.
    pub grids: Vec<(String, GridSpec)>,
    /// Observed LAD per event (for maps), NaN = unmapped.
    pub observed: Vec<(String, Vec<f32>)>,
    /// Target of each event's table ("LAD", or "LND" for a point inventory); an event not
    /// listed is LAD.
    #[serde(default)]
    pub target_names: Vec<(String, String)>,
    /// Warnings for the report (too few cells, low coverage, …).
    pub warnings: Vec<String>,
    /// Wall-clock seconds per stage (features excluded: measured by the caller).
    pub timings: Vec<(String, f64)>,
}

impl ExperimentResult {
    /// The target of `event` ([`TargetKind::LAD`] unless it is listed as LND).
    pub fn target_of(&self, event: &str) -> TargetKind {
        match self.target_names.iter().find(|(e, _)| e == event) {
            Some((_, t)) if t == "LND" => TargetKind::LND,
            _ => TargetKind::LAD,
        }
    }
}

/// True when two training extents are the same fraction (relative tolerance 1e-9): the
/// one comparison of extents, so the report and the GUI pick the same series.
pub fn same_extent(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Events in order of first appearance in `steps` (never a hash order).
pub fn events_of(steps: &[StepResult]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in steps {
        if !out.contains(&s.event) {
            out.push(s.event.clone());
        }
    }
    out
}

/// Training extents of one event in `steps`, largest first.
pub fn extents_of(steps: &[StepResult], event: &str) -> Vec<f64> {
    let mut out: Vec<f64> = Vec::new();
    for s in steps.iter().filter(|s| s.event == event) {
        if !out.iter().any(|e| same_extent(*e, s.training_extent)) {
            out.push(s.training_extent);
        }
    }
    out.sort_by(|a, b| b.total_cmp(a));
    out
}

/// The steps of one event at one training extent, ordered by step number: a series of
/// `steps` (a finished result's, or a run still streaming in).
pub fn series_of<'a>(steps: &'a [StepResult], event: &str, extent: f64) -> Vec<&'a StepResult> {
    let mut out: Vec<&StepResult> = steps
        .iter()
        .filter(|s| s.event == event && same_extent(s.training_extent, extent))
        .collect();
    out.sort_by_key(|s| s.step);
    out
}

impl ExperimentResult {
    /// Events in order of first appearance in the steps.
    pub fn events(&self) -> Vec<String> {
        events_of(&self.steps)
    }

    /// Training extents of one event, largest first.
    pub fn extents(&self, event: &str) -> Vec<f64> {
        extents_of(&self.steps, event)
    }

    /// The steps of one event at one training extent, ordered by step number.
    pub fn series(&self, event: &str, extent: f64) -> Vec<&StepResult> {
        series_of(&self.steps, event, extent)
    }

    /// True when the results of `event` come in several training extents (or the
    /// experiment is the hold-out), so names and labels must say which extent.
    pub fn has_extents(&self, event: &str) -> bool {
        self.kind == ExperimentKind::Holdout || self.extents(event).len() > 1
    }
}
