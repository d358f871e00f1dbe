//! The Nowicki Jessee et al. (2018) global landslide model as a pure function on slices.
//!
//! Units: PGV in cm/s, slope in degrees, CTI dimensionless, lithology (`rock`) and land-cover
//! coefficients as the model's additive terms; the output is the landslide areal coverage LS,
//! a fraction of the cell area in [0, 1].
//!
//! ```text
//! X  = −6.30 + 1.65·ln(PGV) + 0.06·slope + rock + 0.03·CTI + landcover + 0.01·ln(PGV)·slope
//! P  = 1 / (1 + e^−X)
//! LS = exp(−7.592 + 5.237·P − 3.042·P² + 4.035·P³)
//! ```
//! PGV is clipped to [0, 211] cm/s and CTI to [0, 19] before use; LS = 0 where the slope is
//! below 2° (whatever the other inputs). Nodata: a NaN slope gives NaN; otherwise (slope ≥ 2°)
//! a NaN in any input gives NaN. Cells are independent and computed in parallel.

use super::GroundFailureError;
use rayon::prelude::*;

/// Intercept of the logit.
pub const INTERCEPT: f64 = -6.30;
/// Coefficient of ln(PGV) (PGV in cm/s).
pub const COEF_LN_PGV: f64 = 1.65;
/// Coefficient of slope (degrees).
pub const COEF_SLOPE: f64 = 0.06;
/// Coefficient of the compound topographic index.
pub const COEF_CTI: f64 = 0.03;
/// Coefficient of the interaction ln(PGV) · slope.
pub const COEF_LN_PGV_SLOPE: f64 = 0.01;
/// Upper clip of PGV, cm/s.
pub const PGV_MAX_CM_S: f64 = 211.0;
/// Upper clip of CTI.
pub const CTI_MAX: f64 = 19.0;
/// Below this slope (degrees) the areal coverage is 0.
pub const MIN_SLOPE_DEG: f64 = 2.0;

/// Borrowed per-cell inputs of the model; all slices have the same length and cell order.
#[derive(Debug, Clone, Copy)]
pub struct ModelInputs<'a> {
    /// Peak ground velocity, cm/s.
    pub pgv_cm_s: &'a [f32],
    /// Slope, degrees.
    pub slope_deg: &'a [f32],
    /// Compound topographic index.
    pub cti: &'a [f32],
    /// Lithology coefficient (GLiM class → `rock` term).
    pub rock_coef: &'a [f32],
    /// Land-cover coefficient (GlobCover class → `landcover` term).
    pub landcover_coef: &'a [f32],
}

/// The logit X of one cell (no slope threshold applied).
pub fn logit(pgv_cm_s: f64, slope_deg: f64, cti: f64, rock_coef: f64, landcover_coef: f64) -> f64 {
    let ln_pgv = pgv_cm_s.clamp(0.0, PGV_MAX_CM_S).ln();
    let cti = cti.clamp(0.0, CTI_MAX);
    INTERCEPT
        + COEF_LN_PGV * ln_pgv
        + COEF_SLOPE * slope_deg
        + rock_coef
        + COEF_CTI * cti
        + landcover_coef
        + COEF_LN_PGV_SLOPE * ln_pgv * slope_deg
}

