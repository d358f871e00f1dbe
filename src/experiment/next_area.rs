//! Where to map next (beyond the paper): rank areas the mapper has not digitised yet by the
//! disagreement of the repeated same-event models (variance of their predictions) and
//! propose a few non-overlapping square windows to digitise next.
//!
//! Candidates are windows of `size_cells × size_cells` coarse cells; a window counts when at
//! least half of its cells are valid, have a finite variance and lie outside the current
//! training polygons. Windows are ranked by the mean variance of those cells and picked
//! greedily without overlap. Deterministic: ties go to the north-west window.

use super::sampling::cells_in_polygons;
use crate::features::FeatureTable;
use crate::io::Polygon;

/// One proposed area to digitise.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposedArea {
    /// The window as a polygon in the analysis CRS (cell edges).
    pub polygon: Polygon,
    /// Mean prediction variance of its candidate cells.
    pub mean_variance: f64,
    /// Number of candidate cells in the window.
    pub cells: usize,
    /// Top-left (row, col) of the window on the coarse grid.
    pub origin: (usize, usize),
}

/// Rank windows by mean ensemble variance and return up to `n` non-overlapping ones.
/// `variance` is per coarse cell (NaN = no prediction), e.g. `StepMaps::variance` of a
/// same-event polygon run; `already` are the current training polygons (analysis CRS).
pub fn suggest_next_areas(
    table: &FeatureTable,
    variance: &[f32],
    already: &[Polygon],
    size_cells: usize,
    n: usize,
) -> Vec<ProposedArea> {
    let spec = &table.coarse;
    let (rows, cols) = (spec.rows, spec.cols);
    let size = size_cells.max(1);
    if variance.len() != rows * cols
        || table.valid.len() != rows * cols
        || size > rows
        || size > cols
        || n == 0
    {
        return Vec::new();
    }
    let inside = if already.is_empty() {
        vec![false; rows * cols]
    } else {
        cells_in_polygons(table, already)
    };
    // Summed-area tables of candidate counts and variance sums.
    let w = cols + 1;
    let mut cnt = vec![0u32; (rows + 1) * w];
    let mut sum = vec![0f64; (rows + 1) * w];
    for r in 0..rows {
        for c in 0..cols {
            let i = r * cols + c;
            let v = variance[i];
            let ok = table.valid[i] && !inside[i] && v.is_finite();
            let (k, s) = if ok { (1, v as f64) } else { (0, 0.0) };
            let j = (r + 1) * w + c + 1;
            cnt[j] = k + cnt[j - 1] + cnt[j - w] - cnt[j - w - 1];
            sum[j] = s + sum[j - 1] + sum[j - w] - sum[j - w - 1];
        }
    }
    let rect = |t: &[f64], r: usize, c: usize| {
        t[(r + size) * w + c + size] - t[r * w + c + size] - t[(r + size) * w + c] + t[r * w + c]
    };
    let rect_n = |r: usize, c: usize| {
        cnt[(r + size) * w + c + size] + cnt[r * w + c]
            - cnt[r * w + c + size]
            - cnt[(r + size) * w + c]
    };
    let min_cells = (size * size).div_ceil(2) as u32;
    let mut windows: Vec<(f64, usize, usize, usize)> = Vec::new();
    for r in 0..=rows - size {
        for c in 0..=cols - size {
            let k = rect_n(r, c);
            if k >= min_cells {
                windows.push((rect(&sum, r, c) / k as f64, k as usize, r, c));
            }
        }
    }
    windows.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)).then(a.3.cmp(&b.3)));
    let mut chosen: Vec<ProposedArea> = Vec::new();
    for (mean, k, r, c) in windows {
        if chosen.len() >= n {
            break;
        }
        let overlaps = chosen.iter().any(|p| {
            r < p.origin.0 + size
                && p.origin.0 < r + size
                && c < p.origin.1 + size
                && p.origin.1 < c + size
        });
        if !overlaps {
            chosen.push(ProposedArea {
                polygon: window_polygon(spec, r, c, size),
                mean_variance: mean,
                cells: k,
                origin: (r, c),
            });
        }
    }
    chosen
}

/// The square window with top-left cell (r, c) as a polygon along cell edges (CRS units).
pub fn window_polygon(spec: &crate::grid::GridSpec, r: usize, c: usize, size: usize) -> Polygon {
    let x0 = spec.x_min + c as f64 * spec.cell_width;
    let x1 = x0 + size as f64 * spec.cell_width;
    let y0 = spec.y_max - r as f64 * spec.cell_height;
    let y1 = y0 - size as f64 * spec.cell_height;
    Polygon::new(vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::GridSpec;

    fn table(rows: usize, cols: usize) -> FeatureTable {
        FeatureTable {
            coarse: GridSpec::new(cols, rows, 0.0, 1000.0, 10.0, 10.0, String::new()).unwrap(),
            columns: vec![],
            valid: vec![true; rows * cols],
            target: vec![0.0; rows * cols],
            target_name: "LAD".into(),
        }
    }

    #[test]
    fn the_most_uncertain_windows_come_first_and_do_not_overlap() {
        let t = table(10, 10);
        let mut var = vec![0.01f32; 100];
        for r in 6..9 {
            for c in 1..4 {
                var[r * 10 + c] = 1.0;
            }
        }
        let p = suggest_next_areas(&t, &var, &[], 3, 3);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].origin, (6, 1));
        assert!((p[0].mean_variance - 1.0).abs() < 1e-9);
        for (i, a) in p.iter().enumerate() {
            for b in &p[i + 1..] {
                let (ra, ca, rb, cb) = (a.origin.0, a.origin.1, b.origin.0, b.origin.1);
                assert!(
                    ra + 3 <= rb || rb + 3 <= ra || ca + 3 <= cb || cb + 3 <= ca,
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn cells_inside_training_polygons_are_not_proposed() {
        let t = table(10, 10);
        let mut var = vec![0.0f32; 100];
        for r in 0..3 {
            for c in 0..3 {
                var[r * 10 + c] = 5.0;
            }
        }
        let already = vec![window_polygon(&t.coarse, 0, 0, 3)];
        let p = suggest_next_areas(&t, &var, &already, 3, 1);
        assert_eq!(p.len(), 1);
        assert!(
            p[0].origin.0 >= 2 || p[0].origin.1 >= 2,
            "{:?}",
            p[0].origin
        );
        assert!(p[0].mean_variance < 5.0);
    }
}
