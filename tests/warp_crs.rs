//! The same smooth field supplied in EPSG:4326 and in UTM agrees after warping onto the
//! analysis grid, within interpolation error.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

mod common;

use common::*;
use slidemap::grid::GridSpec;
use slidemap::io::{transform_points, warp_file_to_grid, WarpOptions};
use std::path::Path;

fn field(lon: f64, lat: f64) -> f64 {
    // ~300 cm/s range, varying over a few km
    100.0 + 80.0 * (lon * 90.0).sin() + 60.0 * (lat * 70.0).cos()
}

#[test]
fn a_field_in_epsg4326_and_in_utm_agrees_after_warping() {
    let dir = tempfile::tempdir().unwrap();
    let (geo, utm) = (wkt("EPSG:4326"), wkt("EPSG:32645"));
    // the field sampled on a 0.0005° lon/lat grid…
    let g = GridSpec::new(300, 300, 86.95, 28.05, 0.0005, 0.0005, geo.clone()).unwrap();
    let gv: Vec<f32> = (0..g.len())
        .map(|i| {
            let (x, y) = g.cell_centre(i / g.cols, i % g.cols);
            field(x, y) as f32
        })
        .collect();
    tif(&dir.path().join("geo.tif"), &g, gv);
    // …and on a 50 m UTM grid (values from the lon/lat of each UTM cell centre)
    let u = GridSpec::new(240, 260, 494_000.0, 3_105_500.0, 50.0, 50.0, utm.clone()).unwrap();
    let mut pts: Vec<[f64; 2]> = (0..u.len())
        .map(|i| {
            let (x, y) = u.cell_centre(i / u.cols, i % u.cols);
            [x, y]
        })
        .collect();
    transform_points(&mut pts, &utm, &geo, Path::new("t")).unwrap();
    tif(
        &dir.path().join("utm.tif"),
        &u,
        pts.iter().map(|p| field(p[0], p[1]) as f32).collect(),
    );
    // the analysis grid: 20 m × 22 m inside both
    let target = GridSpec::new(300, 250, 496_000.0, 3_103_000.0, 20.0, 22.0, utm).unwrap();
    let a = warp_file_to_grid(
        &dir.path().join("geo.tif"),
        &target,
        &WarpOptions::continuous(),
    )
    .unwrap();
    let b = warp_file_to_grid(
        &dir.path().join("utm.tif"),
        &target,
        &WarpOptions::continuous(),
    )
    .unwrap();
    let diffs: Vec<f64> = a
        .data
        .iter()
        .zip(&b.data)
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(x, y)| (*x as f64 - *y as f64).abs())
        .collect();
    assert!(diffs.len() > 70_000, "{}", diffs.len());
    let max = diffs.iter().cloned().fold(0.0, f64::max);
    let mean = diffs.iter().sum::<f64>() / diffs.len() as f64;
    // interpolation error of a field with gradients up to ~9 cm/s per 50 m cell
    assert!(max < 3.0, "max |Δ| = {max}");
    assert!(mean < 0.5, "mean |Δ| = {mean}");
}
