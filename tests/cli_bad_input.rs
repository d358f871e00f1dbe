//! Hostile input through the real `slidemap` binary (issue 17): every case ends with a clear
//! error naming the file or option, in bounded time and memory — no abort, no hang, no
//! silent nonsense, no half-written output folder.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

mod common;

use common::*;
use slidemap::grid::GridSpec;
use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What a finished run of the binary returned.
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Outcome {
    /// Expect exit 1 and every needle in stderr (`SHOW_STDERR=1` prints the messages).
    fn failed_with(&self, needles: &[&str]) {
        if std::env::var_os("SHOW_STDERR").is_some() {
            eprintln!("---\n{}", self.stderr);
        }
        assert_eq!(self.code, Some(1), "expected exit 1:\n{}", self.stderr);
        for n in needles {
            assert!(
                self.stderr.contains(n),
                "stderr lacks {n:?}:\n{}",
                self.stderr
            );
        }
    }
}

fn spawn<I, S>(args: I) -> Child
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_slidemap"))
        .args(args)
        .env("SLIDEMAP_LOG", "")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Wait for `child` at most `limit`; a hang is a test failure (the child is killed).
fn finish(mut child: Child, limit: Duration) -> Outcome {
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).ok();
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        err.read_to_string(&mut s).ok();
        s
    });
    let t0 = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if t0.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            panic!("slidemap hung for more than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Outcome {
        code: status.code(),
        stdout: t_out.join().unwrap(),
        stderr: t_err.join().unwrap(),
    }
}

fn slidemap<I, S>(args: I) -> Outcome
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    finish(spawn(args), Duration::from_secs(60))
}

fn edit(project: &Path, from: &str, to: &str) {
    let t = std::fs::read_to_string(project).unwrap();
    assert!(t.contains(from), "fixture lacks {from}");
    std::fs::write(project, t.replacen(from, to, 1)).unwrap();
}

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

