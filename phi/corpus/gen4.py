#!/usr/bin/env python3
"""Fourth generation of Ward's labelled PHI corpora: ``heldout4`` and ``tune4``.

Self-contained (no Faker): its own word lists, written forms and templates,
rendered by engine.py. Written and committed, with the first score of
``heldout4``, before any detector change of the fourth round.

* Words: every list below is split by position (even entries to ``heldout4``,
  odd to ``tune4``), so the two parts share no name, town, street word,
  facility word or domain. The names are typed from general knowledge of
  naming traditions, not from the detector's lexicon (which derives from
  Faker), so some are unknown to it, as real patients' names are.
* Templates: ``HELDOUT4`` and ``TUNE4`` share none (checked), and none is
  in an earlier part (checked when the earlier modules import).
* Styles: referral letters, medication-reconciliation lists, radiology
  headers, family history, social-work notes, telehealth chat, SBAR and
  I-PASS handoffs, pharmacy notes, discharge instructions in the second
  person, staff named in passing, relatives.

    python3 phi/corpus/gen4.py
"""

import os
import random
import string
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import engine  # noqa: E402

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
MON3 = [m[:3] for m in MONTHS]
MONAB = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WKD3 = ["Mon", "Tues", "Wed", "Thurs", "Fri", "Sat", "Sun"]
STATES = ["AL", "AZ", "CA", "CO", "FL", "GA", "IA", "ID", "IL", "IN", "KS", "KY", "LA", "MD", "ME", "MI", "MN",
          "MO", "MT", "NC", "ND", "NE", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "SC", "SD", "TN", "TX", "UT",
          "VA", "VT", "WA", "WI", "WV", "WY", "Montana", "Ohio", "Texas", "Oregon", "Georgia", "Iowa"]

# ---- Words (even index: heldout4, odd index: tune4) -------------------------------------------

GIVEN = """Adaeze Bartholomew Chiamaka Desmond Eleanora Fitzgerald Giulia Hamza Ingrid Jaroslav Keoni Lucinda
Mateus Nkechi Oksana Pradeep Quentin Rosalind Siobhan Thaddeus Ulrike Valentina Wendell Ximena Yevgenia Zoltan
Anneliese Bogdan Cosima Dagny Emeka Folasade Gunnar Henrietta Ikaika Jolene Kwabena Leocadia Mirela Nnamdi
Odalys Perpetua Radomir Saoirse Tiberius Uchenna Vasilisa Wilhelmina Yaw Zofia Alasdair Berenice Cormac Delphine
Eamon Fenella Gwendolyn Horatio Isadora Jovan Kalani Leopold Marisol Niamh Ottoline Pascual Rafferty Svetlana
Teodoro Umberto Viveka Wojciech Xiadani Yolanda Zebulon Hope Faith Rose Bill Mark Grant Joy Dawn Chase Summer
Ivy Drew Frank Miles Hunter Sunny Faye Amber Crystal Ruby Autumn Will Pierce Jewel Guy Sky Hazel Jack""".split()

FAMILY = """Okonkwo Villaseñor Halvorsen Brzezinski Nakashima Abernathy Quiñones Thistlewood Radcliffe Oyelaran
Szymanski Fairweather Castellanos Lindqvist Achterberg Mbeki Papadakis Kowalczyk Featherstone Arceneaux Bellweather
Tsosie Begay Yazzie Kealoha Nakoa Ferreira Gallagher Delacroix Whitcombe Abernethy Ruiz-Tagle Pemberton Xiong Vang
Thao Nguyen-Tran Ocampo Dimaculangan Iwu Ogunleye Eze Haddad Khoury Nasser Sokolov Zhukov Petrenko Hrabovsky
Grünewald Marchetti Lombardo Esposito Kavanagh Donnelly Fitzpatrick Lindgren Haugen Solberg Amundsen Mwangi Kamau
Otieno Baptiste Toussaint Duvalier Montalvo Echeverría Urquhart Balogun Adeyemi Chukwu Wainwright Hollingsworth
Stone Long Young Brown Black Price Wade Rice Fox Bell Lane Reed Frost Hill Banks Marsh Gray Wolf Love King""".split()

