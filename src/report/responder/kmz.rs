//! A KMZ overlay of one layer for Google Earth (people without a GIS).
//!
//! The archive holds, in this order: `doc.kml` (a `Document` with one `GroundOverlay` and a
//! legend `ScreenOverlay`), `overlay.png` (the coloured layer) and `legend.png`.
//!
//! - The grid is warped to EPSG:4326 (lon/lat, WGS 84) with nearest-neighbour resampling
//!   (values are not blended, masks keep their classes) onto a lon/lat grid of about the
//!   same number of cells, covering the grid's extent transformed to WGS 84 (edges
//!   densified). The `LatLonBox` is that extent (degrees; north/south latitude, east/west
//!   longitude). Grids crossing the antimeridian are not supported.
//! - Colours follow the [`LayerStyle`]: NaN (and cells outside the source grid) are fully
//!   transparent, as are values ≤ `min` when the style asks for it.
//! - Written atomically; identical inputs give identical bytes (fixed zip timestamps).

use super::qml::{xml_escape, LayerStyle, QmlRamp};
use super::zip_store::zip_stored;
use crate::grid::{Extent, Grid, GridSpec};
use crate::io::{
    atomic_write_bytes, same_crs, transform_extent, warp_grid, wgs84_wkt, Resampling, WarpOptions,
};
use crate::report::figures::{bold, font, fonts};
use crate::report::ReportError;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// Largest side of the overlay PNG, pixels (Google Earth's texture limit is far above).
const MAX_SIDE_PX: usize = 8192;

/// Write a KMZ with `grid` coloured by `style` as a ground overlay, atomically. `name` and
/// `description` are the KML document's (e.g. "Gorkha — predicted LAD, step 3" and where it
/// comes from); the overlay is named after `style.title`. Fails when the grid has no CRS
/// or no valid cell.
pub fn write_kmz(
    path: &Path,
    grid: &Grid<f32>,
    style: &LayerStyle,
    name: &str,
    description: &str,
) -> Result<(), ReportError> {
    if grid.spec.crs_wkt.trim().is_empty() {
        return Err(ReportError::unwritable(
            path,
            "the grid has no CRS, so it cannot be placed on the globe",
        ));
    }
    let wgs = wgs84_wkt().map_err(|e| ReportError::gis(path, e))?;
    let (lonlat, bbox) = to_lon_lat(grid, &wgs, path)?;
    let overlay = overlay_png(&lonlat, style).map_err(|m| ReportError::unwritable(path, m))?;
    let legend = legend_png(style).map_err(|message| ReportError::Plot {
        path: path.to_path_buf(),
        message,
    })?;
    let kml = doc_kml(&bbox, style, name, description);
    let zip = zip_stored(&[
        ("doc.kml", kml.as_bytes()),
        ("overlay.png", &overlay),
        ("legend.png", &legend),
    ])
    .map_err(|m| ReportError::unwritable(path, m))?;
    atomic_write_bytes(path, &zip).map_err(|e| ReportError::gis(path, e))
}

/// The grid on a lon/lat grid covering its WGS 84 extent, and that extent.
fn to_lon_lat(
    grid: &Grid<f32>,
    wgs: &str,
    path: &Path,
) -> Result<(Grid<f32>, Extent), ReportError> {
    let gis = |e| ReportError::gis(path, e);
    if same_crs(&grid.spec.crs_wkt, wgs) {
        return Ok((grid.clone(), grid.spec.extent()));
    }
    let ext = transform_extent(&grid.spec.extent(), &grid.spec.crs_wkt, wgs, path).map_err(gis)?;
    // square-ish lon/lat cells, about as many as the source has
    let cell = (ext.width() * ext.height() / grid.spec.len() as f64).sqrt();
    let side = |span: f64| ((span / cell).ceil() as usize).clamp(1, MAX_SIDE_PX);
    let (cols, rows) = (side(ext.width()), side(ext.height()));
    let target = GridSpec::new(
        cols,
        rows,
        ext.x_min,
        ext.y_max,
        ext.width() / cols as f64,
        ext.height() / rows as f64,
        wgs.to_string(),
    )
    .map_err(|e| ReportError::unwritable(path, format!("lon/lat grid: {e}")))?;
    let opts = WarpOptions::default().with_resampling(Resampling::Nearest);
    let warped = warp_grid(grid, path, &target, &opts).map_err(gis)?;
    Ok((warped, ext))
}

/// Encode an RGBA image as PNG.
fn png(width: u32, height: u32, rgba: Vec<u8>) -> Result<Vec<u8>, String> {
    let img = image::RgbaImage::from_raw(width, height, rgba)
        .ok_or_else(|| "the image buffer does not match its size".to_string())?;
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| format!("PNG encoding failed: {e}"))?;
    Ok(out.into_inner())
}

