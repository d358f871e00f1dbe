//! Where a same-event (or hold-out) step's interval and P(LAD > 0.1) are calibrated from:
//! out-of-fold predictions over spatial folds of the training region.
//!
//! - A step scored by spatial cross-validation (`spatial-cv-areas` / `-blocks`) reuses its
//!   out-of-fold predictions (averaged over repeats, as the map is) and is scored
//!   cross-conformally: each fold's cells with a calibration fitted on the other folds.
//! - Any other step (the paper's random cells, the hold-out's test box, a model with
//!   independent test cells) gets spatial folds of its own over the training region
//!   ([`super::validation::spatial_folds`]: areas, else blocks ≥ 2 km, with the buffer); each
//!   fold is predicted by models trained on the rest with the plan's sampling rule (250 + 250
//!   random cells, or all of the smaller class and as many of the other), over at most
//!   [`CALIBRATION_MAX_REPEATS`] repeats averaged. The interval is then scored on the step's
//!   validation cells (minus any cell a repeat trained on) with the final map.
//!
//! Calibration cells are weighted by stratum (LAD above the sampling threshold or not:
//! the event's mapped share / the calibration cells' share), so that a calibration sample
//! that is not the population's mix (a class-balanced draw) stands for the population. Here
//! the folds cover the whole training region, so the weights stay close to 1; the class
//! balance of the *training* draws is what the calibration on unbalanced held-out cells
//! corrects.

use super::conformal::{stratum_weights, CalibrationSet};
use super::ctx::Ctx;
use super::same_event_sample::{balanced_draws, class_draws, repeat_scores, Sample, StepDesign};
use super::sampling::{mix_seed, split_classes};
use super::uncertainty::{ScoredCells, Uncertainty};
use super::validation::{spatial_folds, Validation, ValidationKind};
use super::ExperimentError;
use crate::features::FeatureTable;
use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

/// Repeats of the calibration models per fold (the paper's 30 repeats would triple a run).
pub const CALIBRATION_MAX_REPEATS: usize = 5;

/// How a calibration fold draws its training cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CalRule {
    /// The paper's random sample (`n_landslide` + `n_non_landslide`, fewer when the fold has
    /// fewer).
    Random,
    /// All of the smaller class and as many of the larger.
    Balanced,
}

/// The calibration of one plan.
#[derive(Debug, Clone)]
pub(super) enum CalPlan {
    /// The plan is scored by spatial cross-validation: its out-of-fold predictions calibrate.
    CrossValidated,
    /// Spatial folds of the training region: per fold, one draw per repeat and its test cells.
    Folds {
        /// Areas or blocks.
        kind: ValidationKind,
        /// (draws per repeat, test cells) per fold.
        folds: Vec<(Vec<Vec<usize>>, Vec<usize>)>,
    },
    /// Not calibrated, and why.
    Unavailable(String),
}

impl CalPlan {
    /// Not calibrated, with the reason.
    pub fn none(why: impl Into<String>) -> Self {
        CalPlan::Unavailable(why.into())
    }
}

/// Spatial calibration folds over `pool` (the plan's training region).
pub(super) fn calibration_plan(
    t: &FeatureTable,
    pool: &[usize],
    rule: CalRule,
    ctx: &Ctx,
    tag: &[u64],
) -> CalPlan {
    let o = ctx.opts;
    let mut parts = vec![o.seed, 11];
    parts.extend_from_slice(tag);
    let Some(folds) = spatial_folds(&t.coarse, pool, o.buffer_m, mix_seed(&parts)) else {
        return CalPlan::none(format!(
            "the training region ({} cells) is too small for spatial calibration folds",
            pool.len()
        ));
    };
    let repeats = o.repeats.min(CALIBRATION_MAX_REPEATS);
    let mut out = Vec::new();
    for (k, f) in folds.folds.iter().enumerate() {
        let mut seed = parts.clone();
        seed.push(k as u64);
        let draws = match rule {
            CalRule::Balanced => {
                balanced_draws(t, &f.train, o.sample_lad_threshold, repeats, &seed)
            }
            CalRule::Random => random_draws(t, &f.train, ctx, repeats, &seed),
        };
        if let Some(d) = draws {
            out.push((d, f.test.clone()));
        }
    }
    if out.len() < 2 {
        return CalPlan::none(
            "fewer than two spatial calibration folds hold landslide and stable cells",
        );
    }
    CalPlan::Folds {
        kind: folds.kind,
        folds: out,
    }
}

/// The paper's random draw inside a fold's training side (capped by what it holds).
fn random_draws(
    t: &FeatureTable,
    cells: &[usize],
    ctx: &Ctx,
    repeats: usize,
    seed: &[u64],
) -> Option<Vec<Vec<usize>>> {
    let o = ctx.opts;
    let (ls, non) = split_classes(t, cells, o.sample_lad_threshold);
    let (n_ls, n_non) = (
        o.n_landslide.min(ls.len()),
        o.n_non_landslide.min(non.len()),
    );
    class_draws((&ls, n_ls), (&non, n_non), repeats, seed)
}

