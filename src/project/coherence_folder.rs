//! Radar acquisitions from a folder of coherence files, as responders download them.
//!
//! Recognised layouts:
//! - LiCSAR frame products as published:
//!   `FRAME_ID/interferograms/YYYYMMDD_YYYYMMDD/YYYYMMDD_YYYYMMDD.geo.cc.tif` (uint8). The
//!   frame ID (`121A_05100_131313`: relative orbit 121, A(scending) or D(escending)) gives the
//!   sensor (Sentinel-1), the track (`T121`) and the pass.
//! - The same pairs as LiCSBAS lays them out (`GEOC/YYYYMMDD_YYYYMMDD/…geo.cc.tif`), with the
//!   frame ID in a folder above (or the other name tokens below).
//! - Other coherence files whose name (or folder) carries two dates (`YYYYMMDD` or
//!   `YYYY-MM-DD`), a coherence word (`cc`, `coh`, `coherence`) and the sensor, pass and track
//!   as tokens (`S1`/`Sentinel-1`/`A2`/`ALOS-2`, `asc`/`desc`, `T085`/`P048`), e.g.
//!   `A2_desc_P048_20150221_20150503_coh.tif`.
//!
//! Each pair is classified against the event date: *pre-event* (both images before),
//! *co-event* (spanning the event), *post-event* (both after). A pair with an image on the
//! event day is ambiguous (before or after the earthquake?) and is left for the user to
//! decide, never guessed. Pairs are grouped into one acquisition per sensor, track and pass
//! (`coherence_grouping`, which also asks the questions the grouping cannot answer); a file
//! of the co-event pair with `sib` in its name is the sibling estimate (Bx-S). Files that
//! are not used are listed with the reason, so nothing is dropped silently.

use super::coherence_grouping::regroup;
use super::coherence_scan::{CoherencePair, FolderScan, PairTiming, SkippedFile};
use super::Pass;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// Raster file extensions a coherence product may have.
const RASTER_EXTENSIONS: [&str; 5] = ["tif", "tiff", "vrt", "img", "nc"];

/// Folder depth searched below the given folder.
const MAX_DEPTH: usize = 8;

