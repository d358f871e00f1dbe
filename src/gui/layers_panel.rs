//! The left panel: open events (switch, cancel loading, close) and the layers of the
//! current event grouped by origin, with visibility, opacity, colour ramp, range, legend,
//! zoom-to-layer and export; imagery layers in their own group "Imagery".

use super::app::{Command, FilePurpose};
use super::colormap::{robust_range, Ramp};
use super::events::EventState;
use super::imagery_panel::{imagery_style_ui, Swipe};
use super::layer::MapLayer;
use super::legend::legend_ui;

/// Panel state.
#[derive(Debug, Default)]
pub struct LayersPanel {
    /// Layer (or imagery layer) whose style is shown.
    pub selected: Option<u64>,
    /// The pre/post imagery swipe.
    pub swipe: Swipe,
}

impl LayersPanel {
    /// The events list and the layers of `events[current]`.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        events: &mut [EventState],
        current: usize,
    ) -> Option<Command> {
        let mut cmd = events_ui(ui, events, current);
        ui.separator();
        let Some(ev) = events.get_mut(current) else {
            ui.label("No event open. File → Open project…");
            return cmd;
        };
        ui.heading("Layers");
        egui::ScrollArea::vertical()
            .id_salt("layers-scroll")
            .max_height(ui.available_height() * 0.55)
            .show(ui, |ui| {
                if ev.layers.is_empty() && ev.imagery.is_empty() {
                    ui.label(if ev.is_loading() {
                        "Loading…"
                    } else {
                        "No layers. Open a raster or a project."
                    });
                }
                let mut headings: Vec<String> = Vec::new();
                for l in ev.layers.iter().rev() {
                    let h = l.kind.heading();
                    if !headings.contains(&h) {
                        headings.push(h);
                    }
                }
                if !ev.imagery.is_empty() {
                    imagery_list_ui(ui, ev, &mut self.selected);
                }
                for h in headings {
                    egui::CollapsingHeader::new(&h)
                        .default_open(!h.starts_with("Features") && !h.starts_with("ICF"))
                        .show(ui, |ui| {
                            for l in ev.layers.iter_mut().rev().filter(|l| l.kind.heading() == h) {
                                ui.horizontal(|ui| {
                                    ui.add(egui::Checkbox::without_text(&mut l.style.visible))
                                        .on_hover_text(format!("Show {}", l.name));
                                    if ui
                                        .selectable_label(self.selected == Some(l.id), &l.name)
                                        .clicked()
                                    {
                                        self.selected = Some(l.id);
                                    }
                                });
                            }
                        });
                }
            });
        ui.separator();
        if let Some(l) = self
            .selected
            .and_then(|id| ev.layers.iter_mut().find(|l| l.id == id))
        {
            cmd = cmd.or(style_ui(ui, l));
        } else if let Some(l) = self
            .selected
            .and_then(|id| ev.imagery.iter_mut().find(|l| l.id == id))
        {
            cmd = cmd.or(imagery_style_ui(ui, l, &mut self.swipe));
        } else {
            ui.label("Select a layer to style it.");
        }
        cmd
    }
}

fn imagery_list_ui(ui: &mut egui::Ui, ev: &mut EventState, selected: &mut Option<u64>) {
    egui::CollapsingHeader::new("Imagery")
        .default_open(true)
        .show(ui, |ui| {
            for l in ev.imagery.iter_mut().rev() {
                ui.horizontal(|ui| {
                    ui.add(egui::Checkbox::without_text(&mut l.visible))
                        .on_hover_text(format!("Show {}", l.name));
                    if ui
                        .selectable_label(*selected == Some(l.id), &l.name)
                        .clicked()
                    {
                        *selected = Some(l.id);
                    }
                    if l.loading_view() {
                        ui.spinner();
                    }
                });
            }
        });
}

fn events_ui(ui: &mut egui::Ui, events: &mut [EventState], current: usize) -> Option<Command> {
    let mut cmd = None;
    ui.heading("Events");
    for (i, ev) in events.iter().enumerate() {
        ui.horizontal(|ui| {
            if ui
                .selectable_label(i == current, &ev.name)
                .on_hover_text(ev.project_path.display().to_string())
                .clicked()
            {
                cmd = Some(Command::SwitchEvent(i));
            }
            if let Some(job) = ev.job.as_ref().filter(|j| !j.finished) {
                ui.spinner();
                ui.add(
                    egui::ProgressBar::new(job.progress.1 as f32)
                        .desired_width(70.0)
                        .text(job.progress.0.clone()),
                );
                if ui
                    .button("Cancel")
                    .on_hover_text(format!("Stop loading {}", ev.name))
                    .clicked()
                {
                    cmd = Some(Command::CancelLoad(i));
                }
            }
        });
    }
    if !events.is_empty() && ui.button("Close event").clicked() {
        cmd = Some(Command::CloseEvent(current));
    }
    cmd
}

fn style_ui(ui: &mut egui::Ui, l: &mut MapLayer) -> Option<Command> {
    let mut cmd = None;
    ui.label(egui::RichText::new(&l.name).strong());
    if let Some(p) = &l.path {
        ui.label(egui::RichText::new(p.display().to_string()).small());
    }
    ui.add(egui::Slider::new(&mut l.style.opacity, 0.0..=1.0).text("Opacity"));
    egui::ComboBox::from_label("Colour ramp")
        .selected_text(l.style.ramp.label())
        .show_ui(ui, |ui| {
            for r in Ramp::ALL {
                ui.selectable_value(&mut l.style.ramp, r, r.label());
            }
        });
    let speed = ((l.value_range.1 - l.value_range.0).abs() / 200.0).max(1e-4);
    ui.horizontal(|ui| {
        let lo = ui.label("Min");
        ui.add(egui::DragValue::new(&mut l.style.min).speed(speed))
            .labelled_by(lo.id);
        let hi = ui.label("Max");
        ui.add(egui::DragValue::new(&mut l.style.max).speed(speed))
            .labelled_by(hi.id);
    });
    ui.horizontal(|ui| {
        if ui.button("Stretch 2–98 %").clicked() {
            if let Some((a, b)) = robust_range(&l.display.data) {
                (l.style.min, l.style.max) = (a, b);
            }
        }
        if ui.button("Full range").clicked() {
            (l.style.min, l.style.max) = l.value_range;
        }
    });
    legend_ui(
        ui,
        "Legend",
        l.style.ramp,
        l.style.min,
        l.style.max,
        &l.unit,
        (ui.available_width() - 10.0).clamp(120.0, 320.0),
    );
    ui.label(format!(
        "{} × {} cells, {:.0} × {:.0} (CRS units)",
        l.source.spec.cols, l.source.spec.rows, l.source.spec.cell_width, l.source.spec.cell_height
    ));
    ui.horizontal(|ui| {
        if ui.button("Zoom to layer").clicked() {
            cmd = Some(Command::ZoomToLayer(l.id));
        }
        if ui.button("Export GeoTIFF…").clicked() {
            cmd = Some(Command::ShowFileChooser(FilePurpose::ExportLayer(l.id)));
        }
        if ui.button("Remove layer").clicked() {
            cmd = Some(Command::RemoveLayer(l.id));
        }
    });
    cmd
}
