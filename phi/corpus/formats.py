"""Slot fillers: the written forms of each identifier type.

Forms (how a date, a phone number or an MRN is written) are shared by both
parts of the corpus; the words that fill them (names, streets, cities,
hospitals, domains) come from the part's own vocabulary, and the sentences
around them from the part's own templates.
"""

import string

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
MON3 = [m[:3] for m in MONTHS]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
            "Saturday", "Sunday"]
STATES = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"),
    ("CA", "California"), ("CO", "Colorado"), ("CT", "Connecticut"),
    ("DE", "Delaware"), ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"),
    ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"),
    ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"),
    ("MD", "Maryland"), ("MA", "Massachusetts"), ("MI", "Michigan"),
    ("MN", "Minnesota"), ("MS", "Mississippi"), ("MO", "Missouri"),
    ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
    ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"),
    ("NY", "New York"), ("NC", "North Carolina"), ("ND", "North Dakota"),
    ("OH", "Ohio"), ("OK", "Oklahoma"), ("OR", "Oregon"),
    ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"),
    ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"),
    ("UT", "Utah"), ("VT", "Vermont"), ("VA", "Virginia"), ("WA", "Washington"),
    ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
]
ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
        "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
        "sixteen", "seventeen", "eighteen", "nineteen"]


def ordinal(n):
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}" + {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def days_in(y, m):
    if m == 2:
        return 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28
    return 30 if m in (4, 6, 9, 11) else 31


def _ymd(rng, lo=2015, hi=2026):
    y = rng.randint(lo, hi)
    m = rng.randint(1, 12)
    return y, m, rng.randint(1, days_in(y, m))


def _time(rng):
    h, mi = rng.randint(0, 23), rng.choice([0, 5, 10, 15, 20, 30, 40, 45, 50, rng.randint(0, 59)])
    return h, mi


