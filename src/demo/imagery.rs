//! Synthetic true-colour imagery of today's event to map from: a pre-event and a post-event
//! three-band Byte GeoTIFF (red, green, blue; 10 m cells in the event's UTM zone; tiled,
//! DEFLATE, overviews) in `today/imagery/`, the post-event one with bare landslide scars
//! inside the inventory's polygons.
//!
//! Colour: vegetation green to rock brown with slope and a value-noise texture, lit by a
//! hillshade from the DEM's slope and aspect (sun in the north-west, 45° high); sea and
//! nodata dark blue. Its noise has its own layer seeds ("imagery-*"), so writing it changes
//! no other demo file.

use super::landslides::Landslides;
use super::noise::{layer_seed, Fbm};
use super::world::World;
use super::DemoError;
use crate::grid::GridSpec;
use crate::io::{burn_mask, write_atomically, GisError};
use gdal::raster::{Buffer, RasterCreationOptions};
use gdal::{DriverManager, Metadata};
use rayon::prelude::*;
use std::path::Path;

/// The pre-event image, relative to the event folder.
pub(crate) const PRE_EVENT: &str = "imagery/pre_event.tif";
/// The post-event image, relative to the event folder.
pub(crate) const POST_EVENT: &str = "imagery/post_event.tif";
/// Pixel size, metres.
const CELL_M: f64 = 10.0;

const VEGETATION: [f64; 3] = [52.0, 92.0, 44.0];
const ROCK: [f64; 3] = [128.0, 114.0, 92.0];
const SCAR: [f64; 3] = [200.0, 182.0, 152.0];
const WATER: [u8; 3] = [22, 40, 70];

/// Write both images under `dir` (the event folder).
pub(crate) fn write_imagery(
    dir: &Path,
    world: &World<'_>,
    slides: &Landslides,
) -> Result<(), DemoError> {
    let gis = |source: GisError| DemoError::Gis {
        event: world.sc.folder.into(),
        source,
    };
    let a = &world.area;
    let cols = (a.width() / CELL_M).round().max(1.0) as usize;
    let rows = (a.height() / CELL_M).round().max(1.0) as usize;
    let spec = GridSpec::new(
        cols,
        rows,
        a.x_min,
        a.y_max,
        CELL_M,
        CELL_M,
        world.utm_wkt.clone(),
    )
    .map_err(|e| gis(GisError::invalid(dir, e.to_string())))?;
    let features: Vec<_> = slides.polygons.iter().map(|p| vec![p.clone()]).collect();
    let scars = burn_mask(&features, &spec);
    let (pre, post) = colours(world, &spec, &scars);
    let pre_path = dir.join(PRE_EVENT);
    if let Some(parent) = pre_path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| DemoError::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    write_rgb(&pre_path, &spec, pre).map_err(gis)?;
    write_rgb(&dir.join(POST_EVENT), &spec, post).map_err(gis)
}

/// Band-sequential RGB bytes of the pre- and post-event images (pixels in parallel; each
/// is a pure function of its position, so the bytes never depend on the scheduling).
fn colours(world: &World<'_>, spec: &GridSpec, scars: &[bool]) -> (Vec<u8>, Vec<u8>) {
    let texture = Fbm::new(
        layer_seed(world.seed, world.index, "imagery-texture"),
        600.0,
        4,
        0.55,
    );
    let grain = Fbm::new(
        layer_seed(world.seed, world.index, "imagery-grain"),
        40.0,
        2,
        0.5,
    );
    let (sun_az, sun_alt) = (315f64.to_radians(), 45f64.to_radians());
    let pixel = |i: usize| -> ([u8; 3], [u8; 3]) {
        let (x, y) = spec.cell_centre(i / spec.cols, i % spec.cols);
        let Some((_, slope, aspect)) = world.dem.sample(x, y) else {
            return (WATER, WATER);
        };
        let (s, asp) = (
            f64::from(slope).to_radians(),
            f64::from(aspect).to_radians(),
        );
        let shade = (sun_alt.sin() * s.cos() + sun_alt.cos() * s.sin() * (sun_az - asp).cos())
            .clamp(0.0, 1.0);
        let light = 0.35 + 0.75 * shade;
        let rock = ((f64::from(slope) - 12.0) / 35.0 + 0.35 * texture.at(x, y)).clamp(0.0, 1.0);
        let g = 1.0 + 0.08 * grain.at(x, y);
        let pre: [u8; 3] = std::array::from_fn(|k| {
            let base = VEGETATION[k] + (ROCK[k] - VEGETATION[k]) * rock;
            (base * light * g).clamp(0.0, 255.0) as u8
        });
        let post = if scars.get(i).copied().unwrap_or(false) {
            std::array::from_fn(|k| (SCAR[k] * (0.8 + 0.25 * shade) * g).clamp(0.0, 255.0) as u8)
        } else {
            pre
        };
        (pre, post)
    };
    let n = spec.len();
    let px: Vec<([u8; 3], [u8; 3])> = (0..n).into_par_iter().map(pixel).collect();
    let planes = |post: bool| -> Vec<u8> {
        (0..3)
            .flat_map(|k| px.iter().map(move |(a, b)| if post { b[k] } else { a[k] }))
            .collect()
    };
    (planes(false), planes(true))
}

/// A three-band Byte GeoTIFF (tiled, DEFLATE, overviews 2–16), written atomically.
fn write_rgb(path: &Path, spec: &GridSpec, data: Vec<u8>) -> Result<(), GisError> {
    write_atomically(path, |tmp| {
        let driver = DriverManager::get_driver_by_name("GTiff")
            .map_err(|e| GisError::gdal(tmp, "GTiff driver", e))?;
        let options: RasterCreationOptions =
            "TILED=YES BLOCKXSIZE=256 BLOCKYSIZE=256 COMPRESS=DEFLATE PREDICTOR=2 PHOTOMETRIC=RGB"
                .parse()
                .map_err(|e| GisError::gdal(tmp, "creation options", e))?;
        let mut ds = driver
            .create_with_band_type_with_options::<u8, _>(tmp, spec.cols, spec.rows, 3, &options)
            .map_err(|e| GisError::gdal(tmp, "creating GeoTIFF", e))?;
        ds.set_geo_transform(&spec.geo_transform())
            .map_err(|e| GisError::gdal(tmp, "setting geotransform", e))?;
        ds.set_projection(&spec.crs_wkt)
            .map_err(|e| GisError::gdal(tmp, "setting CRS", e))?;
        for (k, name) in ["Red", "Green", "Blue"].iter().enumerate() {
            let mut band = ds
                .rasterband(k + 1)
                .map_err(|e| GisError::gdal(tmp, "band", e))?;
            band.set_description(name)
                .map_err(|e| GisError::gdal(tmp, "description", e))?;
            let n = spec.len();
            let mut buf = Buffer::new((spec.cols, spec.rows), data[k * n..(k + 1) * n].to_vec());
            band.write((0, 0), (spec.cols, spec.rows), &mut buf)
                .map_err(|e| GisError::gdal(tmp, "writing pixels", e))?;
        }
        ds.build_overviews("AVERAGE", &[2, 4, 8, 16], &[])
            .map_err(|e| GisError::gdal(tmp, "building overviews", e))?;
        ds.close()
            .map_err(|e| GisError::gdal(tmp, "closing GeoTIFF", e))?;
        Ok(())
    })
}
