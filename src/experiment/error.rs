//! Experiment errors: each names the event (and step) and says what is missing.

use crate::forest::ForestError;

/// Why an experiment could not run.
#[derive(Debug, thiserror::Error)]
pub enum ExperimentError {
    /// Not enough cells of one class to draw the requested training sample.
    #[error("event '{event}': {have} {class} cells available, {need} needed for the training sample (lower the sample size or map more area)")]
    TooFewCells {
        /// event name
        event: String,
        /// "landslide (LAD > 0.01)" or "non-landslide"
        class: String,
        /// cells available
        have: usize,
        /// cells requested
        need: usize,
    },
    /// A hold-out training extent has too few cells of one class for a balanced sample.
    #[error("event '{event}': hold-out training extent {extent} has {landslide} landslide cell(s) (LAD > {threshold}) and {non_landslide} non-landslide cell(s); a balanced training sample needs at least {need} of each (map more landslides around the test box, or use the same-event experiment)")]
    TooFewHoldoutCells {
        /// event name
        event: String,
        /// training extent index (0 = the full extent, then halvings)
        extent: usize,
        /// landslide cells in the extent
        landslide: usize,
        /// non-landslide cells in the extent
        non_landslide: usize,
        /// LAD above which a cell is a landslide cell
        threshold: f64,
        /// cells needed per class
        need: usize,
    },
    /// A global model needs two or more events.
    #[error(
        "a {experiment} experiment needs two or more events (leave-one-event-out); {have} open"
    )]
    TooFewEvents {
        /// experiment name
        experiment: String,
        /// events given
        have: usize,
    },
    /// The events share no feature for a global model.
    #[error("event '{event}', step {step}: the training events share none of its features ({features}); a global model cannot be trained")]
    NoCommonFeatures {
        /// target event
        event: String,
        /// step
        step: usize,
        /// features of the target
        features: String,
    },
    /// Training polygons are unusable.
    #[error("event '{event}': training polygons: {message}")]
    TrainingPolygons {
        /// event
        event: String,
        /// what is wrong
        message: String,
    },
    /// The forest engine failed.
    #[error("event '{event}', step {step}: {source}")]
    Forest {
        /// event
        event: String,
        /// step
        step: usize,
        /// engine error
        source: ForestError,
    },
    /// The event has no inventory / mapped cells.
    #[error("event '{event}': {message}")]
    NoTruth {
        /// event
        event: String,
        /// what is missing
        message: String,
    },
    /// A saved model could not be read or written (the message names the file).
    #[error("saved models: {message}")]
    ModelStore {
        /// what is wrong, with the file
        message: String,
    },
    /// A setting or request that cannot be right.
    #[error("{message}")]
    Invalid {
        /// what is wrong and what to do
        message: String,
    },
    /// A setting is out of range (e.g. `--repeats 0`); names the option, value and rule.
    #[error("{option} = {value}: {rule}")]
    InvalidOption {
        /// the option, e.g. "repeats"
        option: String,
        /// the value given
        value: String,
        /// what is allowed
        rule: String,
    },
    /// Two events share a name, or one project is given twice (the message names both
    /// project files).
    #[error("{message}")]
    DuplicateEvent {
        /// names both project files and the event
        message: String,
    },
    /// The user cancelled.
    #[error("cancelled")]
    Cancelled,
}

impl ExperimentError {
    /// Wrap a forest error with its event and step (cancellation stays cancellation).
    pub fn forest(event: &str, step: usize, source: ForestError) -> Self {
        if matches!(source, ForestError::Cancelled) {
            ExperimentError::Cancelled
        } else {
            ExperimentError::Forest {
                event: event.to_string(),
                step,
                source,
            }
        }
    }
}
