//! The report writer on a hand-built experiment result (2 events × 3 steps on small UTM 45N
//! grids): tables, GeoTIFFs, PNG figures and report.html, atomicity, determinism,
//! cancellation and the empty-result error.
//!
//! Set `SLIDEMAP_REPORT_LOOK=/some/dir` to also write one set of outputs there for a look.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

use chrono::NaiveDate;
use slidemap::experiment::{
    BaselineAuc, ExperimentKind, ExperimentResult, GroupImportance, MeanSd, StepMaps, StepResult,
};
use slidemap::features::FeatureGroup;
use slidemap::grid::GridSpec;
use slidemap::report::{
    write_outputs, write_outputs_with, MapSteps, ReportError, ReportOptions, METRICS_COLUMNS,
};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

fn utm45() -> String {
    slidemap::io::srs_from_user("EPSG:32645")
        .unwrap()
        .to_wkt()
        .unwrap()
}

/// A smooth LAD blob with an unmapped (NaN) strip along the east edge.
fn observed(spec: &GridSpec, cx: f64, cy: f64) -> Vec<f32> {
    let mut v = Vec::with_capacity(spec.len());
    for r in 0..spec.rows {
        for c in 0..spec.cols {
            if c + 3 >= spec.cols {
                v.push(f32::NAN);
                continue;
            }
            let (x, y) = (
                c as f64 / spec.cols as f64 - cx,
                r as f64 / spec.rows as f64 - cy,
            );
            v.push((0.4 * (-(x * x + y * y) / 0.03).exp()) as f32);
        }
    }
    v
}

fn imp(pairs: &[(FeatureGroup, f64)]) -> Vec<GroupImportance> {
    let total: f64 = pairs.iter().map(|p| p.1).sum();
    pairs
        .iter()
        .map(|&(group, w)| GroupImportance {
            group,
            importance: w / total,
        })
        .collect()
}

fn event_steps(
    event: &str,
    spec: &GridSpec,
    obs: &[f32],
    sensors: [&str; 3],
    days: [i64; 3],
) -> Vec<StepResult> {
    let date0 = NaiveDate::from_ymd_opt(2018, 9, 6).unwrap();
    let base = [
        (FeatureGroup::Topography, 0.4),
        (FeatureGroup::Pgv, 0.3),
        (FeatureGroup::Lithology, 0.1),
        (FeatureGroup::LandCover, 0.05),
        (FeatureGroup::GroundFailure, 0.15),
    ];
    (0..3)
        .map(|k| {
            let skill = 0.05 * k as f64;
            let mut groups = base.to_vec();
            if k >= 1 {
                groups.push((FeatureGroup::Sentinel1, 0.2));
            }
            if k >= 2 {
                groups.push((FeatureGroup::Alos2, 0.3));
            }
            let mut baselines = vec![BaselineAuc {
                name: "usgs_ground_failure".into(),
                auc: 0.72,
            }];
            if k >= 1 {
                baselines.push(BaselineAuc {
                    name: "S1_asc_CECL".into(),
                    auc: 0.66,
                });
            }
            if k >= 2 {
                baselines.push(BaselineAuc {
                    name: "A2_desc_CECL".into(),
                    auc: 0.78,
                });
            }
            let predicted: Vec<f32> = obs
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    if v.is_nan() {
                        f32::NAN
                    } else {
                        v * (0.6 + skill as f32) + 0.02 * ((i % 7) as f32 / 7.0)
                    }
                })
                .collect();
            let p5 = predicted.iter().map(|v| v * 0.5).collect();
            let p95 = predicted.iter().map(|v| (v * 1.5).min(1.0)).collect();
            let variance = predicted.iter().map(|v| v * v * 0.1).collect();
            let roc = (0..=20)
                .map(|i| {
                    let f = i as f64 / 20.0;
                    (f, f.powf(0.25 + 0.1 * (2 - k) as f64))
                })
                .collect();
            StepResult {
                event: event.into(),
                step: k,
                date: date0 + chrono::Duration::days(days[k]),
                days_after_event: days[k],
                sensor: sensors[k].into(),
                features_added: if k == 0 {
                    vec![]
                } else {
                    vec![
                        format!("{}_CECL", sensors[k]),
                        format!("{}_dcoh", sensors[k]),
                    ]
                },
                n_features: 12 + 4 * k,
                training_extent: 1.0,
                auc: MeanSd {
                    mean: 0.80 + skill,
                    sd: 0.02,
                    n: 5,
                },
                r2: MeanSd {
                    mean: 0.30 + 1.5 * skill,
                    sd: 0.04,
                    n: 5,
                },
                mae: MeanSd {
                    mean: 0.03 - 0.1 * skill / 2.0,
                    sd: 0.002,
                    n: 5,
                },
                roc,
                importances: imp(&groups),
                baselines,
                n_train: 400,
                n_test: spec.len() - 400,
                maps: Some(StepMaps {
                    predicted,
                    p5: Some(p5),
                    p95: Some(p95),
                    variance: Some(variance),
                    interval_lo: None,
                    interval_hi: None,
                    p_landslide: None,
                }),
                validation: Default::default(),
                likely_threshold: None,
                uncertainty: None,
            }
        })
        .collect()
}

