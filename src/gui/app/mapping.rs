//! Digitising landslides in the app: the mapping questions (a landslide drawn outside every
//! mapped area; deleting a mapped area that holds landslides), and the current event's LAD
//! kept in step with the drawing.
//!
//! After every edit a worker recomputes LAD from the project's inventory plus the drawn
//! polygons (`crate::inventory::lad_with_digitised`), rebuilds the "Observed LAD" layer and
//! writes the mapping GeoPackage beside the project (layers `landslides` and
//! `mapped_areas`, project CRS, atomic). A project without an inventory is then saved naming
//! that file as its inventory and mapped extent, so `slidemap run` and `predict` see the same
//! mapping. Edits made while a worker runs are picked up when it finishes.

use super::{Level, SlideMapApp};
use crate::gui::drawing::rules;
use crate::gui::drawing::PolygonKind;
use crate::gui::events::observed_layer;
use crate::gui::job::{JobEvent, JobHandle};
use crate::gui::layer::{LayerData, LayerKind};
use crate::inventory::{
    lad_with_digitised, link_mapping_to_project, mapping_gpkg_path, read_mapping_gpkg,
    study_area_gpkg_path, write_mapping_gpkg, BaseInventory, DensityOptions, Digitised,
    DigitisedPolygon,
};
use crate::pipeline::EventData;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A question the app asks before it changes what the mapper drew.
#[derive(Debug, Clone, PartialEq)]
pub enum MappingQuestion {
    /// The landslide with this id lies (partly) outside every mapped area.
    LandslideOutside {
        /// Landslide polygon id.
        id: u64,
    },
    /// The mapped area with this id holds these landslides: delete it?
    DeleteArea {
        /// Mapped-area polygon id.
        id: u64,
        /// Ids of the landslides inside it.
        landslides: Vec<u64>,
    },
}

/// The result of one LAD update.
pub struct LadDone {
    path: PathBuf,
    revision: u64,
    /// The feature table the update started from: a result for a table replaced meanwhile
    /// (the event reloaded) is stale and dropped.
    source: Arc<EventData>,
    data: Arc<EventData>,
    base: Arc<BaseInventory>,
    layer: Option<Result<Box<LayerData>, String>>,
    saved: Option<Result<PathBuf, String>>,
    secs: f64,
}

/// Digitising state of the app.
#[derive(Default)]
pub struct MappingState {
    /// The open question, if any.
    pub question: Option<MappingQuestion>,
    job: Option<JobHandle<(), LadDone>>,
    /// Seconds the last LAD update took (edit to new layer, on the worker).
    pub last_update_s: Option<f64>,
    /// Where the mapping was last written.
    pub saved_to: Option<PathBuf>,
}

impl MappingState {
    /// True while a LAD update runs.
    pub fn busy(&self) -> bool {
        self.job.as_ref().is_some_and(|j| !j.finished)
    }
}

/// Recompute LAD for `data` with the drawn polygons; write the mapping file when `save`.
fn update_lad(
    source: &Arc<EventData>,
    base: Option<Arc<BaseInventory>>,
    digitised: &Digitised,
    save: Option<PathBuf>,
) -> Result<LadDone, String> {
    let t0 = Instant::now();
    let data: &EventData = source;
    let crs = data.grid.fine.crs_wkt.clone();
    let base = match base {
        Some(b) => b,
        None => {
            Arc::new(BaseInventory::load(&data.project, &data.grid).map_err(|e| format!("{e:#}"))?)
        }
    };
    let local = digitised.from_lon_lat(&crs).map_err(|e| format!("{e:#}"))?;
    let opts = DensityOptions::default();
    let mut next = data.clone();
    next.table.target = lad_with_digitised(&data.grid, &base, &local, opts);
    next.table.target_name = "LAD".into();
    next.landslide_count = local.landslides.len();
    let layer = observed_layer(&next.table);
    let saved = save.map(|p| {
        write_mapping_gpkg(&p, &crs, &local)
            .map(|_| p)
            .map_err(|e| format!("{e:#}"))
    });
    Ok(LadDone {
        path: data.project.path.clone(),
        revision: 0,
        source: source.clone(),
        data: Arc::new(next),
        base,
        layer,
        saved,
        secs: t0.elapsed().as_secs_f64(),
    })
}

impl SlideMapApp {
    /// After the map: check a just-closed polygon and a Delete key against the mapping rules.
    pub(crate) fn after_tool(&mut self) {
        let closed = self.tool.closed.take();
        if let Some(del) = self.tool.delete_request.take() {
            self.request_delete(del);
        }
        let Some(ev) = self.events.get(self.current) else {
            return;
        };
        if let Some(i) = closed {
            if rules::landslide_outside(&ev.drawing, i) {
                let id = ev.drawing.polygons[i].id;
                self.mapping.question = Some(MappingQuestion::LandslideOutside { id });
            }
        }
    }

