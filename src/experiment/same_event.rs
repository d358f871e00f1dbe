//! Same-event experiments: random balanced samples, user polygons or every mapped cell, and
//! the spatial hold-out (a central test box, training extents halved repeatedly).
//!
//! Validation ([`super::validation`]): the random-cells protocol keeps the paper's test cells
//! (named `random-cells`, optimistic); the hold-out's test box drops the cells within the
//! buffer of each extent's training cells; a model trained on polygons or on every mapped
//! cell is scored on independent mapped cells when there are enough, else by spatial
//! cross-validation inside its training pool, and then on the repeats' averaged predictions
//! (the map the user gets) rather than per repeat.

use super::ctx::Ctx;
use super::evaluate::{baselines, group_importances, metrics, roc_points, threshold_for_tpr};
use super::sampling::{cells_in_polygons, draw, mix_seed, rng, split_classes};
use super::validation::{
    count_landslides, independent_cells, independent_is_enough, spatial_folds, Validation,
    ValidationKind,
};
use super::{
    design_matrix, ExperimentError, ExperimentKind, MeanSd, StepMaps, StepResult, TrainingSource,
};
use crate::coherence::{baseline_surfaces, ModelKind};
use crate::features::FeatureTable;
use crate::pipeline::EventData;
use rand::seq::SliceRandom;

/// The samples of one training extent and how their scores are validated.
struct Plan {
    extent: f64,
    samples: Vec<Sample>,
    validation: Validation,
    /// Score the repeats' averaged predictions (the map the user gets) once, instead of
    /// each repeat's own predictions (the paper's protocols keep their mean ± sd).
    score_mean: bool,
    /// Calibration of the interval and probability ([`super::calibration`]).
    cal: CalPlan,
}

use super::calibration::{calibration_plan, step_uncertainty, CalPlan, CalRule};
use super::same_event_sample::{balanced_draws, repeat_scores, Sample, StepDesign};

fn random_samples(
    t: &FeatureTable,
    name: &str,
    pool: &[usize],
    test_pool: &[usize],
    ctx: &Ctx,
    ev_idx: usize,
    extent: usize,
) -> Result<Vec<Sample>, ExperimentError> {
    let o = ctx.opts;
    let (ls, non) = split_classes(t, pool, o.sample_lad_threshold);
    let (n_ls, n_non) = if o.kind == ExperimentKind::Holdout {
        // the paper's section 4.2: every landslide cell of the training extent and as many
        // non-landslide cells (the larger class undersampled to balance)
        let n = ls.len().min(non.len());
        if n < 10 {
            return Err(ExperimentError::TooFewHoldoutCells {
                event: name.into(),
                extent,
                landslide: ls.len(),
                non_landslide: non.len(),
                threshold: o.sample_lad_threshold,
                need: 10,
            });
        }
        if ls.len() > non.len() {
            ctx.warn(format!(
                "{name}: hold-out extent {extent} has more landslide ({}) than non-landslide ({}) cells; the landslide class is undersampled to balance",
                ls.len(),
                non.len()
            ));
        }
        (n, n)
    } else {
        (o.n_landslide, o.n_non_landslide)
    };
    (0..o.repeats)
        .map(|r| {
            let mut g = rng(mix_seed(&[
                o.seed,
                ev_idx as u64,
                r as u64,
                extent as u64,
                1,
            ]));
            let mut train = draw(
                &ls,
                n_ls,
                &mut g,
                name,
                &format!("landslide (LAD > {})", o.sample_lad_threshold),
            )?;
            train.extend(draw(&non, n_non, &mut g, name, "non-landslide")?);
            train.shuffle(&mut g);
            let in_train: std::collections::HashSet<usize> = train.iter().copied().collect();
            let test = test_pool
                .iter()
                .copied()
                .filter(|i| !in_train.contains(i))
                .collect();
            Ok(Sample {
                train,
                test,
                cv: Vec::new(),
            })
        })
        .collect()
}

