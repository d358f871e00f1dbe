"""Reference D8 flow accumulation and CTI with pysheds, written as test fixtures.

Run once (see README.md); the outputs in tests/fixtures/terrain/ are committed and read by
tests/terrain_hydrology.rs. Every grid is a text file: a header line
`# rows cols cell_width_m cell_height_m`, then one line per row (row 0 = north) of
space-separated values, `nan` for nodata; elevations are float32 printed exactly (%.9g).

1. synthetic: a 60 x 80 pit-free, flat-free valley (float32, 10 m cells) built so every cell
   but the north-row outlets has a strictly lower neighbour. pysheds' D8 flowdir and
   accumulation run on it unchanged; ours must match cell for cell. CTI reference is computed
   here with numpy: ln(acc * sqrt(w*h) / max(tan(Horn slope), 0.001)), NaN on the border.
2. korea: a 120 x 160 window of the real 10 m DEM (tingrid.tif, rows 300.., cols 500..).
   pysheds fills it (fill_pits, fill_depressions, resolve_flats), then D8 + accumulation.
   The filled DEM before resolve_flats is written too, to compare spill levels.
"""
import argparse
import os
import tempfile

import numpy as np
import rasterio
from affine import Affine
from pysheds.grid import Grid

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "../../tests/fixtures/terrain"))
NODATA = -9999.0


def write_grid(name, a, w, h, fmt):
    rows, cols = a.shape
    with open(os.path.join(OUT, name), "w") as f:
        f.write(f"# {rows} {cols} {w} {h}\n")
        for row in a:
            f.write(" ".join("nan" if np.isnan(v) else fmt % v for v in row) + "\n")


def to_tif(dem, w, h, path):
    profile = dict(driver="GTiff", height=dem.shape[0], width=dem.shape[1], count=1,
                   dtype="float32", nodata=NODATA, transform=Affine(w, 0, 0, 0, -h, 0),
                   crs="EPSG:32652")
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.where(np.isnan(dem), NODATA, dem).astype(np.float32), 1)


def pysheds_acc(path, fill):
    grid = Grid.from_raster(path)
    dem = grid.read_raster(path)
    filled = None
    if fill:
        dem = grid.fill_pits(dem)
        dem = grid.fill_depressions(dem)
        filled = np.array(dem, dtype=np.float64)
        dem = grid.resolve_flats(dem)
    fdir = grid.flowdir(dem)
    acc = grid.accumulation(fdir)
    return np.array(acc, dtype=np.float64), filled


def horn_tan_slope(z, w, h):
    t = np.full(z.shape, np.nan)
    a, b, c = z[:-2, :-2], z[:-2, 1:-1], z[:-2, 2:]
    d, f = z[1:-1, :-2], z[1:-1, 2:]
    g, hh, i = z[2:, :-2], z[2:, 1:-1], z[2:, 2:]
    gx = ((c + 2 * f + i) - (a + 2 * d + g)) / (8 * w)
    gy = ((g + 2 * hh + i) - (a + 2 * b + c)) / (8 * h)
    t[1:-1, 1:-1] = np.hypot(gx, gy)
    return t


def synthetic():
    rows, cols, w, h = 60, 80, 10.0, 10.0
    rng = np.random.default_rng(20210521)
    r, c = np.mgrid[0:rows, 0:cols].astype(np.float64)
    # A valley along the centre column running north, with bumps smaller than the tilt.
    z = 100 + 1.0 * r + 0.7 * np.abs(c - cols / 2) + 0.3 * np.sin(0.9 * r) * np.cos(1.3 * c)
    z = (z + rng.uniform(0, 0.2, size=z.shape)).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "synthetic.tif")
        to_tif(z, w, h, path)
        acc, _ = pysheds_acc(path, fill=False)
    tan = horn_tan_slope(z.astype(np.float64), w, h)
    cti = np.log(acc * np.sqrt(w * h) / np.maximum(tan, 0.001))
    write_grid("synthetic_dem.txt", z, w, h, "%.9g")
    write_grid("synthetic_acc_pysheds.txt", acc, w, h, "%d")
    write_grid("synthetic_cti_reference.txt", cti, w, h, "%.7f")


def korea(src):
    with rasterio.open(src) as ds:
        w, h = ds.transform.a, -ds.transform.e
        z = ds.read(1, window=((300, 420), (500, 660))).astype(np.float32)
        if ds.nodata is not None:
            z[z == ds.nodata] = np.nan
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "korea.tif")
        to_tif(z, w, h, path)
        acc, filled = pysheds_acc(path, fill=True)
    write_grid("korea_subset_dem.txt", z, w, h, "%.9g")
    write_grid("korea_subset_filled_pysheds.txt", filled, w, h, "%.9g")
    write_grid("korea_subset_acc_pysheds.txt", acc, w, h, "%d")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--korea", default=os.path.join(HERE, "../../../shared/data/korea_dem_points/tingrid.tif"))
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    synthetic()
    korea(args.korea)
    print("fixtures written to", OUT)
