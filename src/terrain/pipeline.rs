//! The fused fast path from a DEM to the coarse terrain features, and the full fine-grid
//! derivative set for the standalone terrain tool.
//!
//! # Contract
//! - Input: an owned row-major `rows × cols` DEM in metres, row 0 = north, NaN = nodata,
//!   cell sizes in metres (see [`crate::terrain`]).
//! - Slope, aspect, mean/std elevation and relief come from the **original** DEM. The CTI
//!   uses the D8 accumulation and the Horn slope of the **depression-filled** DEM (as the
//!   `*_cti_fil` grids of the USGS ground-failure inputs), so filled pits read as wet flats.
//! - [`terrain_features`] never stores a fine slope, aspect or CTI grid. Pass 1 streams
//!   slope/aspect/elevation per band of `block_rows` rows straight into coarse sums (a rayon
//!   parallel iterator) **while** a copy of the DEM is filled (`rayon::join`; the
//!   priority-flood is sequential, so the two share the cores); the original DEM is then
//!   dropped, D8 receivers and in-degrees share one byte per cell, the accumulation is a
//!   `u32` per cell, and pass 3 streams the CTI into coarse means. Peak memory ≈ 2.25 × the
//!   DEM's `f32` size, the DEM included (DEM + filled copy during the fill; filled + codes +
//!   accumulation after it), plus the fill's queues.
//! - Progress is reported as `(stage, overall fraction in [0, 1])` from the calling thread;
//!   the cancel flag is polled between stages, per band and every 2²⁰ fill steps. The first
//!   stage is called `"slope and aspect + fill depressions"` (the two overlap).

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::terrain::aggregate::{coarse_shape, BlockStats};
use crate::terrain::cti::cti_value;
use crate::terrain::fill::fill_in_place;
use crate::terrain::flow_accumulation::{accumulate, receivers_into};
use crate::terrain::horn::{horn_sums, slope_deg_from};
use crate::terrain::{validate_grid, DemView, TerrainError, TerrainFeatures, TerrainOptions};

fn check_cancel(cancel: &AtomicBool, stage: &'static str) -> Result<(), TerrainError> {
    if cancel.load(Ordering::Relaxed) {
        return Err(TerrainError::Cancelled { stage });
    }
    Ok(())
}

