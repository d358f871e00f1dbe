//! `slidemap init --out P.toml --name N --date YYYY-MM-DD --dem F [--pgv F] [--lithology F
//! [--lithology-field NAME]] [--land-cover F] [--ground-failure F|nowicki-jessee-2018]
//! [--inventory F] [--mapped-extent F] [--study-area F] [--coherence DIR]`: a new event's
//! project from files, every file checked, acquisitions read from a coherence folder.

use super::predict::parse_date;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::Args;
use slidemap::project::{
    create_project, FolderScan, GroundFailureSource, NewEventForm, GROUND_FAILURE_MODEL_NJ2018,
};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Arguments of `init`.
#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Project file to write (paths inside it are relative to it).
    #[arg(long, value_name = "P.toml")]
    pub out: PathBuf,
    /// Event name.
    #[arg(long)]
    pub name: String,
    /// Event date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: NaiveDate,
    /// Epicentre longitude,latitude (read from a ShakeMap grid.xml when not given).
    #[arg(long, value_name = "LON,LAT", value_parser = parse_lon_lat)]
    pub epicentre: Option<[f64; 2]>,
    /// Digital elevation model (any GDAL raster, metres).
    #[arg(long)]
    pub dem: PathBuf,
    /// Peak ground velocity: a ShakeMap grid.xml or a raster in cm/s.
    #[arg(long)]
    pub pgv: Option<PathBuf>,
    /// Lithology: a class raster or polygons (then --lithology-field).
    #[arg(long)]
    pub lithology: Option<PathBuf>,
    /// The lithology polygons' class field.
    #[arg(long, value_name = "NAME")]
    pub lithology_field: Option<String>,
    /// Land cover class raster.
    #[arg(long)]
    pub land_cover: Option<PathBuf>,
    /// Ground-failure product raster, or `nowicki-jessee-2018` for the built-in model.
    #[arg(long, value_name = "FILE|nowicki-jessee-2018")]
    pub ground_failure: Option<PathBuf>,
    /// Landslide inventory (polygons or points), if any is mapped yet.
    #[arg(long)]
    pub inventory: Option<PathBuf>,
    /// Where the inventory is complete.
    #[arg(long)]
    pub mapped_extent: Option<PathBuf>,
    /// The area to map (default: the DEM's extent).
    #[arg(long)]
    pub study_area: Option<PathBuf>,
    /// A folder of coherence files: LiCSAR frames, LiCSBAS GEOC, or files named with two dates.
    #[arg(long, value_name = "DIR")]
    pub coherence: Option<PathBuf>,
    /// Replace an existing project file.
    #[arg(long)]
    pub overwrite: bool,
}

/// "LON,LAT" → [lon, lat], checked.
fn parse_lon_lat(s: &str) -> Result<[f64; 2], String> {
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    let [lon, lat] = parts.as_slice() else {
        return Err(format!("{s:?}: give longitude,latitude, e.g. 84.73,28.23"));
    };
    let num = |v: &str, what: &str| {
        v.parse::<f64>()
            .map_err(|_| format!("{v:?} is not a {what} in degrees"))
    };
    let (lon, lat) = (num(lon, "longitude")?, num(lat, "latitude")?);
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(format!(
            "{lon},{lat}: longitude must be within ±180 and latitude within ±90"
        ));
    }
    Ok([lon, lat])
}

impl InitArgs {
    fn form(&self) -> NewEventForm {
        NewEventForm {
            name: self.name.clone(),
            date: self.date,
            epicentre_lonlat: self.epicentre,
            dem: Some(self.dem.clone()),
            pgv: self.pgv.clone(),
            lithology: self.lithology.clone(),
            lithology_field: self.lithology_field.clone(),
            land_cover: self.land_cover.clone(),
            ground_failure: self.ground_failure.as_ref().map(|g| {
                if g.as_os_str() == GROUND_FAILURE_MODEL_NJ2018 {
                    GroundFailureSource::Model
                } else {
                    GroundFailureSource::Product(g.clone())
                }
            }),
            inventory: self.inventory.clone(),
            mapped_extent: self.mapped_extent.clone(),
            study_area: self.study_area.clone(),
            coherence_dir: self.coherence.clone(),
            reviewed_coherence: None,
        }
    }
}

/// Run the verb.
pub fn run(args: &InitArgs) -> Result<()> {
    let (project, check) = create_project(&args.form(), &args.out, args.overwrite)
        .with_context(|| format!("init {}", args.out.display()))?;
    for n in &check.notes {
        println!("{n}");
    }
    if let Some(scan) = &check.coherence {
        print_review(scan);
    }
    println!(
        "wrote {} ({} acquisition(s)); check it, then `slidemap features {}` or `slidemap predict {} …`",
        project.path.display(),
        project.file.acquisitions.len(),
        project.path.display(),
        project.path.display()
    );
    Ok(())
}

/// The acquisitions found and the files left out (grouped by reason), for the user to check.
pub(crate) fn print_review(scan: &FolderScan) {
    println!("acquisitions (sensor, track, pass, first post-event date: pairs used):");
    for a in &scan.acquisitions {
        println!(
            "  {} {} {} {}: co-event {}, pre-event {}{}{}",
            a.sensor,
            a.track,
            a.pass.short(),
            a.first_post_date,
            a.co_event.path.display(),
            a.pre_event.path.display(),
            a.post_event
                .as_ref()
                .map(|p| format!(", post-event {}", p.path.display()))
                .unwrap_or_default(),
            a.sibling
                .as_ref()
                .map(|p| format!(", sibling {}", p.path.display()))
                .unwrap_or_default(),
        );
    }
    for q in scan.open_questions() {
        println!("question: {}", q.prompt);
    }
    let mut by_reason: BTreeMap<&str, Vec<&PathBuf>> = BTreeMap::new();
    for s in &scan.skipped {
        by_reason
            .entry(s.reason.as_str())
            .or_default()
            .push(&s.path);
    }
    for (reason, files) in by_reason {
        let shown: Vec<String> = files
            .iter()
            .take(3)
            .map(|p| p.display().to_string())
            .collect();
        let more = files
            .len()
            .checked_sub(3)
            .filter(|m| *m > 0)
            .map(|m| format!(" and {m} more"))
            .unwrap_or_default();
        println!(
            "not used ({} file(s)): {reason}: {}{more}",
            files.len(),
            shown.join(", ")
        );
    }
}
