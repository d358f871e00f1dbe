//! GDAL's own messages routed through SlideMap's logging (stderr lines prefixed `GDAL`)
//! instead of reaching the terminal raw.
//!
//! Contract, once [`install_gdal_log`] ran (the CLI and the GUI call it at start):
//! - Harmless messages (e.g. a GeoPackage from a newer GDAL: "user_version … may only be
//!   partially supported") and GDAL debug output are kept at debug level: printed only when
//!   the environment variable `SLIDEMAP_LOG=debug` is set.
//! - A warning is printed the first time its text (digits ignored, so "Ring
//!   Self-intersection at or near point 12 34" repeats count as one) appears; repeats are
//!   only counted, and [`gdal_log_summary`] returns one line per repeated warning
//!   ("repeated N times").
//! - Errors are printed once per text too, and name the file being read when a reader has
//!   announced it with [`reading`] (the file-opening helpers of this module do). The same
//!   error also reaches the caller as a [`super::GisError`] naming the file.

use gdal::errors::CplErrType;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

/// Messages that are not worth a user's attention (substring match).
const HARMLESS: &[&str] = &[
    "may only be partially supported",
    "user_version",
    "application_id",
];

static INSTALL: Once = Once::new();
static SEEN: Mutex<BTreeMap<String, (String, usize)>> = Mutex::new(BTreeMap::new());

thread_local! {
    static CURRENT_FILE: RefCell<Vec<PathBuf>> = const { RefCell::new(Vec::new()) };
    /// GDAL failures on this thread since the last [`take_thread_errors`].
    static THREAD_ERRORS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// GDAL failure messages raised on this thread since the previous call (empty when the
/// handler is not installed), oldest first, without repeats.
pub(crate) fn take_thread_errors() -> Vec<String> {
    THREAD_ERRORS.with(|e| std::mem::take(&mut *e.borrow_mut()))
}

/// While alive, GDAL messages on this thread are attributed to `path`.
#[derive(Debug)]
pub struct ReadingGuard(());

impl Drop for ReadingGuard {
    fn drop(&mut self) {
        CURRENT_FILE.with(|f| {
            f.borrow_mut().pop();
        });
    }
}

/// Attribute GDAL messages on this thread to `path` until the guard drops.
pub fn reading(path: &Path) -> ReadingGuard {
    CURRENT_FILE.with(|f| f.borrow_mut().push(path.to_path_buf()));
    ReadingGuard(())
}

fn current_file() -> Option<PathBuf> {
    CURRENT_FILE.with(|f| f.borrow().last().cloned())
}

fn debug_enabled() -> bool {
    std::env::var("SLIDEMAP_LOG").is_ok_and(|v| v.eq_ignore_ascii_case("debug"))
}

/// The message with digit runs replaced by `#`, so repeats at other coordinates group.
fn message_key(msg: &str) -> String {
    let mut key = String::with_capacity(msg.len());
    let mut in_digits = false;
    for ch in msg.chars() {
        if ch.is_ascii_digit() || (in_digits && (ch == '.' || ch == '-' || ch == 'e')) {
            if !in_digits {
                key.push('#');
            }
            in_digits = true;
        } else {
            in_digits = false;
            key.push(ch);
        }
    }
    key
}

/// What to do with one message: `None` = keep quiet, `Some(line)` = print it.
fn route(class: CplErrType, msg: &str) -> Option<String> {
    let msg = msg.trim();
    let debug = matches!(class, CplErrType::Debug | CplErrType::None)
        || HARMLESS.iter().any(|h| msg.contains(h));
    if debug {
        return debug_enabled().then(|| format!("GDAL debug: {msg}"));
    }
    let label = if matches!(class, CplErrType::Warning) {
        "warning"
    } else {
        THREAD_ERRORS.with(|e| {
            let mut e = e.borrow_mut();
            if !e.iter().any(|m| m == msg) && e.len() < 16 {
                e.push(msg.to_string());
            }
        });
        "error"
    };
    let file = current_file()
        .map(|p| format!(" ({})", p.display()))
        .unwrap_or_default();
    let line = format!("GDAL {label}{file}: {msg}");
    let key = format!("{label}{file}: {}", message_key(msg));
    let mut seen = SEEN.lock().unwrap_or_else(|p| p.into_inner());
    let entry = seen.entry(key).or_insert_with(|| (line.clone(), 0));
    entry.1 += 1;
    (entry.1 == 1).then_some(line)
}

/// Route GDAL's messages through SlideMap (see the module contract). Idempotent.
pub fn install_gdal_log() {
    INSTALL.call_once(|| {
        gdal::config::set_error_handler(|class, _num, msg| {
            if let Some(line) = route(class, msg) {
                eprintln!("{line}");
            }
        });
    });
}

/// One line per GDAL message that repeated ("… (repeated N times)"), for the end of a run.
pub fn gdal_log_summary() -> Vec<String> {
    let seen = SEEN.lock().unwrap_or_else(|p| p.into_inner());
    seen.values()
        .filter(|(_, n)| *n > 1)
        .map(|(line, n)| format!("{line} (repeated {n} times in all)"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_warnings_print_once_and_are_counted() {
        let w = |m: &str| route(CplErrType::Warning, m);
        assert!(w("Ring Self-intersection at or near point 501.5 3099").is_some());
        assert!(w("Ring Self-intersection at or near point 502.5 3100").is_none());
        assert!(gdal_log_summary()
            .iter()
            .any(|l| l.contains("Self-intersection") && l.contains("repeated 2 times")));
    }

    #[test]
    fn harmless_messages_stay_quiet_and_errors_name_the_file() {
        assert!(route(
            CplErrType::Warning,
            "GPKG: unrecognized user_version=0x000285A4 (165284) on 'x.gpkg'; may only be partially supported"
        )
        .is_none());
        let _g = reading(Path::new("/data/dem.tif"));
        let line = route(CplErrType::Failure, "IReadBlock failed at X offset 0").unwrap();
        assert!(
            line.contains("/data/dem.tif") && line.contains("IReadBlock"),
            "{line}"
        );
    }
}
