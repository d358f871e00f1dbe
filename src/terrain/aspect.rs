//! Aspect in degrees, Horn 3 × 3, as `gdaldem aspect` (default: azimuth, Horn).
//!
//! The value is the azimuth of the **downslope** direction, clockwise from north, in
//! `[0, 360)`. Mapping from `gdaldem` output: flat cells (both Horn sums exactly zero), which
//! `gdaldem` writes as −9999, are NaN here; border cells and cells whose window touches
//! nodata (also −9999 in `gdaldem`) are NaN too.
//!
//! Unlike `gdaldem`, which ignores the cell size when computing aspect, the gradient here is
//! scaled by `cell_width_m` and `cell_height_m`, so non-square cells (e.g. 20 m × 22 m) give
//! the geometrically correct direction; for square cells the two agree.

use crate::terrain::horn::{aspect_deg_from, horn_sums};
use crate::terrain::{par_rows, DemView, TerrainError};

/// Downslope aspect in degrees clockwise from north for every cell, NaN where flat or
/// undefined.
///
/// Errors: invalid shape or cell size, fewer than 3 × 3 cells, or an all-nodata DEM.
pub fn aspect_deg(dem: &DemView) -> Result<Vec<f32>, TerrainError> {
    dem.validate_window()?;
    let mut out = vec![f32::NAN; dem.data.len()];
    par_rows(&mut out, dem.cols, |row, out_row| {
        for (col, v) in out_row.iter_mut().enumerate() {
            if let Some(s) = horn_sums(dem.data, dem.rows, dem.cols, row, col) {
                *v = aspect_deg_from(s, dem.cell_width_m, dem.cell_height_m);
            }
        }
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slope_falling_to_the_north_east_faces_45_degrees() {
        // Lowest in the north-east corner: z grows to the south and to the west.
        let z: Vec<f32> = (0..9).map(|i| ((i / 3) + (2 - i % 3)) as f32).collect();
        let a = aspect_deg(&DemView::new(&z, 3, 3, 5.0, 5.0)).unwrap_or_default();
        assert!((a[4] - 45.0).abs() < 1e-4, "{}", a[4]);
    }

    #[test]
    fn flat_cells_have_nan_aspect() {
        let z = [7.0_f32; 9];
        let a = aspect_deg(&DemView::new(&z, 3, 3, 5.0, 5.0)).unwrap_or_default();
        assert!(a.iter().all(|v| v.is_nan()));
    }
}
