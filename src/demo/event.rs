//! Generating and writing one demo event folder, layer after layer, in dependency order:
//! DEM → PGV → lithology → land cover → landslides → ground failure → coherence → project.

use super::byte_tiff::write_byte_geotiff;
use super::coherence::{simulate, to_grid, to_licsar_bytes};
use super::fault_pgv::{pgv_raster, Fault};
use super::landcover::LandCover;
use super::landslides::Landslides;
use super::layout::{event_date, names, Layout};
use super::lithology::Lithology;
use super::project_writer::write_project;
use super::scenarios::{Scenario, Sensor};
use super::terrain_gen::{generate_dem, slope_aspect, DemFields};
use super::world::{area_lonlat, frame, World};
use super::{check, DemoError, DemoOptions};
use crate::grid::GridSpec;
use crate::io::{write_geotiff, write_polygons, AttrValue, GeoTiffOptions, Polygon};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// Cell size of the demo DEMs, metres.
pub(crate) const DEM_CELL_M: f64 = 30.0;

fn tiff_opts(description: &str, unit: &str) -> GeoTiffOptions {
    GeoTiffOptions {
        overviews: false,
        description: Some(description.into()),
        unit: Some(unit.into()),
    }
}

fn attrs(pairs: &[(&str, AttrValue)]) -> BTreeMap<String, AttrValue> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// The error of a GIS write of event `ev`.
fn gis(ev: &str) -> impl Fn(crate::io::GisError) -> DemoError + '_ {
    move |source| DemoError::Gis {
        event: ev.into(),
        source,
    }
}

/// Generate one event into `dir`; returns the project file path. One stage per layer, in
/// dependency order (each writes its files and hands on what later layers need).
pub(crate) fn write_event(
    dir: &Path,
    sc: &Scenario,
    index: usize,
    layout: Layout,
    opts: &DemoOptions,
    cancel: &AtomicBool,
    progress: &dyn Fn(&str, f64),
) -> Result<PathBuf, DemoError> {
    let ev = sc.folder;
    create_parent(&dir.join(names::PROJECT))?;
    let step = |name: &str, f: f64| progress(&format!("{ev}: {name}"), f);

    step("terrain", 0.0);
    let world = write_terrain(dir, sc, index, opts)?;
    check(cancel)?;
    step("shaking", 0.15);
    let (fault, pgv, epicentre) = write_shaking(dir, &world)?;
    check(cancel)?;
    step("lithology", 0.25);
    let lith = write_lithology(dir, &world)?;
    check(cancel)?;
    step("land cover", 0.35);
    let lc = super::landcover::generate(&world)?;
    write_byte_geotiff(
        &dir.join(names::LAND_COVER),
        &lc.grid.spec,
        super::landcover::to_bytes(&lc),
        0,
        "ESA CCI land cover class",
    )
    .map_err(gis(ev))?;
    check(cancel)?;
    step("landslides", 0.45);
    let slides = write_landslides(dir, &world, &fault, &lith, &lc, layout)?;
    check(cancel)?;
    if layout == Layout::Responder {
        step("imagery", 0.5);
        super::imagery::write_imagery(dir, &world, &slides)?;
        check(cancel)?;
    }
    step("ground failure", 0.55);
    let gf = super::ground_failure::generate(&world, &pgv, &lith, &lc)?;
    write_geotiff(
        &dir.join(names::GROUND_FAILURE),
        &gf,
        &tiff_opts("landslide areal coverage (USGS-style)", "fraction"),
    )
    .map_err(gis(ev))?;
    check(cancel)?;
    let cx = CoherenceContext {
        lc: &lc,
        slides: &slides,
        fault: &fault,
        layout,
    };
    write_coherence(dir, &world, &cx, cancel, &step)?;
    step("project file", 0.97);
    write_project(dir, sc, epicentre, layout)
}