/// Computes the eight coarse terrain features of a DEM, taking ownership of it (it is
/// filled in place). See the module docs for what is derived from which surface.
///
/// Errors: invalid shape, cell size or options, fewer than 3 × 3 cells, an all-nodata DEM,
/// or [`TerrainError::Cancelled`].
#[allow(clippy::too_many_arguments)]
pub fn terrain_features(
    dem: Vec<f32>,
    rows: usize,
    cols: usize,
    cell_width_m: f64,
    cell_height_m: f64,
    opts: &TerrainOptions,
    cancel: &AtomicBool,
    progress: &dyn Fn(&str, f64),
) -> Result<TerrainFeatures, TerrainError> {
    DemView::new(&dem, rows, cols, cell_width_m, cell_height_m).validate_window()?;
    opts.validate()?;
    let (crows, ccols, min_cells) = coarse_shape(rows, cols, opts);
    let mut out = TerrainFeatures::nan(crows, ccols);

    // Pass 1 (elevation, slope and aspect of the original DEM, streamed into coarse sums)
    // and pass 2a (priority-flood fill of a copy) run at the same time through
    // `rayon::join`: the fill is sequential, pass 1 is a parallel iterator. `join` (unlike a
    // scoped OS thread that calls into rayon) never blocks a rayon worker on work that needs
    // another worker, so this is safe when events are built in parallel on the pool. The
    // progress callback is not `Sync`, so it is called only before and after the join.
    progress("slope and aspect + fill depressions", 0.0);
    let mut filled = dem.clone();
    let (filled_ok, bands) = rayon::join(
        || fill_in_place(&mut filled, rows, cols, cancel, &|_| {}),
        || {
            let view = DemView::new(&dem, rows, cols, cell_width_m, cell_height_m);
            (0..crows)
                .into_par_iter()
                .map(|cr| original_band(&view, cr, opts, ccols, cancel))
                .collect::<Vec<Vec<BlockStats>>>()
        },
    );
    progress("slope and aspect + fill depressions", 0.6);
    drop(dem);
    filled_ok?;
    check_cancel(cancel, "slope and aspect")?;
    for (cr, band) in bands.iter().enumerate() {
        for (cc, b) in band.iter().enumerate() {
            b.write(&mut out, cr * ccols + cc, min_cells);
        }
    }
    drop(bands);
    let dem = filled;

    // Pass 2b: D8 receivers and accumulation on the filled DEM.
    progress("flow accumulation", 0.6);
    let acc = {
        let filled = DemView::new(&dem, rows, cols, cell_width_m, cell_height_m);
        let mut codes = vec![0_u8; dem.len()];
        receivers_into(&filled, &mut codes);
        check_cancel(cancel, "flow accumulation")?;
        accumulate(&dem, cols, &mut codes, cancel)?
    };

    // Pass 3: CTI of the filled DEM, streamed into coarse means.
    progress("compound topographic index", 0.8);
    let filled = DemView::new(&dem, rows, cols, cell_width_m, cell_height_m);
    let cti_bands: Vec<Vec<(u32, f64)>> = (0..crows)
        .into_par_iter()
        .map(|cr| cti_band(&filled, &acc, cr, opts, ccols, cancel))
        .collect();
    check_cancel(cancel, "compound topographic index")?;
    for (cr, band) in cti_bands.iter().enumerate() {
        for (cc, &(n, sum)) in band.iter().enumerate() {
            let k = cr * ccols + cc;
            let valid = out.mean_elevation_m.get(k).is_some_and(|v| !v.is_nan());
            if valid && n > 0 {
                out.mean_cti[k] = (sum / f64::from(n)) as f32;
            }
        }
    }
    progress("done", 1.0);
    Ok(out)
}

/// Column range of coarse column `cc`.
fn block_cols(cc: usize, opts: &TerrainOptions, cols: usize) -> std::ops::Range<usize> {
    let c0 = cc * opts.block_cols;
    c0..(c0 + opts.block_cols).min(cols)
}

/// Row range of coarse row `cr`.
fn block_rows(cr: usize, opts: &TerrainOptions, rows: usize) -> std::ops::Range<usize> {
    let r0 = cr * opts.block_rows;
    r0..(r0 + opts.block_rows).min(rows)
}

/// Pass-1 sums of one band of coarse cells (empty sums if cancelled).
fn original_band(
    dem: &DemView,
    cr: usize,
    opts: &TerrainOptions,
    ccols: usize,
    cancel: &AtomicBool,
) -> Vec<BlockStats> {
    let mut stats = vec![BlockStats::default(); ccols];
    if cancel.load(Ordering::Relaxed) {
        return stats;
    }
    let (w, h) = (dem.cell_width_m, dem.cell_height_m);
    for r in block_rows(cr, opts, dem.rows) {
        for (cc, b) in stats.iter_mut().enumerate() {
            for c in block_cols(cc, opts, dem.cols) {
                b.add_elevation(dem.data[r * dem.cols + c]);
                let Some(s) = horn_sums(dem.data, dem.rows, dem.cols, r, c) else {
                    continue;
                };
                b.add_slope(slope_deg_from(s, w, h));
                if !s.is_flat() {
                    // Downslope unit vector (east, north) = (sin, cos) of the aspect.
                    let (gx_east, gy_south) = s.gradient(w, h);
                    let g = gx_east.hypot(gy_south);
                    b.add_aspect_unit(-gx_east / g, gy_south / g);
                }
            }
        }
    }
    stats
}

