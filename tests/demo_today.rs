//! The fourth demo event, "today's earthquake", as a class meets it: a project with only the
//! day-0 inputs, radar pairs that arrive in `incoming/` one date at a time, and the inventory
//! kept in `truth/` until the trainer reveals it; mapped from the three demo events through
//! the real binary, then scored once the truth is in the project.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

use chrono::{Days, NaiveDate};
use slidemap::demo::{demo_is_complete, today_folder, write_demo, DemoOptions, TodayFolder};
use slidemap::io::{raster_info, read_raster, read_vector, VectorReadOptions};
use slidemap::project::{scan_coherence_folder, PairTiming, Pass, Project};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::sync::OnceLock;

struct Demo {
    dir: tempfile::TempDir,
    past: Vec<PathBuf>,
    today: TodayFolder,
    date: NaiveDate,
}

fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let past = write_demo(
            dir.path(),
            &DemoOptions::default(),
            &AtomicBool::new(false),
            &|_, _| {},
        )
        .unwrap();
        let today = today_folder(dir.path());
        let date = Project::load(&today.project).unwrap().file.event.date;
        Demo {
            dir,
            past,
            today,
            date,
        }
    })
}

fn day(d: &Demo, n: u64) -> NaiveDate {
    d.date + Days::new(n)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Run the binary; panics with its stderr when it fails.
fn slidemap(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_slidemap"))
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "slidemap {args:?}: {stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `slidemap init` of today's event from its day-0 inputs, the radar in `coherence` and,
/// when `truth`, the revealed inventory; returns the project path.
fn init(d: &Demo, out: &Path, coherence: &Path, truth: bool) -> PathBuf {
    let t = &d.today.dir;
    let f = |name: &str| t.join(name).to_str().unwrap().to_string();
    let mut args: Vec<String> = [
        "init",
        "--out",
        s(out),
        "--name",
        "Today's earthquake",
        "--date",
        &d.date.to_string(),
        "--dem",
        &f("dem.tif"),
        "--pgv",
        &f("grid.xml"),
        "--lithology",
        &f("lithology.gpkg"),
        "--lithology-field",
        "glim_class",
        "--land-cover",
        &f("landcover.tif"),
        "--ground-failure",
        &f("ground_failure.tif"),
        "--study-area",
        &f("study_area.gpkg"),
        "--coherence",
        s(coherence),
    ]
    .map(String::from)
    .to_vec();
    if truth {
        args.extend(
            [
                "--inventory",
                s(&d.today.truth_inventory),
                "--mapped-extent",
                s(&d.today.truth_mapped_extent),
            ]
            .map(String::from),
        );
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let stdout = slidemap(&refs);
    assert!(stdout.contains("3 acquisition(s)"), "{stdout}");
    out.to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

#[test]
fn todays_project_holds_only_the_day_0_inputs_and_the_demo_is_complete() {
    let d = demo();
    assert_eq!(
        d.past.len(),
        3,
        "write_demo returns the three scored events"
    );
    let p = Project::load(&d.today.project).unwrap();
    let inputs = &p.file.inputs;
    assert!(inputs.inventory.is_none() && inputs.mapped_extent.is_none());
    assert!(p.file.acquisitions.is_empty(), "no radar on day 0");
    assert!(inputs.pgv.as_ref().unwrap().path.ends_with("grid.xml"));
    for needed in [
        inputs.lithology.as_ref().map(|l| &l.path),
        inputs.land_cover.as_ref().map(|l| &l.path),
        inputs.ground_failure.as_ref().and_then(|g| g.path.as_ref()),
        inputs.study_area.as_ref().map(|v| &v.path),
    ] {
        assert!(d.today.dir.join(needed.unwrap()).is_file());
    }
    // nothing of the truth lies beside the project
    assert!(!d.today.dir.join("inventory.gpkg").exists());
    assert!(!d.today.dir.join("coherence").exists());
    assert!(demo_is_complete(d.dir.path()));
    // a responder's DEM: 16 × 14 km of 30 m cells
    let dem = raster_info(&d.today.dir.join("dem.tif")).unwrap();
    assert_eq!((dem.spec.cols, dem.spec.rows), (533, 467), "{dem:?}");
}

#[test]
fn incoming_radar_scans_into_three_acquisitions_dated_from_the_event() {
    let d = demo();
    let scan = scan_coherence_folder(&d.today.incoming, d.date).unwrap();
    assert!(scan.skipped.is_empty(), "{:?}", scan.skipped);
    let got: Vec<_> = scan
        .acquisitions
        .iter()
        .map(|a| {
            (
                a.sensor.as_str(),
                a.track.as_str(),
                a.pass,
                a.first_post_date,
                a.second_post_date,
                a.sibling.is_some(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "Sentinel-1",
                "T104",
                Pass::Descending,
                day(d, 2),
                Some(day(d, 8)),
                true
            ),
            (
                "Sentinel-1",
                "T016",
                Pass::Ascending,
                day(d, 4),
                Some(day(d, 16)),
                true
            ),
            (
                "ALOS-2",
                "P129",
                Pass::Descending,
                day(d, 9),
                Some(day(d, 23)),
                false
            ),
        ]
    );
    let count = |t: PairTiming| scan.pairs.iter().filter(|p| p.timing == t).count();
    // two siblings are co-event pairs too
    assert_eq!(
        (
            count(PairTiming::PreEvent),
            count(PairTiming::CoEvent),
            count(PairTiming::PostEvent)
        ),
        (3, 5, 3)
    );
    for p in &scan.pairs {
        if p.sensor == "Sentinel-1" {
            assert_eq!(
                raster_info(&p.path).unwrap().data_type,
                "Byte",
                "LiCSAR uint8"
            );
        }
        // each pair sits in the folder of the day it can be received
        let arrival = p.path.strip_prefix(&d.today.incoming).unwrap();
        let folder = arrival.components().next().unwrap().as_os_str();
        let folder = NaiveDate::parse_from_str(folder.to_str().unwrap(), "%Y-%m-%d").unwrap();
        assert!(
            folder >= p.second && folder <= day(d, 23),
            "{}",
            p.path.display()
        );
    }
}

#[test]
fn received_folders_give_the_acquisitions_of_their_dates_only() {
    let d = demo();
    let received = d.dir.path().join("received-scan");
    copy_dir(
        &d.today.incoming.join(day(d, 2).to_string()),
        &received.join(day(d, 2).to_string()),
    );
    let scan = scan_coherence_folder(&received, d.date).unwrap();
    assert_eq!(scan.acquisitions.len(), 1);
    let a = &scan.acquisitions[0];
    assert_eq!((a.track.as_str(), a.first_post_date), ("T104", day(d, 2)));
    assert!(a.post_event.is_none() && a.second_post_date.is_none());
    for n in [4, 8] {
        copy_dir(
            &d.today.incoming.join(day(d, n).to_string()),
            &received.join(day(d, n).to_string()),
        );
    }
    let scan = scan_coherence_folder(&received, d.date).unwrap();
    assert_eq!(scan.acquisitions.len(), 2);
    assert_eq!(scan.acquisitions[0].second_post_date, Some(day(d, 8)));
    assert!(
        scan.acquisitions[1].post_event.is_none(),
        "T016's second image is day 16"
    );
}

#[test]
fn the_truth_inventory_loads_on_the_dem_crs_with_believable_landslides() {
    let d = demo();
    let dem = raster_info(&d.today.dir.join("dem.tif")).unwrap();
    let opts = VectorReadOptions::new(&dem.spec.crs_wkt);
    let inv = read_vector(&d.today.truth_inventory, &opts).unwrap();
    assert!(
        (800..2_500).contains(&inv.features.len()),
        "{} landslides",
        inv.features.len()
    );
    let areas: Vec<f64> = inv
        .features
        .iter()
        .map(|f| f.parts.iter().map(|p| p.area()).sum())
        .collect();
    assert!(areas.iter().all(|a| (350.0..=60_000.0).contains(a)));
    let extent = read_vector(&d.today.truth_mapped_extent, &opts).unwrap();
    assert_eq!(extent.features.len(), 1);
    let mapped_km2: f64 = extent.features[0]
        .parts
        .iter()
        .map(|p| p.area())
        .sum::<f64>()
        / 1e6;
    assert!(
        (100.0..224.0).contains(&mapped_km2),
        "mapped {mapped_km2} km² of 16 × 14 km"
    );
}

#[test]
fn day_0_maps_come_from_the_three_demo_events_without_scores() {
    let d = demo();
    let out = d.dir.path().join("out-day0");
    let mut args = vec!["predict", s(&d.today.project), "--global"];
    args.extend(d.past.iter().map(|p| s(p)));
    args.extend(["--quick", "--ensemble", "2", "--out", s(&out)]);
    slidemap(&args);
    let metrics = std::fs::read_to_string(out.join("metrics.csv")).unwrap();
    let rows: Vec<&str> = metrics.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "day 0 only: {metrics}");
    assert!(rows[0].contains(",none,"), "not scored: {metrics}");
    let map = out
        .join("maps")
        .join("Today_s_earthquake__synthetic_")
        .join("predicted_step0.tif");
    let lad = read_raster(&map, 1).unwrap();
    let values: Vec<f32> = lad.data.iter().copied().filter(|v| v.is_finite()).collect();
    assert!(values.len() > 4_000, "{} mapped cells", values.len());
    assert!(values.iter().all(|v| (0.0..=1.0).contains(v)));
    let max = values.iter().copied().fold(0.0f32, f32::max);
    assert!(max > 0.05, "some cells are predicted to fail: max {max}");
}

#[test]
fn revealing_the_truth_scores_the_map_of_the_first_radar_day() {
    let d = demo();
    let project = init(
        d,
        &d.dir.path().join("revealed").join("project.toml"),
        &d.today.incoming,
        true,
    );
    let p = Project::load(&project).unwrap();
    assert!(p.file.inputs.inventory.is_some());
    assert_eq!(p.file.acquisitions.len(), 3);
    let out = d.dir.path().join("out-revealed");
    let as_of = day(d, 2).to_string();
    let mut args = vec!["predict", s(&project), "--global"];
    args.extend(d.past.iter().map(|p| s(p)));
    args.extend([
        "--quick",
        "--ensemble",
        "2",
        "--as-of",
        &as_of,
        "--latest-only",
        "--out",
        s(&out),
    ]);
    slidemap(&args);
    let metrics = std::fs::read_to_string(out.join("metrics.csv")).unwrap();
    let mut lines = metrics.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(row[col("date")], as_of, "{metrics}");
    assert_eq!(row[col("sensor")], "S1_desc", "{metrics}");
    assert_eq!(row[col("validation")], "independent-test", "{metrics}");
    let auc: f64 = row[col("auc")].parse().unwrap();
    assert!(auc > 0.65 && auc <= 1.0, "AUC {auc}");
    let slides: usize = row[col("n_test_landslide")].parse().unwrap();
    assert!(slides > 50, "{slides} landslide test cells");
}
