//! Flat tree storage and batch traversal.
//!
//! Contract: node 0 is the root; an internal node `n` sends a row to `split[n].left` when
//! `row[split[n].feature] <= split[n].threshold` and to `split[n].left + 1` otherwise
//! (children are stored consecutively, after their parent). A leaf points to itself
//! (`left == n`) with threshold `+inf`, so a walk that reached it stays there whatever the row
//! holds (nothing compares greater than `+inf`, NaN included). Two flat arrays: the split
//! fields packed per node (12 bytes, one cache line per step: measured ~1.5x faster than three
//! separate arrays) and `value`. Every node, internal or leaf, stores its value (median for
//! MAE, mean for MSE of its bootstrap rows), which makes depth truncation
//! ([`FlatTree::truncated`]) exact.
//!
//! Batch prediction ([`FlatTree::accumulate`]) walks [`LANES`] rows at a time with unchecked
//! indexing: on trees up to [`REFILL_MIN_DEPTH`] deep in lockstep for exactly `depth` steps
//! with no leaf test ([`Walk::Fixed`]); on deeper trees (unlimited-depth MAE trees on the
//! demo's zero-inflated LAD are combs: mean path 92, deepest 736) each lane takes the next row
//! when it reaches a leaf ([`Walk::Refill`]), so a row pays its own path instead of the tree's
//! deepest. Both give the same leaf, hence bit-identical sums. Unchecked indexing is sound
//! because every mutator keeps the invariant checked by [`FlatTree::is_valid`] (each `left` is
//! the node itself or a later node with a right sibling inside the array; leaves have
//! threshold `+inf`), deserialisation re-checks it, a lane only ever holds the root or a link
//! read from the array, and `accumulate` checks the row width against the largest feature
//! index once per call. Measured on the 1,000,000 x 45 benchmark: 36 ns per row and tree with
//! a leaf test per step and bounds checks, 19 ns with the fixed walk; on the demo's deep
//! trees the refill walk is 2-3.7x faster than the fixed one (docs/performance-forest.md).

use serde::{Deserialize, Serialize};

/// Rows walked in lockstep by [`FlatTree::accumulate`] (16 measured fastest of 8/12/16/24).
pub const LANES: usize = 16;

/// Trees deeper than this are walked with [`Walk::Refill`], others with [`Walk::Fixed`].
pub const REFILL_MIN_DEPTH: u32 = 64;

/// How [`FlatTree::accumulate_with`] walks a tree over a batch of rows (all give the same
/// result, bit for bit; they differ in speed by tree shape: docs/performance-forest.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// [`Walk::Refill`] for trees deeper than [`REFILL_MIN_DEPTH`], else [`Walk::Fixed`].
    Auto,
    /// [`LANES`] rows in lockstep for exactly the tree's depth, no leaf test: pays the
    /// deepest path for every row, the fastest walk when paths are about equally long.
    Fixed,
    /// [`LANES`] rows in lockstep, stopping when every lane is at a leaf (checked every
    /// `every` steps); `stragglers` or fewer lanes still walking finish alone. Kept for
    /// measurements.
    Checked {
        /// Lockstep steps between two checks (at least 1).
        every: u32,
        /// Lanes still walking that finish one by one.
        stragglers: usize,
    },
    /// [`LANES`] independent lanes; a lane that reaches a leaf adds its value and takes the
    /// next row, so each row pays its own path (a leaf test per step).
    Refill,
}

/// Split fields of one node, packed so a traversal step touches one cache line.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SplitNode {
    /// Feature (column) tested (0 for a leaf).
    pub feature: u32,
    /// Rows with `x <= threshold` go left (`+inf` for a leaf).
    pub threshold: f32,
    /// Left child id (right = left + 1); the node's own id for a leaf.
    pub left: u32,
}

impl SplitNode {
    fn leaf(id: u32) -> Self {
        Self {
            feature: 0,
            threshold: f32::INFINITY,
            left: id,
        }
    }
}

/// Serialised form of a [`FlatTree`]: leaf thresholds written as 0 (JSON has no infinity),
/// set back to `+inf` and the links validated on the way in.
#[derive(Serialize, Deserialize)]
struct FlatTreeRepr {
    split: Vec<SplitNode>,
    value: Vec<f64>,
}

