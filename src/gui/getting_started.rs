//! The "Getting started" card: what a newcomer should try first, in five steps that name the
//! window's real controls. Shown on the first start on the built-in demo, over the empty
//! results area (bottom right) so it never covers the map; dismissing it is remembered in
//! the preferences, and Help → Getting started shows it again.

use super::app::Command;

/// One step: what to do (shown strong) and where / what to watch.
pub struct Step {
    /// The action, naming a control.
    pub action: &'static str,
    /// Where the control is and what to look at.
    pub detail: &'static str,
}

/// The steps, in order.
pub const STEPS: [Step; 5] = [
    Step {
        action: "Pick an event",
        detail: "under Events (left); tick Observed LAD or PGV under Layers.",
    },
    Step {
        action: "Press Quick",
        detail: "(or Train) in the Model panel, left of the timeline.",
    },
    Step {
        action: "Click the timeline's steps",
        detail: "(above Acquisitions): AUC, r² and how they were validated, on how many cells.",
    },
    Step {
        action: "Map landslides",
        detail: "under Mapping (right): a Mapped area (key A) around ground you checked, then each Landslide (key L) inside it; double-click closes one.",
    },
    Step {
        action: "Map your own earthquake",
        detail: "with File > New event…",
    },
];

/// Names of the window's controls the steps mention, exactly as the window labels them.
pub const CONTROLS: [&str; 9] = [
    "Events",
    "Layers",
    "Quick",
    "Train",
    "Model",
    "Acquisitions:",
    "Mapping",
    "Mapped area",
    "Landslide",
];

/// The button that hides the card for good.
pub const DISMISS: &str = "Got it, don't show again";

/// Whether the card is shown.
#[derive(Debug, Clone, Default)]
pub struct GettingStarted {
    /// Shown now.
    pub open: bool,
}

impl GettingStarted {
    /// The card, anchored at the bottom right of `area` (the results area); returns
    /// [`Command::DismissGettingStarted`] when it is closed.
    pub fn ui(&mut self, ctx: &egui::Context, area: Option<egui::Rect>) -> Option<Command> {
        if !self.open {
            return None;
        }
        let area = area.unwrap_or_else(|| ctx.content_rect());
        let width = (area.width() - 32.0).clamp(220.0, 420.0);
        let mut open = true;
        let mut dismiss = false;
        egui::Window::new("Getting started")
            .id(egui::Id::unique("getting-started"))
            .pivot(egui::Align2::RIGHT_BOTTOM)
            .fixed_pos(area.right_bottom() - egui::vec2(8.0, 8.0))
            .default_width(width)
            .max_width(width)
            .collapsible(false)
            .resizable(false)
            .open(&mut open)
            .show(ctx, |ui| {
                ui.set_max_width(width);
                for (i, s) in STEPS.iter().enumerate() {
                    ui.horizontal_wrapped(|ui| {
                        ui.spacing_mut().item_spacing.x = 4.0;
                        ui.strong(format!("{}. {}", i + 1, s.action));
                        ui.label(s.detail);
                    });
                }
                dismiss = ui.button(DISMISS).clicked();
                ui.weak("Help > Getting started shows it again.");
            });
        (dismiss || !open).then_some(Command::DismissGettingStarted)
    }
}
