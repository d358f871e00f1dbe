//! Save and load drawn polygons as GeoPackage or GeoJSON in the project CRS (the driver
//! follows the file extension), with `label` and `kind` (`mapped_area` / `landslide`)
//! attributes.

use super::model::{dedup_ring, DrawnPolygon, PolygonKind};
use crate::io::{
    read_vector, transform_points, wgs84_wkt, write_polygons, AttrValue, Polygon, VectorReadOptions,
};
use std::collections::BTreeMap;
use std::path::Path;

/// Write `polygons` ((lon, lat)) to `path` in `crs_wkt` (empty = WGS 84).
pub fn save_polygons(path: &Path, polygons: &[DrawnPolygon], crs_wkt: &str) -> Result<(), String> {
    let wgs = wgs84_wkt().map_err(|e| format!("{e:#}"))?;
    let crs = if crs_wkt.trim().is_empty() {
        wgs.clone()
    } else {
        crs_wkt.to_string()
    };
    let mut feats = Vec::with_capacity(polygons.len());
    for p in polygons {
        let mut ring = p.lon_lat.clone();
        transform_points(&mut ring, &wgs, &crs, path).map_err(|e| format!("{e:#}"))?;
        if let Some(first) = ring.first().copied() {
            ring.push(first);
        }
        let mut attrs = BTreeMap::new();
        attrs.insert("label".to_string(), AttrValue::Text(p.label.clone()));
        attrs.insert(
            "kind".to_string(),
            AttrValue::Text(kind_name(p.kind).into()),
        );
        feats.push((vec![Polygon::new(ring)], attrs));
    }
    write_polygons(path, &crs, &feats).map_err(|e| format!("{e:#}"))
}

/// The `kind` attribute value of a polygon kind.
fn kind_name(k: PolygonKind) -> &'static str {
    match k {
        PolygonKind::MappedArea => "mapped_area",
        PolygonKind::Landslide => "landslide",
    }
}

/// Polygons read from a file, (lon, lat), plus a note on parts that were skipped.
pub struct Loaded {
    /// Polygons (ids are assigned by the caller).
    pub polygons: Vec<DrawnPolygon>,
    /// Problems worth telling the user (skipped parts, holes dropped).
    pub notes: Vec<String>,
}

/// Read polygons from any OGR vector file; each exterior ring becomes one polygon, of the
/// kind its `kind` attribute names (`landslide`; anything else, or none, is `default`).
pub fn load_polygons(path: &Path, default: PolygonKind) -> Result<Loaded, String> {
    let wgs = wgs84_wkt().map_err(|e| format!("{e:#}"))?;
    let layer = read_vector(path, &VectorReadOptions::new(&wgs)).map_err(|e| format!("{e:#}"))?;
    let mut polygons = Vec::new();
    let (mut skipped, mut holes) = (0usize, 0usize);
    for f in &layer.features {
        let label = f
            .attributes
            .get("label")
            .map(|v| v.to_string())
            .unwrap_or_else(|| {
                path.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
        let kind = match f.attributes.get("kind").map(|v| v.to_string()).as_deref() {
            Some("landslide") => PolygonKind::Landslide,
            Some("mapped_area") => PolygonKind::MappedArea,
            _ => default,
        };
        for part in &f.parts {
            holes += part.holes.len();
            let ring = dedup_ring(part.exterior.clone());
            if ring.len() < 3 {
                skipped += 1;
                continue;
            }
            polygons.push(DrawnPolygon {
                id: 0,
                label: label.clone(),
                lon_lat: ring,
                kind,
            });
        }
    }
    let mut notes = Vec::new();
    if skipped > 0 {
        notes.push(format!(
            "{}: skipped {skipped} polygon(s) with fewer than 3 vertices",
            path.display()
        ));
    }
    if holes > 0 {
        notes.push(format!(
            "{}: {holes} hole(s) ignored (polygons are drawn without holes)",
            path.display()
        ));
    }
    if polygons.is_empty() && skipped == 0 {
        notes.push(format!("{}: contains no polygons", path.display()));
    }
    Ok(Loaded { polygons, notes })
}
