//! Generation time of the built-in demo (the three scored events and today's), a plain `main`
//! (harness = false).
//!
//! Run: `cargo bench --no-default-features --bench demo`. Prints wall-clock seconds per run,
//! the best of three, the total size on disk and the machine's core count. Target: ≤ 10 s
//! on 2 cores.

use slidemap::demo::{write_demo, DemoOptions};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| {
                    let path = e.path();
                    if path.is_dir() {
                        dir_size(&path)
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn main() {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let threads = rayon::current_num_threads();
    let mut best = f64::INFINITY;
    for run in 1..=3 {
        let dir = match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => {
                eprintln!("cannot create a temporary folder: {e}");
                return;
            }
        };
        let t0 = Instant::now();
        if let Err(e) = write_demo(
            dir.path(),
            &DemoOptions::default(),
            &AtomicBool::new(false),
            &|_, _| {},
        ) {
            eprintln!("demo generation failed: {e:#}");
            return;
        }
        let secs = t0.elapsed().as_secs_f64();
        best = best.min(secs);
        println!(
            "run {run}: {secs:.2} s, {:.1} MB on disk",
            dir_size(dir.path()) as f64 / 1e6
        );
    }
    println!("demo generation: best of 3 = {best:.2} s ({cores} cores available, {threads} rayon threads)");
}
