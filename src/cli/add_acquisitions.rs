//! `slidemap add-acquisitions P.toml --coherence DIR`: radar pairs that arrived after the
//! project was made, appended to it (the same core calls as the window's Add
//! acquisitions…): the folder scanned, the acquisitions the project already has left out,
//! every file checked against the DEM, the project saved atomically with relative paths;
//! later post-event pairs complete the acquisitions the project already has.
//! A question the scan cannot answer (an image on the event day, two candidate pairs) is
//! an error here: answer it in the window, or move the files you do not want out.

use super::init::print_review;
use anyhow::{bail, Context, Result};
use clap::Args;
use slidemap::project::{
    append_acquisitions, complete_acquisitions, empty_folder, known_acquisitions,
    post_event_completions, scan_coherence_pairs, Project,
};
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
    let scan = scan_coherence_pairs(&args.coherence, project.file.event.date)?;
    let completions = post_event_completions(&project, &scan.pairs);
    if scan.acquisitions.is_empty() && scan.questions.is_empty() && completions.is_empty() {
        return Err(empty_folder(&args.coherence, &scan).into());
    }
    print_review(&scan);
    let open: Vec<String> = scan.open_questions().map(|q| q.prompt.clone()).collect();
    if !open.is_empty() {
        bail!(
            "{}: {}\nanswer in the window (File > Add acquisitions…), or move the files you do not want out of the folder",
            args.coherence.display(),
            open.join("\n")
        );
    }
    let chosen = scan.chosen();
    let new = known_acquisitions(&project, &chosen)
        .iter()
        .filter(|k| !**k)
        .count();
    let (mut added, mut already) = (0, chosen.len() - new);
    // with nothing new and nothing to complete, the core says why
    if new > 0 || completions.is_empty() {
        let out = append_acquisitions(&args.project, &chosen)?;
        (added, already) = (out.added, out.already);
    }
    let completed = match completions.is_empty() {
        true => 0,
        false => complete_acquisitions(&args.project, &completions)?,
    };
    let now = Project::load(&args.project)?.file.acquisitions.len();
    println!(
        "added {added} acquisition(s) to {} ({already} already there), completed {completed} with a later post-event pair; it now has {now}",
        args.project.display(),
    );
    Ok(())
}
