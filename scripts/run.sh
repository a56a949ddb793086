#!/usr/bin/env bash
# Runs Ward at http://127.0.0.1:3000 with an embedded SQLite file (data/ward.db), the demo
# data and the offline model; installs what is missing first. Ctrl-C stops it.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$WARD_ROOT"
phase "setup"
ensure_wasm_target
ensure_cargo_leptos
ensure_wasm_bindgen
ensure_node_packages
phase "build and serve (first build: several minutes)"
exec cargo leptos serve --release --precompress --split
