//! Adding acquisitions to an existing project (the core of the window's "Add
//! acquisitions…"): new acquisitions are appended with paths relative to the project, the
//! ones it already has are left out, files outside the DEM are refused with nothing
//! written, and the saved project loads again; `slidemap add-acquisitions` does the same.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

mod common;

use common::{dem_spec, small_event, tif};
use slidemap::grid::GridSpec;
use slidemap::project::{
    append_acquisitions, create_project, known_acquisitions, scan_coherence_folder,
    AddAcquisitionsError, NewEventError, NewEventForm, Project,
};
use std::path::Path;

use common::cli::Dir;

fn date() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2015, 4, 25).unwrap()
}

/// A LiCSAR frame with a pre- and a co-event pair, on `spec`.
fn licsar_track(root: &Path, frame: &str, spec: &GridSpec) {
    for (k, pair) in ["20150324_20150405", "20150405_20150429"]
        .iter()
        .enumerate()
    {
        let d = root.join(frame).join("interferograms").join(pair);
        std::fs::create_dir_all(&d).unwrap();
        let v = 0.4 + 0.2 * k as f32;
        tif(
            &d.join(format!("{pair}.geo.cc.tif")),
            spec,
            vec![v; spec.len()],
        );
    }
}

#[test]
fn new_acquisitions_are_appended_relative_to_the_project_and_known_ones_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let project_path = small_event(dir.path());
    let first = dir.path().join("incoming/2015-04-29");
    licsar_track(&first, "085A_05100_131313", &dem_spec());
    let scan = scan_coherence_folder(&first, date()).unwrap();
    let out = append_acquisitions(&project_path, &scan.acquisitions).unwrap();
    assert_eq!((out.added, out.already), (1, 0));
    let p = Project::load(&project_path).unwrap();
    assert_eq!(p.file.acquisitions.len(), 1);
    let a = &p.file.acquisitions[0];
    assert_eq!(a.track, "T085");
    assert_eq!(
        a.co_event.path,
        Path::new(
            "incoming/2015-04-29/085A_05100_131313/interferograms/20150405_20150429/20150405_20150429.geo.cc.tif"
        ),
        "paths are relative to the project file"
    );
    assert!(p.resolve(&a.pre_event.path).is_file());
    // no temporary file is left beside the project
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.contains("tmp") && !n.starts_with('.')),
        "{names:?}"
    );

    // the same folder again, plus a second track: only the new track is added
    licsar_track(&first, "019D_05100_131313", &dem_spec());
    let scan = scan_coherence_folder(&first, date()).unwrap();
    // sorted by date, sensor and track: T019 first
    assert_eq!(
        known_acquisitions(&p, &scan.acquisitions),
        vec![false, true]
    );
    let out = append_acquisitions(&project_path, &scan.acquisitions).unwrap();
    assert_eq!((out.added, out.already), (1, 1));
    assert_eq!(out.project.file.acquisitions.len(), 2);
    assert_eq!(
        out.project.file.acquisitions[0].track, "T085",
        "existing acquisitions keep their place"
    );

    // everything known: nothing to add, the file is untouched
    let before = std::fs::read(&project_path).unwrap();
    let e = append_acquisitions(&project_path, &scan.acquisitions).unwrap_err();
    assert!(matches!(e, AddAcquisitionsError::Nothing { .. }), "{e}");
    assert!(e.to_string().contains("already has"), "{e}");
    assert_eq!(std::fs::read(&project_path).unwrap(), before);
}

#[test]
fn coherence_outside_the_dem_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let project_path = small_event(dir.path());
    let before = std::fs::read(&project_path).unwrap();
    let far = dem_spec();
    let far = GridSpec::new(
        far.rows,
        far.cols,
        700_000.0,
        3_500_000.0,
        far.cell_width,
        far.cell_height,
        far.crs_wkt.clone(),
    )
    .unwrap();
    let folder = dir.path().join("elsewhere");
    licsar_track(&folder, "085A_05100_131313", &far);
    let scan = scan_coherence_folder(&folder, date()).unwrap();
    let e = append_acquisitions(&project_path, &scan.acquisitions).unwrap_err();
    assert!(matches!(e, AddAcquisitionsError::Unusable { .. }), "{e}");
    assert!(e.to_string().contains("S1_asc T085"), "{e}");
    assert_eq!(std::fs::read(&project_path).unwrap(), before);
    assert!(Project::load(&project_path).is_ok());
}

