//! Warping any GDAL raster onto a target grid with a chosen resampling method.
//!
//! Unsafe code (like the two small GDAL C calls in `io/vector.rs` and `io/raster.rs`, and
//! the bounds-check-free tree walk in `forest/flat.rs`): the gdal crate's safe `reproject` is fixed to
//! bilinear with no band or nodata control, so we drive GDAL's warp API (`GDALWarpOptions`,
//! `GDALCreateGenImgProjTransformer2`, `GDALChunkAndWarpImage`) directly. Every pointer it
//! allocates is released on every path; the safe wrappers below are the only entry points.
//!
//! Nodata: the source band's nodata value (or `WarpOptions::src_nodata`) is masked out,
//! never interpolated; target cells not covered by valid source data are `NaN`.

use super::raster::{open, spec_of};
use super::{grid_to_mem_dataset, transform_extent, GisError};
use crate::grid::{Extent, Grid, GridSpec};
use gdal::Dataset;
use gdal_sys::{CPLErr, GDALResampleAlg};
use std::ffi::{c_int, CStr, CString};
use std::path::Path;

/// Resampling methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Resampling {
    /// Nearest neighbour (categorical layers).
    Nearest,
    /// Bilinear (continuous layers, source coarser than or similar to the target).
    Bilinear,
    /// Average of contributing source cells (continuous, source finer than the target).
    Average,
    /// Most frequent class (categorical, source finer than the target).
    Mode,
}

impl Resampling {
    fn to_gdal(self) -> GDALResampleAlg::Type {
        match self {
            Resampling::Nearest => GDALResampleAlg::GRA_NearestNeighbour,
            Resampling::Bilinear => GDALResampleAlg::GRA_Bilinear,
            Resampling::Average => GDALResampleAlg::GRA_Average,
            Resampling::Mode => GDALResampleAlg::GRA_Mode,
        }
    }
}

/// How to warp one band.
#[derive(Debug, Clone, PartialEq)]
pub struct WarpOptions {
    /// Categorical layers (class codes) use nearest/mode, continuous bilinear/average.
    pub categorical: bool,
    /// Force a method; `None` chooses from `categorical` and the resolution ratio
    /// (average/mode when the source cells are finer than 0.75 × the target cells).
    pub resampling: Option<Resampling>,
    /// 1-based band index.
    pub band: usize,
    /// Source nodata value overriding the band's own (e.g. 0 for LiCSAR uint8 coherence).
    pub src_nodata: Option<f64>,
    /// Largest error of the approximate coordinate transformation, in source pixels
    /// (`gdalwarp -et`): the exact transformation is evaluated at a few points per output
    /// scanline and interpolated linearly between them where that stays within this
    /// error. `0.0` transforms every pixel exactly: 3.4× slower on the demo's features
    /// (8.4 s instead of 2.5 s for the Gorkha-like event), where PROJ and its trigonometry
    /// took two thirds of the time.
    pub error_threshold_px: f64,
}

/// Default approximation error (source pixels): a hundredth of a pixel, 12.5× tighter than
/// `gdalwarp`'s default 0.125 at the same speed on the demo (the largest change against the
/// exact transformation in any demo feature is 0.0013 in a coherence sum over 0.6 range).
pub const DEFAULT_ERROR_THRESHOLD_PX: f64 = 0.01;

impl Default for WarpOptions {
    fn default() -> Self {
        Self {
            categorical: false,
            resampling: None,
            band: 1,
            src_nodata: None,
            error_threshold_px: DEFAULT_ERROR_THRESHOLD_PX,
        }
    }
}

impl WarpOptions {
    /// Continuous layer (bilinear / average).
    pub fn continuous() -> Self {
        Self::default()
    }
    /// Categorical layer (nearest / mode).
    pub fn categorical() -> Self {
        Self {
            categorical: true,
            ..Self::default()
        }
    }
    /// Set the source nodata override.
    pub fn with_src_nodata(mut self, v: Option<f64>) -> Self {
        self.src_nodata = v;
        self
    }
    /// Force a resampling method.
    pub fn with_resampling(mut self, r: Resampling) -> Self {
        self.resampling = Some(r);
        self
    }
    /// Choose the band (1-based).
    pub fn with_band(mut self, band: usize) -> Self {
        self.band = band;
        self
    }
    /// Set the approximation error threshold (source pixels; `0.0` = exact).
    pub fn with_error_threshold_px(mut self, px: f64) -> Self {
        self.error_threshold_px = px;
        self
    }
}

