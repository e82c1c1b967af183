# The two commands a new developer needs: `make run` and `make test`.
SHELL := /bin/bash
TOOLS_DIR ?= $(HOME)/.cargo
export PATH := $(TOOLS_DIR)/bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: run setup test test-setup lint unit ui-test e2e

## Set up everything, then build and open the desktop app (with the demo one click away).
run: setup
	cargo run -p tradewind-desktop

setup:
	scripts/setup.sh

## The whole test suite: formatting, lints, engine and shell tests, UI checks and tests, end to end.
test: test-setup lint unit ui-test e2e

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
	xvfb-run -a -s "-screen 0 1280x800x24" cargo test --workspace --test desktop_app -- --ignored --nocapture --test-threads=1
