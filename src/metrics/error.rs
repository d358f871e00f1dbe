//! Error type of the metrics module.
//!
//! Contract: metrics never panic on user data; invalid inputs (empty, mismatched lengths,
//! NaN/inf, a single class, a constant series) return a [`MetricsError`] with context.

use thiserror::Error;

/// What can go wrong while computing a metric.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum MetricsError {
    /// Observed and predicted series have different lengths.
    #[error("{metric}: {observed} observed values but {predicted} predicted values")]
    LengthMismatch {
        /// Metric name.
        metric: &'static str,
        /// Length of the observed/truth series.
        observed: usize,
        /// Length of the predicted/score series.
        predicted: usize,
    },
    /// No values at all.
    #[error("{metric}: no values")]
    Empty {
        /// Metric name.
        metric: &'static str,
    },
    /// A value is NaN or infinite.
    #[error("{metric}: {series} value {value} at index {index} is not finite")]
    NonFinite {
        /// Metric name.
        metric: &'static str,
        /// `"observed"`, `"predicted"` or `"score"`.
        series: &'static str,
        /// Index of the first offending value.
        index: usize,
        /// The value.
        value: f64,
    },
    /// ROC analysis needs both classes.
    #[error(
        "{metric}: needs both classes but got {positives} positives and {negatives} negatives"
    )]
    SingleClass {
        /// Metric name.
        metric: &'static str,
        /// Number of positives.
        positives: usize,
        /// Number of negatives.
        negatives: usize,
    },
    /// A series is constant, so the correlation is undefined.
    #[error("{metric}: {series} values are constant, correlation is undefined")]
    ConstantInput {
        /// Metric name.
        metric: &'static str,
        /// Which series is constant.
        series: &'static str,
    },
}

/// Checks equal, non-zero lengths and finite values.
pub(crate) fn check_pair(
    metric: &'static str,
    observed: &[f64],
    predicted: &[f64],
    predicted_name: &'static str,
) -> Result<(), MetricsError> {
    if observed.len() != predicted.len() {
        return Err(MetricsError::LengthMismatch {
            metric,
            observed: observed.len(),
            predicted: predicted.len(),
        });
    }
    if observed.is_empty() {
        return Err(MetricsError::Empty { metric });
    }
    for (series, values) in [("observed", observed), (predicted_name, predicted)] {
        if let Some(index) = values.iter().position(|v| !v.is_finite()) {
            return Err(MetricsError::NonFinite {
                metric,
                series,
                index,
                value: values[index],
            });
        }
    }
    Ok(())
}
