//! Coherence value scales: LiCSAR uint8 (0–255 → /255, 0 = nodata) or unit coherence.

use crate::project::CoherenceScale;

/// Decide the effective scale of a file from its declared scale and GDAL data type name.
pub fn resolve_scale(declared: CoherenceScale, gdal_type: &str) -> CoherenceScale {
    match declared {
        CoherenceScale::Auto
            if gdal_type.eq_ignore_ascii_case("byte")
                || gdal_type.eq_ignore_ascii_case("uint8") =>
        {
            CoherenceScale::LicsarUint8
        }
        CoherenceScale::Auto => CoherenceScale::Unit,
        other => other,
    }
}

/// Scale values in place to [0, 1] coherence (NaN stays NaN). Returns the number of valid
/// values outside [0, 1] after scaling (beyond a 1e-3 tolerance), which callers report.
pub fn scale_values(values: &mut [f32], scale: CoherenceScale) -> usize {
    let mut out_of_range = 0;
    for v in values.iter_mut() {
        if v.is_nan() {
            continue;
        }
        if scale == CoherenceScale::LicsarUint8 {
            *v /= 255.0;
        }
        if *v < -1e-3 || *v > 1.0 + 1e-3 {
            out_of_range += 1;
        } else {
            *v = v.clamp(0.0, 1.0);
        }
    }
    out_of_range
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_rasters_are_licsar_scaled() {
        assert_eq!(
            resolve_scale(CoherenceScale::Auto, "Byte"),
            CoherenceScale::LicsarUint8
        );
        assert_eq!(
            resolve_scale(CoherenceScale::Auto, "Float32"),
            CoherenceScale::Unit
        );
        assert_eq!(
            resolve_scale(CoherenceScale::Unit, "Byte"),
            CoherenceScale::Unit
        );
        let mut v = [255.0, 51.0, f32::NAN];
        assert_eq!(scale_values(&mut v, CoherenceScale::LicsarUint8), 0);
        assert_eq!(v[0], 1.0);
        assert!((v[1] - 0.2).abs() < 1e-6);
    }

    #[test]
    fn out_of_range_values_are_counted() {
        let mut v = [0.5, 1.7, -0.4];
        assert_eq!(scale_values(&mut v, CoherenceScale::Unit), 2);
    }
}
