#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures
//! True-colour imagery (`io::imagery`): band descriptions, the 2–98 % stretch against
//! percentiles worked out by hand, band choice, the errors that name the file, and a window
//! read at a reduced size (with overviews in the file).

use gdal::raster::Buffer;
use gdal::spatial_ref::SpatialRef;
use gdal::{DriverManager, Metadata};
use slidemap::grid::{Extent, GridSpec};
use slidemap::io::{
    compute_stretch, imagery_info, percentile, read_window, render_rgba, rgba_from_bands,
    window_of_extent, ImageryError, PixelWindow, Stretch,
};
use std::path::{Path, PathBuf};

/// A `cols × rows` Float32 GeoTIFF (UTM 45N, 10 m pixels) with one band per closure.
fn write_bands(
    dir: &Path,
    name: &str,
    cols: usize,
    rows: usize,
    bands: &[&dyn Fn(usize, usize) -> f32],
    crs: bool,
) -> PathBuf {
    let path = dir.join(name);
    let driver = DriverManager::get_driver_by_name("GTiff").unwrap();
    let mut ds = driver
        .create_with_band_type::<f32, _>(&path, cols, rows, bands.len())
        .unwrap();
    ds.set_geo_transform(&[500_000.0, 10.0, 0.0, 3_100_000.0, 0.0, -10.0])
        .unwrap();
    if crs {
        ds.set_spatial_ref(&SpatialRef::from_epsg(32645).unwrap())
            .unwrap();
    }
    for (k, f) in bands.iter().enumerate() {
        let mut band = ds.rasterband(k + 1).unwrap();
        let data: Vec<f32> = (0..rows)
            .flat_map(|r| (0..cols).map(move |c| (r, c)))
            .map(|(r, c)| f(r, c))
            .collect();
        band.write((0, 0), (cols, rows), &mut Buffer::new((cols, rows), data))
            .unwrap();
        band.set_description(&format!("B{} test", k + 2)).unwrap();
    }
    path
}

/// 10 × 10: band 1 = i (0..99), band 2 = 2 i, band 3 = 100 + i except pixel 0, which is
/// nodata −1 (a GeoTIFF has one nodata value for all its bands).
fn hundred(dir: &Path) -> PathBuf {
    let path = write_bands(
        dir,
        "rgb.tif",
        10,
        10,
        &[
            &|r, c| (r * 10 + c) as f32,
            &|r, c| 2.0 * (r * 10 + c) as f32,
            &|r, c| match r * 10 + c {
                0 => -1.0,
                i => 100.0 + i as f32,
            },
        ],
        true,
    );
    let ds = gdal::Dataset::open_ex(
        &path,
        gdal::DatasetOptions {
            open_flags: gdal::GdalOpenFlags::GDAL_OF_UPDATE,
            ..Default::default()
        },
    )
    .unwrap();
    ds.rasterband(3)
        .unwrap()
        .set_no_data_value(Some(-1.0))
        .unwrap();
    path
}

fn not_cancelled() -> std::sync::atomic::AtomicBool {
    std::sync::atomic::AtomicBool::new(false)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-4
}

#[test]
fn the_stretch_is_the_2_and_98_percentiles_of_each_band_ignoring_nodata() {
    let dir = tempfile::tempdir().unwrap();
    let path = hundred(dir.path());
    let s = compute_stretch(&path, [1, 2, 3], 2.0, 98.0).unwrap();
    // Band 1: 0..=99, n = 100: ranks 0.02 × 99 = 1.98 and 0.98 × 99 = 97.02.
    assert!(close(s.low[0], 1.98) && close(s.high[0], 97.02), "{s:?}");
    // Band 2 doubles band 1.
    assert!(close(s.low[1], 3.96) && close(s.high[1], 194.04), "{s:?}");
    // Band 3: 101..=199 once the nodata pixel is dropped, n = 99: ranks 1.96 and 96.04.
    assert!(close(s.low[2], 102.96) && close(s.high[2], 197.04), "{s:?}");
}

#[test]
fn bands_are_chosen_by_index_in_any_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = hundred(dir.path());
    let s = compute_stretch(&path, [3, 1, 1], 2.0, 98.0).unwrap();
    assert!(close(s.low[0], 102.96) && close(s.low[1], 1.98) && close(s.low[2], 1.98));
    let err = compute_stretch(&path, [1, 2, 4], 2.0, 98.0).unwrap_err();
    assert!(
        matches!(err, ImageryError::NoSuchBand { band: 4, .. }),
        "{err}"
    );
}

