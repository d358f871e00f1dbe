//! The three demo events: landscape, fault, lithology, targets and radar acquisition plans.
//!
//! Positions given as fractions are relative to the event's rectangular area in its UTM
//! frame: (0, 0) is the south-west corner, (1, 1) the north-east corner. Dates are days
//! after the event.

use crate::project::Pass;

/// Which terrain generator builds the DEM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Landscape {
    /// High-relief ranges with deep, drainage-carved valleys (Gorkha-like).
    Mountains,
    /// Low-relief rolling hills mantled by weak volcanic soils (Hokkaido-like).
    Hills,
    /// A steep volcanic cone with radial gullies, surrounded by sea (Lombok-like).
    Island,
}

/// A GLiM-style lithology class and how weak it is on slopes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LithClass {
    /// GLiM class code ("mt", "ss", "py", …).
    pub code: &'static str,
    /// Added to the landslide log-odds (weak soils > 0, strong rock < 0).
    pub weakness: f64,
    /// Relative frequency among the Voronoi regions.
    pub weight: f64,
}

/// A finite fault: surface projection of the rupture plus depth.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FaultPlan {
    /// One end of the trace (area fractions; may lie outside the area).
    pub start: [f64; 2],
    /// Other end of the trace.
    pub end: [f64; 2],
    /// Depth of the rupture centroid below the trace, km.
    pub depth_km: f64,
    /// PGV at 15 km rupture distance, cm/s (sets the event size).
    pub pgv_at_15km_cm_s: f64,
}

/// Sentinel-1 (C band, LiCSAR uint8 in EPSG:4326) or ALOS-2 (L band, float in UTM).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sensor {
    /// C band, ~5.6 cm.
    Sentinel1,
    /// L band, ~24 cm.
    Alos2,
}

/// One acquisition (a track's first post-event image) and its interferogram spans.
#[derive(Debug, Clone)]
pub(crate) struct AcquisitionPlan {
    /// Satellite.
    pub sensor: Sensor,
    /// Orbit direction.
    pub pass: Pass,
    /// Track / path name.
    pub track: &'static str,
    /// First post-event image, days after the event.
    pub first_post_day: i64,
    /// Days between the first and second post-event images.
    pub post_span_days: i64,
    /// Temporal baseline of the pre-event pair, days.
    pub pre_span_days: i64,
    /// Temporal baseline of the co-event pair (last pre image → first post image), days.
    pub co_span_days: i64,
    /// Whether a sibling (RapidSAR) coherence can be estimated (≥ 6 pre-event images).
    pub sibling: bool,
    /// Fraction of the area inside the swath (≥ 1 = everything).
    pub footprint_fraction: f64,
    /// Incidence angle over the area, degrees (Sentinel-1 IW spans 29–46° across its swath;
    /// ALOS-2 stripmap beams are typically 30–44°).
    pub incidence_deg: f64,
}

impl AcquisitionPlan {
    /// The same plan seen at another incidence angle (the area's place in the swath).
    pub(crate) fn at_incidence(mut self, deg: f64) -> Self {
        self.incidence_deg = deg;
        self
    }
}

/// Everything that distinguishes one demo event.
#[derive(Debug, Clone)]
pub(crate) struct Scenario {
    /// Folder name under the demo directory.
    pub folder: &'static str,
    /// Event name written in the project file.
    pub name: &'static str,
    /// Event date (year, month, day).
    pub date: (i32, u32, u32),
    /// Centre of the area, degrees.
    pub centre_lon_lat: [f64; 2],
    /// EPSG code of the DEM and inventory (UTM zone of the centre).
    pub utm_epsg: u32,
    /// CRS of the lithology polygons (heterogeneous on purpose).
    pub lithology_crs: &'static str,
    /// Area size, metres (east–west, north–south).
    pub size_m: [f64; 2],
    /// Terrain generator.
    pub landscape: Landscape,
    /// Lithology classes.
    pub lithology: Vec<LithClass>,
    /// Strike of the geological grain, degrees clockwise from north.
    pub strike_deg: f64,
    /// Typical lithology region size, metres.
    pub lithology_region_m: f64,
    /// The rupture.
    pub fault: FaultPlan,
    /// Expected number of landslides.
    pub target_landslides: usize,
    /// Median landslide area, m².
    pub median_area_m2: f64,
    /// Cloud hole in the mapped extent: centre (area fractions) and radius (metres).
    pub cloud_hole: ([f64; 2], f64),
    /// Also write the PGV as a ShakeMap grid.xml (and point the project at it).
    pub shakemap_xml: bool,
    /// Radar acquisitions.
    pub acquisitions: Vec<AcquisitionPlan>,
}