#[test]
fn the_cli_adds_a_folder_once_and_refuses_it_the_second_time() {
    let d = Dir::new();
    let project = small_event(d.path());
    licsar_track(&d.join("incoming"), "085A_05100_131313", &dem_spec());
    let args = [
        "add-acquisitions",
        "project.toml",
        "--coherence",
        "incoming",
    ];
    let run = d.slidemap(args).success();
    assert!(
        run.stdout.contains("added 1 acquisition(s)"),
        "{}",
        run.stdout
    );
    assert_eq!(Project::load(&project).unwrap().file.acquisitions.len(), 1);
    d.slidemap(args)
        .fails_with(1, &["nothing to add", "already has"]);
}

#[test]
fn a_later_post_event_pair_completes_the_acquisition_the_project_has() {
    let d = Dir::new();
    let project = small_event(d.path());
    licsar_track(
        &d.join("incoming/2015-04-29"),
        "085A_05100_131313",
        &dem_spec(),
    );
    // twelve days later: only the post-event pair of the same frame
    let post = d.join("incoming/2015-05-11/085A_05100_131313/interferograms/20150429_20150511");
    std::fs::create_dir_all(&post).unwrap();
    let spec = dem_spec();
    tif(
        &post.join("20150429_20150511.geo.cc.tif"),
        &spec,
        vec![0.7; spec.len()],
    );
    let add =
        |folder: &str| d.slidemap(["add-acquisitions", "project.toml", "--coherence", folder]);
    add("incoming/2015-04-29").success();
    let run = add("incoming/2015-05-11").success();
    assert!(
        run.stdout
            .contains("completed 1 with a later post-event pair"),
        "{}",
        run.stdout
    );
    let p = Project::load(&project).unwrap();
    let a = &p.file.acquisitions[0];
    assert_eq!(p.file.acquisitions.len(), 1);
    assert_eq!(
        a.second_post_date,
        chrono::NaiveDate::from_ymd_opt(2015, 5, 11)
    );
    assert_eq!(
        a.post_event.as_ref().unwrap().path,
        Path::new(
            "incoming/2015-05-11/085A_05100_131313/interferograms/20150429_20150511/20150429_20150511.geo.cc.tif"
        )
    );
    // once complete, the same folder has nothing left to give
    add("incoming/2015-05-11").fails_with(1, &["no acquisition could be made"]);
}

fn form(dir: &Path, coherence: &Path) -> NewEventForm {
    NewEventForm {
        name: "reviewed".into(),
        date: date(),
        epicentre_lonlat: None,
        dem: Some(dir.join("dem.tif")),
        pgv: None,
        lithology: None,
        lithology_field: None,
        land_cover: None,
        ground_failure: None,
        inventory: None,
        mapped_extent: None,
        study_area: None,
        coherence_dir: Some(coherence.to_path_buf()),
        reviewed_coherence: None,
    }
}

#[test]
fn a_new_event_takes_the_reviewed_scan_and_refuses_an_open_question() {
    let dir = tempfile::tempdir().unwrap();
    small_event(dir.path());
    let folder = dir.path().join("coherence");
    licsar_track(&folder, "085A_05100_131313", &dem_spec());
    licsar_track(&folder, "019D_05100_131313", &dem_spec());
    // the user leaves T019 out and renames T085
    let mut scan = scan_coherence_folder(&folder, date()).unwrap();
    assert_eq!(scan.acquisitions[0].track, "T019");
    scan.left_out[0] = true;
    scan.acquisitions[1].track = "T085-east".into();
    let mut f = form(dir.path(), &folder);
    f.reviewed_coherence = Some(scan);
    let (p, _) = create_project(&f, &dir.path().join("reviewed.toml"), false).unwrap();
    let tracks: Vec<&str> = p
        .file
        .acquisitions
        .iter()
        .map(|a| a.track.as_str())
        .collect();
    assert_eq!(tracks, vec!["T085-east"]);

    // an image on the event day: the question is a problem of the coherence field
    let spec = dem_spec();
    let day = dir.path().join("day");
    std::fs::create_dir_all(&day).unwrap();
    for name in [
        "S1_asc_T085_20150406_20150418_cc.tif",
        "S1_asc_T085_20150418_20150425_cc.tif",
    ] {
        tif(&day.join(name), &spec, vec![0.5; spec.len()]);
    }
    let out = dir.path().join("day.toml");
    let e = create_project(&form(dir.path(), &day), &out, false).unwrap_err();
    let NewEventError::Form(problems) = e else {
        panic!("{e}")
    };
    assert!(
        problems
            .iter()
            .any(|p| p.field == "coherence" && p.message.contains("before or after")),
        "{problems:?}"
    );
    assert!(!out.exists());
}
