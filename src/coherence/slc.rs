//! Boxcar coherence from co-registered complex SLC images (beyond the paper: for users with
//! SLCs but no coherence product): γ = |Σ s1·s2*| / sqrt(Σ|s1|² · Σ|s2|²) over a square
//! window (3 × 3 by default). At the image border the window is clipped to the image; NaN
//! samples are skipped; a window with zero power gives NaN.

use crate::grid::Grid;
use crate::io::{raster_info, write_geotiff, GeoTiffOptions, GisError};
use std::path::Path;

/// Coherence of two complex images given as separate real/imaginary planes (row-major).
pub fn boxcar_coherence(
    a_re: &[f32],
    a_im: &[f32],
    b_re: &[f32],
    b_im: &[f32],
    rows: usize,
    cols: usize,
    window: usize,
) -> Vec<f32> {
    let h = (window.max(1) / 2) as isize;
    let mut out = vec![f32::NAN; rows * cols];
    for r in 0..rows as isize {
        for c in 0..cols as isize {
            let (mut xr, mut xi, mut pa, mut pb) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
            for rr in (r - h).max(0)..=(r + h).min(rows as isize - 1) {
                for cc in (c - h).max(0)..=(c + h).min(cols as isize - 1) {
                    let i = rr as usize * cols + cc as usize;
                    let (ar, ai, br, bi) = (
                        a_re[i] as f64,
                        a_im[i] as f64,
                        b_re[i] as f64,
                        b_im[i] as f64,
                    );
                    if ar.is_nan() || ai.is_nan() || br.is_nan() || bi.is_nan() {
                        continue;
                    }
                    // s1 · conj(s2)
                    xr += ar * br + ai * bi;
                    xi += ai * br - ar * bi;
                    pa += ar * ar + ai * ai;
                    pb += br * br + bi * bi;
                }
            }
            let denom = (pa * pb).sqrt();
            if denom > 0.0 {
                out[r as usize * cols + c as usize] = ((xr * xr + xi * xi).sqrt() / denom) as f32;
            }
        }
    }
    out
}

