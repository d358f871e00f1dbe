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
    #[error("acquisition {acquisition}, {role} coherence ({path}): {count} values lie outside [0, 1] after {scale:?} scaling; set `scale` for this acquisition (\"licsar-uint8\" or \"unit\")")]
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
    let bad = scale_values(&mut data, scale);
    if bad > 0 {
        return Err(CoherenceError::OutOfRange {
            acquisition: label(acq),
            role,
            path,
            count: bad,
            scale,
        });
    }
    Ok(data)
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
