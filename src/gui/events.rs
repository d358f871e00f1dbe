//! Open events (one project file each) and their loading on a worker thread.
//!
//! Loading order, each step streamed to the UI as soon as it is ready: the project file,
//! the DEM hillshade (the offline base layer), the raster inputs, then the feature table
//! (`crate::pipeline::build_event`): features, ICFs and observed LAD. Every grid is
//! warped to Web Mercator for display on the worker, never on the UI thread.

use super::colormap::Ramp;
use super::display_warp::warp_for_display;
use super::drawing::Drawing;
use super::imagery_layer::ImageryLayer;
use super::job::{JobHandle, Worker};
use super::layer::{LayerData, LayerKind, MapLayer};
use crate::grid::Grid;
use crate::inventory::BaseInventory;
use crate::io::{is_geographic, read_pgv, read_raster, GisError};
use crate::pipeline::{build_event, EventData, FeatureOptions};
use crate::project::Project;
use crate::terrain::{hillshade, DemView};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A piece of an event delivered while it loads.
pub enum EventMsg {
    /// The parsed project.
    Project(Box<Project>),
    /// A layer ready to draw.
    Layer(Box<LayerData>),
    /// Something the user should know (missing input, feature build failed, ...).
    Warning(String),
}

/// The worker result: the feature table for the models, when it could be built.
pub type EventDone = Option<Arc<EventData>>;

/// The load job of one event.
pub type EventJob = JobHandle<EventMsg, EventDone>;

/// One open event.
pub struct EventState {
    /// Event name (project `event.name`, or the file stem until parsed).
    pub name: String,
    /// Project file.
    pub project_path: PathBuf,
    /// Parsed project.
    pub project: Option<Project>,
    /// The feature table (for models; next issue).
    pub data: EventDone,
    /// Layers, bottom first.
    pub layers: Vec<MapLayer>,
    /// Imagery layers (true colour, drawn over the hillshade, under the data), bottom first.
    pub imagery: Vec<ImageryLayer>,
    /// Drawn training areas.
    pub drawing: Drawing,
    /// Where the drawing is autosaved; `None` until restored.
    pub autosave: Option<PathBuf>,
    /// Last autosaved (drawing revision, sketch revision).
    pub saved_revision: (u64, u64),
    /// Loading job, while running.
    pub job: Option<EventJob>,
    /// Warnings from loading (also shown as messages).
    pub warnings: Vec<String>,
    /// Set when loading failed; the event stays open so the error is visible.
    pub failed: Option<String>,
    /// The project's own inventory on the fine grid, once the first digitised edit needed it.
    pub base_inventory: Option<Arc<BaseInventory>>,
    /// The drawing revision the feature table's LAD reflects (`None`: as loaded).
    pub lad_revision: Option<u64>,
}

impl EventState {
    /// A new event whose project is loading.
    pub fn loading(path: &Path, ctx: &egui::Context) -> Self {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "event".into());
        let p = path.to_path_buf();
        Self {
            name,
            project_path: p.clone(),
            project: None,
            data: None,
            layers: Vec::new(),
            imagery: Vec::new(),
            drawing: Drawing::default(),
            autosave: None,
            saved_revision: (0, 0),
            job: Some(JobHandle::spawn("event", ctx, move |w| load_event(&p, w))),
            warnings: Vec::new(),
            failed: None,
            base_inventory: None,
            lad_revision: None,
        }
    }

    /// Load the project again (after acquisitions were added to it): the project, the
    /// inputs and the features are rebuilt on a new worker; the drawing, its autosave and
    /// the layers the user opened stay.
    pub fn reload(&mut self, ctx: &egui::Context) {
        if let Some(j) = &self.job {
            j.cancel();
        }
        self.layers.retain(|l| l.kind == LayerKind::External);
        self.project = None;
        self.data = None;
        self.warnings.clear();
        self.failed = None;
        // the rebuilt table's LAD comes from the project: recompute it with the drawing
        self.base_inventory = None;
        self.lad_revision = None;
        let p = self.project_path.clone();
        self.job = Some(JobHandle::spawn("event", ctx, move |w| load_event(&p, w)));
    }

    /// An event holding only opened files (no project).
    pub fn scratch() -> Self {
        Self {
            name: "Opened files".into(),
            project_path: PathBuf::from("scratch"),
            project: None,
            data: None,
            layers: Vec::new(),
            imagery: Vec::new(),
            drawing: Drawing::default(),
            autosave: None,
            saved_revision: (0, 0),
            job: None,
            warnings: Vec::new(),
            failed: None,
            base_inventory: None,
            lad_revision: None,
        }
    }

    /// The event CRS (project grid CRS, else the DEM's).
    pub fn crs_wkt(&self) -> Option<String> {
        self.layers
            .iter()
            .find(|l| matches!(l.kind, LayerKind::Observed | LayerKind::Feature(_)))
            .or_else(|| self.layers.iter().find(|l| l.kind == LayerKind::Input))
            .or_else(|| self.layers.iter().find(|l| l.kind != LayerKind::Hillshade))
            .map(|l| l.source.spec.crs_wkt.clone())
            .filter(|w| !w.is_empty())
    }

    /// Lon/lat bounds of all layers and imagery.
    pub fn bounds(&self) -> Option<[f64; 4]> {
        let imagery = self.imagery.iter().map(|l| l.bounds);
        self.layers
            .iter()
            .map(|l| l.bounds)
            .chain(imagery)
            .reduce(|a, b| {
                [
                    a[0].min(b[0]),
                    a[1].min(b[1]),
                    a[2].max(b[2]),
                    a[3].max(b[3]),
                ]
            })
    }

    /// True while the load job runs.
    pub fn is_loading(&self) -> bool {
        self.job.as_ref().is_some_and(|j| !j.finished)
    }
}

