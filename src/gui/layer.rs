//! A map layer: the source grid (for read-outs and export), its Web Mercator display grid
//! (for drawing), its style, and the GPU textures built lazily from the style.

use super::colormap::{colorize, robust_range, Ramp};
use super::display_warp::{lon_lat_bounds, tile_layout, TileRect, TILE_PX};
use crate::grid::Grid;
use egui::{ColorImage, TextureHandle, TextureOptions};
use std::path::PathBuf;
use std::sync::Arc;

/// Where a layer comes from; decides its heading in the layers panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerKind {
    /// The hillshade base layer.
    Hillshade,
    /// A project input (DEM, PGV, ground failure, ...).
    Input,
    /// A feature of the table; the string is the feature group label.
    Feature(String),
    /// An InSAR coherence feature (ICF).
    Icf(String),
    /// Observed landslide areal density.
    Observed,
    /// Predicted LAD (next issue).
    Predicted,
    /// Ensemble bounds of the prediction (next issue).
    Bounds,
    /// A raster opened from a file.
    External,
}

impl LayerKind {
    /// Heading in the layers panel.
    pub fn heading(&self) -> String {
        match self {
            LayerKind::Hillshade => "Base".into(),
            LayerKind::Input => "Inputs".into(),
            LayerKind::Feature(g) => format!("Features: {g}"),
            LayerKind::Icf(g) => format!("ICF: {g}"),
            LayerKind::Observed => "Observed".into(),
            LayerKind::Predicted => "Predicted".into(),
            LayerKind::Bounds => "Ensemble bounds".into(),
            LayerKind::External => "Opened files".into(),
        }
    }
}

/// A computed layer as it leaves a worker thread: no GPU state.
pub struct LayerData {
    /// Display name (unique within an event).
    pub name: String,
    /// Origin.
    pub kind: LayerKind,
    /// Unit for the legend and read-out ("m", "cm/s", "%", "" for none).
    pub unit: String,
    /// The grid in its own CRS (read-out, export).
    pub source: Grid<f32>,
    /// The grid warped to EPSG:3857.
    pub display: Grid<f32>,
    /// Initial ramp.
    pub ramp: Ramp,
    /// File it was read from, if any.
    pub path: Option<PathBuf>,
    /// Visible when added.
    pub visible: bool,
}

/// How a layer is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayerStyle {
    /// Drawn at all.
    pub visible: bool,
    /// 0 = transparent, 1 = opaque.
    pub opacity: f32,
    /// Colour ramp.
    pub ramp: Ramp,
    /// Value at the low end of the ramp.
    pub min: f32,
    /// Value at the high end of the ramp.
    pub max: f32,
}

/// A layer on the map.
pub struct MapLayer {
    /// Unique id within the app.
    pub id: u64,
    /// Display name.
    pub name: String,
    /// Origin.
    pub kind: LayerKind,
    /// Unit of the values.
    pub unit: String,
    /// Source grid (own CRS).
    pub source: Arc<Grid<f32>>,
    /// Display grid (EPSG:3857).
    pub display: Grid<f32>,
    /// File it came from.
    pub path: Option<PathBuf>,
    /// Style.
    pub style: LayerStyle,
    /// Valid-value range (min, max) of the source.
    pub value_range: (f32, f32),
    /// Lon/lat bounds `[w, s, e, n]`.
    pub bounds: [f64; 4],
    tiles: Vec<TileRect>,
    textures: Vec<TextureHandle>,
    texture_key: Option<(Ramp, f32, f32)>,
}

impl MapLayer {
    /// Wrap worker output; textures are built on first draw.
    pub fn new(id: u64, data: LayerData) -> Self {
        let value_range = data.source.min_max().unwrap_or((0.0, 1.0));
        let (min, max) = if data.kind == LayerKind::Hillshade {
            (0.0, 255.0)
        } else {
            robust_range(&data.display.data).unwrap_or(value_range)
        };
        let tiles = tile_layout(data.display.spec.cols, data.display.spec.rows, TILE_PX);
        let bounds = lon_lat_bounds(&data.display.spec);
        Self {
            id,
            name: data.name,
            kind: data.kind,
            unit: data.unit,
            source: Arc::new(data.source),
            display: data.display,
            path: data.path,
            style: LayerStyle {
                visible: data.visible,
                opacity: if data.ramp == Ramp::Greys { 1.0 } else { 0.8 },
                ramp: data.ramp,
                min,
                max,
            },
            value_range,
            bounds,
            tiles,
            textures: Vec::new(),
            texture_key: None,
        }
    }

    /// New grids for the same layer (e.g. LAD after a digitising edit): the style's
    /// visibility, opacity and ramp stay; the range follows the new values.
    pub fn replace_data(&mut self, data: LayerData) {
        let fresh = MapLayer::new(self.id, data);
        self.style.min = fresh.style.min;
        self.style.max = fresh.style.max;
        self.source = fresh.source;
        self.display = fresh.display;
        self.value_range = fresh.value_range;
        self.bounds = fresh.bounds;
        self.tiles = fresh.tiles;
        self.drop_textures();
    }

    /// Build or rebuild the tile textures when the ramp or range changed.
    pub fn ensure_textures(&mut self, ctx: &egui::Context) {
        let key = (self.style.ramp, self.style.min, self.style.max);
        if self.texture_key == Some(key) && self.textures.len() == self.tiles.len() {
            return;
        }
        let cols = self.display.spec.cols;
        let filter = if self.kind == LayerKind::Hillshade {
            TextureOptions::LINEAR
        } else {
            TextureOptions::NEAREST
        };
        self.textures = self
            .tiles
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut vals = Vec::with_capacity(t.cols * t.rows);
                for r in t.row0..t.row0 + t.rows {
                    let start = r * cols + t.col0;
                    vals.extend_from_slice(&self.display.data[start..start + t.cols]);
                }
                let pixels = colorize(&vals, self.style.ramp, self.style.min, self.style.max);
                let img = ColorImage::new([t.cols, t.rows], pixels);
                ctx.load_texture(format!("layer-{}-{i}", self.id), img, filter)
            })
            .collect();
        self.texture_key = Some(key);
    }

    /// Tiles with their textures (empty until [`Self::ensure_textures`] ran).
    pub fn textured_tiles(&self) -> impl Iterator<Item = (&TileRect, &TextureHandle)> {
        self.tiles.iter().zip(self.textures.iter())
    }

    /// Release GPU memory (hidden layers keep their grids only).
    pub fn drop_textures(&mut self) {
        self.textures.clear();
        self.texture_key = None;
    }

    /// Value of the source grid at a point given in the source CRS.
    pub fn value_at(&self, x: f64, y: f64) -> f32 {
        self.source.sample_world(x, y)
    }
}
