//! The `project.toml` of a demo event, built with the project structs (so it always matches
//! the schema) and saved atomically; every path is relative to the event folder.

use super::scenarios::{AcquisitionPlan, Scenario, Sensor};
use super::DemoError;
use crate::project::{
    AcquisitionConfig, CoherenceScale, EventConfig, GridConfig, GroundFailureInput, InputsConfig,
    InventoryInput, Project, ProjectFile, RasterInput, ThematicInput, VectorInput,
    CURRENT_FORMAT_VERSION,
};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// File names inside an event folder.
pub(crate) mod names {
    /// DEM GeoTIFF.
    pub const DEM: &str = "dem.tif";
    /// PGV GeoTIFF.
    pub const PGV_TIF: &str = "pgv.tif";
    /// PGV ShakeMap.
    pub const PGV_XML: &str = "grid.xml";
    /// Lithology polygons.
    pub const LITHOLOGY: &str = "lithology.gpkg";
    /// Land cover.
    pub const LAND_COVER: &str = "landcover.tif";
    /// Ground-failure product.
    pub const GROUND_FAILURE: &str = "ground_failure.tif";
    /// Landslide inventory.
    pub const INVENTORY: &str = "inventory.gpkg";
    /// Mapped extent.
    pub const MAPPED_EXTENT: &str = "mapped_extent.gpkg";
    /// Study area.
    pub const STUDY_AREA: &str = "study_area.gpkg";
    /// Project file.
    pub const PROJECT: &str = "project.toml";
}

/// Relative path of an acquisition's coherence file, e.g. `coherence/S1_asc_T085_co.tif`.
pub(crate) fn coherence_file(plan: &AcquisitionPlan, role: &str) -> PathBuf {
    let sensor = match plan.sensor {
        Sensor::Sentinel1 => "S1",
        Sensor::Alos2 => "A2",
    };
    PathBuf::from("coherence").join(format!(
        "{sensor}_{}_{}_{role}.tif",
        plan.pass.short(),
        plan.track
    ))
}

fn raster(p: impl Into<PathBuf>) -> RasterInput {
    RasterInput {
        path: p.into(),
        band: None,
    }
}

fn days(date: NaiveDate, d: i64) -> NaiveDate {
    date + chrono::Duration::days(d)
}

/// Write `dir/project.toml` for a scenario and return its path.
pub(crate) fn write_project(
    dir: &Path,
    sc: &Scenario,
    epicentre: [f64; 2],
) -> Result<PathBuf, DemoError> {
    let path = dir.join(names::PROJECT);
    let (y, m, d) = sc.date;
    let date = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| DemoError::Invalid {
        event: sc.folder.into(),
        message: format!("bad date {y}-{m}-{d}"),
    })?;
    let acquisitions = sc
        .acquisitions
        .iter()
        .map(|a| acquisition_config(a, date))
        .collect();
    let file = ProjectFile {
        format_version: CURRENT_FORMAT_VERSION,
        event: EventConfig {
            name: sc.name.into(),
            date,
            epicentre: Some(epicentre),
        },
        grid: GridConfig::default(),
        inputs: demo_inputs(sc),
        acquisitions,
    };
    let project = Project {
        path: path.clone(),
        file,
    };
    project.validate().map_err(|source| DemoError::Project {
        path: path.clone(),
        source,
    })?;
    project.save().map_err(|source| DemoError::Project {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// One planned acquisition as the project's radar acquisition (dates from the event's).
fn acquisition_config(a: &AcquisitionPlan, date: NaiveDate) -> AcquisitionConfig {
    AcquisitionConfig {
        sensor: match a.sensor {
            Sensor::Sentinel1 => "Sentinel-1".into(),
            Sensor::Alos2 => "ALOS-2".into(),
        },
        band: None,
        track: a.track.into(),
        pass: a.pass,
        first_post_date: days(date, a.first_post_day),
        second_post_date: Some(days(date, a.first_post_day + a.post_span_days)),
        pre_event: raster(coherence_file(a, "pre")),
        co_event: raster(coherence_file(a, "co")),
        post_event: Some(raster(coherence_file(a, "post"))),
        sibling: a.sibling.then(|| raster(coherence_file(a, "sibling"))),
        scale: match a.sensor {
            Sensor::Sentinel1 => CoherenceScale::Auto,
            Sensor::Alos2 => CoherenceScale::Unit,
        },
    }
}

/// The demo event's inputs: the fixed file names of an event folder.
fn demo_inputs(sc: &Scenario) -> InputsConfig {
    InputsConfig {
        dem: raster(names::DEM),
        pgv: Some(raster(if sc.shakemap_xml {
            names::PGV_XML
        } else {
            names::PGV_TIF
        })),
        lithology: Some(ThematicInput {
            path: names::LITHOLOGY.into(),
            field: Some("glim_class".into()),
            layer: None,
            band: None,
        }),
        land_cover: Some(ThematicInput {
            path: names::LAND_COVER.into(),
            field: None,
            layer: None,
            band: None,
        }),
        ground_failure: Some(GroundFailureInput {
            path: Some(names::GROUND_FAILURE.into()),
            band: None,
            model: None,
        }),
        inventory: Some(InventoryInput {
            path: names::INVENTORY.into(),
            layer: None,
            filter: None,
        }),
        mapped_extent: Some(VectorInput {
            path: names::MAPPED_EXTENT.into(),
            layer: None,
        }),
        study_area: Some(VectorInput {
            path: names::STUDY_AREA.into(),
            layer: None,
        }),
    }
}
