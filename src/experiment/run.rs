//! `run_experiment`: dispatch to the experiment drivers, collect streamed steps and timings.

use super::ctx::{Ctx, Timings};
use super::global_ensemble::{GlobalEvent, SeedMode};
use super::model_cache::EnsembleCache;
use super::{
    global, same_event, ExperimentError, ExperimentKind, ExperimentOptions, ExperimentResult,
    StepResult, TrainingSource,
};
use crate::pipeline::EventData;
use std::cell::RefCell;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// Refuse a project given twice and two events with one name
/// ([`crate::project::find_duplicate_event`]).
pub fn check_distinct_events(events: &[EventData]) -> Result<(), ExperimentError> {
    check_events(events.iter().collect())
}

/// Run one experiment over `events`. Each finished step goes to `on_step` as soon as it is
/// done (the GUI streams them); the full result is returned at the end.
pub fn run_experiment(
    events: &[EventData],
    opts: &ExperimentOptions,
    cancel: &AtomicBool,
    progress: &dyn Fn(&str, f64),
    on_step: &dyn Fn(&StepResult),
) -> Result<ExperimentResult, ExperimentError> {
    opts.validate()?;
    check_distinct_events(events)?;
    let ctx = Ctx::new(opts, cancel, progress, on_step, None);
    let t0 = Instant::now();
    let steps = match opts.kind {
        ExperimentKind::SameEvent | ExperimentKind::Holdout => {
            let mut all = Vec::new();
            for (i, ev) in events.iter().enumerate() {
                all.extend(same_event::run(ev, i, events.len(), &ctx)?);
            }
            all
        }
        ExperimentKind::Global | ExperimentKind::SarOnly => global::run(events, &ctx)?,
    };
    Ok(ctx.finish(opts.kind, steps, &events.iter().collect::<Vec<_>>(), t0))
}

/// What a new event's maps are trained on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PredictMode {
    /// Ensembles trained on past events (`opts.kind` Global or SarOnly).
    Global,
    /// A model trained on the new event's own mapped cells (`opts.training`: polygons, or
    /// every mapped cell).
    SameEvent,
}

/// Maps of a new event at every step of its timeline (cut at `opts.as_of`): from global
/// ensembles trained on `past` events, or from the event's own mapped cells. Scores are
/// computed only where the new event has truth, with their validation named; ensembles come
/// from and go to `cache` when one is given.
#[allow(clippy::too_many_arguments)]
pub fn predict_new_event(
    new: &EventData,
    past: &[EventData],
    mode: PredictMode,
    opts: &ExperimentOptions,
    cache: Option<&dyn EnsembleCache>,
    cancel: &AtomicBool,
    progress: &dyn Fn(&str, f64),
    on_step: &dyn Fn(&StepResult),
) -> Result<ExperimentResult, ExperimentError> {
    opts.validate()?;
    let mut all: Vec<&EventData> = vec![new];
    all.extend(past.iter());
    check_events(all)?;
    let ctx = Ctx::new(opts, cancel, progress, on_step, cache);
    check_as_of(new, &ctx)?;
    let t0 = Instant::now();
    let steps = match mode {
        PredictMode::Global => {
            if !matches!(opts.kind, ExperimentKind::Global | ExperimentKind::SarOnly) {
                return Err(ExperimentError::Invalid {
                    message: format!(
                        "a global prediction needs the global or sar-only model kind, not {}",
                        opts.kind.name()
                    ),
                });
            }
            let target = GlobalEvent::new(new, opts.gf_transform);
            let prepared: Vec<GlobalEvent> = past
                .iter()
                .filter(|e| {
                    let has = !e.table.mapped_cells().is_empty();
                    if !has {
                        ctx.warn(format!("{}: no mapped landslide cell: it cannot train the global model and is left out", e.name()));
                    }
                    has
                })
                .map(|e| GlobalEvent::new(e, opts.gf_transform))
                .collect();
            let train: Vec<&GlobalEvent> = prepared.iter().collect();
            let total = super::timeline_of(new, opts).steps.len();
            global::for_target(&target, &train, &ctx, SeedMode::NewEvent, (0, total))?
        }
        PredictMode::SameEvent => {
            if opts.kind != ExperimentKind::SameEvent
                || opts.training == TrainingSource::RandomCells
            {
                return Err(ExperimentError::Invalid {
                    message: "a same-event prediction trains on mapped areas (polygons) or every mapped cell, not on random cells".into(),
                });
            }
            same_event::run(new, 0, 1, &ctx)?
        }
    };
    let events: Vec<&EventData> = vec![new];
    Ok(ctx.finish(opts.kind, steps, &events, t0))
}

