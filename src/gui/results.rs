//! Training results per run: the finished run shown so far and the run streaming in, the
//! selected timeline step, and the map layers of that step (predicted LAD, calibrated
//! interval and P(LAD > 0.1), model spread P5/P95, variance, "where to map next"), built on a
//! worker and swapped into the layers panel.
//!
//! A cancelled or failed run never replaces a finished one: the earlier results remain.
//!
//! A *Both* run (same event and global together) is a same-event run holding the global
//! model's run as [`RunResults::global_of_both`], with its own id; the store shows one of the
//! two at a time ([`ResultsStore::show_global`]), so the layers, plots and exports always
//! say which model they come from.

use super::colormap::Ramp;
use super::display_warp::warp_for_display;
use super::job::{JobEvent, JobHandle};
use super::layer::{LayerData, LayerKind, MapLayer};
use crate::experiment::{
    series_of, suggest_next_areas, ExperimentKind, ProposedArea, StepMaps, StepResult,
};
use crate::grid::{Grid, GridSpec};
use crate::io::Polygon;
use crate::pipeline::EventData;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Side of a "where to map next" window in coarse cells (5 × 200 m by 5 × 220 m).
pub const NEXT_AREA_CELLS: usize = 5;
/// Number of proposed areas.
pub const NEXT_AREA_COUNT: usize = 3;

/// How a *Both* run's result marks the warnings of its global model.
pub const GLOBAL_WARNING: &str = "global model: ";

/// One training run (finished or streaming).
#[derive(Debug, Clone)]
pub struct RunResults {
    /// Run number (increasing).
    pub id: u64,
    /// Which experiment.
    pub kind: ExperimentKind,
    /// Settings summary, e.g. "same-event (polygons), quick".
    pub label: String,
    /// Steps as they arrived.
    pub steps: Vec<StepResult>,
    /// Training polygons as drawn, (lon, lat) rings (polygon runs).
    pub polygons: Vec<Vec<[f64; 2]>>,
    /// All steps arrived.
    pub complete: bool,
    /// Warnings of the finished run.
    pub warnings: Vec<String>,
    /// The options it was trained with (for exports and provenance).
    pub opts: Option<crate::experiment::ExperimentOptions>,
    /// The global model's run of a *Both* run (its own id, label, steps and options).
    pub global_of_both: Option<Box<RunResults>>,
}

impl RunResults {
    /// Steps of one event, in step order (full training extent only).
    pub fn event_steps(&self, event: &str) -> Vec<&StepResult> {
        series_of(&self.steps, event, 1.0)
    }
    /// One step of one event (full training extent).
    pub fn step(&self, event: &str, step: usize) -> Option<&StepResult> {
        self.event_steps(event).into_iter().find(|s| s.step == step)
    }
}

/// Layers of the selected step, computed off the UI thread.
pub type LayerJob = JobHandle<(), (PathBuf, Vec<Box<LayerData>>, Vec<ProposedArea>)>;

/// All results of the window.
#[derive(Default)]
pub struct ResultsStore {
    /// The last finished run.
    pub finished: Option<RunResults>,
    /// The run streaming in.
    pub running: Option<RunResults>,
    /// Selected timeline step.
    pub selected_step: Option<usize>,
    /// Areas proposed for the shown step.
    pub proposals: Vec<ProposedArea>,
    /// (run id, event, step) whose layers are on the map or being built.
    pub layers_for: Option<(u64, String, usize)>,
    /// Worker building the layers.
    pub layer_job: Option<LayerJob>,
    /// In a *Both* run, show the global model's map and numbers (else the same-event one's).
    pub show_global: bool,
    next_id: u64,
}

