//! Synthetic DEMs (metres, ~30 m UTM cells, NaN = sea) and their slope and aspect.
//!
//! Three landscapes, all built from stateless fractal noise so rows can be computed in
//! parallel without changing the result:
//! - mountains: a northward-rising plateau, broad ranges and V-shaped valleys carved along
//!   the zero lines of a second fractal field (2–4 km relief);
//! - hills: gentle swells with short, steep-sided valleys (100–300 m relief);
//! - island: a volcanic cone with a summit crater and radial gullies; cells whose
//!   elevation falls below sea level are nodata, so the study area follows the coast.
//!
//! Slope and aspect use Horn's 3 × 3 kernel; aspect is the azimuth of the downslope
//! direction, degrees clockwise from north; cells next to nodata get NaN.

use super::noise::{layer_seed, Fbm};
use super::scenarios::{Landscape, Scenario};
use crate::grid::{Grid, GridSpec};
use rayon::prelude::*;

/// A DEM with its slope and aspect on the same grid.
#[derive(Debug, Clone)]
pub(crate) struct DemFields {
    /// Elevation, metres (NaN = sea / nodata).
    pub dem: Grid<f32>,
    /// Slope, degrees.
    pub slope_deg: Vec<f32>,
    /// Downslope azimuth, degrees clockwise from north.
    pub aspect_deg: Vec<f32>,
}

impl DemFields {
    /// (elevation m, slope deg, aspect deg) of the cell under (x, y); `None` outside or at nodata.
    pub(crate) fn sample(&self, x: f64, y: f64) -> Option<(f32, f32, f32)> {
        let (c, r) = self.dem.spec.pixel_from_world(x, y);
        if c < 0.0 || r < 0.0 || c >= self.dem.spec.cols as f64 || r >= self.dem.spec.rows as f64 {
            return None;
        }
        let i = r as usize * self.dem.spec.cols + c as usize;
        let (e, s, a) = (self.dem.data[i], self.slope_deg[i], self.aspect_deg[i]);
        (!e.is_nan() && !s.is_nan()).then_some((e, s, a))
    }

    /// Mean slope (degrees) over a `n × n` pattern of points spread over a square of side
    /// `size_m` centred on (x, y); NaN when no point is on land.
    pub(crate) fn mean_slope(&self, x: f64, y: f64, size_m: f64, n: usize) -> f32 {
        let (mut sum, mut k) = (0.0f32, 0);
        for i in 0..n {
            for j in 0..n {
                let dx = ((i as f64 + 0.5) / n as f64 - 0.5) * size_m;
                let dy = ((j as f64 + 0.5) / n as f64 - 0.5) * size_m;
                if let Some((_, s, _)) = self.sample(x + dx, y + dy) {
                    sum += s;
                    k += 1;
                }
            }
        }
        if k == 0 {
            f32::NAN
        } else {
            sum / k as f32
        }
    }
}

fn elevation(sc: &Scenario, seed: u64, u: f64, v: f64) -> f64 {
    let [w, h] = sc.size_m;
    match sc.landscape {
        Landscape::Mountains => {
            let broad = Fbm::new(seed, 14_000.0, 4, 0.5).at(u, v);
            let valleys = Fbm::new(seed ^ 1, 7_000.0, 5, 0.55)
                .at(u, v)
                .abs()
                .powf(0.75);
            let detail = Fbm::new(seed ^ 2, 1_500.0, 4, 0.5).at(u, v);
            500.0 + 1_500.0 * (v / h) + 600.0 * (broad + 1.0) + 1_800.0 * valleys + 150.0 * detail
        }
        Landscape::Hills => {
            let broad = Fbm::new(seed, 6_000.0, 3, 0.5).at(u, v);
            let valleys = Fbm::new(seed ^ 1, 2_600.0, 5, 0.55)
                .at(u, v)
                .abs()
                .powf(0.7);
            let detail = Fbm::new(seed ^ 2, 700.0, 3, 0.5).at(u, v);
            120.0 + 70.0 * (broad + 1.0) + 230.0 * valleys + 20.0 * detail
        }
        Landscape::Island => {
            let (cx, cy) = (0.5 * w, 0.56 * h);
            let (dx, dy) = (u - cx, v - cy);
            let r = (dx * dx + dy * dy).sqrt();
            let theta = dy.atan2(dx);
            let coast = Fbm::new(seed, 5_000.0, 4, 0.5).at(u, v);
            let r0 = 8_200.0 * (1.0 + 0.18 * coast);
            let t = (1.0 - r / r0).max(0.0);
            let cone = 2_500.0 * t.powf(1.6);
            let wobble = 2.5 * Fbm::new(seed ^ 1, 3_000.0, 3, 0.5).at(u, v);
            let gullies = (14.0 * theta + wobble).sin().abs().powf(0.6);
            let gully_depth = 260.0 * (r / r0).min(1.0) * t.min(0.6) / 0.6;
            let crater = 350.0 * (1.0 - r / 900.0).max(0.0).powi(2);
            let detail = Fbm::new(seed ^ 2, 1_200.0, 4, 0.5).at(u, v);
            cone - gully_depth * (1.0 - gullies) - crater
                + 60.0 * detail * t.sqrt()
                + 120.0 * t.sqrt()
                - 25.0
        }
    }
}

