//! Scratch harness: prediction-walk variants for the forest engine (docs/performance-forest.md,
//! "Prediction, 2026-12-02"). Not part of SlideMap: a stand-alone crate, built and run by hand.
//!
//! 100 trees grown with random splits on 4,000 x 45 uniform rows (bootstrap, split until one
//! row; about the shape of the bench's unlimited-depth MSE trees: ~5,000 nodes and max depth
//! ~26 per tree), predicting 1,000,000 x 45 rows in chunks of 1,024 as the engine does. Every
//! variant must print the same checksum as `a` (exact), except `*n` variants that skip the
//! value accumulation to time the walk alone.
//!
//! x86-64 only (variant `g` is inline assembly). Run: `cargo run --release -- a,c,e4n,e4,i8 1` (comma-separated variants, thread count);
//! prints the best of 5 rounds per variant, interleaved so that machine noise hits all alike.
//!
//! - `a`: the engine's walk (`src/forest/flat.rs`): 16 row-major rows in lockstep for the
//!   tree's depth, 12-byte nodes, self-loop leaves;
//! - `b16`: 16-row blocks transposed to column-major, 16-byte nodes with byte offsets and an
//!   explicit right link (select instead of add);
//! - `c`: transposed blocks, the engine's nodes with the feature pre-multiplied by 16;
//! - `d8`/`d12`/`d15`: `c`, but after 8/12/15 steps only as many more steps as the deepest
//!   remaining subtree of the 16 lanes needs (per-node height table);
//! - `e<G>`: G trees chained (a leaf links to the next tree's root, the last to a terminal
//!   self-loop), so no lane idles at a leaf until the group ends; leaf values added from a
//!   per-node f64 contribution array every step; `e<G>n` without that addition;
//! - `f8`: `e8` on transposed blocks;
//! - `g`: `b16` as inline x86-64 assembly, 7 instructions per lane and step, lane state in
//!   memory;
//! - `h<G>f`/`h<G>d`: chained, the contribution as f32 inside a 16-byte node, summed in
//!   f32 / f64 (the f32 variants change the checksum in the last digits);
//! - `i<G>`: chained, each step stores the node id into a per-lane slot of its tree (the slot
//!   ends holding the leaf), values summed once at the group's end.

use rayon::prelude::*;
use std::time::Instant;

#[derive(Clone, Copy)]
pub struct SplitNode {
    pub feature: u32,
    pub threshold: f32,
    pub left: u32,
}
#[derive(Clone, Copy)]
#[repr(C, align(16))]
pub struct NodeB {
    pub foff: u32,
    pub thr: f32,
    pub left: u32,
    pub right: u32,
}

