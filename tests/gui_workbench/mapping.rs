//! Digitising landslides in the window (egui_kittest, headless), on today's demo event, which
//! has no inventory: two mapped areas and five landslides drawn with real clicks on the map;
//! a landslide outside every area is met with a question and the area is extended; deleting
//! an area that holds landslides asks first; the LAD layer follows the drawing; the mapping
//! GeoPackage is written beside the project and named in it, and the core pipeline reads the
//! same LAD from it; a quick "my mapped areas" model is scored with its validation kind
//! named; the step is exported for responders.

use crate::{click, harness, settle};
use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use slidemap::experiment::ValidationKind;
use slidemap::gui::layer::LayerKind;
use slidemap::gui::model_panel::ModelChoice;
use slidemap::gui::{MappingQuestion, SlideMapApp};
use slidemap::inventory::{mapping_gpkg_path, read_mapping_gpkg, MAPPED_AREAS_LAYER};
use std::path::{Path, PathBuf};

fn today_project(dir: &Path) -> PathBuf {
    crate::demo_projects(dir).1
}

/// A left click on the map at `p`, then enough frames that the next click is not a double
/// click (egui: 0.3 s).
fn map_click(h: &mut Harness<'static, SlideMapApp>, p: Pos2) {
    let press = |pressed| Event::PointerButton {
        pos: p,
        button: PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    };
    h.input_mut().events.push(Event::PointerMoved(p));
    h.step();
    h.input_mut().events.push(press(true));
    h.step();
    h.input_mut().events.push(press(false));
    h.step();
    h.run_steps(20);
}

fn key(h: &mut Harness<'static, SlideMapApp>, k: Key) {
    h.key_press(k);
    h.run_steps(2);
}

/// Draw a closed polygon through screen points (Enter closes it).
fn draw(h: &mut Harness<'static, SlideMapApp>, pts: &[Pos2]) {
    for p in pts {
        map_click(h, *p);
    }
    key(h, Key::Enter);
}

fn square(c: Pos2, half: f32) -> Vec<Pos2> {
    vec![
        c + egui::vec2(-half, -half),
        c + egui::vec2(half, -half),
        c + egui::vec2(half, half),
        c + egui::vec2(-half, half),
    ]
}

fn rect(c: Pos2, x0: f32, y0: f32, x1: f32, y1: f32) -> Vec<Pos2> {
    vec![
        c + egui::vec2(x0, y0),
        c + egui::vec2(x1, y0),
        c + egui::vec2(x1, y1),
        c + egui::vec2(x0, y1),
    ]
}

fn mapped_cells(h: &Harness<'static, SlideMapApp>) -> (usize, usize) {
    let data = h.state().event().unwrap().data.clone().unwrap();
    let t = &data.table;
    let mapped = (0..t.valid.len())
        .filter(|&i| t.valid[i] && !t.target[i].is_nan())
        .count();
    let slid = t.target.iter().filter(|v| **v > 0.0).count();
    (mapped, slid)
}

