//! Terrain derivatives of a DEM: pure array algorithms, no I/O and no GUI.
//!
//! # Contract
//! - **Layout**: every grid is a row-major `[f32]` slice of `rows × cols` cells indexed
//!   `(row, col)`, row 0 = north, column 0 = west; outputs have the input's shape.
//! - **Units**: elevations in metres, cell sizes in metres (`cell_width_m` east–west,
//!   `cell_height_m` north–south, both positive), angles in degrees, flow accumulation in cells.
//! - **Nodata** is NaN on input and output. A 3 × 3 derivative (slope, aspect, hillshade) is
//!   NaN on the grid border and next to any nodata cell, as `gdaldem` without
//!   `-compute_edges`.
//! - **Errors**: calls return [`TerrainError`] for bad shapes, sizes or options, an all-nodata
//!   DEM and cancellation; none panics on any input.
//!
//! # Parts
//! - [`horn`]: the shared 3 × 3 Horn gradient (private).
//! - [`slope`], [`aspect`], [`hillshade`]: `gdaldem`-compatible per-cell derivatives.
//! - [`fill`]: priority-flood depression filling with an epsilon gradient.
//! - [`flow_accumulation`]: D8 receivers and contributing-cell counts.
//! - [`cti`]: the compound topographic index `ln(a / tan β)`.
//! - [`aggregate`]: coarse-cell terrain features (Burrows et al. 2021, section 2.3.1).
//! - [`pipeline`]: the fused, memory-lean path from a DEM to the coarse features, and the
//!   full fine-grid derivative set.

mod aggregate;
mod aspect;
mod cti;
mod error;
mod fill;
mod flow_accumulation;
mod hillshade;
mod horn;
mod options;
mod pipeline;
mod slope;

pub use aggregate::{aggregate_features, TerrainFeatures};
pub use aspect::aspect_deg;
pub use cti::{cti, MIN_TAN_SLOPE};
pub use error::TerrainError;
pub use fill::fill_depressions;
pub use flow_accumulation::{d8_receivers, flow_accumulation_d8, D8_NO_RECEIVER, D8_OFFSETS};
pub use hillshade::hillshade;
pub use options::TerrainOptions;
pub use pipeline::{full_derivatives, terrain_features, FineDerivatives};
pub use slope::slope_deg;

/// A borrowed view of a DEM: `rows × cols` elevations in metres, row-major, row 0 = north,
/// NaN = nodata; `cell_width_m` (east–west) and `cell_height_m` (north–south) are positive.
#[derive(Debug, Clone, Copy)]
pub struct DemView<'a> {
    /// Elevations in metres, row-major, NaN = nodata.
    pub data: &'a [f32],
    /// Number of rows (north to south).
    pub rows: usize,
    /// Number of columns (west to east).
    pub cols: usize,
    /// Cell width (east–west extent) in metres.
    pub cell_width_m: f64,
    /// Cell height (north–south extent) in metres.
    pub cell_height_m: f64,
}

impl<'a> DemView<'a> {
    /// A view of `data` as a `rows × cols` grid with the given cell sizes in metres.
    pub fn new(
        data: &'a [f32],
        rows: usize,
        cols: usize,
        cell_width_m: f64,
        cell_height_m: f64,
    ) -> Self {
        Self {
            data,
            rows,
            cols,
            cell_width_m,
            cell_height_m,
        }
    }

    /// Checks shape, cell sizes, index range and that at least one cell is valid.
    pub fn validate(&self) -> Result<(), TerrainError> {
        validate_grid(
            self.data,
            self.rows,
            self.cols,
            self.cell_width_m,
            self.cell_height_m,
        )
    }

    /// [`DemView::validate`] plus at least 3 × 3 cells (needed by any 3 × 3 window).
    pub fn validate_window(&self) -> Result<(), TerrainError> {
        self.validate()?;
        if self.rows < 3 || self.cols < 3 {
            return Err(TerrainError::TooSmall {
                rows: self.rows,
                cols: self.cols,
            });
        }
        Ok(())
    }
}

/// Shared validation of a raw grid (see [`DemView::validate`]).
pub(crate) fn validate_grid(
    data: &[f32],
    rows: usize,
    cols: usize,
    cell_width_m: f64,
    cell_height_m: f64,
) -> Result<(), TerrainError> {
    let expected = rows
        .checked_mul(cols)
        .ok_or(TerrainError::TooLarge { cells: usize::MAX })?;
    if data.len() != expected {
        return Err(TerrainError::ShapeMismatch {
            expected,
            got: data.len(),
        });
    }
    if rows == 0 || cols == 0 {
        return Err(TerrainError::TooSmall { rows, cols });
    }
    if expected > u32::MAX as usize {
        return Err(TerrainError::TooLarge { cells: expected });
    }
    let ok = |v: f64| v.is_finite() && v > 0.0;
    if !ok(cell_width_m) || !ok(cell_height_m) {
        return Err(TerrainError::InvalidCellSize {
            cell_width_m,
            cell_height_m,
        });
    }
    if data.iter().all(|v| v.is_nan()) {
        return Err(TerrainError::AllNoData { cells: expected });
    }
    Ok(())
}

/// Runs `f(row, out_row)` for every row of a row-major output grid, in parallel.
pub(crate) fn par_rows<T: Send>(out: &mut [T], cols: usize, f: impl Fn(usize, &mut [T]) + Sync) {
    use rayon::prelude::*;
    out.par_chunks_mut(cols.max(1))
        .enumerate()
        .for_each(|(row, chunk)| f(row, chunk));
}
