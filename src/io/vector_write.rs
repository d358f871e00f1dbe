//! Writing polygons and points to GeoPackage / GeoJSON / Shapefile / KML (driver chosen by
//! the extension), atomically for single-file formats.

use super::{finish_atomic, srs_from_wkt, temp_sibling, AttrValue, GisError, Polygon};
use gdal::vector::{Feature, FieldDefn, Geometry, LayerAccess, LayerOptions};
use gdal::DriverManager;
use gdal_sys::{OGRFieldType, OGRwkbGeometryType};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

fn driver_for(path: &Path) -> Result<(&'static str, bool), GisError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "gpkg" => Ok(("GPKG", true)),
        "geojson" | "json" => Ok(("GeoJSON", true)),
        "kml" => Ok(("KML", true)),
        "shp" => Ok(("ESRI Shapefile", false)),
        _ => Err(GisError::invalid(
            path,
            "unknown vector format: use .gpkg, .geojson, .kml or .shp",
        )),
    }
}

fn ring_wkt(out: &mut String, ring: &[[f64; 2]]) {
    out.push('(');
    for (i, p) in ring.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{} {}", p[0], p[1]);
    }
    if ring.first() != ring.last() {
        if let Some(p) = ring.first() {
            let _ = write!(out, ",{} {}", p[0], p[1]);
        }
    }
    out.push(')');
}

/// WKT of a multipolygon.
pub(crate) fn multipolygon_wkt(parts: &[Polygon]) -> String {
    let mut s = String::from("MULTIPOLYGON(");
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push('(');
        ring_wkt(&mut s, &p.exterior);
        for h in &p.holes {
            s.push(',');
            ring_wkt(&mut s, h);
        }
        s.push(')');
    }
    s.push(')');
    s
}

type Row<'a> = (Geometry, &'a BTreeMap<String, AttrValue>);

/// Write `rows` as a new layer of `path` (atomically, via a temporary sibling, where the
/// driver allows it).
fn write_layer(
    path: &Path,
    crs_wkt: &str,
    geom_type: OGRwkbGeometryType::Type,
    rows: Vec<Row<'_>>,
) -> Result<(), GisError> {
    let (driver_name, atomic) = driver_for(path)?;
    let target = if atomic {
        temp_sibling(path)
    } else {
        path.to_path_buf()
    };
    if !atomic && path.exists() {
        let _ = DriverManager::get_driver_by_name(driver_name).and_then(|d| d.delete(path));
    }
    let out = LayerOut {
        path,
        target: &target,
        driver_name,
        crs_wkt,
        geom_type,
    };
    let result = out.write(rows);
    if let Err(e) = result {
        if atomic {
            let _ = std::fs::remove_file(&target);
        }
        return Err(e);
    }
    if atomic {
        finish_atomic(&target, path)?;
    }
    Ok(())
}

/// Where and how one layer is written.
struct LayerOut<'a> {
    /// The requested file (names the layer and the errors).
    path: &'a Path,
    /// The file actually written (a temporary sibling when atomic).
    target: &'a Path,
    /// The GDAL driver.
    driver_name: &'a str,
    /// The layer CRS.
    crs_wkt: &'a str,
    /// The layer geometry type.
    geom_type: OGRwkbGeometryType::Type,
}

/// Field types from the first non-null value of each attribute.
fn field_types<'a>(rows: &[Row<'a>]) -> BTreeMap<&'a str, OGRFieldType::Type> {
    let mut fields: BTreeMap<&'a str, OGRFieldType::Type> = BTreeMap::new();
    for (_, attrs) in rows {
        let attrs: &'a BTreeMap<String, AttrValue> = attrs;
        for (k, v) in attrs.iter() {
            let t = match v {
                AttrValue::Int(_) => OGRFieldType::OFTInteger64,
                AttrValue::Real(_) => OGRFieldType::OFTReal,
                AttrValue::Text(_) => OGRFieldType::OFTString,
                AttrValue::Null => continue,
            };
            fields.entry(k.as_str()).or_insert(t);
        }
    }
    fields
}

