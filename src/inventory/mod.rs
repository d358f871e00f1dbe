//! Landslide inventories: polygons → landslide areal density (LAD), points → landslide
//! number density (LND), with the mapped extent deciding which cells are known.
//!
//! Contract: LAD and LND are per coarse cell; cells outside the mapped extent (or inside its
//! holes) are *unmapped* and `NaN`, never zero; they are excluded from training and testing.

mod density;
mod digitised;
mod load;

pub use density::{landslide_areal_density, landslide_number_density, DensityOptions};
pub use digitised::{
    lad_with_digitised, link_mapping_to_project, mapping_gpkg_path, read_mapping_gpkg,
    study_area_gpkg_path, write_mapping_gpkg, BaseInventory, Digitised, DigitisedPolygon,
    LANDSLIDES_LAYER, MAPPED_AREAS_LAYER,
};
pub use load::{load_inventory, Inventory};
