//! Training in the app: state, `TrainingCmd` handling, starting/cancelling the training job
//! (with the bad-input checks), draining it each frame, live retraining and the map layers
//! of the selected step. The bottom results panel is in [`super::results_panel`].

use super::training_actions::excluded_features;
use super::TrainingCmd;
use super::{Level, SlideMapApp};
use crate::experiment::InventoryCoverage;
use crate::gui::drawing::PolygonKind;
use crate::gui::global_sources::{ModelFolder, PastEvent};
use crate::gui::job::JobEvent;
use crate::gui::live_retrain::{LiveAction, LiveRetrain};
use crate::gui::model_panel::{ModelChoice, ModelPanel, PanelStatus};
use crate::gui::plots::export::{export_path, PngExporter};
use crate::gui::plots::PlotKind;
use crate::gui::results::ResultsStore;
use crate::gui::training_job::{format_eta, spawn_training, RunKind, TrainingJob, TrainingRequest};
use std::time::{Duration, Instant};

const DRAIN_BUDGET: Duration = Duration::from_millis(8);

/// Everything training adds to the app.
#[derive(Default)]
pub struct TrainingState {
    /// The model panel.
    pub panel: ModelPanel,
    /// The running job.
    pub job: Option<TrainingJob>,
    /// Results.
    pub results: ResultsStore,
    /// Live retraining debounce.
    pub live: LiveRetrain,
    /// Switched-off acquisitions per event (project path → flags).
    pub disabled: Vec<(std::path::PathBuf, Vec<bool>)>,
    /// Plot tab.
    pub tab: PlotKind,
    /// Where the current plot was drawn (for PNG export).
    pub plot_rect: Option<egui::Rect>,
    /// PNG exports in flight.
    pub png: PngExporter,
    /// Last failure, shown in the panel.
    pub error: Option<String>,
    /// Follow the newest step while results stream in.
    pub follow_latest: bool,
    /// An event being reloaded (acquisitions added): retrain quick once its features are
    /// built.
    pub retrain_after_load: Option<std::path::PathBuf>,
}

impl TrainingState {
    /// True while training, a scheduled retraining or a layer build runs.
    pub fn busy(&self) -> bool {
        self.job.as_ref().is_some_and(|j| !j.finished)
            || self.live.pending()
            || self.retrain_after_load.is_some()
            || self.results.layer_job.is_some()
    }
}

impl SlideMapApp {
    /// What the model panel shows (right side, below the training areas).
    pub fn model_panel_status(&self) -> PanelStatus {
        let running = self.training.job.as_ref().filter(|j| !j.finished).map(|j| {
            let eta = j
                .eta()
                .map(|d| format!(" · about {} left", format_eta(d)))
                .unwrap_or_default();
            let stage = if j.is_cancelled() {
                "cancelling…".to_string()
            } else {
                j.progress.0.clone()
            };
            (stage, j.progress.1, eta)
        });
        PanelStatus {
            running,
            error: self.training.error.clone(),
            polygons: self.event().map_or(0, |e| e.drawing.polygons.len()),
            events_ready: self.events.iter().filter(|e| e.data.is_some()).count(),
            inventory: self.event().and_then(|e| {
                let data = e.data.as_ref()?;
                Some((e.project_path.clone(), InventoryCoverage::of(&data.table)))
            }),
            past: self
                .events
                .iter()
                .enumerate()
                .filter(|(i, e)| *i != self.current && e.project.is_some())
                .map(|(_, e)| PastEvent {
                    path: e.project_path.clone(),
                    name: e.name.clone(),
                    ready: e.data.is_some(),
                    mapped_cells: e
                        .data
                        .as_ref()
                        .map_or(0, |d| InventoryCoverage::of(&d.table).mapped_cells),
                })
                .collect(),
        }
    }

    /// Predict with the saved models of `dir` (their past events are opened alongside), or
    /// train again (`None`).
    fn set_model_folder(&mut self, dir: Option<std::path::PathBuf>, ctx: &egui::Context) {
        let Some(dir) = dir else {
            self.training.panel.sources.models = None;
            return;
        };
        match crate::rapid::ModelStore::open(&dir) {
            Ok(store) => {
                let events = &store.manifest.training_events;
                let folder = ModelFolder {
                    dir: dir.clone(),
                    projects: events.iter().map(|e| e.project.clone()).collect(),
                    names: events.iter().map(|e| e.name.clone()).collect(),
                };
                // open the ones not open yet, in the background (opening an open project
                // would switch to it)
                for p in &folder.projects {
                    let canon = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
                    if !self.events.iter().any(|e| e.project_path == canon) {
                        self.open_project(p.clone(), ctx);
                    }
                }
                self.message(
                    Level::Info,
                    format!(
                        "saved models in {}: trained on {}; their projects are opened to check they are unchanged",
                        dir.display(),
                        folder.names.join(", ")
                    ),
                );
                self.training.panel.sources.models = Some(folder);
            }
            Err(e) => self.message(Level::Error, format!("{e:#}")),
        }
    }

