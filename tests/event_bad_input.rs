//! Bad input at the event level: each a clear error naming the file or key, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

mod common;

use common::*;
use slidemap::grid::GridSpec;
use slidemap::pipeline::{build_event, FeatureOptions};
use slidemap::project::Project;
use std::path::Path;
use std::sync::atomic::AtomicBool;

fn build(project: &Path) -> Result<slidemap::pipeline::EventData, String> {
    let p = Project::load(project).map_err(|e| e.to_string())?;
    build_event(
        &p,
        &FeatureOptions::default(),
        &AtomicBool::new(false),
        &|_, _| {},
    )
    .map_err(|e| e.to_string())
}

fn edit(project: &Path, from: &str, to: &str) {
    let t = std::fs::read_to_string(project).unwrap();
    assert!(t.contains(from), "fixture lacks {from}");
    std::fs::write(project, t.replacen(from, to, 1)).unwrap();
}

#[test]
fn the_small_event_builds_features_and_lad() {
    let dir = tempfile::tempdir().unwrap();
    let ev = build(&small_event(dir.path())).unwrap();
    assert_eq!(ev.landslide_count, 40);
    assert!(ev.table.column("slope_mean_deg").is_some());
    assert!(ev.table.column("pgv_mean_cm_s").is_some());
    let lad_cells = ev.table.target.iter().filter(|v| **v > 0.0).count();
    assert!(lad_cells >= 40, "{lad_cells}");
    // 120 m squares on a 200 m × 220 m block: LAD at most (6 × 6 fine cells of 20 × 22 m) / 100
    assert!(ev.table.target.iter().all(|v| v.is_nan() || *v <= 0.37));
}

#[test]
fn a_missing_file_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    std::fs::remove_file(dir.path().join("pgv.tif")).unwrap();
    let e = build(&p).unwrap_err();
    assert!(e.contains("pgv.tif") && e.contains("not found"), "{e}");
}

#[test]
fn a_corrupt_file_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    std::fs::write(dir.path().join("dem.tif"), b"II*\0garbage garbage garbage").unwrap();
    let e = build(&p).unwrap_err();
    assert!(e.contains("dem.tif"), "{e}");
}

#[test]
fn a_raster_without_crs_is_refused_with_advice() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    let spec = GridSpec::new(20, 20, 86.95, 28.05, 0.01, 0.01, String::new()).unwrap();
    tif(&dir.path().join("pgv.tif"), &spec, vec![30.0; 400]);
    let e = build(&p).unwrap_err();
    assert!(
        e.contains("pgv.tif") && e.contains("no coordinate reference system"),
        "{e}"
    );
}

#[test]
fn a_raster_outside_the_study_area_is_refused_with_both_extents() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    let spec = GridSpec::new(20, 20, 10.0, 50.0, 0.01, 0.01, wkt("EPSG:4326")).unwrap();
    tif(&dir.path().join("pgv.tif"), &spec, vec![30.0; 400]);
    let e = build(&p).unwrap_err();
    assert!(
        e.contains("pgv.tif") && e.contains("does not overlap the study area"),
        "{e}"
    );
}

#[test]
fn an_inventory_empty_after_the_filter_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    edit(
        &p,
        "inventory = { path = \"inventory.gpkg\" }",
        "inventory = { path = \"inventory.gpkg\", filter = \"year in [1999, 2000]\" }",
    );
    let e = build(&p).unwrap_err();
    assert!(
        e.contains("inventory.gpkg") && e.contains("year in [1999, 2000]"),
        "{e}"
    );
    // and a filter that keeps half of them works
    edit(&p, "year in [1999, 2000]", "year in [2015]");
    assert_eq!(build(&p).unwrap().landslide_count, 20);
}

#[test]
fn self_intersecting_polygons_are_repaired_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    // a bow-tie
    let bow = slidemap::io::Polygon::new(vec![
        [500_200.0, 3_099_000.0],
        [500_600.0, 3_099_400.0],
        [500_600.0, 3_099_000.0],
        [500_200.0, 3_099_400.0],
    ]);
    gpkg(
        &dir.path().join("inventory.gpkg"),
        &wkt("EPSG:32645"),
        &[(bow, 2015), (square(501_000.0, 3_098_000.0, 200.0), 2015)],
    );
    let ev = build(&p).unwrap();
    assert!(
        ev.warnings.iter().any(|w| w.contains("repaired")),
        "{:?}",
        ev.warnings
    );
    assert!(ev.table.target.iter().any(|v| *v > 0.0));
}

#[test]
fn an_all_nodata_dem_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    let spec = dem_spec();
    tif(
        &dir.path().join("dem.tif"),
        &spec,
        vec![f32::NAN; spec.len()],
    );
    let e = build(&p).unwrap_err();
    assert!(e.contains("dem.tif") && e.contains("nodata"), "{e}");
}

#[test]
fn unknown_and_mistyped_keys_name_the_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    edit(
        &p,
        "dem = { path = \"dem.tif\" }",
        "dem = { path = \"dem.tif\" }\nlandcover = { path = \"lc.tif\" }",
    );
    let e = build(&p).unwrap_err();
    assert!(e.contains("landcover") && e.contains("line 7"), "{e}");
    let p2 = small_event(dir.path());
    edit(&p2, "date = \"2015-04-25\"", "date = 20150425");
    let e = build(&p2).unwrap_err();
    assert!(e.contains("date"), "{e}");
}
