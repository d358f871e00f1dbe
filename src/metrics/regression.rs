//! Regression metrics between observed and predicted LAD.
//!
//! Contract: inputs are equally long, non-empty, finite `f64` series (else
//! [`MetricsError`]). [`linregress_r2`] is the paper's r² (§2.5): the squared Pearson
//! correlation, i.e. the r² of the least-squares line (scipy `linregress(...).rvalue**2`); it
//! returns [`MetricsError::ConstantInput`] when either series is constant (scipy would return
//! 0 with a warning). [`r2_score`] is scikit-learn's coefficient of determination used for
//! cross-validation (`1 - SS_res / SS_tot`; with constant truth 1.0 if the prediction is
//! perfect, else 0.0, as `force_finite=True`).

use crate::metrics::error::check_pair;
use crate::metrics::MetricsError;

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Squared Pearson correlation of `observed` and `predicted` (r² of the regression line).
pub fn linregress_r2(observed: &[f64], predicted: &[f64]) -> Result<f64, MetricsError> {
    const METRIC: &str = "linregress_r2";
    check_pair(METRIC, observed, predicted, "predicted")?;
    let (mo, mp) = (mean(observed), mean(predicted));
    let (mut soo, mut spp, mut sop) = (0.0, 0.0, 0.0);
    for (&o, &p) in observed.iter().zip(predicted) {
        let (a, b) = (o - mo, p - mp);
        soo += a * a;
        spp += b * b;
        sop += a * b;
    }
    for (series, ss) in [("observed", soo), ("predicted", spp)] {
        if ss == 0.0 {
            return Err(MetricsError::ConstantInput {
                metric: METRIC,
                series,
            });
        }
    }
    let r = (sop / (soo * spp).sqrt()).clamp(-1.0, 1.0);
    Ok(r * r)
}

/// scikit-learn `r2_score(observed, predicted)`.
pub fn r2_score(observed: &[f64], predicted: &[f64]) -> Result<f64, MetricsError> {
    check_pair("r2_score", observed, predicted, "predicted")?;
    let m = mean(observed);
    let ss_res: f64 = observed
        .iter()
        .zip(predicted)
        .map(|(o, p)| (o - p) * (o - p))
        .sum();
    let ss_tot: f64 = observed.iter().map(|o| (o - m) * (o - m)).sum();
    if ss_tot == 0.0 {
        return Ok(if ss_res == 0.0 { 1.0 } else { 0.0 });
    }
    Ok(1.0 - ss_res / ss_tot)
}

/// Mean absolute error.
pub fn mean_absolute_error(observed: &[f64], predicted: &[f64]) -> Result<f64, MetricsError> {
    check_pair("mean_absolute_error", observed, predicted, "predicted")?;
    Ok(observed
        .iter()
        .zip(predicted)
        .map(|(o, p)| (o - p).abs())
        .sum::<f64>()
        / observed.len() as f64)
}

/// Root mean squared error.
pub fn root_mean_squared_error(observed: &[f64], predicted: &[f64]) -> Result<f64, MetricsError> {
    check_pair("root_mean_squared_error", observed, predicted, "predicted")?;
    let mse = observed
        .iter()
        .zip(predicted)
        .map(|(o, p)| (o - p) * (o - p))
        .sum::<f64>()
        / observed.len() as f64;
    Ok(mse.sqrt())
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn a_linear_prediction_has_r2_one_even_with_offset() {
        let o = [1.0, 2.0, 3.0, 4.0];
        let p = [3.0, 5.0, 7.0, 9.0];
        assert!((linregress_r2(&o, &p).unwrap() - 1.0).abs() < 1e-15);
        assert!(r2_score(&o, &p).unwrap() < 0.0);
    }

    #[test]
    fn constant_predictions_make_linregress_r2_an_error() {
        let err = linregress_r2(&[1.0, 2.0], &[0.5, 0.5]).unwrap_err();
        assert!(matches!(
            err,
            MetricsError::ConstantInput {
                series: "predicted",
                ..
            }
        ));
    }

    #[test]
    fn r2_score_with_constant_truth_follows_force_finite() {
        assert_eq!(r2_score(&[2.0, 2.0], &[2.0, 2.0]).unwrap(), 1.0);
        assert_eq!(r2_score(&[2.0, 2.0], &[1.0, 2.0]).unwrap(), 0.0);
    }

    #[test]
    fn mae_and_rmse_of_a_known_error() {
        let o = [0.0, 0.0];
        let p = [3.0, -4.0];
        assert_eq!(mean_absolute_error(&o, &p).unwrap(), 3.5);
        assert!((root_mean_squared_error(&o, &p).unwrap() - 12.5f64.sqrt()).abs() < 1e-15);
    }

    #[test]
    fn mismatched_lengths_are_reported() {
        assert!(matches!(
            r2_score(&[1.0], &[1.0, 2.0]),
            Err(MetricsError::LengthMismatch {
                observed: 1,
                predicted: 2,
                ..
            })
        ));
    }
}
