//! egui_kittest tests of the SlideMap window: drive by label, assert on state.
//!
//! Headless: no display needed for the state tests; the rendering test uses wgpu on a
//! software adapter (Mesa lavapipe; set `WGPU_BACKEND=vulkan` if several are installed).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures
#![cfg(feature = "gui")]

use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use gdal::vector::LayerAccess;
use slidemap::grid::{Grid, GridSpec};
use slidemap::gui::drawing::ToolMode;
use slidemap::gui::{Command, GuiOptions, Level, SlideMapApp};
use slidemap::io::{srs_from_user, write_geotiff, GeoTiffOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn utm_wkt() -> String {
    srs_from_user("EPSG:32645").unwrap().to_wkt().unwrap()
}

/// A 300 × 200 UTM 45N raster of 30 m cells near (87°E, 28°N): a ramp with a NaN corner.
fn fixture_raster(dir: &Path, name: &str, x_min: f64) -> PathBuf {
    let spec = GridSpec::new(300, 200, x_min, 3_100_000.0, 30.0, 30.0, utm_wkt()).unwrap();
    let data = (0..spec.len())
        .map(|i| {
            if i % 300 < 5 && i / 300 < 5 {
                f32::NAN
            } else {
                (i % 300) as f32 + (i / 300) as f32 * 0.5
            }
        })
        .collect();
    let path = dir.join(name);
    write_geotiff(
        &path,
        &Grid::from_vec(spec, data).unwrap(),
        &GeoTiffOptions::default(),
    )
    .unwrap();
    path
}

fn harness(opts: GuiOptions) -> Harness<'static, SlideMapApp> {
    let ctx = egui::Context::default();
    let app = SlideMapApp::new(&ctx, None, &opts, Instant::now());
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_step_dt(1.0 / 60.0)
        // The model panel (desktop app II) still has unnamed widgets; my panels pass the check.
        .with_accessibility_check(false)
        .build_ui_state(|ui, app: &mut SlideMapApp| app.ui_root(ui), app)
}

fn settle(h: &mut Harness<'static, SlideMapApp>, timeout_s: u64) {
    let t0 = Instant::now();
    h.step();
    while h.state().busy() {
        assert!(
            t0.elapsed() < Duration::from_secs(timeout_s),
            "jobs did not finish"
        );
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
    h.step();
    h.step();
}

fn cmd(h: &mut Harness<'static, SlideMapApp>, c: Command) {
    let ctx = egui::Context::default();
    h.state_mut().run_cmd(c, &ctx);
}

fn click_map(h: &mut Harness<'static, SlideMapApp>, pos: Pos2) {
    h.event(Event::PointerMoved(pos));
    h.step();
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.step();
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.step();
}

fn opts(state: &Path) -> GuiOptions {
    GuiOptions {
        state_dir: Some(state.to_path_buf()),
        ..GuiOptions::default()
    }
}

/// The three demo events, written once per test binary.
fn demo_projects() -> Option<Vec<PathBuf>> {
    static DEMO: std::sync::OnceLock<Option<(tempfile::TempDir, Vec<PathBuf>)>> =
        std::sync::OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().ok()?;
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let paths = slidemap::demo::write_demo(
            dir.path(),
            &slidemap::demo::DemoOptions::default(),
            &cancel,
            &|_, _| {},
        )
        .ok()?;
        Some((dir, paths))
    })
    .as_ref()
    .map(|(_, p)| p.clone())
}

fn demo_project() -> Option<PathBuf> {
    demo_projects()?.first().cloned()
}

#[test]
fn the_demo_opens_and_layers_can_be_toggled_and_restyled() {
    let state = tempfile::tempdir().unwrap();
    let project = demo_project().expect("demo generation");
    let mut h = harness(GuiOptions {
        projects: vec![project],
        ..opts(state.path())
    });
    settle(&mut h, 600);
    let app = h.state();
    assert!(
        app.messages.iter().all(|m| m.level != Level::Error),
        "{:?}",
        app.messages
    );
    let ev = app.event().unwrap();
    assert!(ev.project.is_some());
    let names: Vec<&str> = ev.layers.iter().map(|l| l.name.as_str()).collect();
    assert!(
        names.contains(&"Hillshade") && names.contains(&"DEM"),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.starts_with("Observed")), "{names:?}");
    assert!(
        ev.data.is_some(),
        "the feature table is kept for the models"
    );

    // Toggle the hillshade off by its checkbox.
    h.get_by_label("Show Hillshade").click();
    h.step();
    h.step();
    let hs = h
        .state()
        .event()
        .unwrap()
        .layers
        .iter()
        .find(|l| l.name == "Hillshade")
        .unwrap()
        .style
        .visible;
    assert!(!hs);

    // Select the DEM, switch its ramp to magma and zoom to it.
    h.get_by_label("DEM").click();
    h.step();
    h.get_by_label("Colour ramp").click();
    h.step();
    h.step();
    h.step();
    h.get_by_label("magma").click();
    h.step();
    h.step();
    let dem = h
        .state()
        .event()
        .unwrap()
        .layers
        .iter()
        .find(|l| l.name == "DEM")
        .unwrap();
    assert_eq!(dem.style.ramp, slidemap::gui::colormap::Ramp::Magma);
    h.get_by_label("Zoom to layer").click();
    h.step();
}

