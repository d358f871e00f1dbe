//! Export of the plots: their numbers as CSV, and the plots as PNG cropped from a viewport
//! screenshot (`Context::request_screenshot`; the callback crops and writes on a thread).
//! Files are written atomically (temp file, then rename).

use super::importance_plot::importance_table;
use super::PlotKind;
use crate::experiment::StepResult;
use crossbeam_channel::{unbounded, Receiver, Sender};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The CSV of a plot's numbers.
pub fn plot_csv(kind: PlotKind, steps: &[&StepResult]) -> String {
    let mut s = String::new();
    match kind {
        PlotKind::Steps => steps_csv(&mut s, steps),
        PlotKind::Roc => roc_csv(&mut s, steps),
        PlotKind::Importances => importances_csv(&mut s, steps),
        PlotKind::Reliability => reliability_csv(&mut s, steps),
    }
    s
}

/// The Steps tab: one row per step with its metrics and the baselines' AUCs.
fn steps_csv(s: &mut String, steps: &[&StepResult]) {
    s.push_str("event,step,date,days_after_event,sensor,n_features,auc_mean,auc_sd,auc_n,r2_mean,r2_sd,mae_mean,mae_sd,n_train,n_test,baselines\n");
    for r in steps {
        let base: Vec<String> = r
            .baselines
            .iter()
            .map(|b| format!("{}={:.4}", b.name, b.auc))
            .collect();
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{:.5},{:.5},{},{:.5},{:.5},{:.5},{:.5},{},{},\"{}\"",
            r.event,
            r.step,
            r.date,
            r.days_after_event,
            r.sensor,
            r.n_features,
            r.auc.mean,
            r.auc.sd,
            r.auc.n,
            r.r2.mean,
            r.r2.sd,
            r.mae.mean,
            r.mae.sd,
            r.n_train,
            r.n_test,
            base.join(";")
        );
    }
}

/// The ROC tab: one row per ROC point of each step.
fn roc_csv(s: &mut String, steps: &[&StepResult]) {
    s.push_str("event,step,days_after_event,false_positive_rate,true_positive_rate\n");
    for r in steps {
        for (x, y) in &r.roc {
            let _ = writeln!(
                s,
                "{},{},{},{x:.5},{y:.5}",
                r.event, r.step, r.days_after_event
            );
        }
    }
}

/// The Importances tab: one row per feature group and step.
fn importances_csv(s: &mut String, steps: &[&StepResult]) {
    s.push_str("event,step,days_after_event,group,importance\n");
    for (g, values) in importance_table(steps) {
        for (r, v) in steps.iter().zip(values) {
            let _ = writeln!(
                s,
                "{},{},{},{},{v:.5}",
                r.event,
                r.step,
                r.days_after_event,
                g.label()
            );
        }
    }
}

/// The Reliability tab: one row per reliability bin of each step with an uncertainty summary.
fn reliability_csv(s: &mut String, steps: &[&StepResult]) {
    s.push_str("event,step,days_after_event,interval_level,interval_coverage,interval_width,spread_coverage,brier,brier_base_rate,forecast,observed,n\n");
    for r in steps {
        let Some(u) = &r.uncertainty else { continue };
        for b in &u.reliability {
            let _ = writeln!(
                s,
                "{},{},{},{},{:.5},{:.5},{:.5},{:.5},{:.5},{:.5},{:.5},{}",
                r.event,
                r.step,
                r.days_after_event,
                u.level,
                u.coverage,
                u.width,
                u.spread_coverage,
                u.brier,
                u.brier_base_rate,
                b.forecast,
                b.observed,
                b.n
            );
        }
    }
}

/// Write bytes atomically: temp file in the same folder, fsync, rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write as _;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let tmp = path.with_extension("tmp-slidemap");
    let mut f = std::fs::File::create(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Default output file for a plot of an event.
pub fn export_path(dir: &Path, event: &str, kind: PlotKind, ext: &str) -> PathBuf {
    let e: String = event
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    dir.join(format!("{e}-{}.{ext}", kind.stem()))
}

/// PNG exports in flight: results come back as messages.
pub struct PngExporter {
    tx: Sender<Result<String, String>>,
    rx: Receiver<Result<String, String>>,
}

impl Default for PngExporter {
    fn default() -> Self {
        let (tx, rx) = unbounded();
        Self { tx, rx }
    }
}

impl PngExporter {
    /// Ask for a screenshot and write the part inside `rect` (points) to `path`.
    pub fn request(&self, ctx: &egui::Context, rect: egui::Rect, path: PathBuf) {
        let tx = self.tx.clone();
        let ppp = ctx.pixels_per_point();
        let ctx2 = ctx.clone();
        ctx.request_screenshot(move |image| {
            std::thread::Builder::new()
                .name("slidemap-png".into())
                .spawn(move || {
                    let crop = image.region(&rect, Some(ppp));
                    let r = encode_png(&crop)
                        .and_then(|bytes| write_atomic(&path, &bytes))
                        .map(|_| format!("plot written to {}", path.display()));
                    tx.send(r).ok();
                    ctx2.request_repaint();
                })
                .ok();
        });
    }

    /// Finished exports (messages for the user).
    pub fn drain(&self) -> Vec<Result<String, String>> {
        self.rx.try_iter().collect()
    }
}

fn encode_png(img: &egui::ColorImage) -> Result<Vec<u8>, String> {
    let [w, h] = img.size;
    let raw: Vec<u8> = img
        .pixels
        .iter()
        .flat_map(|c| c.to_srgba_unmultiplied())
        .collect();
    let buf = image::RgbaImage::from_raw(w as u32, h as u32, raw)
        .ok_or("the screenshot has an unexpected size")?;
    let mut out = std::io::Cursor::new(Vec::new());
    buf.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| format!("PNG encoding failed: {e}"))?;
    Ok(out.into_inner())
}
