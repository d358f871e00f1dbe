//! The feature pipeline of one event: grid → DEM → terrain → PGV → lithology → land cover →
//! ground failure → inventory (LAD/LND) → the feature table.

use super::{esa_cci_label, load_thematic, one_hot, FeatureColumn, FeatureGroup, FeatureTable};
use crate::coherence::{compute_icfs, load_acquisition, IcfKind};
use crate::event::{setup_grid, AnalysisGrid, EventError};
use crate::grid::Grid;
use crate::inventory::{
    landslide_areal_density, landslide_number_density, load_inventory, DensityOptions, Inventory,
};
use crate::io::{warp_file_to_grid, warp_pgv_to_grid, WarpOptions};
use crate::project::Project;
use crate::terrain::{terrain_features, TerrainOptions};
use std::sync::atomic::{AtomicBool, Ordering};

/// Options of [`build_event`].
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureOptions {
    /// A coarse cell needs this fraction of valid fine cells for a feature value (default 0.5).
    pub min_valid_fraction: f64,
    /// Keep the fine-grid DEM in the result (for hillshades and display).
    pub keep_fine_dem: bool,
}

impl Default for FeatureOptions {
    fn default() -> Self {
        Self {
            min_valid_fraction: 0.5,
            keep_fine_dem: true,
        }
    }
}

impl FeatureOptions {
    /// Set `keep_fine_dem`.
    pub fn with_keep_fine_dem(mut self, keep: bool) -> Self {
        self.keep_fine_dem = keep;
        self
    }
}

/// Everything the models need from one event.
#[derive(Debug, Clone)]
pub struct EventData {
    /// The project it came from.
    pub project: Project,
    /// Analysis grid.
    pub grid: AnalysisGrid,
    /// Features and target.
    pub table: FeatureTable,
    /// Fine-grid DEM (metres), if kept.
    pub dem_fine: Option<Grid<f32>>,
    /// Number of landslides in the (filtered) inventory.
    pub landslide_count: usize,
    /// Non-fatal remarks for the user (repaired polygons, partial coverage, …).
    pub warnings: Vec<String>,
}

impl EventData {
    /// Event name from the project.
    pub fn name(&self) -> &str {
        &self.project.file.event.name
    }
}

fn check(cancel: &AtomicBool) -> Result<(), EventError> {
    if cancel.load(Ordering::Relaxed) {
        Err(EventError::Cancelled)
    } else {
        Ok(())
    }
}

