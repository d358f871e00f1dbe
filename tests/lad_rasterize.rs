//! Rasterisation against `gdal_rasterize` (default cell-centre rule) on the same fine grid:
//! identical cells, hence identical LAD.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

mod common;

use common::*;
use slidemap::grid::{Blocks, GridSpec};
use slidemap::inventory::{landslide_areal_density, DensityOptions};
use slidemap::io::{burn_mask, read_raster, read_vector, Polygon, VectorReadOptions};
use std::path::Path;
use std::process::Command;

/// Star-shaped concave polygons (some with holes) of log-normal-ish sizes.
fn landslides() -> Vec<(Polygon, i64)> {
    let mut out = Vec::new();
    let mut s: u64 = 12345;
    let mut rnd = move || {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1);
        ((s >> 33) as f64) / (1u64 << 31) as f64
    };
    for k in 0..150 {
        let (cx, cy) = (
            500_000.0 + rnd() * 3800.0 + 100.0,
            3_100_000.0 - rnd() * 4200.0 - 100.0,
        );
        let r = 15.0 + 120.0 * rnd() * rnd();
        let n = 7 + (rnd() * 14.0) as usize;
        let ring: Vec<[f64; 2]> = (0..n)
            .map(|i| {
                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                let rr = r * if i % 2 == 0 { 1.0 } else { 0.45 + 0.3 * rnd() };
                [cx + rr * a.cos() * 1.7, cy + rr * a.sin()]
            })
            .collect();
        let mut p = Polygon::new(ring);
        if k % 10 == 0 {
            p.holes.push(vec![
                [cx - 0.2 * r, cy - 0.15 * r],
                [cx + 0.2 * r, cy - 0.15 * r],
                [cx, cy + 0.2 * r],
            ]);
        }
        out.push((p, 2015));
    }
    out
}

fn gdal_rasterize_mask(vector: &Path, spec: &GridSpec, out: &Path) -> Option<Vec<bool>> {
    let status = Command::new("gdal_rasterize")
        .args(["-q", "-burn", "1", "-init", "0", "-ot", "Byte"])
        .args([
            "-te",
            &spec.x_min.to_string(),
            &spec.y_min().to_string(),
            &spec.x_max().to_string(),
            &spec.y_max.to_string(),
        ])
        .args([
            "-tr",
            &spec.cell_width.to_string(),
            &spec.cell_height.to_string(),
        ])
        .arg(vector)
        .arg(out)
        .status();
    match status {
        Ok(s) if s.success() => {}
        _ => {
            eprintln!("skipped: gdal_rasterize is not available (apt-get install gdal-bin)");
            return None;
        }
    }
    let g = read_raster(out, 1).unwrap();
    assert_eq!((g.spec.cols, g.spec.rows), (spec.cols, spec.rows));
    Some(g.data.iter().map(|v| *v == 1.0).collect())
}

#[test]
fn burnt_cells_and_lad_equal_gdal_rasterize() {
    let dir = tempfile::tempdir().unwrap();
    let utm = wkt("EPSG:32645");
    let path = dir.path().join("inv.gpkg");
    gpkg(&path, &utm, &landslides());
    let spec = GridSpec::new(200, 200, 500_000.0, 3_100_000.0, 20.0, 22.0, utm.clone()).unwrap();
    let Some(reference) = gdal_rasterize_mask(&path, &spec, &dir.path().join("ref.tif")) else {
        return;
    };
    let layer = read_vector(&path, &VectorReadOptions::new(&utm)).unwrap();
    let ours = burn_mask(&layer.polygon_features(), &spec);
    let n_ref = reference.iter().filter(|v| **v).count();
    let n_ours = ours.iter().filter(|v| **v).count();
    assert!(n_ref > 1000, "fixture too small: {n_ref}");
    assert_eq!(n_ours, n_ref, "burnt cell counts");
    assert_eq!(ours, reference, "burnt cells");
    let blocks = Blocks {
        fine_rows: 200,
        fine_cols: 200,
        block: 10,
    };
    let mapped = vec![true; spec.len()];
    let a = landslide_areal_density(&ours, &mapped, blocks, DensityOptions::default());
    let b = landslide_areal_density(&reference, &mapped, blocks, DensityOptions::default());
    assert_eq!(a, b);
}

#[test]
fn the_usgs_fixture_inventory_matches_gdal_rasterize_too() {
    let Some(shared) = shared_data() else { return };
    let path = shared.join("loma_prieta_groundfailure/fake_inventory.shp");
    let utm = wkt("EPSG:32610");
    let layer = read_vector(&path, &VectorReadOptions::new(&utm)).unwrap();
    let ext = layer
        .features
        .iter()
        .flat_map(|f| f.parts.iter())
        .filter_map(Polygon::extent)
        .reduce(|a, b| a.union(&b))
        .unwrap();
    let spec = GridSpec::covering(&ext, 20.0, 22.0, 200.0, 220.0, utm.clone()).unwrap();
    // rasterise the reprojected polygons with GDAL: write them back in UTM first
    let utm_path = dir_file("fake_utm.gpkg");
    let feats: Vec<(Polygon, i64)> = layer
        .features
        .iter()
        .flat_map(|f| f.parts.iter().map(|p| (p.clone(), 0)))
        .collect();
    gpkg(&utm_path.1, &utm, &feats);
    let Some(reference) =
        gdal_rasterize_mask(&utm_path.1, &spec, &utm_path.0.path().join("ref.tif"))
    else {
        return;
    };
    let ours = burn_mask(&layer.polygon_features(), &spec);
    assert_eq!(
        ours.iter().filter(|v| **v).count(),
        reference.iter().filter(|v| **v).count()
    );
}

fn dir_file(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join(name);
    (d, p)
}
