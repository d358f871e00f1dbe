//! Same-event experiments: random balanced samples or user polygons, and the spatial
//! hold-out (a central test box, training extents halved repeatedly).

use super::evaluate::{baselines, group_importances, metrics, roc_points};
use super::run::Ctx;
use super::sampling::{cells_in_polygons, draw, mix_seed, rng, split_classes};
use super::{
    design_matrix, ExperimentError, ExperimentKind, MeanSd, StepMaps, StepResult, TrainingSource,
};
use crate::coherence::{baseline_surfaces, ModelKind, Timeline};
use crate::features::{EventData, FeatureTable};
use rand::seq::SliceRandom;

/// One training sample: training cells (shuffled) and test cells.
struct Sample {
    train: Vec<usize>,
    test: Vec<usize>,
}

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
            Ok(Sample { train, test })
        })
        .collect()
}

fn polygon_samples(
    t: &FeatureTable,
    name: &str,
    polys: &[crate::io::Polygon],
    ctx: &Ctx,
    ev_idx: usize,
) -> Result<Vec<Sample>, ExperimentError> {
    let o = ctx.opts;
    let inside = cells_in_polygons(t, polys);
    if !inside.iter().any(|v| *v) {
        return Err(ExperimentError::TrainingPolygons {
            event: name.into(),
            message: "no analysis cell centre lies inside the polygons".into(),
        });
    }
    let mapped = t.mapped_cells();
    let (train_pool, test): (Vec<usize>, Vec<usize>) = mapped.iter().partition(|&&i| inside[i]);
    if train_pool.is_empty() {
        return Err(ExperimentError::TrainingPolygons {
            event: name.into(),
            message: "the polygons lie outside the mapped extent of the inventory".into(),
        });
    }
    let (ls, non) = split_classes(t, &train_pool, o.sample_lad_threshold);
    if ls.is_empty() {
        return Err(ExperimentError::TrainingPolygons { event: name.into(), message: format!("no landslide cell (LAD > {}) inside the polygons ({} mapped cells inside); draw a polygon over mapped landslides", o.sample_lad_threshold, train_pool.len()) });
    }
    if non.is_empty() {
        return Err(ExperimentError::TrainingPolygons {
            event: name.into(),
            message: "no non-landslide cell inside the polygons; include some stable ground".into(),
        });
    }
    let n = ls.len().min(non.len());
    (0..o.repeats)
        .map(|r| {
            let mut g = rng(mix_seed(&[o.seed, ev_idx as u64, r as u64, 2]));
            let mut train = draw(&ls, n, &mut g, name, "landslide")?;
            train.extend(draw(&non, n, &mut g, name, "non-landslide")?);
            train.shuffle(&mut g);
            Ok(Sample {
                train,
                test: test.clone(),
            })
        })
        .collect()
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
    let mapped = t.mapped_cells();
    if mapped.is_empty() {
        return Err(ExperimentError::NoTruth { event: name, message: "no mapped cell with a landslide inventory: a same-event model needs mapped landslides".into() });
    }
    let tl = Timeline::from_project(&ev.project);
    let surfaces = baseline_surfaces(t, &tl);
    let valid = t.valid_cells();
    let mut row_of = vec![usize::MAX; t.valid.len()];
    for (k, &i) in valid.iter().enumerate() {
        row_of[i] = k;
    }
    let plans: Vec<(f64, Vec<Sample>)> = match (&o.kind, &o.training) {
        (ExperimentKind::Holdout, _) => {
            let (test, extents) = holdout_pools(t, o.holdout_box_fraction, o.holdout_halvings);
            extents
                .iter()
                .enumerate()
                .map(|(k, pool)| {
                    Ok((
                        1.0 / (1u64 << k) as f64,
                        random_samples(t, &name, pool, &test, ctx, ev_idx, k)?,
                    ))
                })
                .collect::<Result<_, ExperimentError>>()?
        }
        (_, TrainingSource::Polygons(p)) => vec![(1.0, polygon_samples(t, &name, p, ctx, ev_idx)?)],
        (_, TrainingSource::RandomCells) => vec![(
            1.0,
            random_samples(t, &name, &mapped, &mapped, ctx, ev_idx, 0)?,
        )],
    };
    let n_steps = tl.steps.len();
    let total = (plans.len() * n_steps * n_events).max(1) as f64;
    let mut out = Vec::new();
    for (pi, (extent, samples)) in plans.iter().enumerate() {
        for step in &tl.steps {
            let done = ((ev_idx * plans.len() + pi) * n_steps + step.index) as f64;
            (ctx.progress)(
                &format!("{name}: step {} of {}", step.index, n_steps - 1),
                done / total,
            );
            let names = tl.features_at(t, step.index, ModelKind::SameEvent);
            let x_all = design_matrix(t, &names, &valid)
                .map_err(|e| ExperimentError::forest(&name, step.index, e))?;
            let (mut aucs, mut r2s, mut maes) = (Vec::new(), Vec::new(), Vec::new());
            let mut imp_sum = vec![0.0; names.len()];
            let (mut sum, mut sumsq) = (vec![0.0f64; valid.len()], vec![0.0f64; valid.len()]);
            let mut roc = Vec::new();
            for (r, s) in samples.iter().enumerate() {
                let rows: Vec<usize> = s.train.iter().map(|&i| row_of[i]).collect();
                let x = x_all
                    .select_rows(&rows)
                    .map_err(|e| ExperimentError::forest(&name, step.index, e))?;
                let y: Vec<f64> = s.train.iter().map(|&i| t.target[i] as f64).collect();
                let seed = mix_seed(&[
                    o.seed,
                    ev_idx as u64,
                    r as u64,
                    step.index as u64,
                    pi as u64,
                    3,
                ]);
                let (pred, imp) = ctx.fit_predict(&x, &y, &x_all, seed, &name, step.index)?;
                let test_pred: Vec<f64> = s.test.iter().map(|&i| pred[row_of[i]]).collect();
                let (a, r2, m) = metrics(t, &s.test, &test_pred, o.auc_lad_threshold);
                aucs.push(a);
                r2s.push(r2);
                maes.push(m);
                if r == 0 {
                    roc = roc_points(t, &s.test, &test_pred, o.auc_lad_threshold);
                }
                imp_sum.iter_mut().zip(&imp).for_each(|(a, b)| *a += b);
                for (k, p) in pred.iter().enumerate() {
                    sum[k] += p;
                    sumsq[k] += p * p;
                }
            }
            let n = samples.len().max(1) as f64;
            let imp: Vec<f64> = imp_sum.iter().map(|v| v / n).collect();
            let maps = o.keep_maps.then(|| {
                let mut predicted = vec![f32::NAN; t.valid.len()];
                let mut variance = vec![f32::NAN; t.valid.len()];
                for (k, &i) in valid.iter().enumerate() {
                    let m = sum[k] / n;
                    predicted[i] = m as f32;
                    variance[i] = (sumsq[k] / n - m * m).max(0.0) as f32;
                }
                StepMaps {
                    predicted,
                    p5: None,
                    p95: None,
                    variance: Some(variance),
                }
            });
            let test0 = samples.first().map(|s| s.test.as_slice()).unwrap_or(&[]);
            let res = StepResult {
                event: name.clone(),
                step: step.index,
                date: step.date,
                days_after_event: step.days_after_event,
                sensor: step.sensors_label(),
                features_added: step.added.iter().map(|f| f.name.clone()).collect(),
                n_features: names.len(),
                training_extent: *extent,
                auc: MeanSd::of(&aucs),
                r2: MeanSd::of(&r2s),
                mae: MeanSd::of(&maes),
                roc,
                importances: group_importances(t, &names, &imp),
                baselines: baselines(t, &surfaces, step.index, test0, o.auc_lad_threshold),
                n_train: samples.first().map_or(0, |s| s.train.len()),
                n_test: test0.len(),
                maps,
            };
            (ctx.on_step)(&res);
            out.push(res);
        }
    }
    Ok(out)
}
