//! Lithology: GLiM-style classes on anisotropic Voronoi regions.
//!
//! Seeds are drawn uniformly over the area (plus a 2 km margin); each gets a class drawn with
//! the scenario's weights. Distances are measured after rotating by the geological strike
//! and stretching across it (×2.5), so regions are elongated along strike. Because that map
//! is affine, each region is the affine image of a convex Voronoi cell: polygons are
//! convex, hence valid, and the class lookup used by the landslide model (nearest seed in
//! the stretched frame) agrees exactly with the written polygons (to PROJ precision when
//! the file is in another CRS).

use super::scenarios::LithClass;
use super::world::World;
use super::DemoError;
use crate::io::Polygon;
use rand::Rng;

const ANISOTROPY: f64 = 2.5;

/// The lithology map of one event (UTM frame).
#[derive(Debug, Clone)]
pub(crate) struct Lithology {
    seeds_q: Vec<[f64; 2]>,
    classes: Vec<LithClass>,
    rot: (f64, f64),
    /// Region polygons (UTM) with their class.
    pub regions: Vec<(Polygon, LithClass)>,
}

impl Lithology {
    fn to_q(&self, x: f64, y: f64) -> [f64; 2] {
        to_q(self.rot, x, y)
    }

    /// Class at a UTM point (nearest seed in the stretched frame).
    pub(crate) fn class_at(&self, x: f64, y: f64) -> LithClass {
        let q = self.to_q(x, y);
        let mut best = (f64::INFINITY, 0);
        for (i, s) in self.seeds_q.iter().enumerate() {
            let d = (s[0] - q[0]).powi(2) + (s[1] - q[1]).powi(2);
            if d < best.0 {
                best = (d, i);
            }
        }
        self.classes[best.1]
    }
}

fn to_q(rot: (f64, f64), x: f64, y: f64) -> [f64; 2] {
    let (s, c) = rot;
    // rotate so that strike lies along the first axis, then stretch across strike
    [c * x + s * y, ANISOTROPY * (-s * x + c * y)]
}

fn from_q(rot: (f64, f64), q: [f64; 2]) -> [f64; 2] {
    let (s, c) = rot;
    let (u, v) = (q[0], q[1] / ANISOTROPY);
    [c * u - s * v, s * u + c * v]
}

/// Clip a convex polygon by the half-plane `n · p <= d`.
fn clip(poly: &[[f64; 2]], n: [f64; 2], d: f64) -> Vec<[f64; 2]> {
    let side = |p: &[f64; 2]| n[0] * p[0] + n[1] * p[1] - d;
    let mut out = Vec::with_capacity(poly.len() + 1);
    for i in 0..poly.len() {
        let (a, b) = (poly[i], poly[(i + 1) % poly.len()]);
        let (sa, sb) = (side(&a), side(&b));
        if sa <= 0.0 {
            out.push(a);
        }
        if (sa <= 0.0) != (sb <= 0.0) {
            let t = sa / (sa - sb);
            out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
        }
    }
    out
}

/// Draw the lithology of the world's scenario.
pub(crate) fn generate(world: &World<'_>) -> Result<Lithology, DemoError> {
    let sc = world.sc;
    let mut rng = super::noise::rng_for(world.seed, world.index, "lithology");
    let a = &world.area;
    let margin = 2_000.0;
    let (x0, y0, x1, y1) = (
        a.x_min - margin,
        a.y_min - margin,
        a.x_max + margin,
        a.y_max + margin,
    );
    let n = (((x1 - x0) * (y1 - y0)) / sc.lithology_region_m.powi(2))
        .ceil()
        .max(4.0) as usize;
    // strike measured clockwise from north → angle of the strike vector from the x axis
    let theta = (90.0 - sc.strike_deg).to_radians();
    let rot = theta.sin_cos();
    let total: f64 = sc.lithology.iter().map(|c| c.weight).sum();
    let mut seeds = Vec::with_capacity(n);
    let mut classes = Vec::with_capacity(n);
    for _ in 0..n {
        let (x, y) = (rng.gen_range(x0..x1), rng.gen_range(y0..y1));
        seeds.push(to_q(rot, x, y));
        let mut pick = rng.gen_range(0.0..total);
        let mut cls = sc.lithology[0];
        for c in &sc.lithology {
            if pick < c.weight {
                cls = *c;
                break;
            }
            pick -= c.weight;
        }
        classes.push(cls);
    }
    if seeds.is_empty() {
        return Err(DemoError::Invalid {
            event: sc.folder.into(),
            message: "no lithology seeds".into(),
        });
    }
    let rect: Vec<[f64; 2]> = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
        .iter()
        .map(|p| to_q(rot, p[0], p[1]))
        .collect();
    let mut regions = Vec::with_capacity(n);
    for (i, si) in seeds.iter().enumerate() {
        let mut cell = rect.clone();
        for (j, sj) in seeds.iter().enumerate() {
            if i == j || cell.len() < 3 {
                continue;
            }
            // points closer to si than to sj: (sj − si) · p <= (|sj|² − |si|²) / 2
            let nrm = [sj[0] - si[0], sj[1] - si[1]];
            let d = 0.5 * ((sj[0].powi(2) + sj[1].powi(2)) - (si[0].powi(2) + si[1].powi(2)));
            cell = clip(&cell, nrm, d);
        }
        if cell.len() >= 3 {
            let ring: Vec<[f64; 2]> = cell.into_iter().map(|q| from_q(rot, q)).collect();
            let poly = Polygon::new(ring);
            if poly.area() > 1.0 {
                regions.push((poly, classes[i]));
            }
        }
    }
    Ok(Lithology {
        seeds_q: seeds,
        classes,
        rot,
        regions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stretch_map_round_trips() {
        let rot = 0.7f64.sin_cos();
        let p = from_q(rot, to_q(rot, 123.0, -45.0));
        assert!((p[0] - 123.0).abs() < 1e-9 && (p[1] + 45.0).abs() < 1e-9);
    }

    #[test]
    fn clipping_a_square_by_a_half_plane_halves_it() {
        let sq = vec![[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]];
        let half = clip(&sq, [1.0, 0.0], 1.0);
        assert!((Polygon::new(half).area() - 2.0).abs() < 1e-12);
    }
}
