//! The project file: one versioned TOML file per earthquake event naming its inputs.
//!
//! Paths inside the file are relative to the file's own folder (absolute paths are kept).
//! Unknown keys and wrong types are errors naming the key and line (serde's
//! `deny_unknown_fields` + the toml crate's spans). Format version history:
//! - 1: event, grid, inputs, acquisitions.
//!
//! See `docs/project-file.md` for the full reference with an example.

mod acquisition;
mod distinct;
mod error;
mod file;
mod raster_input;

pub use acquisition::{AcquisitionConfig, CoherenceScale, Pass, RadarBand};
pub use distinct::{find_duplicate_event, DuplicateEvent};
pub use error::ProjectError;
pub use file::{
    EventConfig, GridConfig, GroundFailureInput, InputsConfig, InventoryInput, Project,
    ProjectFile, ThematicInput, VectorInput, CURRENT_FORMAT_VERSION, GROUND_FAILURE_MODEL_NJ2018,
};
pub use raster_input::RasterInput;
