//! Bringing the model's inputs onto a target grid from files, and computing the model from
//! rasters alone (the USGS global-input layout: gradient or slope, CTI, coefficient rasters).
//!
//! Resampling follows the USGS implementation: PGV and CTI bilinear, lithology and land cover
//! nearest neighbour (mode when the source is much finer than the target), slope bilinear.
//! Units: PGV cm/s (ShakeMap `grid.xml` field PGV, or band 1 of a raster), slope degrees
//! (a gradient raster is converted with `atan`), output LS areal fraction 0–1, NaN = nodata.

use super::inputs::{
    check_coefficients, check_pgv, check_slope_degrees, detect_content, detect_slope_unit,
    landcover_coefficients, slope_deg_from_gradient, RasterContent, SlopeUnit,
    LANDCOVER_COEF_RANGE, ROCK_COEF_RANGE,
};
use super::model::{areal_coverage, ModelInputs, MIN_SLOPE_DEG};
use super::GroundFailureError;
use crate::grid::{Grid, GridSpec};
use crate::io::{
    is_shakemap, read_shakemap, warp_dataset_to_grid, warp_file_to_grid, warp_grid, GisError,
    Resampling, WarpOptions,
};
use std::path::{Path, PathBuf};

/// Which coefficient layer a raster is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassLayer {
    /// GLiM lithology (`rock` term).
    Lithology,
    /// GlobCover / ESA CCI land cover (`landcover` term).
    LandCover,
}

impl ClassLayer {
    fn name(self) -> &'static str {
        match self {
            ClassLayer::Lithology => "lithology",
            ClassLayer::LandCover => "land cover",
        }
    }
}

/// Warp band `opts.band` of `path` onto `target`; a file without a CRS is read as being in
/// `assume_crs_wkt` when one is given (through an in-memory copy; the file is not touched).
fn warp(
    path: &Path,
    target: &GridSpec,
    opts: &WarpOptions,
    assume_crs_wkt: Option<&str>,
) -> Result<Grid<f32>, GisError> {
    let Some(wkt) = assume_crs_wkt else {
        return warp_file_to_grid(path, target, opts);
    };
    crate::io::check_input_file(path)?;
    let ds = gdal::Dataset::open(path).map_err(|source| GisError::open(path, source))?;
    if !ds.projection().trim().is_empty() {
        return warp_dataset_to_grid(&ds, path, target, opts);
    }
    let mem_driver = gdal::DriverManager::get_driver_by_name("MEM")
        .map_err(|e| GisError::gdal(path, "MEM driver", e))?;
    let mut mem = ds
        .create_copy(
            &mem_driver,
            "",
            &gdal::raster::RasterCreationOptions::default(),
        )
        .map_err(|e| GisError::gdal(path, "copying to memory", e))?;
    mem.set_projection(wkt)
        .map_err(|e| GisError::gdal(path, "assigning the assumed CRS", e))?;
    warp_dataset_to_grid(&mem, path, target, opts)
}

/// PGV (cm/s) on `target`, bilinear: a ShakeMap `grid.xml` (by extension) or band `band` of
/// a raster.
pub fn load_pgv(
    path: &Path,
    band: Option<usize>,
    target: &GridSpec,
) -> Result<Grid<f32>, GroundFailureError> {
    pgv_with_crs(path, band, target, None)
}

