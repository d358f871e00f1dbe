//! Checking and converting the model's inputs: PGV (cm/s, must be > 0), slope (must be in
//! degrees: gradients and percent rise are detected and named), and lithology / land-cover
//! layers (class codes → coefficients, or rasters that already hold coefficients).
//!
//! Coefficient rasters are told from class-code rasters by their values: a layer with any
//! non-integer value is read as coefficients (as the USGS `GLIM_replace.tif` and
//! `globcover_replace.tif`), and all its values must then lie in the paper's coefficient range
//! ([`ROCK_COEF_RANGE`], [`LANDCOVER_COEF_RANGE`]); a layer of integers is read as class codes.
//! Nodata is NaN throughout and stays NaN.

use super::coefficients::{glim_coefficient, LandCoverScheme, Lookup, SU_CORRECTED, SU_SUPERSEDED};
use super::error::format_counts;
use super::GroundFailureError;
use std::collections::BTreeMap;
use std::path::Path;

/// Accepted range of lithology coefficients (the paper's lowest is −3.22, unclassed are 0).
pub const ROCK_COEF_RANGE: (f32, f32) = (-3.3, 0.05);
/// Accepted range of land-cover coefficients (−1.26 … 2.34 in the paper, 0 unclassed).
pub const LANDCOVER_COEF_RANGE: (f32, f32) = (-1.3, 2.4);

/// Check PGV (cm/s) on the cells where it is `needed`: any value ≤ 0 is an error naming the
/// count and smallest value; PGV missing on every needed cell is an error; PGV missing on
/// some needed cells gives a warning (the model is nodata there).
pub fn check_pgv(
    pgv_cm_s: &[f32],
    needed: &[bool],
    path: &Path,
) -> Result<Option<String>, GroundFailureError> {
    let (mut bad, mut min, mut missing, mut total) = (0usize, f32::INFINITY, 0usize, 0usize);
    for (v, n) in pgv_cm_s.iter().zip(needed) {
        if !*n {
            continue;
        }
        total += 1;
        if v.is_nan() {
            missing += 1;
        } else if *v <= 0.0 {
            bad += 1;
            min = min.min(*v);
        }
    }
    if bad > 0 {
        return Err(GroundFailureError::NonPositivePgv {
            path: path.to_path_buf(),
            count: bad,
            min,
        });
    }
    if total > 0 && missing == total {
        return Err(GroundFailureError::MissingPgv {
            path: path.to_path_buf(),
            cells: total,
        });
    }
    Ok((missing > 0).then(|| {
        format!("PGV ({}) is missing on {missing} of {total} cells; the ground-failure model is nodata there", path.display())
    }))
}

/// What a slope layer's values look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlopeUnit {
    /// 0–90, with values above 90° absent.
    Degrees,
    /// Rise over run (all values ≤ π/2 while some exceed 0.05): steep terrain in degrees
    /// would exceed 2°.
    Gradient,
    /// Values above 90: percent rise (or not a slope at all).
    Percent,
    /// No valid value, or everything nearly flat: cannot tell.
    Unknown,
}

/// Guess the unit of a slope layer from its valid values.
pub fn detect_slope_unit(slope: &[f32]) -> SlopeUnit {
    let max = slope
        .iter()
        .copied()
        .filter(|v| !v.is_nan())
        .fold(f32::NEG_INFINITY, f32::max);
    if max == f32::NEG_INFINITY || max <= 0.05 {
        SlopeUnit::Unknown
    } else if max > 90.0 {
        SlopeUnit::Percent
    } else if f64::from(max) <= std::f64::consts::FRAC_PI_2 {
        SlopeUnit::Gradient
    } else {
        SlopeUnit::Degrees
    }
}

/// Require a slope layer in degrees; `source_name` names it in the error, which says what the
/// values look like and how to convert them.
pub fn check_slope_degrees(slope: &[f32], source_name: &str) -> Result<(), GroundFailureError> {
    let max = slope
        .iter()
        .copied()
        .filter(|v| !v.is_nan())
        .fold(f32::NEG_INFINITY, f32::max);
    let err = |message: String| {
        Err(GroundFailureError::SlopeUnit {
            source_name: source_name.into(),
            message,
        })
    };
    match detect_slope_unit(slope) {
        SlopeUnit::Degrees | SlopeUnit::Unknown => Ok(()),
        SlopeUnit::Percent => err(format!(
            "values reach {max:.1}, more than 90°: this looks like percent rise, not degrees (degrees = atan(percent / 100))"
        )),
        SlopeUnit::Gradient => err(format!(
            "values lie in 0–{max:.3}: this looks like a gradient (rise/run), not degrees (degrees = atan(gradient)); \
             read as degrees every cell would be below 2° and get zero coverage"
        )),
    }
}

/// Slope in degrees from a gradient (rise/run): `atan(g)` in degrees; NaN stays NaN.
pub fn slope_deg_from_gradient(gradient: &[f32]) -> Vec<f32> {
    gradient.iter().map(|g| g.atan().to_degrees()).collect()
}