# Every written date form; the weight is how common it is in notes.
DATE_FORMS = {
    # US numeric
    "m/d/yyyy": (10, lambda y, m, d, r: f"{m}/{d}/{y}"),
    "mm/dd/yyyy": (10, lambda y, m, d, r: f"{m:02}/{d:02}/{y}"),
    "m/d/yy": (8, lambda y, m, d, r: f"{m}/{d}/{y % 100:02}"),
    "mm/dd/yy": (4, lambda y, m, d, r: f"{m:02}/{d:02}/{y % 100:02}"),
    "m-d-yyyy": (3, lambda y, m, d, r: f"{m}-{d}-{y}"),
    "mm-dd-yyyy": (3, lambda y, m, d, r: f"{m:02}-{d:02}-{y}"),
    "m-d-yy": (2, lambda y, m, d, r: f"{m}-{d}-{y % 100:02}"),
    "mm.dd.yyyy": (2, lambda y, m, d, r: f"{m:02}.{d:02}.{y}"),
    "m.d.yy": (1, lambda y, m, d, r: f"{m}.{d}.{y % 100:02}"),
    # ISO and timestamps
    "iso": (8, lambda y, m, d, r: f"{y}-{m:02}-{d:02}"),
    "iso/": (2, lambda y, m, d, r: f"{y}/{m:02}/{d:02}"),
    "isoT": (3, lambda y, m, d, r: "{}-{:02}-{:02}T{:02}:{:02}:{:02}".format(y, m, d, *_time(r), r.randint(0, 59))),
    "isoTz": (2, lambda y, m, d, r: "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z".format(y, m, d, *_time(r), r.randint(0, 59))),
    "iso hh:mm": (3, lambda y, m, d, r: "{}-{:02}-{:02} {:02}:{:02}".format(y, m, d, *_time(r))),
    "mm/dd/yyyy hh:mm": (3, lambda y, m, d, r: "{:02}/{:02}/{} {:02}:{:02}".format(m, d, y, *_time(r))),
    "m/d/yy hhmm": (2, lambda y, m, d, r: "{}/{}/{} {:02}{:02}".format(m, d, y % 100, *_time(r))),
    "yyyymmdd": (1, lambda y, m, d, r: f"{y}{m:02}{d:02}"),
    # Month names
    "Month d, yyyy": (10, lambda y, m, d, r: f"{MONTHS[m-1]} {d}, {y}"),
    "Mon d, yyyy": (6, lambda y, m, d, r: f"{MON3[m-1]} {d}, {y}"),
    "Mon. d, yyyy": (2, lambda y, m, d, r: f"{MON3[m-1]}. {d}, {y}"),
    "Month dth, yyyy": (2, lambda y, m, d, r: f"{MONTHS[m-1]} {ordinal(d)}, {y}"),
    "Month d yyyy": (1, lambda y, m, d, r: f"{MONTHS[m-1]} {d} {y}"),
    "d Month yyyy": (4, lambda y, m, d, r: f"{d} {MONTHS[m-1]} {y}"),
    "d Mon yyyy": (3, lambda y, m, d, r: f"{d} {MON3[m-1]} {y}"),
    "dd-Mon-yyyy": (4, lambda y, m, d, r: f"{d:02}-{MON3[m-1]}-{y}"),
    "dd-MON-yy": (1, lambda y, m, d, r: f"{d:02}-{MON3[m-1].upper()}-{y % 100:02}"),
    "ddMonyyyy": (1, lambda y, m, d, r: f"{d:02}{MON3[m-1].upper()}{y}"),
    "Weekday, Month d, yyyy": (2, lambda y, m, d, r: f"{r.choice(WEEKDAYS)}, {MONTHS[m-1]} {d}, {y}"),
    "dth of Month yyyy": (1, lambda y, m, d, r: f"{ordinal(d)} of {MONTHS[m-1]} {y}"),
    # Partial dates (no year, or no day)
    "m/d": (6, lambda y, m, d, r: f"{m}/{d}"),
    "mm/dd": (2, lambda y, m, d, r: f"{m:02}/{d:02}"),
    "Month d": (5, lambda y, m, d, r: f"{MONTHS[m-1]} {d}"),
    "Mon d": (4, lambda y, m, d, r: f"{MON3[m-1]} {d}"),
    "Month dth": (2, lambda y, m, d, r: f"{MONTHS[m-1]} {ordinal(d)}"),
    "dth of Month": (1, lambda y, m, d, r: f"{ordinal(d)} of {MONTHS[m-1]}"),
    "d Month": (1, lambda y, m, d, r: f"{d} {MONTHS[m-1]}"),
    "Month yyyy": (5, lambda y, m, d, r: f"{MONTHS[m-1]} {y}"),
    "Mon yyyy": (2, lambda y, m, d, r: f"{MON3[m-1]} {y}"),
    "Mon-yyyy": (1, lambda y, m, d, r: f"{MON3[m-1]}-{y}"),
    "mm/yyyy": (3, lambda y, m, d, r: f"{m:02}/{y}"),
    "m/yy": (2, lambda y, m, d, r: f"{m}/{y % 100:02}"),
    "m/yyyy": (1, lambda y, m, d, r: f"{m}/{y}"),
    "Mon 'yy": (1, lambda y, m, d, r: f"{MON3[m-1]} '{y % 100:02}"),
}

DATE_GROUPS = {
    "full": [k for k in DATE_FORMS if "y" in k and not k.startswith(("Month y", "Mon y", "Mon-", "mm/y", "m/y", "Mon '"))],
    "md": ["m/d", "mm/dd", "Month d", "Mon d", "Month dth", "d Month"],
    "my": ["Month yyyy", "Mon yyyy", "mm/yyyy", "m/yy", "m/yyyy", "Mon-yyyy", "Mon 'yy"],
    "num": ["m/d/yyyy", "mm/dd/yyyy", "m/d/yy", "mm/dd/yy", "m-d-yyyy", "iso", "m/d"],
    "time": ["isoT", "isoTz", "iso hh:mm", "mm/dd/yyyy hh:mm", "m/d/yy hhmm"],
    "words": ["Month d, yyyy", "Mon d, yyyy", "Month dth, yyyy", "d Month yyyy", "Month d", "Mon d", "Month yyyy"],
}


