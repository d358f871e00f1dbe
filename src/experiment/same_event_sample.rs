//! The training samples of a same-event step: one sample's training and test cells (or
//! its spatial folds), balanced draws of landslide and non-landslide cells, the step's
//! design, and the scores of one repeat.

use super::ctx::Ctx;
use super::sampling::{draw, mix_seed, rng, split_classes};
use super::ExperimentError;
use crate::features::FeatureTable;
use rand::seq::SliceRandom;

/// One training sample: training cells (shuffled) and test cells; with spatial
/// cross-validation, `test` is empty and `cv` holds (training cells, test cells) per fold.
pub(super) struct Sample {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
    pub cv: Vec<(Vec<usize>, Vec<usize>)>,
}

/// `repeats` balanced draws (all of the smaller class, as many of the larger) from `pool`;
/// `None` when a class is empty.
pub(super) fn balanced_draws(
    t: &FeatureTable,
    pool: &[usize],
    threshold: f64,
    repeats: usize,
    seed: &[u64],
) -> Option<Vec<Vec<usize>>> {
    let (ls, non) = split_classes(t, pool, threshold);
    let n = ls.len().min(non.len());
    class_draws((&ls, n), (&non, n), repeats, seed)
}

/// `repeats` draws of `n_ls` landslide and `n_non` non-landslide cells, shuffled, each
/// seeded from `seed` and its repeat index; `None` when a count is zero.
pub(super) fn class_draws(
    (ls, n_ls): (&[usize], usize),
    (non, n_non): (&[usize], usize),
    repeats: usize,
    seed: &[u64],
) -> Option<Vec<Vec<usize>>> {
    if n_ls == 0 || n_non == 0 {
        return None;
    }
    (0..repeats)
        .map(|r| {
            let mut parts = seed.to_vec();
            parts.push(r as u64);
            let mut g = rng(mix_seed(&parts));
            let mut train = draw(ls, n_ls, &mut g, "", "landslide").ok()?;
            train.extend(draw(non, n_non, &mut g, "", "non-landslide").ok()?);
            train.shuffle(&mut g);
            Some(train)
        })
        .collect()
}

/// One step's design: the table, the design matrix of every valid cell and each cell's row.
pub(super) struct StepDesign<'a> {
    pub t: &'a FeatureTable,
    pub x_all: &'a crate::forest::Matrix,
    pub row_of: &'a [usize],
    pub name: &'a str,
    pub step: usize,
}

/// Scores of one repeat: pooled cross-validated predictions, or the final model's
/// predictions on the test cells. Returns (cells, predictions).
pub(super) fn repeat_scores(
    ctx: &Ctx,
    d: &StepDesign,
    s: &Sample,
    pred: &[f64],
    seed: u64,
) -> Result<(Vec<usize>, Vec<f64>), ExperimentError> {
    let StepDesign {
        t,
        x_all,
        row_of,
        name,
        step,
    } = *d;
    if s.cv.is_empty() {
        let p = s.test.iter().map(|&i| pred[row_of[i]]).collect();
        return Ok((s.test.clone(), p));
    }
    let (mut cells, mut preds) = (Vec::new(), Vec::new());
    for (k, (train, test)) in s.cv.iter().enumerate() {
        let rows: Vec<usize> = train.iter().map(|&i| row_of[i]).collect();
        let x = x_all
            .select_rows(&rows)
            .map_err(|e| ExperimentError::forest(name, step, e))?;
        let y: Vec<f64> = train.iter().map(|&i| t.target[i] as f64).collect();
        let test_rows: Vec<usize> = test.iter().map(|&i| row_of[i]).collect();
        let x_test = x_all
            .select_rows(&test_rows)
            .map_err(|e| ExperimentError::forest(name, step, e))?;
        let (p, _) =
            ctx.fit_predict(&x, &y, &x_test, mix_seed(&[seed, k as u64, 8]), name, step)?;
        cells.extend_from_slice(test);
        preds.extend(p);
    }
    Ok((cells, preds))
}