impl ResultsStore {
    /// A new run starts streaming; the finished one stays until it completes.
    pub fn begin(&mut self, kind: ExperimentKind, label: String, polygons: Vec<Vec<[f64; 2]>>) {
        self.next_id += 1;
        self.running = Some(RunResults {
            id: self.next_id,
            kind,
            label,
            steps: Vec::new(),
            polygons,
            complete: false,
            warnings: Vec::new(),
            opts: None,
            global_of_both: None,
        });
    }
    /// The streaming run is a *Both* run: its global model's part, labelled `label`.
    pub fn begin_global_part(&mut self, label: String, opts: crate::experiment::ExperimentOptions) {
        if let Some(r) = self.running.as_mut() {
            self.next_id += 1;
            r.global_of_both = Some(Box::new(RunResults {
                id: self.next_id,
                kind: opts.kind,
                label,
                steps: Vec::new(),
                polygons: Vec::new(),
                complete: false,
                warnings: Vec::new(),
                opts: Some(opts),
                global_of_both: None,
            }));
        }
    }
    /// One step arrived (of the global part of a *Both* run when `global_of_both`).
    pub fn push_step(&mut self, s: StepResult, global_of_both: bool) {
        let run = match self.running.as_mut() {
            Some(r) if global_of_both => r.global_of_both.as_deref_mut(),
            r => r,
        };
        if let Some(r) = run {
            r.steps.retain(|o| {
                !(o.event == s.event && o.step == s.step && o.training_extent == s.training_extent)
            });
            r.steps.push(s);
        }
    }
    /// The running run finished: it becomes the shown run. Of a *Both* run, the warnings
    /// prefixed [`GLOBAL_WARNING`] are its global part's.
    pub fn finish(&mut self, warnings: Vec<String>) {
        if let Some(mut r) = self.running.take() {
            r.complete = true;
            match r.global_of_both.as_mut() {
                Some(g) => {
                    g.complete = true;
                    let (global, own): (Vec<String>, Vec<String>) = warnings
                        .into_iter()
                        .partition(|w| w.starts_with(GLOBAL_WARNING));
                    g.warnings = global
                        .iter()
                        .map(|w| w[GLOBAL_WARNING.len()..].to_string())
                        .collect();
                    r.warnings = own;
                }
                None => r.warnings = warnings,
            }
            self.finished = Some(r);
        }
    }
    /// The running run failed or was cancelled: keep the finished run if there is one,
    /// else keep the partial steps (marked incomplete).
    pub fn abort(&mut self) {
        if let Some(r) = self.running.take() {
            if self.finished.is_none() && !r.steps.is_empty() {
                self.finished = Some(r);
            }
        }
    }
    /// The run to show: the streaming one once it has steps, else the finished one; of a
    /// *Both* run, its same-event or its global part (see [`Self::show_global`]).
    pub fn shown(&self) -> Option<&RunResults> {
        let run = self.shown_run()?;
        match (&run.global_of_both, self.show_global) {
            (Some(g), true) => Some(g),
            _ => Some(run),
        }
    }
    /// What file names of the shown results add to say which model of a *Both* run they
    /// come from (`_same_event`, `_global`; nothing for a run of one model).
    pub fn shown_model_suffix(&self) -> &'static str {
        match self.shown_run() {
            Some(whole) if whole.global_of_both.is_some() => {
                if self.show_global {
                    "_global"
                } else {
                    "_same_event"
                }
            }
            _ => "",
        }
    }
    /// Of a *Both* run, the model not shown: its name and its steps of `event` (drawn dashed
    /// on the AUC and r² plots for comparison).
    pub fn other_of_both(&self, event: &str) -> Option<(&'static str, Vec<&StepResult>)> {
        let whole = self.shown_run()?;
        let global = whole.global_of_both.as_deref()?;
        Some(if self.show_global {
            ("my mapped areas", whole.event_steps(event))
        } else {
            ("past events", global.event_steps(event))
        })
    }
    /// The run to show as a whole (a *Both* run with its global part inside).
    pub fn shown_run(&self) -> Option<&RunResults> {
        self.running
            .as_ref()
            .filter(|r| !r.steps.is_empty())
            .or(self.finished.as_ref())
    }
    /// Drain the layer worker; returns the layers to install.
    pub fn poll_layers(&mut self) -> Option<(PathBuf, Vec<Box<LayerData>>)> {
        let job = self.layer_job.as_mut()?;
        let mut out = None;
        for ev in job.drain(Duration::from_millis(5)) {
            match ev {
                JobEvent::Done((key, layers, proposals)) => {
                    self.proposals = proposals;
                    out = Some((key, layers));
                }
                JobEvent::Failed(_) | JobEvent::Partial(()) | JobEvent::Progress(..) => {}
            }
        }
        if job.finished {
            self.layer_job = None;
        }
        out
    }
}