    /// Delete polygon `i`, asking first when it is a mapped area holding landslides.
    pub fn request_delete(&mut self, i: usize) {
        let Some(ev) = self.events.get(self.current) else {
            return;
        };
        let inside = rules::landslides_in_area(&ev.drawing, i);
        if inside.is_empty() {
            self.drawing_edit(|d| d.delete_polygon(i));
            self.tool.selected = None;
            return;
        }
        let ids = |is: &[usize]| is.iter().map(|&k| ev.drawing.polygons[k].id).collect();
        self.mapping.question = Some(MappingQuestion::DeleteArea {
            id: ev.drawing.polygons[i].id,
            landslides: ids(&inside),
        });
    }

    /// The open mapping question as a small window; its buttons apply the answer.
    pub(crate) fn mapping_question_ui(&mut self, ctx: &egui::Context) {
        let Some(q) = self.mapping.question.clone() else {
            return;
        };
        let mut answer: Option<Answer> = None;
        egui::Window::new("Mapping")
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 80.0))
            .show(ctx, |ui| match &q {
                MappingQuestion::LandslideOutside { .. } => {
                    ui.label("This landslide lies outside every mapped area, so the model does not count it yet: LAD is known only on ground you have mapped.");
                    ui.horizontal_wrapped(|ui| {
                        if ui.button("Extend the nearest mapped area").clicked() {
                            answer = Some(Answer::Extend);
                        }
                        if ui.button("Draw a mapped area").clicked() {
                            answer = Some(Answer::DrawArea);
                        }
                        if ui.button("Keep as it is").clicked() {
                            answer = Some(Answer::Close);
                        }
                    });
                }
                MappingQuestion::DeleteArea { landslides, .. } => {
                    ui.label(format!("This mapped area holds {} landslide(s). Without it their ground is unmapped and they no longer count.", landslides.len()));
                    ui.horizontal_wrapped(|ui| {
                        if ui.button("Delete the area only").clicked() {
                            answer = Some(Answer::DeleteArea(false));
                        }
                        if ui
                            .button(format!("Delete the area and its {} landslide(s)", landslides.len()))
                            .clicked()
                        {
                            answer = Some(Answer::DeleteArea(true));
                        }
                        if ui.button("Keep the area").clicked() {
                            answer = Some(Answer::Close);
                        }
                    });
                }
            });
        if let Some(a) = answer {
            self.mapping.question = None;
            self.apply_answer(&q, a);
        }
    }

    fn apply_answer(&mut self, q: &MappingQuestion, a: Answer) {
        let Some(ev) = self.events.get(self.current) else {
            return;
        };
        let index = |id: u64| ev.drawing.polygons.iter().position(|p| p.id == id);
        match (q, a) {
            (MappingQuestion::LandslideOutside { id }, Answer::Extend) => {
                let Some(ls) = index(*id) else { return };
                let Some(area) = rules::nearest_area(&ev.drawing, ls) else {
                    self.message(Level::Warning, "there is no mapped area to extend yet: draw one around the ground you have checked (A)");
                    self.set_draw_kind(PolygonKind::MappedArea);
                    return;
                };
                let ring = rules::extended_ring(
                    &ev.drawing.polygons[area].lon_lat,
                    &ev.drawing.polygons[ls].lon_lat,
                );
                self.drawing_edit(|d| d.set_ring(area, ring));
                self.message(
                    Level::Info,
                    "mapped area extended over the landslide (Ctrl+Z undoes it)",
                );
            }
            (MappingQuestion::LandslideOutside { .. }, Answer::DrawArea) => {
                self.set_draw_kind(PolygonKind::MappedArea)
            }
            (MappingQuestion::DeleteArea { id, landslides }, Answer::DeleteArea(with)) => {
                let mut del: Vec<usize> = index(*id).into_iter().collect();
                if with {
                    del.extend(landslides.iter().filter_map(|l| index(*l)));
                }
                self.drawing_edit(|d| d.delete_polygons(del));
                self.tool.selected = None;
            }
            _ => {}
        }
    }

    /// An event whose project names its mapping file as the inventory but whose drawing is
    /// empty (no autosave on this machine): read the mapping file into the drawing.
    pub(super) fn restore_mapping(&mut self, ei: usize, ctx: &egui::Context) {
        let ev = &self.events[ei];
        // only a drawing never edited in this session: an emptied one stays empty
        let fresh = ev.drawing.polygons.is_empty() && ev.drawing.revision == 0;
        let (Some(p), true) = (ev.project.as_ref(), fresh) else {
            return;
        };
        let own = mapping_gpkg_path(&p.path);
        let named = p.file.inputs.inventory.as_ref().map(|i| p.resolve(&i.path));
        if named.as_deref() != Some(own.as_path()) || !own.is_file() {
            return;
        }
        let key = ev.project_path.clone();
        self.spawn_io("read mapping", ctx, move || {
            let d = read_mapping_gpkg(&own).map_err(|e| format!("{e:#}"))?;
            Ok(super::IoDone::Polygons(
                key,
                crate::gui::drawing::io::Loaded {
                    polygons: rules::drawn_from(&d),
                    notes: Vec::new(),
                },
            ))
        });
    }

    /// Make polygon `i` the current event's study area: written as
    /// `<project>_study_area.gpkg` (project CRS, atomic), named in the project (saved
    /// atomically), the polygon taken out of the drawing (one undo step) and the event
    /// rebuilt on the new area.
    pub(crate) fn use_as_study_area(&mut self, i: usize, ctx: &egui::Context) {
        let Some(ev) = self.events.get(self.current) else {
            return;
        };
        let (Some(mut project), Some(data), Some(poly)) = (
            ev.project.clone(),
            ev.data.clone(),
            ev.drawing.polygons.get(i).cloned(),
        ) else {
            self.message(
                Level::Warning,
                "a study area needs an open project with its features built and a selected polygon",
            );
            return;
        };
        let path = study_area_gpkg_path(&project.path);
        let d = Digitised {
            landslides: Vec::new(),
            mapped_areas: vec![DigitisedPolygon {
                label: poly.label.clone(),
                ring: poly.lon_lat.clone(),
            }],
        };
        let crs = data.grid.fine.crs_wkt.clone();
        let local = match d.from_lon_lat(&crs) {
            Ok(l) => l,
            Err(e) => {
                self.message(Level::Error, format!("study area not saved: {e:#}"));
                return;
            }
        };
        let e = data.grid.fine.extent();
        let ring = &local.mapped_areas[0].ring;
        let (lo, hi) = ring.iter().fold(
            ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]),
            |(lo, hi), v| {
                (
                    [lo[0].min(v[0]), lo[1].min(v[1])],
                    [hi[0].max(v[0]), hi[1].max(v[1])],
                )
            },
        );
        let overlaps = lo[0] < e.x_max && hi[0] > e.x_min && lo[1] < e.y_max && hi[1] > e.y_min;
        if !overlaps {
            self.message(
                Level::Warning,
                "that polygon lies outside the event's grid (the DEM): the study area is unchanged",
            );
            return;
        }
        if let Err(e) = write_study_area(&path, &crs, &local) {
            self.message(Level::Error, format!("study area not saved: {e:#}"));
            return;
        }
        project.file.inputs.study_area = Some(crate::project::VectorInput {
            path: path.file_name().map(PathBuf::from).unwrap_or_default(),
            layer: None,
        });
        if let Err(e) = project.save() {
            self.message(Level::Error, format!("{e:#}"));
            return;
        }
        self.drawing_edit(|d| d.delete_polygon(i));
        self.tool.selected = None;
        let ev = &mut self.events[self.current];
        ev.reload(ctx);
        self.message(
            Level::Info,
            format!(
                "study area saved to {} and named in {}; the event is rebuilt on it (the polygon left the drawing: Ctrl+Z brings it back, not the old area)",
                path.display(),
                project.path.display()
            ),
        );
    }

    /// Draw the next polygons as `kind` (switching to the Draw tool).
    pub(crate) fn set_draw_kind(&mut self, kind: PolygonKind) {
        self.tool.new_kind = kind;
        self.tool.mode = crate::gui::drawing::ToolMode::Draw;
    }

    /// True while the current event's LAD does not yet reflect its drawing (an update runs
    /// or is due): training on it would use stale densities.
    pub fn lad_pending(&self) -> bool {
        self.mapping.busy() || self.lad_due()
    }

    /// The current event's drawing changed since its LAD was computed.
    fn lad_due(&self) -> bool {
        let Some(ev) = self.events.get(self.current) else {
            return false;
        };
        if ev.data.is_none() || ev.is_loading() {
            return false;
        }
        match ev.lad_revision {
            None => !ev.drawing.polygons.is_empty(),
            Some(r) => r != ev.drawing.revision,
        }
    }

    /// Keep the current event's LAD in step with its drawing (see the module doc).
    pub(crate) fn tick_lad(&mut self, ctx: &egui::Context) {
        self.drain_lad();
        if self.mapping.busy() || !self.lad_due() {
            return;
        }
        let Some(ev) = self.events.get(self.current) else {
            return;
        };
        let Some(data) = ev.data.clone() else {
            return;
        };
        let rev = ev.drawing.revision;
        let digitised = rules::digitised(&ev.drawing);
        // Restoring a drawing is not an edit: write the file only after one.
        let save = (rev > 0).then(|| mapping_gpkg_path(&ev.project_path));
        let base = ev.base_inventory.clone();
        self.mapping.job = Some(JobHandle::spawn("lad", ctx, move |_w| {
            update_lad(&data, base, &digitised, save).map(|d| LadDone { revision: rev, ..d })
        }));
    }

    fn drain_lad(&mut self) {
        let evs = self
            .mapping
            .job
            .as_mut()
            .map(|j| j.drain(Duration::from_millis(4)))
            .unwrap_or_default();
        for e in evs {
            match e {
                JobEvent::Done(d) => self.apply_lad(d),
                JobEvent::Failed(m) => {
                    // Stop retrying this revision; the drawing itself is safe in the autosave.
                    if let Some(ev) = self.events.get_mut(self.current) {
                        ev.lad_revision = Some(ev.drawing.revision);
                    }
                    self.message(Level::Error, format!("landslide density not updated: {m}"));
                }
                _ => {}
            }
        }
        if self.mapping.job.as_ref().is_some_and(|j| j.finished) {
            self.mapping.job = None;
        }
    }

    fn apply_lad(&mut self, d: LadDone) {
        let Some(ei) = self.events.iter().position(|e| e.project_path == d.path) else {
            return;
        };
        self.mapping.last_update_s = Some(d.secs);
        let ev = &mut self.events[ei];
        if !ev
            .data
            .as_ref()
            .is_some_and(|cur| Arc::ptr_eq(cur, &d.source))
        {
            // the event was reloaded while this ran: its new table gets its own update
            return;
        }
        ev.lad_revision = Some(d.revision);
        ev.base_inventory = Some(d.base);
        ev.data = Some(d.data);
        match d.layer {
            Some(Ok(l)) => match ev.layers.iter_mut().find(|l| l.kind == LayerKind::Observed) {
                Some(old) => old.replace_data(*l),
                None => {
                    let key = ev.project_path.clone();
                    self.add_layer(&key, l);
                }
            },
            Some(Err(e)) => self.message(Level::Warning, e),
            None => ev.layers.retain(|l| l.kind != LayerKind::Observed),
        }
        match d.saved {
            Some(Ok(p)) => {
                self.mapping.saved_to = Some(p);
                self.link_mapping(ei);
            }
            Some(Err(e)) => self.message(
                Level::Error,
                format!("the mapping file was not written ({e}); your polygons are safe in the autosave"),
            ),
            None => {}
        }
    }

    /// Name the mapping file in a project that has no inventory yet, and save the project.
    fn link_mapping(&mut self, ei: usize) {
        let ev = &mut self.events[ei];
        let (Some(mut project), Some(data)) = (ev.project.clone(), ev.data.clone()) else {
            return;
        };
        match link_mapping_to_project(&mut project, &data.grid) {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) => {
                self.message(Level::Error, format!("the project was not changed: {e:#}"));
                return;
            }
        }
        match project.save() {
            Ok(()) => {
                let msg = format!(
                    "{} now names {} as its inventory and mapped extent",
                    project.path.display(),
                    mapping_gpkg_path(&project.path).display()
                );
                if let Some(data) = ev.data.as_mut() {
                    Arc::make_mut(data).project = project.clone();
                }
                ev.project = Some(project);
                self.message(Level::Info, msg);
            }
            Err(e) => self.message(Level::Error, format!("{e:#}")),
        }
    }
}

/// A button of a mapping question.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Answer {
    Extend,
    DrawArea,
    DeleteArea(bool),
    Close,
}

/// One study-area polygon (project CRS) written atomically to `path`.
fn write_study_area(
    path: &std::path::Path,
    crs_wkt: &str,
    d: &Digitised,
) -> Result<(), crate::io::GisError> {
    let features: Vec<_> = d
        .mapped_areas
        .iter()
        .map(|p| {
            let mut ring = p.ring.clone();
            if let Some(first) = ring.first().copied() {
                ring.push(first);
            }
            let mut attrs = std::collections::BTreeMap::new();
            attrs.insert(
                "label".to_string(),
                crate::io::AttrValue::Text(p.label.clone()),
            );
            (vec![crate::io::Polygon::new(ring)], attrs)
        })
        .collect();
    crate::io::write_polygons(path, crs_wkt, &features)
}
