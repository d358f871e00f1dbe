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
use super::global_calibration::loeo_uncertainty;
use super::global_ensemble::{
    canonical_order, fit_ensemble, fnv, member_rows, model_key, seed_tag, stack_training,
    summarize_streamed, training_rows, GlobalEvent, SeedMode,
};
use super::options::GlobalFeatureSet;
use super::sampling::mix_seed;
use super::uncertainty::ScoredCells;
use super::validation::{count_landslides, Validation, ValidationKind};
use super::{ExperimentError, ExperimentKind, GroupImportance, MeanSd, StepMaps, StepResult};
use crate::coherence::{baseline_surfaces, ModelKind, Step, Timeline};
use crate::features::{FeatureGroup, FeatureTable};
use crate::forest::{Ensemble, EnsembleSummary};
use crate::pipeline::EventData;
use std::time::Instant;

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
    let Some((names, per_event)) = step_features(target, train, tl, step.index, ctx, seeds)? else {
        return Ok(None);
    };
    let seed = step_seed(target, &names, seeds, o.seed, step.index);
    let (ens, n_train) = step_ensemble(
        target,
        train,
        (&names, &per_event),
        ctx,
        seeds,
        seed,
        step.index,
    )?;
    let (summary, pred_cells, row_of) = predict_target(&ens, target, &names, ctx, step.index)?;
    let test = target.table.mapped_cells();
    let validation = independent_validation(&target.table, &test, o.auc_lad_threshold);
    let test_pred: Vec<f64> = test.iter().map(|&i| summary.median[row_of[i]]).collect();
    let (auc, r2, mae) = metrics(&target.table, &test, &test_pred, o.auc_lad_threshold);
    let scored = scored_cells(&target.table, &test, &test_pred, &summary, &row_of);
    let uncertainty = loeo_uncertainty(
        target,
        train,
        &names,
        &per_event,
        ctx,
        (seeds, seed, step.index),
        scored,
    )?;
    let maps = o.keep_maps.then(|| {
        ensemble_maps(target.table.valid.len(), &pred_cells, &summary)
            .with_uncertainty(&uncertainty)
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
        uncertainty: Some(uncertainty),
    }))
}

/// A global model's feature names on the target, and the matching names per training event.
type MatchedFeatures = (Vec<String>, Vec<Vec<String>>);

/// The features of a global model at `step`, matched by meaning on every training event
/// (canonical order for a new event); `None` (with a warning) when the step has none.
fn step_features(
    target: &GlobalEvent,
    train: &[&GlobalEvent],
    tl: &Timeline,
    step: usize,
    ctx: &Ctx,
    seeds: SeedMode,
) -> Result<Option<MatchedFeatures>, ExperimentError> {
    let o = ctx.opts;
    let name = target.name();
    let wanted = wanted_features(target, tl, step, o.kind, o.global_features);
    if wanted.is_empty() {
        ctx.warn(format!(
            "{name}: step {step} has no features for a {} model (no radar yet)",
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
            event: name.to_string(),
            step,
            features: wanted.join(", "),
        });
    }
    Ok(Some((names, per_event)))
}

/// The step's seed: by target index in leave-one-event-out runs, from the features'
/// meanings for a new event (so a saved model is found whatever the arrival order).
fn step_seed(
    target: &GlobalEvent,
    names: &[String],
    seeds: SeedMode,
    base_seed: u64,
    step: usize,
) -> u64 {
    match seeds {
        SeedMode::Loeo(ti) => mix_seed(&[base_seed, ti as u64, step as u64, 5]),
        SeedMode::NewEvent => {
            let mut parts = vec![base_seed, 5];
            parts.extend(names.iter().map(|n| {
                fnv(&meaning_of(target.data, n).map_or_else(|| n.clone(), |m| m.label()))
            }));
            mix_seed(&parts)
        }
    }
}

