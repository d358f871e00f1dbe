//! Experiment settings: the paper's defaults, a quick preset, explicit seed.

use super::{ExperimentError, ExperimentKind};
use crate::forest::{ForestParams, ParamGrid};
use crate::io::Polygon;

/// Where same-event training cells come from.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum TrainingSource {
    /// A random 250 landslide + 250 non-landslide cells (paper section 2.2), per repeat.
    #[default]
    RandomCells,
    /// Mapped cells whose centre lies inside these polygons (analysis CRS); the
    /// non-landslide class is undersampled to balance.
    Polygons(Vec<Polygon>),
    /// Every mapped cell of the event (the rapid-mapping case: a few mapped areas train a
    /// model of the whole study area); the non-landslide class is undersampled to balance.
    AllMapped,
}

/// Which features a global model uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum GlobalFeatureSet {
    /// The paper's Table 1: ground-failure product + ICFs.
    #[default]
    Table1,
    /// Table 1 plus the eight terrain features and PGV.
    Extended,
}

impl GlobalFeatureSet {
    /// CLI name.
    pub fn name(self) -> &'static str {
        match self {
            GlobalFeatureSet::Table1 => "table1",
            GlobalFeatureSet::Extended => "extended",
        }
    }
}

/// How the ground-failure product enters a global model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum GroundFailureTransform {
    /// As published (areal coverage).
    #[default]
    None,
    /// Replaced per event by its rank among the event's valid cells, scaled to 0–1 (a
    /// quantile transform: removes the product's event-to-event scale differences).
    Rank,
}

impl GroundFailureTransform {
    /// CLI name.
    pub fn name(self) -> &'static str {
        match self {
            GroundFailureTransform::None => "none",
            GroundFailureTransform::Rank => "rank",
        }
    }
}

/// Trees per global / SAR-only ensemble member in the quick setting.
pub const QUICK_MEMBER_TREES: usize = 25;

/// Settings of [`super::run_experiment`].
#[derive(Debug, Clone, PartialEq)]
pub struct ExperimentOptions {
    /// Which experiment.
    pub kind: ExperimentKind,
    /// Repeats of the same-event sampling (paper: 30). Hold-out: independent balanced
    /// samples per training extent (paper: 1, one model per extent on all of the extent's
    /// landslide cells and as many non-landslide cells).
    pub repeats: usize,
    /// Same-event landslide cells per sample (paper: 250).
    pub n_landslide: usize,
    /// Same-event non-landslide cells per sample (paper: 250).
    pub n_non_landslide: usize,
    /// Global: cells per class drawn from each training event per model (paper: 1000).
    pub global_per_class: usize,
    /// Global: models in the ensemble (paper: 100).
    pub ensemble_size: usize,
    /// Global / SAR-only without grid search: trees per ensemble member (`None`: those of
    /// `forest`). The quick setting uses 25: the ensemble median over its 20 members already
    /// averages 500 trees, and three times fewer trees per member is what brings a quick
    /// timeline within the GUI's 30 s (README, Performance).
    pub ensemble_member_trees: Option<usize>,
    /// Tune hyper-parameters by grid search with k-fold CV for every model (paper: yes).
    pub grid_search: bool,
    /// The grid (paper Table 2).
    pub grid: ParamGrid,
    /// CV folds (paper: 4).
    pub folds: usize,
    /// Forest parameters without grid search (and the base of the grid).
    pub forest: ForestParams,
    /// Master seed.
    pub seed: u64,
    /// LAD above which a cell is a landslide cell for sampling (paper: 0.01).
    pub sample_lad_threshold: f64,
    /// LAD above which a cell is a landslide cell for ROC/AUC (paper: 0.1).
    pub auc_lad_threshold: f64,
    /// Same-event training source.
    pub training: TrainingSource,
    /// Hold-out: number of training-extent halvings after the full extent.
    pub holdout_halvings: usize,
    /// Hold-out: side of the central test box as a fraction of the mapped bounding box.
    pub holdout_box_fraction: f64,
    /// Keep prediction maps in the results.
    pub keep_maps: bool,
    /// Minimum distance (m, edge to edge) between training cells and independent test cells.
    pub buffer_m: f64,
    /// Use only acquisitions available on this date (the emergency timeline); `None`: all.
    pub as_of: Option<chrono::NaiveDate>,
    /// Features of global models.
    pub global_features: GlobalFeatureSet,
    /// Ground-failure product transform of global models.
    pub gf_transform: GroundFailureTransform,
    /// True-positive rate on validation cells that the "landslides likely" mask keeps.
    pub mask_tpr: f64,
    /// Model only the last step of the (as-of) timeline: a responder who has the earlier
    /// maps wants the new acquisition's map, not every step again.
    pub latest_only: bool,
    /// Nominal coverage of the calibrated predictive interval, strictly between 0 and 1
    /// (default 0.9: `interval_lo`/`interval_hi` maps hold the true LAD 90 % of the time on
    /// exchangeable cells).
    pub interval_level: f64,
}

