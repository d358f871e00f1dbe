//! Coherence acquisitions through the real loader: LiCSAR uint8 scaling and nodata, partial
//! footprints, the missing-value sentinel, and bad input naming the acquisition and file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

mod common;

use common::*;
use gdal::raster::{Buffer, RasterCreationOptions};
use gdal::DriverManager;
use slidemap::coherence::{Timeline, MISSING_SENTINEL};
use slidemap::experiment::design_matrix;
use slidemap::grid::GridSpec;
use slidemap::pipeline::{build_event, FeatureOptions};
use slidemap::project::Project;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// A LiCSAR-style Byte GeoTIFF (0 = nodata, not declared in the file).
fn byte_tif(path: &Path, spec: &GridSpec, data: Vec<u8>) {
    let d = DriverManager::get_driver_by_name("GTiff").unwrap();
    let mut ds = d
        .create_with_band_type_with_options::<u8, _>(
            path,
            spec.cols,
            spec.rows,
            1,
            &RasterCreationOptions::new(),
        )
        .unwrap();
    ds.set_geo_transform(&spec.geo_transform()).unwrap();
    ds.set_projection(&spec.crs_wkt).unwrap();
    let mut b = ds.rasterband(1).unwrap();
    let mut buf = Buffer::new((spec.cols, spec.rows), data);
    b.write((0, 0), (spec.cols, spec.rows), &mut buf).unwrap();
}

fn add_acquisition(project: &Path, block: &str) {
    let mut t = std::fs::read_to_string(project).unwrap();
    t.push_str(block);
    std::fs::write(project, t).unwrap();
}

const S1: &str = r#"
[[acquisitions]]
sensor = "Sentinel-1"
track = "T019"
pass = "descending"
first_post_date = "2015-04-29"
second_post_date = "2015-05-11"
pre_event = { path = "pre.tif" }
co_event = { path = "co.tif" }
post_event = { path = "post.tif" }
"#;

/// Coherence rasters over the west half of the small event only (a partial footprint).
fn write_s1(dir: &Path) {
    let spec = GridSpec::new(
        100,
        200,
        500_000.0,
        3_100_000.0,
        20.0,
        22.0,
        wkt("EPSG:32645"),
    )
    .unwrap();
    byte_tif(&dir.join("pre.tif"), &spec, vec![204; spec.len()]); // 0.8
    let co: Vec<u8> = (0..spec.len())
        .map(|i| if i % 100 == 0 { 0 } else { 102 })
        .collect(); // 0.4, a nodata column
    byte_tif(&dir.join("co.tif"), &spec, co);
    byte_tif(&dir.join("post.tif"), &spec, vec![153; spec.len()]); // 0.6
}

fn build(p: &Path) -> Result<slidemap::pipeline::EventData, String> {
    let project = Project::load(p).map_err(|e| e.to_string())?;
    build_event(
        &project,
        &FeatureOptions::default(),
        &AtomicBool::new(false),
        &|_, _| {},
    )
    .map_err(|e| e.to_string())
}

#[test]
fn licsar_bytes_are_scaled_zero_is_nodata_and_the_footprint_is_respected() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    write_s1(dir.path());
    add_acquisition(&p, S1);
    let ev = build(&p).unwrap();
    let t = &ev.table;
    let cecl = t.column("S1_desc_CECL").unwrap();
    let peci = t.column("S1_desc_PECI").unwrap();
    let cols = t.coarse.cols;
    // west half covered: CECL = 0.8 − 0.4, PECI = 0.6 − 0.4 (0-valued column skipped as nodata)
    let west = cecl.values[5 * cols];
    assert!((west - 0.4).abs() < 1e-3, "{west}");
    assert!((peci.values[5 * cols] - 0.2).abs() < 1e-3);
    // east half outside the footprint: missing, never zero
    assert!(cecl.values[5 * cols + cols - 1].is_nan());
    // models see the sentinel there
    let x = design_matrix(
        t,
        &["S1_desc_CECL".to_string()],
        &[5 * cols, 5 * cols + cols - 1],
    )
    .unwrap();
    assert_eq!(x.get(1, 0), Some(MISSING_SENTINEL));
    // timeline: step 0, co-event features at +4 d, post-event at +16 d
    let tl = Timeline::from_project(&ev.project);
    assert_eq!(
        tl.steps
            .iter()
            .map(|s| s.days_after_event)
            .collect::<Vec<_>>(),
        vec![0, 4, 16]
    );
}

#[test]
fn coherence_outside_zero_one_names_the_acquisition_and_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    write_s1(dir.path());
    let spec = GridSpec::new(
        100,
        200,
        500_000.0,
        3_100_000.0,
        20.0,
        22.0,
        wkt("EPSG:32645"),
    )
    .unwrap();
    tif(&dir.path().join("post.tif"), &spec, vec![1.7; spec.len()]);
    add_acquisition(&p, S1);
    let e = build(&p).unwrap_err();
    assert!(
        e.contains("S1_desc") && e.contains("post.tif") && e.contains("outside [0, 1]"),
        "{e}"
    );
}

#[test]
fn a_co_event_file_that_does_not_overlap_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    write_s1(dir.path());
    let far = GridSpec::new(10, 10, 10.0, 50.0, 0.001, 0.001, wkt("EPSG:4326")).unwrap();
    byte_tif(&dir.path().join("co.tif"), &far, vec![100; 100]);
    add_acquisition(&p, S1);
    let e = build(&p).unwrap_err();
    assert!(
        e.contains("S1_desc") && e.contains("co.tif") && e.contains("does not overlap"),
        "{e}"
    );
}

#[test]
fn a_missing_sibling_file_names_the_acquisition() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    write_s1(dir.path());
    add_acquisition(&p, &format!("{S1}sibling = {{ path = \"sibling.tif\" }}\n"));
    let e = build(&p).unwrap_err();
    assert!(
        e.contains("S1_desc") && e.contains("sibling") && e.contains("not found"),
        "{e}"
    );
}

#[test]
fn a_post_event_date_before_the_co_event_date_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    write_s1(dir.path());
    add_acquisition(&p, &S1.replace("2015-05-11", "2015-04-27"));
    let e = build(&p).unwrap_err();
    assert!(e.contains("acquisitions[0].second_post_date"), "{e}");
}

#[test]
fn the_scale_hint_suggests_the_fix_that_works() {
    // LiCSAR bytes (0–255) read with `scale = "unit"`: the hint names licsar-uint8
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    write_s1(dir.path());
    add_acquisition(
        &p,
        &S1.replace("post_event =", "scale = \"unit\"\npost_event ="),
    );
    let e = build(&p).unwrap_err();
    assert!(
        e.contains("pre.tif") && e.contains("scale = \"licsar-uint8\""),
        "{e}"
    );
    // values in 1–2 fit no scale: say what the valid ranges are
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    write_s1(dir.path());
    let spec = GridSpec::new(
        100,
        200,
        500_000.0,
        3_100_000.0,
        20.0,
        22.0,
        wkt("EPSG:32645"),
    )
    .unwrap();
    tif(&dir.path().join("post.tif"), &spec, vec![1.7; spec.len()]);
    add_acquisition(&p, S1);
    let e = build(&p).unwrap_err();
    assert!(
        e.contains("post.tif")
            && e.contains("no `scale` setting fits")
            && e.contains("[0, 1]")
            && e.contains("0–255"),
        "{e}"
    );
}
