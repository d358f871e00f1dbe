//! The model panel (bottom left): which experiment, grid search with the editable Table 2
//! grid, repeats, ensemble size, seed, live retraining, Train / Cancel, progress with stage
//! and ETA, and the last error in words.
//!
//! The experiment menu offers what a responder has: the *rapid mapping* models first (the
//! event's own mapped areas or drawn polygons, the global models from past events) and the
//! paper's random-cells experiment under *Evaluate (retrospective)*. Its default follows the
//! current event's inventory ([`InventoryCoverage`]): none → the global model (same-event
//! models cannot run), small → every mapped cell with spatial validation (and a note saying
//! so), full → the paper's random cells. *Both* maps the event twice in one run, from its own
//! mapped cells and from past events, side by side (the results panel picks which map to
//! show).

use super::app::{Command, TrainingCmd};
use super::global_sources::{GlobalSources, PastEvent};
use crate::experiment::{
    ExperimentKind, ExperimentOptions, InventoryCoverage, InventorySize, TrainingSource,
    SMALL_INVENTORY_CELLS, SMALL_INVENTORY_FRACTION,
};
use crate::forest::{MaxFeatures, ParamGrid};
use std::path::PathBuf;

/// The experiments the panel offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelChoice {
    /// Same event, every mapped cell (the rapid-mapping case: a few mapped areas train a
    /// model of the whole study area), scored by spatial validation.
    SameEventMapped,
    /// Same event, mapped cells inside the drawn polygons.
    SameEventPolygons,
    /// Leave-one-event-out over the open events (ground failure + ICFs).
    Global,
    /// Leave-one-event-out with ICFs only.
    SarOnly,
    /// Same event, 250 + 250 random mapped cells per repeat (the paper's evaluation).
    SameEventRandom,
    /// Both rapid-mapping models in one run: every mapped cell of this event (as
    /// `SameEventMapped`) and the global model from past events (as `Global` on an event
    /// being mapped), each with its own score; `slidemap predict --same-event --global`.
    Both,
}

/// The rapid-mapping choices, in menu order.
pub const RAPID_CHOICES: [ModelChoice; 5] = [
    ModelChoice::SameEventMapped,
    ModelChoice::SameEventPolygons,
    ModelChoice::Global,
    ModelChoice::SarOnly,
    ModelChoice::Both,
];

/// The retrospective evaluations, in menu order.
pub const EVALUATE_CHOICES: [ModelChoice; 1] = [ModelChoice::SameEventRandom];

impl ModelChoice {
    /// Menu text.
    pub fn label(self) -> &'static str {
        match self {
            ModelChoice::SameEventMapped => "Same event, my mapped areas",
            ModelChoice::SameEventRandom => "Same event, random cells",
            ModelChoice::SameEventPolygons => "Same event, drawn polygons",
            ModelChoice::Global => "Global, from past events",
            ModelChoice::SarOnly => "SAR only, from past events",
            ModelChoice::Both => "Both: my mapped areas and past events",
        }
    }
    /// Core experiment.
    pub fn kind(self) -> ExperimentKind {
        match self {
            ModelChoice::SameEventRandom
            | ModelChoice::SameEventPolygons
            | ModelChoice::SameEventMapped
            | ModelChoice::Both => ExperimentKind::SameEvent,
            ModelChoice::Global => ExperimentKind::Global,
            ModelChoice::SarOnly => ExperimentKind::SarOnly,
        }
    }
    /// True for models trained on the current event's own inventory (also *Both*).
    pub fn is_same_event(self) -> bool {
        self.kind() == ExperimentKind::SameEvent
    }
    /// True when past events (or saved models) take part: the global models and *Both*.
    pub fn uses_past_events(self) -> bool {
        matches!(
            self,
            ModelChoice::Global | ModelChoice::SarOnly | ModelChoice::Both
        )
    }
    /// True when the model learns from what the mapper draws (retrained while editing).
    pub fn learns_from_drawing(self) -> bool {
        matches!(
            self,
            ModelChoice::SameEventPolygons | ModelChoice::SameEventMapped | ModelChoice::Both
        )
    }
    /// The default for an event with this inventory (see the module's doc).
    pub fn recommended(size: InventorySize) -> Self {
        match size {
            InventorySize::None => ModelChoice::Global,
            InventorySize::Small => ModelChoice::SameEventMapped,
            InventorySize::Full => ModelChoice::SameEventRandom,
        }
    }
    /// Why this choice cannot run on an event with this inventory, if it cannot.
    pub fn unavailable(self, size: Option<InventorySize>) -> Option<&'static str> {
        (self.is_same_event() && size == Some(InventorySize::None)).then_some(
            "this event has no inventory: a same-event model has nothing to learn from or be scored on",
        )
    }
}

