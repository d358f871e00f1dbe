//! Saved global ensembles ("train once, predict many"): a folder with `manifest.json` (what
//! the models were trained on: events with content hashes, settings, seed, SlideMap version)
//! and one `ensemble-<key digest>.slidemodel` file per feature set.
//!
//! A model file is the magic line `SLIDEMAP-MODEL\n`, a little-endian `u32` header length,
//! a JSON header ([`ModelHeader`]: format version, SlideMap version, the [`ModelKey`] with
//! feature meanings and column names, training events) and the bincode-encoded ensemble.
//! Every file is written atomically. Reading refuses, naming the file: a file that is not a
//! model or is cut short (corrupt), a format newer than [`MODEL_FORMAT_VERSION`] (made by a
//! newer SlideMap), and a model for other features or settings than the step needs.

use super::digest::FileDigest;
use super::RapidError;
use crate::experiment::{CacheError, EnsembleCache, ModelKey};
use crate::forest::Ensemble;
use crate::io::atomic_write_bytes;
use std::path::{Path, PathBuf};

/// Model file format this SlideMap writes and reads.
pub const MODEL_FORMAT_VERSION: u32 = 1;
const MAGIC: &[u8] = b"SLIDEMAP-MODEL\n";
/// Name of the manifest in a model folder.
pub const MANIFEST_NAME: &str = "manifest.json";

/// One training event of a model folder.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainingEvent {
    /// Event name.
    pub name: String,
    /// Project file (absolute).
    pub project: PathBuf,
    /// SHA-256 over the event's input digests.
    pub content_sha256: String,
    /// The inputs with size and SHA-256.
    pub inputs: Vec<FileDigest>,
}

/// What a model folder holds.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    /// Model format version.
    pub format_version: u32,
    /// SlideMap version that trained the models.
    pub slidemap_version: String,
    /// The past events the models are trained on.
    pub training_events: Vec<TrainingEvent>,
    /// The model settings as (name, value) lines.
    pub settings: Vec<(String, String)>,
    /// Master seed.
    pub seed: u64,
}

/// The header of one model file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ModelHeader {
    /// Model format version.
    pub format_version: u32,
    /// SlideMap version that wrote it.
    pub slidemap_version: String,
    /// What the ensemble depends on.
    pub key: ModelKey,
    /// Members in the ensemble.
    pub n_models: usize,
}

/// A model folder, used as the ensemble cache of a prediction.
#[derive(Debug, Clone)]
pub struct ModelStore {
    dir: PathBuf,
    /// What the folder holds.
    pub manifest: Manifest,
}

fn corrupt(path: &Path, why: impl std::fmt::Display) -> RapidError {
    RapidError::Model {
        path: path.to_path_buf(),
        message: format!("damaged or not a SlideMap model file ({why})"),
    }
}

fn check_version(path: &Path, format: u32, by: &str) -> Result<(), RapidError> {
    if format > MODEL_FORMAT_VERSION {
        return Err(RapidError::Model {
            path: path.to_path_buf(),
            message: format!("written by SlideMap {by} in model format {format}; this SlideMap ({}) reads format {MODEL_FORMAT_VERSION} and older: update SlideMap or retrain with `slidemap train`", env!("CARGO_PKG_VERSION")),
        });
    }
    Ok(())
}

