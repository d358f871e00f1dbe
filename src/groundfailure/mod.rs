//! Built-in USGS ground-failure model (Nowicki Jessee et al. 2018): the landslide areal
//! coverage LS (fraction of a cell's area, 0–1) from PGV (cm/s), slope (degrees), the
//! compound topographic index (CTI), lithology (GLiM classes) and land cover (GlobCover 2009
//! or ESA CCI classes), so SlideMap can compute the USGS product offline from a ShakeMap.
//!
//! Contract: every grid is row-major (row 0 = north) on the caller's target grid, NaN =
//! nodata; LS is 0 where the slope is below 2°. Bad input is an error naming the file, class
//! code and cell count ([`GroundFailureError`]); classes that exist but have no published
//! coefficient get 0 and a warning string.
//!
//! # Parts
//! - [`model`]: the pure formula on slices.
//! - [`coefficients`]: GLiM and GlobCover tables, the ESA CCI → GlobCover crosswalk.
//! - `inputs`: validation (PGV ≤ 0 / missing, unknown classes, slope unit) and class lookup.
//! - `layers`: loading inputs from files onto a grid; the model from rasters alone.
//! - `project`: the model on an event's fine analysis grid ([`compute_for_project`]).

pub mod coefficients;
mod error;
mod inputs;
mod layers;
pub mod model;
mod project;

pub use error::GroundFailureError;
pub use inputs::{
    check_coefficients, check_pgv, check_slope_degrees, detect_content, detect_slope_unit,
    landcover_coefficients, lithology_coefficients, slope_deg_from_gradient, RasterContent,
    SlopeUnit, LANDCOVER_COEF_RANGE, ROCK_COEF_RANGE,
};
pub use layers::{
    compute_from_rasters, load_class_raster, load_pgv, ClassLayer, RasterInputs, SlopeRasterUnit,
};
pub use model::{areal_coverage, ModelInputs};
pub use project::compute_for_project;
