//! Forest benchmarks (plain `main`, `harness = false`): grid search, fit and batch prediction.
//!
//! Run: `cargo bench --bench forest` (prints a table). `tools/sklearn_reference/bench_compare.sh`
//! sets `SLIDEMAP_BENCH_DATA=<dir>`: the bench then also writes its data sets there (raw
//! little-endian `f32` X / `f64` y plus `shapes.json`) and its timings (`rust_results.json`) so
//! that scikit-learn runs on the very same data and ratios can be printed.
//!
//! `SLIDEMAP_BENCH_ONLY=grid|fit|predict|smartcore` runs the named workloads (comma-separated,
//! e.g. `predict,smartcore` for the smartcore ratio from one run; others print NaN).
//!
//! Workloads (all deterministic):
//! - `grid`: Table-2 grid (192 candidates x 4 folds, MAE) on 500 rows x 45 features;
//! - `fit`: 100 MAE trees, max_depth 20, sqrt features, on 4,000 rows x 15 features;
//! - `predict`: 100 MSE trees (unlimited depth) fitted on 4,000 x 45, predicting 1,000,000 x 45;
//! - `smartcore_predict`: smartcore 0.7 forest of 100 trees on the same 4,000 x 45 rows,
//!   predicting 100,000 rows, scaled to 1,000,000 (the full run would take over a minute).

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
    let mut nodes = 0;
    if run("predict") {
        let pred_params = ForestParams::default()
            .with_n_estimators(100)
            .with_criterion(Criterion::Mse);
        let model = RandomForest::fit(&px_train, &py_train, &pred_params, &cancel)?;
        nodes = model.trees().iter().map(|t| t.n_nodes()).sum();
        let _ = model.predict(&px)?; // warm-up (page faults of the output buffer)
        let (pred, t) = secs(|| model.predict(&px));
        t_pred = t;
        notes.push(format!(
            "predict model nodes {nodes}, first prediction {:.4}",
            pred?[0]
        ));
    }

    if run("smartcore") {
        // smartcore: same training rows, 20,000 prediction rows, scaled to 1,000,000
        let to_rows = |m: &Matrix, n: usize| -> Vec<Vec<f64>> {
            (0..n)
                .filter_map(|r| m.row(r))
                .map(|r| r.iter().map(|&v| f64::from(v)).collect())
                .collect()
        };
        let sx = DenseMatrix::from_2d_vec(&to_rows(&px_train, 4000))?;
        let sp = DenseMatrix::from_2d_vec(&to_rows(&px, 100_000))?;
        let m = (45f64).sqrt() as usize;
        let sc_params = RandomForestRegressorParameters::default()
            .with_n_trees(100)
            .with_m(m)
            .with_seed(0);
        let (sc, t) = secs(|| RandomForestRegressor::fit(&sx, &py_train, sc_params));
        let sc = sc?;
        t_sc_fit = t;
        let (sc_pred, t_sc_100k) = secs(|| sc.predict(&sp));
        let sc_pred: Vec<f64> = sc_pred?;
        t_sc_pred = t_sc_100k * 10.0;
        notes.push(format!("smartcore first prediction {:.4}", sc_pred[0]));
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
        "rows/s predict: ours {:.0}, smartcore {:.0}",
        1e6 / t_pred,
        1e6 / t_sc_pred
    );
    println!("({})", notes.join("; "));
    if let Some(dir) = &export {
        let out = serde_json::json!({
            "threads": threads, "grid_s": t_grid, "fit_s": t_fit, "predict_s": t_pred,
            "smartcore_fit_s": t_sc_fit, "smartcore_predict_s": t_sc_pred,
            "predict_model_nodes": nodes,
        });
        std::fs::write(dir.join("rust_results.json"), out.to_string())?;
    }
    Ok(())
}