#[test]
fn a_concave_polygon_is_drawn_by_clicks_undone_saved_and_restored() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let raster = fixture_raster(dir.path(), "ramp.tif", 400_000.0);
    let mut h = harness(opts(state.path()));
    cmd(&mut h, Command::OpenRaster(raster));
    settle(&mut h, 60);
    assert_eq!(h.state().event().unwrap().layers.len(), 1);

    // Export the layer (GeoTIFF + .qml); gui_export.rs checks the content with GDAL.
    let id = h.state().event().unwrap().layers[0].id;
    let tif = dir.path().join("export.tif");
    cmd(
        &mut h,
        Command::ExportLayer {
            layer: id,
            path: tif.clone(),
        },
    );
    settle(&mut h, 60);
    assert!(
        tif.exists() && tif.with_extension("qml").exists(),
        "{:?}",
        h.state().messages
    );

    h.get_by_label("Draw").click();
    h.step();
    assert_eq!(h.state().tool.mode, ToolMode::Draw);
    let c = h.state().map.rect.center();
    // An L shape: concave at the fourth vertex.
    let l_shape = [
        (-100.0, -100.0),
        (100.0, -100.0),
        (100.0, 0.0),
        (0.0, 0.0),
        (0.0, 100.0),
        (-100.0, 100.0),
    ];
    for (dx, dy) in l_shape {
        click_map(&mut h, c + egui::vec2(dx, dy));
    }
    assert_eq!(h.state().tool.sketch.len(), 6);
    h.key_press(egui::Key::Enter);
    h.step();
    let d = &h.state().event().unwrap().drawing;
    assert_eq!(d.polygons.len(), 1);
    assert_eq!(d.polygons[0].lon_lat.len(), 6);

    // Undo and redo by button.
    h.get_by_label("Undo").click();
    h.step();
    assert!(h.state().event().unwrap().drawing.polygons.is_empty());
    h.get_by_label("Redo").click();
    h.step();
    assert_eq!(h.state().event().unwrap().drawing.polygons.len(), 1);

    // A second polygon closed by double-click.
    for (dx, dy) in [(150.0, -50.0), (250.0, -50.0)] {
        click_map(&mut h, c + egui::vec2(dx, dy));
    }
    let p = c + egui::vec2(200.0, 50.0);
    h.run_steps(30); // a pause, as a person makes before double-clicking
    click_map(&mut h, p);
    click_map(&mut h, p);
    assert_eq!(
        h.state().event().unwrap().drawing.polygons.len(),
        2,
        "double-click closes"
    );
    assert_eq!(
        h.state().event().unwrap().drawing.polygons[1].lon_lat.len(),
        3
    );

    // Save as GeoPackage and GeoJSON.
    let gpkg = dir.path().join("areas.gpkg");
    let geojson = dir.path().join("areas.geojson");
    cmd(&mut h, Command::SaveDrawing(gpkg.clone()));
    cmd(&mut h, Command::SaveDrawing(geojson.clone()));
    settle(&mut h, 60);
    assert!(
        h.state().messages.iter().all(|m| m.level != Level::Error),
        "{:?}",
        h.state().messages
    );
    let ds = gdal::Dataset::open(&gpkg).unwrap();
    let layer = ds.layer(0).unwrap();
    assert_eq!(layer.feature_count(), 2);
    let srs = layer.spatial_ref().unwrap();
    assert_eq!(
        srs.auth_code().ok(),
        Some(32645),
        "saved in the project (layer) CRS"
    );
    assert!(h.state().autosave.wait_idle(Duration::from_secs(5)));
    let polys = h.state().event().unwrap().drawing.polygons.clone();
    drop(h);

    // Restart: the autosave restores the drawing; importing the GeoPackage adds two more.
    let mut h = harness(opts(state.path()));
    h.step();
    let restored = &h.state().event().unwrap().drawing.polygons;
    assert_eq!(restored.len(), polys.len(), "restored from autosave");
    for (a, b) in restored.iter().zip(&polys) {
        assert_eq!(a.label, b.label);
        for (p, q) in a.lon_lat.iter().zip(&b.lon_lat) {
            assert!((p[0] - q[0]).abs() < 1e-12 && (p[1] - q[1]).abs() < 1e-12);
        }
    }
    cmd(&mut h, Command::LoadDrawing(geojson));
    settle(&mut h, 60);
    let back = &h.state().event().unwrap().drawing.polygons;
    assert_eq!(back.len(), 4);
    for (a, b) in polys[0].lon_lat.iter().zip(&back[2].lon_lat) {
        assert!(
            (a[0] - b[0]).abs() < 1e-7 && (a[1] - b[1]).abs() < 1e-7,
            "{a:?} vs {b:?}"
        );
    }
}

