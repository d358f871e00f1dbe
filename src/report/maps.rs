//! Maps on each event's coarse grid as Cloud Optimized GeoTIFFs, each with a `.qml` QGIS
//! style beside it and `SLIDEMAP_*` dataset tags (version, event, step, date, sensor,
//! validation, AUC) — Float32, nodata −9999 in the file, NaN in memory; CRS and geotransform
//! of the event grid:
//!
//! - `maps/<event>/observed_lad.tif` — LAD from the inventory (unmapped = nodata);
//!   `observed_lnd.tif` instead for a point inventory (landslide number density, landslides/km²);
//! - `maps/<event>/predicted_step<k>[_extent<e>].tif` — predicted LAD (or LND) at every step;
//! - ensembles (global / SAR-only, or whenever P5/P95 exist):
//!   `maps/<event>/ensemble_{median,p5,p95,variance}_step<k>[_extent<e>].tif`;
//! - otherwise, when a spread over repeats exists: `maps/<event>/variance_step<k>…tif`;
//! - when the step's uncertainty was calibrated ([`crate::experiment::Uncertainty`]):
//!   `maps/<event>/interval_lo_step<k>…tif` and `interval_hi_step<k>…tif`, the calibrated
//!   predictive interval at the run's level (fraction), and `p_landslide_step<k>…tif`, the
//!   calibrated probability that LAD exceeds 0.1 (0–1);
//! - when a step was scored: `maps/<event>/landslides_likely_step<k>…tif`, a Byte mask (1 =
//!   predicted LAD at or above the threshold that keeps the options' true-positive rate on
//!   the validation cells, 0 below, 255 no value).
//!
//! The ensemble P5/P95/variance are the *model spread* of the members, not an interval; their
//! band descriptions and legends say so. An event without an inventory gets no
//! `observed_lad.tif` (a note says why).
//!
//! LAD is a fraction (0–1); variance is in fraction². LND is in landslides/km², its
//! variance in (landslides/km²)²; descriptions and units follow the event's target. The `_extent<e>` tag appears for the
//! hold-out experiment only (`e` = training extent with `.` → `p`).

use super::layout::{events, extent_suffix, extents, file_safe, series, tag_extents};
use super::responder::{
    likely_mask, write_cog, write_cog_mask, write_qml_sidecar, CogOptions, LayerStyle, QmlRamp,
};
use super::{ReportError, Sink};
use crate::experiment::{ExperimentKind, ExperimentResult, StepResult};
use crate::grid::{Grid, GridSpec};

/// The coarse grid of `event`, if the result carries one.
pub(crate) fn grid_of<'a>(result: &'a ExperimentResult, event: &str) -> Option<&'a GridSpec> {
    result
        .grids
        .iter()
        .find(|(e, _)| e == event)
        .map(|(_, g)| g)
}

/// Observed LAD of `event`, if the result carries it.
pub(crate) fn observed_of<'a>(result: &'a ExperimentResult, event: &str) -> Option<&'a [f32]> {
    result
        .observed
        .iter()
        .find(|(e, _)| e == event)
        .map(|(_, v)| v.as_slice())
}

/// Write every GeoTIFF of the result.
pub(crate) fn write_maps(
    result: &ExperimentResult,
    sink: &mut Sink<'_>,
) -> Result<(), ReportError> {
    let names = map_events(result);
    let n = names.len().max(1);
    for (i, event) in names.iter().enumerate() {
        write_event_maps(result, sink, event)?;
        sink.progress("maps", (i + 1) as f64 / n as f64);
    }
    Ok(())
}

/// The events that get maps: those with steps, then those with only an observed map.
fn map_events(result: &ExperimentResult) -> Vec<String> {
    let mut names = events(result);
    for (e, _) in &result.observed {
        if !names.contains(e) {
            names.push(e.clone());
        }
    }
    names
}

