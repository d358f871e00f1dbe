//! The model panel (right, below the training areas): which experiment, grid search with
//! the editable Table 2 grid, repeats, ensemble size, seed, live retraining, Train / Cancel,
//! progress with stage and ETA, and the last error in words.

use super::app::{Command, TrainingCmd};
use crate::experiment::{ExperimentKind, ExperimentOptions};
use crate::forest::{MaxFeatures, ParamGrid};

/// The experiments the panel offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelChoice {
    /// Same event, 250 + 250 random mapped cells per repeat.
    SameEventRandom,
    /// Same event, mapped cells inside the drawn polygons.
    SameEventPolygons,
    /// Leave-one-event-out over the open events (ground failure + ICFs).
    Global,
    /// Leave-one-event-out with ICFs only.
    SarOnly,
}

impl ModelChoice {
    /// Menu text.
    pub fn label(self) -> &'static str {
        match self {
            ModelChoice::SameEventRandom => "Same event, random cells",
            ModelChoice::SameEventPolygons => "Same event, drawn polygons",
            ModelChoice::Global => "Global (leave one event out)",
            ModelChoice::SarOnly => "SAR only (leave one event out)",
        }
    }
    /// Core experiment.
    pub fn kind(self) -> ExperimentKind {
        match self {
            ModelChoice::SameEventRandom | ModelChoice::SameEventPolygons => {
                ExperimentKind::SameEvent
            }
            ModelChoice::Global => ExperimentKind::Global,
            ModelChoice::SarOnly => ExperimentKind::SarOnly,
        }
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
        if quick {
            return Ok(ExperimentOptions::quick(kind).with_seed(self.seed));
        }
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
        self.numbers_ui(ui);
        if self.choice == ModelChoice::SameEventPolygons {
            ui.checkbox(&mut self.live, "Retrain while I edit (quick setting)");
        }
        let cmd = train_buttons_ui(ui, status);
        progress_ui(ui, status);
        cmd
    }

    /// The experiment menu and the hint on what it trains from.
    fn choice_ui(&mut self, ui: &mut egui::Ui, status: &PanelStatus) {
        egui::ComboBox::from_id_salt("experiment-choice")
            .selected_text(self.choice.label())
            .width(230.0)
            .show_ui(ui, |ui| {
                for c in [
                    ModelChoice::SameEventRandom,
                    ModelChoice::SameEventPolygons,
                    ModelChoice::Global,
                    ModelChoice::SarOnly,
                ] {
                    ui.selectable_value(&mut self.choice, c, c.label());
                }
            });
        let hint = match self.choice {
            ModelChoice::SameEventPolygons => {
                format!("{} training polygon(s) on this event", status.polygons)
            }
            ModelChoice::SameEventRandom => {
                "250 landslide + 250 stable mapped cells per repeat".into()
            }
            _ => format!("{} open event(s) with features", status.events_ready),
        };
        ui.weak(hint);
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
                if matches!(self.choice, ModelChoice::Global | ModelChoice::SarOnly) {
                    ui.label("Ensemble size");
                    ui.add(egui::DragValue::new(&mut self.ensemble_size).range(1..=200));
                    ui.end_row();
                }
                ui.label("Seed");
                ui.add(egui::DragValue::new(&mut self.seed));
                ui.end_row();
            });
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
