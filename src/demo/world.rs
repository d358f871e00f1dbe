//! The synthetic "world" of one event: its frame (UTM and geographic), the DEM with slope
//! and aspect, and helpers to move points between the UTM frame and EPSG:4326.
//!
//! Every physical field of the generator is a function of UTM position (metres); rasters in
//! EPSG:4326 are produced by transforming their cell centres to UTM first.

use super::noise::layer_seed;
use super::scenarios::Scenario;
use super::terrain_gen::DemFields;
use super::DemoError;
use crate::grid::{Extent, GridSpec};
use crate::io::{srs_from_user, transform_extent, transform_points, wgs84_wkt, GisError};
use std::path::Path;

/// One event's frame and terrain.
#[derive(Debug)]
pub(crate) struct World<'a> {
    /// The scenario.
    pub sc: &'a Scenario,
    /// Index of the event (0..3), part of every layer seed.
    pub index: usize,
    /// User seed.
    pub seed: u64,
    /// WKT of the event's UTM zone.
    pub utm_wkt: String,
    /// WKT of EPSG:4326.
    pub wgs_wkt: String,
    /// Event area in UTM metres.
    pub area: Extent,
    /// Event area in degrees (bounding box of the transformed UTM area).
    pub area_lonlat: Extent,
    /// DEM, slope, aspect on the 30 m UTM grid.
    pub dem: DemFields,
}

/// UTM WKT and the event area (snapped to 30 m) for a scenario.
pub(crate) fn frame(sc: &Scenario) -> Result<(String, String, Extent), GisError> {
    let def = format!("EPSG:{}", sc.utm_epsg);
    let utm_wkt = srs_from_user(&def)?
        .to_wkt()
        .map_err(|source| GisError::Crs {
            definition: def,
            source,
        })?;
    let wgs_wkt = wgs84_wkt()?;
    let mut c = [sc.centre_lon_lat];
    transform_points(&mut c, &wgs_wkt, &utm_wkt, Path::new("demo frame"))?;
    let snap = |v: f64| (v / 30.0).round() * 30.0;
    let (hw, hh) = (0.5 * sc.size_m[0], 0.5 * sc.size_m[1]);
    let area = Extent {
        x_min: snap(c[0][0] - hw),
        y_min: snap(c[0][1] - hh),
        x_max: snap(c[0][0] + hw),
        y_max: snap(c[0][1] + hh),
    };
    Ok((utm_wkt, wgs_wkt, area))
}

impl World<'_> {
    /// Seed of a named layer of this event.
    pub(crate) fn layer_seed(&self, layer: &str) -> u64 {
        layer_seed(self.seed, self.index, layer)
    }

    /// Map a GIS error to a demo error naming this event.
    pub(crate) fn gis(&self, source: GisError) -> DemoError {
        DemoError::Gis {
            event: self.sc.folder.to_string(),
            source,
        }
    }

    /// UTM points → (lon, lat) in place.
    pub(crate) fn to_lonlat(&self, pts: &mut [[f64; 2]]) -> Result<(), DemoError> {
        transform_points(pts, &self.utm_wkt, &self.wgs_wkt, Path::new(self.sc.folder))
            .map_err(|e| self.gis(e))
    }

    /// (lon, lat) points → UTM in place.
    pub(crate) fn to_utm(&self, pts: &mut [[f64; 2]]) -> Result<(), DemoError> {
        transform_points(pts, &self.wgs_wkt, &self.utm_wkt, Path::new(self.sc.folder))
            .map_err(|e| self.gis(e))
    }

    /// An EPSG:4326 grid with `cell_deg` cells covering the area plus `margin_deg`,
    /// its origin snapped to multiples of the cell size.
    pub(crate) fn lonlat_grid(
        &self,
        cell_deg: f64,
        margin_deg: f64,
    ) -> Result<GridSpec, DemoError> {
        let e = &self.area_lonlat;
        let grown = Extent {
            x_min: e.x_min - margin_deg,
            y_min: e.y_min - margin_deg,
            x_max: e.x_max + margin_deg,
            y_max: e.y_max + margin_deg,
        };
        GridSpec::covering(
            &grown,
            cell_deg,
            cell_deg,
            cell_deg,
            cell_deg,
            self.wgs_wkt.clone(),
        )
        .map_err(|e| DemoError::Invalid {
            event: self.sc.folder.into(),
            message: e.to_string(),
        })
    }

    /// UTM coordinates of every cell centre of `spec` (row-major). For a grid in another
    /// CRS, exact transforms are made on a lattice of every 8th centre and bilinearly
    /// interpolated in between (error far below a metre over a few hundred metres).
    pub(crate) fn centres_in_utm(&self, spec: &GridSpec) -> Result<Vec<[f64; 2]>, DemoError> {
        let centre = |r: usize, c: usize| {
            let (x, y) = spec.cell_centre(r, c);
            [x, y]
        };
        if crate::io::same_crs(&spec.crs_wkt, &self.utm_wkt) {
            return Ok((0..spec.len())
                .map(|i| centre(i / spec.cols, i % spec.cols))
                .collect());
        }
        const STEP: usize = 8;
        let (lr, lc) = (spec.rows.div_ceil(STEP) + 1, spec.cols.div_ceil(STEP) + 1);
        // lattice nodes may fall beyond the grid: extrapolating centre positions is fine
        let mut nodes: Vec<[f64; 2]> = (0..lr * lc)
            .map(|i| {
                let (r, c) = ((i / lc * STEP) as f64 + 0.5, (i % lc * STEP) as f64 + 0.5);
                let (x, y) = spec.world_from_pixel(c, r);
                [x, y]
            })
            .collect();
        self.to_utm(&mut nodes)?;
        let out = (0..spec.len())
            .map(|i| {
                let (r, c) = (i / spec.cols, i % spec.cols);
                let (r0, c0) = (r / STEP, c / STEP);
                let (tr, tc) = (
                    (r % STEP) as f64 / STEP as f64,
                    (c % STEP) as f64 / STEP as f64,
                );
                let n = |rr: usize, cc: usize| nodes[rr * lc + cc];
                let (a, b, p, q) = (n(r0, c0), n(r0, c0 + 1), n(r0 + 1, c0), n(r0 + 1, c0 + 1));
                let lerp = |k: usize| {
                    let top = a[k] + (b[k] - a[k]) * tc;
                    let bottom = p[k] + (q[k] - p[k]) * tc;
                    top + (bottom - top) * tr
                };
                [lerp(0), lerp(1)]
            })
            .collect();
        Ok(out)
    }
}

/// The area in degrees.
pub(crate) fn area_lonlat(area: &Extent, utm_wkt: &str, wgs_wkt: &str) -> Result<Extent, GisError> {
    transform_extent(area, utm_wkt, wgs_wkt, Path::new("demo frame"))
}
