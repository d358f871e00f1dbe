//! The eframe app: state, the frame loop
//! (drain jobs → panels → map → autosave) and preferences.
//!
//! Layout: menu bar (top), status bar (bottom: read-out, progress), events + layers
//! (left), training areas (right), model settings + timeline + plots (bottom, see
//! `training` and `results_panel`),
//! map (centre).

mod command;
mod commands;
mod mapping;
mod results_panel;
pub mod training;
mod training_actions;

pub use command::{Command, FilePurpose, Level, TrainingCmd, UiMessage};
pub use mapping::MappingQuestion;

use super::add_acquisitions::AddAcquisitionsWindow;
use super::drawing::autosave::AutosaveWriter;
use super::drawing::{DrawingTool, PolygonKind, ToolMode};
use super::drawing_panel::{DrawingPanel, MappingStatus};
use super::events::EventState;
use super::files::{dropped_commands, FileChooser};
use super::frame_log::{FrameLog, PanZoomScript};
use super::getting_started::GettingStarted;
use super::hover::{readout_ui, HoverProbe, Readout};
use super::imagery_layer::{ImageryData, ViewBox, ViewSettle, SETTLE};
use super::job::JobHandle;
use super::layer::{LayerData, LayerKind, MapLayer};
use super::layers_panel::LayersPanel;
use super::legend::legend_ui;
use super::map_view::{MapContent, MapView};
use super::new_event_form::NewEventWindow;
use super::prefs::{Prefs, PREFS_KEY};
use super::GuiOptions;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Results of short I/O jobs (open raster, export, save/load polygons).
pub enum IoDone {
    /// A message to show.
    Message(String),
    /// A layer for the event with this project path.
    Layer(PathBuf, Box<LayerData>),
    /// Imagery for the event with this project path.
    Imagery(PathBuf, Box<ImageryData>),
    /// Polygons for the event with this project path, plus notes.
    Polygons(PathBuf, super::drawing::io::Loaded),
}

/// The SlideMap window.
pub struct SlideMapApp {
    /// Preferences (persisted).
    pub prefs: Prefs,
    /// Open events.
    pub events: Vec<EventState>,
    /// Index of the current event.
    pub current: usize,
    /// The map.
    pub map: MapView,
    /// The digitising tool.
    pub tool: DrawingTool,
    /// Left panel.
    pub layers_panel: LayersPanel,
    /// Right panel.
    pub drawing_panel: DrawingPanel,
    /// Path/browse window.
    pub files: FileChooser,
    /// File → New event… form.
    pub new_event: NewEventWindow,
    /// File → Add acquisitions… window.
    pub add_acquisitions: AddAcquisitionsWindow,
    /// Messages shown at the top of the map.
    pub messages: Vec<UiMessage>,
    /// Running short I/O jobs.
    pub io_jobs: Vec<JobHandle<(), IoDone>>,
    /// Autosave writer.
    pub autosave: AutosaveWriter,
    /// State folder (autosave, tile cache).
    pub state_dir: PathBuf,
    /// Latest hover read-out.
    pub readout: Option<Readout>,
    pub(crate) hover: HoverProbe,
    pub(crate) hover_key: Option<([f64; 2], u64)>,
    pub(crate) frame_log: Option<FrameLog>,
    pub(crate) script: Option<PanZoomScript>,
    pub(crate) scripted: bool,
    pub(crate) scripted_digitising: bool,
    /// `--window-size`: applied on the first frame (eframe restores the remembered size at
    /// start, whatever `NativeOptions` asks for).
    window_size: Option<[f32; 2]>,
    pub(crate) next_layer_id: u64,
    pub(crate) zoom_pending: Option<PathBuf>,
    /// Model panel, training job, results (desktop app II).
    pub training: training::TrainingState,
    /// The first-start "Getting started" card.
    pub getting_started: GettingStarted,
    /// Where the results (right of the model panel) were drawn last frame: the card's place.
    pub(crate) results_rect: Option<egui::Rect>,
    /// Digitising: mapping questions and the LAD kept in step with the drawing.
    pub mapping: mapping::MappingState,
    /// When the map view last changed (imagery re-reads the view once it settles).
    pub(crate) imagery_settle: ViewSettle,
}