/// Entries of `dir` whose name starts with a dot (temporary siblings).
fn hidden_entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]
fn a_fifo_given_as_any_input_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    let fifo = dir.path().join("pipe.tif");
    if !mkfifo(&fifo) {
        eprintln!("skipped: mkfifo unavailable");
        return;
    }
    let out = dir.path().join("o");
    let t0 = Instant::now();
    slidemap([
        OsStr::new("terrain"),
        fifo.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .failed_with(&["pipe.tif", "named pipe (FIFO)", "not a regular file"]);
    edit(&p, "dem.tif", "pipe.tif");
    slidemap([
        OsStr::new("features"),
        p.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .failed_with(&["pipe.tif", "FIFO"]);
    // the project file itself
    slidemap([
        OsStr::new("features"),
        fifo.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .failed_with(&["project file", "pipe.tif", "FIFO"]);
    slidemap([
        OsStr::new("features"),
        dir.path().as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .failed_with(&["a folder"]);
    assert!(t0.elapsed() < Duration::from_secs(30));
    assert!(!out.exists());
}

/// A VRT declaring 1,000,000 × 1,000,000 pixels of 1 m over the small DEM.
fn huge_vrt(dir: &Path) -> PathBuf {
    let vrt = dir.join("huge.vrt");
    std::fs::write(
        &vrt,
        r#"<VRTDataset rasterXSize="1000000" rasterYSize="1000000">
  <SRS>EPSG:32645</SRS>
  <GeoTransform>500000, 1, 0, 3100000, 0, -1</GeoTransform>
  <VRTRasterBand dataType="Float32" band="1">
    <SimpleSource><SourceFilename relativeToVRT="1">dem.tif</SourceFilename><SourceBand>1</SourceBand></SimpleSource>
  </VRTRasterBand>
</VRTDataset>"#,
    )
    .unwrap();
    vrt
}

#[test]
fn huge_grids_are_refused_before_allocating_with_their_size_and_what_to_change() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    let vrt = huge_vrt(dir.path());
    let out = dir.path().join("o");
    slidemap([
        OsStr::new("terrain"),
        vrt.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .failed_with(&["huge.vrt", "1000000 × 1000000", "GB", "crop or resample"]);
    edit(&p, "dem.tif", "huge.vrt");
    slidemap([
        OsStr::new("features"),
        p.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .failed_with(&["project.toml", "GB", "cell_width_m", "study area"]);
    edit(&p, "huge.vrt", "dem.tif");
    edit(&p, "[inputs]", "[grid]\ncell_width_m = 0.001\n[inputs]");
    slidemap([
        OsStr::new("features"),
        p.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .failed_with(&["grid would be", "GB", "cell_width_m = 0.001"]);
    assert!(!out.exists());
}

#[test]
fn numeric_options_are_validated_with_their_rule() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    let out = dir.path().join("o");
    let run = |extra: &[&str]| {
        let mut args: Vec<&OsStr> = vec!["run".as_ref(), p.as_os_str()];
        args.extend(extra.iter().map(OsStr::new));
        args.extend(["--out".as_ref(), out.as_os_str()]);
        slidemap(args)
    };
    for (flag, value, needle) in [
        ("--repeats", "0", "at least 1"),
        ("--ensemble", "0", "at least 1"),
        ("--repeats", "-3", "whole number"),
        ("--seed", "-1", "non-negative integers"),
        ("--interval-level", "1.5", "between 0 and 1 (exclusive)"),
        ("--interval-level", "0", "between 0 and 1 (exclusive)"),
        ("--interval-level", "-0.2", "between 0 and 1 (exclusive)"),
    ] {
        let o = run(&[flag, value]);
        assert_eq!(o.code, Some(2), "{flag} {value}: {}", o.stderr);
        assert!(
            o.stderr.contains(flag) && o.stderr.contains(needle),
            "{}",
            o.stderr
        );
        assert!(!o.stderr.contains("-- -1"), "{}", o.stderr);
    }
    let o = slidemap([
        "predict",
        p.to_str().unwrap(),
        "--same-event",
        "--interval-level",
        "1",
        "--out",
        "x",
    ]);
    assert!(
        o.code == Some(2) && o.stderr.contains("--interval-level"),
        "{}",
        o.stderr
    );
    let o = slidemap(["demo", "--seed", "-1", "--out", "x"]);
    assert!(
        o.code == Some(2) && o.stderr.contains("non-negative"),
        "{}",
        o.stderr
    );
    for w in ["0", "1", "4"] {
        let o = slidemap([
            "coherence",
            "a.tif",
            "b.tif",
            "--out",
            "c.tif",
            "--window",
            w,
        ]);
        assert!(
            o.code == Some(2) && o.stderr.contains("odd number of pixels, at least 3"),
            "{}",
            o.stderr
        );
    }
    assert!(!out.exists());
}

#[test]
fn a_coherence_window_larger_than_the_image_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.slc"), dir.path().join("b.slc"));
    for p in [&a, &b] {
        std::fs::write(p, vec![0u8; 4 * 4 * 8]).unwrap();
        std::fs::write(
            p.with_extension("hdr"),
            "ENVI\nsamples = 4\nlines = 4\nbands = 1\nheader offset = 0\nfile type = ENVI Standard\ndata type = 6\ninterleave = bsq\nbyte order = 0\nmap info = {UTM, 1, 1, 500000, 3100000, 20, 20, 45, North, WGS-84}\n",
        )
        .unwrap();
    }
    let out = dir.path().join("coh.tif");
    slidemap([
        OsStr::new("coherence"),
        a.as_os_str(),
        b.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--window".as_ref(),
        "100001".as_ref(),
    ])
    .failed_with(&["a.slc", "larger than the image", "4 rows × 4 columns"]);
    assert!(!out.exists());
    // --out that is a folder
    slidemap([
        OsStr::new("coherence"),
        a.as_os_str(),
        b.as_os_str(),
        "--out".as_ref(),
        dir.path().as_os_str(),
    ])
    .failed_with(&["--out must be a file path"]);
}

#[test]
fn negative_pgv_is_refused_by_every_verb_with_one_message() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    let pspec = GridSpec::new(20, 20, 86.95, 28.05, 0.01, 0.01, wkt("EPSG:4326")).unwrap();
    tif(&dir.path().join("pgv.tif"), &pspec, vec![-5.0; pspec.len()]);
    let out = dir.path().join("o");
    let msg = ["pgv.tif", "PGV ≤ 0", "positive velocity in cm/s"];
    slidemap([
        OsStr::new("features"),
        p.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .failed_with(&msg);
    slidemap([
        OsStr::new("run"),
        p.as_os_str(),
        "--quick".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .failed_with(&msg);
    assert!(!out.exists());
}

#[test]
fn duplicate_projects_and_event_names_are_refused_up_front_naming_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let (d1, d2) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir_all(&d1).unwrap();
    std::fs::create_dir_all(&d2).unwrap();
    let p1 = small_event(&d1);
    let p2 = small_event(&d2);
    let out = dir.path().join("o");
    let run = |a: &Path, b: &Path| {
        slidemap([
            OsStr::new("run"),
            a.as_os_str(),
            b.as_os_str(),
            "--experiment".as_ref(),
            "global".as_ref(),
            "--quick".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
    };
    let t0 = Instant::now();
    run(&p1, &d1.join(".").join("project.toml")).failed_with(&[
        "a/project.toml",
        "same project",
        "give each event once",
    ]);
    run(&p1, &p2).failed_with(&["a/project.toml", "b/project.toml", "'small'", "rename one"]);
    assert!(
        t0.elapsed() < Duration::from_secs(20),
        "refused before building features"
    );
    assert!(!out.exists());
}

#[test]
fn a_dem_too_small_for_terrain_is_a_clear_error_in_features() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    let spec = GridSpec::new(1, 1, 500_000.0, 3_100_000.0, 30.0, 30.0, wkt("EPSG:32645")).unwrap();
    tif(&dir.path().join("dem.tif"), &spec, vec![1000.0]);
    let out = dir.path().join("o");
    slidemap([
        OsStr::new("features"),
        p.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .failed_with(&["dem.tif", "too small", "1 rows × 1 columns", "3 × 3"]);
    assert!(!out.exists());
}

#[test]
fn an_impossible_date_names_the_key_and_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    edit(&p, "2015-04-25", "2015-02-30");
    let out = dir.path().join("o");
    slidemap([
        OsStr::new("features"),
        p.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .failed_with(&[
        "project.toml",
        "event.date",
        "2015-02-30",
        "February 2015 has 28 days",
    ]);
}

#[test]
fn bad_filters_and_line_inventories_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    let out = dir.path().join("o");
    let features = || {
        slidemap([
            OsStr::new("features"),
            p.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
    };
    let inv = "inventory = { path = \"inventory.gpkg\" }";
    edit(
        &p,
        inv,
        "inventory = { path = \"inventory.gpkg\", filter = \"yeer = 2015\" }",
    );
    features().failed_with(&["inventory.gpkg", "yeer = 2015", "fields are: year"]);
    edit(&p, "yeer = 2015", "year in [2015");
    features().failed_with(&["inventory.gpkg", "year in [2015", "fields are: year"]);
    // line geometries
    edit(&p, ", filter = \"year in [2015\"", "");
    let lines = dir.path().join("inventory.geojson");
    std::fs::write(
        &lines,
        r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32645"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[500100,3099500],[500300,3099300]]}}]}"#,
    )
    .unwrap();
    edit(&p, "inventory.gpkg", "inventory.geojson");
    features().failed_with(&["inventory.geojson", "Line String", "not polygon"]);
    assert!(!out.exists());
}

#[test]
fn swapped_latitude_and_longitude_are_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    let inv = dir.path().join("swapped.geojson");
    // (lat, lon) written as (x, y): y = 100 is no latitude
    std::fs::write(
        &inv,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[28.0,100.0]}}]}"#,
    )
    .unwrap();
    edit(&p, "inventory.gpkg", "swapped.geojson");
    let out = dir.path().join("o");
    slidemap([
        OsStr::new("features"),
        p.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .failed_with(&[
        "swapped.geojson",
        "outside the valid range",
        "latitude",
        "swapped",
    ]);
}

#[test]
fn a_truncated_geotiff_is_named_and_called_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    let dem = dir.path().join("dem.tif");
    let bytes = std::fs::read(&dem).unwrap();
    std::fs::write(&dem, &bytes[..bytes.len() / 2]).unwrap();
    let out = dir.path().join("o");
    let t0 = Instant::now();
    slidemap([
        OsStr::new("terrain"),
        dem.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .failed_with(&["dem.tif", "damaged"]);
    slidemap([
        OsStr::new("features"),
        p.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .failed_with(&["dem.tif", "damaged"]);
    assert!(t0.elapsed() < Duration::from_secs(30));
}

#[test]
fn a_truncated_slc_geotiff_is_named_and_called_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("s.slc");
    let bytes: Vec<u8> = (0..64 * 64 * 2)
        .flat_map(|i| (((i * 7919) % 1000) as f32 / 1000.0).to_le_bytes())
        .collect();
    std::fs::write(&raw, bytes).unwrap();
    std::fs::write(
        raw.with_extension("hdr"),
        "ENVI\nsamples = 64\nlines = 64\nbands = 1\nheader offset = 0\nfile type = ENVI Standard\ndata type = 6\ninterleave = bsq\nbyte order = 0\nmap info = {UTM, 1, 1, 500000, 3100000, 20, 20, 45, North, WGS-84}\n",
    )
    .unwrap();
    let (a, b) = (dir.path().join("a.tif"), dir.path().join("b.tif"));
    for t in [&a, &b] {
        let ok = Command::new("gdal_translate")
            .args(["-q", "-of", "GTiff"])
            .arg(&raw)
            .arg(t)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipped: gdal_translate unavailable");
            return;
        }
    }
    // a raw (ENVI) SLC cut short: GDAL would read the missing part as zeros
    let cut = dir.path().join("cut.slc");
    std::fs::write(&cut, &std::fs::read(&raw).unwrap()[..64 * 64 * 4]).unwrap();
    std::fs::copy(raw.with_extension("hdr"), cut.with_extension("hdr")).unwrap();
    let out = dir.path().join("coh.tif");
    slidemap([
        OsStr::new("coherence"),
        a.as_os_str(),
        cut.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .failed_with(&["cut.slc", "damaged", "16384 bytes", "32768 bytes"]);
    let full = std::fs::read(&b).unwrap();
    std::fs::write(&b, &full[..full.len() / 2]).unwrap();
    slidemap([
        OsStr::new("coherence"),
        a.as_os_str(),
        b.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
    .failed_with(&["b.tif", "damaged"]);
    assert!(!out.exists());
}

#[test]
fn repeated_gdal_warnings_are_summarised_not_flooded() {
    let dir = tempfile::tempdir().unwrap();
    let p = small_event(dir.path());
    // 30 bow-ties: GEOS warns about each self-intersection while checking validity
    let polys: Vec<(slidemap::io::Polygon, i64)> = (0..30)
        .map(|k| {
            let (x, y) = (
                500_200.0 + (k % 6) as f64 * 500.0,
                3_099_000.0 - (k / 6) as f64 * 600.0,
            );
            let bow = slidemap::io::Polygon::new(vec![
                [x, y],
                [x + 200.0, y + 200.0],
                [x + 200.0, y],
                [x, y + 200.0],
            ]);
            (bow, 2015)
        })
        .collect();
    gpkg(
        &dir.path().join("inventory.gpkg"),
        &wkt("EPSG:32645"),
        &polys,
    );
    let out = dir.path().join("o");
    let o = slidemap([
        OsStr::new("features"),
        p.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    if std::env::var_os("SHOW_STDERR").is_some() {
        eprintln!("---\n{}", o.stderr);
    }
    let n = o.stderr.matches("Self-intersection").count();
    assert!(n <= 2, "{n} lines:\n{}", o.stderr);
    assert!(
        o.stderr
            .contains("30 invalid inventory polygon(s) were repaired"),
        "{}",
        o.stderr
    );
}

#[test]
fn the_out_folder_is_written_whole_refused_when_not_empty_and_replaced_with_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let ev = dir.path().join("ev");
    std::fs::create_dir_all(&ev).unwrap();
    let p = runnable_event(&ev, "grid", false);
    let out = dir.path().join("out");
    let run = |extra: &[&str]| {
        let mut args: Vec<&OsStr> = vec![
            "run".as_ref(),
            p.as_os_str(),
            "--quick".as_ref(),
            "--repeats".as_ref(),
            "1".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ];
        args.extend(extra.iter().map(OsStr::new));
        slidemap(args)
    };
    // --out that is a file
    let file = dir.path().join("file.txt");
    std::fs::write(&file, "x").unwrap();
    slidemap([
        OsStr::new("run"),
        p.as_os_str(),
        "--out".as_ref(),
        file.as_os_str(),
    ])
    .failed_with(&["file.txt", "must be a folder"]);
    // --overwrite never replaces a folder that holds an input
    slidemap([
        OsStr::new("run"),
        p.as_os_str(),
        "--overwrite".as_ref(),
        "--out".as_ref(),
        ev.as_os_str(),
    ])
    .failed_with(&["holds the input", "project.toml"]);
    assert!(p.exists());
    // a stale temporary folder of a dead process is cleaned
    let stale = dir.path().join(".out.tmp-4194304");
    std::fs::create_dir(&stale).unwrap();
    std::fs::write(stale.join(".variance_step0.tmp-4194304.tif"), "").unwrap();
    let o = run(&[]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(o.stdout.contains("report.html"));
    assert!(out.join("report.html").is_file() && out.join("metrics.csv").is_file());
    assert!(out.join("maps/grid/observed_lad.tif").is_file());
    assert!(
        hidden_entries(dir.path()).is_empty(),
        "{:?}",
        hidden_entries(dir.path())
    );
    // a second run into the same folder is refused …
    std::fs::write(out.join("stale.txt"), "old").unwrap();
    run(&[]).failed_with(&["out", "not empty", "--overwrite"]);
    assert!(out.join("stale.txt").exists());
    // … unless --overwrite, which replaces it whole
    let o = run(&["--overwrite"]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(!out.join("stale.txt").exists());
    assert!(out.join("report.html").is_file());
    assert!(hidden_entries(dir.path()).is_empty());
}

#[test]
fn a_point_inventory_writes_lnd_maps_with_their_unit() {
    let dir = tempfile::tempdir().unwrap();
    let p = runnable_event(dir.path(), "points", true);
    let out = dir.path().join("out");
    let o = slidemap([
        OsStr::new("run"),
        p.as_os_str(),
        "--quick".as_ref(),
        "--repeats".as_ref(),
        "1".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let maps = out.join("maps/points");
    assert!(maps.join("observed_lnd.tif").is_file());
    assert!(!maps.join("observed_lad.tif").exists());
    let ds = gdal::Dataset::open(maps.join("observed_lnd.tif")).unwrap();
    let band = ds.rasterband(1).unwrap();
    use gdal::Metadata;
    assert_eq!(band.description().unwrap(), "points — observed LND");
    assert_eq!(
        band.metadata_item("UNITS", "").as_deref(),
        Some("landslides/km²")
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("observed vs predicted LND"), "report caption");
}

#[cfg(unix)]
#[test]
fn sigint_stops_a_run_with_exit_130_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ev = dir.path().join("ev");
    std::fs::create_dir_all(&ev).unwrap();
    let p = runnable_event(&ev, "grid", false);
    let out = dir.path().join("out");
    let child = spawn([
        OsStr::new("run"),
        p.as_os_str(),
        "--quick".as_ref(),
        "--repeats".as_ref(),
        "5000".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    std::thread::sleep(Duration::from_millis(2500));
    let ok = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "kill -INT failed");
    let o = finish(child, Duration::from_secs(120));
    assert_eq!(o.code, Some(130), "{}", o.stderr);
    assert!(o.stderr.contains("cancelled"), "{}", o.stderr);
    assert!(!out.exists());
    assert!(
        hidden_entries(dir.path()).is_empty(),
        "{:?}",
        hidden_entries(dir.path())
    );
}

#[cfg(unix)]
#[test]
fn a_killed_run_leaves_no_out_folder_and_the_next_run_cleans_its_temp() {
    let dir = tempfile::tempdir().unwrap();
    let ev = dir.path().join("ev");
    std::fs::create_dir_all(&ev).unwrap();
    let p = runnable_event(&ev, "grid", false);
    let out = dir.path().join("out");
    let run = |repeats: &str| {
        spawn([
            OsStr::new("run"),
            p.as_os_str(),
            "--quick".as_ref(),
            "--repeats".as_ref(),
            repeats.as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
    };
    let mut child = run("5000");
    std::thread::sleep(Duration::from_millis(1500));
    child.kill().unwrap(); // SIGKILL: no handler, no cleanup
    child.wait().unwrap();
    assert!(!out.exists(), "a killed run must not leave --out");
    assert!(
        hidden_entries(dir.path())
            .iter()
            .any(|n| n.starts_with(".out.tmp-")),
        "the killed run was writing into its temporary folder"
    );
    let o = finish(run("1"), Duration::from_secs(60));
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(out.join("report.html").is_file());
    assert!(
        hidden_entries(dir.path()).is_empty(),
        "the dead run's temporary folder is removed: {:?}",
        hidden_entries(dir.path())
    );
}
