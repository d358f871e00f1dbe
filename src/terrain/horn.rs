//! The shared 3 × 3 Horn (1981) gradient, exactly as `gdaldem` computes it.
//!
//! Window layout (row 0 = north, column 0 = west), as in GDAL's `gdaldem_lib.cpp`:
//! ```text
//! a b c
//! d e f
//! g h i
//! ```
//! `east_minus_west = (c + 2f + i) − (a + 2d + g)` and
//! `south_minus_north = (g + 2h + i) − (a + 2b + c)`, summed in `f32` in GDAL's order so that
//! flat detection (`both == 0`) agrees bit for bit. A window containing a NaN (nodata) cell,
//! or a centre on the grid border, has no gradient (`None`), as `gdaldem` without
//! `-compute_edges`. A window whose sums overflow to ±∞ (unmasked huge nodata values) has no
//! gradient either.

/// The raw Horn sums of one 3 × 3 window, in elevation units (not yet divided by 8 × cell size).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct HornSums {
    /// `(c + 2f + i) − (a + 2d + g)`: positive when the surface rises to the east.
    pub east_minus_west: f32,
    /// `(g + 2h + i) − (a + 2b + c)`: positive when the surface rises to the south.
    pub south_minus_north: f32,
}

impl HornSums {
    /// The gradient `(∂z/∂east, ∂z/∂south)` in metres per metre.
    #[inline]
    pub(crate) fn gradient(self, cell_width_m: f64, cell_height_m: f64) -> (f64, f64) {
        (
            f64::from(self.east_minus_west) / (8.0 * cell_width_m),
            f64::from(self.south_minus_north) / (8.0 * cell_height_m),
        )
    }

    /// `tan(slope)`, the magnitude of the gradient (rise over run).
    #[inline]
    pub(crate) fn tan_slope(self, cell_width_m: f64, cell_height_m: f64) -> f64 {
        let (gx, gy) = self.gradient(cell_width_m, cell_height_m);
        (gx * gx + gy * gy).sqrt()
    }

    /// True when both sums are exactly zero (`gdaldem aspect` calls such a cell flat).
    #[inline]
    pub(crate) fn is_flat(self) -> bool {
        self.east_minus_west == 0.0 && self.south_minus_north == 0.0
    }
}

/// The Horn sums of the window centred on `(row, col)` of a row-major grid with `cols`
/// columns, or `None` on the grid border or when any of the nine cells is NaN.
#[inline]
pub(crate) fn horn_sums(
    data: &[f32],
    rows: usize,
    cols: usize,
    row: usize,
    col: usize,
) -> Option<HornSums> {
    if row == 0 || col == 0 || row + 1 >= rows || col + 1 >= cols {
        return None;
    }
    let n = (row - 1) * cols + col;
    let m = row * cols + col;
    let s = (row + 1) * cols + col;
    let (a, b, c) = (*data.get(n - 1)?, *data.get(n)?, *data.get(n + 1)?);
    let (d, e, f) = (*data.get(m - 1)?, *data.get(m)?, *data.get(m + 1)?);
    let (g, h, i) = (*data.get(s - 1)?, *data.get(s)?, *data.get(s + 1)?);
    let east_minus_west = (c + f + f + i) - (a + d + d + g);
    let south_minus_north = (g + h + h + i) - (a + b + b + c);
    // Every neighbour enters one of the two sums, so a NaN neighbour makes a sum NaN; an
    // infinite sum (e.g. an unmasked −3.4e38 nodata value) is treated as nodata too.
    if e.is_nan() || !east_minus_west.is_finite() || !south_minus_north.is_finite() {
        return None;
    }
    Some(HornSums {
        east_minus_west,
        south_minus_north,
    })
}

/// Slope in degrees from Horn sums (`atan(|∇z|)`, as `gdaldem slope` with scale 1).
#[inline]
pub(crate) fn slope_deg_from(s: HornSums, cell_width_m: f64, cell_height_m: f64) -> f32 {
    s.tan_slope(cell_width_m, cell_height_m).atan().to_degrees() as f32
}

/// Aspect as an azimuth in degrees clockwise from north of the downslope direction, in
/// `[0, 360)`, or NaN for a flat window; the same branch structure as `gdaldem aspect`.
#[inline]
pub(crate) fn aspect_deg_from(s: HornSums, cell_width_m: f64, cell_height_m: f64) -> f32 {
    if s.is_flat() {
        return f32::NAN;
    }
    let (gx, gy) = s.gradient(cell_width_m, cell_height_m);
    let math_angle = gy.atan2(-gx).to_degrees() as f32;
    let azimuth = if math_angle > 90.0 {
        450.0 - math_angle
    } else {
        90.0 - math_angle
    };
    if azimuth >= 360.0 {
        0.0
    } else {
        azimuth
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_touching_nan_has_no_gradient() {
        let mut z = vec![1.0_f32; 9];
        z[8] = f32::NAN;
        assert_eq!(horn_sums(&z, 3, 3, 1, 1), None);
    }

    #[test]
    fn border_cells_have_no_gradient() {
        let z = vec![1.0_f32; 16];
        assert_eq!(horn_sums(&z, 4, 4, 0, 1), None);
        assert_eq!(horn_sums(&z, 4, 4, 3, 2), None);
        assert!(horn_sums(&z, 4, 4, 1, 2).is_some());
    }

    #[test]
    fn a_surface_rising_east_faces_west() {
        // z = column index: rises to the east, so water runs west (270°).
        let z: Vec<f32> = (0..9).map(|i| (i % 3) as f32).collect();
        let s = horn_sums(&z, 3, 3, 1, 1).unwrap_or(HornSums {
            east_minus_west: 0.0,
            south_minus_north: 0.0,
        });
        assert_eq!(aspect_deg_from(s, 1.0, 1.0), 270.0);
        assert!((slope_deg_from(s, 1.0, 1.0) - 45.0).abs() < 1e-5);
    }

    #[test]
    fn a_surface_rising_north_faces_south() {
        // Row 0 is north and highest.
        let z: Vec<f32> = (0..9).map(|i| (2 - i / 3) as f32).collect();
        let s = horn_sums(&z, 3, 3, 1, 1);
        assert_eq!(s.map(|s| aspect_deg_from(s, 1.0, 1.0)), Some(180.0));
    }
}
