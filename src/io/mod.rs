//! GIS input/output through GDAL/OGR: rasters, warping onto the analysis grid, vectors,
//! rasterisation, ShakeMap `grid.xml`, true-colour imagery ([`imagery_info`]), atomic
//! file writes and output folders, input checks.
//!
//! Also: output folders written whole ([`OutDir`]), input paths checked for being regular
//! files ([`check_input_file`]) and GDAL's messages routed through SlideMap's logging
//! ([`install_gdal_log`]).
//!
//! Contract: every function takes paths and returns owned [`crate::grid::Grid`] values or
//! plain polygons in the requested CRS; nodata becomes `NaN`; errors name the file.
//! Coordinates are always (x = easting/longitude, y = northing/latitude): every
//! `SpatialRef` built here uses GDAL's traditional GIS axis order, so EPSG:4326 is
//! (lon, lat) everywhere in SlideMap.

mod atomic;
mod crs;
mod error;
mod gdal_log;
mod geometry;
mod imagery;
mod imagery_resample;
mod input_file;
mod out_dir;
mod pgv;
mod polygon_union;
mod raster;
mod rasterize;
mod shakemap;
mod vector;
mod vector_write;
mod warp;

pub use atomic::{atomic_write_bytes, finish_atomic, temp_sibling, write_atomically};
pub use crs::{
    is_geographic, same_crs, srs_from_user, srs_from_wkt, transform_extent, transform_points,
    utm_epsg_for_lon_lat, wgs84_wkt,
};
pub use error::GisError;
pub use gdal_log::{gdal_log_summary, install_gdal_log, reading, ReadingGuard};
pub use geometry::{point_in_polygon, Polygon};
pub use imagery::{
    compute_stretch, decimated_size, imagery_info, percentile, read_window, render_rgba,
    rgba_from_bands, window_of_extent, ImageryError, ImageryInfo, PixelWindow, RgbWindow, Stretch,
    DEFAULT_BANDS, DEFAULT_PERCENTILES, STRETCH_MAX_PX,
};
pub use input_file::check_input_file;
pub use out_dir::{remove_stale_siblings, OutDir, OutDirError};
pub use pgv::{is_shakemap, read_pgv, warp_pgv_to_grid};
pub use polygon_union::union_polygon;
pub use raster::{
    grid_to_mem_dataset, raster_info, read_raster, write_geotiff, GeoTiffOptions, RasterInfo,
    FILE_NODATA,
};
pub use rasterize::{burn_mask, burn_values};
pub use shakemap::{read_shakemap, ShakeMap};
pub use vector::{
    read_vector, translate_filter, AttrValue, VectorFeature, VectorLayer, VectorReadOptions,
};
pub use vector_write::{write_points, write_polygon_layers, write_polygons, PolygonFeatures};
pub use warp::{warp_dataset_to_grid, warp_file_to_grid, warp_grid, Resampling, WarpOptions};
