//! Observed vs predicted LAD maps side by side for one step (paper Figure 4), on the event's
//! coarse grid, with a shared viridis colour scale from 0 to a rounded maximum, a colour bar
//! labelled "LAD (fraction)" (or "LND (landslides/km²)" for a point inventory), unmapped / no-data cells in light grey and the area outside the
//! grid white. Axes are the grid's CRS coordinates (km for projected CRSs); the aspect ratio
//! of the ground is kept.

use super::palette::{viridis, NODATA_GREY};
use super::{bold, font, render_png, Area, DrawError};
use crate::experiment::{ExperimentResult, StepResult};
use crate::grid::GridSpec;
use crate::report::maps::{grid_of, observed_of};
use crate::report::{ReportError, Sink};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Plotting-area size of one map panel, pixels (height adapts to the grid's aspect).
const PANEL_W: u32 = 430;

/// Upper end of the colour scale: the smallest "nice" value ≥ the largest finite LAD.
pub(crate) fn scale_max(values: impl Iterator<Item = f32>) -> f64 {
    let max = values.filter(|v| v.is_finite()).fold(0.0_f32, f32::max) as f64;
    [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1.0]
        .into_iter()
        .find(|n| *n >= max)
        .unwrap_or(max.max(1.0))
}

/// Draw the figure for step `s`; `Ok(false)` (with a warning) when it has no map or grid.
pub(crate) fn draw(
    result: &ExperimentResult,
    s: &StepResult,
    sink: &mut Sink<'_>,
    rel: &str,
    what: &str,
) -> Result<bool, ReportError> {
    let (Some(spec), Some(maps)) = (grid_of(result, &s.event), s.maps.as_ref()) else {
        sink.note(format!(
            "event '{}'{what}: step {} has no prediction map or grid, map figure skipped",
            s.event, s.step
        ));
        return Ok(false);
    };
    if maps.predicted.len() != spec.len() {
        return Err(ReportError::MapSize {
            event: s.event.clone(),
            what: format!("predicted LAD at step {}", s.step),
            expected: spec.len(),
            got: maps.predicted.len(),
        });
    }
    let observed = observed_of(result, &s.event).filter(|o| o.len() == spec.len());
    let vmax = scale_max(
        maps.predicted
            .iter()
            .chain(observed.unwrap_or(&[]).iter())
            .copied(),
    );
    let lay = Layout::of(spec);
    let target = result.target_of(&s.event);
    let title = format!(
        "{}{what}: {}, step {} (+{} d, {})",
        s.event, target.words, s.step, s.days_after_event, s.sensor
    );
    let bar_label = format!("{} ({})", target.name, target.unit);
    let pred_caption = format!("Predicted (step {})", s.step);
    let pair = MapPair {
        spec,
        observed,
        predicted: &maps.predicted,
        vmax,
    };
    render_png(sink, rel, (2 * lay.col_w + lay.bar_w, lay.height), |root| {
        let body = root.titled(&title, bold(19.0))?;
        pair.draw(root, &body, &lay, &pred_caption, &bar_label)
    })?;
    if observed.is_none() {
        sink.note(format!(
            "event '{}': no observed {} on its grid, the map figures show predictions only",
            s.event, target.name
        ));
    }
    Ok(true)
}

/// Pixel sizes of the figure, from the grid's aspect ratio.
struct Layout {
    /// Width of one column (panel, its y labels and margins).
    col_w: u32,
    /// Figure height.
    height: u32,
    /// Width of the colour bar column.
    bar_w: u32,
    /// Axis label sizes and margin: (x label area, y label area, margin).
    sizes: (u32, u32, u32),
    /// Axes in km (a projected CRS in metres).
    km: bool,
}

impl Layout {
    /// The layout for a map of `spec`.
    fn of(spec: &GridSpec) -> Self {
        let ground_w = spec.cols as f64 * spec.cell_width;
        let ground_h = spec.rows as f64 * spec.cell_height;
        let panel_h = ((PANEL_W as f64) * ground_h / ground_w)
            .round()
            .clamp(220.0, 640.0) as u32;
        let km = !crate::io::is_geographic(&spec.crs_wkt) && spec.cell_width > 1.0;
        let (label_x, label_y, margin, caption) = (48u32, 78u32, 12u32, 30u32);
        Layout {
            col_w: PANEL_W + label_y + 2 * margin,
            height: panel_h + label_x + 2 * margin + caption + 46,
            bar_w: 190,
            sizes: (label_x, label_y, margin),
            km,
        }
    }
}

/// The two maps of a figure on one grid and colour scale.
struct MapPair<'a> {
    /// Their grid.
    spec: &'a GridSpec,
    /// Observed values, when the event has them on this grid.
    observed: Option<&'a [f32]>,
    /// Predicted values.
    predicted: &'a [f32],
    /// Top of the colour scale.
    vmax: f64,
}

impl MapPair<'_> {
    /// Observed and predicted panels side by side in `body`, and the colour bar.
    fn draw(
        &self,
        root: &Area<'_>,
        body: &Area<'_>,
        lay: &Layout,
        pred_caption: &str,
        bar_label: &str,
    ) -> Result<(), DrawError> {
        let (left, rest) = body.split_horizontally(lay.col_w);
        let (right, bar) = rest.split_horizontally(lay.col_w);
        let obs_caption = if self.observed.is_some() {
            "Observed (inventory)"
        } else {
            "Observed: not available"
        };
        let (spec, vmax, km) = (self.spec, self.vmax, lay.km);
        panel(
            root,
            &left,
            spec,
            self.observed,
            vmax,
            km,
            obs_caption,
            lay.sizes,
        )?;
        let rows = panel(
            root,
            &right,
            spec,
            Some(self.predicted),
            vmax,
            km,
            pred_caption,
            lay.sizes,
        )?;
        let bar_top = bar.get_pixel_range().1.start;
        colour_bar(
            &bar,
            vmax,
            rows.start - bar_top,
            rows.end - rows.start,
            bar_label,
        )?;
        Ok(())
    }
}

