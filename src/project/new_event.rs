//! A new event's project from the files a responder has (the core of `slidemap init` and of
//! the window's New event form): each file checked as it is given (opens, has a CRS,
//! overlaps the DEM, plausible values), problems reported per field, the radar acquisitions
//! read from a coherence folder, and the project saved atomically with paths relative to it.

use super::coherence_folder::scan_coherence_folder;
use super::coherence_scan::FolderScan;
use super::{
    EventConfig, GridConfig, GroundFailureInput, InputsConfig, InventoryInput, Project,
    ProjectError, ProjectFile, RasterInput, ThematicInput, VectorInput, CURRENT_FORMAT_VERSION,
    GROUND_FAILURE_MODEL_NJ2018,
};
use crate::grid::Extent;
use crate::io::{raster_info, read_raster, read_shakemap, read_vector, transform_extent};
use crate::io::{GisError, VectorReadOptions};
use chrono::NaiveDate;
use std::path::{Component, Path, PathBuf};

/// Extensions read as vector layers (anything else is opened as a raster).
const VECTOR_EXTENSIONS: [&str; 9] = [
    "gpkg", "shp", "geojson", "json", "kml", "gml", "fgb", "sqlite", "gpx",
];

/// Largest plausible peak ground velocity, cm/s.
const PGV_MAX_PLAUSIBLE_CM_S: f64 = 1_000.0;
/// Below this the PGV raster is probably in m/s or g, not cm/s.
const PGV_MIN_PLAUSIBLE_MAX_CM_S: f64 = 1.0;

/// Where the ground-failure feature comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum GroundFailureSource {
    /// A product raster (e.g. the USGS ground-failure product).
    Product(PathBuf),
    /// The built-in Nowicki Jessee et al. (2018) model (needs PGV, lithology, land cover).
    Model,
}

/// What the user gives for a new event (the form's fields; `slidemap init`'s flags).
#[derive(Debug, Clone, PartialEq)]
pub struct NewEventForm {
    /// Event name.
    pub name: String,
    /// Event date.
    pub date: NaiveDate,
    /// Epicentre (longitude, latitude); read from a ShakeMap `grid.xml` when not given.
    pub epicentre_lonlat: Option<[f64; 2]>,
    /// Digital elevation model (required).
    pub dem: Option<PathBuf>,
    /// Peak ground velocity: ShakeMap `grid.xml` or a raster in cm/s.
    pub pgv: Option<PathBuf>,
    /// Lithology: a class raster, or polygons with a class field.
    pub lithology: Option<PathBuf>,
    /// The lithology layer's class field (polygons only).
    pub lithology_field: Option<String>,
    /// Land cover: a class raster (or polygons with a class field).
    pub land_cover: Option<PathBuf>,
    /// Ground-failure product or model.
    pub ground_failure: Option<GroundFailureSource>,
    /// Landslide inventory (polygons or points).
    pub inventory: Option<PathBuf>,
    /// Where the inventory is complete.
    pub mapped_extent: Option<PathBuf>,
    /// The area to map (the DEM's extent when not given).
    pub study_area: Option<PathBuf>,
    /// A folder of coherence files (LiCSAR, LiCSBAS or dated names).
    pub coherence_dir: Option<PathBuf>,
    /// The folder's scan as the user reviewed it (answers, corrected sensor or track, left
    /// out); `None`: the folder is scanned as found.
    pub reviewed_coherence: Option<FolderScan>,
}

/// One problem, with the field it belongs to (the flag's name without dashes).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldProblem {
    /// "dem", "pgv", "lithology", "lithology-field", "land-cover", "ground-failure",
    /// "inventory", "mapped-extent", "study-area", "coherence", "name".
    pub field: &'static str,
    /// What is wrong, naming the file.
    pub message: String,
}

/// The result of checking a form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewEventCheck {
    /// Problems that stop the project from being saved.
    pub problems: Vec<FieldProblem>,
    /// Facts worth showing (epicentre read from the ShakeMap, acquisitions found, …).
    pub notes: Vec<String>,
    /// The epicentre to save (given, or from the ShakeMap).
    pub epicentre_lonlat: Option<[f64; 2]>,
    /// Fields of the lithology layer (when it is a vector layer), for the user to pick from.
    pub lithology_fields: Vec<String>,
    /// Acquisitions read from the coherence folder.
    pub coherence: Option<FolderScan>,
}

