//! One radar acquisition's coherence rasters: pre-event, co-event, post-event and (when the
//! pre-event stack allows) sibling, on the sensor's own grid.
//!
//! Sentinel-1: LiCSAR-style uint8 (coherence × 255, 0 = nodata) on a 0.001° EPSG:4326 grid.
//! ALOS-2: float coherence on a 40 m UTM grid offset from the DEM grid, NaN outside the
//! swath. Each pixel is evaluated on a k × k sub-grid (k = 3 for Sentinel-1, 2 for ALOS-2):
//! the landslide fraction is the share of sub-cells whose centre lies in an inventory
//! polygon, and the geometric factor is averaged over the sub-cells. The landslides enter
//! only through that fraction, in the physics of [`super::coherence_model`].

use super::coherence_model::{
    estimate, geometry_factor, scar, surface, temporal, Band, LANDSLIDE_CO_EVENT,
};
use super::fault_pgv::Fault;
use super::landcover::LandCover;
use super::noise::{gauss2, Fbm};
use super::scenarios::{AcquisitionPlan, Sensor};
use super::world::World;
use super::DemoError;
use crate::grid::{Grid, GridSpec};
use crate::io::{burn_mask, Polygon};
use rayon::prelude::*;

/// Sentinel-1 coherence cell size, degrees (~60–70 m, between LiCSAR's 0.001° and full resolution).
pub(crate) const S1_CELL_DEG: f64 = 0.0006;

/// Coherence values of one acquisition (NaN = nodata), on `spec`.
#[derive(Debug, Clone)]
pub(crate) struct CoherenceSet {
    /// The sensor's grid.
    pub spec: GridSpec,
    /// Pre-event pair.
    pub pre: Vec<f32>,
    /// Co-event pair (3 × 3 boxcar estimate).
    pub co: Vec<f32>,
    /// Post-event pair.
    pub post: Vec<f32>,
    /// Sibling estimate of the co-event pair.
    pub sibling: Option<Vec<f32>>,
}

fn band_of(plan: &AcquisitionPlan) -> Band {
    match plan.sensor {
        Sensor::Sentinel1 => Band::C,
        Sensor::Alos2 => Band::L,
    }
}

fn sensor_grid(world: &World<'_>, plan: &AcquisitionPlan) -> Result<(GridSpec, usize), DemoError> {
    match plan.sensor {
        Sensor::Sentinel1 => Ok((world.lonlat_grid(S1_CELL_DEG, 0.002)?, 3)),
        Sensor::Alos2 => {
            let a = world.area;
            let cell = 40.0;
            let x0 = ((a.x_min - 400.0) / cell).floor() * cell + 13.0;
            let y1 = ((a.y_max + 400.0) / cell).ceil() * cell + 7.0;
            let cols = ((a.x_max + 400.0 - x0) / cell).ceil() as usize;
            let rows = ((y1 - a.y_min + 400.0) / cell).ceil() as usize;
            let spec = GridSpec::new(cols, rows, x0, y1, cell, cell, world.utm_wkt.clone())
                .map_err(|e| DemoError::Invalid {
                    event: world.sc.folder.into(),
                    message: e.to_string(),
                })?;
            Ok((spec, 2))
        }
    }
}

/// Per-pixel landslide fraction and mean geometric factor from the k × k sub-grid.
fn subpixel_fields(
    world: &World<'_>,
    plan: &AcquisitionPlan,
    spec: &GridSpec,
    k: usize,
    landslides_utm: &[Polygon],
) -> Result<(Vec<f32>, Vec<f32>), DemoError> {
    let sub = GridSpec::new(
        spec.cols * k,
        spec.rows * k,
        spec.x_min,
        spec.y_max,
        spec.cell_width / k as f64,
        spec.cell_height / k as f64,
        spec.crs_wkt.clone(),
    )
    .map_err(|e| DemoError::Invalid {
        event: world.sc.folder.into(),
        message: e.to_string(),
    })?;
    let polys: Vec<Vec<Polygon>> = if crate::io::same_crs(&spec.crs_wkt, &world.utm_wkt) {
        landslides_utm.iter().map(|p| vec![p.clone()]).collect()
    } else {
        let mut out = Vec::with_capacity(landslides_utm.len());
        for p in landslides_utm {
            let mut ring = p.exterior.clone();
            world.to_lonlat(&mut ring)?;
            out.push(vec![Polygon::new(ring)]);
        }
        out
    };
    let flags = burn_mask(&polys, &sub);
    let utm = world.centres_in_utm(&sub)?;
    let g_sub: Vec<f32> = utm
        .par_iter()
        .map(|p| match world.dem.sample(p[0], p[1]) {
            Some((_, s, a)) => {
                geometry_factor(f64::from(s), f64::from(a), plan.pass, plan.incidence_deg) as f32
            }
            None => 1.0,
        })
        .collect();
    let mut frac = vec![0f32; spec.len()];
    let mut geom = vec![0f32; spec.len()];
    let norm = 1.0 / (k * k) as f32;
    for r in 0..sub.rows {
        for c in 0..sub.cols {
            let i = r * sub.cols + c;
            let o = (r / k) * spec.cols + c / k;
            frac[o] += if flags[i] { norm } else { 0.0 };
            geom[o] += g_sub[i] * norm;
        }
    }
    Ok((frac, geom))
}