/// What the panel shows about the running job and the open events.
#[derive(Debug, Clone, Default)]
pub struct PanelStatus {
    /// (stage, fraction, ETA text) while training.
    pub running: Option<(String, f64, String)>,
    /// Last failure, in words.
    pub error: Option<String>,
    /// Polygons drawn on the current event.
    pub polygons: usize,
    /// Open events whose features are built.
    pub events_ready: usize,
    /// The current event's project file and inventory, once its features are built.
    pub inventory: Option<(PathBuf, InventoryCoverage)>,
    /// The other open events (the global model's past events).
    pub past: Vec<PastEvent>,
}

/// Panel state.
pub struct ModelPanel {
    /// Experiment.
    pub choice: ModelChoice,
    /// Tune every model by grid search.
    pub grid_search: bool,
    /// Table 2 axes as text: n_estimators, max_features, max_depth, min_samples_split, min_samples_leaf.
    pub grid_text: [String; 5],
    /// Repeats.
    pub repeats: usize,
    /// Ensemble size (global).
    pub ensemble_size: usize,
    /// Seed.
    pub seed: u64,
    /// Retrain after polygon edits.
    pub live: bool,
    /// The user picked the experiment from the menu: the default no longer follows the
    /// current event's inventory (unless the pick cannot run on it).
    pub user_chose: bool,
    /// The event whose inventory set the default last.
    advised_for: Option<PathBuf>,
    /// The inventory size that set the default last.
    advised_size: Option<InventorySize>,
    /// What the global model learns from (past events, or a saved model folder).
    pub sources: GlobalSources,
    /// "As of" date (YYYY-MM-DD; empty: every acquisition): the timeline stops there.
    pub as_of: String,
}

impl Default for ModelPanel {
    fn default() -> Self {
        let q = ExperimentOptions::quick(ExperimentKind::SameEvent);
        Self {
            choice: ModelChoice::SameEventRandom,
            grid_search: false,
            grid_text: [
                "75, 100, 125".into(),
                "log2, sqrt".into(),
                "10, 15, 20, 30".into(),
                "2, 3, 4, 5".into(),
                "2, 10".into(),
            ],
            repeats: q.repeats,
            ensemble_size: q.ensemble_size,
            seed: 0,
            live: true,
            user_chose: false,
            advised_for: None,
            advised_size: None,
            sources: GlobalSources::default(),
            as_of: String::new(),
        }
    }
}

const AXES: [&str; 5] = [
    "n_estimators",
    "max_features",
    "max_depth",
    "min_samples_split",
    "min_samples_leaf",
];

fn list<T>(s: &str, axis: &str, f: impl Fn(&str) -> Option<T>) -> Result<Vec<T>, String> {
    let v: Vec<T> = s
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| f(t).ok_or_else(|| format!("{axis}: '{t}' is not a valid value")))
        .collect::<Result<_, _>>()?;
    if v.is_empty() {
        return Err(format!("{axis}: give at least one value"));
    }
    Ok(v)
}

impl ModelPanel {
    /// The grid from the text fields, or what is wrong with it.
    pub fn grid(&self) -> Result<ParamGrid, String> {
        let n = |t: &str| t.parse::<usize>().ok().filter(|v| *v > 0);
        let mf = |t: &str| match t.to_lowercase().as_str() {
            "sqrt" => Some(MaxFeatures::Sqrt),
            "log2" => Some(MaxFeatures::Log2),
            "all" => Some(MaxFeatures::All),
            x => x
                .parse::<f64>()
                .ok()
                .filter(|f| *f > 0.0 && *f <= 1.0)
                .map(MaxFeatures::Fraction),
        };
        let depth = |t: &str| {
            if t.eq_ignore_ascii_case("none") {
                Some(None)
            } else {
                n(t).map(Some)
            }
        };
        Ok(ParamGrid {
            n_estimators: list(&self.grid_text[0], AXES[0], n)?,
            max_features: list(&self.grid_text[1], AXES[1], mf)?,
            max_depth: list(&self.grid_text[2], AXES[2], depth)?,
            min_samples_split: list(&self.grid_text[3], AXES[3], |t| n(t).filter(|v| *v >= 2))?,
            min_samples_leaf: list(&self.grid_text[4], AXES[4], n)?,
        })
    }