#[test]
fn a_mapper_digitises_areas_and_landslides_trains_and_exports() {
    let demo = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let project = today_project(demo.path());
    let mut h = harness(state.path(), vec![project.clone()], [1600.0, 1000.0]);
    h.state_mut().training.panel.live = false; // trained below with Quick
    settle(&mut h);
    assert_eq!(
        mapped_cells(&h),
        (0, 0),
        "today's event opens without inventory"
    );
    // the post-event image to map from (today's demo has one)
    let post = project.parent().unwrap().join("imagery/post_event.tif");
    let ctx = h.ctx.clone();
    h.state_mut()
        .run_cmd(slidemap::gui::Command::OpenImagery(post), &ctx);
    settle(&mut h);
    let c = h.state().map.rect.center();

    // Two mapped areas (A), then five landslides (L): three in the first, two in the second.
    key(&mut h, Key::A);
    draw(&mut h, &rect(c, -180.0, -120.0, -20.0, 120.0));
    draw(&mut h, &rect(c, 20.0, -120.0, 180.0, 120.0));
    key(&mut h, Key::L);
    for (dx, dy) in [(-140.0, -80.0), (-100.0, 0.0), (-60.0, 70.0), (60.0, -60.0)] {
        draw(&mut h, &square(c + egui::vec2(dx, dy), 12.0));
    }
    // The fifth lands beyond the second area's edge: the window asks, and extends the area.
    draw(&mut h, &square(c + egui::vec2(205.0, 40.0), 12.0));
    assert!(
        matches!(
            h.state().mapping.question,
            Some(MappingQuestion::LandslideOutside { .. })
        ),
        "{:?}",
        h.state().mapping.question
    );
    click(&mut h, "Extend the nearest mapped area");
    assert!(h.state().mapping.question.is_none());
    settle(&mut h);

    let ev = h.state().event().unwrap();
    let counts = slidemap::gui::drawing::rules::counts(&ev.drawing);
    assert_eq!(counts, (2, 5, 0), "2 areas, 5 landslides, none outside");

    // The LAD follows the drawing: mapped cells in both areas, landslides in some.
    let (mapped, slid) = mapped_cells(&h);
    assert!(mapped >= 4, "{mapped} mapped cells");
    assert!(
        slid >= 3 && slid < mapped,
        "{slid} cells with landslides of {mapped}"
    );
    assert!(ev.layers.iter().any(|l| l.kind == LayerKind::Observed));
    eprintln!(
        "LAD update after the last edit: {:.3} s",
        h.state().mapping.last_update_s.unwrap()
    );

    // The mapping file beside the project, named in it; the core reads the same LAD.
    let gpkg = mapping_gpkg_path(&project);
    let d = read_mapping_gpkg(&gpkg).unwrap();
    assert_eq!((d.mapped_areas.len(), d.landslides.len()), (2, 5));
    let p = slidemap::project::Project::load(&project).unwrap();
    let mapped_extent = p.file.inputs.mapped_extent.clone().unwrap();
    assert_eq!(mapped_extent.layer.as_deref(), Some(MAPPED_AREAS_LAYER));
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let core = slidemap::pipeline::build_event(
        &p,
        &slidemap::pipeline::FeatureOptions::default().with_keep_fine_dem(false),
        &cancel,
        &|_, _| {},
    )
    .unwrap();
    let window = h.state().event().unwrap().data.clone().unwrap();
    let same = core
        .table
        .target
        .iter()
        .zip(&window.table.target)
        .all(|(a, b)| (a.is_nan() && b.is_nan()) || a == b);
    assert!(
        same,
        "the project's pipeline reads the LAD the window shows"
    );

    // Deleting an area that holds landslides asks first; "Keep the area" keeps everything.
    let area = ev
        .drawing
        .polygons
        .iter()
        .position(|p| p.kind == slidemap::gui::drawing::PolygonKind::MappedArea)
        .unwrap();
    h.state_mut().request_delete(area);
    h.run_steps(2);
    assert!(matches!(
        h.state().mapping.question,
        Some(MappingQuestion::DeleteArea { ref landslides, .. }) if landslides.len() == 3
    ));
    click(&mut h, "Keep the area");
    assert_eq!(h.state().event().unwrap().drawing.polygons.len(), 7);

    if let Some(dir) = std::env::var_os("SLIDEMAP_SCREENSHOTS") {
        h.state_mut().tool.selected = None;
        h.run_steps(5);
        let img = h.render().unwrap();
        img.save(PathBuf::from(dir).join("mapping.png")).unwrap();
    }

    // The model panel now advises "my mapped areas"; Quick trains it and names its validation.
    assert_eq!(
        h.state().training.panel.choice,
        ModelChoice::SameEventMapped
    );
    click(&mut h, "Quick");
    settle(&mut h);
    let run = h.state().training.results.shown().expect("a run");
    let s0 = &run.steps[0];
    assert_ne!(s0.validation.kind, ValidationKind::RandomCells);
    let shown = format!(
        "{} on {} cells",
        s0.validation.kind.name(),
        s0.validation.n_cells
    );
    assert!(
        h.query_by_label_contains(&shown).is_some(),
        "the score names its validation: {shown}; messages {:?}",
        h.state().messages
    );

    click(&mut h, "Export step 0 for responders");
    settle(&mut h);
    let out = project.parent().unwrap().join("slidemap-results");
    let exported: Vec<_> = std::fs::read_dir(&out).unwrap().flatten().collect();
    assert_eq!(exported.len(), 1, "{exported:?}");
    assert!(exported[0].path().join("provenance.json").is_file());
    drop(h);

    // Another machine (no autosave): the drawing is read back from the mapping file.
    let elsewhere = tempfile::tempdir().unwrap();
    let mut h = harness(elsewhere.path(), vec![project.clone()], [1400.0, 900.0]);
    settle(&mut h);
    let counts = slidemap::gui::drawing::rules::counts(&h.state().event().unwrap().drawing);
    assert_eq!(counts, (2, 5, 0));
}

