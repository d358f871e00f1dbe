//! CSV formatting shared by `metrics.csv` and `importances.csv` (RFC 4180: comma-separated,
//! `\n` line ends, fields quoted only when they contain a comma, quote or line break).
//!
//! Numbers: fixed decimals, `NaN` for an undefined value, an empty field for "not
//! applicable" (e.g. a baseline not available at that step).

/// Quote a field when needed (doubling inner quotes).
pub(crate) fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A float with `decimals` decimals; `NaN` when not finite.
pub(crate) fn num(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        let s = format!("{v:.decimals$}");
        // Avoid "-0.000000" for values that round to zero.
        if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
            s[1..].to_string()
        } else {
            s
        }
    } else {
        "NaN".to_string()
    }
}

/// An optional float: empty field when absent.
pub(crate) fn opt_num(v: Option<f64>, decimals: usize) -> String {
    v.map(|x| num(x, decimals)).unwrap_or_default()
}

/// Join fields into one line (without the line end).
pub(crate) fn line(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| field(f))
        .collect::<Vec<_>>()
        .join(",")
}

/// Names of the columns that identify a step, first in both CSV files.
pub(crate) const STEP_KEY_COLUMNS: [&str; 7] = [
    "experiment",
    "event",
    "training_extent",
    "step",
    "date",
    "days_after_event",
    "sensor",
];

/// The values of [`STEP_KEY_COLUMNS`] for one step of `result`.
pub(crate) fn step_key(
    result: &crate::experiment::ExperimentResult,
    s: &crate::experiment::StepResult,
) -> Vec<String> {
    vec![
        result.kind.name().to_string(),
        s.event.clone(),
        super::layout::format_number(s.training_extent),
        s.step.to_string(),
        s.date.format("%Y-%m-%d").to_string(),
        s.days_after_event.to_string(),
        s.sensor.clone(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_or_quotes_are_quoted() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn numbers_have_fixed_decimals_and_nan_is_spelled_out() {
        assert_eq!(num(0.5, 4), "0.5000");
        assert_eq!(num(f64::NAN, 4), "NaN");
        assert_eq!(num(-0.00001, 4), "0.0000");
        assert_eq!(opt_num(None, 3), "");
        assert_eq!(opt_num(Some(1.0), 1), "1.0");
    }

    #[test]
    fn a_line_joins_escaped_fields() {
        assert_eq!(
            line(&["a".into(), "b;c".into(), "d,e".into()]),
            "a,b;c,\"d,e\""
        );
    }
}
