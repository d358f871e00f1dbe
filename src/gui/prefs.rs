//! UI preferences persisted in eframe storage: one `#[serde(default)]` struct, so fields
//! can be added without breaking older saved state.

use super::colormap::Ramp;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// eframe storage key.
pub const PREFS_KEY: &str = "slidemap.prefs.v1";
/// Recent projects kept.
pub const MAX_RECENT: usize = 10;

/// UI preferences (not the user's work: that lives in project and drawing files).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Show OpenStreetMap tiles under the hillshade (needs a network; off by default).
    pub osm_tiles: bool,
    /// Snap vertices to existing vertices while digitising.
    pub snapping: bool,
    /// Ramp for newly opened data layers.
    pub default_ramp: Ramp,
    /// Most recent first.
    pub recent_projects: Vec<PathBuf>,
    /// Author written into new polygon labels.
    pub author: String,
    /// Show the hover read-out.
    pub hover_readout: bool,
    /// Show the legend of the top visible layer on the map.
    pub map_legend: bool,
    /// Width of the layers panel, points.
    pub layers_panel_width: f32,
    /// The "Getting started" card was dismissed: the demo no longer opens with it.
    pub getting_started_dismissed: bool,
    /// XYZ imagery tile URL template (`{z}`, `{x}`, `{y}`); empty = none.
    pub xyz_url: String,
    /// Show the XYZ tiles (needs a network; off by default; replaces OSM while on).
    pub xyz_tiles: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            osm_tiles: false,
            snapping: false,
            default_ramp: Ramp::Viridis,
            recent_projects: Vec::new(),
            author: std::env::var("USER")
                .or_else(|_| std::env::var("USERNAME"))
                .unwrap_or_else(|_| "mapper".into()),
            hover_readout: true,
            map_legend: true,
            layers_panel_width: 300.0,
            getting_started_dismissed: false,
            xyz_url: String::new(),
            xyz_tiles: false,
        }
    }
}

impl Prefs {
    /// Put `path` first in the recent list.
    pub fn push_recent(&mut self, path: PathBuf) {
        self.recent_projects.retain(|p| p != &path);
        self.recent_projects.insert(0, path);
        self.recent_projects.truncate(MAX_RECENT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_take_defaults() {
        let p: Prefs = serde_json::from_str(r#"{"snapping": true}"#).unwrap();
        assert!(p.snapping);
        assert!(!p.osm_tiles);
        assert!(p.hover_readout);
        assert!(!p.getting_started_dismissed, "older prefs show the guide");
        assert!(
            p.xyz_url.is_empty() && !p.xyz_tiles,
            "no XYZ tiles unless asked"
        );
    }

    #[test]
    fn recent_list_is_deduplicated_and_bounded() {
        let mut p = Prefs::default();
        for i in 0..15 {
            p.push_recent(format!("/p/{i}.toml").into());
        }
        p.push_recent("/p/3.toml".into());
        assert_eq!(p.recent_projects.len(), MAX_RECENT);
        assert_eq!(p.recent_projects[0], PathBuf::from("/p/3.toml"));
    }
}
