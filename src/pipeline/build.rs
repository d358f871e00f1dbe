//! The feature pipeline of one event: grid → DEM → terrain → PGV → lithology → land cover →
//! ground failure → inventory (LAD/LND) → the feature table.

use super::EventError;
use crate::coherence::{compute_icfs, load_acquisition, IcfKind};
use crate::event::{setup_grid, AnalysisGrid, InputError};
use crate::features::{
    esa_cci_label, load_thematic, one_hot, FeatureColumn, FeatureGroup, FeatureTable,
};
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

/// Load every input of `project` onto its analysis grid and build the feature table: one
/// named stage per input, in the order of the module doc.
pub fn build_event(
    project: &Project,
    opts: &FeatureOptions,
    cancel: &AtomicBool,
    progress: &dyn Fn(&str, f64),
) -> Result<EventData, EventError> {
    progress("analysis grid", 0.0);
    let grid = setup_grid(project)?;
    check(cancel)?;
    let (mut b, dem_fine) = Builder::with_terrain(project, &grid, opts, cancel, progress)?;
    b.add_pgv()?;
    b.add_thematic()?;
    b.add_ground_failure()?;
    b.add_coherence()?;
    let (target, target_name, landslide_count) = b.target()?;
    progress("done", 1.0);
    let Builder {
        columns,
        valid,
        warnings,
        ..
    } = b;
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

/// The feature table while its stages run: the columns so far, which coarse cells are still
/// valid (complete static features) and the warnings, with what every stage needs.
struct Builder<'a> {
    project: &'a Project,
    grid: &'a AnalysisGrid,
    /// [`FeatureOptions::min_valid_fraction`].
    minf: f64,
    cancel: &'a AtomicBool,
    progress: &'a dyn Fn(&str, f64),
    columns: Vec<FeatureColumn>,
    valid: Vec<bool>,
    warnings: Vec<String>,
}

impl<'a> Builder<'a> {
    /// The DEM stage: the DEM warped onto the fine grid (NaN outside the study area), the
    /// eight coarse terrain features, and the first validity (inside the study area with
    /// every terrain value). Also returns the fine DEM when `opts` keeps it.
    fn with_terrain(
        project: &'a Project,
        grid: &'a AnalysisGrid,
        opts: &FeatureOptions,
        cancel: &'a AtomicBool,
        progress: &'a dyn Fn(&str, f64),
    ) -> Result<(Self, Option<Grid<f32>>), EventError> {
        let f = &project.file.inputs;
        let minf = opts.min_valid_fraction;
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
        let columns = terrain_columns(terrain);
        let blocks = grid.blocks();
        let study_frac = blocks.fraction(&grid.study_fine, &vec![true; grid.fine.len()], 0.0);
        let valid: Vec<bool> = (0..grid.coarse.len())
            .map(|i| study_frac[i] >= minf as f32 && columns.iter().all(|c| !c.values[i].is_nan()))
            .collect();
        if !valid.iter().any(|v| *v) {
            return Err(EventError::Input(InputError::Input {
                input: "DEM".into(),
                path: dem_path,
                message: format!(
                    "no coarse cell of the analysis grid ({} × {} cells of {} m × {} m) has terrain values: the DEM covers less than one coarse cell with {:.0}% valid fine cells, or is nodata inside the study area",
                    grid.coarse.rows, grid.coarse.cols, grid.coarse.cell_width, grid.coarse.cell_height, minf * 100.0
                ),
            }));
        }
        check(cancel)?;
        let b = Builder {
            project,
            grid,
            minf,
            cancel,
            progress,
            columns,
            valid,
            warnings: Vec::new(),
        };
        Ok((b, dem_fine))
    }

    /// Valid cells that `values` leaves without a value.
    fn missing(&self, values: &[f32]) -> usize {
        (0..values.len())
            .filter(|&i| self.valid[i] && values[i].is_nan())
            .count()
    }

    /// Add a column every model needs: a cell without its value is no longer valid.
    fn push_required(&mut self, column: FeatureColumn) {
        self.valid
            .iter_mut()
            .zip(&column.values)
            .for_each(|(v, x)| *v &= !x.is_nan());
        self.columns.push(column);
    }

    /// The PGV stage (ShakeMap or raster), checked as the ground-failure model checks it.
    fn add_pgv(&mut self) -> Result<(), EventError> {
        if let Some(pgv) = &self.project.file.inputs.pgv {
            (self.progress)("PGV", 0.55);
            let path = self.project.resolve(&pgv.path);
            let fine = warp_pgv_to_grid(&path, pgv.band.unwrap_or(1), &self.grid.fine)?;
            // The same check as the ground-failure model's: PGV must be a positive velocity.
            crate::groundfailure::check_pgv(&fine.data, &self.grid.study_fine, &path)
                .map_err(EventError::Pgv)?;
            let values = self.grid.blocks().mean(&fine.data, self.minf);
            let missing = self.missing(&values);
            if missing > 0 {
                self.warnings.push(format!(
                    "PGV ({}) does not cover {missing} study-area cells; they are left out",
                    path.display()
                ));
            }
            self.push_required(col("pgv_mean_cm_s", FeatureGroup::Pgv, "cm/s", values));
        }
        check(self.cancel)
    }

