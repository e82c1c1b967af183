# The two commands a new developer needs: `make run` and `make test`.
SHELL := /bin/bash
TOOLS_DIR ?= $(HOME)/.cargo
export PATH := $(TOOLS_DIR)/bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: run setup package test test-setup lint unit ui-test e2e package-test bench

## Set up everything, then build and open the desktop app (with the demo one click away).
run: setup
	cargo run -p tradewind-desktop

setup:
	scripts/setup.sh

# What the Tauri bundler builds on this system without a download: .deb and .rpm on Linux
# (AppImage fetches its runtime), .app and .dmg on macOS, .msi and NSIS on Windows.
ifeq ($(OS),Windows_NT)
BUNDLES ?= msi,nsis
else ifeq ($(shell uname -s),Darwin)
BUNDLES ?= app,dmg
else
BUNDLES ?= deb,rpm
endif

## The desktop app in release, bundled into this system's installers (target/release/bundle/).
package: setup
	cd src-tauri && ../ui/node_modules/.bin/tauri build --ci --bundles $(BUNDLES)

## Tradewind side by side with its peers (CTranslate2, transformers) on the same weights and
## inputs, outputs compared first: one table with the ratios. A benchmark, not a test.
bench: test-setup
	scripts/bench/setup.sh --models-only
	cargo build --release --workspace --bin tradewind-bench
	$(TARGET_DIR)/release/tradewind-bench peers

## The whole test suite: formatting, lints, engine and shell tests, UI checks and tests, end to
## end, and the installable package.
test: test-setup lint unit ui-test e2e package-test

test-setup:
	TRADEWIND_TOOLS_DIR=$(TOOLS_DIR) scripts/setup.sh --test

lint:
	@! cargo tree -p tradewind -e normal | grep -i tauri || { echo "the engine must not depend on Tauri"; exit 1; }
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	npm --prefix ui run check

# The whole workspace, tests included, in every cargo call, so that dependencies are built
# once with one set of features (selecting packages or leaving out the tests' dev-dependencies
# changes the features, and rebuilds candle or the GTK stack).
unit:
	cargo test --workspace

ui-test:
	npm --prefix ui test

## The real app under Xvfb through tauri-driver; screenshots land in <target>/e2e-shots.
e2e:
	cargo build --workspace --all-targets
	xvfb-run -a -s "-screen 0 1280x800x24" cargo test --workspace --test desktop_app -- --ignored --nocapture --test-threads=1 --skip installed_package

TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
ROOT := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

DEB = $(wildcard $(abspath $(TARGET_DIR))/release/bundle/deb/Tradewind_*_amd64.deb)

## The .deb installed as a seller would (apt-get), then the installed binary started under
## Xvfb to its first screen: here, and on a clean Debian 12 made with debootstrap (Debian/Ubuntu).
package-test: package
	$(ROOT) apt-get install -y -qq --reinstall $(DEB)
	TRADEWIND_APP=/usr/bin/tradewind-desktop xvfb-run -a -s "-screen 0 1280x800x24" cargo test --workspace --test desktop_app -- --ignored --nocapture --exact the_installed_package_starts_at_its_first_run
	$(ROOT) scripts/clean-debian-test.sh $(DEB) $(TARGET_DIR)/e2e-shots
