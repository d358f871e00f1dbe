//! The probability that a cell's LAD exceeds the AUC threshold (0.1, the paper's landslide
//! truth), calibrated from out-of-fold predictions by weighted isotonic regression
//! (pool-adjacent-violators), with the Brier score and a binned reliability diagram.
//!
//! Contract: [`ProbabilityModel::fit`] takes predicted LAD (fraction), whether the observed
//! LAD exceeds the threshold, and a weight per cell (the same stratum weights as the
//! intervals, [`super::conformal::stratum_weights`]). The fitted map from predicted LAD to
//! probability is non-decreasing, piecewise linear between the weighted mean predictions of
//! the isotonic blocks and constant beyond the first and last; NaN stays NaN.

use serde::{Deserialize, Serialize};

/// A non-decreasing map from predicted LAD to P(LAD > threshold).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbabilityModel {
    /// Weighted mean predicted LAD of each isotonic block (ascending).
    pub knots: Vec<f64>,
    /// Probability of each block (non-decreasing).
    pub probability: Vec<f64>,
}

impl ProbabilityModel {
    /// Weighted isotonic regression of `event` (0/1) on `predicted`. Empty input gives a
    /// model that answers NaN.
    pub fn fit(predicted: &[f64], event: &[bool], weight: &[f64]) -> ProbabilityModel {
        let mut order: Vec<usize> = (0..predicted.len().min(event.len()).min(weight.len()))
            .filter(|&i| predicted[i].is_finite() && weight[i] > 0.0)
            .collect();
        order.sort_by(|&a, &b| predicted[a].total_cmp(&predicted[b]));
        // blocks: (sum w·x, sum w·y, sum w)
        let mut blocks: Vec<(f64, f64, f64)> = Vec::new();
        let mut k = 0;
        while k < order.len() {
            // equal predictions form one block from the start
            let x0 = predicted[order[k]];
            let mut b = (0.0, 0.0, 0.0);
            while k < order.len() && predicted[order[k]] == x0 {
                let i = order[k];
                let y = if event[i] { 1.0 } else { 0.0 };
                b = (b.0 + weight[i] * x0, b.1 + weight[i] * y, b.2 + weight[i]);
                k += 1;
            }
            blocks.push(b);
            while blocks.len() >= 2 {
                let n = blocks.len();
                let (a, c) = (blocks[n - 2], blocks[n - 1]);
                if a.1 / a.2 > c.1 / c.2 {
                    blocks.truncate(n - 2);
                    blocks.push((a.0 + c.0, a.1 + c.1, a.2 + c.2));
                } else {
                    break;
                }
            }
        }
        ProbabilityModel {
            knots: blocks.iter().map(|b| b.0 / b.2).collect(),
            probability: blocks.iter().map(|b| b.1 / b.2).collect(),
        }
    }

    /// P(LAD > threshold) of a predicted LAD.
    pub fn probability(&self, predicted: f64) -> f64 {
        let (x, p) = (&self.knots, &self.probability);
        if !predicted.is_finite() || x.is_empty() {
            return f64::NAN;
        }
        let j = x.partition_point(|&k| k < predicted);
        if j == 0 {
            return p[0];
        }
        if j == x.len() {
            return p[x.len() - 1];
        }
        let t = (predicted - x[j - 1]) / (x[j] - x[j - 1]);
        p[j - 1] + t * (p[j] - p[j - 1])
    }
}

/// Mean squared difference between probabilities and outcomes (NaN when empty).
pub fn brier_score(probability: &[f64], event: &[bool]) -> f64 {
    let n = probability.len().min(event.len());
    if n == 0 {
        return f64::NAN;
    }
    probability
        .iter()
        .zip(event)
        .map(|(&p, &e)| (p - if e { 1.0 } else { 0.0 }).powi(2))
        .sum::<f64>()
        / n as f64
}

/// The Brier score of always forecasting the outcomes' own frequency (the base rate).
pub fn brier_base_rate(event: &[bool]) -> f64 {
    if event.is_empty() {
        return f64::NAN;
    }
    let r = event.iter().filter(|&&e| e).count() as f64 / event.len() as f64;
    r * (1.0 - r)
}

/// One bin of a reliability diagram.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityBin {
    /// Mean forecast probability in the bin.
    pub forecast: f64,
    /// Observed frequency of the event in the bin.
    pub observed: f64,
    /// Cells in the bin.
    pub n: usize,
}

/// Reliability diagram: `bins` equal-width bins of forecast probability over [0, 1], empty
/// bins left out.
pub fn reliability(probability: &[f64], event: &[bool], bins: usize) -> Vec<ReliabilityBin> {
    let bins = bins.max(1);
    let mut acc = vec![(0.0, 0.0, 0usize); bins];
    for (&p, &e) in probability.iter().zip(event) {
        if !p.is_finite() {
            continue;
        }
        let b = ((p * bins as f64) as usize).min(bins - 1);
        acc[b].0 += p;
        acc[b].1 += if e { 1.0 } else { 0.0 };
        acc[b].2 += 1;
    }
    acc.into_iter()
        .filter(|a| a.2 > 0)
        .map(|(s, o, n)| ReliabilityBin {
            forecast: s / n as f64,
            observed: o / n as f64,
            n,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn isotonic_regression_pools_violators_and_interpolates() {
        let m = ProbabilityModel::fit(
            &[0.1, 0.2, 0.3, 0.4],
            &[false, true, false, true],
            &[1.0; 4],
        );
        // (0.2, 0.3) violate the order and are pooled at 0.5
        assert_eq!(m.probability, vec![0.0, 0.5, 1.0]);
        assert!((m.knots[1] - 0.25).abs() < 1e-12);
        assert_eq!(m.probability(0.0), 0.0);
        assert!((m.probability(0.325) - 0.75).abs() < 1e-12);
        assert_eq!(m.probability(0.9), 1.0);
        assert!(m.probability(f64::NAN).is_nan());
    }

    #[test]
    fn a_calibrated_probability_beats_the_base_rate_and_is_reliable() {
        let mut g = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let mut draw = |n: usize| {
            let (mut x, mut e) = (Vec::new(), Vec::new());
            for _ in 0..n {
                let s: f64 = g.gen();
                x.push(0.2 + 0.5 * s); // predicted LAD, biased upward
                e.push(g.gen::<f64>() < 0.3 * s * s);
            }
            (x, e)
        };
        let (xc, ec) = draw(5000);
        let (xt, et) = draw(20_000);
        let m = ProbabilityModel::fit(&xc, &ec, &vec![1.0; xc.len()]);
        let p: Vec<f64> = xt.iter().map(|&x| m.probability(x)).collect();
        let (b, b0) = (brier_score(&p, &et), brier_base_rate(&et));
        assert!(b < b0, "Brier {b} vs base rate {b0}");
        for bin in reliability(&p, &et, 10).iter().filter(|b| b.n > 500) {
            assert!((bin.forecast - bin.observed).abs() < 0.05, "{bin:?}");
        }
    }
}