/// Open `path` and warp one band onto `target`.
pub fn warp_file_to_grid(
    path: &Path,
    target: &GridSpec,
    opts: &WarpOptions,
) -> Result<Grid<f32>, GisError> {
    let ds = open(path)?;
    let _ctx = super::gdal_log::reading(path);
    warp_dataset_to_grid(&ds, path, target, opts)
}

/// Warp an in-memory grid onto `target` (e.g. a parsed ShakeMap).
pub fn warp_grid(
    src: &Grid<f32>,
    label: &Path,
    target: &GridSpec,
    opts: &WarpOptions,
) -> Result<Grid<f32>, GisError> {
    let ds = grid_to_mem_dataset(src)?;
    warp_dataset_to_grid(
        &ds,
        label,
        target,
        &opts
            .clone()
            .with_src_nodata(opts.src_nodata.or(Some(f64::NAN))),
    )
}

/// Warp band `opts.band` of an open dataset onto `target`; `path` names it in errors.
pub fn warp_dataset_to_grid(
    ds: &Dataset,
    path: &Path,
    target: &GridSpec,
    opts: &WarpOptions,
) -> Result<Grid<f32>, GisError> {
    let (src_spec, src_in_target) = checked_source(ds, path, target, opts)?;
    let resampling = opts
        .resampling
        .unwrap_or_else(|| auto_resampling(opts, &src_spec, &src_in_target, target));
    let band_nodata = ds
        .rasterband(opts.band)
        .ok()
        .and_then(|b| b.no_data_value());
    let src_nodata = opts.src_nodata.or(band_nodata);
    let dst = grid_to_mem_dataset(&Grid::filled(target.clone(), f32::NAN))?;
    raw_warp(
        ds,
        &dst,
        opts.band,
        src_nodata,
        resampling,
        opts.error_threshold_px,
    )
    .map_err(|msg| warp_error(path, msg))?;
    read_warped(&dst, path, target)
}

/// The source grid and its extent in the target CRS, after checking that the source has a
/// CRS and the band, and overlaps `target`.
fn checked_source(
    ds: &Dataset,
    path: &Path,
    target: &GridSpec,
    opts: &WarpOptions,
) -> Result<(GridSpec, Extent), GisError> {
    let src_spec = spec_of(ds, path)?;
    if src_spec.crs_wkt.trim().is_empty() {
        return Err(GisError::NoCrs {
            path: path.to_path_buf(),
        });
    }
    if opts.band == 0 || opts.band > ds.raster_count() {
        return Err(GisError::invalid(
            path,
            format!(
                "has {} band(s), band {} requested",
                ds.raster_count(),
                opts.band
            ),
        ));
    }
    let src_in_target =
        transform_extent(&src_spec.extent(), &src_spec.crs_wkt, &target.crs_wkt, path)?;
    let area = target.extent();
    if src_in_target.intersection(&area).is_none() {
        return Err(GisError::NoOverlap {
            path: path.to_path_buf(),
            file_x_min: src_in_target.x_min,
            file_x_max: src_in_target.x_max,
            file_y_min: src_in_target.y_min,
            file_y_max: src_in_target.y_max,
            area_x_min: area.x_min,
            area_x_max: area.x_max,
            area_y_min: area.y_min,
            area_y_max: area.y_max,
        });
    }
    Ok((src_spec, src_in_target))
}

