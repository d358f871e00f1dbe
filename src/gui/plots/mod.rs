//! Result plots (egui_plot): AUC and r² step plots along the timeline, ROC curves per step,
//! stacked feature-importance bars per step (the paper's Figure 7), the reliability diagram
//! of the calibrated P(LAD > 0.1), and their export; a short plot's legend goes beside it.

pub mod export;
pub mod importance_plot;
pub mod reliability_plot;
pub mod roc_plot;
pub mod side_legend;
pub mod steps_plot;

use crate::features::FeatureGroup;
use egui::Color32;

/// Which plot a tab or export refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlotKind {
    /// AUC and r² against days after the event.
    #[default]
    Steps,
    /// ROC curves.
    Roc,
    /// Grouped importances.
    Importances,
    /// Reliability of the calibrated P(LAD > 0.1), with Brier scores and interval coverage.
    Reliability,
}

impl PlotKind {
    /// Tab title.
    pub fn title(self) -> &'static str {
        match self {
            PlotKind::Steps => "AUC & r²",
            PlotKind::Roc => "ROC",
            PlotKind::Importances => "Importances",
            PlotKind::Reliability => "Reliability",
        }
    }
    /// File-name stem.
    pub fn stem(self) -> &'static str {
        match self {
            PlotKind::Steps => "steps",
            PlotKind::Roc => "roc",
            PlotKind::Importances => "importances",
            PlotKind::Reliability => "reliability",
        }
    }
}

/// Colour of a data-source group (same in every plot).
pub fn group_color(g: FeatureGroup) -> Color32 {
    match g {
        FeatureGroup::Topography => Color32::from_rgb(140, 86, 75),
        FeatureGroup::Pgv => Color32::from_rgb(227, 119, 194),
        FeatureGroup::Lithology => Color32::from_rgb(188, 189, 34),
        FeatureGroup::LandCover => Color32::from_rgb(44, 160, 44),
        FeatureGroup::GroundFailure => Color32::from_rgb(127, 127, 127),
        FeatureGroup::Sentinel1 => Color32::from_rgb(31, 119, 180),
        FeatureGroup::Alos2 => Color32::from_rgb(255, 127, 14),
        FeatureGroup::OtherSar => Color32::from_rgb(148, 103, 189),
    }
}
