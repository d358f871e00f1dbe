//! `report.html`: one self-contained page (inline CSS, no script, no network) showing the
//! run's settings, the warnings, the metrics and importance tables, every figure as an
//! `<img>` referencing the PNG by relative path, the files written and the timings.
//!
//! Deterministic: the page depends only on the result, the options and the file list (the
//! timings section is the exception and can be switched off).

use super::figures::{FigureKind, FigureRef};
use super::html_escape::esc;
use super::importances_csv::group_id;
use super::layout::{events, format_number};
use super::metrics_csv::baseline_names;
use super::ReportOptions;
use crate::experiment::{ExperimentKind, ExperimentResult, MeanSd};
use crate::features::FeatureGroup;
use std::fmt::Write;

/// "mean ± sd" with 3 decimals ("n/a" when undefined; no ± for a single repeat).
fn mean_sd(m: &MeanSd) -> String {
    if !m.mean.is_finite() {
        "n/a".into()
    } else if m.n > 1 && m.sd.is_finite() {
        format!("{:.3} ± {:.3}", m.mean, m.sd)
    } else {
        format!("{:.3}", m.mean)
    }
}

const CSS: &str = "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:2em auto;max-width:1250px;color:#222;padding:0 1em}\
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.9em}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:right}\
th{background:#f0f0f0}td.l,th.l{text-align:left}.warn{background:#fff4e5;border-left:4px solid #f0a020;padding:.4em .8em;margin:.3em 0}\
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #ddd}figcaption{font-size:.9em;color:#555}code{font-size:.95em}";

