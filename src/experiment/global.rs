//! Global (leave-one-event-out) and SAR-only experiments, and the global model of a new
//! event: for each target event, an ensemble of models per timeline step, each trained on
//! its own undersample of 1000 landslide + 1000 non-landslide cells from every training
//! event; the final map is the ensemble median with the model spread (P5/P95, variance).
//!
//! Events without an inventory are never training events; as targets they get maps and no
//! score ("no inventory: not scored"). Features are matched by meaning
//! ([`super::feature_match`]); prediction streams over the target's cells in chunks.

use super::ctx::Ctx;
use super::evaluate::{baselines, metrics, roc_points, threshold_for_tpr};
use super::feature_match::{match_features, meaning_of};
use super::model_cache::ModelKey;
use super::options::{GlobalFeatureSet, GroundFailureTransform};
use super::sampling::{mix_seed, rng, split_classes};
use super::validation::{count_landslides, Validation, ValidationKind};
use super::{
    design_matrix, ExperimentError, ExperimentKind, GroupImportance, MeanSd, StepMaps, StepResult,
};
use crate::coherence::{baseline_surfaces, ModelKind, Step, Timeline};
use crate::features::{FeatureGroup, FeatureTable};
use crate::forest::{Ensemble, EnsembleSummary, Matrix};
use crate::pipeline::EventData;
use rand::seq::SliceRandom;
use std::borrow::Cow;
use std::time::Instant;

/// Cells predicted per chunk (the design matrix of one chunk is all that is held).
const PREDICT_CELLS_PER_CHUNK: usize = 65_536;

/// How seeds are derived: per target index (leave-one-event-out runs, as before), or from
/// the feature set (predicting a new event: a step's models do not depend on its index, so
/// saved models are reused when a later acquisition arrives).
#[derive(Debug, Clone, Copy)]
pub(crate) enum SeedMode {
    /// Leave-one-event-out target index.
    Loeo(usize),
    /// A new event.
    NewEvent,
}

/// One event as a global model sees it: its data and its (possibly transformed) table.
pub(crate) struct GlobalEvent<'a> {
    /// The event.
    pub data: &'a EventData,
    /// Its feature table, the ground-failure product rank-transformed when asked.
    pub table: Cow<'a, FeatureTable>,
}

impl<'a> GlobalEvent<'a> {
    /// Prepare `ev` for `transform`.
    pub fn new(ev: &'a EventData, transform: GroundFailureTransform) -> Self {
        let table = match transform {
            GroundFailureTransform::None => Cow::Borrowed(&ev.table),
            GroundFailureTransform::Rank => Cow::Owned(rank_ground_failure(&ev.table)),
        };
        GlobalEvent { data: ev, table }
    }
    fn name(&self) -> &str {
        self.data.name()
    }
}

/// The table with each ground-failure column replaced by its rank among the valid cells,
/// scaled to [0, 1] (ties share their mean rank; NaN stays NaN).
pub fn rank_ground_failure(table: &FeatureTable) -> FeatureTable {
    let mut t = table.clone();
    for c in t
        .columns
        .iter_mut()
        .filter(|c| c.group == FeatureGroup::GroundFailure)
    {
        let mut idx: Vec<usize> = (0..c.values.len())
            .filter(|&i| table.valid[i] && c.values[i].is_finite())
            .collect();
        idx.sort_by(|&a, &b| c.values[a].total_cmp(&c.values[b]));
        let n = idx.len();
        let mut ranked = vec![f32::NAN; c.values.len()];
        let mut k = 0;
        while k < n {
            let mut j = k;
            while j + 1 < n && c.values[idx[j + 1]] == c.values[idx[k]] {
                j += 1;
            }
            let r = if n > 1 {
                ((k + j) as f64 / 2.0) / (n - 1) as f64
            } else {
                0.5
            };
            for &i in &idx[k..=j] {
                ranked[i] = r as f32;
            }
            k = j + 1;
        }
        c.values = ranked;
        c.unit = "rank (0-1)".into();
    }
    t
}

