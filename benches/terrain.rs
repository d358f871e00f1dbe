//! Terrain benchmarks, in two modes.
//!
//! - `cargo bench --bench terrain`: criterion timings of the fused [`terrain_features`] and
//!   its stages on a 1000 × 1000 synthetic DEM (in memory).
//! - One-shot mode, driven by `tools/terrain_reference/bench_terrain.sh` against `gdaldem`:
//!   `SLIDEMAP_BENCH_WRITE=dem.tif [SLIDEMAP_BENCH_SIZE=5000] [SLIDEMAP_BENCH_KIND=tiled]
//!   <bench binary>` writes a SIZE × SIZE DEM as an uncompressed Float32 GeoTIFF (10 m cells,
//!   nodata = NaN). Kinds:
//!   - `tiled` (default, the realistic case): the real 10 m Korean DEM
//!     `korea_dem_points/tingrid.tif` (1070 × 633, EPSG:5186; its −3.4e38 nodata becomes NaN)
//!     mirror-tiled (reflected at every edge, so the surface stays continuous) to SIZE × SIZE.
//!     Found via `SLIDEMAP_BENCH_SOURCE`, else `SLIDEMAP_SHARED_DATA`, else `../shared/data`.
//!   - `rough` (the worst case): broad synthetic ridges plus 0–4 m of white noise on 10 m
//!     cells, so nearly every cell is a pit or on a flat.
//!
//!   `SLIDEMAP_BENCH_DEM=dem.tif <bench binary>` reads it with GDAL (timed: read time is part
//!   of the figure, as `gdaldem` times include its own read and write; the band's nodata
//!   value becomes NaN), runs [`terrain_features`] with default options and prints one
//!   `bench:` line of timings. Run it under `/usr/bin/time -v` for the peak RSS.

use std::hint::black_box;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use criterion::Criterion;
use slidemap::terrain::{
    fill_depressions, flow_accumulation_d8, slope_deg, terrain_features, DemView, TerrainOptions,
};

/// A deterministic synthetic terrain: broad ridges and valleys (≈ 600 m relief) with
/// mid-scale hills and 0–4 m of hashed noise, which makes many small pits and flats.
fn synthetic_dem(rows: usize, cols: usize) -> Vec<f32> {
    (0..rows * cols)
        .map(|i| {
            let (r, c) = ((i / cols) as f64, (i % cols) as f64);
            let mut h = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            h ^= h >> 29;
            let noise = (h % 1000) as f64 / 250.0;
            let z = 800.0
                + 300.0 * (r * 0.0021).sin() * (c * 0.0017).cos()
                + 60.0 * (r * 0.013 + c * 0.007).sin()
                + 15.0 * (r * 0.05).cos() * (c * 0.043).sin()
                + noise;
            (z * 4.0).round() as f32 / 4.0
        })
        .collect()
}

/// The source DEM of the `tiled` kind: `SLIDEMAP_BENCH_SOURCE`, or `tingrid.tif` in the
/// shared data folder (`SLIDEMAP_SHARED_DATA`, else `../shared/data`).
fn tiled_source() -> std::path::PathBuf {
    if let Some(p) = std::env::var_os("SLIDEMAP_BENCH_SOURCE") {
        return p.into();
    }
    let candidates = [
        std::env::var_os("SLIDEMAP_SHARED_DATA").map(std::path::PathBuf::from),
        Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data")),
        Some(std::path::PathBuf::from("/work/main/../shared/data")),
    ];
    let data = candidates
        .into_iter()
        .flatten()
        .find(|p| p.is_dir())
        .unwrap_or_default();
    data.join("korea_dem_points/tingrid.tif")
}

/// Reads band 1 of a GeoTIFF as `f32` with its nodata value mapped to NaN:
/// `(values, rows, cols, geotransform)`.
fn read_dem(path: &str) -> Result<(Vec<f32>, usize, usize, [f64; 6]), gdal::errors::GdalError> {
    let ds = gdal::Dataset::open(path)?;
    let (cols, rows) = ds.raster_size();
    let gt = ds.geo_transform()?;
    let band = ds.rasterband(1)?;
    let nodata = band.no_data_value();
    let (_, mut z) = band
        .read_as::<f32>((0, 0), (cols, rows), (cols, rows), None)?
        .into_shape_and_vec();
    if let Some(nd) = nodata.filter(|nd| !nd.is_nan()) {
        let nd = nd as f32;
        z.iter_mut()
            .filter(|x| **x == nd)
            .for_each(|x| *x = f32::NAN);
    }
    Ok((z, rows, cols, gt))
}

