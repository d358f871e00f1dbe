//! True-colour imagery to map from: three bands of a multi-band raster (Sentinel-2, Planet,
//! a VRT), a per-band percentile stretch from a decimated read, and reads of a window at a
//! requested size that let GDAL use the file's overviews.
//!
//! Bands are 1-based, chosen by the caller (default 1, 2, 3 as red, green, blue). Nodata
//! (each band's own value, and NaN) is ignored by the stretch and becomes alpha 0 in RGBA.
//! A window read with a buffer smaller than the window lets GDAL pick the overview level,
//! so reading a screen-sized view of a 10,000 × 10,000 image costs a screen's worth of
//! pixels, not the whole file.

use super::imagery_resample::resample_rgb;
use super::raster::open;
use super::{transform_extent, GisError};
use crate::grid::{Extent, GridSpec};
use gdal::raster::ResampleAlg;
use gdal::{Dataset, Metadata};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Default bands: 1, 2, 3 as red, green, blue.
pub const DEFAULT_BANDS: [usize; 3] = [1, 2, 3];
/// Longest side of the decimated read the stretch is computed from, pixels.
pub const STRETCH_MAX_PX: usize = 1024;
/// Default stretch percentiles (low, high).
pub const DEFAULT_PERCENTILES: (f64, f64) = (2.0, 98.0);

/// Why imagery cannot be opened or read; every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ImageryError {
    /// A GDAL or file error.
    #[error(transparent)]
    Gis(#[from] GisError),
    /// Fewer than three bands.
    #[error("{path}: imagery needs at least 3 bands (red, green, blue); this file has {count}")]
    TooFewBands {
        /// offending file
        path: PathBuf,
        /// its band count
        count: usize,
    },
    /// No coordinate reference system.
    #[error("{path}: imagery without a CRS: the map cannot place it; georeference it first, e.g. gdal_translate -a_srs EPSG:32645 {path} georeferenced.tif")]
    NoCrs {
        /// offending file
        path: PathBuf,
    },
    /// No geotransform.
    #[error("{path}: imagery without a geotransform (pixel positions unknown); georeference it first, e.g. gdal_translate -a_srs EPSG:32645 -a_ullr WEST NORTH EAST SOUTH {path} georeferenced.tif")]
    NoGeoTransform {
        /// offending file
        path: PathBuf,
    },
    /// A band index outside 1..=band count.
    #[error("{path}: has {count} band(s), band {band} requested")]
    NoSuchBand {
        /// offending file
        path: PathBuf,
        /// requested band (1-based)
        band: usize,
        /// band count
        count: usize,
    },
    /// The caller cancelled the read.
    #[error("{path}: reading the imagery was cancelled")]
    Cancelled {
        /// file being read
        path: PathBuf,
    },
    /// A band has no valid pixel in the decimated read.
    #[error("{path}: band {band} has no valid pixel (every value is nodata)")]
    EmptyBand {
        /// offending file
        path: PathBuf,
        /// band (1-based)
        band: usize,
    },
}

/// What an imagery file is, without reading its pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageryInfo {
    /// The file.
    pub path: PathBuf,
    /// Its native grid (CRS set).
    pub spec: GridSpec,
    /// Band descriptions, one per band (the description, else the colour interpretation,
    /// else "Band N").
    pub band_names: Vec<String>,
    /// Nodata value of each band.
    pub nodata: Vec<Option<f64>>,
    /// Overview levels of band 1.
    pub overview_count: usize,
}

impl ImageryInfo {
    /// Number of bands.
    pub fn band_count(&self) -> usize {
        self.band_names.len()
    }

    /// Check that every chosen band exists.
    pub fn check_bands(&self, bands: [usize; 3]) -> Result<(), ImageryError> {
        match bands.iter().find(|b| **b == 0 || **b > self.band_count()) {
            Some(&band) => Err(ImageryError::NoSuchBand {
                path: self.path.clone(),
                band,
                count: self.band_count(),
            }),
            None => Ok(()),
        }
    }
}

