//! Fixtures shared by the integration tests: tiny GIS files written into a tempdir.
#![allow(dead_code)]

pub mod cli;

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

/// An event large enough for a quick `slidemap run` (36 × 36 coarse cells, about half of
/// them with a landslide): the small event's wavy DEM on `side × side` fine cells, and one
/// 60 m × 66 m landslide (or, with `points`, one landslide point) in every other coarse
/// cell. Returns the project path; the event is named `name`.
pub fn runnable_event(dir: &Path, name: &str, points: bool) -> PathBuf {
    let side = 360;
    let spec = GridSpec::new(
        side,
        side,
        500_000.0,
        3_100_000.0,
        20.0,
        22.0,
        wkt("EPSG:32645"),
    )
    .unwrap();
    let dem: Vec<f32> = (0..spec.len())
        .map(|i| {
            let (r, c) = ((i / spec.cols) as f32, (i % spec.cols) as f32);
            2000.0 - 3.0 * r + 60.0 * (c / 9.0).sin() + 40.0 * (r / 13.0).cos()
        })
        .collect();
    tif(&dir.join("dem.tif"), &spec, dem);
    let pspec = GridSpec::new(20, 20, 86.95, 28.05, 0.01, 0.01, wkt("EPSG:4326")).unwrap();
    let pgv: Vec<f32> = (0..pspec.len()).map(|i| 30.0 + (i % 20) as f32).collect();
    tif(&dir.join("pgv.tif"), &pspec, pgv);
    let n_coarse = side / 10;
    let corners: Vec<[f64; 2]> = (0..n_coarse * n_coarse)
        .filter(|k| (k / n_coarse + k % n_coarse) % 2 == 0)
        .map(|k| {
            let (r, c) = ((k / n_coarse) as f64, (k % n_coarse) as f64);
            [
                500_000.0 + c * 200.0 + 60.0,
                3_100_000.0 - r * 220.0 - 140.0,
            ]
        })
        .collect();
    let inventory = dir.join("inventory.gpkg");
    if points {
        let pts: Vec<([f64; 2], BTreeMap<String, AttrValue>)> = corners
            .iter()
            .map(|p| ([p[0] + 30.0, p[1] + 33.0], BTreeMap::new()))
            .collect();
        slidemap::io::write_points(&inventory, &wkt("EPSG:32645"), &pts).unwrap();
    } else {
        let polys: Vec<(Polygon, i64)> = corners
            .iter()
            .map(|p| {
                let sq = Polygon::new(vec![
                    [p[0], p[1]],
                    [p[0] + 60.0, p[1]],
                    [p[0] + 60.0, p[1] + 66.0],
                    [p[0], p[1] + 66.0],
                ]);
                (sq, 2015)
            })
            .collect();
        gpkg(&inventory, &wkt("EPSG:32645"), &polys);
    }
    let text = format!(
        "format_version = 1\n[event]\nname = \"{name}\"\ndate = \"2015-04-25\"\n[inputs]\ndem = {{ path = \"dem.tif\" }}\npgv = {{ path = \"pgv.tif\" }}\ninventory = {{ path = \"inventory.gpkg\" }}\n"
    );
    let p = dir.join("project.toml");
    std::fs::write(&p, text).unwrap();
    p
}
