//! Hyper-parameters of a random forest.
//!
//! Contract: names and semantics follow scikit-learn's `RandomForestRegressor`
//! (`criterion`, `max_features`, `max_depth`, `min_samples_split`, `min_samples_leaf`,
//! `n_estimators`, `bootstrap`), except that [`ForestParams::default`] is the typical model of
//! Burrows et al. (2021): 100 trees, MAE criterion, `max_features = sqrt`, unlimited depth,
//! `min_samples_split = 2`, `min_samples_leaf = 1`, bootstrap on, seed 0.
//! `min_samples_*` count distinct training rows of a node (bootstrap duplicates are weights),
//! as scikit-learn does.

use serde::{Deserialize, Serialize};

use crate::forest::ForestError;

/// Split criterion of the regression trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Criterion {
    /// Mean absolute error: leaf value = weighted median, impurity = mean absolute deviation
    /// from the median (scikit-learn `absolute_error`).
    Mae,
    /// Mean squared error: leaf value = weighted mean, impurity = variance
    /// (scikit-learn `squared_error`).
    Mse,
}

/// Number of features examined at each split.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum MaxFeatures {
    /// `max(1, floor(sqrt(n_features)))`.
    Sqrt,
    /// `max(1, floor(log2(n_features)))`.
    Log2,
    /// `max(1, floor(f * n_features))`, `0 < f <= 1`.
    Fraction(f64),
    /// All features.
    All,
}

impl MaxFeatures {
    /// Resolved count for `n_features` columns (scikit-learn semantics, capped at `n_features`).
    pub fn resolve(self, n_features: usize) -> usize {
        let n = n_features as f64;
        let k = match self {
            MaxFeatures::Sqrt => n.sqrt().floor() as usize,
            MaxFeatures::Log2 => n.log2().floor().max(0.0) as usize,
            MaxFeatures::Fraction(f) => (f * n).floor().max(0.0) as usize,
            MaxFeatures::All => n_features,
        };
        k.clamp(1, n_features.max(1))
    }
}

/// Hyper-parameters of [`crate::forest::RandomForest::fit`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestParams {
    /// Number of trees (`>= 1`).
    pub n_estimators: usize,
    /// Split criterion.
    pub criterion: Criterion,
    /// Features examined per split.
    pub max_features: MaxFeatures,
    /// Maximum depth (root = depth 0); `None` = grow until pure or too small.
    pub max_depth: Option<usize>,
    /// A node with fewer distinct rows is a leaf (`>= 2`).
    pub min_samples_split: usize,
    /// Each child must keep at least this many distinct rows (`>= 1`).
    pub min_samples_leaf: usize,
    /// Draw a bootstrap sample of `n` rows per tree (else every tree sees every row once).
    pub bootstrap: bool,
    /// Seed; tree `i` uses a generator derived from `(seed, i)` only.
    pub seed: u64,
}

impl Default for ForestParams {
    fn default() -> Self {
        Self {
            n_estimators: 100,
            criterion: Criterion::Mae,
            max_features: MaxFeatures::Sqrt,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            bootstrap: true,
            seed: 0,
        }
    }
}

impl ForestParams {
    /// The cheapest point of the paper's Table-2 grid (75 trees, `log2` features, depth 10,
    /// `min_samples_split` 5, `min_samples_leaf` 10), MAE criterion: the quick setting used
    /// for live retraining, where a grid search per model would be too slow.
    pub fn quick() -> Self {
        Self {
            n_estimators: 75,
            max_features: MaxFeatures::Log2,
            max_depth: Some(10),
            min_samples_split: 5,
            min_samples_leaf: 10,
            ..Self::default()
        }
    }

    /// Sets `n_estimators`.
    pub fn with_n_estimators(mut self, n: usize) -> Self {
        self.n_estimators = n;
        self
    }
    /// Sets the criterion.
    pub fn with_criterion(mut self, c: Criterion) -> Self {
        self.criterion = c;
        self
    }
    /// Sets `max_features`.
    pub fn with_max_features(mut self, m: MaxFeatures) -> Self {
        self.max_features = m;
        self
    }
    /// Sets `max_depth`.
    pub fn with_max_depth(mut self, d: Option<usize>) -> Self {
        self.max_depth = d;
        self
    }
    /// Sets `min_samples_split`.
    pub fn with_min_samples_split(mut self, n: usize) -> Self {
        self.min_samples_split = n;
        self
    }
    /// Sets `min_samples_leaf`.
    pub fn with_min_samples_leaf(mut self, n: usize) -> Self {
        self.min_samples_leaf = n;
        self
    }
    /// Sets `bootstrap`.
    pub fn with_bootstrap(mut self, b: bool) -> Self {
        self.bootstrap = b;
        self
    }
    /// Sets the seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Checks ranges; returns [`ForestError::InvalidParameter`] naming the parameter.
    pub fn validate(&self) -> Result<(), ForestError> {
        let bad = |name: &'static str, reason: String| {
            Err(ForestError::InvalidParameter { name, reason })
        };
        if self.n_estimators == 0 {
            return bad("n_estimators", "must be at least 1 (got 0)".into());
        }
        if self.min_samples_split < 2 {
            return bad(
                "min_samples_split",
                format!("must be >= 2 (got {})", self.min_samples_split),
            );
        }
        if self.min_samples_leaf < 1 {
            return bad("min_samples_leaf", "must be >= 1 (got 0)".into());
        }
        if let MaxFeatures::Fraction(f) = self.max_features {
            if !(f > 0.0 && f <= 1.0) {
                return bad(
                    "max_features",
                    format!("fraction must be in (0, 1] (got {f})"),
                );
            }
        }
        Ok(())
    }

    /// `max(min_samples_split, 2 * min_samples_leaf)`: a node with fewer distinct rows can
    /// never be split, so two parameter sets with the same value grow identical trees.
    pub fn effective_min_split(&self) -> usize {
        self.min_samples_split.max(2 * self.min_samples_leaf)
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn max_features_follows_sklearn_rounding() {
        assert_eq!(MaxFeatures::Sqrt.resolve(45), 6);
        assert_eq!(MaxFeatures::Log2.resolve(45), 5);
        assert_eq!(MaxFeatures::Sqrt.resolve(11), 3);
        assert_eq!(MaxFeatures::Log2.resolve(1), 1);
        assert_eq!(MaxFeatures::Fraction(0.01).resolve(10), 1);
        assert_eq!(MaxFeatures::All.resolve(7), 7);
    }

    #[test]
    fn default_is_the_papers_typical_model() {
        let p = ForestParams::default();
        assert_eq!(p.n_estimators, 100);
        assert_eq!(p.criterion, Criterion::Mae);
        assert_eq!(p.max_features, MaxFeatures::Sqrt);
        assert!(p.validate().is_ok());
    }

    #[test]
    fn zero_trees_is_rejected_by_name() {
        let err = ForestParams::default()
            .with_n_estimators(0)
            .validate()
            .unwrap_err();
        assert!(matches!(
            err,
            ForestError::InvalidParameter {
                name: "n_estimators",
                ..
            }
        ));
    }
}
