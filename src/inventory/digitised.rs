//! A mapper's own inventory: landslide polygons digitised inside *mapped areas* (ground the
//! mapper has checked), turned into LAD on the analysis grid and kept as the event's
//! inventory GeoPackage next to the project (layers `landslides` and `mapped_areas`, project
//! CRS, written atomically).
//!
//! Digitised polygons add to the project's own inventory: the landslide mask is the union of
//! both, the mapped mask the union of both mapped extents. When the project's inventory *is*
//! the mapping GeoPackage, the digitised polygons are the whole inventory (so deleting one
//! takes it away). A landslide counts only where it lies inside a mapped area; a coarse cell
//! is known once half of its fine cells are mapped ([`DensityOptions`]).

use super::mapping_file::{
    mapping_gpkg_path, study_area_gpkg_path, LANDSLIDES_LAYER, MAPPED_AREAS_LAYER,
};
use super::{landslide_areal_density, load_inventory, DensityOptions, Inventory};
use crate::event::{AnalysisGrid, InputError};
use crate::io::{
    burn_mask, read_vector, transform_points, wgs84_wkt, write_polygon_layers, AttrValue, GisError,
    Polygon, VectorReadOptions,
};
use crate::project::{InventoryInput, Project, VectorInput};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One digitised polygon: a label and an open exterior ring.
#[derive(Debug, Clone, PartialEq)]
pub struct DigitisedPolygon {
    /// Free text (who mapped it, from which image).
    pub label: String,
    /// Exterior ring, open (first vertex not repeated).
    pub ring: Vec<[f64; 2]>,
}

/// The polygons a mapper digitised, in one CRS.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Digitised {
    /// Landslides.
    pub landslides: Vec<DigitisedPolygon>,
    /// Mapped areas: ground checked, landslides or not.
    pub mapped_areas: Vec<DigitisedPolygon>,
}

impl Digitised {
    /// Nothing digitised.
    pub fn is_empty(&self) -> bool {
        self.landslides.is_empty() && self.mapped_areas.is_empty()
    }

    /// The same polygons moved from `src_wkt` to `dst_wkt` (every vertex in one
    /// transformation: thousands of landslides cost one PROJ set-up, not one each).
    pub fn transformed(&self, src_wkt: &str, dst_wkt: &str) -> Result<Digitised, GisError> {
        let all = self.landslides.iter().chain(&self.mapped_areas);
        let mut points: Vec<[f64; 2]> = all.clone().flat_map(|p| p.ring.iter().copied()).collect();
        transform_points(
            &mut points,
            src_wkt,
            dst_wkt,
            Path::new("digitised polygons"),
        )?;
        let mut rest = points.as_slice();
        let mut moved = all.map(|p| {
            let (ring, tail) = rest.split_at(p.ring.len());
            rest = tail;
            DigitisedPolygon {
                label: p.label.clone(),
                ring: ring.to_vec(),
            }
        });
        let landslides = moved.by_ref().take(self.landslides.len()).collect();
        let mapped_areas = moved.collect();
        Ok(Digitised {
            landslides,
            mapped_areas,
        })
    }

    /// The same polygons from (lon, lat) WGS 84 into `dst_wkt`.
    pub fn from_lon_lat(&self, dst_wkt: &str) -> Result<Digitised, GisError> {
        self.transformed(&wgs84_wkt()?, dst_wkt)
    }
}

/// The project's own inventory on the fine grid, which digitised polygons add to.
#[derive(Debug, Clone)]
pub struct BaseInventory {
    landslide_fine: Vec<bool>,
    mapped_fine: Vec<bool>,
    /// The project's inventory is points (LND): digitised polygons cannot be merged into it.
    pub points: bool,
}

impl BaseInventory {
    /// Read the project's inventory and mapped extent; empty when the project has no
    /// inventory or when its inventory is the mapping GeoPackage itself.
    pub fn load(project: &Project, grid: &AnalysisGrid) -> Result<Self, InputError> {
        let n = grid.fine.len();
        let empty = Self {
            landslide_fine: vec![false; n],
            mapped_fine: vec![false; n],
            points: false,
        };
        let own = mapping_gpkg_path(&project.path);
        let Some(inv) = &project.file.inputs.inventory else {
            return Ok(empty);
        };
        if project.resolve(&inv.path) == own {
            return Ok(empty);
        }
        match load_inventory(project, grid)? {
            (Some(Inventory::Polygons { landslide_fine, .. }), mapped) => Ok(Self {
                landslide_fine,
                mapped_fine: mapped,
                points: false,
            }),
            (Some(Inventory::Points { .. }), _) => Ok(Self {
                points: true,
                ..empty
            }),
            (None, _) => Ok(empty),
        }
    }
}

