//! Global (leave-one-event-out) and SAR-only experiments: for each target event, an ensemble
//! of models, each trained on its own undersample of 1000 landslide + 1000 non-landslide
//! cells from every other event; the final map is the ensemble median with P5/P95/variance.

use super::evaluate::{baselines, metrics, roc_points};
use super::run::Ctx;
use super::sampling::{mix_seed, rng, split_classes};
use super::{
    design_matrix, ExperimentError, ExperimentKind, GroupImportance, MeanSd, StepMaps, StepResult,
};
use crate::coherence::{baseline_surfaces, ModelKind, Timeline};
use crate::features::{EventData, FeatureGroup, FeatureTable};
use crate::forest::{Ensemble, Matrix};
use rand::seq::SliceRandom;
use std::time::Instant;

/// The column of `table` playing the role of `name` from another event: the same name, or
/// the same sensor and ICF with another pass/track when the event has exactly one such
/// acquisition (e.g. `A2_asc_CECL` for `A2_desc_CECL`).
fn matching_column(table: &FeatureTable, name: &str) -> Option<String> {
    if table.column(name).is_some() {
        return Some(name.to_string());
    }
    let (sensor, rest) = name.split_once('_')?;
    let suffix = rest.split_once('_').map(|(_, s)| s)?;
    let cands: Vec<&str> = table
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .filter(|n| {
            n.starts_with(&format!("{sensor}_"))
                && n.split_once('_')
                    .and_then(|(_, r)| r.split_once('_'))
                    .is_some_and(|(_, s)| s == suffix)
        })
        .collect();
    (cands.len() == 1).then(|| cands[0].to_string())
}

