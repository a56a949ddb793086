"""Slot fillers of the second generation (``heldout2`` and ``tune2``).

Written with heldout2.py, before either part was scored. Wider than
formats.py in the written forms of each identifier (ISO timestamps with
offsets, dotted and day-first dates, ages in many phrasings, IPv6 with zone
ids and ports and Faker's unpadded groups, PO boxes and rural routes, names
in capitals and lower case, with particles, "Mc", "O'" and double barrels).

The words come from Faker 40.54.0 (MIT licence), pinned: a name, street
or town is drawn from Faker's pools and kept only if it falls on the part's
side of a hash split, so tune2 and heldout2 share no name, street word or
town. Faker is not a dependency of Ward: fetch the wheel and point
``WARD_FAKER`` at its unzipped directory (see README.md).
"""

import os
import string
import sys
import zlib

import formats

_FAKER_DIR = os.environ.get("WARD_FAKER", "/tmp/fk/site")
if _FAKER_DIR not in sys.path:
    sys.path.insert(0, _FAKER_DIR)

from faker import Faker  # noqa: E402

LOCALES = ["en_US", "en_US", "en_US", "en_GB", "es_MX", "es_ES", "pt_BR", "fr_FR", "de_DE", "it_IT",
           "nl_NL", "pl_PL", "vi_VN", "en_IN", "tr_TR", "sv_SE", "ga_IE", "fil_PH", "cs_CZ", "hr_HR"]
PARTICLES = ["van der", "van den", "van", "de", "de la", "del", "von", "von der", "da", "dos", "di",
             "Van", "De", "La", "Le", "St.", "ter", "al-", "El-", "bin", "ben"]


def side(word, part):
    """The part a word belongs to: a stable hash split (crc32)."""
    bit = zlib.crc32(word.lower().encode("utf-8")) % 2
    return bit == (1 if part == "heldout2" else 0)


class Vocab:
    """Draws words from Faker, keeping those on the part's side."""

    def __init__(self, part, seed):
        self.part = part
        self.fakers = {}
        for loc in sorted(set(LOCALES)):
            f = Faker(loc)
            f.seed_instance(seed)
            self.fakers[loc] = f
        self.us = self.fakers["en_US"]

    def _draw(self, rng, fn):
        for _ in range(200):
            w = fn(rng)
            if w and side(w, self.part):
                return w
        return w

    def given(self, rng, loc=None):
        loc = loc or rng.choice(LOCALES)
        f = self.fakers[loc]
        return self._draw(rng, lambda r: f.first_name().split()[0])

    def family(self, rng, loc=None):
        loc = loc or rng.choice(LOCALES)
        f = self.fakers[loc]
        w = self._draw(rng, lambda r: f.last_name())
        k = rng.random()
        simple = " " not in w and w[:1].isupper()
        if k < 0.06:
            if rng.choice(PARTICLES).endswith("-"):
                w = f"al-{w}"
            else:
                p = rng.choice(PARTICLES)
                w = p + w if p.endswith("-") else f"{p} {w}"
        elif k < 0.09:
            w = "O'" + w if simple else w
        elif k < 0.12:
            pre = rng.choice(["Mc", "Mac"])
            w = pre + w if simple else w
        elif k < 0.18:
            w = w + "-" + self._draw(rng, lambda r: f.last_name())
        return w

    def street_name(self, rng):
        return self._draw(rng, lambda r: self.us.street_name())

    def city(self, rng):
        f = self.fakers[rng.choice(["en_US", "en_US", "en_US", "en_GB"])] if rng.random() < 0.8 else self.us
        return self._draw(rng, lambda r: f.city())

    def domain(self, rng):
        return self._draw(rng, lambda r: self.us.free_email_domain() if r.random() < 0.6 else self.us.domain_name())

    def company(self, rng):
        return self._draw(rng, lambda r: self.us.last_name())


# ---- Ages over 89 ----------------------------------------------------------------

def _age(rng):
    return rng.choices([rng.randint(90, 99), rng.randint(100, 109)], [6, 2])[0]


def _age_words(rng, n):
    w = formats.number_words(n)
    style = rng.random()
    if n >= 100 and rng.random() < 0.4:
        w = w.replace("one hundred", rng.choice(["a hundred", "one hundred"]))
        if rng.random() < 0.5:
            w = w.replace(" and ", " ")
    if style < 0.2:
        w = w.replace("-", " ")
    elif style < 0.3:
        w = w.capitalize()
    elif style < 0.35:
        w = w.upper()
    return w