impl ExperimentOptions {
    /// The paper's protocol.
    pub fn paper(kind: ExperimentKind) -> Self {
        Self {
            kind,
            repeats: Self::paper_repeats(kind, 30),
            n_landslide: 250,
            n_non_landslide: 250,
            global_per_class: 1000,
            ensemble_size: 100,
            ensemble_member_trees: None,
            grid_search: true,
            grid: ParamGrid::default(),
            folds: 4,
            forest: ForestParams::default(),
            seed: 0,
            sample_lad_threshold: 0.01,
            auc_lad_threshold: 0.1,
            training: TrainingSource::RandomCells,
            holdout_halvings: 3,
            holdout_box_fraction: 0.4,
            keep_maps: true,
            buffer_m: super::validation::DEFAULT_BUFFER_M,
            as_of: None,
            global_features: GlobalFeatureSet::Table1,
            gf_transform: GroundFailureTransform::None,
            mask_tpr: 0.8,
            latest_only: false,
            interval_level: 0.9,
        }
    }

    /// The quick setting (live retraining): no grid search, 5 repeats (hold-out: 1), ensembles of 20, and
    /// instead of a search the cheapest point of the paper's Table-2 grid
    /// ([`ForestParams::quick`]).
    pub fn quick(kind: ExperimentKind) -> Self {
        Self {
            repeats: Self::paper_repeats(kind, 5),
            ensemble_size: 20,
            ensemble_member_trees: Some(QUICK_MEMBER_TREES),
            grid_search: false,
            forest: ForestParams::quick(),
            ..Self::paper(kind)
        }
    }

    /// `same_event` repeats, except the hold-out's one sample per extent (the paper's
    /// section 4.2: each extent's model uses all of its balanced cells, so repeats would
    /// only redraw the larger class).
    fn paper_repeats(kind: ExperimentKind, same_event: usize) -> usize {
        if kind == ExperimentKind::Holdout {
            1
        } else {
            same_event
        }
    }

    /// Set the seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Set the repeats (0 is kept and refused by [`ExperimentOptions::validate`]).
    pub fn with_repeats(mut self, n: usize) -> Self {
        self.repeats = n;
        self
    }
    /// Switch grid search.
    pub fn with_grid_search(mut self, on: bool) -> Self {
        self.grid_search = on;
        self
    }
    /// Set the training source.
    pub fn with_training(mut self, t: TrainingSource) -> Self {
        self.training = t;
        self
    }
    /// Set the ensemble size (0 is kept and refused by [`ExperimentOptions::validate`]).
    pub fn with_ensemble_size(mut self, n: usize) -> Self {
        self.ensemble_size = n;
        self
    }
    /// Set the buffer (m) between training cells and independent test cells.
    pub fn with_buffer_m(mut self, buffer_m: f64) -> Self {
        self.buffer_m = buffer_m;
        self
    }
    /// Use only acquisitions available on `date`.
    pub fn with_as_of(mut self, date: Option<chrono::NaiveDate>) -> Self {
        self.as_of = date;
        self
    }
    /// Choose the global feature set.
    pub fn with_global_features(mut self, set: GlobalFeatureSet) -> Self {
        self.global_features = set;
        self
    }
    /// Choose the ground-failure transform of global models.
    pub fn with_gf_transform(mut self, t: GroundFailureTransform) -> Self {
        self.gf_transform = t;
        self
    }
    /// Model only the last step of the timeline.
    pub fn with_latest_only(mut self, latest_only: bool) -> Self {
        self.latest_only = latest_only;
        self
    }
    /// Set the nominal coverage of the predictive interval (outside (0, 1) is kept and
    /// refused by [`ExperimentOptions::validate`]).
    pub fn with_interval_level(mut self, level: f64) -> Self {
        self.interval_level = level;
        self
    }
    /// Keep or drop the prediction maps.
    pub fn with_keep_maps(mut self, keep: bool) -> Self {
        self.keep_maps = keep;
        self
    }

