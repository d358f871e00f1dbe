//! SlideMap core: rapid mapping of earthquake-triggered landslides.
//!
//! Landslide areal density (LAD) on 200 m × 220 m cells is regressed with random forests on
//! topography, shaking, lithology, land cover, the USGS ground-failure product and InSAR
//! coherence features (Burrows et al., NHESS 2021). This library never depends on egui; the
//! desktop front end lives behind the `gui` feature.
// Errors carry the file, key and values the user needs; they are built on cold paths only,
// so their size is not worth boxing every variant.
#![allow(clippy::result_large_err)]

// Data model and I/O
pub mod grid;
pub mod io;
pub mod project;
// Inputs onto the analysis grid
pub mod coherence;
pub mod event;
pub mod features;
pub mod groundfailure;
pub mod inventory;
pub mod pipeline;
pub mod terrain;
// Models, experiments and their outputs
pub mod experiment;
pub mod forest;
pub mod metrics;
pub mod report;
// Rapid mapping of a new event (above experiments and reports)
pub mod rapid;
// The built-in synthetic scene
pub mod demo;
// The desktop front end (never imported by the modules above)
#[cfg(feature = "gui")]
pub mod gui;
