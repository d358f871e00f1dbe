//! The style section of an imagery layer in the layers panel: visibility, opacity, three
//! band pickers (red, green, blue), the per-band stretch, and the pre/post comparison
//! (swipe divider; key T swaps the two top imagery layers).

use super::app::Command;
use super::imagery_layer::ImageryLayer;

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
    ui.label("Stretch 2–98 % (band values shown black and full):");
    egui::Grid::new(("imagery-stretch", l.id)).show(ui, |ui| {
        for (k, colour) in ["Red", "Green", "Blue"].iter().enumerate() {
            ui.label(*colour);
            ui.label(format!("{:.4}", l.stretch.low[k]));
            ui.label(format!("{:.4}", l.stretch.high[k]));
            ui.end_row();
        }
    });
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

fn band_label(l: &ImageryLayer, b: usize) -> String {
    match l.info.band_names.get(b.wrapping_sub(1)) {
        Some(n) if n != &format!("Band {b}") => format!("{b}: {n}"),
        _ => format!("Band {b}"),
    }
}
