//! The hyper-parameter grid (Table 2 of Burrows et al. 2021 by default).
//!
//! Contract: [`ParamGrid::candidates`] enumerates the Cartesian product in scikit-learn's
//! `ParameterGrid` order: keys sorted alphabetically (`max_depth`, `max_features`,
//! `min_samples_leaf`, `min_samples_split`, `n_estimators`), the last varying fastest.
//! Every other parameter (criterion, bootstrap, seed) comes from a base [`ForestParams`].

use serde::{Deserialize, Serialize};

use crate::forest::{ForestError, ForestParams, MaxFeatures};

/// Editable grid of candidate values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamGrid {
    /// Candidate `n_estimators`.
    pub n_estimators: Vec<usize>,
    /// Candidate `max_features`.
    pub max_features: Vec<MaxFeatures>,
    /// Candidate `max_depth` (`None` = unlimited).
    pub max_depth: Vec<Option<usize>>,
    /// Candidate `min_samples_split`.
    pub min_samples_split: Vec<usize>,
    /// Candidate `min_samples_leaf`.
    pub min_samples_leaf: Vec<usize>,
}

impl Default for ParamGrid {
    /// Table 2: 3 x 2 x 4 x 4 x 2 = 192 candidates.
    fn default() -> Self {
        Self {
            n_estimators: vec![75, 100, 125],
            max_features: vec![MaxFeatures::Log2, MaxFeatures::Sqrt],
            max_depth: vec![Some(10), Some(15), Some(20), Some(30)],
            min_samples_split: vec![2, 3, 4, 5],
            min_samples_leaf: vec![2, 10],
        }
    }
}

impl ParamGrid {
    /// Sets the `n_estimators` axis.
    pub fn with_n_estimators(mut self, v: Vec<usize>) -> Self {
        self.n_estimators = v;
        self
    }
    /// Sets the `max_features` axis.
    pub fn with_max_features(mut self, v: Vec<MaxFeatures>) -> Self {
        self.max_features = v;
        self
    }
    /// Sets the `max_depth` axis.
    pub fn with_max_depth(mut self, v: Vec<Option<usize>>) -> Self {
        self.max_depth = v;
        self
    }
    /// Sets the `min_samples_split` axis.
    pub fn with_min_samples_split(mut self, v: Vec<usize>) -> Self {
        self.min_samples_split = v;
        self
    }
    /// Sets the `min_samples_leaf` axis.
    pub fn with_min_samples_leaf(mut self, v: Vec<usize>) -> Self {
        self.min_samples_leaf = v;
        self
    }

    /// Number of candidates.
    pub fn len(&self) -> usize {
        self.n_estimators.len()
            * self.max_features.len()
            * self.max_depth.len()
            * self.min_samples_split.len()
            * self.min_samples_leaf.len()
    }

    /// True if some axis is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// All candidates in scikit-learn order, each validated.
    pub fn candidates(&self, base: &ForestParams) -> Result<Vec<ForestParams>, ForestError> {
        let axes: [(&'static str, usize); 5] = [
            ("max_depth", self.max_depth.len()),
            ("max_features", self.max_features.len()),
            ("min_samples_leaf", self.min_samples_leaf.len()),
            ("min_samples_split", self.min_samples_split.len()),
            ("n_estimators", self.n_estimators.len()),
        ];
        if let Some((axis, _)) = axes.iter().find(|(_, n)| *n == 0) {
            return Err(ForestError::EmptyGridAxis { axis });
        }
        let mut out = Vec::with_capacity(self.len());
        for &depth in &self.max_depth {
            for &mf in &self.max_features {
                for &leaf in &self.min_samples_leaf {
                    for &split in &self.min_samples_split {
                        for &n in &self.n_estimators {
                            let p = base
                                .clone()
                                .with_max_depth(depth)
                                .with_max_features(mf)
                                .with_min_samples_leaf(leaf)
                                .with_min_samples_split(split)
                                .with_n_estimators(n);
                            p.validate()?;
                            out.push(p);
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn the_default_grid_is_table_2_with_192_candidates() {
        let c = ParamGrid::default()
            .candidates(&ForestParams::default())
            .unwrap();
        assert_eq!(c.len(), 192);
        assert_eq!(c[0].max_depth, Some(10));
        assert_eq!(c[0].n_estimators, 75);
        assert_eq!(c[1].n_estimators, 100);
        assert_eq!(c[3].min_samples_split, 3);
        assert_eq!(c[191].max_depth, Some(30));
    }

    #[test]
    fn an_empty_axis_is_named_in_the_error() {
        let g = ParamGrid::default().with_min_samples_leaf(vec![]);
        let err = g.candidates(&ForestParams::default()).unwrap_err();
        assert_eq!(
            err,
            ForestError::EmptyGridAxis {
                axis: "min_samples_leaf"
            }
        );
    }
}