def fill_a(rng, v, arg):
    """An age over 89 in digits."""
    return [(str(_age(rng)), "AGE")]


def fill_aw(rng, v, arg):
    """An age over 89 in words (ninety-three, one hundred and one)."""
    w = _age_words(rng, _age(rng))
    if arg == "cap":
        w = w[0].upper() + w[1:]
    return [(w, "AGE")]


def fill_ax(rng, v, arg):
    """An age over 89, digits or words, with a unit written many ways."""
    n = _age(rng)
    if rng.random() < 0.25:
        return [(_age_words(rng, n), "AGE"), (rng.choice(["-year-old", " year old", " years old", "-yr-old"]), None)]
    return [(str(n), "AGE"), (rng.choice([" y/o", "y/o", " yo", "yo", " y.o.", " yrs", " yr", "-year-old", " year-old",
                                         " years", "-yo", " YO", " Y/O", " y", "y", " yr old", " yrs old", "-yr-old",
                                         " year old", " years of age", " yoa"]), None)]


def fill_adec(rng, v, arg):
    return [(rng.choice(["nineties", "90s", "90's", "Nineties", "nineties"]), "AGE")]


# ---- Dates -------------------------------------------------------------------------

MONTHS = formats.MONTHS
MON3 = formats.MON3
ordinal = formats.ordinal

DATE2 = {
    "m/d/yy": lambda y, m, d, r: f"{m}/{d}/{y % 100:02}",
    "m/d/yyyy": lambda y, m, d, r: f"{m}/{d}/{y}",
    "mm/dd/yyyy": lambda y, m, d, r: f"{m:02}/{d:02}/{y}",
    "mm-dd-yy": lambda y, m, d, r: f"{m:02}-{d:02}-{y % 100:02}",
    "m.d.yyyy": lambda y, m, d, r: f"{m}.{d}.{y}",
    "iso": lambda y, m, d, r: f"{y}-{m:02}-{d:02}",
    "iso.": lambda y, m, d, r: f"{y}.{m:02}.{d:02}",
    "isoThm": lambda y, m, d, r: f"{y}-{m:02}-{d:02}T{r.randint(0, 23):02}:{r.choice([0, 15, 30, 45, r.randint(0, 59)]):02}",
    "isoThms+off": lambda y, m, d, r: f"{y}-{m:02}-{d:02}T{r.randint(0, 23):02}:{r.randint(0, 59):02}:{r.randint(0, 59):02}{r.choice(['-05:00', '-04:00', '+00:00', '-0700', '.000Z', 'Z'])}",
    "iso hms": lambda y, m, d, r: f"{y}-{m:02}-{d:02} {r.randint(0, 23):02}:{r.randint(0, 59):02}:{r.randint(0, 59):02}",
    "Month dth": lambda y, m, d, r: f"{MONTHS[m-1]} {ordinal(d)}",
    "Mon. dth": lambda y, m, d, r: f"{MON3[m-1]}. {ordinal(d)}",
    "d Mon yyyy": lambda y, m, d, r: f"{d} {MON3[m-1]} {y}",
    "dth Month yyyy": lambda y, m, d, r: f"{ordinal(d)} {MONTHS[m-1]} {y}",
    "dth Month": lambda y, m, d, r: f"{ordinal(d)} {MONTHS[m-1]}",
    "Mon 'yy": lambda y, m, d, r: f"{MON3[m-1]} '{y % 100:02}",
    "Month 'yy": lambda y, m, d, r: f"{MONTHS[m-1]} '{y % 100:02}",
    "Month of yyyy": lambda y, m, d, r: f"{MONTHS[m-1]} of {y}",
    "Month d, yyyy": lambda y, m, d, r: f"{MONTHS[m-1]} {d}, {y}",
    "Mon d yyyy": lambda y, m, d, r: f"{MON3[m-1]} {d} {y}",
    "MON d, yyyy": lambda y, m, d, r: f"{MONTHS[m-1].upper()} {d}, {y}",
    "Weekday m/d": lambda y, m, d, r: f"{r.choice(['Mon', 'Tues', 'Wed', 'Thurs', 'Fri', 'Sat', 'Sun'])} {m}/{d}",
    "Wkd, Mon d": lambda y, m, d, r: f"{r.choice(['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])}, {MON3[m-1]} {d}",
    "m/d": lambda y, m, d, r: f"{m}/{d}",
    "mm/dd": lambda y, m, d, r: f"{m:02}/{d:02}",
    "Mon d": lambda y, m, d, r: f"{MON3[m-1]} {d}",
    "Month d": lambda y, m, d, r: f"{MONTHS[m-1]} {d}",
    "Month yyyy": lambda y, m, d, r: f"{MONTHS[m-1]} {y}",
    "m/yyyy": lambda y, m, d, r: f"{m}/{y}",
    "mm/yy": lambda y, m, d, r: f"{m:02}/{y % 100:02}",
    "yyyy-mm": lambda y, m, d, r: f"{y}-{m:02}",
    "ddMONyyyy": lambda y, m, d, r: f"{d:02}{MON3[m-1].upper()}{y}",
    "dd-Mon-yy": lambda y, m, d, r: f"{d:02}-{MON3[m-1]}-{y % 100:02}",
    "d-Mon": lambda y, m, d, r: f"{d}-{MON3[m-1]}",
    "yyyymmdd": lambda y, m, d, r: f"{y}{m:02}{d:02}",
    "m/d/yy h:mm": lambda y, m, d, r: f"{m}/{d}/{y % 100:02} {r.randint(1, 12)}:{r.randint(0, 59):02}",
    "mm/dd/yyyy hhmm": lambda y, m, d, r: f"{m:02}/{d:02}/{y} {r.randint(0, 23):02}{r.randint(0, 59):02}",
}
DATE2_GROUPS = {
    "full": ["m/d/yy", "m/d/yyyy", "mm/dd/yyyy", "mm-dd-yy", "m.d.yyyy", "iso", "iso.", "d Mon yyyy",
             "dth Month yyyy", "Month d, yyyy", "Mon d yyyy", "MON d, yyyy", "ddMONyyyy", "dd-Mon-yy", "yyyymmdd"],
    "md": ["Month dth", "Mon. dth", "dth Month", "Weekday m/d", "Wkd, Mon d", "m/d", "mm/dd", "Mon d", "Month d", "d-Mon"],
    "my": ["Mon 'yy", "Month 'yy", "Month of yyyy", "Month yyyy", "m/yyyy", "mm/yy", "yyyy-mm"],
    "ts": ["isoThm", "isoThms+off", "iso hms", "m/d/yy h:mm", "mm/dd/yyyy hhmm"],
}


