//! Predictive intervals by weighted split-conformal calibration, Mondrian over bins of the
//! predicted value (Vovk, Gammerman and Shafer 2005; weights as in Tibshirani and others
//! 2019).
//!
//! Contract:
//! - A [`CalibrationSet`] holds out-of-fold predictions and observed values (LAD, a fraction
//!   0–1) of cells that no model producing their prediction was trained on, with one weight
//!   per cell and the fold it was held out in. Weights correct for how the calibration cells
//!   were drawn ([`stratum_weights`]: population share / sample share of the landslide and
//!   non-landslide strata); they are normalised to mean 1 and the cell to be predicted counts
//!   as one average cell.
//! - [`IntervalModel::fit`] splits the calibration cells into up to [`MAX_BINS`] bins of equal
//!   count by predicted value (at least [`MIN_CELLS_PER_BIN`] each) and keeps, per bin, the
//!   weighted conformal quantiles at `(1 + level) / 2` of the signed residuals `y − ŷ` (upper
//!   side) and of `ŷ − y` (lower side). The interval of a prediction `ŷ` is
//!   `[ŷ − lo, ŷ + hi]` clipped to [0, 1]; each side misses at most `(1 − level) / 2` of
//!   exchangeable cells, so the interval covers at least `level` of them. Observed LAD lies in
//!   [0, 1], so the clip never changes coverage. A quantile the weights cannot reach is
//!   infinite: that side of the interval is the clip.
//! - Too few calibration cells ([`MIN_CALIBRATION_CELLS`]) or landslide cells
//!   ([`MIN_CALIBRATION_LANDSLIDES`], truth above the AUC threshold) → an
//!   [`UncertaintyError`] naming the count; nothing is published.

/// Fewer calibration cells than this → no interval.
pub const MIN_CALIBRATION_CELLS: usize = 50;
/// Fewer calibration landslide cells (LAD above the AUC threshold) than this → no interval.
pub const MIN_CALIBRATION_LANDSLIDES: usize = 10;
/// Most bins of predicted value (Mondrian conformal).
pub const MAX_BINS: usize = 5;
/// Fewest calibration cells per bin.
pub const MIN_CELLS_PER_BIN: usize = 250;

/// Why an interval or a probability could not be calibrated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UncertaintyError {
    /// The interval level is outside (0, 1).
    #[error("interval level {value} must be between 0 and 1 (exclusive), e.g. 0.9")]
    Level {
        /// the level given
        value: f64,
    },
    /// Too few calibration cells.
    #[error("only {have} calibration cells (at least {need} needed): no interval or probability published")]
    TooFewCells {
        /// cells available
        have: usize,
        /// cells needed
        need: usize,
    },
    /// Too few landslide cells among the calibration cells.
    #[error("only {have} landslide cells (LAD > {threshold}) among the calibration cells (at least {need} needed): no interval or probability published")]
    TooFewLandslides {
        /// landslide cells available
        have: usize,
        /// landslide cells needed
        need: usize,
        /// LAD above which a cell is a landslide cell
        threshold: f64,
    },
    /// Calibration arrays of different lengths or non-finite values.
    #[error("calibration data are inconsistent: {message}")]
    Inconsistent {
        /// what is wrong
        message: String,
    },
}

/// Check an interval level: a number strictly between 0 and 1.
pub fn check_level(level: f64) -> Result<(), UncertaintyError> {
    if level.is_finite() && level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(UncertaintyError::Level { value: level })
    }
}

/// Out-of-fold predictions of calibration cells with their truth, weight and fold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CalibrationSet {
    /// Predicted LAD (fraction).
    pub predicted: Vec<f64>,
    /// Observed LAD (fraction).
    pub observed: Vec<f64>,
    /// Weight of each cell (population share / sample share of its stratum).
    pub weight: Vec<f64>,
    /// Fold (or held-out event) each cell was predicted in.
    pub fold: Vec<usize>,
}