/// Errors of [`scan_coherence_folder`].
#[derive(Debug, thiserror::Error)]
pub enum CoherenceFolderError {
    /// The folder cannot be listed.
    #[error("coherence folder {path}: {source}")]
    Io {
        /// The folder.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// Nothing usable.
    #[error("coherence folder {path}: no acquisition could be made from it ({detail})")]
    Empty {
        /// The folder.
        path: PathBuf,
        /// What was found instead.
        detail: String,
    },
}

/// Scan `dir` for coherence pairs and group them into acquisitions for an event on
/// `event_date`; a folder from which no acquisition can be made is an error.
pub fn scan_coherence_folder(
    dir: &Path,
    event_date: NaiveDate,
) -> Result<FolderScan, CoherenceFolderError> {
    let scan = scan_coherence_pairs(dir, event_date)?;
    if scan.acquisitions.is_empty() && scan.questions.is_empty() {
        return Err(empty_folder(dir, &scan));
    }
    Ok(scan)
}

/// Why no acquisition could be made from `scan` of `dir`.
pub fn empty_folder(dir: &Path, scan: &FolderScan) -> CoherenceFolderError {
    let detail = if scan.pairs.is_empty() && scan.skipped.is_empty() {
        "no file with two dates in its name".to_string()
    } else {
        let mut reasons: Vec<String> = scan
            .skipped
            .iter()
            .take(3)
            .map(|s| format!("{}: {}", s.path.display(), s.reason))
            .collect();
        if scan.skipped.len() > 3 {
            reasons.push(format!("and {} more", scan.skipped.len() - 3));
        }
        reasons.join("; ")
    };
    CoherenceFolderError::Empty {
        path: dir.to_path_buf(),
        detail,
    }
}

/// Scan `dir` for coherence pairs and group them as [`scan_coherence_folder`] does, without
/// requiring an acquisition: a folder of later post-event pairs only is a valid scan (see
/// `post_event_completion`).
pub fn scan_coherence_pairs(
    dir: &Path,
    event_date: NaiveDate,
) -> Result<FolderScan, CoherenceFolderError> {
    let mut files = Vec::new();
    list_files(dir, 0, &mut files)?;
    files.sort();
    let mut scan = FolderScan {
        event_date,
        ..Default::default()
    };
    for path in files {
        match recognise(dir, &path, event_date) {
            Ok(Some(pair)) => scan.pairs.push(pair),
            Ok(None) => {}
            Err(reason) => scan.unrecognised.push(SkippedFile { path, reason }),
        }
    }
    regroup(&mut scan);
    Ok(scan)
}

/// Raster files below `dir` (depth-limited, hidden entries skipped).
fn list_files(
    dir: &Path,
    depth: usize,
    out: &mut Vec<PathBuf>,
) -> Result<(), CoherenceFolderError> {
    let io = |source| CoherenceFolderError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            if depth < MAX_DEPTH {
                list_files(&path, depth + 1, out)?;
            }
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| RASTER_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// A file as a coherence pair; `Ok(None)` for rasters that are evidently something else
/// without dates (e.g. a frame's DEM); `Err(reason)` for files that look like pairs but
/// cannot be used as they are.
fn recognise(
    root: &Path,
    path: &Path,
    event_date: NaiveDate,
) -> Result<Option<CoherencePair>, String> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let mut dates = dates_in(&name);
    if dates.len() < 2 {
        // LiCSBAS: GEOC/YYYYMMDD_YYYYMMDD/<anything>.cc.tif
        if let Some(parent) = path.parent().and_then(|p| p.file_name()?.to_str()) {
            dates = dates_in(parent);
        }
    }
    if dates.is_empty() {
        return Ok(None);
    }
    let lower = name.to_ascii_lowercase();
    let tokens = tokens_of(&lower);
    let coherence = lower.contains(".cc.")
        || tokens
            .iter()
            .any(|t| matches!(t.as_str(), "cc" | "coh" | "coherence" | "cohe"));
    if !coherence {
        return Err("not a coherence product (its name has no cc, coh or coherence)".into());
    }
    if dates.len() != 2 || dates[0] == dates[1] {
        return Err(format!(
            "needs exactly two image dates in its name or folder, found {}",
            dates.len()
        ));
    }
    let (first, second) = (dates[0].min(dates[1]), dates[0].max(dates[1]));
    let timing = if second < event_date {
        PairTiming::PreEvent
    } else if first > event_date {
        PairTiming::PostEvent
    } else if first < event_date && second > event_date {
        PairTiming::CoEvent
    } else {
        PairTiming::EventDay
    };
    let (sensor, track, pass) = identify(root, path)?;
    Ok(Some(CoherencePair {
        path: path.to_path_buf(),
        first,
        second,
        sensor,
        track,
        pass,
        sibling: tokens.iter().any(|t| t.starts_with("sib")),
        timing,
    }))
}

/// Lower-case alphanumeric tokens of a name.
fn tokens_of(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Image dates in a name: runs of 8 digits that are dates (YYYYMMDD, years 1990–2100) and
/// ISO dates (YYYY-MM-DD), in order of appearance.
pub(crate) fn dates_in(name: &str) -> Vec<NaiveDate> {
    let b = name.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let run = &name[start..i];
        let date = if run.len() == 8 {
            NaiveDate::parse_from_str(run, "%Y%m%d").ok()
        } else if run.len() == 4 && name.len() >= start + 10 {
            let iso = &name[start..start + 10];
            NaiveDate::parse_from_str(iso, "%Y-%m-%d")
                .ok()
                .inspect(|_| {
                    i = start + 10;
                })
        } else {
            None
        };
        if let Some(d) = date.filter(|d| (1990..=2100).contains(&chrono::Datelike::year(d))) {
            out.push(d);
        }
    }
    out
}

/// Sensor, track and pass from the LiCSAR frame ID in the file's folders, or from name
/// tokens of the file and its folders (nearest first).
fn identify(root: &Path, path: &Path) -> Result<(String, String, Pass), String> {
    let mut names: Vec<String> = Vec::new();
    let mut p = Some(path);
    while let Some(q) = p {
        if let Some(n) = q.file_name().and_then(|n| n.to_str()) {
            names.push(n.to_string());
        }
        if q == root {
            break;
        }
        p = q.parent();
    }
    for n in &names {
        if let Some(frame) = licsar_frame(n) {
            return Ok(frame);
        }
    }
    let (mut sensor, mut track, mut pass) = (None, None, None);
    for n in &names {
        for t in tokens_of(&n.to_ascii_lowercase()) {
            match t.as_str() {
                "s1" | "s1a" | "s1b" | "s1c" | "sentinel1" => {
                    sensor.get_or_insert("Sentinel-1");
                }
                "a2" | "alos2" | "palsar2" => {
                    sensor.get_or_insert("ALOS-2");
                }
                "sentinel" if n.to_ascii_lowercase().contains("sentinel-1") => {
                    sensor.get_or_insert("Sentinel-1");
                }
                "alos" if n.to_ascii_lowercase().contains("alos-2") => {
                    sensor.get_or_insert("ALOS-2");
                }
                "asc" | "ascending" => {
                    pass.get_or_insert(Pass::Ascending);
                }
                "desc" | "dsc" | "descending" => {
                    pass.get_or_insert(Pass::Descending);
                }
                _ => {
                    let mut chars = t.chars();
                    let head = chars.next();
                    let digits = chars.as_str();
                    if matches!(head, Some('t' | 'p'))
                        && !digits.is_empty()
                        && digits.len() <= 4
                        && digits.chars().all(|c| c.is_ascii_digit())
                    {
                        track.get_or_insert(t.to_ascii_uppercase());
                    }
                }
            }
        }
    }
    match (sensor, track, pass) {
        (Some(s), Some(t), Some(p)) => Ok((s.to_string(), t, p)),
        (s, t, p) => {
            let mut missing = Vec::new();
            if s.is_none() {
                missing.push("sensor (S1 or A2)");
            }
            if p.is_none() {
                missing.push("pass (asc or desc)");
            }
            if t.is_none() {
                missing.push("track (e.g. T085 or P048)");
            }
            Err(format!(
                "{} unknown: keep LiCSAR files under their frame folder (e.g. 121A_05100_131313) or put the missing words in the file or folder name",
                missing.join(", ")
            ))
        }
    }
}

/// A LiCSAR frame ID `NNN[AD]_NNNNN_NNNNNN` → (Sentinel-1, `T` + relative orbit, pass).
fn licsar_frame(name: &str) -> Option<(String, String, Pass)> {
    let parts: Vec<&str> = name.split('_').collect();
    let [orbit, burst, swaths] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
    if orbit.len() != 4 || !digits(&orbit[..3], 3) || !digits(burst, 5) || !digits(swaths, 6) {
        return None;
    }
    let pass = match &orbit[3..] {
        "A" => Pass::Ascending,
        "D" => Pass::Descending,
        _ => return None,
    };
    Some(("Sentinel-1".into(), format!("T{}", &orbit[..3]), pass))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::{Answer, QuestionKey};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn touch(root: &Path, rel: &str) -> PathBuf {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, b"x").unwrap();
        p
    }

