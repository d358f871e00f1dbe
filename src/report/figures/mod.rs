//! PNG figures drawn with plotters (bitmap backend, bundled DejaVu Sans):
//!
//! - `figures/steps_<event>.png` — AUC and r² against days after the event as true step
//!   lines (paper Figure 3; hold-out: one line per training extent, Figure 8);
//! - `figures/importances_<event>[_extent<e>].png` — stacked grouped importances per step
//!   (Figure 7);
//! - `figures/roc_<event>[_extent<e>].png` — ROC curves, one per step;
//! - `figures/lad_<event>_step<k>[_extent<e>].png` — observed vs predicted LAD (Figure 4)
//!   for the steps chosen by [`MapSteps`].
//!
//! Each PNG is rendered into a temporary sibling and renamed when complete.

pub(crate) mod fonts;
mod importances;
mod lad_map;
mod legend;
pub(crate) mod palette;
mod roc;
mod step_line;
mod steps;

pub use step_line::step_line;

use super::layout::{events, extent_suffix, extents, file_safe, series, tag_extents};
use super::{MapSteps, ReportError, Sink};
use crate::experiment::{ExperimentResult, StepResult};
use crate::io::{finish_atomic, temp_sibling};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::PathBuf;

/// The drawing area of a figure.
pub(crate) type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// A drawing failure (message only: plotters' error types are generic).
#[derive(Debug)]
pub(crate) struct DrawError(pub(crate) String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        DrawError(e.to_string())
    }
}

/// Kind of a figure (for grouping in the report).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FigureKind {
    /// AUC and r² step plots.
    Steps,
    /// Grouped importance bars.
    Importances,
    /// ROC curves.
    Roc,
    /// Observed vs predicted LAD maps.
    Map,
}

/// A figure written, as the report shows it.
#[derive(Debug, Clone)]
pub(crate) struct FigureRef {
    /// Event name.
    pub(crate) event: String,
    /// Kind of figure.
    pub(crate) kind: FigureKind,
    /// Path relative to the output directory (`/`-separated).
    pub(crate) rel: String,
    /// Caption.
    pub(crate) caption: String,
}

/// A text style of the bundled font.
pub(crate) fn font(size: f64) -> TextStyle<'static> {
    TextStyle::from((fonts::FAMILY, size).into_font())
}

/// A bold text style of the bundled font.
pub(crate) fn bold(size: f64) -> TextStyle<'static> {
    TextStyle::from((fonts::FAMILY, size, FontStyle::Bold).into_font())
}

/// Render a PNG of `size` (w, h) pixels at `rel` atomically; returns its path.
pub(crate) fn render_png<F>(
    sink: &mut Sink<'_>,
    rel: &str,
    size: (u32, u32),
    draw: F,
) -> Result<PathBuf, ReportError>
where
    F: FnOnce(&Area<'_>) -> Result<(), DrawError>,
{
    sink.check_cancel()?;
    let path = sink.target(rel)?;
    let tmp = temp_sibling(&path);
    let outcome = {
        let root = BitMapBackend::new(&tmp, size).into_drawing_area();
        root.fill(&WHITE)
            .map_err(DrawError::from)
            .and_then(|_| draw(&root))
            .and_then(|_| root.present().map_err(DrawError::from))
    };
    if let Err(DrawError(message)) = outcome {
        let _ = std::fs::remove_file(&tmp);
        return Err(ReportError::Plot { path, message });
    }
    if let Err(e) = finish_atomic(&tmp, &path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(ReportError::gis(&path, e));
    }
    sink.done(path.clone());
    Ok(path)
}

/// Draw every figure of the result; returns them in the order written.
pub(crate) fn write_figures(
    result: &ExperimentResult,
    sink: &mut Sink<'_>,
    map_steps: &MapSteps,
) -> Result<Vec<FigureRef>, ReportError> {
    if !fonts::ensure_registered() {
        return Err(ReportError::Plot {
            path: PathBuf::from("assets/fonts/DejaVuSans.ttf"),
            message: "the bundled font could not be loaded".into(),
        });
    }
    let sensors = palette::SensorColours::new(result.steps.iter().map(|s| s.sensor.as_str()));
    let names = events(result);
    let mut figs = Vec::new();
    for (i, event) in names.iter().enumerate() {
        let ev = file_safe(event);
        let rel = format!("figures/steps_{ev}.png");
        steps::draw(result, event, &sensors, sink, &rel)?;
        figs.push(FigureRef {
            event: event.clone(),
            kind: FigureKind::Steps,
            rel,
            caption: format!("{event}: ROC AUC and r² against days after the event"),
        });
        let of_event = EventFigures {
            result,
            event,
            ev: &ev,
            sensors: &sensors,
            map_steps,
        };
        let tagged = tag_extents(result, event);
        for extent in extents(result, event) {
            of_event.write_extent(sink, extent, tagged, &mut figs)?;
        }
        sink.progress("figures", (i + 1) as f64 / names.len().max(1) as f64);
    }
    Ok(figs)
}

/// What the figures of one event share.
struct EventFigures<'a> {
    /// The whole result.
    result: &'a ExperimentResult,
    /// The event.
    event: &'a str,
    /// The event's name made safe for file names.
    ev: &'a str,
    /// Marker colours of the sensors.
    sensors: &'a palette::SensorColours,
    /// Which steps get a map figure.
    map_steps: &'a MapSteps,
}

