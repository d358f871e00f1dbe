//! The `slidemap` command line: clap parsing and one small module per verb, each calling the
//! same core functions as the GUI.

pub mod demo;
pub mod features;
pub mod groundfailure;
pub mod model_args;
pub mod predict;
pub mod progress;
pub mod run;
pub mod terrain;
pub mod train;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// SlideMap: rapid mapping of earthquake-triggered landslides.
#[derive(Debug, Parser)]
#[command(name = "slidemap", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without a verb the desktop app opens on the built-in demo.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Slope, aspect, flow accumulation and CTI of a DEM, as GeoTIFFs on the DEM's grid.
    Terrain {
        /// The DEM (any GDAL raster, metres).
        dem: PathBuf,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Build the feature table of a project: lad.tif (or lnd.tif), features/*.tif, features.csv, timeline.csv.
    Features {
        /// The project file (TOML).
        project: PathBuf,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Write the three synthetic demo events (project files + GIS files).
    Demo {
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// Random seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Run an experiment along the acquisition timeline and write metrics, maps, figures and a report.
    Run {
        /// Project files (two or more for global / sar-only).
        #[arg(required = true)]
        projects: Vec<PathBuf>,
        /// same-event, global, sar-only or holdout.
        #[arg(long, default_value = "same-event")]
        experiment: String,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// Repeats of the random training sample (paper: 30; hold-out: 1, one model per extent).
        #[arg(long)]
        repeats: Option<usize>,
        /// Random seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Training polygons (GeoPackage/GeoJSON) for a same-event model.
        #[arg(long)]
        training: Option<PathBuf>,
        /// Skip the Table 2 grid search (default parameters).
        #[arg(long)]
        no_grid_search: bool,
        /// Models per global ensemble (paper: 100).
        #[arg(long)]
        ensemble: Option<usize>,
        /// Quick preset: no grid search, 5 repeats (hold-out: 1), ensembles of 20.
        #[arg(long)]
        quick: bool,
    },
    /// Map a new event (no inventory needed): global ensembles from past events or saved
    /// models, and/or a same-event model from its mapped areas; one map per timeline step.
    Predict(predict::PredictArgs),
    /// Train global ensembles on past events once and save them for `predict --models`.
    Train(train::TrainArgs),
    /// Compute the Nowicki Jessee et al. (2018) ground-failure model for a project.
    Groundfailure {
        /// The project file.
        project: PathBuf,
        /// Output GeoTIFF.
        #[arg(long)]
        out: PathBuf,
    },
    /// Boxcar coherence from two co-registered complex SLC GeoTIFFs.
    Coherence {
        /// First (earlier) SLC.
        slc1: PathBuf,
        /// Second (later) SLC.
        slc2: PathBuf,
        /// Output GeoTIFF.
        #[arg(long)]
        out: PathBuf,
        /// Window size in pixels (square).
        #[arg(long, default_value_t = 3)]
        window: usize,
    },
    /// Open the desktop app on the given projects (the demo when none).
    #[cfg(feature = "gui")]
    Gui {
        /// Project files.
        projects: Vec<PathBuf>,
        /// Write a frame-time log (CSV) to this file.
        #[arg(long)]
        frame_log: Option<PathBuf>,
        /// Run a scripted pan/zoom sequence (with --frame-log) and quit.
        #[arg(long)]
        scripted_pan_zoom: bool,
        /// Initial window size in logical pixels, e.g. 1280x800 (default 1600x1000 or the
        /// size remembered from the last session).
        #[arg(long, value_parser = parse_window_size)]
        window_size: Option<[f32; 2]>,
    },
}

/// `WIDTHxHEIGHT` in logical pixels, each between 320 and 16384.
#[cfg(feature = "gui")]
fn parse_window_size(s: &str) -> Result<[f32; 2], String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("expected WIDTHxHEIGHT, e.g. 1280x800, got {s:?}"))?;
    let px = |v: &str| -> Result<f32, String> {
        match v.trim().parse::<u32>() {
            Ok(n) if (320..=16384).contains(&n) => Ok(n as f32),
            _ => Err(format!("{v:?} is not a size between 320 and 16384 pixels")),
        }
    };
    Ok([px(w)?, px(h)?])
}

/// Default folder for the generated demo (reused between runs).
pub fn demo_cache_dir() -> PathBuf {
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("slidemap")
        .join(format!("demo-v{}-seed42", env!("CARGO_PKG_VERSION")))
}

#[cfg(all(test, feature = "gui"))]
mod tests {
    use super::parse_window_size;

    #[test]
    fn window_sizes_parse_and_bad_ones_say_why() {
        assert_eq!(parse_window_size("1280x800"), Ok([1280.0, 800.0]));
        assert_eq!(parse_window_size("640X400"), Ok([640.0, 400.0]));
        assert!(parse_window_size("1280")
            .unwrap_err()
            .contains("WIDTHxHEIGHT"));
        assert!(parse_window_size("10x800")
            .unwrap_err()
            .contains("between 320"));
        assert!(parse_window_size("axb").is_err());
    }
}
