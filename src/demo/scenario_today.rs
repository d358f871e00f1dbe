//! The fourth demo event, "today's earthquake": a small forested mountain range
//! (16 × 14 km) struck this morning, written the way a responder meets it (see
//! [`super::layout::Layout::Responder`]): day-0 inputs only, radar pairs arriving in
//! `incoming/` by date, the inventory kept apart in `truth/`.
//!
//! Dates are days after the event: two Sentinel-1 tracks (descending first, at day 2; then
//! ascending at day 4) and one ALOS-2 descending path (day 9), each followed by a second
//! post-event image, so the timeline has six steps after day 0.

use super::scenarios::{self, lith, AcquisitionPlan, FaultPlan, Landscape, Scenario, Sensor};
use crate::project::Pass;

/// Folder name of the event under the demo directory.
pub(crate) const FOLDER: &str = "today";

/// One acquisition (first post-event day, post-event span, pre-event span, co-event span):
/// Sentinel-1 with a sibling over the whole area, ALOS-2 without one over 80 % of it.
fn acq(sensor: Sensor, pass: Pass, track: &'static str, days: [i64; 4]) -> AcquisitionPlan {
    let [first, post, pre, co] = days;
    let s1 = sensor == Sensor::Sentinel1;
    let footprint = if s1 { 2.0 } else { 0.8 };
    let incidence = match (sensor, pass) {
        (Sensor::Alos2, _) => 37.0,
        (Sensor::Sentinel1, Pass::Ascending) => 35.0,
        (Sensor::Sentinel1, Pass::Descending) => 38.0,
    };
    scenarios::acq(sensor, pass, track, first, post, pre, co, s1, footprint).at_incidence(incidence)
}

/// Today's event: a forested fold-and-thrust range, a ShakeMap `grid.xml`, a shallow thrust
/// crossing the area diagonally.
pub(crate) fn today() -> Scenario {
    use Pass::{Ascending as Asc, Descending as Desc};
    use Sensor::{Alos2, Sentinel1};
    Scenario {
        folder: FOLDER,
        name: "Today's earthquake (synthetic)",
        date: (2026, 11, 17),
        centre_lon_lat: [142.9, -6.1],
        utm_epsg: 32754,
        lithology_crs: "EPSG:4326",
        size_m: [16_000.0, 14_000.0],
        landscape: Landscape::Mountains,
        lithology: vec![
            lith("ss", 0.4, 2.5),
            lith("sm", 0.3, 2.0),
            lith("sc", -0.4, 1.5),
            lith("mt", 0.1, 1.0),
            lith("su", 0.9, 0.8),
        ],
        strike_deg: 125.0,
        lithology_region_m: 3_500.0,
        fault: FaultPlan {
            start: [-0.2, 0.1],
            end: [1.2, 0.85],
            depth_km: 12.0,
            pgv_at_15km_cm_s: 85.0,
        },
        target_landslides: 1_400,
        median_area_m2: 2_500.0,
        cloud_hole: ([0.7, 0.3], 1_500.0),
        shakemap_xml: true,
        acquisitions: vec![
            acq(Sentinel1, Desc, "T104", [2, 6, 12, 12]),
            acq(Sentinel1, Asc, "T016", [4, 12, 12, 6]),
            acq(Alos2, Desc, "P129", [9, 14, 56, 28]),
        ],
    }
}