/// Read the real and imaginary planes of band 1 of a complex raster (CFloat32, CInt16, …)
/// through GDAL's `real`/`imag` VRT pixel functions (no unsafe code needed).
fn read_complex(path: &Path) -> Result<(Grid<f32>, Vec<f32>), GisError> {
    let info = raster_info(path)?;
    let _ctx = crate::io::reading(path);
    // the gdal crate reports complex band types as "Unknown"
    if !(info.data_type.starts_with('C') || info.data_type == "Unknown") {
        return Err(GisError::invalid(
            path,
            format!("is {}, not a complex (SLC) raster", info.data_type),
        ));
    }
    let abs = std::fs::canonicalize(path).map_err(|e| GisError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let src = abs
        .to_string_lossy()
        .replace('&', "&amp;")
        .replace('<', "&lt;");
    let (cols, rows) = (info.spec.cols, info.spec.rows);
    let band = |n: usize, f: &str| {
        format!("<VRTRasterBand dataType=\"Float32\" band=\"{n}\" subClass=\"VRTDerivedRasterBand\"><PixelFunctionType>{f}</PixelFunctionType><SourceTransferType>CFloat64</SourceTransferType><SimpleSource><SourceFilename relativeToVRT=\"0\">{src}</SourceFilename><SourceBand>1</SourceBand></SimpleSource></VRTRasterBand>")
    };
    let vrt = format!(
        "<VRTDataset rasterXSize=\"{cols}\" rasterYSize=\"{rows}\">{}{}</VRTDataset>",
        band(1, "real"),
        band(2, "imag")
    );
    let ds =
        gdal::Dataset::open(&vrt).map_err(|e| GisError::gdal(path, "opening complex bands", e))?;
    let read = |b: usize| -> Result<Vec<f32>, GisError> {
        let band = ds
            .rasterband(b)
            .map_err(|e| GisError::gdal(path, "complex band", e))?;
        let buf = band
            .read_as::<f32>((0, 0), (cols, rows), (cols, rows), None)
            .map_err(|e| GisError::gdal(path, "reading complex band", e))?;
        Ok(buf.into_shape_and_vec().1)
    };
    let re = read(1)?;
    let im = read(2)?;
    Ok((
        Grid {
            spec: info.spec,
            data: re,
        },
        im,
    ))
}

/// Bytes per pixel held at once by [`boxcar_coherence_files`]: two complex images as four
/// Float32 planes per image, the GDAL read buffers and the Float32 result, with a margin.
pub const SLC_BYTES_PER_PIXEL: u64 = 64;

/// The boxcar window must be an odd whole number of pixels, at least 3: a window of 1
/// gives coherence ≡ 1, and an even window has no centre pixel.
pub fn check_window(window: usize) -> Result<(), GisError> {
    if window < 3 || window.is_multiple_of(2) {
        return Err(GisError::invalid(
            "--window",
            format!("{window} is not a valid coherence window: it must be an odd number of pixels, at least 3 (e.g. 3, 5, 7); a window of 1 gives coherence ≡ 1"),
        ));
    }
    Ok(())
}

/// Compute boxcar coherence from two co-registered complex GeoTIFFs and write it as a
/// Float32 GeoTIFF on the first image's grid.
pub fn boxcar_coherence_files(
    a: &Path,
    b: &Path,
    out: &Path,
    window: usize,
) -> Result<Grid<f32>, GisError> {
    check_window(window)?;
    let info = crate::io::raster_info(a)?;
    let (rows, cols) = (info.spec.rows, info.spec.cols);
    if window > rows.min(cols) {
        return Err(GisError::invalid(
            a,
            format!("the coherence window ({window} × {window} pixels) is larger than the image ({rows} rows × {cols} columns): every pixel would share one window; use a window smaller than the image (3 to 15 is usual)"),
        ));
    }
    crate::grid::check_grid_fits(
        &format!("SLC coherence of {}", a.display()),
        rows,
        cols,
        SLC_BYTES_PER_PIXEL,
        "crop the SLCs to the area of interest (e.g. gdal_translate -srcwin)",
    )
    .map_err(|e| GisError::invalid(a, e.to_string()))?;
    let (a_re, a_im) = read_complex(a)?;
    let (b_re, b_im) = read_complex(b)?;
    if (a_re.spec.cols, a_re.spec.rows) != (b_re.spec.cols, b_re.spec.rows) {
        return Err(GisError::invalid(
            b,
            format!(
                "is {}×{} pixels but {} is {}×{}: SLCs must be co-registered on one grid",
                b_re.spec.cols,
                b_re.spec.rows,
                a.display(),
                a_re.spec.cols,
                a_re.spec.rows
            ),
        ));
    }
    let coh = boxcar_coherence(
        &a_re.data,
        &a_im,
        &b_re.data,
        &b_im,
        a_re.spec.rows,
        a_re.spec.cols,
        window,
    );
    let grid = Grid {
        spec: a_re.spec,
        data: coh,
    };
    write_geotiff(
        out,
        &grid,
        &GeoTiffOptions {
            description: Some("boxcar coherence".into()),
            ..GeoTiffOptions::default()
        },
    )?;
    Ok(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_images_are_fully_coherent() {
        let re = [1.0, 2.0, -1.0, 0.5];
        let im = [0.0, 1.0, 3.0, -2.0];
        let c = boxcar_coherence(&re, &im, &re, &im, 2, 2, 3);
        assert!(c.iter().all(|v| (v - 1.0).abs() < 1e-6));
    }

    #[test]
    fn a_hand_computed_window_matches() {
        // 1 × 2 image, window 3 (clipped to both pixels): s1 = [1, i], s2 = [1, 1]
        // Σ s1·conj(s2) = 1 + i → |.| = √2; Σ|s1|² = 2; Σ|s2|² = 2 → γ = √2 / 2
        let c = boxcar_coherence(&[1.0, 0.0], &[0.0, 1.0], &[1.0, 1.0], &[0.0, 0.0], 1, 2, 3);
        assert!((c[0] - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
        assert!((c[1] - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
    }

    #[test]
    fn zero_power_windows_are_nan() {
        let z = [0.0; 4];
        assert!(boxcar_coherence(&z, &z, &z, &z, 2, 2, 3)
            .iter()
            .all(|v| v.is_nan()));
    }
}
