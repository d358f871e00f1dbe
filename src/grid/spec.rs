//! `GridSpec`: shape, cell size, origin and CRS of a north-up grid.

use super::Extent;

/// Errors building or combining grid specifications.
#[derive(Debug, thiserror::Error)]
pub enum GridError {
    /// Zero rows/cols or a non-positive / non-finite cell size.
    #[error("invalid grid: {0}")]
    Invalid(String),
    /// The raster is rotated or sheared (geotransform terms 2 or 4 non-zero).
    #[error("rotated or sheared rasters are not supported (geotransform {0:?})")]
    Rotated([f64; 6]),
    /// Data length differs from rows × cols.
    #[error("grid data has {got} values, expected {expected}")]
    LengthMismatch {
        /// rows × cols
        expected: usize,
        /// actual length
        got: usize,
    },
}

/// Shape and georeferencing of a north-up grid.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GridSpec {
    /// Number of columns (x direction).
    pub cols: usize,
    /// Number of rows (y direction, row 0 = north).
    pub rows: usize,
    /// West edge of column 0, CRS units.
    pub x_min: f64,
    /// North edge of row 0, CRS units.
    pub y_max: f64,
    /// Cell width in CRS units (> 0).
    pub cell_width: f64,
    /// Cell height in CRS units (> 0; rows go south).
    pub cell_height: f64,
    /// CRS as WKT (empty when unknown).
    pub crs_wkt: String,
}

impl GridSpec {
    /// Build a validated spec.
    pub fn new(
        cols: usize,
        rows: usize,
        x_min: f64,
        y_max: f64,
        cell_width: f64,
        cell_height: f64,
        crs_wkt: String,
    ) -> Result<Self, GridError> {
        if cols == 0 || rows == 0 {
            return Err(GridError::Invalid(format!("{cols} × {rows} cells")));
        }
        let ok = |v: f64| v.is_finite() && v > 0.0;
        if !ok(cell_width) || !ok(cell_height) || !x_min.is_finite() || !y_max.is_finite() {
            return Err(GridError::Invalid(format!(
                "cell size {cell_width} × {cell_height} at ({x_min}, {y_max})"
            )));
        }
        Ok(Self {
            cols,
            rows,
            x_min,
            y_max,
            cell_width,
            cell_height,
            crs_wkt,
        })
    }

    /// From a GDAL geotransform `[x0, dx, 0, y0, 0, dy]` (dy < 0 for north-up; a
    /// south-up raster with dy > 0 is accepted and described by its north edge).
    pub fn from_geo_transform(
        gt: [f64; 6],
        cols: usize,
        rows: usize,
        crs_wkt: String,
    ) -> Result<Self, GridError> {
        if gt[2] != 0.0 || gt[4] != 0.0 {
            return Err(GridError::Rotated(gt));
        }
        if gt[5] > 0.0 {
            return Err(GridError::Invalid(
                "south-up rasters (positive pixel height) are not supported".into(),
            ));
        }
        Self::new(cols, rows, gt[0], gt[3], gt[1], -gt[5], crs_wkt)
    }

    /// The GDAL geotransform of this grid.
    pub fn geo_transform(&self) -> [f64; 6] {
        [
            self.x_min,
            self.cell_width,
            0.0,
            self.y_max,
            0.0,
            -self.cell_height,
        ]
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.rows * self.cols
    }

    /// True for a grid without cells (never true for a validated spec).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// South edge.
    pub fn y_min(&self) -> f64 {
        self.y_max - self.rows as f64 * self.cell_height
    }

    /// East edge.
    pub fn x_max(&self) -> f64 {
        self.x_min + self.cols as f64 * self.cell_width
    }

    /// Bounding box.
    pub fn extent(&self) -> Extent {
        Extent {
            x_min: self.x_min,
            y_min: self.y_min(),
            x_max: self.x_max(),
            y_max: self.y_max,
        }
    }

    /// World (x, y) of fractional pixel coordinates (col, row); (0.5, 0.5) is the centre
    /// of the first cell.
    pub fn world_from_pixel(&self, col: f64, row: f64) -> (f64, f64) {
        (
            self.x_min + col * self.cell_width,
            self.y_max - row * self.cell_height,
        )
    }