    /// Apply a training command.
    pub fn run_training_cmd(&mut self, cmd: TrainingCmd, ctx: &egui::Context) {
        match cmd {
            TrainingCmd::Train => self.start_training(false, ctx),
            TrainingCmd::TrainQuick => self.start_training(true, ctx),
            TrainingCmd::Cancel => {
                if let Some(j) = &self.training.job {
                    j.cancel();
                }
            }
            TrainingCmd::SelectStep(k) => {
                self.training.results.selected_step = Some(k);
                self.training.follow_latest = false;
            }
            TrainingCmd::ToggleAcquisition(i, on) => {
                let Some(path) = self.event().map(|e| e.project_path.clone()) else {
                    return;
                };
                let n = self
                    .event()
                    .and_then(|e| e.project.as_ref())
                    .map_or(0, |p| p.file.acquisitions.len());
                let d = &mut self.training.disabled;
                if !d.iter().any(|(p, _)| *p == path) {
                    d.push((path.clone(), vec![false; n]));
                }
                if let Some(f) = d
                    .iter_mut()
                    .find(|(p, _)| *p == path)
                    .and_then(|(_, flags)| flags.get_mut(i))
                {
                    *f = !on;
                }
                self.message(
                    Level::Info,
                    "acquisition switched; train again to see the effect",
                );
            }
            TrainingCmd::ExportCsv(kind) => self.export_csv(kind, ctx),
            TrainingCmd::ExportPng(kind) => match (self.training.plot_rect, self.plot_export_dir())
            {
                (Some(rect), Some((dir, event))) => {
                    self.training
                        .png
                        .request(ctx, rect, export_path(&dir, &event, kind, "png"))
                }
                _ => self.message(Level::Warning, "nothing to export yet: train a model first"),
            },
            TrainingCmd::AddProposal(i) => self.add_proposal(i, ctx),
            TrainingCmd::ExportResponders => self.export_responders(ctx),
            TrainingCmd::SetModelFolder(d) => self.set_model_folder(d, ctx),
            TrainingCmd::ShowGlobalOfBoth(g) => self.training.results.show_global = g,
        }
    }

    /// Start a training job after checking the input; problems become a clear message.
    pub fn start_training(&mut self, quick: bool, ctx: &egui::Context) {
        match self.training_request(quick) {
            Ok(req) => {
                self.training.error = None;
                self.training.job = None; // drop = cancel the stale job
                self.training.results.abort();
                let rings = req.polygons_lon_lat.clone().unwrap_or_default();
                self.training
                    .results
                    .begin(req.opts.kind, req.label.clone(), rings);
                if let Some(r) = self.training.results.running.as_mut() {
                    r.opts = Some(req.opts.clone());
                }
                if let RunKind::Both { global, label, .. } = &req.run {
                    self.training
                        .results
                        .begin_global_part(label.clone(), (**global).clone());
                }
                self.training.follow_latest = true;
                self.training.job = Some(spawn_training(req, ctx));
            }
            Err(e) => {
                self.training.error = Some(e.clone());
                self.message(Level::Warning, e);
            }
        }
    }

