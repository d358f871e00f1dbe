//! The global model in the window for an event without inventory (egui_kittest, headless):
//! it learns from the past events ticked in the model panel (one left out here), or predicts
//! with a saved model folder (`slidemap train`) without training; an "as of" date stops the
//! timeline; a malformed date says what is wrong.

use crate::{click, demo_projects, harness, settle, train_quick};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use slidemap::experiment::{ExperimentKind, ExperimentOptions};
use slidemap::gui::model_panel::ModelChoice;
use slidemap::gui::{SlideMapApp, TrainingCmd};
use slidemap::pipeline::{build_event, FeatureOptions};
use slidemap::project::Project;
use std::path::PathBuf;

fn event_steps(h: &Harness<'static, SlideMapApp>, event: &str) -> Vec<usize> {
    let run = h.state().training.results.shown().expect("a run");
    run.steps
        .iter()
        .filter(|s| s.event == event)
        .map(|s| s.step)
        .collect()
}

#[test]
fn the_global_model_learns_from_the_ticked_past_events_or_from_saved_models() {
    let demo = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let (past, today) = demo_projects(demo.path());
    // today's event first (the current one), then two past events
    let mut h = harness(
        state.path(),
        vec![today.clone(), past[1].clone(), past[2].clone()],
        [1600.0, 1000.0],
    );
    settle(&mut h);
    let name = h.state().event().unwrap().name.clone();
    assert_eq!(h.state().training.panel.choice, ModelChoice::Global);
    // The panel lists both past events with their mapped cells.
    let status = h.state().model_panel_status();
    assert_eq!(status.past.len(), 2);
    assert!(status.past.iter().all(|p| p.ready && p.mapped_cells > 0));
    assert!(h.query_by_label("Learns from past events:").is_some());

    // Both past events left out: nothing to learn from, and the panel says what to do.
    let paths: Vec<PathBuf> = status.past.iter().map(|p| p.path.clone()).collect();
    h.state_mut().training.panel.sources.left_out = paths.clone();
    click(&mut h, "Quick");
    let err = h.state().training.error.clone().unwrap_or_default();
    assert!(err.contains("Learns from past events"), "{err}");

    // One ticked: today's event is mapped from it (a map of this event only, step by step).
    h.state_mut().training.panel.sources.left_out = vec![paths[1].clone()];
    train_quick(&mut h);
    let steps = event_steps(&h, &name);
    assert_eq!(steps.first(), Some(&0));
    let run = h.state().training.results.shown().unwrap();
    assert!(
        run.steps.iter().all(|s| s.event == name),
        "only today's event is mapped"
    );
    assert!(run.label.contains("mapping"), "{}", run.label);
    if let Some(dir) = std::env::var_os("SLIDEMAP_SCREENSHOTS") {
        h.run_steps(5);
        let img = h.render().unwrap();
        img.save(PathBuf::from(dir).join("global-model.png"))
            .unwrap();
    }

    // As of the event day: the timeline stops at step 0 (no radar yet).
    let date = Project::load(&today).unwrap().file.event.date;
    h.state_mut().training.panel.as_of = "5 December".into();
    click(&mut h, "Quick");
    let err = h.state().training.error.clone().unwrap_or_default();
    assert!(err.contains("As of") && err.contains("YYYY-MM-DD"), "{err}");
    h.state_mut().training.panel.as_of = date.format("%Y-%m-%d").to_string();
    click(&mut h, "Quick");
    settle(&mut h);
    assert_eq!(event_steps(&h, &name), vec![0]);
    h.state_mut().training.panel.as_of.clear();

    // Saved models trained once on the two past events (core, as `slidemap train` does).
    let feats = FeatureOptions::default().with_keep_fine_dem(false);
    let built: Vec<_> = [&past[1], &past[2]]
        .iter()
        .map(|p| build_event(&Project::load(p).unwrap(), &feats, &cancel, &|_, _| {}).unwrap())
        .collect();
    let new = build_event(&Project::load(&today).unwrap(), &feats, &cancel, &|_, _| {}).unwrap();
    let models = demo.path().join("models");
    let opts = ExperimentOptions::quick(ExperimentKind::Global).with_seed(0);
    slidemap::rapid::train(&built, &opts, Some(&new), &models, &cancel, &|_, _| {}).unwrap();
    h.state_mut().run_training_cmd(
        TrainingCmd::SetModelFolder(Some(models.clone())),
        &egui::Context::default(),
    );
    settle(&mut h);
    assert!(
        h.state().training.panel.sources.models.is_some(),
        "{:?}",
        h.state().messages
    );
    assert!(
        h.query_by_label_contains("Predicts with the saved models")
            .is_some(),
        "{:?}",
        h.state().messages
    );
    train_quick(&mut h);
    let run = h.state().training.results.shown().unwrap();
    assert!(run.label.contains("saved models"), "{}", run.label);
    assert_eq!(event_steps(&h, &name).first(), Some(&0));
    assert!(
        run.steps.iter().all(|s| s.event == name),
        "only today's event is mapped"
    );
}
