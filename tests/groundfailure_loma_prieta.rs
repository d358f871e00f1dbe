//! The built-in Nowicki Jessee et al. (2018) model against the USGS `groundfailure`
//! package's own Loma Prieta fixture (`../shared/data/loma_prieta_groundfailure`, see its
//! README): bilinear PGV and CTI, nearest lithology and land cover, on the 1/480° grid of
//! `global_grad.tif`; the target `targets/jessee_2018.grd` has no georeferencing and equals
//! rows/columns 47.. of that grid. Skips with a message when the folder is absent.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

use slidemap::grid::GridSpec;
use slidemap::groundfailure::{compute_from_rasters, RasterInputs, SlopeRasterUnit};
use slidemap::io::{raster_info, read_shakemap, wgs84_wkt};
use std::path::PathBuf;

fn fixture() -> Option<PathBuf> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/loma_prieta_groundfailure");
    if dir.join("grid.xml").exists() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: {} is absent (the shared test data are not part of a clone)",
            dir.display()
        );
        None
    }
}

/// The target grid: 578 × 337 cells of global_grad.tif starting at row 47, column 47.
fn target_spec(dir: &std::path::Path) -> GridSpec {
    let grad = raster_info(&dir.join("model_inputs/global_grad.tif"))
        .unwrap()
        .spec;
    let (x, y) = grad.world_from_pixel(47.0, 47.0);
    GridSpec::new(
        578,
        337,
        x,
        y,
        grad.cell_width,
        grad.cell_height,
        wgs84_wkt().unwrap(),
    )
    .unwrap()
}

/// The expected areal coverage, north row first, NaN for nodata (> 1e30).
fn read_target(dir: &std::path::Path) -> Vec<f64> {
    let ds = gdal::Dataset::open(dir.join("targets/jessee_2018.grd")).unwrap();
    let band = ds.rasterband(1).unwrap();
    assert_eq!(band.size(), (578, 337));
    let buf = band
        .read_as::<f64>((0, 0), (578, 337), (578, 337), None)
        .unwrap();
    let (_, data) = buf.into_shape_and_vec();
    data.into_iter()
        .map(|v| if v > 1e30 { f64::NAN } else { v })
        .collect()
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    sab / (saa * sbb).sqrt()
}

#[test]
fn the_model_reproduces_the_usgs_loma_prieta_output() {
    let Some(dir) = fixture() else { return };
    let m = dir.join("model_inputs");
    let inputs = RasterInputs {
        pgv: dir.join("grid.xml"),
        slope: m.join("global_grad.tif"),
        slope_unit: SlopeRasterUnit::Gradient,
        cti: m.join("global_cti_fil.grd"),
        lithology: m.join("GLIM_replace.tif"),
        land_cover: m.join("globcover_replace.tif"),
        assume_crs_wkt: Some(wgs84_wkt().unwrap()),
    };
    let spec = target_spec(&dir);
    let (ls, warnings) = compute_from_rasters(&inputs, &spec).unwrap();
    println!("warnings: {warnings:#?}");
    let target = read_target(&dir);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for (x, y) in ls.data.iter().zip(&target) {
        if !x.is_nan() && !y.is_nan() {
            a.push(f64::from(*x));
            b.push(*y);
        }
    }
    let target_valid = target.iter().filter(|v| !v.is_nan()).count();
    let ours_valid = ls.data.iter().filter(|v| !v.is_nan()).count();
    println!(
        "valid cells: target {target_valid}, ours {ours_valid}, both {}",
        a.len()
    );
    assert!(
        a.len() * 100 >= target_valid * 99,
        "only {} of {target_valid} target cells computed",
        a.len()
    );
    let r = pearson(&a, &b);
    let max_diff = a
        .iter()
        .zip(&b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max);
    println!(
        "Loma Prieta: {} cells, Pearson r = {r:.5}, max |Δ| = {max_diff:.4}",
        a.len()
    );
    assert!(r >= 0.999, "r = {r}");
    assert!(max_diff <= 0.02, "max |Δ| = {max_diff}");
}

#[test]
fn the_shakemap_reader_reads_the_loma_prieta_grid() {
    let Some(dir) = fixture() else { return };
    let sm = read_shakemap(&dir.join("grid.xml")).unwrap();
    assert_eq!((sm.spec.cols, sm.spec.rows), (49, 29));
    assert!((sm.spec.cell_width - 0.025).abs() < 1e-12);
    assert!((sm.spec.x_min - (-122.5 - 0.0125)).abs() < 1e-9);
    assert!((sm.spec.y_max - (37.2 + 0.0125)).abs() < 1e-9);
    assert_eq!(sm.event.get("magnitude").map(String::as_str), Some("6.9"));
    let pgv = sm.field("PGV").unwrap();
    assert_eq!(pgv.valid_count(), 49 * 29, "every node has a PGV");
    let (lo, hi) = pgv.min_max().unwrap();
    assert!(lo > 0.0 && hi < 300.0, "PGV {lo}..{hi} cm/s");
    // the strongest shaking lies near the epicentre (−121.88, 37.04)
    let imax = pgv
        .data
        .iter()
        .enumerate()
        .max_by(|x, y| x.1.total_cmp(y.1))
        .unwrap()
        .0;
    let (lon, lat) = pgv.spec.cell_centre(imax / 49, imax % 49);
    assert!(
        (lon + 121.88).abs() < 0.4 && (lat - 37.04).abs() < 0.4,
        "max PGV at {lon}, {lat}"
    );
}

#[test]
fn the_usgs_gradient_raster_declared_as_degrees_is_refused_with_a_clear_message() {
    let Some(dir) = fixture() else { return };
    let m = dir.join("model_inputs");
    let inputs = RasterInputs {
        pgv: dir.join("grid.xml"),
        slope: m.join("global_grad.tif"),
        slope_unit: SlopeRasterUnit::Degrees,
        cti: m.join("global_cti_fil.grd"),
        lithology: m.join("GLIM_replace.tif"),
        land_cover: m.join("globcover_replace.tif"),
        assume_crs_wkt: Some(wgs84_wkt().unwrap()),
    };
    let e = compute_from_rasters(&inputs, &target_spec(&dir))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("global_grad.tif") && e.contains("gradient"),
        "{e}"
    );
}
