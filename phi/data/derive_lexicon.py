#!/usr/bin/env python3
"""Derives phi/data/lexicon.txt, the name and word dictionary of ward-phi.

Sources (fetched from package registries, not committed):
  * US Census Bureau 1990 name frequency lists (public domain, a work of the
    US Government): dist.all.last (88,799 surnames), dist.female.first and
    dist.male.first (5,494 given names), as shipped in the PyPI package
    `names` 0.3.0 (MIT licence): `pip download --no-deps names==0.3.0`.
  * SCOWL-derived English word list from the Debian package `wamerican`
    (2020.12.07; SCOWL licence: permission to use, copy, modify, distribute
    and sell), /usr/share/dict/american-english; only all-lowercase entries.

Output: one line per lowercase token, `token<TAB>flags`, sorted, where flags
is a subset of the letters
  F  a given name (census first-name lists)
  L  a surname (census surname list)
  C  a common surname (census rank <= 10,000)
  W  an ordinary lowercase English word (so weak evidence of a name)
Usage: derive_lexicon.py NAMES_DIR WORDS_FILE > lexicon.txt
"""
import sys

names_dir, words_file = sys.argv[1], sys.argv[2]
flags = {}


def add(tok, f):
    flags.setdefault(tok, set()).add(f)


for fn in ("dist.female.first", "dist.male.first"):
    for line in open(f"{names_dir}/{fn}"):
        add(line.split()[0].lower(), "F")
for line in open(f"{names_dir}/dist.all.last"):
    parts = line.split()
    tok = parts[0].lower()
    add(tok, "L")
    if int(parts[3]) <= 10000:
        add(tok, "C")
for line in open(words_file, encoding="utf-8"):
    w = line.strip()
    if w and w.isalpha() and w.isascii() and w == w.lower() and len(w) >= 2:
        add(w, "W")
out = sys.stdout
out.write("# ward-phi lexicon, derived by derive_lexicon.py; see that file for sources and licences.\n")
for tok in sorted(flags):
    out.write(f"{tok}\t{''.join(sorted(flags[tok], key='FLCW'.index))}\n")
