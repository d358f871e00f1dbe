//! Matching a target event's features to a training event's by meaning, not by name: static
//! features by their column name (the same computation on every event), radar features by
//! (band C/L, pass, ICF kind) — so `A2_desc_CECL` of one event matches the ALOS-2 (L-band)
//! descending CECL of another whatever its track or file names. When the training event has
//! no acquisition of that pass, the one acquisition of the same band and ICF kind with the
//! other pass stands in (said so); two or more candidates are ambiguous and the earliest is
//! used (said so).

use crate::coherence::{IcfKind, Timeline};
use crate::pipeline::EventData;
use crate::project::{Pass, RadarBand};

/// What a radar feature measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Meaning {
    /// Radar band.
    pub band: RadarBand,
    /// Orbit direction.
    pub pass: Pass,
    /// Which ICF.
    pub kind: IcfKind,
}

impl Meaning {
    /// "L-band descending CECL".
    pub fn label(&self) -> String {
        let band = match self.band {
            RadarBand::C => "C",
            RadarBand::L => "L",
            RadarBand::X => "X",
        };
        let pass = match self.pass {
            Pass::Ascending => "ascending",
            Pass::Descending => "descending",
        };
        format!("{band}-band {pass} {}", self.kind.suffix())
    }
}

/// The radar features of an event with their meanings, in timeline order.
pub fn radar_meanings(ev: &EventData) -> Vec<(String, Meaning)> {
    let tl = Timeline::from_project(&ev.project);
    let acqs = &ev.project.file.acquisitions;
    tl.steps
        .iter()
        .flat_map(|s| s.added.iter())
        .filter(|f| ev.table.column(&f.name).is_some())
        .filter_map(|f| {
            let pass = acqs.get(f.acquisition)?.pass;
            Some((
                f.name.clone(),
                Meaning {
                    band: f.band,
                    pass,
                    kind: f.kind,
                },
            ))
        })
        .collect()
}

/// The meaning of `name` in `ev` (`None` for a static feature or an unknown name).
pub fn meaning_of(ev: &EventData, name: &str) -> Option<Meaning> {
    radar_meanings(ev)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, m)| m)
}

/// How a feature was matched in one training event.
#[derive(Debug, Clone, PartialEq)]
pub enum Matched {
    /// The column to use, and a remark when the match was not exact.
    Column(String, Option<String>),
    /// No column with this meaning.
    Missing(String),
}

/// The column of `train` that plays the role of `name` of `target`.
pub fn match_feature(target: &EventData, name: &str, train: &EventData) -> Matched {
    let Some(m) = meaning_of(target, name) else {
        return if train.table.column(name).is_some() {
            Matched::Column(name.to_string(), None)
        } else {
            Matched::Missing(format!("{} has no `{name}` layer", train.name()))
        };
    };
    let theirs = radar_meanings(train);
    if let Some((n, _)) = theirs.iter().find(|(_, t)| *t == m) {
        let same_meaning = theirs.iter().filter(|(_, t)| *t == m).count();
        let note = (same_meaning > 1).then(|| {
            format!(
                "{} has {same_meaning} {} features; the earliest ({n}) is used",
                train.name(),
                m.label()
            )
        });
        return Matched::Column(n.clone(), note);
    }
    let other_pass: Vec<&(String, Meaning)> = theirs
        .iter()
        .filter(|(_, t)| t.band == m.band && t.kind == m.kind)
        .collect();
    match other_pass.as_slice() {
        [(n, t)] => Matched::Column(
            n.clone(),
            Some(format!(
                "{} has no {}: its {} stands in",
                train.name(),
                m.label(),
                t.label()
            )),
        ),
        [] => Matched::Missing(format!("{} has no {} data", train.name(), m.label())),
        [(n, t), ..] => Matched::Column(
            n.clone(),
            Some(format!(
                "{} has no {} but several of the other pass: the earliest ({}) stands in",
                train.name(),
                m.label(),
                t.label()
            )),
        ),
    }
}

/// The features of `wanted` (target names) that every training event can supply, their
/// columns per training event, and the remarks (features left out and why, inexact matches).
pub fn match_features(
    target: &EventData,
    wanted: &[String],
    train: &[&EventData],
) -> (Vec<String>, Vec<Vec<String>>, Vec<String>) {
    let mut names = Vec::new();
    let mut per_event: Vec<Vec<String>> = vec![Vec::new(); train.len()];
    let mut notes = Vec::new();
    for n in wanted {
        let matches: Vec<Matched> = train.iter().map(|e| match_feature(target, n, e)).collect();
        let missing: Vec<String> = matches
            .iter()
            .filter_map(|m| match m {
                Matched::Missing(why) => Some(why.clone()),
                Matched::Column(..) => None,
            })
            .collect();
        if !missing.is_empty() {
            notes.push(format!(
                "{}: feature {n} is left out of the global model ({})",
                target.name(),
                missing.join("; ")
            ));
            continue;
        }
        names.push(n.clone());
        for (k, m) in matches.into_iter().enumerate() {
            if let Matched::Column(c, note) = m {
                if let Some(note) = note {
                    notes.push(format!("{}: feature {n}: {note}", target.name()));
                }
                per_event[k].push(c);
            }
        }
    }
    (names, per_event, notes)
}
