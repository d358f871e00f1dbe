//! Where an event's files go inside its folder: the scored layout of the three teaching
//! events (everything referenced by `project.toml`) or the responder layout of today's
//! event (day-0 inputs only; radar pairs in `incoming/` as they arrive; the inventory in
//! `truth/`, not referenced by the project).
//!
//! Responder layout of the coherence pairs, each under `incoming/YYYY-MM-DD/` where the date
//! is the pair's newest image (the day it can be received; the pre-event pair is archive
//! data and comes with its track's co-event pair):
//! - Sentinel-1 as LiCSAR publishes it (uint8):
//!   `FRAME/interferograms/YYYYMMDD_YYYYMMDD/YYYYMMDD_YYYYMMDD.geo.cc.tif`, the frame ID
//!   `016A_05592_131313` carrying the relative orbit and pass; the sibling estimate of the
//!   co-event pair is `YYYYMMDD_YYYYMMDD.geo.cc.sib.tif` beside it;
//! - ALOS-2 as dated files: `A2_desc_P129_YYYYMMDD_YYYYMMDD_coh.tif` (float, unit scale).
//!
//! Every path returned is relative to the event folder.

use super::scenarios::{AcquisitionPlan, Scenario, Sensor};
use super::DemoError;
use crate::project::Pass;
use chrono::NaiveDate;
use std::path::PathBuf;

/// File names inside an event folder.
pub(crate) mod names {
    /// DEM GeoTIFF.
    pub const DEM: &str = "dem.tif";
    /// PGV GeoTIFF.
    pub const PGV_TIF: &str = "pgv.tif";
    /// PGV ShakeMap.
    pub const PGV_XML: &str = "grid.xml";
    /// Lithology polygons.
    pub const LITHOLOGY: &str = "lithology.gpkg";
    /// Land cover.
    pub const LAND_COVER: &str = "landcover.tif";
    /// Ground-failure product.
    pub const GROUND_FAILURE: &str = "ground_failure.tif";
    /// Landslide inventory.
    pub const INVENTORY: &str = "inventory.gpkg";
    /// Mapped extent.
    pub const MAPPED_EXTENT: &str = "mapped_extent.gpkg";
    /// Study area.
    pub const STUDY_AREA: &str = "study_area.gpkg";
    /// Project file.
    pub const PROJECT: &str = "project.toml";
}

/// Relative path of an acquisition's coherence file, e.g. `coherence/S1_asc_T085_co.tif`.
pub(crate) fn coherence_file(plan: &AcquisitionPlan, role: &str) -> PathBuf {
    let sensor = match plan.sensor {
        Sensor::Sentinel1 => "S1",
        Sensor::Alos2 => "A2",
    };
    PathBuf::from("coherence").join(format!(
        "{sensor}_{}_{}_{role}.tif",
        plan.pass.short(),
        plan.track
    ))
}

/// Folder of the radar pairs not yet received (responder layout).
pub(crate) const INCOMING_DIR: &str = "incoming";
/// Folder of the inventory the trainer reveals at the end (responder layout).
pub(crate) const TRUTH_DIR: &str = "truth";

/// How an event folder is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// Inventory, mapped extent and acquisitions all referenced by `project.toml`.
    Scored,
    /// Day-0 inputs in `project.toml`; radar in `incoming/`, inventory in `truth/`.
    Responder,
}

/// The event date of a scenario.
pub(crate) fn event_date(sc: &Scenario) -> Result<NaiveDate, DemoError> {
    let (y, m, d) = sc.date;
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| DemoError::Invalid {
        event: sc.folder.into(),
        message: format!("bad date {y}-{m}-{d}"),
    })
}

/// First and second image dates of a pair ("pre", "co", "post" or "sibling") of `plan`.
pub(crate) fn pair_dates(
    date: NaiveDate,
    plan: &AcquisitionPlan,
    role: &str,
) -> (NaiveDate, NaiveDate) {
    let day = |d: i64| date + chrono::Duration::days(d);
    let first_post = plan.first_post_day;
    let last_pre = first_post - plan.co_span_days;
    match role {
        "pre" => (day(last_pre - plan.pre_span_days), day(last_pre)),
        "post" => (day(first_post), day(first_post + plan.post_span_days)),
        _ => (day(last_pre), day(first_post)),
    }
}

