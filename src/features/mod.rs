//! The named feature table of an event (coarse cells × features, paper section 2.3, Table
//! 1), its one-hot classes, thematic layers and `features.csv`. How a project's inputs are
//! turned into a table is the event pipeline's ([`crate::pipeline`]).
//!
//! Contract: one value per coarse cell (row-major over the coarse grid); `NaN` marks a
//! cell where the feature is unknown. `valid` marks cells with a complete set of static
//! features (inside the study area, DEM present); only those are trained on or predicted.

mod classes;
mod csv;
mod table;
mod thematic;

pub use classes::{esa_cci_label, one_hot};
pub use csv::write_features_csv;
pub use table::{FeatureColumn, FeatureGroup, FeatureTable};
pub use thematic::{load_thematic, ThematicLayer};
