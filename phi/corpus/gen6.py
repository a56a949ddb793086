#!/usr/bin/env python3
"""Sixth generation of Ward's labelled PHI corpora: ``heldout6`` and ``tune6``.

Self-contained (no Faker), written without reading the detector's source or
its data files, to measure how the detector generalises to phrasings it was
never tuned on. Its own word lists, written forms and templates, rendered by
engine.py.

* Words: every list below is split by position (even entries to ``heldout6``,
  odd to ``tune6``), so the two parts share no name, town, street word,
  facility word, saint, domain, web name or trap word. ``check()`` asserts
  that no name, town, street word, facility word, saint, domain or web name
  is in an earlier generation's lists (gen5.py, gen4.py, vocab.py), compared
  case-insensitively. So the common word-names of earlier lists (Summer,
  Grace, King, Young, Love, Long, ...) are not used again; new ones are
  (Wise, Strong, Little, Small, Short, Rich, Liberty, Merit, ...).
* Templates: ``HELDOUT6`` and ``TUNE6`` share none, and none is in an earlier
  generation (checked).
* Styles (none of gen1-gen5's): patient-portal threads with quoted replies,
  ED triage one-liners, MAR comments, wound care, anaesthesia pre-op,
  code/rapid-response notes listing responders, transfusion consent,
  interpreter logs, bed-board and transfer-centre messages, CDI queries,
  utilisation review, school/work excuse letters, DME orders, home-oxygen
  certificates, research consent, tumour-board lists, peer review,
  grievance letters, court-ordered holds, coroner calls, nursing-home
  transfer forms, dialysis run sheets, newborn nursery notes (mother and
  father named), family notes in an obituary tone, clinician-to-assistant
  chat questions.
* Labels (README conventions): titles and credentials outside names in
  every order ("RN Jane Roe", "Jane Roe, MSN, RN"); a possessive "'s"
  outside; "LAST, FIRST MIDDLE" one span; initials-only staff ("per JKL")
  are names; in a quoted-reply header ("On Tue, Mar 3, 2025 at 9:14 AM,
  ... wrote:") the date is "Tue, Mar 3, 2025" and " at 9:14 AM" is
  outside; in relative phrases ("yesterday (4/5)", "3 days ago on 4/2",
  "POD 2, 3/14") only the date is labelled; a time written right after a
  date (no word between) belongs to it; ages over 89 are only the number or
  number words; a unit is part of the street address; "Room"/"Bed" numbers
  are not PHI; "MR#", "Acct", "S/N" labels are outside their identifiers.

    python3 phi/corpus/gen6.py
"""

import os
import random
import string
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import engine  # noqa: E402

MONTHS6 = ["January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December"]
MABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS6 = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DABBR = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
ST6 = ["AK", "AL", "AR", "AZ", "CA", "CO", "CT", "GA", "HI", "IA", "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD",
       "ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND", "NE", "NH", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "SC",
       "SD", "TN", "TX", "UT", "VA", "VT", "WA", "WI", "WV", "WY"]

# ---- Words (even index: heldout6, odd index: tune6) -------------------------------------------

GIVEN6 = """Amarachi Onyinye Somtochukwu Ayodele Bolanle Kehinde Yewande Afia Kojo Oumar Kadiatou Wanjiku Muthoni Akinyi
Tendai Farai Rudo Chipo Tatenda Nomvula Thandiwe Sipho Lindiwe Bongani Zanele Kagiso Lerato Tsegaye Selamawit
Almaz Mekdes Vihaan Advik Sridhar Murali Revathi Karthik Nandini Prakash Devika Siddharth Tanvir Rafiq Sadia
Yichen Meiling Shu-fen Chia-hui Yuna Kazuki Thanh Somsak Ratana Arthit Malee Sophal Rizal Rodel Marites Nurul
Budi Wayan Ketut Mahmoud Fadi Rami Reem Arash Golnaz Dorota Vojtěch Bojan Yevgeny Lyudmila Petro Natalka
Zoltán Erzsébet László Ildikó András Gheorghe Mihai Florin Raluca Leif Ingeborg Wiebke Rüdiger Siobhán Ciarán
Róisín Dervla Morag Hamish Ailsa Dafydd Cerys Eluned Bronwen Concepción Refugio Maricruz Evaristo Anacleto
Cuauhtémoc Florencio Jacinta Keala Makoa Sefa Lanakila Tamatoa Ana-Lisa Hania Aponi Kanoa Shmuel Hadassah
Gittel Zalman Narek Tigran Gayane Anush Yiannis Athanasia Bertha Orville Herschel Delbert Lavern Dorcas
Obadiah Eulalia Philomena Amara Priyanka Ines Chibuzo Ifeanyi Ebelechukwu Oyinkansola Morenike Titilayo
Adetokunbo Kobina Ekua Efia Chidinma Ogechi Obiageli Mbali Nokuthula Sibusiso Themba Zodwa Wangari Chege
Tsion Abhishek Ishita Tanmay Rutuja Mrunal Vaibhav Ashwini Sharmila Kamalesh Thenmozhi Ilango Senthil
Kalaivani Baljit Kulwinder Rajinder Mahfuz Shamima Rokeya Jiahui Yufei Shengli Guohua Qiaoling Dohyun Seojun
Yejin Hayoon Itsuki Kotone Mitsuko Fumiko Tomoya Diep Khoa Vinh Kittisak Wanida Supaporn Chanthy Rotha
Jhoanna Ruslan Zarina Aigerim Nurlan Bakhyt Gulnara Dilnoza Farrukh Sherzod Mzia Levan Tamuna Tõnu Maarja
Indrek Raimonds Ilze Gintaras Vytautas Pirjo Tuula Seppo Aino Eero Aurelio Graziella Ottavio Loredana
Bretislav Kazimiera Hallvard Torunn Fiachra Oonagh Sadhbh Donnacha Mhairi Struan Gethin Iolo Heledd Eleuterio
Candelaria Filomena Heraclio Natividad Maximino Genoveva Herminia Baudelio Kekoa Pualani Iolani Manaia
Losaline Siaosi Catori Elsu Istas Tayanita Ozzie Alva Verna Ferne Roscoe Odessa Leola Eula""".split()

# Given names that are ordinary words (none in an earlier list).
WORD_GIVEN6 = """Liberty Merit Cherish Comfort Memory Marvel Treasure Delight Fortune Gentry Valor Sunshine Velvet Coral
Ginger Clover Poppy Ranger Maverick Serenity Kingston Rebel""".split()

# Family names that are ordinary words (traps for dictionary filters).
WORD_FAMILY6 = """Wise Rich Bright Stout Hale Merry Proud Early Bond Temple Chapel Steward Mayor Sheriff Gentle Hardy
Middle Able Humble Savage Pleasant Bold Meek Tall Broad Lively Stark Worthy Ready Godly Goodwill Sweetwater Rainwater Jolly""".split()

