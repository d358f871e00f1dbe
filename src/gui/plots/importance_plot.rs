//! Feature importances grouped by data source and stacked per step (the paper's Figure 7):
//! one bar per timeline step, one segment per group, hover shows the values.

use super::group_color;
use super::side_legend::{legend_fits, side_legend_ui, LegendEntry, Mark, SIDE_LEGEND_WIDTH};
use crate::experiment::StepResult;
use crate::features::FeatureGroup;
use egui_plot::{Bar, BarChart, Legend, Plot, VLine};

/// Per group, the importance at each step (0 when the group is absent): rows = groups in
/// `FeatureGroup::ALL` order that appear at least once.
pub fn importance_table(steps: &[&StepResult]) -> Vec<(FeatureGroup, Vec<f64>)> {
    FeatureGroup::ALL
        .iter()
        .filter(|g| {
            steps
                .iter()
                .any(|s| s.importances.iter().any(|i| i.group == **g))
        })
        .map(|g| {
            (
                *g,
                steps
                    .iter()
                    .map(|s| {
                        s.importances
                            .iter()
                            .filter(|i| i.group == *g)
                            .map(|i| i.importance)
                            .sum()
                    })
                    .collect(),
            )
        })
        .collect()
}

/// The stacked bars; returns the step clicked.
pub fn importance_plot_ui(
    ui: &mut egui::Ui,
    steps: &[&StepResult],
    selected: Option<usize>,
    size: egui::Vec2,
) -> Option<usize> {
    let table = importance_table(steps);
    let labels: Vec<(f64, String)> = steps
        .iter()
        .map(|s| {
            (
                s.step as f64,
                format!("{} (+{} d)", s.step, s.days_after_event),
            )
        })
        .collect();
    let mut charts: Vec<BarChart> = Vec::new();
    for (g, values) in &table {
        let bars: Vec<Bar> = steps
            .iter()
            .zip(values)
            .map(|(s, v)| {
                Bar::new(s.step as f64, *v)
                    .width(0.6)
                    .name(format!("step {} (+{} d)", s.step, s.days_after_event))
            })
            .collect();
        let group = g.label();
        let mut chart = BarChart::new(group, bars)
            .color(group_color(*g))
            .element_formatter(Box::new(move |b, _| {
                format!("{group}\n{}\nimportance {:.3}", b.name, b.value)
            }));
        let below: Vec<&BarChart> = charts.iter().collect();
        if !below.is_empty() {
            chart = chart.stack_on(&below);
        }
        charts.push(chart);
    }
    let h = (size.y - 8.0).clamp(140.0, 600.0);
    let inside = legend_fits(table.len(), h);
    let w = if inside {
        size.x.max(200.0)
    } else {
        (size.x - 8.0 - SIDE_LEGEND_WIDTH).max(200.0)
    };
    let plot = Plot::new("importance-plot").width(w).height(h);
    let plot = if inside {
        plot.legend(
            Legend::default()
                .text_style(egui::TextStyle::Small)
                .background_alpha(0.6),
        )
    } else {
        plot
    };
    let entries: Vec<LegendEntry> = table
        .iter()
        .rev() // top of the stack first, as the bars read
        .map(|(g, _)| LegendEntry::new(g.label(), group_color(*g), Mark::Fill))
        .collect();
    let clicked = ui
        .horizontal(|ui| {
            let c = stacked_bars(ui, plot, charts, labels, selected);
            if !inside {
                side_legend_ui(ui, "importance-legend", &entries, h);
            }
            c
        })
        .inner?;
    steps
        .iter()
        .find(|s| s.step as f64 == clicked)
        .map(|s| s.step)
}

/// The stacked bars on `plot`, the selected step marked; the x of a click, rounded.
fn stacked_bars(
    ui: &mut egui::Ui,
    plot: Plot<'_>,
    charts: Vec<BarChart>,
    labels: Vec<(f64, String)>,
    selected: Option<usize>,
) -> Option<f64> {
    let sel_color = ui.visuals().selection.bg_fill;
    let resp = plot
        .x_axis_label("timeline step (days after event)")
        .y_axis_label("importance (sums to 1)")
        .x_axis_formatter(move |m, _| {
            labels
                .iter()
                .find(|(x, _)| (x - m.value).abs() < 1e-6)
                .map(|(_, l)| l.clone())
                .unwrap_or_default()
        })
        .include_y(0.0)
        .include_y(1.05)
        .allow_scroll(false)
        .show(ui, |p| {
            for c in charts {
                p.bar_chart(c);
            }
            if let Some(k) = selected {
                p.vline(VLine::new("", k as f64 + 0.4).color(sel_color).width(2.0));
            }
            p.response()
                .clicked()
                .then(|| p.pointer_coordinate())
                .flatten()
        });
    Some(resp.inner?.x.round())
}
