//! The physics of the synthetic interferometric coherence, pixel by pixel.
//!
//! - Surface: each land-cover class has, per band, a short-span coherence `γ0` and a
//!   decorrelation time `τ` (days): `γ(Δt) = γ∞ + (γ0 − γ∞)·exp(−Δt/τ)`, `γ∞ = 0.03`.
//!   Dense forest decorrelates C band within one or two repeat cycles (γ0 ≈ 0.45, τ ≈ 10 d:
//!   ≈ 0.27 over 6 days, ≈ 0.15 over 12) but keeps L band coherent for weeks (γ0 ≈ 0.6,
//!   τ ≈ 90 d); bare ground and towns stay coherent.
//! - Geometry: the local incidence angle `θ_loc = θ − s_t`, with `s_t` the slope component
//!   towards the sensor (ascending looks east, so the sensor sits to the west-south-west;
//!   descending looks west). Layover (`θ_loc ≤ 0`) and steep foreshortening scale the
//!   coherence towards 0.15; grazing incidence (`θ_loc > 80°`) and shadow (`θ_loc ≥ 90°`) towards 0.1.
//! - Landslides: in a co-event pair the ground inside a landslide is fully decorrelated
//!   (γ = 0.06); in a post-event pair the fresh scar is bare debris whose coherence is
//!   that of bare ground, lowered in C band by continuing small-scale surface change
//!   (C: γ0 0.5, τ 20 d; L: γ0 0.85, τ 120 d).
//! - Estimation: a boxcar estimate from `N` looks is biased high at low coherence and
//!   noisy: `γ̂ = sqrt(γ² + (1 − γ²)/N) + z·(1 − γ²)/sqrt(2N)`, z ~ N(0, 1) per pixel.

use crate::project::Pass;

/// Radar band of a sensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Band {
    /// Sentinel-1.
    C,
    /// ALOS-2.
    L,
}

const GAMMA_INF: f64 = 0.03;

/// (γ0, τ days) of a land-cover class in a band.
pub(crate) fn surface(code: u8, band: Band) -> (f64, f64) {
    let (c, l) = match code {
        10 => ((0.65, 18.0), (0.80, 90.0)),
        20 => ((0.55, 12.0), (0.75, 60.0)),
        30 | 40 => ((0.55, 14.0), (0.78, 80.0)),
        50 => ((0.42, 9.0), (0.60, 90.0)),
        60..=62 => ((0.45, 10.0), (0.62, 100.0)),
        70..=72 | 80 | 90 => ((0.45, 11.0), (0.65, 110.0)),
        100 | 110 => ((0.50, 12.0), (0.70, 110.0)),
        120 => ((0.55, 14.0), (0.75, 100.0)),
        130 => ((0.60, 16.0), (0.80, 110.0)),
        150 => ((0.75, 40.0), (0.85, 200.0)),
        190 => ((0.85, 400.0), (0.90, 600.0)),
        200 => ((0.80, 60.0), (0.90, 300.0)),
        210 => ((0.02, 1.0), (0.02, 1.0)),
        220 => ((0.40, 6.0), (0.60, 30.0)),
        _ => ((0.5, 10.0), (0.7, 80.0)),
    };
    match band {
        Band::C => c,
        Band::L => l,
    }
}

/// Coherence of a surface `(γ0, τ)` over `span_days`.
pub(crate) fn temporal(surface: (f64, f64), span_days: f64) -> f64 {
    let (g0, tau) = surface;
    GAMMA_INF + (g0 - GAMMA_INF).max(0.0) * (-span_days / tau).exp()
}

/// Coherence of a fresh landslide scar over `span_days` (post-event pair).
pub(crate) fn scar(band: Band, span_days: f64) -> f64 {
    match band {
        Band::C => temporal((0.5, 20.0), span_days),
        Band::L => temporal((0.85, 120.0), span_days),
    }
}

