//! Rapid mapping of a new earthquake (the paper's section 4.5, and beyond): maps of an event
//! that has no inventory (global ensembles trained on past events, a new map per radar
//! acquisition) or only a few mapped areas (a same-event model of the whole study area),
//! scored only where truth exists and with the validation named; global ensembles saved
//! and reused ("train once, predict many"); content hashes for provenance.
//!
//! Contract: the calls are synchronous and deterministic for a seed, honour the cancel flag
//! and report progress as (stage, fraction). They never read the clock. Files written here
//! (model files, manifests) are written atomically.

mod digest;
mod error;
mod model_store;
mod outputs;
mod predict;
mod step_export;

pub use digest::{event_hash, project_digests, project_inputs, sha256_file, FileDigest};
pub use error::RapidError;
pub use model_store::{
    Manifest, ModelHeader, ModelStore, TrainingEvent, MANIFEST_NAME, MODEL_FORMAT_VERSION,
};
pub use outputs::{
    describe_options, provenance, write_prediction, AcquisitionUsed, PredictionRun, Provenance,
    StepRecord,
};
pub use predict::{model_settings, predict, train, training_events, PredictOptions, PredictOutput};
pub use step_export::{export_step, iso_utc, single_step_result, StepExport, StepProvenance};
