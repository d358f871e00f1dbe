//! Perceptually uniform colour ramps (matplotlib's viridis, magma, inferno, cividis) and a
//! grey ramp for hillshades, as 256-entry lookup tables built from the core's anchor tables
//! (`report::palette`, shared with the figures, `.qml` styles and KMZ overlays). NaN maps to
//! transparent.

use crate::report::palette;
use egui::Color32;
use serde::{Deserialize, Serialize};

/// A colour ramp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Ramp {
    /// Dark blue → green → yellow.
    #[default]
    Viridis,
    /// Black → purple → orange → light yellow.
    Magma,
    /// Black → red → yellow.
    Inferno,
    /// Blue → grey → yellow (colour-vision-deficiency friendly).
    Cividis,
    /// Black → white (hillshade).
    Greys,
}

impl Ramp {
    /// Every ramp, in menu order.
    pub const ALL: [Ramp; 5] = [
        Ramp::Viridis,
        Ramp::Magma,
        Ramp::Inferno,
        Ramp::Cividis,
        Ramp::Greys,
    ];

    /// Display name.
    pub fn label(self) -> &'static str {
        match self {
            Ramp::Viridis => "viridis",
            Ramp::Magma => "magma",
            Ramp::Inferno => "inferno",
            Ramp::Cividis => "cividis",
            Ramp::Greys => "greys",
        }
    }

    /// Anchor colours (`0xRRGGBB`), shared with the core's figures, QGIS styles and KMZ
    /// overlays (`report::palette`): one table per ramp in the code base.
    fn anchors(self) -> &'static [u32] {
        match self {
            Ramp::Viridis => &palette::VIRIDIS,
            Ramp::Magma => &palette::MAGMA,
            Ramp::Inferno => &palette::INFERNO,
            Ramp::Cividis => &palette::CIVIDIS,
            Ramp::Greys => &palette::GREYS,
        }
    }

    /// Colour at `t` in 0..=1 (clamped, NaN → the low end), linear between the anchors:
    /// the core's one ramp interpolation (`report::palette::ramp_rgb`).
    pub fn at(self, t: f32) -> Color32 {
        let [r, g, b] = palette::ramp_rgb(self.anchors(), f64::from(t));
        Color32::from_rgb(r, g, b)
    }

    /// The 256-entry lookup table.
    pub fn lut(self) -> [Color32; 256] {
        let mut out = [Color32::BLACK; 256];
        for (i, c) in out.iter_mut().enumerate() {
            *c = self.at(i as f32 / 255.0);
        }
        out
    }
}

/// Colour `values` with `ramp` stretched over `min..=max`; NaN becomes transparent.
pub fn colorize(values: &[f32], ramp: Ramp, min: f32, max: f32) -> Vec<Color32> {
    let lut = ramp.lut();
    let span = if max > min { max - min } else { 1.0 };
    let scale = 255.0 / span;
    values
        .iter()
        .map(|&v| {
            if v.is_nan() {
                Color32::TRANSPARENT
            } else {
                lut[((v - min) * scale).clamp(0.0, 255.0) as usize]
            }
        })
        .collect()
}

/// A robust display range: the 2nd and 98th percentiles of the valid values (sampled), or
/// the full range for layers with few distinct values. `None` when every value is NaN.
pub fn robust_range(values: &[f32]) -> Option<(f32, f32)> {
    let step = (values.len() / 200_000).max(1);
    let mut s: Vec<f32> = values
        .iter()
        .step_by(step)
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if s.is_empty() {
        return None;
    }
    s.sort_by(|a, b| a.total_cmp(b));
    let q = |p: f64| s[((s.len() - 1) as f64 * p).round() as usize];
    let (lo, hi) = (q(0.02), q(0.98));
    if hi > lo {
        Some((lo, hi))
    } else {
        Some((s[0], s[s.len() - 1].max(s[0] + f32::EPSILON)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_ends_match_matplotlib() {
        assert_eq!(Ramp::Viridis.at(0.0), Color32::from_rgb(0x44, 0x01, 0x54));
        assert_eq!(Ramp::Viridis.at(1.0), Color32::from_rgb(0xfd, 0xe7, 0x25));
    }

    #[test]
    fn nan_is_transparent_and_values_are_clamped() {
        let c = colorize(&[f32::NAN, -5.0, 50.0], Ramp::Greys, 0.0, 10.0);
        assert_eq!(c[0], Color32::TRANSPARENT);
        assert_eq!(c[1], Color32::from_rgb(0, 0, 0));
        assert_eq!(c[2], Color32::from_rgb(255, 255, 255));
    }

    #[test]
    fn robust_range_ignores_nan() {
        let v: Vec<f32> = (0..100).map(|i| i as f32).chain([f32::NAN]).collect();
        let (lo, hi) = robust_range(&v).unwrap_or((0.0, 0.0));
        assert!(lo <= 3.0 && hi >= 96.0);
        assert!(robust_range(&[f32::NAN]).is_none());
    }
}
