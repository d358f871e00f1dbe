//! LAD (landslide fine cells / valid mapped fine cells per block) and LND (points per km²).

use crate::grid::{Blocks, GridSpec};

/// Options for density computation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DensityOptions {
    /// A coarse cell needs at least this fraction of its fine cells mapped to be "mapped".
    pub min_mapped_fraction: f64,
}

impl Default for DensityOptions {
    fn default() -> Self {
        Self {
            min_mapped_fraction: 0.5,
        }
    }
}

/// LAD per coarse cell: landslide fine cells / mapped fine cells; NaN when unmapped.
pub fn landslide_areal_density(
    landslide_fine: &[bool],
    mapped_fine: &[bool],
    blocks: Blocks,
    opts: DensityOptions,
) -> Vec<f32> {
    blocks.fraction(landslide_fine, mapped_fine, opts.min_mapped_fraction)
}

/// LND per coarse cell: landslide points per km² of mapped area; NaN when unmapped.
pub fn landslide_number_density(
    points: &[[f64; 2]],
    mapped_fine: &[bool],
    fine: &GridSpec,
    blocks: Blocks,
    opts: DensityOptions,
) -> Vec<f32> {
    let mapped_counts = blocks.count(mapped_fine);
    let need = (opts.min_mapped_fraction * (blocks.block * blocks.block) as f64)
        .ceil()
        .max(1.0) as u32;
    let cols = blocks.coarse_cols();
    let mut counts = vec![0u32; blocks.coarse_rows() * cols];
    for p in points {
        let (c, r) = fine.pixel_from_world(p[0], p[1]);
        if c < 0.0 || r < 0.0 || c >= fine.cols as f64 || r >= fine.rows as f64 {
            continue;
        }
        let (r, c) = (r as usize, c as usize);
        if !mapped_fine[r * fine.cols + c] {
            continue;
        }
        counts[(r / blocks.block) * cols + c / blocks.block] += 1;
    }
    let fine_km2 = fine.cell_area() / 1e6;
    counts
        .iter()
        .zip(mapped_counts)
        .map(|(&k, m)| {
            if m >= need {
                k as f32 / (m as f64 * fine_km2) as f32
            } else {
                f32::NAN
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lad_is_landslide_share_of_mapped_cells_and_nan_when_unmapped() {
        let b = Blocks {
            fine_rows: 2,
            fine_cols: 4,
            block: 2,
        };
        let ls = [true, false, false, false, true, true, false, false];
        let mapped = [true, true, false, false, true, true, false, false];
        let lad = landslide_areal_density(&ls, &mapped, b, DensityOptions::default());
        assert_eq!(lad[0], 0.75);
        assert!(lad[1].is_nan(), "unmapped is NaN, not zero");
    }

    #[test]
    fn lnd_counts_points_per_square_kilometre() {
        let fine = GridSpec::new(10, 10, 0.0, 1000.0, 100.0, 100.0, String::new()).unwrap();
        let b = Blocks {
            fine_rows: 10,
            fine_cols: 10,
            block: 10,
        };
        let pts = [[50.0, 950.0], [500.0, 500.0], [5000.0, 5000.0]];
        let lnd = landslide_number_density(&pts, &[true; 100], &fine, b, DensityOptions::default());
        assert!((lnd[0] - 2.0).abs() < 1e-6); // 2 points in 1 km²
    }
}