FAMILY6 = """""Okafor-Eze Afolabi Darko Frimpong Keita Konaté Kamara Kimani Otieno-Were Wanjala Moyo Ndlovu Dube Nkosi
Mahlangu Khumalo Zulu Girma Haile-Mariam Chakraborty Sengupta Randhawa Hossain Lin-Huang Hsieh Tsai Nakagawa
Okamoto Nguyen-Pham Vo Sukhumvit Rattanakorn Sok Lacson Santiago-Reyes Wibowo Hidayat Setiawan Khalil Yilmaz
Farahani Horvath Popescu Ionescu Dumitrescu Constantin Szabó Tóth Kovács Nagy Åkesson Holmberg Fredriksen
Bjørnstad Halvorsrud Krüger Scholz Houlihan Mulcahy Drummond Buchanan Llewellyn Prys-Jones Cardenas
Galindo Saldívar Valenzuela Arellano Bustamante Quintanilla Barbosa Akana Keawe Fonoti Leaupepe Matagi
Tuimavave Redhouse Grossman Katzenberg Feldstein Hirschfeld Mirzoyan Grigoryan Hakobyan Papazian Kouris
Alexiou Pappas Whitfield-Osei Higginbotham Cartwright Ezeobi Onwuachi Ogbonna Amoah Agyei-Mensah Baffour
Kyeremeh Njuguna Macharia Kamotho Mbatha Sithole Zwane Shabalala Asfaw Demissie Nagarajan Raghavan
Padmanabhan Vaidyanathan Bhatnagar Saxena Khurana Dhaliwal Bains Majumder Talukdar Bhuiyan Qiu Pyo Seong
Uemura Kinoshita Tsukamoto Quach Pongsri Chanthavong Vongsavath Sarmiento Quisumbing Lumbao Nugroho
Kurniawan Tawfiq Abdelrahman Al-Khatib Nasrallah Yıldız Aydın Rostami Jablonski Pietrzak Sokolowski Hradecky
Vesely Babić Radovanović Moldovan Stoica Balogh Farkas Vass Sjöberg Wallin Ekström Aasen Brandt Lindemann
Vogt Tierney Dunleavy Cormack Gilchrist Pryce Gwilym Madrigal Covarrubias Villalobos Irigoyen Medeiros
Fagundes Kanahele Kapaona Pa'alua Tuiasosopo Salave'a Tso Chee Lowenthal Rosenblum Eisenberg Margolis
Tashjian Vardanyan Zografos Manolis Thistlethwaite Wadsworth Fotheringham""".split()

# Surnames with particles, apostrophes and several parts.
PARTICLE6 = """van Rijn|van de Kamp|de Vries-Bakker|zu Lowenstein|O'Shaughnessy|Mac an tSaoir|Nic Giolla|St. John|
da Silva Costa|Abou-Zeid|bin Hamdan|al-Shami|Ould Ahmed|La Fontaine|Du Bois|ten Brink|van 't Veer|Bear Heart|
Many Horses|Lone Wolf|ap Rhys""".replace("\n", "").split("|")

# US towns not in gen5.py, gen4.py or vocab.py (checked).
CITIES6 = """Thief River Falls|Devils Lake|Jamestown|Brookings|Chadron|Beatrice|Liberal|Pratt|Altus|Longview|Brownwood|
Uvalde|Fort Stockton|Beeville|Kingsville|Artesia|Deming|Espanola|Raton|Payson|Safford|Blythe|Lone Pine|
Paso Robles|Red Bluff|Yreka|Arcata|Fort Bragg|La Grande|Baker City|Colville|Omak|Chehalis|Winnemucca|Fallon|
Tonopah|Richfield|Tooele|Rawlins|Lander|Worland|Miles City|Glendive|Lewistown|Dillon|Blackfoot|Gunnison|
Montrose|La Junta|Fort Morgan|Cortez|St. Albans|Claremont|Rumford|Skowhegan|Houlton|Machias|Calais|Meriden|
Westerly|Greenfield|Athol|North Adams|Gloversville|Massena|Ogdensburg|Potsdam|Malone|Hornell|Dunkirk|
Salamanca|Titusville|Sunbury|Bloomsburg|Tamaqua|Lehighton|Frostburg|Seaford|Millville|Bridgeton|Front Royal|
Galax|Wytheville|Abingdon|Farmville|Vidalia|Jesup|Moultrie|Bainbridge|Cordele|Sylacauga|Scottsboro|Fort Payne|
Talladega|Demopolis|McComb|Brookhaven|Grenada|Indianola|Yazoo City|Ruston|Minden|New Iberia|Slidell|Crowley|
Kewanee|Pontiac|Olney|Seymour|Wabash|Gallipolis|Coshocton|Bucyrus|Tiffin|Wapakoneta|Xenia|Cadillac|Gaylord|
Cheboygan|Menominee|Iron Mountain|Big Rapids|Owosso|Coldwater|Sturgis|Rice Lake|Tomah|Baraboo|Kotzebue|
Dillingham|Valdez|Soldotna|Kailua-Kona|Lahaina|Kapaa|Pahoa|Ishpeming|Negaunee|Bessemer|Antigo|Shawano|Ripon|
Viroqua|Prairie du Chien|Oelwein|Storm Lake|Red Oak|Creston|Chariton|Maquoketa|Fort Madison|Moberly|Branson|
Mountain Home|Batesville|Forrest City|Magnolia|Arkadelphia|Crockett|Spooner|Ladysmith|Park Falls|Tomahawk|
Mauston|Reedsburg""".replace("\n", "").split("|")

STREET6 = """Spicebush|Sourwood|Blackhaw|Hophornbeam|Basswood|Boxelder|Chokecherry|Serviceberry|Elderberry|Snowberry|
Grouse|Heron Bay|Kestrel|Merganser|Plover|Bluegill|Crappie|Walleye|Muskrat|Bobcat|Coyote Run|Jackrabbit|
Pronghorn|Flax Mill|Cider Press|Blacksmith|Cooperage|Brickyard|Stagecoach|Covered Bridge|Schoolhouse|
Meetinghouse|Parsonage|Creamery|Sorghum|Tobacco Barn|Cotton Gin|Mayapple|Bloodroot|Pokeweed|Ninebark|
Bunchberry""".replace("\n", "").split("|")
SUFFIX6 = ["Row", "Terrace", "Ter", "Crossing", "Xing", "Run", "Ridge", "Glen", "Cove", "Loop", "Pike", "Trace",
           "Mews", "Commons", "Pass", "Knoll", "Causeway", "Hwy", "Boulevard", "Rd.", "St.", "Ave."]
UNIT6 = ["Apt 3F", "Apt. 12", "Unit 7-B", "#204", "# 5", "Ste. 140", "Bldg 2 Apt 9", "Trailer 31", "Rm 6",
         "Flat 2", "Apt C", "Unit 1402", "Lower", "Upper Unit"]

