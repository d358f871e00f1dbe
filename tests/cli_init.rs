//! `slidemap init` through the real binary: a new event's project from files and a LiCSAR
//! coherence folder, loaded by the feature pipeline unchanged; and the bad inputs a
//! mapper meets (missing DEM, PGV in the wrong unit, a layer elsewhere, a folder without
//! dated pairs, an existing project), each refused with its field named and nothing lost.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

mod common;

use common::{dem_spec, gpkg, small_event, square, tif, wkt};
use slidemap::pipeline::{build_event, FeatureOptions};
use slidemap::project::{Pass, Project};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn slidemap(args: &[&str]) -> Outcome {
    let out = Command::new(env!("CARGO_BIN_EXE_slidemap"))
        .args(args)
        .output()
        .unwrap();
    Outcome {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A LiCSAR frame folder over the small event's DEM: pre-, co- and post-event pairs plus
/// an unwrapped phase file that must be left out.
fn licsar_folder(root: &Path) {
    let frame = root.join("085A_05100_131313/interferograms");
    let spec = dem_spec();
    for (k, pair) in [
        "20150324_20150405",
        "20150405_20150429",
        "20150429_20150511",
    ]
    .iter()
    .enumerate()
    {
        let d = frame.join(pair);
        std::fs::create_dir_all(&d).unwrap();
        let v = 0.3 + 0.2 * k as f32;
        tif(
            &d.join(format!("{pair}.geo.cc.tif")),
            &spec,
            vec![v; spec.len()],
        );
        if k == 1 {
            tif(
                &d.join(format!("{pair}.geo.unw.tif")),
                &spec,
                vec![1.0; spec.len()],
            );
        }
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_new_event_from_files_and_a_licsar_folder_loads_in_the_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    small_event(dir.path());
    licsar_folder(&dir.path().join("coherence"));
    let out = dir.path().join("projects/today.toml");
    let r = slidemap(&[
        "init",
        "--out",
        s(&out),
        "--name",
        "Today",
        "--date",
        "2015-04-25",
        "--dem",
        s(&dir.path().join("dem.tif")),
        "--pgv",
        s(&dir.path().join("pgv.tif")),
        "--inventory",
        s(&dir.path().join("inventory.gpkg")),
        "--coherence",
        s(&dir.path().join("coherence")),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains("Sentinel-1 T085 asc 2015-04-29"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("not a coherence product"),
        "the unwrapped phase is listed as not used: {}",
        r.stdout
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("path = \"../dem.tif\""),
        "paths are relative to the project: {text}"
    );
    let p = Project::load(&out).unwrap();
    assert_eq!(p.file.event.name, "Today");
    assert_eq!(p.file.acquisitions.len(), 1);
    let a = &p.file.acquisitions[0];
    assert_eq!((a.track.as_str(), a.pass), ("T085", Pass::Ascending));
    assert_eq!(
        a.second_post_date,
        chrono::NaiveDate::from_ymd_opt(2015, 5, 11)
    );
    assert!(a
        .co_event
        .path
        .ends_with("20150405_20150429/20150405_20150429.geo.cc.tif"));
    // the pipeline takes it as it takes a hand-written project
    let ev = build_event(
        &p,
        &FeatureOptions::default(),
        &AtomicBool::new(false),
        &|_, _| {},
    )
    .unwrap();
    assert!(ev.table.columns.iter().any(|c| c.name.starts_with("S1_")));
    assert_eq!(ev.landslide_count, 40);
}

#[test]
fn bad_files_are_refused_field_by_field_and_nothing_is_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    small_event(dir.path());
    let d = |n: &str| dir.path().join(n);
    // PGV in m/s (values below 1)
    let pspec =
        slidemap::grid::GridSpec::new(20, 20, 86.95, 28.05, 0.01, 0.01, wkt("EPSG:4326")).unwrap();
    tif(&d("pgv_ms.tif"), &pspec, vec![0.3; pspec.len()]);
    // an inventory 100 km away
    gpkg(
        &d("elsewhere.gpkg"),
        &wkt("EPSG:32645"),
        &[(square(600_000.0, 3_000_000.0, 100.0), 2015)],
    );
    std::fs::create_dir_all(d("empty_coherence")).unwrap();
    std::fs::write(d("empty_coherence/readme.txt"), "nothing").unwrap();
    let out = d("new.toml");
    let r = slidemap(&[
        "init",
        "--out",
        s(&out),
        "--name",
        "x",
        "--date",
        "2015-04-25",
        "--dem",
        s(&d("dem.tif")),
        "--pgv",
        s(&d("pgv_ms.tif")),
        "--inventory",
        s(&d("elsewhere.gpkg")),
        "--coherence",
        s(&d("empty_coherence")),
    ]);
    assert_ne!(r.code, Some(0));
    for (field, words) in [
        ("--pgv", "cm/s"),
        ("--inventory", "does not overlap the DEM"),
        ("--coherence", "no file with two dates"),
    ] {
        let line = r
            .stderr
            .lines()
            .find(|l| l.trim_start().starts_with(field))
            .unwrap_or_else(|| panic!("no {field} line in {}", r.stderr));
        assert!(line.contains(words), "{line}");
    }
    assert!(!out.exists(), "nothing written when a field is wrong");

    // a missing DEM names the file
    let r = slidemap(&[
        "init",
        "--out",
        s(&out),
        "--name",
        "x",
        "--date",
        "2015-04-25",
        "--dem",
        s(&d("no_such_dem.tif")),
    ]);
    assert_ne!(r.code, Some(0));
    assert!(
        r.stderr.contains("--dem") && r.stderr.contains("no_such_dem.tif"),
        "{}",
        r.stderr
    );

    // an existing project is kept unless overwriting is asked for
    std::fs::write(&out, "# mine\n").unwrap();
    let dem = d("dem.tif");
    let args = [
        "init",
        "--out",
        s(&out),
        "--name",
        "x",
        "--date",
        "2015-04-25",
        "--dem",
        s(&dem),
    ];
    let r = slidemap(&args);
    assert_ne!(r.code, Some(0));
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "# mine\n");
    let mut again = args.to_vec();
    again.push("--overwrite");
    let r = slidemap(&again);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(Project::load(&out).is_ok());
}
