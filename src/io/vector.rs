//! Reading vector layers (Shapefile incl. 3-D, GeoPackage, GeoJSON, KML, …) through OGR into
//! plain polygons/points in the analysis CRS, with an optional attribute filter and repair of
//! invalid (e.g. self-intersecting) polygons.

use super::raster::open;
use super::{srs_from_wkt, GisError, Polygon};
use gdal::cpl::CslStringList;
use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform};
use gdal::vector::{FieldValue, Geometry, LayerAccess};
use gdal_sys::OGRwkbGeometryType;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One attribute value.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum AttrValue {
    /// Integer field.
    Int(i64),
    /// Floating-point field.
    Real(f64),
    /// Text (also dates, lists, rendered as text).
    Text(String),
    /// Unset / NULL.
    Null,
}

impl std::fmt::Display for AttrValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AttrValue::Int(v) => write!(f, "{v}"),
            AttrValue::Real(v) => write!(f, "{v}"),
            AttrValue::Text(v) => write!(f, "{v}"),
            AttrValue::Null => write!(f, ""),
        }
    }
}

/// One feature: its polygon parts and/or points (already in the target CRS) and attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct VectorFeature {
    /// Polygon parts (a multipolygon has several).
    pub parts: Vec<Polygon>,
    /// Points (a multipoint has several).
    pub points: Vec<[f64; 2]>,
    /// Attribute name → value.
    pub attributes: BTreeMap<String, AttrValue>,
}

/// A layer read into the target CRS.
#[derive(Debug, Clone)]
pub struct VectorLayer {
    /// The file.
    pub path: PathBuf,
    /// Layer name within the file.
    pub layer_name: String,
    /// CRS of the coordinates (the requested target).
    pub crs_wkt: String,
    /// Features with at least one polygon part or point.
    pub features: Vec<VectorFeature>,
    /// Number of invalid polygons repaired with GEOS `MakeValid`.
    pub repaired: usize,
    /// Features without usable geometry (skipped).
    pub skipped: usize,
    /// Geometry types of the skipped features (e.g. "Line String") → count.
    pub skipped_geometry_types: BTreeMap<String, usize>,
}

impl VectorLayer {
    /// Polygon parts grouped per feature (for rasterisation).
    pub fn polygon_features(&self) -> Vec<Vec<Polygon>> {
        self.features
            .iter()
            .filter(|f| !f.parts.is_empty())
            .map(|f| f.parts.clone())
            .collect()
    }
    /// All points.
    pub fn points(&self) -> Vec<[f64; 2]> {
        self.features
            .iter()
            .flat_map(|f| f.points.iter().copied())
            .collect()
    }
    /// "3 Line String feature(s)": what was skipped for lack of polygons or points (`None`
    /// when nothing was skipped for its geometry type).
    pub fn skipped_summary(&self) -> Option<String> {
        if self.skipped_geometry_types.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .skipped_geometry_types
            .iter()
            .map(|(t, n)| format!("{n} {t} feature(s)"))
            .collect();
        Some(parts.join(", "))
    }
    /// True when the layer holds points and no polygons.
    pub fn is_points(&self) -> bool {
        self.features.iter().all(|f| f.parts.is_empty())
            && self.features.iter().any(|f| !f.points.is_empty())
    }
}

/// Options for [`read_vector`].
#[derive(Debug, Clone, Default)]
pub struct VectorReadOptions {
    /// Layer name (default: the first layer).
    pub layer: Option<String>,
    /// Attribute filter, SlideMap syntax (`Year_obs in [2005, 2006]`) or OGR SQL.
    pub filter: Option<String>,
    /// CRS (WKT) to return coordinates in.
    pub target_crs_wkt: String,
    /// Repair invalid polygons (default true via [`VectorReadOptions::new`]); when false an
    /// invalid polygon is an error naming the feature.
    pub repair: bool,
}

