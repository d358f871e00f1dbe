//! Project-file errors; each names the file, and the key where one is at fault.

use std::path::PathBuf;

/// Failure loading, validating or saving a project file.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// the project file
        path: PathBuf,
        /// OS error
        source: std::io::Error,
    },
    /// The project path is missing, or not a regular readable file (a folder, a FIFO, …).
    #[error("project file {0}")]
    Unreadable(crate::io::GisError),
    /// TOML syntax error, unknown key or wrong type (the message names key, line and column).
    #[error("{path}: {message}")]
    Parse {
        /// the project file
        path: PathBuf,
        /// toml's message with line, column and key
        message: String,
    },
    /// Saved by a newer SlideMap.
    #[error("{path}: format_version {found} was written by a newer SlideMap (this one reads up to {supported}); update SlideMap to open it")]
    NewerVersion {
        /// the project file
        path: PathBuf,
        /// version in the file
        found: u32,
        /// newest version this build reads
        supported: u32,
    },
    /// A value is well-typed but not acceptable.
    #[error("{path}: key `{key}`: {message}")]
    Invalid {
        /// the project file
        path: PathBuf,
        /// dotted key, e.g. `acquisitions[2].post_event`
        key: String,
        /// what is wrong
        message: String,
    },
}
