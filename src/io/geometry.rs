//! Plain polygons in one CRS: the owned, thread-safe geometry type of the core (GDAL
//! geometries are converted to these on read).

use crate::grid::Extent;

/// A polygon: one exterior ring and zero or more holes, each a list of (x, y) vertices.
/// Rings may or may not repeat the first vertex at the end; both are accepted.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Polygon {
    /// Outer boundary.
    pub exterior: Vec<[f64; 2]>,
    /// Holes.
    #[serde(default)]
    pub holes: Vec<Vec<[f64; 2]>>,
}

impl Polygon {
    /// A polygon without holes.
    pub fn new(exterior: Vec<[f64; 2]>) -> Self {
        Self {
            exterior,
            holes: Vec::new(),
        }
    }

    /// All rings, exterior first.
    pub fn rings(&self) -> impl Iterator<Item = &Vec<[f64; 2]>> {
        std::iter::once(&self.exterior).chain(self.holes.iter())
    }

    /// Bounding box.
    pub fn extent(&self) -> Option<Extent> {
        Extent::of_points(self.exterior.iter().copied())
    }

    /// Area (exterior minus holes), in squared CRS units.
    pub fn area(&self) -> f64 {
        let ring_area = |r: &Vec<[f64; 2]>| -> f64 {
            let n = r.len();
            if n < 3 {
                return 0.0;
            }
            let mut s = 0.0;
            for i in 0..n {
                let a = r[i];
                let b = r[(i + 1) % n];
                s += a[0] * b[1] - b[0] * a[1];
            }
            (0.5 * s).abs()
        };
        ring_area(&self.exterior) - self.holes.iter().map(ring_area).sum::<f64>()
    }

    /// Number of distinct vertices of the exterior ring (closing vertex not counted).
    pub fn vertex_count(&self) -> usize {
        let n = self.exterior.len();
        if n > 1 && self.exterior[0] == self.exterior[n - 1] {
            n - 1
        } else {
            n
        }
    }

    /// Does the polygon contain the point (even-odd rule over all rings)?
    pub fn contains(&self, x: f64, y: f64) -> bool {
        point_in_polygon(self, x, y)
    }
}

/// Even-odd point-in-polygon test over every ring.
pub fn point_in_polygon(poly: &Polygon, x: f64, y: f64) -> bool {
    let mut inside = false;
    for ring in poly.rings() {
        let n = ring.len();
        if n < 3 {
            continue;
        }
        let mut j = n - 1;
        for i in 0..n {
            let (xi, yi) = (ring[i][0], ring[i][1]);
            let (xj, yj) = (ring[j][0], ring[j][1]);
            if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
                inside = !inside;
            }
            j = i;
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_are_outside_and_reduce_area() {
        let mut p = Polygon::new(vec![[0., 0.], [10., 0.], [10., 10.], [0., 10.]]);
        p.holes.push(vec![[4., 4.], [6., 4.], [6., 6.], [4., 6.]]);
        assert!(p.contains(1.0, 1.0));
        assert!(!p.contains(5.0, 5.0));
        assert!((p.area() - 96.0).abs() < 1e-9);
        assert_eq!(p.vertex_count(), 4);
    }
}