PARTICLE_FAMILY = """de la Cruz|van der Berg|O'Sullivan|D'Souza|McCallister|al-Masri|ben David|von Holstein|
da Silva|Van Buren|St. Clair|Mac Giolla|dos Santos|le Roux|del Toro|O'Brien-Walsh|d'Arcy|van Dyke|Ní Bhriain|
De Luca|bin Yusuf|Fitz-Simmons|Abu Bakr|ter Horst""".replace("\n", "").split("|")

CITIES = """Kalamazoo|Tupelo|Walla Walla|Coeur d'Alene|Winston-Salem|St. Cloud|Cape Girardeau|Paducah|Muskogee|Yakima|
Bozeman|Ames|Moab|Sedona|Bangor|Laramie|Casper|Dubuque|Duluth|Eau Claire|Fond du Lac|La Crosse|Kokomo|Muncie|
Terre Haute|Chillicothe|Zanesville|Altoona|Scranton|Wilkes-Barre|Poughkeepsie|Utica|Elmira|Nashua|Keene|Rutland|
Pawtucket|Waterbury|Hackensack|Hagerstown|Roanoke|Lynchburg|Asheville|Valdosta|Dothan|Hattiesburg|Natchez|
Lake Charles|Texarkana|Lubbock|Amarillo|Laredo|McAllen|Harlingen|Las Cruces|Farmington|Flagstaff|Yuma|Prescott|
Elko|Twin Falls|Pocatello|Missoula|Kalispell|Bismarck|Minot|Rapid City|Sioux Falls|Kearney|Salina|Enid|Lawton|
Joplin|Sedalia|Carbondale|Peoria|Kankakee|Mankato|Bemidji|Marquette|Traverse City|Saginaw|Medford|Redding|Chico|
Eureka|Visalia|Modesto|Hilo|Kahului|Fairbanks|Ketchikan|Ypsilanti|Schenectady|Tuscaloosa|Chattanooga|Wichita Falls|
Punxsutawney|Oshkosh|Kenosha|Bellingham|Olympia|Pendleton|Klamath Falls""".replace("\n", "").split("|")

STREET_WORDS = """Juniper|Tamarack|Old Mill|Quarry|Sassafras|Hawthorne|Chickasaw|Bluebonnet|Ridgecrest|Foxhollow|
Wainscott|Pelican|Cottonwood|Meadowlark|Rosewood|Sycamore|Kingfisher|Buckeye|Larkspur|Mockingbird|Redbud|Saddle|
Tanglewood|Whippoorwill|Cranberry|Blackberry|Persimmon|Magnolia|Sagebrush|Heron""".replace("\n", "").split("|")
STREET_SUFFIX = ["Rd", "Road", "Lane", "Ln", "Ct", "Court", "Pkwy", "Trail", "Trl", "Cir", "Circle", "Way", "Blvd",
                 "Terrace", "Pike", "Hwy", "Loop", "Crossing", "Run", "Row"]
UNITS = ["Apt 4B", "Unit 12", "Suite 300", "#7", "Lot 22", "Apt. 3-C", "Ste 210", "Bldg C, Apt 2", "Trlr 9", "Rm 104",
         "Apt #511", "Fl 2"]

FAC_WORDS = """Bayside|Pinecrest|Riverbend|Summit|Lakeland|Cedar Ridge|Highland|Prairie|Harborview|Mesa Verde|
Sand Hills|Blue Ridge|Evergreen|Tri-County|Great Plains|Red Rock|Iron Range|Golden Valley|Pioneer|Heartland|
North Shore|Silver Lake|Stonebridge|Willow Creek""".replace("\n", "").split("|")

DOMAINS = """mailbox.org|fastmail.com|proton.me|yahoo.com|outlook.com|icloud.com|aol.com|comcast.net|gmx.us|
zoho.com|att.net|verizon.net|hey.com|pm.me""".replace("\n", "").split("|")

WEB = """mychart-bayside|harborhealth|prairieclinic|summitcare|ridgeviewmed|pinecrestpeds|tricountyhealth|
northshoreortho|heartlandkids|willowcreekfp|goldenvalleyhospice|ironrangerx""".replace("\n", "").split("|")


