//! A USGS-style ground-failure product on a 0.002° EPSG:4326 grid: the published
//! Nowicki Jessee et al. (2018) model itself ([`crate::groundfailure::model`], the same
//! coefficients for every event), run on the inputs a global product has.
//!
//! ```text
//! X  = −6.30 + 1.65 ln PGV + 0.06 slope + rock + 0.03 CTI + landcover + 0.01 ln PGV · slope + ε
//! LS = exp(−7.592 + 5.237 P − 3.042 P² + 4.035 P³),  P = sigmoid(X)
//! ```
//! PGV is bilinearly interpolated from the *published* PGV raster, slope is the mean DEM
//! slope over the ~200 m pixel, `rock` is the GLiM coefficient of the pixel's lithology class
//! and `landcover` the GlobCover coefficient of its ESA CCI class (as the real model's inputs),
//! CTI is a plausible hillslope value `ln(300 m / tan β)` (the global product uses a 1 km CTI
//! that does not resolve hillslopes either), and `ε` is a smooth 6 km input-error field
//! (σ ≈ 0.5: the global model's coarse inputs). It knows neither the demo's lithology
//! weakness, nor the latent field, nor the fine site term that shaped the landslides.

use super::fault_pgv::bilinear;
use super::landcover::LandCover;
use super::lithology::Lithology;
use super::noise::Fbm;
use super::world::World;
use super::DemoError;
use crate::grid::Grid;
use crate::groundfailure::coefficients::{
    esa_cci_to_globcover, glim_coefficient, globcover_coefficient, Lookup,
};
use crate::groundfailure::model::{areal_coverage_cell, MIN_SLOPE_DEG};

/// Cell size of the product, degrees.
pub(crate) const GROUND_FAILURE_CELL_DEG: f64 = 0.002;

/// The GlobCover coefficient of an ESA CCI class (0 where the model has none, as the USGS
/// product does for classes without a coefficient; water stays water).
fn landcover_coef(code: u8) -> Option<f32> {
    if code == 210 {
        return None;
    }
    match esa_cci_to_globcover(i64::from(code)).map(globcover_coefficient) {
        Some(Lookup::Coefficient(c)) => Some(c),
        _ => Some(0.0),
    }
}

fn rock_coef(class: &str) -> f32 {
    match glim_coefficient(class) {
        Lookup::Coefficient(c) => c,
        _ => 0.0,
    }
}

/// A plausible hillslope CTI from the slope alone (300 m upslope length per unit contour).
fn cti(slope_deg: f64) -> f64 {
    let tan = slope_deg.max(MIN_SLOPE_DEG).to_radians().tan();
    (300.0 / tan).ln()
}

/// Compute the product (NaN over open sea and far outside the DEM; a pixel that touches
/// land has a value, so the product covers every study-area cell as the real one does).
pub(crate) fn generate(
    world: &World<'_>,
    pgv: &Grid<f32>,
    lith: &Lithology,
    lc: &LandCover,
) -> Result<Grid<f32>, DemoError> {
    let spec = world.lonlat_grid(GROUND_FAILURE_CELL_DEG, 0.004)?;
    let utm = world.centres_in_utm(&spec)?;
    let err = Fbm::new(world.layer_seed("ground-failure-error"), 6_000.0, 3, 0.5);
    let data = utm
        .iter()
        .enumerate()
        .map(|(i, p)| {
            // A pixel whose centre lies just off the land (coast, DEM edge) still covers
            // land: like the real product, it takes the slope of the land around it.
            let slope = match world.dem.mean_slope(p[0], p[1], 200.0, 3) {
                s if s.is_nan() => world.dem.mean_slope(p[0], p[1], 600.0, 7),
                s => s,
            };
            let (lon, lat) = spec.cell_centre(i / spec.cols, i % spec.cols);
            let v = bilinear(pgv, lon, lat);
            let Some(lc_coef) = landcover_coef(lc.code_at(lon, lat)) else {
                return if slope.is_nan() { f32::NAN } else { 0.0 };
            };
            if slope.is_nan() || v.is_nan() {
                return f32::NAN;
            }
            // the input-error field enters as an additive logit term through the rock slot
            let rock = rock_coef(lith.class_at(p[0], p[1]).code) + 0.8 * err.at(p[0], p[1]) as f32;
            let s = f64::from(slope);
            areal_coverage_cell(v.max(0.1), slope, cti(s) as f32, rock, lc_coef)
        })
        .collect();
    Ok(Grid { spec, data })
}
