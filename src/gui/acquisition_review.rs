//! The editable review of a coherence folder's acquisitions (New event form and Add
//! acquisitions…): first the questions the scan cannot answer (event-day images, co-event
//! pairs that do not meet at the event, two files for one pair), each with its choices;
//! then one row per acquisition (use it or leave it out, sensor, track, pass, the pre-,
//! co- and post-event pair dates, sibling, number of files); then the files not used.
//! The widget edits the core's [`FolderScan`] in place: it is the single source of truth.

use crate::project::{AcquisitionConfig, FolderScan, RadarBand};
use std::path::Path;

/// Sensors offered in the sensor column ("other" keeps a typed name and asks for the band).
const SENSORS: [&str; 2] = ["Sentinel-1", "ALOS-2"];

/// Show the review of `scan`; `known[i]` marks acquisitions the project already has (shown,
/// not selectable). True when the user answered a question or edited a row.
pub fn acquisition_review_ui(
    ui: &mut egui::Ui,
    id_salt: &str,
    scan: &mut FolderScan,
    known: &[bool],
) -> bool {
    let mut changed = questions_ui(ui, scan);
    ui.strong("Acquisitions found in the folder (one per sensor, track and pass):");
    if scan.acquisitions.is_empty() {
        ui.label("None yet: answer the questions above.");
    } else {
        changed |= table_ui(ui, id_salt, scan, known);
    }
    if !scan.skipped.is_empty() {
        ui.collapsing(format!("{} file(s) not used", scan.skipped.len()), |ui| {
            for s in scan.skipped.iter().take(50) {
                ui.label(format!("{}: {}", s.path.display(), s.reason));
            }
        });
    }
    changed
}

/// The scan's questions with their choices (answered ones show the answer and can change).
fn questions_ui(ui: &mut egui::Ui, scan: &mut FolderScan) -> bool {
    let mut chosen = None;
    for q in &scan.questions {
        let colour = if q.answer.is_none() {
            ui.visuals().warn_fg_color
        } else {
            ui.visuals().text_color()
        };
        ui.colored_label(colour, &q.prompt);
        ui.horizontal_wrapped(|ui| {
            for (label, answer) in &q.options {
                let on = q.answer.as_ref() == Some(answer);
                if ui.radio(on, label).clicked() && !on {
                    chosen = Some((q.key.clone(), answer.clone()));
                }
            }
        });
    }
    match chosen {
        Some((key, answer)) => {
            scan.answer(&key, answer);
            true
        }
        None => false,
    }
}

/// One row per acquisition: use, sensor, track, pass, pairs, sibling, files.
fn table_ui(ui: &mut egui::Ui, id_salt: &str, scan: &mut FolderScan, known: &[bool]) -> bool {
    let mut changed = false;
    scan.left_out.resize(scan.acquisitions.len(), false);
    let dates: Vec<[String; 3]> = scan
        .acquisitions
        .iter()
        .map(|a| {
            [
                pair_dates(scan, Some(&a.pre_event.path)),
                pair_dates(scan, Some(&a.co_event.path)),
                pair_dates(scan, a.post_event.as_ref().map(|r| r.path.as_path())),
            ]
        })
        .collect();
    egui::Grid::new(("acquisitions-review", id_salt))
        .striped(true)
        .show(ui, |ui| {
            for h in [
                "use",
                "sensor",
                "track",
                "pass",
                "pre-event pair",
                "co-event pair",
                "post-event pair",
                "sibling",
                "files",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for (i, a) in scan.acquisitions.iter_mut().enumerate() {
                let already = known.get(i).copied().unwrap_or(false);
                let mut used = !scan.left_out[i] && !already;
                let r = ui
                    .add_enabled(!already, egui::Checkbox::new(&mut used, ""))
                    .on_hover_text(if already {
                        "the project already has this acquisition (same files)"
                    } else {
                        "untick to leave this acquisition out"
                    });
                if r.changed() {
                    scan.left_out[i] = !used;
                    changed = true;
                }
                changed |= sensor_ui(ui, i, id_salt, a);
                changed |= ui
                    .add(egui::TextEdit::singleline(&mut a.track).desired_width(150.0))
                    .changed();
                ui.label(a.pass.short());
                for d in &dates[i] {
                    ui.label(d);
                }
                ui.label(if a.sibling.is_some() { "yes" } else { "no" });
                let n = 2 + usize::from(a.post_event.is_some()) + usize::from(a.sibling.is_some());
                ui.label(if already {
                    format!("{n} (already in the project)")
                } else {
                    n.to_string()
                })
                .on_hover_text(a.co_event.path.display().to_string());
                ui.end_row();
            }
        });
    changed
}

/// The sensor of one row: Sentinel-1, ALOS-2 or another name with its band.
fn sensor_ui(ui: &mut egui::Ui, row: usize, id_salt: &str, a: &mut AcquisitionConfig) -> bool {
    let mut changed = false;
    let other = !SENSORS.contains(&a.sensor.as_str());
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt(("sensor", id_salt, row))
            .selected_text(if other { "other" } else { a.sensor.as_str() })
            .show_ui(ui, |ui| {
                for s in SENSORS {
                    if ui.selectable_label(a.sensor == s, s).clicked() && a.sensor != s {
                        a.sensor = s.to_string();
                        a.band = None;
                        changed = true;
                    }
                }
                if ui.selectable_label(other, "other").clicked() && !other {
                    a.band = a.radar_band();
                    a.sensor = "other".into();
                    changed = true;
                }
            });
        if other {
            changed |= ui
                .add(egui::TextEdit::singleline(&mut a.sensor).desired_width(80.0))
                .changed();
            egui::ComboBox::from_id_salt(("band", id_salt, row))
                .selected_text(match a.band {
                    Some(RadarBand::C) => "C band",
                    Some(RadarBand::L) => "L band",
                    Some(RadarBand::X) => "X band",
                    None => "band?",
                })
                .show_ui(ui, |ui| {
                    for (b, name) in [
                        (RadarBand::C, "C band"),
                        (RadarBand::L, "L band"),
                        (RadarBand::X, "X band"),
                    ] {
                        changed |= ui.selectable_value(&mut a.band, Some(b), name).changed();
                    }
                });
        }
    });
    changed
}

/// "2026-11-15 to 2026-11-21 (co-event)" for the pair of this file, "none" without one.
fn pair_dates(scan: &FolderScan, path: Option<&Path>) -> String {
    let Some(path) = path else {
        return "none".into();
    };
    scan.pairs
        .iter()
        .find(|p| p.path == path)
        .map(|p| format!("{} to {} ({})", p.first, p.second, p.timing.name()))
        .unwrap_or_else(|| path.display().to_string())
}
