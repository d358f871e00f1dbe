//! Adding an acquisition to an open event and retraining the quick same-event model, as the
//! window does after "Add acquisitions…": `append_acquisitions` (the first radar folder of
//! today's demo, `incoming/<day 2>/`) + `build_event` (the event's features rebuilt, as
//! its loading worker does) + `run_experiment` with the quick same-event options (what
//! the window starts after the reload). A plain `main` (harness = false).
//!
//! Run: `cargo bench --no-default-features --bench add_acquisition`. Today's demo is
//! written once, with its truth inventory in the project (a same-event model needs one);
//! each of three runs starts from a fresh day-0 copy of that project. Prints the stages
//! and the best total of three. Target: ≤ 5 s on the demo.

use slidemap::demo::{today_folder, write_demo, DemoOptions};
use slidemap::experiment::{run_experiment, ExperimentKind, ExperimentOptions};
use slidemap::pipeline::{build_event, FeatureOptions};
use slidemap::project::{
    append_acquisitions, create_project, scan_coherence_folder, GroundFailureSource, NewEventForm,
};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// Today's day-0 project with its truth inventory, at `out`.
fn revealed_project(t: &slidemap::demo::TodayFolder, out: &Path) -> Result<PathBuf, String> {
    let form = NewEventForm {
        name: "Today (revealed)".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 17).ok_or("date")?,
        epicentre_lonlat: None,
        dem: Some(t.dir.join("dem.tif")),
        pgv: Some(t.dir.join("grid.xml")),
        lithology: Some(t.dir.join("lithology.gpkg")),
        lithology_field: Some("glim_class".into()),
        land_cover: Some(t.dir.join("landcover.tif")),
        ground_failure: Some(GroundFailureSource::Product(
            t.dir.join("ground_failure.tif"),
        )),
        inventory: Some(t.truth_inventory.clone()),
        mapped_extent: Some(t.truth_mapped_extent.clone()),
        study_area: Some(t.dir.join("study_area.gpkg")),
        coherence_dir: None,
        reviewed_coherence: None,
    };
    create_project(&form, out, true)
        .map(|(p, _)| p.path)
        .map_err(|e| e.to_string())
}

/// One measured run: (append, build, train) seconds and the number of timeline steps
/// trained.
fn run(project: &Path, folder: &Path) -> Result<(f64, f64, f64, usize), String> {
    let cancel = AtomicBool::new(false);
    let t0 = Instant::now();
    let date = slidemap::project::Project::load(project)
        .map_err(|e| e.to_string())?
        .file
        .event
        .date;
    let scan = scan_coherence_folder(folder, date).map_err(|e| e.to_string())?;
    let out = append_acquisitions(project, &scan.chosen()).map_err(|e| e.to_string())?;
    let t1 = Instant::now();
    let data = build_event(
        &out.project,
        &FeatureOptions::default().with_keep_fine_dem(false),
        &cancel,
        &|_, _| {},
    )
    .map_err(|e| format!("{e:#}"))?;
    let t2 = Instant::now();
    let opts = ExperimentOptions::quick(ExperimentKind::SameEvent);
    let r =
        run_experiment(&[data], &opts, &cancel, &|_, _| {}, &|_| {}).map_err(|e| e.to_string())?;
    let t3 = Instant::now();
    Ok((
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        (t3 - t2).as_secs_f64(),
        r.steps.len(),
    ))
}

fn main() {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("cannot create a temporary folder: {e}");
            return;
        }
    };
    if let Err(e) = write_demo(
        dir.path(),
        &DemoOptions::default(),
        &AtomicBool::new(false),
        &|_, _| {},
    ) {
        eprintln!("demo generation failed: {e:#}");
        return;
    }
    let t = today_folder(dir.path());
    let mut days: Vec<PathBuf> = std::fs::read_dir(&t.incoming)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    days.sort();
    let Some(first_day) = days.first().cloned() else {
        eprintln!("no incoming folder in {}", t.incoming.display());
        return;
    };
    let mut best = f64::INFINITY;
    for k in 1..=3 {
        let project = match revealed_project(&t, &dir.path().join(format!("run{k}/project.toml"))) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("project: {e}");
                return;
            }
        };
        match run(&project, &first_day) {
            Ok((append, build, train, steps)) => {
                let total = append + build + train;
                best = best.min(total);
                println!(
                    "run {k}: append {append:.2} s + build_event {build:.2} s + quick same-event training {train:.2} s ({steps} steps) = {total:.2} s"
                );
            }
            Err(e) => {
                eprintln!("run {k} failed: {e}");
                return;
            }
        }
    }
    println!(
        "add acquisition + quick retrain: best of 3 = {best:.2} s (target 5 s; {cores} cores, {} rayon threads)",
        rayon::current_num_threads()
    );
}
