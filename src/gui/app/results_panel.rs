//! The bottom results panel: the acquisition timeline, the selected step's summary (the
//! trainer's "what did this image add?"), the plots in tabs with CSV/PNG export, and the
//! proposed next areas to digitise.

use super::TrainingCmd;
use super::{Command, SlideMapApp};
use crate::coherence::Timeline;
use crate::experiment::StepResult;
use crate::gui::plots::importance_plot::importance_plot_ui;
use crate::gui::plots::reliability_plot::reliability_plot_ui;
use crate::gui::plots::roc_plot::roc_plot_ui;
use crate::gui::plots::steps_plot::steps_plot_ui;
use crate::gui::plots::PlotKind;
use crate::gui::results::RunResults;
use crate::gui::timeline_widget::{sensor_name, timeline_ui, TimelineAction};
use crate::project::Project;

impl SlideMapApp {
    /// The results panel at the bottom of the window.
    pub fn results_panel_ui(&mut self, ui: &mut egui::Ui) -> Option<Command> {
        egui::Panel::bottom("results-panel")
            .resizable(true)
            .default_size(440.0)
            .show(ui, |ui| {
                let status = self.model_panel_status();
                let h = ui.available_height();
                let down = egui::Layout::top_down(egui::Align::Min);
                ui.horizontal_top(|ui| {
                    let a = ui
                        .allocate_ui_with_layout(egui::vec2(270.0, h), down, |ui| {
                            ui.set_width(270.0);
                            egui::ScrollArea::vertical()
                                .id_salt("model-scroll")
                                .show(ui, |ui| {
                                    let c = self.training.panel.ui(ui, &status);
                                    c.or(proposals_ui(ui, &self.training.results.proposals))
                                })
                                .inner
                        })
                        .inner;
                    ui.separator();
                    let b = ui
                        .allocate_ui_with_layout(egui::vec2(ui.available_width(), h), down, |ui| {
                            self.results_rect = Some(ui.max_rect());
                            self.results_contents_ui(ui)
                        })
                        .inner;
                    a.or(b)
                })
                .inner
            })
            .inner
    }

    /// The panel's contents: the timeline of the current event's project, then the shown
    /// run's heading, the selected step's summary and the plot tabs.
    fn results_contents_ui(&mut self, ui: &mut egui::Ui) -> Option<Command> {
        let ev = self.events.get(self.current)?;
        let Some(project) = ev.project.as_ref() else {
            ui.label("Open a project to see its acquisition timeline and train models.");
            return None;
        };
        let disabled = self
            .training
            .disabled
            .iter()
            .find(|(p, _)| *p == ev.project_path)
            .map(|(_, f)| f.clone())
            .unwrap_or_default();
        let event = ev.name.clone();
        let selected = self.training.results.selected_step;
        let mut cmd = None;
        if ui
            .button("Add acquisitions…")
            .on_hover_text(
                "Radar pairs that arrived since: add them to this event (a new timeline step each)",
            )
            .clicked()
        {
            cmd = Some(Command::AddAcquisitions);
        }
        let as_of_day = self
            .training
            .panel
            .as_of_date()
            .ok()
            .flatten()
            .map(|d| (d - project.file.event.date).num_days());
        cmd = acquisition_timeline_ui(ui, project, selected, &disabled, as_of_day).or(cmd);
        ui.separator();
        if let Some(c) = self.training.results.shown_run().and_then(|run| {
            both_selector_ui(ui, run, self.training.results.show_global, &event, selected)
        }) {
            cmd = Some(c);
        }
        let Some(run) = self.training.results.shown() else {
            ui.label(
                "No results yet: choose an experiment in the Model panel (left) and press Train.",
            );
            return cmd;
        };
        let steps = run.event_steps(&event);
        if steps.is_empty() {
            ui.label(if run.complete {
                "This run has no results for the current event."
            } else {
                "Training… the first step appears when it is done."
            });
            return cmd;
        }
        let shown = selected.and_then(|k| steps.iter().find(|s| s.step == k));
        if run_heading_ui(ui, run, self.training.job.is_some(), shown.map(|s| s.step)) {
            cmd = Some(Command::Training(TrainingCmd::ExportResponders));
        }
        if let Some(s) = shown {
            let prev = steps.iter().rev().find(|p| p.step < s.step);
            step_summary_ui(ui, s, prev.copied());
        }
        if let Some(c) = plot_tabs_ui(ui, &mut self.training.tab) {
            cmd = Some(c);
        }
        let other = self.training.results.other_of_both(&event);
        let compare = other.as_ref().map(|(name, s)| (*name, s.as_slice()));
        let avail = ui.available_size();
        let top = ui.cursor().min;
        let clicked = plot_ui(ui, self.training.tab, &steps, compare, selected, avail);
        self.training.plot_rect = Some(egui::Rect::from_min_max(top, ui.min_rect().max));
        if let Some(k) = clicked {
            cmd = Some(Command::Training(TrainingCmd::SelectStep(k)));
        }
        cmd
    }
}