/// LAD per coarse cell from the project's inventory plus the digitised polygons (in the
/// analysis CRS); NaN where less than half a coarse cell is mapped.
pub fn lad_with_digitised(
    grid: &AnalysisGrid,
    base: &BaseInventory,
    digitised: &Digitised,
    opts: DensityOptions,
) -> Vec<f32> {
    let parts = |ps: &[DigitisedPolygon]| -> Vec<Vec<Polygon>> {
        ps.iter()
            .filter(|p| p.ring.len() >= 3)
            .map(|p| vec![Polygon::new(p.ring.clone())])
            .collect()
    };
    let mut landslide = burn_mask(&parts(&digitised.landslides), &grid.fine);
    let mut mapped = burn_mask(&parts(&digitised.mapped_areas), &grid.fine);
    for (i, m) in mapped.iter_mut().enumerate() {
        *m = (*m && grid.study_fine[i]) || base.mapped_fine[i];
        landslide[i] |= base.landslide_fine[i];
    }
    landslide_areal_density(&landslide, &mapped, grid.blocks(), opts)
}

fn features(ps: &[DigitisedPolygon]) -> Vec<(Vec<Polygon>, BTreeMap<String, AttrValue>)> {
    ps.iter()
        .map(|p| {
            let mut ring = p.ring.clone();
            if let Some(first) = ring.first().copied() {
                ring.push(first);
            }
            let mut attrs = BTreeMap::new();
            attrs.insert("label".to_string(), AttrValue::Text(p.label.clone()));
            (vec![Polygon::new(ring)], attrs)
        })
        .collect()
}

/// Write the mapping GeoPackage (both layers, `crs_wkt`, atomically).
pub fn write_mapping_gpkg(path: &Path, crs_wkt: &str, d: &Digitised) -> Result<(), GisError> {
    let ls = features(&d.landslides);
    let ma = features(&d.mapped_areas);
    write_polygon_layers(
        path,
        crs_wkt,
        &[(LANDSLIDES_LAYER, &ls), (MAPPED_AREAS_LAYER, &ma)],
    )
}

/// Read a mapping GeoPackage back into (lon, lat) polygons (holes dropped).
pub fn read_mapping_gpkg(path: &Path) -> Result<Digitised, GisError> {
    let wgs = wgs84_wkt()?;
    let layer = |name: &str| -> Result<Vec<DigitisedPolygon>, GisError> {
        let l = read_vector(
            path,
            &VectorReadOptions::new(&wgs).with_layer(Some(name.into())),
        )?;
        Ok(l.features
            .iter()
            .flat_map(|f| {
                let label = f.attributes.get("label").map(|v| v.to_string());
                f.parts.iter().map(move |p| {
                    let mut ring = p.exterior.clone();
                    if ring.len() > 1 && ring.first() == ring.last() {
                        ring.pop();
                    }
                    DigitisedPolygon {
                        label: label.clone().unwrap_or_default(),
                        ring,
                    }
                })
            })
            .collect())
    };
    Ok(Digitised {
        landslides: layer(LANDSLIDES_LAYER)?,
        mapped_areas: layer(MAPPED_AREAS_LAYER)?,
    })
}

/// Name the mapping GeoPackage as the project's inventory and mapped extent when the project
/// has neither; returns true when the project changed (the caller saves it).
///
/// Without a study area the analysis grid would shrink to the mapped extent (the grid's
/// rule: study area, else mapped extent, else DEM), and the same-event map would cover only
/// the mapped areas. So a project without one gets the current grid's extent written as
/// `<stem>_study_area.gpkg` and named as its study area: the grid stays the same.
pub fn link_mapping_to_project(
    project: &mut Project,
    grid: &AnalysisGrid,
) -> Result<bool, GisError> {
    let inputs = &project.file.inputs;
    if inputs.inventory.is_some() || inputs.mapped_extent.is_some() {
        return Ok(false);
    }
    let rel_of = |p: &Path| PathBuf::from(p.file_name().unwrap_or_default());
    if inputs.study_area.is_none() {
        let path = study_area_gpkg_path(&project.path);
        let e = grid.fine.extent();
        let ring = vec![
            [e.x_min, e.y_min],
            [e.x_max, e.y_min],
            [e.x_max, e.y_max],
            [e.x_min, e.y_max],
            [e.x_min, e.y_min],
        ];
        let mut attrs = BTreeMap::new();
        attrs.insert(
            "note".to_string(),
            AttrValue::Text("the analysis grid before mapping began".into()),
        );
        crate::io::write_polygons(
            &path,
            &grid.fine.crs_wkt,
            &[(vec![Polygon::new(ring)], attrs)],
        )?;
        project.file.inputs.study_area = Some(VectorInput {
            path: rel_of(&path),
            layer: None,
        });
    }
    let rel = rel_of(&mapping_gpkg_path(&project.path));
    project.file.inputs.inventory = Some(InventoryInput {
        path: rel.clone(),
        layer: Some(LANDSLIDES_LAYER.into()),
        filter: None,
    });
    project.file.inputs.mapped_extent = Some(VectorInput {
        path: rel,
        layer: Some(MAPPED_AREAS_LAYER.into()),
    });
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mapping_file_sits_beside_the_project() {
        assert_eq!(
            mapping_gpkg_path(Path::new("/data/nepal/event.toml")),
            PathBuf::from("/data/nepal/event_mapping.gpkg")
        );
    }
}
