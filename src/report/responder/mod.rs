//! Outputs for responders: the files an analyst takes into QGIS and a mapper without GIS
//! opens in Google Earth, plus the record of how they were made.
//!
//! Contract:
//! - [`write_cog`] / [`write_cog_mask`]: Cloud Optimized GeoTIFFs (GDAL `COG` driver,
//!   DEFLATE, internal overviews built by the driver when a side exceeds 512 px, CRS and
//!   geotransform of the grid). Float layers are Float32 with nodata −9999 in the file
//!   (`NaN` in memory); masks are Byte, 0 = not likely, 1 = landslides likely, nodata 255.
//!   Each file carries a band description, a `UNITS` band item and dataset metadata tags
//!   (`SLIDEMAP_*`: version, event, step, date, sensor, validation).
//! - [`write_qml_sidecar`]: the QGIS style `name.qml` next to `name.tif` (QGIS applies it
//!   when the raster is added); gradient ramps (viridis, magma, inferno, cividis, greys)
//!   stretched over `min..=max`, or the two-class mask palette. Legend labels name the layer.
//! - [`write_kmz`]: a KMZ (`doc.kml` first, then `overlay.png` and `legend.png`) whose
//!   `GroundOverlay` is the grid warped to EPSG:4326 (nearest neighbour, so values are not
//!   blended) and coloured with the style; NaN cells are transparent.
//! - [`file_digest`]: size and SHA-256 of a file (for `provenance.json`, written by
//!   `crate::rapid`, and the content hashes of saved models).
//! - Every file is written atomically (temporary sibling, fsync, rename): a crash leaves the
//!   old file or the new one, never a partial one. Errors name the file.

mod cog;
mod digest;
mod kmz;
mod qml;
mod zip_store;

pub use cog::{likely_mask, write_cog, write_cog_mask, CogOptions, MASK_NODATA};
pub use digest::file_digest;
pub use kmz::write_kmz;
pub use qml::{qml_sidecar_path, qml_style, write_qml_sidecar, LayerStyle, QmlRamp};