fn sample_result() -> ExperimentResult {
    let wkt = utm45();
    let a = GridSpec::new(30, 24, 300_000.0, 3_100_000.0, 200.0, 220.0, wkt.clone()).unwrap();
    let b = GridSpec::new(20, 28, 410_000.0, 3_050_000.0, 200.0, 220.0, wkt).unwrap();
    let (oa, ob) = (observed(&a, 0.45, 0.5), observed(&b, 0.3, 0.6));
    let mut steps = event_steps(
        "Hokkaido 2018",
        &a,
        &oa,
        ["none", "S1_asc", "A2_desc"],
        [0, 6, 11],
    );
    steps.extend(event_steps(
        "Lombok",
        &b,
        &ob,
        ["none", "S1_desc", "S1_desc+A2_desc"],
        [0, 3, 15],
    ));
    ExperimentResult {
        kind: ExperimentKind::Global,
        steps,
        grids: vec![("Hokkaido 2018".into(), a), ("Lombok".into(), b)],
        observed: vec![("Hokkaido 2018".into(), oa), ("Lombok".into(), ob)],
        target_names: vec![],
        warnings: vec!["Lombok: 12 % of the grid is unmapped".into()],
        timings: vec![("forests".into(), 1.25)],
    }
}

fn options() -> ReportOptions {
    ReportOptions::default()
        .with_settings(vec![
            ("seed".into(), "42".into()),
            ("repeats".into(), "5".into()),
        ])
        .with_timings(false)
}

/// Every file under `dir`, relative, `/`-separated.
fn tree(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out
}