#[test]
fn bad_inputs_show_a_message_and_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let good = fixture_raster(dir.path(), "good.tif", 400_000.0);
    let far = fixture_raster(dir.path(), "far.tif", 700_000.0);
    let junk = dir.path().join("junk.tif");
    std::fs::write(&junk, b"not a raster").unwrap();
    let newer = dir.path().join("newer.toml");
    std::fs::write(
        &newer,
        "format_version = 99\n[event]\nname = \"x\"\ndate = \"2020-01-01\"\n",
    )
    .unwrap();

    let mut h = harness(opts(state.path()));
    cmd(&mut h, Command::OpenRaster(good));
    settle(&mut h, 60);
    // A polygon with two vertices cannot be closed; the sketch stays.
    h.state_mut().tool.mode = ToolMode::Draw;
    let c = h.state().map.rect.center();
    click_map(&mut h, c);
    click_map(&mut h, c + egui::vec2(80.0, 0.0));
    h.key_press(egui::Key::Enter);
    h.step();
    h.step();
    assert_eq!(h.state().tool.sketch.len(), 2);
    assert!(
        h.state()
            .messages
            .iter()
            .any(|m| m.text.contains("at least 3 vertices")),
        "{:?}",
        h.state().messages
    );

    cmd(&mut h, Command::OpenRaster(junk));
    cmd(&mut h, Command::OpenRaster(far));
    cmd(&mut h, Command::OpenProject(newer));
    settle(&mut h, 60);
    let msgs: Vec<String> = h.state().messages.iter().map(|m| m.text.clone()).collect();
    assert!(msgs.iter().any(|m| m.contains("junk.tif")), "{msgs:?}");
    assert!(
        msgs.iter()
            .any(|m| m.contains("far") && m.contains("outside the event area")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("newer SlideMap")),
        "{msgs:?}"
    );
    assert_eq!(h.state().tool.sketch.len(), 2, "nothing drawn is lost");
    h.get_by_label("Dismiss messages").click();
    h.step();
    assert!(h.state().messages.is_empty());
}

#[test]
fn a_corrupt_autosave_is_reported_and_never_overwritten() {
    let state = tempfile::tempdir().unwrap();
    let path = slidemap::gui::drawing::autosave::autosave_path(
        state.path(),
        "scratch",
        Path::new("scratch"),
    );
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, b"{ truncated").unwrap();
    let mut h = harness(opts(state.path()));
    h.step();
    assert!(h
        .state()
        .messages
        .iter()
        .any(|m| m.level == Level::Error && m.text.contains("left untouched")));
    h.state_mut().tool.mode = ToolMode::Draw;
    let c = h.state().map.rect.center();
    for d in [(0.0, 0.0), (60.0, 0.0), (0.0, 60.0)] {
        click_map(&mut h, c + egui::vec2(d.0, d.1));
    }
    h.key_press(egui::Key::Enter);
    h.step();
    assert!(h.state().autosave.wait_idle(Duration::from_secs(5)));
    assert_eq!(std::fs::read(&path).unwrap(), b"{ truncated");
    assert!(slidemap::gui::drawing::autosave::fallback_path(&path).exists());
}

#[test]
fn the_map_renders_on_a_software_adapter() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let raster = fixture_raster(dir.path(), "ramp.tif", 400_000.0);
    let ctx = egui::Context::default();
    let mut app = SlideMapApp::new(&ctx, None, &opts(state.path()), Instant::now());
    app.run_cmd(Command::OpenRaster(raster), &ctx);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1000.0, 700.0))
        .with_accessibility_check(false)
        .wgpu()
        .build_ui_state(|ui, app: &mut SlideMapApp| app.ui_root(ui), app);
    settle(&mut h, 60);
    let img = h
        .render()
        .expect("wgpu software adapter (lavapipe/llvmpipe)");
    let c = h.state().map.rect.center();
    let px = img.get_pixel(
        (c.x * h.ctx.pixels_per_point()) as u32,
        (c.y * h.ctx.pixels_per_point()) as u32,
    );
    // The raster (viridis) is drawn in the map centre: not the plain background.
    assert!(px[1] > 40 || px[2] > 60, "centre pixel {px:?}");
    let _ = img.save(dir.path().join("render.png"));
}

