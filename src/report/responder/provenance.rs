//! `provenance.json`: how a set of responder outputs was made — inputs (size and SHA-256),
//! acquisitions used, parameters, seeds, steps, SlideMap version and command line — and the
//! key facts as GeoTIFF metadata tags ([`geotiff_tags`]).
//!
//! - The core never reads the clock: `created_utc` is whatever the caller passes (ISO 8601
//!   UTC suggested), so two identical runs give byte-identical files when it is `None`.
//! - Digests are SHA-256 in lower-case hexadecimal, computed by streaming the file.
//! - JSON is pretty-printed with fields in declaration order and maps sorted by key.

use crate::io::atomic_write_bytes;
use crate::report::ReportError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// What the file is for, e.g. "dem", "shakemap", "coherence", "inventory".
    pub role: String,
    /// Path as given on the command line or in the project.
    pub path: PathBuf,
    /// Size in bytes.
    pub size_bytes: u64,
    /// SHA-256 of the content, lower-case hexadecimal.
    pub sha256: String,
}

impl InputFile {
    /// Describe `path` (reads it once to hash it).
    pub fn from_path(role: impl Into<String>, path: &Path) -> Result<Self, ReportError> {
        let (size_bytes, sha256) = file_digest(path)?;
        Ok(Self {
            role: role.into(),
            path: path.to_path_buf(),
            size_bytes,
            sha256,
        })
    }
}

/// One SAR acquisition pair (or scene) used by the model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AcquisitionUsed {
    /// Sensor, e.g. "Sentinel-1" or "ALOS-2".
    pub sensor: String,
    /// Track or path/frame, e.g. "T085".
    pub track: String,
    /// Pass direction, e.g. "ascending".
    pub pass: String,
    /// Acquisition dates (ISO 8601), e.g. the pre- and post-event dates of a pair.
    pub dates: Vec<String>,
    /// First timeline step that uses it.
    pub step: usize,
}

/// One timeline step of the outputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct StepRecord {
    /// Step number (0 = before any radar acquisition).
    pub index: usize,
    /// Date of the step (ISO 8601), when known.
    pub date: Option<String>,
    /// Validation at this step in words, e.g. "AUC 0.91, r² 0.55 against the inventory" or
    /// "none: no inventory yet".
    pub validation: String,
    /// Output files of the step (relative paths).
    pub outputs: Vec<String>,
}

/// The record written to `provenance.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Provenance {
    /// SlideMap version (see [`Provenance::new`]).
    pub slidemap_version: String,
    /// The command line, one argument per element.
    pub command_line: Vec<String>,
    /// When the outputs were made, as the caller states it (`None`: not recorded).
    pub created_utc: Option<String>,
    /// The model, e.g. "random forest, 300 trees, min leaf 5".
    pub model: String,
    /// Input files.
    pub inputs: Vec<InputFile>,
    /// SAR acquisitions used.
    pub acquisitions_used: Vec<AcquisitionUsed>,
    /// Parameters by name (values as text).
    pub parameters: BTreeMap<String, String>,
    /// Random seeds by purpose, e.g. "forest" → 42.
    pub seeds: BTreeMap<String, u64>,
    /// Timeline steps.
    pub steps: Vec<StepRecord>,
}

impl Provenance {
    /// An empty record for this build of SlideMap and `command_line`.
    pub fn new(command_line: Vec<String>) -> Self {
        Self {
            slidemap_version: env!("CARGO_PKG_VERSION").to_string(),
            command_line,
            ..Self::default()
        }
    }
}

/// Size in bytes and SHA-256 (lower-case hex) of a file, read in 64 KiB blocks.
pub fn file_digest(path: &Path) -> Result<(u64, String), ReportError> {
    let io = |e| ReportError::io(path, e);
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((size, hex(&hasher.finalize())))
}

/// Lower-case hexadecimal of bytes.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Write `provenance` as pretty JSON at `path`, atomically.
pub fn write_provenance(path: &Path, provenance: &Provenance) -> Result<(), ReportError> {
    let mut json = serde_json::to_string_pretty(provenance)
        .map_err(|e| ReportError::unwritable(path, format!("JSON encoding failed: {e}")))?;
    json.push('\n');
    atomic_write_bytes(path, json.as_bytes()).map_err(|e| ReportError::gis(path, e))
}

