//! egui_kittest test of imagery in the window: File > Open imagery… through the path
//! window, the layer in its "Imagery" group, the view image read once the view settles,
//! the stretch edited, refused in words when black is above full, and reset to 2–98 %; key T
//! swapping the two top imagery layers, the swipe checkbox; the divider is dragged in
//! Navigate mode and is no obstacle while drawing.

use crate::{click, settle};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use gdal::raster::Buffer;
use gdal::spatial_ref::SpatialRef;
use gdal::DriverManager;
use slidemap::gui::{Command, Level, SlideMapApp};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A 120 × 80 three-band Byte GeoTIFF (UTM 45N, 10 m) near (87°E, 28°N); `shift` changes
/// the colours (pre / post).
fn rgb_tif(dir: &Path, name: &str, shift: u8) -> PathBuf {
    let (cols, rows) = (120, 80);
    let path = dir.join(name);
    let driver = DriverManager::get_driver_by_name("GTiff").unwrap();
    let mut ds = driver
        .create_with_band_type::<u8, _>(&path, cols, rows, 3)
        .unwrap();
    ds.set_geo_transform(&[500_000.0, 10.0, 0.0, 3_100_000.0, 0.0, -10.0])
        .unwrap();
    ds.set_spatial_ref(&SpatialRef::from_epsg(32645).unwrap())
        .unwrap();
    for b in 1..=3 {
        let data: Vec<u8> = (0..rows * cols)
            .map(|i| ((i % cols) as u8).wrapping_mul(b as u8).wrapping_add(shift))
            .collect();
        ds.rasterband(b)
            .unwrap()
            .write((0, 0), (cols, rows), &mut Buffer::new((cols, rows), data))
            .unwrap();
    }
    path
}

/// The window without a project, 1400 × 900.
fn harness(state: &Path) -> Harness<'static, SlideMapApp> {
    crate::harness(state, Vec::new(), [1400.0, 900.0])
}

/// File > Open imagery…, type the path, Open.
fn open_through_menu(h: &mut Harness<'static, SlideMapApp>, path: &Path) {
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Open imagery…").hover();
    h.run_steps(2);
    h.get_by_label("Open imagery…").click();
    h.run_steps(5);
    assert!(h.state().files.is_open(), "the path window opened");
    h.get_by_label("Path:").click();
    h.run_steps(2);
    h.get_by_label("Path:")
        .type_text(&path.display().to_string());
    h.run_steps(2);
    h.get_by_label("Open").hover();
    h.run_steps(2);
    h.get_by_label("Open").click();
    h.run_steps(3);
    settle(h);
}

fn visibility(h: &Harness<'static, SlideMapApp>) -> Vec<bool> {
    let app = h.state();
    app.events[app.current]
        .imagery
        .iter()
        .map(|l| l.visible)
        .collect()
}

