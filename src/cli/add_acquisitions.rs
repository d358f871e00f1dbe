//! `slidemap add-acquisitions P.toml --coherence DIR`: radar pairs that arrived after the
//! project was made, appended to it (the same core calls as the window's Add
//! acquisitions…): the folder scanned, the acquisitions the project already has left out,
//! every file checked against the DEM, the project saved atomically with relative paths.
//! A question the scan cannot answer (an image on the event day, two candidate pairs) is
//! an error here: answer it in the window, or move the files you do not want out.

use super::init::print_review;
use anyhow::{bail, Context, Result};
use clap::Args;
use slidemap::project::{append_acquisitions, scan_coherence_folder, Project};
use std::path::PathBuf;

/// Arguments of `add-acquisitions`.
#[derive(Debug, Clone, Args)]
pub struct AddAcquisitionsArgs {
    /// The project file to add to.
    pub project: PathBuf,
    /// A folder of coherence files: LiCSAR frames, LiCSBAS GEOC, or files named with two dates.
    #[arg(long, value_name = "DIR")]
    pub coherence: PathBuf,
}

/// Run the verb.
pub fn run(args: &AddAcquisitionsArgs) -> Result<()> {
    let project = Project::load(&args.project)
        .with_context(|| format!("add-acquisitions {}", args.project.display()))?;
    let scan = scan_coherence_folder(&args.coherence, project.file.event.date)?;
    print_review(&scan);
    let open: Vec<String> = scan.open_questions().map(|q| q.prompt.clone()).collect();
    if !open.is_empty() {
        bail!(
            "{}: {}\nanswer in the window (File > Add acquisitions…), or move the files you do not want out of the folder",
            args.coherence.display(),
            open.join("\n")
        );
    }
    let out = append_acquisitions(&args.project, &scan.chosen())?;
    println!(
        "added {} acquisition(s) to {} ({} already there); it now has {}",
        out.added,
        args.project.display(),
        out.already,
        out.project.file.acquisitions.len()
    );
    Ok(())
}
