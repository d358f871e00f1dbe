//! D8 flow directions and flow accumulation (O'Callaghan & Mark 1984).
//!
//! # Contract
//! - **Receiver**: each valid cell drains to the 8-neighbour with the steepest strictly
//!   positive descent `(z − z_n) / d`, with `d` = cell width (E/W), cell height (N/S) or the
//!   diagonal `√(w² + h²)`; the drop is computed in `f64`. Ties go to the first neighbour in
//!   the order N, NE, E, SE, S, SW, W, NW (as `pysheds`). Nodata neighbours and neighbours
//!   outside the grid are never receivers. A cell with no lower neighbour is an outlet (on a
//!   filled DEM: only border cells and cells next to nodata can be outlets); water leaving
//!   it leaves the DEM. Border cells drain inwards when an inner neighbour is lower.
//! - **Accumulation** is the number of cells draining through a cell **including itself**
//!   (so 1 on ridges), computed exactly in `u32` by a topological order (in-degree counting,
//!   no recursion, no queue) and returned as `f32`, which is exact below 2²⁴ = 16 777 216
//!   cells. Nodata cells are NaN.
//! - Feed a DEM filled by [`crate::terrain::fill_depressions`]; on an unfilled DEM every pit
//!   is an outlet.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::terrain::{par_rows, DemView, TerrainError};

/// Row and column offsets `(d_row, d_col)` of D8 direction codes 0–7: N, NE, E, SE, S, SW,
/// W, NW (row 0 is north).
pub const D8_OFFSETS: [(isize, isize); 8] = [
    (-1, 0),
    (-1, 1),
    (0, 1),
    (1, 1),
    (1, 0),
    (1, -1),
    (0, -1),
    (-1, -1),
];

/// The direction code of a cell without a receiver (outlet or nodata).
pub const D8_NO_RECEIVER: u8 = 8;

/// D8 receiver code (index into [`D8_OFFSETS`], or [`D8_NO_RECEIVER`]) of every cell.
///
/// Errors: invalid shape or cell size, or an all-nodata DEM.
pub fn d8_receivers(filled: &DemView) -> Result<Vec<u8>, TerrainError> {
    filled.validate()?;
    let mut codes = vec![D8_NO_RECEIVER; filled.data.len()];
    receivers_into(filled, &mut codes);
    Ok(codes)
}

/// Number of cells (including itself) draining through each cell, NaN for nodata.
///
/// Errors: invalid shape or cell size, or an all-nodata DEM.
pub fn flow_accumulation_d8(filled: &DemView) -> Result<Vec<f32>, TerrainError> {
    filled.validate()?;
    let mut codes = vec![D8_NO_RECEIVER; filled.data.len()];
    receivers_into(filled, &mut codes);
    let acc = accumulate(
        filled.data,
        filled.cols,
        &mut codes,
        &AtomicBool::new(false),
    )?;
    // Same size and alignment: this collect reuses the allocation.
    Ok(acc
        .into_iter()
        .map(|a| if a == 0 { f32::NAN } else { a as f32 })
        .collect())
}

/// Writes the receiver code of every cell into the low nibble of `codes` (high nibble 0).
pub(crate) fn receivers_into(dem: &DemView, codes: &mut [u8]) {
    let (w, h) = (dem.cell_width_m, dem.cell_height_m);
    let d = (w * w + h * h).sqrt();
    let inv_dist = [
        1.0 / h,
        1.0 / d,
        1.0 / w,
        1.0 / d,
        1.0 / h,
        1.0 / d,
        1.0 / w,
        1.0 / d,
    ];
    let (rows, cols, z) = (dem.rows, dem.cols, dem.data);
    par_rows(codes, cols, |r, out_row| {
        for (c, code) in out_row.iter_mut().enumerate() {
            *code = D8_NO_RECEIVER;
            let z0 = f64::from(z[r * cols + c]);
            if z0.is_nan() {
                continue;
            }
            let mut best = 0.0_f64;
            for (k, &(dr, dc)) in D8_OFFSETS.iter().enumerate() {
                let (rr, cc) = (r as isize + dr, c as isize + dc);
                if rr < 0 || cc < 0 || rr >= rows as isize || cc >= cols as isize {
                    continue;
                }
                let zn = f64::from(z[rr as usize * cols + cc as usize]);
                // NaN compares false, so nodata neighbours are skipped.
                let drop = (z0 - zn) * inv_dist[k];
                if drop > best {
                    best = drop;
                    *code = k as u8;
                }
            }
        }
    });
}

/// Accumulates contributing-cell counts along the receivers in the low nibble of `codes`
/// (the high nibble is used as in-degree scratch and left at 15). Nodata cells get 0.
pub(crate) fn accumulate(
    z: &[f32],
    cols: usize,
    codes: &mut [u8],
    cancel: &AtomicBool,
) -> Result<Vec<u32>, TerrainError> {
    let delta: [isize; 8] = D8_OFFSETS.map(|(dr, dc)| dr * cols as isize + dc);
    let target = |i: usize, code: u8| (i as isize + delta[usize::from(code & 7)]) as usize;
    for i in 0..codes.len() {
        let code = codes[i] & 0x0F;
        if code < D8_NO_RECEIVER {
            let j = target(i, code);
            codes[j] += 0x10;
        }
    }
    if cancel.load(Ordering::Relaxed) {
        return Err(TerrainError::Cancelled {
            stage: "flow accumulation",
        });
    }
    let mut acc: Vec<u32> = z.iter().map(|v| u32::from(!v.is_nan())).collect();
    for i in 0..codes.len() {
        if codes[i] >> 4 != 0 {
            continue; // donors still pending, or already done
        }
        // Walk downstream while each cell's last donor has just been counted.
        let mut cur = i;
        loop {
            codes[cur] |= 0xF0;
            let code = codes[cur] & 0x0F;
            if code >= D8_NO_RECEIVER {
                break;
            }
            let j = target(cur, code);
            acc[j] += acc[cur];
            codes[j] -= 0x10;
            if codes[j] >> 4 != 0 {
                break;
            }
            cur = j;
        }
    }
    Ok(acc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tilted_plane_accumulates_along_its_rows() {
        // 3 × 4, falling to the east by 1 m per 1 m cell: every cell drains east.
        let z: Vec<f32> = (0..12).map(|i| (3 - i % 4) as f32).collect();
        let acc = flow_accumulation_d8(&DemView::new(&z, 3, 4, 1.0, 1.0)).unwrap_or_default();
        assert_eq!(
            acc,
            vec![1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0, 4.0]
        );
    }

    #[test]
    fn ties_go_to_the_first_direction_in_n_ne_e_order() {
        // Centre 5, north and east both 4 at the same distance: north wins.
        let z = [9.0, 4.0, 9.0, 9.0, 5.0, 4.0, 9.0, 9.0, 9.0];
        let codes = d8_receivers(&DemView::new(&z, 3, 3, 1.0, 1.0)).unwrap_or_default();
        assert_eq!(codes[4], 0);
    }

    #[test]
    fn nodata_cells_are_nan_and_never_receive() {
        let z = [3.0, 2.0, f32::NAN, 3.0];
        let acc = flow_accumulation_d8(&DemView::new(&z, 1, 4, 1.0, 1.0)).unwrap_or_default();
        assert_eq!(acc[..2], [1.0, 2.0]);
        assert!(acc[2].is_nan());
        assert_eq!(acc[3], 1.0);
    }
}
