#!/usr/bin/env bash
# Installs what a fresh machine lacks to build and test Ward, and skips what is present.
# Sourced by run.sh and test.sh; safe to run again. Needs: rustup/cargo, node/npm, and
# apt-get (as root or with sudo) for Debian's chromium.
set -euo pipefail

WARD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.10"
WASM_BINDGEN_VERSION="0.2.130"
export PATH="$HOME/.cargo/bin:$PATH"
# Incremental caches only cost disk and time in a full run.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

phase_started=$(date +%s)
phase() {
  local now; now=$(date +%s)
  if [ -n "${WARD_PHASE:-}" ]; then
    echo "== phase '${WARD_PHASE}' took $((now - phase_started))s"
  fi
  WARD_PHASE="$1"; phase_started=$now
  echo "== $1"
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
}

ensure_cargo_leptos() {
  if cargo leptos --version 2>/dev/null | grep -q " ${CARGO_LEPTOS_VERSION}$"; then return; fi
  echo "installing cargo-leptos ${CARGO_LEPTOS_VERSION} (about 10 minutes on 2 cores)"
  # A lighter release profile halves the build time; the tool works the same.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    cargo install cargo-leptos --locked --version "${CARGO_LEPTOS_VERSION}"
}

ensure_wasm_bindgen() {
  if wasm-bindgen --version 2>/dev/null | grep -q " ${WASM_BINDGEN_VERSION}$"; then return; fi
  echo "installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION}"
  # Without --locked: its lockfile names a crate version the registry lacks.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    cargo install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}"
}

ensure_chromium() {
  command -v chromium >/dev/null && return
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

ensure_node_packages() {
  # Playwright (no browser download: Debian's chromium is used) and wasm-opt (binaryen).
  local stamp="$WARD_ROOT/end2end/node_modules/.ward-lock"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$WARD_ROOT/end2end/package-lock.json"; then return; fi
  (cd "$WARD_ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  cp "$WARD_ROOT/end2end/package-lock.json" "$stamp"
}

ensure_postgres() {
  # The PostgreSQL tests need the local server (127.0.0.1:5432, trust auth).
  if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then return; fi
  if command -v pg_ctlcluster >/dev/null; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && return; sleep 1; done
  echo "PostgreSQL is not reachable on 127.0.0.1:5432 (the PostgreSQL tests need it)" >&2
  exit 1
}

ensure_podman() {
  # Builds the container image's final stage (deploy/image/build-local.sh).
  command -v podman >/dev/null && return
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman >/dev/null
}

# The offline Kubernetes schema check (the PyPI package ships the schemas), in a venv.
KUBERNETES_VALIDATE="${WARD_TOOLS:-$HOME/.local/share/ward}/kubernetes-validate"
ensure_kubernetes_validate() {
  [ -x "$KUBERNETES_VALIDATE/bin/kubernetes-validate" ] && return
  python3 -m venv "$KUBERNETES_VALIDATE"
  "$KUBERNETES_VALIDATE/bin/pip" install -q --disable-pip-version-check "kubernetes-validate==1.37.0"
}

# Schemathesis (PyPI), which checks the server against its OpenAPI document
# (scripts/schemathesis.sh), in a venv.
SCHEMATHESIS="${WARD_TOOLS:-$HOME/.local/share/ward}/schemathesis"
SCHEMATHESIS_VERSION="4.32.5"
ensure_schemathesis() {
  if [ -x "$SCHEMATHESIS/bin/schemathesis" ] &&
    "$SCHEMATHESIS/bin/schemathesis" --version 2>/dev/null | grep -q "${SCHEMATHESIS_VERSION}"; then
    return
  fi
  python3 -m venv "$SCHEMATHESIS"
  "$SCHEMATHESIS/bin/pip" install -q --disable-pip-version-check "schemathesis==${SCHEMATHESIS_VERSION}"
}

# wasm-opt from the npm package (Debian's binaryen produces a WASM that fails to run).
export PATH="$WARD_ROOT/end2end/node_modules/.bin:$PATH"