/// The per-band linear stretch: `low` maps to 0, `high` to 255 (band values).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stretch {
    /// Value shown black, per chosen band (red, green, blue).
    pub low: [f64; 3],
    /// Value shown full intensity, per chosen band.
    pub high: [f64; 3],
}

/// A rectangle of source pixels: columns `col0..col0+cols`, rows `row0..row0+rows`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelWindow {
    /// First column.
    pub col0: usize,
    /// First row.
    pub row0: usize,
    /// Width, pixels.
    pub cols: usize,
    /// Height, pixels.
    pub rows: usize,
}

/// Three bands read over a window, on the grid of the read buffer; nodata = NaN.
#[derive(Debug, Clone)]
pub struct RgbWindow {
    /// The buffer's grid (the window's extent at the buffer's cell size, source CRS).
    pub spec: GridSpec,
    /// Red, green, blue values, row-major.
    pub bands: [Vec<f32>; 3],
}

/// Describe an imagery file: at least 3 bands, a geotransform and a CRS.
pub fn imagery_info(path: &Path) -> Result<ImageryInfo, ImageryError> {
    let ds = open(path)?;
    info_of(&ds, path)
}

fn info_of(ds: &Dataset, path: &Path) -> Result<ImageryInfo, ImageryError> {
    let count = ds.raster_count();
    if count < 3 {
        return Err(ImageryError::TooFewBands {
            path: path.to_path_buf(),
            count,
        });
    }
    let Ok(gt) = ds.geo_transform() else {
        return Err(ImageryError::NoGeoTransform {
            path: path.to_path_buf(),
        });
    };
    if ds.projection().trim().is_empty() {
        return Err(ImageryError::NoCrs {
            path: path.to_path_buf(),
        });
    }
    let (cols, rows) = ds.raster_size();
    let spec = GridSpec::from_geo_transform(gt, cols, rows, ds.projection())
        .map_err(|e| GisError::invalid(path, e.to_string()))?;
    let mut band_names = Vec::with_capacity(count);
    let mut nodata = Vec::with_capacity(count);
    let mut overview_count = 0;
    for i in 1..=count {
        let band = ds
            .rasterband(i)
            .map_err(|e| GisError::gdal(path, "opening a band", e))?;
        let desc = band.description().unwrap_or_default();
        let interp = band.color_interpretation().name();
        band_names.push(if !desc.trim().is_empty() {
            desc
        } else if !interp.is_empty() && interp != "Undefined" && interp != "Gray" {
            interp
        } else {
            format!("Band {i}")
        });
        nodata.push(band.no_data_value());
        if i == 1 {
            overview_count = band.overview_count().unwrap_or(0).max(0) as usize;
        }
    }
    Ok(ImageryInfo {
        path: path.to_path_buf(),
        spec,
        band_names,
        nodata,
        overview_count,
    })
}

/// Buffer size for reading `window` with at most `max_px` pixels on its longer side
/// (never more than the window itself).
pub fn decimated_size(cols: usize, rows: usize, max_px: usize) -> (usize, usize) {
    let longest = cols.max(rows).max(1);
    if longest <= max_px {
        return (cols.max(1), rows.max(1));
    }
    let f = max_px as f64 / longest as f64;
    (
        ((cols as f64 * f).round() as usize).max(1),
        ((rows as f64 * f).round() as usize).max(1),
    )
}

/// The `p`-th percentile (0..=100) of sorted values, interpolated linearly between the
/// closest ranks (numpy's default): index `p / 100 × (n − 1)`.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let idx = (p / 100.0).clamp(0.0, 1.0) * (n - 1) as f64;
    let lo = idx.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    let frac = idx - lo as f64;
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * frac)
}

