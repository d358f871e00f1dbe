//! Autosave of the drawing after every edit: versioned JSON written atomically
//! (`crate::io::atomic_write_bytes`: temp file, fsync, rename) by a small writer thread,
//! so killing the app loses at most the last edit and the UI thread never waits on disk.
//!
//! A file that fails to load is reported and never overwritten: later edits go to a
//! sibling `*.after-failed-load.json` instead.

use super::model::DrawnPolygon;
use crossbeam_channel::{bounded, Receiver, Sender};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Format version written by this build.
pub const AUTOSAVE_VERSION: u32 = 1;

/// The autosave file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AutosaveFile {
    /// Format version.
    pub version: u32,
    /// Event name.
    pub event: String,
    /// Project file the drawing belongs to.
    pub project: PathBuf,
    /// Closed polygons, (lon, lat).
    pub polygons: Vec<DrawnPolygon>,
    /// The polygon being drawn, (lon, lat).
    #[serde(default)]
    pub sketch: Vec<[f64; 2]>,
}

/// Read an autosave; `Ok(None)` when there is none.
pub fn load_autosave(path: &Path) -> Result<Option<AutosaveFile>, String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let file: AutosaveFile = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{}: not a SlideMap drawing autosave ({e})", path.display()))?;
    if file.version > AUTOSAVE_VERSION {
        return Err(format!(
            "{}: saved by a newer SlideMap (autosave format {} > {AUTOSAVE_VERSION}); update SlideMap to open it",
            path.display(),
            file.version
        ));
    }
    Ok(Some(file))
}

/// Where an event's drawing is autosaved: `<state>/autosave/<name>-<hash of project path>.json`.
pub fn autosave_path(state_dir: &Path, event: &str, project: &Path) -> PathBuf {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in project.to_string_lossy().bytes() {
        h = (h ^ b as u64).wrapping_mul(0x100000001b3);
    }
    let name: String = event
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    state_dir
        .join("autosave")
        .join(format!("{name}-{h:016x}.json"))
}

/// The path used for new edits when the autosave at `path` failed to load.
pub fn fallback_path(path: &Path) -> PathBuf {
    path.with_extension("after-failed-load.json")
}

/// A writer thread for autosave files.
pub struct AutosaveWriter {
    tx: Option<Sender<(PathBuf, Vec<u8>)>>,
    errors: Receiver<String>,
    pending: Arc<AtomicUsize>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl AutosaveWriter {
    /// Start the writer thread.
    pub fn new() -> Self {
        let (tx, rx) = bounded::<(PathBuf, Vec<u8>)>(256);
        let (etx, errors) = bounded::<String>(16);
        let pending = Arc::new(AtomicUsize::new(0));
        let p = pending.clone();
        let thread = std::thread::Builder::new()
            .name("slidemap-autosave".into())
            .spawn(move || {
                for (path, bytes) in rx {
                    let r = path
                        .parent()
                        .map(std::fs::create_dir_all)
                        .transpose()
                        .map_err(|e| format!("{}: {e}", path.display()))
                        .and_then(|_| {
                            crate::io::atomic_write_bytes(&path, &bytes)
                                .map_err(|e| format!("autosave failed: {e:#}"))
                        });
                    if let Err(e) = r {
                        etx.try_send(e).ok();
                    }
                    p.fetch_sub(1, Ordering::SeqCst);
                }
            })
            .ok();
        Self {
            tx: Some(tx),
            errors,
            pending,
            thread,
        }
    }

    /// Queue a save of `file` to `path`.
    pub fn save(&self, path: &Path, file: &AutosaveFile) -> Result<(), String> {
        let bytes = serde_json::to_vec_pretty(file).map_err(|e| format!("autosave: {e}"))?;
        let tx = self
            .tx
            .as_ref()
            .filter(|_| self.thread.is_some())
            .ok_or("autosave thread is not running")?;
        self.pending.fetch_add(1, Ordering::SeqCst);
        tx.send((path.to_path_buf(), bytes)).map_err(|_| {
            self.pending.fetch_sub(1, Ordering::SeqCst);
            "autosave thread stopped".to_string()
        })
    }

    /// Errors reported by the thread since the last call.
    pub fn take_errors(&self) -> Vec<String> {
        self.errors.try_iter().collect()
    }

    /// Wait until every queued save is on disk (tests, shutdown), at most `timeout`.
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        let t0 = Instant::now();
        while self.pending.load(Ordering::SeqCst) > 0 {
            if t0.elapsed() > timeout {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        true
    }
}

impl Default for AutosaveWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for AutosaveWriter {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(t) = self.thread.take() {
            t.join().ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_round_trip_and_newer_versions_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = autosave_path(dir.path(), "Ev 1", Path::new("/x/p.toml"));
        let w = AutosaveWriter::new();
        let file = AutosaveFile {
            version: AUTOSAVE_VERSION,
            event: "Ev 1".into(),
            project: "/x/p.toml".into(),
            polygons: vec![DrawnPolygon {
                id: 0,
                label: "a".into(),
                lon_lat: vec![[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]],
                kind: super::super::model::PolygonKind::Landslide,
            }],
            sketch: vec![],
        };
        w.save(&path, &file).unwrap();
        assert!(w.wait_idle(Duration::from_secs(5)));
        let back = load_autosave(&path).unwrap().unwrap();
        assert_eq!(back.polygons, file.polygons);
        std::fs::write(
            &path,
            br#"{"version": 99, "event": "", "project": "", "polygons": []}"#,
        )
        .unwrap();
        assert!(load_autosave(&path).unwrap_err().contains("newer"));
        assert!(load_autosave(&dir.path().join("none.json"))
            .unwrap()
            .is_none());
    }
}
