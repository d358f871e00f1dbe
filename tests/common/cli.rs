//! Running the real `slidemap` binary (ripgrep's `tests/util.rs` is the model): a [`Dir`]
//! owns a temporary folder and builds commands that run in it; a [`Run`] is what one
//! returned, with assertions that print the whole stderr when they fail.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A temporary folder to run `slidemap` in (removed on drop).
pub struct Dir {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Dir {
    /// A fresh, empty folder.
    pub fn new() -> Dir {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        Dir { _tmp: tmp, root }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// `name` inside the folder.
    pub fn join(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Write `contents` to `name` inside the folder.
    pub fn create(&self, name: &str, contents: &str) -> PathBuf {
        let p = self.join(name);
        std::fs::write(&p, contents).unwrap();
        p
    }

    /// Run `slidemap args…` in the folder (GDAL/SlideMap log lines off) and wait for it.
    pub fn slidemap<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<_> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
        let out = Command::new(env!("CARGO_BIN_EXE_slidemap"))
            .args(&args)
            .current_dir(&self.root)
            .env("SLIDEMAP_LOG", "")
            .output()
            .unwrap();
        Run {
            args: args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// One finished run of the binary.
pub struct Run {
    /// The arguments (for failure messages).
    pub args: Vec<String>,
    /// Exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Expect exit 0; returns the run for further checks.
    pub fn success(self) -> Run {
        assert_eq!(
            self.code,
            Some(0),
            "slidemap {:?} failed:\n{}",
            self.args,
            self.stderr
        );
        self
    }

    /// Expect exit `code` and every needle in stderr.
    pub fn fails_with(self, code: i32, needles: &[&str]) -> Run {
        assert_eq!(
            self.code,
            Some(code),
            "slidemap {:?}: expected exit {code}:\n{}",
            self.args,
            self.stderr
        );
        for n in needles {
            assert!(
                self.stderr.contains(n),
                "slidemap {:?}: stderr lacks {n:?}:\n{}",
                self.args,
                self.stderr
            );
        }
        self
    }
}
