//! The acquisition timeline: step 0 has no radar; each later step adds the ICFs that became
//! available on one date, in date order. Acquisitions whose features appear on the same day
//! share one step (listed in project order). Feature sets per model type follow Table 1.

use super::IcfKind;
use crate::features::{FeatureGroup, FeatureTable};
use crate::project::{Project, RadarBand};
use chrono::NaiveDate;

/// Which model a feature set is for (paper Table 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ModelKind {
    /// Trained on part of the event: every static feature and every ICF.
    SameEvent,
    /// Trained on other events: ground-failure product + ICFs, Bx-S from C-band
    /// (Sentinel-1) only, no L-band (ALOS-2) raw post-event coherence.
    Global,
    /// ICFs only (the paper's Figure 6 comparison), leave-one-event-out like the global
    /// model, so the same Table 1 restrictions apply.
    SarOnly,
}

/// One ICF added at a step.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StepFeature {
    /// Feature-table column name, e.g. `A2_desc_CECL`.
    pub name: String,
    /// Index of the acquisition in the project.
    pub acquisition: usize,
    /// Which ICF.
    pub kind: IcfKind,
    /// Sensor tag ("S1", "A2", …) and pass, e.g. "S1_asc".
    pub sensor: String,
    /// Radar band.
    pub band: RadarBand,
    /// Data-source group.
    pub group: FeatureGroup,
}

/// One step of the timeline.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Step {
    /// 0 = no radar.
    pub index: usize,
    /// Date the step's data became available.
    pub date: NaiveDate,
    /// Days after the event.
    pub days_after_event: i64,
    /// Features added at this step.
    pub added: Vec<StepFeature>,
}

impl Step {
    /// Distinct sensors (e.g. "S1_asc") whose data this step adds, joined by "+".
    pub fn sensors_label(&self) -> String {
        let mut s: Vec<&str> = self.added.iter().map(|f| f.sensor.as_str()).collect();
        s.dedup();
        if s.is_empty() {
            "none".into()
        } else {
            s.join("+")
        }
    }
}

/// The ordered steps of an event.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Timeline {
    /// Event date (step 0).
    pub event_date: NaiveDate,
    /// Steps in date order, step 0 first.
    pub steps: Vec<Step>,
}

/// Feature-name prefix per acquisition, unique within the project (track appended when two
/// acquisitions share sensor and pass).
pub fn acquisition_prefixes(project: &Project) -> Vec<String> {
    let acqs = &project.file.acquisitions;
    acqs.iter()
        .map(|a| {
            let base = a.name_prefix();
            let dup = acqs.iter().filter(|b| b.name_prefix() == base).count() > 1;
            if dup {
                format!("{base}_{}", a.track.replace([' ', '-'], ""))
            } else {
                base
            }
        })
        .collect()
}

fn group_of(band: RadarBand, sensor_tag: &str) -> FeatureGroup {
    match (sensor_tag, band) {
        ("S1", _) => FeatureGroup::Sentinel1,
        ("A2", _) => FeatureGroup::Alos2,
        _ => FeatureGroup::OtherSar,
    }
}

impl Timeline {
    /// Build the timeline from the project's acquisitions (which files exist decides which
    /// ICFs an acquisition provides).
    pub fn from_project(project: &Project) -> Timeline {
        let event_date = project.file.event.date;
        let prefixes = acquisition_prefixes(project);
        let mut dated: Vec<(NaiveDate, usize, StepFeature)> = Vec::new();
        for (i, a) in project.file.acquisitions.iter().enumerate() {
            let band = a.radar_band().unwrap_or(RadarBand::C);
            let tag = a.sensor_tag();
            for kind in IcfKind::ALL {
                let date = if kind.is_co_event() {
                    Some(a.first_post_date)
                } else {
                    a.second_post_date
                };
                let has_files = match kind {
                    IcfKind::BxS => a.sibling.is_some(),
                    k if !k.is_co_event() => a.post_event.is_some(),
                    _ => true,
                };
                let Some(date) = date.filter(|_| has_files) else {
                    continue;
                };
                dated.push((
                    date,
                    i,
                    StepFeature {
                        name: format!("{}_{}", prefixes[i], kind.suffix()),
                        acquisition: i,
                        kind,
                        sensor: format!("{tag}_{}", a.pass.short()),
                        band,
                        group: group_of(band, &tag),
                    },
                ));
            }
        }
        dated.sort_by_key(|(d, i, f)| (*d, *i, f.kind));
        let mut steps = vec![Step {
            index: 0,
            date: event_date,
            days_after_event: 0,
            added: Vec::new(),
        }];
        for (date, _, f) in dated {
            match steps.last_mut() {
                Some(s) if s.index > 0 && s.date == date => s.added.push(f),
                _ => steps.push(Step {
                    index: steps.len(),
                    date,
                    days_after_event: (date - event_date).num_days(),
                    added: vec![f],
                }),
            }
        }
        Timeline { event_date, steps }
    }

