#!/usr/bin/env python3
"""Writes Ward's labelled PHI corpora (phi-eval's JSONL format):

* ``tune.jsonl``: the tuning part (templates in tune.py), which the
  detector is developed against;
* ``heldout.jsonl``: the held-out part (templates in heldout.py, written
  before tuning), scored only in aggregate;
* ``adversarial.jsonl``: hand-written sentences from adversarial.txt.

The two generated parts share no template and no vocabulary entry (names,
streets, cities, hospital words, domains): vocab.py gives each its own half
of every list, and this script checks both. Deterministic (fixed seeds).

    python3 phi/corpus/generate.py
"""

import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import engine  # noqa: E402
import formats  # noqa: E402
import formats2  # noqa: E402
import formats3  # noqa: E402
import heldout  # noqa: E402
import heldout2  # noqa: E402
import heldout3  # noqa: E402
import tune  # noqa: E402
import tune2  # noqa: E402
import tune3  # noqa: E402
import vocab  # noqa: E402

PER_TEMPLATE = 20  # sentences per template with slots
PER_FIXED = 2  # sentences per template without slots (no PHI)


def build(part, module, seed):
    rng = random.Random(seed)
    v = vocab.vocabulary(part, module.HOSPITAL_FORMS)
    records = []
    for tid, template in enumerate(module.TEMPLATES):
        n = PER_TEMPLATE if engine.SLOT.search(template) else PER_FIXED
        for _ in range(n):
            text, spans = engine.render(template, formats.FILLERS, rng, v)
            records.append({"part": part, "template_id": tid, "text": text, "spans": spans})
    rng.shuffle(records)
    for i, r in enumerate(records):
        r["id"] = i
    return [{"id": r["id"], **{k: r[k] for k in ("part", "template_id", "text", "spans")}} for r in records]


def build2(part, module, seed):
    """A part of the second generation: formats2.py forms, Faker words."""
    rng = random.Random(seed)
    v = formats2.Vocab(part, seed)
    v.hospital_forms = module.HOSPITAL_FORMS
    records = []
    for tid, template in enumerate(module.TEMPLATES):
        n = PER_TEMPLATE if engine.SLOT.search(template) else PER_FIXED
        for _ in range(n):
            text, spans = engine.render(template, formats2.FILLERS, rng, v)
            records.append({"part": part, "template_id": tid, "text": text, "spans": spans})
    rng.shuffle(records)
    return [{"id": i, **{k: r[k] for k in ("part", "template_id", "text", "spans")}} for i, r in enumerate(records)]


def build3(part, module, seed):
    """A part of the third generation: formats3.py forms, Faker words of the third split."""
    rng = random.Random(seed)
    v = formats3.Vocab3(part, seed)
    v.hospital_forms = module.HOSPITAL_FORMS
    records = []
    for tid, template in enumerate(module.TEMPLATES):
        n = PER_TEMPLATE if engine.SLOT.search(template) else PER_FIXED
        for _ in range(n):
            text, spans = engine.render(template, formats3.FILLERS, rng, v)
            records.append({"part": part, "template_id": tid, "text": text, "spans": spans})
    rng.shuffle(records)
    return [{"id": i, **{k: r[k] for k in ("part", "template_id", "text", "spans")}} for i, r in enumerate(records)]


def check_disjoint():
    shared = set(tune.TEMPLATES) & set(heldout.TEMPLATES)
    assert not shared, f"templates in both parts: {shared}"
    shared = set(tune.HOSPITAL_FORMS) & set(heldout.HOSPITAL_FORMS)
    assert not shared, f"hospital forms in both parts: {shared}"
    a = vocab.vocabulary("tune", [])
    b = vocab.vocabulary("heldout", [])
    for key in ("word_given", "cities", "streets", "saints", "email_domains", "web_words", "hospital_words"):
        both = set(map(str, a[key])) & set(map(str, b[key]))
        assert not both, f"{key} in both parts: {both}"
    for ca, cb in zip(a["cultures"], b["cultures"]):
        for key in ("given", "family"):
            both = set(ca[key]) & set(cb[key])
            assert not both, f"names in both parts: {both}"


def adversarial():
    records = []
    with open(os.path.join(HERE, "adversarial.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            text, spans = engine.parse_marked(line.replace("\\n", "\n"))
            records.append({"id": len(records), "part": "adversarial", "text": text, "spans": spans})
    return records


def main():
    check_disjoint()
    engine.write_jsonl(os.path.join(HERE, "tune.jsonl"), build("tune", tune, 20251207))
    engine.write_jsonl(os.path.join(HERE, "heldout.jsonl"), build("heldout", heldout, 7121025))
    assert not set(tune2.TEMPLATES) & set(heldout2.TEMPLATES), "templates in tune2 and heldout2"
    engine.write_jsonl(os.path.join(HERE, "tune2.jsonl"), build2("tune2", tune2, 7140612))
    engine.write_jsonl(os.path.join(HERE, "heldout2.jsonl"), build2("heldout2", heldout2, 26120714))
    old = set(tune.TEMPLATES) | set(tune2.TEMPLATES) | set(heldout.TEMPLATES) | set(heldout2.TEMPLATES)
    assert not set(tune3.TEMPLATES) & set(heldout3.TEMPLATES), "templates in tune3 and heldout3"
    assert not set(heldout3.TEMPLATES) & old, "heldout3 templates used before"
    assert not set(tune3.HOSPITAL_FORMS) & set(heldout3.HOSPITAL_FORMS), "facility forms in tune3 and heldout3"
    engine.write_jsonl(os.path.join(HERE, "tune3.jsonl"), build3("tune3", tune3, 3120726))
    engine.write_jsonl(os.path.join(HERE, "heldout3.jsonl"), build3("heldout3", heldout3, 6270213))
    if os.path.exists(os.path.join(HERE, "adversarial.txt")):
        engine.write_jsonl(os.path.join(HERE, "adversarial.jsonl"), adversarial())


if __name__ == "__main__":
    main()
