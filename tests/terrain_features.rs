//! Coarse terrain features: hand-computed block statistics, the 0/360° circular mean,
//! partial blocks and the valid fraction, the fused pipeline against the composed fine-grid
//! path, and cancellation/progress/degenerate inputs.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use slidemap::terrain::{
    aggregate_features, aspect_deg, cti, fill_depressions, flow_accumulation_d8, full_derivatives,
    slope_deg, terrain_features, DemView, TerrainError, TerrainFeatures, TerrainOptions,
};

fn run(
    z: &[f32],
    rows: usize,
    cols: usize,
    w: f64,
    h: f64,
    opts: &TerrainOptions,
) -> TerrainFeatures {
    terrain_features(
        z.to_vec(),
        rows,
        cols,
        w,
        h,
        opts,
        &AtomicBool::new(false),
        &|_, _| {},
    )
    .unwrap()
}

fn close(a: f32, b: f64, tol: f64) -> bool {
    (f64::from(a) - b).abs() <= tol
}

#[test]
fn block_statistics_of_a_plane_rising_east_are_hand_computable() {
    // 6 × 6 cells of 1 m, z = 2·col: slope atan(2) = 63.435°, aspect 270° (faces west).
    let z: Vec<f32> = (0..36).map(|i| 2.0 * (i % 6) as f32).collect();
    let f = run(
        &z,
        6,
        6,
        1.0,
        1.0,
        &TerrainOptions::default().with_block(3, 3),
    );
    assert_eq!((f.rows, f.cols), (2, 2));
    // Block (0, 0): columns 0..3 → elevations 0, 2, 4 three times each.
    assert!(close(f.mean_elevation_m[0], 2.0, 1e-6));
    assert!(close(f.std_elevation_m[0], (8.0_f64 / 3.0).sqrt(), 1e-6));
    assert!(close(f.relief_m[0], 4.0, 0.0));
    // Block (1, 1): columns 3..6 → 6, 8, 10.
    assert!(close(f.mean_elevation_m[3], 8.0, 1e-6));
    let plane_slope = 2.0_f64.atan().to_degrees();
    for k in 0..4 {
        assert!(close(f.mean_slope_deg[k], plane_slope, 1e-4), "{k}");
        assert!(close(f.max_slope_deg[k], plane_slope, 1e-4));
        assert!(close(f.std_slope_deg[k], 0.0, 1e-4));
        assert!(close(f.circular_mean_aspect_deg[k], 270.0, 1e-4));
        // CTI: the plane is pit-free; each row drains west, so the interior accumulations
        // are 5 - col (cols 1..5 → 4, 3, 2, 1) with tan β = 2 and 1 m cells.
        assert!(!f.mean_cti[k].is_nan());
    }
    // Block (0,0) interior cells (rows 1-2, cols 1-2): acc 5 and 4 → mean ln(acc/2).
    let expected = ((5.0_f64 / 2.0).ln() + (4.0_f64 / 2.0).ln()) / 2.0;
    assert!(
        close(f.mean_cti[0], expected, 1e-5),
        "{} vs {expected}",
        f.mean_cti[0]
    );
}

#[test]
fn circular_mean_of_350_and_10_degrees_is_north() {
    let z = [1.0_f32, 2.0];
    let nan = [f32::NAN; 2];
    let f = aggregate_features(
        &DemView::new(&z, 1, 2, 10.0, 10.0),
        &nan,
        &[350.0, 10.0],
        &nan,
        &TerrainOptions::default().with_block(1, 2),
    )
    .unwrap();
    let a = f.circular_mean_aspect_deg[0];
    assert!(a.min(360.0 - a) < 1e-4, "{a}");
    assert!(close(f.mean_elevation_m[0], 1.5, 1e-6) && close(f.std_elevation_m[0], 0.5, 1e-6));
    assert!(f.mean_slope_deg[0].is_nan() && f.mean_cti[0].is_nan());
    // And 80° + 100° + a flat (NaN) cell average to 90°.
    let f = aggregate_features(
        &DemView::new(&[1.0, 2.0, 3.0], 1, 3, 10.0, 10.0),
        &[f32::NAN; 3],
        &[80.0, f32::NAN, 100.0],
        &[f32::NAN; 3],
        &TerrainOptions::default().with_block(1, 3),
    )
    .unwrap();
    assert!(close(f.circular_mean_aspect_deg[0], 90.0, 1e-4));
}