/// Build the layers of one step (worker side): predicted LAD, the calibrated interval
/// bounds and P(LAD > 0.1), the model spread P5/P95 (named as spread, not an interval),
/// variance and the proposed next areas (same-event runs with a variance map).
pub fn step_layers(
    data: &EventData,
    step: &StepResult,
    polygons: &[Polygon],
    same_event: bool,
) -> Result<(Vec<Box<LayerData>>, Vec<ProposedArea>), String> {
    let Some(maps) = &step.maps else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut layers = StepLayers {
        spec: data.table.coarse.clone(),
        tag: format!(" · step {} (+{} d)", step.step, step.days_after_event),
        out: Vec::new(),
    };
    layers.add(
        "Predicted LAD",
        LayerKind::Predicted,
        "fraction",
        &maps.predicted,
        Ramp::Inferno,
        true,
    )?;
    layers.add_uncertainty(step, maps)?;
    let mut proposals = Vec::new();
    if let Some(v) = &maps.variance {
        layers.add(
            "Prediction variance",
            LayerKind::Bounds,
            "fraction²",
            v,
            Ramp::Magma,
            false,
        )?;
        if same_event {
            proposals = layers.add_next_areas(data, v, polygons)?;
        }
    }
    Ok((layers.out.into_iter().map(Box::new).collect(), proposals))
}

/// The layers of one step being built: the coarse grid they share, the " · step …" tag
/// appended to their names, and the layers so far.
struct StepLayers {
    /// Coarse grid of every map of the step.
    spec: GridSpec,
    /// Suffix of every layer name (" · step N (+D d)").
    tag: String,
    /// Layers built so far, in panel order.
    out: Vec<LayerData>,
}

impl StepLayers {
    /// Warp one coarse map for display and append it as a layer named `name` + tag.
    fn add(
        &mut self,
        name: &str,
        kind: LayerKind,
        unit: &str,
        values: &[f32],
        ramp: Ramp,
        visible: bool,
    ) -> Result<(), String> {
        let grid = Grid {
            spec: self.spec.clone(),
            data: values.to_vec(),
        };
        let label = PathBuf::from(name);
        let display = warp_for_display(&grid, &label).map_err(|e| format!("{name}: {e:#}"))?;
        self.out.push(LayerData {
            name: format!("{name}{}", self.tag),
            kind,
            unit: unit.into(),
            source: grid,
            display,
            ramp,
            path: None,
            visible,
        });
        Ok(())
    }

    /// The uncertainty layers (hidden): the calibrated interval bounds, P(LAD > 0.1) and the
    /// model spread P5/P95, each when the step has it.
    fn add_uncertainty(&mut self, step: &StepResult, maps: &StepMaps) -> Result<(), String> {
        if let (Some(lo), Some(hi)) = (&maps.interval_lo, &maps.interval_hi) {
            let pct = step.uncertainty.as_ref().map_or(90.0, |u| 100.0 * u.level);
            self.add(
                &format!("LAD {pct:.0} % interval, lower bound (calibrated)"),
                LayerKind::Bounds,
                "fraction",
                lo,
                Ramp::Viridis,
                false,
            )?;
            self.add(
                &format!("LAD {pct:.0} % interval, upper bound (calibrated)"),
                LayerKind::Bounds,
                "fraction",
                hi,
                Ramp::Viridis,
                false,
            )?;
        }
        if let Some(p) = &maps.p_landslide {
            self.add(
                "P(LAD > 0.1) (calibrated probability)",
                LayerKind::Bounds,
                "probability",
                p,
                Ramp::Inferno,
                false,
            )?;
        }
        if let Some(p) = &maps.p5 {
            self.add(
                "Model spread P5 (not an interval)",
                LayerKind::Bounds,
                "fraction",
                p,
                Ramp::Inferno,
                false,
            )?;
        }
        if let Some(p) = &maps.p95 {
            self.add(
                "Model spread P95 (not an interval)",
                LayerKind::Bounds,
                "fraction",
                p,
                Ramp::Inferno,
                false,
            )?;
        }
        Ok(())
    }

    /// Propose the next areas to map from the variance map and, when there are any, add the
    /// "Where to map next (rank)" layer (cells of the k-th area hold k).
    fn add_next_areas(
        &mut self,
        data: &EventData,
        variance: &[f32],
        polygons: &[Polygon],
    ) -> Result<Vec<ProposedArea>, String> {
        let spec = &self.spec;
        let proposals = suggest_next_areas(
            &data.table,
            variance,
            polygons,
            NEXT_AREA_CELLS,
            NEXT_AREA_COUNT,
        );
        let mut rank = vec![f32::NAN; spec.len()];
        for (k, p) in proposals.iter().enumerate() {
            for r in p.origin.0..(p.origin.0 + NEXT_AREA_CELLS).min(spec.rows) {
                for c in p.origin.1..(p.origin.1 + NEXT_AREA_CELLS).min(spec.cols) {
                    rank[r * spec.cols + c] = (k + 1) as f32;
                }
            }
        }
        if !proposals.is_empty() {
            self.add(
                "Where to map next (rank)",
                LayerKind::Predicted,
                "rank",
                &rank,
                Ramp::Cividis,
                false,
            )?;
        }
        Ok(proposals)
    }
}

