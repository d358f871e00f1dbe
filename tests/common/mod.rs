//! Fixtures shared by the integration tests: tiny GIS files written into a tempdir.
#![allow(dead_code)]

use slidemap::grid::{Grid, GridSpec};
use slidemap::io::{
    srs_from_user, write_geotiff, write_polygons, AttrValue, GeoTiffOptions, Polygon,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// WKT of a CRS given as "EPSG:n".
pub fn wkt(def: &str) -> String {
    srs_from_user(def).unwrap().to_wkt().unwrap()
}

/// Write a Float32 GeoTIFF.
pub fn tif(path: &Path, spec: &GridSpec, data: Vec<f32>) {
    write_geotiff(
        path,
        &Grid::from_vec(spec.clone(), data).unwrap(),
        &GeoTiffOptions {
            overviews: false,
            ..Default::default()
        },
    )
    .unwrap();
}

/// A square polygon.
pub fn square(x0: f64, y0: f64, side: f64) -> Polygon {
    Polygon::new(vec![
        [x0, y0],
        [x0 + side, y0],
        [x0 + side, y0 + side],
        [x0, y0 + side],
    ])
}

/// Write polygons with one integer attribute `year`.
pub fn gpkg(path: &Path, crs: &str, polys: &[(Polygon, i64)]) {
    let feats: Vec<(Vec<Polygon>, BTreeMap<String, AttrValue>)> = polys
        .iter()
        .map(|(p, y)| {
            (
                vec![p.clone()],
                [("year".to_string(), AttrValue::Int(*y))].into(),
            )
        })
        .collect();
    write_polygons(path, crs, &feats).unwrap();
}

/// The DEM grid of the small event: 4 km × 4.4 km of 20 m × 22 m cells in UTM 45N.
pub fn dem_spec() -> GridSpec {
    GridSpec::new(
        200,
        200,
        500_000.0,
        3_100_000.0,
        20.0,
        22.0,
        wkt("EPSG:32645"),
    )
    .unwrap()
}

/// A small but complete event in `dir`: DEM (a tilted, wavy surface), PGV in EPSG:4326,
/// an inventory of 40 square landslides on the steep part (years 2015/2016), and the
/// project file. Returns the project path.
pub fn small_event(dir: &Path) -> PathBuf {
    let spec = dem_spec();
    let dem: Vec<f32> = (0..spec.len())
        .map(|i| {
            let (r, c) = ((i / spec.cols) as f32, (i % spec.cols) as f32);
            2000.0 - 3.0 * r + 60.0 * (c / 9.0).sin() + 40.0 * (r / 13.0).cos()
        })
        .collect();
    tif(&dir.join("dem.tif"), &spec, dem);
    // PGV: lon/lat grid around the area (87°E, 28°N)
    let pspec = GridSpec::new(20, 20, 86.95, 28.05, 0.01, 0.01, wkt("EPSG:4326")).unwrap();
    let pgv: Vec<f32> = (0..pspec.len()).map(|i| 30.0 + (i % 20) as f32).collect();
    tif(&dir.join("pgv.tif"), &pspec, pgv);
    let polys: Vec<(Polygon, i64)> = (0..40)
        .map(|k| {
            let x = 500_100.0 + (k % 8) as f64 * 480.0;
            let y = 3_099_500.0 - (k / 8) as f64 * 800.0;
            (square(x, y, 120.0), if k % 2 == 0 { 2015 } else { 2016 })
        })
        .collect();
    gpkg(&dir.join("inventory.gpkg"), &wkt("EPSG:32645"), &polys);
    let text = r#"format_version = 1
[event]
name = "small"
date = "2015-04-25"
[inputs]
dem = { path = "dem.tif" }
pgv = { path = "pgv.tif" }
inventory = { path = "inventory.gpkg" }
"#;
    let p = dir.join("project.toml");
    std::fs::write(&p, text).unwrap();
    p
}

/// `../shared/data` next to the repository, if present.
pub fn shared_data() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: {} is absent", p.display());
        None
    }
}
