//! Both models in one run (egui_kittest, headless): today's event with a responder's two
//! small mapped areas is mapped from its own mapped cells and from a past event together;
//! the results panel shows one map at a time with each model's score and validation kind,
//! switching swaps the map layers, and the AUC & r² plots draw the other model dashed; the
//! shown map is exported for responders into a folder named for its model, its plot's
//! numbers into a file named for it.

use crate::{click, demo_projects, harness, settle, train_quick};
use egui_kittest::kittest::Queryable;
use slidemap::experiment::{ExperimentKind, TrainingSource, ValidationKind};
use slidemap::gui::model_panel::ModelChoice;
use slidemap::inventory::{write_mapping_gpkg, Digitised, DigitisedPolygon};
use std::path::{Path, PathBuf};

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> DigitisedPolygon {
    DigitisedPolygon {
        label: "checked from imagery".into(),
        ring: vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]],
    }
}

/// Today's demo event as a responder has it on day 3: the landslides of two mapped areas
/// (3 km × 4 km and 4 km × 3 km, ~550 cells: a small inventory).
fn two_mapped_areas(today: &Path) {
    let dir = today.parent().unwrap();
    let crs = gdal::Dataset::open(dir.join("dem.tif"))
        .unwrap()
        .spatial_ref()
        .unwrap()
        .to_wkt()
        .unwrap();
    let areas = Digitised {
        landslides: vec![],
        mapped_areas: vec![
            rect(706_270.0, 9_319_370.0, 709_270.0, 9_323_370.0),
            rect(712_270.0, 9_319_370.0, 716_270.0, 9_322_370.0),
        ],
    };
    write_mapping_gpkg(&dir.join("checked.gpkg"), &crs, &areas).unwrap();
    let mut text = std::fs::read_to_string(today).unwrap();
    text.push_str(
        "\n[inputs.inventory]\npath = \"truth/inventory.gpkg\"\n\n\
         [inputs.mapped_extent]\npath = \"checked.gpkg\"\nlayer = \"mapped_areas\"\n",
    );
    std::fs::write(today, text).unwrap();
}

#[test]
fn both_models_map_the_event_side_by_side_each_with_its_score() {
    let demo = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let (past, today) = demo_projects(demo.path());
    two_mapped_areas(&today);
    let mut h = harness(
        state.path(),
        vec![today.clone(), past[1].clone()],
        [1600.0, 1000.0],
    );
    settle(&mut h);
    let name = h.state().event().unwrap().name.clone();
    assert_eq!(
        h.state().training.panel.choice,
        ModelChoice::SameEventMapped,
        "a small inventory"
    );
    h.state_mut().training.panel.choice = ModelChoice::Both;
    h.state_mut().training.panel.user_chose = true;
    h.run_steps(2);
    assert!(
        h.query_by_label("Learns from past events:").is_some(),
        "Both lists the past events"
    );
    train_quick(&mut h);

    // Two runs in one: the same-event model (every mapped cell) holding the global one.
    let results = &h.state().training.results;
    let whole = results.shown_run().unwrap();
    assert!(whole.complete);
    assert_eq!(whole.kind, ExperimentKind::SameEvent);
    let own_opts = whole.opts.clone().unwrap();
    assert_eq!(own_opts.training, TrainingSource::AllMapped);
    let global = whole.global_of_both.as_deref().unwrap();
    assert_eq!(global.kind, ExperimentKind::Global);
    assert!(
        global.label.contains("Global, from past events"),
        "{}",
        global.label
    );
    let own0 = whole.step(&name, 0).unwrap().clone();
    let global0 = global.step(&name, 0).unwrap().clone();
    assert!(own0.maps.is_some() && global0.maps.is_some());
    assert_ne!(
        own0.maps.as_ref().unwrap().predicted,
        global0.maps.as_ref().unwrap().predicted,
        "two different maps"
    );
    // each scored, and each says how: the same-event model away from its training cells,
    // the global model on every mapped cell of an event it never saw
    for s in [&own0, &global0] {
        assert_ne!(
            s.validation.kind,
            ValidationKind::None,
            "{:?}",
            s.validation
        );
        assert!(s.validation.n_cells > 0 && s.auc.mean.is_finite());
    }
    assert!(global0.validation.n_cells >= own0.validation.n_cells);

    // The selector names both with their scores; the same-event map is shown first.
    let own_label = format!("my mapped areas · AUC {:.3}", own0.auc.mean);
    let global_label = format!("past events · AUC {:.3}", global0.auc.mean);
    h.state_mut().training.results.selected_step = Some(0);
    h.run_steps(3);
    assert!(h.query_by_label_contains(&own_label).is_some());
    assert!(h.query_by_label_contains(&global_label).is_some());
    settle(&mut h);
    let layers_of = |h: &egui_kittest::Harness<'static, slidemap::gui::SlideMapApp>| {
        h.state().training.results.layers_for.clone().unwrap().0
    };
    let own_id = whole_id(&h);
    assert_eq!(layers_of(&h), own_id);

    // Switching shows the global map: its layers are built, the summary and plots follow.
    let g = h.get_by_label_contains(&global_label);
    g.hover();
    h.run_steps(2);
    h.get_by_label_contains(&global_label).click();
    h.run_steps(3);
    settle(&mut h);
    assert!(h.state().training.results.show_global);
    let shown = h.state().training.results.shown().unwrap();
    assert_eq!(shown.kind, ExperimentKind::Global);
    assert_eq!(layers_of(&h), shown.id);
    assert_ne!(shown.id, own_id);
    // The global map exported for responders goes to a folder that names its model.
    click(&mut h, "Export step 0 for responders");
    settle(&mut h);
    let out = today.parent().unwrap().join("slidemap-results");
    let exported: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(exported.len(), 1, "{exported:?}");
    assert!(
        exported[0].contains("_responders_global_step0"),
        "{exported:?}"
    );
    // and so do the plot's numbers
    click(&mut h, "Export CSV");
    settle(&mut h);
    let csv: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    assert_eq!(csv.len(), 1, "{csv:?}");
    assert!(csv[0].ends_with("_global-steps.csv"), "{csv:?}");
    let provenance =
        std::fs::read_to_string(out.join(&exported[0]).join("provenance.json")).unwrap();
    assert!(provenance.contains("global"), "{provenance}");

    if let Some(dir) = std::env::var_os("SLIDEMAP_SCREENSHOTS") {
        h.run_steps(5);
        let img = h.render().unwrap();
        img.save(PathBuf::from(dir).join("both-models.png"))
            .unwrap();
    }
}

fn whole_id(h: &egui_kittest::Harness<'static, slidemap::gui::SlideMapApp>) -> u64 {
    h.state().training.results.shown_run().unwrap().id
}
