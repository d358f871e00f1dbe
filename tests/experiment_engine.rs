//! The experiment engine on small synthetic events (no GDAL files): skill where there is
//! signal, determinism for a seed, streamed steps, and clear errors for bad set-ups.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

use slidemap::event::AnalysisGrid;
use slidemap::experiment::{
    run_experiment, ExperimentError, ExperimentKind, ExperimentOptions, TrainingSource,
};
use slidemap::features::{FeatureColumn, FeatureGroup, FeatureTable};
use slidemap::grid::GridSpec;
use slidemap::io::Polygon;
use slidemap::pipeline::EventData;
use slidemap::project::Project;
use std::cell::RefCell;
use std::path::Path;
use std::sync::atomic::AtomicBool;

const PROJECT: &str = r#"
format_version = 1
[event]
name = "NAME"
date = "2018-09-06"
[inputs]
dem = { path = "dem.tif" }
[[acquisitions]]
sensor = "ALOS-2"
track = "P18"
pass = "descending"
first_post_date = "2018-09-10"
second_post_date = "2018-09-24"
pre_event = { path = "pre.tif" }
co_event = { path = "co.tif" }
post_event = { path = "post.tif" }
"#;

/// A 60 × 60-cell event: LAD grows with slope and with a radar signal that only the
/// co-event coherence sees; half the area is covered by the radar footprint.
fn event(name: &str, seed: u64) -> EventData {
    let project =
        Project::from_toml(&PROJECT.replace("NAME", name), Path::new("/tmp/p.toml")).unwrap();
    let (rows, cols) = (60, 60);
    let coarse = GridSpec::new(
        cols,
        rows,
        500_000.0,
        4_700_000.0,
        200.0,
        220.0,
        String::new(),
    )
    .unwrap();
    let n = rows * cols;
    let mut s = seed;
    let mut rnd = move || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((s >> 33) as f64) / (1u64 << 31) as f64
    };
    let slope: Vec<f32> = (0..n).map(|_| (rnd() * 45.0) as f32).collect();
    let hidden: Vec<f32> = (0..n).map(|_| rnd() as f32).collect();
    let lad: Vec<f32> = (0..n)
        .map(|i| {
            let p = 0.6 * (slope[i] as f64 / 45.0) + 0.4 * hidden[i] as f64;
            if p > 0.7 {
                (p - 0.7) as f32 * 1.5
            } else {
                0.0
            }
        })
        .collect();
    let co: Vec<f32> = (0..n)
        .map(|i| {
            if i % cols < cols / 2 {
                0.8 - 0.6 * hidden[i] + 0.05 * rnd() as f32
            } else {
                f32::NAN
            }
        })
        .collect();
    let noise: Vec<f32> = (0..n).map(|_| rnd() as f32).collect();
    let d = chrono::NaiveDate::from_ymd_opt(2018, 9, 10);
    let col = |name: &str, group, values: Vec<f32>, available_on| FeatureColumn {
        name: name.into(),
        group,
        unit: String::new(),
        values,
        available_on,
    };
    let table = FeatureTable {
        coarse: coarse.clone(),
        columns: vec![
            col("slope_mean_deg", FeatureGroup::Topography, slope, None),
            col("elev_mean_m", FeatureGroup::Topography, noise, None),
            col("A2_desc_coh_co", FeatureGroup::Alos2, co.clone(), d),
            col(
                "A2_desc_CECL",
                FeatureGroup::Alos2,
                co.iter().map(|c| 0.85 - c).collect(),
                d,
            ),
        ],
        valid: vec![true; n],
        target: lad,
        target_name: "LAD".into(),
    };
    let fine = GridSpec::new(
        cols * 10,
        rows * 10,
        500_000.0,
        4_700_000.0,
        20.0,
        22.0,
        String::new(),
    )
    .unwrap();
    let grid = AnalysisGrid {
        fine: fine.clone(),
        coarse,
        block: 10,
        study_fine: vec![],
        study_polygons: vec![],
    };
    EventData {
        project,
        grid,
        table,
        dem_fine: None,
        landslide_count: 0,
        warnings: vec![],
    }
}

fn quick() -> ExperimentOptions {
    let mut o = ExperimentOptions::quick(ExperimentKind::SameEvent).with_repeats(3);
    o.forest = o.forest.clone().with_n_estimators(30);
    o
}

