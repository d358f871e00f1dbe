//! Digitising mapped areas and landslides: the polygon model with undo/redo, the map tool,
//! the mapping rules (landslides inside mapped areas), concave fills, autosave, and
//! GeoPackage/GeoJSON files.

pub mod autosave;
pub mod io;
pub mod model;
pub mod rules;
pub mod tool;
pub mod triangulate;

pub use model::{Drawing, DrawnPolygon, PolygonKind};
pub use tool::{DrawingPlugin, DrawingTool, ToolMode};
