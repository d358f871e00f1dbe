//! Calibration of a global model's interval and P(LAD > 0.1) by leaving one *training*
//! (past) event out: for each past event, an ensemble trained on the other past events (the
//! same features, sampling and forest, at most [`CALIBRATION_MAX_MEMBERS`] members) predicts
//! its mapped cells, and those out-of-event residuals calibrate the target's map — the honest
//! analogue of mapping a new event. The target's own truth is never used: it only scores.
//!
//! Needs two or more past events with an inventory; with one, nothing is published and the
//! note says so. Each past event is one exchangeable draw of "an event": its cells are
//! weighted so every event has the same total weight, and within an event by stratum
//! ([`super::conformal::stratum_weights`]) when its cells are subsampled (more than
//! [`CALIBRATION_MAX_CELLS_PER_EVENT`]: all landslide cells up to half of that, stable cells
//! for the rest). Calibration ensembles go through the model cache like any other, so a
//! model folder keeps them too.

use super::conformal::{stratum_weights, CalibrationSet};
use super::ctx::Ctx;
use super::global_ensemble::{
    fit_ensemble, member_rows, model_key, seed_tag, stack_training, summarize_streamed,
    GlobalEvent, SeedMode,
};
use super::sampling::{mix_seed, rng, split_classes};
use super::uncertainty::{ScoredCells, Uncertainty};
use super::ExperimentError;
use rand::seq::SliceRandom;
use std::time::Instant;

/// Members of a calibration ensemble (its median is close to a larger ensemble's).
pub const CALIBRATION_MAX_MEMBERS: usize = 20;
/// Most calibration cells predicted per held-out past event.
pub const CALIBRATION_MAX_CELLS_PER_EVENT: usize = 40_000;

/// The uncertainty of one global step; `at` is (seed mode, the step model's seed, step).
#[allow(clippy::too_many_arguments)]
pub(super) fn loeo_uncertainty(
    target: &GlobalEvent,
    train: &[&GlobalEvent],
    names: &[String],
    per_event: &[Vec<String>],
    ctx: &Ctx,
    at: (SeedMode, u64, usize),
    scored: ScoredCells,
) -> Result<Uncertainty, ExperimentError> {
    let o = ctx.opts;
    let level = o.interval_level;
    if train.len() < 2 {
        return Ok(Uncertainty::unpublished(
            level,
            "none",
            format!(
                "only {} past event with an inventory: a global interval is calibrated by leaving one past event out, which needs two or more; no interval or probability published",
                train.len()
            ),
        ));
    }
    let t0 = Instant::now();
    let before = {
        let tm = ctx.timings.borrow();
        (tm.fitting_s, tm.prediction_s, tm.grid_search_s)
    };
    let set = calibration_set(target, train, names, per_event, ctx, at);
    {
        let mut tm = ctx.timings.borrow_mut();
        (tm.fitting_s, tm.prediction_s, tm.grid_search_s) = before;
        tm.calibration_s += t0.elapsed().as_secs_f64();
    }
    let set = set?;
    let members = o.ensemble_size.min(CALIBRATION_MAX_MEMBERS);
    let method = format!(
        "weighted split conformal, leaving one past event out ({} calibration ensembles of {members} members)",
        train.len()
    );
    Ok(Uncertainty::build(
        &set,
        level,
        o.auc_lad_threshold,
        scored,
        &method,
    ))
}

/// Out-of-event predictions of every past event's (sub)sampled mapped cells.
fn calibration_set(
    target: &GlobalEvent,
    train: &[&GlobalEvent],
    names: &[String],
    per_event: &[Vec<String>],
    ctx: &Ctx,
    (seeds, seed, step): (SeedMode, u64, usize),
) -> Result<CalibrationSet, ExperimentError> {
    let o = ctx.opts;
    let members = o.ensemble_size.min(CALIBRATION_MAX_MEMBERS);
    let name = target.name().to_string();
    let mut parts: Vec<CalibrationSet> = Vec::new();
    for (j, held) in train.iter().enumerate() {
        ctx.check()?;
        let others: Vec<&GlobalEvent> = train
            .iter()
            .enumerate()
            .filter(|(k, _)| *k != j)
            .map(|(_, e)| *e)
            .collect();
        let cols: Vec<Vec<String>> = per_event
            .iter()
            .enumerate()
            .filter(|(k, _)| *k != j)
            .map(|(_, c)| c.clone())
            .collect();
        let cal_seed = mix_seed(&[seed, j as u64, 12]);
        let key = model_key(target, &others, names, ctx, cal_seed, members);
        let cached = match ctx.cache {
            Some(cache) => cache.load(&key).map_err(|e| ExperimentError::ModelStore {
                message: e.to_string(),
            })?,
            None => None,
        };
        let ens = match cached {
            Some(ens) => ens,
            None => {
                let (x, y, pools) = stack_training(&others, &cols, ctx, &name, step)?;
                let tag = mix_seed(&[seed_tag(seeds), j as u64, 12]);
                let rows = member_rows(&pools, ctx, tag, members);
                fit_ensemble(&x, &y, &rows, &key, ctx, &name, step)?
            }
        };
        let cells = calibration_cells(held, o.sample_lad_threshold, cal_seed);
        let Some(held_cols) = per_event.get(j) else {
            continue;
        };
        let s = summarize_streamed(&ens, &held.table, held_cols, &cells, ctx, &name, step)?;
        let observed: Vec<f64> = cells.iter().map(|&c| held.table.target[c] as f64).collect();
        let mapped = held.table.mapped_cells();
        let share = split_classes(&held.table, &mapped, o.sample_lad_threshold)
            .0
            .len() as f64
            / mapped.len().max(1) as f64;
        let w = stratum_weights(&observed, o.sample_lad_threshold, share);
        let mut part = CalibrationSet::default();
        for (k, &y) in observed.iter().enumerate() {
            part.push(s.median[k], y, w[k], j);
        }
        parts.push(part);
    }
    // every past event carries the same total weight
    let total: usize = parts.iter().map(CalibrationSet::len).sum();
    let mut set = CalibrationSet::default();
    for p in &parts {
        let scale = total as f64 / (parts.len() as f64 * p.len().max(1) as f64);
        for k in 0..p.len() {
            set.push(
                p.predicted[k],
                p.observed[k],
                p.weight[k] * scale,
                p.fold[k],
            );
        }
    }
    Ok(set)
}

/// The mapped cells of a held-out past event to predict: all of them, or a stratified
/// subsample when there are more than [`CALIBRATION_MAX_CELLS_PER_EVENT`].
fn calibration_cells(ev: &GlobalEvent, threshold: f64, seed: u64) -> Vec<usize> {
    let mapped = ev.table.mapped_cells();
    if mapped.len() <= CALIBRATION_MAX_CELLS_PER_EVENT {
        return mapped;
    }
    let (mut ls, mut non) = split_classes(&ev.table, &mapped, threshold);
    let mut g = rng(seed);
    let n_ls = ls.len().min(CALIBRATION_MAX_CELLS_PER_EVENT / 2);
    let n_non = (CALIBRATION_MAX_CELLS_PER_EVENT - n_ls).min(non.len());
    ls.shuffle(&mut g);
    non.shuffle(&mut g);
    let mut cells: Vec<usize> = ls[..n_ls].iter().chain(&non[..n_non]).copied().collect();
    cells.sort_unstable();
    cells
}