/// The method when none is forced: by kind of layer and whether the source is finer.
fn auto_resampling(
    opts: &WarpOptions,
    src_spec: &GridSpec,
    src_in_target: &Extent,
    target: &GridSpec,
) -> Resampling {
    let src_res = (src_in_target.width() / src_spec.cols as f64)
        .min(src_in_target.height() / src_spec.rows as f64);
    let dst_res = target.cell_width.min(target.cell_height);
    let finer = src_res < 0.75 * dst_res;
    match (opts.categorical, finer) {
        (true, true) => Resampling::Mode,
        (true, false) => Resampling::Nearest,
        (false, true) => Resampling::Average,
        (false, false) => Resampling::Bilinear,
    }
}

/// The error for a failed warp: damaged file, or the warp itself.
fn warp_error(path: &Path, msg: String) -> GisError {
    if super::error::looks_damaged(&msg) {
        GisError::Damaged {
            path: path.to_path_buf(),
            detail: msg,
        }
    } else {
        GisError::invalid(
            path,
            format!("warping onto the analysis grid failed: {msg}"),
        )
    }
}

/// Band 1 of the warped MEM dataset as a grid on `target` (refused when all nodata).
fn read_warped(dst: &Dataset, path: &Path, target: &GridSpec) -> Result<Grid<f32>, GisError> {
    let band = dst
        .rasterband(1)
        .map_err(|e| GisError::gdal(path, "reading warped band", e))?;
    let buf = band
        .read_as::<f32>(
            (0, 0),
            (target.cols, target.rows),
            (target.cols, target.rows),
            None,
        )
        .map_err(|e| GisError::gdal(path, "reading warped band", e))?;
    let (_, data) = buf.into_shape_and_vec();
    let grid =
        Grid::from_vec(target.clone(), data).map_err(|e| GisError::invalid(path, e.to_string()))?;
    if grid.valid_count() == 0 {
        return Err(GisError::AllNoData {
            path: path.to_path_buf(),
        });
    }
    Ok(grid)
}

fn last_cpl_message() -> String {
    // SAFETY: CPLGetLastErrorMsg returns a pointer to a thread-local, NUL-terminated buffer
    // owned by GDAL, valid until the next GDAL call on this thread; we copy it at once.
    unsafe {
        let p = gdal_sys::CPLGetLastErrorMsg();
        if p.is_null() {
            String::from("unknown GDAL error")
        } else {
            CStr::from_ptr(p).to_string_lossy().into_owned()
        }
    }
}

