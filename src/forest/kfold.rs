//! K-fold splitting without shuffling (scikit-learn `KFold(n_splits)`).
//!
//! Contract: fold `i` tests a contiguous block of rows; the first `n % k` folds hold
//! `n / k + 1` rows, the others `n / k`; training rows are the rest, in ascending order.

use crate::forest::ForestError;

/// One fold: training and test row indices (ascending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    /// Training rows.
    pub train: Vec<usize>,
    /// Held-out rows.
    pub test: Vec<usize>,
}

/// Splits `n_rows` rows into `n_folds` folds; needs `n_folds >= 2` and `n_rows >= n_folds`.
pub fn kfold(n_rows: usize, n_folds: usize) -> Result<Vec<Fold>, ForestError> {
    if n_folds < 2 {
        return Err(ForestError::InvalidParameter {
            name: "n_folds",
            reason: format!("must be >= 2 (got {n_folds})"),
        });
    }
    if n_rows < n_folds {
        return Err(ForestError::TooFewRowsForFolds {
            rows: n_rows,
            folds: n_folds,
        });
    }
    let base = n_rows / n_folds;
    let extra = n_rows % n_folds;
    let mut folds = Vec::with_capacity(n_folds);
    let mut start = 0;
    for i in 0..n_folds {
        let size = base + usize::from(i < extra);
        let end = start + size;
        folds.push(Fold {
            train: (0..start).chain(end..n_rows).collect(),
            test: (start..end).collect(),
        });
        start = end;
    }
    Ok(folds)
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn fold_sizes_match_sklearn() {
        let folds = kfold(10, 4).unwrap();
        let sizes: Vec<usize> = folds.iter().map(|f| f.test.len()).collect();
        assert_eq!(sizes, vec![3, 3, 2, 2]);
        assert_eq!(folds[1].test, vec![3, 4, 5]);
        assert_eq!(folds[1].train, vec![0, 1, 2, 6, 7, 8, 9]);
    }

    #[test]
    fn fewer_rows_than_folds_is_an_error() {
        assert_eq!(
            kfold(3, 4).unwrap_err(),
            ForestError::TooFewRowsForFolds { rows: 3, folds: 4 }
        );
    }
}
