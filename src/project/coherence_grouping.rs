//! Grouping a folder's classified coherence pairs into acquisitions, and the questions the
//! grouping asks instead of guessing.
//!
//! Per sensor, track and pass: co-event = the pair from the last pre-event image to the
//! first post-event image; pre-event = the latest pre-event pair; post-event = the pair from
//! the first post-event image to the next; the sibling = a `sib` file of the co-event dates.
//! A track is held back (its files listed as waiting) while one of these is unanswered:
//! - an image taken on the event day: before or after the earthquake?
//! - co-event pairs of which none runs from the last pre-event image to the first
//!   post-event image (e.g. 5–29 April and 17 April–1 May around a 25 April event): which
//!   pair?
//! - two files with the same dates and role (e.g. the LiCSAR and the LiCSBAS copy): which
//!   file?
//!
//! The answers live in [`FolderScan::answers`]; [`FolderScan::answer`] regroups, keeping the
//! user's edits (sensor, track, band, left out) of acquisitions whose co-event file is
//! unchanged.

use super::coherence_scan::{
    Answer, CoherencePair, FolderScan, PairTiming, QuestionKey, ScanQuestion, SkippedFile, TrackKey,
};
use super::{AcquisitionConfig, CoherenceScale, RasterInput};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::PathBuf;

impl FolderScan {
    /// Answer question `key` and regroup the pairs (the user's edits of acquisitions whose
    /// co-event file is unchanged are kept).
    pub fn answer(&mut self, key: &QuestionKey, answer: Answer) {
        self.answers.retain(|(k, _)| k != key);
        self.answers.push((key.clone(), answer));
        let kept: Vec<(AcquisitionConfig, bool)> = self
            .acquisitions
            .iter()
            .cloned()
            .zip(self.left_out.iter().copied())
            .collect();
        regroup(self);
        for (a, left_out) in self.acquisitions.iter_mut().zip(&mut self.left_out) {
            if let Some((old, out)) = kept.iter().find(|(o, _)| o.co_event == a.co_event) {
                a.sensor = old.sensor.clone();
                a.track = old.track.clone();
                a.band = old.band;
                *left_out = *out;
            }
        }
    }

    /// Questions not answered yet.
    pub fn open_questions(&self) -> impl Iterator<Item = &ScanQuestion> {
        self.questions.iter().filter(|q| q.answer.is_none())
    }

    /// The acquisitions the user keeps (not left out).
    pub fn chosen(&self) -> Vec<AcquisitionConfig> {
        self.acquisitions
            .iter()
            .zip(self.left_out.iter().chain(std::iter::repeat(&false)))
            .filter(|(_, out)| !**out)
            .map(|(a, _)| a.clone())
            .collect()
    }

    fn given(&self, key: &QuestionKey) -> Option<&Answer> {
        self.answers.iter().find(|(k, _)| k == key).map(|(_, a)| a)
    }
}

/// Group `scan.pairs` into `scan.acquisitions` (replacing them, every one kept), with the
/// questions and the grouping's skipped files (the recognition's are kept).
pub(super) fn regroup(scan: &mut FolderScan) {
    let mut groups: BTreeMap<TrackKey, Vec<CoherencePair>> = BTreeMap::new();
    for p in &scan.pairs {
        groups.entry(TrackKey::of(p)).or_default().push(p.clone());
    }
    let (mut acquisitions, mut skipped, mut questions) = (Vec::new(), Vec::new(), Vec::new());
    for (key, pairs) in groups {
        let pairs = match event_day(scan, &key, &pairs, &mut questions) {
            Ok(p) => p,
            Err(reason) => {
                skipped.extend(skips(&pairs, &reason));
                continue;
            }
        };
        match group_acquisition(scan, &key, &pairs, &mut questions) {
            Ok((acq, used)) => {
                skipped.extend(pairs.iter().filter(|p| !used.contains(&p.path)).map(|p| {
                    SkippedFile {
                        path: p.path.clone(),
                        reason: format!(
                            "{} pair {} to {} not needed: the acquisition uses the pairs closest to the event",
                            p.timing.name(),
                            p.first,
                            p.second
                        ),
                    }
                }));
                acquisitions.push(acq);
            }
            Err(reason) => skipped.extend(skips(&pairs, &reason)),
        }
    }
    acquisitions.sort_by(|a, b| {
        (a.first_post_date, &a.sensor, &a.track).cmp(&(b.first_post_date, &b.sensor, &b.track))
    });
    scan.left_out = vec![false; acquisitions.len()];
    scan.acquisitions = acquisitions;
    scan.skipped = scan.unrecognised.clone();
    scan.skipped.extend(skipped);
    scan.questions = questions;
}

