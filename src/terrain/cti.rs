//! Compound topographic index (topographic wetness index, Moore et al. 1991).
//!
//! `CTI = ln(a / tan β)` with `a = acc · (w · h) / width` the specific catchment area in
//! metres, `acc` the D8 contributing cells including the cell itself, `w · h` the cell area
//! in m² and the contour **width = √(w · h)** (the cell size for square cells), so
//! `a = acc · √(w · h)`. `tan β` is the tangent of the slope, floored at
//! [`MIN_TAN_SLOPE`] so flats and filled depressions get a large but finite value.
//! NaN where the accumulation or slope is NaN or the accumulation is not positive.

/// Smallest `tan β` used (0.001, about 0.057°), so flat cells do not divide by zero.
pub const MIN_TAN_SLOPE: f64 = 0.001;

/// CTI from flow accumulation (cells) and slope (degrees), same length and order.
///
/// The output has `acc_cells.len()` values; a cell beyond the end of `slope_deg` (a shape
/// mismatch) is NaN rather than a panic.
pub fn cti(
    acc_cells: &[f32],
    slope_deg: &[f32],
    cell_width_m: f64,
    cell_height_m: f64,
) -> Vec<f32> {
    let width_m = (cell_width_m * cell_height_m).sqrt();
    acc_cells
        .iter()
        .enumerate()
        .map(|(i, &acc)| {
            let tan = slope_deg
                .get(i)
                .map_or(f64::NAN, |s| f64::from(*s).to_radians().tan());
            cti_value(f64::from(acc), tan, width_m)
        })
        .collect()
}

/// One CTI value from contributing cells, `tan β` and the contour width in metres.
#[inline]
pub(crate) fn cti_value(acc_cells: f64, tan_slope: f64, width_m: f64) -> f32 {
    if acc_cells.is_nan() || acc_cells <= 0.0 || tan_slope.is_nan() {
        return f32::NAN;
    }
    (acc_cells * width_m / tan_slope.max(MIN_TAN_SLOPE)).ln() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cti_is_ln_of_specific_area_over_tan_slope() {
        // 4 cells on 10 m cells at 45°: a = 40 m, tan = 1.
        let v = cti(&[4.0], &[45.0], 10.0, 10.0);
        assert!((v[0] - 40.0_f32.ln()).abs() < 1e-5);
    }

    #[test]
    fn flat_cells_use_the_slope_floor_and_nan_propagates() {
        let v = cti(
            &[1.0, f32::NAN, 1.0, 0.0],
            &[0.0, 10.0, f32::NAN, 5.0],
            20.0,
            22.0,
        );
        let a = (20.0_f64 * 22.0).sqrt();
        assert!((f64::from(v[0]) - (a / MIN_TAN_SLOPE).ln()).abs() < 1e-5);
        assert!(v[1].is_nan() && v[2].is_nan() && v[3].is_nan());
    }

    #[test]
    fn a_short_slope_array_gives_nan_not_a_panic() {
        assert!(cti(&[1.0, 2.0], &[10.0], 1.0, 1.0)[1].is_nan());
    }
}
