//! `run_cmd` and the job plumbing of the app: opening events and files, exports, saving,
//! draining workers each frame (10 ms budget) and the autosave trigger.

use super::FilePurpose;
use super::{Command, IoDone, Level, SlideMapApp};
use crate::gui::drawing::autosave::{
    autosave_path, fallback_path, load_autosave, AutosaveFile, AUTOSAVE_VERSION,
};
use crate::gui::drawing::{io as drawing_io, Drawing, ToolMode};
use crate::gui::events::{load_raster_layer, EventMsg, EventState};
use crate::gui::export::{export_layer, ExportRequest};
use crate::gui::files::{classify, FileKind};
use crate::gui::imagery_layer::{load_imagery, ImageryData, ImageryLayer};
use crate::gui::job::{JobEvent, JobHandle};
use crate::gui::layer::{LayerKind, MapLayer};
use crate::io::DEFAULT_BANDS;
use std::path::{Path, PathBuf};
use std::time::Duration;

const DRAIN_BUDGET: Duration = Duration::from_millis(10);

impl SlideMapApp {
    /// Apply one command.
    pub fn run_cmd(&mut self, cmd: Command, ctx: &egui::Context) {
        match cmd {
            Command::OpenPath(p) => match classify(&p) {
                Some(FileKind::Project) => self.open_project(p, ctx),
                Some(FileKind::Raster) => self.open_raster(p, ctx),
                Some(FileKind::Vector) => self.run_cmd(Command::LoadDrawing(p), ctx),
                None => self.open_raster(p, ctx),
            },
            Command::NewEvent => self.new_event.open(),
            Command::AddAcquisitions => self.open_add_acquisitions(),
            Command::ScanAcquisitionFolder(p) => self.add_acquisitions.scan(p, ctx),
            Command::AcquisitionsAdded(p, n) => self.acquisitions_added(&p, n, ctx),
            Command::OpenProject(p) => self.open_project(p, ctx),
            Command::OpenRaster(p) => self.open_raster(p, ctx),
            Command::OpenImagery(p) => self.open_imagery(p, ctx),
            Command::ToggleImagery => self.toggle_imagery(),
            Command::RemoveImagery(id) => self.remove_layer(id),
            Command::LoadDrawing(p) => self.import_polygons(p, ctx),
            Command::SaveDrawing(p) => self.save_drawing(p, ctx),
            Command::ExportLayer { layer, path } => self.export(layer, path, ctx),
            Command::ShowFileChooser(purpose) => self.show_file_chooser(purpose),
            Command::SwitchEvent(i) if i < self.events.len() => self.switch_event(i),
            Command::CloseEvent(i) if i < self.events.len() => self.close_event(i),
            Command::CancelLoad(i) => self.cancel_load(i),
            Command::SaveProject => self.save_project(ctx),
            Command::ZoomToLayer(id) => self.zoom_to_layer(id),
            Command::ZoomToEvent => self.zoom_to_event(),
            Command::RemoveLayer(id) => self.remove_layer(id),
            Command::Undo => self.undo_drawing(),
            Command::Redo => self.redo_drawing(),
            Command::SetTool(m) => self.set_tool(m),
            Command::DeletePolygon(i) => self.request_delete(i),
            Command::SetDrawKind(k) => self.set_draw_kind(k),
            Command::UseAsStudyArea(i) => self.use_as_study_area(i, ctx),
            Command::RelabelPolygon(i, label) => self.drawing_edit(|d| d.relabel(i, label)),
            Command::SetOsm(on) => self.set_osm_tiles(on, ctx),
            Command::SetXyz(on) => self.set_xyz_tiles(on, ctx),
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Command::ShowGettingStarted => self.getting_started.open = true,
            Command::DismissGettingStarted => {
                self.getting_started.open = false;
                self.prefs.getting_started_dismissed = true;
            }
            Command::Training(c) => self.run_training_cmd(c, ctx),
            Command::SwitchEvent(_) | Command::CloseEvent(_) => {}
        }
    }

