//! Metrics on test cells (AUC with LAD > threshold, r², MAE), ROC points, baselines and
//! grouped importances.

use super::{BaselineAuc, GroupImportance};
use crate::coherence::BaselineSurface;
use crate::features::{FeatureGroup, FeatureTable};
use crate::metrics::{linregress_r2, mean_absolute_error, roc_auc_score, roc_curve};

/// (AUC, r², MAE) of predictions on `cells`; NaN where undefined (e.g. one class only).
pub fn metrics(
    table: &FeatureTable,
    cells: &[usize],
    predicted: &[f64],
    auc_threshold: f64,
) -> (f64, f64, f64) {
    let obs: Vec<f64> = cells.iter().map(|&i| table.target[i] as f64).collect();
    let truth: Vec<bool> = obs.iter().map(|&v| v > auc_threshold).collect();
    let auc = roc_auc_score(&truth, predicted).unwrap_or(f64::NAN);
    let r2 = linregress_r2(&obs, predicted).unwrap_or(f64::NAN);
    let mae = mean_absolute_error(&obs, predicted).unwrap_or(f64::NAN);
    (auc, r2, mae)
}

/// The highest prediction threshold whose "predicted ≥ threshold" keeps at least `tpr` of
/// the landslide cells (truth > `auc_threshold`) among `cells`; `None` without landslide
/// cells or with `tpr` outside (0, 1].
pub fn threshold_for_tpr(
    table: &FeatureTable,
    cells: &[usize],
    predicted: &[f64],
    auc_threshold: f64,
    tpr: f64,
) -> Option<f64> {
    if !(tpr > 0.0 && tpr <= 1.0) {
        return None;
    }
    let mut ls: Vec<f64> = cells
        .iter()
        .zip(predicted)
        .filter(|(&i, p)| table.target[i] as f64 > auc_threshold && p.is_finite())
        .map(|(_, &p)| p)
        .collect();
    if ls.is_empty() {
        return None;
    }
    ls.sort_by(|a, b| b.total_cmp(a));
    let k = ((tpr * ls.len() as f64).ceil() as usize).clamp(1, ls.len());
    Some(ls[k - 1])
}

/// ROC points (fpr, tpr) of predictions on `cells`.
pub fn roc_points(
    table: &FeatureTable,
    cells: &[usize],
    predicted: &[f64],
    auc_threshold: f64,
) -> Vec<(f64, f64)> {
    let truth: Vec<bool> = cells
        .iter()
        .map(|&i| table.target[i] as f64 > auc_threshold)
        .collect();
    roc_curve(&truth, predicted)
        .map(|r| r.fpr.into_iter().zip(r.tpr).collect())
        .unwrap_or_default()
}

/// AUC of each baseline surface available by `step`, on the test cells it covers.
pub fn baselines(
    table: &FeatureTable,
    surfaces: &[BaselineSurface],
    step: usize,
    cells: &[usize],
    auc_threshold: f64,
) -> Vec<BaselineAuc> {
    surfaces
        .iter()
        .filter(|s| s.step <= step)
        .filter_map(|s| {
            let col = table.column(&s.column)?;
            let (truth, score): (Vec<bool>, Vec<f64>) = cells
                .iter()
                .filter(|&&i| !col.values[i].is_nan())
                .map(|&i| {
                    (
                        table.target[i] as f64 > auc_threshold,
                        (s.sign * col.values[i]) as f64,
                    )
                })
                .unzip();
            let auc = roc_auc_score(&truth, &score).ok()?;
            Some(BaselineAuc {
                name: s.column.clone(),
                auc,
            })
        })
        .collect()
}

/// Sum feature importances per data-source group (in [`FeatureGroup::ALL`] order, only groups
/// present).
pub fn group_importances(
    table: &FeatureTable,
    names: &[String],
    importances: &[f64],
) -> Vec<GroupImportance> {
    FeatureGroup::ALL
        .iter()
        .filter_map(|&g| {
            let mut any = false;
            let s: f64 = names
                .iter()
                .zip(importances)
                .filter(|(n, _)| table.column(n).is_some_and(|c| c.group == g))
                .map(|(_, v)| {
                    any = true;
                    *v
                })
                .sum();
            any.then_some(GroupImportance {
                group: g,
                importance: s,
            })
        })
        .collect()
}
