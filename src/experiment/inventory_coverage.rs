//! How much of an event is mapped, and which kind of model that supports.
//!
//! Contract: counts are coarse cells of the event's feature table. The *study cells* are its
//! valid cells (inside the study area, with features); the *mapped cells* are the valid
//! cells with a known target (inside the inventory's mapped extent). An inventory is
//! - **none** when no valid cell is mapped: only a global model from past events can map
//!   the event, and nothing on it can be scored;
//! - **small** when fewer than [`SMALL_INVENTORY_CELLS`] cells are mapped *or* the mapped
//!   cells cover less than [`SMALL_INVENTORY_FRACTION`] of the study cells: a responder's
//!   few mapped areas. The paper's 250 + 250 random cells would then be drawn from those few
//!   areas and scored on their edges, so the model should train on every mapped cell and be
//!   scored by spatial validation (independent cells or spatial cross-validation);
//! - **full** otherwise: a past event mapped over most of its study area, where the paper's
//!   random-cells experiment is a (retrospective, optimistic) evaluation.
//!
//! 2,000 cells of 200 m × 220 m are about 88 km²; the threshold keeps the paper's events
//! (thousands of mapped km²) "full" and a few field-mapped valleys "small".

use crate::features::FeatureTable;

/// Fewer mapped coarse cells than this: a small inventory.
pub const SMALL_INVENTORY_CELLS: usize = 2000;
/// Mapped cells covering less than this fraction of the study cells: a small inventory.
pub const SMALL_INVENTORY_FRACTION: f64 = 0.25;

/// How much of an event is mapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InventoryCoverage {
    /// Valid cells with a known target.
    pub mapped_cells: usize,
    /// Valid cells (the study area).
    pub study_cells: usize,
}

/// The kind of inventory an event has (see the module's contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InventorySize {
    /// Nothing mapped.
    None,
    /// A few mapped areas.
    Small,
    /// Mapped over most of the study area.
    Full,
}

impl InventoryCoverage {
    /// The coverage of `table`'s inventory.
    pub fn of(table: &FeatureTable) -> Self {
        let mut c = InventoryCoverage::default();
        for (valid, target) in table.valid.iter().zip(&table.target) {
            if *valid {
                c.study_cells += 1;
                if !target.is_nan() {
                    c.mapped_cells += 1;
                }
            }
        }
        c
    }

    /// Mapped share of the study cells (0 for an empty study area).
    pub fn fraction(&self) -> f64 {
        if self.study_cells == 0 {
            0.0
        } else {
            self.mapped_cells as f64 / self.study_cells as f64
        }
    }

    /// None, small or full (see the module's contract).
    pub fn size(&self) -> InventorySize {
        if self.mapped_cells == 0 {
            InventorySize::None
        } else if self.mapped_cells < SMALL_INVENTORY_CELLS
            || self.fraction() < SMALL_INVENTORY_FRACTION
        {
            InventorySize::Small
        } else {
            InventorySize::Full
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cov(mapped: usize, study: usize) -> InventoryCoverage {
        InventoryCoverage {
            mapped_cells: mapped,
            study_cells: study,
        }
    }

    #[test]
    fn nothing_mapped_is_no_inventory() {
        assert_eq!(cov(0, 10_000).size(), InventorySize::None);
        assert_eq!(cov(0, 0).size(), InventorySize::None);
    }

    #[test]
    fn few_cells_or_a_small_share_is_a_small_inventory() {
        assert_eq!(cov(1999, 2000).size(), InventorySize::Small);
        assert_eq!(cov(2400, 10_000).size(), InventorySize::Small);
        assert_eq!(cov(2500, 10_000).size(), InventorySize::Full);
        assert_eq!(cov(9000, 10_000).size(), InventorySize::Full);
    }

    #[test]
    fn fraction_of_an_empty_study_area_is_zero() {
        assert_eq!(cov(0, 0).fraction(), 0.0);
        assert!((cov(1, 4).fraction() - 0.25).abs() < 1e-12);
    }
}