/// NaN-aware box mean with half-width `radius` pixels.
fn box_mean(values: &[f32], rows: usize, cols: usize, radius: usize) -> Vec<f32> {
    let mut out = vec![f32::NAN; values.len()];
    out.par_chunks_mut(cols).enumerate().for_each(|(r, row)| {
        for (c, o) in row.iter_mut().enumerate() {
            if values[r * cols + c].is_nan() {
                continue;
            }
            let (mut s, mut n) = (0.0f32, 0u32);
            for rr in r.saturating_sub(radius)..(r + radius + 1).min(rows) {
                for cc in c.saturating_sub(radius)..(c + radius + 1).min(cols) {
                    let v = values[rr * cols + cc];
                    if !v.is_nan() {
                        s += v;
                        n += 1;
                    }
                }
            }
            *o = s / n as f32;
        }
    });
    out
}

/// Simulate one acquisition.
pub(crate) fn simulate(
    world: &World<'_>,
    plan: &AcquisitionPlan,
    acq_index: usize,
    lc: &LandCover,
    landslides_utm: &[Polygon],
    fault: &Fault,
) -> Result<CoherenceSet, DemoError> {
    let (spec, k) = sensor_grid(world, plan)?;
    let (frac, geom) = subpixel_fields(world, plan, &spec, k, landslides_utm)?;
    let utm = world.centres_in_utm(&spec)?;
    let mut lonlat = utm.clone();
    world.to_lonlat(&mut lonlat)?;
    let band = band_of(plan);
    let n_looks = super::coherence_model::looks(band);
    let tag = format!("coherence-{acq_index}");
    let seed = |role: &str| world.layer_seed(&format!("{tag}-{role}"));
    let weather = |role: &str| Fbm::new(seed(role), 14_000.0, 2, 0.5);
    let (w_pre, w_co, w_post) = (
        weather("pre-weather"),
        weather("co-weather"),
        weather("post-weather"),
    );
    let a = world.area;
    let (cx, cy) = a.centre();
    let look = super::coherence_model::towards_sensor_deg(plan.pass).to_radians();
    let (lx, ly) = (look.sin(), look.cos());
    let half_span = 0.5 * (a.width() * lx.abs() + a.height() * ly.abs());
    let footprint = |x: f64, y: f64| {
        // distance towards the sensor from the centre; the swath keeps the far-range side
        let d = (x - cx) * lx + (y - cy) * ly;
        plan.footprint_fraction >= 1.0 || d <= (2.0 * plan.footprint_fraction - 1.0) * half_span
    };
    let (s_pre, s_co, s_post) = (seed("pre-noise"), seed("co-noise"), seed("post-noise"));
    let pixel = |i: usize| -> [f32; 4] {
        let [x, y] = utm[i];
        if !footprint(x, y) {
            return [f32::NAN; 4];
        }
        let code = lc.code_at(lonlat[i][0], lonlat[i][1]);
        let surf = surface(code, band);
        let (f, g) = (f64::from(frac[i]), f64::from(geom[i]));
        let shaking = ((fault.pgv_true_cm_s(x, y) / 20.0).ln() / 10f64.ln()).clamp(0.0, 1.0);
        let weather_of = |w: &Fbm| 1.0 - 0.12 * (w.at(x, y) + 1.0);
        let g_pre = g * temporal(surf, plan.pre_span_days as f64) * weather_of(&w_pre);
        let bg_co = temporal(surf, plan.co_span_days as f64) * (1.0 - 0.15 * shaking);
        let g_co = g * ((1.0 - f) * bg_co + f * LANDSLIDE_CO_EVENT) * weather_of(&w_co);
        let post_span = plan.post_span_days as f64;
        let g_post = g
            * ((1.0 - f) * temporal(surf, post_span) + f * scar(band, post_span))
            * weather_of(&w_post);
        let (r, c) = ((i / spec.cols) as i64, (i % spec.cols) as i64);
        [
            estimate(g_pre, n_looks, gauss2(s_pre, r, c)) as f32,
            estimate(g_co, n_looks, gauss2(s_co, r, c)) as f32,
            estimate(g_post, n_looks, gauss2(s_post, r, c)) as f32,
            g_co as f32,
        ]
    };
    let values: Vec<[f32; 4]> = (0..spec.len()).into_par_iter().map(pixel).collect();
    let column = |k: usize| values.iter().map(|v| v[k]).collect::<Vec<f32>>();
    let (pre, co, post, co_true) = (column(0), column(1), column(2), column(3));
    let sibling = plan
        .sibling
        .then(|| sibling_layer(&co_true, &spec, band, seed("sibling-noise")));
    Ok(CoherenceSet {
        spec,
        pre,
        co,
        post,
        sibling,
    })
}

/// The sibling interferogram's co-event coherence: the true co-event coherence smoothed
/// and re-estimated with more looks (its noise is hashed per cell from `s_sib`, no draw
/// order).
fn sibling_layer(co_true: &[f32], spec: &GridSpec, band: Band, s_sib: u64) -> Vec<f32> {
    let radius = if band == Band::C { 4 } else { 8 };
    let smooth = box_mean(co_true, spec.rows, spec.cols, radius);
    smooth
        .iter()
        .enumerate()
        .map(|(i, v)| {
            if v.is_nan() {
                f32::NAN
            } else {
                estimate(f64::from(*v), 40.0, gauss2(s_sib, i as i64, 0)) as f32
            }
        })
        .collect()
}

/// LiCSAR uint8 encoding: round(γ·255) in 1..=255, NaN → 0.
pub(crate) fn to_licsar_bytes(values: &[f32]) -> Vec<u8> {
    values
        .iter()
        .map(|v| {
            if v.is_nan() {
                0
            } else {
                (v * 255.0).round().clamp(1.0, 255.0) as u8
            }
        })
        .collect()
}

/// A coherence grid as an f32 [`Grid`] for the float writer.
pub(crate) fn to_grid(spec: &GridSpec, values: Vec<f32>) -> Grid<f32> {
    Grid {
        spec: spec.clone(),
        data: values,
    }
}
