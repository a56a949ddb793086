#!/usr/bin/env bash
# Runs every test: formatting and clippy (server and browser builds), the Rust suites
# (unit, database tests on SQLite and PostgreSQL, HTTP tests against spawned servers,
# the PHI fuzz corpus, single sign-on, traces), then schemathesis against the OpenAPI
# document, then the Playwright suite in Debian's
# Chromium, then the container image (Podman). Installs what is missing first and prints
# how long each phase took.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$WARD_ROOT"
started=$(date +%s)

phase "setup: toolchain, cargo-leptos, wasm-bindgen, chromium, npm packages, PostgreSQL, kubernetes-validate, schemathesis, podman"
ensure_wasm_target
ensure_cargo_leptos
ensure_wasm_bindgen
ensure_chromium
ensure_node_packages
ensure_postgres
ensure_kubernetes_validate
ensure_schemathesis
ensure_podman

phase "deploy: Kubernetes manifests (offline schema check, deployment rules)"
"$KUBERNETES_VALIDATE/bin/kubernetes-validate" --strict --quiet \
  $(ls deploy/kubernetes/*.yaml | grep -v kustomization.yaml)
"$KUBERNETES_VALIDATE/bin/python" deploy/kubernetes/check.py

phase "lint: rustfmt and clippy (ssr and hydrate)"
cargo fmt --all -- --check
cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
cargo clippy -p app -p frontend --features hydrate --target wasm32-unknown-unknown -- -D warnings

phase "rust tests: unit, SQLite and PostgreSQL, HTTP, CLI, fuzz corpus"
cargo test --workspace --exclude frontend --no-fail-fast

phase "API contract: schemathesis against the server binary as doctor, auditor and admin"
scripts/schemathesis.sh

phase "build the site (cargo leptos build --split)"
cargo leptos build --split

phase "browser tests (Playwright, Debian's Chromium)"
(cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npx playwright test)

phase "image: the Containerfile's final stage from this build (podman, vfs), run as its user"
as_root deploy/image/build-local.sh ward:ci

phase "done"
echo "== all tests passed in $(( $(date +%s) - started ))s"
