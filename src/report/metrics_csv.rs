//! `metrics.csv`: one row per event, training extent and timeline step.
//!
//! Columns (fixed, then one per baseline surface in order of first appearance):
//! `experiment, event, training_extent, step, date, days_after_event, sensor,
//! features_added, n_features, auc, auc_sd, r2, r2_sd, mae, mae_sd, repeats, n_train,
//! n_test, validation, n_test_landslide, validation_folds, interval_coverage, interval_width,
//! brier, brier_base_rate, interval_level, spread_coverage, baseline_auc_<name>…`.
//! `interval_coverage` is the fraction of the scored cells whose observed LAD lies in the
//! calibrated interval at `interval_level`, `interval_width` its mean width (fraction),
//! `brier` the Brier score of the calibrated P(LAD > 0.1) on the same cells and
//! `brier_base_rate` that of their own landslide frequency; `spread_coverage` is the
//! fraction inside the model spread P5–P95 (global / SAR-only), for comparison. They are
//! `NaN` when not scored or not published (too few calibration cells: `report.html` says why).
//! `validation` says how the scored cells were chosen (`independent-test`,
//! `spatial-cv-areas`, `spatial-cv-blocks`, `random-cells`, `none`); `n_test` and
//! `n_test_landslide` count them (pooled over folds for cross-validation). AUC uses truth LAD > 0.1; r² is that of the
//! least-squares line observed vs predicted; MAE is in LAD (fraction). `*_sd` is the sample
//! standard deviation over repeats (0 for one repeat). `features_added` is `;`-separated.
//! Undefined values are `NaN`; a baseline not available at a step is an empty field.

use super::csv::{line, num, opt_num, step_key, STEP_KEY_COLUMNS};
use crate::experiment::ExperimentResult;

/// The fixed leading columns of `metrics.csv`: the step key, then the metrics.
pub const METRICS_COLUMNS: [&str; 27] = concat_columns(
    STEP_KEY_COLUMNS,
    [
        "features_added",
        "n_features",
        "auc",
        "auc_sd",
        "r2",
        "r2_sd",
        "mae",
        "mae_sd",
        "repeats",
        "n_train",
        "n_test",
        "validation",
        "n_test_landslide",
        "validation_folds",
        "interval_coverage",
        "interval_width",
        "brier",
        "brier_base_rate",
        "interval_level",
        "spread_coverage",
    ],
);

/// `a` followed by `b`, at compile time (`N` must be `A + B`).
const fn concat_columns<const A: usize, const B: usize, const N: usize>(
    a: [&'static str; A],
    b: [&'static str; B],
) -> [&'static str; N] {
    assert!(A + B == N, "column counts do not add up");
    let mut out = [""; N];
    let mut i = 0;
    while i < A {
        out[i] = a[i];
        i += 1;
    }
    let mut j = 0;
    while j < B {
        out[A + j] = b[j];
        j += 1;
    }
    out
}

/// Prefix of the baseline columns (`baseline_auc_usgs_ground_failure`, …).
pub const BASELINE_PREFIX: &str = "baseline_auc_";

/// Baseline names in order of first appearance over all steps.
pub(crate) fn baseline_names(result: &ExperimentResult) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for s in &result.steps {
        for b in &s.baselines {
            if !names.contains(&b.name) {
                names.push(b.name.clone());
            }
        }
    }
    names
}

/// The whole `metrics.csv` text (header + one line per step, `\n` line ends).
pub fn metrics_csv(result: &ExperimentResult) -> String {
    let baselines = baseline_names(result);
    let mut header: Vec<String> = METRICS_COLUMNS.iter().map(|c| c.to_string()).collect();
    header.extend(baselines.iter().map(|b| format!("{BASELINE_PREFIX}{b}")));
    let mut out = line(&header);
    out.push('\n');
    for s in &result.steps {
        let mut row = step_key(result, s);
        row.extend([
            s.features_added.join(";"),
            s.n_features.to_string(),
            num(s.auc.mean, 6),
            num(s.auc.sd, 6),
            num(s.r2.mean, 6),
            num(s.r2.sd, 6),
            num(s.mae.mean, 6),
            num(s.mae.sd, 6),
            s.auc.n.max(s.r2.n).max(s.mae.n).to_string(),
            s.n_train.to_string(),
            s.n_test.to_string(),
            s.validation.kind.name().to_string(),
            s.validation.n_landslide.to_string(),
            s.validation.folds.to_string(),
        ]);
        let u = s.uncertainty.as_ref();
        let nan = f64::NAN;
        row.extend([
            num(u.map_or(nan, |u| u.coverage), 6),
            num(u.map_or(nan, |u| u.width), 6),
            num(u.map_or(nan, |u| u.brier), 6),
            num(u.map_or(nan, |u| u.brier_base_rate), 6),
            u.map_or(String::new(), |u| format!("{}", u.level)),
            num(u.map_or(nan, |u| u.spread_coverage), 6),
        ]);
        for b in &baselines {
            let v = s.baselines.iter().find(|x| &x.name == b).map(|x| x.auc);
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
    use crate::experiment::{BaselineAuc, ExperimentKind, MeanSd, StepResult};

    fn step(step: usize, baselines: Vec<BaselineAuc>) -> StepResult {
        StepResult {
            event: "Lombok, 2018".into(),
            step,
            date: chrono::NaiveDate::from_ymd_opt(2018, 8, 5 + step as u32).unwrap(),
            days_after_event: step as i64,
            sensor: if step == 0 {
                "none".into()
            } else {
                "S1_asc".into()
            },
            features_added: vec!["S1_asc_CECL".into(), "S1_asc_dcoh".into()],
            n_features: 10 + step,
            training_extent: 1.0,
            auc: MeanSd {
                mean: 0.8,
                sd: 0.01,
                n: 3,
            },
            r2: MeanSd {
                mean: f64::NAN,
                sd: f64::NAN,
                n: 0,
            },
            mae: MeanSd {
                mean: 0.02,
                sd: 0.0,
                n: 3,
            },
            roc: vec![],
            importances: vec![],
            baselines,
            n_train: 100,
            n_test: 900,
            maps: None,
            validation: Default::default(),
            likely_threshold: None,
            uncertainty: None,
        }
    }

    #[test]
    fn metrics_csv_has_one_baseline_column_per_surface_and_blank_when_absent() {
        let gf = BaselineAuc {
            name: "usgs_ground_failure".into(),
            auc: 0.7,
        };
        let s1 = BaselineAuc {
            name: "S1_asc_CECL".into(),
            auc: 0.65,
        };
        let result = ExperimentResult {
            kind: ExperimentKind::SameEvent,
            steps: vec![step(0, vec![gf.clone()]), step(1, vec![gf, s1])],
            grids: vec![],
            observed: vec![],
            target_names: vec![],
            warnings: vec![],
            timings: vec![],
        };
        let text = metrics_csv(&result);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(
            lines[0].ends_with("n_test,validation,n_test_landslide,validation_folds,interval_coverage,interval_width,brier,brier_base_rate,interval_level,spread_coverage,baseline_auc_usgs_ground_failure,baseline_auc_S1_asc_CECL")
        );
        assert_eq!(
            lines[1],
            "same-event,\"Lombok, 2018\",1,0,2018-08-05,0,none,S1_asc_CECL;S1_asc_dcoh,10,\
             0.800000,0.010000,NaN,NaN,0.020000,0.000000,3,100,900,none,0,0,NaN,NaN,NaN,NaN,,NaN,0.700000,"
        );
        assert!(lines[2].ends_with(",0.700000,0.650000"));
    }
}
