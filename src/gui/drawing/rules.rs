//! The mapping rules between the two polygon kinds: a landslide counts where it lies inside
//! a mapped area; a mapped area "holds" the landslides that touch it; extending an area over
//! a landslide outside it; and the drawing as the core's [`Digitised`] inventory.
//!
//! All geometry here is in (lon, lat) degrees on small areas, where vertex-in-polygon tests
//! are exact enough for asking the user a question (the LAD itself is rasterised by the core
//! in the project CRS).

use super::model::{Drawing, DrawnPolygon, PolygonKind};
use crate::inventory::{Digitised, DigitisedPolygon};

/// Even-odd point-in-ring test (ring open or closed).
pub fn point_in_ring(ring: &[[f64; 2]], p: [f64; 2]) -> bool {
    let mut inside = false;
    let n = ring.len();
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + n - 1) % n]);
        if (a[1] > p[1]) != (b[1] > p[1])
            && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]
        {
            inside = !inside;
        }
    }
    inside
}

fn areas(d: &Drawing) -> impl Iterator<Item = (usize, &DrawnPolygon)> {
    d.polygons
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == PolygonKind::MappedArea)
}

/// True when landslide `i` has a vertex outside every mapped area (so part of it, or all
/// of it, does not count in the LAD).
pub fn landslide_outside(d: &Drawing, i: usize) -> bool {
    let Some(ls) = d
        .polygons
        .get(i)
        .filter(|p| p.kind == PolygonKind::Landslide)
    else {
        return false;
    };
    ls.lon_lat
        .iter()
        .any(|v| !areas(d).any(|(_, a)| point_in_ring(&a.lon_lat, *v)))
}

/// The landslides (indices) with a vertex inside mapped area `area`.
pub fn landslides_in_area(d: &Drawing, area: usize) -> Vec<usize> {
    let Some(a) = d
        .polygons
        .get(area)
        .filter(|p| p.kind == PolygonKind::MappedArea)
    else {
        return Vec::new();
    };
    d.polygons
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == PolygonKind::Landslide)
        .filter(|(_, p)| p.lon_lat.iter().any(|v| point_in_ring(&a.lon_lat, *v)))
        .map(|(i, _)| i)
        .collect()
}

fn centroid(ring: &[[f64; 2]]) -> [f64; 2] {
    let n = ring.len().max(1) as f64;
    let (x, y) = ring
        .iter()
        .fold((0.0, 0.0), |(x, y), v| (x + v[0], y + v[1]));
    [x / n, y / n]
}

