//! A `walkers::Plugin` drawing visible raster layers as textured quads.
//!
//! Each display tile is an axis-aligned rectangle in EPSG:3857, hence an axis-aligned
//! rectangle on screen: its two corners are projected with the map's `Projector`. Tiles
//! outside the view are culled, so cost is independent of the layer's cell count.

use super::display_warp::lon_lat_from_mercator;
use super::layer::MapLayer;
use egui::{pos2, Color32, Rect, Response, Ui};
use walkers::{lon_lat, MapMemory, Plugin, Projector};

/// Visible layers, bottom first, borrowed for one frame.
pub struct RasterOverlay<'a> {
    layers: Vec<&'a MapLayer>,
}

impl<'a> RasterOverlay<'a> {
    /// Draw `layers` (already filtered to visible ones, bottom first).
    pub fn new(layers: Vec<&'a MapLayer>) -> Self {
        Self { layers }
    }
}

/// Screen rectangle of a 3857 box `(x_min, y_min, x_max, y_max)`.
pub fn screen_rect_of_mercator(
    projector: &Projector,
    x_min: f64,
    y_min: f64,
    x_max: f64,
    y_max: f64,
) -> Rect {
    let (w, s) = lon_lat_from_mercator(x_min, y_min);
    let (e, n) = lon_lat_from_mercator(x_max, y_max);
    let nw = projector.project(lon_lat(w, n));
    let se = projector.project(lon_lat(e, s));
    Rect::from_min_max(pos2(nw.x, nw.y), pos2(se.x, se.y))
}

impl Plugin for RasterOverlay<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        _response: &Response,
        projector: &Projector,
        _memory: &MapMemory,
    ) {
        let painter = ui.painter();
        let clip = painter.clip_rect();
        let uv = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
        for layer in self.layers {
            let spec = &layer.display.spec;
            let tint = Color32::WHITE.gamma_multiply(layer.style.opacity.clamp(0.0, 1.0));
            for (tile, texture) in layer.textured_tiles() {
                let x0 = spec.x_min + tile.col0 as f64 * spec.cell_width;
                let x1 = x0 + tile.cols as f64 * spec.cell_width;
                let y1 = spec.y_max - tile.row0 as f64 * spec.cell_height;
                let y0 = y1 - tile.rows as f64 * spec.cell_height;
                let rect = screen_rect_of_mercator(projector, x0, y0, x1, y1);
                if rect.intersects(clip) {
                    painter.image(texture.id(), rect, uv, tint);
                }
            }
        }
    }
}