FAC6 = """Red River Valley|Ozark Highlands|Wind River|Snake River|Chesapeake|Shenandoah|Allegheny|Catskill|Adirondack|
Finger Lakes|Mohawk Valley|Green Mountain|Berkshire|Smoky Mountain|Gulf Coast|Permian Basin|Hill Country|
Mesabi|Arrowhead|Mogollon Rim|Sonoran|Mojave|Sierra Foothills|Redwood Coast|Willamette|Okanogan|
Kenai Peninsula|Windward|Big Horn|Coulee Region""".replace("\n", "").split("|")
SAINTS6 = ["Agatha", "Boniface", "Monica", "Bernadette", "Lucy", "Kilian", "Wenceslaus", "Hildegard", "Elias", "Josephine", "Stanislaus"]
DOMAINS6 = """gmx.net|mail.ru|web.de|libero.it|orange.fr|t-online.de|sky.com|yahoo.co.uk|duck.com|usa.net|roadrunner.com|
embarqmail.com|suddenlink.net|mediacombb.net|xs4all.nl|seznam.cz""".replace("\n", "").split("|")
WEB6 = """redrivervalleyhealth|ozarkhighlandsmed|windriverclinic|shenandoahcare|mohawkvalleyortho|bayoufamilyhealth|
permianpeds|willamettewomens|kenaiheart|catskillrehab|arrowheaddialysis|sonoransleep|finger-lakes-onc|
gulfcoastvascular""".replace("\n", "").split("|")

# Trap words for the PHI-free sentences (no PHI; split like the rest).
DRUGS6 = """Eliquis Xarelto Keppra Lasix Zosyn Precedex Narcan Humalog Jardiance Ozempic Entresto Plavix Brilinta
Lovenox Toradol Dilaudid Zofran Protonix Seroquel Haldol Ativan Cymbalta Lexapro Synthroid Farxiga Trulicity
Vancomycin Cefepime Unasyn Bactrim""".split()
EPONYMS6 = """Glasgow|Braden|Morse|Apgar|Swan-Ganz|Nissen|Hartmann|Roux-en-Y|Cushing|Addison|Graves|Hashimoto|Bell|
Guillain-Barré|Kawasaki|Wilms|Crohn|Parkinson|Alzheimer|Hodgkin|Raynaud|Sjögren|Tinel|Phalen|Lachman|McMurray|
Trousseau|Chvostek|Kussmaul|Cheyne-Stokes""".replace("\n", "").split("|")

HELD, TUNE = "heldout6", "tune6"


def half(words, part):
    return [w for i, w in enumerate(words) if (i % 2 == 0) == (part == HELD)]


class Vocab6:
    def __init__(self, part):
        self.given = half(GIVEN6, part)
        self.wgiven = half(WORD_GIVEN6, part)
        self.wfamily = half(WORD_FAMILY6, part)
        self.family = half(FAMILY6, part)
        self.particle = half(PARTICLE6, part)
        self.cities = half(CITIES6, part)
        self.streets = half(STREET6, part)
        self.fac = half(FAC6, part)
        self.saints = half(SAINTS6, part)
        self.domains = half(DOMAINS6, part)
        self.web = half(WEB6, part)
        self.drugs = half(DRUGS6, part)
        self.eponyms = half(EPONYMS6, part)


def digits(r, n):
    return "".join(r.choice(string.digits) for _ in range(n))


def letters(r, n):
    return "".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(n))


def alnum(r, n):
    return "".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(n))


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if c.isascii() and c.isalnum()).lower() or "q"


# ---- Names ------------------------------------------------------------------------------------------

def first_of(r, v):
    return r.choice(v.wgiven) if r.random() < 0.14 else r.choice(v.given)


def last_of(r, v):
    x = r.random()
    if x < 0.18:
        return r.choice(v.particle)
    if x < 0.32:
        return r.choice(v.wfamily)
    if x < 0.40:
        return f"{r.choice(v.family)}-{r.choice(v.family)}"
    return r.choice(v.family)


def initial(r):
    return r.choice("ABCDEFGHJKLMNPRSTVWY")


def name6(r, v, style):
    g, f = first_of(r, v), last_of(r, v)
    if style in (None, "any"):
        style = r.choices(["full", "first", "last", "mid", "lf", "lfm", "ini", "three", "lower", "upper"],
                          [30, 14, 10, 8, 8, 6, 6, 4, 7, 7])[0]
    m = initial(r)
    if style == "full":
        return f"{g} {f}"
    if style == "first":
        return g
    if style == "last":
        return f
    if style == "mid":  # a middle initial or a second given name
        return r.choice([f"{g} {m}. {f}", f"{g} {m} {f}", f"{g} {r.choice(v.given)} {f}"])
    if style == "lf":
        return r.choice([f"{f}, {g}", f"{f},{g}", f"{f}, {g} {m}"])
    if style == "lfm":  # LAST, FIRST MIDDLE
        return f"{f.upper()}, {g.upper()} {r.choice(v.given).upper()}"
    if style == "ini":
        return r.choice([f"{g[0]}. {f}", f"{g} {f[0]}.", f"{g[0]}.{m}. {f}"])
    if style == "inie":  # initial forms that do not end in a period (used before a full stop)
        return r.choice([f"{g[0]}. {f}", f"{g[0]}.{m}. {f}"])
    if style == "three":  # staff initials only
        return f"{g[0]}{m}{fold(f)[0].upper()}"
    if style == "lower":
        return r.choice([f"{g} {f}", g, f"{g} {f}"]).lower()
    if style == "upper":
        return r.choice([f"{g} {f}", f"{f}", f"{f}, {g}"]).upper()
    if style == "wf":
        return f"{g} {r.choice(v.wfamily)}"
    if style == "wg":
        return f"{r.choice(v.wgiven)} {f}"
    if style == "part":
        return f"{g} {r.choice(v.particle)}"
    raise ValueError(style)


def f_nm(r, v, arg):
    return [(name6(r, v, arg), "NAME")]


# ---- Dates ------------------------------------------------------------------------------------------

def nth(n):
    return f"{n}{'th' if 11 <= n % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def clock(r):
    return r.choice([f"{r.randint(0, 23):02}{r.randint(0, 59):02}", f"{r.randint(0, 23):02}:{r.randint(0, 59):02}",
                     f"{r.randint(1, 12)}:{r.randint(0, 59):02} {r.choice(['AM', 'PM', 'am', 'pm'])}"])


