//! egui_kittest: training in the window. Open the demo → train (quick) → step until the
//! job is done → one plot point per step, importance bars summing to 1, layers of the
//! selected step → cancel a second job (with grid search) mid-way → the UI still answers
//! and the earlier results remain. Bad input gives a clear message and loses nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures
#![cfg(feature = "gui")]

mod common;

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use slidemap::gui::layer::LayerKind;
use slidemap::gui::model_panel::ModelChoice;
use slidemap::gui::plots::importance_plot::importance_table;
use slidemap::gui::plots::steps_plot::{step_series, Metric};
use slidemap::gui::plots::PlotKind;
use slidemap::gui::{GuiOptions, SlideMapApp};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn demo_project() -> PathBuf {
    static DEMO: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let paths = slidemap::demo::write_demo(
            dir.path(),
            &slidemap::demo::DemoOptions::default(),
            &cancel,
            &|_, _| {},
        )
        .unwrap();
        let first = paths[0].clone();
        (dir, first)
    })
    .1
    .clone()
}

fn harness(state: &std::path::Path) -> Harness<'static, SlideMapApp> {
    let opts = GuiOptions {
        projects: vec![demo_project()],
        state_dir: Some(state.to_path_buf()),
        ..GuiOptions::default()
    };
    let ctx = egui::Context::default();
    let app = SlideMapApp::new(&ctx, None, &opts, Instant::now());
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_step_dt(1.0 / 60.0)
        .with_accessibility_check(false)
        .wgpu()
        .build_ui_state(|ui, app: &mut SlideMapApp| app.ui_root(ui), app)
}

/// Step until no job runs; returns the slowest frame.
fn settle(h: &mut Harness<'static, SlideMapApp>, timeout_s: u64) -> Duration {
    let t0 = Instant::now();
    let mut worst = Duration::ZERO;
    h.step();
    while h.state().busy() {
        assert!(
            t0.elapsed() < Duration::from_secs(timeout_s),
            "jobs did not finish"
        );
        std::thread::sleep(Duration::from_millis(10));
        let f = Instant::now();
        h.step();
        worst = worst.max(f.elapsed());
    }
    h.step();
    h.step();
    worst
}

/// Every file under `dir` (relative paths).
fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p.display().to_string());
            }
        }
    }
    out
}