/// Create the folder a file goes into.
fn create_parent(path: &Path) -> Result<(), DemoError> {
    match path.parent() {
        Some(parent) => std::fs::create_dir_all(parent).map_err(|source| DemoError::Io {
            path: parent.to_path_buf(),
            source,
        }),
        None => Ok(()),
    }
}

/// The DEM (UTM, [`DEM_CELL_M`] cells over the scenario's area) and the world every later
/// layer is generated in.
fn write_terrain<'a>(
    dir: &Path,
    sc: &'a Scenario,
    index: usize,
    opts: &DemoOptions,
) -> Result<World<'a>, DemoError> {
    let ev = sc.folder;
    let (utm_wkt, wgs_wkt, area) = frame(sc).map_err(gis(ev))?;
    let ll = area_lonlat(&area, &utm_wkt, &wgs_wkt).map_err(gis(ev))?;
    let cols = (area.width() / DEM_CELL_M).round() as usize;
    let rows = (area.height() / DEM_CELL_M).round() as usize;
    let spec = GridSpec::new(
        cols,
        rows,
        area.x_min,
        area.y_max,
        DEM_CELL_M,
        DEM_CELL_M,
        utm_wkt.clone(),
    )
    .map_err(|e| DemoError::Invalid {
        event: ev.into(),
        message: e.to_string(),
    })?;
    let dem = generate_dem(sc, &spec, opts.seed, index);
    let (slope_deg, aspect_deg) = slope_aspect(&dem);
    write_geotiff(
        &dir.join(names::DEM),
        &dem,
        &tiff_opts("elevation", "metre"),
    )
    .map_err(gis(ev))?;
    Ok(World {
        sc,
        index,
        seed: opts.seed,
        utm_wkt,
        wgs_wkt,
        area,
        area_lonlat: ll,
        dem: DemFields {
            dem,
            slope_deg,
            aspect_deg,
        },
    })
}

/// The fault, the PGV raster (and a ShakeMap `grid.xml` when the scenario has one); returns
/// the fault, PGV and the epicentre (lon, lat: the fault's midpoint inside the area).
fn write_shaking(
    dir: &Path,
    world: &World<'_>,
) -> Result<(Fault, crate::grid::Grid<f32>, [f64; 2]), DemoError> {
    let (sc, area) = (world.sc, &world.area);
    let fault = Fault::new(world);
    let pgv = pgv_raster(world, &fault)?;
    write_geotiff(
        &dir.join(names::PGV_TIF),
        &pgv,
        &tiff_opts("peak ground velocity", "cm/s"),
    )
    .map_err(gis(sc.folder))?;
    let mid = [
        0.5 * (fault.trace[0][0] + fault.trace[1][0]),
        0.5 * (fault.trace[0][1] + fault.trace[1][1]),
    ];
    let mut epi = [[
        mid[0].clamp(area.x_min, area.x_max),
        mid[1].clamp(area.y_min, area.y_max),
    ]];
    world.to_lonlat(&mut epi)?;
    if sc.shakemap_xml {
        let (y, m, d) = sc.date;
        super::shakemap_xml::write_shakemap_xml(
            &dir.join(names::PGV_XML),
            &pgv,
            sc.name,
            &format!("{y:04}-{m:02}-{d:02}"),
            7.8,
            epi[0],
        )
        .map_err(gis(sc.folder))?;
    }
    Ok((fault, pgv, epi[0]))
}

/// Lithology polygons (GLiM classes) in the scenario's lithology CRS.
fn write_lithology(dir: &Path, world: &World<'_>) -> Result<Lithology, DemoError> {
    let sc = world.sc;
    let lith = super::lithology::generate(world)?;
    let lith_wkt = crate::io::srs_from_user(sc.lithology_crs)
        .and_then(|s| {
            s.to_wkt().map_err(|source| crate::io::GisError::Crs {
                definition: sc.lithology_crs.into(),
                source,
            })
        })
        .map_err(gis(sc.folder))?;
    let mut feats = Vec::with_capacity(lith.regions.len());
    for (poly, cls) in &lith.regions {
        let mut ring = poly.exterior.clone();
        crate::io::transform_points(
            &mut ring,
            &world.utm_wkt,
            &lith_wkt,
            Path::new(names::LITHOLOGY),
        )
        .map_err(gis(sc.folder))?;
        feats.push((
            vec![Polygon::new(ring)],
            attrs(&[("glim_class", AttrValue::Text(cls.code.into()))]),
        ));
    }
    write_polygons(&dir.join(names::LITHOLOGY), &lith_wkt, &feats).map_err(gis(sc.folder))?;
    Ok(lith)
}

