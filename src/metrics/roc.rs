//! ROC curve and area under it, exactly as scikit-learn (>= 1.3) computes them.
//!
//! Contract: truth is binary (`true` = landslide, see [`binary_truth`]), the score continuous
//! (higher = more likely). Tied scores form one curve point. [`roc_curve`] drops collinear
//! intermediate points (`drop_intermediate=True`) and starts at `(0, 0)` with threshold
//! `+inf`; [`roc_auc_score`] is the trapezoid area under the curve. Both need both classes
//! (scikit-learn's `roc_curve` would return NaN rates instead; we return an error).

use crate::metrics::error::check_pair;
use crate::metrics::MetricsError;

/// LAD threshold separating "landslide" from "non-landslide" cells (paper §2.5).
pub const LANDSLIDE_LAD_THRESHOLD: f64 = 0.1;

/// Points of a ROC curve.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RocCurve {
    /// False positive rate per point (non-decreasing, 0 to 1).
    pub fpr: Vec<f64>,
    /// True positive rate per point (non-decreasing, 0 to 1).
    pub tpr: Vec<f64>,
    /// Score threshold per point (`score >= threshold` is positive); first is `+inf`.
    pub thresholds: Vec<f64>,
}

/// `lad > threshold` per cell (use [`LANDSLIDE_LAD_THRESHOLD`] for the paper's 0.1).
pub fn binary_truth(lad: &[f64], threshold: f64) -> Vec<bool> {
    lad.iter().map(|&v| v > threshold).collect()
}

/// ROC curve of `score` against `truth` (scikit-learn `roc_curve`, drop_intermediate=True).
pub fn roc_curve(truth: &[bool], score: &[f64]) -> Result<RocCurve, MetricsError> {
    const METRIC: &str = "roc_curve";
    let as_f64: Vec<f64> = truth.iter().map(|&t| f64::from(u8::from(t))).collect();
    check_pair(METRIC, &as_f64, score, "score")?;
    let positives = truth.iter().filter(|&&t| t).count();
    let negatives = truth.len() - positives;
    if positives == 0 || negatives == 0 {
        return Err(MetricsError::SingleClass {
            metric: METRIC,
            positives,
            negatives,
        });
    }
    let mut order: Vec<usize> = (0..score.len()).collect();
    order.sort_by(|&a, &b| score[b].total_cmp(&score[a]));
    // one point per distinct score: cumulative counts at the last index of each tie group
    let (mut fps, mut tps, mut thr) = (Vec::new(), Vec::new(), Vec::new());
    let mut tp = 0.0f64;
    for (k, &i) in order.iter().enumerate() {
        if truth[i] {
            tp += 1.0;
        }
        let last_of_group = order.get(k + 1).is_none_or(|&j| score[j] != score[i]);
        if last_of_group {
            tps.push(tp);
            fps.push((k + 1) as f64 - tp);
            thr.push(score[i]);
        }
    }
    let keep: Vec<usize> = if fps.len() > 2 {
        (0..fps.len())
            .filter(|&i| {
                i == 0
                    || i + 1 == fps.len()
                    || fps[i + 1] - 2.0 * fps[i] + fps[i - 1] != 0.0
                    || tps[i + 1] - 2.0 * tps[i] + tps[i - 1] != 0.0
            })
            .collect()
    } else {
        (0..fps.len()).collect()
    };
    let (n_fp, n_tp) = (negatives as f64, positives as f64);
    let mut curve = RocCurve {
        fpr: vec![0.0],
        tpr: vec![0.0],
        thresholds: vec![f64::INFINITY],
    };
    for i in keep {
        curve.fpr.push(fps[i] / n_fp);
        curve.tpr.push(tps[i] / n_tp);
        curve.thresholds.push(thr[i]);
    }
    Ok(curve)
}

/// Trapezoid area under a curve given by `x` (non-decreasing) and `y`.
pub fn trapezoid_auc(x: &[f64], y: &[f64]) -> f64 {
    x.windows(2)
        .zip(y.windows(2))
        .map(|(xs, ys)| (xs[1] - xs[0]) * (ys[1] + ys[0]) / 2.0)
        .sum()
}

/// Area under the ROC curve (scikit-learn `roc_auc_score` for binary truth).
pub fn roc_auc_score(truth: &[bool], score: &[f64]) -> Result<f64, MetricsError> {
    let c = roc_curve(truth, score)?;
    Ok(trapezoid_auc(&c.fpr, &c.tpr))
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn a_perfect_score_has_auc_one_and_a_random_tie_has_auc_half() {
        let t = [false, false, true, true];
        assert_eq!(roc_auc_score(&t, &[0.1, 0.2, 0.8, 0.9]).unwrap(), 1.0);
        assert_eq!(roc_auc_score(&t, &[0.5; 4]).unwrap(), 0.5);
    }

    #[test]
    fn the_curve_starts_at_the_origin_with_an_infinite_threshold() {
        let c = roc_curve(&[false, true, true], &[0.1, 0.4, 0.35]).unwrap();
        assert_eq!(c.thresholds[0], f64::INFINITY);
        assert_eq!((c.fpr[0], c.tpr[0]), (0.0, 0.0));
        assert_eq!(c.fpr.last(), Some(&1.0));
    }

    #[test]
    fn a_single_class_is_an_error_not_a_nan() {
        let err = roc_auc_score(&[true, true], &[0.1, 0.2]).unwrap_err();
        assert!(matches!(
            err,
            MetricsError::SingleClass { negatives: 0, .. }
        ));
    }

    #[test]
    fn binary_truth_uses_a_strict_threshold() {
        assert_eq!(
            binary_truth(&[0.0, 0.1, 0.2], 0.1),
            vec![false, false, true]
        );
    }
}