#[test]
fn partial_edge_blocks_and_nodata_follow_the_valid_fraction() {
    // 7 × 7 with 3 × 3 blocks → 3 × 3 coarse cells; the last row/column holds 1 × 3 cells.
    let mut z: Vec<f32> = (0..49).map(|i| (i % 7 + i / 7) as f32).collect();
    // Five NaNs in block (0, 0) leave 4 of 9 valid (< 50 %).
    for i in [0, 1, 2, 7, 8] {
        z[i] = f32::NAN;
    }
    let f = run(
        &z,
        7,
        7,
        10.0,
        10.0,
        &TerrainOptions::default().with_block(3, 3),
    );
    assert_eq!((f.rows, f.cols), (3, 3));
    assert!(f.mean_elevation_m[0].is_nan() && f.mean_cti[0].is_nan());
    assert!(!f.mean_elevation_m[4].is_nan());
    assert!(f.mean_elevation_m[2].is_nan(), "3 of 9 cells < 50 %");
    assert!(f.relief_m[8].is_nan());
    let lenient = TerrainOptions::default()
        .with_block(3, 3)
        .with_min_valid_fraction(0.3);
    let f = run(&z, 7, 7, 10.0, 10.0, &lenient);
    // Block (0, 2): row 0..3, column 6 → elevations 6, 7, 8.
    assert!(close(f.mean_elevation_m[2], 7.0, 1e-6) && close(f.relief_m[2], 2.0, 0.0));
    assert!(!f.mean_elevation_m[0].is_nan(), "4 of 9 ≥ 30 %");
}

fn shared_data_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("SLIDEMAP_SHARED_DATA").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data")),
        Some(PathBuf::from("/work/main/../shared/data")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_dir())
}

/// A wavy synthetic DEM with pits, flats and a nodata hole (no shared data needed).
fn synthetic(rows: usize, cols: usize) -> Vec<f32> {
    let mut z: Vec<f32> = (0..rows * cols)
        .map(|i| {
            let (r, c) = ((i / cols) as f32, (i % cols) as f32);
            (300.0 + 40.0 * (r * 0.05).sin() * (c * 0.07).cos() + 0.3 * r + ((r * c) % 7.0)).round()
        })
        .collect();
    for r in 20..24 {
        for c in 30..37 {
            z[r * cols + c] = f32::NAN;
        }
    }
    z
}

fn assert_fused_equals_composed(z: &[f32], rows: usize, cols: usize, w: f64, h: f64) {
    let opts = TerrainOptions::default();
    let fused = run(z, rows, cols, w, h, &opts);
    let dem = DemView::new(z, rows, cols, w, h);
    let filled = fill_depressions(&dem).unwrap();
    let fview = DemView::new(&filled, rows, cols, w, h);
    let fine_cti = cti(
        &flow_accumulation_d8(&fview).unwrap(),
        &slope_deg(&fview).unwrap(),
        w,
        h,
    );
    let composed = aggregate_features(
        &dem,
        &slope_deg(&dem).unwrap(),
        &aspect_deg(&dem).unwrap(),
        &fine_cti,
        &opts,
    )
    .unwrap();
    for (name, (a, b)) in TerrainFeatures::NAMES
        .iter()
        .zip(fused.columns().iter().zip(composed.columns()))
    {
        for (k, (x, y)) in a.iter().zip(b).enumerate() {
            assert_eq!(
                x.is_nan(),
                y.is_nan(),
                "{name}[{k}]: fused {x}, composed {y}"
            );
            let tol = 1e-3 * (1.0 + y.abs());
            let d = if *name == "circular_mean_aspect_deg" {
                let d = (x - y).rem_euclid(360.0);
                d.min(360.0 - d)
            } else {
                (x - y).abs()
            };
            assert!(
                x.is_nan() || d <= tol,
                "{name}[{k}]: fused {x}, composed {y}"
            );
        }
    }
    let full = full_derivatives(&dem, &AtomicBool::new(false), &|_, _| {}).unwrap();
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert!(
        bits(&full.filled_m) == bits(&filled),
        "full_derivatives fills like fill_depressions"
    );
    assert!(bits(&full.slope_deg) == bits(&slope_deg(&dem).unwrap()));
}

