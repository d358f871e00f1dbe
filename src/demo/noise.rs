//! Deterministic randomness for the demo generator.
//!
//! Two kinds: sequential draws from a `ChaCha8Rng` seeded from (seed, event index, layer
//! name) for things drawn one after the other (landslide sources, Voronoi seeds), and
//! *stateless* hash noise (value noise, fractal sums, per-cell Gaussians) that depends only
//! on (layer seed, position): any cell can be evaluated on any thread in any order and the
//! result is the same, so rayon never changes the output.
//!
//! Positions are metres in the event's UTM frame unless a caller says otherwise.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// SplitMix64 finaliser: a good 64-bit mixer.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Seed of one layer of one event: stable across runs and platforms (FNV-1a of the name).
pub(crate) fn layer_seed(seed: u64, event_index: usize, layer: &str) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in layer.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01B3);
    }
    mix(mix(seed ^ mix(event_index as u64 + 1)) ^ h)
}

/// A ChaCha8 generator for one layer of one event.
pub(crate) fn rng_for(seed: u64, event_index: usize, layer: &str) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(layer_seed(seed, event_index, layer))
}

/// Hash of a seed and two integer coordinates.
pub(crate) fn hash2(seed: u64, a: i64, b: i64) -> u64 {
    mix(mix(seed ^ (a as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
        ^ (b as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F))
}

/// Uniform value in [0, 1) from a hash.
pub(crate) fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// Standard normal value attached to cell (a, b) of a layer (Box–Muller on two hashes).
pub(crate) fn gauss2(seed: u64, a: i64, b: i64) -> f64 {
    let h = hash2(seed, a, b);
    let u1 = unit(h).max(1e-12);
    let u2 = unit(mix(h ^ 0x5851_F42D_4C95_7F2D));
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn lattice(seed: u64, ix: i64, iy: i64) -> f64 {
    2.0 * unit(hash2(seed, ix, iy)) - 1.0
}

fn quintic(t: f64) -> f64 {
    t * t * t * (t * (t * 6.0 - 15.0) + 10.0)
}

/// Value noise in [-1, 1] with unit lattice spacing and quintic interpolation.
pub(crate) fn value_noise(seed: u64, x: f64, y: f64) -> f64 {
    let (fx, fy) = (x.floor(), y.floor());
    let (ix, iy) = (fx as i64, fy as i64);
    let (tx, ty) = (quintic(x - fx), quintic(y - fy));
    let a = lattice(seed, ix, iy);
    let b = lattice(seed, ix + 1, iy);
    let c = lattice(seed, ix, iy + 1);
    let d = lattice(seed, ix + 1, iy + 1);
    let top = a + (b - a) * tx;
    let bottom = c + (d - c) * tx;
    top + (bottom - top) * ty
}

/// Fractal sum of value noise (fBm), roughly in [-1, 1] (normalised by the amplitude sum).
/// Each octave is rotated to hide the lattice axes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fbm {
    /// Layer seed.
    pub seed: u64,
    /// Wavelength of the first octave, in the caller's units (metres).
    pub wavelength: f64,
    /// Number of octaves.
    pub octaves: u32,
    /// Amplitude ratio between octaves (0.5 = classic pink-ish noise).
    pub gain: f64,
}

impl Fbm {
    /// A field with 2× frequency per octave.
    pub(crate) fn new(seed: u64, wavelength: f64, octaves: u32, gain: f64) -> Self {
        Self {
            seed,
            wavelength,
            octaves,
            gain,
        }
    }

    /// Value at (x, y).
    pub(crate) fn at(&self, x: f64, y: f64) -> f64 {
        let (mut sum, mut norm, mut amp) = (0.0, 0.0, 1.0);
        let mut freq = 1.0 / self.wavelength;
        for o in 0..self.octaves {
            let angle = 0.61 * f64::from(o + 1);
            let (s, c) = angle.sin_cos();
            let (u, v) = (c * x - s * y, s * x + c * y);
            sum += amp
                * value_noise(
                    self.seed.wrapping_add(u64::from(o) * 7919),
                    u * freq + 17.3 * f64::from(o),
                    v * freq,
                );
            norm += amp;
            amp *= self.gain;
            freq *= 2.0;
        }
        // value noise rarely reaches ±1; rescale so the field spans roughly [-1, 1]
        (1.8 * sum / norm).clamp(-1.0, 1.0)
    }
}

/// Logistic function.
pub(crate) fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_noise_is_a_pure_function_of_seed_and_position() {
        let f = Fbm::new(layer_seed(42, 0, "dem"), 1000.0, 5, 0.5);
        assert_eq!(f.at(1234.5, -77.0), f.at(1234.5, -77.0));
        let g = Fbm::new(layer_seed(43, 0, "dem"), 1000.0, 5, 0.5);
        assert_ne!(f.at(1234.5, -77.0), g.at(1234.5, -77.0));
        assert_ne!(layer_seed(42, 0, "dem"), layer_seed(42, 1, "dem"));
    }

    #[test]
    fn per_cell_gaussians_have_unit_variance() {
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|i| gauss2(7, i, 3)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(
            mean.abs() < 0.03 && (var - 1.0).abs() < 0.05,
            "{mean} {var}"
        );
    }
}
