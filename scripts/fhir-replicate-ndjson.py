#!/usr/bin/env python3
"""Multiplies a Bulk Data export: each NDJSON line is written COPIES times, every UUID in
it (ids, references) made distinct per copy by replacing its first two hex digits with
the copy number, and every identifier of a Patient suffixed with the copy number (Ward
matches patients by MRN), so the copies are new patients with their own records.

    scripts/fhir-replicate-ndjson.py IN_DIR OUT_DIR COPIES

Used for the import benchmark (patients from a slow generator, times COPIES). Standard
library only; streams line by line.
"""

import json
import os
import re
import sys

UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")


def main(src, out, copies):
    os.makedirs(out, exist_ok=True)
    total = 0
    for name in sorted(os.listdir(src)):
        if not name.endswith(".ndjson"):
            continue
        with open(os.path.join(src, name), encoding="utf-8") as f, open(
            os.path.join(out, name), "w", encoding="utf-8"
        ) as o:
            for line in f:
                if not line.strip():
                    continue
                patient = name.startswith("Patient")
                for k in range(copies):
                    copy = UUID.sub(lambda m: f"{k:02x}" + m.group(0)[2:], line)
                    if patient and k > 0:
                        r = json.loads(copy)
                        for ident in r.get("identifier", []):
                            if "value" in ident:
                                ident["value"] = f"{ident['value']}-{k:02d}"
                        copy = json.dumps(r, separators=(",", ":"), ensure_ascii=False) + "\n"
                    o.write(copy)
                    total += 1
    print(f"wrote {total} resources to {out}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