impl VectorReadOptions {
    /// Read into `target_crs_wkt`, repairing invalid polygons.
    pub fn new(target_crs_wkt: &str) -> Self {
        Self {
            target_crs_wkt: target_crs_wkt.to_string(),
            repair: true,
            ..Self::default()
        }
    }
    /// Set the attribute filter.
    pub fn with_filter(mut self, f: Option<String>) -> Self {
        self.filter = f;
        self
    }
    /// Set the layer name.
    pub fn with_layer(mut self, l: Option<String>) -> Self {
        self.layer = l;
        self
    }
}

/// Translate SlideMap's list syntax to OGR SQL: `a in [1, 2]` → `a IN (1, 2)` (brackets
/// inside quotes are left alone).
pub fn translate_filter(expr: &str) -> String {
    let mut out = String::with_capacity(expr.len());
    let mut quote: Option<char> = None;
    for ch in expr.chars() {
        match (quote, ch) {
            (None, '\'' | '"') => {
                quote = Some(ch);
                out.push(ch)
            }
            (Some(q), c) if c == q => {
                quote = None;
                out.push(ch)
            }
            (None, '[') => out.push('('),
            (None, ']') => out.push(')'),
            _ => out.push(ch),
        }
    }
    out
}

fn ring_points(g: &Geometry) -> Vec<[f64; 2]> {
    let mut pts = Vec::new();
    g.get_points(&mut pts);
    pts.into_iter().map(|(x, y, _)| [x, y]).collect()
}

/// The polygons of `g` (multi-part geometries flattened; points and lines dropped).
pub(crate) fn collect_polygons(g: &Geometry) -> Vec<Polygon> {
    let (mut parts, mut points) = (Vec::new(), Vec::new());
    collect(g, &mut parts, &mut points);
    parts
}

fn collect(g: &Geometry, parts: &mut Vec<Polygon>, points: &mut Vec<[f64; 2]>) {
    let ty = gdal::vector::geometry_type_flatten(g.geometry_type());
    match ty {
        OGRwkbGeometryType::wkbPolygon => {
            let n = g.geometry_count();
            if n == 0 {
                return;
            }
            let exterior = ring_points(&g.get_geometry(0));
            let holes = (1..n).map(|i| ring_points(&g.get_geometry(i))).collect();
            if exterior.len() >= 3 {
                parts.push(Polygon { exterior, holes });
            }
        }
        OGRwkbGeometryType::wkbPoint => {
            let (x, y, _) = g.get_point(0);
            points.push([x, y]);
        }
        OGRwkbGeometryType::wkbMultiPolygon
        | OGRwkbGeometryType::wkbMultiPoint
        | OGRwkbGeometryType::wkbGeometryCollection => {
            for i in 0..g.geometry_count() {
                collect(&g.get_geometry(i), parts, points);
            }
        }
        _ => {}
    }
}

fn field_value(v: Option<FieldValue>) -> AttrValue {
    match v {
        None => AttrValue::Null,
        Some(FieldValue::IntegerValue(i)) => AttrValue::Int(i as i64),
        Some(FieldValue::Integer64Value(i)) => AttrValue::Int(i),
        Some(FieldValue::RealValue(r)) => AttrValue::Real(r),
        Some(FieldValue::StringValue(s)) => AttrValue::Text(s),
        Some(FieldValue::DateValue(d)) => AttrValue::Text(d.to_string()),
        Some(FieldValue::DateTimeValue(d)) => AttrValue::Text(d.to_rfc3339()),
        Some(other) => AttrValue::Text(format!("{other:?}")),
    }
}