    #[test]
    fn dates_are_found_in_both_spellings() {
        assert_eq!(
            dates_in("20150405_20150429.geo.cc.tif"),
            vec![d("2015-04-05"), d("2015-04-29")]
        );
        assert_eq!(
            dates_in("coh_2015-04-05_2015-04-29.tif"),
            vec![d("2015-04-05"), d("2015-04-29")]
        );
        assert!(dates_in("121A_05100_131313").is_empty());
        assert!(dates_in("dem_99999999.tif").is_empty());
    }

    #[test]
    fn a_licsar_frame_gives_track_and_pass() {
        assert_eq!(
            licsar_frame("121A_05100_131313"),
            Some(("Sentinel-1".into(), "T121".into(), Pass::Ascending))
        );
        assert_eq!(
            licsar_frame("019D_05100_131313").map(|f| f.2),
            Some(Pass::Descending)
        );
        assert_eq!(licsar_frame("121X_05100_131313"), None);
        assert_eq!(licsar_frame("GEOC"), None);
    }

    #[test]
    fn a_licsar_frame_folder_becomes_one_acquisition() {
        let dir = tempfile::tempdir().unwrap();
        let f = "019D_05100_131313/interferograms";
        let pre = touch(
            dir.path(),
            &format!("{f}/20150324_20150405/20150324_20150405.geo.cc.tif"),
        );
        let old = touch(
            dir.path(),
            &format!("{f}/20150312_20150324/20150312_20150324.geo.cc.tif"),
        );
        let co = touch(
            dir.path(),
            &format!("{f}/20150405_20150429/20150405_20150429.geo.cc.tif"),
        );
        let long_co = touch(
            dir.path(),
            &format!("{f}/20150324_20150429/20150324_20150429.geo.cc.tif"),
        );
        let post = touch(
            dir.path(),
            &format!("{f}/20150429_20150511/20150429_20150511.geo.cc.tif"),
        );
        let unw = touch(
            dir.path(),
            &format!("{f}/20150405_20150429/20150405_20150429.geo.unw.tif"),
        );
        let scan = scan_coherence_folder(dir.path(), d("2015-04-25")).unwrap();
        assert_eq!(scan.acquisitions.len(), 1);
        let a = &scan.acquisitions[0];
        assert_eq!(
            (a.sensor.as_str(), a.track.as_str(), a.pass),
            ("Sentinel-1", "T019", Pass::Descending)
        );
        assert_eq!(a.first_post_date, d("2015-04-29"));
        assert_eq!(a.second_post_date, Some(d("2015-05-11")));
        assert_eq!(a.co_event.path, co);
        assert_eq!(a.pre_event.path, pre);
        assert_eq!(a.post_event.as_ref().map(|r| r.path.clone()), Some(post));
        assert_eq!(a.sibling, None);
        let skipped: Vec<&PathBuf> = scan.skipped.iter().map(|s| &s.path).collect();
        assert!(skipped.contains(&&old) && skipped.contains(&&long_co) && skipped.contains(&&unw));
        assert!(scan
            .skipped
            .iter()
            .any(|s| s.path == unw && s.reason.contains("not a coherence product")));
    }

