//! Built-in demo: three synthetic earthquake events written as real GIS files, and a
//! fourth, "today's earthquake", laid out as a responder meets it.
//!
//! [`write_demo`] writes `gorkha_like/`, `hokkaido_like/` and `lombok_like/` under a folder,
//! each with a `project.toml` (loadable with [`crate::project::Project::load`]) and its
//! inputs: a 30 m UTM DEM, PGV (1 arc-minute EPSG:4326 GeoTIFF; the Gorkha-like event also
//! as a ShakeMap `grid.xml`), GLiM-style lithology polygons, a 300 m ESA CCI-style land
//! cover raster, a 0.002° USGS-style ground-failure raster, a landslide polygon inventory
//! with a mapped extent (cloud hole) and a study area, and Sentinel-1 (uint8, 0.001°) and
//! ALOS-2 (float, 40 m UTM) coherence for pre-, co- and post-event pairs plus siblings.
//! It also writes `today/` ([`TODAY_EVENT`], see [`today_folder`]): a `project.toml` with
//! only the day-0 inputs (no inventory, no acquisitions), the radar pairs in
//! `today/incoming/YYYY-MM-DD/` (LiCSAR frames and dated ALOS-2 files, one folder per day
//! they can be received) and the inventory in `today/truth/`, which no project references,
//! and true-colour imagery to map from in `today/imagery/` (`pre_event.tif`,
//! `post_event.tif`: 10 m RGB, landslide scars in the post-event one).
//!
//! The output is a pure function of the seed: sequential draws use ChaCha8 generators seeded
//! from (seed, event index, layer name) and spatial noise is stateless hash noise, so
//! rayon's scheduling never changes a byte of raster data. The generative model is
//! documented in `docs/demo.md`; the landslide truth reaches the other layers only through
//! physics (slope, PGV, lithology and land cover shape the landslides; the landslide
//! polygons change the coherence), never as a noisy copy of the density.

mod byte_tiff;
mod coherence;
mod coherence_model;
mod event;
mod fault_pgv;
mod ground_failure;
mod imagery;
mod landcover;
mod landslides;
mod layout;
mod lithology;
mod noise;
mod project_writer;
mod scenario_today;
mod scenarios;
mod shakemap_xml;
mod terrain_gen;
mod world;

use crate::io::GisError;
use crate::project::{Project, ProjectError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Folder names of the three scored demo events (inventory and radar in their project), in
/// generation order: the events experiments, training and the window's start-up use.
pub const DEMO_EVENTS: [&str; 3] = ["gorkha_like", "hokkaido_like", "lombok_like"];

/// Folder name of the fourth event, "today's earthquake" (no inventory in its project).
pub const TODAY_EVENT: &str = scenario_today::FOLDER;

/// Version of the generator; bumped whenever its output changes, so stale caches are
/// regenerated (stored in `demo-version.txt` next to the event folders).
pub const DEMO_GENERATOR_VERSION: u32 = 3;

/// The files of today's event under a demo folder (whether or not they exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TodayFolder {
    /// `today/`.
    pub dir: PathBuf,
    /// `today/project.toml`: day-0 inputs only.
    pub project: PathBuf,
    /// `today/incoming/`: one `YYYY-MM-DD/` folder of coherence pairs per day of arrival.
    pub incoming: PathBuf,
    /// `today/truth/inventory.gpkg`: the landslide polygons, revealed at the end.
    pub truth_inventory: PathBuf,
    /// `today/truth/mapped_extent.gpkg`: where the inventory is complete.
    pub truth_mapped_extent: PathBuf,
}

/// The files of today's event under the demo folder `dir`.
pub fn today_folder(dir: &Path) -> TodayFolder {
    let event = dir.join(TODAY_EVENT);
    let layout = layout::Layout::Responder;
    TodayFolder {
        project: event.join(layout::names::PROJECT),
        incoming: event.join(layout::INCOMING_DIR),
        truth_inventory: event.join(layout.inventory()),
        truth_mapped_extent: event.join(layout.mapped_extent()),
        dir: event,
    }
}

