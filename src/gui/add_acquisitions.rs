//! File → Add acquisitions… (and the button above the timeline): radar pairs that arrived
//! after the event was opened. A folder is chosen (typed, or through the shared file
//! chooser), scanned on a worker with the same core call as the New event form, reviewed
//! in [`super::acquisition_review`] (acquisitions the project already has are shown and
//! left out), and on "Add to the project" appended to the project file by the core
//! (`append_acquisitions`: atomic, paths relative). The window then asks the app to reload
//! the event, which rebuilds its features and timeline on the event's worker.

use super::acquisition_review::acquisition_review_ui;
use super::app::{Command, FilePurpose};
use super::job::{JobEvent, JobHandle};
use crate::project::{
    acquisition_problems, append_acquisitions, complete_acquisitions, empty_folder, known_among,
    post_event_completions, project_co_event_files, scan_coherence_pairs, Completion, FolderScan,
    Project,
};
use chrono::NaiveDate;
use std::path::PathBuf;
use std::time::Duration;

/// What the worker did.
enum Outcome {
    /// The folder's scan, the project's co-event files, problems of the new acquisitions,
    /// post-event pairs completing acquisitions the project has.
    Scanned(Box<FolderScan>, Vec<PathBuf>, Vec<String>, Vec<Completion>),
    /// Acquisitions appended.
    Added(usize),
}

/// The Add acquisitions window (hidden until opened).
#[derive(Default)]
pub struct AddAcquisitionsWindow {
    state: Option<DialogState>,
}

/// The window's contents.
pub struct DialogState {
    /// The open event's project file.
    pub project: PathBuf,
    /// The event date the pairs are classified against.
    pub event_date: NaiveDate,
    /// The folder to scan.
    pub folder: String,
    /// The folder's acquisitions as the user reviews them.
    pub scan: Option<FolderScan>,
    /// The project's co-event files (an acquisition with one of them is already there).
    known_files: Vec<PathBuf>,
    /// Per acquisition of `scan`: the project already has it (updated after each edit).
    known: Vec<bool>,
    /// Why the folder cannot be used (shown next to it).
    pub error: Option<String>,
    /// Problems of acquisitions' files (outside the DEM, unreadable).
    pub problems: Vec<String>,
    /// Later post-event pairs for acquisitions the project has, and whether each is used.
    pub completions: Vec<(Completion, bool)>,
    job: Option<JobHandle<(), Outcome>>,
}

impl AddAcquisitionsWindow {
    /// Show the window for the event of `project` dated `event_date`.
    pub fn open(&mut self, project: PathBuf, event_date: NaiveDate) {
        if self.state.as_ref().is_some_and(|s| s.project == project) {
            return;
        }
        self.state = Some(DialogState {
            project,
            event_date,
            folder: String::new(),
            scan: None,
            known_files: Vec::new(),
            known: Vec::new(),
            error: None,
            problems: Vec::new(),
            completions: Vec::new(),
            job: None,
        });
    }

    /// True while the window is shown.
    pub fn is_open(&self) -> bool {
        self.state.is_some()
    }

    /// True while a scan or a save runs.
    pub fn busy(&self) -> bool {
        self.state
            .as_ref()
            .is_some_and(|s| s.job.as_ref().is_some_and(|j| !j.finished))
    }

    /// The window's contents, for scripts and tests.
    pub fn state_mut(&mut self) -> Option<&mut DialogState> {
        self.state.as_mut()
    }

    /// Scan `folder` (a folder chosen in the file chooser, or typed).
    pub fn scan(&mut self, folder: PathBuf, ctx: &egui::Context) {
        if let Some(st) = self.state.as_mut() {
            st.folder = folder.display().to_string();
            st.start_scan(ctx);
        }
    }

