//! Loading one acquisition's coherence files onto the fine analysis grid, scaled to [0, 1].

use super::{resolve_scale, scale_values};
use crate::grid::GridSpec;
use crate::io::{raster_info, warp_file_to_grid, GisError, WarpOptions};
use crate::project::{AcquisitionConfig, CoherenceScale, Project, RasterInput};
use std::path::PathBuf;

/// Errors of coherence loading; each names the acquisition and the file.
#[derive(Debug, thiserror::Error)]
pub enum CoherenceError {
    /// The file could not be read or warped.
    #[error("acquisition {acquisition}, {role} coherence: {source}")]
    Gis {
        /// e.g. "A2_desc (ALOS-2 P157)"
        acquisition: String,
        /// "pre-event", "co-event", …
        role: &'static str,
        /// the I/O error (names the file)
        source: GisError,
    },
    /// Values outside [0, 1] after scaling.
    #[error("acquisition {acquisition}, {role} coherence ({path}): {count} values lie outside [0, 1] after {scale:?} scaling (stored values {min}..{max}); {hint}")]
    OutOfRange {
        /// acquisition label
        acquisition: String,
        /// file role
        role: &'static str,
        /// the file
        path: PathBuf,
        /// how many values
        count: usize,
        /// the scale applied
        scale: CoherenceScale,
        /// smallest stored value
        min: f32,
        /// largest stored value
        max: f32,
        /// the fix that works (see [`scale_hint`])
        hint: String,
    },
    /// A grid-size mismatch between two SLC files or similar.
    #[error("{path}: {message}")]
    Invalid {
        /// the file
        path: PathBuf,
        /// what is wrong
        message: String,
    },
}

/// One acquisition's coherence on the fine grid (NaN outside the footprint).
#[derive(Debug, Clone)]
pub struct AcquisitionLayers {
    /// Pre-event coherence.
    pub pre: Vec<f32>,
    /// Co-event (boxcar) coherence.
    pub co: Vec<f32>,
    /// Post-event coherence.
    pub post: Option<Vec<f32>>,
    /// Sibling co-event coherence.
    pub sibling: Option<Vec<f32>>,
}

/// Human label of an acquisition for messages, e.g. "A2_desc (ALOS-2 P157)".
pub fn label(acq: &AcquisitionConfig) -> String {
    format!("{} ({} {})", acq.name_prefix(), acq.sensor, acq.track)
}

fn load_one(
    project: &Project,
    acq: &AcquisitionConfig,
    input: &RasterInput,
    role: &'static str,
    fine: &GridSpec,
) -> Result<Vec<f32>, CoherenceError> {
    let path = project.resolve(&input.path);
    let gis = |source| CoherenceError::Gis {
        acquisition: label(acq),
        role,
        source,
    };
    let info = raster_info(&path).map_err(gis)?;
    let scale = resolve_scale(acq.scale, &info.data_type);
    let nodata = if scale == CoherenceScale::LicsarUint8 {
        Some(0.0)
    } else {
        None
    };
    let g = warp_file_to_grid(
        &path,
        fine,
        &WarpOptions::continuous()
            .with_band(input.band.unwrap_or(1))
            .with_src_nodata(nodata),
    )
    .map_err(gis)?;
    let mut data = g.data;
    let (min, max) = value_range(&data);
    let bad = scale_values(&mut data, scale);
    if bad > 0 {
        return Err(CoherenceError::OutOfRange {
            acquisition: label(acq),
            role,
            path,
            count: bad,
            scale,
            min,
            max,
            hint: scale_hint(min, max, scale),
        });
    }
    Ok(data)
}

/// Smallest and largest valid value.
fn value_range(values: &[f32]) -> (f32, f32) {
    let (mut min, mut max) = (f32::INFINITY, f32::NEG_INFINITY);
    for v in values.iter().filter(|v| !v.is_nan()) {
        min = min.min(*v);
        max = max.max(*v);
    }
    (min, max)
}

/// The `scale` setting that makes stored values `min..max` coherence, or, when none does,
/// what the valid ranges are: values 0–255 reaching above 2 are LiCSAR-style (`scale =
/// "licsar-uint8"`); values in [0, 1] are `scale = "unit"`; anything else (e.g. 1–2, or
/// negative) is not coherence under either scale.
pub fn scale_hint(min: f32, max: f32, applied: CoherenceScale) -> String {
    if min >= 0.0 && max <= 255.0 && max > 2.0 && applied != CoherenceScale::LicsarUint8 {
        return "the values span 0–255, LiCSAR-style coherence × 255: set `scale = \"licsar-uint8\"` for this acquisition".into();
    }
    if min >= 0.0 && max <= 1.0 && applied == CoherenceScale::LicsarUint8 {
        return "the values already lie in [0, 1]: set `scale = \"unit\"` for this acquisition"
            .into();
    }
    "no `scale` setting fits: coherence must be stored in [0, 1] (`scale = \"unit\"`) or as whole numbers 0–255 (`scale = \"licsar-uint8\"`); check that the file holds coherence (not amplitude, phase or a ratio)".into()
}

/// Load every coherence file of an acquisition onto `fine`.
pub fn load_acquisition(
    project: &Project,
    acq: &AcquisitionConfig,
    fine: &GridSpec,
) -> Result<AcquisitionLayers, CoherenceError> {
    let pre = load_one(project, acq, &acq.pre_event, "pre-event", fine)?;
    let co = load_one(project, acq, &acq.co_event, "co-event", fine)?;
    let post = acq
        .post_event
        .as_ref()
        .map(|p| load_one(project, acq, p, "post-event", fine))
        .transpose()?;
    let sibling = acq
        .sibling
        .as_ref()
        .map(|p| load_one(project, acq, p, "sibling", fine))
        .transpose()?;
    Ok(AcquisitionLayers {
        pre,
        co,
        post,
        sibling,
    })
}

#[cfg(test)]
mod scale_hint_tests {
    use super::*;

    #[test]
    fn the_hint_names_the_scale_that_works_or_the_valid_ranges() {
        let h = scale_hint(0.0, 255.0, CoherenceScale::Unit);
        assert!(h.contains("licsar-uint8"), "{h}");
        let h = scale_hint(1.0, 1.9, CoherenceScale::Unit);
        assert!(
            h.contains("no `scale` setting fits") && h.contains("[0, 1]"),
            "{h}"
        );
        let h = scale_hint(0.0, 300.0, CoherenceScale::LicsarUint8);
        assert!(h.contains("0–255"), "{h}");
    }
}
