//! Hover read-out: the values of every visible layer under the cursor, with the cursor's
//! coordinates in WGS 84 and in the event's CRS.
//!
//! Values come from each layer's *source* grid (its own CRS), not from the display warp,
//! so they are the exact cell values. Coordinate transforms are built once per CRS.

use super::layer::MapLayer;
use super::legend::fmt_value;
use crate::io::{srs_from_user, srs_from_wkt};
use gdal::spatial_ref::CoordTransform;
use std::collections::HashMap;

/// One line of the read-out.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Layer name.
    pub layer: String,
    /// Formatted value with unit ("–" outside the layer or nodata).
    pub value: String,
}

/// The read-out at one point.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Readout {
    /// (lon, lat) degrees.
    pub lon_lat: [f64; 2],
    /// Coordinates in the event CRS, if known.
    pub projected: Option<[f64; 2]>,
    /// One line per visible data layer, top layer first.
    pub readings: Vec<Reading>,
}

/// Cached lon/lat → CRS transforms.
#[derive(Default)]
pub struct HoverProbe {
    transforms: HashMap<String, Option<CoordTransform>>,
}

impl HoverProbe {
    /// Transform (lon, lat) into the CRS `wkt`; `None` if GDAL cannot.
    pub fn to_crs(&mut self, wkt: &str, lon: f64, lat: f64) -> Option<[f64; 2]> {
        if wkt.trim().is_empty() {
            return None;
        }
        let t = self.transforms.entry(wkt.to_string()).or_insert_with(|| {
            let src = srs_from_user("EPSG:4326").ok()?;
            let dst = srs_from_wkt(wkt).ok()?;
            CoordTransform::new(&src, &dst).ok()
        });
        let t = t.as_ref()?;
        let (mut x, mut y, mut z) = ([lon], [lat], [0.0]);
        t.transform_coords(&mut x, &mut y, &mut z).ok()?;
        Some([x[0], y[0]])
    }

    /// Read every layer in `layers` (top first) at (lon, lat).
    pub fn read(
        &mut self,
        lon: f64,
        lat: f64,
        event_crs: Option<&str>,
        layers: &[&MapLayer],
    ) -> Readout {
        let projected = event_crs.and_then(|w| self.to_crs(w, lon, lat));
        let readings = layers
            .iter()
            .map(|l| {
                let v = self
                    .to_crs(&l.source.spec.crs_wkt, lon, lat)
                    .map(|[x, y]| l.value_at(x, y))
                    .unwrap_or(f32::NAN);
                let value = if v.is_nan() {
                    "–".to_string()
                } else {
                    format!("{} {}", fmt_value(v), l.unit)
                        .trim_end()
                        .to_string()
                };
                Reading {
                    layer: l.name.clone(),
                    value,
                }
            })
            .collect();
        Readout {
            lon_lat: [lon, lat],
            projected,
            readings,
        }
    }
}

/// Show a read-out compactly (status bar / map corner).
pub fn readout_ui(ui: &mut egui::Ui, r: &Readout) {
    ui.label(format!(
        "lon {:.5}°, lat {:.5}°",
        r.lon_lat[0], r.lon_lat[1]
    ));
    if let Some([x, y]) = r.projected {
        ui.label(format!("x {x:.0} m, y {y:.0} m"));
    }
    for rd in &r.readings {
        ui.label(format!("{}: {}", rd.layer, rd.value));
    }
}
