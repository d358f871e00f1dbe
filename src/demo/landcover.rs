//! Land cover: ESA CCI-style class codes on a 300 m (0.0027°) EPSG:4326 grid.
//!
//! Each pixel is classified from the terrain under its centre (elevation, mean slope over
//! the pixel) and two fractal fields (a moisture/land-use field and a patch selector), with
//! scenario-specific zonation: Himalayan altitudinal belts (crops → broadleaf → needleleaf
//! → grass/sparse → bare/snow), forested Hokkaido hills with cropland in flat valleys, and
//! a tropical volcanic island (crops and towns near the coast, evergreen forest on the
//! flanks, sparse/bare near the summit, water around). Code 0 is nodata (never written
//! inside the area).

use super::noise::Fbm;
use super::scenarios::Landscape;
use super::world::World;
use super::DemoError;
use crate::grid::Grid;

/// ESA CCI 300 m cell size in degrees.
pub(crate) const LANDCOVER_CELL_DEG: f64 = 0.0027;

/// The land-cover map (class codes as f32, EPSG:4326).
#[derive(Debug, Clone)]
pub(crate) struct LandCover {
    /// Class codes (NaN = nodata).
    pub grid: Grid<f32>,
}

impl LandCover {
    /// Class at (lon, lat); water (210) outside the map.
    pub(crate) fn code_at(&self, lon: f64, lat: f64) -> u8 {
        let v = self.grid.sample_world(lon, lat);
        if v.is_nan() {
            210
        } else {
            v as u8
        }
    }
}

/// The class of a pixel (no draw: `pick` and `moist` come from the caller's fields).
fn classify(landscape: Landscape, elev: f64, slope: f64, moist: f64, pick: f64) -> u8 {
    match landscape {
        Landscape::Mountains => classify_mountains(elev, slope, moist, pick),
        Landscape::Hills => classify_hills(elev, slope, moist, pick),
        Landscape::Island => classify_island(elev, moist, pick),
    }
}

/// Himalayan altitudinal belts: crops → broadleaf → needleleaf → grass/sparse → bare/snow.
fn classify_mountains(elev: f64, slope: f64, moist: f64, pick: f64) -> u8 {
    let e = elev + 350.0 * moist;
    if e < 1_300.0 {
        if slope < 22.0 {
            if pick > 0.93 {
                190
            } else if pick > 0.35 {
                10
            } else {
                30
            }
        } else if pick > 0.5 {
            100
        } else {
            60
        }
    } else if e < 2_700.0 {
        if slope < 18.0 && pick > 0.55 {
            10
        } else if pick > 0.3 {
            50
        } else {
            100
        }
    } else if e < 3_700.0 {
        if pick > 0.35 {
            70
        } else {
            120
        }
    } else if e < 4_500.0 {
        if pick > 0.5 {
            130
        } else {
            150
        }
    } else if pick > 0.4 {
        200
    } else {
        220
    }
}

/// Forested hills with cropland in flat valleys.
fn classify_hills(elev: f64, slope: f64, moist: f64, pick: f64) -> u8 {
    if slope < 6.0 && elev < 220.0 + 60.0 * moist {
        if pick > 0.9 {
            190
        } else {
            10
        }
    } else if pick > 0.55 {
        70
    } else if pick > 0.2 {
        90
    } else if pick > 0.08 {
        60
    } else {
        130
    }
}

/// A tropical volcanic island: crops and towns near the coast, forest on the flanks,
/// sparse/bare near the summit.
fn classify_island(elev: f64, moist: f64, pick: f64) -> u8 {
    let e = elev + 150.0 * moist;
    if e < 250.0 {
        if pick > 0.85 {
            190
        } else if pick > 0.3 {
            10
        } else {
            30
        }
    } else if e < 1_600.0 {
        if pick > 0.25 {
            50
        } else {
            100
        }
    } else if e < 2_150.0 {
        if pick > 0.4 {
            120
        } else {
            130
        }
    } else if pick > 0.5 {
        150
    } else {
        200
    }
}

/// Classify the land cover of the world's area (area + 0.01° margin).
pub(crate) fn generate(world: &World<'_>) -> Result<LandCover, DemoError> {
    let spec = world.lonlat_grid(LANDCOVER_CELL_DEG, 0.01)?;
    let pts = world.centres_in_utm(&spec)?;
    let moist = Fbm::new(world.layer_seed("landcover-moisture"), 6_000.0, 4, 0.5);
    let patch = Fbm::new(world.layer_seed("landcover-patch"), 1_800.0, 3, 0.6);
    let land = world.sc.landscape;
    let data = pts
        .iter()
        .map(|p| {
            let Some((elev, _, _)) = world.dem.sample(p[0], p[1]) else {
                return if land == Landscape::Island {
                    210.0
                } else {
                    f32::NAN
                };
            };
            let slope = world.dem.mean_slope(p[0], p[1], 300.0, 3);
            let pick = 0.5 * (patch.at(p[0], p[1]) + 1.0);
            f32::from(classify(
                land,
                f64::from(elev),
                f64::from(slope),
                moist.at(p[0], p[1]),
                pick,
            ))
        })
        .collect();
    Ok(LandCover {
        grid: Grid { spec, data },
    })
}

/// Land cover raster as bytes for the GeoTIFF (NaN → 0 = nodata).
pub(crate) fn to_bytes(lc: &LandCover) -> Vec<u8> {
    lc.grid
        .data
        .iter()
        .map(|v| if v.is_nan() { 0 } else { *v as u8 })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn himalayan_belts_follow_elevation() {
        assert_eq!(classify(Landscape::Mountains, 5_200.0, 30.0, 0.0, 0.9), 200);
        assert_eq!(classify(Landscape::Mountains, 2_000.0, 35.0, 0.0, 0.9), 50);
        assert_eq!(classify(Landscape::Mountains, 800.0, 5.0, 0.0, 0.5), 10);
    }
}
