//! Peak ground velocity input: a USGS ShakeMap `grid.xml` (its PGV field) or any GDAL raster
//! (one band, cm/s), chosen by the file's extension. The one place that makes this choice
//! (the feature pipeline and the GUI's input layers both read PGV through it).

use super::{read_raster, read_shakemap, warp_file_to_grid, warp_grid, GisError, WarpOptions};
use crate::grid::{Grid, GridSpec};
use std::path::Path;

/// Whether `path` is a ShakeMap `grid.xml` (extension `.xml`, any case) rather than a raster.
pub fn is_shakemap(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
}

/// PGV (cm/s) on its own grid: the PGV field of a ShakeMap, else band `band` (1-based) of a
/// raster.
pub fn read_pgv(path: &Path, band: usize) -> Result<Grid<f32>, GisError> {
    if is_shakemap(path) {
        return read_shakemap(path)?.field("PGV");
    }
    read_raster(path, band)
}

/// PGV (cm/s) warped onto `target` with continuous (bilinear) resampling, source nodata
/// masked: a ShakeMap's PGV field from its node grid, else band `band` of a raster read by
/// GDAL's warper directly from the file.
pub fn warp_pgv_to_grid(
    path: &Path,
    band: usize,
    target: &GridSpec,
) -> Result<Grid<f32>, GisError> {
    if is_shakemap(path) {
        let pgv = read_shakemap(path)?.field("PGV")?;
        return warp_grid(&pgv, path, target, &WarpOptions::continuous());
    }
    warp_file_to_grid(path, target, &WarpOptions::continuous().with_band(band))
}
