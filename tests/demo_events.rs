//! The built-in demo: every event loads through the normal project loader and feature
//! pipeline, with believable statistics, and the generator is deterministic for a seed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

use slidemap::demo::{demo_is_complete, write_demo, DemoOptions, DEMO_EVENTS};
use slidemap::io::{raster_info, read_raster, read_vector, VectorReadOptions};
use slidemap::pipeline::{build_event, FeatureOptions};
use slidemap::project::Project;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::OnceLock;

/// One demo per test binary (seed 42), shared by the tests.
fn demo() -> &'static (tempfile::TempDir, Vec<PathBuf>) {
    static DEMO: OnceLock<(tempfile::TempDir, Vec<PathBuf>)> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let projects = write_demo(
            dir.path(),
            &DemoOptions::default(),
            &AtomicBool::new(false),
            &|_, _| {},
        )
        .unwrap();
        (dir, projects)
    })
}

fn coherence_unit_values(path: &Path) -> Vec<f32> {
    let info = raster_info(path).unwrap();
    let grid = read_raster(path, 1).unwrap();
    let scale = if info.data_type == "Byte" {
        1.0 / 255.0
    } else {
        1.0
    };
    grid.data
        .iter()
        .filter(|v| !v.is_nan())
        .map(|v| v * scale)
        .collect()
}

#[test]
fn the_demo_writes_three_loadable_projects_and_is_then_complete() {
    let (dir, projects) = demo();
    assert_eq!(projects.len(), 3);
    for (p, name) in projects.iter().zip(DEMO_EVENTS) {
        assert!(p.starts_with(dir.path().join(name)), "{}", p.display());
        let project = Project::load(p).unwrap();
        assert_eq!(project.file.acquisitions.len(), 3);
        // three acquisitions, each with a first and a second post-event image on distinct
        // dates: step 0 + 6 steps, the first ALOS-2 image within two weeks
        let tl = slidemap::coherence::Timeline::from_project(&project);
        assert_eq!(tl.steps.len(), 7, "{name}");
        let first_a2 = tl
            .steps
            .iter()
            .find(|s| s.added.iter().any(|f| f.sensor.starts_with("A2")))
            .unwrap();
        assert!(first_a2.days_after_event <= 14, "{name}");
        assert!(
            tl.steps[1].sensors_label().starts_with("S1"),
            "{name}: Sentinel-1 first"
        );
    }
    assert!(demo_is_complete(dir.path()));
    assert!(!demo_is_complete(&dir.path().join("nothing-here")));
}

#[test]
fn every_event_has_believable_landslide_density_statistics() {
    let (_, projects) = demo();
    for p in projects {
        let project = Project::load(p).unwrap();
        let ev = build_event(
            &project,
            &FeatureOptions::default(),
            &AtomicBool::new(false),
            &|_, _| {},
        )
        .unwrap();
        let t = &ev.table;
        let mapped: Vec<f32> = (0..t.target.len())
            .filter(|&i| t.valid[i] && !t.target[i].is_nan())
            .map(|i| t.target[i])
            .collect();
        let frac = mapped.iter().filter(|v| **v > 0.1).count() as f64 / mapped.len() as f64;
        let unmapped_valid = (0..t.target.len())
            .filter(|&i| t.valid[i] && t.target[i].is_nan())
            .count();
        eprintln!(
            "{}: {} landslides, {} valid cells ({} mapped, {} unmapped (edge band and cloud hole)), LAD>0.1 in {:.1} %, {} features",
            project.file.event.name,
            ev.landslide_count,
            t.valid.iter().filter(|v| **v).count(),
            mapped.len(),
            unmapped_valid,
            100.0 * frac,
            t.columns.len()
        );
        assert!(
            (1_000..=10_000).contains(&ev.landslide_count),
            "{} landslides",
            ev.landslide_count
        );
        assert!((0.01..=0.15).contains(&frac), "LAD>0.1 fraction {frac}");
        assert!(
            unmapped_valid > 0,
            "the cloud hole leaves valid but unmapped cells"
        );
        // The first screen of the app: the built-in demo loads without warnings.
        assert!(
            ev.warnings.is_empty(),
            "{}: {:?}",
            project.file.event.name,
            ev.warnings
        );
        assert!(
            t.columns.iter().any(|c| c.name.starts_with("A2_")),
            "ALOS-2 features present"
        );
    }
}