/// Fit the no-radar (step 0) global ensemble on `past` into `cache`, for any future event:
/// its features (the ground-failure product, plus terrain and PGV with the extended set) are
/// static layers that every event has under the same names.
pub fn fit_global_models(
    past: &[EventData],
    opts: &ExperimentOptions,
    cache: &dyn EnsembleCache,
    cancel: &AtomicBool,
    progress: &dyn Fn(&str, f64),
) -> Result<(), ExperimentError> {
    opts.validate()?;
    check_events(past.iter().collect())?;
    let Some(template) = past.first() else {
        return Err(ExperimentError::TooFewEvents {
            experiment: opts.kind.name().into(),
            have: 0,
        });
    };
    let mut step0 = opts.clone().with_keep_maps(false);
    step0.as_of = Some(template.project.file.event.date);
    let ctx = Ctx::new(&step0, cancel, progress, &|_| {}, Some(cache));
    let target = GlobalEvent::new(template, opts.gf_transform);
    let prepared: Vec<GlobalEvent> = past
        .iter()
        .filter(|e| !e.table.mapped_cells().is_empty())
        .map(|e| GlobalEvent::new(e, opts.gf_transform))
        .collect();
    let train: Vec<&GlobalEvent> = prepared.iter().collect();
    global::for_target(&target, &train, &ctx, SeedMode::NewEvent, (0, 1))?;
    Ok(())
}

/// Refuse the same event given twice (by file or by name), naming both project files.
fn check_events(events: Vec<&EventData>) -> Result<(), ExperimentError> {
    let projects: Vec<&crate::project::Project> = events.iter().map(|e| &e.project).collect();
    match crate::project::find_duplicate_event(&projects) {
        Some(d) => Err(ExperimentError::DuplicateEvent {
            message: d.message(&projects),
        }),
        None => Ok(()),
    }
}

/// `--as-of` before the event is an error; before the first acquisition leaves step 0, said.
fn check_as_of(ev: &EventData, ctx: &Ctx) -> Result<(), ExperimentError> {
    let Some(d) = ctx.opts.as_of else {
        return Ok(());
    };
    let date = ev.project.file.event.date;
    if d < date {
        return Err(ExperimentError::Invalid {
            message: format!(
                "--as-of {d} is before the event '{}' ({date}): nothing had happened yet",
                ev.name()
            ),
        });
    }
    if super::timeline_of(ev, ctx.opts).steps.len() == 1
        && crate::coherence::Timeline::from_project(&ev.project)
            .steps
            .len()
            > 1
    {
        ctx.warn(format!(
            "{}: no radar acquisition was available by {d}: only the no-radar step (step 0) is mapped",
            ev.name()
        ));
    }
    Ok(())
}

impl<'a> Ctx<'a> {
    fn new(
        opts: &'a ExperimentOptions,
        cancel: &'a AtomicBool,
        progress: &'a dyn Fn(&str, f64),
        on_step: &'a dyn Fn(&StepResult),
        cache: Option<&'a dyn EnsembleCache>,
    ) -> Self {
        Ctx {
            opts,
            cancel,
            progress,
            on_step,
            timings: RefCell::new(Timings::default()),
            warnings: RefCell::new(Vec::new()),
            cache,
        }
    }

    /// The result of a run: steps, grids, observed targets, warnings and timings.
    fn finish(
        self,
        kind: ExperimentKind,
        steps: Vec<StepResult>,
        events: &[&EventData],
        t0: Instant,
    ) -> ExperimentResult {
        let t = self.timings.into_inner();
        let total = t0.elapsed().as_secs_f64();
        let timings = vec![
            ("grid search".to_string(), t.grid_search_s),
            ("fitting".to_string(), t.fitting_s),
            ("prediction".to_string(), t.prediction_s),
            (
                "calibration (intervals, P(LAD > 0.1))".to_string(),
                t.calibration_s,
            ),
            (
                "other (sampling, metrics)".to_string(),
                (total - t.grid_search_s - t.fitting_s - t.prediction_s - t.calibration_s).max(0.0),
            ),
        ];
        ExperimentResult {
            kind,
            steps,
            grids: events
                .iter()
                .map(|e| (e.name().to_string(), e.table.coarse.clone()))
                .collect(),
            observed: events
                .iter()
                .map(|e| (e.name().to_string(), e.table.target.clone()))
                .collect(),
            target_names: events
                .iter()
                .map(|e| (e.name().to_string(), e.table.target_name.clone()))
                .collect(),
            warnings: self.warnings.into_inner(),
            timings,
        }
    }
}