/// Probability P = 1 / (1 + e^−X).
pub fn probability(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Areal coverage LS from the probability P (Nowicki Jessee et al. 2018, eq. 2).
pub fn coverage_from_probability(p: f64) -> f64 {
    (-7.592 + 5.237 * p - 3.042 * p * p + 4.035 * p * p * p).exp()
}

/// Areal coverage LS (fraction 0–1) of one cell; see the module docs for nodata.
pub fn areal_coverage_cell(
    pgv_cm_s: f32,
    slope_deg: f32,
    cti: f32,
    rock_coef: f32,
    landcover_coef: f32,
) -> f32 {
    if slope_deg.is_nan() {
        return f32::NAN;
    }
    if f64::from(slope_deg) < MIN_SLOPE_DEG {
        return 0.0;
    }
    if [pgv_cm_s, cti, rock_coef, landcover_coef]
        .iter()
        .any(|v| v.is_nan())
    {
        return f32::NAN;
    }
    let x = logit(
        f64::from(pgv_cm_s),
        f64::from(slope_deg),
        f64::from(cti),
        f64::from(rock_coef),
        f64::from(landcover_coef),
    );
    coverage_from_probability(probability(x)) as f32
}

/// Areal coverage LS (fraction 0–1) for every cell.
///
/// Errors: [`GroundFailureError::ShapeMismatch`] when a slice's length differs from PGV's.
pub fn areal_coverage(inputs: &ModelInputs) -> Result<Vec<f32>, GroundFailureError> {
    let n = inputs.pgv_cm_s.len();
    for (name, s) in [
        ("slope_deg", inputs.slope_deg),
        ("cti", inputs.cti),
        ("rock_coef", inputs.rock_coef),
        ("landcover_coef", inputs.landcover_coef),
    ] {
        if s.len() != n {
            return Err(GroundFailureError::ShapeMismatch {
                name,
                expected: n,
                got: s.len(),
            });
        }
    }
    Ok((0..n)
        .into_par_iter()
        .map(|i| {
            areal_coverage_cell(
                inputs.pgv_cm_s[i],
                inputs.slope_deg[i],
                inputs.cti[i],
                inputs.rock_coef[i],
                inputs.landcover_coef[i],
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_computed_cell_matches_the_formula() {
        // PGV 50 cm/s, slope 30°, CTI 5, metamorphics (−1.87), closed forest (GlobCover 50, 0.30)
        let ln = 50f64.ln();
        let x = -6.30 + 1.65 * ln + 0.06 * 30.0 - 1.87 + 0.03 * 5.0 + 0.30 + 0.01 * ln * 30.0;
        let p = 1.0 / (1.0 + (-x).exp());
        let ls = (-7.592 + 5.237 * p - 3.042 * p * p + 4.035 * p.powi(3)).exp();
        let got = areal_coverage_cell(50.0, 30.0, 5.0, -1.87, 0.30);
        assert!((f64::from(got) - ls).abs() < 1e-6, "{got} vs {ls}");
    }

    #[test]
    fn pgv_and_cti_are_clipped_to_their_published_ranges() {
        let a = areal_coverage_cell(500.0, 25.0, 40.0, -1.0, 0.5);
        let b = areal_coverage_cell(211.0, 25.0, 19.0, -1.0, 0.5);
        assert_eq!(a, b);
    }

    #[test]
    fn gentle_slopes_give_zero_even_when_other_inputs_are_missing() {
        assert_eq!(areal_coverage_cell(100.0, 1.9, 3.0, -1.0, 0.5), 0.0);
        assert_eq!(areal_coverage_cell(f32::NAN, 1.0, f32::NAN, -1.0, 0.5), 0.0);
        assert!(areal_coverage_cell(f32::NAN, 10.0, 3.0, -1.0, 0.5).is_nan());
        assert!(areal_coverage_cell(100.0, f32::NAN, 3.0, -1.0, 0.5).is_nan());
    }

    #[test]
    fn coverage_stays_within_the_unit_interval_and_grows_with_shaking() {
        let mut last = 0.0;
        for pgv in [1.0, 5.0, 20.0, 80.0, 211.0] {
            let ls = areal_coverage_cell(pgv, 35.0, 8.0, -0.78, 2.34);
            assert!(ls > last && ls <= 1.0, "{pgv}: {ls}");
            last = ls;
        }
    }

    #[test]
    fn slices_of_different_lengths_are_refused() {
        let a = [1.0f32; 3];
        let b = [1.0f32; 2];
        let inputs = ModelInputs {
            pgv_cm_s: &a,
            slope_deg: &a,
            cti: &b,
            rock_coef: &a,
            landcover_coef: &a,
        };
        let e = areal_coverage(&inputs).unwrap_err().to_string();
        assert!(e.contains("cti") && e.contains('2'), "{e}");
    }
}