#[test]
fn coherence_lies_in_the_unit_interval_after_scaling() {
    let (_, projects) = demo();
    for p in projects {
        let project = Project::load(p).unwrap();
        for acq in &project.file.acquisitions {
            let files = [
                Some(&acq.pre_event),
                Some(&acq.co_event),
                acq.post_event.as_ref(),
                acq.sibling.as_ref(),
            ];
            for f in files.into_iter().flatten() {
                let path = project.resolve(&f.path);
                let values = coherence_unit_values(&path);
                assert!(values.len() > 1_000, "{}", path.display());
                assert!(
                    values.iter().all(|v| (0.0..=1.0).contains(v)),
                    "{}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn landslide_areas_follow_the_specified_range() {
    let (_, projects) = demo();
    for p in projects {
        let project = Project::load(p).unwrap();
        let inv = project.resolve(&project.file.inputs.inventory.as_ref().unwrap().path);
        let layer = read_vector(
            &inv,
            &VectorReadOptions::new(
                &raster_info(&project.resolve(&project.file.inputs.dem.path))
                    .unwrap()
                    .spec
                    .crs_wkt,
            ),
        )
        .unwrap();
        let areas: Vec<f64> = layer
            .features
            .iter()
            .map(|f| f.parts.iter().map(|p| p.area()).sum())
            .collect();
        assert!(
            areas.iter().all(|a| (350.0..=60_000.0).contains(a)),
            "area out of range"
        );
        let mut sorted = areas.clone();
        sorted.sort_by(f64::total_cmp);
        let median = sorted[sorted.len() / 2];
        assert!((1_000.0..=6_000.0).contains(&median), "median {median}");
    }
}

#[test]
fn the_same_seed_gives_identical_rasters_and_another_seed_does_not() {
    let (dir, _) = demo();
    let again = tempfile::tempdir().unwrap();
    write_demo(
        again.path(),
        &DemoOptions::default().with_seed(42),
        &AtomicBool::new(false),
        &|_, _| {},
    )
    .unwrap();
    let other = tempfile::tempdir().unwrap();
    write_demo(
        other.path(),
        &DemoOptions::default().with_seed(7),
        &AtomicBool::new(false),
        &|_, _| {},
    )
    .unwrap();
    for name in DEMO_EVENTS {
        for rel in [
            "dem.tif",
            "pgv.tif",
            "landcover.tif",
            "ground_failure.tif",
            "coherence",
        ] {
            let a = dir.path().join(name).join(rel);
            let files: Vec<PathBuf> = if a.is_dir() {
                std::fs::read_dir(&a)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .collect()
            } else {
                vec![a]
            };
            for f in files {
                let rel_path = f.strip_prefix(dir.path()).unwrap();
                let x = std::fs::read(&f).unwrap();
                assert_eq!(
                    x,
                    std::fs::read(again.path().join(rel_path)).unwrap(),
                    "{}",
                    rel_path.display()
                );
            }
        }
        let dem = |d: &Path| read_raster(&d.join(name).join("dem.tif"), 1).unwrap().data;
        assert_ne!(dem(dir.path()), dem(other.path()));
    }
}

#[test]
fn a_raised_cancel_flag_stops_generation() {
    let dir = tempfile::tempdir().unwrap();
    let e = write_demo(
        dir.path(),
        &DemoOptions::default(),
        &AtomicBool::new(true),
        &|_, _| {},
    )
    .unwrap_err();
    assert!(e.to_string().contains("cancelled"));
}
