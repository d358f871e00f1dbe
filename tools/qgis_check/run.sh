#!/usr/bin/env bash
# Writes real SlideMap exports (tests/qgis_exports.rs: demo DEM and observed LAD as GeoTIFF +
# .qml, training polygons as GeoPackage) and opens them in QGIS headless with check_exports.py.
# Needs Debian's python3-qgis (installed here when missing). Usage: tools/qgis_check/run.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${1:-$(mktemp -d)}"
if ! /usr/bin/python3 -c "import qgis.core" 2>/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-qgis qgis-providers
fi
SLIDEMAP_QGIS_OUT="$OUT" cargo test --test qgis_exports -- --ignored --nocapture
QT_QPA_PLATFORM=offscreen /usr/bin/python3 tools/qgis_check/check_exports.py "$OUT"/*.tif "$OUT"/*.gpkg
