//! Options of the coarse terrain features (block size, minimum valid fraction), shared by
//! the fused pipeline and the block aggregation.

use crate::terrain::TerrainError;

/// Options of [`super::terrain_features`].
#[derive(Debug, Clone, PartialEq)]
pub struct TerrainOptions {
    /// Fine rows per coarse cell (default 10: 10 × 10 fine cells, as the paper).
    pub block_rows: usize,
    /// Fine columns per coarse cell (default 10).
    pub block_cols: usize,
    /// A coarse cell with fewer valid fine cells than this fraction of
    /// `block_rows × block_cols` is NaN (default 0.5).
    pub min_valid_fraction: f64,
}

impl Default for TerrainOptions {
    fn default() -> Self {
        Self {
            block_rows: 10,
            block_cols: 10,
            min_valid_fraction: 0.5,
        }
    }
}

impl TerrainOptions {
    /// Sets the coarse block size in fine rows and columns.
    pub fn with_block(mut self, block_rows: usize, block_cols: usize) -> Self {
        self.block_rows = block_rows;
        self.block_cols = block_cols;
        self
    }

    /// Sets the minimum fraction of valid fine cells per coarse cell.
    pub fn with_min_valid_fraction(mut self, fraction: f64) -> Self {
        self.min_valid_fraction = fraction;
        self
    }

    /// Checks that blocks are at least 1 × 1 and the fraction is in `[0, 1]`.
    pub fn validate(&self) -> Result<(), TerrainError> {
        if self.block_rows == 0 || self.block_cols == 0 {
            return Err(TerrainError::InvalidOption {
                name: "block_rows/block_cols",
                reason: format!(
                    "{} × {} must be at least 1 × 1",
                    self.block_rows, self.block_cols
                ),
            });
        }
        if !(0.0..=1.0).contains(&self.min_valid_fraction) {
            return Err(TerrainError::InvalidOption {
                name: "min_valid_fraction",
                reason: format!("{} is not in [0, 1]", self.min_valid_fraction),
            });
        }
        Ok(())
    }
}
