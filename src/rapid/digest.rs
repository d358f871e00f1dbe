//! Content hashes of inputs: streaming SHA-256 of files (lower-case hex) and of a whole
//! event (its project file and every input file it names, in a fixed order), so saved models
//! and `provenance.json` can say exactly which data they came from.

use super::RapidError;
use crate::project::Project;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

/// One input file with its size and SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileDigest {
    /// What the file is for ("dem", "project", "acquisition 2 co_event", …).
    pub role: String,
    /// Path as used.
    pub path: PathBuf,
    /// Size in bytes.
    pub size_bytes: u64,
    /// SHA-256, lower-case hex.
    pub sha256: String,
}

/// A file's identity for the digest memo: size in bytes and modification time.
type FileStamp = (u64, SystemTime);

/// Digests already computed in this process, by canonical path, with the stamp they were
/// computed at. `predict --models` hashes the past events' inputs to check the model folder
/// and again for `provenance.json`; the memo reads each (possibly large) file once.
fn memo() -> &'static Mutex<HashMap<PathBuf, (FileStamp, String)>> {
    static MEMO: OnceLock<Mutex<HashMap<PathBuf, (FileStamp, String)>>> = OnceLock::new();
    MEMO.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Size and modification time of `path`, when the file system gives both.
fn stamp(path: &Path) -> Option<(PathBuf, FileStamp)> {
    let meta = std::fs::metadata(path).ok()?;
    let key = std::fs::canonicalize(path).ok()?;
    Some((key, (meta.len(), meta.modified().ok()?)))
}

/// SHA-256 and size of one file (streamed). A file whose size and modification time are
/// unchanged since it was last hashed in this process is not read again.
pub fn sha256_file(path: &Path) -> Result<(u64, String), RapidError> {
    let before = stamp(path);
    if let Some((key, st)) = &before {
        let memo = memo().lock().unwrap_or_else(|p| p.into_inner());
        if let Some((seen, sha)) = memo.get(key) {
            if seen == st {
                return Ok((st.0, sha.clone()));
            }
        }
    }
    let (size, sha) =
        crate::report::responder::file_digest(path).map_err(|e| RapidError::Model {
            path: path.to_path_buf(),
            message: format!("cannot be hashed: {e}"),
        })?;
    // Remember it only when the file did not change while it was read.
    if let (Some((key, st)), Some((_, after))) = (before, stamp(path)) {
        if st == after && st.0 == size {
            let mut memo = memo().lock().unwrap_or_else(|p| p.into_inner());
            memo.insert(key, (st, sha.clone()));
        }
    }
    Ok((size, sha))
}

/// The project's input files by role, resolved, in a fixed order (files that a format keeps
/// beside the named one, such as a Shapefile's `.dbf`, are not listed).
pub fn project_inputs(project: &Project) -> Vec<(String, PathBuf)> {
    let f = &project.file.inputs;
    let mut out = vec![("project".to_string(), project.path.clone())];
    out.push(("dem".into(), project.resolve(&f.dem.path)));
    let mut push = |role: &str, p: Option<&Path>| {
        if let Some(p) = p {
            out.push((role.to_string(), project.resolve(p)));
        }
    };
    push("pgv", f.pgv.as_ref().map(|x| x.path.as_path()));
    push("lithology", f.lithology.as_ref().map(|x| x.path.as_path()));
    push(
        "land_cover",
        f.land_cover.as_ref().map(|x| x.path.as_path()),
    );
    push(
        "ground_failure",
        f.ground_failure.as_ref().and_then(|x| x.path.as_deref()),
    );
    push("inventory", f.inventory.as_ref().map(|x| x.path.as_path()));
    push(
        "mapped_extent",
        f.mapped_extent.as_ref().map(|x| x.path.as_path()),
    );
    push(
        "study_area",
        f.study_area.as_ref().map(|x| x.path.as_path()),
    );
    for (i, a) in project.file.acquisitions.iter().enumerate() {
        for (name, r) in [
            ("pre_event", Some(&a.pre_event)),
            ("co_event", Some(&a.co_event)),
            ("post_event", a.post_event.as_ref()),
            ("sibling", a.sibling.as_ref()),
        ] {
            if let Some(r) = r {
                out.push((
                    format!("acquisition {} {name}", i + 1),
                    project.resolve(&r.path),
                ));
            }
        }
    }
    out
}

/// Size and SHA-256 of every input of `project`.
pub fn project_digests(project: &Project) -> Result<Vec<FileDigest>, RapidError> {
    project_inputs(project)
        .into_iter()
        .map(|(role, path)| {
            let (size_bytes, sha256) = sha256_file(&path)?;
            Ok(FileDigest {
                role,
                path,
                size_bytes,
                sha256,
            })
        })
        .collect()
}

/// One SHA-256 over an event's input digests (roles and file hashes, not paths): the same
/// data moved to another folder keeps its hash.
pub fn event_hash(digests: &[FileDigest]) -> String {
    let mut h = Sha256::new();
    for d in digests {
        h.update(d.role.as_bytes());
        h.update([0]);
        h.update(d.sha256.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_after_hashing_is_hashed_again() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, b"abc").unwrap();
        let first = sha256_file(&p).unwrap();
        assert_eq!(first.0, 3);
        assert_eq!(
            sha256_file(&p).unwrap(),
            first,
            "memo gives the same digest"
        );
        std::fs::write(&p, b"abcd").unwrap();
        let second = sha256_file(&p).unwrap();
        assert_eq!(second.0, 4);
        assert_ne!(second.1, first.1);
    }

    #[test]
    fn a_missing_file_names_the_path() {
        let e = sha256_file(Path::new("/nonexistent/x.tif"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("/nonexistent/x.tif"), "{e}");
    }
}
