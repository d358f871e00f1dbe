//! AUC and r² against days after the event as true step plots (the paper's Figure 6): a
//! value holds until the next acquisition arrives. egui_plot has no step mode, so the
//! staircase is built here, with `allow_band(false)` (lines default to bands, which would
//! fill the steps). Mean ± sd over repeats as a band polygon, sensor-coloured markers, the
//! ground-failure product and the best single coherence surface as reference lines; a *Both*
//! run's other model as a dashed staircase.

use super::side_legend::{legend_fits, side_legend_ui, LegendEntry, Mark, SIDE_LEGEND_WIDTH};
use crate::experiment::StepResult;
use crate::gui::timeline_widget::{sensor_color, sensor_name};
use egui::Color32;
use egui_plot::{
    Corner, HLine, Legend, Line, LineStyle, MarkerShape, Plot, PlotPoints, PlotUi, Points, Polygon,
    VLine,
};

/// Which metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// ROC AUC (truth LAD > 0.1).
    Auc,
    /// r² of observed vs predicted LAD.
    R2,
}

/// The geometry of one step plot (also checked by the tests).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepSeries {
    /// One marker per step: (days after event, mean).
    pub markers: Vec<[f64; 2]>,
    /// The staircase through the means.
    pub stairs: Vec<[f64; 2]>,
    /// Closed polygon of mean ± sd as a staircase (empty with a single repeat).
    pub band: Vec<[f64; 2]>,
}

/// (days after event, mean, sd, repeats) of one step.
type StepPoint = (f64, f64, f64, usize);

fn value(s: &StepResult, m: Metric) -> (f64, f64, usize) {
    let v = match m {
        Metric::Auc => s.auc,
        Metric::R2 => s.r2,
    };
    (v.mean, v.sd, v.n)
}

/// Build markers, staircase and band for steps sorted by day.
pub fn step_series(steps: &[&StepResult], m: Metric) -> StepSeries {
    let pts: Vec<(f64, f64, f64, usize)> = steps
        .iter()
        .map(|s| {
            let (mean, sd, n) = value(s, m);
            (
                s.days_after_event as f64,
                mean,
                if sd.is_finite() { sd } else { 0.0 },
                n,
            )
        })
        .filter(|p| p.1.is_finite())
        .collect();
    let Some(last) = pts.last() else {
        return StepSeries::default();
    };
    let end = last.0 + (last.0 * 0.1).max(3.0);
    let stair = |f: &dyn Fn(&StepPoint) -> f64| -> Vec<[f64; 2]> {
        let mut v = Vec::with_capacity(pts.len() * 2);
        for (i, p) in pts.iter().enumerate() {
            let next = pts.get(i + 1).map_or(end, |q| q.0);
            v.push([p.0, f(p)]);
            v.push([next, f(p)]);
        }
        v
    };
    let stairs = stair(&|p| p.1);
    let band = if pts.iter().any(|p| p.3 > 1 && p.2 > 0.0) {
        let mut upper = stair(&|p| p.1 + p.2);
        let lower = stair(&|p| p.1 - p.2);
        upper.extend(lower.into_iter().rev());
        upper
    } else {
        Vec::new()
    };
    StepSeries {
        markers: pts.iter().map(|p| [p.0, p.1]).collect(),
        stairs,
        band,
    }
}

/// Colour of the compared model's staircase.
const COMPARE_COLOR: Color32 = Color32::from_rgb(23, 190, 207);

