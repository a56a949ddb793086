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
  * Given names and family names of 86 locales (every Latin-script name,
    romanised Japanese names included) from the person providers of the
    PyPI package `Faker` 40.54.0 (MIT licence): `pip download --no-deps
    faker==40.54.0`, unzip. They widen the census lists beyond US naming
    traditions; a name that is also an English word gets no name flag from
    this source (only the census may make "Hope" a given name).

Output: one line per lowercase token, `token<TAB>flags`, sorted, where flags
is a subset of the letters
  F  a given name (census first-name lists)
  L  a surname (census surname list)
  C  a common surname (census rank <= 10,000)
  W  an ordinary lowercase English word (so weak evidence of a name)
Tokens are lowercased, Latin diacritics folded as ward-phi folds them
(`Júlia` -> `julia`); multi-word names give one token per word, particles
("van", "de", "al") left out.
Usage: derive_lexicon.py NAMES_DIR WORDS_FILE [FAKER_DIR] > lexicon.txt
"""
import importlib
import pkgutil
import sys
import unicodedata

names_dir, words_file = sys.argv[1], sys.argv[2]
faker_dir = sys.argv[3] if len(sys.argv) > 3 else None
flags = {}
PARTICLES = {"de", "van", "von", "der", "den", "da", "di", "del", "della", "du", "la", "le", "dos",
             "das", "do", "ten", "ter", "bin", "ibn", "al", "el", "y", "e", "ben", "abu", "bint",
             "st", "mac", "mc", "o", "d", "af", "av", "zu", "vd"}
# Letters NFKD does not split, folded as ward-phi's lexicon folds them.
SPECIAL = {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ß": "ss", "ı": "i",
           "þ": "th"}


def fold(word):
    out = []
    for c in word.lower():
        if c in SPECIAL:
            out.append(SPECIAL[c])
            continue
        for d in unicodedata.normalize("NFKD", c):
            if not unicodedata.combining(d):
                out.append(d)
    w = "".join(out)
    return w if w.isascii() and w.isalpha() else None


def faker_names(root):
    """(token, flag) for every Latin-script given and family name."""
    sys.path.insert(0, root)
    person = importlib.import_module("faker.providers.person")
    for m in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"faker.providers.person.{m.name}"), "Provider", None)
        if provider is None:
            continue
        for attr in dir(provider):
            flag = "F" if "first_name" in attr else "L" if "last_name" in attr else None
            value = getattr(provider, attr)
            if flag is None or not isinstance(value, (dict, list, tuple)):
                continue
            for entry in value:
                for name in entry if isinstance(entry, tuple) else (entry,):
                    if not isinstance(name, str):
                        continue
                    for part in name.replace("-", " ").replace("'", " ").replace("’", " ").split():
                        tok = fold(part)
                        if tok and len(tok) >= 2 and tok not in PARTICLES:
                            yield tok, flag


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
if faker_dir:
    for tok, f in sorted(set(faker_names(faker_dir))):
        if "W" not in flags.get(tok, ()):
            add(tok, f)
out = sys.stdout
out.write("# ward-phi lexicon, derived by derive_lexicon.py; see that file for sources and licences.\n")
for tok in sorted(flags):
    out.write(f"{tok}\t{''.join(sorted(flags[tok], key='FLCW'.index))}\n")
