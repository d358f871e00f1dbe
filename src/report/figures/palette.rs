//! Colours of the figures: the viridis ramp for LAD maps, a fixed colour per
//! [`FeatureGroup`], and categorical colours for sensors, steps and training extents.
//!
//! Every colour is a pure function of its input (no state), so figures are reproducible.

use crate::features::FeatureGroup;
use plotters::style::RGBColor;

/// Viridis (matplotlib) sampled at 11 evenly spaced stops; interpolated linearly in RGB.
const VIRIDIS: [(u8, u8, u8); 11] = [
    (0x44, 0x01, 0x54),
    (0x48, 0x24, 0x75),
    (0x41, 0x44, 0x87),
    (0x35, 0x5f, 0x8d),
    (0x2a, 0x78, 0x8e),
    (0x21, 0x91, 0x8c),
    (0x22, 0xa8, 0x84),
    (0x44, 0xbf, 0x70),
    (0x7a, 0xd1, 0x51),
    (0xbd, 0xdf, 0x26),
    (0xfd, 0xe7, 0x25),
];

/// Viridis colour at `t` in [0, 1] (clamped; NaN → the low end).
pub(crate) fn viridis(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (VIRIDIS.len() - 1) as f64;
    let i = (x.floor() as usize).min(VIRIDIS.len() - 2);
    let f = x - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |p: u8, q: u8| (p as f64 + (q as f64 - p as f64) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
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
