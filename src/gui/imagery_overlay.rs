//! A `walkers::Plugin` drawing visible imagery layers (preview, then the view image) and
//! reporting the map's visible EPSG:3857 box, with the pre/post swipe: the top imagery
//! layer drawn only left of a vertical divider, which can be dragged.

use super::display_warp::mercator_from_lon_lat;
use super::imagery_layer::{ImageryLayer, ViewBox};
use super::raster_overlay::screen_rect_of_mercator;
use egui::{pos2, Color32, CursorIcon, Rect, Response, Sense, Stroke, Ui};
use walkers::{MapMemory, Plugin, Projector};

/// Visible imagery layers, bottom first, borrowed for one frame.
pub struct ImageryOverlay<'a> {
    /// Layers to draw (visible ones, bottom first).
    pub layers: Vec<&'a ImageryLayer>,
    /// Swipe divider as a fraction of the map width (0 = left edge), when on.
    pub swipe: Option<f32>,
    /// The divider can be dragged on the map (Navigate mode); while drawing or editing,
    /// clicks on it go to the drawing (the panel's Divider slider still moves it).
    pub handle: bool,
    /// Receives the visible box and screen size of this frame.
    pub view_out: &'a mut Option<ViewBox>,
    /// Receives the divider position while the user drags it.
    pub swipe_out: &'a mut Option<f32>,
}

/// Half width of the divider's drag handle, points.
const HANDLE_HALF_WIDTH: f32 = 6.0;

/// The visible EPSG:3857 box and physical-pixel size of the map rectangle `rect`.
pub fn view_box(projector: &Projector, rect: Rect, pixels_per_point: f32) -> ViewBox {
    let nw = projector.unproject(rect.left_top().to_vec2());
    let se = projector.unproject(rect.right_bottom().to_vec2());
    let (x0, y1) = mercator_from_lon_lat(nw.x(), nw.y());
    let (x1, y0) = mercator_from_lon_lat(se.x(), se.y());
    ViewBox {
        merc: [x0, y0, x1, y1],
        px: [
            (rect.width() * pixels_per_point).round().max(1.0) as usize,
            (rect.height() * pixels_per_point).round().max(1.0) as usize,
        ],
    }
}

impl Plugin for ImageryOverlay<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        response: &Response,
        projector: &Projector,
        _memory: &MapMemory,
    ) {
        let map_rect = response.rect;
        *self.view_out = Some(view_box(projector, map_rect, ui.ctx().pixels_per_point()));
        let painter = ui.painter();
        let uv = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
        let top = self.layers.len().saturating_sub(1);
        let divider_x = self
            .swipe
            .map(|f| map_rect.left() + f.clamp(0.0, 1.0) * map_rect.width());
        for (i, layer) in self.layers.iter().enumerate() {
            let tint = Color32::WHITE.gamma_multiply(layer.opacity.clamp(0.0, 1.0));
            let mut clip = painter.clip_rect();
            if let (Some(x), true) = (divider_x, i == top && self.layers.len() > 1) {
                clip.max.x = clip.max.x.min(x);
            }
            let p = painter.with_clip_rect(clip);
            for img in layer.images() {
                let m = img.merc;
                let rect = screen_rect_of_mercator(projector, m[0], m[1], m[2], m[3]);
                if rect.intersects(clip) {
                    p.image(img.texture.id(), rect, uv, tint);
                }
            }
        }
        if let (Some(x), true) = (divider_x, self.layers.len() > 1) {
            painter.vline(
                x,
                map_rect.y_range(),
                Stroke::new(2.0, ui.visuals().strong_text_color()),
            );
            if !self.handle {
                return;
            }
            let handle = Rect::from_x_y_ranges(
                x - HANDLE_HALF_WIDTH..=x + HANDLE_HALF_WIDTH,
                map_rect.y_range(),
            );
            let r = ui.interact(handle, egui::Id::unique("imagery-swipe"), Sense::drag());
            if r.hovered() || r.dragged() {
                ui.ctx().set_cursor_icon(CursorIcon::ResizeHorizontal);
            }
            if let Some(p) = r.interact_pointer_pos().filter(|_| r.dragged()) {
                let f = (p.x - map_rect.left()) / map_rect.width().max(1.0);
                *self.swipe_out = Some(f.clamp(0.0, 1.0));
            }
        }
    }
}
