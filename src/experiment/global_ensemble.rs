//! The global ensembles: one event as a global model sees it (its ground-failure product
//! optionally rank-transformed), the stacked training rows of the training events, each
//! member's undersample, the model keys and seeds, fitting an ensemble and predicting it
//! streamed over a target's cells.

use super::ctx::Ctx;
use super::feature_match::meaning_of;
use super::model_cache::ModelKey;
use super::options::GroundFailureTransform;
use super::sampling::{mix_seed, rng, split_classes};
use super::{design_matrix, ExperimentError};
use crate::features::{FeatureGroup, FeatureTable};
use crate::forest::{Ensemble, EnsembleSummary, Matrix};
use crate::pipeline::EventData;
use rand::seq::SliceRandom;
use std::borrow::Cow;
use std::time::Instant;

/// Cells predicted per chunk (the design matrix of one chunk is all that is held).
pub(super) const PREDICT_CELLS_PER_CHUNK: usize = 65_536;

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
    pub(super) fn name(&self) -> &str {
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

/// The stacked training matrix of every training event and each event's (landslide,
/// non-landslide) row pools.
#[allow(clippy::type_complexity)]
pub(super) fn stack_training(
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
pub(super) fn training_rows(train: &[&GlobalEvent], o: &super::ExperimentOptions) -> usize {
    train
        .iter()
        .map(|e| {
            let (ls, non) =
                split_classes(&e.table, &e.table.mapped_cells(), o.sample_lad_threshold);
            ls.len().min(o.global_per_class) + non.len().min(o.global_per_class)
        })
        .sum()
}

/// The seed tag of a target (leave-one-event-out index, or a new event).
pub(super) fn seed_tag(seeds: SeedMode) -> u64 {
    match seeds {
        SeedMode::Loeo(ti) => ti as u64,
        SeedMode::NewEvent => u64::MAX,
    }
}

/// One undersample per ensemble member (`n_members` of them, seeded by `tag`).
pub(super) fn member_rows(
    pools: &[(Vec<usize>, Vec<usize>)],
    ctx: &Ctx,
    tag: u64,
    n_members: usize,
) -> Vec<Vec<usize>> {
    let o = ctx.opts;
    (0..n_members)
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

/// The model key of a step (features by meaning, training events, settings with the
/// ensemble's `n_members`, seed).
pub(super) fn model_key(
    target: &GlobalEvent,
    train: &[&GlobalEvent],
    names: &[String],
    ctx: &Ctx,
    seed: u64,
    n_members: usize,
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
            n_members,
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
pub(super) fn fit_ensemble(
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

/// Columns in a canonical order: static features by name, then radar features by meaning,
/// so the same feature set gives the same model whatever order the acquisitions arrived in
/// (and saved models are found again).
pub(super) fn canonical_order(
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
pub(super) fn fnv(s: &str) -> u64 {
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