/// Run the global or SAR-only experiment over all events.
pub(super) fn run(events: &[EventData], ctx: &Ctx) -> Result<Vec<StepResult>, ExperimentError> {
    let o = ctx.opts;
    if events.len() < 2 {
        return Err(ExperimentError::TooFewEvents {
            experiment: o.kind.name().into(),
            have: events.len(),
        });
    }
    let kind = if o.kind == ExperimentKind::SarOnly {
        ModelKind::SarOnly
    } else {
        ModelKind::Global
    };
    for e in events {
        if e.table.mapped_cells().is_empty() {
            return Err(ExperimentError::NoTruth { event: e.name().into(), message: "no mapped cell with a landslide inventory (needed to train and test a global model)".into() });
        }
        if kind == ModelKind::Global
            && !e
                .table
                .columns
                .iter()
                .any(|c| c.group == FeatureGroup::GroundFailure)
        {
            ctx.warn(format!(
                "{}: no ground-failure product in the project; the global model uses ICFs only",
                e.name()
            ));
        }
    }
    let total: usize = events
        .iter()
        .map(|e| Timeline::from_project(&e.project).steps.len())
        .sum();
    let mut done = 0usize;
    let mut out = Vec::new();
    for (ti, target) in events.iter().enumerate() {
        let name = target.name().to_string();
        let tl = Timeline::from_project(&target.project);
        let surfaces = baseline_surfaces(&target.table, &tl);
        let train_events: Vec<(usize, &EventData)> = events
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != ti)
            .collect();
        let pred_cells = target.table.valid_cells();
        let mut row_of = vec![usize::MAX; target.table.valid.len()];
        for (k, &i) in pred_cells.iter().enumerate() {
            row_of[i] = k;
        }
        let test = target.table.mapped_cells();
        for step in &tl.steps {
            (ctx.progress)(
                &format!("{} model for {name}: step {}", o.kind.name(), step.index),
                done as f64 / total.max(1) as f64,
            );
            done += 1;
            ctx.check()?;
            let wanted = tl.features_at(&target.table, step.index, kind);
            if wanted.is_empty() {
                ctx.warn(format!(
                    "{name}: step {} has no features for a {} model (no radar yet)",
                    step.index,
                    o.kind.name()
                ));
                continue;
            }
            // keep the features every training event can supply
            let mut names = Vec::new();
            let mut per_event: Vec<Vec<String>> = vec![Vec::new(); train_events.len()];
            for n in &wanted {
                let m: Option<Vec<String>> = train_events
                    .iter()
                    .map(|(_, e)| matching_column(&e.table, n))
                    .collect();
                match m {
                    Some(cols) => {
                        names.push(n.clone());
                        for (k, c) in cols.into_iter().enumerate() {
                            per_event[k].push(c);
                        }
                    }
                    None => ctx.warn(format!("{name}: feature {n} is missing from a training event and is left out of the global model")),
                }
            }
            if names.is_empty() {
                return Err(ExperimentError::NoCommonFeatures {
                    event: name.clone(),
                    step: step.index,
                    features: wanted.join(", "),
                });
            }
            // stacked training matrix and per-event class pools (row indices into it)
            let mut data = Vec::new();
            let mut y = Vec::new();
            let mut pools = Vec::new();
            for ((_, e), cols) in train_events.iter().zip(&per_event) {
                let cells = e.table.mapped_cells();
                let x = design_matrix(&e.table, cols, &cells)
                    .map_err(|err| ExperimentError::forest(&name, step.index, err))?;
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
                data.extend_from_slice(x.as_slice());
                y.extend(cells.iter().map(|&c| e.table.target[c] as f64));
                pools.push((ls, non));
            }
            let x_train = Matrix::new(y.len(), names.len(), data)
                .map_err(|e| ExperimentError::forest(&name, step.index, e))?;
            let row_sets: Vec<Vec<usize>> = (0..o.ensemble_size)
                .map(|m| {
                    let mut g = rng(mix_seed(&[o.seed, ti as u64, m as u64, 4]));
                    let mut rows = Vec::new();
                    for (ls, non) in &pools {
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
                .collect();
            let seed = mix_seed(&[o.seed, ti as u64, step.index as u64, 5]);
            let params = match row_sets.first() {
                Some(first) if o.grid_search => {
                    let x0 = x_train
                        .select_rows(first)
                        .map_err(|e| ExperimentError::forest(&name, step.index, e))?;
                    let y0: Vec<f64> = first.iter().map(|&r| y[r]).collect();
                    ctx.tuned_params(&x0, &y0, seed, &name, step.index)?
                        .map(|(p, _)| p)
                        .unwrap_or_else(|| o.forest.clone())
                }
                _ => match o.ensemble_member_trees {
                    Some(n) => o.forest.clone().with_n_estimators(n),
                    None => o.forest.clone(),
                },
            }
            .with_seed(seed);
            let t0 = Instant::now();
            let ens = Ensemble::fit(&x_train, &y, &row_sets, &params, ctx.cancel, &|_, _| {})
                .map_err(|e| ExperimentError::forest(&name, step.index, e))?;
            ctx.timings.borrow_mut().fitting_s += t0.elapsed().as_secs_f64();
            let t0 = Instant::now();
            let x_pred = design_matrix(&target.table, &names, &pred_cells)
                .map_err(|e| ExperimentError::forest(&name, step.index, e))?;
            let summary = ens
                .summarize(&x_pred, ctx.cancel)
                .map_err(|e| ExperimentError::forest(&name, step.index, e))?;
            ctx.timings.borrow_mut().prediction_s += t0.elapsed().as_secs_f64();
            let test_pred: Vec<f64> = test.iter().map(|&i| summary.median[row_of[i]]).collect();
            let (auc, r2, mae) = metrics(&target.table, &test, &test_pred, o.auc_lad_threshold);
            let mut imp = vec![0.0; names.len()];
            for m in ens.models() {
                imp.iter_mut()
                    .zip(m.feature_importances())
                    .for_each(|(a, b)| *a += b);
            }
            let nm = ens.models().len().max(1) as f64;
            imp.iter_mut().for_each(|v| *v /= nm);
            let importances = FeatureGroup::ALL
                .iter()
                .filter_map(|&g| {
                    let idx: Vec<usize> = names
                        .iter()
                        .enumerate()
                        .filter(|(_, n)| target.table.column(n).is_some_and(|c| c.group == g))
                        .map(|(k, _)| k)
                        .collect();
                    (!idx.is_empty()).then(|| GroupImportance {
                        group: g,
                        importance: idx.iter().map(|&k| imp[k]).sum(),
                    })
                })
                .collect();
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
            let res = StepResult {
                event: name.clone(),
                step: step.index,
                date: step.date,
                days_after_event: step.days_after_event,
                sensor: step.sensors_label(),
                features_added: step.added.iter().map(|f| f.name.clone()).collect(),
                n_features: names.len(),
                training_extent: 1.0,
                auc: MeanSd::of(&[auc]),
                r2: MeanSd::of(&[r2]),
                mae: MeanSd::of(&[mae]),
                roc: roc_points(&target.table, &test, &test_pred, o.auc_lad_threshold),
                importances,
                baselines: baselines(
                    &target.table,
                    &surfaces,
                    step.index,
                    &test,
                    o.auc_lad_threshold,
                ),
                n_train: row_sets.first().map_or(0, Vec::len),
                n_test: test.len(),
                maps,
            };
            (ctx.on_step)(&res);
            out.push(res);
        }
    }
    Ok(out)
}