impl NewEventCheck {
    fn problem(&mut self, field: &'static str, message: impl Into<String>) {
        self.problems.push(FieldProblem {
            field,
            message: message.into(),
        });
    }
}

/// Errors of [`create_project`].
#[derive(Debug, thiserror::Error)]
pub enum NewEventError {
    /// The form has problems (each names its field and file).
    #[error("the new event cannot be saved:\n{}", .0.iter().map(|p| format!("  --{}: {}", p.field, p.message)).collect::<Vec<_>>().join("\n"))]
    Form(Vec<FieldProblem>),
    /// The project file exists and overwriting was not asked for.
    #[error(
        "{0}: a project file already exists here: choose another file, or allow overwriting (`slidemap init --overwrite`)"
    )]
    Exists(PathBuf),
    /// Writing or re-reading the project failed.
    #[error(transparent)]
    Project(#[from] ProjectError),
}

/// Check every field of `form` (nothing is written).
pub fn check_new_event(form: &NewEventForm) -> NewEventCheck {
    let mut check = NewEventCheck {
        epicentre_lonlat: form.epicentre_lonlat,
        ..Default::default()
    };
    if form.name.trim().is_empty() {
        check.problem("name", "give the event a name");
    }
    let Some(dem) = check_dem(form, &mut check) else {
        return check;
    };
    let area = dem.extent();
    let crs = dem.crs_wkt.clone();
    check_pgv(form, &area, &crs, &mut check);
    if let Some(p) = &form.lithology {
        check_thematic(
            p,
            &area,
            &crs,
            "lithology",
            form.lithology_field.as_deref(),
            &mut check,
        );
    }
    if let Some(p) = &form.land_cover {
        check_thematic(p, &area, &crs, "land-cover", None, &mut check);
    }
    check_ground_failure(form, &area, &crs, &mut check);
    check_vector_inputs(form, &area, &crs, &mut check);
    if let Some(dir) = &form.coherence_dir {
        let reviewed = form
            .reviewed_coherence
            .as_ref()
            .filter(|s| s.event_date == form.date);
        check_coherence_dir(dir, form.date, reviewed, &area, &crs, &mut check);
    }
    check
}

/// The DEM: given, opens, has a CRS, plausible cells; its grid (none when the other checks
/// cannot go on).
fn check_dem(form: &NewEventForm, check: &mut NewEventCheck) -> Option<crate::grid::GridSpec> {
    let Some(dem_path) = &form.dem else {
        check.problem("dem", "a DEM is required");
        return None;
    };
    let dem = match raster_info(dem_path) {
        Ok(info) if info.spec.crs_wkt.trim().is_empty() => {
            check.problem(
                "dem",
                GisError::NoCrs {
                    path: dem_path.clone(),
                }
                .to_string(),
            );
            return None;
        }
        Ok(info) => info.spec,
        Err(e) => {
            check.problem("dem", e.to_string());
            return None;
        }
    };
    if let Some(why) = implausible_dem_cell(&dem) {
        check.problem("dem", format!("{}: {why}", dem_path.display()));
    }
    Some(dem)
}

/// Ground failure: a product raster overlapping the DEM, or the built-in model with the
/// inputs it needs.
fn check_ground_failure(form: &NewEventForm, area: &Extent, crs: &str, check: &mut NewEventCheck) {
    match &form.ground_failure {
        Some(GroundFailureSource::Product(p)) => {
            if let Err(m) = raster_overlap(p, area, crs) {
                check.problem("ground-failure", m);
            }
        }
        Some(GroundFailureSource::Model) => {
            let missing: Vec<&str> = [
                ("--pgv", form.pgv.is_none()),
                ("--lithology", form.lithology.is_none()),
                ("--land-cover", form.land_cover.is_none()),
            ]
            .iter()
            .filter(|(_, m)| *m)
            .map(|(f, _)| *f)
            .collect();
            if !missing.is_empty() {
                check.problem(
                    "ground-failure",
                    format!(
                        "the built-in {GROUND_FAILURE_MODEL_NJ2018} model also needs {}",
                        missing.join(", ")
                    ),
                );
            }
        }
        None => {}
    }
}

