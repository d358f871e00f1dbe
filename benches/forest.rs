//! Forest benchmarks (plain `main`, `harness = false`): grid search, fit and batch prediction.
//!
//! Run: `cargo bench --bench forest` (prints a table). `tools/sklearn_reference/bench_compare.sh`
//! sets `SLIDEMAP_BENCH_DATA=<dir>`: the bench then also writes its data sets there (raw
//! little-endian `f32` X / `f64` y plus `shapes.json`) and its timings (`rust_results.json`) so
//! that scikit-learn runs on the very same data and ratios can be printed.
//!
//! `SLIDEMAP_BENCH_ONLY=grid|fit|predict|predict_shallow|smartcore` runs the named workloads
//! (comma-separated, e.g. `predict,predict_shallow,smartcore` for both smartcore ratios from one
//! run; others print NaN).
//!
//! Workloads (all deterministic):
//! - `grid`: Table-2 grid (192 candidates x 4 folds, MAE) on 500 rows x 45 features;
//! - `fit`: 100 MAE trees, max_depth 20, sqrt features, on 4,000 rows x 15 features;
//! - `predict`: 100 MSE trees (unlimited depth) fitted on 4,000 x 45, predicting 1,000,000 x 45;
//! - `smartcore_predict`: smartcore 0.7 forest of 100 trees on the same 4,000 x 45 rows,
//!   predicting 100,000 rows, scaled to 1,000,000 (the full run would take over a minute);
//! - `predict_shallow` (also in the smartcore comparison): the same two predictions with the
//!   forest shape of the quick setting (`ForestParams::quick`: `log2` features, depth 10,
//!   `min_samples_split` 5, `min_samples_leaf` 10; 100 MSE trees), fitted alike by both
//!   engines. Reported beside the unlimited-depth figure, not instead of it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use slidemap::forest::{
    grid_search, Criterion, ForestParams, GridSearchOptions, Matrix, RandomForest,
};
use smartcore::ensemble::random_forest_regressor::{
    RandomForestRegressor, RandomForestRegressorParameters,
};
use smartcore::linalg::basic::matrix::DenseMatrix;

/// Landslide-like data: LAD in [0, 1] with many zeros, driven by columns 0-3.
fn landslide_like(n: usize, cols: usize, seed: u64) -> (Matrix, Vec<f64>) {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut data = Vec::with_capacity(n * cols);
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let row: Vec<f64> = (0..cols).map(|_| next()).collect();
        let slope = 60.0 * row[0];
        let susc = 1.0 / (1.0 + (-(slope - 35.0) / 5.0).exp());
        let lad =
            0.8 * susc * row[1] * (0.3 + row[2]) + 0.1 * row[3] + 0.03 * (next() - 0.5) - 0.12;
        y.push(lad.clamp(0.0, 1.0));
        data.extend(row.iter().map(|&v| v as f32));
    }
    match Matrix::new(n, cols, data) {
        Ok(m) => (m, y),
        Err(e) => panic!("bench data: {e}"),
    }
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

fn secs<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed().as_secs_f64())
}

/// Fits `params` on the training rows and times one prediction of `px` (after a warm-up
/// call); returns (seconds, model nodes, a note).
fn time_predict(
    train: &Matrix,
    y: &[f64],
    px: &Matrix,
    params: &ForestParams,
    cancel: &AtomicBool,
) -> Result<(f64, usize, String), Box<dyn std::error::Error>> {
    let model = RandomForest::fit(train, y, params, cancel)?;
    let nodes = model.trees().iter().map(|t| t.n_nodes()).sum();
    let depth_mean = model.trees().iter().map(|t| t.depth() as f64).sum::<f64>()
        / model.trees().len().max(1) as f64;
    let _ = model.predict(px)?; // warm-up (page faults of the output buffer)
    let (pred, t) = secs(|| model.predict(px));
    let note = format!(
        "model nodes {nodes}, mean tree depth {depth_mean:.1}, first prediction {:.4}",
        pred?[0]
    );
    Ok((t, nodes, note))
}

