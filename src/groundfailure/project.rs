//! The ground-failure model on an event's fine analysis grid, from the project's inputs
//! (`inputs.ground_failure.model = "nowicki-jessee-2018"`).
//!
//! - PGV (cm/s): `inputs.pgv`, a ShakeMap `grid.xml` or a raster, bilinear.
//! - Slope (degrees) and CTI: from `inputs.dem` warped onto the fine grid (bilinear), Horn
//!   slope of the DEM; CTI = ln(a / tan β) from D8 flow accumulation and the slope of the
//!   depression-filled DEM, as the terrain module computes it.
//! - Lithology (`inputs.lithology`): GLiM polygons with a class field (`mt`, `ss`, … or the
//!   English names), or a raster of model coefficients.
//! - Land cover (`inputs.land_cover`): a raster of ESA CCI or GlobCover 2009 codes (detected
//!   from the codes present), polygons whose class field holds such codes, or a raster of
//!   coefficients. A raster is read as coefficients when any value is not an integer.
//!
//! Resolution note: the model was fitted on ~250 m slopes and ~1 km CTI; on 20 m cells slopes
//! are steeper and CTI smaller, so LS differs from the USGS product, which stays available as
//! a raster input (`inputs.ground_failure.path`). Output: LS (0–1) per fine cell, NaN
//! outside the study area and where an input is missing.

use super::inputs::{landcover_coefficients, lithology_coefficients};
use super::layers::{load_class_raster, load_pgv, ClassLayer};
use super::model::{areal_coverage, ModelInputs, MIN_SLOPE_DEG};
use super::{check_pgv, GroundFailureError};
use crate::event::AnalysisGrid;
use crate::features::load_thematic;
use crate::grid::Grid;
use crate::io::{is_geographic, raster_info, warp_file_to_grid, WarpOptions};
use crate::project::{Project, ThematicInput};
use crate::terrain::{
    cti, fill_depressions, flow_accumulation_d8, slope_deg, DemView, TerrainError,
};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

fn check(cancel: &AtomicBool) -> Result<(), GroundFailureError> {
    if cancel.load(Ordering::Relaxed) {
        Err(GroundFailureError::Cancelled)
    } else {
        Ok(())
    }
}

/// Slope (degrees) and CTI of the DEM on the fine grid.
fn terrain(
    project: &Project,
    grid: &AnalysisGrid,
    cancel: &AtomicBool,
    progress: &dyn Fn(&str, f64),
) -> Result<(Vec<f32>, Vec<f32>), GroundFailureError> {
    let dem_in = &project.file.inputs.dem;
    let path = project.resolve(&dem_in.path);
    let mut dem = warp_file_to_grid(
        &path,
        &grid.fine,
        &WarpOptions::continuous().with_band(dem_in.band.unwrap_or(1)),
    )?;
    for (v, inside) in dem.data.iter_mut().zip(&grid.study_fine) {
        if !inside {
            *v = f32::NAN;
        }
    }
    let spec = &grid.fine;
    let (w, h) = if is_geographic(&spec.crs_wkt) {
        // degrees → metres at the grid's central latitude
        let lat = (spec.y_max - spec.rows as f64 * spec.cell_height / 2.0).to_radians();
        (
            spec.cell_width * 111_320.0 * lat.cos(),
            spec.cell_height * 110_574.0,
        )
    } else {
        (spec.cell_width, spec.cell_height)
    };
    let terr = |e: TerrainError| GroundFailureError::Terrain {
        path: path.clone(),
        message: e.to_string(),
    };
    progress("ground failure: slope", 0.1);
    let view = DemView::new(&dem.data, spec.rows, spec.cols, w, h);
    let slope = slope_deg(&view).map_err(terr)?;
    check(cancel)?;
    progress("ground failure: depression filling", 0.2);
    let filled = fill_depressions(&view).map_err(terr)?;
    check(cancel)?;
    progress("ground failure: flow accumulation", 0.4);
    let filled_view = DemView::new(&filled, spec.rows, spec.cols, w, h);
    let acc = flow_accumulation_d8(&filled_view).map_err(terr)?;
    let filled_slope = slope_deg(&filled_view).map_err(terr)?;
    check(cancel)?;
    Ok((slope, cti(&acc, &filled_slope, w, h)))
}

fn is_raster(path: &Path) -> bool {
    raster_info(path).is_ok()
}