struct Tree {
    split: Vec<SplitNode>,
    value: Vec<f64>,
    depth: u32,
    nb: Vec<NodeB>,
    sc: Vec<SplitNode>,
    height: Vec<u8>,
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn grow(x: &[f32], nc: usize, rows: Vec<usize>, rng: &mut Rng) -> Tree {
    let mut split = vec![SplitNode {
        feature: 0,
        threshold: f32::INFINITY,
        left: 0,
    }];
    let mut value = vec![0.0];
    let mut depth = 0;
    let mut stack = vec![(0usize, rows, 0u32)];
    while let Some((n, r, d)) = stack.pop() {
        depth = depth.max(d);
        value[n] = rng.next();
        if r.len() < 2 {
            split[n].left = n as u32;
            continue;
        }
        // random feature, threshold between two random rows' values
        let mut tries = 0;
        loop {
            let f = (rng.next() * nc as f64) as usize;
            let mut vals: Vec<f32> = r.iter().map(|&i| x[i * nc + f]).collect();
            vals.sort_by(|a, b| a.partial_cmp(b).unwrap());
            let k = 1 + (rng.next() * (vals.len() - 1) as f64) as usize;
            let t = (vals[k - 1] + vals[k]) / 2.0;
            if vals[k - 1] < vals[k] {
                let l = split.len();
                split.push(SplitNode {
                    feature: 0,
                    threshold: f32::INFINITY,
                    left: l as u32,
                });
                split.push(SplitNode {
                    feature: 0,
                    threshold: f32::INFINITY,
                    left: (l + 1) as u32,
                });
                value.push(0.0);
                value.push(0.0);
                split[n] = SplitNode {
                    feature: f as u32,
                    threshold: t,
                    left: l as u32,
                };
                let (a, b): (Vec<usize>, Vec<usize>) = r.iter().partition(|&&i| x[i * nc + f] <= t);
                stack.push((l, a, d + 1));
                stack.push((l + 1, b, d + 1));
                break;
            }
            tries += 1;
            if tries > 50 {
                split[n].left = n as u32;
                break;
            }
        }
    }
    let nb = split
        .iter()
        .map(|s| NodeB {
            foff: s.feature * 64,
            thr: s.threshold,
            left: s.left * 16,
            right: if s.threshold.is_infinite() {
                s.left * 16
            } else {
                (s.left + 1) * 16
            },
        })
        .collect();
    let sc = split
        .iter()
        .map(|s| SplitNode {
            feature: s.feature * 16,
            threshold: s.threshold,
            left: s.left,
        })
        .collect();
    let mut height = vec![0u8; split.len()];
    for n in (0..split.len()).rev() {
        let l = split[n].left as usize;
        if l != n {
            height[n] = 1 + height[l].max(height[l + 1]);
        }
    }
    Tree {
        split,
        value,
        depth,
        nb,
        sc,
        height,
    }
}

const LANES: usize = 16;
fn acc_a(t: &Tree, rows: &[f32], n_cols: usize, out: &mut [f64]) {
    for (block, o) in rows
        .chunks_exact(n_cols * LANES)
        .zip(out.chunks_exact_mut(LANES))
    {
        let mut node = [0u32; LANES];
        for _ in 0..t.depth {
            for (k, nk) in node.iter_mut().enumerate() {
                let s = unsafe { *t.split.get_unchecked(*nk as usize) };
                let x = unsafe { *block.get_unchecked(k * n_cols + s.feature as usize) };
                *nk = s.left + u32::from(x > s.threshold);
            }
        }
        for (acc, &n) in o.iter_mut().zip(&node) {
            *acc += t.value[n as usize];
        }
    }
}

/// blocks: column-major per 16-row block: [f][16]
#[inline(never)]
/// `foff` is `feature * 64`: valid for 16-lane blocks only.
fn acc_b<const L: usize>(t: &Tree, tblocks: &[f32], n_cols: usize, out: &mut [f64]) {
    let nodes = t.nb.as_ptr() as *const u8;
    for (block, o) in tblocks
        .chunks_exact(n_cols * L)
        .zip(out.chunks_exact_mut(L))
    {
        let bp = block.as_ptr() as *const u8;
        let mut off = [0u32; L];
        for _ in 0..t.depth {
            for k in 0..L {
                unsafe {
                    let n = nodes.add(off[k] as usize) as *const NodeB;
                    let x = *(bp.add((*n).foff as usize) as *const f32).add(k);
                    let l = (*n).left;
                    let r = (*n).right;
                    off[k] = if x > (*n).thr { r } else { l };
                }
            }
        }
        for k in 0..L {
            o[k] += t.value[(off[k] / 16) as usize];
        }
    }
}

#[inline(never)]
fn acc_c(t: &Tree, tblocks: &[f32], n_cols: usize, out: &mut [f64]) {
    for (block, o) in tblocks
        .chunks_exact(n_cols * 16)
        .zip(out.chunks_exact_mut(16))
    {
        let bp = block.as_ptr();
        let mut node = [0u32; 16];
        for _ in 0..t.depth {
            for k in 0..16 {
                let s = unsafe { *t.sc.get_unchecked(node[k] as usize) };
                let x = unsafe { *bp.add(s.feature as usize + k) };
                node[k] = s.left + u32::from(x > s.threshold);
            }
        }
        for k in 0..16 {
            o[k] += t.value[node[k] as usize];
        }
    }
}
#[inline(never)]
fn acc_d<const D1: u32>(t: &Tree, tblocks: &[f32], n_cols: usize, out: &mut [f64]) {
    let d1 = D1.min(t.depth);
    for (block, o) in tblocks
        .chunks_exact(n_cols * 16)
        .zip(out.chunks_exact_mut(16))
    {
        let bp = block.as_ptr();
        let mut node = [0u32; 16];
        let step = |node: &mut [u32; 16]| {
            for k in 0..16 {
                let s = unsafe { *t.sc.get_unchecked(node[k] as usize) };
                let x = unsafe { *bp.add(s.feature as usize + k) };
                node[k] = s.left + u32::from(x > s.threshold);
            }
        };
        for _ in 0..d1 {
            step(&mut node);
        }
        let h = node
            .iter()
            .map(|&n| unsafe { *t.height.get_unchecked(n as usize) })
            .max()
            .unwrap_or(0);
        for _ in 0..h {
            step(&mut node);
        }
        for k in 0..16 {
            o[k] += t.value[node[k] as usize];
        }
    }
}
struct Group {
    split: Vec<SplitNode>,
    contrib: Vec<f64>,
    term: u32,
    n16: Vec<N16>,
    ni: Vec<NI>,
    ntrees: usize,
}
#[derive(Clone, Copy)]
#[repr(C)]
pub struct NI {
    pub feature: u16,
    pub tix: u16,
    pub thr: f32,
    pub left: u32,
}
#[derive(Clone, Copy)]
#[repr(C, align(16))]
pub struct N16 {
    pub feature: u32,
    pub thr: f32,
    pub left: u32,
    pub c: f32,
}
fn chain(trees: &[Tree], mul: u32) -> Group {
    let mut split = Vec::new();
    let mut contrib = Vec::new();
    let total: usize = trees.iter().map(|t| t.split.len()).sum();
    let term = total as u32;
    let mut base = 0u32;
    for t in trees {
        let next_root = base + t.split.len() as u32; // next tree's root (or term)
        for (n, s) in t.split.iter().enumerate() {
            if s.left as usize == n {
                split.push(SplitNode {
                    feature: 0,
                    threshold: f32::INFINITY,
                    left: next_root,
                });
                contrib.push(t.value[n]);
            } else {
                split.push(SplitNode {
                    feature: s.feature * mul,
                    threshold: s.threshold,
                    left: s.left + base,
                });
                contrib.push(0.0);
            }
        }
        base = next_root;
    }
    split.push(SplitNode {
        feature: 0,
        threshold: f32::INFINITY,
        left: term,
    });
    contrib.push(0.0);
    let n16 = split
        .iter()
        .zip(&contrib)
        .map(|(s, &c)| N16 {
            feature: s.feature,
            thr: s.threshold,
            left: s.left,
            c: c as f32,
        })
        .collect();
    let mut ni = Vec::new();
    for (t, tr) in trees.iter().enumerate() {
        for _ in 0..tr.split.len() {
            ni.push(t as u16);
        }
    }
    ni.push(trees.len() as u16);
    let ni = split
        .iter()
        .zip(&ni)
        .map(|(s, &t)| NI {
            feature: s.feature as u16,
            tix: t,
            thr: s.threshold,
            left: s.left,
        })
        .collect();
    Group {
        split,
        contrib,
        term,
        n16,
        ni,
        ntrees: trees.len(),
    }
}
#[inline(never)]
/// `C`: add the leaf values (else time the walk alone); `T`: `rows` are transposed 16-row
/// blocks (lane offset `k`, features pre-multiplied by 16) instead of row-major rows.
fn acc_e<const S: usize, const C: bool, const T: bool>(
    g: &Group,
    rows: &[f32],
    n_cols: usize,
    out: &mut [f64],
) {
    for (block, o) in rows.chunks_exact(n_cols * 16).zip(out.chunks_exact_mut(16)) {
        let bp = block.as_ptr();
        let mut node = [0u32; 16];
        let mut acc = [0f64; 16];
        loop {
            for _ in 0..S {
                for k in 0..16 {
                    let s = unsafe { *g.split.get_unchecked(node[k] as usize) };
                    if C {
                        acc[k] += unsafe { *g.contrib.get_unchecked(node[k] as usize) };
                    }
                    let lane = if T { k } else { k * n_cols };
                    let x = unsafe { *bp.add(lane + s.feature as usize) };
                    node[k] = s.left + u32::from(x > s.threshold);
                }
            }
            if node.iter().all(|&n| n == g.term) {
                break;
            }
        }
        for k in 0..16 {
            o[k] += acc[k];
        }
    }
}
#[inline(never)]
fn acc_g(t: &Tree, tblocks: &[f32], n_cols: usize, out: &mut [f64]) {
    let nodes = t.nb.as_ptr();
    for (block, o) in tblocks
        .chunks_exact(n_cols * 16)
        .zip(out.chunks_exact_mut(16))
    {
        let bp = block.as_ptr();
        let mut off = [0u32; 16];
        let sp = off.as_mut_ptr();
        for _ in 0..t.depth {
            unsafe {
                std::arch::asm!(
                    "mov {o1:e}, dword ptr [{s} + 0]",
                    "mov {f1:e}, dword ptr [{n} + {o1}]",
                    "vmovss {x1}, dword ptr [{b} + {f1} + 0]",
                    "vucomiss {x1}, dword ptr [{n} + {o1} + 4]",
                    "mov {f1:e}, dword ptr [{n} + {o1} + 8]",
                    "cmova {f1:e}, dword ptr [{n} + {o1} + 12]",
                    "mov dword ptr [{s} + 0], {f1:e}",
                    "mov {o2:e}, dword ptr [{s} + 4]",
                    "mov {f2:e}, dword ptr [{n} + {o2}]",
                    "vmovss {x2}, dword ptr [{b} + {f2} + 4]",
                    "vucomiss {x2}, dword ptr [{n} + {o2} + 4]",
                    "mov {f2:e}, dword ptr [{n} + {o2} + 8]",
                    "cmova {f2:e}, dword ptr [{n} + {o2} + 12]",
                    "mov dword ptr [{s} + 4], {f2:e}",
                    "mov {o1:e}, dword ptr [{s} + 8]",
                    "mov {f1:e}, dword ptr [{n} + {o1}]",
                    "vmovss {x1}, dword ptr [{b} + {f1} + 8]",
                    "vucomiss {x1}, dword ptr [{n} + {o1} + 4]",
                    "mov {f1:e}, dword ptr [{n} + {o1} + 8]",
                    "cmova {f1:e}, dword ptr [{n} + {o1} + 12]",
                    "mov dword ptr [{s} + 8], {f1:e}",
                    "mov {o2:e}, dword ptr [{s} + 12]",
                    "mov {f2:e}, dword ptr [{n} + {o2}]",
                    "vmovss {x2}, dword ptr [{b} + {f2} + 12]",
                    "vucomiss {x2}, dword ptr [{n} + {o2} + 4]",
                    "mov {f2:e}, dword ptr [{n} + {o2} + 8]",
                    "cmova {f2:e}, dword ptr [{n} + {o2} + 12]",
                    "mov dword ptr [{s} + 12], {f2:e}",
                    "mov {o1:e}, dword ptr [{s} + 16]",
                    "mov {f1:e}, dword ptr [{n} + {o1}]",
                    "vmovss {x1}, dword ptr [{b} + {f1} + 16]",
                    "vucomiss {x1}, dword ptr [{n} + {o1} + 4]",
                    "mov {f1:e}, dword ptr [{n} + {o1} + 8]",
                    "cmova {f1:e}, dword ptr [{n} + {o1} + 12]",
                    "mov dword ptr [{s} + 16], {f1:e}",
                    "mov {o2:e}, dword ptr [{s} + 20]",
                    "mov {f2:e}, dword ptr [{n} + {o2}]",
                    "vmovss {x2}, dword ptr [{b} + {f2} + 20]",
                    "vucomiss {x2}, dword ptr [{n} + {o2} + 4]",
                    "mov {f2:e}, dword ptr [{n} + {o2} + 8]",
                    "cmova {f2:e}, dword ptr [{n} + {o2} + 12]",
                    "mov dword ptr [{s} + 20], {f2:e}",
                    "mov {o1:e}, dword ptr [{s} + 24]",
                    "mov {f1:e}, dword ptr [{n} + {o1}]",
                    "vmovss {x1}, dword ptr [{b} + {f1} + 24]",
                    "vucomiss {x1}, dword ptr [{n} + {o1} + 4]",
                    "mov {f1:e}, dword ptr [{n} + {o1} + 8]",
                    "cmova {f1:e}, dword ptr [{n} + {o1} + 12]",
                    "mov dword ptr [{s} + 24], {f1:e}",
                    "mov {o2:e}, dword ptr [{s} + 28]",
                    "mov {f2:e}, dword ptr [{n} + {o2}]",
                    "vmovss {x2}, dword ptr [{b} + {f2} + 28]",
                    "vucomiss {x2}, dword ptr [{n} + {o2} + 4]",
                    "mov {f2:e}, dword ptr [{n} + {o2} + 8]",
                    "cmova {f2:e}, dword ptr [{n} + {o2} + 12]",
                    "mov dword ptr [{s} + 28], {f2:e}",
                    "mov {o1:e}, dword ptr [{s} + 32]",
                    "mov {f1:e}, dword ptr [{n} + {o1}]",
                    "vmovss {x1}, dword ptr [{b} + {f1} + 32]",
                    "vucomiss {x1}, dword ptr [{n} + {o1} + 4]",
                    "mov {f1:e}, dword ptr [{n} + {o1} + 8]",
                    "cmova {f1:e}, dword ptr [{n} + {o1} + 12]",
                    "mov dword ptr [{s} + 32], {f1:e}",
                    "mov {o2:e}, dword ptr [{s} + 36]",
                    "mov {f2:e}, dword ptr [{n} + {o2}]",
                    "vmovss {x2}, dword ptr [{b} + {f2} + 36]",
                    "vucomiss {x2}, dword ptr [{n} + {o2} + 4]",
                    "mov {f2:e}, dword ptr [{n} + {o2} + 8]",
                    "cmova {f2:e}, dword ptr [{n} + {o2} + 12]",
                    "mov dword ptr [{s} + 36], {f2:e}",
                    "mov {o1:e}, dword ptr [{s} + 40]",
                    "mov {f1:e}, dword ptr [{n} + {o1}]",
                    "vmovss {x1}, dword ptr [{b} + {f1} + 40]",
                    "vucomiss {x1}, dword ptr [{n} + {o1} + 4]",
                    "mov {f1:e}, dword ptr [{n} + {o1} + 8]",
                    "cmova {f1:e}, dword ptr [{n} + {o1} + 12]",
                    "mov dword ptr [{s} + 40], {f1:e}",
                    "mov {o2:e}, dword ptr [{s} + 44]",
                    "mov {f2:e}, dword ptr [{n} + {o2}]",
                    "vmovss {x2}, dword ptr [{b} + {f2} + 44]",
                    "vucomiss {x2}, dword ptr [{n} + {o2} + 4]",
                    "mov {f2:e}, dword ptr [{n} + {o2} + 8]",
                    "cmova {f2:e}, dword ptr [{n} + {o2} + 12]",
                    "mov dword ptr [{s} + 44], {f2:e}",
                    "mov {o1:e}, dword ptr [{s} + 48]",
                    "mov {f1:e}, dword ptr [{n} + {o1}]",
                    "vmovss {x1}, dword ptr [{b} + {f1} + 48]",
                    "vucomiss {x1}, dword ptr [{n} + {o1} + 4]",
                    "mov {f1:e}, dword ptr [{n} + {o1} + 8]",
                    "cmova {f1:e}, dword ptr [{n} + {o1} + 12]",
                    "mov dword ptr [{s} + 48], {f1:e}",
                    "mov {o2:e}, dword ptr [{s} + 52]",
                    "mov {f2:e}, dword ptr [{n} + {o2}]",
                    "vmovss {x2}, dword ptr [{b} + {f2} + 52]",
                    "vucomiss {x2}, dword ptr [{n} + {o2} + 4]",
                    "mov {f2:e}, dword ptr [{n} + {o2} + 8]",
                    "cmova {f2:e}, dword ptr [{n} + {o2} + 12]",
                    "mov dword ptr [{s} + 52], {f2:e}",
                    "mov {o1:e}, dword ptr [{s} + 56]",
                    "mov {f1:e}, dword ptr [{n} + {o1}]",
                    "vmovss {x1}, dword ptr [{b} + {f1} + 56]",
                    "vucomiss {x1}, dword ptr [{n} + {o1} + 4]",
                    "mov {f1:e}, dword ptr [{n} + {o1} + 8]",
                    "cmova {f1:e}, dword ptr [{n} + {o1} + 12]",
                    "mov dword ptr [{s} + 56], {f1:e}",
                    "mov {o2:e}, dword ptr [{s} + 60]",
                    "mov {f2:e}, dword ptr [{n} + {o2}]",
                    "vmovss {x2}, dword ptr [{b} + {f2} + 60]",
                    "vucomiss {x2}, dword ptr [{n} + {o2} + 4]",
                    "mov {f2:e}, dword ptr [{n} + {o2} + 8]",
                    "cmova {f2:e}, dword ptr [{n} + {o2} + 12]",
                    "mov dword ptr [{s} + 60], {f2:e}",
                    s = in(reg) sp, n = in(reg) nodes, b = in(reg) bp,
                    o1 = out(reg) _, o2 = out(reg) _, f1 = out(reg) _, f2 = out(reg) _,
                    x1 = out(xmm_reg) _, x2 = out(xmm_reg) _,
                    options(nostack),
                );
            }
        }
        for k in 0..16 {
            o[k] += t.value[(off[k] / 16) as usize];
        }
    }
}
#[inline(never)]
fn acc_h<const S: usize, A: Copy + Default + std::ops::AddAssign + From<f32> + Into<f64>>(
    g: &Group,
    rows: &[f32],
    n_cols: usize,
    out: &mut [f64],
) {
    for (block, o) in rows.chunks_exact(n_cols * 16).zip(out.chunks_exact_mut(16)) {
        let bp = block.as_ptr();
        let mut node = [0u32; 16];
        let mut acc = [A::default(); 16];
        loop {
            for _ in 0..S {
                for k in 0..16 {
                    let s = unsafe { *g.n16.get_unchecked(node[k] as usize) };
                    acc[k] += A::from(s.c);
                    let x = unsafe { *bp.add(k * n_cols + s.feature as usize) };
                    node[k] = s.left + u32::from(x > s.thr);
                }
            }
            if node.iter().all(|&n| n == g.term) {
                break;
            }
        }
        for k in 0..16 {
            o[k] += acc[k].into();
        }
    }
}
#[inline(never)]
fn acc_i<const S: usize, const G: usize>(g: &Group, rows: &[f32], n_cols: usize, out: &mut [f64]) {
    for (block, o) in rows.chunks_exact(n_cols * 16).zip(out.chunks_exact_mut(16)) {
        let bp = block.as_ptr();
        let mut node = [0u32; 16];
        let mut slot = [[0u32; G]; 16]; // extra slot G for the terminal
        loop {
            for _ in 0..S {
                for k in 0..16 {
                    let s = unsafe { *g.ni.get_unchecked(node[k] as usize) };
                    unsafe {
                        *slot.get_unchecked_mut(k).as_mut_ptr().add(s.tix as usize) = node[k];
                    }
                    let x = unsafe { *bp.add(k * n_cols + s.feature as usize) };
                    node[k] = s.left + u32::from(x > s.thr);
                }
            }
            if node.iter().all(|&n| n == g.term) {
                break;
            }
        }
        for k in 0..16 {
            let mut a = 0.0;
            for t in 0..g.ntrees {
                a += g.contrib[slot[k][t] as usize];
            }
            o[k] += a;
        }
    }
}
fn transpose<const L: usize>(rows: &[f32], nc: usize, out: &mut [f32]) {
    for (b, ob) in rows.chunks_exact(nc * L).zip(out.chunks_exact_mut(nc * L)) {
        for k in 0..L {
            for f in 0..nc {
                ob[f * L + k] = b[k * nc + f];
            }
        }
    }
}

fn main() {
    let nc = 45;
    let mut rng = Rng(0x12345);
    let ntrain = 4000;
    let xtr: Vec<f32> = (0..ntrain * nc).map(|_| rng.next() as f32).collect();
    let trees: Vec<Tree> = (0..100)
        .map(|_| {
            let rows: Vec<usize> = (0..ntrain)
                .map(|_| (rng.next() * ntrain as f64) as usize)
                .collect();
            grow(&xtr, nc, rows, &mut rng)
        })
        .collect();
    let nodes: usize = trees.iter().map(|t| t.split.len()).sum();
    let md: f64 = trees.iter().map(|t| t.depth as f64).sum::<f64>() / 100.0;
    println!("nodes {nodes} mean max depth {md:.1}");
    let n = 1_000_000;
    let x: Vec<f32> = (0..n * nc).map(|_| rng.next() as f32).collect();
    let chunk = 1024;
    // chained groups of G trees, row-major (feature x 1) and transposed (feature x 16)
    let groups =
        |g: usize, mul: u32| -> Vec<Group> { trees.chunks(g).map(|c| chain(c, mul)).collect() };
    let row_major: Vec<(usize, Vec<Group>)> = [1, 2, 4, 8, 16, 100]
        .iter()
        .map(|&g| (g, groups(g, 1)))
        .collect();
    let t8 = groups(8, 16);
    let by_size = |g: usize| -> &[Group] {
        match row_major.iter().find(|(s, _)| *s == g) {
            Some((_, v)) => v.as_slice(),
            None => panic!("no group of {g} trees (1, 2, 4, 8, 16, 100)"),
        }
    };
    let variants: Vec<String> = std::env::args()
        .nth(1)
        .unwrap_or("a".into())
        .split(',')
        .map(String::from)
        .collect();
    let threads: usize = std::env::args()
        .nth(2)
        .map(|s| s.parse().unwrap())
        .unwrap_or(2);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let mut best = vec![f64::INFINITY; variants.len()];
    for _rep in 0..5 {
        for (vi, variant) in variants.iter().enumerate() {
            let mut out = vec![0.0f64; n];
            let t0 = Instant::now();
            pool.install(|| {
                out.par_chunks_mut(chunk)
                    .zip(x.par_chunks(chunk * nc))
                    .for_each(|(o, c)| {
                        // transposed 16-row blocks, built once per chunk for the variants using them
                        let tb = || {
                            let mut tb = vec![0f32; c.len()];
                            transpose::<16>(c, nc, &mut tb);
                            tb
                        };
                        let size = |prefix: &str, suffix: &str| {
                            variant
                                .strip_prefix(prefix)?
                                .strip_suffix(suffix)?
                                .parse::<usize>()
                                .ok()
                        };
                        let v = variant.as_str();
                        match v {
                            "a" => trees.iter().for_each(|t| acc_a(t, c, nc, o)),
                            "b16" => {
                                let tb = tb();
                                trees.iter().for_each(|t| acc_b::<16>(t, &tb, nc, o))
                            }
                            "c" => {
                                let tb = tb();
                                trees.iter().for_each(|t| acc_c(t, &tb, nc, o))
                            }
                            "d8" => {
                                let tb = tb();
                                trees.iter().for_each(|t| acc_d::<8>(t, &tb, nc, o))
                            }
                            "d12" => {
                                let tb = tb();
                                trees.iter().for_each(|t| acc_d::<12>(t, &tb, nc, o))
                            }
                            "d15" => {
                                let tb = tb();
                                trees.iter().for_each(|t| acc_d::<15>(t, &tb, nc, o))
                            }
                            "f8" => {
                                let tb = tb();
                                t8.iter()
                                    .for_each(|g| acc_e::<8, true, true>(g, &tb, nc, o))
                            }
                            "g" => {
                                let tb = tb();
                                trees.iter().for_each(|t| acc_g(t, &tb, nc, o))
                            }
                            "i4" => by_size(4).iter().for_each(|g| acc_i::<8, 5>(g, c, nc, o)),
                            "i8" => by_size(8).iter().for_each(|g| acc_i::<8, 9>(g, c, nc, o)),
                            "i16" => by_size(16).iter().for_each(|g| acc_i::<8, 17>(g, c, nc, o)),
                            _ if size("e", "n").is_some() => by_size(size("e", "n").unwrap_or(0))
                                .iter()
                                .for_each(|g| acc_e::<8, false, false>(g, c, nc, o)),
                            _ if size("h", "f").is_some() => by_size(size("h", "f").unwrap_or(0))
                                .iter()
                                .for_each(|g| acc_h::<8, f32>(g, c, nc, o)),
                            _ if size("h", "d").is_some() => by_size(size("h", "d").unwrap_or(0))
                                .iter()
                                .for_each(|g| acc_h::<8, f64>(g, c, nc, o)),
                            _ if size("e", "").is_some() => by_size(size("e", "").unwrap_or(0))
                                .iter()
                                .for_each(|g| acc_e::<8, true, false>(g, c, nc, o)),
                            _ => panic!("unknown variant {v} (group sizes 1, 2, 4, 8, 16, 100)"),
                        }
                    })
            });
            let el = t0.elapsed().as_secs_f64();
            let cs: f64 = out.iter().sum();
            best[vi] = best[vi].min(el);
            if _rep == 0 {
                println!("{variant} checksum {cs:.6}");
            }
        }
    }
    for (v, b) in variants.iter().zip(&best) {
        println!(
            "{v}: best {b:.3} s = {:.2} ns/traversal/thread",
            b * threads as f64 * 10.0
        );
    }
}
