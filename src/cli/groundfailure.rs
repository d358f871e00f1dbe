//! `slidemap groundfailure PROJECT --out FILE.tif`.

use super::progress::{bar, callback, cancel_flag};
use anyhow::Result;
use slidemap::event::setup_grid;
use slidemap::io::{write_geotiff, GeoTiffOptions};
use slidemap::project::Project;
use std::path::Path;

/// Run the verb.
pub fn run(project_path: &Path, out: &Path) -> Result<()> {
    super::check_out_file(out)?;
    let project = Project::load(project_path)?;
    let grid = setup_grid(&project)?;
    let pb = bar("ground failure");
    let (g, warnings) = slidemap::groundfailure::compute_for_project(
        &project,
        &grid,
        &cancel_flag(),
        &callback(&pb),
    )?;
    pb.finish_and_clear();
    for w in warnings {
        eprintln!("warning: {w}");
    }
    write_geotiff(
        out,
        &g,
        &GeoTiffOptions {
            description: Some("Nowicki Jessee et al. (2018) landslide areal coverage".into()),
            ..GeoTiffOptions::default()
        },
    )?;
    println!("wrote {}", out.display());
    Ok(())
}