def split(words, part):
    return [w for i, w in enumerate(words) if (i % 2 == 0) == (part == "heldout4")]


class Vocab4:
    def __init__(self, part):
        self.given = split(GIVEN, part)
        self.family = split(FAMILY, part)
        self.particle = split(PARTICLE_FAMILY, part)
        self.cities = split(CITIES, part)
        self.streets = split(STREET_WORDS, part)
        self.fac = split(FAC_WORDS, part)
        self.domains = split(DOMAINS, part)
        self.web = split(WEB, part)


def D(rng, n):
    return "".join(rng.choice(string.digits) for _ in range(n))


def L(rng, n):
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))


def AN(rng, n):
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(n))


# ---- Names ----------------------------------------------------------------------------------

def fam(rng, v):
    return rng.choice(v.particle) if rng.random() < 0.2 else rng.choice(v.family)


def name_text(rng, v, style):
    g, f = rng.choice(v.given), fam(rng, v)
    if style in (None, "any"):
        style = rng.choices(["full", "fml", "lf", "first", "last", "init", "lower", "upper", "hyph", "ff"],
                            [30, 8, 8, 12, 10, 6, 6, 6, 8, 6])[0]
    mi = rng.choice("ABCDEFGHJKLMNPRSTW")
    if style == "full":
        return f"{g} {f}"
    if style == "fml":
        return f"{g} {mi}. {f}"
    if style == "lf":
        return f"{f}, {g}" if rng.random() < 0.7 else f"{f}, {g} {mi}."
    if style == "first":
        return g
    if style == "last":
        return f
    if style == "init":
        return f"{g[0]}. {f}"
    if style == "lower":
        return f"{g} {f}".lower()
    if style == "upper":
        return f"{f.upper()}, {g.upper()}" if rng.random() < 0.5 else f"{g} {f}".upper()
    if style == "hyph":
        return f"{g} {rng.choice(v.family)}-{rng.choice(v.family)}"
    if style == "ff":
        return f"{g} {rng.choice(v.given)} {f}"
    raise ValueError(style)


def fill_nm(rng, v, arg):
    return [(name_text(rng, v, arg), "NAME")]


# ---- Dates ------------------------------------------------------------------------------------

def ordinal(n):
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def ymd(rng, lo, hi):
    return rng.randint(lo, hi), rng.randint(1, 12), rng.randint(1, 28)


DATE_FORMS = {
    "m/d/yyyy": lambda y, m, d, r: f"{m}/{d}/{y}",
    "mm/dd/yy": lambda y, m, d, r: f"{m:02}/{d:02}/{y % 100:02}",
    "iso": lambda y, m, d, r: f"{y}-{m:02}-{d:02}",
    "isoT": lambda y, m, d, r: f"{y}-{m:02}-{d:02}T{r.randint(0, 23):02}:{r.randint(0, 59):02}:{r.randint(0, 59):02}Z",
    "Month dth, yyyy": lambda y, m, d, r: f"{MONTHS[m-1]} {ordinal(d)}, {y}",
    "Mon d": lambda y, m, d, r: f"{MONAB[m-1]} {d}",
    "Mon. dth": lambda y, m, d, r: f"{MONAB[m-1]}. {ordinal(d)}",
    "dth Mon yyyy": lambda y, m, d, r: f"{ordinal(d)} {MON3[m-1]} {y}",
    "DDMONYYYY": lambda y, m, d, r: f"{d:02}{MON3[m-1].upper()}{y}",
    "m/d": lambda y, m, d, r: f"{m}/{d}",
    "mm/yyyy": lambda y, m, d, r: f"{m:02}/{y}",
    "Month yyyy": lambda y, m, d, r: f"{MONTHS[m-1]} {y}",
    "Wkd m/d": lambda y, m, d, r: f"{r.choice(WKD3)} {m}/{d}",
    "Weekday the dth": lambda y, m, d, r: f"{r.choice(WEEKDAYS)} the {ordinal(d)}",
    "Weekday, Mon d": lambda y, m, d, r: f"{r.choice(WEEKDAYS)}, {MON3[m-1]} {d}",
    "Month d-d": lambda y, m, d, r: f"{MONTHS[m-1]} {d}-{d + r.randint(1, 3)}",
    "Mon d–d, yyyy": lambda y, m, d, r: f"{MON3[m-1]} {d}–{d + r.randint(1, 3)}, {y}",
    "m/d-m/d": lambda y, m, d, r: f"{m}/{d}-{m}/{d + r.randint(1, 3)}",
    "yyyy.mm.dd": lambda y, m, d, r: f"{y}.{m:02}.{d:02}",
    "m/d/yy h:mm": lambda y, m, d, r: f"{m}/{d}/{y % 100:02} {r.randint(1, 12)}:{r.randint(0, 59):02}{r.choice(['a', 'p', 'am', 'pm'])}",
}
DATE_GROUPS = {
    "full": ["m/d/yyyy", "mm/dd/yy", "iso", "Month dth, yyyy", "dth Mon yyyy", "DDMONYYYY", "yyyy.mm.dd"],
    "part": ["Mon d", "Mon. dth", "m/d", "mm/yyyy", "Month yyyy"],
    "rel": ["Wkd m/d", "Weekday the dth", "Weekday, Mon d"],
    "range": ["Month d-d", "Mon d–d, yyyy", "m/d-m/d"],
    "ts": ["isoT", "m/d/yy h:mm"],
}