fn skips(pairs: &[CoherencePair], reason: &str) -> Vec<SkippedFile> {
    pairs
        .iter()
        .map(|p| SkippedFile {
            path: p.path.clone(),
            reason: reason.to_string(),
        })
        .collect()
}

/// The track's pairs with event-day images classified by the user's answer (a question
/// when there is an event-day image; `Err` while it is unanswered).
fn event_day(
    scan: &FolderScan,
    key: &TrackKey,
    pairs: &[CoherencePair],
    questions: &mut Vec<ScanQuestion>,
) -> Result<Vec<CoherencePair>, String> {
    if pairs.iter().all(|p| p.timing != PairTiming::EventDay) {
        return Ok(pairs.to_vec());
    }
    let day = scan.event_date;
    let q = QuestionKey::EventDayImage(key.clone());
    let answer = scan.given(&q).cloned();
    questions.push(ScanQuestion {
        prompt: format!(
            "{} {} {}: an image was taken on the event day ({day}). Was it taken before or after the earthquake?",
            key.sensor, key.track, key.pass
        ),
        key: q,
        options: vec![
            ("before the earthquake".into(), Answer::Before),
            ("after the earthquake".into(), Answer::After),
        ],
        answer: answer.clone(),
    });
    let before = match answer {
        Some(Answer::Before) => true,
        Some(Answer::After) => false,
        _ => {
            return Err(format!(
            "waiting for your answer: was the image of {day} taken before or after the earthquake?"
        ))
        }
    };
    Ok(pairs
        .iter()
        .cloned()
        .map(|mut p| {
            if p.timing == PairTiming::EventDay {
                let second_on_day = p.second == day;
                p.timing = match (second_on_day, before) {
                    (true, true) => PairTiming::PreEvent,
                    (true, false) | (false, true) => PairTiming::CoEvent,
                    (false, false) => PairTiming::PostEvent,
                };
            }
            p
        })
        .collect())
}

/// The one file of `timing` and these dates (a question when several files have them).
fn one_file<'a>(
    scan: &FolderScan,
    key: &TrackKey,
    candidates: Vec<&'a CoherencePair>,
    questions: &mut Vec<ScanQuestion>,
) -> Result<&'a CoherencePair, String> {
    let Some(first) = candidates.first().copied() else {
        return Err("no pair".into());
    };
    if candidates.len() == 1 {
        return Ok(first);
    }
    let q = QuestionKey::SameDates {
        track: key.clone(),
        timing: first.timing,
        sibling: first.sibling,
        first: first.first,
        second: first.second,
    };
    let answer = scan.given(&q).cloned();
    questions.push(ScanQuestion {
        prompt: format!(
            "{} {} {}: {} files hold the {} pair {} to {}. Which one should be used?",
            key.sensor,
            key.track,
            key.pass,
            candidates.len(),
            first.timing.name(),
            first.first,
            first.second
        ),
        key: q,
        options: candidates
            .iter()
            .map(|p| (p.path.display().to_string(), Answer::File(p.path.clone())))
            .collect(),
        answer: answer.clone(),
    });
    match answer {
        Some(Answer::File(f)) => candidates
            .into_iter()
            .find(|p| p.path == f)
            .ok_or_else(|| "waiting for your answer: which file?".to_string()),
        _ => Err(format!(
            "waiting for your answer: which file holds the {} pair {} to {}?",
            first.timing.name(),
            first.first,
            first.second
        )),
    }
}

