//! Peak ground velocity (cm/s) from a finite fault.
//!
//! The "true" shaking felt by the slopes is `PGV = A · (R_km + 10)^-1.3 · exp(s)`, where
//! `R` is the distance to the rupture (horizontal distance to the fault trace combined with
//! the rupture depth) and `s` is a site term: a smooth fractal field (σ ≈ 0.25, 8 km
//! wavelength) plus a finer one (σ ≈ 0.15, 1.5 km) that no ShakeMap resolves.
//! The published PGV raster samples only the smooth part on a 1 arc-minute EPSG:4326 grid
//! and adds per-node estimation noise (σ = 0.15 in ln units): the model sees the shaking
//! only through this coarse, imperfect estimate.

use super::noise::{gauss2, Fbm};
use super::world::World;
use super::DemoError;
use crate::grid::Grid;

/// ShakeMap-like node spacing: one arc-minute.
pub(crate) const PGV_CELL_DEG: f64 = 1.0 / 60.0;

/// The rupture and its shaking field, in the event's UTM frame.
#[derive(Debug, Clone)]
pub(crate) struct Fault {
    /// Trace end points, UTM metres.
    pub trace: [[f64; 2]; 2],
    depth_m: f64,
    amplitude: f64,
    site_smooth: Fbm,
    site_fine: Fbm,
}

impl Fault {
    /// Build the fault of the world's scenario.
    pub(crate) fn new(world: &World<'_>) -> Self {
        let f = &world.sc.fault;
        let a = &world.area;
        let at = |p: [f64; 2]| [a.x_min + p[0] * a.width(), a.y_min + p[1] * a.height()];
        Fault {
            trace: [at(f.start), at(f.end)],
            depth_m: f.depth_km * 1000.0,
            amplitude: f.pgv_at_15km_cm_s * 25f64.powf(1.3),
            site_smooth: Fbm::new(world.layer_seed("pgv-site"), 8_000.0, 3, 0.5),
            site_fine: Fbm::new(world.layer_seed("pgv-site-fine"), 1_500.0, 3, 0.5),
        }
    }

    /// Rupture distance, km.
    pub(crate) fn distance_km(&self, x: f64, y: f64) -> f64 {
        let [p, q] = self.trace;
        let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
        let t = (((x - p[0]) * dx + (y - p[1]) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
        let h = (x - p[0] - t * dx).hypot(y - p[1] - t * dy);
        h.hypot(self.depth_m) / 1000.0
    }

    /// Smooth PGV (what a ShakeMap can know), cm/s.
    pub(crate) fn pgv_smooth_cm_s(&self, x: f64, y: f64) -> f64 {
        self.amplitude
            * (self.distance_km(x, y) + 10.0).powf(-1.3)
            * (0.25 / 0.6 * self.site_smooth.at(x, y)).exp()
    }

    /// PGV felt on the ground including the fine site term, cm/s.
    pub(crate) fn pgv_true_cm_s(&self, x: f64, y: f64) -> f64 {
        self.pgv_smooth_cm_s(x, y) * (0.15 / 0.6 * self.site_fine.at(x, y)).exp()
    }
}

/// The published PGV: smooth PGV sampled at 1-arc-minute nodes (EPSG:4326, cell centres =
/// nodes) with log-normal estimation noise; covers the area plus two nodes.
pub(crate) fn pgv_raster(world: &World<'_>, fault: &Fault) -> Result<Grid<f32>, DemoError> {
    let spec = world.lonlat_grid(PGV_CELL_DEG, 2.0 * PGV_CELL_DEG)?;
    let pts = world.centres_in_utm(&spec)?;
    let seed = world.layer_seed("pgv-estimate");
    let data = pts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let noise = 0.15 * gauss2(seed, i as i64, 0);
            (fault.pgv_smooth_cm_s(p[0], p[1]) * noise.exp()) as f32
        })
        .collect();
    Ok(Grid { spec, data })
}

/// Bilinear sample of a node-centred EPSG:4326 grid at (lon, lat); NaN outside.
pub(crate) fn bilinear(grid: &Grid<f32>, lon: f64, lat: f64) -> f32 {
    let (c, r) = grid.spec.pixel_from_world(lon, lat);
    let (c, r) = (c - 0.5, r - 0.5);
    let (c0, r0) = (c.floor(), r.floor());
    if c0 < 0.0
        || r0 < 0.0
        || c0 + 1.0 >= grid.spec.cols as f64
        || r0 + 1.0 >= grid.spec.rows as f64
    {
        return f32::NAN;
    }
    let (tc, tr) = ((c - c0) as f32, (r - r0) as f32);
    let (c0, r0) = (c0 as usize, r0 as usize);
    let v = |r: usize, c: usize| grid.data[r * grid.spec.cols + c];
    let top = v(r0, c0) * (1.0 - tc) + v(r0, c0 + 1) * tc;
    let bottom = v(r0 + 1, c0) * (1.0 - tc) + v(r0 + 1, c0 + 1) * tc;
    top * (1.0 - tr) + bottom * tr
}
