//! Cloud Optimized GeoTIFFs of one layer, through GDAL's `COG` driver (CreateCopy from an
//! in-memory dataset), written atomically.
//!
//! - Float layers ([`write_cog`]): Float32, `NaN` in memory → nodata −9999
//!   ([`crate::io::FILE_NODATA`]) in the file, DEFLATE with the floating-point predictor,
//!   overviews averaged.
//! - Masks ([`write_cog_mask`]): Byte, 0 = not likely, 1 = landslides likely,
//!   [`MASK_NODATA`] (255) = no value; overviews by nearest neighbour (classes stay 0/1).
//! - The driver builds internal overviews whenever a side exceeds its 512-px tiles; the
//!   file reports `LAYOUT=COG` in the `IMAGE_STRUCTURE` metadata domain.
//! - The band gets a description and a `UNITS` metadata item; the dataset
//!   gets the caller's metadata tags in the default domain.

use crate::grid::{Grid, GridSpec};
use crate::io::{write_atomically, GisError, FILE_NODATA};
use crate::report::ReportError;
use gdal::raster::{Buffer, GdalType, RasterCreationOptions};
use gdal::{Dataset, DriverManager, Metadata};
use std::path::Path;

/// Nodata value of mask COGs (0 and 1 are the classes).
pub const MASK_NODATA: u8 = 255;

/// What goes into a COG besides the pixels.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CogOptions {
    /// Band description shown by QGIS and `gdalinfo`, e.g. "Predicted LAD".
    pub description: String,
    /// Unit of the values, e.g. "fraction" (stored as the band's `UNITS` metadata item).
    pub unit: String,
    /// Dataset metadata tags (default domain), in order, e.g. `("SLIDEMAP_STEP", "3")`;
    /// see [`super::geotiff_tags`].
    pub tags: Vec<(String, String)>,
}

impl CogOptions {
    /// Options with a band description and unit, no tags.
    pub fn new(description: impl Into<String>, unit: impl Into<String>) -> Self {
        Self {
            description: description.into(),
            unit: unit.into(),
            tags: Vec::new(),
        }
    }
    /// Set the dataset metadata tags.
    pub fn with_tags(mut self, tags: Vec<(String, String)>) -> Self {
        self.tags = tags;
        self
    }
}

/// Write `grid` as a Float32 COG at `path` (NaN → nodata −9999), atomically.
pub fn write_cog(path: &Path, grid: &Grid<f32>, opts: &CogOptions) -> Result<(), ReportError> {
    let data: Vec<f32> = grid
        .data
        .iter()
        .map(|v| if v.is_nan() { FILE_NODATA as f32 } else { *v })
        .collect();
    let creation = "COMPRESS=DEFLATE PREDICTOR=YES RESAMPLING=AVERAGE BIGTIFF=IF_SAFER";
    write_any(path, &grid.spec, data, FILE_NODATA, opts, creation)
}

/// Write a class mask as a Byte COG at `path` (0 = not likely, 1 = landslides likely,
/// [`MASK_NODATA`] = no value), atomically. Values other than 0, 1 and 255 are refused.
/// Build the mask from a LAD grid with [`likely_mask`].
pub fn write_cog_mask(path: &Path, mask: &Grid<u8>, opts: &CogOptions) -> Result<(), ReportError> {
    if let Some(v) = mask
        .data
        .iter()
        .find(|v| !matches!(**v, 0 | 1 | MASK_NODATA))
    {
        return Err(ReportError::unwritable(
            path,
            format!("a mask holds 0, 1 or {MASK_NODATA} (no value), not {v}"),
        ));
    }
    let creation = "COMPRESS=DEFLATE RESAMPLING=NEAREST";
    write_any(
        path,
        &mask.spec,
        mask.data.clone(),
        f64::from(MASK_NODATA),
        opts,
        creation,
    )
}

/// The "landslides likely" mask of a LAD grid: 1 where the value is ≥ `threshold`, 0 below,
/// [`MASK_NODATA`] where it is NaN.
pub fn likely_mask(grid: &Grid<f32>, threshold: f32) -> Grid<u8> {
    let data = grid
        .data
        .iter()
        .map(|v| match v {
            v if v.is_nan() => MASK_NODATA,
            v if *v >= threshold => 1,
            _ => 0,
        })
        .collect();
    Grid {
        spec: grid.spec.clone(),
        data,
    }
}

/// Build the in-memory dataset and CreateCopy it to a temporary sibling, renamed at the end.
fn write_any<T: GdalType + Copy>(
    path: &Path,
    spec: &GridSpec,
    data: Vec<T>,
    nodata: f64,
    opts: &CogOptions,
    creation: &str,
) -> Result<(), ReportError> {
    write_atomically(path, |tmp| {
        let mem = mem_dataset(spec, data, nodata, opts)?;
        let driver = DriverManager::get_driver_by_name("COG")
            .map_err(|e| GisError::gdal(tmp, "COG driver", e))?;
        let options: RasterCreationOptions = creation
            .parse()
            .map_err(|e| GisError::gdal(tmp, "COG creation options", e))?;
        let out = mem
            .create_copy(&driver, tmp, &options)
            .map_err(|e| GisError::gdal(tmp, "writing the COG", e))?;
        out.close()
            .map_err(|e| GisError::gdal(tmp, "closing the COG", e))?;
        Ok(())
    })
    .map_err(|e| ReportError::gis(path, e))
}

