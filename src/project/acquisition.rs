//! One radar acquisition in the project file: sensor, track, dates and coherence files.

use super::RasterInput;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Radar wavelength band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RadarBand {
    /// ~5.6 cm (Sentinel-1).
    C,
    /// ~24 cm (ALOS-2 PALSAR-2, NISAR).
    L,
    /// ~3 cm (TerraSAR-X, COSMO-SkyMed).
    X,
}

/// Orbit direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pass {
    /// Moving north, looking east.
    Ascending,
    /// Moving south, looking west.
    Descending,
}

impl Pass {
    /// "asc" / "desc", used in feature names.
    pub fn short(self) -> &'static str {
        match self {
            Pass::Ascending => "asc",
            Pass::Descending => "desc",
        }
    }
}

/// How stored coherence values map to [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CoherenceScale {
    /// Byte rasters are LiCSAR-style (0–255 → /255, 0 = nodata); others are taken as is.
    #[default]
    Auto,
    /// Values are already coherence in [0, 1].
    Unit,
    /// LiCSAR uint8: value / 255, 0 is nodata.
    LicsarUint8,
}

/// One acquisition (a sensor's first post-event image on one track) and its coherence maps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcquisitionConfig {
    /// "Sentinel-1", "ALOS-2", or another sensor name (then `band` is required).
    pub sensor: String,
    /// Radar band; inferred for Sentinel-1 (C) and ALOS-2 (L).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<RadarBand>,
    /// Track / path identifier, e.g. "T085" or "P157".
    pub track: String,
    /// Orbit direction.
    pub pass: Pass,
    /// Date of the first post-event image (co-event features become available), YYYY-MM-DD.
    pub first_post_date: NaiveDate,
    /// Date of the second post-event image (post-event features become available).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_post_date: Option<NaiveDate>,
    /// Pre-event coherence (two pre-event images).
    pub pre_event: RasterInput,
    /// Co-event coherence (pre-event image to first post-event image), boxcar estimate.
    pub co_event: RasterInput,
    /// Post-event coherence (first to second post-event image).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_event: Option<RasterInput>,
    /// Sibling co-event coherence (for Bx-S).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sibling: Option<RasterInput>,
    /// Value scale of the coherence files.
    #[serde(default)]
    pub scale: CoherenceScale,
}

impl AcquisitionConfig {
    /// The coherence files (pre-, co-, post-event, sibling), to edit their paths.
    pub fn files_mut(&mut self) -> Vec<&mut super::RasterInput> {
        [
            Some(&mut self.pre_event),
            Some(&mut self.co_event),
            self.post_event.as_mut(),
            self.sibling.as_mut(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// The radar band (explicit, or inferred from the sensor name).
    pub fn radar_band(&self) -> Option<RadarBand> {
        self.band.or_else(|| {
            let s = self.sensor.to_lowercase().replace(['-', '_', ' '], "");
            if s.starts_with("sentinel1") || s == "s1" {
                Some(RadarBand::C)
            } else if s.starts_with("alos2") || s == "a2" || s.starts_with("palsar") {
                Some(RadarBand::L)
            } else {
                None
            }
        })
    }

    /// Short sensor tag used in feature names: "S1", "A2", or the sensor name without spaces.
    pub fn sensor_tag(&self) -> String {
        let s = self.sensor.to_lowercase().replace(['-', '_', ' '], "");
        if s.starts_with("sentinel1") || s == "s1" {
            "S1".into()
        } else if s.starts_with("alos2") || s == "a2" {
            "A2".into()
        } else {
            self.sensor.replace([' ', '-'], "")
        }
    }

    /// Feature-name prefix, e.g. "A2_desc" or "S1_asc_T085" (track added when needed to be unique).
    pub fn name_prefix(&self) -> String {
        format!("{}_{}", self.sensor_tag(), self.pass.short())
    }
}