def date2_text(rng, arg, lo=2016, hi=2026):
    y, m, d = formats._ymd(rng, lo, hi)
    keys = DATE2_GROUPS.get(arg) or list(DATE2)
    return DATE2[rng.choice(keys)](y, m, d, rng)


def fill_d(rng, v, arg):
    return [(date2_text(rng, arg), "DATE")]


def fill_born(rng, v, arg):
    return [(date2_text(rng, arg or "full", 1917, 2010), "DATE")]


def fill_yr(rng, v, arg):
    return [(str(rng.randint(1958, 2026)), "DATE")]


def fill_mon(rng, v, arg):
    # "May" is left out: alone it reads as the verb.
    return [(rng.choice([m for m in MONTHS if m != "May"]), "DATE")]


def fill_nth(rng, v, arg):
    """A day of the month alone: "the 4th" (only "4th" is the date)."""
    return [(ordinal(rng.randint(1, 31)), "DATE")]


# ---- Names ----------------------------------------------------------------------------

def name2_text(rng, v, style=None):
    loc = rng.choice(LOCALES)
    g, f = v.given(rng, loc), v.family(rng, loc)
    style = style or rng.choices(
        ["full", "fml", "lf", "LF", "LFM", "lower", "first", "last", "init", "initnodot", "upper", "lfm"],
        [30, 6, 6, 4, 2, 3, 10, 8, 3, 1, 2, 2])[0]
    mi = rng.choice(string.ascii_uppercase.replace("X", ""))
    if style == "full":
        return f"{g} {f}"
    if style == "fml":
        return f"{g} {mi}. {f}"
    if style == "lf":
        return f"{f}, {g}"
    if style == "lfm":
        return f"{f}, {g} {mi}"
    if style == "LF":
        return f"{f.upper()}, {g.upper()}"
    if style == "LFM":
        return f"{f.upper()}, {g.upper()} {mi}"
    if style == "lower":
        return f"{g} {f}".lower()
    if style == "upper":
        return f"{g} {f}".upper()
    if style == "first":
        return g
    if style == "last":
        return f
    if style == "init":
        return f"{g[0]}. {f}"
    if style == "initnodot":
        return f"{g[0]} {f}"
    raise ValueError(style)


def fill_n(rng, v, arg):
    return [(name2_text(rng, v, arg), "NAME")]


