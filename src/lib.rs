//! SlideMap core: rapid mapping of earthquake-triggered landslides.
//!
//! Landslide areal density (LAD) on 200 m × 220 m cells is regressed with random forests on
//! topography, shaking, lithology, land cover, the USGS ground-failure product and InSAR
//! coherence features (Burrows et al., NHESS 2021). This library never depends on egui; the
//! desktop front end lives behind the `gui` feature.
#![deny(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod grid;
pub mod io;
pub mod project;
pub mod event;
pub mod inventory;
pub mod demo;
pub mod groundfailure;
pub mod coherence;
pub mod features;
pub mod terrain;
pub mod experiment;
pub mod forest;
pub mod metrics;
pub mod report;
#[cfg(feature = "gui")]
pub mod gui;