fn layer(
    name: &str,
    kind: LayerKind,
    unit: &str,
    grid: Grid<f32>,
    ramp: Ramp,
    visible: bool,
    path: Option<PathBuf>,
) -> Result<Box<LayerData>, String> {
    let label = path.clone().unwrap_or_else(|| PathBuf::from(name));
    let display = warp_for_display(&grid, &label).map_err(|e| format!("{name}: {e:#}"))?;
    Ok(Box::new(LayerData {
        name: name.to_string(),
        kind,
        unit: unit.to_string(),
        source: grid,
        display,
        ramp,
        path,
        visible,
    }))
}

/// Hillshade of a DEM grid (degrees or metres), as a 0–255 grid on the DEM's cells.
pub fn hillshade_grid(dem: &Grid<f32>) -> Grid<f32> {
    let s = &dem.spec;
    let (cw, ch) = if is_geographic(&s.crs_wkt) {
        let lat = ((s.y_max + s.y_min()) / 2.0).to_radians();
        (
            s.cell_width * 111_320.0 * lat.cos(),
            s.cell_height * 110_540.0,
        )
    } else {
        (s.cell_width, s.cell_height)
    };
    let view = DemView {
        data: &dem.data,
        rows: s.rows,
        cols: s.cols,
        cell_width_m: cw,
        cell_height_m: ch,
    };
    let shade = hillshade(&view, 315.0, 45.0, 1.0);
    let data = shade
        .iter()
        .zip(&dem.data)
        .map(|(h, z)| if z.is_nan() { f32::NAN } else { *h as f32 })
        .collect();
    Grid {
        spec: s.clone(),
        data,
    }
}

/// Read a single raster file as a layer (File → Open raster, drag and drop).
pub fn load_raster_layer(path: &Path, ramp: Ramp) -> Result<Box<LayerData>, String> {
    let grid = read_raster(path, 1).map_err(|e| format!("{e:#}"))?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "raster".into());
    layer(
        &name,
        LayerKind::External,
        "",
        grid,
        ramp,
        true,
        Some(path.to_path_buf()),
    )
}

type EventWorker = Worker<EventMsg, EventDone>;

/// Send a layer, or why it could not be made as a warning.
fn send_layer(w: &EventWorker, l: Result<Box<LayerData>, String>) {
    match l {
        Ok(l) => w.partial(EventMsg::Layer(l)),
        Err(e) => w.partial(EventMsg::Warning(e)),
    }
}

/// Load one event on the worker: the project, its inputs as layers as soon as each is read,
/// then the feature pipeline and its features as layers.
fn load_event(path: &Path, w: &EventWorker) -> Result<EventDone, String> {
    w.progress("reading project", 0.02);
    let project = Project::load(path).map_err(|e| format!("{e:#}"))?;
    w.partial(EventMsg::Project(Box::new(project.clone())));
    send_dem_layers(&project, w);
    if w.cancelled() {
        return Err("cancelled".into());
    }
    send_input_layers(&project, w);
    let progress = |stage: &str, f: f64| w.progress(stage, 0.15 + 0.7 * f);
    let data = match build_event(
        &project,
        &FeatureOptions::default().with_keep_fine_dem(false),
        w.cancel_flag(),
        &progress,
    ) {
        Ok(d) => d,
        Err(e) => {
            if w.cancelled() {
                return Err("cancelled".into());
            }
            w.partial(EventMsg::Warning(format!("features not built: {e:#}")));
            return Ok(None);
        }
    };
    for warning in &data.warnings {
        w.partial(EventMsg::Warning(warning.clone()));
    }
    send_feature_layers(&data, w)?;
    Ok(Some(Arc::new(data)))
}

