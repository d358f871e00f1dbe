//! The union of two plain polygons through GDAL (GEOS): what a mapped area becomes when a
//! mapper extends it over a landslide drawn outside it.

use super::vector::collect_polygons;
use super::vector_write::multipolygon_wkt;
use super::Polygon;
use gdal::vector::Geometry;

/// The union of `a` and `b` when it is one polygon (they overlap); `None` when it falls
/// apart into several pieces or GEOS cannot compute it.
pub fn union_polygon(a: &Polygon, b: &Polygon) -> Option<Polygon> {
    let ga = Geometry::from_wkt(&multipolygon_wkt(std::slice::from_ref(a))).ok()?;
    let gb = Geometry::from_wkt(&multipolygon_wkt(std::slice::from_ref(b))).ok()?;
    let u = ga.union(&gb)?;
    let mut parts = collect_polygons(&u);
    if parts.len() == 1 {
        parts.pop()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon {
        Polygon::new(vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    }

    #[test]
    fn overlapping_squares_make_one_polygon_and_apart_they_do_not() {
        let u = union_polygon(&rect(0.0, 0.0, 2.0, 2.0), &rect(1.0, 1.0, 3.0, 3.0)).unwrap();
        assert!((u.area() - 7.0).abs() < 1e-9, "{}", u.area());
        assert!(union_polygon(&rect(0.0, 0.0, 1.0, 1.0), &rect(2.0, 2.0, 3.0, 3.0)).is_none());
    }
}