FULL6 = [
    lambda y, m, d, r: f"{m}/{d}/{y}",
    lambda y, m, d, r: f"{m:02}/{d:02}/{y % 100:02}",
    lambda y, m, d, r: f"{y}-{m:02}-{d:02}",
    lambda y, m, d, r: f"{d} {MABBR[m-1]} {y}",
    lambda y, m, d, r: f"{MABBR[m-1]} {d}, {y}",
    lambda y, m, d, r: f"{MONTHS6[m-1]} {nth(d)}, {y}",
    lambda y, m, d, r: f"{d:02}-{MABBR[m-1].upper()}-{y % 100:02}",
    lambda y, m, d, r: f"{m}.{d}.{y % 100:02}",
    lambda y, m, d, r: f"{m}-{d}-{y}",
    lambda y, m, d, r: f"{MONTHS6[m-1]} {d} {y}",
    lambda y, m, d, r: f"{DABBR[r.randint(0, 6)]}, {MABBR[m-1]} {d}, {y}",
    lambda y, m, d, r: f"{d}.{m}.{y}",
    lambda y, m, d, r: f"{y}/{m:02}/{d:02}",
    lambda y, m, d, r: f"{d}-{MONTHS6[m-1]}-{y}",
]
PART6 = [
    lambda y, m, d, r: f"{m}/{d}",
    lambda y, m, d, r: f"{MABBR[m-1]} {d}",
    lambda y, m, d, r: f"{MONTHS6[m-1]} {nth(d)}",
    lambda y, m, d, r: f"{nth(d)} of {MONTHS6[m-1]}",
    lambda y, m, d, r: f"{MONTHS6[m-1]} {y}",
    lambda y, m, d, r: f"{MABBR[m-1]} '{y % 100:02}",
    lambda y, m, d, r: f"{m}/{y}",
    lambda y, m, d, r: f"{DAYS6[r.randint(0, 6)]} {m}/{d}",
    lambda y, m, d, r: f"{DABBR[r.randint(0, 6)]} {d} {MABBR[m-1]}",
]
TS6 = [
    lambda y, m, d, r: f"{m}/{d}/{y} {clock(r)}",
    lambda y, m, d, r: f"{m}/{d} {clock(r)}",
    lambda y, m, d, r: f"{y}-{m:02}-{d:02}T{r.randint(0, 23):02}:{r.randint(0, 59):02}",
    lambda y, m, d, r: f"{MABBR[m-1]} {d}, {y} {clock(r)}",
    lambda y, m, d, r: f"{m:02}/{d:02}/{y % 100:02}@{r.randint(0, 23):02}{r.randint(0, 59):02}",
]


def ymd6(r, lo=2017, hi=2026):
    return r.randint(lo, hi), r.randint(1, 12), r.randint(1, 28)


def f_dd(r, v, arg):
    y, m, d = ymd6(r)
    if arg == "full":
        pool = FULL6
    elif arg == "part":
        pool = PART6
    elif arg == "ts":
        pool = TS6
    elif arg == "md":
        pool = PART6[:4]
    elif arg == "month":
        return [(MONTHS6[m - 1], "DATE")]
    elif arg == "year":
        return [(str(r.randint(1975, 2025)), "DATE")]
    elif arg == "byear":
        return [(str(r.randint(1919, 1935)), "DATE")]
    elif arg == "quote":  # e-mail reply header
        return [(f"{DABBR[r.randint(0, 6)]}, {MABBR[m-1]} {d}, {y}", "DATE")]
    elif arg == "wkd":
        return [(f"{DAYS6[r.randint(0, 6)]}, {MONTHS6[m-1]} {d}", "DATE")]
    else:
        pool = FULL6 + PART6 + TS6
    return [(r.choice(pool)(y, m, d, r), "DATE")]


def f_bd(r, v, arg):
    y, m, d = ymd6(r, 1919, 1935) if arg == "old" else ymd6(r, 1922, 2024)
    return [(r.choice(FULL6)(y, m, d, r), "DATE")]


def f_rel(r, v, arg):  # relative phrase with a date: only the date is labelled
    y, m, d = ymd6(r)
    date = r.choice(PART6[:4] + FULL6[:3])(y, m, d, r)
    lead, tail = r.choice([("yesterday (", ")"), ("2 days ago on ", ""), ("last week (", ")"), ("this past ", ""),
                           ("earlier today, ", ""), ("the day before, ", ""), ("POD 3, ", ""),
                           ("HD#4 (", ")"), ("one week prior, ", "")])
    if lead == "this past ":
        date = f"{DAYS6[r.randint(0, 6)]} {m}/{d}"
    return [(lead, None), (date, "DATE"), (tail, None)]


# ---- Ages over 89 --------------------------------------------------------------------------------------

UNITS_W = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def age_in_words(n, r):
    if n < 100:
        return "ninety" + ("" if n == 90 else r.choice(["-", " "]) + UNITS_W[n - 90])
    rest = n - 100
    base = r.choice(["one hundred", "a hundred"])
    return base if rest == 0 else base + r.choice([" and ", " "]) + UNITS_W[rest]


def f_ag(r, v, arg):
    n = r.choice(list(range(90, 100)) * 2 + list(range(100, 107)))
    if arg == "w":
        t = age_in_words(n, r)
        return [(t[0].upper() + t[1:] if r.random() < 0.15 else t, "AGE")]
    return [(str(n), "AGE")]


# ---- Contact, places ------------------------------------------------------------------------------------

def phone6(r):
    a = f"{r.randint(2, 9)}{r.randint(0, 8)}{r.randint(0, 9)}"
    b = f"{r.randint(2, 9)}{digits(r, 2)}"
    c = digits(r, 4)
    return r.choice([f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"{a}/{b}-{c}", f"+1-{a}-{b}-{c}",
                     f"1-{a}-{b}-{c}", f"({a}) {b}-{c} ext. {r.randint(10, 9999)}", f"{a} {b}-{c}",
                     f"{a}-{b}-{c}, x{r.randint(100, 999)}", f"+1 {a} {b} {c}"])


def f_ph(r, v, arg):
    return [(phone6(r), "FAX" if arg == "fax" else "PHONE")]


def f_em(r, v, arg):
    g, f = fold(r.choice(v.given)), fold(r.choice(v.family))
    if arg == "work":
        return [(f"{r.choice([f'{g}.{f}', f'{g[0]}{f}', f'{f}{g[0]}'])}@{r.choice(v.web)}.org", "EMAIL")]
    user = r.choice([f"{g}.{f}", f"{g}{r.randint(1, 99)}", f"{f}_{g[0]}", f"{g[0]}.{f}{r.randint(50, 99)}",
                     f"{g}-{f}", f"{f}{g}"])
    return [(f"{user}@{r.choice(v.domains)}", "EMAIL")]


def f_ur(r, v, arg):
    w = r.choice(v.web)
    return [(r.choice([f"https://{w}.org/portal/msg/{digits(r, 9)}", f"https://www.{w}.com/patients/{alnum(r, 10).lower()}",
                       f"{w}.org/forms/excuse-{digits(r, 6)}", f"http://{w}.net/r/{alnum(r, 6).lower()}",
                       f"https://meet.{w}.org/{digits(r, 9)}"]), "URL")]


def f_ip(r, v, arg):
    if r.random() < 0.35:
        h = [f"{r.randint(0, 0xffff):x}" for _ in range(8)]
        return [(r.choice([":".join(h), f"2600:{h[1]}:{h[2]}::{h[3]}", f"fd00::{h[4]}:{h[5]}"]), "IP")]
    return [(f"{r.choice([10, 172, 192, 100, r.randint(20, 220)])}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}", "IP")]


def street6(r, v, unit):
    if r.random() < 0.1:
        return r.choice([f"PO Box {r.randint(10, 9999)}", f"Rural Route {r.randint(1, 8)}, Box {r.randint(1, 99)}",
                         f"{r.randint(1000, 99999)} County Road {r.randint(1, 400)}"])
    t = f"{r.randint(2, 29999)} {r.choice(['', '', 'N ', 'S. ', 'East ', 'SE '])}{r.choice(v.streets)} {r.choice(SUFFIX6)}"
    if unit or r.random() < 0.3:
        t += r.choice([", ", " "]) + r.choice(UNIT6)
    return t


