//! File → Add acquisitions… in the window (egui_kittest, headless): today's demo event is
//! open with its day-0 project, the first radar folder of `incoming/` is scanned, reviewed
//! and added; the event reloads with one more timeline step, the project file names the
//! new files, and the training areas drawn before the reload are still there. A pair with
//! an image on the event day is a question in the window, answered by a click; a same-event
//! model retrains quick once the event is reloaded.

use crate::common::{dem_spec, small_event, tif};
use crate::{harness, settle};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use slidemap::coherence::Timeline;
use slidemap::gui::drawing::model::{Drawing, DrawnPolygon};
use slidemap::gui::{Level, SlideMapApp};
use std::path::PathBuf;

/// Click a button and wait for what it started (a click takes a frame or two to land).
fn click(h: &mut Harness<'static, SlideMapApp>, label: &str) {
    crate::click(h, label);
    settle(h);
}

fn steps(app: &SlideMapApp) -> usize {
    let p = app.event().and_then(|e| e.project.as_ref()).unwrap();
    Timeline::from_project(p).steps.len()
}

#[test]
fn a_radar_folder_that_arrives_later_adds_its_timeline_step_to_the_open_event() {
    let demo = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    crate::demo_projects(demo.path());
    let t = slidemap::demo::today_folder(demo.path());
    let mut days: Vec<PathBuf> = std::fs::read_dir(&t.incoming)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    days.sort();
    let first_day = days[0].clone();
    let mut h = harness(state.path(), vec![t.project.clone()], [1400.0, 900.0]);
    settle(&mut h);
    let before = steps(h.state());
    // a training area drawn before the radar arrives
    let ring = vec![[0.0, 0.0], [0.001, 0.0], [0.001, 0.001]];
    h.state_mut().events[0].drawing = Drawing::from_polygons(vec![DrawnPolygon {
        id: 0,
        label: "mine".into(),
        lon_lat: ring.clone(),
        kind: slidemap::gui::drawing::PolygonKind::MappedArea,
    }]);

    click(&mut h, "Add acquisitions…");
    assert!(h.state().add_acquisitions.is_open());
    h.state_mut().add_acquisitions.state_mut().unwrap().folder = first_day.display().to_string();
    click(&mut h, "Scan");
    {
        let st = h.state_mut().add_acquisitions.state_mut().unwrap();
        assert_eq!(st.error, None);
        let scan = st.scan.as_ref().unwrap();
        assert_eq!(scan.acquisitions.len(), 1, "{:?}", scan.skipped);
    }
    assert!(
        h.query_by_label("co-event pair").is_some(),
        "the review table"
    );
    assert!(h
        .query_by_label_contains("1 acquisition(s) to add")
        .is_some());
    if let Some(dir) = std::env::var_os("SLIDEMAP_SCREENSHOTS") {
        h.run_steps(3);
        let img = h.render().unwrap();
        img.save(PathBuf::from(dir).join("add-acquisitions.png"))
            .unwrap();
    }
    click(&mut h, "Add to the project");
    assert!(!h.state().add_acquisitions.is_open(), "the window closes");

    let app = h.state();
    assert_eq!(steps(app), before + 1, "one more timeline step");
    assert!(app.event().unwrap().data.is_some(), "features rebuilt");
    let text = std::fs::read_to_string(&t.project).unwrap();
    let rel = first_day
        .strip_prefix(&t.dir)
        .unwrap()
        .display()
        .to_string();
    assert!(
        text.contains(&rel),
        "the project names the new files: {text}"
    );
    assert_eq!(
        app.event().unwrap().drawing.polygons[0].lon_lat,
        ring,
        "the drawing survives the reload"
    );
    assert!(
        app.messages.iter().all(|m| m.level != Level::Error),
        "{:?}",
        app.messages
    );

    // +8 d: the folder holds only T104's post-event pair; it completes the acquisition and
    // adds the post-event step.
    let after_first = steps(h.state());
    let post_day = days
        .iter()
        .find(|d| d.ends_with("2026-11-25"))
        .unwrap()
        .clone();
    click(&mut h, "Add acquisitions…");
    h.state_mut().add_acquisitions.state_mut().unwrap().folder = post_day.display().to_string();
    click(&mut h, "Scan");
    {
        let st = h.state_mut().add_acquisitions.state_mut().unwrap();
        assert_eq!(st.error, None);
        assert_eq!(st.completions.len(), 1, "{:?}", st.scan);
    }
    assert!(h
        .query_by_label_contains("post-event pair 2026-11-19 to 2026-11-25")
        .is_some());
    click(&mut h, "Add to the project");
    assert_eq!(steps(h.state()), after_first + 1, "the post-event step");
    let p = slidemap::project::Project::load(&t.project).unwrap();
    assert_eq!(
        p.file.acquisitions[0].second_post_date,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
    );
}

#[test]
fn an_image_on_the_event_day_is_asked_about_and_the_answer_adds_it() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let project = small_event(dir.path());
    let folder = dir.path().join("incoming");
    std::fs::create_dir_all(&folder).unwrap();
    let spec = dem_spec();
    for name in [
        "S1_asc_T085_20150406_20150418_cc.tif",
        "S1_asc_T085_20150418_20150425_cc.tif",
    ] {
        tif(&folder.join(name), &spec, vec![0.5; spec.len()]);
    }
    let mut h = harness(state.path(), vec![project.clone()], [1400.0, 900.0]);
    settle(&mut h);
    let before = steps(h.state());
    click(&mut h, "Add acquisitions…");
    h.state_mut().add_acquisitions.state_mut().unwrap().folder = folder.display().to_string();
    click(&mut h, "Scan");
    assert!(
        h.query_by_label_contains("before or after the earthquake?")
            .is_some(),
        "the question is shown"
    );
    assert!(h
        .query_by_label_contains("0 acquisition(s) to add")
        .is_some());
    click(&mut h, "after the earthquake");
    assert!(h
        .query_by_label_contains("1 acquisition(s) to add")
        .is_some());
    click(&mut h, "Add to the project");
    let p = slidemap::project::Project::load(&project).unwrap();
    assert_eq!(p.file.acquisitions.len(), 1);
    assert_eq!(
        p.file.acquisitions[0].first_post_date.to_string(),
        "2015-04-25"
    );
    assert_eq!(steps(h.state()), before + 1);
    // the small event has an inventory: its same-event model retrains quick after the reload
    let app = h.state();
    assert!(app.training.panel.choice.is_same_event());
    assert!(
        app.messages
            .iter()
            .any(|m| m.text.starts_with("training finished")),
        "{:?}",
        app.messages
    );
    assert!(
        app.messages.iter().all(|m| m.level != Level::Error),
        "{:?}",
        app.messages
    );
}