#[test]
fn the_fused_pipeline_equals_the_composed_fine_grid_path() {
    assert_fused_equals_composed(&synthetic(93, 117), 93, 117, 20.0, 22.0);
}

#[test]
fn the_fused_pipeline_equals_the_composed_path_on_the_korean_dem() {
    let Some(data) = shared_data_dir() else {
        println!("SKIPPED: shared data folder not found (set SLIDEMAP_SHARED_DATA)");
        return;
    };
    let ds = gdal::Dataset::open(data.join("korea_dem_points/tingrid.tif")).unwrap();
    let (cols, rows) = ds.raster_size();
    let gt = ds.geo_transform().unwrap();
    let band = ds.rasterband(1).unwrap();
    let nodata = band.no_data_value();
    let (_, mut z) = band
        .read_as::<f32>((0, 0), (cols, rows), (cols, rows), None)
        .unwrap()
        .into_shape_and_vec();
    if let Some(nd) = nodata {
        z.iter_mut()
            .filter(|x| f64::from(**x) == nd)
            .for_each(|x| *x = f32::NAN);
    }
    assert_fused_equals_composed(&z, rows, cols, gt[1], -gt[5]);
}

#[test]
fn cancellation_progress_and_degenerate_inputs() {
    let z = synthetic(40, 50);
    let cancelled = AtomicBool::new(true);
    let r = terrain_features(
        z.clone(),
        40,
        50,
        10.0,
        10.0,
        &TerrainOptions::default(),
        &cancelled,
        &|_, _| {},
    );
    assert!(matches!(r, Err(TerrainError::Cancelled { .. })));

    let seen = RefCell::new(Vec::new());
    let ok = AtomicBool::new(false);
    terrain_features(
        z,
        40,
        50,
        10.0,
        10.0,
        &TerrainOptions::default(),
        &ok,
        &|s, f| seen.borrow_mut().push((s.to_string(), f)),
    )
    .unwrap();
    let seen = seen.into_inner();
    assert!(seen.windows(2).all(|p| p[0].1 <= p[1].1), "{seen:?}");
    assert_eq!(seen.last().map(|p| p.1), Some(1.0));

    let opts = TerrainOptions::default();
    let never = AtomicBool::new(false);
    let call = |z: Vec<f32>, r, c| terrain_features(z, r, c, 10.0, 10.0, &opts, &never, &|_, _| {});
    assert!(matches!(
        call(vec![1.0], 1, 1),
        Err(TerrainError::TooSmall { .. })
    ));
    assert!(matches!(
        call(vec![1.0; 4], 2, 2),
        Err(TerrainError::TooSmall { .. })
    ));
    assert!(matches!(
        call(vec![f32::NAN; 16], 4, 4),
        Err(TerrainError::AllNoData { .. })
    ));
    assert!(matches!(
        call(vec![1.0; 15], 4, 4),
        Err(TerrainError::ShapeMismatch {
            expected: 16,
            got: 15
        })
    ));
    let bad = TerrainOptions::default().with_block(0, 10);
    let r = terrain_features(vec![1.0; 16], 4, 4, 10.0, 10.0, &bad, &never, &|_, _| {});
    assert!(matches!(r, Err(TerrainError::InvalidOption { .. })));
    // A 4 × 4 DEM fills 16 % of one 10 × 10 block: NaN at the default 50 %, valid at 10 %.
    assert!(call(vec![5.0; 16], 4, 4).unwrap().mean_elevation_m[0].is_nan());
    let lenient = TerrainOptions::default().with_min_valid_fraction(0.1);
    let f = terrain_features(
        vec![5.0; 16],
        4,
        4,
        10.0,
        10.0,
        &lenient,
        &never,
        &|_, _| {},
    )
    .unwrap();
    // A constant DEM: valid elevations, zero slope, no aspect, CTI at the slope floor.
    assert_eq!(f.mean_elevation_m, vec![5.0]);
    assert!(
        close(f.mean_cti[0], (10.0_f64 / 0.001).ln(), 1e-3),
        "{}",
        f.mean_cti[0]
    );
    assert!(f.circular_mean_aspect_deg[0].is_nan() && f.mean_slope_deg[0] == 0.0);
}
