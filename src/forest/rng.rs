//! Seed derivation for reproducible, schedule-independent randomness.
//!
//! Contract: every random stream is a pure function of the user seed and a position
//! (tree index, node path), never of thread scheduling. Tree `i` draws its bootstrap from
//! `ChaCha8Rng::seed_from_u64(tree_seed(seed, i))`; each node draws its feature order from a
//! SplitMix64 stream seeded by its path from the root, so a node's split does not depend on
//! how deep the tree is allowed to grow (depth truncation is exact).

/// SplitMix64 finaliser: a bijective 64-bit mix.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Combines two values into a well-mixed seed.
pub(crate) fn combine(a: u64, b: u64) -> u64 {
    mix64(a ^ mix64(b.wrapping_add(0x9e37_79b9_7f4a_7c15)))
}

/// Seed of tree `tree_index` of a forest seeded with `seed`.
pub(crate) fn tree_seed(seed: u64, tree_index: u64) -> u64 {
    combine(seed, tree_index.wrapping_mul(2).wrapping_add(1))
}

/// Small, fast generator for per-node feature sampling.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A stream seeded with `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// Next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix64(self.state)
    }

    /// Uniform integer in `lo..hi` (`hi > lo`), by multiply-shift (bias < 2^-32 for small ranges).
    pub(crate) fn below(&mut self, lo: usize, hi: usize) -> usize {
        let span = (hi - lo) as u64;
        lo + (((self.next_u64() >> 32) * span) >> 32) as usize
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn tree_seeds_differ_between_trees_and_repeat_for_the_same_tree() {
        assert_ne!(tree_seed(7, 0), tree_seed(7, 1));
        assert_eq!(tree_seed(7, 3), tree_seed(7, 3));
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = SplitMix64::new(1);
        for _ in 0..1000 {
            let v = r.below(3, 10);
            assert!((3..10).contains(&v));
        }
    }
}