const VERSION_FILE: &str = "demo-version.txt";

/// Options of [`write_demo`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// Seed of every random draw (default 42).
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self { seed: 42 }
    }
}

impl DemoOptions {
    /// Set the seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}

/// Failure generating the demo; each variant names the event or the file.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The cancel flag was raised.
    #[error("demo generation cancelled")]
    Cancelled,
    /// A folder could not be created.
    #[error("{path}: {source}")]
    Io {
        /// the folder or file
        path: PathBuf,
        /// OS error
        source: std::io::Error,
    },
    /// Writing or transforming a GIS layer failed (the source names the file).
    #[error("demo event {event}: {source}")]
    Gis {
        /// event folder name
        event: String,
        /// the I/O error
        source: GisError,
    },
    /// The project file could not be written or does not validate.
    #[error("{path}: {source}")]
    Project {
        /// the project file
        path: PathBuf,
        /// what went wrong
        source: ProjectError,
    },
    /// An internal inconsistency of the generator.
    #[error("demo event {event}: {message}")]
    Invalid {
        /// event folder name
        event: String,
        /// what is wrong
        message: String,
    },
}

pub(crate) fn check(cancel: &AtomicBool) -> Result<(), DemoError> {
    if cancel.load(Ordering::Relaxed) {
        Err(DemoError::Cancelled)
    } else {
        Ok(())
    }
}

/// Write the three scored demo events and today's event under `out_dir` (created if
/// needed) and return the three scored `project.toml` paths in [`DEMO_EVENTS`] order (today's
/// is at [`today_folder`]`.project`). Existing files are replaced atomically; each project
/// file is written last, so its presence marks a complete event.
pub fn write_demo(
    out_dir: &Path,
    opts: &DemoOptions,
    cancel: &AtomicBool,
    progress: &dyn Fn(&str, f64),
) -> Result<Vec<PathBuf>, DemoError> {
    let scenarios = scenarios::all();
    let n = scenarios.len() as f64 + 1.0;
    let mut out = Vec::with_capacity(scenarios.len());
    let today = scenario_today::today();
    let events = scenarios
        .iter()
        .map(|sc| (sc, layout::Layout::Scored))
        .chain([(&today, layout::Layout::Responder)]);
    for (i, (sc, layout)) in events.enumerate() {
        check(cancel)?;
        let dir = out_dir.join(sc.folder);
        let sub = |stage: &str, f: f64| progress(stage, (i as f64 + f.clamp(0.0, 1.0)) / n);
        let project = event::write_event(&dir, sc, i, layout, opts, cancel, &sub)?;
        if layout == layout::Layout::Scored {
            out.push(project);
        }
    }
    let marker = out_dir.join(VERSION_FILE);
    let text = format!(
        "slidemap demo generator {DEMO_GENERATOR_VERSION}, seed {}\n",
        opts.seed
    );
    crate::io::atomic_write_bytes(&marker, text.as_bytes()).map_err(|source| DemoError::Gis {
        event: "demo".into(),
        source,
    })?;
    progress("demo written", 1.0);
    Ok(out)
}

/// Paths of the three scored project files under `dir` (whether or not they exist).
pub fn demo_project_paths(dir: &Path) -> Vec<PathBuf> {
    DEMO_EVENTS
        .iter()
        .map(|e| dir.join(e).join(layout::names::PROJECT))
        .collect()
}

/// True when `dir` holds all four demo events written by this generator version (each
/// project file present and loadable), so a cached demo folder can be reused.
pub fn demo_is_complete(dir: &Path) -> bool {
    let version_ok = std::fs::read_to_string(dir.join(VERSION_FILE)).is_ok_and(|t| {
        t.starts_with(&format!(
            "slidemap demo generator {DEMO_GENERATOR_VERSION},"
        ))
    });
    version_ok
        && demo_project_paths(dir)
            .iter()
            .chain([&today_folder(dir).project])
            .all(|p| p.is_file() && Project::load(p).is_ok())
}