/// Run the global or SAR-only experiment over all events (leave-one-event-out).
pub(super) fn run(events: &[EventData], ctx: &Ctx) -> Result<Vec<StepResult>, ExperimentError> {
    let o = ctx.opts;
    if events.len() < 2 {
        return Err(ExperimentError::TooFewEvents {
            experiment: o.kind.name().into(),
            have: events.len(),
        });
    }
    let prepared: Vec<GlobalEvent> = events
        .iter()
        .map(|e| GlobalEvent::new(e, o.gf_transform))
        .collect();
    for e in events {
        if e.table.mapped_cells().is_empty() {
            ctx.warn(format!("{}: no inventory: its maps are not scored and it does not train the other events' models", e.name()));
        }
    }
    let total: usize = events
        .iter()
        .map(|e| super::timeline_of(e, o).steps.len())
        .sum();
    let mut out = Vec::new();
    let mut done = 0;
    for (ti, target) in prepared.iter().enumerate() {
        let train: Vec<&GlobalEvent> = prepared
            .iter()
            .enumerate()
            .filter(|(i, e)| *i != ti && !e.data.table.mapped_cells().is_empty())
            .map(|(_, e)| e)
            .collect();
        out.extend(for_target(
            target,
            &train,
            ctx,
            SeedMode::Loeo(ti),
            (done, total),
        )?);
        done += super::timeline_of(target.data, o).steps.len();
    }
    Ok(out)
}

/// Every timeline step of `target` with ensembles trained on `train`; `progress` is (steps
/// done before, total steps) for the progress fraction.
pub(crate) fn for_target(
    target: &GlobalEvent,
    train: &[&GlobalEvent],
    ctx: &Ctx,
    seeds: SeedMode,
    progress: (usize, usize),
) -> Result<Vec<StepResult>, ExperimentError> {
    let o = ctx.opts;
    let name = target.name().to_string();
    if train.is_empty() {
        return Err(ExperimentError::NoTruth {
            event: name,
            message: "no training event with a landslide inventory: a global model needs at least one past event with mapped landslides".into(),
        });
    }
    if o.kind == ExperimentKind::Global
        && !target
            .table
            .columns
            .iter()
            .any(|c| c.group == FeatureGroup::GroundFailure)
    {
        ctx.warn(format!(
            "{name}: no ground-failure product in the project; the global model uses ICFs only"
        ));
    }
    let tl = super::timeline_of(target.data, o);
    let mut out = Vec::new();
    let first = if o.latest_only {
        tl.steps.len().saturating_sub(1)
    } else {
        0
    };
    for (k, step) in tl.steps.iter().enumerate().skip(first) {
        (ctx.progress)(
            &format!("{} model for {name}: step {}", o.kind.name(), step.index),
            (progress.0 + k) as f64 / progress.1.max(1) as f64,
        );
        ctx.check()?;
        if let Some(res) = global_step(target, train, &tl, step, ctx, seeds)? {
            (ctx.on_step)(&res);
            out.push(res);
        }
    }
    Ok(out)
}

/// The features a global model of `target` wants at `step`: the paper's Table 1 (ground
/// failure + ICFs; SAR-only: ICFs), plus terrain and PGV with the extended set.
fn wanted_features(
    target: &GlobalEvent,
    tl: &Timeline,
    step: usize,
    kind: ExperimentKind,
    set: GlobalFeatureSet,
) -> Vec<String> {
    let model = if kind == ExperimentKind::SarOnly {
        ModelKind::SarOnly
    } else {
        ModelKind::Global
    };
    let mut wanted = Vec::new();
    if model == ModelKind::Global && set == GlobalFeatureSet::Extended {
        wanted.extend(
            target
                .table
                .columns
                .iter()
                .filter(|c| matches!(c.group, FeatureGroup::Topography | FeatureGroup::Pgv))
                .map(|c| c.name.clone()),
        );
    }
    wanted.extend(tl.features_at(&target.table, step, model));
    wanted
}

/// The stacked training matrix of every training event and each event's (landslide,
/// non-landslide) row pools.
#[allow(clippy::type_complexity)]
fn stack_training(
    train: &[&GlobalEvent],
    per_event: &[Vec<String>],
    ctx: &Ctx,
    name: &str,
    step: usize,
) -> Result<(Matrix, Vec<f64>, Vec<(Vec<usize>, Vec<usize>)>), ExperimentError> {
    let o = ctx.opts;
    let mut data = Vec::new();
    let mut y = Vec::new();
    let mut pools = Vec::new();
    for (e, cols) in train.iter().zip(per_event) {
        let cells = e.table.mapped_cells();
        let x = design_matrix(&e.table, cols, &cells)
            .map_err(|err| ExperimentError::forest(name, step, err))?;
        let base = y.len();
        let (ls, non) = split_classes(&e.table, &cells, o.sample_lad_threshold);
        let index: std::collections::HashMap<usize, usize> = cells
            .iter()
            .enumerate()
            .map(|(k, &c)| (c, base + k))
            .collect();
        let ls: Vec<usize> = ls.iter().map(|c| index[c]).collect();
        let non: Vec<usize> = non.iter().map(|c| index[c]).collect();
        if ls.len() < o.global_per_class || non.len() < o.global_per_class {
            ctx.warn(format!("{}: only {} landslide / {} non-landslide cells for the {} per class a global model draws; all are used", e.name(), ls.len(), non.len(), o.global_per_class));
        }
        if ls.is_empty() {
            return Err(ExperimentError::TooFewCells {
                event: e.name().to_string(),
                class: format!("landslide (LAD > {})", o.sample_lad_threshold),
                have: 0,
                need: 1,
            });
        }
        data.extend_from_slice(x.as_slice());
        y.extend(cells.iter().map(|&c| e.table.target[c] as f64));
        pools.push((ls, non));
    }
    let cols = per_event.first().map_or(0, Vec::len);
    let x = Matrix::new(y.len(), cols, data).map_err(|e| ExperimentError::forest(name, step, e))?;
    Ok((x, y, pools))
}