#[test]
fn imagery_opens_in_its_group_reads_the_view_and_toggles_with_t() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let pre = rgb_tif(dir.path(), "pre.tif", 0);
    let post = rgb_tif(dir.path(), "post.tif", 60);
    let mut h = harness(state.path());
    h.run_steps(2);
    open_through_menu(&mut h, &pre);
    {
        let app = h.state();
        assert!(
            app.messages.iter().all(|m| m.level != Level::Error),
            "{:?}",
            app.messages
        );
        let ev = &app.events[app.current];
        assert_eq!(ev.imagery.len(), 1);
        assert_eq!(ev.imagery[0].name, "pre");
        assert_eq!(ev.imagery[0].bands, [1, 2, 3]);
        assert_eq!(ev.imagery[0].images().count(), 1, "the preview is uploaded");
    }
    h.get_by_label("Imagery");
    h.get_by_label("Red band");
    // The stretch is editable: a narrower one is drawn (a new preview on a worker); a black
    // value above the full one is refused in words and changes nothing; "2–98 %" goes back.
    let layer = |h: &Harness<'static, SlideMapApp>| h.state().events[0].imagery[0].stretch;
    let auto = layer(&h);
    let mut narrow = auto;
    for k in 0..3 {
        narrow.high[k] = auto.low[k] + 0.5 * (auto.high[k] - auto.low[k]);
    }
    h.state_mut().events[0].imagery[0].set_stretch(Some(narrow), &egui::Context::default());
    settle(&mut h);
    assert_eq!(layer(&h), narrow);
    let mut bad = narrow;
    bad.low[1] = bad.high[1] + 1.0;
    h.state_mut().events[0].imagery[0].stretch_edit = bad;
    h.run_steps(2);
    assert!(h
        .query_by_label_contains("green band: the value shown black")
        .is_some());
    assert_eq!(layer(&h), narrow, "nothing changed");
    click(&mut h, "2–98 %");
    settle(&mut h);
    assert_eq!(layer(&h), auto, "back to the percentile stretch");
    assert_eq!(h.state().events[0].imagery[0].stretch_edit, auto);
    // The view settles: the visible window is read on a worker and drawn over the preview.
    let t0 = Instant::now();
    while h.state().events[0].imagery[0].images().count() < 2 {
        assert!(t0.elapsed() < Duration::from_secs(30), "no view image");
        std::thread::sleep(Duration::from_millis(30));
        h.step();
    }
    h.state_mut()
        .run_cmd(Command::OpenImagery(post), &egui::Context::default());
    settle(&mut h);
    assert_eq!(visibility(&h), [true, true]);
    // T: the top (post) layer hides and the one below shows; T again swaps back.
    h.key_press(egui::Key::T);
    h.run_steps(2);
    assert_eq!(visibility(&h), [true, false]);
    h.key_press(egui::Key::T);
    h.run_steps(2);
    assert_eq!(visibility(&h), [false, true]);
    // The swipe checkbox of the selected imagery layer.
    h.get_by_label("Swipe").click();
    h.run_steps(2);
    assert!(h.state().layers_panel.swipe.on);
    assert!(
        h.query_all_by_label("Divider").count() > 0,
        "the divider slider shows"
    );
    // Both layers shown: the divider on the map can be dragged, and the map does not pan.
    h.state_mut().events[0].imagery[0].visible = true;
    h.state_mut().events[0].imagery[1].visible = true;
    h.run_steps(2);
    let rect = h.state().map.rect;
    let centre = h.state().map.memory.detached();
    let from = egui::pos2(rect.left() + 0.5 * rect.width(), rect.center().y);
    let to = from - egui::vec2(200.0, 0.0);
    drag(&mut h, from, to);
    let pos = h.state().layers_panel.swipe.pos;
    let expected = 0.5 - 200.0 / rect.width();
    assert!((pos - expected).abs() < 0.02, "{pos} vs {expected}");
    assert_eq!(
        h.state().map.memory.detached(),
        centre,
        "the map stayed put"
    );
    // Drawing: a click on the divider is a vertex of the sketch, the divider stays.
    h.state_mut().tool.mode = slidemap::gui::drawing::ToolMode::Draw;
    h.run_steps(2);
    let on_divider = egui::pos2(rect.left() + pos * rect.width(), rect.center().y);
    h.event(egui::Event::PointerMoved(on_divider));
    h.run_steps(2);
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: on_divider,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        h.step();
    }
    h.run_steps(3);
    assert_eq!(h.state().tool.sketch.len(), 1, "a vertex on the divider");
    assert_eq!(h.state().layers_panel.swipe.pos, pos, "the divider stays");
}

fn drag(h: &mut Harness<'static, SlideMapApp>, from: egui::Pos2, to: egui::Pos2) {
    use egui::{Event, Modifiers, PointerButton};
    h.event(Event::PointerMoved(from));
    h.run_steps(2);
    h.event(Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.step();
    for k in 1..=10 {
        h.event(Event::PointerMoved(from + (to - from) * (k as f32 / 10.0)));
        h.step();
    }
    h.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(2);
}

#[test]
fn xyz_tiles_stay_off_without_a_url_and_are_off_by_default() {
    let state = tempfile::tempdir().unwrap();
    let mut h = harness(state.path());
    h.run_steps(2);
    assert!(h.state().prefs.xyz_url.is_empty() && !h.state().map.xyz_on());
    // No URL: asking for the tiles changes nothing (and touches no network).
    h.state_mut()
        .run_cmd(Command::SetXyz(true), &egui::Context::default());
    h.run_steps(2);
    assert!(!h.state().map.xyz_on());
    assert!(!h.state().prefs.xyz_tiles);
}