impl EventFigures<'_> {
    /// The importance, ROC and map figures of one training extent.
    fn write_extent(
        &self,
        sink: &mut Sink<'_>,
        extent: f64,
        tagged: bool,
        figs: &mut Vec<FigureRef>,
    ) -> Result<(), ReportError> {
        let (event, ev) = (self.event, self.ev);
        let sfx = extent_suffix(tagged, extent);
        let steps = series(self.result, event, extent);
        let what = if tagged {
            format!(
                " (training extent {})",
                super::layout::format_number(extent)
            )
        } else {
            String::new()
        };
        let rel = format!("figures/importances_{ev}{sfx}.png");
        if importances::draw(&steps, self.sensors, sink, &rel, &format!("{event}{what}"))? {
            figs.push(FigureRef {
                event: event.to_string(),
                kind: FigureKind::Importances,
                rel,
                caption: format!("{event}{what}: grouped feature importance per step"),
            });
        } else {
            sink.note(format!("event '{event}'{what}: no feature importances in the result, importance figure skipped"));
        }
        let rel = format!("figures/roc_{ev}{sfx}.png");
        if roc::draw(&steps, sink, &rel, &format!("{event}{what}"))? {
            figs.push(FigureRef {
                event: event.to_string(),
                kind: FigureKind::Roc,
                rel,
                caption: format!("{event}{what}: ROC curves (truth LAD > 0.1)"),
            });
        } else {
            sink.note(format!(
                "event '{event}'{what}: no ROC points in the result, ROC figure skipped"
            ));
        }
        self.write_maps(sink, &steps, &sfx, &what, figs)
    }

    /// The map figures of the selected steps of one series.
    fn write_maps(
        &self,
        sink: &mut Sink<'_>,
        steps: &[&StepResult],
        sfx: &str,
        what: &str,
        figs: &mut Vec<FigureRef>,
    ) -> Result<(), ReportError> {
        let (event, ev) = (self.event, self.ev);
        let (first, last) = match (steps.first(), steps.last()) {
            (Some(f), Some(l)) => (f.step, l.step),
            _ => return Ok(()),
        };
        for s in steps
            .iter()
            .filter(|s| self.map_steps.selects(s.step, first, last))
        {
            let rel = format!("figures/lad_{ev}_step{}{sfx}.png", s.step);
            if lad_map::draw(self.result, s, sink, &rel, what)? {
                figs.push(FigureRef {
                    event: event.to_string(),
                    kind: FigureKind::Map,
                    rel,
                    caption: format!(
                        "{event}{what}: observed vs predicted {} at step {} (+{} d, {})",
                        self.result.target_of(event).name,
                        s.step,
                        s.days_after_event,
                        s.sensor
                    ),
                });
            }
        }
        Ok(())
    }
}
