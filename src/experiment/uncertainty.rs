//! Per-step uncertainty: the calibrated interval and P(LAD > 0.1) of a step's map, and how
//! they score on the step's validation cells (coverage, mean width, Brier score against the
//! base rate, reliability diagram), beside the model spread's coverage on the same cells.
//!
//! Contract: calibration uses out-of-fold predictions only ([`CalibrationSet`]); scores are
//! computed on cells whose truth the calibration did not see — the experiment's independent
//! (or random) test cells scored with the final map, or, when the step is scored by spatial
//! cross-validation, each fold's cells with a calibration fitted on the other folds
//! (cross-conformal). Coverage counts `lo ≤ observed ≤ hi`; width is `hi − lo` (fraction);
//! the Brier base rate forecasts the validation cells' own landslide frequency (the
//! strictest constant forecast). Undefined values are NaN. When calibration fails (too few
//! cells, a bad level) nothing is published and `note` says why, naming the count.

use super::conformal::{CalibrationSet, IntervalModel, UncertaintyError};
use super::probability::{
    brier_base_rate, brier_score, reliability, ProbabilityModel, ReliabilityBin,
};
use serde::{Deserialize, Serialize};

/// Bins of the reliability diagram.
pub const RELIABILITY_BINS: usize = 10;

/// The calibrated models of one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibrated {
    /// The predictive interval.
    pub interval: IntervalModel,
    /// P(LAD > threshold).
    pub probability: ProbabilityModel,
}

impl Calibrated {
    /// Fit both on `cal` at `level`; `threshold` is the landslide truth (LAD > 0.1).
    pub fn fit(
        cal: &CalibrationSet,
        level: f64,
        threshold: f64,
    ) -> Result<Calibrated, UncertaintyError> {
        let interval = IntervalModel::fit(cal, level, threshold)?;
        let events: Vec<bool> = cal.observed.iter().map(|&y| y > threshold).collect();
        let probability = ProbabilityModel::fit(&cal.predicted, &events, &cal.weight);
        Ok(Calibrated {
            interval,
            probability,
        })
    }

    /// The (lower, upper, P(LAD > threshold)) maps of a predicted map (NaN stays NaN).
    pub fn maps(&self, predicted: &[f32]) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
        let mut lo = Vec::with_capacity(predicted.len());
        let mut hi = Vec::with_capacity(predicted.len());
        let mut p = Vec::with_capacity(predicted.len());
        for &v in predicted {
            let (a, b) = self.interval.interval(v as f64);
            lo.push(a as f32);
            hi.push(b as f32);
            p.push(self.probability.probability(v as f64) as f32);
        }
        (lo, hi, p)
    }
}

/// Cells with truth to score the uncertainty on.
#[derive(Debug, Clone, PartialEq)]
pub enum ScoredCells {
    /// Nothing to score on (no inventory, not scored).
    None,
    /// The calibration cells themselves, fold by fold (cross-conformal).
    CrossFitted,
    /// Test cells the calibration never saw, with the final map's predictions and, when the
    /// map has one, the model spread (P5, P95).
    Test {
        /// Predicted LAD of the final map.
        predicted: Vec<f64>,
        /// Observed LAD.
        observed: Vec<f64>,
        /// Model spread (P5, P95) on the same cells.
        spread: Option<(Vec<f64>, Vec<f64>)>,
    },
}

/// What a step's uncertainty is and how it scored. Equality compares numbers bit for bit,
/// so two identical runs are equal even where a score is undefined (NaN).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Uncertainty {
    /// Nominal coverage of the interval (0–1).
    pub level: f64,
    /// How the calibration cells were obtained, in words.
    pub method: String,
    /// Calibration cells.
    pub n_calibration: usize,
    /// Calibration cells with LAD above the AUC threshold.
    pub n_calibration_landslide: usize,
    /// Cells the coverage and Brier score were computed on.
    pub n_scored: usize,
    /// Fraction of scored cells inside the interval (NaN when not scored or not published).
    pub coverage: f64,
    /// Mean interval width on the scored cells (fraction).
    pub width: f64,
    /// Fraction of the same cells inside the model spread P5–P95 (NaN without a spread).
    pub spread_coverage: f64,
    /// Mean width of the model spread on the same cells (fraction).
    pub spread_width: f64,
    /// Brier score of P(LAD > threshold) on the scored cells.
    pub brier: f64,
    /// Brier score of the scored cells' base rate.
    pub brier_base_rate: f64,
    /// Reliability diagram of P(LAD > threshold) on the scored cells.
    pub reliability: Vec<ReliabilityBin>,
    /// The calibrated models (absent when not published).
    pub calibrated: Option<Calibrated>,
    /// Why nothing is published, or what to keep in mind; empty otherwise.
    pub note: String,
}

