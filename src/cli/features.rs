//! `slidemap features PROJECT --out DIR`.

use super::progress::{bar, callback, cancel_flag};
use anyhow::{Context, Result};
use slidemap::coherence::Timeline;
use slidemap::features::{write_features_csv, FeatureTable};
use slidemap::io::{atomic_write_bytes, write_geotiff, GeoTiffOptions, OutDir};
use slidemap::pipeline::{build_event, FeatureOptions};
use slidemap::project::Project;
use std::fmt::Write as _;
use std::path::Path;

/// Run the verb: everything is written into a temporary sibling of `out`, renamed into
/// place at the end ([`OutDir`]); a non-empty `out` needs `overwrite`.
pub fn run(project_path: &Path, final_out: &Path, overwrite: bool) -> Result<()> {
    let project = Project::load(project_path)?;
    let out_dir = OutDir::prepare_for(final_out, overwrite, &[project_path])?;
    let out = out_dir.path();
    let pb = bar("features");
    let ev = build_event(
        &project,
        &FeatureOptions::default().with_keep_fine_dem(false),
        &cancel_flag(),
        &callback(&pb),
    )?;
    pb.finish_and_clear();
    for w in &ev.warnings {
        eprintln!("warning: {w}");
    }
    write_rasters(out, &ev.table)?;
    let t = &ev.table;
    write_features_csv(&out.join("features.csv"), t)?;
    let tl = Timeline::from_project(&project);
    write_timeline_csv(out, &tl)?;
    let out = out_dir.commit()?;
    let n_valid = t.valid.iter().filter(|v| **v).count();
    println!(
        "{}: {} × {} coarse cells ({} valid, {} mapped), {} features, {} landslides, {} timeline steps → {}",
        ev.name(),
        t.coarse.cols,
        t.coarse.rows,
        n_valid,
        t.mapped_cells().len(),
        t.columns.len(),
        ev.landslide_count,
        tl.steps.len(),
        out.display()
    );
    Ok(())
}

/// The target raster in `out` and one raster per feature in `out/features` (invalid cells
/// blank).
fn write_rasters(out: &Path, t: &FeatureTable) -> Result<()> {
    let fdir = out.join("features");
    std::fs::create_dir_all(&fdir).with_context(|| format!("creating {}", fdir.display()))?;
    let target = out.join(format!("{}.tif", t.target_name.to_lowercase()));
    let (desc, unit) = if t.target_name == "LAD" {
        ("landslide areal density (fraction)", "fraction")
    } else {
        (
            "landslide number density (landslides/km²)",
            "landslides/km²",
        )
    };
    write_geotiff(
        &target,
        &t.target_grid(),
        &GeoTiffOptions {
            description: Some(desc.into()),
            unit: Some(unit.into()),
            ..GeoTiffOptions::default()
        },
    )?;
    for c in &t.columns {
        let mut g = t.column_grid(&c.name).context("column vanished")?;
        for (v, ok) in g.data.iter_mut().zip(&t.valid) {
            if !ok {
                *v = f32::NAN;
            }
        }
        write_geotiff(
            &fdir.join(format!("{}.tif", c.name)),
            &g,
            &GeoTiffOptions {
                description: Some(c.name.clone()),
                unit: Some(c.unit.clone()),
                ..GeoTiffOptions::default()
            },
        )?;
    }
    Ok(())
}

/// `out/timeline.csv`: one row per timeline step with the features it adds.
fn write_timeline_csv(out: &Path, tl: &Timeline) -> Result<()> {
    let mut s = String::from("step,date,days_after_event,sensor,features_added\n");
    for st in &tl.steps {
        let names: Vec<&str> = st.added.iter().map(|f| f.name.as_str()).collect();
        let _ = writeln!(
            s,
            "{},{},{},{},{}",
            st.index,
            st.date,
            st.days_after_event,
            st.sensors_label(),
            names.join(";")
        );
    }
    atomic_write_bytes(&out.join("timeline.csv"), s.as_bytes())?;
    Ok(())
}
