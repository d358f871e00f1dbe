//! Honest validation: on which cells a score is computed and how they were chosen.
//!
//! Contract:
//! - *Independent test cells* are mapped cells whose edge lies at least `buffer_m` metres
//!   (default 200 m, one coarse cell) from every cell of the training pool (every cell a
//!   model could have been trained on, not only the sampled ones). Distances are measured
//!   between cell edges on the coarse grid: two cells `dr` rows and `dc` columns apart are
//!   `hypot(max(|dc| − 1, 0) · width, max(|dr| − 1, 0) · height)` apart.
//! - When a model is trained on mapped areas and fewer than [`MIN_INDEPENDENT_CELLS`]
//!   independent cells (or fewer than [`MIN_INDEPENDENT_LANDSLIDES`] landslide cells) remain,
//!   the score comes from *spatial cross-validation* over the training pool instead:
//!   leave-one-area-out when the pool forms three or more areas (8-connected groups of
//!   cells; at most [`MAX_AREA_FOLDS`] folds, small areas grouped), else four folds of square
//!   blocks at least [`MIN_BLOCK_M`] on a side. In both, the training cells of a fold exclude
//!   every cell within `buffer_m` of its test cells.
//! - Every score carries a [`Validation`] naming its kind and counts; scores resting on fewer
//!   than [`FEW_LANDSLIDES_WARNING`] landslide cells carry a warning.

use crate::features::FeatureTable;
use crate::grid::GridSpec;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

/// Fewer independent test cells than this → spatial cross-validation.
pub const MIN_INDEPENDENT_CELLS: usize = 100;
/// Fewer independent landslide test cells than this → spatial cross-validation.
pub const MIN_INDEPENDENT_LANDSLIDES: usize = 10;
/// A score resting on fewer landslide cells than this carries a warning.
pub const FEW_LANDSLIDES_WARNING: usize = 30;
/// Smallest side of a spatial-CV block (metres).
pub const MIN_BLOCK_M: f64 = 2000.0;
/// Folds of block cross-validation.
pub const BLOCK_FOLDS: usize = 4;
/// Most folds of leave-one-area-out cross-validation (smaller areas are grouped).
pub const MAX_AREA_FOLDS: usize = 10;
/// Default buffer between training and test cells (metres).
pub const DEFAULT_BUFFER_M: f64 = 200.0;

/// How the cells a score was computed on were chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum ValidationKind {
    /// Mapped cells at least the buffer away from every training cell (or another event).
    IndependentTest,
    /// Leave-one-area-out cross-validation over the mapped areas.
    SpatialCvAreas,
    /// Cross-validation over square spatial blocks inside the mapped areas.
    SpatialCvBlocks,
    /// The paper's random test cells, which neighbour training cells (optimistic).
    RandomCells,
    /// Not scored (no inventory, or too little of it).
    #[default]
    None,
}

impl ValidationKind {
    /// The word used in `metrics.csv`, `report.html` and the GUI.
    pub fn name(self) -> &'static str {
        match self {
            ValidationKind::IndependentTest => "independent-test",
            ValidationKind::SpatialCvAreas => "spatial-cv-areas",
            ValidationKind::SpatialCvBlocks => "spatial-cv-blocks",
            ValidationKind::RandomCells => "random-cells",
            ValidationKind::None => "none",
        }
    }
    /// One sentence for people.
    pub fn describe(self) -> &'static str {
        match self {
            ValidationKind::IndependentTest => {
                "independent test cells, at least the buffer away from any training cell"
            }
            ValidationKind::SpatialCvAreas => {
                "spatial cross-validation, leaving one mapped area out at a time"
            }
            ValidationKind::SpatialCvBlocks => {
                "spatial cross-validation over blocks of at least 2 km inside the mapped areas"
            }
            ValidationKind::RandomCells => {
                "the paper's random test cells: they neighbour training cells, so scores are optimistic"
            }
            ValidationKind::None => "not scored",
        }
    }
    /// True for spatial cross-validation.
    pub fn is_cv(self) -> bool {
        matches!(
            self,
            ValidationKind::SpatialCvAreas | ValidationKind::SpatialCvBlocks
        )
    }
}

