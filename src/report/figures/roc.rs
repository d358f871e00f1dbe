//! ROC curves of every step of one series on a square plot (false-positive rate against
//! true-positive rate, both 0–1), the 1:1 diagonal of a random classifier as a dashed
//! reference, curves coloured along the timeline (viridis, early = purple) and a legend
//! giving each step's AUC.

use super::legend::{draw_legend, Swatch};
use super::palette::viridis;
use super::{bold, font, render_png};
use crate::experiment::StepResult;
use crate::report::{ReportError, Sink};
use plotters::prelude::*;

/// Side of the square plotting area, pixels.
const SIDE: u32 = 540;

/// Draw the figure; `Ok(false)` (nothing written) when no step has ROC points.
pub(crate) fn draw(
    steps: &[&StepResult],
    sink: &mut Sink<'_>,
    rel: &str,
    what: &str,
) -> Result<bool, ReportError> {
    let curves: Vec<&&StepResult> = steps
        .iter()
        .filter(|s| s.roc.iter().any(|p| p.0.is_finite() && p.1.is_finite()))
        .collect();
    if curves.is_empty() {
        return Ok(false);
    }
    let (label_x, label_y, margin, caption) = (50u32, 64u32, 16u32, 0u32);
    let chart_w = SIDE + label_y + 2 * margin;
    let chart_h = SIDE + label_x + 2 * margin + caption;
    let legend_w = 400;
    let title_h = 44;
    let n = curves.len();
    let title = format!("{what}: ROC curves");
    render_png(sink, rel, (chart_w + legend_w, chart_h + title_h), |root| {
        let body = root.titled(&title, bold(20.0))?;
        let (plot, side) = body.split_horizontally(chart_w);
        let mut chart = ChartBuilder::on(&plot)
            .margin(margin)
            .x_label_area_size(label_x)
            .y_label_area_size(label_y)
            .build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
        chart
            .configure_mesh()
            .x_desc("False-positive rate (fraction)")
            .y_desc("True-positive rate (fraction)")
            .axis_desc_style(font(15.0))
            .label_style(font(13.0))
            .x_label_formatter(&|v| format!("{v:.1}"))
            .y_label_formatter(&|v| format!("{v:.1}"))
            .light_line_style(RGBColor(0xee, 0xee, 0xee))
            .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
            .draw()?;
        let grey = RGBColor(0x80, 0x80, 0x80);
        chart.draw_series(DashedLineSeries::new(
            [(0.0, 0.0), (1.0, 1.0)],
            8,
            5,
            grey.stroke_width(1),
        ))?;
        let mut entries = Vec::new();
        for (i, s) in curves.iter().enumerate() {
            let colour = viridis(if n > 1 {
                0.85 * i as f64 / (n - 1) as f64
            } else {
                0.0
            });
            let mut pts: Vec<(f64, f64)> = s
                .roc
                .iter()
                .copied()
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .collect();
            pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            chart.draw_series(LineSeries::new(pts, colour.stroke_width(2)))?;
            let auc = if s.auc.mean.is_finite() {
                format!("{:.3}", s.auc.mean)
            } else {
                "n/a".into()
            };
            entries.push((
                Swatch::Line(colour),
                format!(
                    "step {} (+{} d, {}): AUC {auc}",
                    s.step, s.days_after_event, s.sensor
                ),
            ));
        }
        entries.push((Swatch::Dashed(grey), "random classifier (AUC 0.5)".into()));
        draw_legend(&side, 40, Some("Step (days after event, sensor)"), &entries)?;
        Ok(())
    })?;
    Ok(true)
}
