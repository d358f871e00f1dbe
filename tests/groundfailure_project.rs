//! `compute_for_project` on a small synthetic event written to a tempdir: a 2 km UTM DEM
//! (a valley between two slopes), a ShakeMap `grid.xml`, GLiM lithology polygons and an
//! ESA CCI land-cover raster; then the bad-input cases.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

use slidemap::event::setup_grid;
use slidemap::grid::{Grid, GridSpec};
use slidemap::groundfailure::{compute_for_project, GroundFailureError};
use slidemap::io::{
    srs_from_user, write_geotiff, write_polygons, AttrValue, GeoTiffOptions, Polygon,
};
use slidemap::project::Project;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;

const X0: f64 = 500_000.0;
const Y0: f64 = 3_100_000.0;

fn utm() -> String {
    srs_from_user("EPSG:32645").unwrap().to_wkt().unwrap()
}

fn write_dem(dir: &Path) {
    let spec = GridSpec::new(100, 100, X0, Y0, 20.0, 20.0, utm()).unwrap();
    let mut g = Grid::filled(spec, 0.0f32);
    for r in 0..100 {
        for c in 0..100 {
            // flat floor in the middle third, 30° walls either side
            let d = (c as f32 - 50.0).abs() * 20.0;
            g.data[r * 100 + c] = 500.0 + (d - 330.0).max(0.0) * 0.577 + r as f32 * 0.01;
        }
    }
    write_geotiff(&dir.join("dem.tif"), &g, &GeoTiffOptions::default()).unwrap();
}

fn write_shakemap(dir: &Path, pgv: f32) {
    let mut rows = String::new();
    for i in 0..7 {
        for j in 0..7 {
            let (lon, lat) = (86.9 + 0.05 * j as f64, 28.15 - 0.05 * i as f64);
            rows.push_str(&format!("{lon:.4} {lat:.4} 0.3 {pgv}\n"));
        }
    }
    let xml = format!(
        r#"<?xml version="1.0"?><shakemap_grid><event magnitude="7.0"/>
<grid_specification lon_min="86.9" lat_min="27.85" lon_max="87.2" lat_max="28.15" nominal_lon_spacing="0.05" nominal_lat_spacing="0.05" nlon="7" nlat="7"/>
<grid_field index="1" name="LON" units="dd"/><grid_field index="2" name="LAT" units="dd"/><grid_field index="3" name="PGA" units="g"/><grid_field index="4" name="PGV" units="cms"/>
<grid_data>
{rows}</grid_data></shakemap_grid>"#
    );
    std::fs::write(dir.join("grid.xml"), xml).unwrap();
}

fn write_lithology(dir: &Path, east_class: &str) {
    let half = |x0: f64, x1: f64| {
        Polygon::new(vec![
            [x0, Y0 + 100.0],
            [x1, Y0 + 100.0],
            [x1, Y0 - 2100.0],
            [x0, Y0 - 2100.0],
        ])
    };
    let attrs = |v: &str| BTreeMap::from([("glim".to_string(), AttrValue::Text(v.into()))]);
    let feats = vec![
        (vec![half(X0 - 100.0, X0 + 1000.0)], attrs("mt")),
        (vec![half(X0 + 1000.0, X0 + 2100.0)], attrs(east_class)),
    ];
    write_polygons(&dir.join("glim.gpkg"), &utm(), &feats).unwrap();
}

fn write_land_cover(dir: &Path, odd_code: f32) {
    let spec = GridSpec::new(20, 20, X0 - 100.0, Y0 + 100.0, 110.0, 110.0, utm()).unwrap();
    let mut g = Grid::filled(spec, 61.0f32); // closed broadleaf deciduous → GlobCover 50
    for r in 0..3 {
        for c in 0..3 {
            g.data[r * 20 + c] = odd_code;
        }
    }
    write_geotiff(&dir.join("landcover.tif"), &g, &GeoTiffOptions::default()).unwrap();
}

fn project(dir: &Path, with_lithology: bool) -> Project {
    let lith = if with_lithology {
        "lithology = { path = \"glim.gpkg\", field = \"glim\" }\n"
    } else {
        ""
    };
    let text = format!(
        "format_version = 1\n[event]\nname = \"Synthetic\"\ndate = \"2015-04-25\"\n[inputs]\n\
         dem = {{ path = \"dem.tif\" }}\npgv = {{ path = \"grid.xml\" }}\n{lith}\
         land_cover = {{ path = \"landcover.tif\" }}\nground_failure = {{ model = \"nowicki-jessee-2018\" }}\n"
    );
    Project::from_toml(&text, &dir.join("project.toml")).unwrap()
}