/// Rows of one member's undersample: up to `global_per_class` cells of each class from each
/// training event (what [`member_rows`] draws).
fn training_rows(train: &[&GlobalEvent], o: &super::ExperimentOptions) -> usize {
    train
        .iter()
        .map(|e| {
            let (ls, non) =
                split_classes(&e.table, &e.table.mapped_cells(), o.sample_lad_threshold);
            ls.len().min(o.global_per_class) + non.len().min(o.global_per_class)
        })
        .sum()
}

/// One undersample per ensemble member.
fn member_rows(pools: &[(Vec<usize>, Vec<usize>)], ctx: &Ctx, seeds: SeedMode) -> Vec<Vec<usize>> {
    let o = ctx.opts;
    let tag = match seeds {
        SeedMode::Loeo(ti) => ti as u64,
        SeedMode::NewEvent => u64::MAX,
    };
    (0..o.ensemble_size)
        .map(|m| {
            let mut g = rng(mix_seed(&[o.seed, tag, m as u64, 4]));
            let mut rows = Vec::new();
            for (ls, non) in pools {
                for pool in [ls, non] {
                    let mut p = pool.clone();
                    let k = o.global_per_class.min(p.len());
                    let (c, _) = p.partial_shuffle(&mut g, k);
                    rows.extend_from_slice(c);
                }
            }
            rows.shuffle(&mut g);
            rows
        })
        .collect()
}

/// The model key of a step (features by meaning, training events, settings, seed).
fn model_key(
    target: &GlobalEvent,
    train: &[&GlobalEvent],
    names: &[String],
    ctx: &Ctx,
    seed: u64,
) -> ModelKey {
    let o = ctx.opts;
    let forest = o.forest.clone().with_seed(0);
    ModelKey {
        features: names
            .iter()
            .map(|n| meaning_of(target.data, n).map_or_else(|| n.clone(), |m| m.label()))
            .collect(),
        training_events: train.iter().map(|e| e.name().to_string()).collect(),
        settings: format!(
            "kind {}; {} models; {} cells per class; LAD > {} is a landslide; member trees {:?}; forest {:?}; grid search {} ({} folds, {:?}); features {}; ground failure {}",
            o.kind.name(),
            o.ensemble_size,
            o.global_per_class,
            o.sample_lad_threshold,
            o.ensemble_member_trees,
            forest,
            o.grid_search,
            o.folds,
            o.grid,
            o.global_features.name(),
            o.gf_transform.name()
        ),
        seed,
    }
}

/// Fit the ensemble of a step (after optional grid search on the first undersample) and
/// hand it to the cache, if any.
#[allow(clippy::too_many_arguments)]
fn fit_ensemble(
    x: &Matrix,
    y: &[f64],
    row_sets: &[Vec<usize>],
    key: &ModelKey,
    ctx: &Ctx,
    name: &str,
    step: usize,
) -> Result<Ensemble, ExperimentError> {
    let o = ctx.opts;
    let params = match row_sets.first() {
        Some(first) if o.grid_search => {
            let x0 = x
                .select_rows(first)
                .map_err(|e| ExperimentError::forest(name, step, e))?;
            let y0: Vec<f64> = first.iter().map(|&r| y[r]).collect();
            ctx.tuned_params(&x0, &y0, key.seed, name, step)?
                .map(|(p, _)| p)
                .unwrap_or_else(|| o.forest.clone())
        }
        _ => match o.ensemble_member_trees {
            Some(n) => o.forest.clone().with_n_estimators(n),
            None => o.forest.clone(),
        },
    }
    .with_seed(key.seed);
    let t0 = Instant::now();
    let ens = Ensemble::fit(x, y, row_sets, &params, ctx.cancel, &|_, _| {})
        .map_err(|e| ExperimentError::forest(name, step, e))?;
    ctx.timings.borrow_mut().fitting_s += t0.elapsed().as_secs_f64();
    if let Some(cache) = ctx.cache {
        cache
            .save(key, &ens)
            .map_err(|e| ExperimentError::ModelStore {
                message: e.to_string(),
            })?;
    }
    Ok(ens)
}

