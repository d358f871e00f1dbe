//! Dense per-column value ranks of a training matrix, computed once per fit and shared by
//! every tree (and, in an ensemble or a grid search, by every model).
//!
//! Contract: for each column, the distinct values of the ranked rows (with `-0.0` folded into
//! `+0.0`, so equal values share a rank) are sorted ascending; a row's rank is the index of
//! its value there. Ranks preserve order and equality, so a tree that sorts and partitions a
//! node by rank makes exactly the splits it would make by value, and its thresholds are read
//! back from [`ColumnRanks::value`]. Rank keys have at most `ceil(log2(distinct) / 8)`
//! non-zero bytes (two for up to 65,536 distinct values), which halves the radix passes of
//! the split search against raw `f32` bits.

use rayon::prelude::*;

use crate::forest::Matrix;

/// Column ranks of a matrix (column-major) and each column's distinct values.
#[derive(Debug, Clone, Default)]
pub(crate) struct ColumnRanks {
    n_rows: usize,
    rank: Vec<u32>,
    values: Vec<Vec<f32>>,
    /// Radix bytes needed for the largest rank of any column.
    digits: usize,
}

impl ColumnRanks {
    /// Ranks `rows` of every column of `x` (other rows get rank 0 and must not be used).
    pub(crate) fn new(x: &Matrix, rows: &[usize]) -> Self {
        let (n_rows, n_cols) = (x.n_rows(), x.n_cols());
        let data = x.as_slice();
        let cols: Vec<(Vec<u32>, Vec<f32>)> = (0..n_cols)
            .into_par_iter()
            .map(|f| {
                let mut keyed: Vec<u64> = rows
                    .iter()
                    .map(|&r| {
                        (u64::from(ordered_bits(data[r * n_cols + f] + 0.0)) << 32) | r as u64
                    })
                    .collect();
                keyed.sort_unstable();
                let mut rank = vec![0u32; n_rows];
                let mut values: Vec<f32> = Vec::new();
                let mut last: Option<u32> = None;
                for k in keyed {
                    let bits = (k >> 32) as u32;
                    if last != Some(bits) {
                        values.push(from_ordered_bits(bits));
                        last = Some(bits);
                    }
                    rank[(k & 0xffff_ffff) as usize] = (values.len() - 1) as u32;
                }
                (rank, values)
            })
            .collect();
        let max_rank = cols
            .iter()
            .map(|c| c.1.len().saturating_sub(1))
            .max()
            .unwrap_or(0);
        let digits = (32 - (max_rank as u32).leading_zeros()).div_ceil(8).max(1) as usize;
        let mut rank = Vec::with_capacity(n_rows * n_cols);
        let mut values = Vec::with_capacity(n_cols);
        for (r, v) in cols {
            rank.extend_from_slice(&r);
            values.push(v);
        }
        Self {
            n_rows,
            rank,
            values,
            digits,
        }
    }

    /// Ranks of column `f`, indexed by matrix row.
    #[inline]
    pub(crate) fn column(&self, f: usize) -> &[u32] {
        &self.rank[f * self.n_rows..(f + 1) * self.n_rows]
    }

    /// The value of rank `k` in column `f`.
    #[inline]
    pub(crate) fn value(&self, f: usize, k: u32) -> f32 {
        self.values[f][k as usize]
    }

    /// Radix bytes covering every rank.
    pub(crate) fn digits(&self) -> usize {
        self.digits
    }
}

/// `f32` bits mapped so unsigned order equals [`f32::total_cmp`] order.
#[inline]
pub(crate) fn ordered_bits(v: f32) -> u32 {
    let b = v.to_bits();
    if b >> 31 == 1 {
        !b
    } else {
        b | 0x8000_0000
    }
}

/// Inverse of [`ordered_bits`].
#[inline]
pub(crate) fn from_ordered_bits(k: u32) -> f32 {
    f32::from_bits(if k >> 31 == 1 { k & 0x7fff_ffff } else { !k })
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn ranks_preserve_order_and_equality_and_map_back_to_values() {
        let vals = [3.5f32, -0.0, 0.0, -2.25, 3.5, 1e30, -1e30, 7.0, 0.0];
        let x = Matrix::new(vals.len(), 1, vals.to_vec()).unwrap();
        let rows: Vec<usize> = (0..vals.len()).collect();
        let r = ColumnRanks::new(&x, &rows);
        let col = r.column(0);
        for i in 0..vals.len() {
            for j in 0..vals.len() {
                assert_eq!(
                    col[i].cmp(&col[j]),
                    vals[i].partial_cmp(&vals[j]).unwrap(),
                    "{} vs {}",
                    vals[i],
                    vals[j]
                );
            }
            assert_eq!(r.value(0, col[i]), vals[i] + 0.0);
        }
        assert_eq!(r.digits(), 1);
    }

    #[test]
    fn only_the_given_rows_are_ranked_and_digits_cover_the_largest_rank() {
        let n = 70_000;
        let x = Matrix::new(n, 2, (0..2 * n).map(|i| i as f32).collect()).unwrap();
        let all: Vec<usize> = (0..n).collect();
        assert_eq!(ColumnRanks::new(&x, &all).digits(), 3);
        let some = [5usize, 1, 9];
        let r = ColumnRanks::new(&x, &some);
        assert_eq!((r.column(1)[1], r.column(1)[5], r.column(1)[9]), (0, 1, 2));
        assert_eq!(r.value(1, 2), 19.0);
        assert_eq!(r.digits(), 1);
    }

    #[test]
    fn ordered_bits_sort_like_total_cmp_and_round_trip() {
        let mut v = vec![
            3.5f32,
            -0.0,
            0.0,
            -2.25,
            f32::MIN_POSITIVE,
            -f32::MIN_POSITIVE,
            1e30,
            -1e30,
            f32::INFINITY,
            f32::NEG_INFINITY,
            7.0,
        ];
        for &x in &v {
            assert_eq!(from_ordered_bits(ordered_bits(x)).to_bits(), x.to_bits());
        }
        let mut by_key = v.clone();
        by_key.sort_by_key(|&x| ordered_bits(x));
        v.sort_by(f32::total_cmp);
        let bits = |s: &[f32]| s.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&by_key), bits(&v));
    }
}