/// One thematic input as coefficients on the fine grid, with warnings.
fn class_layer(
    project: &Project,
    input: &ThematicInput,
    grid: &AnalysisGrid,
    layer: ClassLayer,
) -> Result<(Vec<f32>, Vec<String>), GroundFailureError> {
    let path = project.resolve(&input.path);
    if is_raster(&path) {
        let (g, w) = load_class_raster(&path, input.band, &grid.fine, layer)?;
        return Ok((g.data, w));
    }
    let what = match layer {
        ClassLayer::Lithology => "lithology",
        ClassLayer::LandCover => "land cover",
    };
    let thematic = load_thematic(project, input, grid, what, |c| format!("class_{c}"))?;
    match layer {
        ClassLayer::Lithology => lithology_coefficients(&thematic.codes, &thematic.names, &path),
        ClassLayer::LandCover => {
            // polygon classes are field values; they must be numeric land-cover codes
            let mut bad = Vec::new();
            let codes: Vec<f32> = thematic
                .codes
                .iter()
                .map(|c| {
                    if c.is_nan() {
                        return f32::NAN;
                    }
                    let name = thematic
                        .names
                        .get(&(*c as i64))
                        .cloned()
                        .unwrap_or_default();
                    name.trim()
                        .parse::<f64>()
                        .map(|v| v as f32)
                        .unwrap_or_else(|_| {
                            bad.push(name);
                            f32::NAN
                        })
                })
                .collect();
            if !bad.is_empty() {
                let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
                bad.into_iter()
                    .for_each(|n| *counts.entry(n).or_default() += 1);
                return Err(GroundFailureError::UnknownClasses {
                    input: what.into(),
                    path,
                    scheme: "GlobCover 2009 / ESA CCI (numeric)".into(),
                    counts: counts.into_iter().collect(),
                });
            }
            landcover_coefficients(&codes, &path)
        }
    }
}

/// Compute the Nowicki Jessee et al. (2018) areal coverage LS (0–1) on `grid.fine` from
/// the project's PGV, DEM, lithology and land cover; returns the grid and warnings for the
/// user. `progress` gets (stage, fraction 0–1); `cancel` is polled between stages.
///
/// Errors: a missing input (`inputs.pgv`, `inputs.lithology`, `inputs.land_cover`), PGV ≤ 0
/// or absent, unknown class codes (with counts), unreadable files, cancellation.
pub fn compute_for_project(
    project: &Project,
    grid: &AnalysisGrid,
    cancel: &AtomicBool,
    progress: &dyn Fn(&str, f64),
) -> Result<(Grid<f32>, Vec<String>), GroundFailureError> {
    let inputs = &project.file.inputs;
    let missing = |input: &str| GroundFailureError::MissingInput {
        input: input.into(),
        project: project.path.clone(),
    };
    let pgv_in = inputs.pgv.as_ref().ok_or_else(|| missing("inputs.pgv"))?;
    let lith_in = inputs
        .lithology
        .as_ref()
        .ok_or_else(|| missing("inputs.lithology"))?;
    let lc_in = inputs
        .land_cover
        .as_ref()
        .ok_or_else(|| missing("inputs.land_cover"))?;
    check(cancel)?;
    let (slope, cti) = terrain(project, grid, cancel, progress)?;
    let mut warnings = Vec::new();
    if slope
        .iter()
        .all(|s| s.is_nan() || f64::from(*s) < MIN_SLOPE_DEG)
    {
        warnings.push(
            "ground-failure model: every slope is below 2°, so the areal coverage is 0 everywhere"
                .into(),
        );
    }
    progress("ground failure: PGV", 0.6);
    let pgv_path = project.resolve(&pgv_in.path);
    let pgv = load_pgv(&pgv_path, pgv_in.band, &grid.fine)?;
    let needed: Vec<bool> = slope
        .iter()
        .zip(&grid.study_fine)
        .map(|(s, inside)| *inside && f64::from(*s) >= MIN_SLOPE_DEG)
        .collect();
    warnings.extend(check_pgv(&pgv.data, &needed, &pgv_path)?);
    check(cancel)?;
    progress("ground failure: lithology", 0.7);
    let (rock, w) = class_layer(project, lith_in, grid, ClassLayer::Lithology)?;
    warnings.extend(w);
    check(cancel)?;
    progress("ground failure: land cover", 0.8);
    let (lc, w) = class_layer(project, lc_in, grid, ClassLayer::LandCover)?;
    warnings.extend(w);
    check(cancel)?;
    progress("ground failure: model", 0.9);
    let mut ls = areal_coverage(&ModelInputs {
        pgv_cm_s: &pgv.data,
        slope_deg: &slope,
        cti: &cti,
        rock_coef: &rock,
        landcover_coef: &lc,
    })?;
    for (v, inside) in ls.iter_mut().zip(&grid.study_fine) {
        if !inside {
            *v = f32::NAN;
        }
    }
    progress("ground failure: done", 1.0);
    Ok((
        Grid {
            spec: grid.fine.clone(),
            data: ls,
        },
        warnings,
    ))
}