/// The whole page.
pub(crate) fn report_html(
    result: &ExperimentResult,
    opts: &ReportOptions,
    figs: &[FigureRef],
    notes: &[String],
    files: &[String],
) -> String {
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| format!("SlideMap experiment: {}", result.kind.name()));
    let mut h = String::new();
    let _ = write!(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n", esc(&title), esc(&title));
    let evs = events(result);
    let _ = writeln!(h, "<p>Experiment <b>{}</b> on {} event(s): {}; {} result row(s). Tables: <a href=\"metrics.csv\">metrics.csv</a>, <a href=\"importances.csv\">importances.csv</a>.</p>", esc(result.kind.name()), evs.len(), esc(&evs.join(", ")), result.steps.len());

    settings_section(&mut h, opts);
    warnings_section(&mut h, result, notes);
    validation_section(&mut h, result);
    metrics_table(&mut h, result);
    super::uncertainty_html::uncertainty_section(&mut h, result);
    importance_table(&mut h, result);
    figures_section(&mut h, &evs, figs);
    maps_section(&mut h, files);
    if opts.include_timings && !result.timings.is_empty() {
        timings_section(&mut h, result);
    }
    let _ = writeln!(
        h,
        "<p style=\"color:#777;font-size:.85em\">Written by SlideMap {}.</p>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    h
}

/// The run's settings, as a table.
fn settings_section(h: &mut String, opts: &ReportOptions) {
    h.push_str("<h2>Settings</h2>\n");
    if opts.settings.is_empty() {
        h.push_str("<p>No settings recorded.</p>\n");
    } else {
        h.push_str("<table>\n");
        for (k, v) in &opts.settings {
            let _ = writeln!(
                h,
                "<tr><th class=\"l\">{}</th><td class=\"l\">{}</td></tr>",
                esc(k),
                esc(v)
            );
        }
        h.push_str("</table>\n");
    }
}

/// The result's warnings, then the report's own notes.
fn warnings_section(h: &mut String, result: &ExperimentResult, notes: &[String]) {
    let _ = writeln!(
        h,
        "<h2 id=\"warnings\">Warnings ({})</h2>",
        result.warnings.len() + notes.len()
    );
    if result.warnings.is_empty() && notes.is_empty() {
        h.push_str("<p>No warnings.</p>\n");
    }
    for w in result.warnings.iter().chain(notes) {
        let _ = writeln!(h, "<div class=\"warn\">{}</div>", esc(w));
    }
}

/// The figures of each event, by kind.
fn figures_section(h: &mut String, evs: &[String], figs: &[FigureRef]) {
    h.push_str("<h2>Figures</h2>\n");
    for ev in evs {
        let _ = writeln!(h, "<h3>{}</h3>", esc(ev));
        for kind in [
            FigureKind::Steps,
            FigureKind::Importances,
            FigureKind::Roc,
            FigureKind::Map,
        ] {
            for f in figs.iter().filter(|f| &f.event == ev && f.kind == kind) {
                let _ = writeln!(
                    h,
                    "<figure><img src=\"{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>",
                    esc(&f.rel),
                    esc(&f.caption),
                    esc(&f.caption)
                );
            }
        }
    }
}

/// Links to the GeoTIFF maps written.
fn maps_section(h: &mut String, files: &[String]) {
    let rasters: Vec<&String> = files.iter().filter(|f| f.ends_with(".tif")).collect();
    let _ = writeln!(h, "<h2>GeoTIFF maps ({})</h2>", rasters.len());
    h.push_str("<p>Float32, nodata −9999, on each event's coarse grid; LAD as a fraction, variance in fraction²; <code>interval_lo/hi</code> bound the calibrated predictive interval, <code>ensemble_p5/p95</code> are the model spread (not an interval), <code>p_landslide</code> is the calibrated P(LAD &gt; 0.1).</p>\n<ul>\n");
    for f in rasters {
        let _ = writeln!(
            h,
            "<li><a href=\"{}\"><code>{}</code></a></li>",
            esc(f),
            esc(f)
        );
    }
    h.push_str("</ul>\n");
}

/// Seconds per stage of the run.
fn timings_section(h: &mut String, result: &ExperimentResult) {
    h.push_str("<h2>Timings</h2>\n<table>\n<tr><th class=\"l\">stage</th><th>seconds</th></tr>\n");
    for (stage, secs) in &result.timings {
        let _ = writeln!(
            h,
            "<tr><td class=\"l\">{}</td><td>{secs:.2}</td></tr>",
            esc(stage)
        );
    }
    h.push_str("</table>\n");
}

/// How the scores were validated: one line per distinct validation of each event.
fn validation_section(h: &mut String, result: &ExperimentResult) {
    h.push_str("<h2 id=\"validation\">How the scores were validated</h2>\n<ul>\n");
    let mut seen: Vec<(String, String)> = Vec::new();
    for s in &result.steps {
        let line = format!(
            "{}: {}",
            s.validation.summary(),
            s.validation.kind.describe()
        );
        if !seen.contains(&(s.event.clone(), line.clone())) {
            let _ = writeln!(h, "<li><b>{}</b> — {}</li>", esc(&s.event), esc(&line));
            seen.push((s.event.clone(), line));
        }
    }
    h.push_str("</ul>\n");
}

/// The metrics table (same rows as `metrics.csv`).
fn metrics_table(h: &mut String, result: &ExperimentResult) {
    let holdout = result.kind == ExperimentKind::Holdout;
    let baselines = baseline_names(result);
    h.push_str("<h2 id=\"metrics\">Metrics</h2>\n<p>AUC with truth LAD &gt; 0.1; r² of the least-squares line observed vs predicted; MAE in LAD (fraction); ± one standard deviation over repeats. Baselines: AUC of one surface used alone.</p>\n<table class=\"metrics\">\n<tr><th class=\"l\">event</th>");
    if holdout {
        h.push_str("<th>training extent</th>");
    }
    h.push_str("<th>step</th><th>date</th><th>days after event</th><th class=\"l\">sensor</th><th class=\"l\">features added</th><th>AUC</th><th>r²</th><th>MAE</th><th>n train</th><th>n test</th><th class=\"l\">validation</th>");
    for b in &baselines {
        let _ = write!(h, "<th>{}</th>", esc(b));
    }
    h.push_str("</tr>\n");
    for s in &result.steps {
        let _ = write!(h, "<tr><td class=\"l\">{}</td>", esc(&s.event));
        if holdout {
            let _ = write!(h, "<td>{}</td>", format_number(s.training_extent));
        }
        let _ = write!(
            h,
            "<td>{}</td><td>{}</td><td>{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            s.step,
            s.date.format("%Y-%m-%d"),
            s.days_after_event,
            esc(&s.sensor),
            esc(&s.features_added.join(", ")),
            mean_sd(&s.auc),
            mean_sd(&s.r2),
            mean_sd(&s.mae),
            s.n_train,
            s.n_test
        );
        let _ = write!(
            h,
            "<td class=\"l\">{}</td>",
            esc(
                &if s.validation.kind == crate::experiment::ValidationKind::None {
                    "none: not scored".to_string()
                } else {
                    format!(
                        "{} ({} landslide)",
                        s.validation.kind.name(),
                        s.validation.n_landslide
                    )
                }
            )
        );
        for b in &baselines {
            match s.baselines.iter().find(|x| &x.name == b) {
                Some(x) if x.auc.is_finite() => {
                    let _ = write!(h, "<td>{:.3}</td>", x.auc);
                }
                _ => h.push_str("<td></td>"),
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n");
}

/// Grouped importances in percent, one row per step.
fn importance_table(h: &mut String, result: &ExperimentResult) {
    let groups: Vec<FeatureGroup> = FeatureGroup::ALL
        .into_iter()
        .filter(|g| {
            result
                .steps
                .iter()
                .any(|s| s.importances.iter().any(|i| i.group == *g))
        })
        .collect();
    if groups.is_empty() {
        return;
    }
    h.push_str("<h2 id=\"importances\">Grouped importances (%)</h2>\n<table class=\"importances\">\n<tr><th class=\"l\">event</th><th>extent</th><th>step</th><th class=\"l\">sensor</th>");
    for g in &groups {
        let _ = write!(h, "<th title=\"{}\">{}</th>", group_id(*g), esc(g.label()));
    }
    h.push_str("</tr>\n");
    for s in &result.steps {
        let _ = write!(
            h,
            "<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td class=\"l\">{}</td>",
            esc(&s.event),
            format_number(s.training_extent),
            s.step,
            esc(&s.sensor)
        );
        for g in &groups {
            let v: f64 = s
                .importances
                .iter()
                .filter(|i| i.group == *g)
                .map(|i| i.importance)
                .sum();
            let used = s.importances.iter().any(|i| i.group == *g);
            if used {
                let _ = write!(h, "<td>{:.1}</td>", 100.0 * v);
            } else {
                h.push_str("<td></td>");
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_covers_markup_and_quotes() {
        assert_eq!(
            esc("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn a_single_repeat_has_no_plus_minus() {
        assert_eq!(
            mean_sd(&MeanSd {
                mean: 0.8,
                sd: 0.0,
                n: 1
            }),
            "0.800"
        );
        assert_eq!(
            mean_sd(&MeanSd {
                mean: 0.8,
                sd: 0.01,
                n: 3
            }),
            "0.800 ± 0.010"
        );
        assert_eq!(
            mean_sd(&MeanSd {
                mean: f64::NAN,
                sd: f64::NAN,
                n: 0
            }),
            "n/a"
        );
    }
}
