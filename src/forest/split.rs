//! Best-threshold search on one feature of one node, for the MAE and MSE criteria.
//!
//! Contract: the node's samples are given sorted by feature value as `(value, id)` pairs,
//! with per-id bootstrap weights (counts) and targets; a split after position `p` sends
//! positions `0..=p` left. Only positions between two distinct feature values that leave at
//! least `min_samples_leaf` distinct rows on each side are candidates (scikit-learn's rule).
//! Costs are weighted sums of absolute deviations from the weighted median (MAE) or weighted
//! sums of squared deviations from the mean (MSE); the best split minimises
//! `cost_left + cost_right`.
//!
//! MAE costs O(m) per feature after the sort: the node's targets are ranked once per node
//! (`rank_of`), then a forward and a backward sweep insert samples into a [`RunningMedian`]
//! over those ranks, which keeps the weighted median and the weight and weighted sum at or
//! below it, so the absolute deviation of the inserted set is read in O(1).

/// Result of a sweep: best split position and its children's total cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SweepBest {
    /// Last position (in the sorted order) that goes left.
    pub pos: usize,
    /// `cost_left + cost_right`.
    pub cost: f64,
}

/// The weighted median of a growing set of node-local target ranks, tracked incrementally.
///
/// Ranks present are kept in a bitset; the median rank `pos` (the smallest present rank `k`
/// with `2 * cumw(<= k) >= total_w`) and the weight and weighted sum at or below it are
/// updated on every insertion, moving `pos` to the neighbouring present rank (found with one
/// word scan of the bitset) while the median condition fails. A sweep over `m` samples costs
/// O(m) amortised instead of O(m log m) for a Fenwick tree (measured ~2.5x faster on the
/// fit benchmark).
#[derive(Debug, Default)]
pub(crate) struct RunningMedian {
    bits: Vec<u64>,
    pos: usize,
    le_w: u64,
    le_s: f64,
    total_w: u64,
    total_s: f64,
}

impl RunningMedian {
    /// Empties the set and sizes it for `m` ranks.
    pub(crate) fn reset(&mut self, m: usize) {
        self.bits.clear();
        self.bits.resize(m.div_ceil(64), 0);
        self.pos = 0;
        self.le_w = 0;
        self.le_s = 0.0;
        self.total_w = 0;
        self.total_s = 0.0;
    }

    fn next_present(&self, rank: usize) -> Option<usize> {
        let mut word = rank / 64;
        let mut bits = self.bits.get(word)? & ((!1u64) << (rank % 64));
        loop {
            if bits != 0 {
                return Some(word * 64 + bits.trailing_zeros() as usize);
            }
            word += 1;
            bits = *self.bits.get(word)?;
        }
    }

    fn prev_present(&self, rank: usize) -> Option<usize> {
        let mut word = rank / 64;
        let mut bits = self.bits.get(word)? & ((1u64 << (rank % 64)) - 1);
        loop {
            if bits != 0 {
                return Some(word * 64 + 63 - bits.leading_zeros() as usize);
            }
            word = word.checked_sub(1)?;
            bits = self.bits[word];
        }
    }

    /// Inserts the sample of rank `rank` (0-based, not yet present); its weight and target
    /// are `w_by_rank[rank]` and `y_by_rank[rank]`.
    #[inline]
    pub(crate) fn add(&mut self, rank: usize, y_by_rank: &[f64], w_by_rank: &[u32]) {
        let (w, y) = (w_by_rank[rank], y_by_rank[rank]);
        let wy = f64::from(w) * y;
        self.bits[rank / 64] |= 1 << (rank % 64);
        if self.total_w == 0 {
            self.pos = rank;
            self.le_w = u64::from(w);
            self.le_s = wy;
        } else if rank < self.pos {
            self.le_w += u64::from(w);
            self.le_s += wy;
        }
        self.total_w += u64::from(w);
        self.total_s += wy;
        // move down while the present ranks below the median already hold half the weight
        // (then a lower present rank exists: their weight is positive)
        loop {
            let w_pos = u64::from(w_by_rank[self.pos]);
            if 2 * (self.le_w - w_pos) < self.total_w {
                break;
            }
            let Some(q) = self.prev_present(self.pos) else {
                break;
            };
            self.le_w -= w_pos;
            self.le_s -= f64::from(w_by_rank[self.pos]) * y_by_rank[self.pos];
            self.pos = q;
        }
        // move up while less than half the weight is at or below the median
        while 2 * self.le_w < self.total_w {
            let Some(q) = self.next_present(self.pos) else {
                break;
            };
            self.le_w += u64::from(w_by_rank[q]);
            self.le_s += f64::from(w_by_rank[q]) * y_by_rank[q];
            self.pos = q;
        }
    }

