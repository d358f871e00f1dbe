//! Forest benchmark on the tree shapes the app grows (issue 20), beside scikit-learn on the
//! very same rows (plain `main`, `harness = false`).
//!
//! Data: the demo (seed 42), features built as `slidemap run` does. Columns: the feature
//! columns every demo event has (by name). Shapes:
//! - `global-*`: one ensemble member's rows as a global model draws them (1000 cells with
//!   LAD > 0.01 and 1000 others from each of the first two events: 4,000 rows), predicting
//!   every valid cell of the third event; parameters: the default forest (`global-default`:
//!   100 trees, `sqrt`, unlimited depth, `min_samples_leaf` 1, MAE), the Table-2 grid's
//!   deepest corner (`global-grid-deep`: 125 trees, `sqrt`, depth 30, min split 2, min leaf 2)
//!   and its cheapest (`global-quick`: `ForestParams::quick`);
//! - `same-*`: half of the second event's mapped cells (every other one) as training rows,
//!   predicting all its valid cells, with the default and the quick forest;
//! - `ensemble`: 10 default models on 10 undersamples, summarised over the third event
//!   (`Ensemble::summarize`, as the global experiment does), ns per row-tree over all members.
//!
//! Per shape it prints nodes per tree, mean and deepest root-to-leaf path (the mean over the
//! predicted rows), fit seconds per model, predict seconds and ns per row-tree (wall time on
//! all rayon threads / (rows x trees)).
//!
//! `SLIDEMAP_BENCH_ONLY=global-default,same-quick,...` runs some shapes;
//! `SLIDEMAP_BENCH_WALK=fixed,refill,checked4-2,auto:4096` also times the walks of
//! `FlatTree::accumulate_with` (`forest::Walk`; optionally `:<rows per chunk>`, 1024 by
//! default) and checks that every one gives bit-identical predictions.
//! `SLIDEMAP_BENCH_DATA=<dir>` writes the rows (raw little-endian `f32` X / `f64` y), the
//! shapes and our timings (`shapes_rust.json`) for `tools/sklearn_reference/bench_shapes.py`
//! (`tools/sklearn_reference/bench_shapes.sh` runs both and prints the ratios).

use rayon::prelude::*;
use slidemap::demo::{write_demo, DemoOptions};
use slidemap::forest::{Ensemble, ForestParams, Matrix, RandomForest, Walk, PREDICT_CHUNK_ROWS};
use slidemap::pipeline::{build_event, EventData, FeatureOptions};
use slidemap::project::Project;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// Walks timed beside the default: (the walk, rows per chunk).
type WalkSetting = (Walk, usize);

/// `fixed`, `refill`, `auto` or `checked<every>-<stragglers>`, optionally `:<rows per chunk>`.
fn parse_walk(w: &str) -> Option<WalkSetting> {
    let mut p = w.trim().split(':');
    let walk = match p.next()? {
        "fixed" => Walk::Fixed,
        "refill" => Walk::Refill,
        "auto" => Walk::Auto,
        c => {
            let (e, k) = c.strip_prefix("checked")?.split_once('-')?;
            Walk::Checked {
                every: e.parse().ok()?,
                stragglers: k.parse().ok()?,
            }
        }
    };
    let rows = p
        .next()
        .map_or(Some(PREDICT_CHUNK_ROWS), |r| r.parse().ok())?;
    Some((walk, rows))
}

/// A deterministic xorshift draw in [0, n).
struct Draw(u64);
impl Draw {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
    /// `k` distinct items of `pool` (partial Fisher-Yates).
    fn sample(&mut self, pool: &[usize], k: usize) -> Vec<usize> {
        let mut p = pool.to_vec();
        let k = k.min(p.len());
        for i in 0..k {
            let j = i + self.below(p.len() - i);
            p.swap(i, j);
        }
        p.truncate(k);
        p
    }
}