/// The inventory (landslide polygons with id and area), the mapped extent and the study
/// area.
fn write_landslides(
    dir: &Path,
    world: &World<'_>,
    fault: &Fault,
    lith: &Lithology,
    lc: &LandCover,
    layout: Layout,
) -> Result<Landslides, DemoError> {
    let gis = gis(world.sc.folder);
    let slides = super::landslides::generate(world, fault, lith, lc)?;
    let inv: Vec<_> = slides
        .polygons
        .iter()
        .zip(&slides.areas_m2)
        .enumerate()
        .map(|(i, (p, a))| {
            (
                vec![p.clone()],
                attrs(&[
                    ("id", AttrValue::Int(i as i64 + 1)),
                    ("area_m2", AttrValue::Real((a * 10.0).round() / 10.0)),
                ]),
            )
        })
        .collect();
    let inventory = dir.join(layout.inventory());
    create_parent(&inventory)?;
    write_polygons(&inventory, &world.utm_wkt, &inv).map_err(&gis)?;
    let note = |s: &str| attrs(&[("note", AttrValue::Text(s.into()))]);
    write_polygons(
        &dir.join(layout.mapped_extent()),
        &world.utm_wkt,
        &[(
            vec![slides.mapped_extent.clone()],
            note("mapped; the hole was cloud-covered"),
        )],
    )
    .map_err(&gis)?;
    write_polygons(
        &dir.join(names::STUDY_AREA),
        &world.utm_wkt,
        &[(vec![slides.study_area.clone()], note("study area"))],
    )
    .map_err(&gis)?;
    Ok(slides)
}

/// What the coherence simulation needs from the earlier layers, and where files go.
struct CoherenceContext<'a> {
    lc: &'a LandCover,
    slides: &'a Landslides,
    fault: &'a Fault,
    layout: Layout,
}

/// The coherence files of every planned acquisition (pre-, co-, post-event and a sibling
/// pair): LiCSAR-style bytes for Sentinel-1, unit coherence for ALOS-2.
fn write_coherence(
    dir: &Path,
    world: &World<'_>,
    cx: &CoherenceContext<'_>,
    cancel: &AtomicBool,
    step: &dyn Fn(&str, f64),
) -> Result<(), DemoError> {
    let sc = world.sc;
    let date = event_date(sc)?;
    let n_acq = sc.acquisitions.len().max(1);
    for (i, plan) in sc.acquisitions.iter().enumerate() {
        step(
            &format!("coherence {} {}", plan.track, plan.pass.short()),
            0.6 + 0.35 * i as f64 / n_acq as f64,
        );
        let set = simulate(world, plan, i, cx.lc, &cx.slides.polygons, cx.fault)?;
        let mut layers = vec![("pre", set.pre), ("co", set.co), ("post", set.post)];
        if let Some(s) = set.sibling {
            layers.push(("sibling", s));
        }
        for (role, values) in layers {
            let path = dir.join(cx.layout.coherence(date, plan, role));
            create_parent(&path)?;
            let what = format!("{role}-event coherence");
            match plan.sensor {
                Sensor::Sentinel1 => {
                    write_byte_geotiff(&path, &set.spec, to_licsar_bytes(&values), 0, &what)
                }
                Sensor::Alos2 => write_geotiff(
                    &path,
                    &to_grid(&set.spec, values),
                    &tiff_opts(&what, "coherence"),
                ),
            }
            .map_err(gis(sc.folder))?;
        }
        check(cancel)?;
    }
    Ok(())
}