#[test]
fn same_event_models_find_the_signal_and_radar_adds_skill() {
    let ev = event("Synthetic", 1);
    let streamed = RefCell::new(Vec::new());
    let r = run_experiment(&[ev], &quick(), &AtomicBool::new(false), &|_, _| {}, &|s| {
        streamed.borrow_mut().push(s.step)
    })
    .unwrap();
    // timeline: step 0 (no radar), +4 d co-event (coherence + CECL); no post-event column in the table
    assert_eq!(*streamed.borrow(), vec![0, 1, 2]);
    let s0 = &r.steps[0];
    let s1 = &r.steps[1];
    assert!(
        s0.auc.mean > 0.6,
        "terrain alone has skill: {}",
        s0.auc.mean
    );
    assert!(
        s1.auc.mean > s0.auc.mean + 0.03,
        "radar adds skill: {} → {}",
        s0.auc.mean,
        s1.auc.mean
    );
    assert_eq!(s0.auc.n, 3);
    let imp: f64 = s1.importances.iter().map(|g| g.importance).sum();
    assert!(
        (imp - 1.0).abs() < 1e-6,
        "grouped importances sum to 1: {imp}"
    );
    assert!(s1
        .baselines
        .iter()
        .any(|b| b.name == "A2_desc_CECL" && b.auc > 0.6));
    let maps = s1.maps.as_ref().unwrap();
    assert!(maps.predicted.iter().all(|v| v.is_finite()));
}

#[test]
fn identical_seeds_give_identical_results() {
    let a = run_experiment(
        &[event("A", 2)],
        &quick(),
        &AtomicBool::new(false),
        &|_, _| {},
        &|_| {},
    )
    .unwrap();
    let b = run_experiment(
        &[event("A", 2)],
        &quick(),
        &AtomicBool::new(false),
        &|_, _| {},
        &|_| {},
    )
    .unwrap();
    assert_eq!(a.steps, b.steps);
    let c = run_experiment(
        &[event("A", 2)],
        &quick().with_seed(9),
        &AtomicBool::new(false),
        &|_, _| {},
        &|_| {},
    )
    .unwrap();
    assert_ne!(a.steps[0].auc, c.steps[0].auc);
}

#[test]
fn too_few_landslide_cells_say_how_many_there_are() {
    let mut ev = event("Sparse", 3);
    for (i, v) in ev.table.target.iter_mut().enumerate() {
        if i % 40 != 0 {
            *v = 0.0;
        }
    }
    let have = ev.table.target.iter().filter(|v| **v > 0.01).count();
    let e = run_experiment(
        &[ev],
        &quick(),
        &AtomicBool::new(false),
        &|_, _| {},
        &|_| {},
    )
    .unwrap_err();
    assert!(matches!(e, ExperimentError::TooFewCells { .. }), "{e}");
    assert!(e.to_string().contains(&format!("{have} landslide")), "{e}");
}

#[test]
fn a_global_experiment_needs_two_events() {
    let o = ExperimentOptions::quick(ExperimentKind::Global);
    let e = run_experiment(
        &[event("Only", 4)],
        &o,
        &AtomicBool::new(false),
        &|_, _| {},
        &|_| {},
    )
    .unwrap_err();
    assert!(e.to_string().contains("two or more events"), "{e}");
}

#[test]
fn global_models_train_on_the_other_events_with_ensemble_bounds() {
    let mut o = ExperimentOptions::quick(ExperimentKind::SarOnly).with_ensemble_size(4);
    o.global_per_class = 200;
    o.forest = o.forest.clone().with_n_estimators(20);
    let r = run_experiment(
        &[event("E1", 5), event("E2", 6)],
        &o,
        &AtomicBool::new(false),
        &|_, _| {},
        &|_| {},
    )
    .unwrap();
    // SAR-only has no features at step 0: steps 1 and 2 of each event
    assert_eq!(r.steps.len(), 4);
    assert!(r.warnings.iter().any(|w| w.contains("no radar yet")));
    let m = r.steps[0].maps.as_ref().unwrap();
    let (p5, p95) = (m.p5.as_ref().unwrap(), m.p95.as_ref().unwrap());
    assert!(p5.iter().zip(p95).all(|(a, b)| !a.is_finite() || a <= b));
    // half the cells lie outside the footprint, where a SAR-only model knows nothing
    assert!(r.steps[0].auc.mean > 0.6, "{}", r.steps[0].auc.mean);
}