pub(crate) fn lith(code: &'static str, weakness: f64, weight: f64) -> LithClass {
    LithClass {
        code,
        weakness,
        weight,
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn acq(
    sensor: Sensor,
    pass: Pass,
    track: &'static str,
    first: i64,
    post: i64,
    pre: i64,
    co: i64,
    sibling: bool,
    footprint: f64,
) -> AcquisitionPlan {
    AcquisitionPlan {
        sensor,
        pass,
        track,
        first_post_day: first,
        post_span_days: post,
        pre_span_days: pre,
        co_span_days: co,
        sibling,
        footprint_fraction: footprint,
        incidence_deg: super::coherence_model::incidence_deg(match sensor {
            Sensor::Sentinel1 => super::coherence_model::Band::C,
            Sensor::Alos2 => super::coherence_model::Band::L,
        }),
    }
}

/// The three events, in a fixed order (the event index seeds every layer).
pub(crate) fn all() -> Vec<Scenario> {
    vec![gorkha_like(), hokkaido_like(), lombok_like()]
}

/// Gorkha-like event: mountains, a ShakeMap `grid.xml`, an ALOS-2 pair spanning 70 days.
fn gorkha_like() -> Scenario {
    use Pass::{Ascending as Asc, Descending as Desc};
    use Sensor::{Alos2, Sentinel1};
    Scenario {
        folder: "gorkha_like",
        name: "Gorkha-like (synthetic)",
        date: (2015, 4, 25),
        centre_lon_lat: [84.75, 28.2],
        utm_epsg: 32645,
        lithology_crs: "EPSG:4326",
        size_m: [36_000.0, 30_000.0],
        landscape: Landscape::Mountains,
        lithology: vec![
            lith("mt", 0.3, 3.0),
            lith("ss", 0.5, 2.0),
            lith("sc", -0.3, 1.5),
            lith("pa", -0.6, 1.0),
            lith("su", 0.8, 0.6),
        ],
        strike_deg: 110.0,
        lithology_region_m: 5_000.0,
        fault: FaultPlan {
            start: [-0.6, 0.05],
            end: [1.6, -0.25],
            depth_km: 14.0,
            pgv_at_15km_cm_s: 95.0,
        },
        target_landslides: 4_000,
        median_area_m2: 3_000.0,
        cloud_hole: ([0.62, 0.55], 4_000.0),
        shakemap_xml: true,
        acquisitions: vec![
            acq(Sentinel1, Desc, "T019", 4, 12, 24, 12, true, 2.0).at_incidence(41.0),
            acq(Sentinel1, Asc, "T085", 5, 24, 24, 12, true, 2.0).at_incidence(34.0),
            acq(Alos2, Desc, "P048", 8, 14, 70, 42, false, 1.0).at_incidence(40.0),
        ],
    }
}

/// Hokkaido-like event: hills, a PGV GeoTIFF, lithology in a neighbouring UTM zone.
fn hokkaido_like() -> Scenario {
    use Pass::{Ascending as Asc, Descending as Desc};
    use Sensor::{Alos2, Sentinel1};
    Scenario {
        folder: "hokkaido_like",
        name: "Hokkaido-like (synthetic)",
        date: (2018, 9, 6),
        centre_lon_lat: [142.0, 42.72],
        utm_epsg: 32654,
        lithology_crs: "EPSG:32653",
        size_m: [18_000.0, 16_000.0],
        landscape: Landscape::Hills,
        lithology: vec![
            lith("py", 1.0, 3.0),
            lith("su", 0.6, 1.5),
            lith("ss", 0.2, 1.5),
            lith("vb", -0.4, 1.0),
        ],
        strike_deg: 20.0,
        lithology_region_m: 4_000.0,
        fault: FaultPlan {
            start: [0.35, -0.4],
            end: [0.45, 0.9],
            depth_km: 30.0,
            pgv_at_15km_cm_s: 75.0,
        },
        target_landslides: 2_600,
        median_area_m2: 2_000.0,
        cloud_hole: ([0.3, 0.7], 2_200.0),
        shakemap_xml: false,
        acquisitions: vec![
            acq(Sentinel1, Asc, "T068", 2, 6, 12, 6, true, 2.0).at_incidence(39.0),
            acq(Sentinel1, Desc, "T046", 5, 6, 12, 6, true, 2.0).at_incidence(36.0),
            acq(Alos2, Desc, "P018", 7, 14, 28, 14, true, 0.9),
        ],
    }
}

/// Lombok-like event: an island, a PGV GeoTIFF, an ascending ALOS-2 pair.
fn lombok_like() -> Scenario {
    use Pass::{Ascending as Asc, Descending as Desc};
    use Sensor::{Alos2, Sentinel1};
    Scenario {
        folder: "lombok_like",
        name: "Lombok-like (synthetic)",
        date: (2018, 8, 5),
        centre_lon_lat: [116.4, -8.4],
        utm_epsg: 32750,
        lithology_crs: "EPSG:4326",
        size_m: [22_000.0, 20_000.0],
        landscape: Landscape::Island,
        lithology: vec![
            lith("vb", -0.2, 2.5),
            lith("va", 0.1, 1.5),
            lith("py", 0.8, 2.0),
            lith("su", 0.5, 1.0),
            lith("sc", -0.4, 0.5),
        ],
        strike_deg: 80.0,
        lithology_region_m: 4_500.0,
        fault: FaultPlan {
            start: [-0.3, 1.05],
            end: [1.3, 0.95],
            depth_km: 20.0,
            pgv_at_15km_cm_s: 80.0,
        },
        target_landslides: 2_000,
        median_area_m2: 1_600.0,
        cloud_hole: ([0.45, 0.35], 2_500.0),
        shakemap_xml: false,
        acquisitions: vec![
            acq(Sentinel1, Asc, "T156", 1, 6, 12, 6, true, 2.0).at_incidence(37.0),
            acq(Sentinel1, Desc, "T032", 4, 6, 12, 6, true, 2.0).at_incidence(42.0),
            acq(Alos2, Asc, "P128", 13, 14, 42, 27, true, 1.0),
        ],
    }
}
