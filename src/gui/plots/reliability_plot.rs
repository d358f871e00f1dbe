//! Reliability diagram of the calibrated P(LAD > 0.1) of the selected step (observed
//! frequency against forecast probability on the validation cells, the 1:1 diagonal as
//! perfect calibration), with the step's Brier score, the base rate's, and the interval's
//! coverage beside the model spread's.

use crate::experiment::StepResult;
use egui_plot::{Legend, Line, LineStyle, Plot, PlotPoints, Points};

/// The reliability plot of the selected step (the last one when none is selected).
pub fn reliability_plot_ui(
    ui: &mut egui::Ui,
    steps: &[&StepResult],
    selected: Option<usize>,
    size: egui::Vec2,
) {
    let step = selected
        .and_then(|k| steps.iter().find(|s| s.step == k))
        .or(steps.last());
    let Some(u) = step.and_then(|s| s.uncertainty.as_ref()) else {
        ui.label("No calibrated probability for this step (the run did not compute one).");
        return;
    };
    let pct = |v: f64| {
        if v.is_finite() {
            format!("{:.1} %", 100.0 * v)
        } else {
            "–".into()
        }
    };
    if u.calibrated.is_none() {
        ui.colored_label(
            egui::Color32::from_rgb(200, 120, 0),
            format!("No interval or probability published: {}", u.note),
        );
        return;
    }
    ui.label(format!(
        "Brier of P(LAD > 0.1) {:.4} vs base rate {:.4} · {:.0} % interval covers {} (mean width {:.3}) · model spread P5–P95 covers {} · {} validation cells",
        u.brier,
        u.brier_base_rate,
        100.0 * u.level,
        pct(u.coverage),
        u.width,
        pct(u.spread_coverage),
        u.n_scored
    ))
    .on_hover_text(&u.method);
    let side = (size.y - 30.0).min(size.x - 8.0).clamp(160.0, 600.0);
    Plot::new("reliability-plot")
        .width(side)
        .height(side)
        .data_aspect(1.0)
        .view_aspect(1.0)
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
        .x_axis_label("forecast P(LAD > 0.1)")
        .y_axis_label("observed frequency")
        .include_x(0.0)
        .include_x(1.0)
        .include_y(0.0)
        .include_y(1.0)
        .allow_scroll(false)
        .show(ui, |p| {
            p.line(
                Line::new(
                    "perfect calibration",
                    PlotPoints::from(vec![[0.0, 0.0], [1.0, 1.0]]),
                )
                .color(egui::Color32::GRAY)
                .style(LineStyle::dashed_dense())
                .allow_band(false),
            );
            let pts: Vec<[f64; 2]> = u
                .reliability
                .iter()
                .map(|b| [b.forecast, b.observed])
                .collect();
            p.line(
                Line::new("calibrated P(LAD > 0.1)", PlotPoints::from(pts.clone()))
                    .allow_band(false),
            );
            p.points(Points::new("bins", pts).radius(4.0));
        });
}