/// What a score rests on.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Validation {
    /// How the cells were chosen.
    pub kind: ValidationKind,
    /// Cells scored (pooled over folds for cross-validation).
    pub n_cells: usize,
    /// Landslide cells among them (truth LAD above the AUC threshold).
    pub n_landslide: usize,
    /// Folds (cross-validation; 0 otherwise).
    pub folds: usize,
    /// Why the score is absent or weak ("no inventory: not scored", "rests on 12 landslide
    /// cells", …); empty when there is nothing to say.
    pub note: String,
}

impl Validation {
    /// No score, with the reason.
    pub fn none(note: impl Into<String>) -> Self {
        Validation {
            kind: ValidationKind::None,
            note: note.into(),
            ..Default::default()
        }
    }
    /// A score of `kind` on `n_cells` cells of which `n_landslide` are landslide cells; adds
    /// the few-landslides warning.
    pub fn scored(kind: ValidationKind, n_cells: usize, n_landslide: usize, folds: usize) -> Self {
        let note = if n_landslide < FEW_LANDSLIDES_WARNING {
            format!("score rests on only {n_landslide} landslide cells (fewer than {FEW_LANDSLIDES_WARNING}): treat it as rough")
        } else {
            String::new()
        };
        Validation {
            kind,
            n_cells,
            n_landslide,
            folds,
            note,
        }
    }
    /// "independent-test on 412 cells (37 landslide)" and the note, for reports.
    pub fn summary(&self) -> String {
        let mut s = match self.kind {
            ValidationKind::None => "not scored".to_string(),
            k if k.is_cv() => format!(
                "{} ({} folds) on {} cells ({} landslide)",
                k.name(),
                self.folds,
                self.n_cells,
                self.n_landslide
            ),
            k => format!(
                "{} on {} cells ({} landslide)",
                k.name(),
                self.n_cells,
                self.n_landslide
            ),
        };
        if !self.note.is_empty() {
            s.push_str(": ");
            s.push_str(&self.note);
        }
        s
    }
}

/// Cell offsets (dr, dc) closer than `buffer_m` (edge to edge) on `spec`, including (0, 0).
fn buffer_offsets(spec: &GridSpec, buffer_m: f64) -> Vec<(isize, isize)> {
    let (w, h) = (spec.cell_width.abs(), spec.cell_height.abs());
    // a buffer wider than the grid reaches every cell: no need to look further
    let rr = ((buffer_m / h).ceil() + 1.0).min(spec.rows as f64) as isize;
    let rc = ((buffer_m / w).ceil() + 1.0).min(spec.cols as f64) as isize;
    let mut out = Vec::new();
    for dr in -rr..=rr {
        for dc in -rc..=rc {
            let gx = (dc.abs() - 1).max(0) as f64 * w;
            let gy = (dr.abs() - 1).max(0) as f64 * h;
            if gx.hypot(gy) < buffer_m {
                out.push((dr, dc));
            }
        }
    }
    out
}

/// Mask of cells within `buffer_m` of any of `cells` (the cells themselves included).
pub fn near_mask(spec: &GridSpec, cells: &[usize], buffer_m: f64) -> Vec<bool> {
    let (rows, cols) = (spec.rows as isize, spec.cols as isize);
    let offsets = buffer_offsets(spec, buffer_m);
    let mut near = vec![false; spec.len()];
    for &i in cells {
        let (r, c) = ((i / spec.cols) as isize, (i % spec.cols) as isize);
        for &(dr, dc) in &offsets {
            let (rr, cc) = (r + dr, c + dc);
            if rr >= 0 && rr < rows && cc >= 0 && cc < cols {
                near[(rr * cols + cc) as usize] = true;
            }
        }
    }
    near
}

/// Mapped cells (of `candidates`) at least `buffer_m` from every cell of `train_pool`.
pub fn independent_cells(
    spec: &GridSpec,
    candidates: &[usize],
    train_pool: &[usize],
    buffer_m: f64,
) -> Vec<usize> {
    let near = near_mask(spec, train_pool, buffer_m);
    candidates.iter().copied().filter(|&i| !near[i]).collect()
}

/// Count of cells whose truth exceeds `threshold`.
pub fn count_landslides(table: &FeatureTable, cells: &[usize], threshold: f64) -> usize {
    cells
        .iter()
        .filter(|&&i| table.target[i] as f64 > threshold)
        .count()
}