def fill_dd(rng, v, arg):
    y, m, d = ymd(rng, 2017, 2026)
    keys = DATE_GROUPS.get(arg) or list(DATE_FORMS)
    return [(DATE_FORMS[rng.choice(keys)](y, m, d, rng), "DATE")]


def fill_bd(rng, v, arg):
    y, m, d = ymd(rng, 1925, 2012)
    return [(DATE_FORMS[rng.choice(DATE_GROUPS["full"])](y, m, d, rng), "DATE")]


def fill_yy(rng, v, arg):
    return [(str(rng.randint(1975, 2025)), "DATE")]


# ---- Ages over 89 ------------------------------------------------------------------------------

ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def age_words(n):
    if n >= 100:
        rest = n - 100
        return "one hundred" + ("" if rest == 0 else (" and " + (ONES[rest] if rest < 10 else "ten")))
    return "ninety" + ("" if n == 90 else "-" + ONES[n - 90])


def fill_ag(rng, v, arg):
    n = rng.choice(list(range(90, 100)) * 3 + list(range(100, 107)))
    if arg == "w":
        return [(age_words(n), "AGE")]
    return [(str(n), "AGE")]


# ---- Contact and places ----------------------------------------------------------------------------

def phone(rng):
    a, b, c = f"{rng.randint(201, 989)}", f"{rng.randint(200, 999)}", D(rng, 4)
    return rng.choice([f"({a}) {b}-{c}", f"{a}.{b}.{c}", f"+1 {a} {b} {c}", f"1-{a}-{b}-{c}", f"{a}-{b}-{c} x{D(rng, 3)}",
                       f"{a}/{b}-{c}", f"+1-{a}-{b}-{c}", f"{a}{b}{c}"])


def fill_ph(rng, v, arg):
    return [(phone(rng), "FAX" if arg == "fax" else "PHONE")]


def fill_em(rng, v, arg):
    g, f = rng.choice(v.given).lower(), rng.choice(v.family).lower()
    f = "".join(c for c in f if c.isalpha() and c.isascii()) or "x"
    user = rng.choice([f"{g}.{f}", f"{g[0]}{f}{rng.randint(1, 99)}", f"{g}_{f}", f"{f}{g[0]}", f"{g}{rng.randint(1950, 2010)}"])
    return [(f"{user}@{rng.choice(v.domains)}", "EMAIL")]


def fill_ur(rng, v, arg):
    w = rng.choice(v.web)
    return [(rng.choice([f"https://{w}.org/patient/{D(rng, 6)}", f"www.{w}.com/visit?id={AN(rng, 8).lower()}",
                         f"http://{w}.net/u/{rng.choice(v.given).lower()}", f"https://telehealth.{w}.org/room/{AN(rng, 10).lower()}"]),
             "URL")]