/// The DEM and its hillshade (a warning when the DEM cannot be read).
fn send_dem_layers(project: &Project, w: &EventWorker) {
    let inputs = &project.file.inputs;
    w.progress("hillshade", 0.05);
    let dem_path = project.resolve(&inputs.dem.path);
    match read_raster(&dem_path, inputs.dem.band.unwrap_or(1)) {
        Ok(dem) => {
            let shade = hillshade_grid(&dem);
            send_layer(
                w,
                layer(
                    "Hillshade",
                    LayerKind::Hillshade,
                    "",
                    shade,
                    Ramp::Greys,
                    true,
                    Some(dem_path.clone()),
                ),
            );
            send_layer(
                w,
                layer(
                    "DEM",
                    LayerKind::Input,
                    "m",
                    dem,
                    Ramp::Cividis,
                    false,
                    Some(dem_path.clone()),
                ),
            );
        }
        Err(e) => w.partial(EventMsg::Warning(format!("no hillshade: {e:#}"))),
    }
}

/// PGV, land cover and the ground-failure product as they are given (before the pipeline).
fn send_input_layers(project: &Project, w: &EventWorker) {
    let inputs = &project.file.inputs;
    // (name, file, band, unit, reader): PGV may be a ShakeMap `grid.xml`.
    type Reader = fn(&Path, usize) -> Result<Grid<f32>, GisError>;
    let mut rasters: Vec<(&str, PathBuf, usize, &str, Reader)> = Vec::new();
    if let Some(p) = &inputs.pgv {
        let path = project.resolve(&p.path);
        rasters.push(("PGV", path, p.band.unwrap_or(1), "cm/s", read_pgv));
    }
    if let Some(t) = &inputs.land_cover {
        let p = project.resolve(&t.path);
        if crate::io::raster_info(&p).is_ok() {
            rasters.push((
                "Land cover (class)",
                p,
                t.band.unwrap_or(1),
                "",
                read_raster,
            ));
        }
    }
    if let Some(g) = &inputs.ground_failure {
        if let Some(p) = &g.path {
            rasters.push((
                "Ground failure (USGS)",
                project.resolve(p),
                g.band.unwrap_or(1),
                "%",
                read_raster,
            ));
        }
    }
    for (name, p, band, unit, read) in rasters {
        w.progress(&format!("reading {name}"), 0.1);
        let l = read(&p, band).map_err(|e| format!("{e:#}")).and_then(|g| {
            layer(
                name,
                LayerKind::Input,
                unit,
                g,
                Ramp::Magma,
                false,
                Some(p.clone()),
            )
        });
        send_layer(w, l);
    }
}

/// Every feature column and the observed target as layers.
fn send_feature_layers(data: &EventData, w: &EventWorker) -> Result<(), String> {
    let t = &data.table;
    let n = t.columns.len().max(1) as f64;
    for (i, c) in t.columns.iter().enumerate() {
        if w.cancelled() {
            return Err("cancelled".into());
        }
        w.progress(&format!("display: {}", c.name), 0.85 + 0.15 * i as f64 / n);
        let Some(grid) = t.column_grid(&c.name) else {
            continue;
        };
        let kind = if c.group.is_sar() {
            LayerKind::Icf(c.group.label().into())
        } else {
            LayerKind::Feature(c.group.label().into())
        };
        send_layer(
            w,
            layer(&c.name, kind, &c.unit, grid, Ramp::Viridis, false, None),
        );
    }
    if let Some(l) = observed_layer(t) {
        send_layer(w, l);
    }
    Ok(())
}

/// The observed target (LAD or LND) as a layer; `None` when no cell is mapped.
pub fn observed_layer(t: &crate::features::FeatureTable) -> Option<Result<Box<LayerData>, String>> {
    if t.target.iter().all(|v| v.is_nan()) {
        return None;
    }
    let unit = if t.target_name.to_lowercase().contains("lad") {
        "fraction"
    } else {
        "landslides/km²"
    };
    Some(layer(
        &format!("Observed {}", t.target_name),
        LayerKind::Observed,
        unit,
        t.target_grid(),
        Ramp::Inferno,
        true,
        None,
    ))
}