#[test]
fn metrics_csv_has_the_contract_columns_and_one_row_per_step() {
    let dir = tempfile::tempdir().unwrap();
    let result = sample_result();
    write_outputs(&result, dir.path(), &options()).unwrap();
    let text = std::fs::read_to_string(dir.path().join("metrics.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(&header[..27], &METRICS_COLUMNS[..]);
    assert_eq!(
        &header[18..21],
        ["validation", "n_test_landslide", "validation_folds"]
    );
    assert_eq!(
        &header[21..27],
        [
            "interval_coverage",
            "interval_width",
            "brier",
            "brier_base_rate",
            "interval_level",
            "spread_coverage"
        ]
    );
    assert_eq!(
        &header[27..],
        [
            "baseline_auc_usgs_ground_failure",
            "baseline_auc_S1_asc_CECL",
            "baseline_auc_A2_desc_CECL"
        ]
    );
    assert_eq!(lines.len(), 1 + 6);
    let row: Vec<&str> = lines[2].split(',').collect();
    assert_eq!(
        &row[..8],
        [
            "global",
            "Hokkaido 2018",
            "1",
            "1",
            "2018-09-12",
            "6",
            "S1_asc",
            "S1_asc_CECL;S1_asc_dcoh"
        ]
    );
    let num = |s: &str| s.parse::<f64>().unwrap();
    assert!((num(row[9]) - 0.85).abs() < 1e-9 && (num(row[10]) - 0.02).abs() < 1e-9);
    assert!((num(row[11]) - 0.375).abs() < 1e-9);
    assert_eq!(row[15], "5");
    assert_eq!(
        &row[18..],
        ["none", "0", "0", "NaN", "NaN", "NaN", "NaN", "", "NaN", "0.720000", "0.660000", ""]
    );

    let imp = std::fs::read_to_string(dir.path().join("importances.csv")).unwrap();
    let ilines: Vec<&str> = imp.lines().collect();
    assert_eq!(ilines.len(), 7);
    assert!(ilines[0].ends_with(
        "topography,pgv,lithology,land_cover,ground_failure,sentinel_1,alos_2,other_sar"
    ));
    for l in &ilines[1..] {
        let sum: f64 = l
            .split(',')
            .skip(7)
            .filter(|f| !f.is_empty())
            .map(|f| f.parse::<f64>().unwrap())
            .sum();
        assert!((sum - 1.0).abs() < 1e-5, "{l}");
    }
    assert!(
        ilines[1].ends_with(",,,"),
        "step 0 uses no radar group: {}",
        ilines[1]
    );
}

#[test]
fn every_geotiff_reads_back_with_the_event_grid_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let result = sample_result();
    let written = write_outputs(&result, dir.path(), &options()).unwrap();
    let tifs: Vec<&PathBuf> = written
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "tif"))
        .collect();
    assert_eq!(tifs.len(), 2 * (1 + 3 * 5));
    for (event, spec) in &result.grids {
        let ev = event.replace(' ', "_");
        let obs = &result.observed.iter().find(|o| &o.0 == event).unwrap().1;
        let mut expected: Vec<(String, Vec<f32>)> = vec![("observed_lad".into(), obs.clone())];
        for s in result.steps.iter().filter(|s| &s.event == event) {
            let m = s.maps.as_ref().unwrap();
            let k = s.step;
            expected.push((format!("predicted_step{k}"), m.predicted.clone()));
            expected.push((format!("ensemble_median_step{k}"), m.predicted.clone()));
            expected.push((format!("ensemble_p5_step{k}"), m.p5.clone().unwrap()));
            expected.push((format!("ensemble_p95_step{k}"), m.p95.clone().unwrap()));
            expected.push((
                format!("ensemble_variance_step{k}"),
                m.variance.clone().unwrap(),
            ));
        }
        for (name, values) in expected {
            let path = dir
                .path()
                .join("maps")
                .join(&ev)
                .join(format!("{name}.tif"));
            assert!(written.contains(&path), "{} not reported", path.display());
            let g = slidemap::io::read_raster(&path, 1).unwrap();
            assert_eq!(g.spec.geo_transform(), spec.geo_transform(), "{name}");
            assert_eq!((g.spec.cols, g.spec.rows), (spec.cols, spec.rows));
            assert!(
                slidemap::io::same_crs(&g.spec.crs_wkt, &spec.crs_wkt),
                "{name}"
            );
            for (a, b) in g.data.iter().zip(&values) {
                assert!((a.is_nan() && b.is_nan()) || a == b, "{name}: {a} vs {b}");
            }
        }
    }
}

fn distinct_colours(img: &image::RgbaImage) -> usize {
    img.pixels()
        .map(|p| p.0)
        .collect::<BTreeSet<[u8; 4]>>()
        .len()
}

#[test]
fn every_figure_decodes_is_not_blank_and_is_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let result = sample_result();
    let written = write_outputs(&result, dir.path(), &options()).unwrap();
    let pngs: Vec<&PathBuf> = written
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    let names: BTreeSet<String> = pngs
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    for ev in ["Hokkaido_2018", "Lombok"] {
        for f in [
            format!("steps_{ev}.png"),
            format!("importances_{ev}.png"),
            format!("roc_{ev}.png"),
            format!("lad_{ev}_step0.png"),
            format!("lad_{ev}_step2.png"),
        ] {
            assert!(names.contains(&f), "missing {f} in {names:?}");
        }
    }
    assert_eq!(pngs.len(), 10);
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    for p in &pngs {
        let img = image::open(p).unwrap().to_rgba8();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("steps_") {
            assert_eq!(img.dimensions(), (1150, 860));
        } else {
            assert!(
                img.width() >= 600 && img.height() >= 400,
                "{name}: {:?}",
                img.dimensions()
            );
        }
        assert!(distinct_colours(&img) >= 8, "{name} looks blank");
        let rel = p
            .strip_prefix(dir.path())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        assert!(
            html.contains(&format!("<img src=\"{rel}\"")),
            "report.html lacks {rel}"
        );
    }
    assert!(html.contains("<table class=\"metrics\">"));
    assert_eq!(
        html.matches("<tr><td class=\"l\">Hokkaido 2018</td>")
            .count(),
        3 + 3,
        "metrics + importance rows"
    );
    assert!(html.contains("Lombok: 12 % of the grid is unmapped"));
    assert!(html.contains("<td class=\"l\">42</td>"));
    assert!(!html.contains("Timings"));

    if let Ok(look) = std::env::var("SLIDEMAP_REPORT_LOOK") {
        write_outputs(&result, Path::new(&look), &options().with_timings(true)).unwrap();
    }
}

