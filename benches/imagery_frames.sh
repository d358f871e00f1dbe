#!/usr/bin/env bash
# Frame CPU time of the desktop app over a 10,000 × 10,000 three-band imagery layer.
#
# Makes the image once (smooth patterns at 1,000 × 1,000 written by python3, placed in
# UTM 45N with 10 m pixels once upsampled bilinearly to 10,000 × 10,000 with gdal_translate as a tiled, DEFLATE-compressed
# Byte GeoTIFF, then gdaladdo -r average 2 4 8 16 32), starts
#   slidemap gui --imagery IMAGE --scripted-pan-zoom --frame-log FRAMES.csv
# under Xvfb (xvfb-run), and prints the app's summary line: frame CPU time (eframe's
# `cpu_usage`: UI code, tessellation and submission on the UI thread) p50/p95, and the
# wall-clock frame interval (here the software rasteriser's, see README Performance).
#
# The scripted pan/zoom (600 frames, src/gui/frame_log.rs) moves every frame, so the
# imagery is drawn from its whole-image preview and the last view image; view re-reads run
# on a worker thread once the view settles.
#
# Usage: benches/imagery_frames.sh [debug|release]   (default: debug, as CI builds it)
#   WORK=DIR keeps the image between runs; SIZE=WxH sets the window (default 1280x800);
#   DIGITISE=1 digitises landslides during the script (--scripted-digitising: a sketch
#   gains a vertex every 5 frames and closes every 40).
# Needs gdal-bin, python3 and xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-debug}
work=${WORK:-$(mktemp -d)}
size=${SIZE:-1280x800}
mkdir -p "$work"
img=$work/imagery_10k.tif

if [ ! -f "$img" ]; then
  echo "== making $img (10,000 × 10,000 × 3, tiled, overviews)"
  # 1,000 × 1,000 × 3 bytes of smooth patterns (plain python, band-sequential), read by
  # GDAL through an ENVI header.
  python3 - "$work/small.bsq" <<'PY'
import math, sys
n = 1000
with open(sys.argv[1], "wb") as f:
    for b in (1, 2, 3):
        f.write(bytes(
            int(127 + 120 * math.sin((r * b + c * (4 - b)) / 37.0) * math.cos(r / 91.0))
            for r in range(n) for c in range(n)))
PY
  printf 'ENVI\nsamples = 1000\nlines = 1000\nbands = 3\nheader offset = 0\nfile type = ENVI Standard\ndata type = 1\ninterleave = bsq\nbyte order = 0\n' \
    >"$work/small.hdr"
  gdal_translate -q -a_srs EPSG:32645 -a_ullr 500000 3100000 600000 3000000 \
    "$work/small.bsq" "$work/small.tif"
  gdal_translate -q -outsize 10000 10000 -r bilinear -co TILED=YES -co COMPRESS=DEFLATE \
    -co BIGTIFF=IF_SAFER "$work/small.tif" "$img"
  gdaladdo -q -r average "$img" 2 4 8 16 32
fi

if [ "$profile" = release ]; then
  cargo build --release --features gui --bin slidemap
else
  cargo build --features gui --bin slidemap
fi
bin=target/$profile/slidemap

echo "== scripted pan/zoom over the imagery ($profile build, window $size)"
mkdir -p -m 700 "$work/xdg-runtime"
XDG_DATA_HOME="$work/xdg" XDG_RUNTIME_DIR="$work/xdg-runtime" xvfb-run -a -s "-screen 0 ${size}x24" \
  "$bin" gui --imagery "$img" --scripted-pan-zoom ${DIGITISE:+--scripted-digitising} --frame-log "$work/frames.csv" \
  --window-size "$size" 2>&1 | grep -E '^(frame log|error|warning)' || true
head -n 1 "$work/frames.csv"
