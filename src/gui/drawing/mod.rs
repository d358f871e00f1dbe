//! Digitising training areas: the polygon model with undo/redo, the map tool, concave
//! fills, autosave, and GeoPackage/GeoJSON files.

pub mod autosave;
pub mod io;
pub mod model;
pub mod tool;
pub mod triangulate;

pub use model::{Drawing, DrawnPolygon};
pub use tool::{DrawingPlugin, DrawingTool, ToolMode};