/// One regression tree as two flat arrays indexed by node id: the packed split fields used
/// while walking, and the node values read once per row at the leaf.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FlatTreeRepr", into = "FlatTreeRepr")]
pub struct FlatTree {
    split: Vec<SplitNode>,
    pub(crate) value: Vec<f64>,
    /// Length of the longest root-to-leaf path (steps of a full walk).
    depth: u32,
    /// Largest feature index tested by any node.
    max_feature: u32,
}

impl From<FlatTree> for FlatTreeRepr {
    fn from(t: FlatTree) -> Self {
        let mut split = t.split;
        for (n, s) in split.iter_mut().enumerate() {
            if s.left as usize == n {
                s.threshold = 0.0;
            }
        }
        Self {
            split,
            value: t.value,
        }
    }
}

impl TryFrom<FlatTreeRepr> for FlatTree {
    type Error = String;

    fn try_from(r: FlatTreeRepr) -> Result<Self, Self::Error> {
        let mut split = r.split;
        for (n, s) in split.iter_mut().enumerate() {
            if s.left as usize == n {
                *s = SplitNode::leaf(n as u32);
            }
        }
        let mut tree = FlatTree {
            split,
            value: r.value,
            depth: 0,
            max_feature: 0,
        };
        if !tree.is_valid() {
            return Err(format!(
                "invalid tree: {} split nodes, {} values, or a child link that is not a later \
                 node inside the tree",
                tree.split.len(),
                tree.value.len()
            ));
        }
        tree.depth = u32::try_from(tree.walk_depth()).unwrap_or(u32::MAX);
        tree.max_feature = tree.split.iter().map(|s| s.feature).max().unwrap_or(0);
        Ok(tree)
    }
}

impl FlatTree {
    /// Number of nodes (internal + leaves).
    pub fn n_nodes(&self) -> usize {
        self.value.len()
    }

    /// Number of leaves.
    pub fn n_leaves(&self) -> usize {
        self.split
            .iter()
            .enumerate()
            .filter(|(n, s)| s.left as usize == *n)
            .count()
    }

    /// Depth of the tree (a single leaf has depth 0).
    pub fn depth(&self) -> usize {
        self.depth as usize
    }

    /// Whether the structural invariant holds: as many values as nodes, at least one node,
    /// every leaf a self-loop with threshold `+inf`, every internal node's children a later
    /// pair inside the array.
    pub fn is_valid(&self) -> bool {
        let len = self.split.len();
        len > 0
            && len == self.value.len()
            && len <= u32::MAX as usize
            && self.split.iter().enumerate().all(|(n, s)| {
                let left = s.left as usize;
                (left == n && s.threshold == f32::INFINITY) || (left > n && left + 1 < len)
            })
    }

    /// Appends a leaf and returns its id.
    pub(crate) fn push_leaf(&mut self, value: f64) -> usize {
        let id = self.split.len();
        self.split.push(SplitNode::leaf(id as u32));
        self.value.push(value);
        id
    }

    /// Turns leaf `node` (at depth `node_depth`) into a split on `feature` at `threshold`
    /// with two new leaf children (values 0.0, set later through `value`); returns the left
    /// child id.
    pub(crate) fn split_node(
        &mut self,
        node: usize,
        node_depth: usize,
        feature: usize,
        threshold: f32,
    ) -> usize {
        let left = self.push_leaf(0.0);
        self.push_leaf(0.0);
        self.split[node] = SplitNode {
            feature: feature as u32,
            threshold,
            left: left as u32,
        };
        self.depth = self.depth.max((node_depth + 1) as u32);
        self.max_feature = self.max_feature.max(feature as u32);
        left
    }

    /// Prediction for one row (`row.len()` must exceed every split feature index; callers
    /// validate the column count once per matrix).
    #[inline]
    pub fn predict_row(&self, row: &[f32]) -> f64 {
        let mut n = 0usize;
        loop {
            let s = self.split[n];
            if s.left as usize == n {
                return self.value[n];
            }
            let go_right = row[s.feature as usize] > s.threshold;
            n = s.left as usize + usize::from(go_right);
        }
    }

