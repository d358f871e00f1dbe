//! Single-surface baselines (Burrows et al. 2020 methods): each coherence surface on its own,
//! signed so that higher means "landslide", and the USGS ground-failure product alone.

use super::Timeline;
use crate::features::{FeatureGroup, FeatureTable};

/// One baseline surface: a column used directly as a landslide score.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BaselineSurface {
    /// Column name in the feature table.
    pub column: String,
    /// +1 or −1: multiply the column by this to get a score (higher = landslide).
    pub sign: f32,
    /// First timeline step at which it exists (0 for the ground-failure product).
    pub step: usize,
}

/// Baselines available in the table: the ground-failure product (if present) and every ICF.
pub fn baseline_surfaces(table: &FeatureTable, timeline: &Timeline) -> Vec<BaselineSurface> {
    let mut out: Vec<BaselineSurface> = table
        .columns
        .iter()
        .filter(|c| c.group == FeatureGroup::GroundFailure)
        .map(|c| BaselineSurface {
            column: c.name.clone(),
            sign: 1.0,
            step: 0,
        })
        .collect();
    for s in &timeline.steps {
        for f in &s.added {
            if table.column(&f.name).is_some() {
                out.push(BaselineSurface {
                    column: f.name.clone(),
                    sign: f.kind.landslide_sign(),
                    step: s.index,
                });
            }
        }
    }
    out
}
