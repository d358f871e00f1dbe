//! The project file: one versioned TOML file per earthquake event naming its inputs.
//!
//! Paths inside the file are relative to the file's own folder (absolute paths are kept).
//! Unknown keys and wrong types are errors naming the key and line (serde's
//! `deny_unknown_fields` + the toml crate's spans). Format version history:
//! - 1: event, grid, inputs, acquisitions.
//!
//! See `docs/project-file.md` for the full reference with an example.

mod acquisition;
mod add_acquisitions;
mod coherence_folder;
mod coherence_grouping;
mod coherence_scan;
mod distinct;
mod error;
mod file;
mod new_event;
mod post_event_completion;
mod raster_input;

pub use acquisition::{AcquisitionConfig, CoherenceScale, Pass, RadarBand};
pub use add_acquisitions::{
    acquisition_problems, append_acquisitions, known_acquisitions, known_among,
    project_co_event_files, AddAcquisitionsError, AppendOutcome,
};
pub use coherence_folder::{
    empty_folder, scan_coherence_folder, scan_coherence_pairs, CoherenceFolderError,
};
pub use coherence_scan::{
    Answer, CoherencePair, FolderScan, PairTiming, QuestionKey, ScanQuestion, SkippedFile, TrackKey,
};
pub use distinct::{find_duplicate_event, DuplicateEvent};
pub use error::ProjectError;
pub use file::{
    EventConfig, GridConfig, GroundFailureInput, InputsConfig, InventoryInput, Project,
    ProjectFile, ThematicInput, VectorInput, CURRENT_FORMAT_VERSION, GROUND_FAILURE_MODEL_NJ2018,
};
pub use new_event::{
    check_new_event, create_project, relative_path, FieldProblem, GroundFailureSource,
    NewEventCheck, NewEventError, NewEventForm,
};
pub use post_event_completion::{complete_acquisitions, post_event_completions, Completion};
pub use raster_input::RasterInput;
