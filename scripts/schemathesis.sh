#!/usr/bin/env bash
# Schemathesis (PyPI) against a spawned Ward: the served OpenAPI document must be what the
# server does. Starts the server binary (WARD_SERVER_BIN, else target/release/server or
# target/debug/server, whichever is newer) on a free loopback port with a fresh SQLite file
# and the demo data, signs in as doctor, auditor and admin (Bearer tokens from
# POST /api/token/), and runs `schemathesis run` once per role with the conformance checks:
# no server error, only documented statuses, documented content types, responses that
# match their schemas. Any failure fails the script. Bounded: SCHEMATHESIS_MAX_EXAMPLES
# cases per operation and phase (default 30), a fixed seed (SCHEMATHESIS_SEED).
# The admin runs last: its fuzzed user changes (roles, deactivation) must not starve the
# other roles' runs.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$WARD_ROOT"
ensure_schemathesis

MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-30}"
SEED="${SCHEMATHESIS_SEED:-20261207}"
CHECKS="not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"

bin="${WARD_SERVER_BIN:-}"
if [ -z "$bin" ]; then
  for candidate in target/release/server target/debug/server; do
    if [ -x "$candidate" ] && { [ -z "$bin" ] || [ "$candidate" -nt "$bin" ]; }; then
      bin="$candidate"
    fi
  done
fi
[ -n "$bin" ] || { echo "no server binary: build it first (cargo build -p server)" >&2; exit 1; }

scratch="$(mktemp -d "${TMPDIR:-/tmp}/ward-schemathesis.XXXXXX")"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:${port}"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

echo "schemathesis: $bin on $base (database $scratch/ward.db)"
WARD_ENV=demo \
DATABASE_URL="sqlite://${scratch}/ward.db?mode=rwc" \
LEPTOS_OUTPUT_NAME=ward \
LEPTOS_SITE_ROOT="$WARD_ROOT/target/site" \
LEPTOS_SITE_ADDR="127.0.0.1:${port}" \
LLM_PROVIDER=offline \
RUST_LOG=warn \
  "$bin" serve >"$scratch/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 120); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$scratch/server.log" >&2; exit 1; }
  sleep 0.5
done
curl -fsS "$base/readyz" >/dev/null

token() {
  curl -fsS -X POST "$base/api/token/" -H 'Content-Type: application/json' \
    -d "{\"username\": \"$1\", \"password\": \"${1}123\"}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access"])'
}
doctor="$(token doctor)"
auditor="$(token auditor)"
admin="$(token admin)"

status=0
for role in doctor auditor admin; do
  echo "== schemathesis as $role"
  "$SCHEMATHESIS/bin/schemathesis" run "$base/frontend/api/openapi.json" \
    --header "Authorization: Bearer ${!role}" \
    --checks "$CHECKS" \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --phases examples,coverage,fuzzing \
    --generation-database none \
    --no-color || status=1
done
if [ "$status" != 0 ]; then
  echo "schemathesis found failures (server log: last lines)" >&2
  tail -n 40 "$scratch/server.log" >&2
fi
exit "$status"
