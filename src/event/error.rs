//! The error of the input layer (analysis grid, thematic layers, inventory): a file that
//! cannot be read, an invalid project, an unusable input, a grid too large. The event
//! pipeline's [`crate::pipeline::EventError`] and the ground-failure model's error take it
//! in; it wraps neither.

use crate::io::GisError;
use crate::project::ProjectError;
use std::path::PathBuf;

/// Failure bringing one input of a project onto the analysis grid.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
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
}