/// eframe storage in memory, to carry preferences from one start of the window to the next.
#[derive(Default)]
struct MemoryStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

fn click_button(h: &mut Harness<'static, SlideMapApp>, label: &str) {
    h.get_by_label(label).hover();
    h.run_steps(2);
    h.get_by_label(label).click();
    h.run_steps(3);
}

/// The window as `slidemap` opens it with no arguments: the three demo events, 1280 × 800.
fn first_start(
    state: &Path,
    storage: Option<&dyn eframe::Storage>,
) -> Harness<'static, SlideMapApp> {
    let opts = GuiOptions {
        projects: demo_projects().expect("demo generation"),
        demo: true,
        ..opts(state)
    };
    let ctx = egui::Context::default();
    let app = SlideMapApp::new(&ctx, storage, &opts, Instant::now());
    let mut b = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_step_dt(1.0 / 60.0)
        .with_accessibility_check(false);
    // Rendered only for the README's screenshot: a second wgpu harness in this binary
    // crashed lavapipe at process exit about one run in four (SIGSEGV after every test
    // passed); `the_map_renders_on_a_software_adapter` covers rendering.
    if std::env::var_os("SLIDEMAP_SCREENSHOTS").is_some() {
        b = b.wgpu();
    }
    b.build_ui_state(|ui, app: &mut SlideMapApp| app.ui_root(ui), app)
}

#[test]
fn the_demo_starts_clean_with_a_getting_started_card_that_stays_dismissed() {
    use slidemap::gui::getting_started::{CONTROLS, DISMISS, STEPS};
    let state = tempfile::tempdir().unwrap();
    let mut h = first_start(state.path(), None);
    settle(&mut h, 900);
    h.run_steps(5);
    let app = h.state();
    assert_eq!(app.events.len(), 3, "the three demo events are open");
    assert!(
        app.messages.iter().all(|m| m.level == Level::Info),
        "a fresh start of the demo shows no warning or error: {:?}",
        app.messages
    );
    assert!(app.getting_started.open, "the first start shows the card");
    assert!(h.query_all_by_label("Getting started").next().is_some());
    for s in &STEPS {
        assert!(
            h.query_all_by_label_contains(s.action).next().is_some(),
            "step {:?} is shown",
            s.action
        );
    }
    // Every control the steps name is in the text and exists in the window under that name.
    let text: String = STEPS
        .iter()
        .map(|s| format!("{} {} ", s.action, s.detail))
        .collect();
    for c in CONTROLS {
        assert!(text.contains(c.trim_end_matches(':')), "the steps name {c}");
        assert!(
            h.query_all_by_label(c).next().is_some(),
            "the window has a control {c:?}"
        );
    }
    assert!(text.contains("File > New event…"));

    // The card sits over the (empty) results area, not over the map.
    let map = h.state().map.rect;
    let card = h
        .ctx
        .memory(|m| m.area_rect(egui::Id::unique("getting-started")))
        .expect("the card was laid out");
    assert!(
        !card.intersects(map),
        "card {card:?} must not cover the map {map:?}"
    );
    assert!(
        h.ctx.content_rect().contains_rect(card),
        "the card is not clipped"
    );
    if let Some(dir) = std::env::var_os("SLIDEMAP_SCREENSHOTS") {
        let img = h
            .render()
            .expect("wgpu software adapter (lavapipe/llvmpipe)");
        img.save(Path::new(&dir).join("first-start.png")).unwrap();
    }

    // Dismiss: the card goes and the preference says so.
    click_button(&mut h, DISMISS);
    assert!(!h.state().getting_started.open);
    assert!(h.state().prefs.getting_started_dismissed);
    assert!(h.query_by_label(DISMISS).is_none());

    // The next start with these preferences opens without the card…
    let mut storage = MemoryStorage::default();
    h.state_mut().save_prefs(&mut storage);
    drop(h);
    let mut h3 = first_start(state.path(), Some(&storage));
    assert!(!h3.state().getting_started.open, "dismissal is remembered");
    h3.run_steps(3);
    assert!(h3.query_by_label(DISMISS).is_none());
    // …and Help → Getting started shows it again.
    click_button(&mut h3, "Help");
    click_button(&mut h3, "Getting started");
    assert!(h3.state().getting_started.open);
    h3.run_steps(5);
    assert!(h3.query_by_label(DISMISS).is_some());
}
