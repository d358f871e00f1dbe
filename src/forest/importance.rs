//! Impurity-based feature importances (scikit-learn's `feature_importances_`).
//!
//! Contract: each tree's raw importances (summed `cost(node) - cost(children)` per split
//! feature, i.e. the node-size-weighted decrease of the criterion) are normalised to sum 1;
//! trees that are a single leaf are skipped; the remaining trees are averaged and the result
//! normalised to sum 1. If every tree is a single leaf (e.g. a constant target) every
//! importance is 0.0.

/// Combines raw per-tree importances (one `Vec` of length `n_features` per tree).
pub(crate) fn forest_importances<'a>(
    per_tree: impl Iterator<Item = &'a [f64]>,
    n_features: usize,
) -> Vec<f64> {
    let mut acc = vec![0.0; n_features];
    let mut used = 0usize;
    for raw in per_tree {
        let total: f64 = raw.iter().map(|v| v.max(0.0)).sum();
        if total > 0.0 {
            for (a, v) in acc.iter_mut().zip(raw) {
                *a += v.max(0.0) / total;
            }
            used += 1;
        }
    }
    let sum: f64 = acc.iter().sum();
    if used == 0 || sum <= 0.0 {
        return vec![0.0; n_features];
    }
    acc.iter().map(|a| a / sum).collect()
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn each_tree_counts_equally_whatever_its_scale() {
        let a = [2.0, 0.0];
        let b = [0.0, 100.0];
        let imp = forest_importances([&a[..], &b[..]].into_iter(), 2);
        assert_eq!(imp, vec![0.5, 0.5]);
    }

    #[test]
    fn single_leaf_forests_have_all_zero_importances() {
        let a = [0.0, 0.0, 0.0];
        let imp = forest_importances([&a[..]].into_iter(), 3);
        assert_eq!(imp, vec![0.0; 3]);
    }
}
