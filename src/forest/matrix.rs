//! Dense row-major feature matrix.
//!
//! Contract: `rows x cols` values of `f32` stored row after row (`data[row * cols + col]`).
//! The matrix itself accepts any value; fitting and prediction reject NaN/±inf with
//! [`ForestError::NonFiniteFeature`] naming the first offending row and column. Missing
//! cells should be encoded by the caller as a finite out-of-range sentinel.

use serde::{Deserialize, Serialize};

use crate::forest::ForestError;

/// Row-major `f32` feature matrix (rows = samples/cells, columns = features).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    data: Vec<f32>,
    rows: usize,
    cols: usize,
}

impl Matrix {
    /// Builds a matrix from row-major data; fails if `data.len() != rows * cols`.
    pub fn new(rows: usize, cols: usize, data: Vec<f32>) -> Result<Self, ForestError> {
        let expected = rows.saturating_mul(cols);
        if data.len() != expected || rows.checked_mul(cols).is_none() {
            return Err(ForestError::InvalidShape {
                rows,
                cols,
                data_len: data.len(),
                expected,
            });
        }
        Ok(Self { data, rows, cols })
    }

    /// Builds a matrix from equally long rows; fails on ragged input.
    pub fn from_rows(rows: &[Vec<f32>]) -> Result<Self, ForestError> {
        let cols = rows.first().map_or(0, Vec::len);
        let mut data = Vec::with_capacity(rows.len() * cols);
        for row in rows {
            if row.len() != cols {
                return Err(ForestError::InvalidShape {
                    rows: rows.len(),
                    cols,
                    data_len: data.len() + row.len(),
                    expected: rows.len() * cols,
                });
            }
            data.extend_from_slice(row);
        }
        Self::new(rows.len(), cols, data)
    }

    /// Number of rows (samples).
    pub fn n_rows(&self) -> usize {
        self.rows
    }

    /// Number of columns (features).
    pub fn n_cols(&self) -> usize {
        self.cols
    }

    /// The row-major buffer.
    pub fn as_slice(&self) -> &[f32] {
        &self.data
    }

    /// One row as a slice; `None` if `row >= n_rows()`.
    pub fn row(&self, row: usize) -> Option<&[f32]> {
        if row >= self.rows {
            return None;
        }
        self.data.get(row * self.cols..(row + 1) * self.cols)
    }

    /// Value at (`row`, `col`); `None` if out of range.
    pub fn get(&self, row: usize, col: usize) -> Option<f32> {
        if row >= self.rows || col >= self.cols {
            return None;
        }
        self.data.get(row * self.cols + col).copied()
    }

    /// A new matrix holding the given rows in the given order (indices must be in range).
    pub fn select_rows(&self, rows: &[usize]) -> Result<Self, ForestError> {
        let mut data = Vec::with_capacity(rows.len() * self.cols);
        for &r in rows {
            let row = self.row(r).ok_or(ForestError::RowIndexOutOfRange {
                model: 0,
                index: r,
                rows: self.rows,
            })?;
            data.extend_from_slice(row);
        }
        Self::new(rows.len(), self.cols, data)
    }

    /// Fails with [`ForestError::EmptyMatrix`] or [`ForestError::NonFiniteFeature`]
    /// (first offending value in row-major order).
    pub fn check_finite(&self, stage: &'static str) -> Result<(), ForestError> {
        if self.rows == 0 || self.cols == 0 {
            return Err(ForestError::EmptyMatrix {
                stage,
                rows: self.rows,
                cols: self.cols,
            });
        }
        if let Some(pos) = self.data.iter().position(|v| !v.is_finite()) {
            return Err(ForestError::NonFiniteFeature {
                stage,
                row: pos / self.cols,
                col: pos % self.cols,
                value: self.data[pos],
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn new_rejects_a_buffer_of_the_wrong_length() {
        let err = Matrix::new(2, 3, vec![0.0; 5]).unwrap_err();
        assert!(matches!(err, ForestError::InvalidShape { expected: 6, .. }));
    }

    #[test]
    fn values_are_addressed_row_major() {
        let m = Matrix::new(2, 3, vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        assert_eq!(m.get(1, 0), Some(3.0));
        assert_eq!(m.row(1), Some(&[3.0, 4.0, 5.0][..]));
        assert_eq!(m.get(2, 0), None);
    }

    #[test]
    fn check_finite_names_the_first_nan_row_and_column() {
        let m = Matrix::new(2, 2, vec![0.0, 1.0, f32::NAN, 2.0]).unwrap();
        let err = m.check_finite("fit").unwrap_err();
        assert!(matches!(
            err,
            ForestError::NonFiniteFeature { row: 1, col: 0, .. }
        ));
        assert!(err.to_string().contains("row 1, column 0"));
    }
}