def f_st(r, v, arg):
    return [(street6(r, v, arg == "unit"), "STREET_ADDRESS")]


def f_ct(r, v, arg):
    return [(r.choice(v.cities), "CITY")]


def f_zp(r, v, arg):
    return [(digits(r, 5) if r.random() < 0.7 else f"{digits(r, 5)}-{digits(r, 4)}", "ZIP")]


def f_addr(r, v, arg):
    return (f_st(r, v, arg) + [(r.choice([", ", ", ", "; ", "\n"]), None)] + f_ct(r, v, None)
            + [(r.choice([", ", " "]) + r.choice(ST6) + r.choice([" ", "  "]), None)] + f_zp(r, v, None))


FAC_FORMS = {
    None: ["Mercy Hospital of {c}", "{w} Regional", "{w} Regional Medical Center", "{c} Community Hospital",
           "VA {w} Healthcare System", "{f} Memorial Medical Center", "St. {s} Hospital", "{w} Women's and Children's",
           "{w} Health - {c} Campus", "{c} General", "Sisters of St. {s} Hospital", "{w} University Medical Center"],
    "clinic": ["{w} Family Health", "{c} Free Clinic", "{w} Infusion Center", "{c} Dialysis", "{w} Wound Clinic",
               "{w} Sleep Center", "{c} Medical Clinic", "{w} Home Medical Equipment", "{w} Oxygen and DME"],
    "snf": ["{w} Rehabilitation Hospital", "{c} Nursing Home", "{w} Senior Living", "St. {s} Care Center",
            "{w} Psychiatric Pavilion", "{c} Assisted Living"],
}


def f_fc(r, v, arg):
    t = r.choice(FAC_FORMS.get(arg) or FAC_FORMS[None])
    return [(t.format(w=r.choice(v.fac), c=r.choice(v.cities), s=r.choice(v.saints), f=r.choice(v.family)), "HOSPITAL")]


# ---- Identifiers ---------------------------------------------------------------------------------------

def f_mr(r, v, arg):
    return [(r.choice([digits(r, 7), f"E{digits(r, 7)}", f"{digits(r, 3)}-{digits(r, 2)}-{digits(r, 2)}",
                       f"MRN{digits(r, 8)}", f"{letters(r, 1)}{digits(r, 9)}", f"0{digits(r, 8)}"]), "MRN")]


def f_sn(r, v, arg):
    a, b, c = r.randint(100, 772), r.randint(1, 99), r.randint(1, 9999)
    return [(r.choice([f"{a}-{b:02}-{c:04}", f"{a} {b:02} {c:04}", f"{a}{b:02}{c:04}"]), "SSN")]


def f_ac(r, v, arg):
    return [(r.choice([digits(r, 10), f"{digits(r, 3)}-{digits(r, 7)}", f"V{digits(r, 9)}", f"{digits(r, 6)}.{digits(r, 2)}",
                       f"HB{digits(r, 8)}"]), "ACCOUNT")]


def f_hp(r, v, arg):
    return [(r.choice([f"{letters(r, 3)}{digits(r, 9)}", f"{digits(r, 4)}{letters(r, 1)}{digits(r, 5)}",
                       f"{r.randint(1, 9)}{letters(r, 2)}{digits(r, 1)}-{letters(r, 2)}{digits(r, 1)}-{letters(r, 1)}{digits(r, 2)}",
                       f"W{digits(r, 9)}", f"{letters(r, 2)}-{digits(r, 8)}"]), "HEALTH_PLAN")]


def f_li(r, v, arg):
    if arg == "npi":
        return [(f"1{digits(r, 9)}", "LICENSE")]
    return [(r.choice([f"{letters(r, 1)}{digits(r, 7)}", f"RN{digits(r, 6)}", f"{letters(r, 2)}-{digits(r, 5)}",
                       f"{digits(r, 3)}-{digits(r, 3)}-{digits(r, 3)}", f"{letters(r, 1)}{digits(r, 4)}-{digits(r, 5)}"]), "LICENSE")]


def f_vh(r, v, arg):
    if arg == "vin":
        return [(f"{r.choice('13459JKW')}{alnum(r, 16)}", "VEHICLE")]
    return [(r.choice([f"{r.randint(1, 9)}{letters(r, 3)}{digits(r, 3)}", f"{letters(r, 3)} {digits(r, 4)}",
                       f"{letters(r, 2)}{digits(r, 1)}-{letters(r, 1)}{digits(r, 2)}", f"{digits(r, 2)}{letters(r, 1)}-{digits(r, 3)}"]), "VEHICLE")]


def f_dv(r, v, arg):
    return [(r.choice([f"{letters(r, 2)}{digits(r, 8)}", f"{digits(r, 3)}-{alnum(r, 6)}", f"SN{alnum(r, 10)}",
                       f"(01){digits(r, 14)}(21){alnum(r, 8)}", f"{letters(r, 4)}{digits(r, 5)}{letters(r, 1)}"]), "DEVICE")]


def f_ix(r, v, arg):
    if arg == "study":
        return [(r.choice([f"NCT{digits(r, 8)}", f"IRB-{r.randint(2018, 2026)}-{digits(r, 4)}",
                           f"{letters(r, 3)}-{digits(r, 3)}-{digits(r, 4)}"]), "ID")]
    return [(r.choice([f"{letters(r, 2)}{digits(r, 7)}", f"{r.randint(2019, 2026)}{letters(r, 1)}{digits(r, 5)}",
                       f"CASE-{digits(r, 6)}", f"R{digits(r, 9)}", f"{digits(r, 4)}-{letters(r, 2)}-{digits(r, 4)}"]), "ID")]


# ---- PHI-free trap slots (never labelled) ----------------------------------------------------------------

def f_drug(r, v, arg):
    d = r.choice(v.drugs)
    return [(d.upper() if arg == "up" else d, None)]


def f_epo(r, v, arg):
    return [(r.choice(v.eponyms), None)]


def f_num(r, v, arg):
    if arg == "pain":
        return [(str(r.randint(0, 10)), None)]
    if arg == "k":
        return [(f"{r.randint(2, 6)}.{r.randint(0, 9)}", None)]
    return [(str(r.randint(2, 88)), None)]


FILLERS6 = {
    "nm": f_nm, "dd": f_dd, "bd": f_bd, "rel": f_rel, "ag": f_ag, "ph": f_ph, "em": f_em, "ur": f_ur, "ip": f_ip,
    "st": f_st, "ct": f_ct, "zp": f_zp, "addr": f_addr, "fc": f_fc, "mr": f_mr, "sn": f_sn, "ac": f_ac,
    "hp": f_hp, "li": f_li, "vh": f_vh, "dv": f_dv, "ix": f_ix, "drug": f_drug, "epo": f_epo, "num": f_num,
}

# ---- Templates -------------------------------------------------------------------------------------------

