//! Input validation of the ground-failure model: PGV, slope units, coefficient rasters and
//! class lookups.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

use slidemap::groundfailure::{
    check_coefficients, check_pgv, check_slope_degrees, detect_content, detect_slope_unit,
    landcover_coefficients, lithology_coefficients, slope_deg_from_gradient, GroundFailureError,
    RasterContent, SlopeUnit, ROCK_COEF_RANGE,
};
use std::collections::BTreeMap;
use std::path::Path;

#[test]
fn pgv_at_or_below_zero_is_an_error_with_count_and_minimum() {
    let e = check_pgv(&[10.0, 0.0, -2.0, 5.0], &[true; 4], Path::new("pgv.tif")).unwrap_err();
    assert!(
        matches!(e, GroundFailureError::NonPositivePgv { count: 2, min, .. } if min == -2.0),
        "{e}"
    );
    assert!(e.to_string().contains("pgv.tif"));
}

#[test]
fn pgv_outside_the_needed_cells_is_not_checked() {
    assert!(check_pgv(&[-1.0, 5.0], &[false, true], Path::new("p"))
        .unwrap()
        .is_none());
}

#[test]
fn partly_missing_pgv_warns_and_wholly_missing_pgv_fails() {
    let w = check_pgv(&[f32::NAN, 5.0], &[true, true], Path::new("p.xml"))
        .unwrap()
        .unwrap();
    assert!(w.contains("1 of 2"), "{w}");
    let e = check_pgv(&[f32::NAN, f32::NAN], &[true, true], Path::new("p.xml")).unwrap_err();
    assert!(
        matches!(e, GroundFailureError::MissingPgv { cells: 2, .. }),
        "{e}"
    );
}

#[test]
fn a_gradient_given_as_degrees_is_detected_and_named() {
    let grad = [0.0, 0.1, 0.45, 0.65, f32::NAN];
    assert_eq!(detect_slope_unit(&grad), SlopeUnit::Gradient);
    let e = check_slope_degrees(&grad, "global_grad.tif")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("gradient") && e.contains("atan") && e.contains("global_grad.tif"),
        "{e}"
    );
}

#[test]
fn percent_rise_given_as_degrees_is_detected() {
    let pct = [0.0, 40.0, 120.0];
    assert_eq!(detect_slope_unit(&pct), SlopeUnit::Percent);
    assert!(check_slope_degrees(&pct, "s")
        .unwrap_err()
        .to_string()
        .contains("percent"));
}

#[test]
fn slopes_in_degrees_and_flat_ground_pass() {
    assert!(check_slope_degrees(&[0.0, 12.0, 45.0, f32::NAN], "s").is_ok());
    assert!(check_slope_degrees(&[0.0, 0.01], "s").is_ok());
    let deg = slope_deg_from_gradient(&[1.0, 0.0, f32::NAN]);
    assert!((deg[0] - 45.0).abs() < 1e-5 && deg[1] == 0.0 && deg[2].is_nan());
}

#[test]
fn fractional_values_mean_coefficients_and_integers_mean_class_codes() {
    assert_eq!(
        detect_content(&[-1.87, 0.0, f32::NAN]),
        RasterContent::Coefficients
    );
    assert_eq!(
        detect_content(&[50.0, 190.0, f32::NAN]),
        RasterContent::ClassCodes
    );
}

#[test]
fn the_superseded_sediment_coefficient_is_corrected_and_wild_values_refused() {
    let mut v = [-3.22, -3.21, -1.87, f32::NAN];
    let fixed = check_coefficients(
        &mut v,
        ROCK_COEF_RANGE,
        true,
        "lithology",
        Path::new("g.tif"),
    )
    .unwrap();
    assert_eq!(fixed, 2);
    assert_eq!(&v[..3], &[-1.36, -1.36, -1.87]);
    let mut wild = [-1.5, 7.5, 8.5];
    let e = check_coefficients(
        &mut wild,
        ROCK_COEF_RANGE,
        true,
        "lithology",
        Path::new("g.tif"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("2 cell(s)"), "{e}");
}

#[test]
fn glim_names_become_coefficients_and_unknown_names_are_counted() {
    let names = BTreeMap::from([
        (1, "mt".to_string()),
        (2, "su".to_string()),
        (3, "basalt".to_string()),
    ]);
    let (c, w) =
        lithology_coefficients(&[1.0, 2.0, f32::NAN], &names, Path::new("g.gpkg")).unwrap();
    assert_eq!(c[..2], [-1.87, -1.36]);
    assert!(c[2].is_nan() && w.is_empty());
    let e = lithology_coefficients(&[1.0, 3.0, 3.0], &names, Path::new("g.gpkg"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("'basalt' (2 cells)"), "{e}");
}

#[test]
fn esa_cci_codes_map_through_globcover_and_unknown_codes_are_counted() {
    // 10 is CCI-only, so the layer is read as ESA CCI: 10 → GlobCover 14 (0.91), 61 → 50 (0.30)
    let (c, w) = landcover_coefficients(&[10.0, 61.0, 210.0], Path::new("lc.tif")).unwrap();
    assert_eq!(c, vec![0.91, 0.30, 0.0]);
    assert!(w.iter().any(|w| w.contains("water")), "{w:?}");
    let e = landcover_coefficients(&[10.0, 5.0, 5.0, 5.0], Path::new("lc.tif"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("'5' (3 cells)") && e.contains("ESA CCI"), "{e}");
}

#[test]
fn globcover_codes_are_recognised_by_their_own_classes() {
    let (c, w) = landcover_coefficients(&[14.0, 160.0], Path::new("gc.tif")).unwrap();
    assert_eq!(c, vec![0.91, 2.34]);
    assert!(w.is_empty(), "{w:?}");
}
