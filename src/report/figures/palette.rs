//! Colours of the figures, and the colour-ramp tables (viridis, magma, inferno, cividis,
//! greys) shared with the responder outputs (`.qml`, KMZ) and the GUI: the viridis ramp for
//! LAD maps, a fixed colour per [`FeatureGroup`], and categorical colours for sensors, steps
//! and training extents.
//!
//! Every colour is a pure function of its input (no state), so figures are reproducible.

use crate::features::FeatureGroup;
use plotters::style::RGBColor;

/// Viridis (matplotlib) sampled at 11 evenly spaced stops, `0xRRGGBB`.
pub(crate) const VIRIDIS: [u32; 11] = [
    0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c, 0x22a884, 0x44bf70, 0x7ad151,
    0xbddf26, 0xfde725,
];
/// Magma (matplotlib) at 11 evenly spaced stops, `0xRRGGBB`.
pub(crate) const MAGMA: [u32; 11] = [
    0x000004, 0x140e36, 0x3b0f70, 0x641a80, 0x8c2981, 0xb73779, 0xde4968, 0xf7705c, 0xfe9f6d,
    0xfecf92, 0xfcfdbf,
];
/// Inferno (matplotlib) at 11 evenly spaced stops, `0xRRGGBB`.
pub(crate) const INFERNO: [u32; 11] = [
    0x000004, 0x160b39, 0x420a68, 0x6a176e, 0x932667, 0xbc3754, 0xdd513a, 0xf37819, 0xfca50a,
    0xf6d746, 0xfcffa4,
];
/// Cividis (colour-vision-deficiency friendly) at 5 evenly spaced stops, `0xRRGGBB`.
pub(crate) const CIVIDIS: [u32; 5] = [0x00224e, 0x414d6b, 0x7c7b78, 0xbcaf6f, 0xfee838];
/// Black to white.
pub(crate) const GREYS: [u32; 2] = [0x000000, 0xffffff];

/// Colour `[r, g, b]` at `t` in [0, 1] of a ramp given by evenly spaced `anchors`
/// (`0xRRGGBB`), interpolated linearly in RGB; `t` is clamped, NaN → the low end. The one
/// interpolation of the core (figures, QGIS styles, KMZ overlays); the GUI shares the
/// anchor tables.
pub(crate) fn ramp_rgb(anchors: &[u32], t: f64) -> [u8; 3] {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let channel = |v: u32, shift: u32| f64::from((v >> shift) & 0xff);
    match anchors {
        [] => [0, 0, 0],
        [only] => [16, 8, 0].map(|s| channel(*only, s) as u8),
        _ => {
            let x = t * (anchors.len() - 1) as f64;
            let i = (x.floor() as usize).min(anchors.len() - 2);
            let f = x - i as f64;
            let (a, b) = (anchors[i], anchors[i + 1]);
            [16, 8, 0].map(|s| {
                let (p, q) = (channel(a, s), channel(b, s));
                (p + (q - p) * f).round() as u8
            })
        }
    }
}

/// Viridis colour at `t` in [0, 1] (clamped; NaN → the low end).
pub(crate) fn viridis(t: f64) -> RGBColor {
    let [r, g, b] = ramp_rgb(&VIRIDIS, t);
    RGBColor(r, g, b)
}

/// Colour of cells without a value (unmapped, outside the study area).
pub(crate) const NODATA_GREY: RGBColor = RGBColor(0xc8, 0xc8, 0xc8);

/// The fixed colour of a data-source group (the same in every figure).
pub(crate) fn group_colour(group: FeatureGroup) -> RGBColor {
    match group {
        FeatureGroup::Topography => RGBColor(0x8c, 0x56, 0x4b),
        FeatureGroup::Pgv => RGBColor(0xd6, 0x27, 0x28),
        FeatureGroup::Lithology => RGBColor(0xbc, 0xbd, 0x22),
        FeatureGroup::LandCover => RGBColor(0x2c, 0xa0, 0x2c),
        FeatureGroup::GroundFailure => RGBColor(0xe3, 0x77, 0xc2),
        FeatureGroup::Sentinel1 => RGBColor(0x1f, 0x77, 0xb4),
        FeatureGroup::Alos2 => RGBColor(0xff, 0x7f, 0x0e),
        FeatureGroup::OtherSar => RGBColor(0x17, 0xbe, 0xcf),
    }
}

/// Categorical colours (Tableau 10 without its grey).
const CATEGORICAL: [RGBColor; 9] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0xbc, 0xbd, 0x22),
    RGBColor(0x17, 0xbe, 0xcf),
];

/// The `i`-th categorical colour (cycling).
pub(crate) fn categorical(i: usize) -> RGBColor {
    CATEGORICAL[i % CATEGORICAL.len()]
}

/// Sensor colours: `none` is grey; other sensor strings get categorical colours in the order
/// they first appear in the result.
#[derive(Debug, Clone, Default)]
pub(crate) struct SensorColours {
    names: Vec<String>,
}

impl SensorColours {
    /// Collect the sensor strings in order of first appearance.
    pub(crate) fn new<'a>(sensors: impl IntoIterator<Item = &'a str>) -> Self {
        let mut names: Vec<String> = Vec::new();
        for s in sensors {
            if !names.iter().any(|n| n == s) {
                names.push(s.to_string());
            }
        }
        Self { names }
    }
    /// Colour of one sensor string.
    pub(crate) fn colour(&self, sensor: &str) -> RGBColor {
        if sensor == "none" {
            return RGBColor(0x7f, 0x7f, 0x7f);
        }
        let i = self
            .names
            .iter()
            .filter(|n| *n != "none")
            .position(|n| n == sensor)
            .unwrap_or(0);
        categorical(i)
    }
    /// Sensor strings in order of first appearance.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_ends_are_purple_and_yellow_and_clamped() {
        assert_eq!(viridis(0.0), RGBColor(0x44, 0x01, 0x54));
        assert_eq!(viridis(1.0), RGBColor(0xfd, 0xe7, 0x25));
        assert_eq!(viridis(2.0), viridis(1.0));
        assert_eq!(viridis(f64::NAN), viridis(0.0));
    }

    #[test]
    fn every_group_has_its_own_colour() {
        let cs: Vec<RGBColor> = FeatureGroup::ALL.iter().map(|g| group_colour(*g)).collect();
        for i in 0..cs.len() {
            for j in i + 1..cs.len() {
                assert_ne!(cs[i], cs[j]);
            }
        }
    }
}