    fn training_request(&self, quick: bool) -> Result<TrainingRequest, String> {
        let p = &self.training.panel;
        let ev = self.event().ok_or("no event open: File → Open project…")?;
        if self.events.iter().any(|e| e.is_loading()) {
            return Err("events are still loading; train when their features are built".into());
        }
        let opts = p.options(quick)?;
        let disabled = self
            .training
            .disabled
            .iter()
            .find(|(path, _)| *path == ev.project_path)
            .map(|(_, f)| f.clone())
            .unwrap_or_default();
        let excluded = excluded_features(ev.project.as_ref(), &disabled);
        let setting = if quick {
            ", quick"
        } else if p.grid_search {
            ", grid search"
        } else {
            ""
        };
        let label = format!("{}{setting}", p.choice.label());
        match p.choice {
            ModelChoice::SameEventRandom
            | ModelChoice::SameEventPolygons
            | ModelChoice::SameEventMapped => self.same_event_request(opts, excluded, label),
            ModelChoice::Both => {
                let own = self.same_event_request(opts, excluded.clone(), label.clone())?;
                let global_label = format!("{}{setting}", ModelChoice::Global.label());
                let global =
                    self.predict_current_request(p.global_options(quick)?, excluded, global_label)?;
                let RunKind::PredictCurrent { models } = global.run else {
                    return Err("the global model of this run could not be set up".into());
                };
                Ok(TrainingRequest {
                    events: global.events,
                    run: RunKind::Both {
                        global: Box::new(global.opts),
                        models,
                        label: global.label,
                    },
                    label: format!("{label}, mapping {}", ev.name),
                    ..own
                })
            }
            ModelChoice::Global | ModelChoice::SarOnly => {
                // An event without inventory is mapped from the past events (with an
                // inventory, each open event is mapped from the others in turn, this one
                // with the same models: *Both* maps only this one, beside its own model).
                let no_inventory = ev
                    .data
                    .as_ref()
                    .is_some_and(|d| InventoryCoverage::of(&d.table).mapped_cells == 0);
                if p.sources.models.is_some() || no_inventory {
                    return self.predict_current_request(opts, excluded, label);
                }
                let events: Vec<_> = self
                    .events
                    .iter()
                    .filter(|e| {
                        e.project_path == ev.project_path || p.sources.includes(&e.project_path)
                    })
                    .filter_map(|e| e.data.clone())
                    .collect();
                if events.len() < 2 {
                    return Err(format!("a {} model is trained on the other events and tested on each one in turn: it needs two or more open events with features, {} open. Open another project (File → Open project…)", p.choice.label(), events.len()));
                }
                Ok(TrainingRequest {
                    events,
                    opts,
                    polygons_lon_lat: None,
                    excluded_features: excluded,
                    label,
                    run: RunKind::Experiment,
                })
            }
        }
    }

    /// A same-event model of the current event (with its mapped areas for "drawn polygons").
    fn same_event_request(
        &self,
        opts: crate::experiment::ExperimentOptions,
        excluded: Vec<String>,
        label: String,
    ) -> Result<TrainingRequest, String> {
        let ev = self.event().ok_or("no event open")?;
        let data = ev.data.clone().ok_or_else(|| format!("{}: no feature table (see the loading messages); a same-event model needs the event's features and inventory", ev.name))?;
        let polygons = if self.training.panel.choice == ModelChoice::SameEventPolygons {
            let areas: Vec<Vec<[f64; 2]>> = ev
                .drawing
                .polygons
                .iter()
                .filter(|d| d.kind == PolygonKind::MappedArea)
                .map(|d| d.lon_lat.clone())
                .collect();
            if areas.is_empty() {
                return Err("no training polygons drawn: press A and draw mapped areas over mapped landslides and stable ground, or choose \"Same event, my mapped areas\"".into());
            }
            Some(areas)
        } else {
            None
        };
        Ok(TrainingRequest {
            events: vec![data],
            opts,
            polygons_lon_lat: polygons,
            excluded_features: excluded,
            label,
            run: RunKind::Experiment,
        })
    }

    /// The current event (no inventory, *Both*, or saved models chosen) mapped from the past
    /// events: it first, then the ticked past events with an inventory, or the saved models'
    /// training events in the manifest's order (open and built, to check they are unchanged).
    fn predict_current_request(
        &self,
        opts: crate::experiment::ExperimentOptions,
        excluded: Vec<String>,
        label: String,
    ) -> Result<TrainingRequest, String> {
        let ev = self.event().ok_or("no event open")?;
        let new = ev
            .data
            .clone()
            .ok_or_else(|| format!("{}: no feature table", ev.name))?;
        let mut events = vec![new];
        let sources = &self.training.panel.sources;
        let Some(m) = &sources.models else {
            events.extend(
                self.events
                    .iter()
                    .filter(|e| e.project_path != ev.project_path)
                    .filter(|e| sources.includes(&e.project_path))
                    .filter_map(|e| e.data.clone())
                    .filter(|d| InventoryCoverage::of(&d.table).mapped_cells > 0),
            );
            if events.len() < 2 {
                return Err(format!("the global model maps {} from past earthquakes, and none is ticked with an inventory. Tick a past event with an inventory under \"Learns from past events\", add one (Add past project…) or use saved models (Saved models…)", ev.name));
            }
            return Ok(TrainingRequest {
                events,
                opts,
                polygons_lon_lat: None,
                excluded_features: excluded,
                label: format!("{label}, mapping {}", ev.name),
                run: RunKind::PredictCurrent { models: None },
            });
        };
        for (path, name) in m.projects.iter().zip(&m.names) {
            let canon = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            let data = self
                .events
                .iter()
                .find(|e| e.project_path == canon)
                .and_then(|e| e.data.clone())
                .ok_or_else(|| format!("the saved models were trained on {name} ({}): it is not open or could not be built, so the models cannot be checked against it", path.display()))?;
            events.push(data);
        }
        Ok(TrainingRequest {
            events,
            opts,
            polygons_lon_lat: None,
            excluded_features: excluded,
            label: format!("{label}, saved models"),
            run: RunKind::PredictCurrent {
                models: Some(m.dir.clone()),
            },
        })
    }