/// What a lithology or land-cover raster holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RasterContent {
    /// Integer class codes.
    ClassCodes,
    /// Model coefficients already (some value is not an integer).
    Coefficients,
}

/// Tell coefficients from class codes (see the module docs).
pub fn detect_content(values: &[f32]) -> RasterContent {
    let fractional = values
        .iter()
        .any(|v| !v.is_nan() && (v - v.round()).abs() > 1e-3);
    if fractional {
        RasterContent::Coefficients
    } else {
        RasterContent::ClassCodes
    }
}

/// Check a coefficient raster against `range`; for lithology (`correct_su`) also replace the
/// superseded unconsolidated-sediment coefficient (−3.22/−3.21) by −1.36. Returns the number
/// of corrected cells.
pub fn check_coefficients(
    values: &mut [f32],
    range: (f32, f32),
    correct_su: bool,
    input: &str,
    path: &Path,
) -> Result<usize, GroundFailureError> {
    let (mut outside, mut example) = (0usize, f32::NAN);
    let mut corrected = 0;
    for v in values.iter_mut().filter(|v| !v.is_nan()) {
        if correct_su && SU_SUPERSEDED.iter().any(|s| (*v - s).abs() < 0.005) {
            *v = SU_CORRECTED;
            corrected += 1;
        } else if *v < range.0 || *v > range.1 {
            outside += 1;
            example = *v;
        }
    }
    if outside > 0 {
        return Err(GroundFailureError::BadRaster {
            input: input.into(),
            path: path.to_path_buf(),
            message: format!(
                "holds non-integer values, so it is read as model coefficients, but {outside} cell(s) lie outside {:.2}…{:.2} (e.g. {example})",
                range.0, range.1
            ),
        });
    }
    Ok(corrected)
}

/// Per-cell lookup shared by lithology and land cover: counts unknown and coefficient-less
/// classes, fails on unknown ones, warns about coefficient-less ones (which get 0).
fn lookup_all(
    codes: &[f32],
    name_of: impl Fn(i64) -> Option<String>,
    lookup: impl Fn(&str, i64) -> Lookup,
    input: &str,
    scheme: &str,
    path: &Path,
) -> Result<(Vec<f32>, Vec<String>), GroundFailureError> {
    let mut unknown: BTreeMap<String, usize> = BTreeMap::new();
    let mut zeroed: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = vec![f32::NAN; codes.len()];
    for (o, c) in out.iter_mut().zip(codes) {
        if c.is_nan() {
            continue;
        }
        let code = *c as i64;
        let label = name_of(code).unwrap_or_else(|| code.to_string());
        match lookup(&label, code) {
            Lookup::Coefficient(k) => *o = k,
            Lookup::NoCoefficient(name) => {
                *o = 0.0;
                *zeroed.entry(format!("{label} ({name})")).or_default() += 1;
            }
            Lookup::Unknown => *unknown.entry(label).or_default() += 1,
        }
    }
    let sorted = |m: BTreeMap<String, usize>| {
        let mut v: Vec<(String, usize)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    if !unknown.is_empty() {
        return Err(GroundFailureError::UnknownClasses {
            input: input.into(),
            path: path.to_path_buf(),
            scheme: scheme.into(),
            counts: sorted(unknown),
        });
    }
    let warnings = if zeroed.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "{input} ({}): {scheme} class(es) without a published coefficient get 0, as in the USGS implementation: {}",
            path.display(),
            format_counts(&sorted(zeroed))
        )]
    };
    Ok((out, warnings))
}

/// Lithology class codes with their GLiM names (e.g. from polygons whose class field holds
/// `mt`, `ss`, …) → `rock` coefficients, plus warnings for coefficient-less classes.
pub fn lithology_coefficients(
    codes: &[f32],
    names: &BTreeMap<i64, String>,
    path: &Path,
) -> Result<(Vec<f32>, Vec<String>), GroundFailureError> {
    lookup_all(
        codes,
        |c| names.get(&c).cloned(),
        |name, _| glim_coefficient(name),
        "lithology",
        "GLiM",
        path,
    )
}

/// Land-cover class codes (GlobCover 2009 or ESA CCI, detected) → `landcover` coefficients,
/// plus warnings (the assumed scheme when the codes do not tell, coefficient-less classes).
pub fn landcover_coefficients(
    codes: &[f32],
    path: &Path,
) -> Result<(Vec<f32>, Vec<String>), GroundFailureError> {
    let mut present: Vec<i64> = codes
        .iter()
        .filter(|c| !c.is_nan())
        .map(|c| *c as i64)
        .collect();
    present.sort_unstable();
    present.dedup();
    let (scheme, sure) = LandCoverScheme::detect(present);
    let (out, mut warnings) = lookup_all(
        codes,
        |_| None,
        |_, code| scheme.coefficient(code),
        "land cover",
        scheme.name(),
        path,
    )?;
    if !sure {
        warnings.insert(0, format!("land cover ({}): the class codes fit both GlobCover 2009 and ESA CCI; read as ESA CCI", path.display()));
    }
    Ok((out, warnings))
}
