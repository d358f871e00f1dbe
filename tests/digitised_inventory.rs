//! A mapper's digitised inventory (core `inventory::digitised`): LAD from mapped areas and
//! landslides against numbers worked out by hand on the small event's grid; the mapping
//! GeoPackage written, named in the project and read back by the pipeline with the same LAD
//! (including a mapped area with no landslide, LAD 0); digitised polygons adding to a
//! project's own inventory.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests panic on broken fixtures

mod common;

use common::small_event;
use slidemap::inventory::{
    lad_with_digitised, link_mapping_to_project, mapping_gpkg_path, read_mapping_gpkg,
    write_mapping_gpkg, BaseInventory, DensityOptions, Digitised, DigitisedPolygon,
};
use slidemap::pipeline::{build_event, EventData, FeatureOptions};
use slidemap::project::Project;
use std::path::Path;
use std::sync::atomic::AtomicBool;

fn build(p: &Project) -> EventData {
    let cancel = AtomicBool::new(false);
    build_event(
        p,
        &FeatureOptions::default().with_keep_fine_dem(false),
        &cancel,
        &|_, _| {},
    )
    .unwrap()
}

/// The small event without its inventory: what a responder has on day 0.
fn no_inventory(dir: &Path) -> Project {
    let p = small_event(dir);
    let text = std::fs::read_to_string(&p).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("inventory"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&p, text).unwrap();
    Project::load(&p).unwrap()
}

fn rect(label: &str, x0: f64, y0: f64, x1: f64, y1: f64) -> DigitisedPolygon {
    DigitisedPolygon {
        label: label.into(),
        ring: vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]],
    }
}

/// The analysis grid's top-left corner (it is snapped to whole coarse cells, so not the
/// DEM's): coarse cells are 200 m × 220 m of 10 × 10 fine cells (20 m × 22 m).
fn origin(data: &EventData) -> (f64, f64) {
    let g = &data.grid.fine;
    assert_eq!(
        (g.cell_width, g.cell_height, data.grid.block),
        (20.0, 22.0, 10)
    );
    (g.x_min, g.y_max)
}

#[test]
fn lad_counts_landslide_fine_cells_inside_mapped_areas_only() {
    let dir = tempfile::tempdir().unwrap();
    let p = no_inventory(dir.path());
    let data = build(&p);
    let g = &data.grid;
    let (x0, y1) = origin(&data);
    let base = BaseInventory::load(&p, g).unwrap();
    let d = Digitised {
        // 5 × 5 coarse cells mapped
        mapped_areas: vec![rect("area", x0, y1 - 1100.0, x0 + 1000.0, y1)],
        landslides: vec![
            // 5 × 5 fine cells in coarse cell (0, 0): LAD 0.25
            rect("a", x0, y1 - 110.0, x0 + 100.0, y1),
            // all 100 fine cells of coarse cell (4, 4): LAD 1
            rect("b", x0 + 800.0, y1 - 1100.0, x0 + 1000.0, y1 - 880.0),
            // outside the mapped area (coarse cell (0, 7)): does not count
            rect("c", x0 + 1400.0, y1 - 220.0, x0 + 1600.0, y1),
        ],
    };
    let lad = lad_with_digitised(g, &base, &d, DensityOptions::default());
    let cols = g.coarse.cols;
    let at = |r: usize, c: usize| lad[r * cols + c];
    assert_eq!(at(0, 0), 0.25);
    assert_eq!(at(4, 4), 1.0);
    assert_eq!(at(2, 2), 0.0);
    assert!(at(0, 7).is_nan(), "unmapped ground stays unknown");
    assert!(at(5, 0).is_nan());
    let known = lad.iter().filter(|v| !v.is_nan()).count();
    assert_eq!(known, 25);
}

