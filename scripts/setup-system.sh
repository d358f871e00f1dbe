#!/usr/bin/env bash
# Install the system packages SlideMap needs when they are missing (Debian/Ubuntu).
# Idempotent and quiet when everything is present; uses sudo when not root.
set -euo pipefail

need=()
pkg-config --exists gdal 2>/dev/null || need+=(libgdal-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v gdaldem >/dev/null || need+=(gdal-bin)
command -v xvfb-run >/dev/null || need+=(xvfb)
# software rendering for the headless GUI tests (wgpu on lavapipe / llvmpipe)
[ -e /usr/share/vulkan/icd.d/lvp_icd.x86_64.json ] || [ -e /usr/share/vulkan/icd.d/lvp_icd.json ] || need+=(mesa-vulkan-drivers)
dpkg -s libgl1-mesa-dri >/dev/null 2>&1 || need+=(libgl1-mesa-dri)
dpkg -s libxkbcommon-x11-0 >/dev/null 2>&1 || need+=(libxkbcommon-x11-0)
command -v import >/dev/null || need+=(imagemagick)
command -v cc >/dev/null || need+=(build-essential)

if [ ${#need[@]} -gt 0 ]; then
  echo "installing system packages: ${need[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# Rust: rustup's stable toolchain when cargo is missing (Debian's rustc is too old for egui).
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null; then
  echo "installing Rust (rustup, stable toolchain) into ~/.cargo"
  if ! command -v curl >/dev/null; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends curl ca-certificates
  fi
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component rustfmt,clippy
fi