fn event(pgv: f32, east_class: &str, odd_code: f32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_dem(dir.path());
    write_shakemap(dir.path(), pgv);
    write_lithology(dir.path(), east_class);
    write_land_cover(dir.path(), odd_code);
    dir
}

fn run(p: &Project) -> Result<(Grid<f32>, Vec<String>), GroundFailureError> {
    let grid = setup_grid(p).unwrap();
    compute_for_project(p, &grid, &AtomicBool::new(false), &|_, _| {})
}

#[test]
fn a_synthetic_event_gets_coverage_on_its_slopes_and_zero_on_its_valley_floor() {
    let dir = event(60.0, "ss", 61.0);
    let p = project(dir.path(), true);
    let (ls, warnings) = run(&p).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let grid = setup_grid(&p).unwrap();
    assert_eq!(ls.spec, grid.fine);
    let (lo, hi) = ls.min_max().unwrap();
    assert!(lo >= 0.0 && hi <= 1.0 && hi > 0.001, "LS {lo}..{hi}");
    // the valley floor (dem column 50 ↔ x = X0 + 1010) is flat: LS = 0
    assert_eq!(ls.sample_world(X0 + 1010.0, Y0 - 1000.0), 0.0);
    // the western wall (metamorphics, −1.87) beats the eastern one (siliciclastic, −1.92)
    let west = ls.sample_world(X0 + 200.0, Y0 - 1000.0);
    let east = ls.sample_world(X0 + 1800.0, Y0 - 1000.0);
    assert!(
        west > 0.0 && east > 0.0 && west > east,
        "west {west} east {east}"
    );
}

#[test]
fn stronger_shaking_gives_more_coverage() {
    let weak = run(&project(event(20.0, "ss", 61.0).path(), true))
        .unwrap()
        .0;
    let strong = run(&project(event(120.0, "ss", 61.0).path(), true))
        .unwrap()
        .0;
    let (w, s) = (
        weak.sample_world(X0 + 200.0, Y0 - 1000.0),
        strong.sample_world(X0 + 200.0, Y0 - 1000.0),
    );
    assert!(s > w, "{s} vs {w}");
}

#[test]
fn non_positive_pgv_is_refused_with_the_cell_count() {
    let dir = event(0.0, "ss", 61.0);
    let e = run(&project(dir.path(), true)).unwrap_err();
    assert!(
        matches!(e, GroundFailureError::NonPositivePgv { count, .. } if count > 0),
        "{e}"
    );
    assert!(e.to_string().contains("grid.xml"), "{e}");
}

#[test]
fn an_unknown_lithology_class_is_reported_with_its_name_and_count() {
    let dir = event(60.0, "granite", 61.0);
    let e = run(&project(dir.path(), true)).unwrap_err().to_string();
    assert!(
        e.contains("'granite'") && e.contains("cells") && e.contains("GLiM"),
        "{e}"
    );
}

#[test]
fn an_unknown_land_cover_code_is_reported_not_zeroed() {
    let dir = event(60.0, "ss", 77.0);
    let e = match run(&project(dir.path(), true)) {
        Ok((_, w)) => panic!("accepted, warnings {w:?}"),
        Err(e) => e,
    };
    let GroundFailureError::UnknownClasses { counts, .. } = &e else {
        panic!("{e}")
    };
    assert_eq!(counts.len(), 1);
    assert_eq!(counts[0].0, "77");
    assert!(counts[0].1 > 0);
}

#[test]
fn water_gets_zero_with_a_warning_as_in_the_usgs_implementation() {
    let dir = event(60.0, "wb", 61.0);
    let (_, warnings) = run(&project(dir.path(), true)).unwrap();
    assert!(
        warnings.iter().any(|w| w.contains("wb (water bodies)")),
        "{warnings:?}"
    );
}

#[test]
fn a_project_without_lithology_names_the_missing_key() {
    let dir = event(60.0, "ss", 61.0);
    let e = run(&project(dir.path(), false)).unwrap_err().to_string();
    assert!(e.contains("inputs.lithology"), "{e}");
}

#[test]
fn a_raised_cancel_flag_stops_the_computation() {
    let dir = event(60.0, "ss", 61.0);
    let p = project(dir.path(), true);
    let grid = setup_grid(&p).unwrap();
    let e = compute_for_project(&p, &grid, &AtomicBool::new(true), &|_, _| {}).unwrap_err();
    assert!(matches!(e, GroundFailureError::Cancelled));
}
