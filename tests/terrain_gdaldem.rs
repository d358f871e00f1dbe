//! Slope, aspect and hillshade against `gdaldem` (GDAL's reference implementation).
//!
//! Real data: the 10 m Korean DEM in `../shared/data/korea_dem_points/tingrid.tif`
//! (1070 × 633); skipped with a message when the shared data folder is absent. Tolerance:
//! max |Δ| ≤ 0.01° for slope and (circularly) for aspect away from the border, identical
//! flat/nodata masks, hillshade within 1 grey level. A tiny GeoTIFF with a nodata hole and
//! non-square cells, written by the test itself, checks nodata handling without shared data.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

use std::path::{Path, PathBuf};
use std::process::Command;

use gdal::raster::Buffer;
use gdal::{Dataset, DriverManager};
use slidemap::terrain::{aspect_deg, hillshade, slope_deg, DemView};

/// The shared real-data folder: `$SLIDEMAP_SHARED_DATA`, else `<manifest>/../shared/data`,
/// else `/work/main/../shared/data`; `None` (test skipped) when none exists.
fn shared_data_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("SLIDEMAP_SHARED_DATA").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data")),
        Some(PathBuf::from("/work/main/../shared/data")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_dir())
}

/// A single-band raster as `(values with nodata → NaN, rows, cols, cell w, cell h)`.
fn read_f32(path: &Path) -> (Vec<f32>, usize, usize, f64, f64) {
    let ds = Dataset::open(path).unwrap();
    let gt = ds.geo_transform().unwrap();
    let band = ds.rasterband(1).unwrap();
    let (cols, rows) = ds.raster_size();
    let nodata = band.no_data_value();
    let (_, mut v) = band
        .read_as::<f32>((0, 0), (cols, rows), (cols, rows), None)
        .unwrap()
        .into_shape_and_vec();
    if let Some(nd) = nodata {
        v.iter_mut()
            .filter(|x| f64::from(**x) == nd)
            .for_each(|x| *x = f32::NAN);
    }
    (v, rows, cols, gt[1].abs(), gt[5].abs())
}

fn write_f32(path: &Path, z: &[f32], rows: usize, cols: usize, w: f64, h: f64) {
    let driver = DriverManager::get_driver_by_name("GTiff").unwrap();
    let mut ds = driver
        .create_with_band_type::<f32, _>(path, cols, rows, 1)
        .unwrap();
    ds.set_geo_transform(&[1000.0, w, 0.0, 5000.0, 0.0, -h])
        .unwrap();
    let mut band = ds.rasterband(1).unwrap();
    band.set_no_data_value(Some(-9999.0)).unwrap();
    let data = z
        .iter()
        .map(|v| if v.is_nan() { -9999.0 } else { *v })
        .collect();
    band.write((0, 0), (cols, rows), &mut Buffer::new((cols, rows), data))
        .unwrap();
}

/// Runs `gdaldem <mode> src out <args>` and reads the result.
fn gdaldem(mode: &str, src: &Path, dir: &Path, args: &[&str]) -> (Vec<f32>, usize, usize) {
    let out = dir.join(format!("{mode}.tif"));
    let status = Command::new("gdaldem")
        .arg(mode)
        .arg(src)
        .arg(&out)
        .args(args)
        .arg("-q")
        .status()
        .expect("gdaldem must be on PATH (Debian package gdal-bin)");
    assert!(status.success(), "gdaldem {mode} failed");
    let (v, rows, cols, _, _) = read_f32(&out);
    (v, rows, cols)
}

fn circular_diff_deg(a: f32, b: f32) -> f32 {
    let d = (a - b).rem_euclid(360.0);
    d.min(360.0 - d)
}