    /// Fractional pixel coordinates (col, row) of a world point.
    pub fn pixel_from_world(&self, x: f64, y: f64) -> (f64, f64) {
        (
            (x - self.x_min) / self.cell_width,
            (self.y_max - y) / self.cell_height,
        )
    }

    /// Centre (x, y) of cell (row, col).
    pub fn cell_centre(&self, row: usize, col: usize) -> (f64, f64) {
        self.world_from_pixel(col as f64 + 0.5, row as f64 + 0.5)
    }

    /// Cell area in squared CRS units.
    pub fn cell_area(&self) -> f64 {
        self.cell_width * self.cell_height
    }

    /// The coarse grid whose cells are `block_cols × block_rows` of these cells; partial
    /// blocks at the east/south edges become whole coarse cells.
    pub fn coarsen(&self, block_cols: usize, block_rows: usize) -> Result<GridSpec, GridError> {
        if block_cols == 0 || block_rows == 0 {
            return Err(GridError::Invalid("block factor 0".into()));
        }
        GridSpec::new(
            self.cols.div_ceil(block_cols),
            self.rows.div_ceil(block_rows),
            self.x_min,
            self.y_max,
            self.cell_width * block_cols as f64,
            self.cell_height * block_rows as f64,
            self.crs_wkt.clone(),
        )
    }

    /// A grid with the given cell size covering `extent`, its origin snapped to multiples
    /// of `snap_x` / `snap_y` (so that coarse cells align across layers).
    pub fn covering(
        extent: &Extent,
        cell_width: f64,
        cell_height: f64,
        snap_x: f64,
        snap_y: f64,
        crs_wkt: String,
    ) -> Result<GridSpec, GridError> {
        let x_min = (extent.x_min / snap_x).floor() * snap_x;
        let y_max = (extent.y_max / snap_y).ceil() * snap_y;
        let x_max = (extent.x_max / snap_x).ceil() * snap_x;
        let y_min = (extent.y_min / snap_y).floor() * snap_y;
        let cols = ((x_max - x_min) / cell_width).round() as usize;
        let rows = ((y_max - y_min) / cell_height).round() as usize;
        GridSpec::new(cols, rows, x_min, y_max, cell_width, cell_height, crs_wkt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geo_transform_round_trips() {
        let s = GridSpec::new(4, 3, 10.0, 100.0, 2.0, 3.0, "x".into()).unwrap();
        let back = GridSpec::from_geo_transform(s.geo_transform(), 4, 3, "x".into()).unwrap();
        assert_eq!(s, back);
        assert_eq!(s.y_min(), 91.0);
        assert_eq!(s.cell_centre(0, 0), (11.0, 98.5));
    }

    #[test]
    fn rotated_geotransforms_are_rejected() {
        let r = GridSpec::from_geo_transform([0.0, 1.0, 0.1, 0.0, 0.0, -1.0], 2, 2, String::new());
        assert!(matches!(r, Err(GridError::Rotated(_))));
    }

    #[test]
    fn coarsen_rounds_partial_blocks_up() {
        let s = GridSpec::new(25, 21, 0.0, 0.0, 20.0, 22.0, String::new()).unwrap();
        let c = s.coarsen(10, 10).unwrap();
        assert_eq!((c.cols, c.rows), (3, 3));
        assert_eq!((c.cell_width, c.cell_height), (200.0, 220.0));
    }

    #[test]
    fn covering_snaps_to_coarse_multiples() {
        let e = Extent {
            x_min: 105.0,
            y_min: 95.0,
            x_max: 590.0,
            y_max: 430.0,
        };
        let s = GridSpec::covering(&e, 20.0, 22.0, 200.0, 220.0, String::new()).unwrap();
        assert_eq!(s.x_min, 0.0);
        assert_eq!(s.y_max, 440.0);
        assert_eq!(s.cols, 30);
        assert_eq!(s.rows, 20);
    }
}
