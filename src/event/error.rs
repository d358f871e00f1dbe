//! Errors of event loading and feature building.

use crate::io::GisError;
use crate::project::ProjectError;
use std::path::PathBuf;

/// Failure turning a project into analysis layers.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// A file could not be read, warped or written.
    #[error(transparent)]
    Gis(#[from] GisError),
    /// The project file is invalid.
    #[error(transparent)]
    Project(#[from] ProjectError),
    /// An input is readable but unusable; names the input and its file.
    #[error("{input} ({path}): {message}")]
    Input {
        /// e.g. "inventory", "lithology"
        input: String,
        /// the file
        path: PathBuf,
        /// what is wrong
        message: String,
    },
    /// The analysis grid would not fit in memory.
    #[error(transparent)]
    GridTooLarge(#[from] crate::grid::GridTooLarge),
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