fn last_message(h: &Harness<'static, SlideMapApp>) -> String {
    h.state()
        .messages
        .last()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn train_stream_select_cancel_and_bad_input() {
    let state = tempfile::tempdir().unwrap();
    let mut h = harness(state.path());
    settle(&mut h, 600);
    assert!(
        h.state().event().and_then(|e| e.data.as_ref()).is_some(),
        "{:?}",
        h.state().messages
    );

    // SLIDEMAP_TEST_RENDER_DIR=D renders the README's screenshots of this flow into D.
    let render_dir = std::env::var("SLIDEMAP_TEST_RENDER_DIR").ok();
    let render = |h: &mut Harness<'static, SlideMapApp>, name: &str| {
        if let Some(dir) = &render_dir {
            h.step();
            h.step();
            if let Ok(img) = h.render() {
                img.save(format!("{dir}/{name}.png")).ok();
            }
        }
    };
    if render_dir.is_some() {
        // the map and layers: the DEM's style shown
        let ev = &mut h.state_mut().events[0];
        let dem = ev.layers.iter().find(|l| l.name == "DEM").map(|l| l.id);
        h.state_mut().layers_panel.selected = dem;
        render(&mut h, "map-layers");
        h.state_mut().layers_panel.selected = None;
    }

    // Train (quick setting) and step until the job is done.
    h.get_by_label("Quick").click();
    h.step();
    assert!(
        h.state().training.job.is_some(),
        "{:?}",
        h.state().training.error
    );
    if render_dir.is_some() {
        // streaming: the first steps arrived, the job still runs
        let t0 = Instant::now();
        while h
            .state()
            .training
            .results
            .running
            .as_ref()
            .is_none_or(|r| r.steps.len() < 2)
            && t0.elapsed() < Duration::from_secs(300)
        {
            std::thread::sleep(Duration::from_millis(20));
            h.step();
        }
        render(&mut h, "training-progress");
    }
    settle(&mut h, 300);
    if render_dir.is_some() {
        for tab in [PlotKind::Steps, PlotKind::Roc, PlotKind::Importances] {
            h.state_mut().training.tab = tab;
            render(&mut h, &format!("training-{}", tab.stem()));
        }
        h.state_mut().training.tab = PlotKind::Steps;
        // an earlier step selected on the timeline: its map, summary and marker
        let last = h.state().training.results.selected_step;
        h.state_mut().training.results.selected_step = Some(3);
        settle(&mut h, 60);
        render(&mut h, "training-timeline");
        h.state_mut().training.results.selected_step = last;
        settle(&mut h, 60);
    }
    let app = h.state();
    let event = app.event().unwrap().name.clone();
    let n_steps =
        slidemap::coherence::Timeline::from_project(app.event().unwrap().project.as_ref().unwrap())
            .steps
            .len();
    let run = app
        .training
        .results
        .finished
        .clone()
        .expect("a finished run");
    assert!(run.complete);
    let steps = run.event_steps(&event);
    assert_eq!(steps.len(), n_steps, "one result per timeline step");
    for m in [Metric::Auc, Metric::R2] {
        assert_eq!(
            step_series(&steps, m).markers.len(),
            n_steps,
            "one point per step"
        );
    }
    for k in 0..steps.len() {
        let sum: f64 = importance_table(&steps).iter().map(|(_, v)| v[k]).sum();
        assert!(
            (sum - 1.0).abs() < 1e-6,
            "importance bars of step {k} sum to {sum}"
        );
    }
    // The newest step is selected and its predicted LAD is on the map.
    assert_eq!(app.training.results.selected_step, Some(n_steps - 1));
    let layers = &app.event().unwrap().layers;
    assert!(
        layers
            .iter()
            .any(|l| l.kind == LayerKind::Predicted && l.name.starts_with("Predicted LAD")),
        "{:?}",
        layers.iter().map(|l| &l.name).collect::<Vec<_>>()
    );

    // Select step 0 on the plots' data: the map follows.
    h.state_mut().run_training_cmd(
        slidemap::gui::TrainingCmd::SelectStep(0),
        &egui::Context::default(),
    );
    settle(&mut h, 60);
    assert!(h
        .state()
        .event()
        .unwrap()
        .layers
        .iter()
        .any(|l| l.name.contains("step 0 (")));

    // Export for responders: the selected step (0) in a new folder next to the project,
    // a second export in another folder (nothing overwritten).
    for (i, suffix) in ["", "_2"].iter().enumerate() {
        h.get_by_label("Export step 0 for responders").hover();
        h.run_steps(2);
        h.get_by_label("Export step 0 for responders").click();
        h.run_steps(2);
        settle(&mut h, 120);
        let msg = last_message(&h);
        assert!(msg.contains("for responders"), "{msg}");
        let out = demo_project()
            .parent()
            .unwrap()
            .join("slidemap-results")
            .join(format!(
                "{}_responders_step0{suffix}",
                event
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    })
                    .collect::<String>()
            ));
        let found: Vec<String> = walk(&out);
        for want in [
            "predicted_step0.tif",
            "predicted_step0.qml",
            "latest.kmz",
            "provenance.json",
        ] {
            assert!(
                found.iter().any(|f| f.ends_with(want)),
                "export {i}: {want} missing in {} ({msg}): {found:?}",
                out.display()
            );
        }
    }

    // A second, slower job (grid search): cancel it mid-way.
    let first_id = run.id;
    h.state_mut().training.panel.grid_search = true;
    h.state_mut().training.panel.repeats = 10;
    h.step();
    h.get_by_label("Train").click();
    h.step();
    assert!(
        h.state().training.job.is_some(),
        "{:?} {:?}",
        h.state().training.error,
        h.state().messages
    );
    let t0 = Instant::now();
    while h
        .state()
        .training
        .job
        .as_ref()
        .is_some_and(|j| j.progress.1 <= 0.0)
        && t0.elapsed() < Duration::from_secs(30)
    {
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
    h.get_by_label("Cancel").click();
    let worst = settle(&mut h, 120);
    assert!(
        worst < Duration::from_millis(250),
        "a frame took {worst:?} while cancelling"
    );
    let app = h.state();
    assert!(app.training.job.is_none());
    assert!(last_message(&h).contains("cancelled"), "{:?}", app.messages);
    let kept = app
        .training
        .results
        .finished
        .as_ref()
        .expect("earlier results remain");
    assert_eq!(kept.id, first_id);
    assert_eq!(kept.event_steps(&event).len(), n_steps);

    // Bad input: polygons experiment with nothing drawn; a global experiment on one event.
    h.state_mut().training.panel.grid_search = false;
    h.state_mut().training.panel.choice = ModelChoice::SameEventPolygons;
    h.step();
    h.get_by_label("Train").click();
    h.step();
    assert!(h.state().training.job.is_none());
    assert!(
        last_message(&h).contains("no training polygons drawn"),
        "{}",
        last_message(&h)
    );
    h.state_mut().training.panel.choice = ModelChoice::Global;
    h.step();
    h.get_by_label("Train").click();
    h.step();
    assert!(
        last_message(&h).contains("two or more open events"),
        "{}",
        last_message(&h)
    );
    assert_eq!(
        h.state().training.results.finished.as_ref().map(|r| r.id),
        Some(first_id),
        "nothing lost"
    );
}