def _date_text(rng, arg, lo=2015, hi=2026):
    y, m, d = _ymd(rng, lo, hi)
    if arg in DATE_FORMS:
        key = arg
    else:
        keys = DATE_GROUPS.get(arg) or list(DATE_FORMS)
        weights = [DATE_FORMS[k][0] for k in keys]
        key = rng.choices(keys, weights)[0]
    return DATE_FORMS[key][1](y, m, d, rng)


def fill_date(rng, vocab, arg):
    return [(_date_text(rng, arg), "DATE")]


def fill_dob(rng, vocab, arg):
    return [(_date_text(rng, arg or "full", 1925, 2008), "DATE")]


def fill_year(rng, vocab, arg):
    return [(str(rng.randint(1965, 2025)), "DATE")]


def fill_month(rng, vocab, arg):
    return [(rng.choice(MONTHS[:4] + MONTHS[5:]), "DATE")]


def fill_day(rng, vocab, arg):
    """"the 5th": a day of the month alone."""
    return [("the ", None), (ordinal(rng.randint(1, 31)), "DATE")]


def fill_weekday(rng, vocab, arg):
    return [(rng.choice(WEEKDAYS), None)]


def fill_time(rng, vocab, arg):
    h, m = _time(rng)
    return [(rng.choice([f"{h:02}{m:02}", f"{h:02}:{m:02}", f"{(h % 12) or 12}:{m:02} {'am' if h < 12 else 'pm'}"]), None)]


# ---- Ages over 89 ---------------------------------------------------------

def number_words(n):
    if n < 20:
        return ONES[n]
    tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    if n < 100:
        t, o = divmod(n, 10)
        return tens[t] + ("" if o == 0 else "-" + ONES[o])
    h, rest = divmod(n, 100)
    head = "one hundred" if h == 1 else ONES[h] + " hundred"
    if rest == 0:
        return head
    return head + " and " + number_words(rest)


def _age(rng):
    return rng.choices([rng.randint(90, 99), rng.randint(100, 106)], [5, 2])[0]


def fill_agenum(rng, vocab, arg):
    return [(str(_age(rng)), "AGE")]


def fill_ageword(rng, vocab, arg):
    w = number_words(_age(rng))
    if arg == "cap":
        w = w[0].upper() + w[1:]
    if arg == "space":
        w = w.replace("-", " ")
    return [(w, "AGE")]


AGE_SUFFIXES = ["-year-old", " year old", " y/o", " yo", " y.o.", "yo", " yr old",
                "-yr-old", " years old", " yrs old", " years of age", " YO", "-y/o", " yoF", " yo M"]


def fill_agephrase(rng, vocab, arg):
    """An age over 89 with its unit: "94-year-old", "94 y/o", "ninety-four-year-old"."""
    a = _age(rng)
    if rng.random() < 0.15:
        return [(number_words(a), "AGE"), (rng.choice(["-year-old", " year old", " years old"]), None)]
    return [(str(a), "AGE"), (rng.choice(AGE_SUFFIXES), None)]


def fill_agesex(rng, vocab, arg):
    """Sign-out shorthand: "94F", "101 M", "92yoM"."""
    return [(str(_age(rng)), "AGE"), (rng.choice(["F", "M", " F", " M", "yoF", "yoM", "y F", "y M"]), None)]


def fill_decade(rng, vocab, arg):
    return [(rng.choice(["nineties", "nineties", "90s", "90's"]), "AGE")]


# ---- Names ----------------------------------------------------------------

def _person(rng, vocab):
    culture = rng.choice(vocab["cultures"])
    given = rng.choice(culture["given"])
    family = rng.choice(culture["family"])
    return given, family, culture


def _initial(rng):
    return rng.choice(string.ascii_uppercase.replace("X", "").replace("Q", ""))