/// Inventory, mapped extent and study area: vector layers overlapping the DEM; a mapped
/// extent only with an inventory.
fn check_vector_inputs(form: &NewEventForm, area: &Extent, crs: &str, check: &mut NewEventCheck) {
    for (field, p) in [
        ("inventory", &form.inventory),
        ("mapped-extent", &form.mapped_extent),
        ("study-area", &form.study_area),
    ] {
        if let Some(p) = p {
            if let Err(m) = vector_overlap(p, area, crs).map(|_| ()) {
                check.problem(field, m);
            }
        }
    }
    if form.mapped_extent.is_some() && form.inventory.is_none() {
        check.problem(
            "mapped-extent",
            "a mapped extent says where the inventory is complete: give the inventory too",
        );
    }
}

/// The coherence folder: its acquisitions read (or as the user reviewed them), each
/// overlapping the DEM, no question left open.
fn check_coherence_dir(
    dir: &Path,
    date: NaiveDate,
    reviewed: Option<&FolderScan>,
    area: &Extent,
    crs: &str,
    check: &mut NewEventCheck,
) {
    let scan = match reviewed {
        Some(s) => Ok(s.clone()),
        None => scan_coherence_folder(dir, date),
    };
    match scan {
        Ok(scan) => {
            for q in scan.open_questions() {
                check.problem("coherence", format!("{} (answer it in the window's review table, or move the files you do not want out of the folder)", q.prompt));
            }
            for a in &scan.chosen() {
                if let Err(m) = raster_overlap(&a.co_event.path, area, crs) {
                    check.problem("coherence", m);
                }
            }
            check.notes.push(format!(
                "{} acquisition(s) from {} ({} file(s) not used)",
                scan.chosen().len(),
                dir.display(),
                scan.skipped.len()
            ));
            check.coherence = Some(scan);
        }
        Err(e) => check.problem("coherence", e.to_string()),
    }
}

/// A DEM cell size that is not plausible for a DEM (metres or degrees).
fn implausible_dem_cell(spec: &crate::grid::GridSpec) -> Option<String> {
    let geographic = crate::io::is_geographic(&spec.crs_wkt);
    let size = spec.cell_width.abs().max(spec.cell_height.abs());
    let (lo, hi, unit) = if geographic {
        (1e-5, 0.01, "°")
    } else {
        (1.0, 500.0, " m")
    };
    (size < lo || size > hi).then(|| {
        format!("cells of {size}{unit} are not a DEM's resolution (expected {lo}–{hi}{unit})")
    })
}

/// PGV: a ShakeMap with a PGV field, or a raster whose values are plausible cm/s.
fn check_pgv(form: &NewEventForm, area: &Extent, crs: &str, check: &mut NewEventCheck) {
    let Some(p) = &form.pgv else { return };
    let is_xml = p
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"));
    if is_xml {
        match read_shakemap(p) {
            Ok(sm) => {
                if let Err(e) = sm.field("PGV") {
                    check.problem("pgv", e.to_string());
                }
                let lonlat = |k: &str| sm.event.get(k).and_then(|v| v.trim().parse::<f64>().ok());
                if check.epicentre_lonlat.is_none() {
                    if let (Some(lon), Some(lat)) = (lonlat("lon"), lonlat("lat")) {
                        check.epicentre_lonlat = Some([lon, lat]);
                        check.notes.push(format!(
                            "epicentre {lon:.4}, {lat:.4} read from the ShakeMap"
                        ));
                    }
                }
                let overlaps = crate::io::wgs84_wkt()
                    .map_err(|e| e.to_string())
                    .and_then(|wgs| overlap(p, &sm.spec.extent(), &wgs, area, crs));
                if let Err(m) = overlaps {
                    check.problem("pgv", m);
                }
            }
            Err(e) => check.problem("pgv", e.to_string()),
        }
        return;
    }
    if let Err(m) = raster_overlap(p, area, crs) {
        check.problem("pgv", m);
        return;
    }
    match read_raster(p, 1) {
        Ok(g) => {
            let max = g
                .data
                .iter()
                .filter(|v| v.is_finite())
                .fold(f64::NEG_INFINITY, |m, v| m.max(f64::from(*v)));
            if !(PGV_MIN_PLAUSIBLE_MAX_CM_S..=PGV_MAX_PLAUSIBLE_CM_S).contains(&max) {
                check.problem(
                    "pgv",
                    format!(
                        "{}: largest value {max:.3}: PGV must be in cm/s (expected a maximum between {PGV_MIN_PLAUSIBLE_MAX_CM_S} and {PGV_MAX_PLAUSIBLE_CM_S}); is it in m/s or g?",
                        p.display()
                    ),
                );
            }
        }
        Err(e) => check.problem("pgv", e.to_string()),
    }
}

