#!/usr/bin/env bash
# Build the Debian package: target/debian/slidemap_<version>-1_<arch>.deb.
#
# The binary is built with the `dist` profile (Cargo.toml: the release build without debug
# info, stripped), so developers' `cargo build --release` keeps its line tables. cargo-deb
# (pinned below, installed with `cargo install --locked` when missing) writes the package
# from `[package.metadata.deb]`: the binary in /usr/bin, the desktop entry, the icons, the
# docs, and the dependencies (what the binary links, found by dpkg-shlibdeps, plus the
# libraries the window opens at run time). Needs the build dependencies of `make run`
# (scripts/setup-system.sh) and dpkg-dev.
#
# Usage: scripts/build-deb.sh   (or `make deb`)
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_DEB_VERSION=3.8.0

bash scripts/setup-system.sh
export PATH="$HOME/.cargo/bin:$PATH"

if ! command -v dpkg-shlibdeps >/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends dpkg-dev
fi

if [ "$(cargo deb --version 2>/dev/null | awk '{print $NF}')" != "$CARGO_DEB_VERSION" ]; then
  echo "installing cargo-deb $CARGO_DEB_VERSION"
  cargo install cargo-deb --locked --version "$CARGO_DEB_VERSION"
fi

cargo build --profile dist --bin slidemap
# cargo-deb maps the `target/release/` asset paths onto the profile's folder (target/dist).
deb=$(cargo deb --profile dist --no-build | tail -n 1)
[ -f "$deb" ] || { echo "cargo deb did not report a package file (got: $deb)" >&2; exit 1; }

echo
echo "binary:  target/dist/slidemap, $(du -h target/dist/slidemap | cut -f1)"
echo "package: $deb, $(du -h "$deb" | cut -f1)"
dpkg-deb -f "$deb" Depends | sed 's/^/depends: /'
echo "install: sudo apt-get install $deb"
echo "test:    sudo scripts/test-deb.sh $deb"