    /// Weighted sum of absolute deviations of the inserted set from its weighted median.
    #[inline]
    pub(crate) fn abs_dev(&self, y_by_rank: &[f64]) -> f64 {
        let Some(&med) = y_by_rank.get(self.pos) else {
            return 0.0;
        };
        let le_w = self.le_w as f64;
        let gt_w = (self.total_w - self.le_w) as f64;
        let gt_s = self.total_s - self.le_s;
        ((med * le_w - self.le_s) + (gt_s - med * gt_w)).max(0.0)
    }
}

/// Reusable buffers for one tree.
#[derive(Debug, Default)]
pub(crate) struct SweepScratch {
    pub median: RunningMedian,
    pub left_cost: Vec<f64>,
}

/// Inputs shared by both criteria for one node.
pub(crate) struct NodeView<'a> {
    /// One key per sample sorted ascending: the order-preserving bits of the feature value
    /// (see `tree::ordered_bits`, -0.0 folded into +0.0) above the sample's node-local target
    /// rank.
    pub keys: &'a [u64],
    /// Target by node-local rank.
    pub y_by_rank: &'a [f64],
    /// Bootstrap weight by node-local rank.
    pub w_by_rank: &'a [u32],
    /// Minimum distinct rows per child.
    pub min_leaf: usize,
}

/// Node-local target rank of the sample at sorted position `p`.
#[inline]
fn rank_at(keys: &[u64], p: usize) -> usize {
    keys[p] as u32 as usize
}

#[inline]
fn is_candidate(keys: &[u64], p: usize, min_leaf: usize) -> bool {
    let m = keys.len();
    p + 1 >= min_leaf && m - p > min_leaf && (keys[p] >> 32) < (keys[p + 1] >> 32)
}

/// MAE sweep; `None` if no candidate position exists.
pub(crate) fn best_mae(node: &NodeView<'_>, scratch: &mut SweepScratch) -> Option<SweepBest> {
    let m = node.keys.len();
    if m < 2 * node.min_leaf.max(1) {
        return None;
    }
    let lo = node.min_leaf.max(1) - 1;
    let hi = m - node.min_leaf.max(1); // last candidate p is hi - 1
    scratch.left_cost.clear();
    scratch.left_cost.resize(m, f64::NAN);
    let fw = &mut scratch.median;
    fw.reset(m);
    let mut any = false;
    for p in 0..hi {
        fw.add(rank_at(node.keys, p), node.y_by_rank, node.w_by_rank);
        if p >= lo && is_candidate(node.keys, p, node.min_leaf) {
            scratch.left_cost[p] = fw.abs_dev(node.y_by_rank);
            any = true;
        }
    }
    if !any {
        return None;
    }
    fw.reset(m);
    let mut best: Option<SweepBest> = None;
    for p in (lo + 1..m).rev() {
        fw.add(rank_at(node.keys, p), node.y_by_rank, node.w_by_rank);
        let q = p - 1;
        if q < hi && is_candidate(node.keys, q, node.min_leaf) {
            let cost = scratch.left_cost[q] + fw.abs_dev(node.y_by_rank);
            if best.is_none_or(|b| cost <= b.cost) {
                best = Some(SweepBest { pos: q, cost });
            }
        }
    }
    best
}

