//! The "Uncertainty" section of `report.html`: per step, the calibrated interval's coverage
//! and mean width on the validation cells beside the model spread's, the Brier score of
//! P(LAD > 0.1) against the base rate's, the calibration method and cells, the reason when
//! nothing was published; and per event a reliability diagram of the last scored step as an
//! inline SVG (no script, no network).

use super::html_escape::esc;
use crate::experiment::{ExperimentResult, ReliabilityBin, StepResult};
use std::fmt::Write;

/// Side of the reliability diagram (px).
const SIDE_PX: f64 = 220.0;
/// Margin around the plot area (px).
const MARGIN_PX: f64 = 32.0;

fn pct(v: f64) -> String {
    if v.is_finite() {
        format!("{:.1} %", 100.0 * v)
    } else {
        "–".into()
    }
}

fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.4}")
    } else {
        "–".into()
    }
}

/// Append the section (nothing when no step carries uncertainty).
pub(crate) fn uncertainty_section(h: &mut String, result: &ExperimentResult) {
    let steps: Vec<&StepResult> = result
        .steps
        .iter()
        .filter(|s| s.uncertainty.is_some())
        .collect();
    if steps.is_empty() {
        return;
    }
    h.push_str(
        "<h2 id=\"uncertainty\">Uncertainty: calibrated intervals and P(LAD &gt; 0.1)</h2>\n",
    );
    h.push_str("<p>The <b>interval</b> maps (<code>interval_lo/hi_step&lt;k&gt;.tif</code>) are calibrated predictive intervals: on cells like the validation cells, the observed LAD lies inside them at the stated level. <b>P(LAD &gt; 0.1)</b> (<code>p_landslide_step&lt;k&gt;.tif</code>) is calibrated on the same out-of-fold predictions. The ensemble's <b>model spread P5–P95</b> is shown for comparison: it is the members' disagreement, not an interval. Coverage, width and Brier scores are on the validation cells, which the calibration never saw.</p>\n");
    h.push_str("<table>\n<tr><th class=\"l\">event</th><th>step</th><th>level</th><th>coverage</th><th>mean width</th><th>model spread coverage</th><th>spread width</th><th>Brier P(LAD&gt;0.1)</th><th>Brier base rate</th><th>scored cells</th><th>calibration cells (landslide)</th><th class=\"l\">method / note</th></tr>\n");
    for s in &steps {
        let Some(u) = &s.uncertainty else { continue };
        let mut text = u.method.clone();
        if !u.note.is_empty() {
            text = format!("{text}. {}", u.note);
        }
        let _ = writeln!(
            h,
            "<tr><td class=\"l\">{}</td><td>{}</td><td>{:.0} %</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} ({})</td><td class=\"l\">{}</td></tr>",
            esc(&s.event),
            s.step,
            100.0 * u.level,
            pct(u.coverage),
            num(u.width),
            pct(u.spread_coverage),
            num(u.spread_width),
            num(u.brier),
            num(u.brier_base_rate),
            u.n_scored,
            u.n_calibration,
            u.n_calibration_landslide,
            esc(&text)
        );
    }
    h.push_str("</table>\n");
    let mut events: Vec<&str> = Vec::new();
    for s in &steps {
        if !events.contains(&s.event.as_str()) {
            events.push(&s.event);
        }
    }
    for ev in events {
        let last = steps.iter().rev().find(|s| {
            s.event == ev
                && s.uncertainty
                    .as_ref()
                    .is_some_and(|u| !u.reliability.is_empty())
        });
        if let Some(s) = last {
            if let Some(u) = &s.uncertainty {
                let _ = writeln!(
                    h,
                    "<figure>{}<figcaption>{}: reliability of P(LAD &gt; 0.1) at step {} on {} validation cells (observed frequency against forecast probability, 10 bins, marker area ∝ cells; the diagonal is perfect calibration).</figcaption></figure>",
                    reliability_svg(&u.reliability),
                    esc(ev),
                    s.step,
                    u.n_scored
                );
            }
        }
    }
}

/// A reliability diagram as inline SVG.
pub(crate) fn reliability_svg(bins: &[ReliabilityBin]) -> String {
    let size = SIDE_PX + 2.0 * MARGIN_PX;
    let x = |p: f64| MARGIN_PX + p.clamp(0.0, 1.0) * SIDE_PX;
    let y = |p: f64| MARGIN_PX + (1.0 - p.clamp(0.0, 1.0)) * SIDE_PX;
    let mut s = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{size}\" height=\"{size}\" viewBox=\"0 0 {size} {size}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"10\">");
    let _ = write!(s, "<rect x=\"{MARGIN_PX}\" y=\"{MARGIN_PX}\" width=\"{SIDE_PX}\" height=\"{SIDE_PX}\" fill=\"white\" stroke=\"#999\"/>");
    let _ = write!(
        s,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#aaa\" stroke-dasharray=\"4 3\"/>",
        x(0.0),
        y(0.0),
        x(1.0),
        y(1.0)
    );
    for t in [0.0, 0.5, 1.0] {
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{t}</text>",
            x(t),
            y(0.0) + 13.0
        );
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{t}</text>",
            x(0.0) - 4.0,
            y(t) + 3.0
        );
    }
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">forecast P(LAD &gt; 0.1)</text>",
        x(0.5),
        size - 4.0
    );
    let _ = write!(s, "<text x=\"10\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 10 {})\">observed frequency</text>", y(0.5), y(0.5));
    let n_max = bins.iter().map(|b| b.n).max().unwrap_or(1).max(1) as f64;
    let pts: Vec<String> = bins
        .iter()
        .map(|b| format!("{:.1},{:.1}", x(b.forecast), y(b.observed)))
        .collect();
    let _ = write!(
        s,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\"/>",
        pts.join(" ")
    );
    for b in bins {
        let r = 2.0 + 5.0 * (b.n as f64 / n_max).sqrt();
        let _ = write!(s, "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{r:.1}\" fill=\"#1f77b4\" fill-opacity=\"0.7\"><title>forecast {:.3}, observed {:.3}, {} cells</title></circle>", x(b.forecast), y(b.observed), b.forecast, b.observed, b.n);
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reliability_svg_has_one_marker_per_bin_and_the_diagonal() {
        let bins = [
            ReliabilityBin {
                forecast: 0.05,
                observed: 0.04,
                n: 900,
            },
            ReliabilityBin {
                forecast: 0.55,
                observed: 0.5,
                n: 30,
            },
        ];
        let svg = reliability_svg(&bins);
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("stroke-dasharray") && svg.contains("observed frequency"));
        assert!(svg.contains("30 cells"));
    }
}
