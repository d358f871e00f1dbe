//! Coordinate reference systems: parsing user definitions, UTM zones, point and extent
//! transforms. All `SpatialRef`s use the traditional GIS axis order (x = lon/easting).

use super::GisError;
use crate::grid::Extent;
use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};
use std::path::Path;

/// Parse "EPSG:32645", WKT, PROJ strings, … into a `SpatialRef` with GIS axis order.
pub fn srs_from_user(definition: &str) -> Result<SpatialRef, GisError> {
    let mut srs = SpatialRef::from_definition(definition).map_err(|source| GisError::Crs {
        definition: definition.to_string(),
        source,
    })?;
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    Ok(srs)
}

/// Parse WKT into a `SpatialRef` with GIS axis order.
pub fn srs_from_wkt(wkt: &str) -> Result<SpatialRef, GisError> {
    let mut srs = SpatialRef::from_wkt(wkt).map_err(|source| GisError::Crs {
        definition: wkt.chars().take(80).collect(),
        source,
    })?;
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    Ok(srs)
}

/// WKT of WGS 84 geographic coordinates (EPSG:4326).
pub fn wgs84_wkt() -> Result<String, GisError> {
    let srs = srs_from_user("EPSG:4326")?;
    srs.to_wkt().map_err(|source| GisError::Crs {
        definition: "EPSG:4326".into(),
        source,
    })
}

/// EPSG code of the WGS 84 UTM zone containing (lon, lat): 326zz north, 327zz south.
pub fn utm_epsg_for_lon_lat(lon: f64, lat: f64) -> u32 {
    let zone = (((lon + 180.0) / 6.0).floor() as i64).clamp(0, 59) as u32 + 1;
    if lat >= 0.0 {
        32600 + zone
    } else {
        32700 + zone
    }
}

/// True when the WKT describes a geographic (degree-based) CRS.
pub fn is_geographic(wkt: &str) -> bool {
    srs_from_wkt(wkt)
        .map(|s| s.is_geographic())
        .unwrap_or(false)
}

/// True when two WKT strings describe the same CRS (GDAL's `IsSame`).
pub fn same_crs(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (srs_from_wkt(a), srs_from_wkt(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn transform(src_wkt: &str, dst_wkt: &str, path: &Path) -> Result<CoordTransform, GisError> {
    let src = srs_from_wkt(src_wkt)?;
    let dst = srs_from_wkt(dst_wkt)?;
    CoordTransform::new(&src, &dst)
        .map_err(|e| GisError::gdal(path, "coordinate transformation", e))
}

/// Transform (x, y) points in place from one CRS to another.
pub fn transform_points(
    points: &mut [[f64; 2]],
    src_wkt: &str,
    dst_wkt: &str,
    path: &Path,
) -> Result<(), GisError> {
    if points.is_empty() || same_crs(src_wkt, dst_wkt) {
        return Ok(());
    }
    let t = transform(src_wkt, dst_wkt, path)?;
    let mut xs: Vec<f64> = points.iter().map(|p| p[0]).collect();
    let mut ys: Vec<f64> = points.iter().map(|p| p[1]).collect();
    let mut zs = vec![0.0; points.len()];
    t.transform_coords(&mut xs, &mut ys, &mut zs)
        .map_err(|e| GisError::gdal(path, "coordinate transformation", e))?;
    for (p, (x, y)) in points.iter_mut().zip(xs.into_iter().zip(ys)) {
        *p = [x, y];
    }
    Ok(())
}

/// Transform an extent, densifying its edges (21 points per edge) so curved edges are
/// covered.
pub fn transform_extent(
    extent: &Extent,
    src_wkt: &str,
    dst_wkt: &str,
    path: &Path,
) -> Result<Extent, GisError> {
    if same_crs(src_wkt, dst_wkt) {
        return Ok(*extent);
    }
    let n = 20;
    let mut pts = Vec::with_capacity(4 * (n + 1));
    for i in 0..=n {
        let f = i as f64 / n as f64;
        let x = extent.x_min + f * extent.width();
        let y = extent.y_min + f * extent.height();
        pts.push([x, extent.y_min]);
        pts.push([x, extent.y_max]);
        pts.push([extent.x_min, y]);
        pts.push([extent.x_max, y]);
    }
    transform_points(&mut pts, src_wkt, dst_wkt, path)?;
    Extent::of_points(pts).ok_or_else(|| {
        GisError::invalid(
            path,
            "the extent could not be transformed to the analysis CRS",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utm_zone_follows_longitude_and_hemisphere() {
        assert_eq!(utm_epsg_for_lon_lat(84.7, 28.2), 32645);
        assert_eq!(utm_epsg_for_lon_lat(116.3, -8.4), 32750);
        assert_eq!(utm_epsg_for_lon_lat(-122.0, 37.0), 32610);
    }

    #[test]
    fn epsg_4326_points_are_lon_lat() {
        let wgs = wgs84_wkt().unwrap();
        let utm = srs_from_user("EPSG:32645").unwrap().to_wkt().unwrap();
        let mut p = [[87.0, 28.0]];
        transform_points(&mut p, &wgs, &utm, Path::new("test")).unwrap();
        // central meridian of zone 45 is 87°E: easting 500 km
        assert!((p[0][0] - 500_000.0).abs() < 1.0, "{:?}", p);
        assert!((p[0][1] - 3_097_800.0).abs() < 2_000.0, "{:?}", p);
    }

    #[test]
    fn unknown_crs_definitions_are_reported() {
        let e = srs_from_user("EPSG:999999").unwrap_err();
        assert!(e.to_string().contains("EPSG:999999"));
    }
}