/// The LiCSAR frame ID of a Sentinel-1 track: relative orbit, pass letter, a burst ID and
/// the swaths (`104D_05248_131313`).
pub(crate) fn licsar_frame_id(plan: &AcquisitionPlan) -> String {
    let orbit: String = plan.track.chars().filter(char::is_ascii_digit).collect();
    let orbit_num: u32 = orbit.parse().unwrap_or(0);
    let letter = match plan.pass {
        Pass::Ascending => 'A',
        Pass::Descending => 'D',
    };
    format!(
        "{orbit:0>3}{letter}_{:05}_131313",
        5_000 + (orbit_num * 37) % 900
    )
}

impl Layout {
    /// The inventory file.
    pub(crate) fn inventory(self) -> PathBuf {
        self.truth_dir().join(names::INVENTORY)
    }

    /// The mapped-extent file.
    pub(crate) fn mapped_extent(self) -> PathBuf {
        self.truth_dir().join(names::MAPPED_EXTENT)
    }

    fn truth_dir(self) -> PathBuf {
        match self {
            Layout::Scored => PathBuf::new(),
            Layout::Responder => PathBuf::from(TRUTH_DIR),
        }
    }

    /// Whether `project.toml` references the inventory and the acquisitions.
    pub(crate) fn project_has_truth(self) -> bool {
        self == Layout::Scored
    }

    /// The coherence file of one pair ("pre", "co", "post", "sibling") of `plan`.
    pub(crate) fn coherence(self, date: NaiveDate, plan: &AcquisitionPlan, role: &str) -> PathBuf {
        if self == Layout::Scored {
            return coherence_file(plan, role);
        }
        let (d1, d2) = pair_dates(date, plan, role);
        let arrival = if role == "pre" {
            pair_dates(date, plan, "co").1
        } else {
            d2
        };
        let pair = format!("{}_{}", d1.format("%Y%m%d"), d2.format("%Y%m%d"));
        let folder = PathBuf::from(INCOMING_DIR).join(arrival.format("%Y-%m-%d").to_string());
        match plan.sensor {
            Sensor::Sentinel1 => {
                let suffix = if role == "sibling" { ".sib" } else { "" };
                folder
                    .join(licsar_frame_id(plan))
                    .join("interferograms")
                    .join(&pair)
                    .join(format!("{pair}.geo.cc{suffix}.tif"))
            }
            Sensor::Alos2 => folder.join(format!(
                "A2_{}_{}_{pair}_coh.tif",
                plan.pass.short(),
                plan.track
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(sensor: Sensor, pass: Pass, track: &'static str) -> AcquisitionPlan {
        AcquisitionPlan {
            sensor,
            pass,
            track,
            first_post_day: 4,
            post_span_days: 12,
            pre_span_days: 12,
            co_span_days: 6,
            sibling: true,
            footprint_fraction: 2.0,
            incidence_deg: 39.0,
        }
    }

    #[test]
    fn responder_sentinel1_pairs_follow_the_licsar_layout_under_their_arrival_date() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 17).unwrap();
        let p = plan(Sensor::Sentinel1, Pass::Ascending, "T016");
        let co = Layout::Responder.coherence(date, &p, "co");
        assert_eq!(
            co,
            PathBuf::from(
                "incoming/2026-11-21/016A_05592_131313/interferograms/20261115_20261121/20261115_20261121.geo.cc.tif"
            )
        );
        // the archive pre-event pair arrives with the co-event pair
        let pre = Layout::Responder.coherence(date, &p, "pre");
        assert!(pre.starts_with("incoming/2026-11-21"), "{}", pre.display());
        assert!(pre.ends_with("20261103_20261115.geo.cc.tif"));
        let post = Layout::Responder.coherence(date, &p, "post");
        assert!(
            post.starts_with("incoming/2026-12-03"),
            "{}",
            post.display()
        );
        let sib = Layout::Responder.coherence(date, &p, "sibling");
        assert!(sib.ends_with("20261115_20261121.geo.cc.sib.tif"));
    }

    #[test]
    fn responder_alos2_pairs_are_dated_files_and_scored_paths_are_unchanged() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 17).unwrap();
        let p = plan(Sensor::Alos2, Pass::Descending, "P129");
        assert_eq!(
            Layout::Responder.coherence(date, &p, "co"),
            PathBuf::from("incoming/2026-11-21/A2_desc_P129_20261115_20261121_coh.tif")
        );
        assert_eq!(
            Layout::Scored.coherence(date, &p, "co"),
            coherence_file(&p, "co")
        );
        assert_eq!(Layout::Scored.inventory(), PathBuf::from("inventory.gpkg"));
        assert_eq!(
            Layout::Responder.mapped_extent(),
            PathBuf::from("truth/mapped_extent.gpkg")
        );
    }
}