/// Coherence inside a landslide in a co-event pair.
pub(crate) const LANDSLIDE_CO_EVENT: f64 = 0.06;

/// Nominal incidence angle, degrees: mid-swath of Sentinel-1 IW (29–46°) and a typical
/// ALOS-2 PALSAR-2 stripmap beam; a plan may set its own.
pub(crate) fn incidence_deg(band: Band) -> f64 {
    match band {
        Band::C => 39.0,
        Band::L => 36.0,
    }
}

/// Independent looks behind one coherence estimate: LiCSAR multilooks Sentinel-1 20 × 4
/// (range × azimuth) before estimating coherence, about 20 independent looks once the
/// oversampling is allowed for; the 40 m ALOS-2 pixel averages 4 × 4 stripmap looks.
pub(crate) fn looks(band: Band) -> f64 {
    match band {
        Band::C => 20.0,
        Band::L => 16.0,
    }
}

/// Azimuth from the ground towards the sensor, degrees from north.
pub(crate) fn towards_sensor_deg(pass: Pass) -> f64 {
    match pass {
        // heading ≈ 348°, right-looking: looks towards 78°, sensor lies at 258°
        Pass::Ascending => 258.0,
        // heading ≈ 192°, looks towards 282°, sensor lies at 102°
        Pass::Descending => 102.0,
    }
}

/// Geometric factor in (0, 1] from slope (deg) and downslope azimuth (deg).
pub(crate) fn geometry_factor(slope_deg: f64, aspect_deg: f64, pass: Pass, incidence: f64) -> f64 {
    let rel = (aspect_deg - towards_sensor_deg(pass)).to_radians();
    let s_t = (slope_deg.to_radians().tan() * rel.cos())
        .atan()
        .to_degrees();
    let theta_loc = incidence - s_t;
    if theta_loc <= 0.0 {
        0.15
    } else if theta_loc < 15.0 {
        0.15 + 0.85 * theta_loc / 15.0
    } else if theta_loc >= 90.0 {
        0.1
    } else if theta_loc > 80.0 {
        0.1 + 0.9 * (90.0 - theta_loc) / 10.0
    } else {
        1.0
    }
}

/// A coherence estimate from `looks` looks with standard-normal noise `z`.
pub(crate) fn estimate(gamma: f64, looks: f64, z: f64) -> f64 {
    let g2 = gamma.clamp(0.0, 1.0).powi(2);
    let biased = (g2 + (1.0 - g2) / looks).sqrt();
    (biased + z * (1.0 - g2) / (2.0 * looks).sqrt()).clamp(0.002, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forest_decorrelates_c_band_far_more_than_l_band() {
        let c = temporal(surface(50, Band::C), 12.0);
        let l = temporal(surface(50, Band::L), 12.0);
        assert!(c < 0.2 && l > 0.45, "{c} {l}");
        assert!(temporal(surface(200, Band::C), 12.0) > 0.6);
    }

    #[test]
    fn slopes_facing_the_sensor_lose_coherence() {
        // ascending: sensor to the west; a 45° west-facing slope is in layover
        assert!(geometry_factor(45.0, 270.0, Pass::Ascending, 39.0) < 0.2);
        // descending: sensor to the east; a 30° west-facing slope is imaged normally,
        // a 60° one is in shadow
        assert_eq!(geometry_factor(30.0, 270.0, Pass::Descending, 39.0), 1.0);
        assert!(geometry_factor(60.0, 270.0, Pass::Descending, 39.0) < 0.2);
        assert_eq!(geometry_factor(5.0, 0.0, Pass::Ascending, 39.0), 1.0);
    }

    #[test]
    fn boxcar_estimates_are_biased_high_at_low_coherence() {
        assert!(estimate(0.0, 9.0, 0.0) > 0.3);
        assert!((estimate(0.95, 9.0, 0.0) - 0.95).abs() < 0.02);
    }
}
