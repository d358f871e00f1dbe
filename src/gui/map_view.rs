//! The map: walkers `Map` + `MapMemory`, the optional online tiles (OpenStreetMap or a
//! user-set XYZ imagery URL; off by default, cached on disk, never required), raster and
//! imagery layers and the digitising tool as plugins.
//!
//! Mouse: drag pans, wheel zooms (no Ctrl needed), as in desktop GIS.

use super::display_warp::mercator_from_lon_lat;
use super::drawing::{Drawing, DrawingPlugin, DrawingTool};
use super::imagery_layer::{ImageryLayer, ViewBox};
use super::imagery_overlay::ImageryOverlay;
use super::layer::MapLayer;
use super::raster_overlay::RasterOverlay;
use egui::DragPanButtons;
use std::path::Path;
use walkers::sources::{Attribution, TileSource};
use walkers::{lon_lat, HttpOptions, HttpTiles, MapMemory, Position, TileId, Tiles};

/// What the map draws this frame, bottom first: the hillshade base, imagery, data layers.
pub struct MapContent<'a> {
    /// Base layers (hillshade), under the imagery.
    pub base: Vec<&'a MapLayer>,
    /// Visible imagery layers, bottom first.
    pub imagery: Vec<&'a ImageryLayer>,
    /// Visible data layers, bottom first, over the imagery.
    pub layers: Vec<&'a MapLayer>,
    /// Swipe divider (fraction of the map width) for the top imagery layer, when on.
    pub swipe: Option<f32>,
}

/// What the map reports after a frame.
pub struct MapOutput {
    /// (lon, lat) under the pointer.
    pub hover: Option<[f64; 2]>,
    /// The visible box (for the imagery's view-dependent reads).
    pub view: Option<ViewBox>,
    /// The swipe divider's new position while it is dragged.
    pub swipe: Option<f32>,
}

/// A user-set XYZ tile URL template (`{z}`, `{x}`, `{y}` replaced).
pub struct XyzSource {
    /// The template, e.g. `https://example.org/tiles/{z}/{y}/{x}`.
    pub template: String,
}

impl XyzSource {
    /// The URL of tile `(z, x, y)`.
    pub fn url(&self, z: u8, x: u32, y: u32) -> String {
        self.template
            .replace("{z}", &z.to_string())
            .replace("{x}", &x.to_string())
            .replace("{y}", &y.to_string())
    }
}

impl TileSource for XyzSource {
    fn tile_url(&self, t: TileId) -> String {
        self.url(t.zoom, t.x, t.y)
    }

    fn attribution(&self) -> Attribution {
        Attribution {
            text: "XYZ imagery (View menu URL)",
            url: "",
            logo_light: None,
            logo_dark: None,
        }
    }
}

/// Map state kept between frames.
pub struct MapView {
    /// walkers' memory (centre, zoom).
    pub memory: MapMemory,
    /// Where the map starts ("my position" for walkers).
    pub home: Position,
    osm: Option<HttpTiles>,
    xyz: Option<HttpTiles>,
    /// Screen rectangle of the map last frame.
    pub rect: egui::Rect,
}

impl Default for MapView {
    fn default() -> Self {
        let mut memory = MapMemory::default();
        memory.set_zoom(3.0).ok();
        memory.center_at(lon_lat(0.0, 20.0));
        Self {
            memory,
            home: lon_lat(0.0, 20.0),
            osm: None,
            xyz: None,
            rect: egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1000.0, 700.0)),
        }
    }
}

impl MapView {
    /// Turn OpenStreetMap tiles on (cached in `cache_dir`) or off.
    pub fn set_osm(&mut self, on: bool, ctx: &egui::Context, cache_dir: &Path) {
        if on && self.osm.is_none() {
            let opts = HttpOptions {
                cache: Some(cache_dir.to_path_buf()),
                ..HttpOptions::default()
            };
            self.osm = Some(HttpTiles::with_options(
                walkers::sources::OpenStreetMap,
                opts,
                ctx.clone(),
            ));
        } else if !on {
            self.osm = None;
        }
    }