/// The training pool of a pool-trained model: mapped cells inside the polygons, or every
/// mapped cell; errors say what is missing.
fn training_pool(
    t: &FeatureTable,
    name: &str,
    polys: Option<&[crate::io::Polygon]>,
    threshold: f64,
) -> Result<Vec<usize>, ExperimentError> {
    let mapped = t.mapped_cells();
    let pool: Vec<usize> = match polys {
        Some(polys) => {
            let inside = cells_in_polygons(t, polys);
            if !inside.iter().any(|v| *v) {
                return Err(ExperimentError::TrainingPolygons {
                    event: name.into(),
                    message: "no analysis cell centre lies inside the polygons (are they outside the study area?)".into(),
                });
            }
            let pool: Vec<usize> = mapped.iter().copied().filter(|&i| inside[i]).collect();
            if pool.is_empty() {
                return Err(ExperimentError::TrainingPolygons {
                    event: name.into(),
                    message: "the polygons lie outside the mapped extent of the inventory".into(),
                });
            }
            pool
        }
        None => mapped,
    };
    let what = if polys.is_some() {
        "inside the polygons"
    } else {
        "in the mapped areas"
    };
    let (ls, non) = split_classes(t, &pool, threshold);
    if ls.is_empty() {
        return Err(ExperimentError::TrainingPolygons { event: name.into(), message: format!("no landslide cell (LAD > {threshold}) {what} ({} mapped cells); map or draw over landslides", pool.len()) });
    }
    if non.is_empty() {
        return Err(ExperimentError::TrainingPolygons {
            event: name.into(),
            message: format!("no non-landslide cell {what}; include some stable ground"),
        });
    }
    Ok(pool)
}

/// A plan whose maps are made but not scored, with the reason.
fn unscored_plan(finals: Vec<Vec<usize>>, why: String) -> Plan {
    Plan {
        extent: 1.0,
        samples: finals
            .into_iter()
            .map(|train| Sample {
                train,
                test: Vec::new(),
                cv: Vec::new(),
            })
            .collect(),
        validation: Validation::none(why),
        score_mean: true,
        cal: CalPlan::none("the maps are not scored, so nothing calibrates an interval"),
    }
}

/// Samples of a model trained on a pool of mapped cells (user polygons or every mapped
/// cell), scored honestly: on independent mapped cells when there are enough, else by
/// spatial cross-validation inside the pool, else not at all.
fn pool_plan(
    t: &FeatureTable,
    name: &str,
    polys: Option<&[crate::io::Polygon]>,
    ctx: &Ctx,
    ev_idx: usize,
) -> Result<Plan, ExperimentError> {
    let o = ctx.opts;
    let pool = training_pool(t, name, polys, o.sample_lad_threshold)?;
    let finals = balanced_draws(
        t,
        &pool,
        o.sample_lad_threshold,
        o.repeats,
        &[o.seed, ev_idx as u64, 2],
    )
    .unwrap_or_default();
    let independent = independent_cells(&t.coarse, &t.mapped_cells(), &pool, o.buffer_m);
    if independent_is_enough(t, &independent, o.auc_lad_threshold) {
        let cal = calibration_plan(t, &pool, CalRule::Balanced, ctx, &[ev_idx as u64, 0]);
        return Ok(independent_plan(
            t,
            finals,
            independent,
            cal,
            o.auc_lad_threshold,
        ));
    }
    let folds = spatial_folds(
        &t.coarse,
        &pool,
        o.buffer_m,
        mix_seed(&[o.seed, ev_idx as u64, 6]),
    );
    let Some(folds) = folds else {
        ctx.warn(format!("{name}: {} independent mapped cells and the mapped area is too small to cross-validate: the maps are not scored", independent.len()));
        return Ok(unscored_plan(
            finals,
            format!(
                "too little mapped ground to score ({} independent cells, no spatial folds)",
                independent.len()
            ),
        ));
    };
    let per_fold = fold_draws(t, &folds, ctx, ev_idx);
    if per_fold.len() < 2 {
        return Ok(unscored_plan(
            finals,
            "the spatial folds do not each hold landslide and stable cells: not scored".into(),
        ));
    }
    Ok(cv_plan(
        t,
        finals,
        &per_fold,
        folds.kind,
        o.auc_lad_threshold,
    ))
}

/// Balanced draws of one fold's training side and its test cells.
type FoldDraws = (Vec<Vec<usize>>, Vec<usize>);

