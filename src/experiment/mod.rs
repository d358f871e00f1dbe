//! The paper's experiments along the acquisition timeline (sections 2.2, 3, 4.2): same-event
//! (random cells or user polygons), global leave-one-event-out, SAR-only and spatial hold-out.
//!
//! Contract: [`run_experiment`] is synchronous and deterministic for a seed (the forest
//! engine is thread-count independent and every random draw is seeded from (seed, event,
//! repeat)); it streams each finished step to `on_step`, honours `cancel` between models, and
//! reports progress as (stage, fraction). Metrics follow section 2.5: AUC with truth
//! LAD > 0.1, r² of the least-squares line observed vs predicted.

mod calibration;
mod conformal;
mod ctx;
mod design;
mod error;
mod evaluate;
mod feature_match;
mod global;
mod global_calibration;
mod global_ensemble;
mod inventory_coverage;
mod model_cache;
mod next_area;
mod options;
mod probability;
mod result;
mod run;
mod same_event;
mod same_event_sample;
mod sampling;
mod uncertainty;
mod validation;

pub use conformal::{
    check_level, stratum_weights, weighted_conformal_quantile, CalibrationSet, IntervalBin,
    IntervalModel, UncertaintyError, MIN_CALIBRATION_CELLS, MIN_CALIBRATION_LANDSLIDES,
};
pub use design::design_matrix;
pub use error::ExperimentError;
pub use feature_match::{match_feature, meaning_of, radar_meanings, Matched, Meaning};
pub use global_ensemble::rank_ground_failure;
pub use inventory_coverage::{
    InventoryCoverage, InventorySize, SMALL_INVENTORY_CELLS, SMALL_INVENTORY_FRACTION,
};
pub use model_cache::{CacheError, EnsembleCache, ModelKey};
pub use next_area::{suggest_next_areas, window_polygon, ProposedArea};
pub use options::{ExperimentOptions, GlobalFeatureSet, GroundFailureTransform, TrainingSource};
pub use probability::{
    brier_base_rate, brier_score, reliability, ProbabilityModel, ReliabilityBin,
};
pub use result::{
    events_of, extents_of, same_extent, series_of, BaselineAuc, ExperimentKind, ExperimentResult,
    GroupImportance, MeanSd, StepMaps, StepResult, TargetKind,
};
pub use run::{fit_global_models, predict_new_event, run_experiment, PredictMode};
pub use sampling::{cells_in_polygons, mix_seed};
pub use uncertainty::{Calibrated, ScoredCells, Uncertainty, RELIABILITY_BINS};
pub use validation::{
    connected_areas, independent_cells, near_mask, spatial_folds, Fold, SpatialFolds, Validation,
    ValidationKind, DEFAULT_BUFFER_M, FEW_LANDSLIDES_WARNING, MIN_INDEPENDENT_CELLS,
    MIN_INDEPENDENT_LANDSLIDES,
};

/// The timeline of `ev` as the options see it (cut at `as_of` when given).
pub fn timeline_of(
    ev: &crate::pipeline::EventData,
    opts: &ExperimentOptions,
) -> crate::coherence::Timeline {
    let tl = crate::coherence::Timeline::from_project(&ev.project);
    match opts.as_of {
        Some(d) => tl.as_of(d),
        None => tl,
    }
}
