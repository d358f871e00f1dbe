//! Depression filling, D8 flow accumulation and CTI: hand-computed cases, invariants, and
//! the pysheds 0.5 reference fixtures in `tests/fixtures/terrain/` (written once by
//! `tools/terrain_reference/reference_flow.py`).
//!
//! What is compared, and why:
//! - On a pit-free, flat-free synthetic DEM both implementations see the same surface and the
//!   same D8 rule (steepest drop over distance, ties N, NE, E, …), so accumulation must be
//!   **identical** in every cell and the CTI equal within 1e-4.
//! - On a real DEM window the fills differ by design (pysheds fills to the exact spill level
//!   and then routes flats with `resolve_flats`; we raise flats by one f32 ULP per step), so we
//!   require our filled surface to be within 0.01 m above pysheds' and at least 95 % of cells
//!   to have identical accumulation (the measured figure is printed).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

use std::path::{Path, PathBuf};

use slidemap::terrain::{
    cti, d8_receivers, fill_depressions, flow_accumulation_d8, slope_deg, DemView, D8_NO_RECEIVER,
};

/// A fixture grid: values, rows, cols, cell width, cell height.
struct Grid {
    v: Vec<f32>,
    rows: usize,
    cols: usize,
    w: f64,
    h: f64,
}

fn fixture(name: &str) -> Grid {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terrain")
        .join(name);
    let path = if path.exists() {
        path
    } else {
        PathBuf::from("/work/main/tests/fixtures/terrain").join(name)
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<f64> = lines
        .next()
        .unwrap()
        .trim_start_matches('#')
        .split_whitespace()
        .map(|t| t.parse().unwrap())
        .collect();
    let v: Vec<f32> = lines
        .flat_map(|l| l.split_whitespace())
        .map(|t| t.parse::<f32>().unwrap())
        .collect();
    let (rows, cols) = (header[0] as usize, header[1] as usize);
    assert_eq!(v.len(), rows * cols, "{name}");
    Grid {
        v,
        rows,
        cols,
        w: header[2],
        h: header[3],
    }
}

impl Grid {
    fn view(&self) -> DemView<'_> {
        DemView::new(&self.v, self.rows, self.cols, self.w, self.h)
    }
}

#[rustfmt::skip]
const HAND_DEM: [f32; 25] = [
    20.0, 20.0, 20.0, 20.0, 20.0,
    20.0, 12.0, 11.0, 10.0, 20.0,
    20.0, 13.0,  8.0,  9.0, 20.0,
    20.0, 14.0,  7.0,  6.0, 20.0,
    20.0, 20.0, 20.0,  5.0, 20.0,
];

#[test]
fn hand_computed_5x5_accumulation_follows_the_steepest_d8_paths() {
    // Worked by hand (see the comments): border cells drain inwards, everything ends at the
    // outlet (4, 3) = 5 m, which receives all 25 cells.
    #[rustfmt::skip]
    let expected: [f32; 25] = [
        1.0, 1.0,  1.0,  1.0, 1.0,  // row 0 drains into (1,1), (1,2), (1,3)
        1.0, 4.0,  2.0,  4.0, 1.0,  // (1,1) SE, (1,2) S, (1,3) SW, all to (2,2)
        1.0, 2.0, 13.0,  2.0, 1.0,  // (2,2) SE to (3,3); (2,3) S to (3,3)
        1.0, 3.0,  5.0, 17.0, 1.0,  // (3,1) E, (3,2) SE, (3,3) S, all to (4,3)
        1.0, 1.0,  1.0, 25.0, 1.0,
    ];
    let dem = DemView::new(&HAND_DEM, 5, 5, 10.0, 10.0);
    assert_eq!(
        fill_depressions(&dem).unwrap(),
        HAND_DEM.to_vec(),
        "already pit-free"
    );
    assert_eq!(flow_accumulation_d8(&dem).unwrap(), expected.to_vec());
}

#[test]
fn hand_computed_cti_at_the_confluence() {
    let dem = DemView::new(&HAND_DEM, 5, 5, 10.0, 10.0);
    let acc = flow_accumulation_d8(&dem).unwrap();
    let values = cti(&acc, &slope_deg(&dem).unwrap(), 10.0, 10.0);
    // Horn at (2,2): east−west = −18, south−north = −10 → tan β = √(0.225² + 0.125²);
    // a = 13 cells × 10 m.
    let expected = (130.0_f64 / (0.225_f64.powi(2) + 0.125_f64.powi(2)).sqrt()).ln();
    assert!(
        (f64::from(values[12]) - expected).abs() < 1e-4,
        "{} vs {expected}",
        values[12]
    );
    assert!(values[0].is_nan(), "border slope is NaN, so is its CTI");
}

#[test]
fn accumulation_is_identical_to_pysheds_on_a_pit_free_dem() {
    let dem = fixture("synthetic_dem.txt");
    let reference = fixture("synthetic_acc_pysheds.txt");
    assert_eq!(
        fill_depressions(&dem.view()).unwrap(),
        dem.v,
        "pit-free: fill is a no-op"
    );
    let acc = flow_accumulation_d8(&dem.view()).unwrap();
    let differing = acc.iter().zip(&reference.v).filter(|(a, b)| a != b).count();
    assert_eq!(differing, 0, "cells differing from pysheds");
    println!(
        "synthetic 60 × 80: max accumulation {}",
        acc.iter().cloned().fold(0.0, f32::max)
    );
}