/// Lithology or land cover: a class raster, or polygons with a class field.
fn check_thematic(
    p: &Path,
    area: &Extent,
    crs: &str,
    field_name: &'static str,
    class_field: Option<&str>,
    check: &mut NewEventCheck,
) {
    if !is_vector(p) {
        if let Err(m) = raster_overlap(p, area, crs) {
            check.problem(field_name, m);
        }
        return;
    }
    let fields = match vector_overlap(p, area, crs) {
        Ok(fields) => fields,
        Err(m) => {
            check.problem(field_name, m);
            return;
        }
    };
    if field_name == "lithology" {
        check.lithology_fields = fields.clone();
    }
    let list = fields.join(", ");
    match class_field {
        None => check.problem(
            if field_name == "lithology" {
                "lithology-field"
            } else {
                field_name
            },
            format!(
                "{} is a polygon layer: choose its class field (one of: {list})",
                p.display()
            ),
        ),
        Some(f) if !fields.iter().any(|x| x == f) => check.problem(
            "lithology-field",
            format!("{}: no field {f:?} (fields: {list})", p.display()),
        ),
        Some(_) => {}
    }
}

fn is_vector(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| VECTOR_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A raster opens, has a CRS and overlaps `area` (in `crs`).
pub(super) fn raster_overlap(p: &Path, area: &Extent, crs: &str) -> Result<(), String> {
    let info = raster_info(p).map_err(|e| e.to_string())?;
    if info.spec.crs_wkt.trim().is_empty() {
        return Err(GisError::NoCrs { path: p.into() }.to_string());
    }
    overlap(p, &info.spec.extent(), &info.spec.crs_wkt, area, crs)
}

/// A vector layer opens, has a CRS, has features and overlaps `area`; its field names.
fn vector_overlap(p: &Path, area: &Extent, crs: &str) -> Result<Vec<String>, String> {
    let layer = read_vector(p, &VectorReadOptions::new(crs)).map_err(|e| e.to_string())?;
    let mut points: Vec<[f64; 2]> = layer.points();
    for f in &layer.features {
        for part in &f.parts {
            points.extend(&part.exterior);
        }
    }
    if points.is_empty() {
        return Err(format!("{}: the layer has no features", p.display()));
    }
    let fold =
        |i: usize, f: fn(f64, f64) -> f64, init: f64| points.iter().map(|q| q[i]).fold(init, f);
    let extent = Extent {
        x_min: fold(0, f64::min, f64::INFINITY),
        y_min: fold(1, f64::min, f64::INFINITY),
        x_max: fold(0, f64::max, f64::NEG_INFINITY),
        y_max: fold(1, f64::max, f64::NEG_INFINITY),
    };
    overlap(p, &extent, crs, area, crs)?;
    let mut fields: Vec<String> = layer
        .features
        .iter()
        .flat_map(|f| f.attributes.keys().cloned())
        .collect();
    fields.sort();
    fields.dedup();
    Ok(fields)
}

/// `extent` (in `src_crs`) intersects `area` (in `crs`).
fn overlap(
    p: &Path,
    extent: &Extent,
    src_crs: &str,
    area: &Extent,
    crs: &str,
) -> Result<(), String> {
    let e = transform_extent(extent, src_crs, crs, p).map_err(|e| e.to_string())?;
    let touches = e.x_min < area.x_max
        && e.x_max > area.x_min
        && e.y_min < area.y_max
        && e.y_max > area.y_min;
    if touches {
        Ok(())
    } else {
        Err(GisError::NoOverlap {
            path: p.into(),
            file_x_min: e.x_min,
            file_x_max: e.x_max,
            file_y_min: e.y_min,
            file_y_max: e.y_max,
            area_x_min: area.x_min,
            area_x_max: area.x_max,
            area_y_min: area.y_min,
            area_y_max: area.y_max,
        }
        .to_string()
        .replace("the study area", "the DEM"))
    }
}

/// `target` relative to the folder `base` (both made absolute first); absolute when they
/// share no root.
pub fn relative_path(base: &Path, target: &Path) -> PathBuf {
    let abs = |p: &Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| {
            std::env::current_dir()
                .map(|d| d.join(p))
                .unwrap_or_else(|_| p.to_path_buf())
        })
    };
    let (b, t) = (abs(base), abs(target));
    let bc: Vec<Component> = b.components().collect();
    let tc: Vec<Component> = t.components().collect();
    let common = bc.iter().zip(&tc).take_while(|(x, y)| x == y).count();
    // sharing only the root (or nothing): an absolute path reads better than ../../..
    if common <= 1 {
        return t;
    }
    let mut out = PathBuf::new();
    for _ in common..bc.len() {
        out.push("..");
    }
    for c in &tc[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// Check `form`, and when it has no problem save the project to `out` (atomically, paths
/// relative to it) and load it back as `slidemap run` would.
pub fn create_project(
    form: &NewEventForm,
    out: &Path,
    overwrite: bool,
) -> Result<(Project, NewEventCheck), NewEventError> {
    if out.exists() && !overwrite {
        return Err(NewEventError::Exists(out.to_path_buf()));
    }
    let check = check_new_event(form);
    if !check.problems.is_empty() {
        return Err(NewEventError::Form(check.problems));
    }
    let folder = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&folder).map_err(|source| ProjectError::Io {
        path: folder.clone(),
        source,
    })?;
    let acquisitions = relative_acquisitions(&check, &folder);
    let Some(dem) = &form.dem else {
        return Err(NewEventError::Form(vec![FieldProblem {
            field: "dem",
            message: "a DEM is required".into(),
        }]));
    };
    let file = ProjectFile {
        format_version: CURRENT_FORMAT_VERSION,
        event: EventConfig {
            name: form.name.trim().to_string(),
            date: form.date,
            epicentre: check.epicentre_lonlat,
        },
        grid: GridConfig::default(),
        inputs: project_inputs(form, dem, &folder),
        acquisitions,
    };
    let project = Project {
        path: out.to_path_buf(),
        file,
    };
    project.save()?;
    let loaded = Project::load(out)?;
    Ok((loaded, check))
}