/// The unsafe core: one band of `src` into band 1 of `dst` (a Float32 MEM dataset whose
/// nodata is NaN and which is pre-filled with NaN).
// Stays whole: one unsafe FFI sequence that allocates, wires and frees the warp options,
// transformers and operation; split up, the ownership argument would span functions.
fn raw_warp(
    src: &Dataset,
    dst: &Dataset,
    band: usize,
    src_nodata: Option<f64>,
    resampling: Resampling,
    error_threshold_px: f64,
) -> Result<(), String> {
    let init_key = CString::new("INIT_DEST").map_err(|e| e.to_string())?;
    let init_val = CString::new("NO_DATA").map_err(|e| e.to_string())?;
    let band = c_int::try_from(band).map_err(|e| e.to_string())?;
    let (cols, rows) = dst.raster_size();
    let cols = c_int::try_from(cols).map_err(|e| e.to_string())?;
    let rows = c_int::try_from(rows).map_err(|e| e.to_string())?;
    // SAFETY: all pointers handed to GDAL are either owned by the datasets (which outlive
    // this call) or allocated here with CPLMalloc and released by GDALDestroyWarpOptions;
    // the transformer and warp operation are destroyed on every path below.
    unsafe {
        let wo = gdal_sys::GDALCreateWarpOptions();
        if wo.is_null() {
            return Err("GDAL could not allocate warp options".into());
        }
        (*wo).hSrcDS = src.c_dataset();
        (*wo).hDstDS = dst.c_dataset();
        (*wo).nBandCount = 1;
        (*wo).panSrcBands = gdal_sys::CPLMalloc(std::mem::size_of::<c_int>()) as *mut c_int;
        *(*wo).panSrcBands = band;
        (*wo).panDstBands = gdal_sys::CPLMalloc(std::mem::size_of::<c_int>()) as *mut c_int;
        *(*wo).panDstBands = 1;
        (*wo).eResampleAlg = resampling.to_gdal();
        (*wo).eWorkingDataType = gdal_sys::GDALDataType::GDT_Float64;
        if let Some(nd) = src_nodata {
            (*wo).padfSrcNoDataReal = gdal_sys::CPLMalloc(std::mem::size_of::<f64>()) as *mut f64;
            *(*wo).padfSrcNoDataReal = nd;
        }
        (*wo).padfDstNoDataReal = gdal_sys::CPLMalloc(std::mem::size_of::<f64>()) as *mut f64;
        *(*wo).padfDstNoDataReal = f64::NAN;
        (*wo).papszWarpOptions =
            gdal_sys::CSLSetNameValue((*wo).papszWarpOptions, init_key.as_ptr(), init_val.as_ptr());
        let transformer = gdal_sys::GDALCreateGenImgProjTransformer2(
            src.c_dataset(),
            dst.c_dataset(),
            std::ptr::null_mut(),
        );
        if transformer.is_null() {
            let msg = last_cpl_message();
            gdal_sys::GDALDestroyWarpOptions(wo);
            return Err(format!(
                "no transformation between the file's CRS and the analysis CRS: {msg}"
            ));
        }
        // as gdalwarp: the exact transformer wrapped in an approximating one (unless the
        // threshold is 0); the wrapper does not own the exact one, destroyed below
        let approx = if error_threshold_px > 0.0 {
            gdal_sys::GDALCreateApproxTransformer(
                Some(gdal_sys::GDALGenImgProjTransform),
                transformer,
                error_threshold_px,
            )
        } else {
            std::ptr::null_mut()
        };
        if approx.is_null() {
            (*wo).pfnTransformer = Some(gdal_sys::GDALGenImgProjTransform);
            (*wo).pTransformerArg = transformer;
        } else {
            (*wo).pfnTransformer = Some(gdal_sys::GDALApproxTransform);
            (*wo).pTransformerArg = approx;
        }
        let op = gdal_sys::GDALCreateWarpOperation(wo);
        let result = if op.is_null() {
            Err(last_cpl_message())
        } else {
            let rv = gdal_sys::GDALChunkAndWarpImage(op, 0, 0, cols, rows);
            gdal_sys::GDALDestroyWarpOperation(op);
            if rv == CPLErr::CE_None {
                Ok(())
            } else {
                Err(last_cpl_message())
            }
        };
        if !approx.is_null() {
            gdal_sys::GDALDestroyApproxTransformer(approx);
        }
        gdal_sys::GDALDestroyGenImgProjTransformer(transformer);
        gdal_sys::GDALDestroyWarpOptions(wo);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::raster::GeoTiffOptions;
    use crate::io::{srs_from_user, wgs84_wkt, write_geotiff};

    fn utm45() -> String {
        srs_from_user("EPSG:32645").unwrap().to_wkt().unwrap()
    }

    /// A smooth field f(lon, lat) sampled on a lon/lat grid around 87°E 28°N.
    fn geographic_field(dir: &Path) -> std::path::PathBuf {
        let spec = GridSpec::new(200, 200, 86.9, 28.1, 0.001, 0.001, wgs84_wkt().unwrap()).unwrap();
        let mut g = Grid::filled(spec.clone(), 0.0f32);
        for r in 0..spec.rows {
            for c in 0..spec.cols {
                let (lon, lat) = spec.cell_centre(r, c);
                g.data[r * spec.cols + c] = (100.0 * (lon - 86.9) + 50.0 * (28.1 - lat)) as f32;
            }
        }
        g.data[0] = f32::NAN;
        let p = dir.join("field4326.tif");
        write_geotiff(&p, &g, &GeoTiffOptions::default()).unwrap();
        p
    }

    #[test]
    fn a_geographic_field_warped_to_utm_matches_the_analytic_values() {
        let dir = tempfile::tempdir().unwrap();
        let p = geographic_field(dir.path());
        // a UTM grid well inside the lon/lat field
        let target = GridSpec::new(
            50,
            50,
            500_000.0 - 5_000.0,
            3_105_000.0,
            100.0,
            110.0,
            utm45(),
        )
        .unwrap();
        let g = warp_file_to_grid(&p, &target, &WarpOptions::continuous()).unwrap();
        let mut checked = 0;
        for r in 0..target.rows {
            for c in 0..target.cols {
                let (x, y) = target.cell_centre(r, c);
                let mut pt = [[x, y]];
                crate::io::transform_points(
                    &mut pt,
                    &target.crs_wkt,
                    &wgs84_wkt().unwrap(),
                    Path::new("t"),
                )
                .unwrap();
                let expected = 100.0 * (pt[0][0] - 86.9) + 50.0 * (28.1 - pt[0][1]);
                let v = g.data[r * target.cols + c];
                if v.is_nan() {
                    continue;
                }
                // linear field: bilinear is exact up to float error and cell-centre offsets
                assert!(
                    (v as f64 - expected).abs() < 0.02,
                    "r{r} c{c}: {v} vs {expected}"
                );
                checked += 1;
            }
        }
        assert!(checked > 2000);
    }

    #[test]
    fn the_approximate_transformation_stays_within_its_error_of_the_exact_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = geographic_field(dir.path());
        let target = GridSpec::new(
            50,
            50,
            500_000.0 - 5_000.0,
            3_105_000.0,
            100.0,
            110.0,
            utm45(),
        )
        .unwrap();
        let exact = warp_file_to_grid(
            &p,
            &target,
            &WarpOptions::continuous().with_error_threshold_px(0.0),
        )
        .unwrap();
        let coarse = WarpOptions::continuous().with_error_threshold_px(0.5);
        for opts in [WarpOptions::continuous(), coarse] {
            let approx = warp_file_to_grid(&p, &target, &opts).unwrap();
            // the field changes by at most 0.1 per source pixel in either direction, so a
            // position error of e pixels moves a bilinear value by at most 0.2 e (+ f32)
            let bound = 0.2 * opts.error_threshold_px + 1e-4;
            let mut max_diff = 0.0f64;
            for (a, b) in approx.data.iter().zip(&exact.data) {
                assert_eq!(a.is_nan(), b.is_nan());
                if !a.is_nan() {
                    max_diff = max_diff.max((f64::from(*a) - f64::from(*b)).abs());
                }
            }
            assert!(
                max_diff <= bound,
                "threshold {}: max diff {max_diff} > {bound}",
                opts.error_threshold_px
            );
        }
    }

    #[test]
    fn disjoint_rasters_are_reported_with_both_extents() {
        let dir = tempfile::tempdir().unwrap();
        let p = geographic_field(dir.path());
        let far = GridSpec::new(10, 10, 100_000.0, 1_000_000.0, 100.0, 100.0, utm45()).unwrap();
        let e = warp_file_to_grid(&p, &far, &WarpOptions::continuous()).unwrap_err();
        assert!(matches!(e, GisError::NoOverlap { .. }), "{e}");
        assert!(e.to_string().contains("field4326.tif"));
    }

    #[test]
    fn source_nodata_override_masks_zero_values() {
        let dir = tempfile::tempdir().unwrap();
        let spec = GridSpec::new(10, 10, 0.0, 100.0, 10.0, 10.0, utm45()).unwrap();
        let mut g = Grid::filled(spec.clone(), 200.0f32);
        for v in g.data.iter_mut().take(50) {
            *v = 0.0;
        }
        let p = dir.path().join("u.tif");
        write_geotiff(&p, &g, &GeoTiffOptions::default()).unwrap();
        let out = warp_file_to_grid(
            &p,
            &spec,
            &WarpOptions::continuous()
                .with_src_nodata(Some(0.0))
                .with_resampling(Resampling::Nearest),
        )
        .unwrap();
        assert!(out.data[..50].iter().all(|v| v.is_nan()));
        assert!(out.data[50..].iter().all(|v| *v == 200.0));
    }
}
