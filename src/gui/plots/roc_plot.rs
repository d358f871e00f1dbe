//! ROC curves per step on a square plot with the 1:1 diagonal (no skill) as reference.
//! The selected step is drawn thick; the others thin, coloured by their sensor.

use super::side_legend::{legend_fits, side_legend_ui, LegendEntry, Mark};
use crate::experiment::StepResult;
use crate::gui::timeline_widget::sensor_color;
use egui_plot::{Legend, Line, LineStyle, Plot, PlotPoints};

/// The name and colour of each step's curve (dimmed unless selected).
fn curves<'a>(
    steps: &[&'a StepResult],
    selected: Option<usize>,
) -> Vec<(&'a StepResult, String, egui::Color32)> {
    steps
        .iter()
        .filter(|s| !s.roc.is_empty())
        .map(|s| {
            let c = sensor_color(s.sensor.split('+').next().unwrap_or(&s.sensor));
            let sel = selected == Some(s.step);
            let name = format!(
                "step {} (+{} d), AUC {:.3}",
                s.step, s.days_after_event, s.auc.mean
            );
            (*s, name, if sel { c } else { c.gamma_multiply(0.6) })
        })
        .collect()
}

/// The ROC plot of `steps`.
pub fn roc_plot_ui(
    ui: &mut egui::Ui,
    steps: &[&StepResult],
    selected: Option<usize>,
    size: egui::Vec2,
) {
    let side = (size.y - 8.0).min(size.x - 8.0).clamp(160.0, 600.0);
    let curves = curves(steps, selected);
    let inside = legend_fits(curves.len() + 1, side);
    let plot = Plot::new("roc-plot")
        .width(side)
        .height(side)
        .data_aspect(1.0)
        .view_aspect(1.0);
    let plot = if inside {
        plot.legend(
            Legend::default()
                .position(egui_plot::Corner::RightBottom)
                .text_style(egui::TextStyle::Small)
                .background_alpha(0.6),
        )
    } else {
        plot
    };
    ui.horizontal(|ui| {
        roc_plot(ui, plot, &curves, selected);
        if !inside {
            let mut entries = vec![LegendEntry::new(
                "no skill",
                egui::Color32::GRAY,
                Mark::Dashed,
            )];
            entries.extend(
                curves
                    .iter()
                    .map(|(_, name, c)| LegendEntry::new(name.clone(), *c, Mark::Line)),
            );
            side_legend_ui(ui, "roc-legend", &entries, side);
        }
    });
}

/// The curves on `plot`, the selected step's thick.
fn roc_plot(
    ui: &mut egui::Ui,
    plot: Plot<'_>,
    curves: &[(&StepResult, String, egui::Color32)],
    selected: Option<usize>,
) {
    plot.x_axis_label("false-positive rate")
        .y_axis_label("true-positive rate")
        .include_x(0.0)
        .include_x(1.0)
        .include_y(0.0)
        .include_y(1.0)
        .allow_scroll(false)
        .show(ui, |p| {
            p.line(
                Line::new("no skill", PlotPoints::from(vec![[0.0, 0.0], [1.0, 1.0]]))
                    .color(egui::Color32::GRAY)
                    .style(LineStyle::dashed_dense())
                    .allow_band(false),
            );
            for (s, name, c) in curves {
                let pts: Vec<[f64; 2]> = s.roc.iter().map(|&(x, y)| [x, y]).collect();
                let sel = selected == Some(s.step);
                p.line(
                    Line::new(name.clone(), PlotPoints::from(pts))
                        .color(*c)
                        .width(if sel { 3.0 } else { 1.2 })
                        .allow_band(false),
                );
            }
        });
}