    /// Number of steps `row` takes from the root to its leaf (bounds-checked; for statistics).
    pub fn path_length(&self, row: &[f32]) -> usize {
        let (mut n, mut steps) = (0usize, 0usize);
        loop {
            let s = self.split[n];
            if s.left as usize == n {
                return steps;
            }
            n = s.left as usize + usize::from(row[s.feature as usize] > s.threshold);
            steps += 1;
        }
    }

    /// Adds this tree's prediction for every row of `rows` (row-major, `n_cols` wide) to
    /// `out`, walking [`LANES`] rows at a time so their independent node-to-node load chains
    /// overlap: in lockstep for the tree's depth on trees up to [`REFILL_MIN_DEPTH`] deep, with
    /// lanes that refill at their leaf on deeper ones (unlimited-depth trees whose deepest
    /// path is many times their mean path).
    pub fn accumulate(&self, rows: &[f32], n_cols: usize, out: &mut [f64]) {
        self.accumulate_with(rows, n_cols, out, Walk::Auto);
    }

    /// [`FlatTree::accumulate`] with the walk given (for tests and measurements).
    #[doc(hidden)]
    pub fn accumulate_with(&self, rows: &[f32], n_cols: usize, out: &mut [f64], walk: Walk) {
        let walk = match walk {
            Walk::Auto if self.depth > REFILL_MIN_DEPTH => Walk::Refill,
            Walk::Auto => Walk::Fixed,
            Walk::Checked { every: 0, .. } => Walk::Fixed,
            w => w,
        };
        // the unchecked walks need rows wide enough for every feature index (checked here, once)
        let wide = n_cols > self.max_feature as usize && !self.split.is_empty();
        let n_rows = out.len().min(rows.len() / n_cols.max(1));
        if wide && walk == Walk::Refill && n_rows >= LANES {
            self.walk_refill(&rows[..n_rows * n_cols], n_cols, &mut out[..n_rows]);
            return;
        }
        let lockstep_rows = if wide { n_rows / LANES * LANES } else { 0 };
        let (head_out, tail_out) = out.split_at_mut(lockstep_rows);
        let (head_rows, tail_rows) = rows.split_at(lockstep_rows * n_cols);
        for (block, o) in head_rows
            .chunks_exact(n_cols * LANES)
            .zip(head_out.chunks_exact_mut(LANES))
        {
            let mut node = [0u32; LANES];
            match walk {
                Walk::Checked { every, stragglers } => {
                    self.walk_checked(block, n_cols, &mut node, every, stragglers);
                }
                _ => self.lockstep(block, n_cols, &mut node, self.depth),
            }
            for (acc, &n) in o.iter_mut().zip(&node) {
                *acc += self.value[n as usize];
            }
        }
        for (acc, row) in tail_out
            .iter_mut()
            .zip(tail_rows.chunks_exact(n_cols.max(1)))
        {
            *acc += self.predict_row(row);
        }
    }

    /// [`Walk::Refill`] over all rows of `rows` (`out.len() >= LANES` rows of
    /// `n_cols > max_feature` values, `rows.len() == out.len() * n_cols`).
    fn walk_refill(&self, rows: &[f32], n_cols: usize, out: &mut [f64]) {
        let n_rows = out.len();
        debug_assert!(n_rows >= LANES && rows.len() == n_rows * n_cols);
        debug_assert!(n_cols > self.max_feature as usize);
        let mut row: [usize; LANES] = std::array::from_fn(|k| k);
        let mut node = [0u32; LANES];
        let mut next = LANES;
        loop {
            for k in 0..LANES {
                // SAFETY: `node[k]` is a node of this tree (it starts at the root and becomes
                // `s.left` or `s.left + 1` of the node it indexes: a later pair inside `split`
                // by the invariant of `is_valid`; a leaf is replaced by the root); `row[k] <
                // n_rows` (rows are handed out below `n_rows`) and `s.feature <= max_feature <
                // n_cols` (checked by `accumulate_with`), so the row value is inside `rows`.
                let s = unsafe { *self.split.get_unchecked(node[k] as usize) };
                if s.left == node[k] {
                    out[row[k]] += self.value[node[k] as usize];
                    if next == n_rows {
                        self.finish_refill(rows, n_cols, out, &row, &node, k);
                        return;
                    }
                    row[k] = next;
                    next += 1;
                    node[k] = 0;
                } else {
                    let x = unsafe { *rows.get_unchecked(row[k] * n_cols + s.feature as usize) };
                    node[k] = s.left + u32::from(x > s.threshold);
                }
            }
        }
    }