/// The stretch of `bands` between the `low_pct` and `high_pct` percentiles of each band,
/// from the whole image read at most [`STRETCH_MAX_PX`] on a side (GDAL uses an overview
/// when there is one). Nodata is ignored.
pub fn compute_stretch(
    path: &Path,
    bands: [usize; 3],
    low_pct: f64,
    high_pct: f64,
) -> Result<Stretch, ImageryError> {
    let ds = open(path)?;
    let info = info_of(&ds, path)?;
    info.check_bands(bands)?;
    let (cols, rows) = (info.spec.cols, info.spec.rows);
    let (bw, bh) = decimated_size(cols, rows, STRETCH_MAX_PX);
    let window = PixelWindow {
        col0: 0,
        row0: 0,
        cols,
        rows,
    };
    let rgb = read_bands(&ds, &info, bands, window, bw, bh)?;
    let mut low = [0.0; 3];
    let mut high = [0.0; 3];
    for (k, values) in rgb.iter().enumerate() {
        let mut v: Vec<f64> = values
            .iter()
            .filter(|x| x.is_finite())
            .map(|x| *x as f64)
            .collect();
        v.sort_by(f64::total_cmp);
        let (Some(a), Some(b)) = (percentile(&v, low_pct), percentile(&v, high_pct)) else {
            return Err(ImageryError::EmptyBand {
                path: path.to_path_buf(),
                band: bands[k],
            });
        };
        low[k] = a;
        high[k] = if b > a { b } else { a + 1.0 };
    }
    Ok(Stretch { low, high })
}

/// The pixel window of `spec` covering `extent` (same CRS), clipped to the image; `None`
/// when they do not overlap.
pub fn window_of_extent(spec: &GridSpec, extent: &Extent) -> Option<PixelWindow> {
    let ext = spec.extent().intersection(extent)?;
    let c0 = ((ext.x_min - spec.x_min) / spec.cell_width)
        .floor()
        .max(0.0) as usize;
    let c1 = ((ext.x_max - spec.x_min) / spec.cell_width).ceil() as usize;
    let r0 = ((spec.y_max - ext.y_max) / spec.cell_height)
        .floor()
        .max(0.0) as usize;
    let r1 = ((spec.y_max - ext.y_min) / spec.cell_height).ceil() as usize;
    let (c1, r1) = (c1.min(spec.cols), r1.min(spec.rows));
    (c1 > c0 && r1 > r0).then_some(PixelWindow {
        col0: c0,
        row0: r0,
        cols: c1 - c0,
        rows: r1 - r0,
    })
}

/// Read `bands` over `window` into a buffer of `out_cols × out_rows` (smaller than the
/// window: GDAL reads from the closest overview and averages).
pub fn read_window(
    path: &Path,
    bands: [usize; 3],
    window: PixelWindow,
    out_cols: usize,
    out_rows: usize,
) -> Result<RgbWindow, ImageryError> {
    let ds = open(path)?;
    let info = info_of(&ds, path)?;
    info.check_bands(bands)?;
    let data = read_bands(&ds, &info, bands, window, out_cols, out_rows)?;
    let s = &info.spec;
    let (out_cols, out_rows) = (out_cols.max(1), out_rows.max(1));
    let spec = GridSpec::new(
        out_cols,
        out_rows,
        s.x_min + window.col0 as f64 * s.cell_width,
        s.y_max - window.row0 as f64 * s.cell_height,
        s.cell_width * window.cols as f64 / out_cols as f64,
        s.cell_height * window.rows as f64 / out_rows as f64,
        s.crs_wkt.clone(),
    )
    .map_err(|e| GisError::invalid(path, e.to_string()))?;
    Ok(RgbWindow { spec, bands: data })
}

