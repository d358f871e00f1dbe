//! `FeatureTable`: named, grouped feature columns over the coarse cells of one event.

use crate::grid::{Grid, GridSpec};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Data source of a feature, for grouped importances (paper Figure 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FeatureGroup {
    /// Elevation, slope, aspect, CTI, relief.
    Topography,
    /// Peak ground velocity.
    Pgv,
    /// One-hot lithology classes.
    Lithology,
    /// One-hot land-cover classes.
    LandCover,
    /// The USGS ground-failure product.
    GroundFailure,
    /// Sentinel-1 coherence features.
    Sentinel1,
    /// ALOS-2 coherence features.
    Alos2,
    /// Other radar sensors.
    OtherSar,
}

impl FeatureGroup {
    /// Display name.
    pub fn label(self) -> &'static str {
        match self {
            FeatureGroup::Topography => "Topography",
            FeatureGroup::Pgv => "PGV",
            FeatureGroup::Lithology => "Lithology",
            FeatureGroup::LandCover => "Land cover",
            FeatureGroup::GroundFailure => "Ground failure",
            FeatureGroup::Sentinel1 => "Sentinel-1",
            FeatureGroup::Alos2 => "ALOS-2",
            FeatureGroup::OtherSar => "Other SAR",
        }
    }
    /// All groups in display order.
    pub const ALL: [FeatureGroup; 8] = [
        FeatureGroup::Topography,
        FeatureGroup::Pgv,
        FeatureGroup::Lithology,
        FeatureGroup::LandCover,
        FeatureGroup::GroundFailure,
        FeatureGroup::Sentinel1,
        FeatureGroup::Alos2,
        FeatureGroup::OtherSar,
    ];
    /// True for radar (InSAR coherence) groups.
    pub fn is_sar(self) -> bool {
        matches!(
            self,
            FeatureGroup::Sentinel1 | FeatureGroup::Alos2 | FeatureGroup::OtherSar
        )
    }
}

/// One feature over the coarse cells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureColumn {
    /// Unique name, e.g. `slope_mean_deg`, `A2_desc_CECL`.
    pub name: String,
    /// Data source.
    pub group: FeatureGroup,
    /// Unit, e.g. "deg", "m", "cm/s", "" for dimensionless.
    pub unit: String,
    /// Per coarse cell; NaN = unknown.
    pub values: Vec<f32>,
    /// For radar features: the date from which the feature exists (timeline step).
    pub available_on: Option<NaiveDate>,
}

/// All features of an event plus the target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureTable {
    /// The coarse grid the columns are on.
    pub coarse: GridSpec,
    /// Feature columns.
    pub columns: Vec<FeatureColumn>,
    /// Cells with complete static features (trainable / predictable).
    pub valid: Vec<bool>,
    /// Observed LAD (or LND for point inventories); NaN = unmapped or no inventory.
    pub target: Vec<f32>,
    /// "LAD" or "LND".
    pub target_name: String,
}

impl FeatureTable {
    /// Column by name.
    pub fn column(&self, name: &str) -> Option<&FeatureColumn> {
        self.columns.iter().find(|c| c.name == name)
    }
    /// Column as a grid.
    pub fn column_grid(&self, name: &str) -> Option<Grid<f32>> {
        self.column(name).map(|c| Grid {
            spec: self.coarse.clone(),
            data: c.values.clone(),
        })
    }
    /// Target as a grid.
    pub fn target_grid(&self) -> Grid<f32> {
        Grid {
            spec: self.coarse.clone(),
            data: self.target.clone(),
        }
    }
    /// Indices of valid cells with a known target.
    pub fn mapped_cells(&self) -> Vec<usize> {
        (0..self.valid.len())
            .filter(|&i| self.valid[i] && !self.target[i].is_nan())
            .collect()
    }
    /// Indices of valid cells.
    pub fn valid_cells(&self) -> Vec<usize> {
        (0..self.valid.len()).filter(|&i| self.valid[i]).collect()
    }
}
