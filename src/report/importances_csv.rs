//! `importances.csv`: grouped feature importances, one row per event, training extent and
//! step, one column per data-source group (the paper's Figure 7 as a table).
//!
//! Columns: `experiment, event, training_extent, step, date, days_after_event, sensor`, then
//! one per [`FeatureGroup::ALL`] named by [`group_id`] (`topography, pgv, lithology,
//! land_cover, ground_failure, sentinel_1, alos_2, other_sar`). Values are relative
//! importances (the groups of a step sum to 1); a group the step's models did not use is an
//! empty field.

use super::csv::{line, opt_num, step_key, STEP_KEY_COLUMNS};
use crate::experiment::ExperimentResult;
use crate::features::FeatureGroup;

/// The leading (non-group) columns of `importances.csv`.
pub const IMPORTANCE_COLUMNS: [&str; 7] = STEP_KEY_COLUMNS;

/// Column name of a group: its label in lower case, non-alphanumerics → `_`
/// (`Land cover` → `land_cover`, `Sentinel-1` → `sentinel_1`).
pub fn group_id(group: FeatureGroup) -> String {
    group
        .label()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The whole `importances.csv` text (header + one line per step).
pub fn importances_csv(result: &ExperimentResult) -> String {
    let mut header: Vec<String> = IMPORTANCE_COLUMNS.iter().map(|c| c.to_string()).collect();
    header.extend(FeatureGroup::ALL.iter().map(|g| group_id(*g)));
    let mut out = line(&header);
    out.push('\n');
    for s in &result.steps {
        let mut row = step_key(result, s);
        for g in FeatureGroup::ALL {
            let v: Option<f64> = {
                let hits: Vec<f64> = s
                    .importances
                    .iter()
                    .filter(|i| i.group == g)
                    .map(|i| i.importance)
                    .collect();
                if hits.is_empty() {
                    None
                } else {
                    Some(hits.iter().sum())
                }
            };
            row.push(opt_num(v, 6));
        }
        out.push_str(&line(&row));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_ids_are_snake_case() {
        assert_eq!(group_id(FeatureGroup::LandCover), "land_cover");
        assert_eq!(group_id(FeatureGroup::Sentinel1), "sentinel_1");
        assert_eq!(group_id(FeatureGroup::Pgv), "pgv");
    }

    #[test]
    fn unused_groups_are_blank_and_used_groups_have_six_decimals() {
        use crate::experiment::{ExperimentKind, GroupImportance, MeanSd, StepResult};
        let s = StepResult {
            event: "E".into(),
            step: 1,
            date: chrono::NaiveDate::from_ymd_opt(2015, 5, 1).unwrap(),
            days_after_event: 6,
            sensor: "A2_desc".into(),
            features_added: vec![],
            n_features: 3,
            training_extent: 0.5,
            auc: MeanSd::default(),
            r2: MeanSd::default(),
            mae: MeanSd::default(),
            roc: vec![],
            importances: vec![
                GroupImportance {
                    group: FeatureGroup::Topography,
                    importance: 0.75,
                },
                GroupImportance {
                    group: FeatureGroup::Alos2,
                    importance: 0.25,
                },
            ],
            baselines: vec![],
            n_train: 1,
            n_test: 1,
            maps: None,
            validation: Default::default(),
            likely_threshold: None,
            uncertainty: None,
        };
        let r = ExperimentResult {
            kind: ExperimentKind::Holdout,
            steps: vec![s],
            grids: vec![],
            observed: vec![],
            target_names: vec![],
            warnings: vec![],
            timings: vec![],
        };
        let text = importances_csv(&r);
        assert_eq!(
            text.lines().nth(1).unwrap(),
            "holdout,E,0.5,1,2015-05-01,6,A2_desc,0.750000,,,,,,0.250000,"
        );
    }
}
