//! Random-forest regression engine for landslide areal density (Burrows et al. 2021, §2.4).
//!
//! Contract: pure arrays in, arrays out. X is a row-major `f32` [`Matrix`] (rows = cells,
//! columns = features, no NaN/inf: missing cells must be a finite sentinel); y is `&[f64]`.
//! Trees split on MAE (paper) or MSE, with scikit-learn semantics for every hyper-parameter;
//! results depend only on the data, the parameters and the seed, never on the thread count.
//!
//! - [`Matrix`], [`ForestParams`] / [`Criterion`] / [`MaxFeatures`]: inputs.
//! - [`RandomForest`]: fit, chunked parallel predict, importances; serde-serialisable.
//! - [`grid_search`] with [`ParamGrid`] (Table 2 default) and [`kfold`]: model selection.
//! - [`Ensemble`]: forests on undersamples, streamed per-cell median/percentiles/variance.

mod ensemble;
mod error;
mod flat;
#[allow(clippy::module_inception)]
mod forest;
mod grid;
mod grid_search;
mod importance;
mod kfold;
mod matrix;
mod params;
mod radix;
mod ranks;
mod rng;
mod split;
mod tree;

pub use ensemble::{percentile_sorted, Ensemble, EnsembleSummary, DEFAULT_ENSEMBLE_SIZE};
pub use error::ForestError;
pub use flat::{FlatTree, SplitNode, Walk, LANES, REFILL_MIN_DEPTH};
pub use forest::{RandomForest, PREDICT_CHUNK_ROWS};
pub use grid::ParamGrid;
pub use grid_search::{grid_search, CandidateScore, GridSearchOptions, GridSearchResult, Scoring};
pub use kfold::{kfold, Fold};
pub use matrix::Matrix;
pub use params::{Criterion, ForestParams, MaxFeatures};