    /// Drain the training job, run live retraining, swap in the selected step's layers.
    pub fn poll_training(&mut self, ctx: &egui::Context) {
        let evs = self
            .training
            .job
            .as_mut()
            .map(|j| j.drain(DRAIN_BUDGET))
            .unwrap_or_default();
        for e in evs {
            match e {
                JobEvent::Partial(s) => {
                    // a Both run's global steps follow its same-event ones: the selected
                    // step stays where the shown model's steps are
                    let shown = s.global_of_both == self.training.results.show_global;
                    if self.training.follow_latest
                        && shown
                        && Some(s.step.event.as_str()) == self.event().map(|e| e.name.as_str())
                    {
                        self.training.results.selected_step = Some(s.step.step);
                    }
                    self.training.results.push_step(s.step, s.global_of_both);
                }
                JobEvent::Done(r) => {
                    let secs = self
                        .training
                        .job
                        .as_ref()
                        .map_or(0.0, |j| j.started.elapsed().as_secs_f64());
                    for w in &r.warnings {
                        self.message(Level::Warning, w.clone());
                    }
                    self.training.results.finish(r.warnings.clone());
                    let global_steps = self
                        .training
                        .results
                        .finished
                        .as_ref()
                        .and_then(|f| f.global_of_both.as_ref())
                        .map(|g| format!(" + {} of the global model", g.steps.len()))
                        .unwrap_or_default();
                    self.message(
                        Level::Info,
                        format!(
                            "training finished in {secs:.1} s ({} steps{global_steps})",
                            r.steps.len()
                        ),
                    );
                }
                JobEvent::Failed(msg) => {
                    let had = self.training.results.finished.is_some();
                    self.training.results.abort();
                    if msg == "cancelled" {
                        let keep = if had {
                            "; the earlier results remain"
                        } else {
                            ""
                        };
                        self.message(Level::Info, format!("training cancelled{keep}"));
                    } else {
                        self.training.error = Some(format!("training failed: {msg}"));
                        self.message(Level::Error, format!("training failed: {msg}"));
                    }
                }
                JobEvent::Progress(..) => {}
            }
        }
        if self.training.job.as_ref().is_some_and(|j| j.finished) {
            self.training.job = None;
        }
        self.tick_live(ctx);
        self.retrain_if_reloaded(ctx);
        self.update_step_layers(ctx);
        for r in self.training.png.drain() {
            match r {
                Ok(m) => self.message(Level::Info, m),
                Err(e) => self.message(Level::Error, format!("PNG export failed: {e}")),
            }
        }
    }

    /// After acquisitions are added to the event of `path`: retrain quick once it is
    /// reloaded when a same-event model is chosen (live retraining or not: the new
    /// acquisition changes what that model can learn; a global model is left to the user).
    pub fn queue_retrain_after_load(&mut self, path: std::path::PathBuf) {
        if self.training.panel.choice.is_same_event() {
            self.training.retrain_after_load = Some(path);
        }
    }

    /// Start the queued retraining once its event has finished loading (dropped when the
    /// event failed, closed or is not the current one).
    fn retrain_if_reloaded(&mut self, ctx: &egui::Context) {
        let Some(path) = self.training.retrain_after_load.clone() else {
            return;
        };
        let Some(ev) = self.events.iter().find(|e| e.project_path == path) else {
            self.training.retrain_after_load = None;
            return;
        };
        if ev.is_loading() {
            return;
        }
        self.training.retrain_after_load = None;
        let current = self.event().is_some_and(|e| e.project_path == path);
        if current && ev.data.is_some() {
            self.start_training(true, ctx);
        }
    }

    fn tick_live(&mut self, ctx: &egui::Context) {
        let Some(ev) = self.event() else { return };
        let p = &self.training.panel;
        // Digitised landslides change the LAD first: the edit reaches the debounce only once
        // the LAD reflects it.
        let lad_pending = self.lad_pending();
        let same_event = p.choice.learns_from_drawing();
        if lad_pending && same_event {
            return;
        }
        let enabled = p.live && same_event && ev.data.is_some() && !ev.drawing.polygons.is_empty();
        let (path, rev) = (ev.project_path.clone(), ev.drawing.revision);
        match self.training.live.tick(&path, rev, enabled, Instant::now()) {
            LiveAction::Idle => {}
            LiveAction::CancelStale => {
                if let Some(j) = &self.training.job {
                    j.cancel();
                }
                ctx.request_repaint_after(crate::gui::live_retrain::DEBOUNCE);
            }
            LiveAction::Wait(d) => ctx.request_repaint_after(d),
            LiveAction::Train => self.start_training(true, ctx),
        }
    }
}