/// The coloured overlay: one pixel per cell, transparent where the style gives no colour.
fn overlay_png(grid: &Grid<f32>, style: &LayerStyle) -> Result<Vec<u8>, String> {
    let rgba: Vec<u8> = grid
        .data
        .iter()
        .flat_map(|v| style.colour_of(*v).unwrap_or([0, 0, 0, 0]))
        .collect();
    let side = |n: usize| u32::try_from(n).map_err(|_| "the overlay is too large".to_string());
    png(side(grid.spec.cols)?, side(grid.spec.rows)?, rgba)
}

/// Legend entries: (colour, label), top to bottom.
fn legend_entries(style: &LayerStyle) -> Vec<([u8; 4], String)> {
    if style.ramp == QmlRamp::Mask {
        return vec![
            (style.ramp.rgba(1.0), "landslides likely".to_string()),
            (style.ramp.rgba(0.0), "not likely".to_string()),
        ];
    }
    let (lo, hi) = style.range();
    (0..=5)
        .rev()
        .map(|i| {
            let t = f64::from(i) / 5.0;
            let v = lo + (hi - lo) * t as f32;
            let mut label = style.value_label(v);
            if i == 0 && style.transparent_at_or_below_min {
                label = format!("≤ {label} (transparent)");
            }
            (style.ramp.rgba(t), label)
        })
        .collect()
}

/// The legend: the title, then one swatch and label per entry, on white.
fn legend_png(style: &LayerStyle) -> Result<Vec<u8>, String> {
    const W: u32 = 320;
    const ROW: u32 = 22;
    if !fonts::ensure_registered() {
        return Err("the bundled font could not be loaded".into());
    }
    let entries = legend_entries(style);
    let h = 40 + ROW * entries.len() as u32;
    let mut rgb = vec![255u8; (W * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (W, h)).into_drawing_area();
        let draw = || -> Result<(), String> {
            let e = |e: DrawingAreaErrorKind<_>| e.to_string();
            let left = Pos::new(HPos::Left, VPos::Center);
            root.draw(&Text::new(
                style.title.clone(),
                (8, 16),
                bold(14.0).pos(left),
            ))
            .map_err(e)?;
            for (i, (c, label)) in entries.iter().enumerate() {
                let y = 40 + ROW as i32 * i as i32;
                let colour = RGBColor(c[0], c[1], c[2]);
                root.draw(&Rectangle::new([(10, y - 8), (40, y + 8)], colour.filled()))
                    .map_err(e)?;
                root.draw(&Rectangle::new(
                    [(10, y - 8), (40, y + 8)],
                    BLACK.stroke_width(1),
                ))
                .map_err(e)?;
                root.draw(&Text::new(label.clone(), (48, y), font(13.0).pos(left)))
                    .map_err(e)?;
            }
            root.present().map_err(e)
        };
        draw()?;
    }
    let rgba = rgb
        .chunks_exact(3)
        .flat_map(|p| [p[0], p[1], p[2], 255])
        .collect();
    png(W, h, rgba)
}

/// The KML document.
fn doc_kml(bbox: &Extent, style: &LayerStyle, name: &str, description: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
  <Document>
    <name>{name}</name>
    <description>{description}</description>
    <GroundOverlay>
      <name>{title}</name>
      <description>{about}</description>
      <Icon>
        <href>overlay.png</href>
      </Icon>
      <LatLonBox>
        <north>{north:.9}</north>
        <south>{south:.9}</south>
        <east>{east:.9}</east>
        <west>{west:.9}</west>
      </LatLonBox>
    </GroundOverlay>
    <ScreenOverlay>
      <name>Legend</name>
      <Icon>
        <href>legend.png</href>
      </Icon>
      <overlayXY x="0" y="1" xunits="fraction" yunits="fraction"/>
      <screenXY x="0.01" y="0.99" xunits="fraction" yunits="fraction"/>
      <size x="0" y="0" xunits="pixels" yunits="pixels"/>
    </ScreenOverlay>
  </Document>
</kml>
"#,
        name = xml_escape(name),
        description = xml_escape(description),
        title = xml_escape(&style.title),
        about = xml_escape(&style.description),
        north = bbox.y_max,
        south = bbox.y_min,
        east = bbox.x_max,
        west = bbox.x_min,
    )
}

#[cfg(test)]
mod tests {
    use super::super::qml::tests::check_well_formed;
    use super::super::zip_store::tests::read_stored;
    use super::*;
    use crate::io::srs_from_user;

    fn tag(kml: &str, name: &str) -> f64 {
        let open = format!("<{name}>");
        let start = kml.find(&open).unwrap() + open.len();
        let end = kml[start..].find('<').unwrap() + start;
        kml[start..end].parse().unwrap()
    }

