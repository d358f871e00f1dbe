//! The landslide inventory: physical susceptibility → Poisson-thinned sources → elongated
//! teardrop polygons; plus the mapped extent (with a cloud hole) and the study area.
//!
//! Susceptibility is a log-odds sum of: slope (0.13/deg, minus a penalty below 20°),
//! ln of the *true* PGV (1.6 per ln unit), lithology weakness, a land-cover term and a
//! latent fractal field (σ ≈ 0.9; soil depth, groundwater, fracturing — unknown to every
//! input layer). `N = 30 × target` candidate sources are drawn uniformly; each is kept
//! with probability `sigmoid(logit + c)`, `c` found by bisection so the expected count is
//! the target. A kept source is the head scarp of a teardrop polygon elongated along the
//! local downslope azimuth (± 10°), length/width 1.5–3.5, log-normal area (median from the
//! scenario, σ = 0.9 ln units, truncated to 500–50,000 m²). Polygons are star-shaped
//! around their centre, hence valid.

use super::fault_pgv::Fault;
use super::landcover::LandCover;
use super::lithology::Lithology;
use super::noise::{rng_for, sigmoid, Fbm};
use super::world::World;
use super::DemoError;
use crate::io::Polygon;
use rand::Rng;
use rand_distr::{Distribution, Normal};

/// Inventory and extents of one event (UTM).
#[derive(Debug, Clone)]
pub(crate) struct Landslides {
    /// Landslide polygons.
    pub polygons: Vec<Polygon>,
    /// Their planimetric areas, m².
    pub areas_m2: Vec<f64>,
    /// Mapped extent with a cloud hole.
    pub mapped_extent: Polygon,
    /// Study area (the DEM area, slightly inset).
    pub study_area: Polygon,
}

/// Land-cover contribution to the landslide log-odds.
pub(crate) fn landcover_logit(code: u8) -> f64 {
    match code {
        50 | 60 | 70 | 90 => -0.2,
        10 | 20 | 30 => 0.1,
        100 | 120 | 130 => 0.2,
        150 | 200 => 0.4,
        190 => -1.5,
        220 => -1.0,
        210 => -12.0,
        _ => 0.0,
    }
}

fn slope_logit(slope_deg: f64) -> f64 {
    0.13 * (slope_deg - 30.0) - 0.2 * (20.0 - slope_deg).max(0.0)
}

/// Draw the inventory.
pub(crate) fn generate(
    world: &World<'_>,
    fault: &Fault,
    lith: &Lithology,
    lc: &LandCover,
) -> Result<Landslides, DemoError> {
    let sc = world.sc;
    let a = world.area;
    let mut rng = rng_for(world.seed, world.index, "landslides");
    let latent = Fbm::new(world.layer_seed("latent-susceptibility"), 2_500.0, 4, 0.55);
    let n_cand = 30 * sc.target_landslides;
    let mut cands: Vec<([f64; 2], f64, f64)> = Vec::with_capacity(n_cand);
    for _ in 0..n_cand {
        let (x, y) = (
            rng.gen_range(a.x_min..a.x_max),
            rng.gen_range(a.y_min..a.y_max),
        );
        if let Some((_, slope, aspect)) = world.dem.sample(x, y) {
            let z = slope_logit(f64::from(slope))
                + 1.6 * (fault.pgv_true_cm_s(x, y) / 40.0).ln()
                + lith.class_at(x, y).weakness
                + 1.5 * latent.at(x, y);
            cands.push(([x, y], z, f64::from(aspect)));
        }
    }
    let mut ll: Vec<[f64; 2]> = cands.iter().map(|c| c.0).collect();
    world.to_lonlat(&mut ll)?;
    for (c, p) in cands.iter_mut().zip(&ll) {
        c.1 += landcover_logit(lc.code_at(p[0], p[1]));
    }
    let shift = logit_shift(&cands, sc.target_landslides as f64);
    let normal = Normal::new(0.0, 1.0).map_err(|e| DemoError::Invalid {
        event: sc.folder.into(),
        message: e.to_string(),
    })?;
    let mut polygons = Vec::new();
    let mut areas = Vec::new();
    for (p, z, aspect) in &cands {
        // draw everything for every candidate so the stream does not depend on acceptance
        let keep = rng.gen::<f64>() < sigmoid(z + shift);
        let mut area = 0.0;
        for _ in 0..20 {
            area = (sc.median_area_m2.ln() + 0.9 * normal.sample(&mut rng)).exp();
            if (500.0..=50_000.0).contains(&area) {
                break;
            }
        }
        let area = area.clamp(500.0, 50_000.0);
        let ratio = rng.gen_range(1.5..3.5);
        let az = (aspect + 10.0 * normal.sample(&mut rng)).to_radians();
        let jitter: Vec<f64> = (0..18)
            .map(|_| (1.0 + 0.08 * normal.sample(&mut rng)).clamp(0.8, 1.2))
            .collect();
        if keep {
            let poly = teardrop(*p, az, area, ratio, &jitter);
            areas.push(poly.area());
            polygons.push(poly);
        }
    }
    let mapped_extent = mapped_extent(world, &mut rng);
    let study_area = study_area(world);
    Ok(Landslides {
        polygons,
        areas_m2: areas,
        mapped_extent,
        study_area,
    })
}

