//! Axis-aligned rectangles in one CRS (x to the east, y to the north).

/// A bounding box `[x_min, x_max] × [y_min, y_max]` in CRS units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extent {
    /// West edge.
    pub x_min: f64,
    /// South edge.
    pub y_min: f64,
    /// East edge.
    pub x_max: f64,
    /// North edge.
    pub y_max: f64,
}

impl Extent {
    /// Width (x extent) in CRS units.
    pub fn width(&self) -> f64 {
        self.x_max - self.x_min
    }

    /// Height (y extent) in CRS units.
    pub fn height(&self) -> f64 {
        self.y_max - self.y_min
    }

    /// The overlap of two extents, `None` when they do not overlap with a positive area.
    pub fn intersection(&self, other: &Extent) -> Option<Extent> {
        let e = Extent {
            x_min: self.x_min.max(other.x_min),
            y_min: self.y_min.max(other.y_min),
            x_max: self.x_max.min(other.x_max),
            y_max: self.y_max.min(other.y_max),
        };
        (e.x_max > e.x_min && e.y_max > e.y_min).then_some(e)
    }

    /// Smallest extent covering both.
    pub fn union(&self, other: &Extent) -> Extent {
        Extent {
            x_min: self.x_min.min(other.x_min),
            y_min: self.y_min.min(other.y_min),
            x_max: self.x_max.max(other.x_max),
            y_max: self.y_max.max(other.y_max),
        }
    }

    /// Centre point (x, y).
    pub fn centre(&self) -> (f64, f64) {
        (
            0.5 * (self.x_min + self.x_max),
            0.5 * (self.y_min + self.y_max),
        )
    }

    /// Extent of a set of points, `None` when empty or not finite.
    pub fn of_points(points: impl IntoIterator<Item = [f64; 2]>) -> Option<Extent> {
        let mut e: Option<Extent> = None;
        for [x, y] in points {
            if !x.is_finite() || !y.is_finite() {
                continue;
            }
            let p = Extent {
                x_min: x,
                y_min: y,
                x_max: x,
                y_max: y,
            };
            e = Some(e.map_or(p, |e| e.union(&p)));
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disjoint_extents_have_no_intersection() {
        let a = Extent {
            x_min: 0.0,
            y_min: 0.0,
            x_max: 1.0,
            y_max: 1.0,
        };
        let b = Extent {
            x_min: 2.0,
            y_min: 0.0,
            x_max: 3.0,
            y_max: 1.0,
        };
        assert!(a.intersection(&b).is_none());
        assert_eq!(a.union(&b).width(), 3.0);
    }
}