/// The two maps of a *Both* run with their scores at the selected step: a click shows the
/// other one (layers, summary, plots and exports follow).
fn both_selector_ui(
    ui: &mut egui::Ui,
    run: &RunResults,
    show_global: bool,
    event: &str,
    selected: Option<usize>,
) -> Option<Command> {
    let global = run.global_of_both.as_deref()?;
    let mut cmd = None;
    ui.horizontal_wrapped(|ui| {
        ui.label("Map from:");
        for (part, is_global, name) in [
            (run, false, "my mapped areas"),
            (global, true, "past events"),
        ] {
            let score = match selected.and_then(|k| part.step(event, k)) {
                Some(s) => short_score(s),
                None if part.complete => "no map at this step".into(),
                None => "training…".into(),
            };
            let r = ui
                .selectable_label(show_global == is_global, format!("{name} · {score}"))
                .on_hover_text(&part.label);
            if r.clicked() && show_global != is_global {
                cmd = Some(Command::Training(TrainingCmd::ShowGlobalOfBoth(is_global)));
            }
        }
    });
    cmd
}

/// AUC and how it was validated, in a few words.
fn short_score(s: &StepResult) -> String {
    if s.validation.kind == crate::experiment::ValidationKind::None {
        return "not scored".into();
    }
    format!(
        "AUC {:.3} ({} on {} cells)",
        s.auc.mean,
        s.validation.kind.name(),
        s.validation.n_cells
    )
}

/// The acquisition timeline of `project` (labels "prefix track"); selecting a step or
/// toggling an acquisition becomes a training command.
fn acquisition_timeline_ui(
    ui: &mut egui::Ui,
    project: &Project,
    selected: Option<usize>,
    disabled: &[bool],
    as_of_day: Option<i64>,
) -> Option<Command> {
    let tl = Timeline::from_project(project);
    let labels: Vec<String> = project
        .file
        .acquisitions
        .iter()
        .map(|a| format!("{} {}", a.name_prefix(), a.track))
        .collect();
    match timeline_ui(ui, &tl, selected, &labels, disabled, as_of_day) {
        Some(TimelineAction::Select(k)) => Some(Command::Training(TrainingCmd::SelectStep(k))),
        Some(TimelineAction::Toggle(i, on)) => {
            Some(Command::Training(TrainingCmd::ToggleAcquisition(i, on)))
        }
        None => None,
    }
}

/// The shown run's label, marked while it streams or when it was cancelled.
/// The run's label (and whether it is still streaming), with "Export step k for
/// responders" for the selected step; true when that button was clicked.
fn run_heading_ui(
    ui: &mut egui::Ui,
    run: &RunResults,
    streaming: bool,
    selected: Option<usize>,
) -> bool {
    let mut export = false;
    ui.horizontal(|ui| {
        ui.strong(&run.label);
        if !run.complete {
            ui.weak(if streaming {
                "(streaming…)"
            } else {
                "(incomplete: cancelled)"
            });
        }
        if let Some(k) = selected {
            export = ui
                .button(format!("Export step {k} for responders"))
                .on_hover_text(
                    "This step's map, calibrated interval, P(LAD > 0.1) and \"landslides \
                     likely\" mask as COG + .qml, latest.kmz and provenance.json, in a new \
                     folder under slidemap-results next to the project",
                )
                .clicked();
        }
    });
    export
}

/// The plot tabs and Export CSV / Export PNG for the current tab.
fn plot_tabs_ui(ui: &mut egui::Ui, tab: &mut PlotKind) -> Option<Command> {
    let mut cmd = None;
    ui.horizontal(|ui| {
        for k in [
            PlotKind::Steps,
            PlotKind::Roc,
            PlotKind::Importances,
            PlotKind::Reliability,
        ] {
            ui.selectable_value(tab, k, k.title());
        }
        ui.separator();
        let tab = *tab;
        if ui
            .button("Export CSV")
            .on_hover_text("The numbers of this plot, next to the project")
            .clicked()
        {
            cmd = Some(Command::Training(TrainingCmd::ExportCsv(tab)));
        }
        if ui
            .button("Export PNG")
            .on_hover_text("This plot as an image, next to the project")
            .clicked()
        {
            cmd = Some(Command::Training(TrainingCmd::ExportPng(tab)));
        }
    });
    cmd
}