/// What every map of one event shares: its folder, target name, units and kind of spread.
struct EventMaps<'a> {
    /// `maps/<event>`.
    dir: String,
    /// The target's name (LAD or LND).
    t: &'a str,
    /// The target's unit.
    unit: &'a str,
    /// The unit of the target's variance.
    unit_sq: String,
    /// Whether the experiment is an ensemble (global / SAR-only).
    ensemble: bool,
}

/// Every GeoTIFF of one event (a note instead when the result has no grid for it).
fn write_event_maps(
    result: &ExperimentResult,
    sink: &mut Sink<'_>,
    event: &str,
) -> Result<(), ReportError> {
    let has_maps = result
        .steps
        .iter()
        .any(|s| s.event == event && s.maps.is_some());
    let Some(spec) = grid_of(result, event) else {
        if has_maps || observed_of(result, event).is_some() {
            sink.note(format!(
                "event '{event}': no grid in the result, so no GeoTIFF was written for it"
            ));
        }
        return Ok(());
    };
    let target = result.target_of(event);
    let (t, unit) = (target.name, target.unit);
    let unit_sq = if target.name == "LAD" {
        format!("{unit}^2")
    } else {
        format!("({unit})^2")
    };
    let ctx = EventMaps {
        dir: format!("maps/{}", file_safe(event)),
        t,
        unit,
        unit_sq,
        ensemble: matches!(
            result.kind,
            ExperimentKind::Global | ExperimentKind::SarOnly
        ),
    };
    let mut writer = MapWriter {
        sink: &mut *sink,
        spec,
        event,
    };
    write_observed_map(&mut writer, result, event, &ctx, target.tag)?;
    let tagged = tag_extents(result, event);
    for extent in extents(result, event) {
        let sfx = extent_suffix(tagged, extent);
        for s in series(result, event, extent) {
            let Some(m) = &s.maps else { continue };
            write_step_maps(&mut writer, &ctx, &sfx, s, m)?;
        }
    }
    Ok(())
}

/// The observed map of one event, or a note saying why there is none.
fn write_observed_map(
    writer: &mut MapWriter<'_, '_>,
    result: &ExperimentResult,
    event: &str,
    ctx: &EventMaps<'_>,
    tag: &str,
) -> Result<(), ReportError> {
    let (dir, t, unit) = (&ctx.dir, ctx.t, ctx.unit);
    if observed_of(result, event).is_some_and(|o| !o.iter().any(|v| v.is_finite())) {
        writer.sink.note(format!(
            "event '{event}': no inventory (nothing mapped): no observed {t} map, and its maps are not scored"
        ));
    } else if let Some(obs) = observed_of(result, event) {
        writer.write(
            &format!("{dir}/observed_{tag}.tif"),
            obs,
            &format!("observed {t}"),
            unit,
            QmlRamp::Viridis,
            None,
        )?;
    } else {
        writer
            .sink
            .note(format!("event '{event}': no observed {t} in the result"));
    }
    Ok(())
}

/// The maps of one step: prediction, uncertainty, likely mask and spread.
fn write_step_maps(
    writer: &mut MapWriter<'_, '_>,
    ctx: &EventMaps<'_>,
    sfx: &str,
    s: &StepResult,
    m: &crate::experiment::StepMaps,
) -> Result<(), ReportError> {
    let (dir, t, unit) = (&ctx.dir, ctx.t, ctx.unit);
    let k = s.step;
    writer.write(
        &format!("{dir}/predicted_step{k}{sfx}.tif"),
        &m.predicted,
        &format!("predicted {t} at step {k}{sfx}"),
        unit,
        QmlRamp::Viridis,
        Some(s),
    )?;
    write_uncertainty_maps(writer, dir, sfx, t, unit, s, m)?;
    if let Some(th) = s.likely_threshold {
        writer.write_mask(
            &format!("{dir}/landslides_likely_step{k}{sfx}.tif"),
            &m.predicted,
            th,
            s,
        )?;
    }
    write_spread_maps(writer, ctx, sfx, s, m)
}