/// True when an independent test set is large enough to be the score.
pub fn independent_is_enough(table: &FeatureTable, cells: &[usize], threshold: f64) -> bool {
    cells.len() >= MIN_INDEPENDENT_CELLS
        && count_landslides(table, cells, threshold) >= MIN_INDEPENDENT_LANDSLIDES
}

/// One fold of a spatial cross-validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Fold {
    /// Cells scored in this fold.
    pub test: Vec<usize>,
    /// Cells of the pool it may train on (outside the fold and its buffer).
    pub train: Vec<usize>,
}

/// A spatial cross-validation plan over a training pool.
#[derive(Debug, Clone, PartialEq)]
pub struct SpatialFolds {
    /// Areas or blocks.
    pub kind: ValidationKind,
    /// The folds.
    pub folds: Vec<Fold>,
}

/// 8-connected groups of `cells` on `spec`, each sorted, in order of their first cell.
pub fn connected_areas(spec: &GridSpec, cells: &[usize]) -> Vec<Vec<usize>> {
    let mut member = vec![false; spec.len()];
    for &i in cells {
        member[i] = true;
    }
    let mut seen = vec![false; spec.len()];
    let mut sorted = cells.to_vec();
    sorted.sort_unstable();
    let (rows, cols) = (spec.rows as isize, spec.cols as isize);
    let mut areas = Vec::new();
    for &start in &sorted {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![start];
        let mut area = Vec::new();
        while let Some(i) = stack.pop() {
            area.push(i);
            let (r, c) = ((i / spec.cols) as isize, (i % spec.cols) as isize);
            for dr in -1..=1 {
                for dc in -1..=1 {
                    let (rr, cc) = (r + dr, c + dc);
                    if rr < 0 || rr >= rows || cc < 0 || cc >= cols {
                        continue;
                    }
                    let j = (rr * cols + cc) as usize;
                    if member[j] && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        area.sort_unstable();
        areas.push(area);
    }
    areas
}

/// Test groups of leave-one-area-out (≥ 3 areas) or of blocks; `None` when neither gives
/// two or more non-empty folds.
fn fold_groups(
    spec: &GridSpec,
    pool: &[usize],
    seed: u64,
) -> Option<(ValidationKind, Vec<Vec<usize>>)> {
    let areas = connected_areas(spec, pool);
    if areas.len() >= 3 {
        if areas.len() <= MAX_AREA_FOLDS {
            return Some((ValidationKind::SpatialCvAreas, areas));
        }
        // group areas: largest first, each into the currently smallest fold
        let mut order: Vec<usize> = (0..areas.len()).collect();
        order.sort_by_key(|&k| (std::cmp::Reverse(areas[k].len()), k));
        let mut groups: Vec<Vec<usize>> = vec![Vec::new(); MAX_AREA_FOLDS];
        for k in order {
            if let Some(g) = groups.iter_mut().min_by_key(|g| g.len()) {
                g.extend_from_slice(&areas[k]);
            }
        }
        groups.iter_mut().for_each(|g| g.sort_unstable());
        return Some((ValidationKind::SpatialCvAreas, groups));
    }
    let br = (MIN_BLOCK_M / spec.cell_height.abs()).ceil().max(1.0) as usize;
    let bc = (MIN_BLOCK_M / spec.cell_width.abs()).ceil().max(1.0) as usize;
    let mut blocks: std::collections::BTreeMap<(usize, usize), Vec<usize>> = Default::default();
    for &i in pool {
        blocks
            .entry(((i / spec.cols) / br, (i % spec.cols) / bc))
            .or_default()
            .push(i);
    }
    let mut keys: Vec<(usize, usize)> = blocks.keys().copied().collect();
    if keys.len() < 2 {
        return None;
    }
    keys.shuffle(&mut super::sampling::rng(seed));
    let n_folds = BLOCK_FOLDS.min(keys.len());
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); n_folds];
    for (k, key) in keys.iter().enumerate() {
        if let Some(cells) = blocks.get(key) {
            groups[k % n_folds].extend_from_slice(cells);
        }
    }
    groups.iter_mut().for_each(|g| g.sort_unstable());
    Some((ValidationKind::SpatialCvBlocks, groups))
}

/// Spatial cross-validation folds over `pool` (the training cells); folds whose training
/// side would be empty are dropped. `None` when fewer than two folds remain.
pub fn spatial_folds(
    spec: &GridSpec,
    pool: &[usize],
    buffer_m: f64,
    seed: u64,
) -> Option<SpatialFolds> {
    let (kind, groups) = fold_groups(spec, pool, seed)?;
    let folds: Vec<Fold> = groups
        .into_iter()
        .filter(|g| !g.is_empty())
        .filter_map(|test| {
            let near = near_mask(spec, &test, buffer_m);
            let train: Vec<usize> = pool.iter().copied().filter(|&i| !near[i]).collect();
            (!train.is_empty()).then_some(Fold { test, train })
        })
        .collect();
    (folds.len() >= 2).then_some(SpatialFolds { kind, folds })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(rows: usize, cols: usize) -> GridSpec {
        GridSpec::new(
            cols,
            rows,
            0.0,
            rows as f64 * 220.0,
            200.0,
            220.0,
            String::new(),
        )
        .unwrap()
    }

    #[test]
    fn a_one_cell_buffer_excludes_the_ring_of_neighbours_only() {
        let s = spec(9, 9);
        let centre = 4 * 9 + 4;
        let all: Vec<usize> = (0..81).collect();
        let ind = independent_cells(&s, &all, &[centre], 200.0);
        assert_eq!(ind.len(), 81 - 9);
        assert!(!ind.contains(&(3 * 9 + 3)));
        assert!(ind.contains(&(2 * 9 + 4)));
        // a 500 m buffer also drops cells three columns away (gap 400 m) and keeps four away
        // (gap 600 m)
        let wide = independent_cells(&s, &all, &[centre], 500.0);
        assert!(!wide.contains(&(2 * 9 + 4)));
        assert!(!wide.contains(&(4 * 9 + 1)));
        assert!(wide.contains(&(4 * 9)));
    }

    #[test]
    fn three_separate_areas_give_leave_one_area_out_with_buffered_training() {
        let s = spec(30, 30);
        let square = |r0: usize, c0: usize| -> Vec<usize> {
            (r0..r0 + 5)
                .flat_map(|r| (c0..c0 + 5).map(move |c| r * 30 + c))
                .collect()
        };
        let mut pool = square(0, 0);
        pool.extend(square(0, 20));
        pool.extend(square(20, 10));
        let f = spatial_folds(&s, &pool, 200.0, 1).unwrap();
        assert_eq!(f.kind, ValidationKind::SpatialCvAreas);
        assert_eq!(f.folds.len(), 3);
        for fold in &f.folds {
            assert_eq!(fold.test.len(), 25);
            assert_eq!(fold.train.len(), 50);
        }
    }

    #[test]
    fn one_large_area_gives_four_block_folds_whose_training_keeps_its_distance() {
        let s = spec(40, 40);
        let pool: Vec<usize> = (0..1600).collect();
        let f = spatial_folds(&s, &pool, 200.0, 3).unwrap();
        assert_eq!(f.kind, ValidationKind::SpatialCvBlocks);
        assert_eq!(f.folds.len(), 4);
        let total: usize = f.folds.iter().map(|x| x.test.len()).sum();
        assert_eq!(total, 1600);
        for fold in &f.folds {
            let near = near_mask(&s, &fold.test, 200.0);
            assert!(fold.train.iter().all(|&i| !near[i]));
            assert!(!fold.train.is_empty());
        }
    }

    #[test]
    fn a_tiny_pool_cannot_be_cross_validated() {
        let s = spec(10, 10);
        assert!(spatial_folds(&s, &[0, 1, 10, 11], 200.0, 1).is_none());
    }

    #[test]
    fn few_landslides_are_flagged_in_the_summary() {
        let v = Validation::scored(ValidationKind::SpatialCvAreas, 300, 12, 3);
        let s = v.summary();
        assert!(
            s.contains("spatial-cv-areas (3 folds) on 300 cells (12 landslide)"),
            "{s}"
        );
        assert!(s.contains("only 12 landslide cells"), "{s}");
        assert_eq!(
            Validation::none("no inventory: not scored").summary(),
            "not scored: no inventory: not scored"
        );
    }
}