impl CalibrationSet {
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.predicted.len()
    }
    /// True without cells.
    pub fn is_empty(&self) -> bool {
        self.predicted.is_empty()
    }
    /// Append one cell.
    pub fn push(&mut self, predicted: f64, observed: f64, weight: f64, fold: usize) {
        self.predicted.push(predicted);
        self.observed.push(observed);
        self.weight.push(weight);
        self.fold.push(fold);
    }
    /// The cells whose fold is (`keep` true) or is not (`keep` false) `fold`.
    pub fn select_fold(&self, fold: usize, keep: bool) -> CalibrationSet {
        let mut out = CalibrationSet::default();
        for i in 0..self.len() {
            if (self.fold[i] == fold) == keep {
                out.push(
                    self.predicted[i],
                    self.observed[i],
                    self.weight[i],
                    self.fold[i],
                );
            }
        }
        out
    }
    /// Distinct folds, ascending.
    pub fn folds(&self) -> Vec<usize> {
        let mut f = self.fold.clone();
        f.sort_unstable();
        f.dedup();
        f
    }
    /// Refuse too few cells or landslide cells (truth > `threshold`), inconsistent arrays or
    /// non-finite values; the error names the count.
    pub fn check(&self, threshold: f64) -> Result<(), UncertaintyError> {
        let n = self.len();
        if self.observed.len() != n || self.weight.len() != n || self.fold.len() != n {
            return Err(UncertaintyError::Inconsistent {
                message: "predicted, observed, weight and fold differ in length".into(),
            });
        }
        if !self
            .predicted
            .iter()
            .chain(&self.observed)
            .all(|v| v.is_finite())
            || !self.weight.iter().all(|w| w.is_finite() && *w > 0.0)
        {
            return Err(UncertaintyError::Inconsistent {
                message: "a prediction, observation or weight is not a finite (positive) number"
                    .into(),
            });
        }
        if n < MIN_CALIBRATION_CELLS {
            return Err(UncertaintyError::TooFewCells {
                have: n,
                need: MIN_CALIBRATION_CELLS,
            });
        }
        let ls = self.observed.iter().filter(|&&y| y > threshold).count();
        if ls < MIN_CALIBRATION_LANDSLIDES {
            return Err(UncertaintyError::TooFewLandslides {
                have: ls,
                need: MIN_CALIBRATION_LANDSLIDES,
                threshold,
            });
        }
        Ok(())
    }
}

/// Weights that make a calibration sample stand for its population: a cell whose truth is
/// above `threshold` (the landslide stratum) gets `population_share / sample_share`, the
/// others `(1 − population_share) / (1 − sample_share)`; normalised to mean 1. A stratum
/// absent from the sample keeps weight 1 (nothing to reweight).
pub fn stratum_weights(observed: &[f64], threshold: f64, population_share: f64) -> Vec<f64> {
    let n = observed.len();
    if n == 0 {
        return Vec::new();
    }
    let ls = observed.iter().filter(|&&y| y > threshold).count();
    let sample_share = ls as f64 / n as f64;
    let p = population_share.clamp(0.0, 1.0);
    let (w_ls, w_non) = if ls == 0 || ls == n {
        (1.0, 1.0)
    } else {
        (p / sample_share, (1.0 - p) / (1.0 - sample_share))
    };
    let w: Vec<f64> = observed
        .iter()
        .map(|&y| if y > threshold { w_ls } else { w_non })
        .map(|w| if w > 0.0 { w } else { f64::MIN_POSITIVE })
        .collect();
    let mean = w.iter().sum::<f64>() / n as f64;
    w.into_iter().map(|v| v / mean).collect()
}

/// The weighted conformal quantile at `q` of `values`: the smallest value `v` with
/// `Σ_{values ≤ v} w ≥ q · (Σ w + test_weight)`; `+∞` when the weights cannot reach it (the
/// test cell's own mass sits at `+∞`). `values` and `weights` have equal lengths.
pub fn weighted_conformal_quantile(
    values: &[f64],
    weights: &[f64],
    q: f64,
    test_weight: f64,
) -> f64 {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let total: f64 = weights.iter().sum::<f64>() + test_weight;
    let need = q * total;
    let mut acc = 0.0;
    for &i in &order {
        acc += weights[i];
        // a relative tolerance so that exact fractions are not lost to rounding
        if acc >= need * (1.0 - 1e-12) {
            return values[i];
        }
    }
    f64::INFINITY
}

