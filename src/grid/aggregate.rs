//! Aggregation of a fine grid to coarse blocks (the paper's 10 × 10 fine cells → one
//! 200 m × 220 m cell). NaN fine cells are skipped; a coarse cell with fewer than
//! `min_valid_fraction` valid fine cells (of the block's full size) is NaN.

use rayon::prelude::*;

/// Geometry of a fine → coarse aggregation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Blocks {
    /// Fine rows.
    pub fine_rows: usize,
    /// Fine columns.
    pub fine_cols: usize,
    /// Fine cells per block side.
    pub block: usize,
}

impl Blocks {
    /// Coarse rows (partial blocks included).
    pub fn coarse_rows(&self) -> usize {
        self.fine_rows.div_ceil(self.block)
    }
    /// Coarse columns.
    pub fn coarse_cols(&self) -> usize {
        self.fine_cols.div_ceil(self.block)
    }
    /// Visit the fine indices of coarse cell (cr, cc).
    pub fn for_each_fine(&self, cr: usize, cc: usize, mut f: impl FnMut(usize)) {
        let r0 = cr * self.block;
        let c0 = cc * self.block;
        for r in r0..(r0 + self.block).min(self.fine_rows) {
            let base = r * self.fine_cols;
            for c in c0..(c0 + self.block).min(self.fine_cols) {
                f(base + c);
            }
        }
    }

    fn map_coarse<T: Send>(&self, f: impl Fn(usize, usize) -> T + Sync) -> Vec<T> {
        let cols = self.coarse_cols();
        (0..self.coarse_rows() * cols)
            .into_par_iter()
            .map(|i| f(i / cols, i % cols))
            .collect()
    }

    /// Mean of valid fine values per block.
    pub fn mean(&self, fine: &[f32], min_valid_fraction: f64) -> Vec<f32> {
        let need = (min_valid_fraction * (self.block * self.block) as f64)
            .ceil()
            .max(1.0) as usize;
        self.map_coarse(|cr, cc| {
            let (mut s, mut n) = (0.0f64, 0usize);
            self.for_each_fine(cr, cc, |i| {
                let v = fine[i];
                if !v.is_nan() {
                    s += v as f64;
                    n += 1;
                }
            });
            if n >= need {
                (s / n as f64) as f32
            } else {
                f32::NAN
            }
        })
    }

    /// Fraction of `true` among the fine cells where `valid` is true (NaN when no valid cell
    /// or fewer than `min_valid_fraction` of the block is valid).
    pub fn fraction(&self, flag: &[bool], valid: &[bool], min_valid_fraction: f64) -> Vec<f32> {
        let need = (min_valid_fraction * (self.block * self.block) as f64)
            .ceil()
            .max(1.0) as usize;
        self.map_coarse(|cr, cc| {
            let (mut k, mut n) = (0usize, 0usize);
            self.for_each_fine(cr, cc, |i| {
                if valid[i] {
                    n += 1;
                    if flag[i] {
                        k += 1;
                    }
                }
            });
            if n >= need {
                k as f32 / n as f32
            } else {
                f32::NAN
            }
        })
    }

    /// Count of `true` fine cells per block.
    pub fn count(&self, flag: &[bool]) -> Vec<u32> {
        self.map_coarse(|cr, cc| {
            let mut k = 0u32;
            self.for_each_fine(cr, cc, |i| k += flag[i] as u32);
            k
        })
    }

    /// Dominant class (largest area share) per block among valid (non-NaN) class codes;
    /// ties go to the smaller code. NaN when fewer than `min_valid_fraction` are valid.
    pub fn mode(&self, classes: &[f32], min_valid_fraction: f64) -> Vec<f32> {
        let need = (min_valid_fraction * (self.block * self.block) as f64)
            .ceil()
            .max(1.0) as usize;
        self.map_coarse(|cr, cc| {
            let mut counts: Vec<(f32, usize)> = Vec::with_capacity(8);
            let mut n = 0;
            self.for_each_fine(cr, cc, |i| {
                let v = classes[i];
                if v.is_nan() {
                    return;
                }
                n += 1;
                match counts.iter_mut().find(|(c, _)| *c == v) {
                    Some(e) => e.1 += 1,
                    None => counts.push((v, 1)),
                }
            });
            if n < need {
                return f32::NAN;
            }
            counts
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.total_cmp(&a.0)))
                .map_or(f32::NAN, |(c, _)| c)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_skips_nan_and_handles_partial_blocks() {
        let b = Blocks {
            fine_rows: 3,
            fine_cols: 3,
            block: 2,
        };
        let fine = [1.0, 3.0, 5.0, f32::NAN, 5.0, 7.0, 1.0, 1.0, 9.0];
        let m = b.mean(&fine, 0.0);
        assert_eq!(m.len(), 4);
        assert_eq!(m[0], 3.0); // 1,3,5 (NaN skipped)
        assert_eq!(m[1], 6.0); // 5,7
        assert_eq!(m[3], 9.0);
        // requiring half the block valid drops the single-cell corner
        assert!(b.mean(&fine, 0.5)[3].is_nan());
    }

    #[test]
    fn mode_picks_the_largest_share_and_breaks_ties_low() {
        let b = Blocks {
            fine_rows: 2,
            fine_cols: 4,
            block: 2,
        };
        let fine = [3.0, 3.0, 1.0, 2.0, 3.0, 7.0, 2.0, 1.0];
        assert_eq!(b.mode(&fine, 0.0), vec![3.0, 1.0]);
    }

    #[test]
    fn fraction_counts_only_valid_cells() {
        let b = Blocks {
            fine_rows: 2,
            fine_cols: 2,
            block: 2,
        };
        let f = b.fraction(&[true, false, true, true], &[true, true, false, true], 0.0);
        assert!((f[0] - 2.0 / 3.0).abs() < 1e-6);
    }
}
