#!/usr/bin/env bash
# Install the Debian package into a clean root of this machine's Debian/Ubuntu release and
# start it there: proves the package's Depends are complete (apt resolves them from the
# mirror, without Recommends) and that the installed program runs.
#
# Needs root, debootstrap and the apt mirror; takes minutes (not part of `make test`).
# The minimal base root (debootstrap --variant=minbase) is kept in $SLIDEMAP_DEB_TEST_DIR
# (default /var/tmp/slidemap-deb-test) and copied afresh for every run.
#
# Usage: sudo scripts/test-deb.sh [target/debian/slidemap_….deb]
#
# Inside the root it runs, as a mapper would:
#   1. apt-get install --no-install-recommends ./slidemap_….deb
#   2. slidemap --version; slidemap demo; slidemap features (GDAL reads and writes)
#   3. the desktop entry and icons are installed, and its Exec line is on PATH
#   4. the window on a virtual X display (Xvfb on the host, socket shared with the root):
#      `slidemap gui --scripted-pan-zoom` draws 600 frames and quits (wgpu's GL backend:
#      only the Depends are installed, no Vulkan), then the menu entry's command
#      `slidemap` stays up for 15 s without a panic
#   5. with the Recommends (Vulkan, lavapipe) installed, the scripted run again
set -euo pipefail
cd "$(dirname "$0")/.."

deb=${1:-$(ls -t target/debian/slidemap_*.deb 2>/dev/null | head -n 1)}
[ -n "$deb" ] && [ -f "$deb" ] || { echo "no package: run scripts/build-deb.sh first" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "needs root (debootstrap, chroot, mount)" >&2; exit 1; }

. /etc/os-release
suite=$VERSION_CODENAME
case "$ID" in
  ubuntu) mirror=http://archive.ubuntu.com/ubuntu ;;
  *) mirror=http://deb.debian.org/debian ;;
esac
export DEBIAN_FRONTEND=noninteractive
command -v debootstrap >/dev/null || apt-get install -y -qq --no-install-recommends debootstrap
command -v Xvfb >/dev/null || apt-get install -y -qq --no-install-recommends xvfb

work=${SLIDEMAP_DEB_TEST_DIR:-/var/tmp/slidemap-deb-test}
base=$work/base-$suite
root=$work/root
mkdir -p "$work"
t0=$(date +%s)
if [ ! -x "$base/usr/bin/apt-get" ]; then
  echo "== debootstrap --variant=minbase $suite into $base"
  rm -rf "$base.tmp"
  debootstrap --variant=minbase "$suite" "$base.tmp" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  mv "$base.tmp" "$base"
  echo "   $(($(date +%s) - t0)) s"
fi

echo "== a fresh root from the base"
n=90
while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
display=:$n
xvfb_pid=""
cleanup() {
  for m in tmp/.X11-unix dev/pts dev sys proc; do
    mountpoint -q "$root/$m" && umount -l "$root/$m"
  done
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
cleanup
rm -rf --one-file-system "$root"
cp -a "$base" "$root"
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/"
pkg=/tmp/$(basename "$deb")
in_root() { chroot "$root" env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  LANG=C.UTF-8 XDG_RUNTIME_DIR=/tmp/xdg DISPLAY=$display DEBIAN_FRONTEND=noninteractive "$@"; }

echo "== apt-get install --no-install-recommends $pkg"
in_root apt-get update -qq
in_root apt-get install -y --no-install-recommends "$pkg" >"$work/install.log" 2>&1 ||
  { tail -n 30 "$work/install.log" >&2; exit 1; }
grep -E '^(Need to get|After this operation)' "$work/install.log" | sed 's/^/   /'
echo "   $(in_root dpkg-query -W -f '${Status}' slidemap); $(grep -c '^Setting up' "$work/install.log") packages set up"
echo "   installed binary: $(du -h "$root/usr/bin/slidemap" | cut -f1)"

echo "== command line"
in_root slidemap --version
in_root slidemap demo --out /tmp/d >"$work/demo.log" 2>&1 || { tail "$work/demo.log" >&2; exit 1; }
tail -n 1 "$work/demo.log" | sed 's/^/   /'
in_root slidemap features /tmp/d/hokkaido_like/project.toml --out /tmp/f >"$work/features.log" 2>&1 ||
  { tail "$work/features.log" >&2; exit 1; }
echo "   features: $(find "$root/tmp/f" -type f | wc -l) files in /tmp/f, $(find "$root/tmp/f" -name '*.tif' | wc -l) GeoTIFF"

echo "== desktop entry"
test -f "$root/usr/share/applications/slidemap.desktop"
test -f "$root/usr/share/icons/hicolor/scalable/apps/slidemap.svg"
test -f "$root/usr/share/icons/hicolor/256x256/apps/slidemap.png"
exec_cmd=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$root/usr/share/applications/slidemap.desktop")
in_root sh -c "command -v $exec_cmd" | sed 's/^/   Exec on PATH: /'

echo "== the window (Xvfb on the host, display $display)"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
sleep 2
mkdir -p "$root/tmp/.X11-unix" "$root/tmp/xdg"
chmod 700 "$root/tmp/xdg"
mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"

scripted_gui() {
  local log=$1
  rm -f "$root/tmp/frames.csv"
  in_root timeout 900 slidemap gui --scripted-pan-zoom --frame-log /tmp/frames.csv \
    --window-size 640x400 >"$log" 2>&1 || { tail -n 20 "$log" >&2; return 1; }
  if grep -q 'panicked' "$log"; then tail -n 20 "$log" >&2; return 1; fi
  grep '^frame log:' "$log" | sed 's/^/   /'
}
echo "-- scripted pan/zoom, Depends only (no Vulkan: wgpu on EGL/GL, Mesa's llvmpipe)"
scripted_gui "$work/gui-gl.log"

echo "-- the menu entry's command ($exec_cmd), 15 s"
rc=0
in_root timeout 15 "$exec_cmd" >"$work/gui-menu.log" 2>&1 || rc=$?
if [ "$rc" -ne 124 ] || grep -q 'panicked' "$work/gui-menu.log"; then
  echo "   it exited with $rc before 15 s:" >&2
  tail -n 20 "$work/gui-menu.log" >&2
  exit 1
fi
echo "   still running after 15 s (timeout's 124), no panic"

echo "== with the Recommends (libvulkan1, mesa-vulkan-drivers)"
in_root apt-get install -y -qq --no-install-recommends libvulkan1 mesa-vulkan-drivers \
  >"$work/install-recommends.log" 2>&1 || { tail "$work/install-recommends.log" >&2; exit 1; }
echo "-- scripted pan/zoom (wgpu on Vulkan, lavapipe)"
scripted_gui "$work/gui-vulkan.log"

echo
echo "PASS: $(basename "$deb") installs into a clean $PRETTY_NAME root and runs ($(($(date +%s) - t0)) s; logs in $work)"
