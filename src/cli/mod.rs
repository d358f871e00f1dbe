//! The `slidemap` command line: clap parsing and one small module per verb, each calling the
//! same core functions as the GUI.

pub mod add_acquisitions;
pub mod demo;
pub mod features;
pub mod groundfailure;
pub mod init;
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
        /// Output folder (written whole: a temporary sibling renamed into place at the end).
        #[arg(long)]
        out: PathBuf,
        /// Replace a non-empty output folder whole (default: refuse it).
        #[arg(long)]
        overwrite: bool,
    },
    /// Build the feature table of a project: lad.tif (or lnd.tif), features/*.tif, features.csv, timeline.csv.
    Features {
        /// The project file (TOML).
        project: PathBuf,
        /// Output folder (written whole: a temporary sibling renamed into place at the end).
        #[arg(long)]
        out: PathBuf,
        /// Replace a non-empty output folder whole (default: refuse it).
        #[arg(long)]
        overwrite: bool,
    },
    /// Write the three synthetic demo events (project files + GIS files) and `today/`, a fourth
    /// laid out as a responder meets it (day-0 project, radar in `incoming/`, truth in `truth/`).
    Demo {
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// Random seed (a non-negative integer).
        #[arg(long, default_value_t = 42, allow_hyphen_values = true, value_parser = parse_seed)]
        seed: u64,
    },
    /// Run an experiment along the acquisition timeline and write metrics, maps, figures and a report.
    Run(run::RunArgs),
    /// Map a new event (no inventory needed): global ensembles from past events or saved
    /// models, and/or a same-event model from its mapped areas; one map per timeline step.
    Predict(predict::PredictArgs),
    /// Train global ensembles on past events once and save them for `predict --models`.
    Train(train::TrainArgs),
    /// Make a new event's project file from its files (each checked); radar acquisitions
    /// from a folder of coherence files (LiCSAR, LiCSBAS or dated names).
    Init(init::InitArgs),
    /// Add the radar acquisitions of a folder of coherence files to an existing project
    /// (those it already has are left out).
    AddAcquisitions(add_acquisitions::AddAcquisitionsArgs),
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
        /// Window size in pixels (square): an odd number, at least 3, smaller than the image.
        #[arg(long, default_value_t = 3, allow_hyphen_values = true, value_parser = parse_window)]
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
        /// With --scripted-pan-zoom: digitise landslides while the view moves (a vertex
        /// every 5 frames, a polygon closed every 40).
        #[arg(long)]
        scripted_digitising: bool,
        /// Initial window size in logical pixels, e.g. 1280x800 (default 1600x1000 or the
        /// size remembered from the last session).
        #[arg(long, value_parser = parse_window_size)]
        window_size: Option<[f32; 2]>,
        /// True-colour imagery (3+ bands) to open as layers (repeatable); alone, without
        /// projects, it opens without the demo.
        #[arg(long)]
        imagery: Vec<PathBuf>,
    },
}

/// A seed: a non-negative integer (clap's generic `-- -1` tip would be wrong here).
pub fn parse_seed(s: &str) -> Result<u64, String> {
    s.trim().parse::<u64>().map_err(|_| {
        format!(
            "seeds are non-negative integers (0 to {}), got {s:?}",
            u64::MAX
        )
    })
}

/// An interval level: a number strictly between 0 and 1 (e.g. 0.9).
pub fn parse_level(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v < 1.0 => Ok(v),
        _ => Err(format!(
            "an interval level is a number between 0 and 1 (exclusive), e.g. 0.9; got {s:?}"
        )),
    }
}

/// A count of repeats or models: a whole number, at least 1 (0 is refused, never clamped).
pub fn parse_count(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1 (0 would mean no model at all)".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("expected a whole number ≥ 1, got {s:?}")),
    }
}

/// A coherence window: an odd whole number of pixels, at least 3 (the core also checks it
/// against the image size).
pub fn parse_window(s: &str) -> Result<usize, String> {
    let n = s
        .trim()
        .parse::<usize>()
        .map_err(|_| format!("expected an odd whole number of pixels ≥ 3, got {s:?}"))?;
    slidemap::coherence::check_window(n)
        .map(|()| n)
        .map_err(|e| match e {
            slidemap::io::GisError::Invalid { message, .. } => message,
            other => other.to_string(),
        })
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

/// An `--out FILE` must not be a folder (the file is written atomically next to it).
pub fn check_out_file(out: &std::path::Path) -> anyhow::Result<()> {
    if out.is_dir() {
        anyhow::bail!(
            "{}: --out must be a file path (e.g. result.tif), but this is a folder",
            out.display()
        );
    }
    Ok(())
}

/// Default folder for the generated demo (reused between runs).
pub fn demo_cache_dir() -> PathBuf {
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("slidemap")
        .join(format!("demo-v{}-seed42", env!("CARGO_PKG_VERSION")))
}

#[cfg(test)]
mod parse_tests {
    use super::*;

    #[test]
    fn numeric_options_say_what_is_allowed() {
        assert_eq!(parse_seed("7"), Ok(7));
        assert!(parse_seed("-1").unwrap_err().contains("non-negative"));
        assert!(parse_count("0").unwrap_err().contains("at least 1"));
        assert_eq!(parse_count("3"), Ok(3));
        assert!(parse_window("1").unwrap_err().contains("odd"));
        assert!(parse_window("4").unwrap_err().contains("odd"));
        assert_eq!(parse_window("5"), Ok(5));
    }
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