/// The key facts of step `step` as GeoTIFF metadata tags for [`super::write_cog`], in a
/// fixed order: `SLIDEMAP_VERSION`, `SLIDEMAP_MODEL`, `SLIDEMAP_STEP`, `SLIDEMAP_DATE`,
/// `SLIDEMAP_VALIDATION`, `SLIDEMAP_ACQUISITIONS` (those used up to this step, as
/// "sensor track pass date/date; …"), `SLIDEMAP_SEEDS` ("name=seed,…"),
/// `SLIDEMAP_CREATED`, `SLIDEMAP_COMMAND`, `SLIDEMAP_PROVENANCE`. Empty facts (no model, a
/// step missing from `steps`, no seeds, …) are left out.
pub fn geotiff_tags(provenance: &Provenance, step: usize) -> Vec<(String, String)> {
    let record = provenance.steps.iter().find(|s| s.index == step);
    let acquisitions: Vec<String> = provenance
        .acquisitions_used
        .iter()
        .filter(|a| a.step <= step)
        .map(|a| {
            let words = [
                a.sensor.clone(),
                a.track.clone(),
                a.pass.clone(),
                a.dates.join("/"),
            ];
            words
                .into_iter()
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let seeds: Vec<String> = provenance
        .seeds
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let facts = [
        ("SLIDEMAP_VERSION", provenance.slidemap_version.clone()),
        ("SLIDEMAP_MODEL", provenance.model.clone()),
        ("SLIDEMAP_STEP", step.to_string()),
        (
            "SLIDEMAP_DATE",
            record.and_then(|r| r.date.clone()).unwrap_or_default(),
        ),
        (
            "SLIDEMAP_VALIDATION",
            record.map(|r| r.validation.clone()).unwrap_or_default(),
        ),
        ("SLIDEMAP_ACQUISITIONS", acquisitions.join("; ")),
        ("SLIDEMAP_SEEDS", seeds.join(",")),
        (
            "SLIDEMAP_CREATED",
            provenance.created_utc.clone().unwrap_or_default(),
        ),
        ("SLIDEMAP_COMMAND", provenance.command_line.join(" ")),
        (
            "SLIDEMAP_PROVENANCE",
            "provenance.json (inputs with SHA-256, parameters)".to_string(),
        ),
    ];
    facts
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ABC_SHA256: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn the_digest_of_abc_is_the_published_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("abc.txt");
        std::fs::write(&p, b"abc").unwrap();
        assert_eq!(file_digest(&p).unwrap(), (3, ABC_SHA256.to_string()));
    }

    #[test]
    fn the_digest_of_a_multi_block_file_matches_sha256sum() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.bin");
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(&p, &bytes).unwrap();
        let (size, digest) = file_digest(&p).unwrap();
        assert_eq!(size, 200_000);
        assert_eq!(digest, hex(&Sha256::digest(&bytes)));
        assert_eq!(digest.len(), 64);
        assert!(digest
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_uppercase()));
        if let Ok(out) = std::process::Command::new("sha256sum").arg(&p).output() {
            let text = String::from_utf8_lossy(&out.stdout);
            assert_eq!(text.split_whitespace().next(), Some(digest.as_str()));
        }
    }

    #[test]
    fn a_missing_file_is_named() {
        let e = file_digest(Path::new("/nonexistent/dem.tif")).unwrap_err();
        assert!(e.to_string().contains("dem.tif"), "{e}");
    }

    fn sample() -> Provenance {
        let mut p = Provenance::new(vec!["slidemap".into(), "predict".into(), "e.toml".into()]);
        p.model = "random forest, 300 trees".into();
        p.inputs.push(InputFile {
            role: "dem".into(),
            path: "dem.tif".into(),
            size_bytes: 3,
            sha256: ABC_SHA256.into(),
        });
        p.acquisitions_used = vec![
            AcquisitionUsed {
                sensor: "Sentinel-1".into(),
                track: "T085".into(),
                pass: "ascending".into(),
                dates: vec!["2015-04-17".into(), "2015-04-29".into()],
                step: 1,
            },
            AcquisitionUsed {
                sensor: "ALOS-2".into(),
                step: 2,
                ..AcquisitionUsed::default()
            },
        ];
        p.parameters.insert("cell_size_m".into(), "100".into());
        p.seeds.insert("forest".into(), 42);
        p.steps.push(StepRecord {
            index: 1,
            date: Some("2015-04-29".into()),
            validation: "AUC 0.91".into(),
            outputs: vec!["predicted_step1.tif".into()],
        });
        p
    }

    #[test]
    fn provenance_round_trips_through_json_and_is_deterministic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("provenance.json");
        let p = sample();
        write_provenance(&path, &p).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let back: Provenance = serde_json::from_str(&text).unwrap();
        assert_eq!(back, p);
        assert!(text.contains(r#""slidemap_version": ""#));
        assert!(text.contains(r#""created_utc": null"#));
        write_provenance(&path, &p).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn tags_give_the_step_facts_and_skip_empty_ones() {
        let p = sample();
        let tags = geotiff_tags(&p, 1);
        let get = |k: &str| tags.iter().find(|(t, _)| t == k).map(|(_, v)| v.as_str());
        assert_eq!(get("SLIDEMAP_VERSION"), Some(env!("CARGO_PKG_VERSION")));
        assert_eq!(get("SLIDEMAP_MODEL"), Some("random forest, 300 trees"));
        assert_eq!(get("SLIDEMAP_STEP"), Some("1"));
        assert_eq!(get("SLIDEMAP_DATE"), Some("2015-04-29"));
        assert_eq!(get("SLIDEMAP_VALIDATION"), Some("AUC 0.91"));
        assert_eq!(
            get("SLIDEMAP_ACQUISITIONS"),
            Some("Sentinel-1 T085 ascending 2015-04-17/2015-04-29")
        );
        assert_eq!(get("SLIDEMAP_SEEDS"), Some("forest=42"));
        assert_eq!(get("SLIDEMAP_COMMAND"), Some("slidemap predict e.toml"));
        assert_eq!(get("SLIDEMAP_CREATED"), None);
        let later = geotiff_tags(&p, 2);
        let acq = later
            .iter()
            .find(|(t, _)| t == "SLIDEMAP_ACQUISITIONS")
            .unwrap();
        assert!(acq.1.ends_with("; ALOS-2"), "{}", acq.1);
        assert!(!later.iter().any(|(t, _)| t == "SLIDEMAP_DATE"));
    }
}