fn rect(b: [f64; 4], f0: f64, f1: f64) -> Vec<[f64; 2]> {
    let (x0, x1) = (b[0] + (b[2] - b[0]) * f0, b[0] + (b[2] - b[0]) * f1);
    let (y0, y1) = (b[1] + (b[3] - b[1]) * f0, b[1] + (b[3] - b[1]) * f1);
    vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
}

#[test]
fn editing_polygons_retrains_in_the_background_and_bad_polygons_say_why() {
    let state = tempfile::tempdir().unwrap();
    let mut h = harness(state.path());
    settle(&mut h, 600);
    let bounds = h
        .state()
        .event()
        .and_then(|e| e.bounds())
        .expect("event bounds");
    h.state_mut().training.panel.choice = ModelChoice::SameEventPolygons;
    h.step();

    // A polygon far outside the event: the engine's reason is shown, no job result lost.
    let off = [
        bounds[2] + 1.0,
        bounds[3] + 1.0,
        bounds[2] + 1.1,
        bounds[3] + 1.1,
    ];
    h.state_mut().events[0]
        .drawing
        .add(
            rect(off, 0.0, 1.0),
            "outside".into(),
            slidemap::gui::drawing::PolygonKind::MappedArea,
        )
        .unwrap();
    settle(&mut h, 120);
    let err = h.state().training.error.clone().unwrap_or_default();
    assert!(
        err.contains("training polygons"),
        "{err} {:?}",
        h.state().messages
    );

    // Replace it by a central polygon: live retraining (debounced) trains the quick setting.
    h.state_mut().events[0].drawing.delete_polygon(0).unwrap();
    h.state_mut().events[0]
        .drawing
        .add(
            rect(bounds, 0.4, 0.6),
            "centre".into(),
            slidemap::gui::drawing::PolygonKind::MappedArea,
        )
        .unwrap();
    let t0 = Instant::now();
    settle(&mut h, 300);
    let app = h.state();
    let run = app
        .training
        .results
        .finished
        .as_ref()
        .expect("a run after the edit");
    assert_eq!(run.kind, slidemap::experiment::ExperimentKind::SameEvent);
    assert!(
        run.label.contains("drawn polygons") && run.label.contains("quick"),
        "{}",
        run.label
    );
    assert!(!run.polygons.is_empty());
    eprintln!(
        "retrained {} steps within {:?} of the edit",
        run.steps.len(),
        t0.elapsed()
    );
    assert!(app.training.error.is_none(), "{:?}", app.training.error);
}

