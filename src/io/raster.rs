//! Reading rasters on their own grid and writing GeoTIFFs (tiled, compressed, with
//! overviews, atomically).

use super::{write_atomically, GisError};
use crate::grid::{Grid, GridSpec};
use gdal::raster::{Buffer, RasterCreationOptions};
use gdal::{Dataset, DriverManager, Metadata};
use std::path::{Path, PathBuf};

/// Nodata value written to float GeoTIFFs (NaN cells become this).
pub const FILE_NODATA: f64 = -9999.0;

/// What a raster file is, without reading its pixels.
#[derive(Debug, Clone)]
pub struct RasterInfo {
    /// The file.
    pub path: PathBuf,
    /// Its native grid (CRS may be empty when the file has none).
    pub spec: GridSpec,
    /// Number of bands.
    pub band_count: usize,
    /// Nodata value of band 1.
    pub nodata: Option<f64>,
    /// GDAL data type name of band 1 (e.g. "Byte", "Float32").
    pub data_type: String,
}

/// Open a GIS file after checking it is a regular readable file (never blocks on a FIFO).
pub(crate) fn open(path: &Path) -> Result<Dataset, GisError> {
    super::check_input_file(path)?;
    let _ctx = super::gdal_log::reading(path);
    let ds = Dataset::open(path).map_err(|source| GisError::open(path, source))?;
    check_raw_size(&ds, path)?;
    Ok(ds)
}

/// Raw binary formats (ENVI, EHdr, …) read a truncated data file as zeros without any
/// error: compare the file size with what the header declares.
fn check_raw_size(ds: &Dataset, path: &Path) -> Result<(), GisError> {
    const RAW: &[&str] = &["ENVI", "EHdr", "GenBin", "ISCE", "ROI_PAC", "BT", "PAux"];
    let driver = ds.driver().short_name();
    let is_header = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("hdr"));
    if !RAW.contains(&driver.as_str()) || is_header || ds.raster_count() == 0 {
        return Ok(());
    }
    let Ok(band) = ds.rasterband(1) else {
        return Ok(());
    };
    let (cols, rows) = ds.raster_size();
    // The gdal crate reports complex types (CFloat32, CInt16) as "Unknown" with size 0, so
    // the size comes from GDAL itself.
    // SAFETY: `band` is alive for this call, so its handle is valid; both functions only
    // read the band's data type.
    let pixel_bytes = unsafe {
        gdal_sys::GDALGetDataTypeSizeBytes(gdal_sys::GDALGetRasterDataType(band.c_rasterband()))
    };
    let need = (cols as u64)
        .saturating_mul(rows as u64)
        .saturating_mul(ds.raster_count() as u64)
        .saturating_mul(pixel_bytes.max(0) as u64);
    let have = std::fs::metadata(path).map(|m| m.len()).unwrap_or(u64::MAX);
    if have < need {
        return Err(GisError::Damaged {
            path: path.to_path_buf(),
            detail: format!(
                "the {driver} data file holds {have} bytes but its header declares {rows} × {cols} pixels × {} band(s) of {pixel_bytes} bytes, {need} bytes",
                ds.raster_count(),
            ),
        });
    }
    Ok(())
}

pub(crate) fn spec_of(ds: &Dataset, path: &Path) -> Result<GridSpec, GisError> {
    let gt = ds
        .geo_transform()
        .map_err(|_| GisError::invalid(path, "has no georeferencing (geotransform)"))?;
    let (cols, rows) = ds.raster_size();
    GridSpec::from_geo_transform(gt, cols, rows, ds.projection())
        .map_err(|e| GisError::invalid(path, e.to_string()))
}

/// Describe a raster without reading pixels.
pub fn raster_info(path: &Path) -> Result<RasterInfo, GisError> {
    let ds = open(path)?;
    let spec = spec_of(&ds, path)?;
    let band = ds
        .rasterband(1)
        .map_err(|e| GisError::gdal(path, "reading band 1", e))?;
    Ok(RasterInfo {
        path: path.to_path_buf(),
        spec,
        band_count: ds.raster_count(),
        nodata: band.no_data_value(),
        data_type: band.band_type().name(),
    })
}