    /// Experiment options from the panel (`quick` = the live-editing setting).
    pub fn options(&self, quick: bool) -> Result<ExperimentOptions, String> {
        let kind = self.choice.kind();
        let mut o = if quick {
            ExperimentOptions::quick(kind).with_seed(self.seed)
        } else {
            self.full_options(kind)?
        };
        if matches!(
            self.choice,
            ModelChoice::SameEventMapped | ModelChoice::Both
        ) {
            o.training = TrainingSource::AllMapped;
        }
        Ok(o.with_as_of(self.as_of_date()?))
    }

    /// The global model's options of a *Both* run (same settings, seed and "as of").
    pub fn global_options(&self, quick: bool) -> Result<ExperimentOptions, String> {
        let kind = ExperimentKind::Global;
        let o = if quick {
            ExperimentOptions::quick(kind).with_seed(self.seed)
        } else {
            self.full_options(kind)?
        };
        Ok(o.with_as_of(self.as_of_date()?))
    }

    /// The "as of" field as a date (`None` when empty).
    pub fn as_of_date(&self) -> Result<Option<chrono::NaiveDate>, String> {
        let t = self.as_of.trim();
        if t.is_empty() {
            return Ok(None);
        }
        chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| format!("As of: \"{t}\" is not a date: write it as YYYY-MM-DD (e.g. 2026-12-05), or leave it empty for every acquisition"))
    }

    /// The full (non-quick) options of `kind` from the panel's fields.
    fn full_options(&self, kind: ExperimentKind) -> Result<ExperimentOptions, String> {
        let mut o = ExperimentOptions::paper(kind)
            .with_seed(self.seed)
            .with_repeats(self.repeats)
            .with_ensemble_size(self.ensemble_size)
            .with_grid_search(self.grid_search);
        if self.grid_search {
            o.grid = self.grid()?;
        }
        Ok(o)
    }

    /// The panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, status: &PanelStatus) -> Option<Command> {
        ui.heading("Model");
        self.choice_ui(ui, status);
        ui.checkbox(&mut self.grid_search, "Grid search (Table 2, 4-fold CV)");
        if self.grid_search {
            self.param_grid_ui(ui);
        }
        let mut cmd = None;
        if self.choice.uses_past_events() {
            cmd = self.sources.ui(ui, &status.past);
        }
        self.numbers_ui(ui);
        if self.choice.learns_from_drawing() {
            ui.checkbox(&mut self.live, "Retrain while I edit (quick setting)");
        }
        let cmd = train_buttons_ui(ui, status).or(cmd);
        progress_ui(ui, status);
        cmd
    }

    /// Follow the current event's inventory: its recommended experiment when the event
    /// changes or its inventory changes size (a mapper's first mapped area turns "none"
    /// into "small"), unless the user picked one; and always away from a choice that
    /// cannot run.
    pub fn follow_inventory(&mut self, status: &PanelStatus) {
        let Some((path, cov)) = &status.inventory else {
            return;
        };
        let size = cov.size();
        let changed = self.advised_for.as_ref() != Some(path) || self.advised_size != Some(size);
        if (changed && !self.user_chose) || self.choice.unavailable(Some(size)).is_some() {
            self.choice = ModelChoice::recommended(size);
        }
        self.advised_for = Some(path.clone());
        self.advised_size = Some(size);
    }

    /// The experiment menu (rapid mapping, then the retrospective evaluation) and the notes
    /// on what it trains from and how it is scored.
    fn choice_ui(&mut self, ui: &mut egui::Ui, status: &PanelStatus) {
        self.follow_inventory(status);
        let size = status.inventory.as_ref().map(|(_, c)| c.size());
        let before = self.choice;
        egui::ComboBox::from_id_salt("experiment-choice")
            .selected_text(self.choice.label())
            .width(230.0)
            .show_ui(ui, |ui| {
                for (group, choices) in [
                    ("Rapid mapping", &RAPID_CHOICES[..]),
                    ("Evaluate (retrospective)", &EVALUATE_CHOICES[..]),
                ] {
                    ui.weak(group);
                    for c in choices {
                        let why = c.unavailable(size);
                        let r = ui.add_enabled(
                            why.is_none(),
                            egui::Button::selectable(self.choice == *c, c.label()),
                        );
                        if r.clicked() {
                            self.choice = *c;
                        }
                        if let Some(why) = why {
                            r.on_disabled_hover_text(why);
                        }
                    }
                }
            });
        if self.choice != before {
            self.user_chose = true;
        }
        ui.weak(self.hint(status));
        if let Some((_, cov)) = &status.inventory {
            inventory_note_ui(ui, cov, self.choice);
        }
    }

    /// What the chosen experiment trains from.
    fn hint(&self, status: &PanelStatus) -> String {
        match self.choice {
            ModelChoice::SameEventPolygons => {
                format!("{} training polygon(s) on this event", status.polygons)
            }
            ModelChoice::SameEventMapped => {
                "every mapped cell of this event; scored on independent cells or by spatial cross-validation".into()
            }
            ModelChoice::SameEventRandom => {
                "Evaluate (retrospective): 250 landslide + 250 stable mapped cells per repeat, scored on random cells (optimistic)".into()
            }
            ModelChoice::Both => {
                "two maps in one run, each with its own score: one from every mapped cell of this event, one from the past events ticked below; pick the map to show above the results".into()
            }
            _ => match &status.inventory {
                Some((_, c)) if c.mapped_cells == 0 => {
                    "maps this event (no inventory) from the past events ticked below".into()
                }
                _ => format!(
                    "{} open event(s) with features: each is mapped from the others in turn (leave one event out)",
                    status.events_ready
                ),
            },
        }
    }

    /// The collapsible editable Table 2 grid with its candidate count (or its error).
    fn param_grid_ui(&mut self, ui: &mut egui::Ui) {
        egui::CollapsingHeader::new("Table 2 grid")
            .default_open(false)
            .show(ui, |ui| {
                egui::Grid::new("param-grid").num_columns(2).show(ui, |ui| {
                    for (axis, text) in AXES.iter().zip(self.grid_text.iter_mut()) {
                        ui.label(*axis);
                        ui.add(egui::TextEdit::singleline(text).desired_width(110.0));
                        ui.end_row();
                    }
                });
                match self.grid() {
                    Ok(g) => ui.weak(format!(
                        "{} candidates per model",
                        g.n_estimators.len()
                            * g.max_features.len()
                            * g.max_depth.len()
                            * g.min_samples_split.len()
                            * g.min_samples_leaf.len()
                    )),
                    Err(e) => ui.colored_label(ui.visuals().error_fg_color, e),
                };
            });
    }

    /// Repeats, ensemble size (leave-one-event-out runs only) and seed.
    fn numbers_ui(&mut self, ui: &mut egui::Ui) {
        egui::Grid::new("model-numbers")
            .num_columns(2)
            .show(ui, |ui| {
                ui.label("Repeats");
                ui.add(egui::DragValue::new(&mut self.repeats).range(1..=100));
                ui.end_row();
                if self.choice.uses_past_events() {
                    ui.label("Ensemble size");
                    ui.add(egui::DragValue::new(&mut self.ensemble_size).range(1..=200));
                    ui.end_row();
                }
                ui.label("Seed");
                ui.add(egui::DragValue::new(&mut self.seed));
                ui.end_row();
                let l = ui.label("As of");
                let bad = self.as_of_date().is_err();
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.as_of)
                            .hint_text("YYYY-MM-DD, empty = all")
                            .desired_width(110.0)
                            .text_color_opt(bad.then_some(egui::Color32::from_rgb(220, 80, 60))),
                    )
                    .labelled_by(l.id)
                    .on_hover_text("Map the event as it was known on this date: acquisitions after it are left out (as slidemap predict --as-of)");
                if bad {
                    r.on_hover_text("not a date: YYYY-MM-DD");
                }
                ui.end_row();
            });
    }
}

