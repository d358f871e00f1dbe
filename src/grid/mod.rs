//! Georeferenced grids: the one owned raster type every core module uses.
//!
//! Contract:
//! - Axis order is (row, col); row 0 is the **north** edge, col 0 the **west** edge; data are
//!   row-major (`index = row * cols + col`).
//! - Grids are north-up (no rotation terms). Coordinates are in the grid's CRS units
//!   (metres for the projected analysis grid, degrees for EPSG:4326 sources).
//! - Nodata is `NaN` for `f32` grids. Categorical layers are stored as `f32` class codes
//!   (exact for codes below 2^24) with `NaN` for nodata, so one type serves both.
//! - Transforms are named after what they map: `world_from_pixel` maps fractional pixel
//!   coordinates (col, row; (0,0) = north-west corner of the first cell) to world x, y.

mod aggregate;
mod extent;
mod memory;
mod spec;

pub use aggregate::Blocks;
pub use extent::Extent;
pub use memory::{
    available_memory_bytes, check_grid_fits, check_grid_fits_in, GridTooLarge,
    FALLBACK_AVAILABLE_BYTES, FEATURE_BYTES_PER_FINE_CELL, TERRAIN_BYTES_PER_CELL,
};
pub use spec::{GridError, GridSpec};

/// An owned grid of values with its georeferencing.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid<T> {
    /// Where the cells are.
    pub spec: GridSpec,
    /// Row-major cell values, `spec.rows * spec.cols` of them.
    pub data: Vec<T>,
}

impl<T: Clone> Grid<T> {
    /// A grid filled with one value.
    pub fn filled(spec: GridSpec, value: T) -> Self {
        let n = spec.len();
        Self {
            spec,
            data: vec![value; n],
        }
    }
}

impl<T> Grid<T> {
    /// Wrap existing data; fails when the length does not match the spec.
    pub fn from_vec(spec: GridSpec, data: Vec<T>) -> Result<Self, GridError> {
        if data.len() != spec.len() {
            return Err(GridError::LengthMismatch {
                expected: spec.len(),
                got: data.len(),
            });
        }
        Ok(Self { spec, data })
    }

    /// Value at (row, col), or `None` outside the grid.
    pub fn get(&self, row: usize, col: usize) -> Option<&T> {
        if row < self.spec.rows && col < self.spec.cols {
            self.data.get(row * self.spec.cols + col)
        } else {
            None
        }
    }
}

impl Grid<f32> {
    /// Number of cells that are not NaN.
    pub fn valid_count(&self) -> usize {
        self.data.iter().filter(|v| !v.is_nan()).count()
    }

    /// (min, max) over valid cells, or `None` when every cell is NaN.
    pub fn min_max(&self) -> Option<(f32, f32)> {
        let mut it = self.data.iter().copied().filter(|v| !v.is_nan());
        let first = it.next()?;
        Some(it.fold((first, first), |(lo, hi), v| (lo.min(v), hi.max(v))))
    }

    /// Value at a world coordinate (nearest cell), NaN outside the grid.
    pub fn sample_world(&self, x: f64, y: f64) -> f32 {
        let (c, r) = self.spec.pixel_from_world(x, y);
        if c < 0.0 || r < 0.0 {
            return f32::NAN;
        }
        self.get(r as usize, c as usize)
            .copied()
            .unwrap_or(f32::NAN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> GridSpec {
        GridSpec::new(3, 2, 100.0, 500.0, 10.0, 20.0, String::new()).unwrap()
    }

    #[test]
    fn from_vec_rejects_wrong_length() {
        assert!(Grid::from_vec(spec(), vec![0.0f32; 5]).is_err());
        assert!(Grid::from_vec(spec(), vec![0.0f32; 6]).is_ok());
    }

    #[test]
    fn min_max_and_valid_count_skip_nan() {
        let g = Grid::from_vec(spec(), vec![1.0, f32::NAN, -2.0, 5.0, f32::NAN, 0.0]).unwrap();
        assert_eq!(g.valid_count(), 4);
        assert_eq!(g.min_max(), Some((-2.0, 5.0)));
    }

    #[test]
    fn sample_world_picks_the_cell_under_the_point() {
        let g = Grid::from_vec(spec(), vec![0., 1., 2., 3., 4., 5.]).unwrap();
        // cell (row 1, col 2) spans x 120..130, y 460..480
        assert_eq!(g.sample_world(125.0, 470.0), 5.0);
        assert!(g.sample_world(99.0, 470.0).is_nan());
    }
}