    #[test]
    fn a_utm_grid_becomes_a_ground_overlay_at_its_wgs84_extent() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("lad.kmz");
        let utm = srs_from_user("EPSG:32645").unwrap().to_wkt().unwrap();
        let spec = GridSpec::new(40, 30, 480_000.0, 3_110_000.0, 100.0, 100.0, utm).unwrap();
        let mut g = Grid::filled(spec.clone(), 0.3f32);
        // the whole north-west quarter is NaN
        for r in 0..15 {
            for c in 0..20 {
                g.data[r * 40 + c] = f32::NAN;
            }
        }
        let style = LayerStyle::gradient("Predicted LAD", "fraction", QmlRamp::Viridis, 0.0, 0.5);
        write_kmz(&p, &g, &style, "Test & event", "step 1").unwrap();

        let files = read_stored(&std::fs::read(&p).unwrap());
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["doc.kml", "overlay.png", "legend.png"]);
        let kml = String::from_utf8(files[0].1.clone()).unwrap();
        check_well_formed(&kml);
        assert!(kml.contains("<GroundOverlay>") && kml.contains("<href>overlay.png</href>"));
        assert!(kml.contains("<name>Test &amp; event</name>"));
        let wgs = wgs84_wkt().unwrap();
        let expected = transform_extent(&spec.extent(), &spec.crs_wkt, &wgs, &p).unwrap();
        for (t, v) in [
            ("north", expected.y_max),
            ("south", expected.y_min),
            ("east", expected.x_max),
            ("west", expected.x_min),
        ] {
            assert!(
                (tag(&kml, t) - v).abs() < 1e-4,
                "{t}: {} vs {v}",
                tag(&kml, t)
            );
        }
        // the grid's corners lie inside the box (independent of the densified transform)
        let mut corners = [
            [spec.x_min, spec.y_max],
            [spec.x_max(), spec.y_max],
            [spec.x_min, spec.y_min()],
            [spec.x_max(), spec.y_min()],
        ];
        crate::io::transform_points(&mut corners, &spec.crs_wkt, &wgs, &p).unwrap();
        for [lon, lat] in corners {
            assert!(lon >= tag(&kml, "west") - 1e-9 && lon <= tag(&kml, "east") + 1e-9);
            assert!(lat >= tag(&kml, "south") - 1e-9 && lat <= tag(&kml, "north") + 1e-9);
        }

        let png = image::load_from_memory(&files[1].1).unwrap().to_rgba8();
        let (w, h) = png.dimensions();
        // the centre of the NaN quarter is transparent, the centre of the SE quarter is
        // the colour of 0.3 on viridis over 0..0.5, opaque
        assert_eq!(png.get_pixel(w / 5, h / 5).0[3], 0);
        let c = style.colour_of(0.3).unwrap();
        assert_eq!(png.get_pixel(4 * w / 5, 4 * h / 5).0, c);
        let legend = image::load_from_memory(&files[2].1).unwrap();
        assert!(legend.width() > 0);
    }

    #[test]
    fn a_lon_lat_mask_keeps_its_box_and_classes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("mask.kmz");
        let spec = GridSpec::new(4, 2, 85.0, 28.0, 0.01, 0.01, wgs84_wkt().unwrap()).unwrap();
        let g = Grid::from_vec(spec, vec![0., 1., 255., f32::NAN, 1., 1., 0., 0.]).unwrap();
        write_kmz(&p, &g, &LayerStyle::mask("Landslides likely"), "m", "").unwrap();
        let files = read_stored(&std::fs::read(&p).unwrap());
        let kml = String::from_utf8(files[0].1.clone()).unwrap();
        assert!((tag(&kml, "north") - 28.0).abs() < 1e-9);
        assert!((tag(&kml, "south") - 27.98).abs() < 1e-9);
        assert!((tag(&kml, "east") - 85.04).abs() < 1e-9);
        let png = image::load_from_memory(&files[1].1).unwrap().to_rgba8();
        assert_eq!(png.dimensions(), (4, 2));
        let alpha: Vec<u8> = png.pixels().map(|p| p.0[3]).collect();
        assert_eq!(alpha, [128, 255, 0, 0, 255, 255, 128, 128]);
    }

    #[test]
    fn a_grid_without_crs_is_refused_with_the_file_name() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nocrs.kmz");
        let spec = GridSpec::new(2, 2, 0.0, 2.0, 1.0, 1.0, String::new()).unwrap();
        let e =
            write_kmz(&p, &Grid::filled(spec, 1.0), &LayerStyle::mask("m"), "", "").unwrap_err();
        assert!(e.to_string().contains("nocrs.kmz"), "{e}");
        assert!(!p.exists());
    }
}