/// One metric plot (with another model's staircase, dashed and named, when `compare`
/// gives one; its legend inside when `legend`); returns the step clicked.
pub fn metric_plot_ui(
    ui: &mut egui::Ui,
    steps: &[&StepResult],
    compare: Option<(&str, &[&StepResult])>,
    m: Metric,
    selected: Option<usize>,
    size: egui::Vec2,
    legend: bool,
) -> Option<usize> {
    let series = step_series(steps, m);
    let other = compare.map(|(label, o)| (label, step_series(o, m)));
    let (name, id) = match m {
        Metric::Auc => ("AUC", "steps-auc"),
        Metric::R2 => ("r²", "steps-r2"),
    };
    let color = ui.visuals().text_color();
    let sel_color = ui.visuals().selection.bg_fill;
    let selected_day = selected
        .and_then(|k| steps.iter().find(|s| s.step == k))
        .map(|s| s.days_after_event as f64);
    let refs = if m == Metric::Auc {
        reference_lines(steps)
    } else {
        Vec::new()
    };
    let resp = metric_plot(id, name, m, size, legend).show(ui, |p| {
        mean_band_and_line(p, &series, name, color);
        if let Some((label, o)) = &other {
            p.line(
                Line::new(
                    format!("{label} {name}"),
                    PlotPoints::from(o.stairs.clone()),
                )
                .color(COMPARE_COLOR)
                .style(LineStyle::dashed_dense())
                .width(2.0)
                .allow_band(false),
            );
        }
        sensor_points(p, steps, m);
        for (label, v, c) in &refs {
            p.hline(
                HLine::new(label.clone(), *v)
                    .color(*c)
                    .style(LineStyle::dashed_loose())
                    .width(1.5),
            );
        }
        if let Some(d) = selected_day {
            p.vline(VLine::new("", d).color(sel_color).width(1.0));
        }
        p.response()
            .clicked()
            .then(|| p.pointer_coordinate())
            .flatten()
    });
    let x = resp.inner?.x;
    nearest_step(steps, x)
}

/// The empty plot of metric `m`: size, legend (inside when `legend`), axis labels and the
/// y range it always shows.
fn metric_plot<'a>(id: &str, name: &str, m: Metric, size: egui::Vec2, legend: bool) -> Plot<'a> {
    let plot = Plot::new(id).width(size.x).height(size.y);
    let plot = if legend {
        plot.legend(
            Legend::default()
                .position(Corner::RightBottom)
                .text_style(egui::TextStyle::Small)
                .background_alpha(0.6),
        )
    } else {
        plot
    };
    plot.x_axis_label("days after event")
        .y_axis_label(name)
        .include_x(0.0)
        .include_y(if m == Metric::Auc { 0.5 } else { 0.0 })
        .include_y(if m == Metric::Auc { 1.0 } else { 0.5 })
        .allow_scroll(false)
}

/// The mean ± sd band (when there is one) and the staircase of the means.
fn mean_band_and_line(p: &mut PlotUi<'_>, series: &StepSeries, name: &str, color: Color32) {
    if !series.band.is_empty() {
        p.polygon(
            Polygon::new("mean ± sd", PlotPoints::from(series.band.clone()))
                .fill_color(color.gamma_multiply(0.12))
                .stroke(egui::Stroke::NONE),
        );
    }
    p.line(
        Line::new(
            format!("{name} mean"),
            PlotPoints::from(series.stairs.clone()),
        )
        .color(color)
        .width(2.0)
        .allow_band(false),
    );
}

/// The steps' sensors in order of first appearance.
fn sensors_of<'a>(steps: &[&'a StepResult]) -> Vec<&'a str> {
    let mut sensors: Vec<&str> = Vec::new();
    for s in steps {
        if !sensors.contains(&s.sensor.as_str()) {
            sensors.push(&s.sensor);
        }
    }
    sensors
}

/// A sensor's marker colour (of its first sensor when several share the step).
fn marker_color(sensor: &str) -> Color32 {
    sensor_color(sensor.split('+').next().unwrap_or(sensor))
}

/// One marker series per sensor (in order of first appearance), in the sensor's colour.
fn sensor_points(p: &mut PlotUi<'_>, steps: &[&StepResult], m: Metric) {
    for sensor in sensors_of(steps) {
        let pts: Vec<[f64; 2]> = steps
            .iter()
            .filter(|s| s.sensor == sensor)
            .map(|s| [s.days_after_event as f64, value(s, m).0])
            .filter(|p| p[1].is_finite())
            .collect();
        let c = marker_color(sensor);
        p.points(
            Points::new(sensor_name(sensor), PlotPoints::from(pts))
                .color(c)
                .radius(5.0)
                .shape(MarkerShape::Circle)
                .filled(true),
        );
    }
}

