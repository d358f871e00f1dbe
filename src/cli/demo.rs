//! `slidemap demo --out DIR [--seed N]`, and the cached demo used when no project is given.

use super::progress::{bar, callback, cancel_flag};
use anyhow::{Context, Result};
use slidemap::demo::{demo_is_complete, today_folder, write_demo, DemoOptions};
use std::path::{Path, PathBuf};

/// Run the verb.
pub fn run(out: &Path, seed: u64) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let pb = bar("demo");
    let t0 = std::time::Instant::now();
    let projects = write_demo(
        out,
        &DemoOptions::default().with_seed(seed),
        &cancel_flag(),
        &callback(&pb),
    )?;
    pb.finish_and_clear();
    for p in &projects {
        println!("wrote {}", p.display());
    }
    let today = today_folder(out);
    println!(
        "wrote {} (day-0 inputs only; radar pairs by date in {}, inventory in {})",
        today.project.display(),
        today.incoming.display(),
        today.truth_inventory.display()
    );
    eprintln!("demo written in {:.1} s", t0.elapsed().as_secs_f64());
    Ok(projects)
}

/// The demo's project files in the cache folder, generating them on first use.
pub fn cached_projects(dir: &Path) -> Result<Vec<PathBuf>> {
    if !demo_is_complete(dir) {
        eprintln!(
            "generating the built-in demo into {} (first run only)…",
            dir.display()
        );
        return run(dir, 42);
    }
    Ok(slidemap::demo::demo_project_paths(dir))
}
