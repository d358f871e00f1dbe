//! A plot's legend beside it, for plots too short to hold theirs: egui_plot draws its
//! legend inside the plot, where on a short plot (the results panel of a laptop-sized
//! window) it covers the data. [`legend_fits`] decides; [`side_legend_ui`] draws one row per
//! entry (a mark in the entry's colour and its name, cut with the full name on hover).

use egui::{Color32, Sense, Stroke};

/// Height of one legend row in points (small text).
const ROW_PT: f32 = 15.0;

/// Width of a legend beside a plot, in points.
pub const SIDE_LEGEND_WIDTH: f32 = 170.0;

/// How an entry looks in the plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A solid line.
    Line,
    /// A dashed line.
    Dashed,
    /// A filled marker.
    Dot,
    /// A filled area or bar.
    Fill,
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    /// The series' name, as the plot names it.
    pub name: String,
    /// Its colour.
    pub color: Color32,
    /// Its mark.
    pub mark: Mark,
}

impl LegendEntry {
    /// An entry.
    pub fn new(name: impl Into<String>, color: Color32, mark: Mark) -> Self {
        Self {
            name: name.into(),
            color,
            mark,
        }
    }
}

/// True when `entries` legend rows fit inside a plot `height_pt` tall while covering at
/// most 40 % of its height.
pub fn legend_fits(entries: usize, height_pt: f32) -> bool {
    entries as f32 * ROW_PT + 8.0 <= 0.4 * height_pt
}

/// The legend as a column [`SIDE_LEGEND_WIDTH`] wide and at most `height_pt` tall (scrolls
/// when longer).
pub fn side_legend_ui(ui: &mut egui::Ui, id: &str, entries: &[LegendEntry], height_pt: f32) {
    let down = egui::Layout::top_down(egui::Align::Min);
    ui.allocate_ui_with_layout(egui::vec2(SIDE_LEGEND_WIDTH, height_pt), down, |ui| {
        ui.set_width(SIDE_LEGEND_WIDTH);
        egui::ScrollArea::vertical()
            .id_salt(id)
            .max_height(height_pt)
            .show(ui, |ui| {
                ui.spacing_mut().item_spacing.y = 1.0;
                ui.spacing_mut().interact_size.y = 12.0;
                for e in entries {
                    ui.horizontal(|ui| {
                        mark_ui(ui, e);
                        ui.add(egui::Label::new(egui::RichText::new(&e.name).small()).truncate())
                            .on_hover_text(&e.name);
                    });
                }
            });
    });
}

fn mark_ui(ui: &mut egui::Ui, e: &LegendEntry) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(16.0, 10.0), Sense::hover());
    let p = ui.painter();
    let c = rect.center();
    match e.mark {
        Mark::Line => {
            p.hline(rect.x_range(), c.y, Stroke::new(2.0, e.color));
        }
        Mark::Dashed => {
            for k in 0..3 {
                let x0 = rect.left() + k as f32 * 6.0;
                p.hline(x0..=x0 + 3.5, c.y, Stroke::new(2.0, e.color));
            }
        }
        Mark::Dot => {
            p.circle_filled(c, 4.0, e.color);
        }
        Mark::Fill => {
            p.rect_filled(rect.shrink(1.0), 1.0, e.color);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_legend_goes_beside_a_plot_it_would_half_cover() {
        // the demo's results panel at 1000 px: plots ~110 pt tall
        assert!(!legend_fits(8, 110.0));
        assert!(!legend_fits(4, 130.0));
        assert!(legend_fits(2, 110.0));
        assert!(legend_fits(7, 300.0));
        assert!(!legend_fits(20, 300.0));
    }
}
