"""Slot fillers of the third generation (``heldout3`` and ``tune3``).

Written with heldout3.py and tune3.py, before either part was scored and
before any detector change of that round. On top of formats2.py's forms it
adds written forms the first two generations do not have: dates such as
"the 3rd of March", "March the 3rd", "2024/03/15", "15-Mar-2024",
"Tuesday, March 5, 2024", "03.15.24", "Mar 15, '24", "3/15/2024 @ 14:00";
ages as "aged 101", "turned 97", "in her nineties", "ninety-seven" and
"97yo" glued; SSNs and record numbers behind many label variants; IPv6 in
more compressed shapes; names drawn also from locales the second generation
does not use, 8 % made-up names no lexicon holds, "Last, First M." and
nicknames written as given names; facility names in forms of their own.

Words: Faker 40.54.0 (see README.md), split by a second hash. A word goes to
``heldout3`` when crc32 % 4 == 3 (a quarter of the side of the split the
tuning parts never drew from), to ``tune3`` when crc32 % 4 == 0 (a quarter of
``tune2``'s side); so heldout3 shares no name, street word or town with any
tuning part. Made-up names are built from syllables, each part its own
syllable set.
"""

import string
import zlib

import formats
import formats2
from formats2 import Faker

LOCALES3 = ["en_US"] * 8 + ["en_GB", "es_MX", "pt_BR", "fr_FR", "de_DE", "it_IT", "vi_VN", "en_IN", "fil_PH",
                            "en_IE", "fi_FI", "da_DK", "no_NO", "hu_HU", "ro_RO", "sk_SK", "sl_SI", "lt_LT",
                            "id_ID", "tw_GH", "yo_NG", "zu_ZA", "es_CO", "fr_CA", "de_AT", "sw", "ha_NG", "ig_NG"]

SYLLABLES = {
    "heldout3": (["ka", "lo", "ven", "dra", "mi", "sor", "tal", "bre", "qui", "zan", "ol", "fe", "rin", "ush"],
                 ["ovic", "berg", "ani", "ette", "ard", "isk", "mon", "ley", "ros", "ido"]),
    "tune3": (["pa", "ne", "gor", "vi", "shal", "tro", "bel", "am", "cu", "del", "ith", "wen", "sa", "ky"],
              ["ina", "ton", "ez", "ova", "sen", "ard", "ell", "ick", "aro", "um"]),
}


def side3(word, part):
    """The part a word belongs to: crc32 % 4 (3 for heldout3, 0 for tune3)."""
    q = zlib.crc32(word.lower().encode("utf-8")) % 4
    return q == (3 if part == "heldout3" else 0)


class Vocab3(formats2.Vocab):
    """Faker words on the part's side of the third split, and made-up names."""

    def __init__(self, part, seed):
        self.part = part
        self.fakers = {}
        for loc in sorted(set(LOCALES3)):
            f = Faker(loc)
            f.seed_instance(seed)
            self.fakers[loc] = f
        self.us = self.fakers["en_US"]

    def _draw(self, rng, fn):
        w = None
        for _ in range(400):
            w = fn(rng)
            if w and side3(w, self.part):
                return w
        return w

    def made_up(self, rng):
        heads, tails = SYLLABLES[self.part]
        w = "".join(rng.choice(heads) for _ in range(rng.randint(1, 2))) + rng.choice(tails)
        return w.capitalize()

    def given(self, rng, loc=None):
        if rng.random() < 0.08:
            return self.made_up(rng)
        loc = loc or rng.choice(LOCALES3)
        f = self.fakers[loc]
        return self._draw(rng, lambda r: f.first_name().split()[0])

    def family(self, rng, loc=None):
        if rng.random() < 0.08:
            return self.made_up(rng)
        return super().family(rng, loc or rng.choice(LOCALES3))


# ---- Names --------------------------------------------------------------------------------

