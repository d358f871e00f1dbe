//! The intents of the window, in one leaf file: [`Command`] (everything the user can ask
//! for; panels return these and `run_cmd` applies them), [`TrainingCmd`], [`FilePurpose`],
//! and the messages shown in the window ([`UiMessage`], [`Level`]). Every panel imports
//! this file; it imports no panel (only the drawing tool's mode, the polygon kinds and the
//! plot kinds), so
//! no import cycle runs through the app.

use crate::gui::drawing::{PolygonKind, ToolMode};
use crate::gui::plots::PlotKind;
use std::path::PathBuf;

/// Everything the user can ask for; panels return these and `run_cmd` applies them.
#[must_use]
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Show the New event form.
    NewEvent,
    /// Show the Add acquisitions window for the current event.
    AddAcquisitions,
    /// Scan this folder in the Add acquisitions window.
    ScanAcquisitionFolder(PathBuf),
    /// Acquisitions were appended to this project file (how many): reload its event and
    /// retrain when a same-event model is in use.
    AcquisitionsAdded(PathBuf, usize),
    /// Open a project, raster or vector, chosen by extension.
    OpenPath(PathBuf),
    /// Open a project file as a new event.
    OpenProject(PathBuf),
    /// Add a raster layer to the current event.
    OpenRaster(PathBuf),
    /// Add a true-colour imagery layer to the current event.
    OpenImagery(PathBuf),
    /// Swap which of the two top imagery layers is visible (key T).
    ToggleImagery,
    /// Remove an imagery layer.
    RemoveImagery(u64),
    /// Import polygons into the current drawing.
    LoadDrawing(PathBuf),
    /// Save the current drawing (.gpkg or .geojson).
    SaveDrawing(PathBuf),
    /// Export a layer as GeoTIFF + .qml.
    ExportLayer {
        /// Layer id.
        layer: u64,
        /// Output path.
        path: PathBuf,
    },
    /// Show the path/browse window.
    ShowFileChooser(FilePurpose),
    /// Make event `i` current.
    SwitchEvent(usize),
    /// Close event `i`.
    CloseEvent(usize),
    /// Cancel loading event `i`.
    CancelLoad(usize),
    /// Save the current project file and its training areas.
    SaveProject,
    /// Zoom to a layer.
    ZoomToLayer(u64),
    /// Zoom to the current event.
    ZoomToEvent,
    /// Remove a layer.
    RemoveLayer(u64),
    /// Undo the last drawing edit.
    Undo,
    /// Redo.
    Redo,
    /// Switch the map tool.
    SetTool(ToolMode),
    /// Draw the next polygons as this kind (switches to the Draw tool).
    SetDrawKind(PolygonKind),
    /// Delete polygon `i` (a mapped area holding landslides asks first).
    DeletePolygon(usize),
    /// Make polygon `i` the event's study area (saved beside the project, the event
    /// reloaded; the polygon leaves the drawing).
    UseAsStudyArea(usize),
    /// Relabel polygon `i`.
    RelabelPolygon(usize, String),
    /// Turn OSM tiles on/off.
    SetOsm(bool),
    /// Turn the user's XYZ tiles on/off (URL in the preferences).
    SetXyz(bool),
    /// Close the window.
    Quit,
    /// Show the "Getting started" card (Help menu).
    ShowGettingStarted,
    /// Hide the "Getting started" card and remember it in the preferences.
    DismissGettingStarted,
    /// Train, cancel, select a step, export plots (see [`TrainingCmd`]).
    Training(TrainingCmd),
}

/// Severity of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Something failed.
    Error,
    /// Worth knowing.
    Warning,
    /// Done.
    Info,
}

/// A message shown in the window (not only in the log).
#[derive(Debug, Clone, PartialEq)]
pub struct UiMessage {
    /// Severity.
    pub level: Level,
    /// Text (names the file).
    pub text: String,
}

/// Training intents (wrapped in [`Command::Training`]).
#[derive(Debug, Clone, PartialEq)]
pub enum TrainingCmd {
    /// Train with the panel's settings.
    Train,
    /// Train with the quick setting (no grid search, 5 repeats; hold-out 1).
    TrainQuick,
    /// Cancel the running job.
    Cancel,
    /// Show a timeline step.
    SelectStep(usize),
    /// Switch an acquisition of the current event on/off.
    ToggleAcquisition(usize, bool),
    /// Write a plot's numbers as CSV.
    ExportCsv(PlotKind),
    /// Write a plot as PNG.
    ExportPng(PlotKind),
    /// Add proposed area `i` as a training polygon.
    AddProposal(usize),
    /// Write the selected step for responders (map, uncertainty, mask, KMZ, provenance).
    ExportResponders,
    /// Predict with the saved models of this folder (`slidemap train`), or train again.
    SetModelFolder(Option<PathBuf>),
    /// Of a *Both* run, show the global model's map and numbers (`true`) or the same-event
    /// model's.
    ShowGlobalOfBoth(bool),
}

/// What the chosen path is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilePurpose {
    /// Project, raster or vector, by extension.
    OpenAny,
    /// A project file (.toml).
    OpenProject,
    /// A raster layer.
    OpenRaster,
    /// True-colour imagery (3 or more bands).
    OpenImagery,
    /// Polygons to import as training areas.
    ImportDrawing,
    /// Save the training areas (.gpkg / .geojson).
    SaveDrawing,
    /// Export layer `id` as GeoTIFF + .qml.
    ExportLayer(u64),
    /// A saved model folder (`slidemap train --out DIR`).
    ModelFolder,
    /// A folder of coherence files to add to the current event.
    AcquisitionFolder,
}

impl FilePurpose {
    pub(crate) fn title(self) -> &'static str {
        match self {
            FilePurpose::OpenAny => "Open file",
            FilePurpose::OpenProject => "Open project",
            FilePurpose::OpenRaster => "Open raster",
            FilePurpose::OpenImagery => "Open imagery",
            FilePurpose::ImportDrawing => "Import training areas",
            FilePurpose::SaveDrawing => "Save polygons",
            FilePurpose::ExportLayer(_) => "Export layer",
            FilePurpose::ModelFolder => "Saved model folder",
            FilePurpose::AcquisitionFolder => "Coherence folder",
        }
    }

    /// A folder is chosen, not a file.
    pub(crate) fn is_folder(self) -> bool {
        matches!(
            self,
            FilePurpose::ModelFolder | FilePurpose::AcquisitionFolder
        )
    }

    pub(crate) fn is_save(self) -> bool {
        matches!(self, FilePurpose::SaveDrawing | FilePurpose::ExportLayer(_))
    }

    /// The command for a chosen path.
    pub fn command(self, path: PathBuf) -> Command {
        match self {
            FilePurpose::OpenAny => Command::OpenPath(path),
            FilePurpose::OpenProject => Command::OpenProject(path),
            FilePurpose::OpenRaster => Command::OpenRaster(path),
            FilePurpose::OpenImagery => Command::OpenImagery(path),
            FilePurpose::ImportDrawing => Command::LoadDrawing(path),
            FilePurpose::SaveDrawing => Command::SaveDrawing(path),
            FilePurpose::ExportLayer(id) => Command::ExportLayer { layer: id, path },
            FilePurpose::ModelFolder => Command::Training(TrainingCmd::SetModelFolder(Some(path))),
            FilePurpose::AcquisitionFolder => Command::ScanAcquisitionFolder(path),
        }
    }
}
