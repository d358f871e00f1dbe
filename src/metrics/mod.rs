//! Performance metrics of landslide models (Burrows et al. 2021, §2.5).
//!
//! Contract: pure functions of `f64` slices (and `bool` truth for ROC) that match
//! scikit-learn / scipy to floating-point accuracy; invalid input gives [`MetricsError`].
//!
//! - [`roc_curve`], [`roc_auc_score`], [`binary_truth`]: ROC analysis of LAD > 0.1.
//! - [`linregress_r2`]: r² of the least-squares line between observed and predicted LAD.
//! - [`r2_score`], [`mean_absolute_error`], [`root_mean_squared_error`]: regression scores.

mod error;
mod regression;
mod roc;

pub use error::MetricsError;
pub use regression::{linregress_r2, mean_absolute_error, r2_score, root_mean_squared_error};
pub use roc::{
    binary_truth, roc_auc_score, roc_curve, trapezoid_auc, RocCurve, LANDSLIDE_LAD_THRESHOLD,
};