    /// The end of [`FlatTree::walk_refill`]: every lane but `done` finishes its row alone.
    fn finish_refill(
        &self,
        rows: &[f32],
        n_cols: usize,
        out: &mut [f64],
        row: &[usize; LANES],
        node: &[u32; LANES],
        done: usize,
    ) {
        for k in (0..LANES).filter(|&k| k != done) {
            let r = row[k];
            let leaf = self.finish_lane(&rows[r * n_cols..(r + 1) * n_cols], node[k]);
            out[r] += self.value[leaf as usize];
        }
    }

    /// Moves every lane of `block` (`LANES` rows of `n_cols > max_feature` values) `steps`
    /// steps down the tree in lockstep. Every `node` entry must be a node of this tree.
    #[inline(always)]
    fn lockstep(&self, block: &[f32], n_cols: usize, node: &mut [u32; LANES], steps: u32) {
        debug_assert!(block.len() >= LANES * n_cols && n_cols > self.max_feature as usize);
        for _ in 0..steps {
            for (k, nk) in node.iter_mut().enumerate() {
                // SAFETY: `*nk` is a node of this tree (callers start at the root, 0, and only
                // ever store what this loop or `finish_lane` produce) and becomes `s.left` or
                // `s.left + 1` of the node it indexes; by the invariant (`is_valid`, kept by
                // `push_leaf`/`split_node`, checked on deserialisation) that is the node
                // itself (a leaf, whose threshold `+inf` no value exceeds) or a pair of later
                // nodes inside `split`. `block` holds `LANES * n_cols` values, `k < LANES` and
                // `s.feature <= max_feature < n_cols` (checked by `accumulate_with`, the only
                // caller), so `k * n_cols + s.feature` is in bounds.
                let s = unsafe { *self.split.get_unchecked(*nk as usize) };
                let x = unsafe { *block.get_unchecked(k * n_cols + s.feature as usize) };
                *nk = s.left + u32::from(x > s.threshold);
            }
        }
    }

    /// Lockstep walk that stops when every lane is at a leaf (checked every `check_every`
    /// steps, never past `depth` steps); once `stragglers` or fewer lanes are still walking,
    /// they finish alone (a plain walk with a leaf test per step).
    #[inline(always)]
    fn walk_checked(
        &self,
        block: &[f32],
        n_cols: usize,
        node: &mut [u32; LANES],
        check_every: u32,
        stragglers: usize,
    ) {
        let mut done = 0u32;
        while done < self.depth {
            let steps = check_every.min(self.depth - done);
            self.lockstep(block, n_cols, node, steps);
            done += steps;
            // SAFETY: every `node` entry is a node of this tree (see `lockstep`).
            let walking = node
                .iter()
                .filter(|&&n| unsafe { self.split.get_unchecked(n as usize) }.left != n)
                .count();
            if walking == 0 {
                return;
            }
            if walking <= stragglers {
                for (k, nk) in node.iter_mut().enumerate() {
                    *nk = self.finish_lane(&block[k * n_cols..(k + 1) * n_cols], *nk);
                }
                return;
            }
        }
    }

    /// The leaf reached from node `n` by `row` (`row.len() > max_feature`, `n` a node of
    /// this tree).
    #[inline(always)]
    fn finish_lane(&self, row: &[f32], mut n: u32) -> u32 {
        debug_assert!(row.len() > self.max_feature as usize);
        loop {
            // SAFETY: `n` is a node of this tree and stays one (the invariant of `lockstep`);
            // `s.feature <= max_feature < row.len()` (checked by `accumulate_with`).
            let s = unsafe { *self.split.get_unchecked(n as usize) };
            if s.left == n {
                return n;
            }
            let x = unsafe { *row.get_unchecked(s.feature as usize) };
            n = s.left + u32::from(x > s.threshold);
        }
    }