/// Rows `cells` of `ev` over `cols` (non-finite values as the app's sentinel, -9999).
fn rows_of(ev: &EventData, cols: &[String], cells: &[usize]) -> BenchResult<Matrix> {
    let columns: Vec<&[f32]> = cols
        .iter()
        .map(|n| {
            ev.table
                .column(n)
                .map(|c| c.values.as_slice())
                .ok_or_else(|| format!("no column {n}"))
        })
        .collect::<Result<_, _>>()?;
    let mut data = Vec::with_capacity(cells.len() * cols.len());
    for &c in cells {
        data.extend(columns.iter().map(|col| {
            let v = col[c];
            if v.is_finite() {
                v
            } else {
                -9999.0
            }
        }));
    }
    Ok(Matrix::new(cells.len(), cols.len(), data)?)
}

fn stack(parts: &[(Matrix, Vec<f64>)]) -> BenchResult<(Matrix, Vec<f64>)> {
    let cols = parts.first().map_or(0, |p| p.0.n_cols());
    let mut data = Vec::new();
    let mut y = Vec::new();
    for (x, t) in parts {
        data.extend_from_slice(x.as_slice());
        y.extend_from_slice(t);
    }
    Ok((Matrix::new(y.len(), cols, data)?, y))
}

/// One global member's training rows: 1000 + 1000 cells from each training event.
fn global_rows(
    events: &[&EventData],
    cols: &[String],
    draw: &mut Draw,
) -> BenchResult<(Matrix, Vec<f64>)> {
    let mut parts = Vec::new();
    for ev in events {
        let mapped = ev.table.mapped_cells();
        let (ls, non): (Vec<usize>, Vec<usize>) = mapped
            .iter()
            .partition(|&&c| f64::from(ev.table.target[c]) > 0.01);
        let mut cells = draw.sample(&ls, 1000);
        cells.extend(draw.sample(&non, 1000));
        let y = cells
            .iter()
            .map(|&c| f64::from(ev.table.target[c]))
            .collect();
        parts.push((rows_of(ev, cols, &cells)?, y));
    }
    stack(&parts)
}

fn write_raw(dir: &Path, name: &str, x: &Matrix, y: Option<&[f64]>) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join(format!("{name}_x.f32")))?);
    for v in x.as_slice() {
        f.write_all(&v.to_le_bytes())?;
    }
    if let Some(y) = y {
        let mut g =
            std::io::BufWriter::new(std::fs::File::create(dir.join(format!("{name}_y.f64")))?);
        for v in y {
            g.write_all(&v.to_le_bytes())?;
        }
    }
    Ok(())
}

/// Predicts like `RandomForest::predict` with the walk's settings given.
fn predict_tuned(model: &RandomForest, x: &Matrix, (walk, chunk_rows): WalkSetting) -> Vec<f64> {
    let n_cols = x.n_cols();
    let mut out = vec![0.0; x.n_rows()];
    out.par_chunks_mut(chunk_rows)
        .zip(x.as_slice().par_chunks(chunk_rows * n_cols))
        .for_each(|(o, chunk)| {
            for t in model.trees() {
                t.accumulate_with(chunk, n_cols, o, walk);
            }
        });
    let n = model.n_trees() as f64;
    out.iter_mut().for_each(|v| *v /= n);
    out
}

struct Shape {
    name: &'static str,
    params: ForestParams,
    train: (Matrix, Vec<f64>),
    predict: Matrix,
}