/// Generate the DEM of `sc` on `spec` (a UTM grid covering the event area).
pub(crate) fn generate_dem(
    sc: &Scenario,
    spec: &GridSpec,
    seed: u64,
    event_index: usize,
) -> Grid<f32> {
    let s = layer_seed(seed, event_index, "dem");
    let (x0, y0) = (spec.x_min, spec.y_min());
    let mut data = vec![0f32; spec.len()];
    data.par_chunks_mut(spec.cols)
        .enumerate()
        .for_each(|(r, row)| {
            for (c, out) in row.iter_mut().enumerate() {
                let (x, y) = spec.cell_centre(r, c);
                let z = elevation(sc, s, x - x0, y - y0);
                *out = if sc.landscape == Landscape::Island && z <= 0.0 {
                    f32::NAN
                } else {
                    z as f32
                };
            }
        });
    Grid {
        spec: spec.clone(),
        data,
    }
}

/// Slope (degrees) and downslope azimuth (degrees from north) with Horn's kernel.
pub(crate) fn slope_aspect(dem: &Grid<f32>) -> (Vec<f32>, Vec<f32>) {
    let (rows, cols) = (dem.spec.rows, dem.spec.cols);
    let (dx, dy) = (dem.spec.cell_width, dem.spec.cell_height);
    let z = |r: usize, c: usize| dem.data[r * cols + c] as f64;
    let mut slope = vec![f32::NAN; rows * cols];
    let mut aspect = vec![f32::NAN; rows * cols];
    slope
        .par_chunks_mut(cols)
        .zip(aspect.par_chunks_mut(cols))
        .enumerate()
        .for_each(|(r, (srow, arow))| {
            if r == 0 || r + 1 >= rows {
                return;
            }
            for c in 1..cols.saturating_sub(1) {
                let w = [
                    z(r - 1, c - 1),
                    z(r - 1, c),
                    z(r - 1, c + 1),
                    z(r, c - 1),
                    z(r, c + 1),
                    z(r + 1, c - 1),
                    z(r + 1, c),
                    z(r + 1, c + 1),
                ];
                if w.iter().any(|v| v.is_nan()) {
                    continue;
                }
                // dz/dx (east) and dz/dy (north; row index grows southwards)
                let gx = ((w[2] + 2.0 * w[4] + w[7]) - (w[0] + 2.0 * w[3] + w[5])) / (8.0 * dx);
                let gy = ((w[0] + 2.0 * w[1] + w[2]) - (w[5] + 2.0 * w[6] + w[7])) / (8.0 * dy);
                srow[c] = (gx.hypot(gy)).atan().to_degrees() as f32;
                // downslope direction is −gradient; azimuth clockwise from north
                let az = (-gx).atan2(-gy).to_degrees();
                arow[c] = (if az < 0.0 { az + 360.0 } else { az }) as f32;
            }
        });
    (slope, aspect)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_east_facing_ramp_has_the_expected_slope_and_aspect() {
        let spec = GridSpec::new(5, 5, 0.0, 150.0, 30.0, 30.0, String::new()).unwrap();
        // falls 30 m per 30 m towards the east: 45°, facing east (90°)
        let data = (0..25).map(|i| 1000.0 - 30.0 * (i % 5) as f32).collect();
        let (s, a) = slope_aspect(&Grid { spec, data });
        assert!((s[12] - 45.0).abs() < 1e-3, "{}", s[12]);
        assert!((a[12] - 90.0).abs() < 1e-3, "{}", a[12]);
        assert!(s[0].is_nan());
    }
}
