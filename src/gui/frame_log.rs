//! `--frame-log FILE`: per-frame timings as CSV, plus the scripted pan/zoom used to
//! measure them (`--scripted-pan-zoom`).
//!
//! Columns: `frame, t_s, interval_ms` (wall time since the previous frame) and `cpu_ms`
//! (eframe's `cpu_usage`: UI code + tessellation + rendering, excluding vsync waits).
//! A `# summary` line gives start-up times and p50/p95 of both.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;
use walkers::{lon_lat, MapMemory};

/// Frames of the scripted pan/zoom.
pub const SCRIPT_FRAMES: usize = 600;

/// Collected frame timings.
pub struct FrameLog {
    path: PathBuf,
    start: Instant,
    last: Option<Instant>,
    rows: Vec<(f64, f64, f64)>,
    /// Time from `run()` to the first frame, ms.
    pub first_frame_ms: Option<f64>,
    /// Time from `run()` to the first event with a visible layer drawn, ms.
    pub interactive_ms: Option<f64>,
    /// Record only frames of the scripted run (after layers are ready).
    pub recording: bool,
}

impl FrameLog {
    /// A log written to `path`; `start` is when the app was launched.
    pub fn new(path: PathBuf, start: Instant) -> Self {
        Self {
            path,
            start,
            last: None,
            rows: Vec::new(),
            first_frame_ms: None,
            interactive_ms: None,
            recording: true,
        }
    }

    /// Record one frame; `cpu_s` is the previous frame's cpu usage.
    pub fn record(&mut self, cpu_s: Option<f32>) {
        let now = Instant::now();
        if self.first_frame_ms.is_none() {
            self.first_frame_ms = Some(now.duration_since(self.start).as_secs_f64() * 1e3);
        }
        if let (Some(last), true) = (self.last, self.recording) {
            self.rows.push((
                now.duration_since(self.start).as_secs_f64(),
                now.duration_since(last).as_secs_f64() * 1e3,
                cpu_s.map(|c| c as f64 * 1e3).unwrap_or(f64::NAN),
            ));
        }
        self.last = Some(now);
    }

    /// Mark the app interactive (first layers drawn).
    pub fn mark_interactive(&mut self) {
        if self.interactive_ms.is_none() {
            self.interactive_ms = Some(self.start.elapsed().as_secs_f64() * 1e3);
        }
    }

    /// The summary line.
    pub fn summary(&self) -> String {
        let col = |i: usize| -> Vec<f64> {
            let mut v: Vec<f64> = self
                .rows
                .iter()
                .map(|r| [r.0, r.1, r.2][i])
                .filter(|x| x.is_finite())
                .collect();
            v.sort_by(|a, b| a.total_cmp(b));
            v
        };
        let q = |v: &[f64], p: f64| {
            if v.is_empty() {
                f64::NAN
            } else {
                v[((v.len() - 1) as f64 * p).round() as usize]
            }
        };
        let (iv, cpu) = (col(1), col(2));
        format!(
            "frames={} first_frame_ms={:.0} interactive_ms={:.0} interval_p50_ms={:.2} interval_p95_ms={:.2} cpu_p50_ms={:.2} cpu_p95_ms={:.2}",
            self.rows.len(),
            self.first_frame_ms.unwrap_or(f64::NAN),
            self.interactive_ms.unwrap_or(f64::NAN),
            q(&iv, 0.5),
            q(&iv, 0.95),
            q(&cpu, 0.5),
            q(&cpu, 0.95)
        )
    }

    /// Write the CSV (atomically).
    pub fn write(&self) -> Result<String, String> {
        let summary = self.summary();
        let mut s = format!("# summary {summary}\nframe,t_s,interval_ms,cpu_ms\n");
        for (i, (t, dt, cpu)) in self.rows.iter().enumerate() {
            let _ = writeln!(s, "{i},{t:.4},{dt:.3},{cpu:.3}");
        }
        crate::io::atomic_write_bytes(&self.path, s.as_bytes()).map_err(|e| format!("{e:#}"))?;
        Ok(summary)
    }
}

/// A deterministic pan/zoom sequence around a centre.
pub struct PanZoomScript {
    /// Frames done.
    pub frame: usize,
}

impl PanZoomScript {
    /// Move the map for the next frame; returns false when the script is over.
    /// `centre` is (lon, lat), `span_deg` the extent width to pan across.
    pub fn step(
        &mut self,
        memory: &mut MapMemory,
        centre: [f64; 2],
        span_deg: f64,
        base_zoom: f64,
    ) -> bool {
        if self.frame >= SCRIPT_FRAMES {
            return false;
        }
        let t = self.frame as f64 / SCRIPT_FRAMES as f64 * std::f64::consts::TAU;
        let r = span_deg * 0.25;
        memory.center_at(lon_lat(
            centre[0] + r * t.sin(),
            centre[1] + 0.6 * r * (2.0 * t).sin(),
        ));
        memory
            .set_zoom((base_zoom + 1.5 * (3.0 * t).sin().abs()).clamp(1.0, 19.0))
            .ok();
        self.frame += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_reports_percentiles() {
        let mut log = FrameLog::new("/nonexistent/x.csv".into(), Instant::now());
        for _ in 0..5 {
            log.record(Some(0.004));
        }
        let s = log.summary();
        assert!(
            s.contains("frames=4") && s.contains("cpu_p95_ms=4.00"),
            "{s}"
        );
    }
}