/// MSE sweep with prefix sums; `None` if no candidate position exists.
pub(crate) fn best_mse(node: &NodeView<'_>) -> Option<SweepBest> {
    let m = node.keys.len();
    if m < 2 * node.min_leaf.max(1) {
        return None;
    }
    let wy = |p: usize| {
        let r = rank_at(node.keys, p);
        (f64::from(node.w_by_rank[r]), node.y_by_rank[r])
    };
    let (mut tw, mut ts, mut tq) = (0.0f64, 0.0f64, 0.0f64);
    for p in 0..m {
        let (w, y) = wy(p);
        tw += w;
        ts += w * y;
        tq += w * y * y;
    }
    let (mut lw, mut ls, mut lq) = (0.0f64, 0.0f64, 0.0f64);
    let mut best: Option<SweepBest> = None;
    for p in 0..m - 1 {
        let (w, y) = wy(p);
        lw += w;
        ls += w * y;
        lq += w * y * y;
        if is_candidate(node.keys, p, node.min_leaf) {
            let (rw, rs, rq) = (tw - lw, ts - ls, tq - lq);
            let cost = (lq - ls * ls / lw) + (rq - rs * rs / rw);
            if best.is_none_or(|b| cost < b.cost) {
                best = Some(SweepBest { pos: p, cost });
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn brute_abs_dev(values: &mut [f64]) -> f64 {
        values.sort_by(f64::total_cmp);
        let med = values[(values.len() - 1) / 2];
        values.iter().map(|v| (v - med).abs()).sum()
    }

    fn brute_weighted_abs_dev(items: &[(f64, u32)]) -> f64 {
        let mut v: Vec<(f64, u32)> = items.to_vec();
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        let total: u64 = v.iter().map(|x| u64::from(x.1)).sum();
        let mut cum = 0u64;
        let med = v
            .iter()
            .find(|x| {
                cum += u64::from(x.1);
                2 * cum >= total
            })
            .map_or(0.0, |x| x.0);
        v.iter().map(|x| f64::from(x.1) * (x.0 - med).abs()).sum()
    }

    #[test]
    fn running_median_abs_dev_matches_a_brute_force_median() {
        let ys: [f64; 7] = [3.0, -1.0, 7.5, 2.0, 2.0, 10.0, 0.5];
        let mut order: Vec<usize> = (0..ys.len()).collect();
        order.sort_by(|&a, &b| ys[a].total_cmp(&ys[b]));
        let y_by_rank: Vec<f64> = order.iter().map(|&i| ys[i]).collect();
        let w_by_rank = vec![1u32; ys.len()];
        let mut rank = vec![0usize; ys.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r;
        }
        let mut fw = RunningMedian::default();
        fw.reset(ys.len());
        for k in 0..ys.len() {
            fw.add(rank[k], &y_by_rank, &w_by_rank);
            let mut seen = ys[..=k].to_vec();
            let expected = brute_abs_dev(&mut seen);
            assert!((fw.abs_dev(&y_by_rank) - expected).abs() < 1e-12);
        }
    }

    #[test]
    fn running_median_follows_weighted_insertions_across_words() {
        // 300 ranks (five bitset words), bootstrap-like weights 1..=4, pseudo-random order
        let m = 300;
        let y_by_rank: Vec<f64> = (0..m).map(|r| r as f64 * 0.37 - 20.0).collect();
        let w_by_rank: Vec<u32> = (0..m).map(|r| 1 + (r * 7 % 4) as u32).collect();
        let order: Vec<usize> = (0..m).map(|i| (i * 113 + 17) % m).collect();
        for reversed in [false, true] {
            let mut fw = RunningMedian::default();
            fw.reset(m);
            let mut seen = Vec::new();
            let mut ranks = order.clone();
            if reversed {
                ranks.reverse();
            }
            for &r in &ranks {
                fw.add(r, &y_by_rank, &w_by_rank);
                seen.push((y_by_rank[r], w_by_rank[r]));
                let expected = brute_weighted_abs_dev(&seen);
                assert!(
                    (fw.abs_dev(&y_by_rank) - expected).abs() < 1e-9 * expected.max(1.0),
                    "after {} insertions",
                    seen.len()
                );
            }
        }
    }

    #[test]
    fn mae_and_mse_pick_the_obvious_step() {
        // x = 0..6, y jumps between x=2 and x=3
        let target: [f64; 6] = [0.0, 0.1, 0.0, 5.0, 5.1, 5.0];
        let mut order: Vec<usize> = (0..6).collect();
        order.sort_by(|&a, &b| target[a].total_cmp(&target[b]));
        let mut rank_of = [0u64; 6];
        for (r, &i) in order.iter().enumerate() {
            rank_of[i] = r as u64;
        }
        // feature value i (ordered bits of small positive floats keep their order)
        let keys: Vec<u64> = (0..6)
            .map(|i| (u64::from((i as f32).to_bits() | 0x8000_0000) << 32) | rank_of[i])
            .collect();
        let y_by_rank: Vec<f64> = order.iter().map(|&i| target[i]).collect();
        let node = NodeView {
            keys: &keys,
            y_by_rank: &y_by_rank,
            w_by_rank: &[1; 6],
            min_leaf: 1,
        };
        let mut scratch = SweepScratch::default();
        assert_eq!(best_mae(&node, &mut scratch).map(|b| b.pos), Some(2));
        assert_eq!(best_mse(&node).map(|b| b.pos), Some(2));
    }
}
