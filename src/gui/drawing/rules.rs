//! The mapping rules between the two polygon kinds: a landslide counts where it lies inside
//! a mapped area; a mapped area "holds" the landslides that touch it; extending an area over
//! a landslide outside it; and the drawing as the core's [`Digitised`] inventory.
//!
//! All geometry here is in (lon, lat) degrees on small areas, where vertex-in-polygon tests
//! are exact enough for asking the user a question (the LAD itself is rasterised by the core
//! in the project CRS).

use super::model::{Drawing, DrawnPolygon, PolygonKind};
use crate::inventory::{Digitised, DigitisedPolygon};
use crate::io::{union_polygon, Polygon};

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

/// The mapped area extended over a landslide: the area joined (GDAL/GEOS union) with a
/// bridge, the convex hull of the landslide grown by 10 % about its centroid (so that it lies
/// strictly inside) and a stretch of the area's boundary as wide as the landslide where it
/// comes nearest. The rest of the area keeps its shape (notches included): only the ground
/// between the area and the landslide is added. When the union cannot be one polygon, the
/// convex hull of the area and the landslide. Open ring.
pub fn extended_ring(area: &[[f64; 2]], landslide: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let c = centroid(landslide);
    let grown: Vec<[f64; 2]> = landslide
        .iter()
        .map(|v| [c[0] + (v[0] - c[0]) * 1.1, c[1] + (v[1] - c[1]) * 1.1])
        .collect();
    let mut bridge = grown.clone();
    if !point_in_ring(area, c) {
        bridge.extend(shore(area, &grown, c));
    }
    let joined = union_polygon(
        &Polygon::new(area.to_vec()),
        &Polygon::new(convex_hull(bridge)),
    );
    match joined {
        Some(p) => {
            let mut ring = p.exterior;
            if ring.len() > 1 && ring.first() == ring.last() {
                ring.pop();
            }
            ring
        }
        None => convex_hull(area.iter().copied().chain(grown).collect()),
    }
}

/// Two points just inside `area`'s boundary where it comes nearest to `c`, about as far
/// apart as the landslide `grown` is wide (longitude scaled by cos lat for distances).
fn shore(area: &[[f64; 2]], grown: &[[f64; 2]], c: [f64; 2]) -> Vec<[f64; 2]> {
    let k = c[1].to_radians().cos().max(1e-6);
    let to_m = |p: [f64; 2]| [p[0] * k, p[1]];
    let from_m = |p: [f64; 2]| [p[0] / k, p[1]];
    let cm = to_m(c);
    let half_width = grown
        .iter()
        .map(|v| {
            let v = to_m(*v);
            (v[0] - cm[0]).hypot(v[1] - cm[1])
        })
        .fold(0.0, f64::max);
    let n = area.len();
    // the nearest point of each edge: (distance, edge start, edge end, t along the edge)
    let nearest = (0..n)
        .map(|i| {
            let (a, b) = (to_m(area[i]), to_m(area[(i + 1) % n]));
            let d = [b[0] - a[0], b[1] - a[1]];
            let len2 = (d[0] * d[0] + d[1] * d[1]).max(1e-300);
            let t = (((cm[0] - a[0]) * d[0] + (cm[1] - a[1]) * d[1]) / len2).clamp(0.0, 1.0);
            let p = [a[0] + t * d[0], a[1] + t * d[1]];
            ((p[0] - cm[0]).hypot(p[1] - cm[1]), a, b, t, len2.sqrt())
        })
        .min_by(|x, y| x.0.total_cmp(&y.0));
    let Some((dist, a, b, t, len)) = nearest else {
        return Vec::new();
    };
    let dt = half_width / len.max(1e-300);
    // pushed a little past the boundary, away from the landslide, so that the bridge
    // overlaps the area instead of touching it along a line
    let push = 0.05 * half_width.max(dist);
    [(t - dt).clamp(0.0, 1.0), (t + dt).clamp(0.0, 1.0)]
        .into_iter()
        .map(|s| {
            let q = [a[0] + s * (b[0] - a[0]), a[1] + s * (b[1] - a[1])];
            let away = [q[0] - cm[0], q[1] - cm[1]];
            let l = away[0].hypot(away[1]).max(1e-300);
            from_m([q[0] + push * away[0] / l, q[1] + push * away[1] / l])
        })
        .collect()
}

/// The convex hull (Andrew's monotone chain, counter-clockwise, open) of `pts`.
fn convex_hull(mut pts: Vec<[f64; 2]>) -> Vec<[f64; 2]> {
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
        // only a corridor as wide as the landslide is added, not the convex hull
        let added = Polygon::new(ring.clone()).area() - 1.0;
        let hull = Polygon::new(convex_hull(
            d.polygons[0]
                .lon_lat
                .iter()
                .chain(&d.polygons[2].lon_lat)
                .copied()
                .collect(),
        ))
        .area()
            - 1.0;
        assert!(
            added > 0.0 && added < 0.5 * hull,
            "{added} vs {hull}: {ring:?}"
        );
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
    fn a_concave_area_keeps_its_notch_when_extended() {
        // an L: the notch (0.5..1, 0.5..1) is not mapped ground
        let area = vec![
            [0.0, 0.0],
            [1.0, 0.0],
            [1.0, 0.5],
            [0.5, 0.5],
            [0.5, 1.0],
            [0.0, 1.0],
        ];
        let landslide = rect(1.2, 0.1, 1.3, 0.2);
        let ring = extended_ring(&area, &landslide);
        assert!(
            !point_in_ring(&ring, [0.8, 0.8]),
            "the notch stays out: {ring:?}"
        );
        for v in &landslide {
            assert!(point_in_ring(&ring, *v), "landslide vertex {v:?} inside");
        }
        for p in [[0.25, 0.25], [0.25, 0.9], [0.9, 0.25]] {
            assert!(point_in_ring(&ring, p), "{p:?} of the area kept");
        }
        // a landslide straddling the boundary is joined directly
        let straddling = rect(0.9, 0.1, 1.1, 0.2);
        let ring = extended_ring(&area, &straddling);
        assert!(straddling.iter().all(|v| point_in_ring(&ring, *v)));
        assert!(!point_in_ring(&ring, [0.8, 0.8]));
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
