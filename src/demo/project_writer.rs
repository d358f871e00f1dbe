//! The `project.toml` of a demo event, built with the project structs (so it always matches
//! the schema) and saved atomically; every path is relative to the event folder.

use super::layout::{coherence_file, event_date, names, Layout};
use super::scenarios::{AcquisitionPlan, Scenario, Sensor};
use super::DemoError;
use crate::project::{
    AcquisitionConfig, CoherenceScale, EventConfig, GridConfig, GroundFailureInput, InputsConfig,
    InventoryInput, Project, ProjectFile, RasterInput, ThematicInput, VectorInput,
    CURRENT_FORMAT_VERSION,
};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

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
    layout: Layout,
) -> Result<PathBuf, DemoError> {
    let path = dir.join(names::PROJECT);
    let date = event_date(sc)?;
    let acquisitions = if layout.project_has_truth() {
        sc.acquisitions
            .iter()
            .map(|a| acquisition_config(a, date))
            .collect()
    } else {
        Vec::new()
    };
    let file = ProjectFile {
        format_version: CURRENT_FORMAT_VERSION,
        event: EventConfig {
            name: sc.name.into(),
            date,
            epicentre: Some(epicentre),
        },
        grid: GridConfig::default(),
        inputs: demo_inputs(sc, layout),
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

/// The demo event's inputs: the fixed file names of an event folder (without the inventory
/// and mapped extent in the responder layout).
fn demo_inputs(sc: &Scenario, layout: Layout) -> InputsConfig {
    let truth = layout.project_has_truth();
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
        inventory: truth.then(|| InventoryInput {
            path: layout.inventory(),
            layer: None,
            filter: None,
        }),
        mapped_extent: truth.then(|| VectorInput {
            path: layout.mapped_extent(),
            layer: None,
        }),
        study_area: Some(VectorInput {
            path: names::STUDY_AREA.into(),
            layer: None,
        }),
    }
}