#[test]
fn a_drawn_polygon_becomes_the_study_area_and_one_outside_the_dem_is_refused() {
    let demo = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let project = today_project(demo.path());
    let mut h = harness(state.path(), vec![project.clone()], [1400.0, 900.0]);
    settle(&mut h);
    let before = h.state().event().unwrap().data.clone().unwrap();
    let b = h.state().event().unwrap().bounds().unwrap();
    let ctx = h.ctx.clone();
    let kind = slidemap::gui::drawing::PolygonKind::MappedArea;
    let lonlat = |fx0: f64, fy0: f64, fx1: f64, fy1: f64| {
        let (w, s) = (b[0] + fx0 * (b[2] - b[0]), b[1] + fy0 * (b[3] - b[1]));
        let (e, n) = (b[0] + fx1 * (b[2] - b[0]), b[1] + fy1 * (b[3] - b[1]));
        vec![[w, s], [e, s], [e, n], [w, n]]
    };
    // Far outside the DEM: refused, nothing changes.
    h.state_mut().events[0]
        .drawing
        .add(lonlat(3.0, 3.0, 3.5, 3.5), "off".into(), kind)
        .unwrap();
    h.state_mut()
        .run_cmd(slidemap::gui::Command::UseAsStudyArea(0), &ctx);
    settle(&mut h);
    assert!(h
        .state()
        .messages
        .iter()
        .any(|m| m.text.contains("outside the event's grid")));
    let p = slidemap::project::Project::load(&project).unwrap();
    let old_study = p.file.inputs.study_area.clone();
    // The middle of the layers' bounds: saved beside the project, named in it, the event
    // rebuilt on it (fewer cells).
    h.state_mut().events[0].drawing.delete_polygon(0).unwrap();
    h.state_mut().events[0]
        .drawing
        .add(lonlat(0.25, 0.25, 0.75, 0.75), "study".into(), kind)
        .unwrap();
    h.state_mut()
        .run_cmd(slidemap::gui::Command::UseAsStudyArea(0), &ctx);
    settle(&mut h);
    let p = slidemap::project::Project::load(&project).unwrap();
    let study = p.file.inputs.study_area.clone().unwrap();
    assert_ne!(Some(study.clone()), old_study);
    assert!(p.resolve(&study.path).is_file());
    let after = h.state().event().unwrap().data.clone().unwrap();
    let valid = |d: &slidemap::pipeline::EventData| d.table.valid.iter().filter(|v| **v).count();
    assert!(
        (valid(&after) as f64) < 0.8 * valid(&before) as f64,
        "{} valid cells after, {} before",
        valid(&after),
        valid(&before)
    );
    assert!(h.state().event().unwrap().drawing.polygons.is_empty());
}