def name3_text(rng, v, style=None):
    loc = rng.choice(LOCALES3)
    g, f = v.given(rng, loc), v.family(rng, loc)
    style = style or rng.choices(
        ["full", "fml", "lf", "lfmi", "LF", "lower", "first", "last", "init", "upper", "ff"],
        [34, 6, 8, 4, 3, 4, 10, 10, 3, 2, 2])[0]
    mi = rng.choice(string.ascii_uppercase.replace("X", "").replace("I", ""))
    if style == "full":
        return f"{g} {f}"
    if style == "fml":
        return f"{g} {mi}. {f}" if rng.random() < 0.7 else f"{g} {mi} {f}"
    if style == "lf":
        return f"{f}, {g}" if rng.random() < 0.8 else f"{f},{g}"
    if style == "lfmi":
        return f"{f}, {g} {mi}."
    if style == "LF":
        return f"{f.upper()}, {g.upper()}"
    if style == "lower":
        return f"{g} {f}".lower() if rng.random() < 0.7 else g.lower()
    if style == "upper":
        return f"{g} {f}".upper()
    if style == "first":
        return g
    if style == "last":
        return f
    if style == "init":
        return f"{g[0]}. {f}" if rng.random() < 0.6 else f"{g[0]}.{mi}. {f}"
    if style == "ff":  # two given names, as some traditions write them
        return f"{g} {v.given(rng, loc)} {f}"
    raise ValueError(style)


def fill_p(rng, v, arg):
    return [(name3_text(rng, v, arg), "NAME")]


# ---- Ages over 89 -------------------------------------------------------------------------

def fill_g(rng, v, arg):
    """An age over 89: digits or words (arg "w"), or glued units (arg "glued")."""
    n = formats2._age(rng)
    if arg == "w":
        return [(formats2._age_words(rng, n), "AGE")]
    if arg == "glued":
        return [(str(n), "AGE"), (rng.choice(["yo", "y/o", "YO", "yr", "y", "F", "M", "yoF", "yom", "yof"]), None)]
    if arg == "any":
        if rng.random() < 0.3:
            return [(formats2._age_words(rng, n), "AGE")]
    return [(str(n), "AGE")]


def fill_dec(rng, v, arg):
    """An age over 89 as a decade ("in her nineties", "mid-nineties": the decade word only)."""
    return _dec(rng)


def _dec(rng):
    k = rng.random()
    if k < 0.2:
        return [("mid-", None), ("nineties", "AGE")]
    if k < 0.35:
        return [(rng.choice(["early ", "late "]), None), (rng.choice(["nineties", "90s"]), "AGE")]
    return [(rng.choice(["nineties", "90s", "90's", "Nineties"]), "AGE")]


# ---- Dates ----------------------------------------------------------------------------------

MONTHS = formats.MONTHS
MON3 = formats.MON3
WEEKDAYS = formats.WEEKDAYS
ordinal = formats.ordinal

DATE3 = {
    "the dth of Month": lambda y, m, d, r: f"{ordinal(d)} of {MONTHS[m-1]}",
    "Month the dth": lambda y, m, d, r: f"{MONTHS[m-1]} the {ordinal(d)}",
    "yyyy/mm/dd": lambda y, m, d, r: f"{y}/{m:02}/{d:02}",
    "dd-Mon-yyyy": lambda y, m, d, r: f"{d:02}-{MON3[m-1]}-{y}",
    "Weekday, Month d, yyyy": lambda y, m, d, r: f"{r.choice(WEEKDAYS)}, {MONTHS[m-1]} {d}, {y}",
    "mm.dd.yy": lambda y, m, d, r: f"{m:02}.{d:02}.{y % 100:02}",
    "Mon d, 'yy": lambda y, m, d, r: f"{MON3[m-1]} {d}, '{y % 100:02}",
    "m/d/yyyy @ hh:mm": lambda y, m, d, r: f"{m}/{d}/{y} @ {r.randint(0, 23):02}:{r.randint(0, 59):02}",
    "Mon. d, yyyy": lambda y, m, d, r: f"{MON3[m-1]}. {d}, {y}",
    "d Month yyyy": lambda y, m, d, r: f"{d} {MONTHS[m-1]} {y}",
    "Month d yyyy": lambda y, m, d, r: f"{MONTHS[m-1]} {d} {y}",
    "m-d-yyyy": lambda y, m, d, r: f"{m}-{d}-{y}",
    "MM/DD/YYYY hh:mm AM": lambda y, m, d, r: f"{m:02}/{d:02}/{y} {r.randint(1, 12)}:{r.randint(0, 59):02} {r.choice(['AM', 'PM', 'am', 'pm'])}",
    "Weekday the dth": lambda y, m, d, r: f"{r.choice(WEEKDAYS)} the {ordinal(d)}",
    "Wkd m/d/yy": lambda y, m, d, r: f"{r.choice(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'])} {m}/{d}/{y % 100:02}",
    "mid-Month yyyy": lambda y, m, d, r: f"{MONTHS[m-1]} {y}",
    "MON-dd": lambda y, m, d, r: f"{MON3[m-1].upper()}-{d:02}",
    "dd.mm.yyyy": lambda y, m, d, r: f"{d:02}.{m:02}.{y}",
    "Month, yyyy": lambda y, m, d, r: f"{MONTHS[m-1]}, {y}",
    "m/d/yy hhmm": lambda y, m, d, r: f"{m}/{d}/{y % 100:02} {r.randint(0, 23):02}{r.randint(0, 59):02}",
}
DATE3_GROUPS = {
    "full": ["yyyy/mm/dd", "dd-Mon-yyyy", "Weekday, Month d, yyyy", "mm.dd.yy", "Mon d, 'yy", "Mon. d, yyyy",
             "d Month yyyy", "Month d yyyy", "m-d-yyyy", "dd.mm.yyyy"],
    "md": ["the dth of Month", "Month the dth", "Weekday the dth", "MON-dd"],
    "my": ["mid-Month yyyy", "Month, yyyy"],
    "ts": ["m/d/yyyy @ hh:mm", "MM/DD/YYYY hh:mm AM", "Wkd m/d/yy", "m/d/yy hhmm"],
}


