# The two commands of the README, and the Debian package. Each installs missing system
# packages first.
.PHONY: run test setup deb

# rustup's cargo, when scripts/setup-system.sh had to install it
export PATH := $(HOME)/.cargo/bin:$(PATH)

setup:
	@bash scripts/setup-system.sh

# The desktop app on the built-in demo scene.
run: setup
	cargo run --release

# The whole test suite (headless).
test: setup
	WGPU_BACKEND=vulkan cargo test --lib --bins --tests

# The Debian package (stripped `dist` build + cargo-deb): target/debian/slidemap_*.deb.
# `sudo scripts/test-deb.sh` installs it into a clean root and starts it.
deb:
	@bash scripts/build-deb.sh
