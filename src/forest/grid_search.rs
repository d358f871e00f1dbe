//! Grid search with k-fold cross-validation (scikit-learn `GridSearchCV`, `refit=True`).
//!
//! Contract: every candidate of the [`ParamGrid`] is scored on each fold of an unshuffled
//! [`kfold`] split (fit on the training rows, score the held-out rows) with R² (sklearn's
//! `r2_score`, default) or negated MAE; the mean over folds ranks candidates (higher is better,
//! ties go to the first candidate in grid order) and the best is refitted on all rows.
//! Runs in parallel over (tree group, fold) tasks; cancellable (returns
//! [`ForestError::Cancelled`]); `progress(done, total)` counts candidate-fold evaluations.
//!
//! Exact sharing (scores are bit-identical to fitting every candidate separately with the
//! same seed): candidates differing only in `n_estimators` share trees (tree `i` depends on
//! `(seed, i)` only, so a 75-tree forest is the first 75 trees of the 125-tree one);
//! candidates differing only in `max_depth` share trees truncated at each depth (node
//! randomness is path-seeded, see `tree.rs`); and `min_samples_split` values with the same
//! `max(min_samples_split, 2 * min_samples_leaf)` grow identical trees.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::forest::forest::{grow_trees, validate_training};
use crate::forest::ranks::ColumnRanks;
use crate::forest::tree::GrownTree;
use crate::forest::{kfold, ForestError, ForestParams, Matrix, ParamGrid, RandomForest};
use crate::metrics::{mean_absolute_error, r2_score};

/// Cross-validation score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Scoring {
    /// scikit-learn `r2_score` (1 - SS_res / SS_tot).
    R2,
    /// Negated mean absolute error (`neg_mean_absolute_error`).
    NegMae,
}

/// Options of [`grid_search`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GridSearchOptions {
    /// Candidate values.
    pub grid: ParamGrid,
    /// Number of folds (default 4).
    pub n_folds: usize,
    /// Score (default R²).
    pub scoring: Scoring,
    /// Criterion, bootstrap and seed of every candidate (other fields are overridden).
    pub base: ForestParams,
}

impl Default for GridSearchOptions {
    fn default() -> Self {
        Self {
            grid: ParamGrid::default(),
            n_folds: 4,
            scoring: Scoring::R2,
            base: ForestParams::default(),
        }
    }
}

impl GridSearchOptions {
    /// Sets the grid.
    pub fn with_grid(mut self, grid: ParamGrid) -> Self {
        self.grid = grid;
        self
    }
    /// Sets the number of folds.
    pub fn with_n_folds(mut self, n: usize) -> Self {
        self.n_folds = n;
        self
    }
    /// Sets the scoring.
    pub fn with_scoring(mut self, s: Scoring) -> Self {
        self.scoring = s;
        self
    }
    /// Sets the base parameters.
    pub fn with_base(mut self, base: ForestParams) -> Self {
        self.base = base;
        self
    }
}

/// Score of one candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateScore {
    /// The candidate.
    pub params: ForestParams,
    /// Score on each fold.
    pub fold_scores: Vec<f64>,
    /// Mean over folds.
    pub mean_score: f64,
}

/// Outcome of [`grid_search`].
#[derive(Debug, Clone)]
pub struct GridSearchResult {
    /// Index of the best candidate in grid order.
    pub best_index: usize,
    /// Best candidate's parameters.
    pub best_params: ForestParams,
    /// Best mean score.
    pub best_score: f64,
    /// Every candidate in grid order.
    pub candidates: Vec<CandidateScore>,
    /// Best candidate refitted on all rows.
    pub model: RandomForest,
}

fn score(
    scoring: Scoring,
    y_true: &[f64],
    y_pred: &[f64],
    fold: usize,
) -> Result<f64, ForestError> {
    let r = match scoring {
        Scoring::R2 => r2_score(y_true, y_pred),
        Scoring::NegMae => mean_absolute_error(y_true, y_pred).map(|m| -m),
    };
    r.map_err(|source| ForestError::Scoring { fold, source })
}