impl SlideMapApp {
    /// Build the app; `storage` holds persisted preferences.
    pub fn new(
        ctx: &egui::Context,
        storage: Option<&dyn eframe::Storage>,
        opts: &GuiOptions,
        start: Instant,
    ) -> Self {
        let prefs: Prefs = storage
            .and_then(|s| eframe::get_value(s, PREFS_KEY))
            .unwrap_or_default();
        let state_dir = opts.state_dir.clone().unwrap_or_else(|| {
            dirs::data_dir()
                .unwrap_or_else(std::env::temp_dir)
                .join("slidemap")
        });
        let mut app = Self {
            tool: DrawingTool::with_snapping(prefs.snapping),
            prefs,
            events: Vec::new(),
            current: 0,
            map: MapView::default(),
            layers_panel: LayersPanel::default(),
            drawing_panel: DrawingPanel::default(),
            files: FileChooser::default(),
            new_event: NewEventWindow::default(),
            add_acquisitions: AddAcquisitionsWindow::default(),
            messages: Vec::new(),
            io_jobs: Vec::new(),
            autosave: AutosaveWriter::new(),
            state_dir,
            readout: None,
            hover: HoverProbe::default(),
            hover_key: None,
            frame_log: opts.frame_log.clone().map(|p| FrameLog::new(p, start)),
            script: None,
            scripted: opts.scripted_pan_zoom,
            scripted_digitising: opts.scripted_digitising,
            window_size: opts.window_size,
            next_layer_id: 1,
            zoom_pending: None,
            training: Default::default(),
            getting_started: GettingStarted::default(),
            results_rect: None,
            mapping: Default::default(),
            imagery_settle: ViewSettle::default(),
        };
        app.getting_started.open = opts.demo && !app.prefs.getting_started_dismissed;
        if let Some(log) = app.frame_log.as_mut() {
            log.recording = !opts.scripted_pan_zoom;
        }
        if app.prefs.osm_tiles {
            app.map.set_osm(true, ctx, &app.state_dir.join("tiles"));
        }
        if app.prefs.xyz_tiles {
            let url = app.prefs.xyz_url.clone();
            app.map
                .set_xyz(Some(&url), ctx, &app.state_dir.join("tiles-xyz"));
        }
        for p in &opts.projects {
            app.open_project(p.clone(), ctx);
        }
        if app.events.is_empty() {
            app.add_event(EventState::scratch());
        }
        app.current = 0;
        for p in &opts.imagery {
            app.run_cmd(Command::OpenImagery(p.clone()), ctx);
        }
        app
    }

    /// The current event.
    pub fn event(&self) -> Option<&EventState> {
        self.events.get(self.current)
    }

    /// Report a message in the window.
    pub fn message(&mut self, level: Level, text: impl Into<String>) {
        let text = text.into();
        match level {
            Level::Error => log_line("error", &text),
            Level::Warning => log_line("warning", &text),
            Level::Info => {}
        }
        self.messages.push(UiMessage { level, text });
        if self.messages.len() > 50 {
            self.messages.remove(0);
        }
    }

    /// True while any job runs (tests step until this is false).
    pub fn busy(&self) -> bool {
        self.events.iter().any(|e| e.is_loading())
            || self.io_jobs.iter().any(|j| !j.finished)
            || self.training.busy()
            || self.new_event.busy()
            || self.lad_pending()
            || self.add_acquisitions.busy()
            || self
                .events
                .iter()
                .flat_map(|e| &e.imagery)
                .any(|l| l.busy())
    }