# ---- Places -----------------------------------------------------------------------------

UNITS = [lambda r: f"Apt {r.randint(1, 30)}{r.choice('ABCD')}", lambda r: f"Apt. {r.randint(1, 999)}",
         lambda r: f"Suite {r.randint(100, 990)}", lambda r: f"Ste. {r.randint(1, 500)}",
         lambda r: f"#{r.randint(1, 99)}", lambda r: f"# {r.randint(1, 400)}", lambda r: f"Unit {r.randint(1, 40)}",
         lambda r: f"Apt #{r.randint(1, 20)}{r.choice(['', 'B'])}", lambda r: f"Rm {r.randint(1, 30)}",
         lambda r: f"Fl {r.randint(2, 12)}", lambda r: f"Trlr {r.randint(1, 80)}", lambda r: f"Apt {r.randint(1, 9)}-{r.choice('ABC')}"]


def street2_text(rng, v, unit=None):
    k = rng.random()
    if k < 0.55:
        num = rng.choice([str(rng.randint(1, 99)), str(rng.randint(100, 9999)), str(rng.randint(10000, 99999))])
        text = f"{num} {v.company(rng)} {v.us.street_suffix()}"
    elif k < 0.85:
        num = str(rng.randint(1, 9999))
        direction = rng.choice(["N", "S", "E", "W", "N.", "S.", "NW", "East", "West"])
        name = v.street_name(rng)
        text = f"{num} {direction} {name}"
    else:
        text = f"{rng.randint(1, 999)} {rng.choice(['County Road', 'State Route', 'Highway', 'Route', 'FM', 'Rte'])} {rng.randint(1, 999)}"
    want = unit if unit is not None else rng.random() < 0.45
    if want:
        sep = rng.choice([" ", ", "])
        text += sep + rng.choice(UNITS)(rng)
    return text


def fill_st(rng, v, arg):
    if arg == "box":
        return [(rng.choice([f"PO Box {rng.randint(1, 99999)}", f"P.O. Box {rng.randint(1, 9999)}",
                             f"P. O. Box {rng.randint(1, 999)}", f"POB {rng.randint(1, 999)}",
                             f"Post Office Box {rng.randint(1, 9999)}", f"RR {rng.randint(1, 9)} Box {rng.randint(1, 300)}",
                             f"Rural Route {rng.randint(1, 9)}, Box {rng.randint(1, 99)}",
                             f"HC {rng.randint(1, 80)} Box {rng.randint(1, 999)}"]), "STREET_ADDRESS")]
    return [(street2_text(rng, v, {"unit": True, "plain": False}.get(arg)), "STREET_ADDRESS")]


def fill_town(rng, v, arg):
    return [(v.city(rng), "CITY")]


def fill_ctst(rng, v, arg):
    abbr, full = rng.choice(formats.STATES)
    return [(v.city(rng), "CITY"), (", " + (abbr if rng.random() < 0.75 else full), None)]


def fill_addr2(rng, v, arg):
    abbr, full = rng.choice(formats.STATES)
    state = abbr if rng.random() < 0.75 else full
    street = fill_st(rng, v, "box" if rng.random() < 0.15 else None)[0][0]
    sep = rng.choice([", ", ", ", "\n", " "])
    return [(street, "STREET_ADDRESS"), (sep, None), (v.city(rng), "CITY"),
            (rng.choice([f", {state} ", f" {state} ", f", {state}  "]), None), (formats.zip_text(rng), "ZIP")]


def fill_zip2(rng, v, arg):
    return [(formats.zip_text(rng), "ZIP")]


# ---- Contact and network --------------------------------------------------------------------

PHONE2 = ["({a}) {e}-{l}", "{a}-{e}-{l}", "{a}.{e}.{l}", "({a}){e}-{l}", "({a})-{e}-{l}", "+1{a}{e}{l}",
          "+1 ({a}) {e}-{l}", "1-{a}-{e}-{l}", "{a} {e} {l}", "{a}{e}{l}", "{a}-{e}-{l} x{x}",
          "{a}-{e}-{l}, ext. {x}", "({a}) {e} {l}", "1 {a} {e} {l}", "+1-{a}-{e}-{l}", "{a}-{e}{l}"]


def phone2_text(rng):
    a = formats._area(rng) if rng.random() < 0.7 else rng.randint(201, 989)
    return rng.choice(PHONE2).format(a=a, e=rng.randint(201, 989), l=f"{rng.randint(0, 9999):04}", x=rng.randint(1, 9999))