/// smartcore 0.7's forest with the same shape as `params` (its criterion is MSE) on the same
/// training rows, predicting the first 100,000 rows of `px`, scaled to 1,000,000 (the full
/// run would take over a minute); returns (fit seconds, scaled predict seconds, a note).
fn time_smartcore(
    train: &Matrix,
    y: &[f64],
    px: &Matrix,
    params: &ForestParams,
) -> Result<(f64, f64, String), Box<dyn std::error::Error>> {
    let to_dense = |m: &Matrix, n: usize| {
        let rows: Vec<Vec<f64>> = (0..n)
            .filter_map(|r| m.row(r))
            .map(|r| r.iter().map(|&v| f64::from(v)).collect())
            .collect();
        DenseMatrix::from_2d_vec(&rows)
    };
    let sx = to_dense(train, train.n_rows())?;
    let n_part = 100_000.min(px.n_rows()).max(1);
    let sp = to_dense(px, n_part)?;
    let mut sc_params = RandomForestRegressorParameters::default()
        .with_n_trees(params.n_estimators)
        .with_m(params.max_features.resolve(train.n_cols()))
        .with_min_samples_split(params.min_samples_split)
        .with_min_samples_leaf(params.min_samples_leaf)
        .with_seed(0);
    if let Some(d) = params.max_depth {
        sc_params = sc_params.with_max_depth(u16::try_from(d)?);
    }
    let y = y.to_vec(); // smartcore's targets are an `Array1`, which `Vec` implements
    let (sc, fit_s) = secs(|| RandomForestRegressor::fit(&sx, &y, sc_params));
    let sc = sc?;
    let (sc_pred, t_part) = secs(|| sc.predict(&sp));
    let sc_pred: Vec<f64> = sc_pred?;
    let scale = px.n_rows() as f64 / n_part as f64;
    Ok((
        fit_s,
        t_part * scale,
        format!("first prediction {:.4}", sc_pred[0]),
    ))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let export: Option<PathBuf> = std::env::var_os("SLIDEMAP_BENCH_DATA").map(PathBuf::from);
    let cancel = AtomicBool::new(false);
    let threads = rayon::current_num_threads();
    let (gx, gy) = landslide_like(500, 45, 1);
    let (fx, fy) = landslide_like(4000, 15, 2);
    let (px_train, py_train) = landslide_like(4000, 45, 3);
    let (px, _) = landslide_like(1_000_000, 45, 4);
    if let Some(dir) = &export {
        std::fs::create_dir_all(dir)?;
        write_raw(dir, "grid", &gx, Some(&gy))?;
        write_raw(dir, "fit", &fx, Some(&fy))?;
        write_raw(dir, "pred_train", &px_train, Some(&py_train))?;
        write_raw(dir, "pred", &px, None)?;
        let shapes = serde_json::json!({
            "grid": [500, 45], "fit": [4000, 15], "pred_train": [4000, 45], "pred": [1_000_000, 45]
        });
        std::fs::write(dir.join("shapes.json"), shapes.to_string())?;
    }

    let only = std::env::var("SLIDEMAP_BENCH_ONLY")
        .ok()
        .filter(|s| !s.is_empty());
    let run = |name: &str| {
        only.as_deref()
            .is_none_or(|o| o.split(',').any(|o| o.trim() == name))
    };
    let (mut t_grid, mut t_fit, mut t_pred, mut t_sc_fit, mut t_sc_pred) =
        (f64::NAN, f64::NAN, f64::NAN, f64::NAN, f64::NAN);
    let mut notes = Vec::new();
    if run("grid") {
        let (res, t) =
            secs(|| grid_search(&gx, &gy, &GridSearchOptions::default(), &cancel, &|_, _| {}));
        let res = res?;
        t_grid = t;
        notes.push(format!(
            "best grid candidate {} (R2 {:.4})",
            res.best_index, res.best_score
        ));
    }
    if run("fit") {
        let fit_params = ForestParams::default()
            .with_n_estimators(100)
            .with_max_depth(Some(20));
        let (rf, t) = secs(|| RandomForest::fit(&fx, &fy, &fit_params, &cancel));
        t_fit = t;
        notes.push(format!(
            "fit leaves {}",
            rf?.trees().iter().map(|t| t.n_leaves()).sum::<usize>()
        ));
    }
    // the workload (unlimited depth, as smartcore's default) and the quick setting's shape
    let (mut nodes, mut t_shallow, mut t_sc_shallow) = (0, f64::NAN, f64::NAN);
    let deep = ForestParams::default()
        .with_n_estimators(100)
        .with_criterion(Criterion::Mse);
    let shallow = ForestParams::quick()
        .with_n_estimators(100)
        .with_criterion(Criterion::Mse);
    if run("predict") {
        let (t, model_nodes, note) = time_predict(&px_train, &py_train, &px, &deep, &cancel)?;
        (t_pred, nodes) = (t, model_nodes);
        notes.push(format!("predict {note}"));
    }
    if run("predict_shallow") {
        let (t, _, note) = time_predict(&px_train, &py_train, &px, &shallow, &cancel)?;
        t_shallow = t;
        notes.push(format!("shallow {note}"));
    }
    if run("smartcore") {
        let (fit_s, pred_s, note) = time_smartcore(&px_train, &py_train, &px, &deep)?;
        (t_sc_fit, t_sc_pred) = (fit_s, pred_s);
        notes.push(format!("smartcore {note}"));
        if run("predict_shallow") {
            let (_, pred_s, note) = time_smartcore(&px_train, &py_train, &px, &shallow)?;
            t_sc_shallow = pred_s;
            notes.push(format!("smartcore shallow {note}"));
        }
    }

    println!("SlideMap forest benchmarks ({threads} rayon threads)");
    println!("{:<44} {:>12}", "workload", "seconds");
    println!(
        "{:<44} {:>12.3}",
        "grid search Table 2 (192x4, MAE) 500x45", t_grid
    );
    println!(
        "{:<44} {:>12.3}",
        "fit 100 MAE trees depth 20, 4000x15", t_fit
    );
    println!("{:<44} {:>12.3}", "predict 100 trees, 1,000,000x45", t_pred);
    println!(
        "{:<44} {:>12.3}",
        "smartcore fit 100 MSE trees, 4000x45", t_sc_fit
    );
    println!(
        "{:<44} {:>12.3}",
        "smartcore predict 1,000,000x45 (100k x 10)", t_sc_pred
    );
    println!(
        "{:<44} {:>12.3}",
        "predict 100 shallow trees (quick shape)", t_shallow
    );
    println!(
        "{:<44} {:>12.3}",
        "smartcore predict, shallow (100k x 10)", t_sc_shallow
    );
    println!(
        "rows/s predict: ours {:.0}, smartcore {:.0} (ratio {:.1}); shallow: ours {:.0}, \
         smartcore {:.0} (ratio {:.1})",
        1e6 / t_pred,
        1e6 / t_sc_pred,
        t_sc_pred / t_pred,
        1e6 / t_shallow,
        1e6 / t_sc_shallow,
        t_sc_shallow / t_shallow
    );
    println!("({})", notes.join("; "));
    if let Some(dir) = &export {
        let out = serde_json::json!({
            "threads": threads, "grid_s": t_grid, "fit_s": t_fit, "predict_s": t_pred,
            "smartcore_fit_s": t_sc_fit, "smartcore_predict_s": t_sc_pred,
            "predict_model_nodes": nodes,
            "predict_shallow_s": t_shallow, "smartcore_predict_shallow_s": t_sc_shallow,
        });
        std::fs::write(dir.join("rust_results.json"), out.to_string())?;
    }
    Ok(())
}
