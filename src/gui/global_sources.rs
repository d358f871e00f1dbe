//! What the global model learns from, in the model panel: the open past events (each can be
//! left out), *Add past project…*, and a saved model folder (`slidemap train`) to predict the
//! current event with, instead of training the ensembles again ("train once, predict many").

use super::app::{Command, FilePurpose, TrainingCmd};
use std::path::PathBuf;

/// One open event other than the current one, as the panel lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct PastEvent {
    /// Its project file (the key).
    pub path: PathBuf,
    /// Event name.
    pub name: String,
    /// Features built (it can take part).
    pub ready: bool,
    /// Mapped cells of its inventory (0: it can be predicted but teaches nothing).
    pub mapped_cells: usize,
}

/// A saved model folder, as its manifest describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFolder {
    /// The folder.
    pub dir: PathBuf,
    /// The training events' project files, in the manifest's order.
    pub projects: Vec<PathBuf>,
    /// Their names.
    pub names: Vec<String>,
}

/// The global model's sources (panel state).
#[derive(Debug, Clone, Default)]
pub struct GlobalSources {
    /// Past events the user left out (project paths).
    pub left_out: Vec<PathBuf>,
    /// The saved models to predict with, if chosen.
    pub models: Option<ModelFolder>,
}

impl GlobalSources {
    /// True when the event at `path` takes part in the global model.
    pub fn includes(&self, path: &PathBuf) -> bool {
        !self.left_out.contains(path)
    }

    /// The list with a checkbox per past event, and the two buttons.
    pub fn ui(&mut self, ui: &mut egui::Ui, past: &[PastEvent]) -> Option<Command> {
        let mut cmd = None;
        if let Some(m) = &self.models {
            ui.label(format!(
                "Predicts with the saved models in {} (trained on {}); no training.",
                m.dir.display(),
                m.names.join(", ")
            ));
            if ui.button("Train instead of using saved models").clicked() {
                cmd = Some(Command::Training(TrainingCmd::SetModelFolder(None)));
            }
            return cmd;
        }
        ui.label("Learns from past events:");
        if past.is_empty() {
            ui.weak("none open: add the projects of past earthquakes with inventories");
        }
        for e in past {
            let mut on = self.includes(&e.path);
            let text = if !e.ready {
                format!("{} (loading)", e.name)
            } else if e.mapped_cells == 0 {
                format!("{} (no inventory)", e.name)
            } else {
                format!("{} ({} mapped cells)", e.name, e.mapped_cells)
            };
            if ui.checkbox(&mut on, text).changed() {
                self.left_out.retain(|p| *p != e.path);
                if !on {
                    self.left_out.push(e.path.clone());
                }
            }
        }
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Add past project…")
                .on_hover_text("Open the project of a past earthquake with an inventory; the current event stays shown")
                .clicked()
            {
                cmd = Some(Command::ShowFileChooser(FilePurpose::OpenProject));
            }
            if ui
                .button("Saved models…")
                .on_hover_text("A model folder written by `slidemap train`: predicts without training again")
                .clicked()
            {
                cmd = Some(Command::ShowFileChooser(FilePurpose::ModelFolder));
            }
        });
        cmd
    }
}