/// The ensemble median/P5/P95/variance maps of one step, or its variance over repeats.
fn write_spread_maps(
    writer: &mut MapWriter<'_, '_>,
    ctx: &EventMaps<'_>,
    sfx: &str,
    s: &StepResult,
    m: &crate::experiment::StepMaps,
) -> Result<(), ReportError> {
    let (dir, t, unit, unit_sq) = (&ctx.dir, ctx.t, ctx.unit, &ctx.unit_sq);
    let k = s.step;
    if ctx.ensemble || m.p5.is_some() || m.p95.is_some() {
        let parts: [(&str, Option<&Vec<f32>>, String, &str); 4] = [
            (
                "median",
                Some(&m.predicted),
                format!("ensemble median {t}"),
                unit,
            ),
            (
                "p5",
                m.p5.as_ref(),
                format!("model spread P5 of {t} (5th percentile of the members, not an interval)"),
                unit,
            ),
            (
                "p95",
                m.p95.as_ref(),
                format!(
                    "model spread P95 of {t} (95th percentile of the members, not an interval)"
                ),
                unit,
            ),
            (
                "variance",
                m.variance.as_ref(),
                format!("model spread: variance of the members' {t}"),
                unit_sq,
            ),
        ];
        for (name, data, what, unit) in parts {
            if let Some(d) = data {
                let ramp = if name == "variance" || name.starts_with('p') {
                    QmlRamp::Magma
                } else {
                    QmlRamp::Viridis
                };
                writer.write(
                    &format!("{dir}/ensemble_{name}_step{k}{sfx}.tif"),
                    d,
                    &format!("{what} at step {k}{sfx}"),
                    unit,
                    ramp,
                    Some(s),
                )?;
            }
        }
    } else if let Some(v) = &m.variance {
        writer.write(
            &format!("{dir}/variance_step{k}{sfx}.tif"),
            v,
            &format!("{t} variance over repeats at step {k}{sfx}"),
            unit_sq,
            QmlRamp::Magma,
            Some(s),
        )?;
    }
    Ok(())
}

/// The calibrated interval bounds and P(LAD > 0.1) of one step, when calibrated.
#[allow(clippy::too_many_arguments)]
fn write_uncertainty_maps(
    writer: &mut MapWriter<'_, '_>,
    dir: &str,
    sfx: &str,
    t: &str,
    unit: &str,
    s: &StepResult,
    m: &crate::experiment::StepMaps,
) -> Result<(), ReportError> {
    let k = s.step;
    let pct = s
        .uncertainty
        .as_ref()
        .map_or(String::new(), |u| format!("{:.0} % ", 100.0 * u.level));
    let parts = [
        (
            "interval_lo",
            m.interval_lo.as_ref(),
            format!("lower bound of the calibrated {pct}predictive interval of {t}"),
            unit,
            QmlRamp::Viridis,
        ),
        (
            "interval_hi",
            m.interval_hi.as_ref(),
            format!("upper bound of the calibrated {pct}predictive interval of {t}"),
            unit,
            QmlRamp::Viridis,
        ),
        (
            "p_landslide",
            m.p_landslide.as_ref(),
            format!("calibrated probability that {t} exceeds 0.1"),
            "probability",
            QmlRamp::Inferno,
        ),
    ];
    for (name, data, what, unit, ramp) in parts {
        if let Some(d) = data {
            writer.write(
                &format!("{dir}/{name}_step{k}{sfx}.tif"),
                d,
                &format!("{what} at step {k}{sfx}"),
                unit,
                ramp,
                Some(s),
            )?;
        }
    }
    Ok(())
}

/// Writes the maps of one event.
struct MapWriter<'s, 'c> {
    sink: &'s mut Sink<'c>,
    spec: &'s GridSpec,
    event: &'s str,
}

