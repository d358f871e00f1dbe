//! The SlideMap desktop window (eframe + walkers), behind the `gui` feature.
//!
//! - [`app`]: the eframe app and its frame loop; `app/command.rs`: the `Command` enum every
//!   panel returns (with `TrainingCmd`, `FilePurpose`, `UiMessage`, `Level`), a leaf file
//!   that imports no panel; `app/commands.rs`: `run_cmd`, draining workers, autosave
//!   trigger; `app/training.rs`, `app/training_actions.rs`, `app/results_panel.rs`: training
//!   in the app and the bottom results panel.
//! - [`map_view`]: walkers map + memory; [`raster_overlay`]: tiled textures as a plugin;
//!   [`display_warp`]: grids warped to Web Mercator for display.
//! - [`layer`], [`layers_panel`], [`colormap`], [`legend`], [`hover`]: layers and styling.
//! - [`imagery_layer`], [`imagery_overlay`], [`imagery_panel`]: true-colour imagery read
//!   for the view on a worker, the pre/post swipe and toggle, band pickers and stretch.
//! - [`drawing`], [`drawing_panel`]: digitising training areas (undo/redo, autosave).
//! - [`events`]: projects loaded on worker threads; [`job`]: the job handle.
//! - [`new_event_form`], [`add_acquisitions`]: File → New event… and Add acquisitions…;
//!   [`acquisition_review`]: their editable review of a coherence folder.
//! - [`files`]: dialogs with a path-field fallback, drag-and-drop; [`export`]: GeoTIFF + .qml.
//! - [`training_job`], [`model_panel`], [`live_retrain`], [`results`],
//!   [`timeline_widget`], [`plots`]: models on a worker thread, the timeline and the plots.
//! - [`getting_started`]: the first-start card on the demo (Help → Getting started).
//! - [`prefs`]: persisted UI preferences; [`frame_log`]: `--frame-log` and the scripted pan/zoom.

pub mod acquisition_review;
pub mod add_acquisitions;
pub mod app;
pub mod colormap;
pub mod display_warp;
pub mod drawing;
pub mod drawing_panel;
pub mod events;
pub mod export;
pub mod files;
pub mod frame_log;
pub mod getting_started;
pub mod global_sources;
pub mod hover;
pub mod imagery_layer;
pub mod imagery_overlay;
pub mod imagery_panel;
pub mod job;
pub mod layer;
pub mod layers_panel;
pub mod legend;
pub mod live_retrain;
pub mod map_view;
pub mod model_panel;
pub mod new_event_form;
pub mod plots;
pub mod prefs;
pub mod raster_overlay;
pub mod results;
pub mod timeline_widget;
pub mod training_job;

pub use app::{Command, FilePurpose, Level, MappingQuestion, SlideMapApp, TrainingCmd, UiMessage};

use std::path::PathBuf;
use std::time::Instant;

/// How to start the window.
#[derive(Debug, Clone, Default)]
pub struct GuiOptions {
    /// Project files to open (one event each).
    pub projects: Vec<PathBuf>,
    /// Write per-frame timings (CSV) here.
    pub frame_log: Option<PathBuf>,
    /// Run the scripted pan/zoom once loading finished, write the frame log and quit.
    pub scripted_pan_zoom: bool,
    /// During the scripted pan/zoom, digitise too: a landslide sketch gains a vertex every
    /// 5 frames and closes every 40 (`--scripted-digitising`).
    pub scripted_digitising: bool,
    /// Autosave / tile-cache / UI-state folder (default `dirs::data_dir()/slidemap`).
    pub state_dir: Option<PathBuf>,
    /// Initial window size (logical pixels); overrides the size remembered from last time.
    pub window_size: Option<[f32; 2]>,
    /// Imagery files to open into the first event (`slidemap gui --imagery FILE`).
    pub imagery: Vec<PathBuf>,
    /// The projects are the built-in demo: the first start shows the "Getting started" card.
    pub demo: bool,
}

/// Open the window and run until it is closed.
pub fn run(opts: GuiOptions) -> anyhow::Result<()> {
    let start = Instant::now();
    let mut native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("SlideMap")
            .with_inner_size(opts.window_size.unwrap_or([1600.0, 1000.0]))
            .with_drag_and_drop(true),
        ..Default::default()
    };
    if let Some(dir) = &opts.state_dir {
        native.persistence_path = Some(dir.join("ui-state.ron"));
    }
    if opts.scripted_pan_zoom {
        native.wgpu_options.surface.present_mode = eframe::wgpu::PresentMode::AutoNoVsync;
    }
    eframe::run_native(
        "SlideMap",
        native,
        Box::new(move |cc| {
            Ok(Box::new(SlideMapApp::new(
                &cc.egui_ctx,
                cc.storage,
                &opts,
                start,
            )))
        }),
    )
    .map_err(|e| anyhow::anyhow!("the window could not be opened: {e}"))
}