/// Fits and times one shape; returns its JSON record.
fn run_shape(
    s: &Shape,
    walks: &[WalkSetting],
    cancel: &AtomicBool,
) -> BenchResult<serde_json::Value> {
    let t0 = Instant::now();
    let model = RandomForest::fit(&s.train.0, &s.train.1, &s.params, cancel)?;
    let fit_s = t0.elapsed().as_secs_f64();
    let trees = model.trees();
    let n_trees = trees.len();
    let nodes = trees.iter().map(|t| t.n_nodes()).sum::<usize>() as f64 / n_trees as f64;
    let deepest = trees.iter().map(|t| t.depth()).max().unwrap_or(0);
    let depth_mean = trees.iter().map(|t| t.depth() as f64).sum::<f64>() / n_trees as f64;
    let px = &s.predict;
    let steps: usize = trees
        .par_iter()
        .map(|t| {
            (0..px.n_rows())
                .filter_map(|r| px.row(r))
                .map(|r| t.path_length(r))
                .sum::<usize>()
        })
        .sum();
    let row_trees = (px.n_rows() * n_trees) as f64;
    let path_mean = steps as f64 / row_trees;
    let reference = model.predict(px)?; // warm-up
    let best_of = |f: &dyn Fn() -> Vec<f64>| -> BenchResult<f64> {
        let mut best = f64::INFINITY;
        for _ in 0..3 {
            let t = Instant::now();
            let p = f();
            best = best.min(t.elapsed().as_secs_f64());
            if p != reference {
                return Err("a walk setting changed the predictions".into());
            }
        }
        Ok(best)
    };
    let predict_s = best_of(&|| model.predict(px).unwrap_or_default())?;
    println!(
        "{:<18} {:>6} x {:<3} {:>6} {:>8.0} {:>6.1} {:>5.1} {:>4} {:>8.3} {:>9.3} {:>8.1}",
        s.name,
        s.train.0.n_rows(),
        s.train.0.n_cols(),
        n_trees,
        nodes,
        path_mean,
        depth_mean,
        deepest,
        fit_s,
        predict_s,
        predict_s * 1e9 / row_trees
    );
    let mut walk_ns = serde_json::Map::new();
    for &(walk, rows) in walks {
        let t = best_of(&|| predict_tuned(&model, px, (walk, rows)))?;
        println!(
            "{:<18}   {walk:?}, {rows} rows per chunk: {:.3} s, {:.1} ns per row-tree",
            "",
            t,
            t * 1e9 / row_trees
        );
        walk_ns.insert(format!("{walk:?}:{rows}"), (t * 1e9 / row_trees).into());
    }
    Ok(serde_json::json!({
        "name": s.name, "train_rows": s.train.0.n_rows(), "cols": s.train.0.n_cols(),
        "predict_rows": px.n_rows(), "n_estimators": s.params.n_estimators,
        "max_features": format!("{:?}", s.params.max_features).to_lowercase(),
        "max_depth": s.params.max_depth, "min_samples_split": s.params.min_samples_split,
        "min_samples_leaf": s.params.min_samples_leaf,
        "nodes_per_tree": nodes, "path_mean": path_mean, "depth_mean": depth_mean,
        "deepest": deepest, "fit_s": fit_s, "predict_s": predict_s,
        "ns_per_row_tree": predict_s * 1e9 / row_trees, "walks": walk_ns,
    }))
}

/// 10 default models on their own undersamples, summarised over `px` as the global
/// experiment does.
fn run_ensemble(
    events: &[&EventData],
    cols: &[String],
    px: &Matrix,
    cancel: &AtomicBool,
) -> BenchResult<serde_json::Value> {
    let n_models = 10;
    let mut draw = Draw(0x5eed_0e15);
    let mut parts = Vec::new();
    for _ in 0..n_models {
        parts.push(global_rows(events, cols, &mut draw)?);
    }
    let n_rows: usize = parts.iter().map(|p| p.1.len()).sum();
    let (x, y) = stack(&parts)?;
    let per = n_rows / n_models;
    let params = ForestParams::default();
    let t0 = Instant::now();
    let e = Ensemble::fit_with(
        &x,
        &y,
        n_models,
        |m| (m * per..(m + 1) * per).collect(),
        &params,
        cancel,
        &|_, _| {},
    )?;
    let fit_s = t0.elapsed().as_secs_f64() / n_models as f64;
    let _ = e.summarize(px, cancel)?;
    let t1 = Instant::now();
    let _ = e.summarize(px, cancel)?;
    let t = t1.elapsed().as_secs_f64();
    let row_trees = (px.n_rows() * n_models * params.n_estimators) as f64;
    println!(
        "{:<18} {:>6} x {:<3} {:>6} (10 models) fit {fit_s:.3} s per model, summarize {t:.3} s, {:.1} ns per row-tree",
        "ensemble",
        per,
        x.n_cols(),
        params.n_estimators,
        t * 1e9 / row_trees
    );
    Ok(
        serde_json::json!({"name": "ensemble", "fit_s_per_model": fit_s, "summarize_s": t,
        "ns_per_row_tree": t * 1e9 / row_trees}),
    )
}