def fill_ip(rng, v, arg):
    if arg == "v6" or (arg is None and rng.random() < 0.4):
        h = [f"{rng.randint(0, 0xffff):x}" for _ in range(8)]
        t = rng.choice([":".join(h), ":".join(h[:3]) + "::" + ":".join(h[6:]), "fe80::" + ":".join(h[4:]),
                        ":".join(x.upper() for x in h), "::ffff:" + ".".join(str(rng.randint(1, 254)) for _ in range(4))])
        return [(t, "IP")]
    return [(".".join(str(rng.randint(1, 254)) for _ in range(4)), "IP")]


def fill_st(rng, v, arg):
    t = f"{rng.randint(2, 29999)} {rng.choice(['', '', 'N ', 'S ', 'E. ', 'West '])}{rng.choice(v.streets)} {rng.choice(STREET_SUFFIX)}"
    if arg == "unit" or rng.random() < 0.4:
        t += rng.choice([", ", " "]) + rng.choice(UNITS)
    return [(t, "STREET_ADDRESS")]


def fill_ct(rng, v, arg):
    return [(rng.choice(v.cities), "CITY")]


def fill_zp(rng, v, arg):
    return [(D(rng, 5) if rng.random() < 0.7 else f"{D(rng, 5)}-{D(rng, 4)}", "ZIP")]


def fill_full(rng, v, arg):
    segs = fill_st(rng, v, None) + [(", " if rng.random() < 0.6 else "\n", None)] + fill_ct(rng, v, None)
    segs += [(f", {rng.choice(STATES)} ", None)] + fill_zp(rng, v, None)
    return segs


def fill_fc(rng, v, arg):
    w = rng.choice(v.fac)
    c = rng.choice(v.cities)
    g = rng.choice(v.given)
    f = rng.choice(v.family)
    form = rng.choice(["{w} Regional Medical Center", "{c} Community Hospital", "St. {g}'s Infirmary",
                       "{w} Heart Institute", "{f} Memorial", "University of {c} Medical Center", "{w} Hospice",
                       "{w} Women's Health", "{c} General", "{f}-{w} Health Pavilion", "{w} Orthopedics",
                       "{w} Pediatrics", "{c} Rehab", "{w} Home Health", "{w} Senior Living", "{w} Family Medicine"])
    return [(form.format(w=w, c=c, g=g, f=f), "HOSPITAL")]


# ---- Identifiers -----------------------------------------------------------------------------------

def fill_mr(rng, v, arg):
    return [(rng.choice([D(rng, 7), D(rng, 8), f"E{D(rng, 7)}", f"{D(rng, 3)}-{D(rng, 2)}-{D(rng, 2)}", f"MR{D(rng, 6)}",
                         f"0{D(rng, 8)}", f"{L(rng, 1)}{D(rng, 6)}"]), "MRN")]


def fill_sn(rng, v, arg):
    a, b, c = rng.randint(100, 899), rng.randint(10, 99), D(rng, 4)
    return [(rng.choice([f"{a}-{b}-{c}", f"{a}-{b}-{c}", f"{a} {b} {c}", f"{a}{b}{c}"]), "SSN")]


def fill_ac(rng, v, arg):
    return [(rng.choice([D(rng, 9), f"{D(rng, 3)}-{D(rng, 6)}", f"HB{D(rng, 8)}", f"{D(rng, 6)}.{D(rng, 2)}", f"G{D(rng, 10)}"]),
             "ACCOUNT")]


def fill_hp(rng, v, arg):
    mbi = f"{rng.randint(1, 9)}{L(rng, 1)}{AN(rng, 1)}{D(rng, 1)}-{L(rng, 1)}{AN(rng, 1)}{D(rng, 1)}-{L(rng, 2)}{D(rng, 2)}"
    return [(rng.choice([mbi, f"{L(rng, 3)}{D(rng, 9)}", f"W{D(rng, 9)}", f"{D(rng, 9)}-01", f"{L(rng, 2)}{D(rng, 8)}"]),
             "HEALTH_PLAN")]


def fill_li(rng, v, arg):
    if arg == "dea":
        return [(f"{rng.choice('ABFM')}{L(rng, 1)}{D(rng, 7)}", "LICENSE")]
    if arg == "npi":
        return [(f"1{D(rng, 9)}", "LICENSE")]
    return [(rng.choice([f"{L(rng, 1)}{D(rng, 8)}", f"{L(rng, 1)}{D(rng, 3)}-{D(rng, 3)}-{D(rng, 2)}-{D(rng, 3)}-{D(rng, 1)}",
                         f"RN-{D(rng, 6)}", f"{D(rng, 3)} {D(rng, 3)} {D(rng, 3)}"]), "LICENSE")]


