//! Predicting a new event and training its global models: the core calls behind `slidemap
//! predict` and `slidemap train`.

use super::digest::{event_hash, project_digests};
use super::model_store::{Manifest, ModelStore, TrainingEvent, MODEL_FORMAT_VERSION};
use super::RapidError;
use crate::experiment::{
    fit_global_models, predict_new_event, ExperimentKind, ExperimentOptions, ExperimentResult,
    PredictMode, StepResult,
};
use crate::pipeline::EventData;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// What to predict a new event with.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PredictOptions {
    /// Global ensembles trained on past events, with these options (kind `Global` or
    /// `SarOnly`).
    pub global: Option<ExperimentOptions>,
    /// A same-event model from the event's own mapped cells, with these options (kind
    /// `SameEvent`, training `Polygons` or `AllMapped`).
    pub same_event: Option<ExperimentOptions>,
}

/// The map sets of a prediction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PredictOutput {
    /// From the global ensembles.
    pub global: Option<ExperimentResult>,
    /// From the event's own mapped cells.
    pub same_event: Option<ExperimentResult>,
}

/// The training events of a model folder as they are now (names, projects, content hashes).
pub fn training_events(past: &[EventData]) -> Result<Vec<TrainingEvent>, RapidError> {
    past.iter()
        .map(|e| {
            let inputs = project_digests(&e.project)?;
            let project =
                std::fs::canonicalize(&e.project.path).unwrap_or_else(|_| e.project.path.clone());
            Ok(TrainingEvent {
                name: e.name().to_string(),
                project,
                content_sha256: event_hash(&inputs),
                inputs,
            })
        })
        .collect()
}

/// The settings of a model folder, one (name, value) per line.
pub fn model_settings(opts: &ExperimentOptions) -> Vec<(String, String)> {
    let forest = opts.forest.clone().with_seed(0);
    vec![
        ("model".into(), opts.kind.name().into()),
        ("ensemble size".into(), opts.ensemble_size.to_string()),
        (
            "cells per class and event".into(),
            opts.global_per_class.to_string(),
        ),
        ("grid search".into(), opts.grid_search.to_string()),
        (
            "member trees".into(),
            format!("{:?}", opts.ensemble_member_trees),
        ),
        ("forest".into(), format!("{forest:?}")),
        ("features".into(), opts.global_features.name().into()),
        (
            "ground-failure transform".into(),
            opts.gf_transform.name().into(),
        ),
    ]
}

/// Check that `store` was trained on `past` as they are now, with these options.
fn check_store(
    store: &ModelStore,
    past: &[EventData],
    opts: &ExperimentOptions,
) -> Result<(), RapidError> {
    let now = training_events(past)?;
    let m = &store.manifest;
    let names_now: Vec<&str> = now.iter().map(|e| e.name.as_str()).collect();
    let names_then: Vec<&str> = m.training_events.iter().map(|e| e.name.as_str()).collect();
    if names_now != names_then {
        return Err(RapidError::Model {
            path: store.dir().join(super::MANIFEST_NAME),
            message: format!(
                "the models were trained on [{}], not on [{}]",
                names_then.join(", "),
                names_now.join(", ")
            ),
        });
    }
    for (a, b) in now.iter().zip(&m.training_events) {
        if a.content_sha256 != b.content_sha256 {
            return Err(RapidError::TrainingEventChanged {
                project: a.project.clone(),
                models: store.dir().to_path_buf(),
                now: a.content_sha256.clone(),
                then: b.content_sha256.clone(),
            });
        }
    }
    if m.settings != model_settings(opts) || m.seed != opts.seed {
        return Err(RapidError::Model {
            path: store.dir().join(super::MANIFEST_NAME),
            message: "the models were trained with other settings or another seed (see the manifest): give the same options, or retrain".into(),
        });
    }
    Ok(())
}

/// Maps of `new` from global ensembles (trained on `past`, or taken from `store`) and/or
/// from its own mapped cells, at every step of its timeline up to the options' `as_of`.
#[allow(clippy::too_many_arguments)]
pub fn predict(
    new: &EventData,
    past: &[EventData],
    opts: &PredictOptions,
    store: Option<&ModelStore>,
    cancel: &AtomicBool,
    progress: &dyn Fn(&str, f64),
    on_step: &dyn Fn(&StepResult),
) -> Result<PredictOutput, RapidError> {
    if opts.global.is_none() && opts.same_event.is_none() {
        return Err(RapidError::Invalid(
            "nothing to predict with: choose a global model (past events or saved models), a same-event model, or both".into(),
        ));
    }
    let mut out = PredictOutput::default();
    if let Some(g) = &opts.global {
        if past.is_empty() {
            return Err(RapidError::Invalid(
                "a global model needs past events with inventories (--global PAST.toml …) or a model folder (--models DIR)".into(),
            ));
        }
        if let Some(s) = store {
            check_store(s, past, g)?;
        }
        let cache = store.map(|s| s as &dyn crate::experiment::EnsembleCache);
        out.global = Some(predict_new_event(
            new,
            past,
            PredictMode::Global,
            g,
            cache,
            cancel,
            progress,
            on_step,
        )?);
    }
    if let Some(se) = &opts.same_event {
        out.same_event = Some(predict_new_event(
            new,
            &[],
            PredictMode::SameEvent,
            se,
            None,
            cancel,
            progress,
            on_step,
        )?);
    }
    Ok(out)
}

/// Train global ensembles on `past` into the model folder `dir`: the no-radar model (step
/// 0), and with `for_event` every step of that event's timeline (up to `opts.as_of`).
/// Models already in the folder are kept. Returns the number of model files in the folder.
pub fn train(
    past: &[EventData],
    opts: &ExperimentOptions,
    for_event: Option<&EventData>,
    dir: &Path,
    cancel: &AtomicBool,
    progress: &dyn Fn(&str, f64),
) -> Result<(ModelStore, usize), RapidError> {
    if !matches!(opts.kind, ExperimentKind::Global | ExperimentKind::SarOnly) {
        return Err(RapidError::Invalid(format!(
            "`train` fits global models, not {}",
            opts.kind.name()
        )));
    }
    if past.is_empty() {
        return Err(RapidError::Invalid(
            "`train` needs one or more past events with inventories".into(),
        ));
    }
    let manifest = Manifest {
        format_version: MODEL_FORMAT_VERSION,
        slidemap_version: env!("CARGO_PKG_VERSION").into(),
        training_events: training_events(past)?,
        settings: model_settings(opts),
        seed: opts.seed,
    };
    let store = ModelStore::create(dir, manifest)?;
    let quiet = opts.clone().with_keep_maps(false);
    match for_event {
        Some(new) => {
            predict_new_event(
                new,
                past,
                PredictMode::Global,
                &quiet,
                Some(&store),
                cancel,
                progress,
                &|_| {},
            )?;
        }
        None => {
            fit_global_models(past, &quiet, &store, cancel, progress)?;
        }
    }
    let n = store.model_files().len();
    Ok((store, n))
}
