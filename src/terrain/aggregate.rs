//! Coarse-cell terrain features (Burrows et al. 2021, section 2.3.1): blocks of
//! `block_rows × block_cols` fine cells summarised into eight features.
//!
//! # Contract
//! - Coarse cell `(R, C)` covers fine rows `R·block_rows .. min((R+1)·block_rows, rows)` and
//!   the matching columns; the coarse grid has `ceil(rows / block_rows)` ×
//!   `ceil(cols / block_cols)` cells, row 0 = north. Partial blocks on the south and east
//!   edges are kept when they hold enough valid cells.
//! - A coarse cell whose valid (non-NaN) elevations number fewer than
//!   `min_valid_fraction × block_rows × block_cols` (the *full* block size) is NaN in every
//!   feature. Otherwise NaN fine values are skipped feature by feature; a feature with no
//!   valid fine value is NaN (e.g. slope in a one-row partial block on the border, where the
//!   fine slope is NaN).
//! - Standard deviations are population (ddof 0). Relief is max − min elevation. The
//!   circular mean aspect is `atan2(Σ sin, Σ cos)` over non-flat cells, in `[0, 360)`
//!   degrees clockwise from north; NaN when there are none or their resultant vanishes.
//! - Sums are accumulated in `f64`, elevations relative to the block's first value.

use crate::terrain::{validate_grid, DemView, TerrainError, TerrainOptions};

/// The eight coarse terrain features, each row-major `rows × cols`, NaN = not enough data.
#[derive(Debug, Clone, PartialEq)]
pub struct TerrainFeatures {
    /// Coarse rows (`ceil(fine rows / block_rows)`).
    pub rows: usize,
    /// Coarse columns (`ceil(fine cols / block_cols)`).
    pub cols: usize,
    /// Mean fine-cell elevation, m.
    pub mean_elevation_m: Vec<f32>,
    /// Population standard deviation of fine-cell elevations, m.
    pub std_elevation_m: Vec<f32>,
    /// Maximum fine-cell slope, degrees.
    pub max_slope_deg: Vec<f32>,
    /// Mean fine-cell slope, degrees.
    pub mean_slope_deg: Vec<f32>,
    /// Population standard deviation of fine-cell slopes, degrees.
    pub std_slope_deg: Vec<f32>,
    /// Circular mean of the downslope aspect, degrees clockwise from north, `[0, 360)`.
    pub circular_mean_aspect_deg: Vec<f32>,
    /// Mean compound topographic index (dimensionless, ln of metres).
    pub mean_cti: Vec<f32>,
    /// Relief (maximum − minimum fine-cell elevation), m.
    pub relief_m: Vec<f32>,
}

impl TerrainFeatures {
    /// An all-NaN feature set of `rows × cols` coarse cells.
    pub fn nan(rows: usize, cols: usize) -> Self {
        let v = vec![f32::NAN; rows * cols];
        Self {
            rows,
            cols,
            mean_elevation_m: v.clone(),
            std_elevation_m: v.clone(),
            max_slope_deg: v.clone(),
            mean_slope_deg: v.clone(),
            std_slope_deg: v.clone(),
            circular_mean_aspect_deg: v.clone(),
            mean_cti: v.clone(),
            relief_m: v,
        }
    }

    /// The feature names, in the order of [`TerrainFeatures::columns`].
    pub const NAMES: [&'static str; 8] = [
        "mean_elevation_m",
        "std_elevation_m",
        "max_slope_deg",
        "mean_slope_deg",
        "std_slope_deg",
        "circular_mean_aspect_deg",
        "mean_cti",
        "relief_m",
    ];

    /// The eight feature arrays, in the order of [`TerrainFeatures::NAMES`].
    pub fn columns(&self) -> [&[f32]; 8] {
        [
            &self.mean_elevation_m,
            &self.std_elevation_m,
            &self.max_slope_deg,
            &self.mean_slope_deg,
            &self.std_slope_deg,
            &self.circular_mean_aspect_deg,
            &self.mean_cti,
            &self.relief_m,
        ]
    }
}

/// Running sums of one coarse cell.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BlockStats {
    elev_n: u32,
    elev_ref: f64,
    elev_sum: f64,
    elev_sumsq: f64,
    elev_min: f32,
    elev_max: f32,
    slope_n: u32,
    slope_sum: f64,
    slope_sumsq: f64,
    slope_max: f32,
    aspect_n: u32,
    east_sum: f64,
    north_sum: f64,
    cti_n: u32,
    cti_sum: f64,
}

impl Default for BlockStats {
    fn default() -> Self {
        Self {
            elev_n: 0,
            elev_ref: 0.0,
            elev_sum: 0.0,
            elev_sumsq: 0.0,
            elev_min: f32::INFINITY,
            elev_max: f32::NEG_INFINITY,
            slope_n: 0,
            slope_sum: 0.0,
            slope_sumsq: 0.0,
            slope_max: f32::NEG_INFINITY,
            aspect_n: 0,
            east_sum: 0.0,
            north_sum: 0.0,
            cti_n: 0,
            cti_sum: 0.0,
        }
    }
}

/// `sqrt(max(0, E[x²] − E[x]²))` from sums of (shifted) values.
fn population_std(n: u32, sum: f64, sumsq: f64) -> f32 {
    let n = f64::from(n);
    let mean = sum / n;
    (sumsq / n - mean * mean).max(0.0).sqrt() as f32
}

