# The two commands of the README. Each installs missing system packages first.
.PHONY: run test setup

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