    /// Import polygons from `p` on a worker into the current event's drawing.
    fn import_polygons(&mut self, p: PathBuf, ctx: &egui::Context) {
        let key = self.current_key();
        let kind = self.tool.new_kind;
        self.spawn_io("import polygons", ctx, move || {
            drawing_io::load_polygons(&p, kind).map(|l| IoDone::Polygons(key, l))
        });
    }

    /// Show the Add acquisitions window for the current event (a message without a project).
    fn open_add_acquisitions(&mut self) {
        match self.event().and_then(|e| e.project.as_ref()) {
            Some(p) => {
                let (path, date) = (p.path.clone(), p.file.event.date);
                self.add_acquisitions.open(path, date);
            }
            None => self.message(
                Level::Warning,
                "open an event's project first (File > Open project…): acquisitions are added to a project",
            ),
        }
    }

    /// Acquisitions were appended to `project`: reload its event (the drawing stays) and
    /// retrain quick once its features are rebuilt when a same-event model is in use.
    fn acquisitions_added(&mut self, project: &Path, added: usize, ctx: &egui::Context) {
        let key = std::fs::canonicalize(project).unwrap_or_else(|_| project.to_path_buf());
        let Some(ei) = self
            .events
            .iter()
            .position(|e| e.project_path == key || e.project_path == project)
        else {
            self.open_project(key, ctx);
            return;
        };
        let name = self.events[ei].name.clone();
        self.message(
            Level::Info,
            format!("{added} acquisition(s) added to {name}; rebuilding its features"),
        );
        self.events[ei].reload(ctx);
        self.queue_retrain_after_load(self.events[ei].project_path.clone());
    }

    /// Open the file chooser for `purpose` with a suggested path.
    fn show_file_chooser(&mut self, purpose: FilePurpose) {
        let suggested = self.suggest_path(purpose);
        self.files.open(purpose, suggested);
    }

    /// Make event `i` (a valid index) current: drop the sketch and selection, zoom to it.
    fn switch_event(&mut self, i: usize) {
        self.tool.cancel_sketch();
        self.tool.selected = None;
        self.current = i;
        if let Some(b) = self.events[i].bounds() {
            self.map.zoom_to(b);
        }
    }

    /// Close event `i` (a valid index); the last one closed leaves a scratch event.
    fn close_event(&mut self, i: usize) {
        self.events.remove(i);
        if self.events.is_empty() {
            self.add_event(EventState::scratch());
        }
        self.current = self.current.min(self.events.len() - 1);
    }

    /// Cancel the loading job of event `i`, if any.
    fn cancel_load(&mut self, i: usize) {
        if let Some(j) = self.events.get(i).and_then(|e| e.job.as_ref()) {
            j.cancel();
        }
    }

    /// Zoom the map to layer or imagery `id` (in any event).
    fn zoom_to_layer(&mut self, id: u64) {
        let layers = self.events.iter().flat_map(|e| &e.layers);
        let imagery = self.events.iter().flat_map(|e| &e.imagery);
        if let Some(b) = layers
            .map(|l| (l.id, l.bounds))
            .chain(imagery.map(|l| (l.id, l.bounds)))
            .find(|(i, _)| *i == id)
            .map(|(_, b)| b)
        {
            self.map.zoom_to(b);
        }
    }

    /// Zoom the map to the current event.
    fn zoom_to_event(&mut self) {
        if let Some(b) = self.event().and_then(|e| e.bounds()) {
            self.map.zoom_to(b);
        }
    }

    /// Remove layer or imagery `id` from every event.
    fn remove_layer(&mut self, id: u64) {
        for e in &mut self.events {
            e.layers.retain(|l| l.id != id);
            e.imagery.retain(|l| l.id != id);
        }
    }