#[test]
fn cti_matches_the_reference_formula_on_pysheds_accumulation() {
    let dem = fixture("synthetic_dem.txt");
    let reference = fixture("synthetic_cti_reference.txt");
    let acc = flow_accumulation_d8(&dem.view()).unwrap();
    let ours = cti(&acc, &slope_deg(&dem.view()).unwrap(), dem.w, dem.h);
    let mut worst = 0.0_f32;
    for (a, b) in ours.iter().zip(&reference.v) {
        assert_eq!(a.is_nan(), b.is_nan());
        if !a.is_nan() {
            worst = worst.max((a - b).abs());
        }
    }
    assert!(worst <= 1e-4, "max |ΔCTI| = {worst}");
}

#[test]
fn real_dem_fill_and_accumulation_agree_with_pysheds() {
    let dem = fixture("korea_subset_dem.txt");
    let reference_filled = fixture("korea_subset_filled_pysheds.txt");
    let reference_acc = fixture("korea_subset_acc_pysheds.txt");
    let filled = fill_depressions(&dem.view()).unwrap();
    let mut max_above = 0.0_f32;
    let mut raised = 0;
    for ((ours, theirs), orig) in filled.iter().zip(&reference_filled.v).zip(&dem.v) {
        assert!(
            ours >= theirs,
            "ours {ours} below pysheds' spill level {theirs}"
        );
        max_above = max_above.max(ours - theirs);
        raised += usize::from(ours > orig);
    }
    assert!(
        max_above <= 0.01,
        "ours is {max_above} m above pysheds' fill"
    );
    let f = DemView::new(&filled, dem.rows, dem.cols, dem.w, dem.h);
    let acc = flow_accumulation_d8(&f).unwrap();
    let equal = acc
        .iter()
        .zip(&reference_acc.v)
        .filter(|(a, b)| a == b)
        .count();
    let share = equal as f64 / acc.len() as f64;
    println!(
        "korea 120 × 160: {raised} cells raised, fill ≤ {max_above} m above pysheds, \
         {:.2} % of accumulations identical",
        100.0 * share
    );
    assert!(share >= 0.95, "only {:.2} % identical", 100.0 * share);
}

/// Asserts the three fill invariants on `z` (rows × cols).
fn assert_fill_invariants(z: &[f32], rows: usize, cols: usize) {
    let dem = DemView::new(z, rows, cols, 10.0, 10.0);
    let filled = fill_depressions(&dem).unwrap();
    for (f, o) in filled.iter().zip(z) {
        assert!(
            f >= o || (f.is_nan() && o.is_nan()),
            "filled {f} < original {o}"
        );
    }
    let codes = d8_receivers(&DemView::new(&filled, rows, cols, 10.0, 10.0)).unwrap();
    for r in 1..rows - 1 {
        for c in 1..cols - 1 {
            let i = r * cols + c;
            let next_to_nodata =
                (r - 1..=r + 1).any(|rr| (c - 1..=c + 1).any(|cc| filled[rr * cols + cc].is_nan()));
            if !next_to_nodata {
                assert_ne!(
                    codes[i], D8_NO_RECEIVER,
                    "interior cell ({r}, {c}) cannot drain"
                );
            }
        }
    }
    let twice = fill_depressions(&DemView::new(&filled, rows, cols, 10.0, 10.0)).unwrap();
    let same = twice
        .iter()
        .zip(&filled)
        .all(|(a, b)| a.to_bits() == b.to_bits());
    assert!(same, "fill is not idempotent");
}

#[test]
fn fill_raises_never_lowers_drains_every_interior_cell_and_is_idempotent() {
    // The real window, and a noisy synthetic surface full of pits, flats and nodata holes.
    let korea = fixture("korea_subset_dem.txt");
    assert_fill_invariants(&korea.v, korea.rows, korea.cols);
    let (rows, cols) = (70, 90);
    let mut state = 12345_u64;
    let mut z: Vec<f32> = (0..rows * cols)
        .map(|i| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let noise = (state >> 40) as f32 / (1u64 << 24) as f32;
            let (r, c) = ((i / cols) as f32, (i % cols) as f32);
            // Quantised to 0.5 m so there are many exact flats.
            ((50.0 + (r * 0.2).sin() * 8.0 + (c * 0.15).cos() * 8.0 + noise * 6.0) * 2.0).round()
                / 2.0
        })
        .collect();
    for i in [500, 501, 590, 2000, 4321, 4322, 4411] {
        z[i] = f32::NAN;
    }
    assert_fill_invariants(&z, rows, cols);
}

#[test]
fn degenerate_grids_give_errors_or_trivial_results_not_panics() {
    let one = [3.0_f32];
    assert_eq!(
        flow_accumulation_d8(&DemView::new(&one, 1, 1, 1.0, 1.0)).unwrap(),
        vec![1.0]
    );
    let two = [1.0_f32, f32::NAN, 2.0, 0.5];
    let acc = flow_accumulation_d8(&DemView::new(&two, 2, 2, 1.0, 1.0)).unwrap();
    assert_eq!((acc[0], acc[2], acc[3]), (1.0, 1.0, 3.0));
    assert!(fill_depressions(&DemView::new(&[f32::NAN; 9], 3, 3, 1.0, 1.0)).is_err());
    assert!(flow_accumulation_d8(&DemView::new(&one, 1, 2, 1.0, 1.0)).is_err());
    assert!(fill_depressions(&DemView::new(&one, 1, 1, 0.0, 1.0)).is_err());
}
