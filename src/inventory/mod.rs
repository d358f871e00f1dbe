//! Landslide inventories: polygons → landslide areal density (LAD), points → landslide
//! number density (LND), with the mapped extent deciding which cells are known.
//!
//! Contract: LAD and LND are per coarse cell; cells outside the mapped extent (or inside its
//! holes) are *unmapped* and `NaN`, never zero; they are excluded from training and testing.

mod density;
mod digitised;
mod load;
mod mapping_file;

pub use density::{landslide_areal_density, landslide_number_density, DensityOptions};
pub use digitised::{
    lad_with_digitised, link_mapping_to_project, read_mapping_gpkg, write_mapping_gpkg,
    BaseInventory, Digitised, DigitisedPolygon,
};
pub use load::{load_inventory, Inventory};
pub use mapping_file::{
    mapping_gpkg_path, study_area_gpkg_path, LANDSLIDES_LAYER, MAPPED_AREAS_LAYER,
};