def fill_vh(rng, v, arg):
    if arg == "vin":
        return [(AN(rng, 17), "VEHICLE")]
    return [(rng.choice([f"{rng.randint(1, 9)}{L(rng, 3)}{D(rng, 3)}", f"{L(rng, 3)}-{D(rng, 4)}", f"{L(rng, 2)} {D(rng, 4)}",
                         f"{D(rng, 3)}-{L(rng, 3)}", f"{L(rng, 1)}{D(rng, 2)}-{L(rng, 3)}"]), "VEHICLE")]


def fill_dv(rng, v, arg):
    return [(rng.choice([f"{L(rng, 3)}{D(rng, 6)}{L(rng, 1)}", f"SN {D(rng, 9)}", f"{D(rng, 2)}-{D(rng, 3)}-{D(rng, 3)}",
                         f"{L(rng, 2)}{D(rng, 8)}", f"(01){D(rng, 14)}(21){AN(rng, 6)}", f"{AN(rng, 4)}-{AN(rng, 4)}-{AN(rng, 4)}"]),
             "DEVICE")]


def fill_ix(rng, v, arg):
    return [(rng.choice([f"{L(rng, 2)}-{D(rng, 7)}", f"{D(rng, 4)}-{D(rng, 5)}", f"CASE{D(rng, 6)}", f"{D(rng, 10)}"]), "ID")]


FILLERS = {
    "nm": fill_nm, "dd": fill_dd, "bd": fill_bd, "yy": fill_yy, "ag": fill_ag, "ph": fill_ph, "em": fill_em,
    "ur": fill_ur, "ip": fill_ip, "st": fill_st, "ct": fill_ct, "zp": fill_zp, "full": fill_full, "fc": fill_fc,
    "mr": fill_mr, "sn": fill_sn, "ac": fill_ac, "hp": fill_hp, "li": fill_li, "vh": fill_vh, "dv": fill_dv,
    "ix": fill_ix,
}

# ---- Templates -------------------------------------------------------------------------------------