/// The current event's inventory in numbers, and a warning when it cannot support the
/// chosen experiment well.
fn inventory_note_ui(ui: &mut egui::Ui, cov: &InventoryCoverage, choice: ModelChoice) {
    let warn = egui::Color32::from_rgb(200, 120, 0);
    match cov.size() {
        InventorySize::None => {
            ui.colored_label(
                warn,
                "No inventory on this event: nothing here can be scored. The global model maps it from past earthquakes: tick them under Learns from past events (Add past project… opens more), or use Saved models… from slidemap train.",
            );
        }
        InventorySize::Small => {
            ui.colored_label(
                warn,
                format!(
                    "Small inventory: {} mapped cells, {:.0} % of the study area (under {} cells or {:.0} %).",
                    cov.mapped_cells,
                    cov.fraction() * 100.0,
                    SMALL_INVENTORY_CELLS,
                    SMALL_INVENTORY_FRACTION * 100.0
                ),
            );
            let text = if choice == ModelChoice::SameEventRandom {
                "Random cells would come from these few areas and be scored on their edges: the score says little about unmapped ground."
            } else {
                "Scores rest on few cells: the step summary says how many; treat them as rough."
            };
            ui.colored_label(warn, text);
        }
        InventorySize::Full => {
            ui.weak(format!(
                "Inventory: {} mapped cells, {:.0} % of the study area",
                cov.mapped_cells,
                cov.fraction() * 100.0
            ));
        }
    }
}