/// Read a vector layer into the target CRS.
pub fn read_vector(path: &Path, opts: &VectorReadOptions) -> Result<VectorLayer, GisError> {
    let ds = open(path)?;
    let _ctx = super::gdal_log::reading(path);
    let mut layer = open_layer(&ds, path, opts)?;
    let layer_name = layer.name();
    let mut src_srs = layer.spatial_ref().ok_or_else(|| GisError::NoCrs {
        path: path.to_path_buf(),
    })?;
    src_srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let dst_srs = srs_from_wkt(&opts.target_crs_wkt)?;
    let ct = CoordTransform::new(&src_srs, &dst_srs)
        .map_err(|e| GisError::gdal(path, "coordinate transformation", e))?;
    let field_names: Vec<String> = layer.defn().fields().map(|f| f.name()).collect();
    let bad_filter = |f: &str, sql: &str, why: &str| {
        GisError::invalid(
            path,
            format!(
                "attribute filter `{f}` (OGR SQL `{sql}`) is not valid for layer '{layer_name}': {why}; the layer's fields are: {}",
                if field_names.is_empty() { "(none)".to_string() } else { field_names.join(", ") }
            ),
        )
    };
    if let Some(f) = &opts.filter {
        let sql = translate_filter(f);
        layer
            .set_attribute_filter(&sql)
            .map_err(|e| bad_filter(f, &sql, &e.to_string()))?;
    }
    let mut features = Vec::new();
    let mut counts = ReadCounts::default();
    let reader = FeatureReader {
        path,
        opts,
        ct: &ct,
        src_srs: &src_srs,
        no_opts: CslStringList::new(),
    };
    // Some drivers (GeoPackage, SQLite) evaluate the filter only while reading: a syntax
    // error or an unknown field then ends the iteration with a CPL error and no feature.
    reset_cpl_error();
    let _ = super::gdal_log::take_thread_errors();
    for feature in layer.features() {
        if let Some(f) = reader.read(&feature, &mut counts)? {
            features.push(f);
        }
    }
    if let (Some(f), Some(last)) = (&opts.filter, last_cpl_failure()) {
        // The first failure says why ("no such column: yeer"); the last only that the
        // query failed.
        let all = super::gdal_log::take_thread_errors();
        let why = if all.is_empty() { last } else { all.join("; ") };
        return Err(bad_filter(f, &translate_filter(f), &why));
    }
    Ok(VectorLayer {
        path: path.to_path_buf(),
        layer_name,
        crs_wkt: opts.target_crs_wkt.clone(),
        features,
        repaired: counts.repaired,
        skipped: counts.skipped,
        skipped_geometry_types: counts.skipped_geometry_types,
    })
}

/// The layer named in `opts`, or the first one.
fn open_layer<'a>(
    ds: &'a gdal::Dataset,
    path: &Path,
    opts: &VectorReadOptions,
) -> Result<gdal::vector::Layer<'a>, GisError> {
    if ds.layer_count() == 0 {
        return Err(GisError::invalid(path, "contains no vector layer"));
    }
    Ok(match &opts.layer {
        Some(name) => ds.layer_by_name(name).map_err(|_| {
            let names: Vec<String> = ds.layers().map(|l| l.name()).collect();
            GisError::invalid(
                path,
                format!("has no layer '{name}' (layers: {})", names.join(", ")),
            )
        })?,
        None => ds
            .layer(0)
            .map_err(|e| GisError::gdal(path, "opening layer 0", e))?,
    })
}

/// Features repaired or skipped while reading a layer.
#[derive(Default)]
struct ReadCounts {
    /// Invalid polygons repaired.
    repaired: usize,
    /// Features skipped (no geometry, or none of a usable type).
    skipped: usize,
    /// Skipped features by geometry type.
    skipped_geometry_types: BTreeMap<String, usize>,
}

/// What turns one OGR feature into a [`VectorFeature`] in the target CRS.
struct FeatureReader<'a> {
    /// The file, for messages.
    path: &'a Path,
    /// The read options (repair or refuse invalid polygons).
    opts: &'a VectorReadOptions,
    /// Layer CRS → target CRS.
    ct: &'a CoordTransform,
    /// The layer CRS, for reprojection messages.
    src_srs: &'a gdal::spatial_ref::SpatialRef,
    /// Empty options for `make_valid`.
    no_opts: CslStringList,
}

