//! Atomic file replacement: write a temporary sibling, fsync it, rename it over the target,
//! fsync the directory. A crash leaves either the old file or the new one, never half a file.

use super::GisError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A temporary path next to `target` (same directory, so the rename is atomic), keeping the
/// extension so GDAL picks the right driver.
pub fn temp_sibling(target: &Path) -> PathBuf {
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into());
    let ext = target
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let stem = name.strip_suffix(&ext).unwrap_or(&name).to_string();
    dir.join(format!(".{stem}.tmp-{}{ext}", std::process::id()))
}

/// fsync `tmp`, rename it to `target`, fsync the directory.
pub fn finish_atomic(tmp: &Path, target: &Path) -> Result<(), GisError> {
    let io = |e| GisError::Io {
        path: target.to_path_buf(),
        source: e,
    };
    std::fs::File::open(tmp)
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    std::fs::rename(tmp, target).map_err(io)?;
    if let Some(dir) = target.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        // Directory fsync is best effort (not supported on every filesystem).
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Run `write` on a temporary sibling of `target`, then move it over `target` atomically.
/// On failure the temporary file is removed and a GDAL error names `target` (not the
/// temporary path), so the user sees which file could not be written.
pub fn write_atomically(
    target: &Path,
    write: impl FnOnce(&Path) -> Result<(), GisError>,
) -> Result<(), GisError> {
    let tmp = temp_sibling(target);
    if let Err(e) = write(&tmp) {
        let _ = std::fs::remove_file(&tmp);
        return Err(match e {
            GisError::Gdal { what, source, .. } => GisError::Gdal {
                path: target.to_path_buf(),
                what,
                source,
            },
            other => other,
        });
    }
    finish_atomic(&tmp, target)
}

/// Write `bytes` to `target` atomically.
pub fn atomic_write_bytes(target: &Path, bytes: &[u8]) -> Result<(), GisError> {
    let tmp = temp_sibling(target);
    let io = |e| GisError::Io {
        path: target.to_path_buf(),
        source: e,
    };
    {
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        f.sync_all().map_err(io)?;
    }
    finish_atomic(&tmp, target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.toml");
        std::fs::write(&p, "old").unwrap();
        atomic_write_bytes(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn temp_sibling_keeps_the_extension() {
        let t = temp_sibling(Path::new("/x/y/lad.tif"));
        assert!(t.to_string_lossy().ends_with(".tif"));
        assert_eq!(t.parent(), Some(Path::new("/x/y")));
    }
}
