//! Experiment benchmark on the three demo events (issue: experiments, Performance).
//!
//! `cargo bench --bench experiments` runs the quick setting (no grid search, 5 repeats, every
//! step, global ensembles of 20) of all four experiments; `cargo bench --bench experiments --
//! --full` runs the paper's protocol (30 repeats with the Table-2 grid search at every step,
//! 100-model global ensembles, SAR-only, hold-out). Prints wall time per experiment, a
//! per-stage breakdown (features, grid search, fitting, prediction, I/O) and peak RSS.

use rayon::prelude::*;
use slidemap::demo::{write_demo, DemoOptions};
use slidemap::experiment::{run_experiment, ExperimentKind, ExperimentOptions};
use slidemap::pipeline::{build_event, FeatureOptions};
use slidemap::project::Project;
use slidemap::report::{write_outputs, ReportOptions};
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let full = std::env::args().any(|a| a == "--full");
    let cancel = AtomicBool::new(false);
    let dir = tempfile::tempdir()?;
    let t0 = Instant::now();
    let projects = write_demo(dir.path(), &DemoOptions::default(), &cancel, &|_, _| {})?;
    let demo_s = t0.elapsed().as_secs_f64();
    let t0 = Instant::now();
    // in parallel over events, as `slidemap run` builds them
    let events = projects
        .par_iter()
        .map(|p| -> Result<_, Box<dyn std::error::Error + Send + Sync>> {
            Ok(build_event(
                &Project::load(p)?,
                &FeatureOptions::default().with_keep_fine_dem(false),
                &cancel,
                &|_, _| {},
            )?)
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let features_s = t0.elapsed().as_secs_f64();
    println!(
        "setting: {}",
        if full {
            "paper's full protocol"
        } else {
            "quick"
        }
    );
    println!("demo generation {demo_s:.2} s, features of 3 events {features_s:.2} s");
    println!(
        "{:<12} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "experiment", "total_s", "grid_s", "fit_s", "pred_s", "other_s", "io_s"
    );
    let mut grand = features_s;
    // SLIDEMAP_BENCH_ONLY=global,sar-only runs only those experiments (for profiling)
    let only = std::env::var("SLIDEMAP_BENCH_ONLY").unwrap_or_default();
    for kind in [
        ExperimentKind::SameEvent,
        ExperimentKind::Global,
        ExperimentKind::SarOnly,
        ExperimentKind::Holdout,
    ] {
        if !only.is_empty() && !only.split(',').any(|k| k.trim() == kind.name()) {
            continue;
        }
        let opts = if full {
            ExperimentOptions::paper(kind)
        } else {
            ExperimentOptions::quick(kind)
        };
        let t = Instant::now();
        let r = run_experiment(&events, &opts, &cancel, &|_, _| {}, &|_| {})?;
        let run_s = t.elapsed().as_secs_f64();
        let out = dir.path().join(format!("out-{}", kind.name()));
        std::fs::create_dir_all(&out)?;
        let t = Instant::now();
        write_outputs(&r, &out, &ReportOptions::default())?;
        let io_s = t.elapsed().as_secs_f64();
        let get = |k: &str| {
            r.timings
                .iter()
                .find(|(n, _)| n.starts_with(k))
                .map_or(0.0, |(_, v)| *v)
        };
        println!(
            "{:<12} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
            kind.name(),
            run_s + io_s,
            get("grid"),
            get("fitting"),
            get("prediction"),
            get("other"),
            io_s
        );
        grand += run_s + io_s;
    }
    println!(
        "all four experiments incl. features: {grand:.1} s; peak RSS {:.0} MB",
        peak_rss_mb()
    );
    Ok(())
}
