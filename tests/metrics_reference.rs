//! ROC points, AUC and r² against scikit-learn 1.5.2 / scipy 1.13.1 numbers stored in
//! `tests/fixtures/forest/metrics_reference.json` (regenerate with
//! `tools/sklearn_reference/make_fixtures.py`). Tolerance: 1e-9 absolute.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

use serde_json::Value;
use slidemap::metrics::{
    binary_truth, linregress_r2, mean_absolute_error, r2_score, roc_auc_score, roc_curve,
    root_mean_squared_error,
};

const TOL: f64 = 1e-9;

fn cases() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/forest/metrics_reference.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn assert_close(name: &str, ours: &[f64], theirs: &[f64]) {
    assert_eq!(ours.len(), theirs.len(), "{name}: length");
    for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
        assert!((a - b).abs() <= TOL, "{name}[{i}]: ours {a} vs sklearn {b}");
    }
}

#[test]
fn roc_points_and_auc_equal_sklearn_including_heavy_ties() {
    let cases = cases();
    assert!(cases.len() >= 4);
    for c in &cases {
        let name = c["name"].as_str().unwrap();
        let truth: Vec<bool> = c["truth"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_bool().unwrap())
            .collect();
        let score = floats(&c["score"]);
        let curve = roc_curve(&truth, &score).unwrap();
        assert_close(&format!("{name} fpr"), &curve.fpr, &floats(&c["fpr"]));
        assert_close(&format!("{name} tpr"), &curve.tpr, &floats(&c["tpr"]));
        assert!(curve.thresholds[0].is_infinite());
        assert_close(
            &format!("{name} thresholds"),
            &curve.thresholds[1..],
            &floats(&c["thresholds_after_inf"]),
        );
        let auc = roc_auc_score(&truth, &score).unwrap();
        assert!(
            (auc - c["auc"].as_f64().unwrap()).abs() <= TOL,
            "{name} auc {auc}"
        );
    }
}

#[test]
fn binary_truth_at_lad_0_1_reproduces_the_fixture_labels() {
    for c in cases() {
        let lad = floats(&c["lad"]);
        let truth: Vec<bool> = c["truth"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_bool().unwrap())
            .collect();
        let ours = binary_truth(&lad, 0.1);
        let differing = ours.iter().zip(&truth).filter(|(a, b)| a != b).count();
        // the generator flips one label only when a case would otherwise be single-class
        assert!(differing <= 1, "{}: {differing} labels differ", c["name"]);
    }
}

#[test]
fn regression_metrics_equal_scipy_and_sklearn() {
    for c in cases() {
        let name = c["name"].as_str().unwrap();
        let lad = floats(&c["lad"]);
        let score = floats(&c["score"]);
        let checks = [
            ("linregress_r2", linregress_r2(&lad, &score).unwrap()),
            ("r2_score", r2_score(&lad, &score).unwrap()),
            ("mae", mean_absolute_error(&lad, &score).unwrap()),
            ("rmse", root_mean_squared_error(&lad, &score).unwrap()),
        ];
        for (key, ours) in checks {
            let theirs = c[key].as_f64().unwrap();
            assert!(
                (ours - theirs).abs() <= TOL,
                "{name} {key}: ours {ours} vs reference {theirs}"
            );
        }
    }
}