/// Ensemble summary over `cells` of `table`, streamed in chunks.
pub(crate) fn summarize_streamed(
    ens: &Ensemble,
    table: &FeatureTable,
    names: &[String],
    cells: &[usize],
    ctx: &Ctx,
    event: &str,
    step: usize,
) -> Result<EnsembleSummary, ExperimentError> {
    let mut s = EnsembleSummary::default();
    for chunk in cells.chunks(PREDICT_CELLS_PER_CHUNK) {
        ctx.check()?;
        let x = design_matrix(table, names, chunk)
            .map_err(|e| ExperimentError::forest(event, step, e))?;
        let part = ens
            .summarize(&x, ctx.cancel)
            .map_err(|e| ExperimentError::forest(event, step, e))?;
        s.median.extend(part.median);
        s.p05.extend(part.p05);
        s.p95.extend(part.p95);
        s.variance.extend(part.variance);
    }
    Ok(s)
}

/// Mean importances of the members, grouped by data source.
fn grouped_importances(
    ens: &Ensemble,
    names: &[String],
    table: &FeatureTable,
) -> Vec<GroupImportance> {
    let mut imp = vec![0.0; names.len()];
    for m in ens.models() {
        imp.iter_mut()
            .zip(m.feature_importances())
            .for_each(|(a, b)| *a += b);
    }
    let nm = ens.models().len().max(1) as f64;
    imp.iter_mut().for_each(|v| *v /= nm);
    super::evaluate::group_importances(table, names, &imp)
}