/// The plot of tab `tab` in `avail` (with a *Both* run's other model, named, on the AUC and
/// r² plots); the step clicked in it, if any.
fn plot_ui(
    ui: &mut egui::Ui,
    tab: PlotKind,
    steps: &[&StepResult],
    compare: Option<(&str, &[&StepResult])>,
    selected: Option<usize>,
    avail: egui::Vec2,
) -> Option<usize> {
    match tab {
        PlotKind::Steps => steps_plot_ui(ui, steps, compare, selected, avail),
        PlotKind::Roc => {
            roc_plot_ui(ui, steps, selected, avail);
            None
        }
        PlotKind::Importances => importance_plot_ui(ui, steps, selected, avail),
        PlotKind::Reliability => {
            reliability_plot_ui(ui, steps, selected, avail);
            None
        }
    }
}

fn step_summary_ui(ui: &mut egui::Ui, s: &StepResult, prev: Option<&StepResult>) {
    let delta = |now: f64, before: Option<f64>| {
        before
            .filter(|b| b.is_finite() && now.is_finite())
            .map(|b| format!(" ({:+.3} vs step {})", now - b, prev.map_or(0, |p| p.step)))
            .unwrap_or_default()
    };
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!(
            "Step {} · +{} days · {}",
            s.step,
            s.days_after_event,
            sensor_name(&s.sensor)
        ));
        if s.validation.kind == crate::experiment::ValidationKind::None {
            ui.label(format!("not scored: {}", s.validation.note));
        } else {
            ui.label(format!(
                "AUC {:.3} ± {:.3}{} · r² {:.3} ± {:.3}{} · {} repeats",
                s.auc.mean,
                s.auc.sd,
                delta(s.auc.mean, prev.map(|p| p.auc.mean)),
                s.r2.mean,
                s.r2.sd,
                delta(s.r2.mean, prev.map(|p| p.r2.mean)),
                s.auc.n
            ));
            ui.label(format!(
                "· {} on {} cells ({} landslide)",
                s.validation.kind.name(),
                s.validation.n_cells,
                s.validation.n_landslide
            ))
            .on_hover_text(s.validation.kind.describe());
        }
        if let Some(top) = s
            .importances
            .iter()
            .max_by(|a, b| a.importance.total_cmp(&b.importance))
        {
            ui.label(format!(
                "· most important: {} ({:.2})",
                top.group.label(),
                top.importance
            ));
        }
    });
    if s.validation.kind != crate::experiment::ValidationKind::None && !s.validation.note.is_empty()
    {
        ui.colored_label(egui::Color32::from_rgb(200, 120, 0), &s.validation.note);
    }
    if let Some(u) = &s.uncertainty {
        if u.calibrated.is_none() {
            ui.colored_label(
                egui::Color32::from_rgb(200, 120, 0),
                format!("no interval or P(LAD > 0.1): {}", u.note),
            );
        } else if u.coverage.is_finite() {
            ui.label(format!(
                "{:.0} % interval covers {:.1} % of the validation cells (mean width {:.3}); Brier of P(LAD > 0.1) {:.4} vs base rate {:.4}",
                100.0 * u.level,
                100.0 * u.coverage,
                u.width,
                u.brier,
                u.brier_base_rate
            ))
            .on_hover_text(&u.method);
        }
    }
    if !s.features_added.is_empty() {
        ui.weak(format!("adds {}", s.features_added.join(", ")));
    }
}

/// The proposed next areas with an "Add" button each.
fn proposals_ui(
    ui: &mut egui::Ui,
    proposals: &[crate::experiment::ProposedArea],
) -> Option<Command> {
    if proposals.is_empty() {
        return None;
    }
    let mut cmd = None;
    ui.separator();
    ui.strong("Where to map next");
    ui.weak("Areas unlike what is mapped so far, in feature space (layer \"Where to map next\"); a hint, not validated");
    for (i, p) in proposals.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.label(format!(
                "{}. {} cells, coverage gain {:.0}, variance {:.2e}",
                i + 1,
                p.cells,
                p.coverage_gain,
                p.mean_variance
            ));
            if ui
                .small_button("Add")
                .on_hover_text("Add this area as a training polygon")
                .clicked()
            {
                cmd = Some(Command::Training(TrainingCmd::AddProposal(i)));
            }
        });
    }
    cmd
}
