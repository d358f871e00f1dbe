//! Warp a grid to Web Mercator (EPSG:3857) for display and cut it into texture tiles.
//!
//! walkers draws in Web Mercator, where an axis-aligned EPSG:3857 rectangle is an
//! axis-aligned screen rectangle; so each layer is warped once (GDAL, nearest neighbour so
//! that displayed colours are exact cell values) onto a 3857 grid of about the same number
//! of cells, capped at [`MAX_DISPLAY_CELLS`], and drawn as tiles of at most [`TILE_PX`] px.

use crate::grid::{Grid, GridSpec};
use crate::io::{srs_from_user, transform_extent, warp_grid, GisError, Resampling, WarpOptions};
use std::path::Path;
use std::sync::OnceLock;

/// Earth radius of the Web Mercator sphere, metres.
pub const MERCATOR_R: f64 = 6_378_137.0;
/// Largest display grid, cells (about 4000 × 4000).
pub const MAX_DISPLAY_CELLS: usize = 16_000_000;
/// Largest texture side; GPUs allow 8192 but smaller tiles upload and cull better.
pub const TILE_PX: usize = 2048;

/// WKT of EPSG:3857, computed once.
pub fn web_mercator_wkt() -> Result<String, String> {
    static WKT: OnceLock<Result<String, String>> = OnceLock::new();
    WKT.get_or_init(|| {
        srs_from_user("EPSG:3857")
            .map_err(|e| format!("{e:#}"))
            .and_then(|s| s.to_wkt().map_err(|e| format!("EPSG:3857: {e}")))
    })
    .clone()
}

/// Web Mercator (x, y) metres → (lon, lat) degrees.
pub fn lon_lat_from_mercator(x: f64, y: f64) -> (f64, f64) {
    let lon = (x / MERCATOR_R).to_degrees();
    let lat = (y / MERCATOR_R).sinh().atan().to_degrees();
    (lon, lat)
}

/// (lon, lat) degrees → Web Mercator (x, y) metres (latitude clamped to ±85.05°).
pub fn mercator_from_lon_lat(lon: f64, lat: f64) -> (f64, f64) {
    let lat = lat.clamp(-85.05, 85.05).to_radians();
    (
        lon.to_radians() * MERCATOR_R,
        (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln() * MERCATOR_R,
    )
}

/// A rectangle of display cells: columns `col0..col0+cols`, rows `row0..row0+rows`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TileRect {
    /// First column.
    pub col0: usize,
    /// First row.
    pub row0: usize,
    /// Width in cells.
    pub cols: usize,
    /// Height in cells.
    pub rows: usize,
}

/// Cut `cols × rows` into tiles of at most `tile` × `tile`.
pub fn tile_layout(cols: usize, rows: usize, tile: usize) -> Vec<TileRect> {
    let tile = tile.max(1);
    let mut out = Vec::new();
    for row0 in (0..rows).step_by(tile) {
        for col0 in (0..cols).step_by(tile) {
            out.push(TileRect {
                col0,
                row0,
                cols: tile.min(cols - col0),
                rows: tile.min(rows - row0),
            });
        }
    }
    out
}

/// The EPSG:3857 grid covering `src` with about as many cells (capped).
pub fn display_spec(src: &GridSpec, label: &Path) -> Result<GridSpec, GisError> {
    let wkt = web_mercator_wkt().map_err(|m| GisError::invalid(label, m))?;
    if src.crs_wkt.trim().is_empty() {
        return Err(GisError::NoCrs {
            path: label.to_path_buf(),
        });
    }
    let ext = transform_extent(&src.extent(), &src.crs_wkt, &wkt, label)?;
    let n = src.len().clamp(1, MAX_DISPLAY_CELLS) as f64;
    let cell = (ext.width() * ext.height() / n).sqrt();
    if !(cell.is_finite() && cell > 0.0) {
        return Err(GisError::invalid(
            label,
            "cannot be shown: its extent is empty in Web Mercator",
        ));
    }
    let cols = ((ext.width() / cell).ceil() as usize).max(1);
    let rows = ((ext.height() / cell).ceil() as usize).max(1);
    GridSpec::new(cols, rows, ext.x_min, ext.y_max, cell, cell, wkt)
        .map_err(|e| GisError::invalid(label, e.to_string()))
}

/// Warp `src` to its display grid (nearest neighbour; average when heavily downsampled).
pub fn warp_for_display(src: &Grid<f32>, label: &Path) -> Result<Grid<f32>, GisError> {
    let target = display_spec(&src.spec, label)?;
    let downsampled = src.spec.len() > 2 * MAX_DISPLAY_CELLS;
    let resampling = if downsampled {
        Resampling::Average
    } else {
        Resampling::Nearest
    };
    warp_grid(
        src,
        label,
        &target,
        &WarpOptions::continuous().with_resampling(resampling),
    )
}

/// Lon/lat bounding box `[west, south, east, north]` of a 3857 grid.
pub fn lon_lat_bounds(spec: &GridSpec) -> [f64; 4] {
    let (w, s) = lon_lat_from_mercator(spec.x_min, spec.y_min());
    let (e, n) = lon_lat_from_mercator(spec.x_max(), spec.y_max);
    [w, s, e, n]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_cover_the_grid_without_overlap() {
        let t = tile_layout(5000, 3000, 2048);
        assert_eq!(t.len(), 6);
        assert_eq!(
            t.iter().map(|r| r.cols * r.rows).sum::<usize>(),
            5000 * 3000
        );
        assert!(t.iter().all(|r| r.cols <= 2048 && r.rows <= 2048));
    }

    #[test]
    fn mercator_round_trips() {
        let (x, y) = mercator_from_lon_lat(127.5, 36.2);
        let (lon, lat) = lon_lat_from_mercator(x, y);
        assert!((lon - 127.5).abs() < 1e-9 && (lat - 36.2).abs() < 1e-9);
    }

    #[test]
    fn a_utm_grid_warps_to_web_mercator_where_it_belongs() {
        // 10 × 10 cells of 200 m near (127°E, 36°N), UTM 52N.
        let wkt = srs_from_user("EPSG:32652").and_then(|s| {
            s.to_wkt()
                .map_err(|e| GisError::invalid("t", e.to_string()))
        });
        let Ok(wkt) = wkt else { return };
        let spec = GridSpec::new(10, 10, 320_000.0, 3_990_000.0, 200.0, 200.0, wkt).unwrap();
        let g = Grid::from_vec(spec, (0..100).map(|v| v as f32).collect()).unwrap();
        let d = warp_for_display(&g, Path::new("t")).unwrap();
        let [w, s, e, n] = lon_lat_bounds(&d.spec);
        assert!(
            w > 126.9 && e < 127.1 && s > 35.9 && n < 36.1,
            "{w} {s} {e} {n}"
        );
        assert!(d.valid_count() > 60);
    }
}