impl PartialEq for Uncertainty {
    fn eq(&self, o: &Self) -> bool {
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits();
        same(self.level, o.level)
            && self.method == o.method
            && self.n_calibration == o.n_calibration
            && self.n_calibration_landslide == o.n_calibration_landslide
            && self.n_scored == o.n_scored
            && same(self.coverage, o.coverage)
            && same(self.width, o.width)
            && same(self.spread_coverage, o.spread_coverage)
            && same(self.spread_width, o.spread_width)
            && same(self.brier, o.brier)
            && same(self.brier_base_rate, o.brier_base_rate)
            && self.reliability == o.reliability
            && self.calibrated == o.calibrated
            && self.note == o.note
    }
}

impl Uncertainty {
    /// Nothing published, with the reason.
    pub fn unpublished(level: f64, method: impl Into<String>, note: impl Into<String>) -> Self {
        Uncertainty {
            level,
            method: method.into(),
            n_calibration: 0,
            n_calibration_landslide: 0,
            n_scored: 0,
            coverage: f64::NAN,
            width: f64::NAN,
            spread_coverage: f64::NAN,
            spread_width: f64::NAN,
            brier: f64::NAN,
            brier_base_rate: f64::NAN,
            reliability: Vec::new(),
            calibrated: None,
            note: note.into(),
        }
    }

    /// Calibrate on `cal` and score on `scored`.
    pub fn build(
        cal: &CalibrationSet,
        level: f64,
        threshold: f64,
        scored: ScoredCells,
        method: &str,
    ) -> Uncertainty {
        let calibrated = match Calibrated::fit(cal, level, threshold) {
            Ok(c) => c,
            Err(e) => {
                let mut u = Uncertainty::unpublished(level, method, e.to_string());
                u.n_calibration = cal.len();
                u.n_calibration_landslide = landslides(&cal.observed, threshold);
                return u;
            }
        };
        let mut acc = Scores::default();
        let mut note = String::new();
        match scored {
            ScoredCells::None => {}
            ScoredCells::Test {
                predicted,
                observed,
                spread,
            } => {
                acc.add(&calibrated, &predicted, &observed, threshold);
                if let Some((p5, p95)) = spread {
                    acc.add_spread(&p5, &p95, &observed);
                }
            }
            ScoredCells::CrossFitted => {
                let mut skipped = 0;
                for f in cal.folds() {
                    let test = cal.select_fold(f, true);
                    match Calibrated::fit(&cal.select_fold(f, false), level, threshold) {
                        Ok(c) => acc.add(&c, &test.predicted, &test.observed, threshold),
                        Err(_) => skipped += test.len(),
                    }
                }
                if skipped > 0 {
                    note = format!("{skipped} cross-validated cells not scored: the other folds were too few to calibrate on");
                }
            }
        }
        let n = acc.covered.len();
        Uncertainty {
            level,
            method: method.to_string(),
            n_calibration: cal.len(),
            n_calibration_landslide: landslides(&cal.observed, threshold),
            n_scored: n,
            coverage: mean_bool(&acc.covered),
            width: mean(&acc.width),
            spread_coverage: mean_bool(&acc.spread_covered),
            spread_width: mean(&acc.spread_width),
            brier: brier_score(&acc.probability, &acc.event),
            brier_base_rate: brier_base_rate(&acc.event),
            reliability: reliability(&acc.probability, &acc.event, RELIABILITY_BINS),
            calibrated: Some(calibrated),
            note,
        }
    }
}