    /// Longest root-to-leaf path, by walking the structure.
    fn walk_depth(&self) -> usize {
        let mut best = 0;
        let mut stack = vec![(0usize, 0usize)];
        while let Some((n, d)) = stack.pop() {
            best = best.max(d);
            let l = self.split[n].left as usize;
            if l != n {
                stack.push((l, d + 1));
                stack.push((l + 1, d + 1));
            }
        }
        best
    }

    /// The same tree with every node at depth `max_depth` turned into a leaf (its stored value
    /// kept). Equal to growing with `max_depth` when node randomness is path-seeded.
    pub fn truncated(&self, max_depth: usize) -> FlatTree {
        self.pruned(max_depth, |_| true)
    }

    /// The same tree with every node at depth `max_depth`, and every node for which
    /// `may_split(node id)` is false, turned into a leaf (its stored value kept).
    pub(crate) fn pruned(&self, max_depth: usize, may_split: impl Fn(usize) -> bool) -> FlatTree {
        let mut out = FlatTree::default();
        out.push_leaf(self.value[0]);
        // (source node, destination node, depth)
        let mut stack = vec![(0usize, 0usize, 0usize)];
        while let Some((src, dst, d)) = stack.pop() {
            let s = self.split[src];
            let l = s.left as usize;
            if l == src || d >= max_depth || !may_split(src) {
                continue;
            }
            let new_left = out.split_node(dst, d, s.feature as usize, s.threshold);
            out.value[new_left] = self.value[l];
            out.value[new_left + 1] = self.value[l + 1];
            stack.push((l + 1, new_left + 1, d + 1));
            stack.push((l, new_left, d + 1));
        }
        out
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    fn stump() -> FlatTree {
        // root splits on feature 1 at 0.5; left child splits on feature 0 at 2.0
        let mut t = FlatTree::default();
        t.push_leaf(5.0);
        let l = t.split_node(0, 0, 1, 0.5);
        t.value[l] = 1.5;
        t.value[l + 1] = 9.0;
        let ll = t.split_node(l, 1, 0, 2.0);
        t.value[ll] = 1.0;
        t.value[ll + 1] = 2.0;
        t
    }

    #[test]
    fn rows_at_the_threshold_go_left() {
        let t = stump();
        assert!(t.is_valid());
        assert_eq!(t.predict_row(&[0.0, 0.5]), 1.0);
        assert_eq!(t.predict_row(&[3.0, 0.4]), 2.0);
        assert_eq!(t.predict_row(&[0.0, 0.6]), 9.0);
    }

    #[test]
    fn lockstep_accumulation_equals_row_by_row_prediction() {
        let t = stump();
        for n_rows in [0, 1, LANES - 1, LANES, 3 * LANES + 5] {
            let rows: Vec<f32> = (0..n_rows * 2)
                .map(|i| ((i * 37) % 11) as f32 / 4.0)
                .collect();
            let mut out = vec![1.0; n_rows];
            t.accumulate(&rows, 2, &mut out);
            for (r, o) in out.iter().enumerate() {
                assert_eq!(*o, 1.0 + t.predict_row(&rows[r * 2..r * 2 + 2]));
            }
        }
    }

    /// A tree grown by splitting random leaves (`chain` > 0: also a comb of that many nodes
    /// hanging off the right), on `n_cols` features with thresholds in [0, 1).
    fn random_tree(n_splits: usize, chain: usize, n_cols: usize, seed: u64) -> FlatTree {
        let mut state = seed | 1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut t = FlatTree::default();
        t.push_leaf(0.5);
        let mut leaves = vec![(0usize, 0usize)];
        let grow = |t: &mut FlatTree, leaves: &mut Vec<(usize, usize)>, i: usize, r: u64| {
            let (node, d) = leaves.swap_remove(i);
            let f = (r % n_cols as u64) as usize;
            let thr = ((r >> 20) % 1000) as f32 / 1000.0;
            let l = t.split_node(node, d, f, thr);
            t.value[l] = (r >> 32) as f64 / 7.0e8;
            t.value[l + 1] = (r >> 40) as f64 / 3.0e5;
            leaves.push((l, d + 1));
            leaves.push((l + 1, d + 1));
        };
        for _ in 0..n_splits {
            let r = next();
            let i = (r % leaves.len() as u64) as usize;
            grow(&mut t, &mut leaves, i, r);
        }
        for _ in 0..chain {
            // always split the most recent right child: a comb as deep as `chain`
            let i = leaves.len() - 1;
            let r = next();
            grow(&mut t, &mut leaves, i, r);
        }
        assert!(t.is_valid());
        t
    }

    #[test]
    fn every_walk_equals_row_by_row_prediction_on_deep_shallow_and_comb_trees() {
        let n_cols = 7;
        let n_rows = 40 * LANES + 3;
        let rows: Vec<f32> = (0..n_rows * n_cols)
            .map(|i| ((i as u64 * 2_654_435_761) % 1009) as f32 / 1009.0)
            .collect();
        // shallow (fixed walk), bushy, deep random, a comb of 300 (deeper than any u8) and a
        // single leaf
        let trees = [
            random_tree(6, 0, n_cols, 1),
            random_tree(3000, 0, n_cols, 2),
            random_tree(200, 60, n_cols, 3),
            random_tree(50, 300, n_cols, 4),
            random_tree(0, 0, n_cols, 5),
        ];
        assert!(trees[3].depth() > 300);
        for t in &trees {
            let expected: Vec<f64> = rows
                .chunks_exact(n_cols)
                .map(|r| 0.25 + t.predict_row(r))
                .collect();
            let walks = [
                Walk::Fixed,
                Walk::Refill,
                Walk::Checked {
                    every: 4,
                    stragglers: 2,
                },
                Walk::Checked {
                    every: 1,
                    stragglers: 0,
                },
                Walk::Checked {
                    every: 3,
                    stragglers: LANES,
                },
            ];
            for walk in walks {
                for n in [0, 1, LANES - 1, LANES, LANES + 1, n_rows] {
                    let mut out = vec![0.25; n];
                    t.accumulate_with(&rows[..n * n_cols], n_cols, &mut out, walk);
                    assert_eq!(out, expected[..n], "{walk:?} on {n} rows");
                }
            }
            let mut out = vec![0.25; n_rows];
            t.accumulate(&rows, n_cols, &mut out);
            assert_eq!(out, expected);
        }
    }

    #[test]
    fn too_narrow_rows_fall_back_to_the_checked_walk() {
        // a tree testing feature 1 given 1-column rows: the lockstep path must not run
        let t = stump();
        let rows = vec![0.0f32; LANES];
        let mut out = vec![0.0; LANES];
        let caught = std::panic::catch_unwind(move || t.accumulate(&rows, 1, &mut out));
        assert!(
            caught.is_err(),
            "checked indexing panics instead of reading out of bounds"
        );
    }

    #[test]
    fn leaves_hold_any_row_including_nan() {
        let t = stump();
        let rows = vec![f32::NAN; 2 * LANES];
        let mut out = vec![0.0; LANES];
        t.accumulate(&rows, 2, &mut out);
        assert!(
            out.iter().all(|&v| v == 1.0),
            "NaN compares false: left, left"
        );
    }

    #[test]
    fn deserialisation_rejects_broken_links() {
        let t = stump();
        let json = serde_json::to_string(&t).unwrap();
        let back: FlatTree = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t);
        assert_eq!(back.depth(), 2);
        // a leaf pointing past the end, a backward link, a missing value
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        v["split"][2]["left"] = 99.into();
        assert!(serde_json::from_value::<FlatTree>(v).is_err());
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        v["split"][1]["left"] = 0.into();
        assert!(serde_json::from_value::<FlatTree>(v).is_err());
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        v["value"].as_array_mut().unwrap().pop();
        assert!(serde_json::from_value::<FlatTree>(v).is_err());
    }

    #[test]
    fn truncation_turns_deep_nodes_into_leaves_with_their_values() {
        let t = stump();
        assert_eq!(t.depth(), 2);
        let t1 = t.truncated(1);
        assert_eq!(t1.depth(), 1);
        assert!(t1.is_valid());
        assert_eq!(t1.predict_row(&[0.0, 0.0]), 1.5);
        assert_eq!(t.truncated(0).n_nodes(), 1);
        assert_eq!(t.truncated(5), t);
    }
}
