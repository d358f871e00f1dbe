//! One job handle per worker thread: a named thread, a bounded crossbeam channel of
//! [`JobEvent`]s and a cancel flag. `Drop` cancels; the UI thread only drains.

use crossbeam_channel::{bounded, Receiver, Sender};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a worker reports: progress, partial results, the final result or a failure.
#[derive(Debug)]
pub enum JobEvent<P, D> {
    /// Stage name and fraction done in 0..=1.
    Progress(String, f64),
    /// A piece of the result that can be shown before the job ends (e.g. one layer).
    Partial(P),
    /// The job finished.
    Done(D),
    /// The job failed; the message names the file or step.
    Failed(String),
}

/// The worker side: sends events and tells whether the job was cancelled.
pub struct Worker<P, D> {
    tx: Sender<JobEvent<P, D>>,
    cancel: Arc<AtomicBool>,
    ctx: egui::Context,
}

impl<P, D> Worker<P, D> {
    /// Send an event and wake the UI; a closed UI is ignored, never a panic.
    pub fn send(&self, event: JobEvent<P, D>) {
        self.tx.send(event).ok();
        self.ctx.request_repaint();
    }

    /// Report progress.
    pub fn progress(&self, stage: &str, fraction: f64) {
        self.send(JobEvent::Progress(stage.to_string(), fraction));
    }

    /// Report progress without waiting: dropped when the channel is full (the UI lags), for
    /// workers that report often (partial results and the end are never dropped).
    pub fn try_progress(&self, stage: &str, fraction: f64) {
        self.tx
            .try_send(JobEvent::Progress(stage.to_string(), fraction))
            .ok();
        self.ctx.request_repaint();
    }

    /// Send a partial result.
    pub fn partial(&self, p: P) {
        self.send(JobEvent::Partial(p));
    }

    /// The cancellation flag, for core calls taking `&AtomicBool`.
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }

    /// True once the UI cancelled (or dropped) the job.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// The UI side of one worker thread.
pub struct JobHandle<P, D> {
    /// Human-readable name, shown next to the progress bar.
    pub name: String,
    rx: Receiver<JobEvent<P, D>>,
    cancel: Arc<AtomicBool>,
    /// Last progress stage and fraction.
    pub progress: (String, f64),
    /// True once `Done` or `Failed` arrived (or the thread could not start).
    pub finished: bool,
    /// When the job started.
    pub started: Instant,
}

impl<P: Send + 'static, D: Send + 'static> JobHandle<P, D> {
    /// Start `work` on a named thread; its `Ok` becomes `Done`, its `Err` becomes `Failed`.
    pub fn spawn(
        name: &str,
        ctx: &egui::Context,
        work: impl FnOnce(&Worker<P, D>) -> Result<D, String> + Send + 'static,
    ) -> Self {
        let (tx, rx) = bounded(64);
        let cancel = Arc::new(AtomicBool::new(false));
        let worker = Worker {
            tx: tx.clone(),
            cancel: cancel.clone(),
            ctx: ctx.clone(),
        };
        let spawned = std::thread::Builder::new()
            .name(format!("slidemap-{name}"))
            .spawn(move || {
                let result = work(&worker);
                match result {
                    Ok(d) => worker.send(JobEvent::Done(d)),
                    Err(e) => worker.send(JobEvent::Failed(e)),
                }
            });
        if let Err(e) = spawned {
            tx.send(JobEvent::Failed(format!(
                "could not start a worker thread: {e}"
            )))
            .ok();
        }
        Self {
            name: name.to_string(),
            rx,
            cancel,
            progress: (String::from("starting"), 0.0),
            finished: false,
            started: Instant::now(),
        }
    }
}

impl<P, D> JobHandle<P, D> {
    /// Drain events for at most `budget`; progress updates are absorbed into `self.progress`.
    pub fn drain(&mut self, budget: Duration) -> Vec<JobEvent<P, D>> {
        let start = Instant::now();
        let mut out = Vec::new();
        for ev in self.rx.try_iter() {
            match ev {
                JobEvent::Progress(stage, f) => self.progress = (stage, f),
                JobEvent::Done(_) | JobEvent::Failed(_) => {
                    self.finished = true;
                    out.push(ev);
                }
                other => out.push(other),
            }
            if start.elapsed() > budget {
                break;
            }
        }
        out
    }

    /// Ask the worker to stop at its next check.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// True once cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Remaining time from the rate so far (after 2 % progress).
    pub fn eta(&self) -> Option<Duration> {
        let f = self.progress.1;
        (f > 0.02 && f < 1.0).then(|| self.started.elapsed().mul_f64((1.0 - f) / f))
    }
}

impl<P, D> Drop for JobHandle<P, D> {
    fn drop(&mut self) {
        self.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_reports_partials_then_done() {
        let ctx = egui::Context::default();
        let mut job: JobHandle<u32, &'static str> = JobHandle::spawn("t", &ctx, |w| {
            w.partial(1);
            w.partial(2);
            Ok("ok")
        });
        let mut got = Vec::new();
        for _ in 0..200 {
            got.extend(job.drain(Duration::from_millis(5)));
            if job.finished {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(job.finished);
        assert!(matches!(got.last(), Some(JobEvent::Done("ok"))));
    }
}