    /// Swap which of the two top imagery layers of the current event is visible (one
    /// layer: show/hide it): the pre/post comparison on one key.
    fn toggle_imagery(&mut self) {
        let Some(ev) = self.events.get_mut(self.current) else {
            return;
        };
        match ev.imagery.len() {
            0 => {}
            1 => ev.imagery[0].visible = !ev.imagery[0].visible,
            n => {
                let top = ev.imagery[n - 1].visible;
                ev.imagery[n - 1].visible = !top;
                ev.imagery[n - 2].visible = top;
            }
        }
    }

    /// Turn the XYZ imagery tiles on or off (URL and choice remembered in the preferences).
    fn set_xyz_tiles(&mut self, on: bool, ctx: &egui::Context) {
        let on = on && !self.prefs.xyz_url.trim().is_empty();
        self.prefs.xyz_tiles = on;
        let dir = self.state_dir.join("tiles-xyz");
        let url = self.prefs.xyz_url.clone();
        self.map.set_xyz(on.then_some(url.as_str()), ctx, &dir);
    }

    /// Undo the last drawing edit of the current event.
    fn undo_drawing(&mut self) {
        if let Some(e) = self.events.get_mut(self.current) {
            e.drawing.undo();
        }
    }

    /// Redo the last undone drawing edit of the current event.
    fn redo_drawing(&mut self) {
        if let Some(e) = self.events.get_mut(self.current) {
            e.drawing.redo();
        }
    }

    /// Switch the drawing tool to `m` (leaving Draw drops the sketch).
    fn set_tool(&mut self, m: ToolMode) {
        if m != ToolMode::Draw {
            self.tool.cancel_sketch();
        }
        self.tool.mode = m;
    }

    /// Turn the OSM background tiles on or off (remembered in the preferences).
    fn set_osm_tiles(&mut self, on: bool, ctx: &egui::Context) {
        self.prefs.osm_tiles = on;
        let dir = self.state_dir.join("tiles");
        self.map.set_osm(on, ctx, &dir);
    }

    pub(super) fn drawing_edit(
        &mut self,
        f: impl FnOnce(&mut Drawing) -> Result<(), crate::gui::drawing::model::DrawError>,
    ) {
        let r = match self.events.get_mut(self.current) {
            Some(e) => f(&mut e.drawing),
            None => return,
        };
        if let Err(e) = r {
            self.message(Level::Warning, e.to_string());
        }
    }

    fn current_key(&self) -> PathBuf {
        self.event()
            .map(|e| e.project_path.clone())
            .unwrap_or_default()
    }

    fn suggest_path(&self, purpose: FilePurpose) -> String {
        let dir = self
            .event()
            .and_then(|e| e.project_path.parent().map(Path::to_path_buf))
            .filter(|d| d.is_dir())
            .unwrap_or_else(|| PathBuf::from("."));
        let file = match purpose {
            FilePurpose::SaveDrawing => "polygons.gpkg".to_string(),
            FilePurpose::AcquisitionFolder => return dir.display().to_string(),
            FilePurpose::ExportLayer(id) => {
                let name = self
                    .events
                    .iter()
                    .flat_map(|e| &e.layers)
                    .find(|l| l.id == id)
                    .map(|l| l.name.clone())
                    .unwrap_or_default();
                format!(
                    "{}.tif",
                    name.replace(|c: char| !c.is_alphanumeric() && c != '-', "_")
                )
            }
            _ => return String::new(),
        };
        dir.join(file).display().to_string()
    }

    /// Add an event and restore its autosaved drawing.
    pub fn add_event(&mut self, mut ev: EventState) {
        let stem = ev
            .project_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = autosave_path(&self.state_dir, &stem, &ev.project_path);
        match load_autosave(&path) {
            Ok(Some(f)) => {
                ev.drawing = Drawing::from_polygons(f.polygons);
                if !f.sketch.is_empty() && self.events.is_empty() {
                    self.tool.sketch = f.sketch;
                }
                if !ev.drawing.polygons.is_empty() {
                    self.message(
                        Level::Info,
                        format!(
                            "restored {} training area(s) of {} from {}",
                            ev.drawing.polygons.len(),
                            ev.name,
                            path.display()
                        ),
                    );
                }
                ev.autosave = Some(path);
            }
            Ok(None) => ev.autosave = Some(path),
            Err(e) => {
                let alt = fallback_path(&path);
                self.message(
                    Level::Error,
                    format!(
                        "{e}. The file is left untouched; new edits are autosaved to {}",
                        alt.display()
                    ),
                );
                ev.autosave = Some(alt);
            }
        }
        ev.saved_revision = (ev.drawing.revision, self.tool.sketch_revision);
        self.events.push(ev);
    }

