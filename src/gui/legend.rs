//! A legend: the colour bar of a ramp with its range and unit.

use super::colormap::Ramp;
use egui::{pos2, vec2, Color32, Mesh, Rect, Sense, Ui};

/// Draw a horizontal colour bar `width` points wide with min / mid / max labels and unit.
pub fn legend_ui(ui: &mut Ui, title: &str, ramp: Ramp, min: f32, max: f32, unit: &str, width: f32) {
    ui.label(egui::RichText::new(title).strong());
    let (rect, _) = ui.allocate_exact_size(vec2(width, 14.0), Sense::hover());
    let mut mesh = Mesh::default();
    let n = 64;
    for i in 0..n {
        let t0 = i as f32 / n as f32;
        let t1 = (i + 1) as f32 / n as f32;
        let r = Rect::from_min_max(
            pos2(rect.left() + t0 * rect.width(), rect.top()),
            pos2(rect.left() + t1 * rect.width(), rect.bottom()),
        );
        mesh.add_colored_rect(r, ramp.at((t0 + t1) / 2.0));
    }
    ui.painter().add(mesh);
    ui.painter().rect_stroke(
        rect,
        0.0,
        egui::Stroke::new(1.0, Color32::GRAY),
        egui::StrokeKind::Inside,
    );
    ui.allocate_ui(vec2(width, 16.0), |ui| {
        ui.horizontal(|ui| {
            ui.set_width(width);
            ui.label(fmt_value(min));
            let mid = format!("{} {}", fmt_value((min + max) / 2.0), unit);
            ui.add_space(((width - 160.0) / 2.0).max(4.0));
            ui.label(mid.trim_end());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(fmt_value(max));
            });
        });
    });
}

/// Compact number formatting for legends and read-outs.
pub fn fmt_value(v: f32) -> String {
    if v.is_nan() {
        return "–".into();
    }
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e5).contains(&a) {
        format!("{v:.2e}")
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(fmt_value(1234.5), "1234");
        assert_eq!(fmt_value(0.01234), "0.012");
        assert_eq!(fmt_value(f32::NAN), "–");
        assert_eq!(fmt_value(2.5e6), "2.50e6");
    }
}
