//! File → New event… in the window (egui_kittest, headless): a mapper's files and a LiCSAR
//! coherence folder become a project that opens as an event; a PGV raster in the wrong
//! unit is reported under its field and nothing is written.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures
#![cfg(feature = "gui")]

mod common;

use common::{dem_spec, small_event, tif, wkt};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use slidemap::gui::new_event_form::Field;
use slidemap::gui::{GuiOptions, Level, SlideMapApp};
use std::path::Path;
use std::time::{Duration, Instant};

fn harness(state: &Path) -> Harness<'static, SlideMapApp> {
    harness_with(state, false)
}

/// `render`: on wgpu (software adapter), so the window can be saved as an image.
fn harness_with(state: &Path, render: bool) -> Harness<'static, SlideMapApp> {
    let ctx = egui::Context::default();
    let opts = GuiOptions {
        state_dir: Some(state.to_path_buf()),
        ..GuiOptions::default()
    };
    let app = SlideMapApp::new(&ctx, None, &opts, Instant::now());
    let mut b = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_step_dt(1.0 / 60.0)
        .with_accessibility_check(false);
    if render {
        b = b.wgpu();
    }
    b.build_ui_state(|ui, app: &mut SlideMapApp| app.ui_root(ui), app)
}

fn settle(h: &mut Harness<'static, SlideMapApp>) {
    let t0 = Instant::now();
    h.step();
    while h.state().busy() {
        assert!(
            t0.elapsed() < Duration::from_secs(300),
            "jobs did not finish"
        );
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
    h.step();
    h.step();
}

/// Click a button and wait for what it started (a click takes a frame or two to land).
fn click(h: &mut Harness<'static, SlideMapApp>, label: &str) {
    // a pointer that rests on the button first, as a hand does
    h.get_by_label(label).hover();
    h.run_steps(2);
    h.get_by_label(label).click();
    h.run_steps(3);
    settle(h);
}

fn licsar_folder(root: &Path) {
    let frame = root.join("085A_05100_131313/interferograms");
    let spec = dem_spec();
    for (k, pair) in ["20150324_20150405", "20150405_20150429"]
        .iter()
        .enumerate()
    {
        let d = frame.join(pair);
        std::fs::create_dir_all(&d).unwrap();
        let v = 0.4 + 0.2 * k as f32;
        tif(
            &d.join(format!("{pair}.geo.cc.tif")),
            &spec,
            vec![v; spec.len()],
        );
    }
}

fn open_form(h: &mut Harness<'static, SlideMapApp>) {
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("New event…").click();
    // a window is laid out invisibly on its first frame
    h.run_steps(5);
    assert!(h.state().new_event.is_open());
}

#[test]
fn a_new_event_is_created_from_the_form_and_opens() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    small_event(dir.path());
    licsar_folder(&dir.path().join("coherence"));
    let out = dir.path().join("mine/today.toml");
    let mut h = harness_with(state.path(), true);
    settle(&mut h);
    open_form(&mut h);
    {
        let f = h.state_mut().new_event.state_mut().unwrap();
        f.name = "Today".into();
        f.date = "2015-04-25".into();
        *f.path(Field::Dem) = dir.path().join("dem.tif").display().to_string();
        *f.path(Field::Pgv) = dir.path().join("pgv.tif").display().to_string();
        *f.path(Field::Coherence) = dir.path().join("coherence").display().to_string();
        f.out = out.display().to_string();
    }
    click(&mut h, "Check files");
    assert!(
        h.query_by_label_contains("1 acquisition(s)").is_some(),
        "the folder's acquisition is listed"
    );
    // SLIDEMAP_SCREENSHOTS=screenshots keeps the image for the README
    let img = h
        .render()
        .expect("wgpu software adapter (lavapipe/llvmpipe)");
    if let Some(dir) = std::env::var_os("SLIDEMAP_SCREENSHOTS") {
        img.save(Path::new(&dir).join("new-event.png")).unwrap();
    }
    click(&mut h, "Create and open");
    assert!(out.is_file(), "the project is saved");
    assert!(!h.state().new_event.is_open(), "the form closes");
    let app = h.state();
    assert!(
        app.events.iter().any(|e| e.name == "Today"),
        "the new event is open"
    );
    assert!(
        app.messages.iter().all(|m| m.level != Level::Error),
        "{:?}",
        app.messages
    );
}

#[test]
fn a_pgv_in_the_wrong_unit_is_shown_under_its_field_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    small_event(dir.path());
    let pspec =
        slidemap::grid::GridSpec::new(20, 20, 86.95, 28.05, 0.01, 0.01, wkt("EPSG:4326")).unwrap();
    tif(
        &dir.path().join("pgv_ms.tif"),
        &pspec,
        vec![0.3; pspec.len()],
    );
    let out = dir.path().join("bad.toml");
    let mut h = harness(state.path());
    settle(&mut h);
    open_form(&mut h);
    {
        let f = h.state_mut().new_event.state_mut().unwrap();
        f.name = "Bad".into();
        f.date = "2015-04-25".into();
        *f.path(Field::Dem) = dir.path().join("dem.tif").display().to_string();
        *f.path(Field::Pgv) = dir.path().join("pgv_ms.tif").display().to_string();
        f.out = out.display().to_string();
    }
    click(&mut h, "Create and open");
    assert!(
        h.query_all_by_label_contains("PGV must be in cm/s").count() >= 2,
        "the problem is shown under its field and in the summary"
    );
    assert!(h.state().new_event.is_open(), "the form stays open");
    assert!(!out.exists(), "nothing is written");
}

/// The README's class exercise in the window: today's demo event, its day-0 files and its
/// `incoming/` radar folder through File → New event…, opened without an inventory.
#[test]
fn todays_demo_earthquake_opens_from_its_files_and_incoming_folder() {
    use slidemap::demo::{today_folder, write_demo, DemoOptions};
    let demo = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    write_demo(
        demo.path(),
        &DemoOptions::default(),
        &std::sync::atomic::AtomicBool::new(false),
        &|_, _| {},
    )
    .unwrap();
    let t = today_folder(demo.path());
    let out = demo.path().join("class/project.toml");
    let mut h = harness(state.path());
    settle(&mut h);
    open_form(&mut h);
    {
        let f = h.state_mut().new_event.state_mut().unwrap();
        f.name = "Today's earthquake".into();
        f.date = "2026-11-17".into();
        for (field, file) in [
            (Field::Dem, "dem.tif"),
            (Field::Pgv, "grid.xml"),
            (Field::Lithology, "lithology.gpkg"),
            (Field::LandCover, "landcover.tif"),
            (Field::GroundFailure, "ground_failure.tif"),
            (Field::StudyArea, "study_area.gpkg"),
        ] {
            *f.path(field) = t.dir.join(file).display().to_string();
        }
        f.lithology_field = "glim_class".into();
        *f.path(Field::Coherence) = t.incoming.display().to_string();
        f.out = out.display().to_string();
    }
    click(&mut h, "Check files");
    assert!(
        h.query_by_label_contains("3 acquisition(s)").is_some(),
        "the two Sentinel-1 tracks and the ALOS-2 track of incoming/ are listed"
    );
    click(&mut h, "Create and open");
    assert!(out.is_file(), "the project is saved");
    let app = h.state();
    assert!(
        app.events.iter().any(|e| e.name == "Today's earthquake"),
        "the new event is open"
    );
    assert!(
        app.messages.iter().all(|m| m.level != Level::Error),
        "{:?}",
        app.messages
    );
}