/// Candidates that can share trees: same `max_features` and `min_samples_leaf`. Trees are
/// grown once per group with its deepest `max_depth` and smallest effective minimum split;
/// every other member's trees are those pruned (exact, see [`GrownTree::pruned`]), and every
/// `n_estimators` is a prefix of the largest.
fn group_candidates(cands: &[ForestParams]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, c) in cands.iter().enumerate() {
        let same = |g: &Vec<usize>| {
            let h = &cands[g[0]];
            h.max_features == c.max_features && h.min_samples_leaf == c.min_samples_leaf
        };
        match groups.iter_mut().find(|g| same(g)) {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    groups
}

/// The forest grown once for a group of candidates: the most trees, the deepest depth and
/// the smallest split size of the group (each member is read from it by pruning); with that
/// depth and split size.
fn group_growth(cands: &[ForestParams], group: &[usize]) -> (ForestParams, Option<usize>, usize) {
    let n_max = group
        .iter()
        .map(|&c| cands[c].n_estimators)
        .max()
        .unwrap_or(1);
    let depth_max = group
        .iter()
        .map(|&c| cands[c].max_depth)
        .try_fold(0usize, |acc, d| d.map(|d| acc.max(d)));
    let split_min = group
        .iter()
        .map(|&c| cands[c].effective_min_split())
        .min()
        .unwrap_or(2);
    let grow = cands[group[0]]
        .clone()
        .with_max_depth(depth_max)
        .with_min_samples_split(split_min)
        .with_n_estimators(n_max);
    (grow, depth_max, split_min)
}

/// Scores one group of candidates on one fold: `(candidate index, score)`.
#[allow(clippy::too_many_arguments)]
fn score_group_on_fold(
    x: &Matrix,
    ranks: &ColumnRanks,
    y: &[f64],
    cands: &[ForestParams],
    group: &[usize],
    fold_index: usize,
    fold: &crate::forest::Fold,
    scoring: Scoring,
    cancel: &AtomicBool,
) -> Result<Vec<(usize, f64)>, ForestError> {
    let (grow, depth_max, split_min) = group_growth(cands, group);
    let n_max = grow.n_estimators;
    let trees: Vec<GrownTree> = grow_trees(x, ranks, y, &fold.train, &grow, n_max, cancel)?;
    let n_cols = x.n_cols();
    let test_x: Vec<f32> = fold
        .test
        .iter()
        .flat_map(|&r| x.as_slice()[r * n_cols..(r + 1) * n_cols].iter().copied())
        .collect();
    let test_y: Vec<f64> = fold.test.iter().map(|&r| y[r]).collect();
    // the distinct (max_depth, effective min split) pairs of the group's members
    let mut shapes: Vec<(Option<usize>, usize)> = group
        .iter()
        .map(|&c| (cands[c].max_depth, cands[c].effective_min_split()))
        .collect();
    shapes.sort();
    shapes.dedup();
    let mut out = Vec::with_capacity(group.len());
    for (depth, split) in shapes {
        let members: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&c| (cands[c].max_depth, cands[c].effective_min_split()) == (depth, split))
            .collect();
        let mut sizes: Vec<usize> = members.iter().map(|&c| cands[c].n_estimators).collect();
        sizes.sort_unstable();
        sizes.dedup();
        let mut acc = vec![0.0f64; test_y.len()];
        let mut pred = vec![0.0f64; test_y.len()];
        let mut next = 0;
        for (t, grown) in trees.iter().enumerate() {
            if next >= sizes.len() {
                break;
            }
            let pruned;
            let tree = if depth == depth_max && split == split_min {
                &grown.tree
            } else {
                pruned = grown.pruned(depth, split);
                &pruned
            };
            tree.accumulate(&test_x, n_cols, &mut acc);
            while next < sizes.len() && sizes[next] == t + 1 {
                let n = (t + 1) as f64;
                pred.iter_mut().zip(&acc).for_each(|(p, a)| *p = a / n);
                let s = score(scoring, &test_y, &pred, fold_index)?;
                for &c in members.iter().filter(|&&c| cands[c].n_estimators == t + 1) {
                    out.push((c, s));
                }
                next += 1;
            }
        }
    }
    Ok(out)
}

/// Runs the grid search and refits the best candidate on all rows.
pub fn grid_search(
    x: &Matrix,
    y: &[f64],
    options: &GridSearchOptions,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<GridSearchResult, ForestError> {
    validate_training(x, y, &options.base)?;
    let folds = kfold(x.n_rows(), options.n_folds)?;
    if y.iter().all(|&v| v == y[0]) {
        return Err(ForestError::ConstantTarget { value: y[0] });
    }
    let cands = options.grid.candidates(&options.base)?;
    // value ranks of every row, shared by every fold, candidate group and the refit
    let all_rows: Vec<usize> = (0..x.n_rows()).collect();
    let ranks = ColumnRanks::new(x, &all_rows);
    let groups = group_candidates(&cands);
    let total = cands.len() * folds.len();
    let done = AtomicUsize::new(0);
    progress(0, total);
    let tasks: Vec<(usize, usize)> = (0..groups.len())
        .flat_map(|g| (0..folds.len()).map(move |f| (g, f)))
        .collect();
    let results: Vec<Vec<(usize, f64)>> = tasks
        .par_iter()
        .map(|&(g, f)| {
            if cancel.load(Ordering::Relaxed) {
                return Err(ForestError::Cancelled);
            }
            let r = score_group_on_fold(
                x,
                &ranks,
                y,
                &cands,
                &groups[g],
                f,
                &folds[f],
                options.scoring,
                cancel,
            )?;
            let now = done.fetch_add(groups[g].len(), Ordering::Relaxed) + groups[g].len();
            progress(now, total);
            Ok(r)
        })
        .collect::<Result<_, _>>()?;
    let mut fold_scores = vec![vec![f64::NAN; folds.len()]; cands.len()];
    for (&(_, f), r) in tasks.iter().zip(&results) {
        for &(c, s) in r {
            fold_scores[c][f] = s;
        }
    }
    let candidates: Vec<CandidateScore> = cands
        .into_iter()
        .zip(fold_scores)
        .map(|(params, fold_scores)| {
            let mean_score = fold_scores.iter().sum::<f64>() / fold_scores.len() as f64;
            CandidateScore {
                params,
                fold_scores,
                mean_score,
            }
        })
        .collect();
    let mut best_index = 0;
    for (i, c) in candidates.iter().enumerate() {
        if c.mean_score > candidates[best_index].mean_score {
            best_index = i;
        }
    }
    let best_params = candidates[best_index].params.clone();
    let model =
        RandomForest::fit_rows_validated(x, Some(&ranks), y, &all_rows, &best_params, cancel)?;
    Ok(GridSearchResult {
        best_index,
        best_score: candidates[best_index].mean_score,
        best_params,
        candidates,
        model,
    })
}