/// A pool plan scored on independent mapped cells (beyond the buffer of the pool).
fn independent_plan(
    t: &FeatureTable,
    finals: Vec<Vec<usize>>,
    independent: Vec<usize>,
    cal: CalPlan,
    auc_lad_threshold: f64,
) -> Plan {
    let validation = Validation::scored(
        ValidationKind::IndependentTest,
        independent.len(),
        count_landslides(t, &independent, auc_lad_threshold),
        0,
    );
    let samples = finals
        .into_iter()
        .map(|train| Sample {
            train,
            test: independent.clone(),
            cv: Vec::new(),
        })
        .collect();
    Plan {
        extent: 1.0,
        samples,
        validation,
        score_mean: true,
        cal,
    }
}

/// Per fold: balanced draws from the fold's training side (folds without both classes are
/// skipped) and the fold's test cells.
fn fold_draws(
    t: &FeatureTable,
    folds: &super::validation::SpatialFolds,
    ctx: &Ctx,
    ev_idx: usize,
) -> Vec<FoldDraws> {
    let o = ctx.opts;
    let mut per_fold = Vec::new();
    for (k, f) in folds.folds.iter().enumerate() {
        if let Some(d) = balanced_draws(
            t,
            &f.train,
            o.sample_lad_threshold,
            o.repeats,
            &[o.seed, ev_idx as u64, 7, k as u64],
        ) {
            per_fold.push((d, f.test.clone()));
        }
    }
    per_fold
}

/// A pool plan scored by spatial cross-validation: each repeat pairs its final sample with
/// one draw per fold.
fn cv_plan(
    t: &FeatureTable,
    finals: Vec<Vec<usize>>,
    per_fold: &[FoldDraws],
    kind: ValidationKind,
    auc_lad_threshold: f64,
) -> Plan {
    let scored: Vec<usize> = per_fold
        .iter()
        .flat_map(|(_, test)| test.iter().copied())
        .collect();
    let validation = Validation::scored(
        kind,
        scored.len(),
        count_landslides(t, &scored, auc_lad_threshold),
        per_fold.len(),
    );
    let samples = finals
        .into_iter()
        .enumerate()
        .map(|(r, train)| Sample {
            train,
            test: Vec::new(),
            cv: per_fold
                .iter()
                .map(|(d, test)| (d[r].clone(), test.clone()))
                .collect(),
        })
        .collect();
    Plan {
        extent: 1.0,
        samples,
        validation,
        score_mean: true,
        cal: CalPlan::CrossValidated,
    }
}

/// Hold-out: central test box and nested training extents (nearest 1/2^k of the cells
/// outside the box).
fn holdout_pools(t: &FeatureTable, frac: f64, halvings: usize) -> (Vec<usize>, Vec<Vec<usize>>) {
    let mapped = t.mapped_cells();
    let cols = t.coarse.cols;
    let (mut r0, mut r1, mut c0, mut c1) = (usize::MAX, 0, usize::MAX, 0);
    for &i in &mapped {
        let (r, c) = (i / cols, i % cols);
        r0 = r0.min(r);
        r1 = r1.max(r);
        c0 = c0.min(c);
        c1 = c1.max(c);
    }
    let (h, w) = ((r1 - r0 + 1) as f64, (c1 - c0 + 1) as f64);
    let (br0, br1) = (
        r0 as f64 + h * (1.0 - frac) / 2.0,
        r0 as f64 + h * (1.0 + frac) / 2.0,
    );
    let (bc0, bc1) = (
        c0 as f64 + w * (1.0 - frac) / 2.0,
        c0 as f64 + w * (1.0 + frac) / 2.0,
    );
    let dist = |i: usize| -> f64 {
        let (r, c) = ((i / cols) as f64 + 0.5, (i % cols) as f64 + 0.5);
        let dr = (br0 - r).max(r - br1).max(0.0);
        let dc = (bc0 - c).max(c - bc1).max(0.0);
        dr.max(dc)
    };
    let (test, mut outside): (Vec<usize>, Vec<usize>) =
        mapped.iter().partition(|&&i| dist(i) == 0.0);
    outside.sort_by(|a, b| dist(*a).total_cmp(&dist(*b)).then(a.cmp(b)));
    let extents = (0..=halvings)
        .map(|k| outside[..(outside.len() >> k).max(1).min(outside.len())].to_vec())
        .collect();
    (test, extents)
}