def fill_tel(rng, v, arg):
    return [(phone2_text(rng), "FAX" if arg == "fax" else "PHONE")]


def fill_mail(rng, v, arg):
    g = formats._slug(formats._ascii(v.given(rng)))
    f = formats._slug(formats._ascii(v.family(rng)))
    local = rng.choice([f"{g}.{f}", f"{g[0]}{f}", f"{f}.{g}", f"{g}{rng.randint(1, 99)}", f"{g}_{f[0]}",
                        f"{f}{rng.randint(1940, 2010)}", f"{g}.{f}.{rng.randint(1, 9)}"])
    text = f"{local}@{v.domain(rng)}"
    if rng.random() < 0.08:
        text = text.upper() if rng.random() < 0.3 else text[0].upper() + text[1:]
    return [(text, "EMAIL")]


def fill_web(rng, v, arg):
    host = v.domain(rng)
    tok = "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(rng.randint(5, 14)))
    text = rng.choice([f"https://{host}/{tok}", f"http://www.{host}/patient/{tok}", f"https://portal.{host}/login?u={tok}",
                       f"www.{host}", f"{host}/{tok}", f"https://{host}:8443/", f"https://{host}/a/b/{tok}.html",
                       f"https://telehealth.{host}/room/{tok}#join", f"http://{formats.ipv4_text(rng)}:{rng.choice([80, 8080, 8000])}/{tok}",
                       f"https://[{ipv6_2(rng)}]:{rng.choice([443, 8443])}/{tok}"])
    return [(text, "URL")]


def ipv6_2(rng):
    groups = [f"{rng.randint(0, 0xffff):x}" for _ in range(8)]
    style = rng.random()
    if style < 0.3:  # Faker's form: eight unpadded groups, any first group
        return ":".join(groups)
    if style < 0.4:
        return ":".join(g.zfill(4) for g in groups).upper() if rng.random() < 0.5 else ":".join(g.zfill(4) for g in groups)
    if style < 0.75:  # compressed
        k = rng.randint(1, 6)
        z = rng.randint(1, 8 - k)
        if rng.random() < 0.5:  # a two-group prefix takes the place of two groups
            pre = rng.choice(["2001:db8", "2001:0db8", "2600:1f18", "2a00:1450", "2607:f8b0", "2001:470"])
            groups = pre.split(":") + groups[2:]
        return ":".join(groups[:k]) + "::" + ":".join(groups[k + z:])
    if style < 0.85:
        return rng.choice(["fe80::", "FE80::"]) + ":".join(groups[4:])
    if style < 0.92:
        return "::ffff:" + formats.ipv4_text(rng)
    return f"{groups[0]}::{groups[7]}"


def fill_ip2(rng, v, arg):
    if arg == "v4" or (arg is None and rng.random() < 0.45):
        t = formats.ipv4_text(rng) if rng.random() < 0.6 else ".".join(str(rng.randint(1, 254)) for _ in range(4))
        if rng.random() < 0.2:
            t += rng.choice([f":{rng.randint(1, 65535)}", f"/{rng.randint(8, 32)}"])
        return [(t, "IP")]
    t = ipv6_2(rng)
    if arg == "zone" or rng.random() < 0.1:
        t += rng.choice(["%eth0", "%en0", "%wlan0", "%12", "%ens192"])
    if arg == "port":
        return [("[", None), (t, "IP"), (f"]:{rng.randint(1024, 65535)}", None)]
    if rng.random() < 0.1:
        t += rng.choice(["/64", "/48", "/128"])
    return [(t, "IP")]


# ---- Numbers ---------------------------------------------------------------------------------------

def fill_mrn2(rng, v, arg):
    d = formats._digits
    t = rng.choice([d(rng, 7), d(rng, 8), d(rng, 9), f"E{d(rng, 7)}", f"MR{d(rng, 6)}", f"{d(rng, 3)}-{d(rng, 2)}-{d(rng, 2)}",
                    f"{d(rng, 4)} {d(rng, 4)}", f"000{d(rng, 5)}", f"H{d(rng, 6)}-{d(rng, 1)}"])
    return [(t, "MRN")]


def fill_acct2(rng, v, arg):
    d = formats._digits
    return [(rng.choice([d(rng, 10), d(rng, 9), f"{d(rng, 3)}-{d(rng, 6)}", f"A{d(rng, 8)}", f"HAR{d(rng, 8)}",
                         f"{d(rng, 6)}-{d(rng, 3)}", f"{d(rng, 4)} {d(rng, 4)} {d(rng, 4)}"]), "ACCOUNT")]