fn pgv_with_crs(
    path: &Path,
    band: Option<usize>,
    target: &GridSpec,
    assume_crs_wkt: Option<&str>,
) -> Result<Grid<f32>, GroundFailureError> {
    let opts = WarpOptions::continuous().with_resampling(Resampling::Bilinear);
    if is_shakemap(path) {
        let sm = read_shakemap(path)?;
        let pgv = sm.field("PGV").map_err(|e| GroundFailureError::BadPgv {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        Ok(warp_grid(&pgv, path, target, &opts)?)
    } else {
        Ok(warp(
            path,
            target,
            &opts.with_band(band.unwrap_or(1)),
            assume_crs_wkt,
        )?)
    }
}

/// A lithology or land-cover raster as coefficients on `target`: rasters of coefficients
/// are checked (and the superseded `su` value corrected); land-cover class codes are looked
/// up; lithology class codes in a raster cannot be named and are refused. Returns warnings.
pub fn load_class_raster(
    path: &Path,
    band: Option<usize>,
    target: &GridSpec,
    layer: ClassLayer,
) -> Result<(Grid<f32>, Vec<String>), GroundFailureError> {
    class_raster_with_crs(path, band, target, layer, None)
}

fn class_raster_with_crs(
    path: &Path,
    band: Option<usize>,
    target: &GridSpec,
    layer: ClassLayer,
    assume_crs_wkt: Option<&str>,
) -> Result<(Grid<f32>, Vec<String>), GroundFailureError> {
    let mut g = warp(
        path,
        target,
        &WarpOptions::categorical().with_band(band.unwrap_or(1)),
        assume_crs_wkt,
    )?;
    let input = layer.name();
    match (detect_content(&g.data), layer) {
        (RasterContent::Coefficients, ClassLayer::Lithology) => {
            let fixed = check_coefficients(&mut g.data, ROCK_COEF_RANGE, true, input, path)?;
            let w = (fixed > 0).then(|| {
                format!("lithology ({}): {fixed} cells held the superseded unconsolidated-sediment coefficient −3.21/−3.22; −1.36 is used", path.display())
            });
            Ok((g, w.into_iter().collect()))
        }
        (RasterContent::Coefficients, ClassLayer::LandCover) => {
            check_coefficients(&mut g.data, LANDCOVER_COEF_RANGE, false, input, path)?;
            Ok((g, Vec::new()))
        }
        (RasterContent::ClassCodes, ClassLayer::LandCover) => {
            let (coef, warnings) = landcover_coefficients(&g.data, path)?;
            Ok((Grid { spec: g.spec, data: coef }, warnings))
        }
        (RasterContent::ClassCodes, ClassLayer::Lithology) => Err(GroundFailureError::BadRaster {
            input: input.into(),
            path: path.to_path_buf(),
            message: "holds integer class codes, which carry no GLiM class names: give GLiM polygons with a class \
                      field (values such as 'mt', 'ss', 'su') or a raster of model coefficients"
                .into(),
        }),
    }
}

/// Unit of a slope raster given to [`compute_from_rasters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlopeRasterUnit {
    /// Degrees.
    Degrees,
    /// Gradient, rise/run (as the USGS `global_grad.tif`).
    Gradient,
}

/// The model's inputs as files (the USGS global-input layout).
#[derive(Debug, Clone, PartialEq)]
pub struct RasterInputs {
    /// ShakeMap `grid.xml` or PGV raster (cm/s).
    pub pgv: PathBuf,
    /// Slope raster.
    pub slope: PathBuf,
    /// The unit `slope` is declared to be in; checked against its values.
    pub slope_unit: SlopeRasterUnit,
    /// Compound topographic index raster.
    pub cti: PathBuf,
    /// Lithology: coefficients raster.
    pub lithology: PathBuf,
    /// Land cover: GlobCover / ESA CCI codes, or coefficients.
    pub land_cover: PathBuf,
    /// CRS (WKT) assumed for rasters that carry none (several USGS global inputs lack one;
    /// they are EPSG:4326); `None` makes such rasters an error.
    pub assume_crs_wkt: Option<String>,
}

/// Compute the areal coverage on `target` from rasters; returns the grid and warnings.
pub fn compute_from_rasters(
    inputs: &RasterInputs,
    target: &GridSpec,
) -> Result<(Grid<f32>, Vec<String>), GroundFailureError> {
    let bilinear = WarpOptions::continuous().with_resampling(Resampling::Bilinear);
    let crs = inputs.assume_crs_wkt.as_deref();
    let raw_slope = warp(&inputs.slope, target, &bilinear, crs)?;
    let name = inputs.slope.display().to_string();
    let slope_deg = match inputs.slope_unit {
        SlopeRasterUnit::Degrees => {
            check_slope_degrees(&raw_slope.data, &name)?;
            raw_slope.data
        }
        SlopeRasterUnit::Gradient => {
            if detect_slope_unit(&raw_slope.data) != SlopeUnit::Gradient {
                let max = raw_slope.min_max().map_or(f32::NAN, |m| m.1);
                if f64::from(max) > std::f64::consts::FRAC_PI_2 {
                    return Err(GroundFailureError::SlopeUnit {
                        source_name: name,
                        message: format!("declared a gradient (rise/run) but values reach {max:.2} (a {:.0}° slope): this looks like degrees or percent", max.atan().to_degrees()),
                    });
                }
            }
            slope_deg_from_gradient(&raw_slope.data)
        }
    };
    let mut warnings = Vec::new();
    let pgv = pgv_with_crs(&inputs.pgv, None, target, crs)?;
    let cti = warp(&inputs.cti, target, &bilinear, crs)?;
    let (rock, w) =
        class_raster_with_crs(&inputs.lithology, None, target, ClassLayer::Lithology, crs)?;
    warnings.extend(w);
    let (lc, w) =
        class_raster_with_crs(&inputs.land_cover, None, target, ClassLayer::LandCover, crs)?;
    warnings.extend(w);
    let needed: Vec<bool> = slope_deg
        .iter()
        .map(|s| f64::from(*s) >= MIN_SLOPE_DEG)
        .collect();
    warnings.extend(check_pgv(&pgv.data, &needed, &inputs.pgv)?);
    let ls = areal_coverage(&ModelInputs {
        pgv_cm_s: &pgv.data,
        slope_deg: &slope_deg,
        cti: &cti.data,
        rock_coef: &rock.data,
        landcover_coef: &lc.data,
    })?;
    Ok((
        Grid {
            spec: target.clone(),
            data: ls,
        },
        warnings,
    ))
}
