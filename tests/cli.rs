//! The `slidemap` verbs through the real binary on the built-in demo: `demo`, `features`,
//! `run --quick` (outputs exist and parse), a bad project, usage errors and exit codes
//! (0 done, 1 error, 2 usage). `predict`/`train` are in `cli_predict.rs`, hostile inputs
//! in `cli_bad_input.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

mod common;

use common::cli::Dir;
use slidemap::report::METRICS_COLUMNS;
use std::path::PathBuf;

/// The project files a `slidemap demo` run in `dir` printed (`wrote PATH` lines, a note
/// in brackets after the path of today's event).
fn written_projects(dir: &Dir, stdout: &str) -> Vec<PathBuf> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("wrote "))
        .map(|p| dir.path().join(p.split(" (").next().unwrap_or(p)))
        .collect()
}

#[test]
fn the_demo_goes_through_features_and_a_quick_run() {
    let dir = Dir::new();
    let demo = dir
        .slidemap(["demo", "--out", "demo", "--seed", "42"])
        .success();
    let projects = written_projects(&dir, &demo.stdout);
    // the three scored events, then today's earthquake (day-0 inputs only)
    assert_eq!(projects.len(), 4, "{}", demo.stdout);
    assert!(
        projects[3].ends_with("today/project.toml"),
        "{}",
        demo.stdout
    );
    for p in &projects {
        assert!(p.is_file(), "{} missing", p.display());
    }
    let event = projects[0].as_os_str();

    // A project without a verb is not a verb: usage error.
    dir.slidemap([event, "--out".as_ref(), "x".as_ref()])
        .fails_with(2, &["unrecognized subcommand"]);
    let f = dir
        .slidemap([
            "features".as_ref(),
            event,
            "--out".as_ref(),
            "feat".as_ref(),
        ])
        .success();
    assert!(f.stdout.contains("coarse cells"), "{}", f.stdout);
    for name in ["features.csv", "timeline.csv", "lad.tif"] {
        assert!(dir.join("feat").join(name).is_file(), "no {name}");
    }
    let csv = std::fs::read_to_string(dir.join("feat/features.csv")).unwrap();
    assert!(csv.lines().count() > 1, "features.csv has no rows");
    let timeline = std::fs::read_to_string(dir.join("feat/timeline.csv")).unwrap();
    assert!(timeline.starts_with("step,date,days_after_event,sensor,features_added\n"));

    // One event, same-event, quick preset, 2 repeats: the whole pipeline in a few seconds
    // of a debug build (the global experiment over three events would take minutes).
    let run = dir
        .slidemap([
            "run".as_ref(),
            event,
            "--experiment".as_ref(),
            "same-event".as_ref(),
            "--quick".as_ref(),
            "--repeats".as_ref(),
            "2".as_ref(),
            "--out".as_ref(),
            "run".as_ref(),
        ])
        .success();
    let report = dir.path().join(run.stdout.trim());
    assert!(
        report.ends_with("report.html") && report.is_file(),
        "{}",
        run.stdout
    );
    let metrics = std::fs::read_to_string(dir.join("run/metrics.csv")).unwrap();
    let mut lines = metrics.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(&header[..METRICS_COLUMNS.len()], &METRICS_COLUMNS[..]);
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(!rows.is_empty(), "metrics.csv has no rows");
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    for r in &rows {
        assert_eq!(r[col("experiment")], "same-event");
        assert_eq!(r[col("repeats")], "2");
        let auc: f64 = r[col("auc")].parse().unwrap();
        assert!(auc.is_nan() || (0.0..=1.0).contains(&auc), "AUC {auc}");
    }
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("same-event") && html.contains("seed"));
    assert!(dir.join("run/importances.csv").is_file());

    // The output folder is refused when it is not empty, and replaced with --overwrite.
    let again = [
        "run".as_ref(),
        event,
        "--quick".as_ref(),
        "--repeats".as_ref(),
        "2".as_ref(),
        "--out".as_ref(),
        "run".as_ref(),
    ];
    dir.slidemap(again).fails_with(1, &["run", "--overwrite"]);
}

#[test]
fn a_bad_project_is_named_with_exit_1_and_nothing_is_written() {
    let dir = Dir::new();
    let bad = dir.create("bad.toml", "this is not = [a project\n");
    for verb in ["features", "run"] {
        dir.slidemap([
            verb.as_ref(),
            bad.as_os_str(),
            "--out".as_ref(),
            "o".as_ref(),
        ])
        .fails_with(1, &["bad.toml"]);
        assert!(!dir.join("o").exists(), "{verb} wrote an output folder");
    }
    let missing = dir.join("missing.toml");
    dir.slidemap([
        "features".as_ref(),
        missing.as_os_str(),
        "--out".as_ref(),
        "o".as_ref(),
    ])
    .fails_with(1, &["missing.toml"]);
}

#[test]
fn usage_errors_exit_2_and_say_what_is_allowed() {
    let dir = Dir::new();
    dir.slidemap(["run", "p.toml", "--out", "o", "--experiment", "nonsense"])
        .fails_with(2, &["nonsense", "same-event", "sar-only", "holdout"]);
    dir.slidemap(["run", "p.toml", "--out", "o", "--repeats", "0"])
        .fails_with(2, &["at least 1"]);
    dir.slidemap(["run", "p.toml", "--out", "o", "--seed", "-1"])
        .fails_with(2, &["non-negative"]);
    dir.slidemap(["run", "--out", "o"])
        .fails_with(2, &["PROJECTS"]);
    dir.slidemap(["frobnicate"]).fails_with(2, &["frobnicate"]);
    let help = dir.slidemap(["run", "--help"]).success();
    for flag in [
        "--experiment",
        "--quick",
        "--repeats",
        "--seed",
        "--overwrite",
        "--gf-transform",
    ] {
        assert!(help.stdout.contains(flag), "run --help lacks {flag}");
    }
}