    /// Show the window; returns a command to choose a folder or to reload the event once
    /// acquisitions were added.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<Command> {
        let st = self.state.as_mut()?;
        let mut result = st.drain();
        let mut close = false;
        egui::Window::new("Add acquisitions")
            .collapsible(false)
            .resizable(true)
            .default_size([820.0, 420.0])
            .show(ctx, |ui| {
                if let Some(c) = folder_ui(ui, st) {
                    result = Some(c);
                }
                ui.separator();
                if let Some(scan) = st.scan.as_mut() {
                    egui::ScrollArea::vertical()
                        .max_height((ui.available_height() - 60.0).max(120.0))
                        .auto_shrink([false, true])
                        .show(ui, |ui| {
                            if acquisition_review_ui(ui, "add-acquisitions", scan, &st.known) {
                                // an answer regroups: the rows may have changed
                                st.known = known_among(&st.known_files, &scan.acquisitions);
                            }
                            completions_ui(ui, &mut st.completions);
                        });
                }
                close = buttons_ui(ui, st);
            });
        if close || matches!(result, Some(Command::AcquisitionsAdded(..))) {
            self.state = None;
        }
        result
    }
}

impl DialogState {
    /// Scan the folder on a worker: the acquisitions, those the project has, problems.
    fn start_scan(&mut self, ctx: &egui::Context) {
        let folder = PathBuf::from(self.folder.trim());
        self.error = None;
        self.problems.clear();
        self.completions.clear();
        self.scan = None;
        if self.folder.trim().is_empty() {
            self.error = Some("choose the folder the new coherence files are in".into());
            return;
        }
        let (project, date) = (self.project.clone(), self.event_date);
        self.job = Some(JobHandle::spawn("scan acquisitions", ctx, move |_w| {
            let p = Project::load(&project).map_err(|e| format!("{e:#}"))?;
            let scan = scan_coherence_pairs(&folder, date).map_err(|e| e.to_string())?;
            let completions = post_event_completions(&p, &scan.pairs);
            let nothing = scan.acquisitions.is_empty() && scan.questions.is_empty();
            if nothing && completions.is_empty() {
                return Err(empty_folder(&folder, &scan).to_string());
            }
            let known_files = project_co_event_files(&p);
            let known = known_among(&known_files, &scan.acquisitions);
            let problems = scan
                .acquisitions
                .iter()
                .zip(&known)
                .filter(|(_, k)| !**k)
                .flat_map(|(a, _)| {
                    acquisition_problems(&p, a)
                        .into_iter()
                        .map(move |m| format!("{} {}: {m}", a.name_prefix(), a.track))
                })
                .collect();
            Ok(Outcome::Scanned(
                Box::new(scan),
                known_files,
                problems,
                completions,
            ))
        }));
    }

    /// Append the chosen acquisitions on a worker.
    fn start_add(&mut self, ctx: &egui::Context) {
        let Some(scan) = &self.scan else { return };
        let chosen: Vec<_> = scan
            .acquisitions
            .iter()
            .zip(&scan.left_out)
            .zip(&self.known)
            .filter(|((_, out), known)| !**out && !**known)
            .map(|((a, _), _)| a.clone())
            .collect();
        let completions: Vec<Completion> = self
            .completions
            .iter()
            .filter(|(_, on)| *on)
            .map(|(c, _)| c.clone())
            .collect();
        let project = self.project.clone();
        self.error = None;
        self.job = Some(JobHandle::spawn("add acquisitions", ctx, move |_w| {
            let mut n = 0;
            if !chosen.is_empty() {
                n += append_acquisitions(&project, &chosen)
                    .map_err(|e| format!("{e:#}"))?
                    .added;
            }
            if !completions.is_empty() {
                n += complete_acquisitions(&project, &completions).map_err(|e| format!("{e:#}"))?;
            }
            Ok(Outcome::Added(n))
        }));
    }