/// The plans of one event: one per training extent (hold-out), else one.
fn plans(
    t: &FeatureTable,
    name: &str,
    ctx: &Ctx,
    ev_idx: usize,
) -> Result<Vec<Plan>, ExperimentError> {
    let o = ctx.opts;
    let mapped = t.mapped_cells();
    match (&o.kind, &o.training) {
        (ExperimentKind::Holdout, _) => {
            let (test, extents) = holdout_pools(t, o.holdout_box_fraction, o.holdout_halvings);
            extents
                .iter()
                .enumerate()
                .map(|(k, pool)| {
                    // test cells keep the buffer from this extent's training cells
                    let test = independent_cells(&t.coarse, &test, pool, o.buffer_m);
                    let validation = Validation::scored(
                        ValidationKind::IndependentTest,
                        test.len(),
                        count_landslides(t, &test, o.auc_lad_threshold),
                        0,
                    );
                    Ok(Plan {
                        extent: 1.0 / (1u64 << k) as f64,
                        samples: random_samples(t, name, pool, &test, ctx, ev_idx, k)?,
                        validation,
                        score_mean: false,
                        cal: calibration_plan(
                            t,
                            pool,
                            CalRule::Balanced,
                            ctx,
                            &[ev_idx as u64, 1 + k as u64],
                        ),
                    })
                })
                .collect()
        }
        (_, TrainingSource::Polygons(p)) => Ok(vec![pool_plan(t, name, Some(p), ctx, ev_idx)?]),
        (_, TrainingSource::AllMapped) => Ok(vec![pool_plan(t, name, None, ctx, ev_idx)?]),
        (_, TrainingSource::RandomCells) => {
            let samples = random_samples(t, name, &mapped, &mapped, ctx, ev_idx, 0)?;
            let test0 = samples.first().map(|s| s.test.as_slice()).unwrap_or(&[]);
            let mut validation = Validation::scored(
                ValidationKind::RandomCells,
                test0.len(),
                count_landslides(t, test0, o.auc_lad_threshold),
                0,
            );
            validation.note = "random test cells neighbour training cells: the score is optimistic for mapping unmapped ground".into();
            Ok(vec![Plan {
                extent: 1.0,
                samples,
                validation,
                score_mean: false,
                cal: calibration_plan(t, &mapped, CalRule::Random, ctx, &[ev_idx as u64, 99]),
            }])
        }
    }
}

/// Run the same-event (or hold-out) experiment on one event along its timeline.
pub(super) fn run(
    ev: &EventData,
    ev_idx: usize,
    n_events: usize,
    ctx: &Ctx,
) -> Result<Vec<StepResult>, ExperimentError> {
    let o = ctx.opts;
    let t = &ev.table;
    let name = ev.name().to_string();
    if t.mapped_cells().is_empty() {
        return Err(ExperimentError::NoTruth { event: name, message: "nothing is mapped (no inventory, or no valid cell inside its mapped extent): a same-event model needs mapped landslides; use a global model from past events".into() });
    }
    let tl = super::timeline_of(ev, o);
    let valid = t.valid_cells();
    let mut row_of = vec![usize::MAX; t.valid.len()];
    for (k, &i) in valid.iter().enumerate() {
        row_of[i] = k;
    }
    let plans = plans(t, &name, ctx, ev_idx)?;
    for p in &plans {
        if !p.validation.note.is_empty() {
            ctx.warn(format!("{name}: {}", p.validation.summary()));
        }
    }
    let er = EventRun {
        ctx,
        t,
        name: &name,
        ev_idx,
        surfaces: baseline_surfaces(t, &tl),
        valid,
        row_of,
    };
    let n_steps = tl.steps.len();
    let total = (plans.len() * n_steps * n_events).max(1) as f64;
    let first = if o.latest_only {
        n_steps.saturating_sub(1)
    } else {
        0
    };
    let mut out = Vec::new();
    for (pi, plan) in plans.iter().enumerate() {
        for step in tl.steps.iter().skip(first) {
            let done = ((ev_idx * plans.len() + pi) * n_steps + step.index) as f64;
            (ctx.progress)(
                &format!("{name}: step {} of {}", step.index, n_steps - 1),
                done / total,
            );
            let names = tl.features_at(t, step.index, ModelKind::SameEvent);
            let res = er.step_result(plan, pi, step, &names)?;
            (ctx.on_step)(&res);
            out.push(res);
        }
    }
    Ok(out)
}