#[test]
fn band_descriptions_are_listed_for_the_band_pickers() {
    let dir = tempfile::tempdir().unwrap();
    let info = imagery_info(&hundred(dir.path())).unwrap();
    assert_eq!(info.band_names, ["B2 test", "B3 test", "B4 test"]);
    assert_eq!(info.nodata[2], Some(-1.0));
    assert_eq!((info.spec.cols, info.spec.rows), (10, 10));
}

#[test]
fn imagery_without_a_crs_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = |_r: usize, _c: usize| 1.0;
    let path = write_bands(dir.path(), "nocrs.tif", 4, 4, &[&f, &f, &f], false);
    let msg = imagery_info(&path).unwrap_err().to_string();
    assert!(msg.contains("imagery without a CRS"), "{msg}");
    assert!(
        msg.contains("nocrs.tif") && msg.contains("gdal_translate -a_srs"),
        "{msg}"
    );
}

#[test]
fn fewer_than_three_bands_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = |_r: usize, _c: usize| 1.0;
    let path = write_bands(dir.path(), "two.tif", 4, 4, &[&f, &f], true);
    let msg = imagery_info(&path).unwrap_err().to_string();
    assert!(
        msg.contains("two.tif") && msg.contains("at least 3 bands"),
        "{msg}"
    );
}

#[test]
fn a_window_read_at_half_size_averages_pairs_and_uses_overviews() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_bands(
        dir.path(),
        "big.tif",
        100,
        100,
        &[&|_r, c| c as f32, &|r, _c| r as f32, &|_r, _c| 7.0],
        true,
    );
    let mut ds = gdal::Dataset::open(&path).unwrap();
    ds.build_overviews("AVERAGE", &[2, 4], &[]).unwrap();
    drop(ds);
    assert_eq!(imagery_info(&path).unwrap().overview_count, 2);
    let w = PixelWindow {
        col0: 20,
        row0: 40,
        cols: 40,
        rows: 20,
    };
    let rgb = read_window(&path, [1, 2, 3], w, 20, 10).unwrap();
    assert_eq!((rgb.spec.cols, rgb.spec.rows), (20, 10));
    assert!(close(rgb.spec.cell_width, 20.0) && close(rgb.spec.x_min, 500_200.0));
    assert!(close(rgb.spec.y_max, 3_099_600.0));
    // Column j of the buffer averages source columns 20 + 2j and 21 + 2j.
    assert!(close(rgb.bands[0][0] as f64, 20.5), "{}", rgb.bands[0][0]);
    assert!(close(rgb.bands[0][19] as f64, 58.5), "{}", rgb.bands[0][19]);
    assert!(close(rgb.bands[1][20] as f64, 42.5), "{}", rgb.bands[1][20]);
    assert!(rgb.bands[2].iter().all(|v| *v == 7.0));
}

#[test]
fn the_window_of_an_extent_is_clipped_to_the_image() {
    let spec = GridSpec::new(100, 100, 0.0, 1000.0, 10.0, 10.0, String::new()).unwrap();
    let e = Extent {
        x_min: -50.0,
        y_min: 905.0,
        x_max: 125.0,
        y_max: 2000.0,
    };
    let w = window_of_extent(&spec, &e).unwrap();
    assert_eq!((w.col0, w.row0, w.cols, w.rows), (0, 0, 13, 10));
    let outside = Extent {
        x_min: 2000.0,
        y_min: 0.0,
        x_max: 3000.0,
        y_max: 10.0,
    };
    assert!(window_of_extent(&spec, &outside).is_none());
}

#[test]
fn rgba_stretches_linearly_and_makes_nodata_transparent() {
    let s = Stretch {
        low: [0.0, 10.0, 100.0],
        high: [100.0, 20.0, 200.0],
    };
    let px = rgba_from_bands([&[50.0, 1.0], &[20.0, f32::NAN], &[0.0, 1.0]], &s);
    assert_eq!(px, vec![128, 255, 0, 255, 0, 0, 0, 0]);
    assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0, 5.0], 50.0), Some(3.0));
    assert_eq!(percentile(&[], 50.0), None);
}

