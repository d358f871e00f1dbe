//! Progress bars on stderr and Ctrl-C → cancel flag.

use indicatif::{ProgressBar, ProgressStyle};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

static CANCEL: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// The process-wide cancel flag, set by Ctrl-C (installed once).
pub fn cancel_flag() -> Arc<AtomicBool> {
    CANCEL
        .get_or_init(|| {
            let flag = Arc::new(AtomicBool::new(false));
            let f = flag.clone();
            // If a handler cannot be installed (already set), Ctrl-C simply kills the process.
            let _ = ctrlc::set_handler(move || {
                eprintln!("\nstopping after the current step (Ctrl-C again to abort)…");
                if f.swap(true, Ordering::SeqCst) {
                    std::process::exit(130);
                }
            });
            flag
        })
        .clone()
}

/// True once Ctrl-C was pressed (the process then exits with code 130).
pub fn was_cancelled() -> bool {
    CANCEL.get().is_some_and(|f| f.load(Ordering::SeqCst))
}

/// A bar from 0 to 1000 showing the stage text.
pub fn bar(title: &str) -> ProgressBar {
    let pb = ProgressBar::new(1000);
    let style = ProgressStyle::with_template("{prefix:>12} [{bar:30}] {percent:>3}% {msg}")
        .map(|s| s.progress_chars("=> "));
    if let Ok(s) = style {
        pb.set_style(s);
    }
    pb.set_prefix(title.to_string());
    pb
}

/// A progress callback (stage, fraction 0..1) driving `pb`.
pub fn callback(pb: &ProgressBar) -> impl Fn(&str, f64) + Sync + '_ {
    move |stage: &str, f: f64| {
        pb.set_position((f.clamp(0.0, 1.0) * 1000.0) as u64);
        pb.set_message(stage.to_string());
    }
}

/// Print a line above the bar, or to stderr when the bar is hidden (not a terminal).
pub fn say(pb: &ProgressBar, line: String) {
    if pb.is_hidden() {
        eprintln!("{line}");
    } else {
        pb.println(line);
    }
}