/// Compares ours with gdaldem's slope and aspect on `src`; returns (max slope Δ, max aspect Δ).
fn compare_slope_aspect(src: &Path, dir: &Path, check_aspect: bool) -> (f32, f32) {
    let (z, rows, cols, w, h) = read_f32(src);
    let dem = DemView::new(&z, rows, cols, w, h);
    let ours_slope = slope_deg(&dem).unwrap();
    let ours_aspect = aspect_deg(&dem).unwrap();
    let (ref_slope, ..) = gdaldem("slope", src, dir, &[]);
    let (ref_aspect, ..) = gdaldem("aspect", src, dir, &[]);
    let (mut max_slope, mut max_aspect) = (0.0_f32, 0.0_f32);
    for r in 1..rows - 1 {
        for c in 1..cols - 1 {
            let i = r * cols + c;
            // gdaldem writes -9999 (read back as NaN) where undefined; so must we.
            assert_eq!(
                ours_slope[i].is_nan(),
                ref_slope[i].is_nan(),
                "slope mask at ({r}, {c})"
            );
            if !ref_slope[i].is_nan() {
                max_slope = max_slope.max((ours_slope[i] - ref_slope[i]).abs());
            }
            if check_aspect {
                assert_eq!(
                    ours_aspect[i].is_nan(),
                    ref_aspect[i].is_nan(),
                    "flat mask at ({r}, {c})"
                );
                if !ref_aspect[i].is_nan() {
                    max_aspect = max_aspect.max(circular_diff_deg(ours_aspect[i], ref_aspect[i]));
                }
            }
        }
    }
    // Border: always NaN here (gdaldem without -compute_edges).
    assert!(ours_slope[..cols].iter().all(|v| v.is_nan()));
    (max_slope, max_aspect)
}

#[test]
fn slope_and_aspect_match_gdaldem_on_the_korean_10_m_dem() {
    let Some(data) = shared_data_dir() else {
        println!("SKIPPED: shared data folder not found (set SLIDEMAP_SHARED_DATA)");
        return;
    };
    let src = data.join("korea_dem_points/tingrid.tif");
    let dir = tempfile::tempdir().unwrap();
    let (ds, da) = compare_slope_aspect(&src, dir.path(), true);
    println!("korea DEM: max |Δslope| = {ds}°, max circular |Δaspect| = {da}°");
    assert!(ds <= 0.01, "slope differs by {ds}°");
    assert!(da <= 0.01, "aspect differs by {da}°");
}

#[test]
fn hillshade_matches_gdaldem_within_one_grey_level_on_the_korean_dem() {
    let Some(data) = shared_data_dir() else {
        println!("SKIPPED: shared data folder not found (set SLIDEMAP_SHARED_DATA)");
        return;
    };
    let src = data.join("korea_dem_points/tingrid.tif");
    let dir = tempfile::tempdir().unwrap();
    let (z, rows, cols, w, h) = read_f32(&src);
    let ours = hillshade(&DemView::new(&z, rows, cols, w, h), 315.0, 45.0, 1.0);
    // gdaldem's hillshade nodata is 0, which read_f32 maps to NaN.
    let (reference, ..) = gdaldem("hillshade", &src, dir.path(), &[]);
    let mut worst = 0;
    for (i, (&a, &b)) in ours.iter().zip(&reference).enumerate() {
        let b = if b.is_nan() { 0 } else { b as i32 };
        let d = (i32::from(a) - b).abs();
        assert!(d <= 1, "cell {i}: ours {a}, gdaldem {b}");
        worst = worst.max(d);
    }
    println!("korea DEM hillshade: max |Δ| = {worst} grey level(s)");
}

#[test]
fn slope_and_aspect_match_gdaldem_around_a_nodata_hole() {
    // 8 × 9 cells of a wavy surface with a nodata hole, written by the test itself.
    let (rows, cols) = (8, 9);
    let mut z: Vec<f32> = (0..rows * cols)
        .map(|i| {
            let (r, c) = ((i / cols) as f32, (i % cols) as f32);
            100.0 + 3.0 * r - 2.0 * c + (r * 0.9).sin() * 5.0 + (c * 0.7).cos() * 4.0
        })
        .collect();
    z[3 * cols + 4] = f32::NAN;
    z[3 * cols + 5] = f32::NAN;
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("hole.tif");
    write_f32(&src, &z, rows, cols, 10.0, 10.0);
    let (ds, da) = compare_slope_aspect(&src, dir.path(), true);
    assert!(ds <= 0.01 && da <= 0.01, "Δslope {ds}, Δaspect {da}");

    // Non-square cells: slope still agrees (gdaldem scales slope, not aspect, by cell size).
    let src = dir.path().join("rect.tif");
    write_f32(&src, &z, rows, cols, 20.0, 22.0);
    let (ds, _) = compare_slope_aspect(&src, dir.path(), false);
    assert!(ds <= 0.01, "Δslope {ds} with 20 m × 22 m cells");
}
