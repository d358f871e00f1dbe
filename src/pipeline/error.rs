//! The error of the event pipeline (a project → its feature table): the input layer's
//! [`InputError`], terrain, coherence, PGV and the ground-failure model, and cancellation.
//! It wraps the errors of the layers below; none of them wraps it.

use crate::event::InputError;
use crate::io::GisError;
use std::path::PathBuf;

/// Failure turning a project into analysis layers.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// An input could not be brought onto the analysis grid (a file, the project file, an
    /// unusable input, a grid too large).
    #[error(transparent)]
    Input(#[from] InputError),
    /// A terrain computation failed.
    #[error("terrain from {path}: {message}")]
    Terrain {
        /// DEM file
        path: PathBuf,
        /// what failed
        message: String,
    },
    /// A coherence file is unusable.
    #[error(transparent)]
    Coherence(#[from] crate::coherence::CoherenceError),
    /// The PGV input is unusable (≤ 0 somewhere, or missing everywhere): the same check
    /// and message as the ground-failure model's.
    #[error(transparent)]
    Pgv(crate::groundfailure::GroundFailureError),
    /// The built-in ground-failure model could not be computed.
    #[error("ground-failure model: {0}")]
    GroundFailure(#[from] crate::groundfailure::GroundFailureError),
    /// The user cancelled.
    #[error("cancelled")]
    Cancelled,
}

impl From<GisError> for EventError {
    fn from(e: GisError) -> Self {
        EventError::Input(InputError::Gis(e))
    }
}
