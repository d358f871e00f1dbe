//! Adding radar acquisitions to an existing project (the window's "Add acquisitions…" and
//! `slidemap add-acquisitions`): the acquisitions of a scanned folder that the project does
//! not have yet (same co-event file = same acquisition), checked against the project's DEM,
//! appended after the existing ones (their indices stay) with paths relative to the project
//! file, and the project saved atomically and loaded back as `slidemap run` would.

use super::new_event::{raster_overlap, relative_path};
use super::{AcquisitionConfig, Project, ProjectError, RasterInput};
use crate::io::raster_info;
use std::path::{Path, PathBuf};

/// Errors of [`append_acquisitions`].
#[derive(Debug, thiserror::Error)]
pub enum AddAcquisitionsError {
    /// Nothing was chosen, or every chosen acquisition is already in the project.
    #[error("{path}: nothing to add ({detail})")]
    Nothing {
        /// The project file.
        path: PathBuf,
        /// Why.
        detail: String,
    },
    /// A coherence file cannot be read or does not overlap the project's DEM.
    #[error("{path}: acquisition {acquisition}: {message}")]
    Unusable {
        /// The project file.
        path: PathBuf,
        /// "S1_asc T085".
        acquisition: String,
        /// Which file and why.
        message: String,
    },
    /// Reading, saving or re-reading the project failed.
    #[error(transparent)]
    Project(#[from] ProjectError),
}

/// What [`append_acquisitions`] did.
#[derive(Debug, Clone)]
pub struct AppendOutcome {
    /// The project as saved and loaded back.
    pub project: Project,
    /// Acquisitions appended.
    pub added: usize,
    /// Acquisitions left out because the project already had them.
    pub already: usize,
}

/// The project's co-event files (resolved, canonical when they exist): what
/// [`known_among`] compares candidates with.
pub fn project_co_event_files(project: &Project) -> Vec<PathBuf> {
    project
        .file
        .acquisitions
        .iter()
        .map(|a| same_file_key(&project.resolve(&a.co_event.path)))
        .collect()
}

/// For each of `candidates`: true when its co-event file is one of `known_files` (from
/// [`project_co_event_files`]).
pub fn known_among(known_files: &[PathBuf], candidates: &[AcquisitionConfig]) -> Vec<bool> {
    candidates
        .iter()
        .map(|c| known_files.contains(&same_file_key(&c.co_event.path)))
        .collect()
}

/// For each of `candidates` (paths absolute, as a folder scan gives them): true when
/// `project` already has it (its co-event file is one of the project's co-event files).
pub fn known_acquisitions(project: &Project, candidates: &[AcquisitionConfig]) -> Vec<bool> {
    known_among(&project_co_event_files(project), candidates)
}

/// Why each file of `acquisition` cannot be used with `project` (cannot be read, no CRS,
/// outside the DEM); empty when every file is fine.
pub fn acquisition_problems(project: &Project, acquisition: &AcquisitionConfig) -> Vec<String> {
    let dem_path = project.resolve(&project.file.inputs.dem.path);
    let dem = match raster_info(&dem_path) {
        Ok(info) => info.spec,
        Err(e) => return vec![e.to_string()],
    };
    files(acquisition)
        .into_iter()
        .filter_map(|r| {
            let p = project.resolve(&r.path);
            raster_overlap(&p, &dem.extent(), &dem.crs_wkt).err()
        })
        .collect()
}

/// Append `chosen` (paths absolute or relative to the working folder) to the project at
/// `project_path`, leaving out those it already has; every file is checked against the DEM
/// first and nothing is written when one fails. The project is saved atomically (paths
/// relative to it) and loaded back.
pub fn append_acquisitions(
    project_path: &Path,
    chosen: &[AcquisitionConfig],
) -> Result<AppendOutcome, AddAcquisitionsError> {
    let mut project = Project::load(project_path)?;
    let known = known_acquisitions(&project, chosen);
    let new: Vec<&AcquisitionConfig> = chosen
        .iter()
        .zip(&known)
        .filter(|(_, k)| !**k)
        .map(|(a, _)| a)
        .collect();
    let already = chosen.len() - new.len();
    if new.is_empty() {
        return Err(AddAcquisitionsError::Nothing {
            path: project_path.to_path_buf(),
            detail: if chosen.is_empty() {
                "no acquisition chosen".into()
            } else {
                format!("the project already has the {already} acquisition(s) found")
            },
        });
    }
    for a in &new {
        if let Some(message) = acquisition_problems(&project, a).into_iter().next() {
            return Err(AddAcquisitionsError::Unusable {
                path: project_path.to_path_buf(),
                acquisition: format!("{} {}", a.name_prefix(), a.track),
                message,
            });
        }
    }
    let base = project.base_dir();
    let base = if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base
    };
    for a in &new {
        let mut a = (*a).clone();
        for r in a.files_mut() {
            r.path = relative_path(&base, &r.path);
        }
        project.file.acquisitions.push(a);
    }
    project.validate()?;
    project.save()?;
    let project = Project::load(project_path)?;
    Ok(AppendOutcome {
        project,
        added: new.len(),
        already,
    })
}

/// The coherence files of an acquisition.
fn files(a: &AcquisitionConfig) -> Vec<&RasterInput> {
    [
        Some(&a.pre_event),
        Some(&a.co_event),
        a.post_event.as_ref(),
        a.sibling.as_ref(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A path to compare files by: canonical when the file exists, else as given.
fn same_file_key(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}