HELDOUT6 = [
    # patient-portal threads with quoted replies
    "Hi {nm:first},\nThe swelling is worse since {rel}. Should I come in?\n{nm:full}\n\n> On {dd:quote} at 9:14 AM, {nm:full} <{em:work}> wrote:\n> Please keep the leg elevated.",
    "RE: RE: refill question\nThanks so much, Dr. {nm:last}! My pharmacy is in {ct}.\n>> {nm:mid}, MSN, RN wrote on {dd:full}: Your refill was sent.",
    "Portal message from {nm} (MRN {mr}) {dd:ts}: \"my mom {nm:first} is {ag} and cant get to the phone, pls call {ph}\"",
    # ED triage one-liners
    "TRIAGE {dd:ts}: {ag} yo F BIBA from {fc:snf} c/o SOB; daughter {nm:full} en route, {ph}.",
    "Arrived by private car, driven by neighbor {nm:full}; triaged by RN {nm} to Pod C.",
    "Triage note: pt {nm:lfm}, DOB {bd}, walked in from {st}; ESI 3.",
    # MAR comments
    "MAR comment: 0900 metoprolol held for HR 48, Dr. {nm:last} aware, per {nm:three}.",
    "Hydromorphone 0.5 mg wasted, witnessed by {nm:full}, RN; co-signed {nm:three} {dd:ts}.",
    "Dose given late (pt off unit to IR); relieved {nm:first} at 7 and gave it at 0815.",
    # wound care
    "WOUND CARE {dd:full}: stage 3 sacral PI, 4.1 x 3.0 cm; photos uploaded by {nm:full}, BSN, RN, CWOCN.",
    "Wound VAC serial {dv} placed {rel}; supplies ordered from {fc:clinic}, fax {ph:fax}.",
    "Dressing changed; spouse {nm} taught the technique and will repeat at home, {addr}.",
    # anaesthesia pre-op
    "ANESTHESIA PRE-OP {dd:full}\nPatient: {nm:lf}   Age: {ag}   Mallampati II\nAnesthesiologist: {nm:full}, MD   CRNA: {nm:full}",
    "Pre-op call placed to {nm:first} at {ph}; NPO after midnight reviewed; husband {nm:first} will drive.",
    "Hx of malignant hyperthermia in cousin ({nm}, {ct}); dantrolene available per {nm:inie}.",
    # code / rapid response
    "RAPID RESPONSE {dd:ts}. Responders: {nm:full} (RRT RN), Dr. {nm:last} (ICU), {nm:full}, RT; pharmacist {nm:first}.",
    "Code Blue called in 4 East; compressions by {nm:first} and {nm:first}, airway {nm:ini}, recorder {nm}.",
    "ROSC at 0342; handed off to {nm:first} ({nm:last}) in the ICU; family ({nm:full}) notified at {ph}.",
    # transfusion consent
    "Transfusion consent signed {dd:full} by patient's son and HCP, {nm:full}; witnessed by {nm}, RN.",
    "Blood bank: unit {ix} issued to {nm:lfm} ({mr}) at {dd:ts}, verified by {nm:three} and {nm:three}.",
    # interpreter logs
    "Interpreter log: {nm:full}, Amharic, badge {ix}, {dd:ts}, 22 min, by video.",
    "Spoke with wife via phone interpreter (ID {ix}); her name is {nm:full}, she is {ag:w}.",
    # bed board / transfer centre
    "BED BOARD: 6W-12 clean; {nm:last}, {nm:first} from ED to 6W, RN {nm:first}, ETA 1400.",
    "Transfer center: call from {nm} at {fc} ({ph}) requesting a neuro ICU bed for a {ag} yo; accepted by {nm:inie}.",
    "upper|transfer in: {nm:full} from {fc}, mrn {mr}",
    # CDI queries
    "CDI QUERY to Dr. {nm:full} {dd:full}: please clarify the type of heart failure for encounter {ac}. - {nm}, RN, CCDS",
    "Hi Dr. {nm:last}, per {nm:first}'s note on {dd:md}, is the anemia acute blood loss? Thanks, {nm:first}",
    # utilisation review
    "UR: inpatient criteria met per InterQual {dd:full}; reviewer {nm:mid}; payer ref {ix}; member ID {hp}.",
    "Peer-to-peer scheduled with the plan's medical director, Dr. {nm:full}, {dd:ts}, at {ph}.",
    # excuse letters
    "To Whom It May Concern: {nm:full} was seen at {fc:clinic} on {dd:full} and may return to school on {dd:md}.",
    "Please excuse {nm} from work {rel} through {dd:md}. Sincerely, {nm:full}, PA-C",
    # DME orders
    "DME ORDER: hospital bed and Hoyer lift for {nm:full}, {addr}; vendor {fc:clinic}, phone {ph}, fax {ph:fax}.",
    "Walker delivered to {st}; signed for by grandson {nm} on {dd:md}. Order {ix}.",
    # home oxygen
    "HOME OXYGEN CERTIFICATE\nBeneficiary: {nm:lf}   Medicare ID: {hp}\nSpO2 86% RA on {dd:full}\nPhysician: {nm:mid}, NPI {li:npi}",
    "Concentrator {dv} and portable tank set up at pt's home in {ct} by {nm:full} ({fc:clinic}).",
    # research consent
    "Research consent for study {ix:study} obtained {dd:full} by {nm:full}, CRC; LAR {nm} signed.",
    "Subject {nm:three} (screening # {ix}) randomised {rel}; PI {nm:full} notified by e-mail {em:work}.",
    # tumour board
    "TUMOR BOARD {dd:full}: 1) {nm:lf}, {ag}, NSCLC - Dr. {nm:last}; 2) {nm:lf}, rectal ca - Dr. {nm:last}.",
    "Presented by {nm:full} (fellow); path reviewed by {nm}; radiology {nm:inie}.",
    # peer review
    "Peer review case {ix}: care by {nm:full}, MD on {dd:full} at {fc}; reviewer {nm:full}, DO. Confidential.",
    # grievance letters
    "Dear Patient Relations,\nMy father, {nm}, was left in the hallway at {fc} on {dd:full}. Nurse {nm:first} was rude.\n{nm:full}\n{addr}\n{em}",
    "Grievance {ix} received by phone from {nm:full} ({ph}); assigned to {nm}, patient advocate.",
    # court-ordered holds
    "Court order {ix} signed by Judge {nm:full} on {dd:full}: 72-hour hold for {nm:lfm} at {fc:snf}.",
    "Petitioner: {nm:full} (sister), {addr}. Hearing {dd:ts}, Dept. 9.",
    # coroner calls
    "Coroner notified {dd:ts}; spoke with investigator {nm} (case {ix}), who released the body to {fc:clinic}.",
    "Deceased {nm:full}, {ag}, of {ct}; next of kin {nm:full} reached at {ph}.",
    # nursing-home transfer forms
    "INTERFACILITY TRANSFER FORM\nResident: {nm:upper}   DOB: {bd:old}   SSN: {sn}\nFrom: {fc:snf}, {addr}\nPOA: {nm} {ph}",
    "Resident is {ag:w}, DNR; belongings (hearing aids, dentures) sent with EMS; report called to {nm:first}.",
    # dialysis run sheets
    "DIALYSIS RUN {dd:full}: machine {dv}, access L AVF; run by {nm:full}, CCHT; nephrologist {nm:inie}.",
    "Chair 4 at {fc:clinic}; transported by {nm:full}'s van (plate {vh}); rides with wife {nm:first}.",
    # newborn nursery
    "NEWBORN: Baby Boy {nm:last}, born {dd:ts}, 3.4 kg. Mother {nm} (G2P2), father {nm:full}; MRN {mr}.",
    "Nursery: infant's hearing screen passed; pediatrician {nm:full} at {fc:clinic}; mom {nm:first}'s cell {ph}.",
    "Circumcision consent signed by father, {nm}, {rel}.",
    # obituary-tone family notes
    "{nm:full}, {ag}, of {ct}, died peacefully on {dd:full}, surrounded by her daughters {nm:first} and {nm:first}.",
    "Preceded in death by her husband {nm:full}; memorial at the home of {nm}, {addr}.",
    # clinician-to-assistant chat
    "Can you summarize the labs for {nm:full}?",
    "lower|can u pull {nm:full}'s last echo and the {dd:md} cxr",
    "Draft a letter to {nm} at {addr} explaining the {dd:md} results.",
    "What was {nm:first}'s potassium on {dd:part}? Her son {nm:first} asked.",
    "lower|summarize the note {nm:three} wrote for {nm:full} in room 5",
    # names in many positions
    "{nm:full} relieved {nm:first} at 7; {nm:first} handed off to {nm} at 1900.",
    "The charge nurse, {nm:full}, noted the fall at {dd:ts}.",
    "Family meeting (wife {nm:first}, son {nm:full}, Rev. {nm:last}) held {dd:wkd}.",
    "{nm:wf}, the pt's neighbor, has a key; {nm:wg} from church brings meals.",
    "Staff: {nm}, MSN, RN; RN {nm:full}; {nm:full} RN; {nm:ini}, LPN.",
    "Per {nm:three}: daughter {nm:part} is the HCP.",
    "upper|{nm:lfm}",
    "Pt's caregiver ({nm}) lives at {addr}.",
    # identifiers in new settings
    "Work excuse portal link: {ur} (from {ip}).",
    "Vehicle in ED lot: VIN {vh:vin}, tag {vh}; owner {nm:full}.",
    "Guarantor {nm:full}, SSN {sn}, acct {ac}; secondary plan {hp}.",
    "Prescriber license {li}, NPI {li:npi}; DEA on file.",
    "Pt is a {ag}-year-old who says she was born in {dd:byear} in {ct}.",
]

