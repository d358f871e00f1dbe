//! Step plots of ROC AUC and r² against days after the event (paper Figures 3 and 8).
//!
//! A metric holds from one acquisition until the next, so each series is a true step line:
//! horizontal to the next step's day, then vertical to its value, extended to the right edge.
//! Markers at each step are coloured by the sensor added; a translucent band shows mean ± sd
//! when there are several repeats; the AUC panel carries dashed references for the USGS
//! ground-failure product and the best single coherence surface available at each time.

use super::legend::{draw_legend, Swatch};
use super::palette::{group_colour, viridis, SensorColours};
use super::step_line::{step_band, step_line};
use super::{bold, font, render_png, Area, DrawError};
use crate::experiment::{ExperimentKind, ExperimentResult, StepResult};
use crate::features::FeatureGroup;
use crate::report::layout::{extents, format_number, series};
use crate::report::{ReportError, Sink};
use plotters::coord::types;
use plotters::prelude::*;

/// Line colour of the `i`-th of `n` training extents (largest first): viridis from dark
/// purple (full extent) towards green, distinct from the categorical sensor markers.
fn extent_colour(i: usize, n: usize) -> RGBColor {
    viridis(if n > 1 {
        0.8 * i as f64 / (n - 1) as f64
    } else {
        0.0
    })
}

/// Which metric a panel shows.
#[derive(Clone, Copy, PartialEq)]
enum Metric {
    Auc,
    R2,
}

impl Metric {
    fn of(self, s: &StepResult) -> (f64, f64, usize) {
        let m = if self == Metric::Auc { &s.auc } else { &s.r2 };
        (m.mean, m.sd, m.n)
    }
}

/// True for the USGS ground-failure baseline column.
fn is_ground_failure(name: &str) -> bool {
    name.contains("ground_failure")
}

/// Draw `figures/steps_<event>.png`.
pub(crate) fn draw(
    result: &ExperimentResult,
    event: &str,
    sensors: &SensorColours,
    sink: &mut Sink<'_>,
    rel: &str,
) -> Result<(), ReportError> {
    let exts = extents(result, event);
    let all: Vec<Vec<&StepResult>> = exts.iter().map(|e| series(result, event, *e)).collect();
    let holdout = result.kind == ExperimentKind::Holdout || exts.len() > 1;
    let x_range = day_range(&all);
    let title = format!(
        "{event} — {} experiment: accuracy along the timeline",
        result.kind.name()
    );
    render_png(sink, rel, (1150, 860), |root| {
        let body = root.titled(&title, bold(20.0))?;
        let (plots, side) = body.split_horizontally(1150 - 290);
        let panels = plots.split_evenly((2, 1));
        for (panel, metric) in panels.iter().zip([Metric::Auc, Metric::R2]) {
            panel_draw(panel, metric, &all, holdout, sensors, x_range)?;
        }
        let (entries, has_baselines) = legend_entries(&all, &exts, holdout, sensors);
        draw_legend(&side, 40, Some("Legend"), &entries)?;
        if has_baselines {
            side.draw(&Text::new(
                "dashed: AUC of a surface used alone",
                (8, 40 + 24 * (entries.len() as i32 + 1) + 8),
                font(12.0),
            ))?;
        }
        Ok(())
    })?;
    Ok(())
}

/// The x axis range: every step's day, from day 0 at the latest, with margins.
fn day_range(all: &[Vec<&StepResult>]) -> (f64, f64) {
    let days: Vec<f64> = all
        .iter()
        .flatten()
        .map(|s| s.days_after_event as f64)
        .collect();
    let d_min = days.iter().copied().fold(0.0_f64, f64::min);
    let d_max = days.iter().copied().fold(d_min, f64::max);
    let span = (d_max - d_min).max(1.0);
    (d_min - 0.03 * span, d_max + 0.12 * span)
}