    /// True when OSM tiles are shown.
    pub fn osm_on(&self) -> bool {
        self.osm.is_some()
    }

    /// Show XYZ tiles from `template` (cached in `cache_dir`; they replace OSM while on),
    /// or none when `template` is `None` or empty.
    pub fn set_xyz(&mut self, template: Option<&str>, ctx: &egui::Context, cache_dir: &Path) {
        self.xyz = template.filter(|t| !t.trim().is_empty()).map(|t| {
            let opts = HttpOptions {
                cache: Some(cache_dir.to_path_buf()),
                ..HttpOptions::default()
            };
            let source = XyzSource {
                template: t.trim().to_string(),
            };
            HttpTiles::with_options(source, opts, ctx.clone())
        });
    }

    /// True when XYZ tiles are shown.
    pub fn xyz_on(&self) -> bool {
        self.xyz.is_some()
    }

    /// Centre and zoom so that `[w, s, e, n]` fills the view.
    pub fn zoom_to(&mut self, b: [f64; 4]) {
        let (x0, y0) = mercator_from_lon_lat(b[0], b[1]);
        let (x1, y1) = mercator_from_lon_lat(b[2], b[3]);
        let world = 2.0 * std::f64::consts::PI * super::display_warp::MERCATOR_R;
        let fx = ((x1 - x0).abs() / world).max(1e-9);
        let fy = ((y1 - y0).abs() / world).max(1e-9);
        let w = self.rect.width().max(200.0) as f64 * 0.9;
        let h = self.rect.height().max(200.0) as f64 * 0.9;
        let z = (w / (256.0 * fx)).log2().min((h / (256.0 * fy)).log2());
        self.memory.set_zoom(z.clamp(1.0, 19.0)).ok();
        let (lon, lat) =
            super::display_warp::lon_lat_from_mercator((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        self.memory.center_at(lon_lat(lon, lat));
    }

    /// Show the map filling `ui`; returns what the pointer and the view did.
    pub fn map_ui(
        &mut self,
        ui: &mut egui::Ui,
        content: MapContent<'_>,
        tool: &mut DrawingTool,
        drawing: &mut Drawing,
        label: &str,
    ) -> MapOutput {
        let grab = tool.grabs_pointer(ui.ctx());
        let pan = if grab {
            DragPanButtons::MIDDLE
        } else {
            DragPanButtons::PRIMARY | DragPanButtons::MIDDLE
        };
        let mut view = None;
        let mut swipe = None;
        let tiles = match (self.xyz.as_mut(), self.osm.as_mut()) {
            (Some(t), _) | (None, Some(t)) => Some(t as &mut dyn Tiles),
            (None, None) => None,
        };
        let map = walkers::Map::new(tiles, &mut self.memory, self.home)
            .zoom_with_ctrl(false)
            .drag_pan_buttons(pan)
            .double_click_to_zoom(false)
            .with_plugin(RasterOverlay::new(content.base))
            .with_plugin(ImageryOverlay {
                layers: content.imagery,
                swipe: content.swipe,
                handle: tool.mode == crate::gui::drawing::ToolMode::Navigate,
                view_out: &mut view,
                swipe_out: &mut swipe,
            })
            .with_plugin(RasterOverlay::new(content.layers))
            .with_plugin(DrawingPlugin {
                tool,
                drawing,
                label,
            });
        let out = map.show(ui, |_ui, response, projector, _memory| {
            response.hover_pos().map(|p| {
                let w = projector.unproject(p.to_vec2());
                [w.x(), w.y()]
            })
        });
        self.rect = out.response.rect;
        MapOutput {
            hover: out.inner,
            view,
            swipe,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_xyz_template_gets_zoom_column_and_row() {
        let s = XyzSource {
            template: "https://example.org/t/{z}/{y}/{x}.jpg".into(),
        };
        assert_eq!(
            s.url(12, 3001, 1700),
            "https://example.org/t/12/1700/3001.jpg"
        );
    }
}
