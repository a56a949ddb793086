#!/usr/bin/env python3
"""Derives phi/data/drugs.txt, the one-word drug names of ward-phi.

A capitalised word in a note that is neither an English word nor a known
name is most often a person's name, a place, or a medicine ("started
Keppra"). The detector reads such a word as a name only when it is not a
medicine: this list is how it tells.

Source (fetched from a package registry, not committed): the drug
dictionary of the PyPI package `drug-named-entity-recognition` 2.0.9 (MIT
licence), whose names come from DrugBank open data (CC0), MeSH and
MedlinePlus (NLM) and Wikipedia's drug articles (brand names):
`pip download --no-deps drug-named-entity-recognition==2.0.9`, unzip, then
pass drug_named_entity_recognition/drug_ner_dictionary.pkl.bz2. Every
one-word name is kept: a list of product names, used only to tell a
medicine from a person.

Output: one lowercase ASCII word (3 letters or more) per line, sorted,
without any word that the lexicon (phi/data/lexicon.txt) knows as a given
name or a common surname ("Allegra", "Camila" stay names: privacy first;
a rare surname that is a medicine, "Cipro", is read as the medicine).
Usage: derive_drugs.py drug_ner_dictionary.pkl.bz2 lexicon.txt > drugs.txt
"""
import bz2
import pickle
import re
import sys

data = pickle.load(bz2.open(sys.argv[1]))
variants = data["drug_variant_to_canonical"]
names = set()
for line in open(sys.argv[2], encoding="utf-8"):
    if line.startswith("#"):
        continue
    word, _, flags = line.rstrip("\n").partition("\t")
    if "F" in flags or "C" in flags:
        names.add(word)
out = set()
for word, cans in variants.items():
    if not re.fullmatch(r"[a-z]{3,}", word) or word in names:
        continue
    out.add(word)
print("# One-word drug names: DrugBank open data (CC0), MeSH, MedlinePlus, Wikipedia via drug-named-entity-recognition 2.0.9")
for word in sorted(out):
    print(word)
