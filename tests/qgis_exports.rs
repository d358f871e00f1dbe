//! Writes real exports for the QGIS check (`tools/qgis_check/run.sh`): the demo's
//! Hokkaido-like DEM and its observed LAD exported as the Layers panel does (GeoTIFF +
//! `.qml`), and two drawn training polygons saved as GeoPackage. `#[ignore]`d: it needs
//! `SLIDEMAP_QGIS_OUT` (the folder to write to) and is run by that script, not by `make test`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures
#![cfg(feature = "gui")]

use slidemap::demo::{write_demo, DemoOptions};
use slidemap::gui::colormap::Ramp;
use slidemap::gui::drawing::io::save_polygons;
use slidemap::gui::drawing::{DrawnPolygon, PolygonKind};
use slidemap::gui::export::{export_layer, ExportRequest};
use slidemap::io::read_raster;
use slidemap::pipeline::{build_event, FeatureOptions};
use slidemap::project::Project;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

#[test]
#[ignore = "writes files for tools/qgis_check/run.sh (needs SLIDEMAP_QGIS_OUT)"]
fn write_exports_for_the_qgis_check() {
    let out = PathBuf::from(std::env::var("SLIDEMAP_QGIS_OUT").expect("set SLIDEMAP_QGIS_OUT"));
    std::fs::create_dir_all(&out).unwrap();
    let demo = tempfile::tempdir().unwrap();
    let cancel = AtomicBool::new(false);
    let projects = write_demo(demo.path(), &DemoOptions::default(), &cancel, &|_, _| {}).unwrap();
    let hokkaido = projects
        .iter()
        .find(|p| p.to_string_lossy().contains("hokkaido"))
        .unwrap();
    let project = Project::load(hokkaido).unwrap();
    let dem = read_raster(&project.resolve(&project.file.inputs.dem.path), 1).unwrap();
    let ev = build_event(&project, &FeatureOptions::default(), &cancel, &|_, _| {}).unwrap();
    let lad = ev.table.target_grid();
    for (name, unit, grid, ramp, min, max) in [
        ("dem", "m", dem, Ramp::Cividis, 0.0, 600.0),
        ("observed_lad", "fraction", lad, Ramp::Inferno, 0.0, 0.5),
    ] {
        let msg = export_layer(&ExportRequest {
            grid: Arc::new(grid),
            path: out.join(format!("{name}.tif")),
            name: name.into(),
            unit: unit.into(),
            ramp,
            min,
            max,
        })
        .unwrap();
        eprintln!("{msg}");
    }
    let polygons = vec![
        DrawnPolygon {
            kind: PolygonKind::MappedArea,
            id: 1,
            label: "mapper A, 2026-11-24".into(),
            lon_lat: vec![
                [142.0, 42.70],
                [142.03, 42.70],
                [142.03, 42.72],
                [142.0, 42.72],
            ],
        },
        DrawnPolygon {
            kind: PolygonKind::Landslide,
            id: 2,
            label: "mapper B, concave".into(),
            lon_lat: vec![
                [142.05, 42.70],
                [142.09, 42.70],
                [142.09, 42.74],
                [142.07, 42.72],
                [142.05, 42.74],
            ],
        },
    ];
    save_polygons(
        &out.join("training_areas.gpkg"),
        &polygons,
        &ev.table.coarse.crs_wkt,
    )
    .unwrap();
}