impl FeatureReader<'_> {
    /// One feature, repaired and reprojected; `None` (counted as skipped) without a usable
    /// geometry.
    fn read(
        &self,
        feature: &gdal::vector::Feature<'_>,
        counts: &mut ReadCounts,
    ) -> Result<Option<VectorFeature>, GisError> {
        let path = self.path;
        let fid = feature.fid().unwrap_or(0);
        let Some(geom) = feature.geometry() else {
            counts.skipped += 1;
            return Ok(None);
        };
        let mut g = geom.clone();
        g.flatten_to_2d();
        let flat = gdal::vector::geometry_type_flatten(g.geometry_type());
        let polygonal =
            flat == OGRwkbGeometryType::wkbPolygon || flat == OGRwkbGeometryType::wkbMultiPolygon;
        if polygonal && !g.is_valid() {
            if !self.opts.repair {
                return Err(GisError::invalid(
                    path,
                    format!("feature {fid} has an invalid (e.g. self-intersecting) polygon"),
                ));
            }
            g = g.make_valid(&self.no_opts).map_err(|e| {
                GisError::invalid(
                    path,
                    format!("feature {fid}: invalid polygon could not be repaired: {e}"),
                )
            })?;
            counts.repaired += 1;
        }
        let g = match g.transform(self.ct) {
            Ok(g) => g,
            Err(e) => return Err(reprojection_error(path, fid, &g, self.src_srs, e)),
        };
        let (mut parts, mut points) = (Vec::new(), Vec::new());
        collect(&g, &mut parts, &mut points);
        if parts.is_empty() && points.is_empty() {
            counts.skipped += 1;
            *counts
                .skipped_geometry_types
                .entry(gdal::vector::geometry_type_to_name(flat))
                .or_insert(0) += 1;
            return Ok(None);
        }
        let attributes = feature.fields().map(|(k, v)| (k, field_value(v))).collect();
        Ok(Some(VectorFeature {
            parts,
            points,
            attributes,
        }))
    }
}

fn reset_cpl_error() {
    // SAFETY: resets GDAL's thread-local last-error state; no pointers involved.
    unsafe { gdal_sys::CPLErrorReset() }
}

/// GDAL's last error message on this thread when it was a failure (or worse).
fn last_cpl_failure() -> Option<String> {
    // SAFETY: CPLGetLastErrorType reads thread-local state; CPLGetLastErrorMsg returns a
    // pointer to a thread-local NUL-terminated buffer owned by GDAL, copied at once.
    unsafe {
        if gdal_sys::CPLGetLastErrorType() < gdal_sys::CPLErr::CE_Failure {
            return None;
        }
        let p = gdal_sys::CPLGetLastErrorMsg();
        if p.is_null() {
            return Some("unknown GDAL error".into());
        }
        Some(
            std::ffi::CStr::from_ptr(p)
                .to_string_lossy()
                .trim()
                .to_string(),
        )
    }
}

/// A feature that cannot be reprojected: when its layer is geographic and its coordinates
/// fall outside longitude −180..180 / latitude −90..90 (or outside the region the analysis
/// CRS is valid for), say so and suggest the axis order.
fn reprojection_error(
    path: &Path,
    fid: u64,
    g: &Geometry,
    src_srs: &gdal::spatial_ref::SpatialRef,
    e: gdal::errors::GdalError,
) -> GisError {
    let env = g.envelope();
    let range = format!(
        "x {:.4}..{:.4}, y {:.4}..{:.4}",
        env.MinX, env.MaxX, env.MinY, env.MaxY
    );
    if src_srs.is_geographic() {
        let out_of_range =
            env.MinX < -180.0 || env.MaxX > 180.0 || env.MinY < -90.0 || env.MaxY > 90.0;
        let why = if out_of_range {
            "fall outside the valid range of its geographic CRS (longitude −180..180, latitude −90..90)"
        } else {
            "fall outside the region where the analysis CRS is valid"
        };
        return GisError::invalid(
            path,
            format!(
                "feature {fid}: coordinates ({range}) {why}; SlideMap reads x = longitude, y = latitude: are longitude and latitude swapped? If the file stores latitude first, swap x and y (QGIS: Processing → \"Swap X and Y coordinates\") and load it again ({e})"
            ),
        );
    }
    GisError::invalid(
        path,
        format!(
            "feature {fid}: coordinates ({range}) cannot be reprojected to the analysis CRS: they fall outside the region where it is valid; check the layer's CRS ({e})"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_filters_become_ogr_sql() {
        assert_eq!(
            translate_filter("Year_obs in [2005, 2006]"),
            "Year_obs in (2005, 2006)"
        );
        assert_eq!(translate_filter("name = '[x]'"), "name = '[x]'");
    }
}
