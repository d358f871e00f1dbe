//! Export a layer for QGIS: a Float32 GeoTIFF (CRS, nodata −9999, 256 × 256 internal tiles,
//! DEFLATE, internal overviews — `crate::io::write_geotiff`) and a `.qml` sidecar with
//! the same colour ramp and range as on screen (QGIS applies `name.qml` next to
//! `name.tif` automatically).

use super::colormap::Ramp;
use crate::grid::Grid;
use crate::io::{atomic_write_bytes, write_geotiff, GeoTiffOptions};
use std::fmt::Write as _;
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
    tif.with_extension("qml")
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
    let qml = qml_style(req.ramp, req.min, req.max, &req.unit);
    let qpath = qml_path(&path);
    atomic_write_bytes(&qpath, qml.as_bytes()).map_err(|e| format!("{e:#}"))?;
    Ok(format!(
        "exported {} (+ {})",
        path.display(),
        qpath.display()
    ))
}

fn rgba(c: egui::Color32) -> String {
    format!("{},{},{},255", c.r(), c.g(), c.b())
}

/// A QGIS single-band pseudocolour style with `ramp` interpolated over `min..=max`.
pub fn qml_style(ramp: Ramp, min: f32, max: f32, unit: &str) -> String {
    const N: usize = 11;
    let (min, max) = if max > min {
        (min, max)
    } else {
        (min, min + 1.0)
    };
    let mut items = String::new();
    let mut stops = Vec::new();
    for i in 0..N {
        let t = i as f32 / (N - 1) as f32;
        let c = ramp.at(t);
        let v = min + t * (max - min);
        let label = if unit.is_empty() {
            format!("{v:.4}")
        } else {
            format!("{v:.4} {unit}")
        };
        let _ = writeln!(
            items,
            r##"          <item alpha="255" value="{v}" label="{}" color="#{:02x}{:02x}{:02x}"/>"##,
            xml_escape(&label),
            c.r(),
            c.g(),
            c.b()
        );
        if i > 0 && i < N - 1 {
            stops.push(format!("{t};{}", rgba(c)));
        }
    }
    format!(
        r#"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.28.0" styleCategories="AllStyleCategories">
  <pipe>
    <rasterrenderer type="singlebandpseudocolor" band="1" opacity="1" alphaBand="-1" classificationMin="{min}" classificationMax="{max}" nodataColor="">
      <rasterTransparency/>
      <minMaxOrigin>
        <limits>None</limits>
        <extent>WholeRaster</extent>
        <statAccuracy>Estimated</statAccuracy>
        <cumulativeCutLower>0.02</cumulativeCutLower>
        <cumulativeCutUpper>0.98</cumulativeCutUpper>
        <stdDevFactor>2</stdDevFactor>
      </minMaxOrigin>
      <rastershader>
        <colorrampshader colorRampType="INTERPOLATED" classificationMode="1" clip="0" minimumValue="{min}" maximumValue="{max}" labelPrecision="4">
          <colorramp type="gradient" name="[source]">
            <Option type="Map">
              <Option type="QString" name="color1" value="{c1}"/>
              <Option type="QString" name="color2" value="{c2}"/>
              <Option type="QString" name="discrete" value="0"/>
              <Option type="QString" name="rampType" value="gradient"/>
              <Option type="QString" name="stops" value="{stops}"/>
            </Option>
          </colorramp>
{items}        </colorrampshader>
      </rastershader>
    </rasterrenderer>
    <brightnesscontrast brightness="0" contrast="0" gamma="1"/>
    <huesaturation saturation="0" grayscaleMode="0" colorizeOn="0" colorizeRed="255" colorizeGreen="128" colorizeBlue="128" colorizeStrength="100"/>
    <rasterresampler maxOversampling="2"/>
  </pipe>
  <blendMode>0</blendMode>
</qgis>
"#,
        c1 = rgba(ramp.at(0.0)),
        c2 = rgba(ramp.at(1.0)),
        stops = stops.join(":"),
    )
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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