HELDOUT4 = [
    # Referral letter
    "To: {nm:full}, MD, {fc}\nFrom: {nm:full}, NP\nRe: {nm:lf} (DOB {bd})\nDate: {dd:full}",
    "Thank you for accepting {nm:first} into your practice. She moved from {ct} in {dd:part}.",
    "I would be grateful if you could see {nm:full} at your earliest convenience; her daughter {nm:first} can be reached at {ph}.",
    "Warm regards,\n\n{nm:full}\n{fc}\np {ph}  f {ph:fax}",
    # Med rec
    "MEDICATION RECONCILIATION {dd:full}\nPt: {nm:upper}   MRN {mr}\nSource: pt and wife {nm:first}; pharmacy {fc}",
    "- metoprolol 25 mg BID (last filled {dd:part} at CVS, {ct})\n- apixaban 5 mg BID, held since {dd:rel}",
    "Reconciled by {nm:fml}, PharmD on {dd:ts}.",
    # Radiology header
    "EXAM: CT ABD/PELVIS W CONTRAST\nPATIENT: {nm:upper}\nACC#: {ac}\nDOS: {dd:full}\nORDERING: {nm:upper}, MD",
    "COMPARISON: {dd:full} outside study from {fc}.",
    "Findings discussed with {nm:init} by telephone at 14:20 on {dd:full}; read back confirmed.",
    # Family history
    "FH: mother d. at {ag} of stroke; father ({nm:first}) alive, {ag} years old, lives in {ct}.",
    "Her sister {nm:full} had breast cancer diagnosed in {yy}.",
    "Grandmother, now {ag:w}, still lives alone in {ct}.",
    # Social work
    "SW met with pt and son {nm:full} ({ph}) re: placement. Pt lives alone at {st}, {ct}.",
    "Referral faxed to {fc} intake ({ph:fax}) on {dd:rel}.",
    "APS report filed {dd:full}, case {ix}, worker {nm:full}.",
    "Pt's landlord, {nm:full}, agreed to hold the apartment through {dd:part}.",
    # Telehealth chat
    "[10:02] {nm:first}: hi doc can you hear me\n[10:02] Dr. {nm:last}: yes, go ahead",
    "lower|[09:15] {nm:first}: my mom {nm:first} fell again on {dd:rel}",
    "Video visit link: {ur}",
    "Connected from IP {ip} via the {fc} app.",
    "Patient joined from {ip:v6}; interpreter {nm:full} (Somali) on the line.",
    # SBAR
    "S: {nm:full}, {ag} y.o., bed 14, desatting to 86%.\nB: admitted {dd:full} for PNA.",
    "R: please see pt now. Call back {ph}. - {nm:first}, RN",
    "SBAR to Dr. {nm:last} at 0310: pt {nm:last} hypotensive 82/40.",
    # I-PASS
    "I-PASS: Illness severity watcher. Pt {nm:lf}, {ag}M. Action list: f/u cultures from {dd:part}.",
    "Situation awareness: if febrile, page {nm:first} (night float) or {nm:full}.",
    "Synthesis by receiver: {nm:first} repeated plan back.",
    # Pharmacy
    "Rx transferred from {fc}, {full}. Prescriber {nm:full}, DEA {li:dea}, NPI {li:npi}.",
    "Pharmacist {nm:full} called pt's cell {ph} to confirm allergies.",
    "Insurance rejected: member {hp}, group 0045. Pt to call plan.",
    "Refill too soon; last fill {dd:full}. Spoke with caregiver {nm:lower}.",
    # Discharge instructions, second person
    "You were in the hospital from {dd:range} for heart failure. Weigh yourself every morning.",
    "Your follow-up is with {nm:full} at {fc} on {dd:rel} at 9:40am.",
    "If you have questions call our nurse line {ph} or email {em}.",
    "You told us your son {nm:first} will drive you home and stay with you at {st}.",
    "Bring this sheet to your appointment at {full}.",
    # Staff in passing, relatives
    "Discussed with charge nurse {nm:first} and attending {nm:fml}.",
    "Per {nm:first} from transport, pt left the unit at 1645.",
    "Wife {nm:full} and grandson {nm:first} present for family meeting on {dd:full}.",
    "lower|daughter {nm:lower} says dad is {ag} and wont stop driving",
    "Pt's nephew ({nm:hyph}) is HCPOA.",
    "Chaplain {nm:full} visited.",
    "Seen with med student {nm:first} {nm:last}.",
    # Identifiers
    "SSN on file: {sn}. Medicaid #: {hp}.",
    "Patient account {ac}; guarantor {nm:lf}.",
    "Driver's license {li} (expires {dd:part}).",
    "Pt's car (plate {vh}) left in garage B; VIN {vh:vin}.",
    "Insulin pump serial {dv} replaced; old pump returned to manufacturer.",
    "Cochlear implant, device ID {dv}.",
    "Medical record #{mr}; encounter {ix}.",
    "Mailing address: {full}",
    "Zip code {zp}, {ct}.",
    "Pt is {ag:w} years old and lives in {ct}.",
    "Centenarian ({ag}) admitted from {fc}.",
    "Age: {ag}",
    "Born {bd} in {ct}.",
    "Last seen {dd:rel}; labs from {dd:range} reviewed.",
    "Symptoms began around {dd:part}, worse since {dd:rel}.",
    "Printed {dd:ts} by {nm:lf}",
    "{nm:upper} is a {ag} yo with dementia.",
    "Email from pt ({em}) forwarded by {nm:first}.",
    "Portal message from {nm:full}, {dd:ts}: \"I am out of my water pill.\"",
    "Social: lives with partner {nm:first} in a trailer in {ct}; works at {fc}.",
    "Outside records from {nm:full}, {fc}, {ct}, fax {ph:fax}.",
    "Chest pain, no PHI here.",
    "Continue lisinopril 10 mg daily; recheck BMP in 1 week.",
]

