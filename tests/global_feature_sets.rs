//! Which features a global model should use (the rapid-mapping issue): the paper's Table 1
//! (ground-failure product + ICFs) against the extended set (+ the eight terrain features
//! and PGV), each with the ground-failure product as published or rank-transformed per
//! event, on the three demo events (leave-one-event-out, quick setting, seed 42).
//!
//! Slow (four global timelines): run with
//! `cargo test --release --test global_feature_sets -- --ignored --nocapture`;
//! the README's table comes from its output.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

use slidemap::demo::{write_demo, DemoOptions};
use slidemap::experiment::{
    run_experiment, ExperimentKind, ExperimentOptions, GlobalFeatureSet, GroundFailureTransform,
};
use slidemap::pipeline::{build_event, FeatureOptions};
use slidemap::project::Project;
use std::sync::atomic::AtomicBool;

#[test]
#[ignore]
fn global_feature_sets_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let cancel = AtomicBool::new(false);
    let projects = write_demo(dir.path(), &DemoOptions::default(), &cancel, &|_, _| {}).unwrap();
    let events: Vec<_> = projects
        .iter()
        .map(|p| {
            build_event(
                &Project::load(p).unwrap(),
                &FeatureOptions::default().with_keep_fine_dem(false),
                &cancel,
                &|_, _| {},
            )
            .unwrap()
        })
        .collect();
    println!("| features | ground failure | event | AUC step 0 | AUC first ALOS-2 step | AUC last step | mean |");
    println!("|---|---|---|---|---|---|---|");
    for set in [GlobalFeatureSet::Table1, GlobalFeatureSet::Extended] {
        for tr in [GroundFailureTransform::None, GroundFailureTransform::Rank] {
            let opts = ExperimentOptions::quick(ExperimentKind::Global)
                .with_seed(42)
                .with_global_features(set)
                .with_gf_transform(tr);
            let r = run_experiment(&events, &opts, &cancel, &|_, _| {}, &|_| {}).unwrap();
            let mut all = Vec::new();
            for ev in &events {
                let steps: Vec<_> = r.steps.iter().filter(|s| s.event == ev.name()).collect();
                let a2 = steps
                    .iter()
                    .find(|s| s.sensor.contains("A2"))
                    .map_or(f64::NAN, |s| s.auc.mean);
                let (first, last) = (steps[0].auc.mean, steps[steps.len() - 1].auc.mean);
                let mean = steps.iter().map(|s| s.auc.mean).sum::<f64>() / steps.len() as f64;
                all.push(mean);
                println!(
                    "| {} | {} | {} | {first:.3} | {a2:.3} | {last:.3} | {mean:.3} |",
                    set.name(),
                    tr.name(),
                    ev.name()
                );
                assert!(first.is_finite() && last.is_finite());
            }
            println!(
                "| {} | {} | all | | | | {:.3} |",
                set.name(),
                tr.name(),
                all.iter().sum::<f64>() / all.len() as f64
            );
        }
    }
}
