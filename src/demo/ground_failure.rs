//! A USGS-style ground-failure product (Nowicki Jessee et al. 2018 flavour) on a 0.002°
//! EPSG:4326 grid.
//!
//! `P = sigmoid(−7.2 + 1.5 ln PGV + 0.09 slope + lc + ε)`, with PGV bilinearly interpolated
//! from the *published* PGV raster, slope the mean DEM slope over the ~200 m pixel, a crude
//! land-cover term and ε a smooth model-error field (σ ≈ 0.5). It knows neither the
//! lithology weakness nor the latent field nor the fine site term that shaped the real
//! landslides. P is then converted to areal coverage with Nowicki Jessee's cubic
//! transform `L = sigmoid(−7.592 + 5.237 P − 3.042 P² + 4.035 P³)`, values 0–~0.2.

use super::fault_pgv::bilinear;
use super::landcover::LandCover;
use super::noise::{sigmoid, Fbm};
use super::world::World;
use super::DemoError;
use crate::grid::Grid;

/// Cell size of the product, degrees.
pub(crate) const GROUND_FAILURE_CELL_DEG: f64 = 0.002;

fn lc_term(code: u8) -> f64 {
    match code {
        50 | 60 | 70 | 90 | 100 => -0.3,
        190 => -1.0,
        210 => -10.0,
        _ => 0.0,
    }
}

/// Compute the product (NaN over open sea and far outside the DEM; a pixel that touches
/// land has a value, so the product covers every study-area cell as the real one does).
pub(crate) fn generate(
    world: &World<'_>,
    pgv: &Grid<f32>,
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
            if slope.is_nan() || v.is_nan() {
                return f32::NAN;
            }
            let x = -7.2
                + 1.5 * f64::from(v.max(0.1)).ln()
                + 0.09 * f64::from(slope)
                + lc_term(lc.code_at(lon, lat))
                + 0.8 * err.at(p[0], p[1]);
            let prob = sigmoid(x);
            sigmoid(-7.592 + 5.237 * prob - 3.042 * prob * prob + 4.035 * prob.powi(3)) as f32
        })
        .collect();
    Ok(Grid { spec, data })
}