/// The mapped area nearest to polygon `i` (centroid distance, longitude scaled by cos lat).
pub fn nearest_area(d: &Drawing, i: usize) -> Option<usize> {
    let c = centroid(&d.polygons.get(i)?.lon_lat);
    let k = c[1].to_radians().cos();
    areas(d)
        .map(|(j, a)| {
            let q = centroid(&a.lon_lat);
            (j, ((q[0] - c[0]) * k).hypot(q[1] - c[1]))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(j, _)| j)
}

/// The mapped area extended over a landslide: the convex hull (Andrew's monotone chain,
/// counter-clockwise, open) of the area and the landslide grown by 10 % about its centroid,
/// so that the landslide lies strictly inside. Concave areas lose their notches: the user
/// sees the result and can undo it.
pub fn extended_ring(area: &[[f64; 2]], landslide: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let c = centroid(landslide);
    let grown = landslide
        .iter()
        .map(|v| [c[0] + (v[0] - c[0]) * 1.1, c[1] + (v[1] - c[1]) * 1.1]);
    let mut pts: Vec<[f64; 2]> = area.iter().copied().chain(grown).collect();
    pts.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let cross = |o: [f64; 2], a: [f64; 2], b: [f64; 2]| {
        (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
    };
    let mut hull: Vec<[f64; 2]> = Vec::with_capacity(pts.len() * 2);
    for pass in 0..2 {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &[f64; 2]>> = if pass == 0 {
            Box::new(pts.iter())
        } else {
            Box::new(pts.iter().rev())
        };
        for &p in iter {
            while hull.len() >= start + 2
                && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0
            {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull
}

/// The drawing as the core's digitised inventory, (lon, lat).
pub fn digitised(d: &Drawing) -> Digitised {
    let of = |kind: PolygonKind| -> Vec<DigitisedPolygon> {
        d.polygons
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| DigitisedPolygon {
                label: p.label.clone(),
                ring: p.lon_lat.clone(),
            })
            .collect()
    };
    Digitised {
        landslides: of(PolygonKind::Landslide),
        mapped_areas: of(PolygonKind::MappedArea),
    }
}

/// Drawn polygons from a digitised inventory (ids assigned by the caller's drawing).
pub fn drawn_from(d: &Digitised) -> Vec<DrawnPolygon> {
    let of = |ps: &[DigitisedPolygon], kind: PolygonKind| {
        ps.iter()
            .map(move |p| DrawnPolygon {
                id: 0,
                label: p.label.clone(),
                lon_lat: p.ring.clone(),
                kind,
            })
            .collect::<Vec<_>>()
    };
    let mut out = of(&d.mapped_areas, PolygonKind::MappedArea);
    out.extend(of(&d.landslides, PolygonKind::Landslide));
    out
}

/// Counts for the panel: (mapped areas, landslides, landslides outside every mapped area).
pub fn counts(d: &Drawing) -> (usize, usize, usize) {
    let areas = areas(d).count();
    let ls: Vec<usize> = (0..d.polygons.len())
        .filter(|&i| d.polygons[i].kind == PolygonKind::Landslide)
        .collect();
    let outside = ls.iter().filter(|&&i| landslide_outside(d, i)).count();
    (areas, ls.len(), outside)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<[f64; 2]> {
        vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
    }

    fn drawing() -> Drawing {
        let mut d = Drawing::default();
        d.add(
            rect(0.0, 0.0, 1.0, 1.0),
            "area".into(),
            PolygonKind::MappedArea,
        )
        .unwrap();
        d.add(
            rect(0.2, 0.2, 0.3, 0.3),
            "in".into(),
            PolygonKind::Landslide,
        )
        .unwrap();
        d.add(
            rect(1.5, 0.2, 1.6, 0.3),
            "out".into(),
            PolygonKind::Landslide,
        )
        .unwrap();
        d
    }

    #[test]
    fn a_landslide_outside_every_area_is_found_and_the_area_holds_the_inside_one() {
        let d = drawing();
        assert!(!landslide_outside(&d, 1));
        assert!(landslide_outside(&d, 2));
        assert!(!landslide_outside(&d, 0), "areas are never 'outside'");
        assert_eq!(landslides_in_area(&d, 0), vec![1]);
        assert_eq!(counts(&d), (1, 2, 1));
        assert_eq!(nearest_area(&d, 2), Some(0));
    }

    #[test]
    fn extending_an_area_covers_the_landslide_and_keeps_the_area() {
        let d = drawing();
        let ring = extended_ring(&d.polygons[0].lon_lat, &d.polygons[2].lon_lat);
        // hull of the unit square and the far rectangle: 6 corners
        assert_eq!(ring.len(), 6, "{ring:?}");
        let mut e = d.clone();
        e.set_ring(0, ring).unwrap();
        assert!(!landslide_outside(&e, 2));
        assert!(!landslide_outside(&e, 1));
        for v in &d.polygons[0].lon_lat {
            let inner = [v[0] * 0.98 + 0.01, v[1] * 0.98 + 0.01];
            assert!(point_in_ring(&e.polygons[0].lon_lat, inner));
        }
    }

    #[test]
    fn the_drawing_round_trips_through_the_digitised_inventory() {
        let d = drawing();
        let dig = digitised(&d);
        assert_eq!((dig.mapped_areas.len(), dig.landslides.len()), (1, 2));
        let back = drawn_from(&dig);
        assert_eq!(back.len(), 3);
        assert_eq!(back[0].kind, PolygonKind::MappedArea);
        assert_eq!(back[2].label, "out");
    }
}