def name_text(rng, vocab, style=None):
    g, f, culture = _person(rng, vocab)
    style = style or rng.choices(
        ["full", "fml", "lf", "lfm", "first", "last", "init_last", "full_suffix", "ff"],
        [30, 8, 6, 2, 8, 6, 3, 1, 3],
    )[0]
    if style == "full":
        return f"{g} {f}"
    if style == "fml":
        return f"{g} {_initial(rng)}. {f}"
    if style == "lf":
        return f"{f}, {g}"
    if style == "lfm":
        return f"{f}, {g} {_initial(rng)}."
    if style == "first":
        return g
    if style == "last":
        return f
    if style == "init_last":
        return f"{g[0]}. {f}"
    if style == "full_suffix":
        return f"{g} {f} {rng.choice(['Jr.', 'Sr.', 'III', 'II'])}"
    if style == "ff":  # two given names (Anna Maria, Jean Paul) + family
        g2 = rng.choice(culture["given"])
        return f"{g} {g2} {f}" if g2 != g else f"{g} {f}"
    raise ValueError(style)


def fill_name(rng, vocab, arg):
    return [(name_text(rng, vocab, arg), "NAME")]


def fill_wordname(rng, vocab, arg):
    """A given name that is also an English word (Hope, Will, Grace)."""
    g = rng.choice(vocab["word_given"])
    if arg == "full":
        f = _person(rng, vocab)[1]
        return [(f"{g} {f}", "NAME")]
    return [(g, "NAME")]


# ---- Contact ----------------------------------------------------------------

def _area(rng):
    return rng.choice([201, 205, 206, 212, 213, 214, 215, 216, 217, 301, 303, 304, 305, 312, 313, 314, 315,
                       317, 401, 402, 404, 405, 406, 407, 410, 412, 414, 415, 501, 502, 503, 504, 505,
                       508, 512, 513, 515, 517, 601, 602, 603, 605, 608, 609, 612, 614, 615, 617, 619,
                       702, 704, 706, 707, 713, 717, 720, 801, 802, 804, 808, 812, 816, 817, 832, 843,
                       850, 860, 901, 904, 907, 908, 910, 916, 917, 919, 920, 952, 971, 973, 978])


PHONE_FORMS = [
    (10, "({a}) {e}-{l}"), (10, "{a}-{e}-{l}"), (4, "{a}.{e}.{l}"), (3, "({a}){e}-{l}"),
    (3, "+1 {a} {e} {l}"), (3, "+1-{a}-{e}-{l}"), (2, "1-{a}-{e}-{l}"), (2, "1 ({a}) {e}-{l}"),
    (2, "+1 ({a}) {e}-{l}"), (2, "{a} {e} {l}"), (2, "{a}{e}{l}"), (2, "{a}-{e}-{l} x{x}"),
    (2, "({a}) {e}-{l} ext. {x}"), (1, "{a}-{e}-{l} ext {x}"), (1, "{a}.{e}.{l} x{x}"),
    (1, "+1.{a}.{e}.{l}"), (1, "{a}/{e}-{l}"),
]


def phone_text(rng, arg=None):
    a = _area(rng)
    e = rng.randint(201, 989)
    l = f"{rng.randint(0, 9999):04}"
    x = rng.randint(2, 9999)
    if arg == "local":
        return f"{e}-{l}"
    forms = [f for f in PHONE_FORMS if arg != "plain" or "x" not in f[1] and "ext" not in f[1]]
    form = rng.choices([f for _, f in forms], [w for w, _ in forms])[0]
    return form.format(a=a, e=e, l=l, x=x)


def fill_phone(rng, vocab, arg):
    return [(phone_text(rng, arg), "PHONE")]


def fill_fax(rng, vocab, arg):
    return [(phone_text(rng, "plain"), "FAX")]


def _slug(s):
    return "".join(c for c in s.lower() if c.isalnum())


