//! `slidemap predict` and `slidemap train` through the real binary on the built-in demo:
//! a new event without inventory mapped from past events (and from saved models), a
//! same-event map from mapped cells, the files responders get, and bad requests.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

use slidemap::demo::{write_demo, DemoOptions};
use slidemap::project::Project;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::sync::OnceLock;

struct Demo {
    _dir: tempfile::TempDir,
    root: PathBuf,
    past: Vec<PathBuf>,
    /// The Lombok-like event as a responder meets it: no inventory, no mapped extent.
    new: PathBuf,
    /// The Lombok-like event with its inventory.
    mapped: PathBuf,
}

fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let projects = write_demo(
            dir.path(),
            &DemoOptions::default(),
            &AtomicBool::new(false),
            &|_, _| {},
        )
        .unwrap();
        let mut p = Project::load(&projects[2]).unwrap();
        p.file.inputs.inventory = None;
        p.file.inputs.mapped_extent = None;
        p.file.event.name = "Today's event".into();
        p.path = projects[2].with_file_name("new_event.toml");
        p.save().unwrap();
        Demo {
            root: dir.path().to_path_buf(),
            _dir: dir,
            past: projects[..2].to_vec(),
            new: p.path,
            mapped: projects[2].clone(),
        }
    })
}

struct Outcome {
    code: Option<i32>,
    stderr: String,
}

fn slidemap(args: &[&str]) -> Outcome {
    let out = Command::new(env!("CARGO_BIN_EXE_slidemap"))
        .args(args)
        .output()
        .unwrap();
    Outcome {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_new_event_without_inventory_is_mapped_from_past_events_and_from_saved_models() {
    let d = demo();
    let date = Project::load(&d.new).unwrap().file.event.date;
    let as_of = (date + chrono::Days::new(8)).to_string();
    let out = d.root.join("out-global");
    let r = slidemap(&[
        "predict",
        s(&d.new),
        "--global",
        s(&d.past[0]),
        s(&d.past[1]),
        "--quick",
        "--ensemble",
        "2",
        "--as-of",
        &as_of,
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let metrics = std::fs::read_to_string(out.join("metrics.csv")).unwrap();
    let header = metrics.lines().next().unwrap();
    assert!(header.contains(",validation,"), "{header}");
    assert!(
        metrics.lines().nth(1).unwrap().contains(",none,"),
        "{metrics}"
    );
    let maps = out.join("maps").join("Today_s_event");
    let listing: Vec<String> = std::fs::read_dir(&maps)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_else(|_| {
            std::fs::read_dir(out.join("maps"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        });
    assert!(
        listing.iter().any(|f| f == "predicted_step0.tif")
            && listing.iter().any(|f| f == "predicted_step0.qml")
            && listing.iter().any(|f| f == "ensemble_p95_step0.tif"),
        "{listing:?}"
    );
    // two past events: the interval and P(LAD > 0.1) are calibrated by leaving one out
    for f in [
        "interval_lo_step0.tif",
        "interval_hi_step0.tif",
        "p_landslide_step0.tif",
        "p_landslide_step0.qml",
    ] {
        assert!(listing.iter().any(|x| x == f), "{f} missing: {listing:?}");
    }
    assert!(
        !listing.iter().any(|f| f.starts_with("observed")),
        "{listing:?}"
    );
    let prov = std::fs::read_to_string(out.join("provenance.json")).unwrap();
    assert!(
        prov.contains("\"sha256\"") && prov.contains("\"as_of\""),
        "{prov}"
    );
    assert!(out.join("latest.kmz").exists());
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("no inventory: not scored"),
        "report lacks the words"
    );

    // train once, then predict from the saved models: the same metrics
    let models = d.root.join("models");
    let r = slidemap(&[
        "train",
        s(&d.past[0]),
        s(&d.past[1]),
        "--quick",
        "--ensemble",
        "2",
        "--out",
        s(&models),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(models.join("manifest.json").exists());
    let out2 = d.root.join("out-models");
    let r = slidemap(&[
        "predict",
        s(&d.new),
        "--models",
        s(&models),
        "--quick",
        "--ensemble",
        "2",
        "--as-of",
        &as_of,
        "--out",
        s(&out2),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(out2.join("metrics.csv")).unwrap(),
        metrics
    );
    // other settings than the models were trained with: refused, naming the manifest
    let r = slidemap(&[
        "predict",
        s(&d.new),
        "--models",
        s(&models),
        "--quick",
        "--ensemble",
        "3",
        "--out",
        s(&d.root.join("out-other")),
    ]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("manifest.json"), "{}", r.stderr);
    assert!(!d.root.join("out-other").exists());
}

#[test]
fn a_same_event_prediction_names_its_validation_and_writes_a_mask_and_styles() {
    let d = demo();
    let out = d.root.join("out-same");
    let r = slidemap(&[
        "predict",
        s(&d.mapped),
        "--same-event",
        "--quick",
        "--repeats",
        "1",
        "--as-of",
        &Project::load(&d.mapped)
            .unwrap()
            .file
            .event
            .date
            .to_string(),
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let metrics = std::fs::read_to_string(out.join("metrics.csv")).unwrap();
    let row = metrics.lines().nth(1).unwrap();
    assert!(row.contains("spatial-cv-"), "{metrics}");
    let maps = std::fs::read_dir(out.join("maps"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    for f in [
        "landslides_likely_step0.tif",
        "landslides_likely_step0.qml",
        "predicted_step0.qml",
        "observed_lad.tif",
    ] {
        assert!(maps.join(f).exists(), "{f} missing in {}", maps.display());
    }
    let qml = std::fs::read_to_string(maps.join("landslides_likely_step0.qml")).unwrap();
    assert!(qml.contains("landslides likely"), "{qml}");
}

#[test]
fn bad_prediction_requests_say_what_is_wrong_and_write_nothing() {
    let d = demo();
    let out = d.root.join("out-bad");
    // nothing to predict with
    let r = slidemap(&["predict", s(&d.new), "--out", s(&out)]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("nothing to predict with"), "{}", r.stderr);
    // a same-event model of an event with nothing mapped
    let r = slidemap(&[
        "predict",
        s(&d.new),
        "--same-event",
        "--quick",
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("nothing is mapped"), "{}", r.stderr);
    // --as-of before the event
    let r = slidemap(&[
        "predict",
        s(&d.mapped),
        "--same-event",
        "--as-of",
        "1999-01-01",
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("before the event"), "{}", r.stderr);
    // a model folder whose manifest is damaged
    let models = d.root.join("models-bad");
    std::fs::create_dir_all(&models).unwrap();
    std::fs::write(models.join("manifest.json"), "{ not json").unwrap();
    let r = slidemap(&[
        "predict",
        s(&d.new),
        "--models",
        s(&models),
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("manifest.json") && r.stderr.contains("damaged"),
        "{}",
        r.stderr
    );
    // an invalid date says which
    let r = slidemap(&[
        "predict",
        s(&d.mapped),
        "--same-event",
        "--as-of",
        "2018-02-30",
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("2018-02-30"), "{}", r.stderr);
    assert!(!out.exists(), "nothing may be written");
}
