#!/usr/bin/env python3
"""Open SlideMap exports in QGIS headless and check they are valid and styled.

Usage (Debian/Ubuntu: `apt-get install python3-qgis`; run with the system python):

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tools/qgis_check/check_exports.py OUT/*.tif

For every GeoTIFF: the layer must be valid, have a CRS, and its `.qml` sidecar (written
next to it by SlideMap) must load and give a single-band pseudocolour renderer whose colour
ramp has 11 items spanning the range SlideMap wrote. For every .gpkg: the layer must be a
valid polygon layer with a `label` field. Exit status 0 when everything passes.
"""
import os
import sys

from qgis.core import QgsApplication, QgsRasterLayer, QgsVectorLayer, QgsWkbTypes


def check_raster(path):
    layer = QgsRasterLayer(path, os.path.basename(path))
    if not layer.isValid():
        return f"{path}: QGIS cannot open it"
    if not layer.crs().isValid():
        return f"{path}: no CRS"
    qml = os.path.splitext(path)[0] + ".qml"
    if not os.path.exists(qml):
        return f"{path}: no .qml sidecar"
    msg, ok = layer.loadNamedStyle(qml)
    if not ok:
        return f"{qml}: style does not load: {msg}"
    renderer = layer.renderer()
    if renderer is None or renderer.type() != "singlebandpseudocolor":
        return f"{qml}: renderer is {renderer.type() if renderer else None}, expected singlebandpseudocolor"
    shader = renderer.shader().rasterShaderFunction()
    items = shader.colorRampItemList()
    if len(items) != 11:
        return f"{qml}: {len(items)} colour-ramp items, expected 11"
    if not items[0].value < items[-1].value:
        return f"{qml}: ramp values are not increasing"
    return None


def check_vector(path):
    layer = QgsVectorLayer(path, os.path.basename(path), "ogr")
    if not layer.isValid():
        return f"{path}: QGIS cannot open it"
    if QgsWkbTypes.geometryType(layer.wkbType()) != QgsWkbTypes.PolygonGeometry:
        return f"{path}: not a polygon layer"
    if layer.fields().indexOf("label") < 0:
        return f"{path}: no label field"
    if not layer.crs().isValid():
        return f"{path}: no CRS"
    return None


def main(paths):
    if not paths:
        print(__doc__)
        return 2
    app = QgsApplication([], False)
    app.initQgis()
    failures = 0
    for p in paths:
        err = check_vector(p) if p.lower().endswith((".gpkg", ".geojson")) else check_raster(p)
        print(("FAIL " + err) if err else f"ok   {p}")
        failures += err is not None
    app.exitQgis()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