def _ascii(s):
    import unicodedata
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def email_text(rng, vocab):
    g, f, _ = _person(rng, vocab)
    g, f = _slug(_ascii(g)), _slug(_ascii(f))
    local = rng.choice([f"{g}.{f}", f"{g}{f}", f"{g[0]}{f}", f"{g}_{f}", f"{g}.{f}{rng.randint(1, 99)}",
                        f"{f}{g[0]}{rng.randint(1, 9)}", f"{g}{rng.randint(50, 2005)}", f"{g}+portal",
                        f"{g[0]}.{f}", f"{g}-{f}"])
    domain = rng.choice(vocab["email_domains"])
    if rng.random() < 0.05:
        local = local.capitalize()
    return f"{local}@{domain}"


def fill_email(rng, vocab, arg):
    return [(email_text(rng, vocab), "EMAIL")]


def url_text(rng, vocab):
    w = rng.choice(vocab["web_words"])
    tld = rng.choice(["com", "org", "net", "health", "us", "edu", "io", "care"])
    token = "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(rng.randint(6, 12)))
    return rng.choice([
        f"https://www.{w}.{tld}",
        f"https://{w}.{tld}/portal/{token}",
        f"http://{w}.{tld}/patients?id={rng.randint(1000, 999999)}",
        f"www.{w}.{tld}",
        f"www.{w}.{tld}/{token}",
        f"{w}.{tld}/visit/{token}",
        f"https://mychart.{w}.{tld}/MyChart/",
        f"https://{w}.{tld}:8443/tele/{token}",
        f"https://telehealth.{w}.{tld}/join/{token}",
        f"HTTPS://{w.upper()}.{tld.upper()}/{token.upper()}",
        f"https://{w}.{tld}/#/appt/{token}",
        f"https://drive.{w}.{tld}/s/{token}?dl=0",
    ])


def fill_url(rng, vocab, arg):
    return [(url_text(rng, vocab), "URL")]


def ipv4_text(rng):
    first = rng.choice([10, 172, 192, rng.randint(11, 223)])
    if first == 192:
        return f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if first == 172:
        return f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def ipv6_text(rng):
    groups = [f"{rng.randint(0, 0xffff):x}" for _ in range(8)]
    groups[0] = rng.choice(["2001", "2600", "2a02", "fe80", "fd12", "2607", "2604", "2001"])
    style = rng.choice(["full", "full", "compressed", "compressed", "compressed", "padded", "upper",
                        "link", "mapped", "loopbackish", "short"])
    if style == "full":
        return ":".join(groups)
    if style == "padded":
        return ":".join(g.zfill(4) for g in groups)
    if style == "upper":
        return ":".join(groups).upper()
    if style == "compressed":
        k = rng.randint(1, 5)
        head = groups[:k]
        tail = groups[k + rng.randint(1, 3):]
        return ":".join(head) + "::" + ":".join(tail)
    if style == "link":
        return "fe80::" + ":".join(groups[4:])
    if style == "mapped":
        return "::ffff:" + ipv4_text(rng)
    if style == "short":
        return f"{groups[0]}:db8::{rng.randint(1, 255):x}"
    return f"{groups[0]}:{groups[1]}::{groups[7]}"


def fill_ip(rng, vocab, arg):
    if arg == "v4" or (arg is None and rng.random() < 0.5):
        text = ipv4_text(rng)
        if rng.random() < 0.15:
            text += rng.choice([f":{rng.choice([22, 80, 443, 8080, 3389])}", f"/{rng.choice([24, 16, 32])}"])
        return [(text, "IP")]
    return [(ipv6_text(rng), "IP")]


# ---- Numbers and codes ---------------------------------------------------------

def _digits(rng, n):
    return "".join(rng.choice(string.digits) for _ in range(n))


def _alnum(rng, n, letters=string.ascii_uppercase):
    return "".join(rng.choice(letters + string.digits) for _ in range(n))


def _letters(rng, n):
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(n))


def fill_ssn(rng, vocab, arg):
    a, b, c = rng.randint(100, 899), rng.randint(10, 99), rng.randint(1000, 9999)
    if arg == "last4":
        return [(f"{c}", "SSN")]
    form = rng.choices(["{a}-{b}-{c}", "{a} {b} {c}", "{a}{b}{c}", "masked"], [8, 1, 2, 1])[0]
    if arg == "dashed":
        form = "{a}-{b}-{c}"
    if form == "masked":
        return [(rng.choice(["xxx-xx-", "XXX-XX-", "***-**-"]), None), (f"{c}", "SSN")]
    return [(form.format(a=a, b=b, c=c), "SSN")]