#[test]
fn render_rgba_fills_a_target_grid_in_another_crs() {
    let dir = tempfile::tempdir().unwrap();
    let path = hundred(dir.path());
    let info = imagery_info(&path).unwrap();
    let s = compute_stretch(&path, [1, 2, 3], 2.0, 98.0).unwrap();
    // The same 100 m square in UTM, as a 5 × 5 target: every pixel covered.
    let target = GridSpec::new(
        5,
        5,
        500_000.0,
        3_100_000.0,
        20.0,
        20.0,
        info.spec.crs_wkt.clone(),
    )
    .unwrap();
    let px = render_rgba(&info, [1, 2, 3], &s, &target, &not_cancelled())
        .unwrap()
        .unwrap();
    assert_eq!(px.len(), 5 * 5 * 4);
    assert!(px.chunks(4).skip(1).all(|p| p[3] == 255));
    let away = GridSpec::new(
        5,
        5,
        900_000.0,
        3_100_000.0,
        20.0,
        20.0,
        info.spec.crs_wkt.clone(),
    )
    .unwrap();
    assert!(render_rgba(&info, [1, 2, 3], &s, &away, &not_cancelled())
        .unwrap()
        .is_none());
    let cancel = std::sync::atomic::AtomicBool::new(true);
    let err = render_rgba(&info, [1, 2, 3], &s, &target, &cancel).unwrap_err();
    assert!(matches!(err, ImageryError::Cancelled { .. }), "{err}");
}

#[test]
fn the_demo_writes_pre_and_post_event_imagery_for_today() {
    let dir = tempfile::tempdir().unwrap();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    slidemap::demo::write_demo(
        dir.path(),
        &slidemap::demo::DemoOptions::default(),
        &cancel,
        &|_, _| {},
    )
    .unwrap();
    let today = slidemap::demo::today_folder(dir.path()).dir;
    let pre = imagery_info(&today.join("imagery/pre_event.tif")).unwrap();
    let post = imagery_info(&today.join("imagery/post_event.tif")).unwrap();
    assert_eq!(pre.band_names, ["Red", "Green", "Blue"]);
    assert_eq!(pre.spec, post.spec);
    assert!(pre.overview_count >= 3);
    assert!(close(pre.spec.cell_width, 10.0));
    // The images differ only at the scars (a few per cent of the pixels), where the post
    // one is lighter.
    let w = PixelWindow {
        col0: 0,
        row0: 0,
        cols: pre.spec.cols,
        rows: pre.spec.rows,
    };
    let a = read_window(&pre.path, [1, 2, 3], w, w.cols, w.rows).unwrap();
    let b = read_window(&post.path, [1, 2, 3], w, w.cols, w.rows).unwrap();
    let changed: Vec<usize> = (0..a.bands[0].len())
        .filter(|&i| a.bands[0][i] != b.bands[0][i])
        .collect();
    let frac = changed.len() as f64 / a.bands[0].len() as f64;
    assert!(frac > 0.001 && frac < 0.2, "{frac}");
    let lighter = changed
        .iter()
        .filter(|&&i| b.bands[0][i] > a.bands[0][i])
        .count();
    assert!(lighter as f64 > 0.9 * changed.len() as f64);
}

/// Time of one view read (window read through the overviews, warp to EPSG:3857, stretch)
/// on a big file: `SLIDEMAP_BIG_IMAGERY=/tmp/imagery_10k.tif cargo test --test imagery --
/// --ignored --nocapture` (benches/imagery_frames.sh makes such a file).
#[test]
#[ignore = "needs a big imagery file in SLIDEMAP_BIG_IMAGERY"]
fn a_screen_sized_view_of_a_big_file_reads_quickly() {
    let Ok(path) = std::env::var("SLIDEMAP_BIG_IMAGERY") else {
        return;
    };
    let path = PathBuf::from(path);
    let info = imagery_info(&path).unwrap();
    let t = std::time::Instant::now();
    let s = compute_stretch(&path, [1, 2, 3], 2.0, 98.0).unwrap();
    println!("stretch: {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let wkt = slidemap::io::srs_from_user("EPSG:3857")
        .unwrap()
        .to_wkt()
        .unwrap();
    let e = slidemap::io::transform_extent(
        &info.spec.extent(),
        &info.spec.crs_wkt,
        &wkt,
        Path::new("t"),
    )
    .unwrap();
    for zoom in [1.0, 4.0, 16.0] {
        let (w, h) = (e.width() / zoom, e.height() / zoom);
        let (cx, cy) = e.centre();
        let target = GridSpec::new(
            1280,
            800,
            cx - w / 2.0,
            cy + h / 2.0,
            w / 1280.0,
            h / 800.0,
            wkt.clone(),
        )
        .unwrap();
        let t = std::time::Instant::now();
        let px = render_rgba(&info, [1, 2, 3], &s, &target, &not_cancelled())
            .unwrap()
            .unwrap();
        println!(
            "view 1280 x 800 at 1/{zoom} of the image: {:.0} ms",
            t.elapsed().as_secs_f64() * 1e3
        );
        assert_eq!(px.len(), 1280 * 800 * 4);
    }
}