TUNE4 = [
    "Referral from {nm:full} ({fc}) for chronic cough; seen {dd:full}.",
    "Dear {nm:first},\nYour results from {dd:part} are normal. - {nm:full}, PA-C",
    "Med list reviewed with pt and husband {nm:full}; brings pill bottles from {fc}.",
    "- furosemide 40 mg daily (filled {dd:full})\n- KCl 20 mEq (started {dd:rel})",
    "RADIOLOGY REPORT\nNAME: {nm:upper}\nMRN: {mr}\nEXAM DATE: {dd:full}\nREFERRING: {nm:upper}",
    "Prior: MRI brain {dd:full} at {fc}.",
    "Critical result called to {nm:full} at 0905 {dd:full}.",
    "Family history: brother {nm:first} (MI at 50), mother lived to {ag}.",
    "Paternal aunt {nm:full}, {ag:w}, lives in {ct}.",
    "SW: pt's daughter {nm:full} is POA; phone {ph}. Home at {st}, {ct} {zp}.",
    "Meals on Wheels referral sent {dd:rel}; contact {nm:full}.",
    "Telehealth: pt in {ct}, provider in {ct}. Link {ur}",
    "lower|[14:20] {nm:first}: thx {nm:first}, see u {dd:rel}",
    "Session IP {ip}, device {dv}.",
    "SBAR: S - {nm:full} ({ag}F) chest pain. B - CABG {yy}. A - stable. R - trop at 1600.",
    "I-PASS handoff from {nm:first} to {nm:first}: pt {nm:lf}, watcher.",
    "Pharmacy: clarified dose with {nm:fml}, NPI {li:npi}. Pt account {ac}.",
    "Plan member {hp}; prior auth {ix} approved {dd:full}.",
    "You were seen on {dd:range}. Please call {nm:full} at {ph} if your fever returns.",
    "Your next visit: {dd:rel}, {fc}, {full}.",
    "Send records to {em} or fax {ph:fax}.",
    "Transport aide {nm:first} brought pt up at 1120.",
    "Son-in-law {nm:hyph} at bedside.",
    "lower|pt's wife {nm:lower} called, pt is {ag} and confused",
    "Visited by {nm:full}, volunteer.",
    "SSN {sn}; license {li}; plate {vh}; VIN {vh:vin}.",
    "MRN {mr}. Acct {ac}. IPv6 {ip:v6}.",
    "Address: {full}",
    "Age {ag}; DOB {bd}.",
    "{nm:upper}, {ag}, from {ct}.",
    "Timestamps: {dd:ts}, {dd:ts}.",
    "Ranges: {dd:range}; partial {dd:part}; weekday {dd:rel}.",
    "Pt {nm:any} seen with {nm:any}.",
    "Cardiology f/u with {nm:any} at {fc}.",
    "No acute distress. Lungs clear.",
]


def build(part, templates, seed, per=20):
    rng = random.Random(seed)
    v = Vocab4(part)
    records = []
    for tid, t in enumerate(templates):
        n = per if engine.SLOT.search(t) else 2
        for _ in range(n):
            text, spans = engine.render(t, FILLERS, rng, v)
            records.append({"part": part, "template_id": tid, "text": text, "spans": spans})
    rng.shuffle(records)
    return [{"id": i, **r} for i, r in enumerate(records)]


def check():
    assert not set(HELDOUT4) & set(TUNE4), "templates in both parts"
    a, b = Vocab4("heldout4"), Vocab4("tune4")
    for key in ("given", "family", "particle", "cities", "streets", "fac", "domains", "web"):
        both = set(getattr(a, key)) & set(getattr(b, key))
        assert not both, f"{key} in both parts: {both}"
    import importlib
    for name in ("heldout", "heldout2", "heldout3", "tune", "tune2", "tune3"):
        try:
            m = importlib.import_module(name)
        except ImportError:  # the second and third generations need Faker; skipped without it
            continue
        assert not (set(HELDOUT4) | set(TUNE4)) & set(m.TEMPLATES), f"template of {name} used again"


def main():
    check()
    engine.write_jsonl(os.path.join(HERE, "heldout4.jsonl"), build("heldout4", HELDOUT4, 41207))
    engine.write_jsonl(os.path.join(HERE, "tune4.jsonl"), build("tune4", TUNE4, 70412))


if __name__ == "__main__":
    main()
