#!/usr/bin/env python3
"""Turns FHIR Bundles into a FHIR Bulk Data export: one NDJSON file per resource type.

    scripts/fhir-bundles-to-ndjson.py BUNDLE_DIR OUT_DIR

Each resource gets its `id` (from its `urn:uuid:` fullUrl when it has none), and every
reference to another entry of its bundle (`urn:uuid:…`) becomes `Type/id`, as a Bulk Data
export writes them. Bundles are read one at a time and lines appended, so memory stays
that of one bundle. Standard library only.
"""

import json
import os
import sys


def rewrite(node, targets):
    if isinstance(node, dict):
        return {
            k: (targets.get(v, v) if k == "reference" and isinstance(v, str) else rewrite(v, targets))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [rewrite(v, targets) for v in node]
    return node


def main(src, out):
    os.makedirs(out, exist_ok=True)
    files = {}
    count = 0
    try:
        for name in sorted(os.listdir(src)):
            if not name.endswith(".json"):
                continue
            with open(os.path.join(src, name), encoding="utf-8") as f:
                bundle = json.load(f)
            if bundle.get("resourceType") != "Bundle":
                continue
            entries = [e for e in bundle.get("entry", []) if isinstance(e.get("resource"), dict)]
            targets = {}
            for e in entries:
                r = e["resource"]
                url = e.get("fullUrl", "")
                if "id" not in r and url.startswith("urn:uuid:"):
                    r["id"] = url[len("urn:uuid:"):]
                if url and "id" in r:
                    targets[url] = f"{r['resourceType']}/{r['id']}"
            for e in entries:
                r = rewrite(e["resource"], targets)
                t = r["resourceType"]
                if t not in files:
                    files[t] = open(os.path.join(out, f"{t}.ndjson"), "a", encoding="utf-8")
                files[t].write(json.dumps(r, separators=(",", ":"), ensure_ascii=False) + "\n")
                count += 1
    finally:
        for f in files.values():
            f.close()
    print(f"wrote {count} resources in {len(files)} NDJSON file(s) to {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