/// One bin of predicted value with its residual quantiles.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IntervalBin {
    /// Largest calibration prediction in the bin (the last bin takes everything above).
    pub upper_predicted: f64,
    /// Lower half-width: the interval starts at `ŷ − lower` (may be infinite).
    pub lower: f64,
    /// Upper half-width: the interval ends at `ŷ + upper` (may be infinite).
    pub upper: f64,
    /// Calibration cells in the bin.
    pub n: usize,
}

/// A calibrated interval: residual quantiles per bin of predicted value.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IntervalModel {
    /// Nominal coverage (0–1).
    pub level: f64,
    /// Bins in ascending order of predicted value.
    pub bins: Vec<IntervalBin>,
}

impl IntervalModel {
    /// Calibrate at `level` on `cal` (checked with `threshold` as the landslide truth).
    pub fn fit(
        cal: &CalibrationSet,
        level: f64,
        threshold: f64,
    ) -> Result<IntervalModel, UncertaintyError> {
        check_level(level)?;
        cal.check(threshold)?;
        let n = cal.len();
        let mean_w = cal.weight.iter().sum::<f64>() / n as f64;
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| cal.predicted[a].total_cmp(&cal.predicted[b]));
        let k = (n / MIN_CELLS_PER_BIN).clamp(1, MAX_BINS);
        let q = (1.0 + level) / 2.0;
        let mut bins = Vec::with_capacity(k);
        for b in 0..k {
            let idx = &order[b * n / k..(b + 1) * n / k];
            let w: Vec<f64> = idx.iter().map(|&i| cal.weight[i]).collect();
            let up: Vec<f64> = idx
                .iter()
                .map(|&i| cal.observed[i] - cal.predicted[i])
                .collect();
            let down: Vec<f64> = up.iter().map(|e| -e).collect();
            bins.push(IntervalBin {
                upper_predicted: idx.last().map_or(f64::INFINITY, |&i| cal.predicted[i]),
                lower: weighted_conformal_quantile(&down, &w, q, mean_w),
                upper: weighted_conformal_quantile(&up, &w, q, mean_w),
                n: idx.len(),
            });
        }
        Ok(IntervalModel { level, bins })
    }

    /// The interval (lo, hi) of a prediction, clipped to [0, 1]; NaN stays NaN.
    pub fn interval(&self, predicted: f64) -> (f64, f64) {
        if !predicted.is_finite() {
            return (f64::NAN, f64::NAN);
        }
        let bin = self
            .bins
            .iter()
            .find(|b| predicted <= b.upper_predicted)
            .or(self.bins.last());
        match bin {
            Some(b) => (
                (predicted - b.lower).clamp(0.0, 1.0),
                (predicted + b.upper).clamp(0.0, 1.0),
            ),
            None => (0.0, 1.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// Exchangeable synthetic LAD: a latent score, most cells 0, some a positive density.
    fn synthetic(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut g = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let (mut pred, mut obs) = (Vec::new(), Vec::new());
        for _ in 0..n {
            let s: f64 = g.gen();
            let p_ls = 0.05 + 0.4 * s * s;
            let y = if g.gen::<f64>() < p_ls {
                (0.05 + 0.5 * s * g.gen::<f64>()).min(1.0)
            } else {
                0.0
            };
            // a model biased upward as one trained on balanced samples is
            pred.push(0.05 + 0.3 * s + 0.02 * g.gen::<f64>());
            obs.push(y);
        }
        (pred, obs)
    }

    fn coverage(m: &IntervalModel, pred: &[f64], obs: &[f64]) -> f64 {
        let inside = pred
            .iter()
            .zip(obs)
            .filter(|(&p, &y)| {
                let (lo, hi) = m.interval(p);
                lo <= y && y <= hi
            })
            .count();
        inside as f64 / pred.len() as f64
    }

    #[test]
    fn the_weighted_quantile_follows_its_definition() {
        let v = [3.0, 1.0, 2.0, 4.0];
        let w = [1.0; 4];
        // q (4 + 1) = 2.5 → the third value
        assert_eq!(weighted_conformal_quantile(&v, &w, 0.5, 1.0), 3.0);
        // q = 0.9 → 4.5 > 4: unreachable, infinite
        assert!(weighted_conformal_quantile(&v, &w, 0.9, 1.0).is_infinite());
        // a heavy weight on the smallest value pulls the quantile down
        assert_eq!(
            weighted_conformal_quantile(&v, &[1.0, 10.0, 1.0, 1.0], 0.5, 1.0),
            1.0
        );
    }

    #[test]
    fn conformal_intervals_cover_nominal_on_exchangeable_data() {
        let (pc, oc) = synthetic(4000, 1);
        let (pt, ot) = synthetic(20_000, 2);
        let cal = CalibrationSet {
            weight: vec![1.0; pc.len()],
            fold: vec![0; pc.len()],
            predicted: pc,
            observed: oc,
        };
        for level in [0.8, 0.9] {
            let m = IntervalModel::fit(&cal, level, 0.1).unwrap();
            assert_eq!(m.bins.len(), MAX_BINS);
            let c = coverage(&m, &pt, &ot);
            assert!((c - level).abs() < 0.025, "level {level}: coverage {c}");
        }
    }

    #[test]
    fn stratum_weights_correct_a_class_balanced_calibration_sample() {
        // population: about 15 % of cells above 0.01; calibration drawn 50 / 50
        let (p, o) = synthetic(60_000, 3);
        let (ls, non): (Vec<usize>, Vec<usize>) = (0..p.len()).partition(|&i| o[i] > 0.01);
        let share = ls.len() as f64 / p.len() as f64;
        let take: Vec<usize> = ls
            .iter()
            .take(1500)
            .chain(non.iter().take(1500))
            .copied()
            .collect();
        let pc: Vec<f64> = take.iter().map(|&i| p[i]).collect();
        let oc: Vec<f64> = take.iter().map(|&i| o[i]).collect();
        let (pt, ot) = synthetic(20_000, 4);
        let unweighted = CalibrationSet {
            predicted: pc.clone(),
            observed: oc.clone(),
            weight: vec![1.0; pc.len()],
            fold: vec![0; pc.len()],
        };
        let weighted = CalibrationSet {
            weight: stratum_weights(&oc, 0.01, share),
            ..unweighted.clone()
        };
        let cu = coverage(
            &IntervalModel::fit(&unweighted, 0.9, 0.1).unwrap(),
            &pt,
            &ot,
        );
        let cw = coverage(&IntervalModel::fit(&weighted, 0.9, 0.1).unwrap(), &pt, &ot);
        assert!((cw - 0.9).abs() < 0.03, "weighted coverage {cw}");
        assert!(
            (cu - 0.9).abs() > (cw - 0.9).abs(),
            "unweighted {cu} vs weighted {cw}"
        );
    }

    #[test]
    fn too_few_cells_or_landslides_and_bad_levels_are_errors_naming_the_count() {
        let cal = |n: usize, ls: usize| CalibrationSet {
            predicted: vec![0.1; n],
            observed: (0..n).map(|i| if i < ls { 0.3 } else { 0.0 }).collect(),
            weight: vec![1.0; n],
            fold: vec![0; n],
        };
        let e = IntervalModel::fit(&cal(49, 20), 0.9, 0.1).unwrap_err();
        assert_eq!(e, UncertaintyError::TooFewCells { have: 49, need: 50 });
        assert!(e.to_string().contains("only 49 calibration cells"), "{e}");
        let e = IntervalModel::fit(&cal(500, 9), 0.9, 0.1).unwrap_err();
        assert!(e.to_string().contains("only 9 landslide cells"), "{e}");
        for bad in [0.0, 1.0, -0.5, 1.5, f64::NAN] {
            let e = IntervalModel::fit(&cal(500, 50), bad, 0.1).unwrap_err();
            assert!(e.to_string().contains("between 0 and 1"), "{e}");
        }
        let m = IntervalModel::fit(&cal(500, 50), 0.9, 0.1).unwrap();
        let (lo, hi) = m.interval(0.1);
        assert!((0.0..=1.0).contains(&lo) && (0.0..=1.0).contains(&hi) && lo <= hi);
        assert!(m.interval(f64::NAN).0.is_nan());
    }
}