    /// Open a project as a new event (or switch to it if already open).
    pub fn open_project(&mut self, path: PathBuf, ctx: &egui::Context) {
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        if let Some(i) = self.events.iter().position(|e| e.project_path == path) {
            self.run_cmd(Command::SwitchEvent(i), ctx);
            return;
        }
        // Replace an empty scratch event.
        if self.events.len() == 1
            && self.events[0].project.is_none()
            && self.events[0].job.is_none()
            && self.events[0].layers.is_empty()
            && self.events[0].drawing.polygons.is_empty()
        {
            self.events.clear();
        }
        if self.zoom_pending.is_none() {
            self.zoom_pending = Some(path.clone());
        }
        self.add_event(EventState::loading(&path, ctx));
        if self.events.len() == 1 {
            self.current = 0;
        }
    }

    fn open_raster(&mut self, path: PathBuf, ctx: &egui::Context) {
        let key = self.current_key();
        let ramp = self.prefs.default_ramp;
        self.spawn_io(&format!("opening {}", path.display()), ctx, move || {
            load_raster_layer(&path, ramp).map(|l| IoDone::Layer(key, l))
        });
    }

    fn open_imagery(&mut self, path: PathBuf, ctx: &egui::Context) {
        let key = self.current_key();
        self.spawn_io(
            &format!("opening imagery {}", path.display()),
            ctx,
            move || load_imagery(&path, DEFAULT_BANDS).map(|d| IoDone::Imagery(key, Box::new(d))),
        );
    }

    /// Add imagery to the event of `key` (else the current one): warn when it misses the
    /// event's area, zoom to it when the event shows nothing else, select it.
    fn add_imagery(&mut self, key: &Path, data: Box<ImageryData>, ctx: &egui::Context) {
        let id = self.next_layer_id;
        self.next_layer_id += 1;
        let layer = ImageryLayer::new(id, *data, ctx);
        let Some(ei) = self.event_index(key) else {
            return;
        };
        let l = layer.bounds;
        let event_bounds = self.events[ei].bounds();
        if let Some(b) = event_bounds {
            if l[2] < b[0] || l[0] > b[2] || l[3] < b[1] || l[1] > b[3] {
                self.message(
                    Level::Warning,
                    format!(
                        "imagery {} does not overlap the open event (imagery lon {:.3}..{:.3}, lat {:.3}..{:.3}; event lon {:.3}..{:.3}, lat {:.3}..{:.3}). It was added; use Zoom to layer to see it.",
                        layer.info.path.display(), l[0], l[2], l[1], l[3], b[0], b[2], b[1], b[3]
                    ),
                );
            }
        }
        self.layers_panel.selected = Some(id);
        self.events[ei].imagery.push(layer);
        if event_bounds.is_none() && ei == self.current {
            self.map.zoom_to(l);
        }
    }

    pub(super) fn spawn_io(
        &mut self,
        name: &str,
        ctx: &egui::Context,
        f: impl FnOnce() -> Result<IoDone, String> + Send + 'static,
    ) {
        self.io_jobs
            .push(JobHandle::spawn(name, ctx, move |_w| f()));
    }

    fn export(&mut self, id: u64, path: PathBuf, ctx: &egui::Context) {
        let Some(l) = self
            .events
            .iter()
            .flat_map(|e| &e.layers)
            .find(|l| l.id == id)
        else {
            self.message(Level::Warning, "that layer is no longer open");
            return;
        };
        let req = ExportRequest {
            grid: l.source.clone(),
            path,
            name: l.name.clone(),
            unit: l.unit.clone(),
            ramp: l.style.ramp,
            min: l.style.min,
            max: l.style.max,
        };
        self.spawn_io(&format!("exporting {}", l.name), ctx, move || {
            export_layer(&req).map(IoDone::Message)
        });
    }