/// The step's ensemble, from the cache when saved (a saved model needs no training matrix:
/// only its size is reported), else fitted; and the training rows per member.
fn step_ensemble(
    target: &GlobalEvent,
    train: &[&GlobalEvent],
    (names, per_event): (&[String], &[Vec<String>]),
    ctx: &Ctx,
    seeds: SeedMode,
    seed: u64,
    step: usize,
) -> Result<(Ensemble, usize), ExperimentError> {
    let o = ctx.opts;
    let name = target.name();
    let key = model_key(target, train, names, ctx, seed, o.ensemble_size);
    let cached = match ctx.cache {
        Some(cache) => cache.load(&key).map_err(|e| ExperimentError::ModelStore {
            message: e.to_string(),
        })?,
        None => None,
    };
    Ok(match cached {
        Some(ens) => (ens, training_rows(train, o)),
        None => {
            let (x_train, y, pools) = stack_training(train, per_event, ctx, name, step)?;
            let row_sets = member_rows(&pools, ctx, seed_tag(seeds), o.ensemble_size);
            let ens = fit_ensemble(&x_train, &y, &row_sets, &key, ctx, name, step)?;
            (ens, row_sets.first().map_or(0, Vec::len))
        }
    })
}

/// How a global step is scored: on every mapped cell of the target (never a training
/// event), or not at all when it has no inventory.
fn independent_validation(
    table: &FeatureTable,
    test: &[usize],
    auc_lad_threshold: f64,
) -> Validation {
    if test.is_empty() {
        Validation::none("no inventory: not scored")
    } else {
        Validation::scored(
            ValidationKind::IndependentTest,
            test.len(),
            count_landslides(table, test, auc_lad_threshold),
            0,
        )
    }
}

/// The scored cells with their median prediction, truth and model spread, for the
/// uncertainty's coverage figures.
fn scored_cells(
    table: &FeatureTable,
    test: &[usize],
    test_pred: &[f64],
    summary: &EnsembleSummary,
    row_of: &[usize],
) -> ScoredCells {
    if test.is_empty() {
        return ScoredCells::None;
    }
    ScoredCells::Test {
        predicted: test_pred.to_vec(),
        observed: test.iter().map(|&i| table.target[i] as f64).collect(),
        spread: Some((
            test.iter().map(|&i| summary.p05[row_of[i]]).collect(),
            test.iter().map(|&i| summary.p95[row_of[i]]).collect(),
        )),
    }
}

/// The ensemble's median, model spread (P5/P95) and variance as maps of the grid.
fn ensemble_maps(n_cells: usize, pred_cells: &[usize], summary: &EnsembleSummary) -> StepMaps {
    let to_map = |v: &[f64]| {
        let mut m = vec![f32::NAN; n_cells];
        for (k, &i) in pred_cells.iter().enumerate() {
            m[i] = v[k] as f32;
        }
        m
    };
    StepMaps {
        predicted: to_map(&summary.median),
        p5: Some(to_map(&summary.p05)),
        p95: Some(to_map(&summary.p95)),
        variance: Some(to_map(&summary.variance)),
        interval_lo: None,
        interval_hi: None,
        p_landslide: None,
    }
}

/// The ensemble's summary over every valid cell of the target (streamed), the cells, and
/// each cell's row in the summary.
fn predict_target(
    ens: &Ensemble,
    target: &GlobalEvent,
    names: &[String],
    ctx: &Ctx,
    step: usize,
) -> Result<(EnsembleSummary, Vec<usize>, Vec<usize>), ExperimentError> {
    let t0 = Instant::now();
    let pred_cells = target.table.valid_cells();
    let summary = summarize_streamed(
        ens,
        &target.table,
        names,
        &pred_cells,
        ctx,
        target.name(),
        step,
    )?;
    ctx.timings.borrow_mut().prediction_s += t0.elapsed().as_secs_f64();
    let mut row_of = vec![usize::MAX; target.table.valid.len()];
    for (k, &i) in pred_cells.iter().enumerate() {
        row_of[i] = k;
    }
    Ok((summary, pred_cells, row_of))
}
