//! Exported GeoTIFFs read back with GDAL: CRS, geotransform, nodata, values, tiling,
//! overviews, and the `.qml` sidecar.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures
#![cfg(feature = "gui")]

use gdal::Dataset;
use slidemap::grid::{Grid, GridSpec};
use slidemap::gui::colormap::Ramp;
use slidemap::gui::export::{export_layer, qml_path, ExportRequest};
use slidemap::io::{same_crs, srs_from_user};
use std::sync::Arc;

#[test]
fn an_exported_layer_reads_back_identically_with_gdal() {
    let dir = tempfile::tempdir().unwrap();
    let wkt = srs_from_user("EPSG:32652").unwrap().to_wkt().unwrap();
    let spec = GridSpec::new(700, 520, 300_000.0, 4_000_000.0, 200.0, 220.0, wkt.clone()).unwrap();
    let data: Vec<f32> = (0..spec.len())
        .map(|i| {
            if i % 97 == 0 {
                f32::NAN
            } else {
                (i as f32 * 0.001).sin()
            }
        })
        .collect();
    let grid = Arc::new(Grid::from_vec(spec.clone(), data.clone()).unwrap());
    let path = dir.path().join("lad.tif");
    let req = ExportRequest {
        grid,
        path: path.clone(),
        name: "LAD".into(),
        unit: "fraction".into(),
        ramp: Ramp::Inferno,
        min: -1.0,
        max: 1.0,
    };
    export_layer(&req).unwrap();

    let ds = Dataset::open(&path).unwrap();
    assert!(same_crs(&ds.projection(), &wkt));
    let gt = ds.geo_transform().unwrap();
    assert_eq!(gt, spec.geo_transform());
    let band = ds.rasterband(1).unwrap();
    assert_eq!(band.block_size(), (256, 256), "internally tiled");
    assert!(band.overview_count().unwrap() >= 1, "internal overviews");
    let nodata = band.no_data_value().unwrap();
    let buf = band
        .read_as::<f32>((0, 0), (700, 520), (700, 520), None)
        .unwrap();
    for (a, b) in data.iter().zip(buf.data()) {
        if a.is_nan() {
            assert_eq!(*b as f64, nodata);
        } else {
            assert_eq!(a, b);
        }
    }
    let qml = std::fs::read_to_string(qml_path(&path)).unwrap();
    assert!(qml.contains("singlebandpseudocolor") && qml.matches("<item ").count() == 11);
}
