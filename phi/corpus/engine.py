"""Template engine for Ward's labelled PHI corpora.

A template is a sentence with slots: ``{slot}`` or ``{slot:arg}``. Each slot
is filled by a function from ``formats.FILLERS`` that returns segments
``[(text, TYPE or None), ...]``; labelled segments become gold spans. Offsets
are Unicode code points, end exclusive, as ``phi-eval`` reads them.

A template may carry flags before a ``|``: ``lower|...`` lower-cases the whole
sentence (texting style), ``upper|...`` upper-cases it (old EHR headers).
"""

import json
import re

SLOT = re.compile(r"\{(\w+)(?::([^}]*))?\}")


def case_keep_length(text, upper=False):
    """Lower- or upper-cases character by character, keeping every
    character whose case mapping would change the length (so offsets hold)."""
    out = []
    for c in text:
        m = c.upper() if upper else c.lower()
        out.append(m if len(m) == 1 else c)
    return "".join(out)


def render(template, fillers, rng, vocab):
    """Fills one template; returns (text, spans)."""
    flags = set()
    if "|" in template.split("{", 1)[0]:
        head, template = template.split("|", 1)
        flags = set(head.split(","))
    pieces = []  # (text, type)
    pos = 0
    for m in SLOT.finditer(template):
        if m.start() > pos:
            pieces.append((template[pos : m.start()], None))
        slot, arg = m.group(1), m.group(2)
        if slot not in fillers:
            raise KeyError(f"unknown slot {slot!r} in {template!r}")
        pieces.extend(fillers[slot](rng, vocab, arg))
        pos = m.end()
    pieces.append((template[pos:], None))
    text = ""
    spans = []
    for seg, kind in pieces:
        if kind is not None and seg:
            spans.append(
                {"start": len(text), "end": len(text) + len(seg), "type": kind, "value": seg}
            )
        text += seg
    if "lower" in flags:
        text = case_keep_length(text)
    if "upper" in flags:
        text = case_keep_length(text, upper=True)
    for s in spans:
        s["value"] = text[s["start"] : s["end"]]
    return text, spans


MARK = re.compile(r"\[\[([A-Z_]+):(.*?)\]\]")


def parse_marked(line):
    """Reads a hand-written line where PHI is marked ``[[TYPE:text]]``."""
    text = ""
    spans = []
    pos = 0
    for m in MARK.finditer(line):
        text += line[pos : m.start()]
        value = m.group(2)
        spans.append(
            {"start": len(text), "end": len(text) + len(value), "type": m.group(1), "value": value}
        )
        text += value
        pos = m.end()
    text += line[pos:]
    return text, spans


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