def fill_mrn(rng, vocab, arg):
    form = rng.choices([
        lambda: _digits(rng, rng.randint(6, 10)),
        lambda: f"{_digits(rng, 2)}-{_digits(rng, 3)}-{_digits(rng, 3)}",
        lambda: f"{_letters(rng, 1)}{_digits(rng, 7)}",
        lambda: f"{_letters(rng, 3)}{_digits(rng, 6)}",
        lambda: f"{_digits(rng, 3)}-{_digits(rng, 4)}",
        lambda: f"00{_digits(rng, 6)}",
        lambda: f"{_letters(rng, 2)}-{_digits(rng, 6)}",
    ], [10, 4, 3, 2, 2, 2, 1])[0]
    return [(form(), "MRN")]


def fill_acct(rng, vocab, arg):
    form = rng.choices([
        lambda: _digits(rng, rng.randint(8, 12)),
        lambda: f"{_digits(rng, 4)}-{_digits(rng, 4)}-{_digits(rng, 2)}",
        lambda: f"{_letters(rng, 1)}{_digits(rng, 9)}",
        lambda: f"{_digits(rng, 5)}-{_digits(rng, 5)}",
        lambda: _digits(rng, 4),
    ], [8, 3, 3, 2, 1])[0]
    return [(form(), "ACCOUNT")]


def fill_plan(rng, vocab, arg):
    form = rng.choices([
        # Medicare beneficiary identifier: 1EG4-TE5-MK73
        lambda: f"{rng.randint(1, 9)}{_letters(rng, 1)}{_alnum(rng, 1)}{rng.randint(0, 9)}-{_letters(rng, 1)}{_alnum(rng, 1)}{rng.randint(0, 9)}-{_letters(rng, 2)}{_digits(rng, 2)}",
        lambda: f"{rng.randint(1, 9)}{_letters(rng, 1)}{_alnum(rng, 1)}{rng.randint(0, 9)}{_letters(rng, 1)}{_alnum(rng, 1)}{rng.randint(0, 9)}{_letters(rng, 2)}{_digits(rng, 2)}",
        lambda: f"{_letters(rng, 3)}{_digits(rng, 9)}",
        lambda: f"{_letters(rng, 1)}{_digits(rng, 8)}",
        lambda: _digits(rng, rng.randint(9, 11)) + _letters(rng, 1),
        lambda: f"{_letters(rng, 2)}{_digits(rng, 7)}-{_digits(rng, 2)}",
        lambda: _digits(rng, 11),
    ], [3, 3, 3, 3, 2, 2, 2])[0]
    return [(form(), "HEALTH_PLAN")]


def fill_lic(rng, vocab, arg):
    form = rng.choices([
        lambda: f"{_letters(rng, 1)}{_digits(rng, 7)}",
        lambda: f"{_letters(rng, 1)}{_digits(rng, 3)}-{_digits(rng, 4)}-{_digits(rng, 4)}",
        lambda: _digits(rng, 9),
        lambda: f"{_letters(rng, 2)}{_digits(rng, 6)}",
        lambda: f"{_digits(rng, 3)}-{_digits(rng, 3)}-{_digits(rng, 3)}",
        lambda: f"{_letters(rng, 1)}{_digits(rng, 3)} {_digits(rng, 3)} {_digits(rng, 3)} {_digits(rng, 3)}",
    ], [5, 2, 3, 2, 1, 1])[0]
    return [(form(), "LICENSE")]


def fill_dea(rng, vocab, arg):
    return [(f"{rng.choice('ABFGM')}{_letters(rng, 1)}{_digits(rng, 7)}", "LICENSE")]


def fill_npi(rng, vocab, arg):
    return [(f"1{_digits(rng, 9)}", "LICENSE")]