/// The legend: series, spread band, sensors and references; and whether there are
/// references (dashed baselines) at all.
fn legend_entries(
    all: &[Vec<&StepResult>],
    exts: &[f64],
    holdout: bool,
    sensors: &SensorColours,
) -> (Vec<(Swatch, String)>, bool) {
    let mut entries: Vec<(Swatch, String)> = Vec::new();
    let repeats = all
        .iter()
        .flatten()
        .map(|s| s.auc.n.max(s.r2.n))
        .max()
        .unwrap_or(0);
    if holdout {
        for (i, e) in exts.iter().enumerate() {
            entries.push((
                Swatch::Line(extent_colour(i, exts.len())),
                format!("training extent {} %", format_number(100.0 * e)),
            ));
        }
    } else {
        let label = if repeats > 1 {
            format!("model, mean of {repeats} repeats")
        } else {
            "model".to_string()
        };
        entries.push((Swatch::Line(BLACK), label));
    }
    if repeats > 1 {
        entries.push((
            Swatch::Band(if holdout {
                extent_colour(0, exts.len())
            } else {
                BLACK
            }),
            "± 1 sd over repeats".into(),
        ));
    }
    for name in sensors.names() {
        if all.iter().flatten().any(|s| &s.sensor == name) {
            let label = if name == "none" {
                "no SAR (step 0)".to_string()
            } else {
                format!("{name} added")
            };
            entries.push((Swatch::Marker(sensors.colour(name)), label));
        }
    }
    let has_baselines = baseline_entries(all, &mut entries);
    (entries, has_baselines)
}

/// Legend entries of the dashed references; whether the first series has any baseline.
fn baseline_entries(all: &[Vec<&StepResult>], entries: &mut Vec<(Swatch, String)>) -> bool {
    let baselines = all
        .first()
        .map(|v| {
            v.iter()
                .flat_map(|s| s.baselines.iter())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    if baselines.iter().any(|b| is_ground_failure(&b.name)) {
        entries.push((
            Swatch::Dashed(group_colour(FeatureGroup::GroundFailure)),
            "USGS ground failure".into(),
        ));
    }
    if baselines.iter().any(|b| !is_ground_failure(&b.name)) {
        entries.push((
            Swatch::Dashed(group_colour(FeatureGroup::Sentinel1)),
            "best single coherence surface".into(),
        ));
    }
    !baselines.is_empty()
}

/// The plot area of one panel, in days and metric values.
type Chart<'a, 'b> =
    ChartContext<'a, BitMapBackend<'b>, Cartesian2d<types::RangedCoordf64, types::RangedCoordf64>>;

/// One point of a series: day, mean, sd, repeats and the sensor added.
type StepPoint<'a> = (f64, f64, f64, usize, &'a str);

/// One panel (AUC or r²).
fn panel_draw(
    panel: &Area<'_>,
    metric: Metric,
    all: &[Vec<&StepResult>],
    holdout: bool,
    sensors: &SensorColours,
    x_range: (f64, f64),
) -> Result<(), DrawError> {
    let x_end = x_range.1;
    let refs = reference_lines(all.first().map(|v| v.as_slice()).unwrap_or(&[]));
    let (y0, y1) = y_range(metric, all, &refs);
    let (ylabel, caption) = match metric {
        Metric::Auc => ("ROC AUC (–)", "ROC AUC (truth: LAD > 0.1)"),
        Metric::R2 => ("r² (–)", "r² of observed vs predicted LAD"),
    };
    let mut chart = ChartBuilder::on(panel)
        .caption(caption, font(16.0))
        .margin(12)
        .x_label_area_size(48)
        .y_label_area_size(70)
        .build_cartesian_2d(x_range.0..x_range.1, y0..y1)?;
    chart
        .configure_mesh()
        .x_desc("Days after event (days)")
        .y_desc(ylabel)
        .axis_desc_style(font(15.0))
        .label_style(font(13.0))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.2}"))
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
        .draw()?;
    if metric == Metric::Auc {
        for (colour, pts) in &refs {
            chart.draw_series(DashedLineSeries::new(
                step_line(pts, x_end),
                8,
                5,
                colour.stroke_width(2),
            ))?;
        }
    }
    for (i, steps) in all.iter().enumerate() {
        let colour = if holdout {
            extent_colour(i, all.len())
        } else {
            BLACK
        };
        let pts: Vec<StepPoint<'_>> = steps
            .iter()
            .map(|s| {
                let (m, sd, n) = metric.of(s);
                (s.days_after_event as f64, m, sd, n, s.sensor.as_str())
            })
            .filter(|p| p.1.is_finite())
            .collect();
        draw_step_series(&mut chart, &pts, colour, sensors, x_end)?;
    }
    Ok(())
}

