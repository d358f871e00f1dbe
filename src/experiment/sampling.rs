//! Seeded sampling of training cells: balanced random draws, polygon selection.

use super::ExperimentError;
use crate::features::FeatureTable;
use crate::io::Polygon;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Mix several integers into one seed (splitmix64 steps), so every draw has its own stream.
pub fn mix_seed(parts: &[u64]) -> u64 {
    let mut h: u64 = 0x9E37_79B9_7F4A_7C15;
    for &p in parts {
        h ^= p
            .wrapping_add(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(h << 6)
            .wrapping_add(h >> 2);
        let mut z = h;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        h = z ^ (z >> 31);
    }
    h
}

/// A seeded RNG.
pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// Split `cells` into (landslide, non-landslide) by target > threshold.
pub fn split_classes(
    table: &FeatureTable,
    cells: &[usize],
    threshold: f64,
) -> (Vec<usize>, Vec<usize>) {
    cells
        .iter()
        .partition(|&&i| table.target[i] as f64 > threshold)
}

/// Draw `n` of `pool` without replacement, or fail naming the class and the counts.
pub fn draw(
    pool: &[usize],
    n: usize,
    rng: &mut ChaCha8Rng,
    event: &str,
    class: &str,
) -> Result<Vec<usize>, ExperimentError> {
    if pool.len() < n {
        return Err(ExperimentError::TooFewCells {
            event: event.into(),
            class: class.into(),
            have: pool.len(),
            need: n,
        });
    }
    let mut v: Vec<usize> = pool.to_vec();
    let (chosen, _) = v.partial_shuffle(rng, n);
    let mut chosen = chosen.to_vec();
    chosen.sort_unstable();
    Ok(chosen)
}

/// Coarse cells (indices) whose centre lies inside any polygon.
pub fn cells_in_polygons(table: &FeatureTable, polygons: &[Polygon]) -> Vec<bool> {
    let spec = &table.coarse;
    let exts: Vec<_> = polygons.iter().map(|p| p.extent()).collect();
    (0..spec.len())
        .map(|i| {
            let (x, y) = spec.cell_centre(i / spec.cols, i % spec.cols);
            polygons.iter().zip(&exts).any(|(p, e)| {
                e.is_some_and(|e| x >= e.x_min && x <= e.x_max && y >= e.y_min && y <= e.y_max)
                    && p.contains(x, y)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_reproducible_and_without_replacement() {
        let pool: Vec<usize> = (0..100).collect();
        let a = draw(&pool, 10, &mut rng(7), "e", "x").unwrap();
        let b = draw(&pool, 10, &mut rng(7), "e", "x").unwrap();
        assert_eq!(a, b);
        let mut d = a.clone();
        d.dedup();
        assert_eq!(d.len(), 10);
    }

    #[test]
    fn too_small_pools_say_how_many_there_are() {
        let e = draw(&[1, 2, 3], 250, &mut rng(1), "Gorkha", "landslide")
            .unwrap_err()
            .to_string();
        assert!(e.contains("3 landslide cells available, 250 needed"), "{e}");
    }

    #[test]
    fn seeds_differ_per_part() {
        assert_ne!(mix_seed(&[1, 2]), mix_seed(&[2, 1]));
        assert_eq!(mix_seed(&[5, 6, 7]), mix_seed(&[5, 6, 7]));
    }
}
