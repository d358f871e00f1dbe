//! Stacked bars of grouped feature importance per timeline step (paper Figure 7): one bar per
//! step, one segment per data-source group in the fixed group colours, the sensor added
//! written above each bar, groups listed in the legend top-down as they are stacked.

use super::legend::{draw_legend, Swatch};
use super::palette::{group_colour, SensorColours};
use super::{bold, font, render_png, DrawError};
use crate::experiment::StepResult;
use crate::features::FeatureGroup;
use crate::report::{ReportError, Sink};
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Importance of `group` at `step` (summing duplicates; 0 when absent).
fn importance(step: &StepResult, group: FeatureGroup) -> f64 {
    step.importances
        .iter()
        .filter(|i| i.group == group && i.importance.is_finite())
        .map(|i| i.importance.max(0.0))
        .sum()
}

/// Draw the figure; `Ok(false)` (nothing written) when no step has importances.
pub(crate) fn draw(
    steps: &[&StepResult],
    sensors: &SensorColours,
    sink: &mut Sink<'_>,
    rel: &str,
    what: &str,
) -> Result<bool, ReportError> {
    if steps.iter().all(|s| s.importances.is_empty()) {
        return Ok(false);
    }
    let groups: Vec<FeatureGroup> = FeatureGroup::ALL
        .into_iter()
        .filter(|g| steps.iter().any(|s| importance(s, *g) > 0.0))
        .collect();
    let n = steps.len() as u32;
    let labels: Vec<String> = steps
        .iter()
        .map(|s| format!("+{} d", s.days_after_event))
        .collect();
    let width = (170 + 95 * n).max(760) + 240;
    let title = format!("{what}: relative importance of the input data at each step");
    render_png(sink, rel, (width, 640), |root| {
        let body = root.titled(&title, bold(20.0))?;
        let (plot, side) = body.split_horizontally(width - 240);
        let mut chart = ChartBuilder::on(&plot)
            .margin(14)
            .x_label_area_size(52)
            .y_label_area_size(72)
            .build_cartesian_2d((0..n.saturating_sub(1)).into_segmented(), 0.0..1.16)?;
        let fmt_x = |v: &SegmentValue<u32>| match v {
            SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc("Timeline step (days after event; sensor added above each bar)")
            .y_desc("Relative importance (fraction)")
            .axis_desc_style(font(15.0))
            .label_style(font(13.0))
            .x_labels(n as usize)
            .x_label_formatter(&fmt_x)
            .y_label_formatter(&|v| {
                if *v > 1.0001 {
                    String::new()
                } else {
                    format!("{v:.1}")
                }
            })
            .light_line_style(RGBColor(0xee, 0xee, 0xee))
            .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
            .draw()?;
        let bar_margin = ((plot.dim_in_pixel().0.saturating_sub(100)) / n.max(1) / 6).clamp(3, 30);
        for (i, s) in steps.iter().enumerate() {
            draw_step_bar(&mut chart, i as u32, s, &groups, bar_margin, sensors)?;
        }
        let entries: Vec<(Swatch, String)> = groups
            .iter()
            .rev()
            .map(|g| (Swatch::Box(group_colour(*g)), g.label().to_string()))
            .collect();
        draw_legend(&side, 40, Some("Input data"), &entries)?;
        Ok(())
    })?;
    Ok(true)
}

/// The bar chart: one segment per step, importance from 0 to above 1 (room for the labels).
type BarChart<'a, 'b> = ChartContext<
    'a,
    BitMapBackend<'b>,
    Cartesian2d<SegmentedCoord<types::RangedCoordu32>, types::RangedCoordf64>,
>;

/// The stacked bar of step `i`, one segment per group, and the sensor added above it.
fn draw_step_bar(
    chart: &mut BarChart<'_, '_>,
    i: u32,
    s: &StepResult,
    groups: &[FeatureGroup],
    bar_margin: u32,
    sensors: &SensorColours,
) -> Result<(), DrawError> {
    let mut base = 0.0;
    for g in groups {
        let v = importance(s, *g);
        if v <= 0.0 {
            continue;
        }
        let mut bar = Rectangle::new(
            [
                (SegmentValue::Exact(i), base),
                (SegmentValue::Exact(i + 1), base + v),
            ],
            group_colour(*g).filled(),
        );
        bar.set_margin(0, 0, bar_margin, bar_margin);
        chart.draw_series(std::iter::once(bar))?;
        base += v;
    }
    let y = if i.is_multiple_of(2) { 1.03 } else { 1.09 };
    let style = font(13.0)
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let text_colour = sensors.colour(&s.sensor);
    chart.draw_series(std::iter::once(Text::new(
        s.sensor.clone(),
        (SegmentValue::CenterOf(i), y),
        style.color(&text_colour),
    )))?;
    Ok(())
}