impl LayerOut<'_> {
    /// The GDAL error of writing this file.
    fn err(&self, e: gdal::errors::GdalError) -> GisError {
        GisError::gdal(self.path, "writing vector file", e)
    }

    /// Create the dataset and layer, its fields and every feature, and close it.
    fn write(&self, rows: Vec<Row<'_>>) -> Result<(), GisError> {
        let g = |e| self.err(e);
        let driver = DriverManager::get_driver_by_name(self.driver_name).map_err(g)?;
        let mut ds = driver.create_vector_only(self.target).map_err(g)?;
        let stem = self
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "layer".into());
        self.add_layer(&mut ds, &stem, rows)?;
        ds.close().map_err(g)?;
        Ok(())
    }

    /// One layer named `name` in `ds`: its fields and every feature.
    fn add_layer(
        &self,
        ds: &mut gdal::Dataset,
        name: &str,
        rows: Vec<Row<'_>>,
    ) -> Result<(), GisError> {
        let g = |e| self.err(e);
        let srs = srs_from_wkt(self.crs_wkt)?;
        let layer = ds
            .create_layer(LayerOptions {
                name,
                srs: Some(&srs),
                ty: self.geom_type,
                options: None,
            })
            .map_err(g)?;
        // field types from the first non-null value of each attribute
        let fields = field_types(&rows);
        for (name, t) in &fields {
            FieldDefn::new(name, *t)
                .and_then(|f| f.add_to_layer(&layer))
                .map_err(g)?;
        }
        for (geom, attrs) in rows {
            self.write_feature(&layer, &fields, geom, attrs)?;
        }
        Ok(())
    }

    /// One feature: its geometry and every field it has a value for.
    fn write_feature(
        &self,
        layer: &gdal::vector::Layer<'_>,
        fields: &BTreeMap<&str, OGRFieldType::Type>,
        geom: Geometry,
        attrs: &BTreeMap<String, AttrValue>,
    ) -> Result<(), GisError> {
        let g = |e| self.err(e);
        let mut f = Feature::new(layer.defn()).map_err(g)?;
        f.set_geometry(geom).map_err(g)?;
        for (name, t) in fields {
            let idx = f.field_index(name).map_err(g)?;
            match (attrs.get(*name), *t) {
                (Some(AttrValue::Int(v)), OGRFieldType::OFTInteger64) => {
                    f.set_field_integer64(idx, *v)
                }
                (Some(AttrValue::Int(v)), OGRFieldType::OFTReal) => {
                    f.set_field_double(idx, *v as f64)
                }
                (Some(AttrValue::Real(v)), OGRFieldType::OFTReal) => f.set_field_double(idx, *v),
                (Some(AttrValue::Null) | None, _) => Ok(()),
                (Some(v), _) => f.set_field_string(idx, &v.to_string()),
            }
            .map_err(g)?;
        }
        f.create(layer).map_err(g)?;
        Ok(())
    }
}

/// Polygon features with their attributes, one multipolygon each.
pub type PolygonFeatures = [(Vec<Polygon>, BTreeMap<String, AttrValue>)];

/// Geometries of `features`, checked (three vertices or more per part).
fn polygon_rows<'a>(path: &Path, features: &'a PolygonFeatures) -> Result<Vec<Row<'a>>, GisError> {
    let mut rows = Vec::with_capacity(features.len());
    for (i, (parts, attrs)) in features.iter().enumerate() {
        if parts.iter().any(|p| p.vertex_count() < 3) {
            return Err(GisError::invalid(
                path,
                format!("polygon {} has fewer than 3 vertices", i + 1),
            ));
        }
        let geom = Geometry::from_wkt(&multipolygon_wkt(parts))
            .map_err(|e| GisError::gdal(path, "building polygon", e))?;
        rows.push((geom, attrs));
    }
    Ok(rows)
}