fn main() -> BenchResult<()> {
    let cancel = AtomicBool::new(false);
    let only = std::env::var("SLIDEMAP_BENCH_ONLY").unwrap_or_default();
    let run = |name: &str| only.is_empty() || only.split(',').any(|k| k.trim() == name);
    let walks: Vec<WalkSetting> = std::env::var("SLIDEMAP_BENCH_WALK")
        .unwrap_or_default()
        .split(',')
        .filter_map(parse_walk)
        .collect();
    let export: Option<PathBuf> = std::env::var_os("SLIDEMAP_BENCH_DATA").map(PathBuf::from);

    let dir = tempfile::tempdir()?;
    let t0 = Instant::now();
    let projects = write_demo(dir.path(), &DemoOptions::default(), &cancel, &|_, _| {})?;
    let events: Vec<EventData> = projects
        .iter()
        .map(|p| -> BenchResult<EventData> {
            Ok(build_event(
                &Project::load(p)?,
                &FeatureOptions::default().with_keep_fine_dem(false),
                &cancel,
                &|_, _| {},
            )?)
        })
        .collect::<Result<_, _>>()?;
    let cols: Vec<String> = events[0]
        .table
        .columns
        .iter()
        .map(|c| c.name.clone())
        .filter(|n| events.iter().all(|e| e.table.column(n).is_some()))
        .collect();
    println!(
        "demo built in {:.1} s; {} common feature columns; {} rayon threads",
        t0.elapsed().as_secs_f64(),
        cols.len(),
        rayon::current_num_threads()
    );

    let mut draw = Draw(0x9e37_79b9_7f4a_7c15);
    let target = &events[2];
    let target_x = rows_of(target, &cols, &target.table.valid_cells())?;
    let global = global_rows(&[&events[0], &events[1]], &cols, &mut draw)?;
    let same_ev = &events[1];
    let mapped = same_ev.table.mapped_cells();
    let half: Vec<usize> = mapped.iter().copied().step_by(2).collect();
    let same_train = (
        rows_of(same_ev, &cols, &half)?,
        half.iter()
            .map(|&c| f64::from(same_ev.table.target[c]))
            .collect::<Vec<_>>(),
    );
    let same_x = rows_of(same_ev, &cols, &same_ev.table.valid_cells())?;
    let grid_deep = ForestParams::default()
        .with_n_estimators(125)
        .with_max_depth(Some(30))
        .with_min_samples_leaf(2);
    let shapes = [
        (
            "global-default",
            ForestParams::default(),
            &global,
            &target_x,
        ),
        ("global-grid-deep", grid_deep.clone(), &global, &target_x),
        ("global-quick", ForestParams::quick(), &global, &target_x),
        (
            "same-default",
            ForestParams::default(),
            &same_train,
            &same_x,
        ),
        ("same-quick", ForestParams::quick(), &same_train, &same_x),
    ];
    println!(
        "{:<18} {:>12} {:>6} {:>8} {:>6} {:>5} {:>4} {:>8} {:>9} {:>8}",
        "shape",
        "train rows",
        "trees",
        "nodes/t",
        "path",
        "depth",
        "max",
        "fit s",
        "predict s",
        "ns/r-t"
    );
    let mut records = Vec::new();
    for (name, params, train, px) in shapes {
        if !run(name) {
            continue;
        }
        let shape = Shape {
            name,
            params,
            train: train.clone(),
            predict: px.clone(),
        };
        if let Some(d) = &export {
            std::fs::create_dir_all(d)?;
            write_raw(
                d,
                &format!("{name}_train"),
                &shape.train.0,
                Some(&shape.train.1),
            )?;
            write_raw(d, &format!("{name}_pred"), &shape.predict, None)?;
        }
        records.push(run_shape(&shape, &walks, &cancel)?);
    }
    if run("ensemble") {
        records.push(run_ensemble(
            &[&events[0], &events[1]],
            &cols,
            &target_x,
            &cancel,
        )?);
    }
    if let Some(d) = &export {
        std::fs::create_dir_all(d)?;
        let out = serde_json::json!({"threads": rayon::current_num_threads(), "shapes": records});
        std::fs::write(d.join("shapes_rust.json"), out.to_string())?;
    }
    Ok(())
}