#[test]
fn the_mapping_file_is_named_in_the_project_and_the_pipeline_reads_the_same_lad() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = no_inventory(dir.path());
    let data = build(&p);
    let crs = data.grid.fine.crs_wkt.clone();
    let (x0, y1) = origin(&data);
    let base = BaseInventory::load(&p, &data.grid).unwrap();
    let gpkg = mapping_gpkg_path(&p.path);
    assert_eq!(gpkg, dir.path().join("project_mapping.gpkg"));

    // Day 2: one area checked, nothing found. An empty landslide layer is data: LAD 0.
    let mut d = Digitised {
        mapped_areas: vec![rect("checked", x0, y1 - 660.0, x0 + 600.0, y1)],
        landslides: vec![],
    };
    write_mapping_gpkg(&gpkg, &crs, &d).unwrap();
    assert!(link_mapping_to_project(&mut p, &data.grid).unwrap());
    assert!(
        !link_mapping_to_project(&mut p, &data.grid).unwrap(),
        "linking twice changes nothing"
    );
    // no study area before: the grid's extent is kept as one, so the grid does not shrink
    let study = p.file.inputs.study_area.clone().unwrap();
    assert_eq!(study.path, Path::new("project_study_area.gpkg"));
    p.save().unwrap();
    let reloaded = Project::load(&p.path).unwrap();
    let from_file = build(&reloaded);
    assert_eq!(
        from_file.grid.fine, data.grid.fine,
        "the same analysis grid"
    );
    let known: Vec<f32> = from_file
        .table
        .target
        .iter()
        .copied()
        .filter(|v| !v.is_nan())
        .collect();
    assert_eq!(known.len(), 9);
    assert!(known.iter().all(|v| *v == 0.0));

    // Day 3: landslides; the window's LAD and the pipeline's agree cell for cell.
    d.landslides = vec![
        rect("ls 1", x0 + 20.0, y1 - 88.0, x0 + 120.0, y1 - 22.0),
        rect("ls 2", x0 + 400.0, y1 - 500.0, x0 + 460.0, y1 - 440.0),
    ];
    write_mapping_gpkg(&gpkg, &crs, &d).unwrap();
    let window = lad_with_digitised(&data.grid, &base, &d, DensityOptions::default());
    let pipeline = build(&reloaded).table.target;
    assert_eq!(window.len(), pipeline.len());
    for (a, b) in window.iter().zip(&pipeline) {
        assert!((a.is_nan() && b.is_nan()) || a == b, "{a} vs {b}");
    }
    assert!(window.iter().any(|v| *v > 0.0));

    // The file reads back in WGS 84 with its labels; no temporary file is left.
    let back = read_mapping_gpkg(&gpkg).unwrap();
    assert_eq!(back.landslides.len(), 2);
    assert_eq!(back.landslides[1].label, "ls 2");
    assert!((86.0..88.0).contains(&back.mapped_areas[0].ring[0][0]));
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // Every polygon deleted: the project still opens, with nothing mapped.
    write_mapping_gpkg(&gpkg, &crs, &Digitised::default()).unwrap();
    let empty = build(&reloaded);
    assert!(empty.table.target.iter().all(|v| v.is_nan()));
    write_mapping_gpkg(&gpkg, &crs, &d).unwrap();
    // Once the project names the file, the drawing is the whole inventory (no double count).
    let own = BaseInventory::load(&reloaded, &data.grid).unwrap();
    let again = lad_with_digitised(&data.grid, &own, &d, DensityOptions::default());
    assert_eq!(
        again.iter().filter(|v| !v.is_nan()).count(),
        window.iter().filter(|v| !v.is_nan()).count()
    );
}

#[test]
fn digitised_landslides_add_to_a_projects_own_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let p = Project::load(&small_event(dir.path())).unwrap();
    let data = build(&p);
    let base = BaseInventory::load(&p, &data.grid).unwrap();
    assert!(!base.points);
    // Nothing drawn: exactly the project's LAD.
    let same = lad_with_digitised(
        &data.grid,
        &base,
        &Digitised::default(),
        DensityOptions::default(),
    );
    for (a, b) in same.iter().zip(&data.table.target) {
        assert!((a.is_nan() && b.is_nan()) || a == b);
    }
    // A landslide over a whole coarse cell the inventory left empty.
    let (x0, y1) = origin(&data);
    let cols = data.grid.coarse.cols;
    let i = (0..data.table.target.len())
        .find(|&i| data.table.valid[i] && data.table.target[i] == 0.0 && i / cols > 2)
        .unwrap();
    let (r, c) = ((i / cols) as f64, (i % cols) as f64);
    let d = Digitised {
        mapped_areas: vec![],
        landslides: vec![rect(
            "new",
            x0 + c * 200.0,
            y1 - (r + 1.0) * 220.0,
            x0 + (c + 1.0) * 200.0,
            y1 - r * 220.0,
        )],
    };
    let more = lad_with_digitised(&data.grid, &base, &d, DensityOptions::default());
    assert_eq!(more[i], 1.0);
    let changed = more
        .iter()
        .zip(&data.table.target)
        .filter(|(a, b)| !((a.is_nan() && b.is_nan()) || a == b))
        .count();
    assert_eq!(changed, 1);
}

#[test]
fn several_layers_need_a_geopackage() {
    let dir = tempfile::tempdir().unwrap();
    let e = write_mapping_gpkg(
        &dir.path().join("mapping.geojson"),
        &common::wkt("EPSG:32645"),
        &Digitised::default(),
    )
    .unwrap_err();
    assert!(format!("{e:#}").contains(".gpkg"), "{e:#}");
}
