//! Reading the inventory of a project (with its attribute filter) and its mapped extent.

use crate::event::{AnalysisGrid, InputError};
use crate::io::{burn_mask, read_vector, Polygon, VectorReadOptions};
use crate::project::Project;
use std::path::PathBuf;

/// The inventory on the analysis grid.
#[derive(Debug, Clone)]
pub enum Inventory {
    /// Polygon inventory.
    Polygons {
        /// the file
        path: PathBuf,
        /// polygon parts grouped per landslide, analysis CRS
        landslides: Vec<Vec<Polygon>>,
        /// fine cells whose centre is inside a landslide
        landslide_fine: Vec<bool>,
        /// invalid polygons repaired while reading
        repaired: usize,
    },
    /// Point inventory.
    Points {
        /// the file
        path: PathBuf,
        /// landslide points, analysis CRS
        points: Vec<[f64; 2]>,
    },
}

impl Inventory {
    /// Number of landslides.
    pub fn len(&self) -> usize {
        match self {
            Inventory::Polygons { landslides, .. } => landslides.len(),
            Inventory::Points { points, .. } => points.len(),
        }
    }
    /// True when there are no landslides.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Read the inventory (`None` when the project has none) and the mapped mask on the fine grid
/// (study area ∩ mapped extent; the whole study area when no mapped extent is given).
pub fn load_inventory(
    project: &Project,
    grid: &AnalysisGrid,
) -> Result<(Option<Inventory>, Vec<bool>), InputError> {
    let f = &project.file.inputs;
    let mapped = mapped_mask(project, grid)?;
    let Some(inv) = &f.inventory else {
        return Ok((None, mapped));
    };
    let path = project.resolve(&inv.path);
    let layer = read_vector(
        &path,
        &VectorReadOptions::new(&grid.fine.crs_wkt)
            .with_layer(inv.layer.clone())
            .with_filter(inv.filter.clone()),
    )?;
    // A mapped extent with an empty landslide layer is data: ground checked, none found.
    let checked_and_empty = f.mapped_extent.is_some() && inv.filter.is_none() && layer.skipped == 0;
    if layer.features.is_empty() && !checked_and_empty {
        let why = match (layer.skipped_summary(), &inv.filter) {
            (Some(types), _) => format!(
                "holds {types} and no polygon or point: the geometry type is not polygon (→ LAD) or point (→ LND)"
            ),
            (None, Some(flt)) => format!("no landslide is left after the filter `{flt}`"),
            (None, None) => "contains no landslide".into(),
        };
        return Err(InputError::Input {
            input: "inventory".into(),
            path,
            message: why,
        });
    }
    let inventory = if layer.is_points() {
        Inventory::Points {
            path,
            points: layer.points(),
        }
    } else {
        let landslides = layer.polygon_features();
        let landslide_fine = burn_mask(&landslides, &grid.fine);
        Inventory::Polygons {
            path,
            landslides,
            landslide_fine,
            repaired: layer.repaired,
        }
    };
    Ok((Some(inventory), mapped))
}

/// The mapped mask on the fine grid: study area ∩ mapped extent (the whole study area when
/// the project gives no mapped extent).
fn mapped_mask(project: &Project, grid: &AnalysisGrid) -> Result<Vec<bool>, InputError> {
    let mut mapped = grid.study_fine.clone();
    if let Some(m) = &project.file.inputs.mapped_extent {
        let path = project.resolve(&m.path);
        let layer = read_vector(
            &path,
            &VectorReadOptions::new(&grid.fine.crs_wkt).with_layer(m.layer.clone()),
        )?;
        let feats = layer.polygon_features();
        // SlideMap's own mapping file may hold no area, or areas off the study area, while a
        // mapper works: that is nothing mapped yet, not a broken input.
        let own = path == super::mapping_file::mapping_gpkg_path(&project.path);
        if feats.is_empty() && own {
            mapped.iter_mut().for_each(|m| *m = false);
        } else if feats.is_empty() {
            let message = match layer.skipped_summary() {
                Some(types) => format!("holds {types} and no polygon"),
                None => "contains no polygon".into(),
            };
            return Err(InputError::Input {
                input: "mapped extent".into(),
                path,
                message,
            });
        }
        let mask = burn_mask(&feats, &grid.fine);
        mapped.iter_mut().zip(mask).for_each(|(a, b)| *a &= b);
        if !mapped.iter().any(|m| *m) && !own {
            return Err(InputError::Input {
                input: "mapped extent".into(),
                path,
                message: "does not overlap the study area".into(),
            });
        }
    }
    Ok(mapped)
}
