//! Choosing the analysis grid of an event: CRS, extent, fine and coarse cells, study mask.

use super::InputError;
use crate::grid::{check_grid_fits, Blocks, Extent, GridSpec, FEATURE_BYTES_PER_FINE_CELL};
use crate::io::{
    self, burn_mask, raster_info, read_vector, srs_from_user, transform_extent, transform_points,
    wgs84_wkt, Polygon, VectorReadOptions,
};
use crate::project::Project;

/// The analysis grid of one event.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisGrid {
    /// Fine grid (20 m × 22 m by default), analysis CRS.
    pub fine: GridSpec,
    /// Coarse grid (block × block fine cells, 200 m × 220 m by default).
    pub coarse: GridSpec,
    /// Fine cells per coarse cell side.
    pub block: usize,
    /// Fine cells inside the study area.
    pub study_fine: Vec<bool>,
    /// Study-area polygons in the analysis CRS (empty = the whole grid).
    pub study_polygons: Vec<Polygon>,
}

impl AnalysisGrid {
    /// The fine → coarse aggregation helper.
    pub fn blocks(&self) -> Blocks {
        Blocks {
            fine_rows: self.fine.rows,
            fine_cols: self.fine.cols,
            block: self.block,
        }
    }
}

/// Decide the analysis grid from the project: the CRS (given, or the UTM zone of the DEM
/// centre), the extent (study area, else mapped extent, else DEM, clipped to the DEM),
/// snapped so coarse cells align to multiples of the coarse cell size.
pub fn setup_grid(project: &Project) -> Result<AnalysisGrid, InputError> {
    let f = &project.file;
    let dem_path = project.resolve(&f.inputs.dem.path);
    let dem = checked_dem(&dem_path)?;
    let crs_wkt = analysis_crs(project, &dem.spec, &dem_path)?;
    let dem_extent = transform_extent(&dem.spec.extent(), &dem.spec.crs_wkt, &crs_wkt, &dem_path)?;
    let (extent, study_polygons) = study_extent(project, &crs_wkt, dem_extent, &dem_path)?;
    let g = &f.grid;
    let b = g.block_factor;
    let (cw, ch) = (g.cell_width_m * b as f64, g.cell_height_m * b as f64);
    let fine = GridSpec::covering(&extent, g.cell_width_m, g.cell_height_m, cw, ch, crs_wkt)
        .map_err(|e| InputError::Input {
            input: "grid".into(),
            path: project.path.clone(),
            message: e.to_string(),
        })?;
    check_grid_fits(
        &format!("analysis grid of {}", project.path.display()),
        fine.rows,
        fine.cols,
        FEATURE_BYTES_PER_FINE_CELL,
        &format!(
            "use larger cells (grid.cell_width_m = {}, grid.cell_height_m = {}) or a smaller study area (inputs.study_area; the DEM {} covers {:.0} m × {:.0} m)",
            g.cell_width_m, g.cell_height_m, dem_path.display(), extent.width(), extent.height()
        ),
    )?;
    let coarse = fine.coarsen(b, b).map_err(|e| InputError::Input {
        input: "grid".into(),
        path: project.path.clone(),
        message: e.to_string(),
    })?;
    let study_fine = if study_polygons.is_empty() {
        vec![true; fine.len()]
    } else {
        let feats: Vec<Vec<Polygon>> = study_polygons.iter().map(|p| vec![p.clone()]).collect();
        burn_mask(&feats, &fine)
    };
    Ok(AnalysisGrid {
        fine,
        coarse,
        block: b,
        study_fine,
        study_polygons,
    })
}

/// The DEM's description: it must have a CRS and at least 3 × 3 cells.
fn checked_dem(dem_path: &std::path::Path) -> Result<io::RasterInfo, InputError> {
    let dem = raster_info(dem_path)?;
    if dem.spec.crs_wkt.trim().is_empty() {
        return Err(io::GisError::NoCrs {
            path: dem_path.to_path_buf(),
        }
        .into());
    }
    if dem.spec.rows < 3 || dem.spec.cols < 3 {
        return Err(InputError::Input {
            input: "DEM".into(),
            path: dem_path.to_path_buf(),
            message: format!(
                "the DEM is too small: {} rows × {} columns; slope, aspect and flow need at least 3 × 3 cells",
                dem.spec.rows, dem.spec.cols
            ),
        });
    }
    Ok(dem)
}

/// The analysis CRS: `grid.crs` of the project, else the UTM zone of the DEM's centre.
fn analysis_crs(
    project: &Project,
    dem: &GridSpec,
    dem_path: &std::path::Path,
) -> Result<String, InputError> {
    Ok(match &project.file.grid.crs {
        Some(def) => srs_from_user(def)
            .and_then(|s| {
                s.to_wkt().map_err(|source| io::GisError::Crs {
                    definition: def.clone(),
                    source,
                })
            })
            .map_err(|e| crate::project::ProjectError::Invalid {
                path: project.path.clone(),
                key: "grid.crs".into(),
                message: e.to_string(),
            })?,
        None => {
            let (cx, cy) = dem.extent().centre();
            let mut p = [[cx, cy]];
            transform_points(&mut p, &dem.crs_wkt, &wgs84_wkt()?, dem_path)?;
            let epsg = io::utm_epsg_for_lon_lat(p[0][0], p[0][1]);
            srs_from_user(&format!("EPSG:{epsg}"))?
                .to_wkt()
                .map_err(|source| io::GisError::Crs {
                    definition: format!("EPSG:{epsg}"),
                    source,
                })?
        }
    })
}

/// The extent to analyse and the study-area polygons: the study area (else the mapped
/// extent) clipped to the DEM, or the whole DEM (no polygons) when neither is given.
fn study_extent(
    project: &Project,
    crs_wkt: &str,
    dem_extent: Extent,
    dem_path: &std::path::Path,
) -> Result<(Extent, Vec<Polygon>), InputError> {
    let f = &project.file;
    let area_input = f
        .inputs
        .study_area
        .as_ref()
        .or(f.inputs.mapped_extent.as_ref());
    let Some(v) = area_input else {
        return Ok((dem_extent, Vec::new()));
    };
    let path = project.resolve(&v.path);
    let layer = read_vector(
        &path,
        &VectorReadOptions::new(crs_wkt).with_layer(v.layer.clone()),
    )?;
    let skipped = layer.skipped_summary();
    let polys: Vec<Polygon> = layer.features.into_iter().flat_map(|f| f.parts).collect();
    let ext = polys
        .iter()
        .filter_map(Polygon::extent)
        .reduce(|a, b| a.union(&b))
        .ok_or_else(|| InputError::Input {
            input: "study area".into(),
            path: path.clone(),
            message: match &skipped {
                Some(types) => format!("holds {types} and no polygon"),
                None => "contains no polygon".into(),
            },
        })?;
    let clipped = ext
        .intersection(&dem_extent)
        .ok_or_else(|| InputError::Input {
            input: "study area".into(),
            path: path.clone(),
            message: format!("does not overlap the DEM {}", dem_path.display()),
        })?;
    Ok((clipped, polys))
}