#[test]
fn outputs_are_identical_for_identical_input_and_leave_no_temporary_file() {
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let result = sample_result();
    let w1 = write_outputs(&result, d1.path(), &options()).unwrap();
    write_outputs(&result, d2.path(), &options()).unwrap();
    let (t1, t2) = (tree(d1.path()), tree(d2.path()));
    assert_eq!(t1, t2);
    assert_eq!(t1.len(), w1.len(), "every file is reported once");
    for f in &t1 {
        assert!(
            !f.split('/').any(|part| part.starts_with('.')),
            "temporary file left: {f}"
        );
        let (a, b) = (
            std::fs::read(d1.path().join(f)).unwrap(),
            std::fs::read(d2.path().join(f)).unwrap(),
        );
        assert!(a == b, "{f} differs between identical runs");
    }
}

#[test]
fn a_raised_cancel_flag_stops_before_any_file() {
    let dir = tempfile::tempdir().unwrap();
    let cancel = AtomicBool::new(true);
    let err = write_outputs_with(
        &sample_result(),
        dir.path(),
        &options(),
        &cancel,
        &mut |_, _| {},
    )
    .unwrap_err();
    assert!(
        matches!(err, ReportError::Cancelled { written: 0 }),
        "{err}"
    );
    assert!(tree(dir.path()).is_empty());
}

#[test]
fn an_empty_result_writes_a_report_with_its_warnings_and_fails_loudly() {
    let dir = tempfile::tempdir().unwrap();
    let mut result = sample_result();
    result.steps.clear();
    result.warnings = vec!["Gorkha: no landslide cell in the inventory".into()];
    let err = write_outputs(&result, dir.path(), &options()).unwrap_err();
    assert!(matches!(err, ReportError::NoResults { .. }), "{err}");
    assert!(err.to_string().contains("report.html"));
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("Gorkha: no landslide cell in the inventory"));
    assert!(html.contains("no timeline step"));
}

#[test]
fn map_steps_all_draws_a_map_per_step_and_none_draws_none() {
    let result = sample_result();
    let count = |opts: ReportOptions| {
        let dir = tempfile::tempdir().unwrap();
        let w = write_outputs(&result, dir.path(), &opts).unwrap();
        w.iter()
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("lad_"))
            .count()
    };
    assert_eq!(count(options().with_map_steps(MapSteps::All)), 6);
    assert_eq!(count(options().with_map_steps(MapSteps::None)), 0);
    assert_eq!(count(options().with_map_steps(MapSteps::Steps(vec![1]))), 2);
}

#[test]
fn holdout_outputs_carry_the_training_extent_in_their_names() {
    let mut result = sample_result();
    result.kind = ExperimentKind::Holdout;
    let hokkaido: Vec<StepResult> = result
        .steps
        .iter()
        .filter(|s| s.event == "Hokkaido 2018")
        .cloned()
        .collect();
    result.steps.clear();
    for (i, extent) in [1.0, 0.5, 0.25].into_iter().enumerate() {
        for s in &hokkaido {
            let mut s = s.clone();
            s.training_extent = extent;
            s.auc.mean -= 0.04 * i as f64;
            s.r2.mean -= 0.05 * i as f64;
            if let Some(m) = s.maps.as_mut() {
                m.p5 = None;
                m.p95 = None;
            }
            result.steps.push(s);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let opts = options().with_map_steps(MapSteps::Steps(vec![2]));
    write_outputs(&result, dir.path(), &opts).unwrap();
    let files = tree(dir.path());
    for f in [
        "maps/Hokkaido_2018/predicted_step2_extent0p25.tif",
        "maps/Hokkaido_2018/variance_step0_extent1.tif",
        "figures/roc_Hokkaido_2018_extent0p5.png",
        "figures/importances_Hokkaido_2018_extent1.png",
        "figures/lad_Hokkaido_2018_step2_extent0p25.png",
        "figures/steps_Hokkaido_2018.png",
    ] {
        assert!(files.contains(f), "missing {f}");
    }
    assert!(
        !files.iter().any(|f| f.contains("ensemble_")),
        "no ensemble maps without percentiles"
    );
    let csv = std::fs::read_to_string(dir.path().join("metrics.csv")).unwrap();
    assert_eq!(
        csv.lines()
            .filter(|l| l.starts_with("holdout,Hokkaido 2018,0.25,"))
            .count(),
        3
    );
    if let Ok(look) = std::env::var("SLIDEMAP_REPORT_LOOK") {
        write_outputs(&result, &Path::new(&look).join("holdout"), &opts).unwrap();
    }
}
