//! Sorting split keys: a stable LSD radix sort on the upper 32 bits of `u64` keys.
//!
//! Contract: [`sort_split_keys`] leaves `keys` in the order `sort_unstable` would give when
//! the keys are distinct and the lower 32 bits of keys with equal upper halves are already
//! ascending in the input (as the tree's keys are: value bits above the node-local target
//! rank, built in rank order). Passes whose byte is the same in every key are skipped, and
//! bytes above the caller's `digits` are not looked at (value ranks: two bytes at most for
//! 65,536 distinct values). Slices shorter than
//! [`RADIX_MIN_LEN`] use `sort_unstable`, which is faster there.

/// Below this length the comparison sort wins (measured on the fit benchmark).
pub(crate) const RADIX_MIN_LEN: usize = 128;

/// Sorts `keys` by their upper 32 bits, stably; `tmp` is scratch. Only the lowest
/// `digits` bytes (1 to 4) of the upper halves may be non-zero (value ranks need two for up
/// to 65,536 distinct values).
pub(crate) fn sort_split_keys(keys: &mut [u64], tmp: &mut Vec<u64>, digits: usize) {
    let m = keys.len();
    if m < RADIX_MIN_LEN {
        keys.sort_unstable();
        return;
    }
    let digits = digits.clamp(1, 4);
    let mut hist = [[0u32; 256]; 4];
    let hist = &mut hist[..digits];
    for &k in keys.iter() {
        let v = (k >> 32) as u32;
        for (d, h) in hist.iter_mut().enumerate() {
            h[((v >> (8 * d)) & 0xff) as usize] += 1;
        }
    }
    tmp.clear();
    tmp.resize(m, 0);
    let mut in_keys = true; // where the current order lives
    for (d, h) in hist.iter_mut().enumerate() {
        if h.iter().any(|&c| c as usize == m) {
            continue; // every key has the same byte here
        }
        let mut sum = 0u32;
        for c in h.iter_mut() {
            let n = *c;
            *c = sum;
            sum += n;
        }
        let shift = 32 + 8 * d;
        let (src, dst): (&[u64], &mut [u64]) = if in_keys {
            (&*keys, tmp.as_mut_slice())
        } else {
            (tmp.as_slice(), &mut *keys)
        };
        for &k in src {
            let b = ((k >> shift) & 0xff) as usize;
            let at = h[b] as usize;
            h[b] += 1;
            if let Some(slot) = dst.get_mut(at) {
                *slot = k;
            }
        }
        in_keys = !in_keys;
    }
    if !in_keys {
        keys.copy_from_slice(tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(state: &mut u64) -> u64 {
        *state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        *state >> 16
    }

    #[test]
    fn radix_order_equals_a_full_key_sort_for_rank_ordered_input() {
        let mut tmp = Vec::new();
        let mut s = 7u64;
        for &(m, spread) in &[
            (100usize, 1u64 << 32),
            (300, 1 << 32),
            (5000, 1 << 32),
            (5000, 7),
            (4096, 1),
        ] {
            // upper halves drawn from `spread` values (ties when small); lower = rank
            let mut keys: Vec<u64> = (0..m as u64)
                .map(|r| ((0x8000_0000 + lcg(&mut s) % spread) << 32) | r)
                .collect();
            let mut expected = keys.clone();
            expected.sort_unstable();
            sort_split_keys(&mut keys, &mut tmp, 4);
            assert_eq!(keys, expected, "m = {m}, spread = {spread}");
        }
    }

    #[test]
    fn rank_keys_sort_with_only_their_low_digits() {
        let mut tmp = Vec::new();
        let mut s = 11u64;
        for &(m, n_ranks, digits) in &[
            (300usize, 200u64, 1usize),
            (5000, 3000, 2),
            (5000, 70_000, 3),
        ] {
            let mut keys: Vec<u64> = (0..m as u64)
                .map(|r| ((lcg(&mut s) % n_ranks) << 32) | r)
                .collect();
            let mut expected = keys.clone();
            expected.sort_unstable();
            sort_split_keys(&mut keys, &mut tmp, digits);
            assert_eq!(keys, expected, "m = {m}, ranks = {n_ranks}");
        }
    }

    #[test]
    fn radix_handles_negative_and_mixed_magnitude_values() {
        // order-preserving f32 bits across signs and exponents
        let vals: Vec<f32> = (0..1000)
            .map(|i| ((i * 7919) % 2001) as f32 * 0.37 - 300.0)
            .collect();
        let bits = |v: f32| {
            let b = v.to_bits();
            if b >> 31 == 1 {
                !b
            } else {
                b | 0x8000_0000
            }
        };
        let mut keys: Vec<u64> = vals
            .iter()
            .enumerate()
            .map(|(r, &v)| (u64::from(bits(v)) << 32) | r as u64)
            .collect();
        let mut expected = keys.clone();
        expected.sort_unstable();
        sort_split_keys(&mut keys, &mut Vec::new(), 4);
        assert_eq!(keys, expected);
    }
}