    fn save_drawing(&mut self, path: PathBuf, ctx: &egui::Context) {
        let Some(ev) = self.event() else { return };
        let polys = ev.drawing.polygons.clone();
        let crs = ev.crs_wkt().unwrap_or_default();
        self.spawn_io("saving training areas", ctx, move || {
            drawing_io::save_polygons(&path, &polys, &crs).map(|_| {
                IoDone::Message(format!(
                    "saved {} polygon(s) to {}",
                    polys.len(),
                    path.display()
                ))
            })
        });
    }

    fn save_project(&mut self, ctx: &egui::Context) {
        let Some(ev) = self.event() else { return };
        let Some(project) = ev.project.clone() else {
            self.message(Level::Warning, "no project to save: open a project file first (training areas can be saved from the right panel)");
            return;
        };
        let polys = ev.drawing.polygons.clone();
        let crs = ev.crs_wkt().unwrap_or_default();
        self.prefs.push_recent(project.path.clone());
        self.spawn_io("saving project", ctx, move || {
            project.save().map_err(|e| format!("{e:#}"))?;
            let mut msg = format!("saved {}", project.path.display());
            if !polys.is_empty() {
                let p = project.base_dir().join("training_areas.gpkg");
                drawing_io::save_polygons(&p, &polys, &crs)?;
                msg.push_str(&format!(" and {}", p.display()));
            }
            Ok(IoDone::Message(msg))
        });
    }

    /// The open event of project `key`, else the current one (files opened on their own).
    fn event_index(&self, key: &Path) -> Option<usize> {
        self.events
            .iter()
            .position(|e| e.project_path == key)
            .or(Some(self.current).filter(|c| *c < self.events.len()))
    }

    pub(super) fn add_layer(&mut self, key: &Path, data: Box<crate::gui::layer::LayerData>) {
        let id = self.next_layer_id;
        self.next_layer_id += 1;
        let layer = MapLayer::new(id, *data);
        let Some(ei) = self.event_index(key) else {
            return;
        };
        if layer.kind == LayerKind::External {
            if let Some(b) = self.events[ei].bounds() {
                let l = layer.bounds;
                if l[2] < b[0] || l[0] > b[2] || l[3] < b[1] || l[1] > b[3] {
                    self.message(
                        Level::Warning,
                        format!(
                            "{} lies outside the event area (layer lon {:.3}..{:.3}, lat {:.3}..{:.3}; event lon {:.3}..{:.3}, lat {:.3}..{:.3}). It was added; use Zoom to layer to see it.",
                            layer.name, l[0], l[2], l[1], l[3], b[0], b[2], b[1], b[3]
                        ),
                    );
                }
            }
            self.layers_panel.selected = Some(id);
        }
        let zoom = self.zoom_pending.as_deref() == Some(key)
            || (layer.kind == LayerKind::External && self.events[ei].layers.is_empty());
        let ev = &mut self.events[ei];
        // Keep the hillshade at the bottom.
        if layer.kind == LayerKind::Hillshade {
            ev.layers.insert(0, layer);
        } else {
            ev.layers.push(layer);
        }
        if zoom && ei == self.current {
            if let Some(b) = self.events[ei].bounds() {
                self.map.zoom_to(b);
            }
            self.zoom_pending = None;
        }
    }

    /// Upload finished imagery reads; report their failures.
    fn poll_imagery(&mut self, ctx: &egui::Context) {
        let mut errors = Vec::new();
        for l in self.events.iter_mut().flat_map(|e| &mut e.imagery) {
            errors.extend(l.poll(ctx));
        }
        for e in errors {
            self.message(Level::Error, e);
        }
    }