/// The step whose day after the event is nearest to `x`.
fn nearest_step(steps: &[&StepResult], x: f64) -> Option<usize> {
    steps
        .iter()
        .min_by(|a, b| {
            (a.days_after_event as f64 - x)
                .abs()
                .total_cmp(&(b.days_after_event as f64 - x).abs())
        })
        .map(|s| s.step)
}

/// Reference lines: the ground-failure product's AUC and the best single coherence surface.
pub fn reference_lines(steps: &[&StepResult]) -> Vec<(String, f64, Color32)> {
    let mut out = Vec::new();
    let all = steps.iter().flat_map(|s| &s.baselines);
    if let Some(gf) = all
        .clone()
        .filter(|b| b.name.contains("ground_failure") && b.auc.is_finite())
        .map(|b| b.auc)
        .reduce(f64::max)
    {
        out.push((
            format!("ground failure ({gf:.3})"),
            gf,
            Color32::from_rgb(127, 127, 127),
        ));
    }
    if let Some(b) = all
        .filter(|b| !b.name.contains("ground_failure") && b.auc.is_finite())
        .max_by(|a, b| a.auc.total_cmp(&b.auc))
    {
        out.push((
            format!("best ICF {} ({:.3})", b.name, b.auc),
            b.auc,
            Color32::from_rgb(214, 39, 40),
        ));
    }
    out
}

/// AUC and r² side by side; returns the step clicked.
pub fn steps_plot_ui(
    ui: &mut egui::Ui,
    steps: &[&StepResult],
    compare: Option<(&str, &[&StepResult])>,
    selected: Option<usize>,
    size: egui::Vec2,
) -> Option<usize> {
    let h = (size.y - 8.0).clamp(120.0, 600.0);
    let entries = steps_legend(ui, steps, compare);
    let inside = legend_fits(entries.len(), h);
    let w = if inside {
        ((size.x - 16.0) / 2.0).max(200.0)
    } else {
        ((size.x - 24.0 - SIDE_LEGEND_WIDTH) / 2.0).max(120.0)
    };
    ui.horizontal(|ui| {
        let size = egui::vec2(w, h);
        let a = metric_plot_ui(ui, steps, compare, Metric::Auc, selected, size, inside);
        let b = metric_plot_ui(ui, steps, compare, Metric::R2, selected, size, inside);
        if !inside {
            side_legend_ui(ui, "steps-legend", &entries, h);
        }
        a.or(b)
    })
    .inner
}

/// The entries of the AUC plot's legend (the r² plot's are among them), for a legend beside
/// the two plots.
fn steps_legend(
    ui: &egui::Ui,
    steps: &[&StepResult],
    compare: Option<(&str, &[&StepResult])>,
) -> Vec<LegendEntry> {
    let color = ui.visuals().text_color();
    let mut out = Vec::new();
    if !step_series(steps, Metric::Auc).band.is_empty() {
        out.push(LegendEntry::new(
            "mean ± sd",
            color.gamma_multiply(0.3),
            Mark::Fill,
        ));
    }
    out.push(LegendEntry::new("mean (AUC, r²)", color, Mark::Line));
    if let Some((label, _)) = compare {
        out.push(LegendEntry::new(label, COMPARE_COLOR, Mark::Dashed));
    }
    for sensor in sensors_of(steps) {
        out.push(LegendEntry::new(
            sensor_name(sensor),
            marker_color(sensor),
            Mark::Dot,
        ));
    }
    for (label, _, c) in reference_lines(steps) {
        out.push(LegendEntry::new(label, c, Mark::Dashed));
    }
    out
}
