//! Hillshade as `gdaldem hillshade` (Horn, not combined, not multidirectional): a `u8`
//! grid where 1–255 is the illumination and 0 is nodata.
//!
//! `shade = 1 + 254 · max(0, cos γ)` rounded to the nearest integer, where `cos γ` is the
//! cosine of the angle between the surface normal and the sun direction
//! (`azimuth_deg` clockwise from north, `altitude_deg` above the horizon), with elevations
//! multiplied by `z_factor`. A surface facing away from the sun gets 1, as in GDAL. Border
//! cells and cells whose window touches nodata are 0 (`gdaldem` without `-compute_edges`).
//! Invalid input (bad shape or cell size, fewer than 3 × 3 cells) gives an all-zero grid of
//! `data.len()` cells rather than an error.

use crate::terrain::horn::horn_sums;
use crate::terrain::{par_rows, DemView};

/// Hillshade of `dem` lit from `azimuth_deg` (clockwise from north) at `altitude_deg`
/// above the horizon, with vertical exaggeration `z_factor`; 0 = nodata.
pub fn hillshade(dem: &DemView, azimuth_deg: f64, altitude_deg: f64, z_factor: f64) -> Vec<u8> {
    let mut out = vec![0_u8; dem.data.len()];
    if dem.validate_window().is_err() {
        return out;
    }
    let (sin_alt, cos_alt) = altitude_deg.to_radians().sin_cos();
    let (sin_az, cos_az) = azimuth_deg.to_radians().sin_cos();
    par_rows(&mut out, dem.cols, |row, out_row| {
        for (col, v) in out_row.iter_mut().enumerate() {
            let Some(s) = horn_sums(dem.data, dem.rows, dem.cols, row, col) else {
                continue;
            };
            let (gx_east, gy_south) = s.gradient(dem.cell_width_m, dem.cell_height_m);
            let p = gx_east * z_factor; // ∂z/∂east
            let q = -gy_south * z_factor; // ∂z/∂north
                                          // Unit normal (−p, −q, 1)/√(1+p²+q²) dotted with the sun vector
                                          // (sin az · cos alt, cos az · cos alt, sin alt) in (east, north, up).
            let cos_gamma = (sin_alt - p * sin_az * cos_alt - q * cos_az * cos_alt)
                / (1.0 + p * p + q * q).sqrt();
            let shade = if cos_gamma <= 0.0 {
                1.0
            } else {
                1.0 + 254.0 * cos_gamma
            };
            *v = shade.round().clamp(1.0, 255.0) as u8;
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_surface_under_a_45_degree_sun_is_mid_grey_inside_and_zero_on_the_border() {
        let z = [100.0_f32; 16];
        let h = hillshade(&DemView::new(&z, 4, 4, 10.0, 10.0), 315.0, 45.0, 1.0);
        // 1 + 254 · sin 45° = 180.6
        assert_eq!(h[5], 181);
        assert_eq!(h[0], 0);
    }

    #[test]
    fn a_slope_facing_away_from_the_sun_is_dark() {
        // Rises steeply to the north-west (towards a 315° sun) and faces south-east.
        let z: Vec<f32> = (0..9)
            .map(|i| (100 * (2 - i / 3) + 100 * (2 - i % 3)) as f32)
            .collect();
        let h = hillshade(&DemView::new(&z, 3, 3, 1.0, 1.0), 315.0, 45.0, 1.0);
        assert_eq!(h[4], 1);
    }

    #[test]
    fn an_invalid_grid_gives_zeros() {
        let z = [1.0_f32; 3];
        assert_eq!(
            hillshade(&DemView::new(&z, 2, 2, 1.0, 1.0), 315.0, 45.0, 1.0),
            vec![0; 3]
        );
    }
}
