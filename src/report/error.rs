//! The error type of the report writer: every variant names the file (or event) concerned.

use std::path::PathBuf;

/// Failure writing the outputs of an experiment.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Creating a directory or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// File or directory concerned.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// Writing a GeoTIFF (or an atomic rename) failed in the GIS layer.
    #[error("{path}: {source}")]
    Gis {
        /// File concerned.
        path: PathBuf,
        /// The GIS-layer error (boxed: it is large).
        source: Box<crate::io::GisError>,
    },
    /// Rendering a figure failed.
    #[error("{path}: drawing the figure failed: {message}")]
    Plot {
        /// PNG concerned.
        path: PathBuf,
        /// What the plotting library reported.
        message: String,
    },
    /// A map does not fit its event's grid.
    #[error("event '{event}': {what} has {got} cells but the event grid has {expected}")]
    MapSize {
        /// Event name.
        event: String,
        /// Which map (e.g. "predicted LAD at step 2").
        what: String,
        /// Cells in the grid.
        expected: usize,
        /// Values in the map.
        got: usize,
    },
    /// The experiment produced no step at all; the report (with the run's warnings) was
    /// still written so that a person can see why.
    #[error("the experiment produced no results ({n_warnings} warning(s)); see {report}")]
    NoResults {
        /// The report.html that lists the warnings.
        report: PathBuf,
        /// Number of warnings in the report.
        n_warnings: usize,
    },
    /// The data cannot be written in the requested format (e.g. a KMZ of a grid without
    /// CRS, a mask whose size differs from its grid).
    #[error("{path}: {message}")]
    Unwritable {
        /// File concerned.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The caller raised the cancel flag; files finished before are kept, none is partial.
    #[error("cancelled after writing {written} file(s)")]
    Cancelled {
        /// Number of files completely written before the cancellation.
        written: usize,
    },
}

impl ReportError {
    /// Shorthand for [`ReportError::Io`].
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ReportError::Io {
            path: path.into(),
            source,
        }
    }

    /// Shorthand for [`ReportError::Unwritable`].
    pub fn unwritable(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        ReportError::Unwritable {
            path: path.into(),
            message: message.into(),
        }
    }

    /// Shorthand for [`ReportError::Gis`].
    pub fn gis(path: impl Into<PathBuf>, source: crate::io::GisError) -> Self {
        ReportError::Gis {
            path: path.into(),
            source: Box::new(source),
        }
    }
}