TUNE6 = [
    "Hello {nm:first} - yes, please come to the {fc:clinic} walk-in today.\n-- {nm}, LPN\n\n> {dd:quote}, {nm:full} wrote:\n> is it ok to take {nm:first}'s inhaler?",
    "lower|portal: hi dr {nm:last} its {nm:first} again, fever since {dd:md}",
    "TRIAGE: {ag}M, fall at home ({st}), on Eliquis; wife {nm:first} at bedside; triage RN {nm:three}.",
    "Walk-in {dd:ts}; brought by coworker {nm:full} from the plant in {ct}.",
    "MAR: insulin refused x2; educated by {nm}, RN; Dr. {nm:last} paged.",
    "Given PRN oxycodone 5 mg per {nm:first}; reassessed by {nm:ini} at 1130.",
    "Wound: L heel unstageable; WOC RN {nm:full} to follow {dd:wkd}; daughter {nm:first} updated.",
    "PRE-ANESTHESIA EVAL: {nm:lf}, {ag} y/o, ASA 3; airway by {nm:full}, CRNA, {dd:full}.",
    "Code called {dd:ts}: team leader Dr. {nm}; CPR by {nm:first}, {nm:first}; meds by {nm:full}, PharmD.",
    "Blood consent on chart, signed {dd:md} by {nm:full}; 2 units PRBC issued (unit {ix}).",
    "Interpreter {nm} (Hmong, #{ix}) present for the whole visit {dd:full}.",
    "BED REQUEST: {nm:lf} to tele, MRN {mr}; accepting {nm:full}; transport by {nm:first}.",
    "Transfer call from {fc} ({ph}), Dr. {nm:full} calling about a {ag}-year-old with a bleed.",
    "Query: Dr. {nm:last}, the {dd:full} note documents 'sepsis' - please add the source. {nm}, CDS",
    "UR note: continued stay denied by {nm:full} (payer), auth {ix}, member {hp}.",
    "School note: {nm:full} may return to class {dd:md}; excused {rel}. - {nm}, MD, {fc:clinic}",
    "DME: rollator for {nm:full}, {addr}; vendor fax {ph:fax}.",
    "O2 cert: {nm:full}, 2 L NC, qualifying test {dd:full}; ordering NPI {li:npi}.",
    "Consent for {ix:study}: subject {nm} signed {dd:full}; witness {nm:full}.",
    "Tumor conference: {nm:last}, {nm:first} ({ag}) - pancreas - presented by {nm:inie}.",
    "Peer review {ix}: physician {nm:full}; reviewing {nm}; event {dd:full}.",
    "Complaint from {nm:full}, {em}, regarding billing on {dd:full}; acct {ac}.",
    "Emergency custody order for {nm:full} issued {dd:ts} by Magistrate {nm:last}.",
    "ME call: investigator {nm} accepted jurisdiction (case {ix}); family {nm:full}, {ph}.",
    "NH transfer: resident {nm:upper}, {ag}, from {fc:snf}; POA {nm:full} at {ph}.",
    "HD run: {nm}, machine {dv}, tx by {nm:first}; next run {dd:wkd}.",
    "Newborn female {nm:last}, born {dd:ts} to {nm:full} and {nm:full}; peds {nm:inie}.",
    "{nm} of {ct} passed away {dd:full} at {ag:w}; survived by son {nm:full}.",
    "Please summarize the last three notes on {nm:full}.",
    "lower|whats the inr trend for {nm} since {dd:md}",
    "{nm:full} handed off to {nm:first}; {nm:first} relieved {nm:full} at 3.",
    "The sitter, {nm}, reported the pt was calm.",
    "{nm:wf} and {nm:wg} visited; {nm:part} called from {ct}.",
    "upper|resident: {nm:lfm}  room 12",
    "Home: {addr}. Phone {ph}. E-mail {em}.",
    "SSN {sn}; DL {li}; plate {vh}; VIN {vh:vin}.",
    "Device {dv} logged from {ip}; link {ur}.",
    "At {ag} she is the oldest on the unit; born {bd:old}.",
]
assert len(set(HELDOUT6)) == len(HELDOUT6) and len(set(TUNE6)) == len(TUNE6)

