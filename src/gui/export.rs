//! Export a layer for QGIS: a Float32 GeoTIFF (CRS, nodata −9999, 256 × 256 internal tiles,
//! DEFLATE, internal overviews — `crate::io::write_geotiff`) and a `.qml` sidecar with
//! the same colour ramp and range as on screen, its legend headed by the layer name,
//! written by the core's one `.qml` writer (`crate::report::responder`); QGIS applies
//! `name.qml` next to `name.tif` automatically.

use super::colormap::Ramp;
use crate::grid::Grid;
use crate::io::{write_geotiff, GeoTiffOptions};
use crate::report::responder::{self, LayerStyle, QmlRamp};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Everything needed to export one layer (cheap to send to a worker).
#[derive(Clone)]
pub struct ExportRequest {
    /// The layer's source grid (its own CRS and cells, not the display warp).
    pub grid: Arc<Grid<f32>>,
    /// Output `.tif` path.
    pub path: PathBuf,
    /// Band description.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// Ramp and range of the style.
    pub ramp: Ramp,
    /// Low end of the ramp.
    pub min: f32,
    /// High end of the ramp.
    pub max: f32,
}

/// The `.qml` path next to a `.tif`.
pub fn qml_path(tif: &Path) -> PathBuf {
    responder::qml_sidecar_path(tif)
}

/// Write the GeoTIFF and its `.qml`; returns a message naming both files.
pub fn export_layer(req: &ExportRequest) -> Result<String, String> {
    let mut path = req.path.clone();
    if path.extension().is_none() {
        path.set_extension("tif");
    }
    let opts = GeoTiffOptions {
        overviews: true,
        description: Some(req.name.clone()),
        unit: (!req.unit.is_empty()).then(|| req.unit.clone()),
    };
    write_geotiff(&path, &req.grid, &opts).map_err(|e| format!("{e:#}"))?;
    let style = layer_style(&req.name, req.ramp, req.min, req.max, &req.unit);
    let qpath = responder::write_qml_sidecar(&path, &style).map_err(|e| format!("{e:#}"))?;
    Ok(format!(
        "exported {} (+ {})",
        path.display(),
        qpath.display()
    ))
}

impl From<Ramp> for QmlRamp {
    fn from(ramp: Ramp) -> Self {
        match ramp {
            Ramp::Viridis => QmlRamp::Viridis,
            Ramp::Magma => QmlRamp::Magma,
            Ramp::Inferno => QmlRamp::Inferno,
            Ramp::Cividis => QmlRamp::Cividis,
            Ramp::Greys => QmlRamp::Greys,
        }
    }
}

/// The style of a layer as shown on screen; `title` heads the legend (may be empty).
fn layer_style(title: &str, ramp: Ramp, min: f32, max: f32, unit: &str) -> LayerStyle {
    LayerStyle::gradient(title, unit, ramp.into(), min, max)
}

/// A QGIS single-band pseudocolour style with `ramp` interpolated over `min..=max`
/// (the core writer, [`crate::report::responder::qml_style`], without a title).
pub fn qml_style(ramp: Ramp, min: f32, max: f32, unit: &str) -> String {
    responder::qml_style(&layer_style("", ramp, min, max, unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qml_has_eleven_items_spanning_the_range() {
        let q = qml_style(Ramp::Viridis, 0.0, 10.0, "%");
        assert_eq!(q.matches("<item ").count(), 11);
        assert!(
            q.contains(r##"value="0" label="0.0000 %" color="#440154""##),
            "{q}"
        );
        assert!(q.contains(r##"value="10" label="10.0000 %" color="#fde725""##));
    }
}
