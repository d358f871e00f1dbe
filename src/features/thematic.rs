//! Categorical inputs (lithology, land cover) onto the fine grid as class codes, with names:
//! rasters are warped with nearest/mode; polygons are burnt with the code of their class
//! (codes numbered by sorted class name).

use crate::event::{AnalysisGrid, InputError};
use crate::io::{
    burn_values, read_vector, warp_file_to_grid, AttrValue, GisError, Polygon, VectorLayer,
    VectorReadOptions, WarpOptions,
};
use crate::project::{Project, ThematicInput};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A categorical layer on the fine grid.
#[derive(Debug, Clone)]
pub struct ThematicLayer {
    /// Class code per fine cell (NaN = no class).
    pub codes: Vec<f32>,
    /// Code → class name.
    pub names: BTreeMap<i64, String>,
}

fn is_vector(path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    matches!(
        ext.as_str(),
        "gpkg" | "shp" | "geojson" | "json" | "kml" | "gml" | "fgb"
    )
}

/// Load lithology or land cover (`what` names it in errors) onto the fine grid.
pub fn load_thematic(
    project: &Project,
    input: &ThematicInput,
    grid: &AnalysisGrid,
    what: &str,
    name_of_code: impl Fn(i64) -> String,
) -> Result<ThematicLayer, InputError> {
    let path = project.resolve(&input.path);
    if !is_vector(&path) {
        return load_raster_classes(&path, input, grid, name_of_code);
    }
    load_polygon_classes(path, input, grid, what)
}

/// A class raster warped onto the fine grid; class names from `name_of_code`.
fn load_raster_classes(
    path: &Path,
    input: &ThematicInput,
    grid: &AnalysisGrid,
    name_of_code: impl Fn(i64) -> String,
) -> Result<ThematicLayer, InputError> {
    let g = warp_file_to_grid(
        path,
        &grid.fine,
        &WarpOptions::categorical().with_band(input.band.unwrap_or(1)),
    )?;
    let mut names = BTreeMap::new();
    for v in g.data.iter().filter(|v| !v.is_nan()) {
        let code = *v as i64;
        names.entry(code).or_insert_with(|| name_of_code(code));
    }
    Ok(ThematicLayer {
        codes: g.data,
        names,
    })
}

/// Class polygons burnt onto the fine grid, codes 1, 2, … in the order of the sorted
/// class names of `field`.
fn load_polygon_classes(
    path: PathBuf,
    input: &ThematicInput,
    grid: &AnalysisGrid,
    what: &str,
) -> Result<ThematicLayer, InputError> {
    let field = input.field.as_deref().ok_or_else(|| InputError::Input {
        input: what.into(),
        path: path.clone(),
        message: "polygons need `field = \"...\"` naming the class attribute".into(),
    })?;
    let layer = read_vector(
        &path,
        &VectorReadOptions::new(&grid.fine.crs_wkt).with_layer(input.layer.clone()),
    )?;
    let (classes, feats) = classed_polygons(layer, field, &path, what)?;
    if classes.is_empty() {
        return Err(InputError::Input {
            input: what.into(),
            path,
            message: format!("no polygon has a value in `{field}`"),
        });
    }
    let code_of: BTreeMap<&str, i64> = classes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i as i64 + 1))
        .collect();
    let burn: Vec<(Vec<Polygon>, f32)> = feats
        .iter()
        .map(|(p, n)| {
            (
                p.clone(),
                code_of.get(n.as_str()).copied().unwrap_or(0) as f32,
            )
        })
        .collect();
    let mut codes = vec![f32::NAN; grid.fine.len()];
    burn_values(&burn, &grid.fine, &mut codes);
    if codes.iter().all(|c| c.is_nan()) {
        return Err(InputError::Input {
            input: what.into(),
            path,
            message: "its polygons do not cover any cell of the study area".into(),
        });
    }
    let names = code_of
        .into_iter()
        .map(|(n, c)| (c, n.to_string()))
        .collect();
    Ok(ThematicLayer { codes, names })
}

/// The parts of each polygon feature with its class name.
type ClassedPolygons = Vec<(Vec<Polygon>, String)>;

/// Polygons with their class (the value of `field`; features without one are left out),
/// and the sorted distinct classes.
fn classed_polygons(
    layer: VectorLayer,
    field: &str,
    path: &Path,
    what: &str,
) -> Result<(Vec<String>, ClassedPolygons), GisError> {
    let mut classes: Vec<String> = Vec::new();
    let mut feats: ClassedPolygons = Vec::new();
    for f in layer.features.into_iter().filter(|f| !f.parts.is_empty()) {
        let v = f.attributes.get(field).ok_or_else(|| {
            GisError::invalid(
                path,
                format!(
                    "{what}: no attribute `{field}` in layer '{}'",
                    layer.layer_name
                ),
            )
        })?;
        if matches!(v, AttrValue::Null) {
            continue;
        }
        let name = v.to_string();
        classes.push(name.clone());
        feats.push((f.parts, name));
    }
    classes.sort();
    classes.dedup();
    Ok((classes, feats))
}
