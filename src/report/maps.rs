//! GeoTIFF maps on each event's coarse grid (Float32, nodata −9999 in the file, NaN in
//! memory; CRS and geotransform of the event grid):
//!
//! - `maps/<event>/observed_lad.tif` — LAD from the inventory (unmapped = nodata);
//!   `observed_lnd.tif` instead for a point inventory (landslide number density, landslides/km²);
//! - `maps/<event>/predicted_step<k>[_extent<e>].tif` — predicted LAD (or LND) at every step;
//! - ensembles (global / SAR-only, or whenever P5/P95 exist):
//!   `maps/<event>/ensemble_{median,p5,p95,variance}_step<k>[_extent<e>].tif`;
//! - otherwise, when a spread over repeats exists: `maps/<event>/variance_step<k>…tif`.
//!
//! LAD is a fraction (0–1); variance is in fraction². LND is in landslides/km², its
//! variance in (landslides/km²)²; descriptions and units follow the event's target. The `_extent<e>` tag appears for the
//! hold-out experiment only (`e` = training extent with `.` → `p`).

use super::layout::{events, extent_suffix, extents, file_safe, series, tag_extents};
use super::{ReportError, Sink};
use crate::experiment::{ExperimentKind, ExperimentResult};
use crate::grid::{Grid, GridSpec};
use crate::io::{write_geotiff, GeoTiffOptions};

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
    overviews: bool,
) -> Result<(), ReportError> {
    let mut names = events(result);
    for (e, _) in &result.observed {
        if !names.contains(e) {
            names.push(e.clone());
        }
    }
    let n = names.len().max(1);
    for (i, event) in names.iter().enumerate() {
        let has_maps = result
            .steps
            .iter()
            .any(|s| &s.event == event && s.maps.is_some());
        let Some(spec) = grid_of(result, event) else {
            if has_maps || observed_of(result, event).is_some() {
                sink.note(format!(
                    "event '{event}': no grid in the result, so no GeoTIFF was written for it"
                ));
            }
            continue;
        };
        let dir = format!("maps/{}", file_safe(event));
        let target = result.target_of(event);
        let (t, unit) = (target.name, target.unit);
        let unit_sq = if target.name == "LAD" {
            format!("{unit}^2")
        } else {
            format!("({unit})^2")
        };
        let mut writer = MapWriter {
            sink: &mut *sink,
            spec,
            event,
            overviews,
        };
        if let Some(obs) = observed_of(result, event) {
            writer.write(
                &format!("{dir}/observed_{}.tif", target.tag),
                obs,
                &format!("observed {t}"),
                unit,
            )?;
        } else {
            writer
                .sink
                .note(format!("event '{event}': no observed {t} in the result"));
        }
        let tagged = tag_extents(result, event);
        let ensemble = matches!(
            result.kind,
            ExperimentKind::Global | ExperimentKind::SarOnly
        );
        for extent in extents(result, event) {
            let sfx = extent_suffix(tagged, extent);
            for s in series(result, event, extent) {
                let Some(m) = &s.maps else { continue };
                let k = s.step;
                writer.write(
                    &format!("{dir}/predicted_step{k}{sfx}.tif"),
                    &m.predicted,
                    &format!("predicted {t} at step {k}{sfx}"),
                    unit,
                )?;
                if ensemble || m.p5.is_some() || m.p95.is_some() {
                    let parts: [(&str, Option<&Vec<f32>>, &str); 4] = [
                        ("median", Some(&m.predicted), unit),
                        ("p5", m.p5.as_ref(), unit),
                        ("p95", m.p95.as_ref(), unit),
                        ("variance", m.variance.as_ref(), &unit_sq),
                    ];
                    for (name, data, unit) in parts {
                        if let Some(d) = data {
                            let what = format!("ensemble {name} {t} at step {k}{sfx}");
                            writer.write(
                                &format!("{dir}/ensemble_{name}_step{k}{sfx}.tif"),
                                d,
                                &what,
                                unit,
                            )?;
                        }
                    }
                } else if let Some(v) = &m.variance {
                    writer.write(
                        &format!("{dir}/variance_step{k}{sfx}.tif"),
                        v,
                        &format!("{t} variance at step {k}{sfx}"),
                        &unit_sq,
                    )?;
                }
            }
        }
        sink.progress("maps", (i + 1) as f64 / n as f64);
    }
    Ok(())
}

/// Writes the maps of one event.
struct MapWriter<'s, 'c> {
    sink: &'s mut Sink<'c>,
    spec: &'s GridSpec,
    event: &'s str,
    overviews: bool,
}

impl MapWriter<'_, '_> {
    /// Write one map (after checking its size and the cancel flag).
    fn write(
        &mut self,
        rel: &str,
        data: &[f32],
        what: &str,
        unit: &str,
    ) -> Result<(), ReportError> {
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
        let path = self.sink.target(rel)?;
        let grid =
            Grid::from_vec(self.spec.clone(), data.to_vec()).map_err(|e| ReportError::MapSize {
                event: self.event.to_string(),
                what: format!("{what} ({e})"),
                expected: self.spec.len(),
                got: data.len(),
            })?;
        let opts = GeoTiffOptions {
            overviews: self.overviews,
            description: Some(format!("{} — {what}", self.event)),
            unit: Some(unit.to_string()),
        };
        write_geotiff(&path, &grid, &opts).map_err(|e| ReportError::gis(&path, e))?;
        self.sink.done(path);
        Ok(())
    }
}