    /// The lithology and land-cover stages: the dominant class per coarse cell, one-hot.
    fn add_thematic(&mut self) -> Result<(), EventError> {
        let f = &self.project.file.inputs;
        for (input, what, prefix, group) in [
            (&f.lithology, "lithology", "lith", FeatureGroup::Lithology),
            (&f.land_cover, "land cover", "lc", FeatureGroup::LandCover),
        ] {
            let Some(input) = input else { continue };
            (self.progress)(what, 0.65);
            let layer = if group == FeatureGroup::LandCover {
                load_thematic(self.project, input, self.grid, what, |c| {
                    esa_cci_label(c).map_or_else(|| format!("class_{c}"), str::to_string)
                })?
            } else {
                load_thematic(self.project, input, self.grid, what, |c| {
                    format!("class_{c}")
                })?
            };
            let dominant = self.grid.blocks().mode(&layer.codes, 0.0);
            for (code, values) in one_hot(&dominant, &self.valid) {
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
                self.columns
                    .push(col(&format!("{prefix}_{label}"), group, "", values));
            }
            check(self.cancel)?;
        }
        Ok(())
    }

    /// The ground-failure stage: the built-in Nowicki Jessee et al. (2018) model and/or the
    /// USGS product given as a raster.
    fn add_ground_failure(&mut self) -> Result<(), EventError> {
        let Some(gf) = &self.project.file.inputs.ground_failure else {
            return check(self.cancel);
        };
        let progress = self.progress;
        if gf.model.is_some() {
            progress("ground-failure model", 0.75);
            let (ls, gf_warnings) = crate::groundfailure::compute_for_project(
                self.project,
                self.grid,
                self.cancel,
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
            self.warnings.extend(gf_warnings);
            let values = self.grid.blocks().mean(&ls.data, self.minf);
            self.push_required(col(
                "usgs_ground_failure",
                FeatureGroup::GroundFailure,
                "",
                values,
            ));
        }
        if let Some(p) = &gf.path {
            progress("ground failure", 0.75);
            let path = self.project.resolve(p);
            let fine = warp_file_to_grid(
                &path,
                &self.grid.fine,
                &WarpOptions::continuous().with_band(gf.band.unwrap_or(1)),
            )?;
            let values = self.grid.blocks().mean(&fine.data, self.minf);
            let missing = self.missing(&values);
            if missing > 0 {
                self.warnings.push(format!("ground-failure product ({}) does not cover {missing} study-area cells; they are left out", path.display()));
            }
            self.push_required(col(
                "usgs_ground_failure",
                FeatureGroup::GroundFailure,
                "",
                values,
            ));
        }
        check(self.cancel)
    }

    /// The coherence stage: the seven ICFs of every acquisition, each column dated by the
    /// acquisition that makes it available.
    fn add_coherence(&mut self) -> Result<(), EventError> {
        let project = self.project;
        let prefixes = crate::coherence::acquisition_prefixes(project);
        let n_acq = project.file.acquisitions.len();
        for (i, acq) in project.file.acquisitions.iter().enumerate() {
            (self.progress)(
                &format!("coherence {}", prefixes[i]),
                0.78 + 0.07 * i as f64 / n_acq.max(1) as f64,
            );
            let layers = load_acquisition(project, acq, &self.grid.fine)?;
            let set = compute_icfs(&layers, self.grid.blocks(), self.minf);
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
                    let n_valid = self.valid.iter().filter(|v| **v).count().max(1);
                    let covered = (0..values.len())
                        .filter(|&i| self.valid[i] && !values[i].is_nan())
                        .count();
                    if (covered as f64) < 0.05 * n_valid as f64 {
                        self.warnings.push(format!(
                            "acquisition {} covers only {covered} of {n_valid} study-area cells",
                            prefixes[i]
                        ));
                    }
                }
                self.columns.push(FeatureColumn {
                    name: format!("{}_{}", prefixes[i], kind.suffix()),
                    group,
                    unit: String::new(),
                    values,
                    available_on: date,
                });
            }
            check(self.cancel)?;
        }
        Ok(())
    }

    /// The inventory stage: the target (LAD from polygons, LND from points, NaN when there
    /// is no inventory), its name and the number of landslides.
    fn target(&mut self) -> Result<(Vec<f32>, &'static str, usize), EventError> {
        (self.progress)("inventory", 0.85);
        let grid = self.grid;
        let nc = grid.coarse.len();
        let (inventory, mapped) = load_inventory(self.project, grid)?;
        let dopts = DensityOptions {
            min_mapped_fraction: self.minf,
        };
        let blocks = grid.blocks();
        let (target, target_name, landslide_count) = match &inventory {
            Some(Inventory::Polygons {
                landslide_fine,
                repaired,
                landslides,
                ..
            }) => {
                if *repaired > 0 {
                    self.warnings.push(format!(
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
        if inventory.is_some() && !(0..nc).any(|i| self.valid[i] && !target[i].is_nan()) {
            self.warnings.push("no valid cell lies inside the mapped extent: the inventory cannot be used for training or testing".into());
        }
        Ok((target, target_name, landslide_count))
    }
}

/// The eight coarse terrain features as columns (paper Table 1, topography).
fn terrain_columns(t: crate::terrain::TerrainFeatures) -> Vec<FeatureColumn> {
    let topo = |name: &str, unit: &str, values| col(name, FeatureGroup::Topography, unit, values);
    vec![
        topo("elev_mean_m", "m", t.mean_elevation_m),
        topo("elev_std_m", "m", t.std_elevation_m),
        topo("slope_max_deg", "deg", t.max_slope_deg),
        topo("slope_mean_deg", "deg", t.mean_slope_deg),
        topo("slope_std_deg", "deg", t.std_slope_deg),
        topo("aspect_circmean_deg", "deg", t.circular_mean_aspect_deg),
        topo("cti_mean", "", t.mean_cti),
        topo("relief_m", "m", t.relief_m),
    ]
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