# PHI-free templates with traps (slots fill unlabelled words).
HELDOUT6_CLEAN = [
    "Braden 14; turned q2h. {drug} held per protocol.",
    "{epo} sign negative; continue {drug} and {drug}.",
    "Grace period for the formulary exception ends soon; switch to {drug}.",
    "Will resume {drug} after the {epo} workup; pain {num:pain}/10 controlled.",
    "upper|{drug} {num} mg iv given, no reaction",
    "Patient may shower after {num} h; Mepilex over the sacrum, Foley out.",
    "Justice system involvement denied; Strong family support reported; {drug} adherence good.",
    "Glasgow 15, {epo} negative, {drug} infusing.",
    "Hope to wean {drug} tomorrow; faith-based support declined; King-Devick test normal.",
    "lower|pls hold {drug} tonight, K is {num:k}",
]
TUNE6_CLEAN = [
    "{drug} started; {epo} test equivocal.",
    "Little change overnight after {drug}; Young's modulus discussion deferred.",
    "Major bleeding risk low; continue {drug}.",
    "lower|{drug} due at {num}, pt asleep",
    "Rich diet counselling done ({num} min); Short stay unit for observation.",
]
assert len(set(HELDOUT6_CLEAN)) == len(HELDOUT6_CLEAN) and len(set(TUNE6_CLEAN)) == len(TUNE6_CLEAN)

TYPES6 = {"NAME", "DATE", "AGE", "PHONE", "FAX", "EMAIL", "URL", "IP", "SSN", "MRN", "HEALTH_PLAN", "ACCOUNT",
          "LICENSE", "VEHICLE", "DEVICE", "ID", "STREET_ADDRESS", "CITY", "ZIP", "HOSPITAL"}


def build(part, templates, clean, seed, per, per_clean):
    r = random.Random(seed)
    v = Vocab6(part)
    out, seen = [], set()
    jobs = [(i, t, per) for i, t in enumerate(templates)] + [(len(templates) + i, t, per_clean) for i, t in enumerate(clean)]
    for tid, t, n in jobs:
        for _ in range(n):
            text, spans = engine.render(t, FILLERS6, r, v)
            if text in seen:  # a duplicate sentence adds nothing
                continue
            seen.add(text)
            for s in spans:
                assert s["value"] == text[s["start"]:s["end"]], (s, text)
                assert s["value"] and s["value"].strip() == s["value"], (s, text)
                assert s["type"] in TYPES6, s
            if tid >= len(templates):
                assert not spans, text
            out.append({"part": part, "template_id": tid, "text": text, "spans": spans})
    r.shuffle(out)
    return [{"id": i, **x} for i, x in enumerate(out)]


def stats(records):
    spans = [s for x in records for s in x["spans"]]
    names = sum(s["type"] == "NAME" for s in spans)
    empty = sum(not x["spans"] for x in records)
    types = {s["type"] for s in spans}
    return names / len(spans), empty / len(records), types


def _low(words):
    return {w.lower() for w in words}


def check():
    assert not (set(HELDOUT6) | set(HELDOUT6_CLEAN)) & (set(TUNE6) | set(TUNE6_CLEAN)), "template in both parts"
    a, b = Vocab6(HELD), Vocab6(TUNE)
    for key in vars(a):
        both = set(getattr(a, key)) & set(getattr(b, key))
        assert not both, f"{key} in both parts: {both}"
    # No word of one part anywhere in the other part's word lists (e.g. a given name used as a family name).
    wa = set().union(*[_low(x) for x in vars(a).values()])
    wb = set().union(*[_low(x) for x in vars(b).values()])
    assert not wa & wb, f"words in both parts: {sorted(wa & wb)}"
    import gen4
    import gen5
    import vocab
    earlier = _low(gen4.GIVEN) | _low(gen4.FAMILY) | _low(gen4.PARTICLE_FAMILY) | _low(vocab.WORD_GIVEN)
    earlier |= _low(vocab.SAINTS) | _low(gen5.GIVEN) | _low(gen5.WORD_GIVEN) | _low(gen5.NICKS)
    earlier |= _low(gen5.FAMILY) | _low(gen5.PARTICLE_FAMILY) | _low(gen5.SAINTS5)
    for given, family in vocab.CULTURES.values():
        earlier |= _low(given) | _low(family)
    mine = _low(GIVEN6) | _low(WORD_GIVEN6) | _low(WORD_FAMILY6) | _low(FAMILY6) | _low(PARTICLE6) | _low(SAINTS6)
    assert not mine & earlier, f"names in earlier lists: {sorted(mine & earlier)}"
    towns = _low(gen4.CITIES) | _low(gen5.CITIES) | {c.split("|")[0].lower() for c in vocab.CITIES}
    assert not _low(CITIES6) & towns, f"towns in earlier lists: {sorted(_low(CITIES6) & towns)}"
    streets = _low(gen4.STREET_WORDS) | _low(gen5.STREET_WORDS) | _low(vocab.STREETS)
    assert not _low(STREET6) & streets, f"streets in earlier lists: {sorted(_low(STREET6) & streets)}"
    fac = _low(gen4.FAC_WORDS) | _low(gen5.FAC_WORDS) | _low(vocab.HOSPITAL_WORDS)
    assert not _low(FAC6) & fac, f"facility words in earlier lists: {sorted(_low(FAC6) & fac)}"
    doms = _low(gen4.DOMAINS) | _low(gen5.DOMAINS) | _low(vocab.EMAIL_DOMAINS)
    assert not _low(DOMAINS6) & doms, f"domains in earlier lists: {sorted(_low(DOMAINS6) & doms)}"
    webs = _low(gen4.WEB) | _low(gen5.WEB) | _low(vocab.WEB_WORDS)
    assert not _low(WEB6) & webs, f"web names in earlier lists: {sorted(_low(WEB6) & webs)}"
    mine_t = set(HELDOUT6) | set(TUNE6) | set(HELDOUT6_CLEAN) | set(TUNE6_CLEAN)
    earlier_t = set(gen4.HELDOUT4) | set(gen4.TUNE4) | set(gen5.HELDOUT5) | set(gen5.TUNE5)
    assert not mine_t & earlier_t, "template of gen4/gen5 used again"
    import importlib
    for name in ("heldout", "heldout2", "heldout3", "tune", "tune2", "tune3"):
        try:
            m = importlib.import_module(name)
        except ImportError:  # the second and third generations need Faker; skipped without it
            continue
        assert not mine_t & set(m.TEMPLATES), f"template of {name} used again"


def main():
    check()
    held = build(HELD, HELDOUT6, HELDOUT6_CLEAN, 60613, 13, 9)
    tune = build(TUNE, TUNE6, TUNE6_CLEAN, 31606, 15, 11)
    for recs in (held, tune):
        names, empty, types = stats(recs)
        assert names >= 0.40, names
        assert 0.06 <= empty <= 0.11, empty
        assert types == TYPES6, TYPES6 - types
    engine.write_jsonl(os.path.join(HERE, "heldout6.jsonl"), held)
    engine.write_jsonl(os.path.join(HERE, "tune6.jsonl"), tune)
    for name, recs in (("heldout6", held), ("tune6", tune)):
        names, empty, _ = stats(recs)
        print(f"{name}: {len(recs)} sentences, {sum(len(x['spans']) for x in recs)} spans, "
              f"NAME {names:.0%}, PHI-free {empty:.1%}")


if __name__ == "__main__":
    main()
