# The project's entry points. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Tools installed by `make setup`: cargo's bin (trunk, wasm-bindgen) and .tools (wasm-opt).
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
TRUNK_RELEASE := trunk build --release --cargo-profile wasm-release

.PHONY: help setup setup-run setup-test run test bench frontend frontend-dev lint clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

setup: ## Install what is missing for running and for testing (idempotent; seconds when nothing is)
	@scripts/setup test

setup-run: # what running needs only
	@scripts/setup run

setup-test: # what running and testing need
	@scripts/setup test

run: setup-run frontend ## Run the whole portal on its embedded defaults (http://127.0.0.1:8080)
	cargo build --release --locked -p mrdp-server
	"$$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/mrdp" all

frontend: ## Build the web app into dist/ (release)
	$(TRUNK_RELEASE)

frontend-dev: # the debug build `trunk serve` makes, so that the trunk serve journey starts warm
	trunk build --dist .tmp/trunk-dev-dist

lint: ## Formatting, clippy (native and wasm32), docs
	cargo fmt --all --check
	cargo clippy --locked --workspace --all-targets -- -D warnings
	cargo clippy --locked -p mrdp-shared -p mrdp-frontend --target wasm32-unknown-unknown -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --locked --workspace --no-deps --quiet

test: setup-test lint frontend frontend-dev ## Every check and test: lint, web app build, Rust tests on SQLite and PostgreSQL, browser journeys
	scripts/test-postgres cargo nextest run --locked --workspace --no-fail-fast

bench: setup-test frontend ## Measure the services against baselines taken in the same run (release build)
	cargo build --release --locked -p mrdp-server --bin mrdp
	MRDP_TEST_POSTGRES_DURABLE=1 scripts/test-postgres cargo run --release --locked -p mrdp-bench

clean: ## Remove build output and local state (keeps installed tools)
	cargo clean
	rm -rf dist var .tmp e2e/screenshots
