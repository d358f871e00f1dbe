//! The project file's structure, loading (with path resolution and validation) and atomic
//! saving.

use super::{AcquisitionConfig, ProjectError, RasterInput};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Newest project format this build reads and writes.
pub const CURRENT_FORMAT_VERSION: u32 = 1;
/// `ground_failure.model` value selecting the built-in Nowicki Jessee et al. (2018) model.
pub const GROUND_FAILURE_MODEL_NJ2018: &str = "nowicki-jessee-2018";

/// The earthquake.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventConfig {
    /// Human-readable event name.
    pub name: String,
    /// Event date, YYYY-MM-DD.
    pub date: NaiveDate,
    /// Optional epicentre [lon, lat] in degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epicentre: Option<[f64; 2]>,
}

/// The analysis grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GridConfig {
    /// Analysis CRS (EPSG code, WKT or PROJ); default: UTM zone of the study-area centre.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
    /// Fine cell width in metres (paper: 20).
    pub cell_width_m: f64,
    /// Fine cell height in metres (paper: 22).
    pub cell_height_m: f64,
    /// Fine cells per coarse cell side (paper: 10 → 200 m × 220 m).
    pub block_factor: usize,
}

impl Default for GridConfig {
    fn default() -> Self {
        Self {
            crs: None,
            cell_width_m: 20.0,
            cell_height_m: 22.0,
            block_factor: 10,
        }
    }
}

/// A vector input (polygons).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorInput {
    /// File path.
    pub path: PathBuf,
    /// Layer name (default: first layer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
}

/// A categorical input given as a raster of class codes or as polygons with a class field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThematicInput {
    /// File path (raster or vector, detected by GDAL).
    pub path: PathBuf,
    /// Class field for polygons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Layer for polygons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// Band for rasters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<usize>,
}

/// The landslide inventory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InventoryInput {
    /// Polygons (→ LAD) or points (→ landslide number density).
    pub path: PathBuf,
    /// Layer name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// Attribute filter, e.g. `Year_obs in [2005, 2006]` (OGR SQL otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
}

/// The USGS ground-failure product: a raster, or the built-in model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroundFailureInput {
    /// Raster of landslide areal coverage (0–1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
    /// Band of the raster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<usize>,
    /// `"nowicki-jessee-2018"` to compute it from PGV, slope, CTI, lithology and land cover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

/// All inputs of one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputsConfig {
    /// Digital elevation model (metres).
    pub dem: RasterInput,
    /// Peak ground velocity (cm/s): GeoTIFF or ShakeMap grid.xml.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pgv: Option<RasterInput>,
    /// Lithology (GLiM-style classes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lithology: Option<ThematicInput>,
    /// Land cover (ESA CCI-style classes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub land_cover: Option<ThematicInput>,
    /// USGS ground-failure product or model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ground_failure: Option<GroundFailureInput>,
    /// Landslide inventory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory: Option<InventoryInput>,
    /// Polygon(s) of the area where the inventory was mapped (holes = unmapped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapped_extent: Option<VectorInput>,
    /// Study area polygon (default: mapped extent, else the DEM extent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub study_area: Option<VectorInput>,
}

/// The file as written on disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    /// Format version (see module docs).
    pub format_version: u32,
    /// The earthquake.
    pub event: EventConfig,
    /// Analysis grid settings.
    #[serde(default)]
    pub grid: GridConfig,
    /// Input files.
    pub inputs: InputsConfig,
    /// Radar acquisitions (any order; the timeline sorts them by date).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acquisitions: Vec<AcquisitionConfig>,
}

/// A loaded project: the file's content plus where it lives.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// Path of the project file.
    pub path: PathBuf,
    /// Parsed content (paths as written).
    pub file: ProjectFile,
}