/// Read one band (1-based) on the raster's own grid; nodata → NaN. Fails on a raster
/// without CRS, and on one whose every cell is nodata.
pub fn read_raster(path: &Path, band_index: usize) -> Result<Grid<f32>, GisError> {
    let ds = open(path)?;
    let _ctx = super::gdal_log::reading(path);
    let spec = spec_of(&ds, path)?;
    if spec.crs_wkt.trim().is_empty() {
        return Err(GisError::NoCrs {
            path: path.to_path_buf(),
        });
    }
    // The whole band is read at once: check it fits (Float32 plus GDAL's read buffer).
    crate::grid::check_grid_fits(
        "the raster",
        spec.rows,
        spec.cols,
        8,
        "crop or resample it first (e.g. gdal_translate -srcwin, or gdalwarp -tr with larger cells)",
    )
    .map_err(|e| GisError::invalid(path, e.to_string()))?;
    if band_index == 0 || band_index > ds.raster_count() {
        return Err(GisError::invalid(
            path,
            format!(
                "has {} band(s), band {band_index} requested",
                ds.raster_count()
            ),
        ));
    }
    let band = ds
        .rasterband(band_index)
        .map_err(|e| GisError::gdal(path, "opening band", e))?;
    let nodata = band.no_data_value();
    let buf = band
        .read_as::<f32>((0, 0), band.size(), band.size(), None)
        .map_err(|e| GisError::gdal(path, "reading pixels", e))?;
    let (_, mut data) = buf.into_shape_and_vec();
    if let Some(nd) = nodata {
        let nd32 = nd as f32;
        for v in data.iter_mut() {
            if *v == nd32 || (nd.is_nan() && v.is_nan()) {
                *v = f32::NAN;
            }
        }
    }
    let grid = Grid::from_vec(spec, data).map_err(|e| GisError::invalid(path, e.to_string()))?;
    if grid.valid_count() == 0 {
        return Err(GisError::AllNoData {
            path: path.to_path_buf(),
        });
    }
    Ok(grid)
}

/// A single-band Float32 in-memory GDAL dataset holding `grid` (NaN nodata).
pub fn grid_to_mem_dataset(grid: &Grid<f32>) -> Result<Dataset, GisError> {
    let p = Path::new("<memory>");
    let driver =
        DriverManager::get_driver_by_name("MEM").map_err(|e| GisError::gdal(p, "MEM driver", e))?;
    let mut ds = driver
        .create_with_band_type::<f32, _>("", grid.spec.cols, grid.spec.rows, 1)
        .map_err(|e| GisError::gdal(p, "creating in-memory raster", e))?;
    ds.set_geo_transform(&grid.spec.geo_transform())
        .map_err(|e| GisError::gdal(p, "setting geotransform", e))?;
    if !grid.spec.crs_wkt.is_empty() {
        ds.set_projection(&grid.spec.crs_wkt)
            .map_err(|e| GisError::gdal(p, "setting CRS", e))?;
    }
    {
        let mut band = ds.rasterband(1).map_err(|e| GisError::gdal(p, "band", e))?;
        band.set_no_data_value(Some(f64::NAN))
            .map_err(|e| GisError::gdal(p, "nodata", e))?;
        let mut buf = Buffer::new((grid.spec.cols, grid.spec.rows), grid.data.clone());
        band.write((0, 0), (grid.spec.cols, grid.spec.rows), &mut buf)
            .map_err(|e| GisError::gdal(p, "writing pixels", e))?;
    }
    Ok(ds)
}

/// Options for [`write_geotiff`].
#[derive(Debug, Clone)]
pub struct GeoTiffOptions {
    /// Build internal overviews (2, 4, 8, … until the smaller side is under 256 px).
    pub overviews: bool,
    /// Band description (shown by QGIS), e.g. "landslide areal density".
    pub description: Option<String>,
    /// Unit string stored on the band, e.g. "degrees".
    pub unit: Option<String>,
}

impl Default for GeoTiffOptions {
    fn default() -> Self {
        Self {
            overviews: true,
            description: None,
            unit: None,
        }
    }
}

/// Write a Float32 GeoTIFF (tiled 256×256, DEFLATE, nodata −9999, CRS and geotransform,
/// optional internal overviews) atomically: temp file, fsync, rename.
pub fn write_geotiff(path: &Path, grid: &Grid<f32>, opts: &GeoTiffOptions) -> Result<(), GisError> {
    write_atomically(path, |tmp| write_geotiff_inner(tmp, grid, opts))
}