    /// Apply what the worker sent; the reload command once acquisitions were added.
    fn drain(&mut self) -> Option<Command> {
        let job = self.job.as_mut()?;
        let mut cmd = None;
        for ev in job.drain(Duration::from_millis(5)) {
            match ev {
                JobEvent::Done(Outcome::Scanned(scan, known_files, problems, completions)) => {
                    self.known = known_among(&known_files, &scan.acquisitions);
                    self.known_files = known_files;
                    self.problems = problems;
                    self.completions = completions.into_iter().map(|c| (c, true)).collect();
                    if self.known.iter().all(|k| *k)
                        && scan.open_questions().next().is_none()
                        && self.completions.is_empty()
                    {
                        self.error =
                            Some("the project already has every acquisition of this folder".into());
                    }
                    self.scan = Some(*scan);
                }
                JobEvent::Done(Outcome::Added(added)) => {
                    cmd = Some(Command::AcquisitionsAdded(self.project.clone(), added));
                }
                JobEvent::Failed(e) => self.error = Some(e),
                JobEvent::Progress(..) | JobEvent::Partial(()) => {}
            }
        }
        cmd
    }

    /// Acquisitions that "Add to the project" would append or complete.
    fn to_add(&self) -> usize {
        let new = self.scan.as_ref().map_or(0, |s| {
            s.left_out
                .iter()
                .zip(&self.known)
                .filter(|(out, known)| !**out && !**known)
                .count()
        });
        new + self.completions.iter().filter(|(_, on)| *on).count()
    }
}

/// The folder field with Browse… (the shared file chooser) and Scan; below it, why the
/// folder or an acquisition's files cannot be used.
fn folder_ui(ui: &mut egui::Ui, st: &mut DialogState) -> Option<Command> {
    let mut cmd = None;
    let l = ui.label("Coherence folder (LiCSAR, LiCSBAS or dated files)");
    ui.horizontal(|ui| {
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut st.folder)
                    .desired_width(520.0)
                    .hint_text("/path/to/incoming/YYYY-MM-DD"),
            )
            .labelled_by(l.id);
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button("Browse…").clicked() {
            cmd = Some(Command::ShowFileChooser(FilePurpose::AcquisitionFolder));
        }
        if ui.button("Scan").clicked() || enter {
            st.start_scan(ui.ctx());
        }
    });
    let warn = ui.visuals().error_fg_color;
    for e in st.error.iter().chain(&st.problems) {
        ui.colored_label(warn, e);
    }
    cmd
}

/// Later post-event pairs for acquisitions the project has: one tick box each.
fn completions_ui(ui: &mut egui::Ui, completions: &mut [(Completion, bool)]) {
    if completions.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.strong("Post-event pairs for acquisitions the project already has:");
    for (c, on) in completions.iter_mut() {
        ui.checkbox(
            on,
            format!(
                "{}: post-event pair {} to {} (a new timeline step on {})",
                c.label, c.first, c.second, c.second
            ),
        );
    }
}

/// Add to the project / Cancel; true when the user cancels.
fn buttons_ui(ui: &mut egui::Ui, st: &mut DialogState) -> bool {
    let mut cancel = false;
    let running = st.job.as_ref().is_some_and(|j| !j.finished);
    let n = st.to_add();
    let open = st
        .scan
        .as_ref()
        .is_some_and(|s| s.open_questions().next().is_some());
    ui.horizontal(|ui| {
        // an acquisition with a problem is refused by the core when it is still chosen
        let ready = !running && n > 0;
        if ui
            .add_enabled(ready, egui::Button::new("Add to the project"))
            .on_disabled_hover_text("scan a folder with new acquisitions first")
            .clicked()
        {
            st.start_add(ui.ctx());
        }
        if running {
            ui.spinner();
            ui.label("working…");
        } else if st.scan.is_some() {
            ui.label(format!("{n} acquisition(s) to add or complete"));
        }
        if open {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Answer the questions above to use the tracks they hold back.",
            );
        }
        if ui.button("Cancel").clicked() {
            cancel = true;
        }
    });
    cancel
}