/// Load every input of `project` onto its analysis grid and build the feature table.
pub fn build_event(
    project: &Project,
    opts: &FeatureOptions,
    cancel: &AtomicBool,
    progress: &dyn Fn(&str, f64),
) -> Result<EventData, EventError> {
    let f = &project.file.inputs;
    let mut warnings = Vec::new();
    progress("analysis grid", 0.0);
    let grid = setup_grid(project)?;
    let blocks = grid.blocks();
    let nc = grid.coarse.len();
    let minf = opts.min_valid_fraction;
    check(cancel)?;

    progress("DEM", 0.05);
    let dem_path = project.resolve(&f.dem.path);
    let mut dem = warp_file_to_grid(
        &dem_path,
        &grid.fine,
        &WarpOptions::continuous().with_band(f.dem.band.unwrap_or(1)),
    )?;
    for (v, inside) in dem.data.iter_mut().zip(&grid.study_fine) {
        if !inside {
            *v = f32::NAN;
        }
    }
    let dem_fine = opts.keep_fine_dem.then(|| dem.clone());
    check(cancel)?;
    let topts = TerrainOptions::default()
        .with_block(grid.block, grid.block)
        .with_min_valid_fraction(minf);
    let terrain = terrain_features(
        dem.data,
        grid.fine.rows,
        grid.fine.cols,
        grid.fine.cell_width,
        grid.fine.cell_height,
        &topts,
        cancel,
        &|stage, frac| progress(&format!("terrain: {stage}"), 0.1 + 0.4 * frac),
    )
    .map_err(|e| match e {
        crate::terrain::TerrainError::Cancelled { .. } => EventError::Cancelled,
        other => EventError::Terrain {
            path: dem_path.clone(),
            message: other.to_string(),
        },
    })?;
    let mut columns = vec![
        col(
            "elev_mean_m",
            FeatureGroup::Topography,
            "m",
            terrain.mean_elevation_m,
        ),
        col(
            "elev_std_m",
            FeatureGroup::Topography,
            "m",
            terrain.std_elevation_m,
        ),
        col(
            "slope_max_deg",
            FeatureGroup::Topography,
            "deg",
            terrain.max_slope_deg,
        ),
        col(
            "slope_mean_deg",
            FeatureGroup::Topography,
            "deg",
            terrain.mean_slope_deg,
        ),
        col(
            "slope_std_deg",
            FeatureGroup::Topography,
            "deg",
            terrain.std_slope_deg,
        ),
        col(
            "aspect_circmean_deg",
            FeatureGroup::Topography,
            "deg",
            terrain.circular_mean_aspect_deg,
        ),
        col("cti_mean", FeatureGroup::Topography, "", terrain.mean_cti),
        col("relief_m", FeatureGroup::Topography, "m", terrain.relief_m),
    ];
    let study_frac = blocks.fraction(&grid.study_fine, &vec![true; grid.fine.len()], 0.0);
    let mut valid: Vec<bool> = (0..nc)
        .map(|i| study_frac[i] >= minf as f32 && columns.iter().all(|c| !c.values[i].is_nan()))
        .collect();
    if !valid.iter().any(|v| *v) {
        return Err(EventError::Input {
            input: "DEM".into(),
            path: dem_path,
            message: format!(
                "no coarse cell of the analysis grid ({} × {} cells of {} m × {} m) has terrain values: the DEM covers less than one coarse cell with {:.0}% valid fine cells, or is nodata inside the study area",
                grid.coarse.rows, grid.coarse.cols, grid.coarse.cell_width, grid.coarse.cell_height, minf * 100.0
            ),
        });
    }
    check(cancel)?;

    if let Some(pgv) = &f.pgv {
        progress("PGV", 0.55);
        let path = project.resolve(&pgv.path);
        let fine = warp_pgv_to_grid(&path, pgv.band.unwrap_or(1), &grid.fine)?;
        // The same check as the ground-failure model's: PGV must be a positive velocity.
        crate::groundfailure::check_pgv(&fine.data, &grid.study_fine, &path)
            .map_err(EventError::Pgv)?;
        let values = blocks.mean(&fine.data, minf);
        let missing = (0..nc).filter(|&i| valid[i] && values[i].is_nan()).count();
        if missing > 0 {
            warnings.push(format!(
                "PGV ({}) does not cover {missing} study-area cells; they are left out",
                path.display()
            ));
        }
        valid
            .iter_mut()
            .zip(&values)
            .for_each(|(v, x)| *v &= !x.is_nan());
        columns.push(col("pgv_mean_cm_s", FeatureGroup::Pgv, "cm/s", values));
    }
    check(cancel)?;

    for (input, what, prefix, group) in [
        (&f.lithology, "lithology", "lith", FeatureGroup::Lithology),
        (&f.land_cover, "land cover", "lc", FeatureGroup::LandCover),
    ] {
        let Some(input) = input else { continue };
        progress(what, 0.65);
        let layer = if group == FeatureGroup::LandCover {
            load_thematic(project, input, &grid, what, |c| {
                esa_cci_label(c).map_or_else(|| format!("class_{c}"), str::to_string)
            })?
        } else {
            load_thematic(project, input, &grid, what, |c| format!("class_{c}"))?
        };
        let dominant = blocks.mode(&layer.codes, 0.0);
        for (code, values) in one_hot(&dominant, &valid) {
            let code = code as i64;
            let label = layer
                .names
                .get(&code)
                .cloned()
                .unwrap_or_else(|| format!("class_{code}"));
            let label: String = label
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            columns.push(col(&format!("{prefix}_{label}"), group, "", values));
        }
        check(cancel)?;
    }

    if let Some(gf) = &f.ground_failure {
        if gf.model.is_some() {
            progress("ground-failure model", 0.75);
            let (ls, gf_warnings) = crate::groundfailure::compute_for_project(
                project,
                &grid,
                cancel,
                &|stage, frac| {
                    progress(
                        &format!("ground-failure model: {stage}"),
                        0.75 + 0.03 * frac,
                    )
                },
            )
            .map_err(|e| match e {
                crate::groundfailure::GroundFailureError::Cancelled => EventError::Cancelled,
                other => EventError::GroundFailure(other),
            })?;
            warnings.extend(gf_warnings);
            let values = blocks.mean(&ls.data, minf);
            valid
                .iter_mut()
                .zip(&values)
                .for_each(|(v, x)| *v &= !x.is_nan());
            columns.push(col(
                "usgs_ground_failure",
                FeatureGroup::GroundFailure,
                "",
                values,
            ));
        }
        if let Some(p) = &gf.path {
            progress("ground failure", 0.75);
            let path = project.resolve(p);
            let fine = warp_file_to_grid(
                &path,
                &grid.fine,
                &WarpOptions::continuous().with_band(gf.band.unwrap_or(1)),
            )?;
            let values = blocks.mean(&fine.data, minf);
            let missing = (0..nc).filter(|&i| valid[i] && values[i].is_nan()).count();
            if missing > 0 {
                warnings.push(format!("ground-failure product ({}) does not cover {missing} study-area cells; they are left out", path.display()));
            }
            valid
                .iter_mut()
                .zip(&values)
                .for_each(|(v, x)| *v &= !x.is_nan());
            columns.push(col(
                "usgs_ground_failure",
                FeatureGroup::GroundFailure,
                "",
                values,
            ));
        }
    }
    check(cancel)?;

    let prefixes = crate::coherence::acquisition_prefixes(project);
    let n_acq = project.file.acquisitions.len();
    for (i, acq) in project.file.acquisitions.iter().enumerate() {
        progress(
            &format!("coherence {}", prefixes[i]),
            0.78 + 0.07 * i as f64 / n_acq.max(1) as f64,
        );
        let layers = load_acquisition(project, acq, &grid.fine)?;
        let set = compute_icfs(&layers, blocks, minf);
        let group = match acq.sensor_tag().as_str() {
            "S1" => FeatureGroup::Sentinel1,
            "A2" => FeatureGroup::Alos2,
            _ => FeatureGroup::OtherSar,
        };
        for (kind, values) in set.features {
            let date = if kind.is_co_event() {
                Some(acq.first_post_date)
            } else {
                acq.second_post_date
            };
            if kind == IcfKind::CoEvent {
                let n_valid = valid.iter().filter(|v| **v).count().max(1);
                let covered = (0..nc).filter(|&i| valid[i] && !values[i].is_nan()).count();
                if (covered as f64) < 0.05 * n_valid as f64 {
                    warnings.push(format!(
                        "acquisition {} covers only {covered} of {n_valid} study-area cells",
                        prefixes[i]
                    ));
                }
            }
            let unit = "";
            columns.push(FeatureColumn {
                name: format!("{}_{}", prefixes[i], kind.suffix()),
                group,
                unit: unit.into(),
                values,
                available_on: date,
            });
        }
        check(cancel)?;
    }

    progress("inventory", 0.85);
    let (inventory, mapped) = load_inventory(project, &grid)?;
    let dopts = DensityOptions {
        min_mapped_fraction: minf,
    };
    let (target, target_name, landslide_count) = match &inventory {
        Some(Inventory::Polygons {
            landslide_fine,
            repaired,
            landslides,
            ..
        }) => {
            if *repaired > 0 {
                warnings.push(format!(
                    "{repaired} invalid inventory polygon(s) were repaired"
                ));
            }
            (
                landslide_areal_density(landslide_fine, &mapped, blocks, dopts),
                "LAD",
                landslides.len(),
            )
        }
        Some(Inventory::Points { points, .. }) => (
            landslide_number_density(points, &mapped, &grid.fine, blocks, dopts),
            "LND",
            points.len(),
        ),
        None => (vec![f32::NAN; nc], "LAD", 0),
    };
    if inventory.is_some() && !(0..nc).any(|i| valid[i] && !target[i].is_nan()) {
        warnings.push("no valid cell lies inside the mapped extent: the inventory cannot be used for training or testing".into());
    }
    progress("done", 1.0);
    let table = FeatureTable {
        coarse: grid.coarse.clone(),
        columns,
        valid,
        target,
        target_name: target_name.into(),
    };
    Ok(EventData {
        project: project.clone(),
        grid,
        table,
        dem_fine,
        landslide_count,
        warnings,
    })
}

fn col(name: &str, group: FeatureGroup, unit: &str, values: Vec<f32>) -> FeatureColumn {
    FeatureColumn {
        name: name.into(),
        group,
        unit: unit.into(),
        values,
        available_on: None,
    }
}