/// The step's uncertainty: calibrate, score on the validation cells, and keep the time
/// apart from the map's own fitting and prediction.
#[allow(clippy::too_many_arguments)]
pub(super) fn step_uncertainty(
    ctx: &Ctx,
    d: &StepDesign,
    cal: &CalPlan,
    samples: &[Sample],
    mean_scores: &BTreeMap<usize, (f64, f64)>,
    mean_pred: &[f64],
    validation: &Validation,
    seed: u64,
) -> Result<Uncertainty, ExperimentError> {
    let t0 = Instant::now();
    let before = {
        let tm = ctx.timings.borrow();
        (tm.fitting_s, tm.prediction_s, tm.grid_search_s)
    };
    let u = uncertainty_of(
        ctx,
        d,
        cal,
        samples,
        mean_scores,
        mean_pred,
        validation,
        seed,
    );
    let mut tm = ctx.timings.borrow_mut();
    (tm.fitting_s, tm.prediction_s, tm.grid_search_s) = before;
    tm.calibration_s += t0.elapsed().as_secs_f64();
    u
}

#[allow(clippy::too_many_arguments)]
fn uncertainty_of(
    ctx: &Ctx,
    d: &StepDesign,
    cal: &CalPlan,
    samples: &[Sample],
    mean_scores: &BTreeMap<usize, (f64, f64)>,
    mean_pred: &[f64],
    validation: &Validation,
    seed: u64,
) -> Result<Uncertainty, ExperimentError> {
    let o = ctx.opts;
    let t = d.t;
    let (level, thr) = (o.interval_level, o.auc_lad_threshold);
    let mapped = t.mapped_cells();
    let population_share = if mapped.is_empty() {
        0.0
    } else {
        split_classes(t, &mapped, o.sample_lad_threshold).0.len() as f64 / mapped.len() as f64
    };
    let (mut set, method, scored) = match cal {
        CalPlan::Unavailable(why) => {
            return Ok(Uncertainty::unpublished(level, "none", why.clone()));
        }
        CalPlan::CrossValidated => (
            cross_validated_set(t, samples, mean_scores),
            format!(
                "split conformal on the {} out-of-fold predictions, scored cross-conformally",
                validation.kind.name()
            ),
            ScoredCells::CrossFitted,
        ),
        CalPlan::Folds { kind, folds } => (
            calibration_folds_set(ctx, d, folds, seed)?,
            format!(
                "split conformal on out-of-fold predictions of {} calibration folds ({}) of the training region",
                folds.len(),
                kind.name()
            ),
            if validation.kind == ValidationKind::None {
                ScoredCells::None
            } else {
                test_cells(t, samples, d.row_of, mean_pred)
            },
        ),
    };
    set.weight = stratum_weights(&set.observed, o.sample_lad_threshold, population_share);
    Ok(Uncertainty::build(&set, level, thr, scored, &method))
}

/// The validation cells of the step (those of the first repeat no repeat trained on), with
/// the final map's predictions.
fn test_cells(
    t: &FeatureTable,
    samples: &[Sample],
    row_of: &[usize],
    mean_pred: &[f64],
) -> ScoredCells {
    let trained: HashSet<usize> = samples
        .iter()
        .flat_map(|s| s.train.iter().copied())
        .collect();
    let cells: Vec<usize> = samples
        .first()
        .map(|s| {
            s.test
                .iter()
                .copied()
                .filter(|c| !trained.contains(c))
                .collect()
        })
        .unwrap_or_default();
    ScoredCells::Test {
        predicted: cells.iter().map(|&c| mean_pred[row_of[c]]).collect(),
        observed: cells.iter().map(|&c| t.target[c] as f64).collect(),
        spread: None,
    }
}

/// The calibration set of a step scored by spatial cross-validation: the validation's own
/// out-of-fold predictions (averaged over repeats), each with its fold.
fn cross_validated_set(
    t: &crate::features::FeatureTable,
    samples: &[Sample],
    mean_scores: &BTreeMap<usize, (f64, f64)>,
) -> CalibrationSet {
    let mut fold_of = BTreeMap::new();
    if let Some(s) = samples.first() {
        for (k, (_, test)) in s.cv.iter().enumerate() {
            test.iter().for_each(|&c| {
                fold_of.insert(c, k);
            });
        }
    }
    let mut set = CalibrationSet::default();
    for (&c, &(sum, n)) in mean_scores {
        set.push(
            sum / n,
            t.target[c] as f64,
            1.0,
            fold_of.get(&c).copied().unwrap_or(0),
        );
    }
    set
}

/// The calibration set from the plan's own calibration folds: each repeat's out-of-fold
/// predictions, averaged over repeats, each cell with its fold.
fn calibration_folds_set(
    ctx: &Ctx,
    d: &StepDesign,
    folds: &[(Vec<Vec<usize>>, Vec<usize>)],
    seed: u64,
) -> Result<CalibrationSet, ExperimentError> {
    let repeats = folds.first().map_or(0, |(d, _)| d.len());
    let mut acc: BTreeMap<usize, (f64, f64, usize)> = BTreeMap::new();
    for r in 0..repeats {
        let sample = Sample {
            train: Vec::new(),
            test: Vec::new(),
            cv: folds
                .iter()
                .map(|(draws, test)| (draws[r].clone(), test.clone()))
                .collect(),
        };
        let (cells, preds) = repeat_scores(ctx, d, &sample, &[], mix_seed(&[seed, r as u64]))?;
        for (&c, &p) in cells.iter().zip(&preds) {
            let e = acc.entry(c).or_insert((0.0, 0.0, 0));
            e.0 += p;
            e.1 += 1.0;
        }
    }
    for (k, (_, test)) in folds.iter().enumerate() {
        test.iter().for_each(|c| {
            if let Some(e) = acc.get_mut(c) {
                e.2 = k;
            }
        });
    }
    let mut set = CalibrationSet::default();
    for (&c, &(sum, n, k)) in &acc {
        set.push(sum / n, d.t.target[c] as f64, 1.0, k);
    }
    Ok(set)
}