def fill_statelic(rng, vocab, arg):
    return [(rng.choice([f"RN{_digits(rng, 6)}", f"MD.{_digits(rng, 6)}", f"{_letters(rng, 1)}-{_digits(rng, 5)}",
                         f"{_digits(rng, 7)}", f"LPN-{_digits(rng, 5)}"]), "LICENSE")]


def fill_plate(rng, vocab, arg):
    form = rng.choice([
        lambda: f"{_letters(rng, 3)}-{_digits(rng, 4)}",
        lambda: f"{_letters(rng, 3)} {_digits(rng, 4)}",
        lambda: f"{rng.randint(1, 9)}{_letters(rng, 3)}{_digits(rng, 3)}",
        lambda: f"{_digits(rng, 3)} {_letters(rng, 3)}",
        lambda: f"{_letters(rng, 2)}{_digits(rng, 5)}",
        lambda: f"{_letters(rng, 1)}{_digits(rng, 2)} {_letters(rng, 3)}",
    ])
    return [(form(), "VEHICLE")]


def fill_vin(rng, vocab, arg):
    chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    return [("".join(rng.choice(chars) for _ in range(17)), "VEHICLE")]


def fill_serial(rng, vocab, arg):
    form = rng.choice([
        lambda: f"{_letters(rng, 3)}{_digits(rng, 6)}{_letters(rng, 1)}",
        lambda: f"SN{_digits(rng, 8)}",
        lambda: f"{_digits(rng, 4)}-{_alnum(rng, 4)}-{_digits(rng, 4)}",
        lambda: f"{_letters(rng, 2)}{_digits(rng, 7)}",
        lambda: _alnum(rng, 12),
        lambda: f"{_digits(rng, 10)}",
        lambda: f"{_letters(rng, 1)}{_digits(rng, 5)}{_letters(rng, 2)}{_digits(rng, 2)}",
    ])
    return [(form(), "DEVICE")]


def fill_udi(rng, vocab, arg):
    return [(f"(01){_digits(rng, 14)}(17){_digits(rng, 6)}(10){_alnum(rng, 6)}(21){_alnum(rng, 8)}", "DEVICE")]


def fill_imei(rng, vocab, arg):
    return [(rng.choice([_digits(rng, 15), f"{_digits(rng, 2)}-{_digits(rng, 6)}-{_digits(rng, 6)}-{_digits(rng, 1)}"]), "DEVICE")]


def fill_idnum(rng, vocab, arg):
    form = rng.choice([
        lambda: f"{_letters(rng, rng.randint(2, 4))}-{_digits(rng, rng.randint(3, 6))}",
        lambda: _digits(rng, rng.randint(7, 10)),
        lambda: f"{_letters(rng, 1)}{_digits(rng, 2)}-{_digits(rng, 5)}",
        lambda: f"{_digits(rng, 2)}-{_letters(rng, 2)}-{_digits(rng, 6)}",
        lambda: f"{_letters(rng, 3)}{_digits(rng, 2)}{_letters(rng, 1)}{_digits(rng, 4)}",
        lambda: f"{_digits(rng, 4)}{_letters(rng, 2)}{_digits(rng, 3)}",
    ])
    return [(form(), "ID")]


# ---- Places ------------------------------------------------------------------------