/// One map panel: pixels coloured by the cell under their centre, then axes on top. The
/// axis ranges are widened around the grid so that one pixel covers the same ground
/// distance in x and y.
#[allow(clippy::too_many_arguments)]
fn panel(
    root: &Area<'_>,
    area: &Area<'_>,
    spec: &GridSpec,
    data: Option<&[f32]>,
    vmax: f64,
    km: bool,
    caption: &str,
    sizes: (u32, u32, u32),
) -> Result<std::ops::Range<i32>, DrawError> {
    let (aw, _) = area.dim_in_pixel();
    area.draw(&Text::new(
        caption.to_string(),
        (aw as i32 / 2, 16),
        font(16.0).pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    let plot_area = area.margin(30, 0, 0, 0);
    let build = |x: (f64, f64), y: (f64, f64)| {
        ChartBuilder::on(&plot_area)
            .margin(sizes.2)
            .x_label_area_size(sizes.0)
            .y_label_area_size(sizes.1)
            .build_cartesian_2d(x.0..x.1, y.0..y.1)
    };
    let unit = if km { 1000.0 } else { 1.0 };
    let probe = build((0.0, 1.0), (0.0, 1.0))?;
    let (xr, yr) = probe.plotting_area().get_pixel_range();
    let (pw, ph) = (
        (xr.end - xr.start).max(1) as f64,
        (yr.end - yr.start).max(1) as f64,
    );
    let (cx, cy) = (
        (spec.x_min + spec.x_max()) / 2.0,
        (spec.y_min() + spec.y_max) / 2.0,
    );
    let per_px = ((spec.x_max() - spec.x_min) / pw).max((spec.y_max - spec.y_min()) / ph);
    let (x0, x1) = (cx - per_px * pw / 2.0, cx + per_px * pw / 2.0);
    let (y0, y1) = (cy - per_px * ph / 2.0, cy + per_px * ph / 2.0);
    let mut chart = build((x0 / unit, x1 / unit), (y0 / unit, y1 / unit))?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    for py in yr.clone() {
        let wy = y1 - ((py - yr.start) as f64 + 0.5) * per_px;
        let row = ((spec.y_max - wy) / spec.cell_height).floor();
        for px in xr.clone() {
            let wx = x0 + ((px - xr.start) as f64 + 0.5) * per_px;
            let col = ((wx - spec.x_min) / spec.cell_width).floor();
            if row < 0.0 || col < 0.0 || row >= spec.rows as f64 || col >= spec.cols as f64 {
                continue;
            }
            let v = data
                .and_then(|d| d.get(row as usize * spec.cols + col as usize))
                .copied()
                .unwrap_or(f32::NAN);
            let c = if v.is_finite() {
                viridis(v as f64 / vmax)
            } else {
                NODATA_GREY
            };
            root.draw_pixel((px, py), &c)?;
        }
    }
    let (xd, yd) = if km {
        ("Easting (km)", "Northing (km)")
    } else {
        ("x (CRS units)", "y (CRS units)")
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(xd)
        .y_desc(yd)
        .axis_desc_style(font(14.0))
        .label_style(font(12.0))
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()?;
    Ok(yr)
}

/// The colour bar: a vertical viridis ramp with ticks, its unit, and the no-data swatch;
/// `top` and `h` (pixels, relative to `area`) match the map panels' plotting area.
fn colour_bar(
    area: &Area<'_>,
    vmax: f64,
    top: i32,
    h: i32,
    label_text: &str,
) -> Result<(), DrawError> {
    let (left, w) = (70i32, 24i32);
    let (top, h) = (top.max(0), (h - 50).max(60));
    let steps = 200;
    for k in 0..steps {
        let t0 = k as f64 / steps as f64;
        let ya = top + h - ((k + 1) * h / steps);
        let yb = top + h - (k * h / steps);
        area.draw(&Rectangle::new(
            [(left, ya), (left + w, yb)],
            viridis(t0 + 0.5 / steps as f64).filled(),
        ))?;
    }
    area.draw(&Rectangle::new(
        [(left, top), (left + w, top + h)],
        BLACK.stroke_width(1),
    ))?;
    let decimals = if vmax < 0.1 { 4 } else { 3 };
    for k in 0..=4 {
        let v = vmax * k as f64 / 4.0;
        let y = top + h - (k * h / 4);
        area.draw(&PathElement::new(
            vec![(left + w, y), (left + w + 5, y)],
            BLACK.stroke_width(1),
        ))?;
        area.draw(&Text::new(
            format!("{v:.decimals$}"),
            (left + w + 8, y),
            font(12.0).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    let label = font(14.0)
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw(&Text::new(label_text, (left - 20, top + h / 2), label))?;
    let ny = top + h + 30;
    area.draw(&Rectangle::new(
        [(left, ny - 8), (left + w, ny + 8)],
        NODATA_GREY.filled(),
    ))?;
    area.draw(&Rectangle::new(
        [(left, ny - 8), (left + w, ny + 8)],
        BLACK.stroke_width(1),
    ))?;
    area.draw(&Text::new(
        "no data /",
        (left + w + 8, ny - 7),
        font(12.0).pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    area.draw(&Text::new(
        "unmapped",
        (left + w + 8, ny + 8),
        font(12.0).pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    Ok(())
}