    /// One frame without eframe's `Frame` (also used by the kittest harness).
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.poll_jobs(&ctx);
        // before training: live retraining waits for the LAD of the last edit
        self.tick_lad(&ctx);
        self.poll_training(&ctx);
        let mut cmds = dropped_commands(&ctx);
        cmds.extend(self.shortcuts(&ctx));
        cmds.extend(self.menu_ui(ui));
        cmds.extend(self.status_ui(ui));
        let left = egui::Panel::left("layers-panel")
            .resizable(true)
            .default_size(self.prefs.layers_panel_width)
            .show(ui, |ui| {
                self.layers_panel.ui(ui, &mut self.events, self.current)
            });
        cmds.extend(left.inner);
        cmds.extend(self.right_panel_ui(ui));
        cmds.extend(self.results_panel_ui(ui));
        egui::CentralPanel::no_frame().show(ui, |ui| self.central_ui(ui));
        self.after_tool();
        self.mapping_question_ui(&ctx);
        cmds.extend(self.files.ui(&ctx));
        cmds.extend(self.new_event.ui(&ctx));
        cmds.extend(self.add_acquisitions.ui(&ctx));
        cmds.extend(self.getting_started.ui(&ctx, self.results_rect));
        for m in std::mem::take(&mut self.tool.messages) {
            self.message(Level::Warning, m);
        }
        for c in cmds {
            self.run_cmd(c, &ctx);
        }
        self.autosave_if_changed();
        for e in self.autosave.take_errors() {
            self.message(Level::Error, e);
        }
        self.drive_script(&ctx);
    }

    fn right_panel_ui(&mut self, ui: &mut egui::Ui) -> Option<Command> {
        let status = self.autosave_status();
        let ev = self.events.get(self.current)?;
        let drawing = &ev.drawing;
        egui::Panel::right("tools-panel")
            .resizable(true)
            .default_size(270.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("right-scroll")
                    .show(ui, |ui| {
                        self.drawing_panel.ui(
                            ui,
                            &mut self.tool,
                            drawing,
                            &mut self.prefs.author,
                            &status,
                        )
                    })
                    .inner
            })
            .inner
    }

    fn autosave_status(&self) -> MappingStatus {
        let autosave = match self.event().and_then(|e| e.autosave.as_ref()) {
            Some(p) => format!("Autosaved after every edit to {}", p.display()),
            None => "Autosave off".into(),
        };
        let lad = if self.mapping.busy() {
            Some("Updating landslide density…".to_string())
        } else {
            self.mapping
                .last_update_s
                .map(|s| format!("Landslide density updated in {:.2} s", s))
        };
        MappingStatus {
            autosave,
            lad,
            saved_to: self
                .mapping
                .saved_to
                .as_ref()
                .map(|p| p.display().to_string()),
        }
    }

    fn central_ui(&mut self, ui: &mut egui::Ui) {
        let label = self.new_label();
        let ctx = ui.ctx().clone();
        let swipe = self.layers_panel.swipe.divider();
        let Some(ev) = self.events.get_mut(self.current) else {
            return;
        };
        for l in ev.layers.iter_mut().filter(|l| l.style.visible) {
            l.ensure_textures(&ctx);
        }
        let visible: Vec<&MapLayer> = ev.layers.iter().filter(|l| l.style.visible).collect();
        let legend_layer = visible
            .iter()
            .rev()
            .find(|l| l.kind != LayerKind::Hillshade)
            .map(|l| (l.name.clone(), l.style, l.unit.clone()));
        let (base, layers) = visible
            .into_iter()
            .partition(|l| l.kind == LayerKind::Hillshade);
        let content = MapContent {
            base,
            imagery: ev.imagery.iter().filter(|l| l.visible).collect(),
            layers,
            swipe,
        };
        let out = self
            .map
            .map_ui(ui, content, &mut self.tool, &mut ev.drawing, &label);
        if let Some(pos) = out.swipe {
            self.layers_panel.swipe.pos = pos;
        }
        let shown =
            ev.layers.iter().any(|l| l.style.visible) || ev.imagery.iter().any(|l| l.visible);
        if shown {
            if let Some(log) = self.frame_log.as_mut() {
                log.mark_interactive();
            }
        }
        self.refresh_imagery(out.view, &ctx);
        let rect = self.map.rect;
        if let (true, Some((name, style, unit))) = (self.prefs.map_legend, legend_layer) {
            egui::Area::new(egui::Id::unique("map-legend"))
                .fixed_pos(rect.left_bottom() + egui::vec2(10.0, -92.0))
                .show(&ctx, |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        legend_ui(ui, &name, style.ramp, style.min, style.max, &unit, 220.0);
                    });
                });
        }
        self.messages_ui(&ctx, rect);
        self.update_readout(out.hover);
    }

    /// Ask the visible imagery layers of the current event to re-read the view once it has
    /// stayed still for [`SETTLE`]; until then keep frames coming so the settle is seen.
    fn refresh_imagery(&mut self, view: Option<ViewBox>, ctx: &egui::Context) {
        let Some(view) = view else { return };
        let settled = self.imagery_settle.update(view, Instant::now());
        let Some(ev) = self.events.get_mut(self.current) else {
            return;
        };
        let mut any = false;
        for l in ev.imagery.iter_mut().filter(|l| l.visible) {
            any = true;
            if let Some(v) = settled {
                l.request_view(v, ctx);
            }
        }
        if any && settled.is_none() {
            ctx.request_repaint_after(SETTLE);
        }
    }

    fn update_readout(&mut self, hover: Option<[f64; 2]>) {
        let Some(p) = hover.filter(|_| self.prefs.hover_readout) else {
            self.readout = None;
            self.hover_key = None;
            return;
        };
        let Some(ev) = self.events.get(self.current) else {
            return;
        };
        let stamp = ev
            .layers
            .iter()
            .filter(|l| l.style.visible)
            .fold(ev.layers.len() as u64, |a, l| {
                a.wrapping_mul(31).wrapping_add(l.id)
            });
        if self.hover_key == Some((p, stamp)) {
            return;
        }
        self.hover_key = Some((p, stamp));
        let layers: Vec<&MapLayer> = ev
            .layers
            .iter()
            .rev()
            .filter(|l| l.style.visible && l.kind != LayerKind::Hillshade)
            .collect();
        let crs = ev.crs_wkt();
        self.readout = Some(self.hover.read(p[0], p[1], crs.as_deref(), &layers));
    }

    fn messages_ui(&mut self, ctx: &egui::Context, rect: egui::Rect) {
        if self.messages.is_empty() {
            return;
        }
        let mut dismiss = false;
        egui::Area::new(egui::Id::unique("messages"))
            .fixed_pos(rect.left_top() + egui::vec2(10.0, 10.0))
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.set_max_width((rect.width() - 40.0).max(200.0));
                    for m in self.messages.iter().rev().take(5) {
                        let (color, tag) = match m.level {
                            Level::Error => (ui.visuals().error_fg_color, "Error"),
                            Level::Warning => (ui.visuals().warn_fg_color, "Warning"),
                            Level::Info => (ui.visuals().text_color(), "Info"),
                        };
                        ui.colored_label(color, format!("{tag}: {}", m.text));
                    }
                    if ui.button("Dismiss messages").clicked() {
                        dismiss = true;
                    }
                });
            });
        if dismiss {
            self.messages.clear();
        }
    }

    fn status_ui(&mut self, ui: &mut egui::Ui) -> Option<Command> {
        egui::Panel::bottom("status-bar").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                for j in self.io_jobs.iter().filter(|j| !j.finished) {
                    ui.spinner();
                    ui.label(&j.name);
                }
                match &self.readout {
                    Some(r) => readout_ui(ui, r),
                    None => {
                        ui.label("Hover the map to read values.");
                    }
                }
            });
        });
        None
    }

    /// The File menu's entries.
    fn file_menu_ui(&self, ui: &mut egui::Ui, cmds: &mut Vec<Command>) {
        if ui
            .button("New event…")
            .on_hover_text(
                "A new event's project from its files (DEM, PGV, …, a folder of coherence files)",
            )
            .clicked()
        {
            cmds.push(Command::NewEvent);
        }
        let has_project = self.event().is_some_and(|e| e.project.is_some());
        if ui
            .add_enabled(has_project, egui::Button::new("Add acquisitions…"))
            .on_hover_text("Radar pairs that arrived since: add them to the open event's project and rebuild its timeline")
            .clicked()
        {
            cmds.push(Command::AddAcquisitions);
        }
        for (text, purpose) in [
            ("Open project…", FilePurpose::OpenProject),
            ("Open raster…", FilePurpose::OpenRaster),
            ("Open imagery…", FilePurpose::OpenImagery),
            ("Open any file…", FilePurpose::OpenAny),
        ] {
            if ui.button(text).clicked() {
                cmds.push(Command::ShowFileChooser(purpose));
            }
        }
        ui.menu_button("Recent projects", |ui| {
            if self.prefs.recent_projects.is_empty() {
                ui.label("None yet");
            }
            for p in &self.prefs.recent_projects {
                if ui.button(p.display().to_string()).clicked() {
                    cmds.push(Command::OpenProject(p.clone()));
                }
            }
        });
        if ui.button("Save project").on_hover_text("Ctrl+S").clicked() {
            cmds.push(Command::SaveProject);
        }
        ui.separator();
        if ui.button("Quit").clicked() {
            cmds.push(Command::Quit);
        }
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut cmds = Vec::new();
        egui::Panel::top("menu-bar").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                ui.menu_button("File", |ui| self.file_menu_ui(ui, &mut cmds));
                ui.menu_button("Edit", |ui| {
                    if ui.button("Undo").clicked() {
                        cmds.push(Command::Undo);
                    }
                    if ui.button("Redo").clicked() {
                        cmds.push(Command::Redo);
                    }
                });
                ui.menu_button("View", |ui| {
                    if ui.button("Zoom to event").clicked() {
                        cmds.push(Command::ZoomToEvent);
                    }
                    let mut osm = self.map.osm_on();
                    if ui
                        .checkbox(&mut osm, "OpenStreetMap tiles (online)")
                        .changed()
                    {
                        cmds.push(Command::SetOsm(osm));
                    }
                    self.xyz_menu_ui(ui, &mut cmds);
                    ui.checkbox(&mut self.prefs.hover_readout, "Hover read-out");
                    ui.checkbox(&mut self.prefs.map_legend, "Legend on map");
                });
                ui.menu_button("Help", |ui| {
                    if ui
                        .button("Getting started")
                        .on_hover_text("What to try first, step by step")
                        .clicked()
                    {
                        cmds.push(Command::ShowGettingStarted);
                    }
                });
                ui.separator();
                let name = self.event().map(|e| e.name.clone()).unwrap_or_default();
                ui.label(egui::RichText::new(format!("Event: {name}")).strong());
            });
        });
        cmds
    }

    fn xyz_menu_ui(&mut self, ui: &mut egui::Ui, cmds: &mut Vec<Command>) {
        let mut xyz = self.map.xyz_on();
        let has_url = !self.prefs.xyz_url.trim().is_empty();
        if ui
            .add_enabled(
                has_url,
                egui::Checkbox::new(&mut xyz, "XYZ imagery tiles (online)"),
            )
            .on_hover_text(
                "Tiles from the URL below, cached on disk; they replace OpenStreetMap while on",
            )
            .changed()
        {
            cmds.push(Command::SetXyz(xyz));
        }
        let edited = ui
            .horizontal(|ui| {
                let l = ui.label("XYZ URL");
                ui.add(
                    egui::TextEdit::singleline(&mut self.prefs.xyz_url)
                        .hint_text("https://…/{z}/{y}/{x}")
                        .desired_width(260.0),
                )
                .labelled_by(l.id)
                .lost_focus()
            })
            .inner;
        // A URL edited while the tiles are shown takes effect when the field is left.
        if edited && self.map.xyz_on() {
            cmds.push(Command::SetXyz(has_url));
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) -> Vec<Command> {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let mut cmds = Vec::new();
        if ctx.egui_wants_keyboard_input() {
            return cmds;
        }
        ctx.input_mut(|i| {
            if i.consume_shortcut(&KeyboardShortcut::new(
                Modifiers::COMMAND | Modifiers::SHIFT,
                Key::Z,
            )) || i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Y))
            {
                cmds.push(Command::Redo);
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Z)) {
                cmds.push(Command::Undo);
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::S)) {
                cmds.push(Command::SaveProject);
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::O)) {
                cmds.push(Command::ShowFileChooser(FilePurpose::OpenAny));
            }
            for (key, kind) in [
                (Key::A, PolygonKind::MappedArea),
                (Key::L, PolygonKind::Landslide),
            ] {
                if i.consume_key(Modifiers::NONE, key) {
                    cmds.push(Command::SetDrawKind(kind));
                }
            }
            if i.consume_key(Modifiers::NONE, Key::T) {
                cmds.push(Command::ToggleImagery);
            }
            for (key, mode) in [
                (Key::N, ToolMode::Navigate),
                (Key::D, ToolMode::Draw),
                (Key::E, ToolMode::Edit),
            ] {
                if i.consume_key(Modifiers::NONE, key) {
                    cmds.push(Command::SetTool(mode));
                }
            }
        });
        cmds
    }

    /// Label for new polygons: author and UTC date.
    pub fn new_label(&self) -> String {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let date = chrono::DateTime::from_timestamp(secs, 0)
            .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default();
        format!("{} {date}", self.prefs.author)
    }

    fn drive_script(&mut self, ctx: &egui::Context) {
        if !self.scripted || self.busy() {
            return;
        }
        if self.script.is_none() {
            let Some(ev) = self.events.get_mut(self.current) else {
                return;
            };
            // The largest layer visible, as the measurement requires.
            if let Some(l) = ev.layers.iter_mut().max_by_key(|l| l.display.spec.len()) {
                l.style.visible = true;
            }
            if let Some(b) = ev.bounds() {
                self.map.zoom_to(b);
            }
            self.script = Some(PanZoomScript { frame: 0 });
            if let Some(log) = self.frame_log.as_mut() {
                log.recording = true;
            }
        }
        let Some(b) = self.event().and_then(|e| e.bounds()) else {
            return;
        };
        let centre = [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0];
        let base = self.script_base_zoom(b);
        let more = self
            .script
            .as_mut()
            .is_some_and(|s| s.step(&mut self.map.memory, centre, b[2] - b[0], base));
        if more && self.scripted_digitising {
            self.script_digitise(centre, b[2] - b[0]);
        }
        if more {
            ctx.request_repaint();
        } else {
            self.finish_frame_log();
            self.scripted = false;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// One frame of scripted digitising: a landslide sketch around `centre` gains a vertex
    /// every 5 frames and is closed into a polygon every 40 (the edit, its autosave and the
    /// drawing's painting all happen as when a mapper draws).
    fn script_digitise(&mut self, centre: [f64; 2], span_deg: f64) {
        let frame = self.script.as_ref().map_or(0, |s| s.frame);
        self.tool.mode = ToolMode::Draw;
        self.tool.new_kind = PolygonKind::Landslide;
        if frame % 40 == 39 {
            let label = self.new_label();
            if let Some(ev) = self.events.get_mut(self.current) {
                self.tool.close_sketch(&mut ev.drawing, &label);
                self.tool.closed = None; // no question mid-measurement
            }
        } else if frame.is_multiple_of(5) {
            let k = (frame / 40) as f64;
            let a = (frame % 40) as f64 / 40.0 * std::f64::consts::TAU;
            let r = span_deg * 0.01;
            let c = [centre[0] + span_deg * 0.05 * (k - 7.0), centre[1]];
            self.tool
                .sketch
                .push([c[0] + r * a.cos(), c[1] + r * a.sin()]);
            self.tool.sketch_revision += 1;
        }
    }

    fn script_base_zoom(&self, b: [f64; 4]) -> f64 {
        let mut v = MapView::default();
        v.rect = self.map.rect;
        v.zoom_to(b);
        v.memory.zoom()
    }

    /// Write the frame log, if any, and print its summary.
    pub fn finish_frame_log(&mut self) {
        if let Some(log) = self.frame_log.as_ref() {
            match log.write() {
                Ok(s) => eprintln!("frame log: {s}"),
                Err(e) => eprintln!("frame log: {e}"),
            }
        }
    }

    /// Persist preferences.
    pub fn save_prefs(&mut self, storage: &mut dyn eframe::Storage) {
        self.prefs.snapping = self.tool.snapping;
        self.prefs.layers_panel_width = self.prefs.layers_panel_width.clamp(200.0, 600.0);
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }
}

fn log_line(level: &str, text: &str) {
    eprintln!("{level}: {text}");
}

impl eframe::App for SlideMapApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let cpu = frame.info().cpu_usage;
        if let Some([w, h]) = self.window_size.take() {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::InnerSize(egui::vec2(w, h)));
        }
        if let Some(log) = self.frame_log.as_mut() {
            log.record(cpu);
        }
        self.ui_root(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.save_prefs(storage);
    }

    fn on_exit(&mut self) {
        self.autosave.wait_idle(Duration::from_secs(2));
        if self.frame_log.is_some() && self.script.is_none() {
            self.finish_frame_log();
        }
    }
}
