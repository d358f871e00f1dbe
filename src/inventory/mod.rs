//! Landslide inventories: polygons → landslide areal density (LAD), points → landslide
//! number density (LND), with the mapped extent deciding which cells are known.
//!
//! Contract: LAD and LND are per coarse cell; cells outside the mapped extent (or inside its
//! holes) are *unmapped* and `NaN`, never zero; they are excluded from training and testing.

mod density;
mod load;

pub use density::{landslide_areal_density, landslide_number_density, DensityOptions};
pub use load::{load_inventory, Inventory};