/// The window on these projects (no demo), 1280 × 800.
fn harness_on(projects: Vec<PathBuf>, state: &std::path::Path) -> Harness<'static, SlideMapApp> {
    let opts = GuiOptions {
        projects,
        state_dir: Some(state.to_path_buf()),
        ..GuiOptions::default()
    };
    let ctx = egui::Context::default();
    let app = SlideMapApp::new(&ctx, None, &opts, Instant::now());
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_step_dt(1.0 / 60.0)
        .with_accessibility_check(false)
        .build_ui_state(|ui, app: &mut SlideMapApp| app.ui_root(ui), app)
}

#[test]
fn the_default_experiment_follows_the_inventory_never_random_cells_without_one() {
    use egui_kittest::kittest::NodeT;
    use slidemap::experiment::ValidationKind;
    let (with_dir, without_dir, state) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let small = common::small_event(with_dir.path());
    // The same event as a responder has it on day one: no inventory.
    let bare = common::small_event(without_dir.path());
    let text = std::fs::read_to_string(&bare)
        .unwrap()
        .replace("name = \"small\"", "name = \"day one\"")
        .replace("inventory = { path = \"inventory.gpkg\" }\n", "");
    assert!(!text.contains("inventory"));
    std::fs::write(&bare, text).unwrap();

    let mut h = harness_on(vec![bare], state.path());
    settle(&mut h, 300);
    h.run_steps(3);
    let choice = h.state().training.panel.choice;
    assert_eq!(
        choice,
        ModelChoice::Global,
        "no inventory: the global model"
    );
    assert_ne!(choice, ModelChoice::SameEventRandom);
    assert!(h
        .query_by_label_contains("No inventory on this event")
        .is_some());
    // Random cells cannot be forced on it: the panel moves back to what can run.
    h.state_mut().training.panel.choice = ModelChoice::SameEventRandom;
    h.run_steps(2);
    assert_eq!(h.state().training.panel.choice, ModelChoice::Global);
    // In the menu, random cells sit under "Evaluate (retrospective)", greyed out.
    h.get_by_value("Global, from past events").click();
    h.run_steps(5);
    assert!(h.query_by_label("Evaluate (retrospective)").is_some());
    assert!(h.query_by_label("Rapid mapping").is_some());
    let random = h.get_by_label("Same event, random cells");
    assert!(
        random.accesskit_node().is_disabled(),
        "random cells are not runnable here"
    );
    h.key_press(egui::Key::Escape);
    h.run_steps(3);

    // A few mapped areas: every mapped cell trains, scored by spatial validation.
    let ctx = egui::Context::default();
    h.state_mut()
        .run_cmd(slidemap::gui::Command::OpenProject(small), &ctx);
    settle(&mut h, 300);
    let i = h
        .state()
        .events
        .iter()
        .position(|e| e.name == "small")
        .unwrap();
    h.state_mut()
        .run_cmd(slidemap::gui::Command::SwitchEvent(i), &ctx);
    h.run_steps(3);
    assert_eq!(
        h.state().training.panel.choice,
        ModelChoice::SameEventMapped,
        "a small inventory: the event's own mapped areas"
    );
    assert!(h.query_by_label_contains("Small inventory").is_some());
    h.get_by_label("Quick").hover();
    h.run_steps(2);
    h.get_by_label("Quick").click();
    h.run_steps(3);
    settle(&mut h, 600);
    let app = h.state();
    assert!(app.training.error.is_none(), "{:?}", app.training.error);
    let run = app.training.results.shown().expect("a finished run");
    assert!(run.label.contains("my mapped areas"), "{}", run.label);
    assert!(!run.steps.is_empty());
    for s in &run.steps {
        assert_ne!(s.validation.kind, ValidationKind::RandomCells);
    }
}
