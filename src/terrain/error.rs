//! Errors of the terrain derivatives.
//!
//! Every public terrain call validates its input first (shape, cell size, options) and
//! reports the first problem found as a [`TerrainError`]; no terrain call panics on data.

use thiserror::Error;

/// Why a terrain derivative could not be computed.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum TerrainError {
    /// Every cell of the DEM is nodata (NaN), so there is nothing to derive.
    #[error("the DEM has no valid cell: every one of its {cells} cells is nodata (NaN)")]
    AllNoData {
        /// Number of cells in the DEM.
        cells: usize,
    },
    /// The data slice does not hold `rows × cols` values (or two arrays disagree).
    #[error("shape mismatch: expected {expected} values (rows × cols), got {got}")]
    ShapeMismatch {
        /// Number of values the shape calls for.
        expected: usize,
        /// Number of values that were given.
        got: usize,
    },
    /// The grid is too small for the algorithm (a 3 × 3 window needs at least 3 × 3 cells).
    #[error("the DEM is too small: {rows} rows × {cols} columns")]
    TooSmall {
        /// Rows of the DEM.
        rows: usize,
        /// Columns of the DEM.
        cols: usize,
    },
    /// The grid has more cells than the 32-bit cell indices used internally can address.
    #[error("the DEM is too large: {cells} cells (at most 4 294 967 295)")]
    TooLarge {
        /// Number of cells in the DEM.
        cells: usize,
    },
    /// A cell size is zero, negative or not finite.
    #[error("invalid cell size: {cell_width_m} m × {cell_height_m} m (both must be positive and finite)")]
    InvalidCellSize {
        /// Cell width (east–west) in metres.
        cell_width_m: f64,
        /// Cell height (north–south) in metres.
        cell_height_m: f64,
    },
    /// An option is out of range.
    #[error("invalid terrain option `{name}`: {reason}")]
    InvalidOption {
        /// The option's field name in [`crate::terrain::TerrainOptions`].
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The caller raised the cancel flag.
    #[error("terrain computation cancelled during {stage}")]
    Cancelled {
        /// The stage that was running when the flag was seen.
        stage: &'static str,
    },
}
