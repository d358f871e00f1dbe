//! Depression filling by priority-flood with an epsilon gradient (Barnes, Lehman & Mulla
//! 2014, "Priority-Flood+ε", improved variant with a plain FIFO queue for cells raised to the
//! spill level), plus the slope-tracing shortcut of Zhou, Sun & Fu (2016) that finalises
//! cells above an already-final neighbour without touching the heap. The trace runs
//! breadth-first, and a traced cell enters the heap only if, after its trace wave, it still
//! has an open neighbour not above it.
//!
//! # Contract
//! - Seeds (never raised): valid cells on the grid border and valid cells with a nodata
//!   (NaN) 8-neighbour; water leaves the DEM through them.
//! - Every other valid cell ends **strictly higher** than at least one 8-neighbour: cells in
//!   depressions and on flats are raised to the spill level plus one `f32` ULP per step away
//!   from the outlet (`f32::next_up`). Flats therefore drain for D8, and the output is
//!   `≥` the input everywhere. Raised amounts are tiny (about 6·10⁻⁵ m per step at 1000 m).
//! - NaN cells stay NaN. Filling an already filled DEM changes nothing.
//! - The priority queue (elevation buckets, each a binary heap when reached) is keyed on
//!   `(elevation, index)`, so ties resolve by row-major index and the
//!   result is deterministic.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::terrain::{DemView, TerrainError};

/// Fills depressions of `dem` and returns the filled elevations (see the module docs).
///
/// Errors: invalid shape or cell size, or an all-nodata DEM.
pub fn fill_depressions(dem: &DemView) -> Result<Vec<f32>, TerrainError> {
    dem.validate()?;
    let mut z = dem.data.to_vec();
    fill_in_place(&mut z, dem.rows, dem.cols, &AtomicBool::new(false), &|_| {})?;
    Ok(z)
}

/// A bit per cell: set once a cell's filled elevation is final.
struct Closed(Vec<u64>);

impl Closed {
    fn new(n: usize) -> Self {
        Self(vec![0; n.div_ceil(64)])
    }
    /// Sets the bit and returns whether it was clear before.
    #[inline]
    fn close(&mut self, i: usize) -> bool {
        let (w, b) = (i / 64, 1_u64 << (i % 64));
        match self.0.get_mut(w) {
            Some(word) if *word & b == 0 => {
                *word |= b;
                true
            }
            _ => false,
        }
    }
}

/// An order-preserving map of a non-NaN `f32` to `u32`, packed above the cell index.
#[inline]
fn heap_key(z: f32, i: usize) -> Reverse<u64> {
    let bits = z.to_bits();
    let ord = if bits & 0x8000_0000 != 0 {
        !bits
    } else {
        bits | 0x8000_0000
    };
    Reverse((u64::from(ord) << 32) | i as u64)
}

/// A monotone priority queue on `(elevation, index)`: elevation buckets of equal width
/// (about 4096 cells each), the current bucket kept as a binary heap of full keys, later
/// ones as plain vectors of cell indices (4 bytes a cell; the key is rebuilt from the grid
/// when the bucket becomes current). Pops are in exact key order as long as no key below the
/// last popped bucket is pushed (priority-flood only pushes at or above the current level;
/// anything lower joins the current heap). A cell's elevation must not change while queued.
struct BucketQueue {
    z_min: f32,
    inv_width: f32,
    buckets: Vec<Vec<u32>>,
    current: usize,
    heap: BinaryHeap<Reverse<u64>>,
}

impl BucketQueue {
    fn new(z_min: f32, z_max: f32, valid_cells: usize) -> Self {
        let n = (valid_cells / 4096).clamp(1, 1 << 16);
        let range = (z_max - z_min).max(f32::MIN_POSITIVE);
        let inv_width = n as f32 / range;
        let inv_width = if inv_width.is_finite() {
            inv_width
        } else {
            0.0
        };
        Self {
            z_min,
            inv_width,
            buckets: vec![Vec::new(); n],
            current: 0,
            heap: BinaryHeap::new(),
        }
    }

    /// Queues cell `i` (< 2³², as every validated grid) at elevation `z`.
    #[inline]
    fn push(&mut self, z: f32, i: usize) {
        let b = ((z - self.z_min) * self.inv_width) as usize; // saturating; NaN → 0
        let b = b.min(self.buckets.len() - 1);
        if b <= self.current {
            self.heap.push(heap_key(z, i));
        } else {
            self.buckets[b].push(i as u32);
        }
    }