/// A one-band MEM dataset with georeferencing, nodata, description, unit and tags.
fn mem_dataset<T: GdalType + Copy>(
    spec: &GridSpec,
    data: Vec<T>,
    nodata: f64,
    opts: &CogOptions,
) -> Result<Dataset, GisError> {
    let p = Path::new("<memory>");
    let gdal = |what: &'static str| move |e| GisError::gdal(p, what, e);
    let driver = DriverManager::get_driver_by_name("MEM").map_err(gdal("MEM driver"))?;
    let mut ds = driver
        .create_with_band_type::<T, _>("", spec.cols, spec.rows, 1)
        .map_err(gdal("creating in-memory raster"))?;
    ds.set_geo_transform(&spec.geo_transform())
        .map_err(gdal("setting geotransform"))?;
    if !spec.crs_wkt.is_empty() {
        ds.set_projection(&spec.crs_wkt)
            .map_err(gdal("setting CRS"))?;
    }
    for (key, value) in &opts.tags {
        ds.set_metadata_item(key, value, "")
            .map_err(gdal("setting a metadata tag"))?;
    }
    {
        let mut band = ds.rasterband(1).map_err(gdal("band"))?;
        band.set_no_data_value(Some(nodata))
            .map_err(gdal("nodata"))?;
        if !opts.description.is_empty() {
            band.set_description(&opts.description)
                .map_err(gdal("band description"))?;
        }
        if !opts.unit.is_empty() {
            band.set_metadata_item("UNITS", &opts.unit, "")
                .map_err(gdal("unit"))?;
        }
        let mut buf = Buffer::new((spec.cols, spec.rows), data);
        band.write((0, 0), (spec.cols, spec.rows), &mut buf)
            .map_err(gdal("writing pixels"))?;
    }
    Ok(ds)
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

    fn tags() -> Vec<(String, String)> {
        vec![
            ("SLIDEMAP_VERSION".into(), "0.1.0".into()),
            ("SLIDEMAP_STEP".into(), "2".into()),
        ]
    }

    #[test]
    fn a_float_cog_reads_back_with_values_nodata_crs_tags_layout_and_overviews() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("lad.tif");
        let spec = GridSpec::new(600, 520, 500_000.0, 3_100_000.0, 30.0, 30.0, utm()).unwrap();
        let mut g = Grid::filled(spec, 0.25f32);
        g.data[3] = f32::NAN;
        g.data[4] = 0.75;
        let opts = CogOptions::new("Predicted LAD", "fraction").with_tags(tags());
        write_cog(&p, &g, &opts).unwrap();
        let ds = Dataset::open(&p).unwrap();
        assert_eq!(
            ds.metadata_item("LAYOUT", "IMAGE_STRUCTURE").as_deref(),
            Some("COG")
        );
        assert_eq!(
            ds.metadata_item("COMPRESSION", "IMAGE_STRUCTURE")
                .as_deref(),
            Some("DEFLATE")
        );
        assert_eq!(ds.metadata_item("SLIDEMAP_STEP", "").as_deref(), Some("2"));
        assert_eq!(
            ds.metadata_item("SLIDEMAP_VERSION", "").as_deref(),
            Some("0.1.0")
        );
        assert!(crate::io::same_crs(&ds.projection(), &utm()));
        let band = ds.rasterband(1).unwrap();
        assert_eq!(band.band_type().name(), "Float32");
        assert_eq!(band.no_data_value(), Some(FILE_NODATA));
        assert_eq!(band.description().unwrap(), "Predicted LAD");
        assert_eq!(band.metadata_item("UNITS", "").as_deref(), Some("fraction"));
        assert!(band.overview_count().unwrap() >= 1);
        let back = crate::io::read_raster(&p, 1).unwrap();
        assert_eq!(back.spec.geo_transform(), g.spec.geo_transform());
        assert!(back.data[3].is_nan());
        assert_eq!(back.data[4], 0.75);
        assert_eq!(back.data[5], 0.25);
        // nothing but the COG is left in the directory (no temporary file)
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_mask_cog_is_byte_with_nodata_255_and_its_classes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("likely.tif");
        let spec = GridSpec::new(4, 2, 0.0, 20.0, 10.0, 10.0, utm()).unwrap();
        let lad =
            Grid::from_vec(spec, vec![0.0, 0.1, 0.2, f32::NAN, 0.5, 0.05, 0.09, 1.0]).unwrap();
        let mask = likely_mask(&lad, 0.1);
        assert_eq!(mask.data, vec![0, 1, 1, 255, 1, 0, 0, 1]);
        write_cog_mask(&p, &mask, &CogOptions::new("Landslides likely", "class")).unwrap();
        let ds = Dataset::open(&p).unwrap();
        assert_eq!(
            ds.metadata_item("LAYOUT", "IMAGE_STRUCTURE").as_deref(),
            Some("COG")
        );
        let band = ds.rasterband(1).unwrap();
        assert_eq!(band.band_type().name(), "Byte");
        assert_eq!(band.no_data_value(), Some(255.0));
        let buf = band.read_as::<u8>((0, 0), (4, 2), (4, 2), None).unwrap();
        assert_eq!(buf.data(), mask.data.as_slice());
    }

    #[test]
    fn a_mask_with_other_values_is_refused_and_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad_mask.tif");
        let spec = GridSpec::new(2, 1, 0.0, 10.0, 10.0, 10.0, utm()).unwrap();
        let mask = Grid::from_vec(spec, vec![0u8, 7]).unwrap();
        let e = write_cog_mask(&p, &mask, &CogOptions::default()).unwrap_err();
        assert!(e.to_string().contains("bad_mask.tif"), "{e}");
        assert!(!p.exists());
    }
}
