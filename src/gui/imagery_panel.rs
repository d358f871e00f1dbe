//! The style section of an imagery layer in the layers panel: visibility, opacity, three
//! band pickers (red, green, blue), the per-band stretch, and the pre/post comparison
//! (swipe divider; key T swaps the two top imagery layers).

use super::app::Command;
use super::imagery_layer::{check_stretch, ImageryLayer};

/// The pre/post swipe: the top imagery layer drawn only left of a vertical divider.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Swipe {
    /// Divider shown.
    pub on: bool,
    /// Divider position, fraction of the map width from the left.
    pub pos: f32,
}

impl Default for Swipe {
    fn default() -> Self {
        Self {
            on: false,
            pos: 0.5,
        }
    }
}

impl Swipe {
    /// The divider position when on.
    pub fn divider(&self) -> Option<f32> {
        self.on.then_some(self.pos)
    }
}

/// Style of imagery layer `l`; band changes start a reload on a worker.
pub fn imagery_style_ui(
    ui: &mut egui::Ui,
    l: &mut ImageryLayer,
    swipe: &mut Swipe,
) -> Option<Command> {
    let mut cmd = None;
    ui.label(egui::RichText::new(&l.name).strong());
    ui.label(egui::RichText::new(l.info.path.display().to_string()).small());
    ui.checkbox(&mut l.visible, "Visible");
    ui.add(egui::Slider::new(&mut l.opacity, 0.0..=1.0).text("Opacity"));
    let mut bands = l.bands;
    for (k, colour) in ["Red", "Green", "Blue"].iter().enumerate() {
        egui::ComboBox::from_label(format!("{colour} band"))
            .selected_text(band_label(l, bands[k]))
            .show_ui(ui, |ui| {
                for b in 1..=l.info.band_count() {
                    ui.selectable_value(&mut bands[k], b, band_label(l, b));
                }
            });
    }
    if bands != l.bands && !l.busy() {
        l.set_bands(bands, ui.ctx());
    }
    if l.busy() {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Reading the new bands…");
        });
    }
    stretch_ui(ui, l);
    ui.label(format!(
        "{} × {} px, {} band(s), {} overview level(s)",
        l.info.spec.cols,
        l.info.spec.rows,
        l.info.band_count(),
        l.info.overview_count
    ));
    ui.separator();
    ui.checkbox(&mut swipe.on, "Swipe")
        .on_hover_text("Draw the top imagery layer only left of a divider (key T swaps the two top imagery layers)");
    if swipe.on {
        ui.add(egui::Slider::new(&mut swipe.pos, 0.0..=1.0).text("Divider"));
    }
    ui.horizontal(|ui| {
        if ui.button("Zoom to layer").clicked() {
            cmd = Some(Command::ZoomToLayer(l.id));
        }
        if ui.button("Remove layer").clicked() {
            cmd = Some(Command::RemoveImagery(l.id));
        }
    });
    cmd
}

/// The per-band stretch, editable: the band values shown black and full; a value takes
/// effect when the drag ends or the typed value is committed (a new preview and view are
/// read on a worker); *2–98 %* goes back to the percentile stretch.
fn stretch_ui(ui: &mut egui::Ui, l: &mut ImageryLayer) {
    ui.horizontal(|ui| {
        ui.label("Stretch (band values shown black and full):");
        if ui
            .small_button("2–98 %")
            .on_hover_text("Back to the stretch between each band's 2 and 98 % percentiles")
            .clicked()
            && !l.busy()
        {
            l.set_stretch(None, ui.ctx());
        }
    });
    let mut commit = false;
    egui::Grid::new(("imagery-stretch", l.id)).show(ui, |ui| {
        for (k, colour) in ["Red", "Green", "Blue"].iter().enumerate() {
            ui.label(*colour);
            let speed = ((l.stretch.high[k] - l.stretch.low[k]).abs() / 200.0).max(1e-6);
            let e = &mut l.stretch_edit;
            for v in [&mut e.low[k], &mut e.high[k]] {
                let r = ui.add(egui::DragValue::new(v).speed(speed).max_decimals(4));
                commit |= r.drag_stopped() || (r.changed() && !r.dragged());
            }
            ui.end_row();
        }
    });
    if l.stretch_edit != l.stretch {
        match check_stretch(&l.stretch_edit) {
            Ok(s) if commit && !l.busy() => l.set_stretch(Some(s), ui.ctx()),
            Ok(_) => {}
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        }
    }
}

fn band_label(l: &ImageryLayer, b: usize) -> String {
    match l.info.band_names.get(b.wrapping_sub(1)) {
        Some(n) if n != &format!("Band {b}") => format!("{b}: {n}"),
        _ => format!("Band {b}"),
    }
}
