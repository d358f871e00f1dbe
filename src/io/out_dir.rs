//! An output folder written all at once: everything goes into a fresh temporary sibling
//! (`.<name>.tmp-<pid>`) which [`OutDir::commit`] renames into place, so a crash, a kill or
//! a cancel never leaves a half-written `--out` folder.
//!
//! Contract:
//! - [`OutDir::prepare`] refuses an `--out` that is a file ([`OutDirError::NotAFolder`]) and
//!   a non-empty existing folder unless `overwrite` ([`OutDirError::NotEmpty`], whose message
//!   names the folder and `--overwrite`). It removes stale temporary siblings left by dead
//!   processes (`.<name>.tmp-<pid>` whose pid no longer runs; Linux `/proc`; elsewhere stale
//!   folders are left alone) and creates a fresh, empty temporary folder.
//! - The caller writes every file under [`OutDir::path`] (the temporary folder).
//! - [`OutDir::commit`] renames the temporary folder to the final path; with `overwrite` an
//!   existing folder is replaced whole (moved aside, the new one renamed in, the old one
//!   removed). Nothing of an older run survives beside the new files.
//! - Dropping an `OutDir` without committing removes the temporary folder (error, cancel).
//! - [`OutDir::prepare_for`] also refuses an `out` holding one of the command's inputs, and
//!   both refuse the current folder (or a parent of it): `--overwrite` never deletes inputs
//!   or the folder the command runs in.
//!
//! Usage (the same for every verb that writes a folder):
//! ```no_run
//! # fn main() -> Result<(), slidemap::io::OutDirError> {
//! use slidemap::io::OutDir;
//! let out = OutDir::prepare(std::path::Path::new("results"), false)?;
//! std::fs::write(out.path().join("metrics.csv"), "a,b\n").ok();
//! let final_path = out.commit()?; // "results", complete
//! # let _ = final_path; Ok(()) }
//! ```

use std::path::{Path, PathBuf};

/// Why an output folder cannot be used or finished.
#[derive(Debug, thiserror::Error)]
pub enum OutDirError {
    /// `--out` exists and is not a folder.
    #[error("{path}: --out must be a folder, but this is an existing file; choose another path")]
    NotAFolder {
        /// the path given
        path: PathBuf,
    },
    /// `--out` holds files and overwriting was not asked for.
    #[error("{path}: the output folder is not empty ({entries} entries); pass --overwrite to replace it whole, or choose a new folder")]
    NotEmpty {
        /// the folder
        path: PathBuf,
        /// entries found in it
        entries: usize,
    },
    /// `--out` is the current folder or one of its parents: replacing it whole would
    /// delete the place the command runs in.
    #[error("{path}: --out is the current folder or one of its parents; write into a new sub-folder instead")]
    ContainsWorkingDir {
        /// the folder
        path: PathBuf,
    },
    /// `--out` holds one of the command's inputs, which `--overwrite` would delete.
    #[error("{path}: --out holds the input {input}; replacing the folder would delete it: choose an output folder that holds no input")]
    HoldsInput {
        /// the folder
        path: PathBuf,
        /// the input inside it
        input: PathBuf,
    },
    /// A file-system operation failed.
    #[error("{path}: {what}: {source}")]
    Io {
        /// the path concerned
        path: PathBuf,
        /// the operation
        what: &'static str,
        /// the OS error
        source: std::io::Error,
    },
}

fn io_err<'a>(
    path: &'a Path,
    what: &'static str,
) -> impl FnOnce(std::io::Error) -> OutDirError + 'a {
    move |source| OutDirError::Io {
        path: path.to_path_buf(),
        what,
        source,
    }
}

/// A temporary folder next to the final output folder, renamed into place on commit.
#[derive(Debug)]
pub struct OutDir {
    final_path: PathBuf,
    temp_path: PathBuf,
    overwrite: bool,
    committed: bool,
}

