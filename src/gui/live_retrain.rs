//! Live same-event retraining: when the mapper edits the training polygons, wait until the
//! edits pause (debounce), cancel the stale job and retrain with the quick setting, so maps
//! and plots follow the drawing within seconds.

use std::time::{Duration, Instant};

/// Pause after the last polygon edit before retraining.
pub const DEBOUNCE: Duration = Duration::from_millis(800);

/// Debounce state of live retraining.
#[derive(Debug, Default)]
pub struct LiveRetrain {
    /// (event path, drawing revision) last seen.
    seen: Option<(std::path::PathBuf, u64)>,
    /// When the retraining is due.
    due: Option<Instant>,
}

/// What the app should do this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveAction {
    /// Nothing.
    Idle,
    /// The drawing changed: cancel the running (now stale) job; retrain after the pause.
    CancelStale,
    /// Wait this long, then ask again (request a repaint after it).
    Wait(Duration),
    /// Start the quick retraining now.
    Train,
}

impl LiveRetrain {
    /// Look at the drawing revision of the current event; `enabled` when live retraining is
    /// on for a polygon experiment and the event has features and polygons.
    pub fn tick(
        &mut self,
        event: &std::path::Path,
        revision: u64,
        enabled: bool,
        now: Instant,
    ) -> LiveAction {
        let key = (event.to_path_buf(), revision);
        let changed = match &self.seen {
            Some(seen) => *seen != key,
            None => false,
        };
        let switched_event = self.seen.as_ref().is_some_and(|s| s.0 != key.0);
        self.seen = Some(key);
        if !enabled || switched_event {
            self.due = None;
            return LiveAction::Idle;
        }
        if changed {
            self.due = Some(now + DEBOUNCE);
            return LiveAction::CancelStale;
        }
        match self.due {
            Some(t) if now >= t => {
                self.due = None;
                LiveAction::Train
            }
            Some(t) => LiveAction::Wait(t - now),
            None => LiveAction::Idle,
        }
    }

    /// True while a retraining is scheduled.
    pub fn pending(&self) -> bool {
        self.due.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn edits_are_debounced_and_the_stale_job_cancelled() {
        let mut l = LiveRetrain::default();
        let t0 = Instant::now();
        let p = Path::new("a.toml");
        assert_eq!(l.tick(p, 1, true, t0), LiveAction::Idle);
        assert_eq!(l.tick(p, 2, true, t0), LiveAction::CancelStale);
        assert!(matches!(
            l.tick(p, 2, true, t0 + Duration::from_millis(100)),
            LiveAction::Wait(_)
        ));
        assert_eq!(
            l.tick(p, 3, true, t0 + Duration::from_millis(500)),
            LiveAction::CancelStale
        );
        assert!(matches!(
            l.tick(p, 3, true, t0 + Duration::from_millis(1000)),
            LiveAction::Wait(_)
        ));
        assert_eq!(
            l.tick(p, 3, true, t0 + Duration::from_millis(1400)),
            LiveAction::Train
        );
        assert_eq!(
            l.tick(p, 3, true, t0 + Duration::from_millis(2000)),
            LiveAction::Idle
        );
    }

    #[test]
    fn switching_events_or_turning_it_off_does_not_train() {
        let mut l = LiveRetrain::default();
        let t0 = Instant::now();
        l.tick(Path::new("a"), 1, true, t0);
        assert_eq!(l.tick(Path::new("b"), 5, true, t0), LiveAction::Idle);
        assert_eq!(l.tick(Path::new("b"), 6, false, t0), LiveAction::Idle);
        assert!(!l.pending());
    }
}