impl ModelStore {
    /// Create (or reuse, when its manifest says the same) a model folder.
    pub fn create(dir: &Path, manifest: Manifest) -> Result<Self, RapidError> {
        std::fs::create_dir_all(dir).map_err(|source| RapidError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(MANIFEST_NAME);
        let has_files = std::fs::read_dir(dir)
            .map(|mut rd| rd.next().is_some())
            .unwrap_or(false);
        if has_files && !path.exists() {
            return Err(RapidError::Model {
                path: dir.to_path_buf(),
                message: format!("holds files but no {MANIFEST_NAME}: not a SlideMap model folder; choose an empty or new folder"),
            });
        }
        if path.exists() {
            let old = Self::open(dir)?;
            if old.manifest.training_events != manifest.training_events
                || old.manifest.settings != manifest.settings
                || old.manifest.seed != manifest.seed
            {
                return Err(RapidError::Model {
                    path,
                    message: "this folder holds models of other events or settings: choose an empty folder".into(),
                });
            }
            return Ok(old);
        }
        let text = serde_json::to_string_pretty(&manifest).map_err(|e| corrupt(&path, e))?;
        atomic_write_bytes(&path, text.as_bytes()).map_err(|e| RapidError::Model {
            path: path.clone(),
            message: e.to_string(),
        })?;
        Ok(ModelStore {
            dir: dir.to_path_buf(),
            manifest,
        })
    }

    /// Open an existing model folder.
    pub fn open(dir: &Path) -> Result<Self, RapidError> {
        let path = dir.join(MANIFEST_NAME);
        let text = std::fs::read_to_string(&path).map_err(|source| RapidError::Io {
            path: path.clone(),
            source,
        })?;
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| corrupt(&path, e))?;
        let format = v
            .get("format_version")
            .and_then(|f| f.as_u64())
            .ok_or_else(|| corrupt(&path, "no format_version"))? as u32;
        let by = v
            .get("slidemap_version")
            .and_then(|f| f.as_str())
            .unwrap_or("?")
            .to_string();
        check_version(&path, format, &by)?;
        let manifest: Manifest = serde_json::from_value(v).map_err(|e| corrupt(&path, e))?;
        Ok(ModelStore {
            dir: dir.to_path_buf(),
            manifest,
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of `key`.
    pub fn file_of(&self, key: &ModelKey) -> PathBuf {
        self.dir
            .join(format!("ensemble-{}.slidemodel", key.digest()))
    }

    /// Model files in the folder.
    pub fn model_files(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "slidemodel"))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    /// Read one model file (header and ensemble).
    pub fn read_file(path: &Path) -> Result<(ModelHeader, Ensemble), RapidError> {
        let bytes = std::fs::read(path).map_err(|source| RapidError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let rest = bytes
            .strip_prefix(MAGIC)
            .ok_or_else(|| corrupt(path, "no SLIDEMAP-MODEL header"))?;
        if rest.len() < 4 {
            return Err(corrupt(path, "cut short"));
        }
        let n = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let header_bytes = rest
            .get(4..4 + n)
            .ok_or_else(|| corrupt(path, "cut short"))?;
        let v: serde_json::Value =
            serde_json::from_slice(header_bytes).map_err(|e| corrupt(path, e))?;
        let format = v
            .get("format_version")
            .and_then(|f| f.as_u64())
            .ok_or_else(|| corrupt(path, "no format_version"))? as u32;
        let by = v
            .get("slidemap_version")
            .and_then(|f| f.as_str())
            .unwrap_or("?")
            .to_string();
        check_version(path, format, &by)?;
        let header: ModelHeader = serde_json::from_value(v).map_err(|e| corrupt(path, e))?;
        let body = &rest[4 + n..];
        let ens: Ensemble = bincode::deserialize(body).map_err(|e| corrupt(path, e))?;
        if ens.models().len() != header.n_models
            || ens
                .models()
                .iter()
                .any(|m| m.n_features() != header.key.features.len())
        {
            return Err(corrupt(path, "the ensemble does not match its header"));
        }
        Ok((header, ens))
    }

    fn load_key(&self, key: &ModelKey) -> Result<Option<Ensemble>, RapidError> {
        let path = self.file_of(key);
        if !path.exists() {
            return Ok(None);
        }
        let (header, ens) = Self::read_file(&path)?;
        if header.key.features != key.features {
            return Err(RapidError::Model {
                path,
                message: format!(
                    "the model is for the features [{}] but this step needs [{}]",
                    header.key.features.join(", "),
                    key.features.join(", ")
                ),
            });
        }
        if header.key != *key {
            return Err(RapidError::Model {
                path,
                message: "the model was trained with other events, settings or seed than this prediction asks for".into(),
            });
        }
        Ok(Some(ens))
    }

    fn save_key(&self, key: &ModelKey, ens: &Ensemble) -> Result<(), RapidError> {
        let path = self.file_of(key);
        let header = ModelHeader {
            format_version: MODEL_FORMAT_VERSION,
            slidemap_version: env!("CARGO_PKG_VERSION").into(),
            key: key.clone(),
            n_models: ens.models().len(),
        };
        let h = serde_json::to_vec(&header).map_err(|e| corrupt(&path, e))?;
        let body = bincode::serialize(ens).map_err(|e| corrupt(&path, e))?;
        let mut bytes = Vec::with_capacity(MAGIC.len() + 4 + h.len() + body.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&(h.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&h);
        bytes.extend_from_slice(&body);
        atomic_write_bytes(&path, &bytes).map_err(|e| RapidError::Model {
            path: path.clone(),
            message: e.to_string(),
        })
    }
}

impl EnsembleCache for ModelStore {
    fn load(&self, key: &ModelKey) -> Result<Option<Ensemble>, CacheError> {
        Ok(self.load_key(key)?)
    }
    fn save(&self, key: &ModelKey, ensemble: &Ensemble) -> Result<(), CacheError> {
        Ok(self.save_key(key, ensemble)?)
    }
}