/// One event of a same-event run: what every step of every plan shares.
struct EventRun<'a> {
    ctx: &'a Ctx<'a>,
    t: &'a FeatureTable,
    name: &'a str,
    ev_idx: usize,
    surfaces: Vec<crate::coherence::BaselineSurface>,
    /// Valid cells, and each cell's row in the design matrix.
    valid: Vec<usize>,
    row_of: Vec<usize>,
}

/// What the repeats of one step produced: per-repeat scores (or the averaged predictions to
/// score), summed importances and the sums for the mean and variance maps.
struct Repeats {
    aucs: Vec<f64>,
    r2s: Vec<f64>,
    maes: Vec<f64>,
    roc: Vec<(f64, f64)>,
    likely_threshold: Option<f64>,
    /// The scored cells of the first repeat (or of the averaged predictions).
    scored: Vec<usize>,
    /// Cell → (sum of predictions, repeats), when scoring the averaged predictions.
    mean_scores: std::collections::BTreeMap<usize, (f64, f64)>,
    imp_sum: Vec<f64>,
    sum: Vec<f64>,
    sumsq: Vec<f64>,
}

impl EventRun<'_> {
    /// The step's design: the table, the design matrix of every valid cell and each row.
    fn design<'b>(&'b self, x_all: &'b crate::forest::Matrix, step: usize) -> StepDesign<'b> {
        StepDesign {
            t: self.t,
            x_all,
            row_of: &self.row_of,
            name: self.name,
            step,
        }
    }

    /// Fit, score, calibrate and map one step of one plan.
    fn step_result(
        &self,
        plan: &Plan,
        pi: usize,
        step: &crate::coherence::Step,
        names: &[String],
    ) -> Result<StepResult, ExperimentError> {
        let (o, t) = (self.ctx.opts, self.t);
        let x_all = design_matrix(t, names, &self.valid)
            .map_err(|e| ExperimentError::forest(self.name, step.index, e))?;
        let mut rep = self.repeats(plan, pi, step.index, &x_all, names.len())?;
        if plan.score_mean && !rep.mean_scores.is_empty() {
            let cells: Vec<usize> = rep.mean_scores.keys().copied().collect();
            let p: Vec<f64> = rep.mean_scores.values().map(|(s, k)| s / k).collect();
            let (a, r2, m) = metrics(t, &cells, &p, o.auc_lad_threshold);
            (rep.aucs, rep.r2s, rep.maes) = (vec![a], vec![r2], vec![m]);
            rep.roc = roc_points(t, &cells, &p, o.auc_lad_threshold);
            rep.likely_threshold =
                threshold_for_tpr(t, &cells, &p, o.auc_lad_threshold, o.mask_tpr);
            rep.scored = cells;
        }
        let n = plan.samples.len().max(1) as f64;
        let imp: Vec<f64> = rep.imp_sum.iter().map(|v| v / n).collect();
        let mean_pred: Vec<f64> = rep.sum.iter().map(|v| v / n).collect();
        let uncertainty = step_uncertainty(
            self.ctx,
            &self.design(&x_all, step.index),
            &plan.cal,
            &plan.samples,
            &rep.mean_scores,
            &mean_pred,
            &plan.validation,
            mix_seed(&[o.seed, self.ev_idx as u64, step.index as u64, pi as u64, 10]),
        )?;
        let maps = o.keep_maps.then(|| {
            self.step_maps(&mean_pred, &rep.sumsq, n)
                .with_uncertainty(&uncertainty)
        });
        Ok(StepResult {
            event: self.name.to_string(),
            step: step.index,
            date: step.date,
            days_after_event: step.days_after_event,
            sensor: step.sensors_label(),
            features_added: step.added.iter().map(|f| f.name.clone()).collect(),
            n_features: names.len(),
            training_extent: plan.extent,
            auc: MeanSd::of(&rep.aucs),
            r2: MeanSd::of(&rep.r2s),
            mae: MeanSd::of(&rep.maes),
            roc: rep.roc,
            importances: group_importances(t, names, &imp),
            baselines: baselines(
                t,
                &self.surfaces,
                step.index,
                &rep.scored,
                o.auc_lad_threshold,
            ),
            n_train: plan.samples.first().map_or(0, |s| s.train.len()),
            n_test: rep.scored.len(),
            maps,
            validation: plan.validation.clone(),
            likely_threshold: rep.likely_threshold,
            uncertainty: Some(uncertainty),
        })
    }

    /// Fit every repeat of the plan on this step's features, predict every valid cell and
    /// score each repeat on its validation cells.
    fn repeats(
        &self,
        plan: &Plan,
        pi: usize,
        step: usize,
        x_all: &crate::forest::Matrix,
        n_features: usize,
    ) -> Result<Repeats, ExperimentError> {
        let (o, t, name) = (self.ctx.opts, self.t, self.name);
        let n_valid = self.valid.len();
        let mut rep = Repeats {
            aucs: Vec::new(),
            r2s: Vec::new(),
            maes: Vec::new(),
            roc: Vec::new(),
            likely_threshold: None,
            scored: Vec::new(),
            mean_scores: Default::default(),
            imp_sum: vec![0.0; n_features],
            sum: vec![0.0; n_valid],
            sumsq: vec![0.0; n_valid],
        };
        for (r, s) in plan.samples.iter().enumerate() {
            let rows: Vec<usize> = s.train.iter().map(|&i| self.row_of[i]).collect();
            let x = x_all
                .select_rows(&rows)
                .map_err(|e| ExperimentError::forest(name, step, e))?;
            let y: Vec<f64> = s.train.iter().map(|&i| t.target[i] as f64).collect();
            let seed = mix_seed(&[
                o.seed,
                self.ev_idx as u64,
                r as u64,
                step as u64,
                pi as u64,
                3,
            ]);
            let (pred, imp) = self.ctx.fit_predict(&x, &y, x_all, seed, name, step)?;
            if plan.validation.kind != ValidationKind::None {
                let (cells, test_pred) =
                    repeat_scores(self.ctx, &self.design(x_all, step), s, &pred, seed)?;
                if plan.score_mean {
                    for (&c, &p) in cells.iter().zip(&test_pred) {
                        let e = rep.mean_scores.entry(c).or_insert((0.0, 0.0));
                        e.0 += p;
                        e.1 += 1.0;
                    }
                }
                let (a, r2, m) = metrics(t, &cells, &test_pred, o.auc_lad_threshold);
                rep.aucs.push(a);
                rep.r2s.push(r2);
                rep.maes.push(m);
                if r == 0 {
                    rep.roc = roc_points(t, &cells, &test_pred, o.auc_lad_threshold);
                    rep.likely_threshold =
                        threshold_for_tpr(t, &cells, &test_pred, o.auc_lad_threshold, o.mask_tpr);
                    rep.scored = cells;
                }
            }
            rep.imp_sum.iter_mut().zip(&imp).for_each(|(a, b)| *a += b);
            for (k, p) in pred.iter().enumerate() {
                rep.sum[k] += p;
                rep.sumsq[k] += p * p;
            }
        }
        Ok(rep)
    }

    /// The mean prediction and the variance over repeats as maps of the grid.
    fn step_maps(&self, mean_pred: &[f64], sumsq: &[f64], n: f64) -> StepMaps {
        let t = self.t;
        let mut predicted = vec![f32::NAN; t.valid.len()];
        let mut variance = vec![f32::NAN; t.valid.len()];
        for (k, &i) in self.valid.iter().enumerate() {
            let m = mean_pred[k];
            predicted[i] = m as f32;
            variance[i] = (sumsq[k] / n - m * m).max(0.0) as f32;
        }
        StepMaps {
            predicted,
            p5: None,
            p95: None,
            variance: Some(variance),
            interval_lo: None,
            interval_hi: None,
            p_landslide: None,
        }
    }
}