    #[test]
    fn named_files_group_by_sensor_track_and_pass_with_a_sibling() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "A2_desc_P048_20150221_20150419_coh.tif");
        let co = touch(dir.path(), "A2_desc_P048_20150419_20150503_coh.tif");
        touch(dir.path(), "S1_asc_T085_20150406_20150418_cc.tif");
        touch(dir.path(), "S1_asc_T085_20150418_20150430_cc.tif");
        let sib = touch(dir.path(), "S1_asc_T085_20150418_20150430_cc_sibling.tif");
        let scan = scan_coherence_folder(dir.path(), d("2015-04-25")).unwrap();
        assert_eq!(scan.acquisitions.len(), 2);
        let s1 = &scan.acquisitions[0];
        assert_eq!(
            (s1.sensor.as_str(), s1.track.as_str()),
            ("Sentinel-1", "T085")
        );
        assert_eq!(s1.sibling.as_ref().map(|r| r.path.clone()), Some(sib));
        assert_eq!(s1.post_event, None);
        let a2 = &scan.acquisitions[1];
        assert_eq!((a2.sensor.as_str(), a2.pass), ("ALOS-2", Pass::Descending));
        assert_eq!(a2.co_event.path, co);
        assert_eq!(a2.first_post_date, d("2015-05-03"));
    }

    #[test]
    fn an_event_day_image_is_a_question_and_the_answer_classifies_it() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "S1_asc_T085_20150406_20150418_cc.tif");
        let day = touch(dir.path(), "S1_asc_T085_20150418_20150425_cc.tif");
        let anon = touch(dir.path(), "20150418_20150430_cc.tif");
        let mut scan = scan_coherence_folder(dir.path(), d("2015-04-25")).unwrap();
        assert!(scan.acquisitions.is_empty(), "not guessed");
        let q = scan.open_questions().next().unwrap().clone();
        assert!(q.prompt.contains("event day (2015-04-25)"), "{}", q.prompt);
        assert!(matches!(q.key, QuestionKey::EventDayImage(_)));
        assert!(scan
            .skipped
            .iter()
            .any(|s| s.path == day && s.reason.contains("waiting for your answer")));
        assert!(scan
            .skipped
            .iter()
            .any(|s| s.path == anon && s.reason.contains("track")));
        scan.answer(&q.key, Answer::After);
        assert_eq!(scan.open_questions().count(), 0);
        assert_eq!(scan.acquisitions.len(), 1);
        assert_eq!(scan.acquisitions[0].co_event.path, day);
        assert_eq!(scan.acquisitions[0].first_post_date, d("2015-04-25"));
        scan.answer(&q.key, Answer::Before);
        assert!(
            scan.acquisitions.is_empty(),
            "before: a pre-event pair only"
        );
    }

    #[test]
    fn co_event_pairs_that_do_not_meet_at_the_event_are_a_question() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "S1_asc_T085_20150320_20150405_cc.tif");
        let a = touch(dir.path(), "S1_asc_T085_20150405_20150429_cc.tif");
        let b = touch(dir.path(), "S1_asc_T085_20150417_20150501_cc.tif");
        let mut scan = scan_coherence_folder(dir.path(), d("2015-04-25")).unwrap();
        assert!(scan.acquisitions.is_empty(), "not guessed");
        let q = scan.open_questions().next().unwrap().clone();
        assert!(matches!(q.key, QuestionKey::CoEventPair(_)));
        assert_eq!(q.options.len(), 2);
        assert!(!q.options.iter().any(|(l, _)| l.contains('\u{2192}')));
        scan.answer(&q.key, Answer::Dates(d("2015-04-17"), d("2015-05-01")));
        assert_eq!(scan.acquisitions[0].co_event.path, b);
        scan.answer(&q.key, Answer::Dates(d("2015-04-05"), d("2015-04-29")));
        assert_eq!(scan.acquisitions[0].co_event.path, a);
    }

    #[test]
    fn two_files_of_one_pair_are_a_question_and_edits_survive_the_answer() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "S1_asc_T085_20150406_20150418_cc.tif");
        let x = touch(dir.path(), "licsar/S1_asc_T085_20150418_20150430_cc.tif");
        let y = touch(dir.path(), "licsbas/S1_asc_T085_20150418_20150430_cc.tif");
        touch(dir.path(), "A2_desc_P048_20150221_20150419_coh.tif");
        touch(dir.path(), "A2_desc_P048_20150419_20150503_coh.tif");
        let mut scan = scan_coherence_folder(dir.path(), d("2015-04-25")).unwrap();
        assert_eq!(scan.acquisitions.len(), 1, "the ALOS-2 track only");
        scan.acquisitions[0].track = "P049".into();
        scan.left_out[0] = true;
        let q = scan.open_questions().next().unwrap().clone();
        assert!(matches!(q.key, QuestionKey::SameDates { .. }), "{q:?}");
        assert_eq!(q.options.len(), 2);
        scan.answer(&q.key, Answer::File(y.clone()));
        assert_eq!(scan.acquisitions.len(), 2);
        let s1 = scan
            .acquisitions
            .iter()
            .position(|a| a.track == "T085")
            .unwrap();
        assert_eq!(scan.acquisitions[s1].co_event.path, y);
        assert!(scan.skipped.iter().any(|s| s.path == x));
        let a2 = 1 - s1;
        assert_eq!(scan.acquisitions[a2].track, "P049", "the edit is kept");
        assert!(scan.left_out[a2]);
        assert_eq!(scan.chosen().len(), 1);
        assert_eq!(scan.chosen()[0].track, "T085");
    }

    #[test]
    fn a_track_with_only_pre_event_pairs_is_not_an_acquisition_yet() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "S1_asc_T085_20150406_20150418_cc.tif");
        let e = scan_coherence_folder(dir.path(), d("2015-04-25"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("no co-event pair"), "{e}");
        let empty = tempfile::tempdir().unwrap();
        let e = scan_coherence_folder(empty.path(), d("2015-04-25"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("no file with two dates"), "{e}");
    }
}
