//! The event pipeline: a project file → its analysis grid and [`EventData`] (the feature
//! table with target, validity and warnings), one named stage per input (grid → DEM →
//! terrain → PGV → lithology → land cover → ground failure → inventory → coherence).
//!
//! It sits above the input modules it calls (`event`, `features`, `inventory`, `coherence`,
//! `groundfailure`, `terrain`) and below the experiments; none of those imports it, and its
//! [`EventError`] takes in their errors without being wrapped by any of them.

mod build;
mod error;

pub use build::{build_event, EventData, FeatureOptions};
pub use error::EventError;