/// The co-event dates: the pair from the last pre-event to the first post-event image, or
/// the user's choice when no pair has both (a question).
fn co_event_dates(
    scan: &FolderScan,
    key: &TrackKey,
    pairs: &[CoherencePair],
    questions: &mut Vec<ScanQuestion>,
) -> Result<(NaiveDate, NaiveDate), String> {
    let mut dates: Vec<(NaiveDate, NaiveDate)> = pairs
        .iter()
        .filter(|p| p.timing == PairTiming::CoEvent && !p.sibling)
        .map(|p| (p.first, p.second))
        .collect();
    dates.sort_by_key(|(a, b)| (*b, std::cmp::Reverse(*a)));
    dates.dedup();
    let (Some(last_pre), Some(first_post)) = (
        dates.iter().map(|d| d.0).max(),
        dates.iter().map(|d| d.1).min(),
    ) else {
        return Err("no co-event pair (spanning the event) on this track yet".into());
    };
    if dates.contains(&(last_pre, first_post)) {
        return Ok((last_pre, first_post));
    }
    let q = QuestionKey::CoEventPair(key.clone());
    let answer = scan.given(&q).cloned();
    questions.push(ScanQuestion {
        prompt: format!(
            "{} {} {}: no co-event pair runs from the last image before the event ({last_pre}) to the first after it ({first_post}). Which pair is the co-event pair?",
            key.sensor, key.track, key.pass
        ),
        key: q,
        options: dates
            .iter()
            .map(|(a, b)| (format!("{a} to {b}"), Answer::Dates(*a, *b)))
            .collect(),
        answer: answer.clone(),
    });
    match answer {
        Some(Answer::Dates(a, b)) if dates.contains(&(a, b)) => Ok((a, b)),
        _ => Err("waiting for your answer: which pair is the co-event pair?".into()),
    }
}

/// One acquisition from the pairs of one track, and the files it uses.
fn group_acquisition(
    scan: &FolderScan,
    key: &TrackKey,
    pairs: &[CoherencePair],
    questions: &mut Vec<ScanQuestion>,
) -> Result<(AcquisitionConfig, Vec<PathBuf>), String> {
    let (co_first, co_second) = co_event_dates(scan, key, pairs, questions)?;
    let with = |t: PairTiming, sib: bool, d: (NaiveDate, NaiveDate)| -> Vec<&CoherencePair> {
        pairs
            .iter()
            .filter(|p| p.timing == t && p.sibling == sib && (p.first, p.second) == d)
            .collect()
    };
    let co = one_file(
        scan,
        key,
        with(PairTiming::CoEvent, false, (co_first, co_second)),
        questions,
    )?;
    let pre_dates = pairs
        .iter()
        .filter(|p| p.timing == PairTiming::PreEvent && !p.sibling)
        .map(|p| (p.second, p.first))
        .max()
        .map(|(s, f)| (f, s))
        .ok_or("no pre-event pair on this track (needed with the co-event pair)")?;
    let pre = one_file(
        scan,
        key,
        with(PairTiming::PreEvent, false, pre_dates),
        questions,
    )?;
    let post_dates = pairs
        .iter()
        .filter(|p| p.timing == PairTiming::PostEvent && !p.sibling && p.first == co.second)
        .map(|p| (p.first, p.second))
        .min();
    let post = match post_dates {
        Some(d) => Some(one_file(
            scan,
            key,
            with(PairTiming::PostEvent, false, d),
            questions,
        )?),
        None => None,
    };
    let sibs = with(PairTiming::CoEvent, true, (co.first, co.second));
    let sibling = match sibs.is_empty() {
        true => None,
        false => Some(one_file(scan, key, sibs, questions)?),
    };
    let raster = |p: &CoherencePair| RasterInput {
        path: p.path.clone(),
        band: None,
    };
    let mut used = vec![co.path.clone(), pre.path.clone()];
    used.extend(post.iter().map(|p| p.path.clone()));
    used.extend(sibling.iter().map(|p| p.path.clone()));
    Ok((
        AcquisitionConfig {
            sensor: co.sensor.clone(),
            band: None,
            track: co.track.clone(),
            pass: co.pass,
            first_post_date: co.second,
            second_post_date: post.map(|p| p.second),
            pre_event: raster(pre),
            co_event: raster(co),
            post_event: post.map(raster),
            sibling: sibling.map(raster),
            scale: CoherenceScale::Auto,
        },
        used,
    ))
}