/// The y axis range of a panel: AUC from 0.5 or below to 1, r² from 0 to above the data.
fn y_range(
    metric: Metric,
    all: &[Vec<&StepResult>],
    refs: &[(RGBColor, Vec<(f64, f64)>)],
) -> (f64, f64) {
    let vals: Vec<f64> = all
        .iter()
        .flatten()
        .flat_map(|s| {
            let (m, sd, _) = metric.of(s);
            let sd = if sd.is_finite() { sd } else { 0.0 };
            [m - sd, m + sd]
        })
        .filter(|v| v.is_finite())
        .collect();
    match metric {
        Metric::Auc => {
            let lo = vals
                .iter()
                .chain(refs.iter().flat_map(|(_, p)| p.iter().map(|q| &q.1)))
                .copied()
                .fold(0.5_f64, f64::min);
            (((lo - 0.02) * 20.0).floor() / 20.0, 1.0)
        }
        Metric::R2 => {
            let hi = vals.iter().copied().fold(0.1_f64, f64::max);
            (0.0, ((hi + 0.05) * 10.0).ceil().min(10.0) / 10.0)
        }
    }
}

/// One series: its ± sd band (with repeats), step line and sensor markers.
fn draw_step_series(
    chart: &mut Chart<'_, '_>,
    pts: &[StepPoint<'_>],
    colour: RGBColor,
    sensors: &SensorColours,
    x_end: f64,
) -> Result<(), DrawError> {
    if pts.iter().any(|p| p.3 > 1 && p.2.is_finite()) {
        let sd = |p: &StepPoint<'_>| if p.2.is_finite() { p.2 } else { 0.0 };
        let lower: Vec<(f64, f64)> = pts.iter().map(|p| (p.0, p.1 - sd(p))).collect();
        let upper: Vec<(f64, f64)> = pts.iter().map(|p| (p.0, p.1 + sd(p))).collect();
        chart.draw_series(std::iter::once(Polygon::new(
            step_band(&lower, &upper, x_end),
            colour.mix(0.18).filled(),
        )))?;
    }
    let mean: Vec<(f64, f64)> = pts.iter().map(|p| (p.0, p.1)).collect();
    chart.draw_series(LineSeries::new(
        step_line(&mean, x_end),
        colour.stroke_width(2),
    ))?;
    chart.draw_series(
        pts.iter()
            .map(|p| Circle::new((p.0, p.1), 6, sensors.colour(p.4).filled())),
    )?;
    chart.draw_series(
        pts.iter()
            .map(|p| Circle::new((p.0, p.1), 6, BLACK.stroke_width(1))),
    )?;
    Ok(())
}

/// Dashed references from one series: the ground-failure AUC and the best single coherence
/// surface at each step (points only where available).
fn reference_lines(steps: &[&StepResult]) -> Vec<(RGBColor, Vec<(f64, f64)>)> {
    let mut gf = Vec::new();
    let mut coh = Vec::new();
    for s in steps {
        let d = s.days_after_event as f64;
        if let Some(b) = s
            .baselines
            .iter()
            .find(|b| is_ground_failure(&b.name) && b.auc.is_finite())
        {
            gf.push((d, b.auc));
        }
        let best = s
            .baselines
            .iter()
            .filter(|b| !is_ground_failure(&b.name) && b.auc.is_finite())
            .map(|b| b.auc)
            .fold(f64::NAN, f64::max);
        if best.is_finite() {
            coh.push((d, best));
        }
    }
    let mut out = Vec::new();
    if !gf.is_empty() {
        out.push((group_colour(FeatureGroup::GroundFailure), gf));
    }
    if !coh.is_empty() {
        out.push((group_colour(FeatureGroup::Sentinel1), coh));
    }
    out
}
