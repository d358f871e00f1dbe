//! The mapper's workbench in the window (egui_kittest, headless), one test binary for its
//! four flows (each module's doc says what it checks): digitising mapped areas and
//! landslides (`mapping`), the global model of a new event from past events or saved
//! models (`global_model`), radar that arrives later (`add_acquisitions`) and imagery to map
//! from (`imagery`). One binary links the app once instead of four times.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures
#![cfg(feature = "gui")]

#[path = "../common/mod.rs"]
mod common;

mod add_acquisitions;
mod both_models;
mod global_model;
mod imagery;
mod mapping;

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use slidemap::gui::{GuiOptions, SlideMapApp};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The window on `projects` with its state in `state`, `size` logical pixels; rendered with
/// wgpu only when `SLIDEMAP_SCREENSHOTS` asks for screenshots.
pub fn harness(
    state: &Path,
    projects: Vec<PathBuf>,
    size: [f32; 2],
) -> Harness<'static, SlideMapApp> {
    let ctx = egui::Context::default();
    let opts = GuiOptions {
        projects,
        state_dir: Some(state.to_path_buf()),
        ..GuiOptions::default()
    };
    let app = SlideMapApp::new(&ctx, None, &opts, Instant::now());
    let mut b = Harness::builder()
        .with_size(egui::vec2(size[0], size[1]))
        .with_step_dt(1.0 / 60.0)
        .with_accessibility_check(false);
    if std::env::var_os("SLIDEMAP_SCREENSHOTS").is_some() {
        b = b.wgpu();
    }
    b.build_ui_state(|ui, app: &mut SlideMapApp| app.ui_root(ui), app)
}

/// The demo written into `dir`: its past events' project files, and today's event's.
pub fn demo_projects(dir: &Path) -> (Vec<PathBuf>, PathBuf) {
    let past = slidemap::demo::write_demo(
        dir,
        &slidemap::demo::DemoOptions::default(),
        &std::sync::atomic::AtomicBool::new(false),
        &|_, _| {},
    )
    .unwrap();
    (past, slidemap::demo::today_folder(dir).project)
}

/// Step until no job runs (at most 15 min), then three frames more.
pub fn settle(h: &mut Harness<'static, SlideMapApp>) {
    let t0 = Instant::now();
    h.step();
    while h.state().busy() {
        assert!(
            t0.elapsed() < Duration::from_secs(900),
            "jobs did not finish"
        );
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    h.run_steps(3);
}

/// Press *Quick* and wait for the run; it must not fail.
pub fn train_quick(h: &mut Harness<'static, SlideMapApp>) {
    click(h, "Quick");
    settle(h);
    assert!(
        h.state().training.error.is_none(),
        "{:?}",
        h.state().training.error
    );
}

/// Click a button as a hand does: the pointer rests on it first (a click takes a frame or
/// two to land).
pub fn click(h: &mut Harness<'static, SlideMapApp>, label: &str) {
    h.get_by_label(label).hover();
    h.run_steps(2);
    h.get_by_label(label).click();
    h.run_steps(3);
}
