//! The paper's experiments along the acquisition timeline (sections 2.2, 3, 4.2): same-event
//! (random cells or user polygons), global leave-one-event-out, SAR-only and spatial hold-out.
//!
//! Contract: [`run_experiment`] is synchronous and deterministic for a seed (the forest
//! engine is thread-count independent and every random draw is seeded from (seed, event,
//! repeat)); it streams each finished step to `on_step`, honours `cancel` between models, and
//! reports progress as (stage, fraction). Metrics follow section 2.5: AUC with truth
//! LAD > 0.1, r² of the least-squares line observed vs predicted.

mod design;
mod error;
mod evaluate;
mod global;
mod next_area;
mod options;
mod result;
mod run;
mod same_event;
mod sampling;

pub use design::design_matrix;
pub use error::ExperimentError;
pub use next_area::{suggest_next_areas, window_polygon, ProposedArea};
pub use options::{ExperimentOptions, TrainingSource};
pub use result::{
    BaselineAuc, ExperimentKind, ExperimentResult, GroupImportance, MeanSd, StepMaps, StepResult,
    TargetKind,
};
pub use run::run_experiment;
pub use sampling::{cells_in_polygons, mix_seed};
