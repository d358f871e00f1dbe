//! Errors of rapid mapping: each names the file (model, manifest, input) or the request at
//! fault.

use crate::experiment::ExperimentError;
use std::path::PathBuf;

/// Why a prediction or training could not be done.
#[derive(Debug, thiserror::Error)]
pub enum RapidError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// the file
        path: PathBuf,
        /// the cause
        source: std::io::Error,
    },
    /// A model file or model folder cannot be used.
    #[error("{}: {message}", path.display())]
    Model {
        /// the file
        path: PathBuf,
        /// what is wrong and what to do
        message: String,
    },
    /// A training event changed since the models were trained.
    #[error("{}: this training event changed since the models in {} were trained (content SHA-256 {now}, was {then}): retrain with `slidemap train`", project.display(), models.display())]
    TrainingEventChanged {
        /// the project file
        project: PathBuf,
        /// the model folder
        models: PathBuf,
        /// hash now
        now: String,
        /// hash at training
        then: String,
    },
    /// The request cannot be right.
    #[error("{0}")]
    Invalid(String),
    /// The models or the experiment failed.
    #[error(transparent)]
    Experiment(#[from] ExperimentError),
}