/// Write several named multipolygon layers into one new GeoPackage, atomically (a temporary
/// sibling holds every layer before it is renamed over `path`), all in `crs_wkt`.
pub fn write_polygon_layers(
    path: &Path,
    crs_wkt: &str,
    layers: &[(&str, &PolygonFeatures)],
) -> Result<(), GisError> {
    if driver_for(path)?.0 != "GPKG" {
        return Err(GisError::invalid(
            path,
            "several layers go into a GeoPackage: use .gpkg",
        ));
    }
    let target = temp_sibling(path);
    let out = LayerOut {
        path,
        target: &target,
        driver_name: "GPKG",
        crs_wkt,
        geom_type: OGRwkbGeometryType::wkbMultiPolygon,
    };
    let write = || -> Result<(), GisError> {
        let g = |e| out.err(e);
        let driver = DriverManager::get_driver_by_name("GPKG").map_err(g)?;
        let mut ds = driver.create_vector_only(&target).map_err(g)?;
        // one SQLite transaction for every feature (one commit instead of one per insert)
        let mut txn = ds.start_transaction().map_err(g)?;
        for (name, features) in layers {
            out.add_layer(&mut txn, name, polygon_rows(path, features)?)?;
        }
        txn.commit().map_err(g)?;
        ds.close().map_err(g)?;
        Ok(())
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_file(&target);
        return Err(e);
    }
    finish_atomic(&target, path)
}

/// Write one multipolygon feature per entry, with attributes, in `crs_wkt`.
pub fn write_polygons(
    path: &Path,
    crs_wkt: &str,
    features: &PolygonFeatures,
) -> Result<(), GisError> {
    let rows = polygon_rows(path, features)?;
    write_layer(path, crs_wkt, OGRwkbGeometryType::wkbMultiPolygon, rows)
}

/// Write one point feature per entry.
pub fn write_points(
    path: &Path,
    crs_wkt: &str,
    points: &[([f64; 2], BTreeMap<String, AttrValue>)],
) -> Result<(), GisError> {
    let mut rows = Vec::with_capacity(points.len());
    for (p, attrs) in points {
        let geom = Geometry::from_wkt(&format!("POINT({} {})", p[0], p[1]))
            .map_err(|e| GisError::gdal(path, "building point", e))?;
        rows.push((geom, attrs));
    }
    write_layer(path, crs_wkt, OGRwkbGeometryType::wkbPoint, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{read_vector, srs_from_user, VectorReadOptions};

    #[test]
    fn polygons_round_trip_through_geopackage_and_geojson() {
        let dir = tempfile::tempdir().unwrap();
        let utm = srs_from_user("EPSG:32645").unwrap().to_wkt().unwrap();
        let mut p = Polygon::new(vec![
            [500_000.0, 3_100_000.0],
            [500_400.0, 3_100_000.0],
            [500_400.0, 3_100_300.0],
            [500_000.0, 3_100_300.0],
        ]);
        p.holes.push(vec![
            [500_100.0, 3_100_100.0],
            [500_200.0, 3_100_100.0],
            [500_200.0, 3_100_200.0],
        ]);
        let attrs: BTreeMap<String, AttrValue> = [
            ("label".to_string(), AttrValue::Text("KB 2026-11-24".into())),
            ("n".to_string(), AttrValue::Int(3)),
        ]
        .into();
        for name in ["a.gpkg", "a.geojson"] {
            let path = dir.path().join(name);
            write_polygons(&path, &utm, &[(vec![p.clone()], attrs.clone())]).unwrap();
            let back = read_vector(&path, &VectorReadOptions::new(&utm)).unwrap();
            assert_eq!(back.features.len(), 1, "{name}");
            let f = &back.features[0];
            assert_eq!(
                f.attributes["label"],
                AttrValue::Text("KB 2026-11-24".into())
            );
            assert_eq!(f.parts[0].holes.len(), 1);
            assert!((f.parts[0].area() - p.area()).abs() < 1e-3, "{name}");
        }
    }

    #[test]
    fn degenerate_polygons_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let utm = srs_from_user("EPSG:32645").unwrap().to_wkt().unwrap();
        let p = Polygon::new(vec![[0.0, 0.0], [1.0, 1.0]]);
        let e = write_polygons(
            &dir.path().join("x.gpkg"),
            &utm,
            &[(vec![p], BTreeMap::new())],
        )
        .unwrap_err();
        assert!(e.to_string().contains("fewer than 3"));
    }
}