fn write_geotiff_inner(
    tmp: &Path,
    grid: &Grid<f32>,
    opts: &GeoTiffOptions,
) -> Result<(), GisError> {
    let driver = DriverManager::get_driver_by_name("GTiff")
        .map_err(|e| GisError::gdal(tmp, "GTiff driver", e))?;
    let options: RasterCreationOptions =
        "TILED=YES BLOCKXSIZE=256 BLOCKYSIZE=256 COMPRESS=DEFLATE PREDICTOR=3 BIGTIFF=IF_SAFER"
            .parse()
            .map_err(|e| GisError::gdal(tmp, "creation options", e))?;
    let (cols, rows) = (grid.spec.cols, grid.spec.rows);
    let mut ds = driver
        .create_with_band_type_with_options::<f32, _>(tmp, cols, rows, 1, &options)
        .map_err(|e| GisError::gdal(tmp, "creating GeoTIFF", e))?;
    ds.set_geo_transform(&grid.spec.geo_transform())
        .map_err(|e| GisError::gdal(tmp, "setting geotransform", e))?;
    if !grid.spec.crs_wkt.is_empty() {
        ds.set_projection(&grid.spec.crs_wkt)
            .map_err(|e| GisError::gdal(tmp, "setting CRS", e))?;
    }
    {
        let mut band = ds
            .rasterband(1)
            .map_err(|e| GisError::gdal(tmp, "band", e))?;
        band.set_no_data_value(Some(FILE_NODATA))
            .map_err(|e| GisError::gdal(tmp, "nodata", e))?;
        if let Some(d) = &opts.description {
            band.set_description(d)
                .map_err(|e| GisError::gdal(tmp, "description", e))?;
        }
        if let Some(u) = &opts.unit {
            band.set_metadata_item("UNITS", u, "")
                .map_err(|e| GisError::gdal(tmp, "unit", e))?;
        }
        let data: Vec<f32> = grid
            .data
            .iter()
            .map(|v| if v.is_nan() { FILE_NODATA as f32 } else { *v })
            .collect();
        let mut buf = Buffer::new((cols, rows), data);
        band.write((0, 0), (cols, rows), &mut buf)
            .map_err(|e| GisError::gdal(tmp, "writing pixels", e))?;
    }
    if opts.overviews {
        let mut levels = Vec::new();
        let mut f = 2;
        while cols.min(rows) / f >= 128 {
            levels.push(f as i32);
            f *= 2;
        }
        if !levels.is_empty() {
            ds.build_overviews("AVERAGE", &levels, &[])
                .map_err(|e| GisError::gdal(tmp, "building overviews", e))?;
        }
    }
    ds.close()
        .map_err(|e| GisError::gdal(tmp, "closing GeoTIFF", e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utm() -> String {
        crate::io::srs_from_user("EPSG:32645")
            .unwrap()
            .to_wkt()
            .unwrap()
    }

    #[test]
    fn geotiff_round_trip_keeps_values_nodata_and_georeferencing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.tif");
        let spec = GridSpec::new(300, 260, 500_000.0, 3_100_000.0, 20.0, 22.0, utm()).unwrap();
        let mut g = Grid::filled(spec, 1.5f32);
        g.data[7] = f32::NAN;
        g.data[8] = 42.0;
        write_geotiff(&p, &g, &GeoTiffOptions::default()).unwrap();
        let back = read_raster(&p, 1).unwrap();
        assert_eq!(back.spec.geo_transform(), g.spec.geo_transform());
        assert!(crate::io::same_crs(&back.spec.crs_wkt, &g.spec.crs_wkt));
        assert!(back.data[7].is_nan());
        assert_eq!(back.data[8], 42.0);
        let ds = Dataset::open(&p).unwrap();
        assert!(ds.rasterband(1).unwrap().overview_count().unwrap() >= 1);
    }

    #[test]
    fn missing_and_corrupt_files_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.tif");
        let e = read_raster(&missing, 1).unwrap_err();
        assert!(matches!(e, GisError::NotFound { .. }));
        let corrupt = dir.path().join("bad.tif");
        std::fs::write(&corrupt, b"II*\0 this is not a tiff").unwrap();
        let e = read_raster(&corrupt, 1).unwrap_err();
        assert!(e.to_string().contains("bad.tif"), "{e}");
    }

    #[test]
    fn rasters_without_crs_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nocrs.tif");
        let spec = GridSpec::new(4, 4, 0.0, 4.0, 1.0, 1.0, String::new()).unwrap();
        write_geotiff(&p, &Grid::filled(spec, 1.0f32), &GeoTiffOptions::default()).unwrap();
        assert!(matches!(read_raster(&p, 1), Err(GisError::NoCrs { .. })));
    }

    #[test]
    fn all_nodata_rasters_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("empty.tif");
        let spec = GridSpec::new(4, 4, 0.0, 4.0, 1.0, 1.0, utm()).unwrap();
        write_geotiff(
            &p,
            &Grid::filled(spec, f32::NAN),
            &GeoTiffOptions::default(),
        )
        .unwrap();
        assert!(matches!(
            read_raster(&p, 1),
            Err(GisError::AllNoData { .. })
        ));
    }
}