#[test]
fn polygons_outside_the_mapped_area_are_refused() {
    let mut ev = event("P", 7);
    ev.table.target.iter_mut().for_each(|v| *v = f32::NAN); // nothing mapped…
    for v in ev.table.target.iter_mut().take(600) {
        *v = 0.2; // …except the first 10 rows
    }
    let far = Polygon::new(vec![
        [505_000.0, 4_690_000.0],
        [506_000.0, 4_690_000.0],
        [506_000.0, 4_691_000.0],
        [505_000.0, 4_691_000.0],
    ]);
    let o = quick().with_training(TrainingSource::Polygons(vec![far]));
    let e = run_experiment(&[ev], &o, &AtomicBool::new(false), &|_, _| {}, &|_| {}).unwrap_err();
    assert!(e.to_string().contains("outside the mapped extent"), "{e}");
}

#[test]
fn cancelling_stops_with_cancelled() {
    let e = run_experiment(
        &[event("C", 8)],
        &quick(),
        &AtomicBool::new(true),
        &|_, _| {},
        &|_| {},
    )
    .unwrap_err();
    assert!(matches!(e, ExperimentError::Cancelled));
}

#[test]
fn hold_out_models_train_on_every_balanced_cell_of_each_halved_extent() {
    let ev = event("Synthetic", 5);
    let mut o = ExperimentOptions::quick(ExperimentKind::Holdout);
    o.forest = o.forest.clone().with_n_estimators(20);
    assert_eq!(o.repeats, 1, "the paper fits one model per extent");
    let r = run_experiment(&[ev], &o, &AtomicBool::new(false), &|_, _| {}, &|_| {}).unwrap();
    let mut by_extent: Vec<(f64, usize)> = r
        .steps
        .iter()
        .filter(|s| s.step == 0)
        .map(|s| (s.training_extent, s.n_train))
        .collect();
    by_extent.sort_by(|a, b| b.0.total_cmp(&a.0));
    assert_eq!(
        by_extent.iter().map(|e| e.0).collect::<Vec<_>>(),
        vec![1.0, 0.5, 0.25, 0.125]
    );
    // LAD > 0.01 is the minority class here, so each model gets all of the extent's
    // landslide cells and as many non-landslide cells: far more than 250 + 250 at full
    // extent, and about half as many each time the extent halves
    let n: Vec<usize> = by_extent.iter().map(|e| e.1).collect();
    assert!(n[0] > 500 && n[0].is_multiple_of(2), "{n:?}");
    for w in n.windows(2) {
        let ratio = w[1] as f64 / w[0] as f64;
        assert!((0.35..0.65).contains(&ratio), "{n:?}");
    }
    assert!(
        r.steps.iter().all(|s| s.auc.n == 1),
        "one model per extent and step"
    );
}

#[test]
fn a_hold_out_with_three_landslides_says_so_in_one_sentence() {
    let mut ev = event("Sparse", 5);
    let mut kept = 0;
    for v in ev.table.target.iter_mut() {
        if *v > 0.01 {
            if kept < 3 {
                kept += 1;
            } else {
                *v = 0.0;
            }
        }
    }
    let e = run_experiment(
        &[ev],
        &ExperimentOptions::quick(ExperimentKind::Holdout),
        &AtomicBool::new(false),
        &|_, _| {},
        &|_| {},
    )
    .unwrap_err();
    let m = e.to_string();
    assert!(
        matches!(e, ExperimentError::TooFewHoldoutCells { .. }),
        "{m}"
    );
    assert!(
        m.contains("hold-out training extent 0 has") && m.contains("at least 10 of each"),
        "{m}"
    );
    assert!(m.contains(" landslide cell(s) (LAD > 0.01) and "), "{m}");
}

#[test]
fn zero_repeats_are_refused_by_the_engine_not_clamped() {
    let e = run_experiment(
        &[event("A", 1)],
        &quick().with_repeats(0),
        &AtomicBool::new(false),
        &|_, _| {},
        &|_| {},
    )
    .unwrap_err();
    assert!(matches!(e, ExperimentError::InvalidOption { .. }), "{e}");
    assert!(e.to_string().contains("repeats = 0"), "{e}");
}

#[test]
fn the_same_event_twice_is_refused_by_the_engine() {
    let e = run_experiment(
        &[event("A", 1), event("A", 2)],
        &ExperimentOptions::quick(ExperimentKind::Global),
        &AtomicBool::new(false),
        &|_, _| {},
        &|_| {},
    )
    .unwrap_err();
    assert!(matches!(e, ExperimentError::DuplicateEvent { .. }), "{e}");
}