    /// Check every number (nothing is silently clamped): counts at least 1, CV folds at
    /// least 2, thresholds and fractions in range. The error names the option.
    pub fn validate(&self) -> Result<(), ExperimentError> {
        let bad = |option: &str, value: String, rule: &str| {
            Err(ExperimentError::InvalidOption {
                option: option.to_string(),
                value,
                rule: rule.to_string(),
            })
        };
        for (option, n) in [
            ("repeats", self.repeats),
            ("ensemble size", self.ensemble_size),
            ("landslide cells per sample", self.n_landslide),
            ("non-landslide cells per sample", self.n_non_landslide),
            ("global cells per class", self.global_per_class),
            ("trees per forest (n_estimators)", self.forest.n_estimators),
        ] {
            if n == 0 {
                return bad(option, n.to_string(), "must be at least 1");
            }
        }
        if self.ensemble_member_trees == Some(0) {
            return bad(
                "trees per ensemble member",
                "0".into(),
                "must be at least 1",
            );
        }
        if self.grid_search && self.folds < 2 {
            return bad(
                "cross-validation folds",
                self.folds.to_string(),
                "must be at least 2 with grid search",
            );
        }
        for (option, v) in [
            ("sample LAD threshold", self.sample_lad_threshold),
            ("AUC LAD threshold", self.auc_lad_threshold),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return bad(option, v.to_string(), "must be a finite number ≥ 0");
            }
        }
        if !(self.buffer_m.is_finite() && self.buffer_m >= 0.0) {
            return bad(
                "buffer between training and test cells (m)",
                self.buffer_m.to_string(),
                "must be a finite distance ≥ 0",
            );
        }
        if !(self.mask_tpr > 0.0 && self.mask_tpr <= 1.0) {
            return bad(
                "true-positive rate of the landslides-likely mask",
                self.mask_tpr.to_string(),
                "must be in (0, 1]",
            );
        }
        if super::conformal::check_level(self.interval_level).is_err() {
            return bad(
                "interval level",
                self.interval_level.to_string(),
                "must be between 0 and 1 (exclusive), e.g. 0.9",
            );
        }
        let f = self.holdout_box_fraction;
        if !(f > 0.0 && f < 1.0) {
            return bad(
                "hold-out test-box fraction",
                f.to_string(),
                "must be between 0 and 1 (exclusive)",
            );
        }
        Ok(())
    }
}

impl ExperimentOptions {
    /// The settings as (name, value) lines, for `report.html`: the experiment, seed,
    /// repeats, grid search, ensemble size, the forest without grid search and the
    /// training source.
    pub fn describe(&self) -> Vec<(String, String)> {
        let training = match &self.training {
            TrainingSource::RandomCells => format!(
                "random {} + {} cells",
                self.n_landslide, self.n_non_landslide
            ),
            TrainingSource::Polygons(p) => format!("{} polygon(s)", p.len()),
            TrainingSource::AllMapped => "every mapped cell".into(),
        };
        vec![
            ("experiment".to_string(), self.kind.name().to_string()),
            ("seed".to_string(), self.seed.to_string()),
            ("repeats".to_string(), self.repeats.to_string()),
            (
                "grid search".to_string(),
                if self.grid_search {
                    format!("Table 2 grid, {} folds", self.folds)
                } else {
                    "off".into()
                },
            ),
            ("ensemble size".to_string(), self.ensemble_size.to_string()),
            (
                "interval level".to_string(),
                format!("{} (calibrated predictive interval)", self.interval_level),
            ),
            (
                "forest without grid search".to_string(),
                format!(
                    "{} trees ({} per global ensemble member), max_features {:?}, max_depth {:?}, min_samples_split {}, min_samples_leaf {}",
                    self.forest.n_estimators,
                    self.ensemble_member_trees.unwrap_or(self.forest.n_estimators),
                    self.forest.max_features,
                    self.forest.max_depth,
                    self.forest.min_samples_split,
                    self.forest.min_samples_leaf
                ),
            ),
            ("training".to_string(), training),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_repeats_and_zero_ensembles_are_refused_not_clamped() {
        let o = ExperimentOptions::quick(ExperimentKind::SameEvent).with_repeats(0);
        assert_eq!(o.repeats, 0);
        let e = o.validate().unwrap_err().to_string();
        assert!(e.contains("repeats") && e.contains("at least 1"), "{e}");
        let e = ExperimentOptions::paper(ExperimentKind::Global)
            .with_ensemble_size(0)
            .validate()
            .unwrap_err()
            .to_string();
        assert!(e.contains("ensemble size"), "{e}");
        ExperimentOptions::paper(ExperimentKind::Holdout)
            .validate()
            .unwrap();
    }

    #[test]
    fn an_interval_level_outside_zero_one_is_refused_by_name() {
        for bad in [0.0, 1.0, 1.5, -0.1, f64::NAN] {
            let e = ExperimentOptions::quick(ExperimentKind::Global)
                .with_interval_level(bad)
                .validate()
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("interval level") && e.contains("between 0 and 1"),
                "{e}"
            );
        }
        ExperimentOptions::quick(ExperimentKind::Global)
            .with_interval_level(0.5)
            .validate()
            .unwrap();
    }
}