/// Pass-3 CTI `(count, sum)` of one band of coarse cells.
fn cti_band(
    filled: &DemView,
    acc: &[u32],
    cr: usize,
    opts: &TerrainOptions,
    ccols: usize,
    cancel: &AtomicBool,
) -> Vec<(u32, f64)> {
    let mut sums = vec![(0_u32, 0.0_f64); ccols];
    if cancel.load(Ordering::Relaxed) {
        return sums;
    }
    let (w, h) = (filled.cell_width_m, filled.cell_height_m);
    let width_m = (w * h).sqrt();
    for r in block_rows(cr, opts, filled.rows) {
        for (cc, slot) in sums.iter_mut().enumerate() {
            for c in block_cols(cc, opts, filled.cols) {
                let a = acc.get(r * filled.cols + c).copied().unwrap_or(0);
                let Some(s) = horn_sums(filled.data, filled.rows, filled.cols, r, c) else {
                    continue;
                };
                let v = cti_value(f64::from(a), s.tan_slope(w, h), width_m);
                if !v.is_nan() {
                    slot.0 += 1;
                    slot.1 += f64::from(v);
                }
            }
        }
    }
    sums
}

/// Every fine-grid derivative of a DEM, each row-major with the DEM's shape, NaN = nodata.
#[derive(Debug, Clone, PartialEq)]
pub struct FineDerivatives {
    /// Horn slope of the original DEM, degrees (NaN on the border and next to nodata).
    pub slope_deg: Vec<f32>,
    /// Horn downslope aspect of the original DEM, degrees from north (NaN also when flat).
    pub aspect_deg: Vec<f32>,
    /// The depression-filled DEM, metres.
    pub filled_m: Vec<f32>,
    /// D8 contributing cells including the cell itself.
    pub flow_accumulation_cells: Vec<f32>,
    /// Compound topographic index from the filled DEM's slope and the accumulation.
    pub cti: Vec<f32>,
}

/// Computes [`FineDerivatives`] of `dem` (the `slidemap terrain` tool's output), using the
/// same conventions as [`terrain_features`].
///
/// Errors: as [`terrain_features`].
pub fn full_derivatives(
    dem: &DemView,
    cancel: &AtomicBool,
    progress: &dyn Fn(&str, f64),
) -> Result<FineDerivatives, TerrainError> {
    validate_grid(
        dem.data,
        dem.rows,
        dem.cols,
        dem.cell_width_m,
        dem.cell_height_m,
    )?;
    dem.validate_window()?;
    progress("slope and aspect", 0.0);
    let slope_deg = crate::terrain::slope_deg(dem)?;
    let aspect_deg = crate::terrain::aspect_deg(dem)?;
    check_cancel(cancel, "slope and aspect")?;
    progress("fill depressions", 0.2);
    let mut filled_m = dem.data.to_vec();
    fill_in_place(&mut filled_m, dem.rows, dem.cols, cancel, &|f| {
        progress("fill depressions", (0.2 + 0.4 * f).min(0.6))
    })?;
    progress("flow accumulation", 0.6);
    let filled = DemView::new(
        &filled_m,
        dem.rows,
        dem.cols,
        dem.cell_width_m,
        dem.cell_height_m,
    );
    let mut codes = vec![0_u8; filled_m.len()];
    receivers_into(&filled, &mut codes);
    let acc = accumulate(&filled_m, dem.cols, &mut codes, cancel)?;
    drop(codes);
    progress("compound topographic index", 0.8);
    let (w, h) = (dem.cell_width_m, dem.cell_height_m);
    let width_m = (w * h).sqrt();
    let mut cti = vec![f32::NAN; filled_m.len()];
    crate::terrain::par_rows(&mut cti, dem.cols, |r, out_row| {
        for (c, v) in out_row.iter_mut().enumerate() {
            if let Some(s) = horn_sums(&filled_m, dem.rows, dem.cols, r, c) {
                let a = acc.get(r * dem.cols + c).copied().unwrap_or(0);
                *v = cti_value(f64::from(a), s.tan_slope(w, h), width_m);
            }
        }
    });
    let flow_accumulation_cells = acc
        .into_iter()
        .map(|a| if a == 0 { f32::NAN } else { a as f32 })
        .collect();
    progress("done", 1.0);
    Ok(FineDerivatives {
        slope_deg,
        aspect_deg,
        filled_m,
        flow_accumulation_cells,
        cti,
    })
}