    /// The queued cell with the lowest `(elevation, index)`; `z` is the grid.
    #[inline]
    fn pop(&mut self, z: &[f32]) -> Option<usize> {
        loop {
            if let Some(Reverse(k)) = self.heap.pop() {
                return Some((k & 0xFFFF_FFFF) as usize);
            }
            self.current += 1;
            let next = std::mem::take(self.buckets.get_mut(self.current)?);
            let mut keys = std::mem::take(&mut self.heap).into_vec();
            keys.clear();
            keys.extend(next.iter().map(|&i| {
                let i = i as usize;
                heap_key(z.get(i).copied().unwrap_or(f32::NAN), i)
            }));
            self.heap = BinaryHeap::from(keys);
        }
    }
}

/// Calls `f` with the index of each in-grid 8-neighbour of cell `i`.
#[inline]
pub(crate) fn for_each_neighbour(i: usize, rows: usize, cols: usize, mut f: impl FnMut(usize)) {
    // Grids hold at most u32::MAX cells (checked by `validate_grid`); a 32-bit division is
    // several times cheaper than a 64-bit one.
    let (r, c) = match (u32::try_from(i), u32::try_from(cols)) {
        (Ok(i32), Ok(cols32)) if cols32 > 0 => ((i32 / cols32) as usize, (i32 % cols32) as usize),
        _ => (i / cols, i % cols),
    };
    let r0 = r.saturating_sub(1);
    let r1 = (r + 1).min(rows - 1);
    let c0 = c.saturating_sub(1);
    let c1 = (c + 1).min(cols - 1);
    for rr in r0..=r1 {
        for cc in c0..=c1 {
            let j = rr * cols + cc;
            if j != i {
                f(j);
            }
        }
    }
}

/// Fills `z` in place (a validated `rows × cols` grid). `progress` gets the fraction of
/// valid cells finalised so far; `cancel` is polled every 2²⁰ heap pops.
pub(crate) fn fill_in_place(
    z: &mut [f32],
    rows: usize,
    cols: usize,
    cancel: &AtomicBool,
    progress: &dyn Fn(f64),
) -> Result<(), TerrainError> {
    let n = z.len();
    let mut closed = Closed::new(n);
    let valid_cells = z.iter().filter(|v| !v.is_nan()).count().max(1);
    let mut queue = seeded_queue(z, rows, cols, &mut closed, valid_cells);

    let mut pit: VecDeque<usize> = VecDeque::new();
    let mut trace: VecDeque<usize> = VecDeque::new();
    // Traced cells that had an open lower neighbour when traced; most of those neighbours
    // are closed by the same trace wave, so each is re-checked before it may enter the heap.
    let mut pending: Vec<usize> = Vec::new();
    let mut pops: usize = 0;
    loop {
        let c = if let Some(p) = pit.pop_front() {
            p
        } else if !pending.is_empty() {
            flush_pending(&mut pending, z, rows, cols, &closed, &mut queue);
            continue;
        } else if let Some(k) = queue.pop(z) {
            pops += 1;
            if pops.trailing_zeros() >= 20 {
                if cancel.load(Ordering::Relaxed) {
                    return Err(TerrainError::Cancelled { stage: "fill" });
                }
                progress((pops as f64 / valid_cells as f64).min(1.0));
            }
            k
        } else {
            break;
        };
        let zc = z[c];
        for_each_neighbour(c, rows, cols, |j| {
            if !closed.close(j) {
                return;
            }
            if z[j] <= zc {
                // In a depression or on a flat: raise just above the spill level.
                z[j] = zc.next_up();
                pit.push_back(j);
            } else {
                trace.push_back(j);
            }
        });
        trace_upslope(z, rows, cols, &mut closed, &mut trace, &mut pending);
        if pending.len() >= PENDING_LIMIT {
            flush_pending(&mut pending, z, rows, cols, &closed, &mut queue);
        }
    }
    progress(1.0);
    Ok(())
}

/// The queue holding the seeds: border cells and cells next to nodata (all closed).
/// Nodata cells are closed for good.
fn seeded_queue(
    z: &[f32],
    rows: usize,
    cols: usize,
    closed: &mut Closed,
    valid_cells: usize,
) -> BucketQueue {
    let (z_min, z_max) = z
        .iter()
        .filter(|v| !v.is_nan())
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let mut queue = BucketQueue::new(z_min, z_max, valid_cells);

    // Seeds: border cells and cells next to nodata. Nodata cells are closed for good.
    let mut seeds = Vec::new();
    for i in 0..z.len() {
        if z[i].is_nan() {
            closed.close(i);
            continue;
        }
        let (r, c) = (i / cols, i % cols);
        let mut seed = r == 0 || c == 0 || r + 1 == rows || c + 1 == cols;
        if !seed {
            for_each_neighbour(i, rows, cols, |j| seed |= z[j].is_nan());
        }
        if seed {
            seeds.push(i);
        }
    }
    for &i in &seeds {
        closed.close(i);
        queue.push(z[i], i);
    }
    queue
}

