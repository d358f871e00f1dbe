//! Where a mapper's digitised inventory lives beside a project: the mapping GeoPackage
//! (`<project stem>_mapping.gpkg`, layers `landslides` and `mapped_areas`) and, for a project
//! that had no study area when it was linked, `<project stem>_study_area.gpkg`.

use std::path::{Path, PathBuf};

/// Layer of the mapping GeoPackage holding the landslides.
pub const LANDSLIDES_LAYER: &str = "landslides";
/// Layer of the mapping GeoPackage holding the mapped areas.
pub const MAPPED_AREAS_LAYER: &str = "mapped_areas";

/// `<project stem><suffix>` beside the project file.
fn beside(project_path: &Path, suffix: &str) -> PathBuf {
    let stem = project_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "event".into());
    project_path.with_file_name(format!("{stem}{suffix}"))
}

/// Where the mapping GeoPackage of a project goes: `<project stem>_mapping.gpkg` beside it.
pub fn mapping_gpkg_path(project_path: &Path) -> PathBuf {
    beside(project_path, "_mapping.gpkg")
}

/// Where the study area of a linked project goes when it had none:
/// `<project stem>_study_area.gpkg` beside it.
pub fn study_area_gpkg_path(project_path: &Path) -> PathBuf {
    beside(project_path, "_study_area.gpkg")
}
