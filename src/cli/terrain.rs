//! `slidemap terrain DEM --out DIR`.

use super::progress::{bar, callback, cancel_flag};
use anyhow::{Context, Result};
use slidemap::grid::Grid;
use slidemap::io::{
    is_geographic, read_raster, transform_points, wgs84_wkt, write_geotiff, GeoTiffOptions,
};
use slidemap::terrain::{full_derivatives, DemView};
use std::path::Path;

/// Run the verb.
pub fn run(dem_path: &Path, out: &Path) -> Result<()> {
    let dem = read_raster(dem_path, 1)
        .with_context(|| format!("reading the DEM {}", dem_path.display()))?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let s = &dem.spec;
    let (mut w, mut h) = (s.cell_width, s.cell_height);
    if is_geographic(&s.crs_wkt) {
        // metres per degree at the DEM centre (WGS 84 approximations), like gdaldem -s
        let (cx, cy) = s.extent().centre();
        let mut p = [[cx, cy]];
        transform_points(&mut p, &s.crs_wkt, &wgs84_wkt()?, dem_path)?;
        let lat = p[0][1].to_radians();
        w *= 111_320.0 * lat.cos();
        h *= 110_540.0;
        eprintln!("note: {} is in geographic coordinates; using {w:.1} m × {h:.1} m cells at its centre latitude", dem_path.display());
    }
    let pb = bar("terrain");
    let d = full_derivatives(
        &DemView::new(&dem.data, s.rows, s.cols, w, h),
        &cancel_flag(),
        &callback(&pb),
    )
    .with_context(|| format!("terrain of {}", dem_path.display()))?;
    pb.finish_and_clear();
    for (name, data, unit, what) in [
        ("slope.tif", d.slope_deg, "degrees", "slope (Horn)"),
        (
            "aspect.tif",
            d.aspect_deg,
            "degrees",
            "aspect (Horn, clockwise from north, downslope)",
        ),
        (
            "flow_accumulation.tif",
            d.flow_accumulation_cells,
            "cells",
            "D8 flow accumulation (contributing cells incl. itself)",
        ),
        (
            "cti.tif",
            d.cti,
            "",
            "compound topographic index ln(a/tan b)",
        ),
    ] {
        let path = out.join(name);
        let g = Grid {
            spec: s.clone(),
            data,
        };
        write_geotiff(
            &path,
            &g,
            &GeoTiffOptions {
                description: Some(what.into()),
                unit: Some(unit.into()),
                ..GeoTiffOptions::default()
            },
        )?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