def fill_member(rng, v, arg):
    d, L = formats._digits, formats._letters
    return [(rng.choice([f"{L(rng, 3)}{d(rng, 9)}", f"{L(rng, 1)}{d(rng, 10)}", f"{d(rng, 9)}{L(rng, 2)}",
                         f"{L(rng, 3)}{d(rng, 6)}-{d(rng, 2)}", f"{d(rng, 1)}{L(rng, 2)}{d(rng, 1)}-{L(rng, 2)}{d(rng, 1)}-{L(rng, 2)}{d(rng, 2)}",
                         f"W{d(rng, 9)}", f"ZGP{d(rng, 8)}", f"{d(rng, 12)}"]), "HEALTH_PLAN")]


def fill_lic2(rng, v, arg):
    d, L = formats._digits, formats._letters
    return [(rng.choice([f"{L(rng, 1)}{d(rng, 7)}", f"{L(rng, 1)}{d(rng, 12)}", f"{d(rng, 8)}", f"{L(rng, 2)}{d(rng, 7)}",
                         f"{L(rng, 1)}{d(rng, 3)}-{d(rng, 3)}-{d(rng, 3)}-{d(rng, 3)}", f"{L(rng, 2)}-{d(rng, 6)}",
                         f"{d(rng, 3)} {d(rng, 3)} {d(rng, 3)}"]), "LICENSE")]


def fill_dev2(rng, v, arg):
    d, L, A = formats._digits, formats._letters, formats._alnum
    return [(rng.choice([f"{L(rng, 3)}{d(rng, 7)}", f"SN-{d(rng, 9)}", f"{A(rng, 10)}", f"{d(rng, 2)}{L(rng, 3)}{d(rng, 5)}",
                         f"{L(rng, 2)}{d(rng, 4)}-{d(rng, 4)}", f"{d(rng, 15)}", f"R{d(rng, 9)}"]), "DEVICE")]


def fill_veh2(rng, v, arg):
    d, L = formats._digits, formats._letters
    chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    return [(rng.choice([f"{d(rng, 1)}{L(rng, 3)}{d(rng, 3)}", f"{L(rng, 3)}{d(rng, 3)}", f"{L(rng, 3)}-{d(rng, 3)}",
                         f"{L(rng, 2)} {d(rng, 5)}", f"{d(rng, 3)}-{L(rng, 3)}", "".join(rng.choice(chars) for _ in range(17))]), "VEHICLE")]


def fill_ssn2(rng, v, arg):
    a, b, c = rng.randint(100, 899), rng.randint(10, 99), rng.randint(1000, 9999)
    return [(rng.choice([f"{a}-{b}-{c}", f"{a}-{b}-{c}", f"{a} {b} {c}", f"{a}{b:02}{c}", f"{a}.{b}.{c}"]), "SSN")]


def fill_id2(rng, v, arg):
    d, L = formats._digits, formats._letters
    return [(rng.choice([f"{L(rng, 2)}{d(rng, 8)}", f"{d(rng, 4)}-{d(rng, 5)}", f"{L(rng, 3)}-{d(rng, 4)}-{d(rng, 2)}",
                         f"{d(rng, 9)}", f"{L(rng, 1)}{d(rng, 6)}"]), "ID")]


def fill_hosp2(rng, v, arg):
    word = rng.choice(["Saint " + v.given(rng, "en_US"), v.city(rng), v.family(rng, "en_US"), v.city(rng)])
    form = rng.choice(v.hospital_forms)
    return [(form.format(w=word, c=v.city(rng), f=v.family(rng, "en_US")), "HOSPITAL")]


FILLERS = {
    "a": fill_a, "aw": fill_aw, "ax": fill_ax, "adec": fill_adec,
    "d": fill_d, "born": fill_born, "yr": fill_yr, "mon": fill_mon, "nth": fill_nth,
    "n": fill_n, "st": fill_st, "town": fill_town, "ctst": fill_ctst, "addr2": fill_addr2, "zip2": fill_zip2,
    "tel": fill_tel, "mail": fill_mail, "web": fill_web, "ip2": fill_ip2,
    "mrn2": fill_mrn2, "acct2": fill_acct2, "member": fill_member, "lic2": fill_lic2, "dev2": fill_dev2,
    "veh2": fill_veh2, "ssn2": fill_ssn2, "id2": fill_id2, "hosp2": fill_hosp2,
}