/// One step of one target: features, ensemble, maps, metrics. `None` when the step has no
/// feature for this model (SAR-only at step 0).
fn global_step(
    target: &GlobalEvent,
    train: &[&GlobalEvent],
    tl: &Timeline,
    step: &Step,
    ctx: &Ctx,
    seeds: SeedMode,
) -> Result<Option<StepResult>, ExperimentError> {
    let o = ctx.opts;
    let name = target.name().to_string();
    let wanted = wanted_features(target, tl, step.index, o.kind, o.global_features);
    if wanted.is_empty() {
        ctx.warn(format!(
            "{name}: step {} has no features for a {} model (no radar yet)",
            step.index,
            o.kind.name()
        ));
        return Ok(None);
    }
    let train_data: Vec<&EventData> = train.iter().map(|e| e.data).collect();
    let (names, per_event, notes) = match_features(target.data, &wanted, &train_data);
    notes.into_iter().for_each(|n| ctx.warn(n));
    let (names, per_event) = match seeds {
        SeedMode::NewEvent => canonical_order(target, names, per_event),
        SeedMode::Loeo(_) => (names, per_event),
    };
    if names.is_empty() {
        return Err(ExperimentError::NoCommonFeatures {
            event: name,
            step: step.index,
            features: wanted.join(", "),
        });
    }
    let seed = match seeds {
        SeedMode::Loeo(ti) => mix_seed(&[o.seed, ti as u64, step.index as u64, 5]),
        SeedMode::NewEvent => {
            let mut parts = vec![o.seed, 5];
            parts.extend(names.iter().map(|n| {
                fnv(&meaning_of(target.data, n).map_or_else(|| n.clone(), |m| m.label()))
            }));
            mix_seed(&parts)
        }
    };
    let key = model_key(target, train, &names, ctx, seed);
    let cached = match ctx.cache {
        Some(cache) => cache.load(&key).map_err(|e| ExperimentError::ModelStore {
            message: e.to_string(),
        })?,
        None => None,
    };
    // a saved model needs no training matrix: only its size is reported
    let (ens, n_train) = match cached {
        Some(ens) => (ens, training_rows(train, o)),
        None => {
            let (x_train, y, pools) = stack_training(train, &per_event, ctx, &name, step.index)?;
            let row_sets = member_rows(&pools, ctx, seeds);
            let ens = fit_ensemble(&x_train, &y, &row_sets, &key, ctx, &name, step.index)?;
            (ens, row_sets.first().map_or(0, Vec::len))
        }
    };
    let t0 = Instant::now();
    let pred_cells = target.table.valid_cells();
    let summary = summarize_streamed(
        &ens,
        &target.table,
        &names,
        &pred_cells,
        ctx,
        &name,
        step.index,
    )?;
    ctx.timings.borrow_mut().prediction_s += t0.elapsed().as_secs_f64();
    let mut row_of = vec![usize::MAX; target.table.valid.len()];
    for (k, &i) in pred_cells.iter().enumerate() {
        row_of[i] = k;
    }
    let test = target.table.mapped_cells();
    let validation = if test.is_empty() {
        Validation::none("no inventory: not scored")
    } else {
        Validation::scored(
            ValidationKind::IndependentTest,
            test.len(),
            count_landslides(&target.table, &test, o.auc_lad_threshold),
            0,
        )
    };
    let test_pred: Vec<f64> = test.iter().map(|&i| summary.median[row_of[i]]).collect();
    let (auc, r2, mae) = metrics(&target.table, &test, &test_pred, o.auc_lad_threshold);
    let to_map = |v: &[f64]| {
        let mut m = vec![f32::NAN; target.table.valid.len()];
        for (k, &i) in pred_cells.iter().enumerate() {
            m[i] = v[k] as f32;
        }
        m
    };
    let maps = o.keep_maps.then(|| StepMaps {
        predicted: to_map(&summary.median),
        p5: Some(to_map(&summary.p05)),
        p95: Some(to_map(&summary.p95)),
        variance: Some(to_map(&summary.variance)),
    });
    let surfaces = baseline_surfaces(&target.data.table, tl);
    let scored = |v: f64| if test.is_empty() { Vec::new() } else { vec![v] };
    Ok(Some(StepResult {
        event: name,
        step: step.index,
        date: step.date,
        days_after_event: step.days_after_event,
        sensor: step.sensors_label(),
        features_added: step.added.iter().map(|f| f.name.clone()).collect(),
        n_features: names.len(),
        training_extent: 1.0,
        auc: MeanSd::of(&scored(auc)),
        r2: MeanSd::of(&scored(r2)),
        mae: MeanSd::of(&scored(mae)),
        roc: roc_points(&target.table, &test, &test_pred, o.auc_lad_threshold),
        importances: grouped_importances(&ens, &names, &target.table),
        baselines: baselines(
            &target.data.table,
            &surfaces,
            step.index,
            &test,
            o.auc_lad_threshold,
        ),
        n_train,
        n_test: test.len(),
        maps,
        likely_threshold: threshold_for_tpr(
            &target.table,
            &test,
            &test_pred,
            o.auc_lad_threshold,
            o.mask_tpr,
        ),
        validation,
    }))
}

/// Columns in a canonical order: static features by name, then radar features by meaning,
/// so the same feature set gives the same model whatever order the acquisitions arrived in
/// (and saved models are found again).
fn canonical_order(
    target: &GlobalEvent,
    names: Vec<String>,
    per_event: Vec<Vec<String>>,
) -> (Vec<String>, Vec<Vec<String>>) {
    let key = |n: &String| match meaning_of(target.data, n) {
        Some(m) => (1, m.label()),
        None => (0, n.clone()),
    };
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by_key(|&k| key(&names[k]));
    let names2 = order.iter().map(|&k| names[k].clone()).collect();
    let per2 = per_event
        .iter()
        .map(|cols| order.iter().map(|&k| cols[k].clone()).collect())
        .collect();
    (names2, per2)
}

/// FNV-1a 64 of a string (seed parts from feature names).
fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::FeatureColumn;
    use crate::grid::GridSpec;

    #[test]
    fn the_rank_transform_maps_each_event_to_zero_one_with_shared_ranks_for_ties() {
        let spec = GridSpec::new(5, 1, 0.0, 1.0, 1.0, 1.0, String::new()).unwrap();
        let t = FeatureTable {
            coarse: spec,
            columns: vec![FeatureColumn {
                name: "usgs_ground_failure".into(),
                group: FeatureGroup::GroundFailure,
                unit: "".into(),
                values: vec![0.5, 0.001, f32::NAN, 0.001, 0.2],
                available_on: None,
            }],
            valid: vec![true, true, true, true, false],
            target: vec![f32::NAN; 5],
            target_name: "LAD".into(),
        };
        let r = rank_ground_failure(&t);
        let v = &r.columns[0].values;
        assert_eq!(v[1], 0.25);
        assert_eq!(v[3], 0.25);
        assert_eq!(v[0], 1.0);
        assert!(v[2].is_nan() && v[4].is_nan());
    }
}