/// The log-odds shift `c` (by bisection) whose expected number of kept candidates,
/// Σ sigmoid(logit + c), is `target` (no draw).
fn logit_shift(cands: &[([f64; 2], f64, f64)], target: f64) -> f64 {
    let expected = |shift: f64| cands.iter().map(|c| sigmoid(c.1 + shift)).sum::<f64>();
    let (mut lo, mut hi) = (-40.0, 40.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if expected(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The study area: the DEM area inset by 60 m (no draw).
fn study_area(world: &World<'_>) -> Polygon {
    let a = world.area;
    let inset = 60.0;
    Polygon::new(vec![
        [a.x_min + inset, a.y_min + inset],
        [a.x_max - inset, a.y_min + inset],
        [a.x_max - inset, a.y_max - inset],
        [a.x_min + inset, a.y_max - inset],
    ])
}

/// A teardrop with its head at `head`, long axis along azimuth `az` (radians from north).
fn teardrop(head: [f64; 2], az: f64, area: f64, ratio: f64, jitter: &[f64]) -> Polygon {
    // area of the shape below ≈ π a b (the (1 − 0.35 cos t) taper averages out)
    let b = (area / (std::f64::consts::PI * ratio)).sqrt();
    let a = ratio * b;
    let d = [az.sin(), az.cos()];
    let n = [d[1], -d[0]];
    let centre = [head[0] + a * d[0], head[1] + a * d[1]];
    let k = jitter.len();
    let ring = (0..k)
        .map(|i| {
            let t = std::f64::consts::TAU * i as f64 / k as f64;
            let u = a * t.cos();
            let v = b * t.sin() * (1.0 - 0.35 * t.cos());
            let r = jitter[i];
            [
                centre[0] + r * (u * d[0] + v * n[0]),
                centre[1] + r * (u * d[1] + v * n[1]),
            ]
        })
        .collect();
    Polygon::new(ring)
}

/// The area inset by 3 % with a jittered edge, minus a star-shaped cloud hole.
fn mapped_extent(world: &World<'_>, rng: &mut impl Rng) -> Polygon {
    let a = world.area;
    let (cx, cy) = a.centre();
    let (mx, my) = (0.03 * a.width(), 0.03 * a.height());
    let (x0, y0, x1, y1) = (a.x_min + mx, a.y_min + my, a.x_max - mx, a.y_max - my);
    let per_side = 12;
    let mut ring = Vec::with_capacity(4 * per_side);
    let corners = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
    for s in 0..4 {
        let (p, q) = (corners[s], corners[(s + 1) % 4]);
        for i in 0..per_side {
            let t = i as f64 / per_side as f64;
            let (x, y) = (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]));
            // pull towards the centre along the ray: keeps the ring star-shaped
            let f = 1.0 - rng.gen_range(0.0..0.04);
            ring.push([cx + f * (x - cx), cy + f * (y - cy)]);
        }
    }
    let ([hx, hy], radius) = world.sc.cloud_hole;
    let (hx, hy) = (a.x_min + hx * a.width(), a.y_min + hy * a.height());
    let k = 24;
    let radii: Vec<f64> = (0..k).map(|_| radius * rng.gen_range(0.75..1.25)).collect();
    let hole = (0..k)
        .map(|i| {
            let t = std::f64::consts::TAU * i as f64 / k as f64;
            // smooth the radii a little (average with neighbours)
            let r = 0.5 * radii[i] + 0.25 * (radii[(i + 1) % k] + radii[(i + k - 1) % k]);
            [hx + r * t.cos(), hy + r * t.sin()]
        })
        .collect();
    Polygon {
        exterior: ring,
        holes: vec![hole],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teardrops_have_about_the_requested_area_and_point_downslope() {
        let jitter = vec![1.0; 18];
        let p = teardrop(
            [0.0, 0.0],
            std::f64::consts::FRAC_PI_2,
            5_000.0,
            2.5,
            &jitter,
        );
        assert!((p.area() / 5_000.0 - 1.0).abs() < 0.08, "{}", p.area());
        // azimuth 90° = east: the body lies east of the head
        let e = p.extent().unwrap();
        assert!(e.x_min > -5.0 && e.x_max > 100.0);
    }
}