def street_text(rng, vocab, unit=None):
    num = rng.choice([str(rng.randint(1, 99)), str(rng.randint(100, 999)), str(rng.randint(1000, 9999)),
                      str(rng.randint(10000, 99999))])
    direction = rng.choices(["", "N ", "S ", "E ", "W ", "North ", "South ", "NE ", "SW ", "W. "], [12, 1, 1, 1, 1, 1, 1, 1, 1, 1])[0]
    street = rng.choice(vocab["streets"])
    suffix = rng.choice(["St", "Street", "Ave", "Avenue", "Rd", "Road", "Dr", "Drive", "Ln", "Lane",
                         "Blvd", "Ct", "Court", "Pl", "Way", "Ter", "Cir", "Pkwy", "Hwy", "Trail",
                         "St.", "Ave.", "Rd.", "Loop", "Place", "Circle", "Boulevard", "Terrace"])
    post = rng.choices(["", " NW", " SE", " NE", " SW"], [20, 1, 1, 1, 1])[0]
    text = f"{num} {direction}{street} {suffix}{post}"
    want_unit = unit if unit is not None else rng.random() < 0.4
    if want_unit:
        text += rng.choice([f" Apt {rng.randint(1, 40)}{rng.choice(['', 'A', 'B', 'C'])}",
                            f", Apt. {rng.randint(100, 999)}", f" Unit {rng.randint(1, 30)}",
                            f" #{rng.randint(1, 999)}", f", Suite {rng.randint(100, 900)}",
                            f" Ste {rng.randint(1, 500)}", f" Apt #{rng.randint(1, 30)}",
                            f", Unit {_letters(rng, 1)}{rng.randint(1, 9)}", f" Lot {rng.randint(1, 120)}",
                            f" Apartment {rng.randint(1, 12)}{rng.choice(['', 'F', 'R'])}", f" Bldg {rng.randint(1, 9)}"])
    return text


def fill_addr(rng, vocab, arg):
    if arg == "pobox":
        return [(rng.choice([f"PO Box {rng.randint(1, 9999)}", f"P.O. Box {rng.randint(1, 999)}"]), "STREET_ADDRESS")]
    return [(street_text(rng, vocab, {"unit": True, "plain": False}.get(arg)), "STREET_ADDRESS")]


def fill_city(rng, vocab, arg):
    return [(rng.choice(vocab["cities"])[0], "CITY")]


def fill_citystate(rng, vocab, arg):
    city, abbr, full = rng.choice(vocab["cities"])
    return [(city, "CITY"), (", " + (abbr if rng.random() < 0.7 else full), None)]


def zip_text(rng):
    z = f"{rng.randint(1001, 99950):05}"
    return z + (f"-{rng.randint(0, 9999):04}" if rng.random() < 0.15 else "")


def fill_zip(rng, vocab, arg):
    return [(zip_text(rng), "ZIP")]


def fill_fulladdr(rng, vocab, arg):
    """Street, City, ST ZIP (or State in full)."""
    city, abbr, full = rng.choice(vocab["cities"])
    state = abbr if rng.random() < 0.7 else full
    return [(street_text(rng, vocab), "STREET_ADDRESS"), (", ", None), (city, "CITY"),
            (f", {state} ", None), (zip_text(rng), "ZIP")]


def hospital_text(rng, vocab):
    h = vocab["hospital_words"]
    saint = rng.choice(vocab["saints"])
    city = rng.choice(vocab["cities"])[0]
    fam = rng.choice(rng.choice(vocab["cultures"])["family"])
    forms = vocab["hospital_forms"]
    return rng.choice(forms).format(saint=saint, city=city, fam=fam, word=rng.choice(h))


def fill_hosp(rng, vocab, arg):
    return [(hospital_text(rng, vocab), "HOSPITAL")]


FILLERS = {
    "date": fill_date, "dob": fill_dob, "year": fill_year, "month": fill_month, "day": fill_day,
    "weekday": fill_weekday, "time": fill_time,
    "agenum": fill_agenum, "ageword": fill_ageword, "agephrase": fill_agephrase, "agesex": fill_agesex,
    "decade": fill_decade,
    "name": fill_name, "wordname": fill_wordname,
    "phone": fill_phone, "fax": fill_fax, "email": fill_email, "url": fill_url, "ip": fill_ip,
    "ssn": fill_ssn, "mrn": fill_mrn, "acct": fill_acct, "plan": fill_plan, "lic": fill_lic,
    "dea": fill_dea, "npi": fill_npi, "statelic": fill_statelic, "plate": fill_plate, "vin": fill_vin,
    "serial": fill_serial, "udi": fill_udi, "imei": fill_imei, "idnum": fill_idnum,
    "addr": fill_addr, "city": fill_city, "citystate": fill_citystate, "zip": fill_zip,
    "fulladdr": fill_fulladdr, "hosp": fill_hosp,
}