/// Cells above a final neighbour are final at their own elevation: trace upslope from
/// `trace`, closing them; those with an open lower neighbour go to `pending`.
fn trace_upslope(
    z: &[f32],
    rows: usize,
    cols: usize,
    closed: &mut Closed,
    trace: &mut VecDeque<usize>,
    pending: &mut Vec<usize>,
) {
    while let Some(t) = trace.pop_front() {
        let zt = z[t];
        let mut has_lower_open = false;
        for_each_neighbour(t, rows, cols, |j| {
            if z[j] > zt {
                if closed.close(j) {
                    trace.push_back(j);
                }
            } else if !closed_contains(closed, j) {
                has_lower_open = true;
            }
        });
        if has_lower_open {
            pending.push(t);
        }
    }
}

/// Pending traced cells kept before a forced flush (bounds the extra memory).
const PENDING_LIMIT: usize = 1 << 16;

/// Queues each pending traced cell that still has an open neighbour not above it (which it
/// may have to raise when the flood reaches its level), and empties `pending`.
fn flush_pending(
    pending: &mut Vec<usize>,
    z: &[f32],
    rows: usize,
    cols: usize,
    closed: &Closed,
    queue: &mut BucketQueue,
) {
    for t in pending.drain(..) {
        let zt = z[t];
        let mut has_lower_open = false;
        for_each_neighbour(t, rows, cols, |j| {
            has_lower_open |= z[j] <= zt && !closed_contains(closed, j);
        });
        if has_lower_open {
            queue.push(zt, t);
        }
    }
}

#[inline]
fn closed_contains(closed: &Closed, i: usize) -> bool {
    closed
        .0
        .get(i / 64)
        .is_none_or(|w| w & (1_u64 << (i % 64)) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(z: &[f32], rows: usize, cols: usize) -> Vec<f32> {
        fill_depressions(&DemView::new(z, rows, cols, 1.0, 1.0)).unwrap_or_default()
    }

    #[test]
    fn a_single_pit_is_raised_just_above_its_lowest_rim_cell() {
        #[rustfmt::skip]
        let z = [
            5.0, 5.0, 5.0, 5.0,
            5.0, 1.0, 4.0, 5.0,
            5.0, 4.0, 4.0, 3.0,
            5.0, 5.0, 5.0, 5.0,
        ];
        let f = filled(&z, 4, 4);
        // The pit (1) and its lower neighbours drain over the outlet cell at 3.
        assert_eq!(f[11], 3.0);
        assert_eq!(f[10], 4.0); // 4 > 3: already drains, not raised
        assert!(f[5] > 4.0 && f[5] < 4.001, "{}", f[5]);
        assert!(f.iter().zip(&z).all(|(a, b)| a >= b));
    }

    #[test]
    fn a_flat_gets_a_gradient_towards_its_outlet() {
        // A flat interior at 2 m walled at 9 m, with one outlet at 1 m on the west border.
        let mut z = [9.0_f32; 25];
        for r in 1..4 {
            for c in 1..4 {
                z[r * 5 + c] = 2.0;
            }
        }
        z[10] = 1.0;
        let f = filled(&z, 5, 5);
        // Row 2 rises eastwards away from the outlet, one ULP per step.
        assert_eq!(f[11], 2.0);
        assert!(f[12] > f[11] && f[13] > f[12] && f[13] < 2.001);
    }

    #[test]
    fn nan_cells_stay_nan_and_their_neighbours_are_outlets() {
        let mut z = [3.0_f32; 25];
        z[12] = f32::NAN;
        let f = filled(&z, 5, 5);
        assert!(f[12].is_nan());
        assert_eq!(f[6], 3.0);
    }

    #[test]
    fn one_by_one_and_all_nan_grids_do_not_panic() {
        assert_eq!(filled(&[4.0], 1, 1), vec![4.0]);
        assert!(matches!(
            fill_depressions(&DemView::new(&[f32::NAN; 4], 2, 2, 1.0, 1.0)),
            Err(TerrainError::AllNoData { cells: 4 })
        ));
    }
}