/// Train / Quick (while idle) and Cancel (while running).
fn train_buttons_ui(ui: &mut egui::Ui, status: &PanelStatus) -> Option<Command> {
    let mut cmd = None;
    ui.horizontal(|ui| {
        let running = status.running.is_some();
        if ui
            .add_enabled(!running, egui::Button::new("Train"))
            .on_hover_text("Train with these settings")
            .clicked()
        {
            cmd = Some(Command::Training(TrainingCmd::Train));
        }
        if ui
            .add_enabled(!running, egui::Button::new("Quick"))
            .on_hover_text(
                "No grid search, 5 repeats (hold-out: 1), ensembles of 20 forests of 25 trees",
            )
            .clicked()
        {
            cmd = Some(Command::Training(TrainingCmd::TrainQuick));
        }
        if ui
            .add_enabled(running, egui::Button::new("Cancel"))
            .clicked()
        {
            cmd = Some(Command::Training(TrainingCmd::Cancel));
        }
    });
    cmd
}

/// Progress of the running job (bar, stage and ETA) and the last error.
fn progress_ui(ui: &mut egui::Ui, status: &PanelStatus) {
    if let Some((stage, f, eta)) = &status.running {
        ui.add(
            egui::ProgressBar::new(*f as f32)
                .show_percentage()
                .animate(true)
                .desired_width(240.0),
        );
        ui.label(format!("{stage}{eta}"));
    }
    if let Some(e) = &status.error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(path: &str, mapped: usize, study: usize) -> PanelStatus {
        PanelStatus {
            inventory: Some((
                PathBuf::from(path),
                InventoryCoverage {
                    mapped_cells: mapped,
                    study_cells: study,
                },
            )),
            ..Default::default()
        }
    }

    #[test]
    fn the_default_follows_the_inventory_of_the_current_event() {
        let mut p = ModelPanel::default();
        p.follow_inventory(&status("none.toml", 0, 5000));
        assert_eq!(p.choice, ModelChoice::Global);
        p.follow_inventory(&status("small.toml", 300, 5000));
        assert_eq!(p.choice, ModelChoice::SameEventMapped);
        p.follow_inventory(&status("full.toml", 4000, 5000));
        assert_eq!(p.choice, ModelChoice::SameEventRandom);
    }

    #[test]
    fn a_users_pick_is_kept_unless_it_cannot_run() {
        let mut p = ModelPanel::default();
        p.follow_inventory(&status("full.toml", 4000, 5000));
        p.choice = ModelChoice::SameEventPolygons;
        p.user_chose = true;
        p.follow_inventory(&status("small.toml", 300, 5000));
        assert_eq!(p.choice, ModelChoice::SameEventPolygons);
        p.follow_inventory(&status("none.toml", 0, 5000));
        assert_eq!(p.choice, ModelChoice::Global, "same-event cannot run");
    }

    #[test]
    fn same_event_models_are_unavailable_without_inventory() {
        for c in RAPID_CHOICES.iter().chain(&EVALUATE_CHOICES) {
            let none = c.unavailable(Some(InventorySize::None)).is_some();
            assert_eq!(none, c.is_same_event(), "{c:?}");
            assert!(c.unavailable(Some(InventorySize::Small)).is_none());
        }
    }

    #[test]
    fn my_mapped_areas_train_on_every_mapped_cell() {
        let p = ModelPanel {
            choice: ModelChoice::SameEventMapped,
            ..Default::default()
        };
        for quick in [true, false] {
            let o = p.options(quick).unwrap();
            assert_eq!(o.kind, ExperimentKind::SameEvent);
            assert_eq!(o.training, TrainingSource::AllMapped);
        }
        let r = ModelPanel::default().options(true).unwrap();
        assert_eq!(r.training, TrainingSource::RandomCells);
    }

    #[test]
    fn both_trains_on_every_mapped_cell_and_a_global_model_with_the_same_settings() {
        let p = ModelPanel {
            choice: ModelChoice::Both,
            seed: 7,
            as_of: "2026-11-20".into(),
            ..Default::default()
        };
        assert!(p.choice.uses_past_events() && p.choice.learns_from_drawing());
        assert!(p.choice.unavailable(Some(InventorySize::None)).is_some());
        for quick in [true, false] {
            let own = p.options(quick).unwrap();
            assert_eq!(own.kind, ExperimentKind::SameEvent);
            assert_eq!(own.training, TrainingSource::AllMapped);
            let global = p.global_options(quick).unwrap();
            assert_eq!(global.kind, ExperimentKind::Global);
            assert_eq!((global.seed, global.as_of), (own.seed, own.as_of));
        }
    }
}
