//! A small Byte (uint8) GeoTIFF writer for class codes (land cover) and LiCSAR-style
//! coherence (0 = nodata, 1–255 = coherence × 255): tiled, DEFLATE, written atomically
//! (temp sibling, fsync, rename).

use crate::grid::GridSpec;
use crate::io::{write_atomically, GisError};
use gdal::raster::{Buffer, RasterCreationOptions};
use gdal::{DriverManager, Metadata};
use std::path::Path;

/// Write `data` (row-major on `spec`) as a one-band Byte GeoTIFF with nodata `nodata`.
pub(crate) fn write_byte_geotiff(
    path: &Path,
    spec: &GridSpec,
    data: Vec<u8>,
    nodata: u8,
    description: &str,
) -> Result<(), GisError> {
    write_atomically(path, |tmp| {
        write_inner(tmp, spec, data, nodata, description)
    })
}

fn write_inner(
    tmp: &Path,
    spec: &GridSpec,
    data: Vec<u8>,
    nodata: u8,
    description: &str,
) -> Result<(), GisError> {
    if data.len() != spec.len() {
        return Err(GisError::invalid(
            tmp,
            format!(
                "{} values for a {} × {} grid",
                data.len(),
                spec.cols,
                spec.rows
            ),
        ));
    }
    let driver = DriverManager::get_driver_by_name("GTiff")
        .map_err(|e| GisError::gdal(tmp, "GTiff driver", e))?;
    let options: RasterCreationOptions =
        "TILED=YES BLOCKXSIZE=256 BLOCKYSIZE=256 COMPRESS=DEFLATE PREDICTOR=2"
            .parse()
            .map_err(|e| GisError::gdal(tmp, "creation options", e))?;
    let mut ds = driver
        .create_with_band_type_with_options::<u8, _>(tmp, spec.cols, spec.rows, 1, &options)
        .map_err(|e| GisError::gdal(tmp, "creating GeoTIFF", e))?;
    ds.set_geo_transform(&spec.geo_transform())
        .map_err(|e| GisError::gdal(tmp, "setting geotransform", e))?;
    ds.set_projection(&spec.crs_wkt)
        .map_err(|e| GisError::gdal(tmp, "setting CRS", e))?;
    {
        let mut band = ds
            .rasterband(1)
            .map_err(|e| GisError::gdal(tmp, "band", e))?;
        band.set_no_data_value(Some(f64::from(nodata)))
            .map_err(|e| GisError::gdal(tmp, "nodata", e))?;
        band.set_description(description)
            .map_err(|e| GisError::gdal(tmp, "description", e))?;
        let mut buf = Buffer::new((spec.cols, spec.rows), data);
        band.write((0, 0), (spec.cols, spec.rows), &mut buf)
            .map_err(|e| GisError::gdal(tmp, "writing pixels", e))?;
    }
    ds.close()
        .map_err(|e| GisError::gdal(tmp, "closing GeoTIFF", e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{raster_info, read_raster, wgs84_wkt};

    #[test]
    fn byte_rasters_round_trip_with_zero_as_nodata() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("coh.tif");
        let spec = GridSpec::new(3, 2, 84.0, 28.0, 0.001, 0.001, wgs84_wkt().unwrap()).unwrap();
        write_byte_geotiff(&p, &spec, vec![0, 1, 128, 255, 7, 9], 0, "coherence").unwrap();
        assert_eq!(raster_info(&p).unwrap().data_type, "Byte");
        let g = read_raster(&p, 1).unwrap();
        assert!(g.data[0].is_nan());
        assert_eq!(g.data[3], 255.0);
    }
}