impl BlockStats {
    /// Adds a fine elevation (NaN skipped).
    #[inline]
    pub(crate) fn add_elevation(&mut self, z: f32) {
        if z.is_nan() {
            return;
        }
        if self.elev_n == 0 {
            self.elev_ref = f64::from(z);
        }
        let d = f64::from(z) - self.elev_ref;
        self.elev_n += 1;
        self.elev_sum += d;
        self.elev_sumsq += d * d;
        self.elev_min = self.elev_min.min(z);
        self.elev_max = self.elev_max.max(z);
    }

    /// Adds a fine slope in degrees (NaN skipped).
    #[inline]
    pub(crate) fn add_slope(&mut self, s: f32) {
        if s.is_nan() {
            return;
        }
        let d = f64::from(s);
        self.slope_n += 1;
        self.slope_sum += d;
        self.slope_sumsq += d * d;
        self.slope_max = self.slope_max.max(s);
    }

    /// Adds the unit vector `(sin a, cos a)` of a downslope aspect `a` (east, north).
    #[inline]
    pub(crate) fn add_aspect_unit(&mut self, east: f64, north: f64) {
        self.aspect_n += 1;
        self.east_sum += east;
        self.north_sum += north;
    }

    /// Adds a fine CTI value (NaN skipped).
    #[inline]
    pub(crate) fn add_cti(&mut self, v: f32) {
        if !v.is_nan() {
            self.cti_n += 1;
            self.cti_sum += f64::from(v);
        }
    }

    /// Whether the block holds enough valid elevations to be reported.
    pub(crate) fn is_valid(&self, min_valid_cells: f64) -> bool {
        self.elev_n > 0 && f64::from(self.elev_n) >= min_valid_cells
    }

    /// Writes this block's features into coarse cell `k` of `out` (NaN if not valid).
    pub(crate) fn write(&self, out: &mut TerrainFeatures, k: usize, min_valid_cells: f64) {
        let set = |v: &mut Vec<f32>, x: f32| {
            if let Some(slot) = v.get_mut(k) {
                *slot = x;
            }
        };
        if !self.is_valid(min_valid_cells) {
            return;
        }
        let n = f64::from(self.elev_n);
        set(
            &mut out.mean_elevation_m,
            (self.elev_ref + self.elev_sum / n) as f32,
        );
        set(
            &mut out.std_elevation_m,
            population_std(self.elev_n, self.elev_sum, self.elev_sumsq),
        );
        set(&mut out.relief_m, self.elev_max - self.elev_min);
        if self.slope_n > 0 {
            let m = self.slope_sum / f64::from(self.slope_n);
            set(&mut out.mean_slope_deg, m as f32);
            set(
                &mut out.std_slope_deg,
                population_std(self.slope_n, self.slope_sum, self.slope_sumsq),
            );
            set(&mut out.max_slope_deg, self.slope_max);
        }
        let resultant = self.east_sum.hypot(self.north_sum);
        if self.aspect_n > 0 && resultant > 1e-9 * f64::from(self.aspect_n) {
            let mut deg = self.east_sum.atan2(self.north_sum).to_degrees();
            if deg < 0.0 {
                deg += 360.0;
            }
            let deg = deg as f32;
            set(
                &mut out.circular_mean_aspect_deg,
                if deg >= 360.0 { 0.0 } else { deg },
            );
        }
        if self.cti_n > 0 {
            set(
                &mut out.mean_cti,
                (self.cti_sum / f64::from(self.cti_n)) as f32,
            );
        }
    }
}

/// Coarse grid shape and the minimum valid-cell count per block for `opts`.
pub(crate) fn coarse_shape(rows: usize, cols: usize, opts: &TerrainOptions) -> (usize, usize, f64) {
    (
        rows.div_ceil(opts.block_rows),
        cols.div_ceil(opts.block_cols),
        opts.min_valid_fraction * (opts.block_rows * opts.block_cols) as f64,
    )
}

/// Aggregates precomputed fine grids (same shape as `dem`) into coarse features: the
/// composable, memory-hungrier twin of [`crate::terrain::terrain_features`].
///
/// `aspect_deg` NaN means flat or undefined; `slope_deg`/`cti` NaN are skipped.
/// Errors: invalid DEM, options, or a fine grid of another length (`ShapeMismatch`).
pub fn aggregate_features(
    dem: &DemView,
    slope_deg: &[f32],
    aspect_deg: &[f32],
    cti: &[f32],
    opts: &TerrainOptions,
) -> Result<TerrainFeatures, TerrainError> {
    validate_grid(
        dem.data,
        dem.rows,
        dem.cols,
        dem.cell_width_m,
        dem.cell_height_m,
    )?;
    opts.validate()?;
    for got in [slope_deg.len(), aspect_deg.len(), cti.len()] {
        if got != dem.data.len() {
            return Err(TerrainError::ShapeMismatch {
                expected: dem.data.len(),
                got,
            });
        }
    }
    let (crows, ccols, min_cells) = coarse_shape(dem.rows, dem.cols, opts);
    let mut out = TerrainFeatures::nan(crows, ccols);
    let mut stats = vec![BlockStats::default(); crows * ccols];
    for r in 0..dem.rows {
        for c in 0..dem.cols {
            let i = r * dem.cols + c;
            let b = &mut stats[(r / opts.block_rows) * ccols + c / opts.block_cols];
            b.add_elevation(dem.data[i]);
            b.add_slope(slope_deg[i]);
            if !aspect_deg[i].is_nan() {
                let (east, north) = f64::from(aspect_deg[i]).to_radians().sin_cos();
                b.add_aspect_unit(east, north);
            }
            b.add_cti(cti[i]);
        }
    }
    for (k, b) in stats.iter().enumerate() {
        b.write(&mut out, k, min_cells);
    }
    Ok(out)
}
