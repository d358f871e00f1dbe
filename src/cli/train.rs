//! `slidemap train PAST.toml … --out MODELS [--for NEW.toml] [--as-of YYYY-MM-DD]`: fit the
//! global ensembles once and save them as versioned model files for `slidemap predict
//! --models MODELS`.

use super::model_args::ModelArgs;
use super::predict::parse_date;
use super::progress::{bar, callback, cancel_flag};
use super::run::load_events;
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use clap::Args;
use slidemap::experiment::ExperimentKind;
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `train`.
#[derive(Debug, Clone, Args)]
pub struct TrainArgs {
    /// Past events (project files with inventories).
    #[arg(required = true)]
    pub projects: Vec<PathBuf>,
    /// Model folder (created; models already there for the same events and settings are kept).
    #[arg(long)]
    pub out: PathBuf,
    /// Also train the models of every step of this new event's timeline.
    #[arg(long = "for", value_name = "NEW.toml")]
    pub for_event: Option<PathBuf>,
    /// With --for: only acquisitions available on this date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Model options.
    #[command(flatten)]
    pub model: ModelArgs,
}

/// Run the verb.
pub fn run(args: &TrainArgs) -> Result<()> {
    if args.out.is_file() {
        bail!(
            "--out {} is a file: give a folder for the models",
            args.out.display()
        );
    }
    let mut paths = args.projects.clone();
    if let Some(p) = &args.for_event {
        paths.push(p.clone());
    }
    let (mut events, features_s) = load_events(&paths)?;
    let new = args
        .for_event
        .as_ref()
        .map(|_| events.remove(events.len() - 1));
    let opts = args
        .model
        .options(ExperimentKind::Global)?
        .with_as_of(args.as_of);
    let pb = bar("train");
    let cb = callback(&pb);
    let t0 = Instant::now();
    let res = slidemap::rapid::train(&events, &opts, new.as_ref(), &args.out, &cancel_flag(), &cb);
    pb.finish_and_clear();
    let (_, n) = res.with_context(|| format!("training into {}", args.out.display()))?;
    eprintln!(
        "{n} model file(s) in {} (features {features_s:.1} s, training {:.1} s)",
        args.out.display(),
        t0.elapsed().as_secs_f64()
    );
    println!("{}", args.out.display());
    Ok(())
}
