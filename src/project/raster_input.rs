//! A raster input of the project file (path and band), shared by the event's inputs and
//! the radar acquisitions' coherence files.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// A raster input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RasterInput {
    /// File path (relative to the project file).
    pub path: PathBuf,
    /// 1-based band (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<usize>,
}