impl OutDir {
    /// Check `out` (see the module contract), clean stale temporary siblings of dead
    /// processes and create a fresh temporary folder to write into.
    pub fn prepare(out: &Path, overwrite: bool) -> Result<OutDir, OutDirError> {
        if let (Ok(abs), Ok(cwd)) = (std::fs::canonicalize(out), std::env::current_dir()) {
            if cwd.starts_with(&abs) {
                return Err(OutDirError::ContainsWorkingDir {
                    path: out.to_path_buf(),
                });
            }
        }
        check_target(out, overwrite)?;
        let parent = parent_of(out);
        std::fs::create_dir_all(&parent).map_err(io_err(&parent, "creating the parent folder"))?;
        remove_stale_siblings(out);
        let temp_path = temp_name(out, std::process::id());
        if temp_path.exists() {
            std::fs::remove_dir_all(&temp_path)
                .map_err(io_err(&temp_path, "removing an old temporary folder"))?;
        }
        std::fs::create_dir(&temp_path)
            .map_err(io_err(&temp_path, "creating the temporary output folder"))?;
        Ok(OutDir {
            final_path: out.to_path_buf(),
            temp_path,
            overwrite,
            committed: false,
        })
    }

    /// [`OutDir::prepare`], refusing also an `out` that holds any of `inputs` (a project
    /// file, a DEM): with `overwrite` the old folder, inputs included, would be replaced.
    pub fn prepare_for(
        out: &Path,
        overwrite: bool,
        inputs: &[&Path],
    ) -> Result<OutDir, OutDirError> {
        if let Ok(abs) = std::fs::canonicalize(out) {
            for input in inputs {
                if let Ok(inp) = std::fs::canonicalize(input) {
                    if inp.starts_with(&abs) {
                        return Err(OutDirError::HoldsInput {
                            path: out.to_path_buf(),
                            input: input.to_path_buf(),
                        });
                    }
                }
            }
        }
        Self::prepare(out, overwrite)
    }

    /// The folder to write into (temporary until [`OutDir::commit`]).
    pub fn path(&self) -> &Path {
        &self.temp_path
    }

    /// The folder the outputs will have after [`OutDir::commit`].
    pub fn final_path(&self) -> &Path {
        &self.final_path
    }

    /// Map a path under [`OutDir::path`] to where it will be after the commit (for messages).
    pub fn final_of(&self, written: &Path) -> PathBuf {
        written
            .strip_prefix(&self.temp_path)
            .map(|rel| self.final_path.join(rel))
            .unwrap_or_else(|_| written.to_path_buf())
    }

    /// Move the finished folder into place (replacing an existing one when `overwrite`);
    /// returns the final path.
    pub fn commit(mut self) -> Result<PathBuf, OutDirError> {
        let out = self.final_path.clone();
        // Checked again: another process may have written there meanwhile.
        check_target(&out, self.overwrite)?;
        fsync_dir(&self.temp_path);
        let old = if out.is_dir() {
            let aside =
                parent_of(&out).join(format!(".{}.old-{}", base_name(&out), std::process::id()));
            std::fs::rename(&out, &aside).map_err(io_err(&out, "moving the old folder aside"))?;
            Some(aside)
        } else {
            None
        };
        if let Err(e) = std::fs::rename(&self.temp_path, &out) {
            if let Some(aside) = &old {
                let _ = std::fs::rename(aside, &out);
            }
            return Err(io_err(
                &out,
                "renaming the finished output folder into place",
            )(e));
        }
        self.committed = true;
        if let Some(aside) = old {
            let _ = std::fs::remove_dir_all(aside);
        }
        fsync_dir(&parent_of(&out));
        Ok(out)
    }
}

impl Drop for OutDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.temp_path);
        }
    }
}

