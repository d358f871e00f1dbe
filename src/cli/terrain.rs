//! `slidemap terrain DEM --out DIR`.

use super::progress::{bar, callback, cancel_flag};
use anyhow::{Context, Result};
use slidemap::grid::{check_grid_fits, Grid, TERRAIN_BYTES_PER_CELL};
use slidemap::io::{
    is_geographic, raster_info, read_raster, transform_points, wgs84_wkt, write_geotiff,
    GeoTiffOptions, OutDir,
};
use slidemap::terrain::{full_derivatives, DemView};
use std::path::Path;

/// Run the verb: the grid size is checked against memory before the DEM is read; outputs go
/// into a temporary sibling of `out`, renamed into place at the end ([`OutDir`]).
pub fn run(dem_path: &Path, final_out: &Path, overwrite: bool) -> Result<()> {
    let info = raster_info(dem_path)?;
    check_grid_fits(
        &format!("terrain of {}", dem_path.display()),
        info.spec.rows,
        info.spec.cols,
        TERRAIN_BYTES_PER_CELL,
        "crop or resample the DEM first (e.g. gdal_translate -srcwin, or gdalwarp -tr with larger cells)",
    )?;
    let out_dir = OutDir::prepare_for(final_out, overwrite, &[dem_path])?;
    let out = out_dir.path();
    // errors of the I/O layer name the file already
    let dem = read_raster(dem_path, 1)?;
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
        println!("wrote {}", out_dir.final_of(&path).display());
    }
    out_dir.commit()?;
    Ok(())
}
