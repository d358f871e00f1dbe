//! Error type of the forest engine.
//!
//! Contract: every fallible call in [`crate::forest`] returns [`ForestError`]; each variant
//! carries the context (row, column, parameter name, fold, model index) needed to act on it.
//! The engine never panics on user data.

use thiserror::Error;

/// Everything that can go wrong while fitting, predicting or searching hyper-parameters.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ForestError {
    /// `data.len()` does not equal `rows * cols` when building a [`crate::forest::Matrix`].
    #[error("matrix data has {data_len} values but shape {rows} x {cols} needs {expected}")]
    InvalidShape {
        /// Requested number of rows.
        rows: usize,
        /// Requested number of columns.
        cols: usize,
        /// Length of the supplied buffer.
        data_len: usize,
        /// `rows * cols` (saturating).
        expected: usize,
    },
    /// The matrix has no rows or no columns.
    #[error("{stage}: matrix is empty ({rows} rows x {cols} columns)")]
    EmptyMatrix {
        /// `"fit"`, `"predict"`, `"grid search"`, ...
        stage: &'static str,
        /// Number of rows.
        rows: usize,
        /// Number of columns.
        cols: usize,
    },
    /// A feature value is NaN or infinite (use an out-of-range sentinel for missing cells).
    #[error("{stage}: feature value {value} at row {row}, column {col} is not finite")]
    NonFiniteFeature {
        /// `"fit"` or `"predict"`.
        stage: &'static str,
        /// Row index (0-based) of the first offending value.
        row: usize,
        /// Column index (0-based) of the first offending value.
        col: usize,
        /// The offending value.
        value: f32,
    },
    /// A target value is NaN or infinite.
    #[error("fit: target value {value} at row {row} is not finite")]
    NonFiniteTarget {
        /// Row index (0-based).
        row: usize,
        /// The offending value.
        value: f64,
    },
    /// `y.len()` differs from the number of matrix rows.
    #[error("fit: matrix has {rows} rows but {targets} target values were given")]
    TargetLengthMismatch {
        /// Matrix rows.
        rows: usize,
        /// Target length.
        targets: usize,
    },
    /// Prediction matrix has a different number of columns than the training matrix.
    #[error("predict: model was trained on {expected} features but the matrix has {found}")]
    FeatureCountMismatch {
        /// Training column count.
        expected: usize,
        /// Prediction column count.
        found: usize,
    },
    /// A hyper-parameter is out of its valid range.
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// Parameter name (sklearn spelling).
        name: &'static str,
        /// Why it is invalid.
        reason: String,
    },
    /// Cross-validation needs at least one row per fold (and two folds).
    #[error("cross-validation: {rows} training rows cannot be split into {folds} folds")]
    TooFewRowsForFolds {
        /// Training rows.
        rows: usize,
        /// Requested folds.
        folds: usize,
    },
    /// Grid search cannot rank candidates by R² when the target is constant.
    #[error("grid search: target is constant ({value}) so R² scoring is undefined")]
    ConstantTarget {
        /// The constant target value.
        value: f64,
    },
    /// The parameter grid has an empty axis.
    #[error("grid search: parameter grid axis `{axis}` is empty")]
    EmptyGridAxis {
        /// The empty axis.
        axis: &'static str,
    },
    /// An ensemble member was given an empty row subset.
    #[error("ensemble: row subset of model {model} is empty")]
    EmptyRowSubset {
        /// Model index.
        model: usize,
    },
    /// An ensemble row subset refers to a row outside the matrix.
    #[error("ensemble: model {model} refers to row {index} but the matrix has {rows} rows")]
    RowIndexOutOfRange {
        /// Model index.
        model: usize,
        /// Offending row index.
        index: usize,
        /// Matrix rows.
        rows: usize,
    },
    /// A fold could not be scored.
    #[error("cross-validation: scoring fold {fold} failed: {source}")]
    Scoring {
        /// Fold index.
        fold: usize,
        /// The metric error.
        #[source]
        source: crate::metrics::MetricsError,
    },
    /// The cancellation flag was raised.
    #[error("cancelled")]
    Cancelled,
}