    /// Drain every worker (within the frame budget).
    pub fn poll_jobs(&mut self, ctx: &egui::Context) {
        self.poll_imagery(ctx);
        for ei in 0..self.events.len() {
            let Some(job) = self.events[ei].job.as_mut() else {
                continue;
            };
            let evs = job.drain(DRAIN_BUDGET);
            let key = self.events[ei].project_path.clone();
            for e in evs {
                match e {
                    JobEvent::Partial(EventMsg::Project(p)) => {
                        let ev = &mut self.events[ei];
                        ev.name = p.file.event.name.clone();
                        self.prefs.push_recent(p.path.clone());
                        self.events[ei].project = Some(*p);
                        self.restore_mapping(ei, ctx);
                    }
                    JobEvent::Partial(EventMsg::Layer(l)) => self.add_layer(&key, l),
                    JobEvent::Partial(EventMsg::Warning(w)) => {
                        let name = self.events[ei].name.clone();
                        self.events[ei].warnings.push(w.clone());
                        self.message(Level::Warning, format!("{name}: {w}"));
                    }
                    JobEvent::Done(d) => self.events[ei].data = d,
                    JobEvent::Failed(msg) => {
                        self.message(
                            Level::Error,
                            format!("could not open {}: {msg}", key.display()),
                        );
                        self.events[ei].failed = Some(msg);
                    }
                    JobEvent::Progress(..) => {}
                }
            }
        }
        // Failed events without layers or drawings disappear (the message stays).
        let before = self.events.len();
        self.events.retain(|e| {
            e.failed.is_none() || !e.layers.is_empty() || !e.drawing.polygons.is_empty()
        });
        if self.events.len() != before {
            if self.events.is_empty() {
                self.add_event(EventState::scratch());
            }
            self.current = self.current.min(self.events.len() - 1);
        }
        let mut done = Vec::new();
        for job in &mut self.io_jobs {
            done.extend(job.drain(DRAIN_BUDGET));
        }
        self.io_jobs.retain(|j| !j.finished);
        for e in done {
            match e {
                JobEvent::Done(IoDone::Message(m)) => self.message(Level::Info, m),
                JobEvent::Done(IoDone::Layer(key, l)) => self.add_layer(&key, l),
                JobEvent::Done(IoDone::Imagery(key, d)) => self.add_imagery(&key, d, ctx),
                JobEvent::Done(IoDone::Polygons(key, loaded)) => {
                    for n in &loaded.notes {
                        self.message(Level::Warning, n.clone());
                    }
                    if let Some(ev) = self.events.iter_mut().find(|e| e.project_path == key) {
                        let mut all = ev.drawing.polygons.clone();
                        let n = loaded.polygons.len();
                        for mut p in loaded.polygons {
                            p.id = ev.drawing.fresh_id();
                            all.push(p);
                        }
                        ev.drawing.replace_all(all);
                        self.messages.push(super::UiMessage {
                            level: Level::Info,
                            text: format!("imported {n} polygon(s)"),
                        });
                    }
                }
                JobEvent::Failed(m) => self.message(Level::Error, m),
                JobEvent::Partial(()) | JobEvent::Progress(..) => {}
            }
        }
    }

    /// Queue an autosave of the current event when its drawing or sketch changed.
    pub fn autosave_if_changed(&mut self) {
        let sketch_rev = self.tool.sketch_revision;
        let sketch = self.tool.sketch.clone();
        let Some(ev) = self.events.get_mut(self.current) else {
            return;
        };
        let rev = (ev.drawing.revision, sketch_rev);
        if rev == ev.saved_revision {
            return;
        }
        ev.saved_revision = rev;
        let Some(path) = ev.autosave.clone() else {
            return;
        };
        let file = AutosaveFile {
            version: AUTOSAVE_VERSION,
            event: ev.name.clone(),
            project: ev.project_path.clone(),
            polygons: ev.drawing.polygons.clone(),
            sketch,
        };
        if let Err(e) = self.autosave.save(&path, &file) {
            self.message(Level::Error, e);
        }
    }
}
