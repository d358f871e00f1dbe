//! Digitising benchmark (issue: the mapper's workbench, "LAD of the affected cells updates
//! within a second").
//!
//! `cargo bench --bench mapping` measures, on the demo's largest event (Gorkha-like, 1.2 M
//! fine cells), the window's update after an edit: the drawn polygons moved from lon/lat to
//! the project CRS, LAD recomputed from them (`inventory::lad_with_digitised`), the mapping
//! GeoPackage written (two layers, atomic), and the LAD layer warped for display. Two shapes:
//! *day 2* (three mapped areas of about 3 km × 3 km and the landslides inside them) and
//! *full* (the event's whole inventory in one mapped area, the worst case).
//!
//! Reference: `gdal_rasterize` burning the same two layers onto the same fine grid (two runs
//! of the CLI, GeoTIFF output), in the same run; ratio = ours (LAD alone) / theirs.

use slidemap::demo::{demo_project_paths, write_demo, DemoOptions};
use slidemap::inventory::{
    lad_with_digitised, write_mapping_gpkg, BaseInventory, DensityOptions, Digitised,
    DigitisedPolygon,
};
use slidemap::io::{read_vector, wgs84_wkt, VectorReadOptions};
use slidemap::pipeline::{build_event, EventData, FeatureOptions};
use slidemap::project::Project;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> DigitisedPolygon {
    DigitisedPolygon {
        label: "area".into(),
        ring: vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]],
    }
}

/// The event's inventory polygons (project CRS), first exterior ring each.
fn inventory(p: &Project, crs: &str) -> BenchResult<Vec<DigitisedPolygon>> {
    let inv = p.file.inputs.inventory.as_ref().ok_or("no inventory")?;
    let layer = read_vector(&p.resolve(&inv.path), &VectorReadOptions::new(crs))?;
    Ok(layer
        .features
        .iter()
        .flat_map(|f| f.parts.first())
        .map(|part| DigitisedPolygon {
            label: "ls".into(),
            ring: part.exterior.clone(),
        })
        .collect())
}

fn best_of<T>(n: usize, mut f: impl FnMut() -> BenchResult<T>) -> BenchResult<(f64, T)> {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..n {
        let t = Instant::now();
        let r = f()?;
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    Ok((best, out.ok_or("no run")?))
}

/// The shape's polygons in lon/lat, as the window holds them.
fn to_lon_lat(d: &Digitised, crs: &str) -> BenchResult<Digitised> {
    Ok(d.transformed(crs, &wgs84_wkt()?)?)
}

fn gdal_rasterize(gpkg: &Path, layer: &str, data: &EventData, out: &Path) -> BenchResult<()> {
    let f = &data.grid.fine;
    let e = f.extent();
    let status = Command::new("gdal_rasterize")
        .args(["-q", "-l", layer, "-burn", "1", "-ot", "Byte", "-te"])
        .args([e.x_min, e.y_min, e.x_max, e.y_max].map(|v| v.to_string()))
        .args(["-tr", &f.cell_width.to_string(), &f.cell_height.to_string()])
        .arg(gpkg)
        .arg(out)
        .status()?;
    if !status.success() {
        return Err(format!("gdal_rasterize failed on {}", gpkg.display()).into());
    }
    Ok(())
}

fn shape(
    name: &str,
    data: &EventData,
    base: &BaseInventory,
    d: &Digitised,
    dir: &Path,
) -> BenchResult<()> {
    let crs = data.grid.fine.crs_wkt.clone();
    let ll = to_lon_lat(d, &crs)?;
    let gpkg = dir.join(format!("{name}_mapping.gpkg"));
    let (t_transform, local) = best_of(5, || Ok(ll.from_lon_lat(&crs)?))?;
    let (t_lad, lad) = best_of(5, || {
        Ok(lad_with_digitised(
            &data.grid,
            base,
            &local,
            DensityOptions::default(),
        ))
    })?;
    let (t_write, _) = best_of(3, || Ok(write_mapping_gpkg(&gpkg, &crs, &local)?))?;
    let grid = slidemap::grid::Grid::from_vec(data.grid.coarse.clone(), lad.clone())?;
    let (t_display, _) = best_of(3, || {
        Ok(slidemap::gui::display_warp::warp_for_display(
            &grid,
            Path::new("LAD"),
        )?)
    })?;
    let (t_ref, _) = best_of(3, || {
        gdal_rasterize(&gpkg, "landslides", data, &dir.join("ls.tif"))?;
        gdal_rasterize(&gpkg, "mapped_areas", data, &dir.join("ma.tif"))
    })?;
    let known = lad.iter().filter(|v| !v.is_nan()).count();
    let total = t_transform + t_lad + t_write + t_display;
    println!(
        "{name}: {} mapped areas, {} landslides, {known} known coarse cells of {} ({} fine cells)",
        d.mapped_areas.len(),
        d.landslides.len(),
        lad.len(),
        data.grid.fine.len()
    );
    println!(
        "  update {:.3} s = transform {:.3} + LAD {:.3} + GeoPackage {:.3} + display warp {:.3}",
        total, t_transform, t_lad, t_write, t_display
    );
    println!(
        "  gdal_rasterize (both layers, CLI) {:.3} s; LAD / gdal_rasterize = {:.2}",
        t_ref,
        t_lad / t_ref
    );
    Ok(())
}

fn main() -> BenchResult<()> {
    let dir = tempfile::tempdir()?;
    let cancel = AtomicBool::new(false);
    write_demo(dir.path(), &DemoOptions::default(), &cancel, &|_, _| {})?;
    let p = Project::load(&demo_project_paths(dir.path())[0])?;
    let data = build_event(
        &p,
        &FeatureOptions::default().with_keep_fine_dem(false),
        &cancel,
        &|_, _| {},
    )?;
    let crs = data.grid.fine.crs_wkt.clone();
    let all = inventory(&p, &crs)?;
    // The project's own inventory is left out (a new event): the drawing is the inventory.
    let mut bare = p.clone();
    bare.file.inputs.inventory = None;
    bare.file.inputs.mapped_extent = None;
    let base = BaseInventory::load(&bare, &data.grid)?;
    let e = data.grid.fine.extent();
    let (w, h) = (e.x_max - e.x_min, e.y_max - e.y_min);
    let areas: Vec<DigitisedPolygon> = [(0.2, 0.3), (0.5, 0.5), (0.7, 0.2)]
        .iter()
        .map(|(fx, fy)| {
            let (x, y) = (e.x_min + fx * w, e.y_min + fy * h);
            rect(x, y, x + 3000.0, y + 3000.0)
        })
        .collect();
    let inside = |p: &DigitisedPolygon| {
        areas.iter().any(|a| {
            let (x, y) = (p.ring[0][0], p.ring[0][1]);
            x > a.ring[0][0] && x < a.ring[1][0] && y > a.ring[0][1] && y < a.ring[2][1]
        })
    };
    let day2 = Digitised {
        landslides: all.iter().filter(|p| inside(p)).cloned().collect(),
        mapped_areas: areas.clone(),
    };
    shape("day 2", &data, &base, &day2, dir.path())?;
    let full = Digitised {
        landslides: all,
        mapped_areas: vec![rect(e.x_min, e.y_min, e.x_max, e.y_max)],
    };
    shape("full", &data, &base, &full, dir.path())?;
    Ok(())
}