/// Per-cell scores pooled over folds.
#[derive(Default)]
struct Scores {
    covered: Vec<bool>,
    width: Vec<f64>,
    probability: Vec<f64>,
    event: Vec<bool>,
    spread_covered: Vec<bool>,
    spread_width: Vec<f64>,
}

impl Scores {
    fn add(&mut self, c: &Calibrated, predicted: &[f64], observed: &[f64], threshold: f64) {
        for (&p, &y) in predicted.iter().zip(observed) {
            if !(p.is_finite() && y.is_finite()) {
                continue;
            }
            let (lo, hi) = c.interval.interval(p);
            self.covered.push(lo <= y && y <= hi);
            self.width.push(hi - lo);
            self.probability.push(c.probability.probability(p));
            self.event.push(y > threshold);
        }
    }
    fn add_spread(&mut self, p5: &[f64], p95: &[f64], observed: &[f64]) {
        for ((&a, &b), &y) in p5.iter().zip(p95).zip(observed) {
            if a.is_finite() && b.is_finite() && y.is_finite() {
                self.spread_covered.push(a <= y && y <= b);
                self.spread_width.push(b - a);
            }
        }
    }
}

fn landslides(observed: &[f64], threshold: f64) -> usize {
    observed.iter().filter(|&&y| y > threshold).count()
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        f64::NAN
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

fn mean_bool(v: &[bool]) -> f64 {
    if v.is_empty() {
        f64::NAN
    } else {
        v.iter().filter(|&&b| b).count() as f64 / v.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal(n: usize, folds: usize) -> CalibrationSet {
        let mut c = CalibrationSet::default();
        for i in 0..n {
            let s = (i % 100) as f64 / 100.0;
            // landslides (LAD > 0.1) are more frequent where the prediction is higher
            let y = if i % 7 == 0 || (s > 0.7 && i % 3 == 0) {
                0.2 + 0.5 * s
            } else {
                0.0
            };
            c.push(0.1 + 0.3 * s, y, 1.0, i % folds);
        }
        c
    }

    #[test]
    fn cross_fitted_scores_cover_every_fold_and_report_the_spread_only_when_given() {
        let u = Uncertainty::build(&cal(3000, 4), 0.9, 0.1, ScoredCells::CrossFitted, "test");
        assert_eq!(u.n_scored, 3000);
        // conformal coverage is at least nominal; ties in these gridded values push it up
        assert!(u.coverage >= 0.88 && u.coverage <= 0.97, "{}", u.coverage);
        assert!(u.width > 0.0 && u.spread_coverage.is_nan());
        assert!(
            u.brier < u.brier_base_rate,
            "{} vs {}",
            u.brier,
            u.brier_base_rate
        );
        assert!(!u.reliability.is_empty());
        let c = cal(3000, 1);
        let test = ScoredCells::Test {
            predicted: c.predicted.clone(),
            observed: c.observed.clone(),
            spread: Some((c.predicted.clone(), c.predicted.clone())),
        };
        let u = Uncertainty::build(&cal(3000, 1), 0.9, 0.1, test, "test");
        assert!(u.spread_coverage < 0.2, "a zero-width spread covers little");
        assert_eq!(u.spread_width, 0.0);
    }

    #[test]
    fn too_few_calibration_cells_publish_nothing_and_say_how_many() {
        let u = Uncertainty::build(&cal(30, 2), 0.9, 0.1, ScoredCells::CrossFitted, "test");
        assert!(u.calibrated.is_none() && u.coverage.is_nan());
        assert!(u.note.contains("only 30 calibration cells"), "{}", u.note);
        assert_eq!(u.n_calibration, 30);
    }

    #[test]
    fn maps_keep_nan_and_order_the_bounds() {
        let c = Calibrated::fit(&cal(1000, 1), 0.9, 0.1).unwrap();
        let (lo, hi, p) = c.maps(&[0.05, f32::NAN, 0.4]);
        assert!(lo[1].is_nan() && hi[1].is_nan() && p[1].is_nan());
        assert!(lo[0] <= 0.05 && hi[0] >= 0.05 && lo[2] <= hi[2]);
        assert!(p[2] >= p[0]);
    }
}
