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
//! Batch prediction ([`FlatTree::accumulate`]) walks [`LANES`] rows in lockstep for exactly
//! `depth` steps with no leaf test, using unchecked indexing. That is sound because every
//! mutator keeps the invariant checked by [`FlatTree::is_valid`] (each `left` is the node
//! itself or a later node with a right sibling inside the array; leaves have threshold
//! `+inf`), deserialisation re-checks it, and `accumulate` checks the row width against the
//! largest feature index once per call. Measured on the 1,000,000 x 45 benchmark: 36 ns per
//! row and tree with a leaf test per step and bounds checks, 19 ns like this
//! (docs/performance-forest.md).

use serde::{Deserialize, Serialize};

/// Rows walked in lockstep by [`FlatTree::accumulate`] (16 measured fastest of 8/12/16/24).
pub const LANES: usize = 16;

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

    /// Adds this tree's prediction for every row of `rows` (row-major, `n_cols` wide) to
    /// `out`. Walks [`LANES`] rows in lockstep for `depth` steps so their independent
    /// node-to-node load chains overlap; a lane that reached a leaf loops on it.
    pub fn accumulate(&self, rows: &[f32], n_cols: usize, out: &mut [f64]) {
        // the lockstep walk needs rows wide enough for every feature index (checked here, once)
        let lockstep_rows = if n_cols > self.max_feature as usize && !self.split.is_empty() {
            out.len().min(rows.len() / n_cols) / LANES * LANES
        } else {
            0
        };
        let (head_out, tail_out) = out.split_at_mut(lockstep_rows);
        let (head_rows, tail_rows) = rows.split_at(lockstep_rows * n_cols);
        for (block, o) in head_rows
            .chunks_exact(n_cols * LANES)
            .zip(head_out.chunks_exact_mut(LANES))
        {
            let mut node = [0u32; LANES];
            for _ in 0..self.depth {
                for (k, nk) in node.iter_mut().enumerate() {
                    // SAFETY: `*nk` starts at 0 and only ever becomes `s.left` or
                    // `s.left + 1` of the node it indexes; by the invariant (`is_valid`, kept
                    // by `push_leaf`/`split_node`, checked on deserialisation) that is the node
                    // itself (a leaf, whose threshold `+inf` no value exceeds) or a pair of
                    // later nodes inside `split`. `block` holds `LANES * n_cols` values,
                    // `k < LANES` and `s.feature <= max_feature < n_cols` (checked above), so
                    // `k * n_cols + s.feature` is in bounds.
                    let s = unsafe { *self.split.get_unchecked(*nk as usize) };
                    let x = unsafe { *block.get_unchecked(k * n_cols + s.feature as usize) };
                    *nk = s.left + u32::from(x > s.threshold);
                }
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