    /// The timeline as it stood on `date` (the emergency timeline): the steps whose data were
    /// available by then. Step 0 always stays (it is the event date; a date before the
    /// event is the caller's error to report).
    pub fn as_of(&self, date: NaiveDate) -> Timeline {
        Timeline {
            event_date: self.event_date,
            steps: self
                .steps
                .iter()
                .filter(|s| s.index == 0 || s.date <= date)
                .cloned()
                .collect(),
        }
    }

    /// ICF names available at `step` (cumulative) for a model kind, Table 1 rules applied.
    pub fn icfs_at(&self, step: usize, kind: ModelKind) -> Vec<String> {
        self.steps
            .iter()
            .take(step + 1)
            .flat_map(|s| s.added.iter())
            .filter(|f| match kind {
                ModelKind::Global | ModelKind::SarOnly => {
                    let l_band_bxs = f.kind == IcfKind::BxS && f.band != RadarBand::C;
                    let l_band_post = f.kind == IcfKind::PostEvent && f.band == RadarBand::L;
                    !l_band_bxs && !l_band_post
                }
                _ => true,
            })
            .map(|f| f.name.clone())
            .collect()
    }

    /// The full feature list at `step` for a model kind, restricted to columns present in
    /// `table`: same-event = static features (no ground-failure product) + ICFs; global =
    /// ground-failure product + ICFs; SAR-only = ICFs.
    pub fn features_at(&self, table: &FeatureTable, step: usize, kind: ModelKind) -> Vec<String> {
        let statics = table
            .columns
            .iter()
            .filter(|c| !c.group.is_sar())
            .filter(|c| match kind {
                ModelKind::SameEvent => c.group != FeatureGroup::GroundFailure,
                ModelKind::Global => c.group == FeatureGroup::GroundFailure,
                ModelKind::SarOnly => false,
            });
        let mut names: Vec<String> = statics.map(|c| c.name.clone()).collect();
        names.extend(
            self.icfs_at(step, kind)
                .into_iter()
                .filter(|n| table.column(n).is_some()),
        );
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn project() -> Project {
        let acq = |sensor: &str, pass: &str, d1: &str, d2: &str, sib: bool| {
            format!("[[acquisitions]]\nsensor = \"{sensor}\"\ntrack = \"T1\"\npass = \"{pass}\"\nfirst_post_date = \"{d1}\"\nsecond_post_date = \"{d2}\"\npre_event = {{ path = \"a.tif\" }}\nco_event = {{ path = \"b.tif\" }}\npost_event = {{ path = \"c.tif\" }}\n{}",
                if sib { "sibling = { path = \"s.tif\" }\n" } else { "" })
        };
        let text = format!(
            "format_version = 1\n[event]\nname = \"t\"\ndate = \"2015-04-25\"\n[inputs]\ndem = {{ path = \"d.tif\" }}\n{}{}{}",
            acq("ALOS-2", "descending", "2015-05-03", "2015-05-17", false),
            acq("Sentinel-1", "ascending", "2015-04-29", "2015-05-11", true),
            acq("Sentinel-1", "descending", "2015-04-29", "2015-05-05", true),
        );
        Project::from_toml(&text, Path::new("p.toml")).unwrap()
    }

    #[test]
    fn steps_follow_dates_and_same_day_acquisitions_share_a_step() {
        let t = Timeline::from_project(&project());
        let days: Vec<i64> = t.steps.iter().map(|s| s.days_after_event).collect();
        assert_eq!(days, vec![0, 4, 8, 10, 16, 22]);
        // both Sentinel-1 tracks on day 4, listed in project order
        assert_eq!(t.steps[1].sensors_label(), "S1_asc+S1_desc");
        assert_eq!(t.steps[1].added.len(), 6); // coh, CECL, BxS for each
        assert_eq!(t.steps[2].sensors_label(), "A2_desc");
        assert_eq!(t.steps[2].added.len(), 2); // no sibling for ALOS-2
    }

    #[test]
    fn as_of_keeps_the_steps_available_on_that_date() {
        let t = Timeline::from_project(&project());
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(t.as_of(d("2015-04-25")).steps.len(), 1);
        assert_eq!(t.as_of(d("2015-05-03")).steps.len(), 3);
        assert_eq!(t.as_of(d("2030-01-01")), t);
    }

    #[test]
    fn global_models_drop_l_band_bxs_and_l_band_post_coherence() {
        let t = Timeline::from_project(&project());
        let last = t.steps.len() - 1;
        let same = t.icfs_at(last, ModelKind::SameEvent);
        let global = t.icfs_at(last, ModelKind::Global);
        assert!(same.contains(&"A2_desc_coh_post".to_string()));
        assert!(!global.contains(&"A2_desc_coh_post".to_string()));
        assert!(global.contains(&"A2_desc_PECI".to_string()));
        assert!(global.contains(&"S1_asc_BxS".to_string()));
        assert_eq!(same.len() - global.len(), 1);
    }
}
