//! Rapid-mapping benchmark (issue: rapid mapping, Performance).
//!
//! `cargo bench --bench predict` measures, on the demo (seed 42):
//! 1. `predict --same-event --quick` after an acquisition arrives: the event's features
//!    rebuilt with every acquisition (as `slidemap predict` does), then the same-event
//!    model on its mapped cells with spatial validation — every step, and the new step only
//!    (`--latest-only`). Target ≤ 5 s.
//! 2. `predict` with saved 100-model global ensembles (the paper's protocol: 100 models,
//!    1000 + 1000 cells per past event; `SLIDEMAP_BENCH_GRID=1` adds the Table-2 grid search)
//!    for one new step, on the Lombok-like event tiled to ≥ 1,000,000 coarse cells; the
//!    models are trained first (timed apart) and the prediction then reads them from the
//!    model folder. Target ≤ 120 s on 2 cores, memory streamed (peak RSS reported).
//!
//! Prints wall times, cells, row-trees and ns per row-tree, and peak RSS.

use rayon::prelude::*;
use slidemap::demo::{write_demo, DemoOptions};
use slidemap::experiment::{
    predict_new_event, ExperimentKind, ExperimentOptions, PredictMode, TrainingSource,
};
use slidemap::grid::GridSpec;
use slidemap::pipeline::{build_event, EventData, FeatureOptions};
use slidemap::project::Project;
use slidemap::rapid::{predict, train, PredictOptions};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// `ev` tiled `n × n` times (features, validity; no inventory): a large new event with the
/// same timeline.
fn tiled(ev: &EventData, n: usize) -> Result<EventData, slidemap::grid::GridError> {
    let t = &ev.table;
    let (rows, cols) = (t.coarse.rows, t.coarse.cols);
    let spec = GridSpec::new(
        cols * n,
        rows * n,
        t.coarse.x_min,
        t.coarse.y_max,
        t.coarse.cell_width,
        t.coarse.cell_height,
        t.coarse.crs_wkt.clone(),
    )?;
    let tile = |v: &[f32]| -> Vec<f32> {
        let mut out = Vec::with_capacity(v.len() * n * n);
        for _ in 0..n {
            for r in 0..rows {
                for _ in 0..n {
                    out.extend_from_slice(&v[r * cols..(r + 1) * cols]);
                }
            }
        }
        out
    };
    let mut e = ev.clone();
    e.table
        .columns
        .iter_mut()
        .for_each(|c| c.values = tile(&c.values));
    let valid: Vec<f32> = t.valid.iter().map(|&b| if b { 1.0 } else { 0.0 }).collect();
    e.table.valid = tile(&valid).iter().map(|&v| v > 0.5).collect();
    e.table.target = vec![f32::NAN; spec.len()];
    e.table.coarse = spec;
    e.project.file.event.name = format!("{} tiled {n}x{n}", ev.name());
    Ok(e)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cancel = AtomicBool::new(false);
    let dir = tempfile::tempdir()?;
    let projects = write_demo(dir.path(), &DemoOptions::default(), &cancel, &|_, _| {})?;
    let build = |p: &std::path::Path| -> Result<EventData, String> {
        build_event(
            &Project::load(p).map_err(|e| e.to_string())?,
            &FeatureOptions::default().with_keep_fine_dem(false),
            &AtomicBool::new(false),
            &|_, _| {},
        )
        .map_err(|e| e.to_string())
    };
    let only = std::env::var("SLIDEMAP_BENCH_ONLY").unwrap_or_default();
    let run = |name: &str| only.is_empty() || only.split(',').any(|k| k.trim() == name);
    println!("machine: {} cores", rayon::current_num_threads());

    if run("same-event") {
        for latest_only in [false, true] {
            let t0 = Instant::now();
            let ev = build(&projects[1])?;
            let features_s = t0.elapsed().as_secs_f64();
            let opts = ExperimentOptions::quick(ExperimentKind::SameEvent)
                .with_seed(42)
                .with_training(TrainingSource::AllMapped)
                .with_latest_only(latest_only);
            let t1 = Instant::now();
            let r = predict_new_event(
                &ev,
                &[],
                PredictMode::SameEvent,
                &opts,
                None,
                &cancel,
                &|_, _| {},
                &|_| {},
            )?;
            let model_s = t1.elapsed().as_secs_f64();
            println!(
                "same-event quick ({}, {} step(s), validation {}): features {features_s:.2} s + model {model_s:.2} s = {:.2} s (target <= 5 s)",
                ev.name(),
                r.steps.len(),
                r.steps.first().map_or("-", |s| s.validation.kind.name()),
                features_s + model_s
            );
        }
    }

    if run("global-1m") {
        let past: Vec<EventData> = projects[..2]
            .par_iter()
            .map(|p| build(p))
            .collect::<Result<_, _>>()?;
        let lombok = build(&projects[2])?;
        let n = (1_000_000f64 / lombok.table.coarse.len() as f64)
            .sqrt()
            .ceil() as usize;
        let big = tiled(&lombok, n)?;
        let cells = big.table.valid.iter().filter(|v| **v).count();
        let grid = std::env::var("SLIDEMAP_BENCH_GRID").is_ok();
        let tl = slidemap::coherence::Timeline::from_project(&big.project);
        // the first step with ALOS-2: the "new step" of the emergency timeline
        let step = tl
            .steps
            .iter()
            .find(|s| s.added.iter().any(|f| f.sensor.starts_with("A2")))
            .unwrap_or(&tl.steps[tl.steps.len() - 1]);
        let opts = ExperimentOptions::paper(ExperimentKind::Global)
            .with_seed(42)
            .with_grid_search(grid)
            .with_as_of(Some(step.date))
            .with_latest_only(true);
        let models = dir.path().join("models");
        let t0 = Instant::now();
        train(&past, &opts, Some(&lombok), &models, &cancel, &|_, _| {})?;
        let train_s = t0.elapsed().as_secs_f64();
        let store = slidemap::rapid::ModelStore::open(&models)?;
        let t1 = Instant::now();
        let out = predict(
            &big,
            &past,
            &PredictOptions {
                global: Some(opts.clone()),
                same_event: None,
            },
            Some(&store),
            &cancel,
            &|_, _| {},
            &|_| {},
        )?;
        let predict_s = t1.elapsed().as_secs_f64();
        let trees: usize = {
            let files = store.model_files();
            files
                .iter()
                .filter_map(|f| slidemap::rapid::ModelStore::read_file(f).ok())
                .map(|(_, e)| e.models().iter().map(|m| m.n_trees()).sum::<usize>())
                .max()
                .unwrap_or(0)
        };
        let steps = out.global.map_or(0, |r| r.steps.len());
        println!(
            "global, saved 100-model ensembles{}: {} step(s) of {} on {cells} cells ({}x{} tiles), training {train_s:.1} s, prediction {predict_s:.1} s (target <= 120 s), {trees} trees per ensemble, {:.1} ns per row-tree, peak RSS {:.0} MB",
            if grid { " (grid search)" } else { "" },
            steps,
            big.name(),
            n,
            n,
            predict_s * 1e9 / (cells as f64 * trees.max(1) as f64),
            peak_rss_mb()
        );
    }
    Ok(())
}
