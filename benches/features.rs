//! Feature-pipeline benchmark on the demo events: wall time per stage of `build_event`
//! (grid, DEM warp, terrain, PGV, lithology, land cover, ground failure, coherence,
//! inventory). `cargo bench --bench features [-- DEMO_DIR]`.

use slidemap::demo::{demo_is_complete, demo_project_paths, write_demo, DemoOptions};
use slidemap::pipeline::{build_event, FeatureOptions};
use slidemap::project::Project;
use std::cell::RefCell;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cancel = AtomicBool::new(false);
    let arg = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let tmp = tempfile::tempdir()?;
    let dir = arg
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    if !demo_is_complete(&dir) {
        write_demo(&dir, &DemoOptions::default(), &cancel, &|_, _| {})?;
    }
    let mut total = 0.0;
    for p in demo_project_paths(&dir) {
        let project = Project::load(&p)?;
        let stages: RefCell<Vec<(String, Instant)>> = RefCell::new(Vec::new());
        let t0 = Instant::now();
        let ev = build_event(
            &project,
            &FeatureOptions::default().with_keep_fine_dem(false),
            &cancel,
            &|stage, _| {
                let key = stage.split(':').next().unwrap_or(stage).to_string();
                let mut s = stages.borrow_mut();
                if s.last().is_none_or(|(k, _)| *k != key) {
                    s.push((key, Instant::now()));
                }
            },
        )?;
        let dt = t0.elapsed().as_secs_f64();
        total += dt;
        println!(
            "{} ({} × {} fine cells): {dt:.2} s",
            ev.name(),
            ev.grid.fine.cols,
            ev.grid.fine.rows
        );
        let s = stages.into_inner();
        for w in s.windows(2) {
            println!(
                "  {:<28} {:>6.2} s",
                w[0].0,
                (w[1].1 - w[0].1).as_secs_f64()
            );
        }
    }
    println!("all three events: {total:.2} s");
    Ok(())
}