/// Base name of a model layer (without the " · step …" tag).
pub fn base_name(name: &str) -> &str {
    name.split(" · ").next().unwrap_or(name)
}

/// Swap the model layers of an event: remove the previous step's, add the new ones with the
/// visibility the user gave the previous ones. Returns the ids added.
pub fn swap_model_layers(
    layers: &mut Vec<MapLayer>,
    new: Vec<Box<LayerData>>,
    next_id: &mut u64,
) -> Vec<u64> {
    let is_model = |l: &MapLayer| matches!(l.kind, LayerKind::Predicted | LayerKind::Bounds);
    let visible: Vec<(String, bool)> = layers
        .iter()
        .filter(|l| is_model(l))
        .map(|l| (base_name(&l.name).to_string(), l.style.visible))
        .collect();
    layers.retain(|l| !is_model(l));
    let mut ids = Vec::new();
    for d in new {
        let mut l = MapLayer::new(*next_id, *d);
        *next_id += 1;
        if let Some((_, v)) = visible.iter().find(|(n, _)| n == base_name(&l.name)) {
            l.style.visible = *v;
        }
        ids.push(l.id);
        layers.push(l);
    }
    ids
}

/// Shared handle to an event's data for the layer worker.
pub type SharedEvent = Arc<EventData>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::{ExperimentOptions, MeanSd};

    fn step(step: usize, auc: f64) -> StepResult {
        let ms = |mean| MeanSd {
            mean,
            sd: 0.0,
            n: 1,
        };
        StepResult {
            event: "Today".into(),
            step,
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 17).unwrap(),
            days_after_event: step as i64,
            sensor: "none".into(),
            features_added: vec![],
            n_features: 5,
            training_extent: 1.0,
            auc: ms(auc),
            r2: ms(0.1),
            mae: ms(0.01),
            roc: vec![],
            importances: vec![],
            baselines: vec![],
            n_train: 10,
            n_test: 10,
            maps: None,
            validation: Default::default(),
            likely_threshold: None,
            uncertainty: None,
        }
    }

    #[test]
    fn a_both_run_shows_one_model_at_a_time_and_each_has_its_own_id() {
        let mut r = ResultsStore::default();
        r.begin(ExperimentKind::SameEvent, "Both".into(), vec![]);
        r.begin_global_part(
            "Global".into(),
            ExperimentOptions::quick(ExperimentKind::Global),
        );
        r.push_step(step(0, 0.9), false);
        r.push_step(step(0, 0.7), true);
        r.push_step(step(1, 0.75), true);
        let warnings = vec!["own".to_string(), format!("{GLOBAL_WARNING}past")];
        let own = r.shown().unwrap();
        assert_eq!((own.label.as_str(), own.steps.len()), ("Both", 1));
        assert_eq!(own.step("Today", 0).unwrap().auc.mean, 0.9);
        let own_id = own.id;
        r.show_global = true;
        let global = r.shown().unwrap();
        assert_eq!(global.label, "Global");
        assert_eq!(global.kind, ExperimentKind::Global);
        assert_eq!(global.event_steps("Today").len(), 2);
        assert_eq!(global.step("Today", 0).unwrap().auc.mean, 0.7);
        assert_ne!(global.id, own_id, "layers are keyed by run id");
        assert_eq!(r.shown_model_suffix(), "_global");
        r.show_global = false;
        assert_eq!(r.shown_model_suffix(), "_same_event");
        r.finish(warnings);
        let whole = r.shown_run().unwrap();
        let global = whole.global_of_both.as_ref().unwrap();
        assert!(whole.complete && global.complete);
        assert_eq!(
            (whole.warnings.clone(), global.warnings.clone()),
            (vec!["own".to_string()], vec!["past".to_string()])
        );
        // a single-model run ignores the switch
        r.begin(ExperimentKind::SameEvent, "Same event".into(), vec![]);
        r.push_step(step(0, 0.8), false);
        r.push_step(step(1, 0.8), true); // no global part: dropped
        assert_eq!(r.shown().unwrap().label, "Same event");
        assert_eq!(r.shown_model_suffix(), "");
        assert_eq!(r.shown().unwrap().steps.len(), 1);
    }
}