def date3_text(rng, arg, lo=2016, hi=2026):
    """A date in a third-generation form (60 %) or a second-generation one."""
    y, m, d = formats._ymd(rng, lo, hi)
    if rng.random() < 0.4:
        return formats2.date2_text(rng, arg, lo, hi)
    keys = DATE3_GROUPS.get(arg) or list(DATE3)
    return DATE3[rng.choice(keys)](y, m, d, rng)


def fill_dt(rng, v, arg):
    return [(date3_text(rng, arg), "DATE")]


def fill_dob(rng, v, arg):
    return [(date3_text(rng, arg or "full", 1917, 2010), "DATE")]


# ---- Identifiers -------------------------------------------------------------------------------

def fill_ssn3(rng, v, arg):
    a, b, c = rng.randint(100, 899), rng.randint(10, 99), rng.randint(1000, 9999)
    return [(rng.choice([f"{a}-{b}-{c}", f"{a}-{b}-{c}", f"{a} {b} {c}", f"{a}{b:02}{c}", f"{a}.{b}.{c}",
                         f"{a}–{b}–{c}", f"{a}/{b}/{c}", f"{a} - {b} - {c}"]), "SSN")]


def fill_mrn3(rng, v, arg):
    d = formats._digits
    t = rng.choice([d(rng, 6), d(rng, 7), d(rng, 8), d(rng, 10), f"M{d(rng, 7)}", f"MRN{d(rng, 7)}",
                    f"{d(rng, 2)}-{d(rng, 2)}-{d(rng, 2)}", f"{d(rng, 3)} {d(rng, 3)} {d(rng, 3)}",
                    f"{d(rng, 2)}{formats._letters(rng, 2)}{d(rng, 5)}", f"K{d(rng, 8)}", f"00-{d(rng, 6)}",
                    f"{d(rng, 4)}-{d(rng, 4)}"])
    return [(t, "MRN")]


def fill_ip3(rng, v, arg):
    if arg == "v6":
        t = formats2.ipv6_2(rng)
        if rng.random() < 0.3:
            t = rng.choice(["2001:db8::", "fd00::", "2607:f0d0:1002:51::", "2001:DB8:0:0:8:800:200C:"]) + \
                f"{rng.randint(1, 0xffff):x}"
        return [(t, "IP")]
    return formats2.fill_ip2(rng, v, arg)


def fill_fac(rng, v, arg):
    saint = rng.choice(["Saint ", "St. ", "St "]) + v.given(rng, "en_US")
    form = rng.choice(v.hospital_forms)
    return [(form.format(s=saint, c=v.city(rng), f=v.family(rng, "en_US"), g=v.given(rng, "en_US")), "HOSPITAL")]


FILLERS = dict(formats2.FILLERS)
FILLERS.update({
    "p": fill_p, "g": fill_g, "dec": fill_dec, "dt": fill_dt, "dob": fill_dob, "ssn3": fill_ssn3,
    "mrn3": fill_mrn3, "ip3": fill_ip3, "fac": fill_fac,
})
