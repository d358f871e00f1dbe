//! How results are grouped and named on disk: file-name-safe tags of events and training
//! extents. The groupings themselves (events in order of first appearance, training extents,
//! the steps of one series) are methods of [`ExperimentResult`], shared with the GUI; the
//! short wrappers here keep the report's call sites.
//!
//! Every grouping keeps the order of `ExperimentResult::steps` (never a hash order) so the
//! outputs are identical for identical inputs.

use crate::experiment::{ExperimentResult, StepResult};

/// Events in order of first appearance in the steps ([`ExperimentResult::events`]).
pub(crate) fn events(result: &ExperimentResult) -> Vec<String> {
    result.events()
}

/// Training extents of one event, largest first ([`ExperimentResult::extents`]).
pub(crate) fn extents(result: &ExperimentResult, event: &str) -> Vec<f64> {
    result.extents(event)
}

/// The steps of one event at one training extent, ordered by step number
/// ([`ExperimentResult::series`]).
pub(crate) fn series<'a>(
    result: &'a ExperimentResult,
    event: &str,
    extent: f64,
) -> Vec<&'a StepResult> {
    result.series(event, extent)
}

/// True when file names need an extent tag ([`ExperimentResult::has_extents`]).
pub(crate) fn tag_extents(result: &ExperimentResult, event: &str) -> bool {
    result.has_extents(event)
}

/// A name usable in a file name: ASCII letters, digits, `-` and `_`; anything else → `_`.
pub(crate) fn file_safe(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        "unnamed".into()
    } else {
        s
    }
}

/// Extent fraction as a file-name tag: 1 → `1`, 0.5 → `0p5`, 0.25 → `0p25`.
pub(crate) fn extent_tag(extent: f64) -> String {
    format_number(extent).replace('.', "p").replace('-', "m")
}

/// Shortest decimal form of a fraction with at most 6 decimals (`1`, `0.5`, `0.125`).
pub(crate) fn format_number(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// The `_extent<e>` suffix when needed, else empty.
pub(crate) fn extent_suffix(tagged: bool, extent: f64) -> String {
    if tagged {
        format!("_extent{}", extent_tag(extent))
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extent_tags_are_short_and_dot_free() {
        assert_eq!(extent_tag(1.0), "1");
        assert_eq!(extent_tag(0.5), "0p5");
        assert_eq!(extent_tag(0.25), "0p25");
        assert_eq!(extent_tag(0.125), "0p125");
    }

    #[test]
    fn file_safe_replaces_separators_and_spaces() {
        assert_eq!(file_safe("Gorkha 2015/M7.8"), "Gorkha_2015_M7_8");
        assert_eq!(file_safe(""), "unnamed");
    }
}