/// The acquisitions read from the coherence folder, their paths relative to `folder`.
fn relative_acquisitions(check: &NewEventCheck, folder: &Path) -> Vec<super::AcquisitionConfig> {
    let rel = |p: &Path| relative_path(folder, p);
    let mut acquisitions = check
        .coherence
        .as_ref()
        .map(|s| s.chosen())
        .unwrap_or_default();
    for a in &mut acquisitions {
        for r in a.files_mut() {
            r.path = rel(&r.path);
        }
    }
    acquisitions
}

/// The project's inputs from the form, paths relative to `folder`.
fn project_inputs(form: &NewEventForm, dem: &Path, folder: &Path) -> InputsConfig {
    let rel = |p: &Path| relative_path(folder, p);
    let raster = |p: &Path| RasterInput {
        path: rel(p),
        band: None,
    };
    let vector = |p: &Path| VectorInput {
        path: rel(p),
        layer: None,
    };
    let thematic = |p: &Path, field: Option<String>| ThematicInput {
        path: rel(p),
        field,
        layer: None,
        band: None,
    };
    InputsConfig {
        dem: raster(dem),
        pgv: form.pgv.as_deref().map(raster),
        lithology: form
            .lithology
            .as_deref()
            .map(|p| thematic(p, form.lithology_field.clone())),
        land_cover: form.land_cover.as_deref().map(|p| thematic(p, None)),
        ground_failure: form.ground_failure.as_ref().map(|g| match g {
            GroundFailureSource::Product(p) => GroundFailureInput {
                path: Some(rel(p)),
                band: None,
                model: None,
            },
            GroundFailureSource::Model => GroundFailureInput {
                path: None,
                band: None,
                model: Some(GROUND_FAILURE_MODEL_NJ2018.into()),
            },
        }),
        inventory: form.inventory.as_deref().map(|p| InventoryInput {
            path: rel(p),
            layer: None,
            filter: None,
        }),
        mapped_extent: form.mapped_extent.as_deref().map(vector),
        study_area: form.study_area.as_deref().map(vector),
    }
}