/// The real DEM reflected at its edges to fill `size × size` cells.
fn mirror_tiled_dem(size: usize) -> Result<Vec<f32>, gdal::errors::GdalError> {
    let src = tiled_source();
    let (z, rows, cols, _) = read_dem(&src.to_string_lossy())?;
    let mirror = |i: usize, n: usize| {
        let m = i % (2 * n);
        if m < n {
            m
        } else {
            2 * n - 1 - m
        }
    };
    Ok((0..size * size)
        .map(|i| z[mirror(i / size, rows) * cols + mirror(i % size, cols)])
        .collect())
}

fn write_geotiff(path: &str, size: usize, kind: &str) -> Result<(), gdal::errors::GdalError> {
    let z = match kind {
        "rough" => synthetic_dem(size, size),
        "tiled" => mirror_tiled_dem(size)?,
        other => {
            return Err(gdal::errors::GdalError::BadArgument(format!(
                "unknown SLIDEMAP_BENCH_KIND {other:?} (tiled or rough)"
            )))
        }
    };
    let driver = gdal::DriverManager::get_driver_by_name("GTiff")?;
    let mut ds = driver.create_with_band_type::<f32, _>(path, size, size, 1)?;
    ds.set_geo_transform(&[300_000.0, 10.0, 0.0, 600_000.0, 0.0, -10.0])?;
    let mut band = ds.rasterband(1)?;
    band.set_no_data_value(Some(f64::NAN))?;
    band.write(
        (0, 0),
        (size, size),
        &mut gdal::raster::Buffer::new((size, size), z),
    )?;
    Ok(())
}

fn run_on_geotiff(path: &str) -> Result<(), gdal::errors::GdalError> {
    let t0 = Instant::now();
    let (z, rows, cols, gt) = read_dem(path)?;
    let read_s = t0.elapsed().as_secs_f64();
    let stage_start = std::cell::RefCell::new((String::from("start"), Instant::now()));
    let stages = std::cell::RefCell::new(Vec::new());
    let progress = |stage: &str, _f: f64| {
        let mut cur = stage_start.borrow_mut();
        if cur.0 != stage {
            stages
                .borrow_mut()
                .push(format!("{} {:.3}s", cur.0, cur.1.elapsed().as_secs_f64()));
            *cur = (stage.to_string(), Instant::now());
        }
    };
    let t1 = Instant::now();
    let f = terrain_features(
        z,
        rows,
        cols,
        gt[1],
        -gt[5],
        &TerrainOptions::default(),
        &AtomicBool::new(false),
        &progress,
    )
    .map_err(|e| gdal::errors::GdalError::BadArgument(e.to_string()))?;
    let compute_s = t1.elapsed().as_secs_f64();
    {
        // The tail after the last progress call (returning, dropping the big buffers).
        let cur = stage_start.borrow();
        stages
            .borrow_mut()
            .push(format!("{} {:.3}s", cur.0, cur.1.elapsed().as_secs_f64()));
    }
    println!(
        "bench: {rows}x{cols} read {read_s:.3}s compute {compute_s:.3}s total {:.3}s coarse {}x{} [{}]",
        read_s + compute_s,
        f.rows,
        f.cols,
        stages.borrow().join(", ")
    );
    Ok(())
}

fn criterion_benches(c: &mut Criterion) {
    let n = 1000;
    let z = synthetic_dem(n, n);
    let dem = DemView::new(&z, n, n, 10.0, 10.0);
    let never = AtomicBool::new(false);
    let mut g = c.benchmark_group("terrain_1000x1000");
    g.sample_size(10);
    g.bench_function("terrain_features", |b| {
        b.iter(|| {
            terrain_features(
                z.clone(),
                n,
                n,
                10.0,
                10.0,
                &TerrainOptions::default(),
                &never,
                &|_, _| {},
            )
        })
    });
    g.bench_function("slope_deg", |b| b.iter(|| slope_deg(black_box(&dem))));
    g.bench_function("fill_depressions", |b| {
        b.iter(|| fill_depressions(black_box(&dem)))
    });
    let filled = fill_depressions(&dem).unwrap_or_default();
    let fdem = DemView::new(&filled, n, n, 10.0, 10.0);
    g.bench_function("flow_accumulation_d8", |b| {
        b.iter(|| flow_accumulation_d8(black_box(&fdem)))
    });
    g.finish();
}

fn main() {
    if let Ok(path) = std::env::var("SLIDEMAP_BENCH_WRITE") {
        let size = std::env::var("SLIDEMAP_BENCH_SIZE")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(5000);
        let kind = std::env::var("SLIDEMAP_BENCH_KIND").unwrap_or_else(|_| "tiled".into());
        if let Err(e) = write_geotiff(&path, size, &kind) {
            eprintln!("writing {path}: {e}");
            std::process::exit(1);
        }
        return;
    }
    if let Ok(path) = std::env::var("SLIDEMAP_BENCH_DEM") {
        if let Err(e) = run_on_geotiff(&path) {
            eprintln!("benchmarking {path}: {e}");
            std::process::exit(1);
        }
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    criterion_benches(&mut c);
    c.final_summary();
}
