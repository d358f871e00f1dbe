//! The result of scanning a folder of coherence files, in one leaf file: the classified
//! pairs ([`CoherencePair`], [`PairTiming`]), the files not used ([`SkippedFile`]), the
//! questions left to the user ([`ScanQuestion`], [`QuestionKey`], [`Answer`]) and
//! [`FolderScan`], which the review tables edit. `coherence_folder` fills it,
//! `coherence_grouping` groups its pairs and answers its questions.

use super::{AcquisitionConfig, Pass};
use chrono::NaiveDate;
use std::path::PathBuf;

/// When a pair's images were taken, relative to the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PairTiming {
    /// Both images before the event.
    PreEvent,
    /// The first image before, the second after the event.
    CoEvent,
    /// Both images after the event.
    PostEvent,
    /// An image on the event day: before or after the earthquake is the user's answer.
    EventDay,
}

impl PairTiming {
    /// "pre-event", "co-event", "post-event".
    pub fn name(self) -> &'static str {
        match self {
            PairTiming::PreEvent => "pre-event",
            PairTiming::CoEvent => "co-event",
            PairTiming::PostEvent => "post-event",
            PairTiming::EventDay => "event-day",
        }
    }
}

/// One coherence file recognised in the folder.
#[derive(Debug, Clone, PartialEq)]
pub struct CoherencePair {
    /// The file.
    pub path: PathBuf,
    /// Date of the first (earlier) image.
    pub first: NaiveDate,
    /// Date of the second image.
    pub second: NaiveDate,
    /// "Sentinel-1", "ALOS-2".
    pub sensor: String,
    /// Track / path, e.g. "T121", "P048".
    pub track: String,
    /// Orbit direction.
    pub pass: Pass,
    /// A sibling-pixel estimate of the pair's coherence (Bx-S).
    pub sibling: bool,
    /// Relative to the event.
    pub timing: PairTiming,
}

/// A file found but not used, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedFile {
    /// The file.
    pub path: PathBuf,
    /// Why it is not used.
    pub reason: String,
}

/// What a folder holds: acquisitions ready for the project (paths absolute), the pairs they
/// were built from, the files not used and the questions for the user. The review tables
/// (window, CLI) edit this value; [`FolderScan::chosen`] is what goes into the project.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FolderScan {
    /// One per sensor, track and pass with a pre-event and a co-event pair, by first
    /// post-event date. The user may correct the sensor, band and track.
    pub acquisitions: Vec<AcquisitionConfig>,
    /// Per acquisition: the user left it out.
    pub left_out: Vec<bool>,
    /// Every recognised pair, classified.
    pub pairs: Vec<CoherencePair>,
    /// Files not used, with the reason.
    pub skipped: Vec<SkippedFile>,
    /// What the scan cannot decide (answered ones included, with their answer).
    pub questions: Vec<ScanQuestion>,
    /// The answers given so far.
    pub answers: Vec<(QuestionKey, Answer)>,
    /// The event date the pairs are classified against.
    pub event_date: NaiveDate,
    /// Files skipped by recognition (not pairs), kept when regrouping.
    pub(super) unrecognised: Vec<SkippedFile>,
}

/// The sensor, track and pass a pair was found with (as read from its names).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TrackKey {
    /// "Sentinel-1", "ALOS-2".
    pub sensor: String,
    /// "T121", "P048".
    pub track: String,
    /// "asc" / "desc".
    pub pass: &'static str,
}

impl TrackKey {
    pub(super) fn of(p: &CoherencePair) -> Self {
        Self {
            sensor: p.sensor.clone(),
            track: p.track.clone(),
            pass: p.pass.short(),
        }
    }
}

/// What a question is about (stable across regrouping).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionKey {
    /// An image of this track was taken on the event day.
    EventDayImage(TrackKey),
    /// Which of the track's co-event pairs to use.
    CoEventPair(TrackKey),
    /// Which of several files with the same dates and role to use.
    SameDates {
        /// The track.
        track: TrackKey,
        /// Pre-, co- or post-event.
        timing: PairTiming,
        /// A sibling estimate.
        sibling: bool,
        /// First image date.
        first: NaiveDate,
        /// Second image date.
        second: NaiveDate,
    },
}

/// One possible answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The event-day image was taken before the earthquake.
    Before,
    /// The event-day image was taken after the earthquake.
    After,
    /// Use the pair with these (first, second) dates.
    Dates(NaiveDate, NaiveDate),
    /// Use this file.
    File(PathBuf),
}

/// A choice the scan leaves to the user.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanQuestion {
    /// What it is about.
    pub key: QuestionKey,
    /// The question, naming the track and dates.
    pub prompt: String,
    /// (label, answer) to pick from.
    pub options: Vec<(String, Answer)>,
    /// The answer given, if any.
    pub answer: Option<Answer>,
}
