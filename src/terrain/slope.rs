//! Slope in degrees, Horn 3 × 3, identical to `gdaldem slope` (default Horn, scale 1).
//!
//! Border cells and cells whose 3 × 3 window touches nodata are NaN (as `gdaldem` without
//! `-compute_edges`, which writes its nodata value −9999 there). Cell sizes may differ in x
//! and y; both are used as in GDAL (`ewres`, `|nsres|`).

use crate::terrain::horn::{horn_sums, slope_deg_from};
use crate::terrain::{par_rows, DemView, TerrainError};

/// Slope in degrees (0 = flat, 90 = vertical) for every cell, NaN where undefined.
///
/// Errors: invalid shape or cell size, fewer than 3 × 3 cells, or an all-nodata DEM.
pub fn slope_deg(dem: &DemView) -> Result<Vec<f32>, TerrainError> {
    dem.validate_window()?;
    let mut out = vec![f32::NAN; dem.data.len()];
    par_rows(&mut out, dem.cols, |row, out_row| {
        for (col, v) in out_row.iter_mut().enumerate() {
            if let Some(s) = horn_sums(dem.data, dem.rows, dem.cols, row, col) {
                *v = slope_deg_from(s, dem.cell_width_m, dem.cell_height_m);
            }
        }
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plane_rising_one_metre_per_cell_is_45_degrees_inside_and_nan_on_the_border() {
        let z: Vec<f32> = (0..25).map(|i| (i % 5) as f32 * 10.0).collect();
        let s = slope_deg(&DemView::new(&z, 5, 5, 10.0, 10.0)).unwrap_or_default();
        assert_eq!(s.len(), 25);
        assert!(s[0].is_nan() && s[4].is_nan() && s[20].is_nan());
        assert!((s[12] - 45.0).abs() < 1e-5);
    }

    #[test]
    fn tiny_and_empty_grids_are_rejected_not_panicked_on() {
        let z = [1.0_f32; 4];
        assert_eq!(
            slope_deg(&DemView::new(&z, 2, 2, 1.0, 1.0)),
            Err(TerrainError::TooSmall { rows: 2, cols: 2 })
        );
        let nan = [f32::NAN; 9];
        assert!(matches!(
            slope_deg(&DemView::new(&nan, 3, 3, 1.0, 1.0)),
            Err(TerrainError::AllNoData { .. })
        ));
    }
}
