//! One event's inputs brought onto one analysis grid: the fine grid (default 20 m × 22 m)
//! in the analysis CRS, its coarse blocks (200 m × 220 m), and the study-area mask.

mod error;
mod grid_setup;

pub use error::InputError;
pub use grid_setup::{setup_grid, AnalysisGrid};
