//! Polygon rasterisation with the cell-centre rule, reproducing `gdal_rasterize`'s default
//! (non all-touched) scanline algorithm: a cell is burnt when its centre lies inside the
//! polygon (even-odd over all rings of one feature), intersections rounded as GDAL does.

use super::Polygon;
use crate::grid::GridSpec;

/// Call `burn(row, col_start, col_end_inclusive)` for every scanline span of one feature.
fn scan_feature(parts: &[Polygon], spec: &GridSpec, mut burn: impl FnMut(usize, usize, usize)) {
    // rings in pixel coordinates (col, row), GDAL style
    let rings: Vec<Vec<(f64, f64)>> = parts
        .iter()
        .flat_map(|p| p.rings())
        .filter(|r| r.len() >= 3)
        .map(|r| {
            r.iter()
                .map(|p| {
                    (
                        (p[0] - spec.x_min) / spec.cell_width,
                        (spec.y_max - p[1]) / spec.cell_height,
                    )
                })
                .collect()
        })
        .collect();
    let (mut dminy, mut dmaxy) = (f64::INFINITY, f64::NEG_INFINITY);
    for r in &rings {
        for &(_, y) in r {
            dminy = dminy.min(y);
            dmaxy = dmaxy.max(y);
        }
    }
    if !dminy.is_finite() || !dmaxy.is_finite() || dmaxy < 0.0 || dminy >= spec.rows as f64 {
        return;
    }
    let miny = dminy.max(0.0).floor() as usize;
    let maxy = (dmaxy.floor() as usize).min(spec.rows - 1);
    let maxx = spec.cols as i64 - 1;
    let mut ints: Vec<i64> = Vec::with_capacity(16);
    for y in miny..=maxy {
        let dy = y as f64 + 0.5;
        ints.clear();
        for ring in &rings {
            let n = ring.len();
            for i in 0..n {
                let (ax, ay) = ring[if i == 0 { n - 1 } else { i - 1 }];
                let (bx, by) = ring[i];
                if (ay < dy && by < dy) || (ay > dy && by > dy) {
                    continue;
                }
                let (dy1, dx1, dy2, dx2) = if ay < by {
                    (ay, ax, by, bx)
                } else if ay > by {
                    (by, bx, ay, ax)
                } else {
                    // horizontal edge exactly on the scanline: GDAL fills bottom edges
                    if ax > bx {
                        let x1 = (bx + 0.5).floor() as i64;
                        let x2 = (ax + 0.5).floor() as i64;
                        if x1 <= maxx && x2 > 0 {
                            let (s, e) = (x1.max(0), (x2 - 1).min(maxx));
                            if s <= e {
                                burn(y, s as usize, e as usize);
                            }
                        }
                    }
                    continue;
                };
                if dy < dy2 && dy >= dy1 {
                    let x = (dy - dy1) * (dx2 - dx1) / (dy2 - dy1) + dx1;
                    ints.push((x + 0.5).floor() as i64);
                }
            }
        }
        ints.sort_unstable();
        for pair in ints.chunks_exact(2) {
            let (s, e) = (pair[0], pair[1] - 1);
            if pair[0] <= maxx && pair[1] > 0 {
                let (s, e) = (s.max(0), e.min(maxx));
                if s <= e {
                    burn(y, s as usize, e as usize);
                }
            }
        }
    }
}

/// Burn each feature (a group of polygons rasterised together) into a boolean mask.
pub fn burn_mask(features: &[Vec<Polygon>], spec: &GridSpec) -> Vec<bool> {
    let mut mask = vec![false; spec.len()];
    for f in features {
        scan_feature(f, spec, |row, c0, c1| {
            let base = row * spec.cols;
            mask[base + c0..=base + c1]
                .iter_mut()
                .for_each(|m| *m = true);
        });
    }
    mask
}

/// Burn a value per feature into `out` (later features overwrite earlier ones, as GDAL).
pub fn burn_values(features: &[(Vec<Polygon>, f32)], spec: &GridSpec, out: &mut [f32]) {
    for (parts, value) in features {
        scan_feature(parts, spec, |row, c0, c1| {
            let base = row * spec.cols;
            out[base + c0..=base + c1]
                .iter_mut()
                .for_each(|m| *m = *value);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> GridSpec {
        GridSpec::new(10, 10, 0.0, 10.0, 1.0, 1.0, String::new()).unwrap()
    }

    #[test]
    fn a_square_burns_the_cells_whose_centres_it_contains() {
        let sq = Polygon::new(vec![[2.2, 2.2], [5.7, 2.2], [5.7, 5.7], [2.2, 5.7]]);
        let m = burn_mask(&[vec![sq]], &spec());
        // centres 2.5..5.5 inside → 4 × 4 cells
        assert_eq!(m.iter().filter(|v| **v).count(), 16);
        assert!(m[4 * 10 + 3]); // row 4 (y 5..6 → centre 5.5) col 3
    }

    #[test]
    fn holes_are_not_burnt() {
        let mut p = Polygon::new(vec![[0., 0.], [10., 0.], [10., 10.], [0., 10.]]);
        p.holes.push(vec![[3., 3.], [7., 3.], [7., 7.], [3., 7.]]);
        let m = burn_mask(&[vec![p]], &spec());
        assert_eq!(m.iter().filter(|v| **v).count(), 100 - 16);
    }

    #[test]
    fn concave_polygons_burn_both_arms_only() {
        // a U shape
        let u = Polygon::new(vec![
            [0., 0.],
            [6., 0.],
            [6., 6.],
            [4., 6.],
            [4., 2.],
            [2., 2.],
            [2., 6.],
            [0., 6.],
        ]);
        let m = burn_mask(&[vec![u]], &spec());
        assert_eq!(m.iter().filter(|v| **v).count(), 36 - 8);
    }

    #[test]
    fn polygons_outside_the_grid_burn_nothing() {
        let p = Polygon::new(vec![[20., 20.], [30., 20.], [30., 30.]]);
        assert!(!burn_mask(&[vec![p]], &spec()).iter().any(|v| *v));
    }
}