/// Dataset tags of a map: what made it and how its step was scored.
fn tags(event: &str, step: Option<&StepResult>) -> Vec<(String, String)> {
    let mut t = vec![
        (
            "SLIDEMAP_VERSION".to_string(),
            env!("CARGO_PKG_VERSION").to_string(),
        ),
        ("SLIDEMAP_EVENT".to_string(), event.to_string()),
    ];
    if let Some(s) = step {
        t.push(("SLIDEMAP_STEP".into(), s.step.to_string()));
        t.push(("SLIDEMAP_DATE".into(), s.date.to_string()));
        t.push(("SLIDEMAP_SENSOR".into(), s.sensor.clone()));
        t.push(("SLIDEMAP_VALIDATION".into(), s.validation.summary()));
        if s.auc.mean.is_finite() {
            t.push(("SLIDEMAP_AUC".into(), format!("{:.4}", s.auc.mean)));
        }
        if let Some(u) = &s.uncertainty {
            t.push(("SLIDEMAP_INTERVAL_LEVEL".into(), format!("{}", u.level)));
            if u.coverage.is_finite() {
                t.push((
                    "SLIDEMAP_INTERVAL_COVERAGE".into(),
                    format!("{:.4}", u.coverage),
                ));
            }
            if !u.note.is_empty() {
                t.push(("SLIDEMAP_UNCERTAINTY_NOTE".into(), u.note.clone()));
            }
        }
    }
    t
}

impl MapWriter<'_, '_> {
    /// Check the size and the cancel flag; the grid of `data`.
    fn grid(&mut self, rel: &str, data: &[f32], what: &str) -> Result<Grid<f32>, ReportError> {
        self.sink.check_cancel()?;
        if data.len() != self.spec.len() {
            return Err(ReportError::MapSize {
                event: self.event.to_string(),
                what: what.to_string(),
                expected: self.spec.len(),
                got: data.len(),
            });
        }
        if !data.iter().any(|v| v.is_finite()) {
            self.sink.note(format!(
                "event '{}': {what} has no valid cell ({rel} is all nodata)",
                self.event
            ));
        }
        Grid::from_vec(self.spec.clone(), data.to_vec()).map_err(|e| ReportError::MapSize {
            event: self.event.to_string(),
            what: format!("{what} ({e})"),
            expected: self.spec.len(),
            got: data.len(),
        })
    }

    /// Write one map as a COG with its `.qml` style (after checking its size and the cancel
    /// flag).
    #[allow(clippy::too_many_arguments)]
    fn write(
        &mut self,
        rel: &str,
        data: &[f32],
        what: &str,
        unit: &str,
        ramp: QmlRamp,
        step: Option<&StepResult>,
    ) -> Result<(), ReportError> {
        let grid = self.grid(rel, data, what)?;
        let path = self.sink.target(rel)?;
        let title = format!("{} — {what}", self.event);
        let opts = CogOptions::new(title.clone(), unit).with_tags(tags(self.event, step));
        write_cog(&path, &grid, &opts)?;
        let max = data
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0f32, f32::max);
        let style = LayerStyle::gradient(title, unit, ramp, 0.0, max.max(1e-6));
        let qml = write_qml_sidecar(&path, &style)?;
        self.sink.done(path);
        self.sink.done(qml);
        Ok(())
    }

    /// The "landslides likely" mask of `predicted` at `threshold`, with its style.
    fn write_mask(
        &mut self,
        rel: &str,
        predicted: &[f32],
        threshold: f64,
        step: &StepResult,
    ) -> Result<(), ReportError> {
        let what = format!(
            "landslides likely at step {} (predicted LAD >= {threshold:.4}: the threshold that keeps the stated true-positive rate on the validation cells)",
            step.step
        );
        let grid = self.grid(rel, predicted, &what)?;
        let path = self.sink.target(rel)?;
        let title = format!("{} — {what}", self.event);
        let mut tags = tags(self.event, Some(step));
        tags.push(("SLIDEMAP_LIKELY_THRESHOLD".into(), format!("{threshold}")));
        let opts = CogOptions::new(title.clone(), "class").with_tags(tags);
        write_cog_mask(&path, &likely_mask(&grid, threshold as f32), &opts)?;
        let qml = write_qml_sidecar(&path, &LayerStyle::mask(title))?;
        self.sink.done(path);
        self.sink.done(qml);
        Ok(())
    }
}