fn read_bands(
    ds: &Dataset,
    info: &ImageryInfo,
    bands: [usize; 3],
    w: PixelWindow,
    out_cols: usize,
    out_rows: usize,
) -> Result<[Vec<f32>; 3], ImageryError> {
    let path = &info.path;
    let _ctx = super::gdal_log::reading(path);
    let mut out: [Vec<f32>; 3] = Default::default();
    let alg = if out_cols < w.cols || out_rows < w.rows {
        ResampleAlg::Average
    } else {
        ResampleAlg::NearestNeighbour
    };
    for (k, &b) in bands.iter().enumerate() {
        let band = ds
            .rasterband(b)
            .map_err(|e| GisError::gdal(path, "opening a band", e))?;
        let buf = band
            .read_as::<f32>(
                (w.col0 as isize, w.row0 as isize),
                (w.cols, w.rows),
                (out_cols.max(1), out_rows.max(1)),
                Some(alg),
            )
            .map_err(|e| GisError::gdal(path, "reading pixels", e))?;
        let (_, mut data) = buf.into_shape_and_vec();
        if let Some(nd) = info.nodata.get(b - 1).copied().flatten() {
            let nd32 = nd as f32;
            data.iter_mut()
                .filter(|v| **v == nd32)
                .for_each(|v| *v = f32::NAN);
        }
        out[k] = data;
    }
    Ok(out)
}

/// RGBA bytes (unmultiplied) of three bands under `stretch`; a pixel with any NaN band is
/// transparent.
pub fn rgba_from_bands(bands: [&[f32]; 3], stretch: &Stretch) -> Vec<u8> {
    let n = bands[0].len().min(bands[1].len()).min(bands[2].len());
    let mut out = Vec::with_capacity(n * 4);
    let pixels = bands[0].iter().zip(bands[1]).zip(bands[2]);
    let scale: [f32; 3] =
        std::array::from_fn(|k| (255.0 / (stretch.high[k] - stretch.low[k]).max(1e-12)) as f32);
    let low: [f32; 3] = std::array::from_fn(|k| stretch.low[k] as f32);
    for ((r, g), b) in pixels {
        let v = [*r, *g, *b];
        if v.iter().any(|x| !x.is_finite()) {
            out.extend_from_slice(&[0, 0, 0, 0]);
            continue;
        }
        for k in 0..3 {
            out.push(((v[k] - low[k]) * scale[k]).clamp(0.0, 255.0).round() as u8);
        }
        out.push(255);
    }
    out
}

/// RGBA bytes of `bands` on `target` (any CRS, e.g. EPSG:3857 sized to the screen): the
/// source window under `target` is read at about the target's resolution (overviews used),
/// resampled bilinearly ([`resample_rgb`]) and stretched. `None` when the image does not
/// reach the target. `cancel` is checked between the read and the resampling
/// ([`ImageryError::Cancelled`]).
pub fn render_rgba(
    info: &ImageryInfo,
    bands: [usize; 3],
    stretch: &Stretch,
    target: &GridSpec,
    cancel: &AtomicBool,
) -> Result<Option<Vec<u8>>, ImageryError> {
    let cancelled = || ImageryError::Cancelled {
        path: info.path.clone(),
    };
    if cancel.load(Ordering::Relaxed) {
        return Err(cancelled());
    }
    let path = &info.path;
    let src = &info.spec;
    let in_src = transform_extent(&target.extent(), &target.crs_wkt, &src.crs_wkt, path)?;
    let Some(window) = window_of_extent(src, &in_src) else {
        return Ok(None);
    };
    // Source pixels per target pixel along each axis, then a buffer at the target's
    // resolution (a little finer, for the bilinear warp), never finer than the file.
    let fx = in_src.width() / src.cell_width / target.cols as f64;
    let fy = in_src.height() / src.cell_height / target.rows as f64;
    let f = (fx.min(fy) / 1.25).max(1.0);
    let out_cols = ((window.cols as f64 / f).ceil() as usize).clamp(1, window.cols);
    let out_rows = ((window.rows as f64 / f).ceil() as usize).clamp(1, window.rows);
    let rgb = read_window(path, bands, window, out_cols, out_rows)?;
    if cancel.load(Ordering::Relaxed) {
        return Err(cancelled());
    }
    let warped = resample_rgb(&rgb.spec, &rgb.bands, target, path)?;
    Ok(Some(rgba_from_bands(
        [&warped[0], &warped[1], &warped[2]],
        stretch,
    )))
}