/// Refuse a file, and a non-empty folder unless `overwrite`.
fn check_target(out: &Path, overwrite: bool) -> Result<(), OutDirError> {
    match std::fs::metadata(out) {
        Ok(m) if !m.is_dir() => Err(OutDirError::NotAFolder {
            path: out.to_path_buf(),
        }),
        Ok(_) if !overwrite => {
            let entries = std::fs::read_dir(out)
                .map_err(io_err(out, "listing the output folder"))?
                .count();
            if entries > 0 {
                Err(OutDirError::NotEmpty {
                    path: out.to_path_buf(),
                    entries,
                })
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

fn parent_of(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn base_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into())
}

/// `.<name>.tmp-<pid>` next to `out`.
fn temp_name(out: &Path, pid: u32) -> PathBuf {
    parent_of(out).join(format!(".{}.tmp-{pid}", base_name(out)))
}

/// True when no process `pid` runs (Linux `/proc`); false (keep) when it cannot be told.
fn pid_is_dead(pid: u32) -> bool {
    let proc = Path::new("/proc");
    proc.join("self").exists() && !proc.join(pid.to_string()).exists()
}

/// Remove `.<name>.tmp-<pid>` and `.<name>.old-<pid>` siblings of `out` whose process is
/// gone; returns how many were removed.
pub fn remove_stale_siblings(out: &Path) -> usize {
    let name = base_name(out);
    let Ok(entries) = std::fs::read_dir(parent_of(out)) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let file_name = e.file_name().to_string_lossy().to_string();
        let pid = [".tmp-", ".old-"].iter().find_map(|tag| {
            file_name
                .strip_prefix(&format!(".{name}{tag}"))
                .and_then(|p| p.parse::<u32>().ok())
        });
        if let Some(pid) = pid {
            if pid != std::process::id()
                && pid_is_dead(pid)
                && std::fs::remove_dir_all(e.path()).is_ok()
            {
                removed += 1;
            }
        }
    }
    removed
}

/// Best-effort directory fsync (not supported everywhere).
fn fsync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_committed_folder_appears_whole_and_no_temp_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        let o = OutDir::prepare(&out, false).unwrap();
        std::fs::write(o.path().join("a.csv"), "x").unwrap();
        assert!(!out.exists());
        assert_eq!(o.final_of(&o.path().join("a.csv")), out.join("a.csv"));
        assert_eq!(o.commit().unwrap(), out);
        assert!(out.join("a.csv").is_file());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_dropped_folder_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let o = OutDir::prepare(&dir.path().join("run"), false).unwrap();
        std::fs::write(o.path().join("a.csv"), "x").unwrap();
        drop(o);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_non_empty_folder_needs_overwrite_which_replaces_it_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("stale.tif"), "old").unwrap();
        let e = OutDir::prepare(&out, false).unwrap_err().to_string();
        assert!(e.contains("run") && e.contains("--overwrite"), "{e}");
        let o = OutDir::prepare(&out, true).unwrap();
        std::fs::write(o.path().join("new.csv"), "x").unwrap();
        o.commit().unwrap();
        assert!(out.join("new.csv").is_file());
        assert!(!out.join("stale.tif").exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_empty_existing_folder_is_fine_and_a_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        std::fs::create_dir(&out).unwrap();
        OutDir::prepare(&out, false).unwrap().commit().unwrap();
        let file = dir.path().join("f.txt");
        std::fs::write(&file, "x").unwrap();
        let e = OutDir::prepare(&file, true).unwrap_err().to_string();
        assert!(e.contains("f.txt") && e.contains("file"), "{e}");
    }

    #[test]
    fn a_folder_holding_an_input_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("ev");
        std::fs::create_dir(&out).unwrap();
        let project = out.join("project.toml");
        std::fs::write(&project, "x").unwrap();
        let e = OutDir::prepare_for(&out, true, &[&project]).unwrap_err();
        assert!(e.to_string().contains("project.toml"), "{e}");
        assert!(project.exists());
    }

    #[test]
    fn the_current_folder_is_never_replaced() {
        let e = OutDir::prepare(Path::new("."), true).unwrap_err();
        assert!(matches!(e, OutDirError::ContainsWorkingDir { .. }), "{e}");
    }

    #[test]
    fn stale_temp_folders_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        // pid 4194304 is above Linux's pid_max limit: never a live process.
        let stale = temp_name(&out, 4_194_304);
        std::fs::create_dir(&stale).unwrap();
        std::fs::write(stale.join(".variance_step0.tmp-1.tif"), "").unwrap();
        let other = dir.path().join(".other.tmp-4194304");
        std::fs::create_dir(&other).unwrap();
        let o = OutDir::prepare(&out, false).unwrap();
        if Path::new("/proc/self").exists() {
            assert!(!stale.exists());
        }
        assert!(other.exists(), "only siblings of this --out are touched");
        o.commit().unwrap();
    }
}
