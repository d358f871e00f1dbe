//! Later post-event pairs for acquisitions a project already has: the pair that starts on an
//! acquisition's first post-event date (same sensor, track and pass) becomes its post-event
//! coherence, which adds the post-event features (PECI, ΔCsum, ΔCmax…) as a new timeline
//! step on the pair's second date. This is how the radar of days like +8 d in today's demo
//! (`incoming/2026-11-25/`: only the Sentinel-1 descending post-event pair) reaches an open
//! event: such a folder holds no new acquisition, only the rest of one.

use super::add_acquisitions::{acquisition_problems, AddAcquisitionsError};
use super::new_event::relative_path;
use super::{CoherencePair, PairTiming, Project, RasterInput};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// A post-event pair that completes one of the project's acquisitions.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// Index of the acquisition in the project file.
    pub acquisition: usize,
    /// "S1_desc T104", for the review.
    pub label: String,
    /// The pair's first date (the acquisition's first post-event date).
    pub first: NaiveDate,
    /// The pair's second date: the new timeline step.
    pub second: NaiveDate,
    /// The coherence file (absolute, as the scan found it).
    pub path: PathBuf,
}

/// The post-event pairs among `pairs` (non-sibling) that complete acquisitions of `project`
/// without one: same sensor, track and pass, starting on the acquisition's first post-event
/// date; the shortest such pair when there are several.
pub fn post_event_completions(project: &Project, pairs: &[CoherencePair]) -> Vec<Completion> {
    project
        .file
        .acquisitions
        .iter()
        .enumerate()
        .filter(|(_, a)| a.post_event.is_none())
        .filter_map(|(i, a)| {
            let pair = pairs
                .iter()
                .filter(|p| p.timing == PairTiming::PostEvent && !p.sibling)
                .filter(|p| p.sensor == a.sensor && p.track == a.track && p.pass == a.pass)
                .filter(|p| p.first == a.first_post_date)
                .min_by_key(|p| p.second)?;
            Some(Completion {
                acquisition: i,
                label: format!("{} {}", a.name_prefix(), a.track),
                first: pair.first,
                second: pair.second,
                path: pair.path.clone(),
            })
        })
        .collect()
}

/// Give the project's acquisitions their post-event pairs: every file checked against the
/// DEM first (nothing is written when one fails), paths relative to the project, the project
/// saved atomically and loaded back. Returns the number of acquisitions completed.
pub fn complete_acquisitions(
    project_path: &Path,
    completions: &[Completion],
) -> Result<usize, AddAcquisitionsError> {
    let mut project = Project::load(project_path)?;
    let base = match project.base_dir() {
        b if b.as_os_str().is_empty() => PathBuf::from("."),
        b => b,
    };
    let mut done = 0;
    for c in completions {
        let Some(a) = project.file.acquisitions.get(c.acquisition) else {
            continue;
        };
        if a.post_event.is_some() {
            continue;
        }
        let mut a = a.clone();
        a.post_event = Some(RasterInput {
            path: c.path.clone(),
            band: None,
        });
        a.second_post_date = Some(c.second);
        if let Some(message) = acquisition_problems(&project, &a).into_iter().next() {
            return Err(AddAcquisitionsError::Unusable {
                path: project_path.to_path_buf(),
                acquisition: c.label.clone(),
                message,
            });
        }
        if let Some(post) = a.post_event.as_mut() {
            post.path = relative_path(&base, &c.path);
        }
        project.file.acquisitions[c.acquisition] = a;
        done += 1;
    }
    if done == 0 {
        return Err(AddAcquisitionsError::Nothing {
            path: project_path.to_path_buf(),
            detail: "no acquisition of the project is waiting for these post-event pairs".into(),
        });
    }
    project.validate()?;
    project.save()?;
    Project::load(project_path)?;
    Ok(done)
}