impl Project {
    /// Load and validate a project file.
    pub fn load(path: &Path) -> Result<Project, ProjectError> {
        crate::io::check_input_file(path).map_err(ProjectError::Unreadable)?;
        let text = std::fs::read_to_string(path).map_err(|source| ProjectError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_toml(&text, path)
    }

    /// Parse project text as if it were stored at `path`.
    pub fn from_toml(text: &str, path: &Path) -> Result<Project, ProjectError> {
        // Check the version first, so a newer file gets the right message rather than
        // an "unknown key" error for a key added later.
        if let Ok(v) = text.parse::<toml::Table>() {
            if let Some(found) = v.get("format_version").and_then(|v| v.as_integer()) {
                if found > CURRENT_FORMAT_VERSION as i64 {
                    return Err(ProjectError::NewerVersion {
                        path: path.to_path_buf(),
                        found: found as u32,
                        supported: CURRENT_FORMAT_VERSION,
                    });
                }
            }
        }
        if let Ok(table) = text.parse::<toml::Table>() {
            check_dates(&table, path)?;
        }
        let file: ProjectFile = toml::from_str(text).map_err(|e| ProjectError::Parse {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let project = Project {
            path: path.to_path_buf(),
            file,
        };
        project.validate()?;
        Ok(project)
    }

    fn invalid(&self, key: &str, message: impl Into<String>) -> ProjectError {
        ProjectError::Invalid {
            path: self.path.clone(),
            key: key.to_string(),
            message: message.into(),
        }
    }

    /// Check what types alone cannot.
    pub fn validate(&self) -> Result<(), ProjectError> {
        let f = &self.file;
        if f.format_version == 0 {
            return Err(self.invalid("format_version", "must be 1 or later"));
        }
        let g = &f.grid;
        if !(g.cell_width_m > 0.0
            && g.cell_height_m > 0.0
            && g.cell_width_m.is_finite()
            && g.cell_height_m.is_finite())
        {
            return Err(self.invalid("grid.cell_width_m", "cell sizes must be positive metres"));
        }
        if let Some([lon, lat]) = f.event.epicentre {
            if !((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)) {
                return Err(self.invalid(
                    "event.epicentre",
                    format!("[{lon}, {lat}] is not [longitude, latitude] in degrees (longitude −180..180, latitude −90..90); are the two swapped?"),
                ));
            }
        }
        if g.block_factor == 0 {
            return Err(self.invalid("grid.block_factor", "must be at least 1"));
        }
        if let Some(gf) = &f.inputs.ground_failure {
            match (&gf.path, &gf.model) {
                (Some(_), Some(_)) => {
                    return Err(self.invalid(
                        "inputs.ground_failure",
                        "give either `path` or `model`, not both",
                    ))
                }
                (None, None) => {
                    return Err(self.invalid(
                        "inputs.ground_failure",
                        "give `path` (a raster) or `model = \"nowicki-jessee-2018\"`",
                    ))
                }
                (None, Some(m)) if m != GROUND_FAILURE_MODEL_NJ2018 => {
                    return Err(self.invalid(
                        "inputs.ground_failure.model",
                        format!("unknown model '{m}' (known: {GROUND_FAILURE_MODEL_NJ2018})"),
                    ))
                }
                _ => {}
            }
        }
        for (i, a) in f.acquisitions.iter().enumerate() {
            let key = |k: &str| format!("acquisitions[{i}].{k}");
            if a.radar_band().is_none() {
                return Err(self.invalid(&key("band"), format!("sensor '{}' is not Sentinel-1 or ALOS-2: give band = \"C\", \"L\" or \"X\"", a.sensor)));
            }
            if a.first_post_date < f.event.date {
                return Err(self.invalid(
                    &key("first_post_date"),
                    format!(
                        "{} is before the event ({})",
                        a.first_post_date, f.event.date
                    ),
                ));
            }
            if let Some(d2) = a.second_post_date {
                if d2 <= a.first_post_date {
                    return Err(self.invalid(
                        &key("second_post_date"),
                        format!("{d2} is not after first_post_date {}", a.first_post_date),
                    ));
                }
            }
            if a.post_event.is_some() && a.second_post_date.is_none() {
                return Err(self.invalid(&key("second_post_date"), "post_event coherence is given, so the date of the second post-event image is needed"));
            }
        }
        Ok(())
    }

    /// Folder the project file lives in.
    pub fn base_dir(&self) -> PathBuf {
        self.path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// Resolve a path from the file against the project folder.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir().join(p)
        }
    }

    /// Serialise to TOML text.
    pub fn to_toml(&self) -> Result<String, ProjectError> {
        toml::to_string_pretty(&self.file).map_err(|e| ProjectError::Parse {
            path: self.path.clone(),
            message: e.to_string(),
        })
    }

    /// Save atomically to `self.path` (temp file, fsync, rename).
    pub fn save(&self) -> Result<(), ProjectError> {
        let text = format!("# SlideMap project file (format {CURRENT_FORMAT_VERSION}); paths are relative to this file.\n{}", self.to_toml()?);
        crate::io::atomic_write_bytes(&self.path, text.as_bytes()).map_err(|e| ProjectError::Io {
            path: self.path.clone(),
            source: std::io::Error::other(e.to_string()),
        })
    }
}

/// Dates given as strings are checked before the typed parse, so an impossible date names
/// its key and says why (chrono alone says only "input is out of range").
fn check_dates(table: &toml::Table, path: &Path) -> Result<(), ProjectError> {
    let mut dated: Vec<(String, &toml::Value)> = Vec::new();
    if let Some(d) = table.get("event").and_then(|e| e.get("date")) {
        dated.push(("event.date".into(), d));
    }
    if let Some(acqs) = table.get("acquisitions").and_then(|a| a.as_array()) {
        for (i, a) in acqs.iter().enumerate() {
            for k in ["first_post_date", "second_post_date"] {
                if let Some(d) = a.get(k) {
                    dated.push((format!("acquisitions[{i}].{k}"), d));
                }
            }
        }
    }
    for (key, value) in dated {
        let Some(text) = value.as_str() else { continue };
        if let Some(why) = date_problem(text) {
            return Err(ProjectError::Invalid {
                path: path.to_path_buf(),
                key,
                message: why,
            });
        }
    }
    Ok(())
}

/// Why `text` is not a valid YYYY-MM-DD date, or `None` when it is one.
pub fn date_problem(text: &str) -> Option<String> {
    if NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() {
        return None;
    }
    let parts: Vec<Option<u32>> = text.split('-').map(|p| p.parse::<u32>().ok()).collect();
    let [Some(y), Some(m), Some(d)] = parts.as_slice() else {
        return Some(format!(
            "'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2015-04-25"
        ));
    };
    if !(1..=12).contains(m) {
        return Some(format!(
            "'{text}' is not a valid date: month {m} does not exist (months are 01 to 12)"
        ));
    }
    let days = (28..=31)
        .rev()
        .find(|d| NaiveDate::from_ymd_opt(*y as i32, *m, *d).is_some())
        .unwrap_or(28);
    let month = NaiveDate::from_ymd_opt(*y as i32, *m, 1)
        .map(|d| d.format("%B %Y").to_string())
        .unwrap_or_else(|| format!("month {m} of {y}"));
    Some(format!(
        "'{text}' is not a valid date: day {d} does not exist ({month} has {days} days)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swapped_epicentre_is_refused() {
        let text = MINIMAL.replace(
            "name = \"Test\"",
            "name = \"Test\"\nepicentre = [28.2, 184.7]",
        );
        let e = Project::from_toml(&text, Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("event.epicentre") && e.contains("swapped"),
            "{e}"
        );
    }

    #[test]
    fn an_impossible_date_names_the_key_and_says_why() {
        let text = MINIMAL.replace("2015-04-25", "2015-02-30");
        let e = Project::from_toml(&text, Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("event.date") && e.contains("February 2015 has 28 days"),
            "{e}"
        );
        assert!(date_problem("2015-13-01").unwrap().contains("month 13"));
        assert!(date_problem("25/04/2015").unwrap().contains("YYYY-MM-DD"));
        assert_eq!(date_problem("2016-02-29"), None);
    }

    const MINIMAL: &str = r#"
format_version = 1
[event]
name = "Test"
date = "2015-04-25"
[inputs]
dem = { path = "dem.tif" }
"#;

    #[test]
    fn a_minimal_project_gets_the_paper_defaults() {
        let p = Project::from_toml(MINIMAL, Path::new("/data/ev/project.toml")).unwrap();
        assert_eq!(p.file.grid.cell_width_m, 20.0);
        assert_eq!(p.file.grid.cell_height_m, 22.0);
        assert_eq!(p.file.grid.block_factor, 10);
        assert_eq!(
            p.resolve(&p.file.inputs.dem.path),
            PathBuf::from("/data/ev/dem.tif")
        );
    }

    #[test]
    fn unknown_keys_are_errors_that_name_key_and_line() {
        let text = MINIMAL.replace("[inputs]", "[inputs]\ndme = { path = \"x.tif\" }");
        let e = Project::from_toml(&text, Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("dme"), "{e}");
        assert!(e.contains("line 7"), "{e}");
    }

    #[test]
    fn wrong_types_are_errors_that_name_the_key() {
        let text = MINIMAL.replace("name = \"Test\"", "name = \"Test\"\nepicentre = \"north\"");
        let e = Project::from_toml(&text, Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("epicentre"), "{e}");
    }

    #[test]
    fn a_newer_format_version_is_reported_as_such() {
        let text = MINIMAL.replace("format_version = 1", "format_version = 7\nnew_thing = 1");
        let e = Project::from_toml(&text, Path::new("p.toml")).unwrap_err();
        assert!(
            matches!(e, ProjectError::NewerVersion { found: 7, .. }),
            "{e}"
        );
    }

    #[test]
    fn save_and_load_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        let mut p = Project::from_toml(MINIMAL, &path).unwrap();
        p.file.event.epicentre = Some([84.7, 28.2]);
        p.save().unwrap();
        assert_eq!(Project::load(&path).unwrap().file, p.file);
    }

    #[test]
    fn post_event_dates_before_co_event_dates_are_refused() {
        let text = format!("{MINIMAL}\n[[acquisitions]]\nsensor = \"ALOS-2\"\ntrack = \"P157\"\npass = \"descending\"\nfirst_post_date = \"2015-05-03\"\nsecond_post_date = \"2015-05-01\"\npre_event = {{ path = \"a.tif\" }}\nco_event = {{ path = \"b.tif\" }}\n");
        let e = Project::from_toml(&text, Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("acquisitions[0].second_post_date"), "{e}");
    }
}
