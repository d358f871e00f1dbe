//! Errors of the built-in ground-failure model: every variant names the input (and file when
//! there is one), the offending class code or value, and how many cells are affected.

use crate::io::GisError;
use std::path::PathBuf;

/// Why the Nowicki Jessee et al. (2018) model could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum GroundFailureError {
    /// A file could not be read or warped.
    #[error(transparent)]
    Gis(Box<GisError>),
    /// Loading the event's grid or a thematic layer failed.
    #[error(transparent)]
    Input(Box<crate::event::InputError>),
    /// A required input is not given in the project.
    #[error(
        "ground-failure model: input `{input}` is required but missing from the project {project}"
    )]
    MissingInput {
        /// Project key, e.g. `inputs.pgv`.
        input: String,
        /// The project file.
        project: PathBuf,
    },
    /// PGV is zero or negative somewhere (it must be a positive velocity in cm/s).
    #[error("PGV ({path}): {count} cell(s) have PGV ≤ 0 (smallest {min} cm/s); PGV must be a positive velocity in cm/s")]
    NonPositivePgv {
        /// The PGV file.
        path: PathBuf,
        /// Cells with PGV ≤ 0.
        count: usize,
        /// Smallest value found.
        min: f32,
    },
    /// PGV covers none of the cells where the other inputs are valid.
    #[error("PGV ({path}): no value on any of the {cells} analysis cells (the ShakeMap does not cover the study area)")]
    MissingPgv {
        /// The PGV file.
        path: PathBuf,
        /// Cells with the other inputs present.
        cells: usize,
    },
    /// The ShakeMap or raster has no PGV field.
    #[error("PGV ({path}): {message}")]
    BadPgv {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Class codes that are not part of the classification at all (not silently zeroed).
    #[error("{input} ({path}): unknown {scheme} class code(s) {} — map them to {scheme} classes or give a raster of model coefficients", format_counts(.counts))]
    UnknownClasses {
        /// "lithology" or "land cover".
        input: String,
        /// The file.
        path: PathBuf,
        /// "GLiM", "GlobCover 2009" or "ESA CCI".
        scheme: String,
        /// (code, number of analysis cells), most frequent first.
        counts: Vec<(String, usize)>,
    },
    /// The slope is not in degrees (a gradient or percent rise was given).
    #[error("slope ({source_name}): {message}")]
    SlopeUnit {
        /// Where the slope came from.
        source_name: String,
        /// What the values look like and how to convert them.
        message: String,
    },
    /// Values of a coefficient raster fall outside the coefficient range of the paper.
    #[error("{input} ({path}): {message}")]
    BadRaster {
        /// "lithology" or "land cover".
        input: String,
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Input slices of different lengths were given to the model.
    #[error("ground-failure model: input `{name}` has {got} values, expected {expected}")]
    ShapeMismatch {
        /// Input name.
        name: &'static str,
        /// Expected length (PGV's).
        expected: usize,
        /// Actual length.
        got: usize,
    },
    /// A terrain derivative (slope, CTI) failed.
    #[error("terrain for the ground-failure model from {path}: {message}")]
    Terrain {
        /// The DEM.
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// The user cancelled.
    #[error("cancelled")]
    Cancelled,
}

impl From<GisError> for GroundFailureError {
    fn from(e: GisError) -> Self {
        GroundFailureError::Gis(Box::new(e))
    }
}

impl From<crate::event::InputError> for GroundFailureError {
    fn from(e: crate::event::InputError) -> Self {
        match e {
            crate::event::InputError::Gis(g) => GroundFailureError::Gis(Box::new(g)),
            other => GroundFailureError::Input(Box::new(other)),
        }
    }
}

/// `code (n cells), code (n cells), …`.
pub(crate) fn format_counts(counts: &[(String, usize)]) -> String {
    counts
        .iter()
        .map(|(c, n)| format!("'{c}' ({n} cells)"))
        .collect::<Vec<_>>()
        .join(", ")
}
