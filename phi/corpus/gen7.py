#!/usr/bin/env python3
"""Seventh generation of Ward's labelled PHI corpora: ``heldout7`` only.

Self-contained (no Faker), written without reading the detector's source,
its data files or its benchmark notes, to measure how the detector
generalises to phrasings nobody tuned for. There is no tuning part: every
list entry and template goes to ``heldout7``. Its own word lists, written
forms and templates, rendered by engine.py.

* Words: ``check()`` asserts that no name (given, word-name, nickname,
  family, particle), saint, town, street word, facility word or e-mail
  domain is in an earlier generation's lists (gen6.py, gen5.py, gen4.py,
  vocab.py), compared case-insensitively, and that no template is in an
  earlier generation.
* Styles: problem-oriented progress notes with inline family history,
  nursing shift narratives, social-history paragraphs, medication
  reconciliation with prescribers, radiology comparisons with outside
  studies, discharge follow-up appointments, phone encounters,
  care-coordination e-mails, patient portal messages in lower case with
  typos, requests to the assistant ("draft a letter to ..."), handoff lists,
  addenda and late entries, consent/capacity and legal notes, release of
  information, DMV medical reports, device interrogations, genetic
  counselling pedigrees, advance directives, transport bookings, billing
  disputes, proxy access; ~8 % PHI-free sentences with traps (eponyms,
  brand names, capitalised clinical words, words that are names here).
* Labels (README conventions): titles and credentials outside names; a
  possessive "'s" outside; "Last, First" one span; nicknames in quotes are
  their own NAME span without the quotes; ages over 89 only the number or
  number words; a time right after a date belongs to it ("3/18 @ 1506"
  is one span), "at 10:30 AM" after a date does not; a month and year
  ("since March 2016") is one span; a day alone ("the 14th") is "14th"; "MRN", "acct", "S/N" labels
  outside the identifier; a unit is part of the street address; room and
  bed numbers are not PHI.

    python3 phi/corpus/gen7.py
"""

import os
import random
import string
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import engine  # noqa: E402

MONTHS7 = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
MON7 = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONP7 = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
WKD7 = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
STATES7 = ["AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
           "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND",
           "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY"]

# ---- Words (all to heldout7; none in an earlier generation, checked) ----------------------------------

GIVEN7 = [
    'Brayden', 'Kaylee', 'Dustin', 'Tammy', 'Sherri', 'Trevon', 'Clifton', 'Earlene', 'Cletus', 'Bobbie',
    'Loretta', 'Wanda', 'Randall', 'Duane', 'Kurt', 'Garrett', 'Colby', 'Ryder', 'Paisley', 'Brynlee', 'Oaklynn',
    'Kinsley', 'Huxley', 'Nakoma', 'Dezba', 'Hakan', 'Burak', 'Ozan', 'Melike', 'Abdirahman', 'Faisa', 'Nadifa',
    'Wideline', 'Jean-Baptiste', 'Fabienne', 'Guerline', 'Mackenson', 'Widlyn', 'Joaquim', 'Rafaela', 'Leonor',
    'Bartosz', 'Przemysław', 'Aminu', 'Hauwa', 'Lorna', 'Jericho', 'Lualhati', 'Jun-ho', 'Hyunwoo', 'Lianhua',
    'Huiling', 'Ryota', 'Hemal', 'Jignesh', 'Bhavna', 'Sourav', 'Arpita', 'Debjani', 'Sravani', 'Nagaraju', 'Omid',
    'Panagiota', 'Aram', 'Losa', 'Pa-Nhia', 'Xee', 'Kou', 'Mendel', 'Anneke', 'Margarethe', 'Théo', 'Solène',
    'Itziar', 'Íñigo', 'Begoña', 'Xóchitl', 'Marisela', 'Anabel', 'Reynaldo', 'Agapito', 'Zenaida', 'Tiffani',
    'Shawnda', 'LaKeisha', 'Rayshawn', 'Tavion', 'Kendrick', 'Cornelius', 'Ezekiel', 'Winifred', 'Hazel-Mae',
    'Alvin', 'Dwayne', 'Lonnie', 'Royce', 'Merle', 'Ione', 'Gertie', 'Babatunde', 'Damilola', 'Farzana', 'Asif',
    'Shabnam', 'Hamid', 'Zubair', 'Gulalai', 'Wahid', 'Palwasha', 'Anh-Thu', 'Long-Bao', 'Bich', 'Dara', 'Boonmee',
    'Nattaya', 'Pratima', 'Bishnu', 'Dawa', 'Pemba', 'Tenzin', 'Sonam', 'Tsering', 'Ariunaa', 'Bat-Erdene',
    'Oyunbileg', 'Anatoliy', 'Vasyl', 'Zinaida', 'Snežana', 'Radu', 'Ioana', 'Cosmin', 'Ferenc', 'Katalin',
    'Gyula', 'Zdenka', 'Torbjörn', 'Eskil', 'Mette', 'Liv', 'Hjalmar', 'Eoghan', 'Mairead', 'Fergal',
]
WORD_GIVEN7 = [
    'Trinity', 'Buck', 'Colt', 'Stormy', 'Candy', 'Sparrow', 'Holiday', 'Halo', 'Mercy-Ann', 'Cricket', 'Penny',
    'Chastity', 'Felicity', 'Modesty', 'Amity', 'Sincere', 'Promise', 'Heaven', 'Genesis', 'Juniper', 'Saffron',
    'Meadow', 'Willow',
]
NICK7 = [
    'Junior', 'Sissy', 'Dottie', 'Peggy', 'Chuck', 'Hank', 'Lulu', 'Pepe', 'Chucho', 'Moe', 'Sonny', 'Boo',
    'Tootie', 'Red', 'Doc', 'Bud', 'Pee-Wee', 'Butch', 'Babs', 'Cookie', 'Smitty',
]
FAMILY7 = [
    'Holloway', 'Pruitt', 'Crenshaw', 'Tillman', 'Hatfield', 'McCoy', 'Boggs', 'Pickett', 'Dillard', 'Blevins',
    'Stricklin', 'Puckett', 'Yarbrough', 'Tidwell', 'Jernigan', 'Beasley', 'Mayfield', 'Rutledge', 'Honeycutt',
    'Haskins', 'Nowakowski', 'Szymańska', 'Abubakar', 'Danjuma', 'Naidu', 'Nassar', 'Rezaei', 'Dualeh',
    'Pierre-Louis', 'Jean-Charles', 'Desrosiers', 'Rodrigues', 'Hovsepyan', 'Sargsyan', 'Begaye', 'Moua',
    'Rosenthal', 'Schmitt', 'Lefèvre', 'Aguirre', 'Castañeda', 'Zúñiga', 'Sangaré', 'Rahimi', 'Popal', 'Karimi',
    'Trinh', 'Wongsawat', 'Lama', 'Sherpa', 'Ganbaatar', 'Horváth', 'Mikkelsen', 'Stubblefield', 'Ledbetter',
    'Applewhite', 'Winslow', 'Rockwell', 'Sutherland', 'Kingsbury', 'Thornbury', 'Satterfield', 'Threlkeld',
    'Vanderpool', 'Wigglesworth', 'Culpepper', 'Dunaway', 'Gaskins', 'Fortenberry', 'Hinojosa', 'Arredondo',
    'Cisneros', 'Lozoya', 'Olivarez', 'Zamarripa', 'Szczepański', 'Wróblewski', 'Jabłońska', 'Kaczmarek',
    'Piotrowski', 'Grabowski', 'Obiora', 'Olawale', 'Quaye', 'Tetteh', 'Kuffour', 'Sylla', 'Ouédraogo', 'Kaboré',
    'Zongo', 'Sawadogo', 'Osman', 'Yusuf', 'Egal', 'Samatar', 'Ayele', 'Getachew', 'Sakamoto', 'Maeda', 'Cheng',
    'Ye', 'Su', 'Ding', 'Shen', 'Yao', 'Cui', 'Kapadia', 'Trivedi', 'Pandya', 'Bhatt', 'Vyas', 'Parikh', 'Kothari',
    'Thakkar', 'Dasgupta', 'Ganguly', 'Bose', 'Sarkar', 'Mitra', 'Majumdar', 'Kurian', 'Varghese', 'Chacko',
    'Bhandari', 'Adhikari', 'Karki', 'Limbu', 'Bhattarai', 'Poudel', 'Acharya', 'Sapkota', 'Abboud', 'Azar',
    'Bitar', 'Daher', 'Fakhoury', 'Jaber', 'Kassab', 'Maalouf', 'Rizk', 'Tannous', 'Zogby', 'Shariati', 'Ghorbani',
    'Bagheri', 'Nouri', 'Heidari', 'Koç', 'Özdemir', 'Polat', 'Mauga', 'Leota', 'Fuimaono', 'Tauiliili', 'Seumalo',
    'Kamakau', 'Vue', 'Kue', 'Tsinajinnie', 'Hollister', 'Pettigrew', 'Sizemore', 'Spradlin', 'Goforth', 'Caudill',
    'Slone', 'Napier', 'Gilley',
]
WORD_FAMILY7 = [
    'Pond', 'Rains', 'Gold', 'Silver', 'Sterling-Hall', 'Fowler', 'Archer', 'Farmer', 'Goodman', 'Keen', 'Pope',
    'Castle', 'Tower', 'Cross', 'Street-Banks', 'Strongbow', 'Goodwin',
]
PARTICLE7 = [
    'de la Garza', "D'Amato", 'Al-Rashid', 'bin Salleh', 'von Hagen', 'Della Rocca', 'van Houten', 'du Plessis',
    'de Oliveira', 'Abu Zaid', 'Mc Nally', "De'Ath",
]
SAINTS7 = [
    'Gertrude', 'Ambrose', 'Camillus', 'Cyril', 'Bridget', 'Anselm', 'Crispin', 'Florian', 'Hubert', 'Isidore',
    'Lucian', 'Maximilian', 'Norbert', 'Pius', 'Sebastian', 'Ursula', 'Zita', 'Aloysius', 'Cajetan', 'Dymphna',
    'Finbar', 'Odile', 'Polycarp',
]
CITIES7 = [
    'Alpine', 'Hickory', 'Asheboro', 'Johnstown', 'Nampa', 'Needles', 'Borger', 'Woodward', 'Watertown',
    'Ogallala', 'Valentine', 'Chamberlain', 'Mobridge', 'Crookston', 'Grand Marais', 'Eufaula', 'Thomasville',
    'Toccoa', 'Gaffney', 'Laurens', 'Lumberton', 'Ahoskie', 'South Hill', 'Elkins', 'Buckhannon', 'Lewisburg',
    'Williamson', 'Maysville', 'Morehead', 'Middlesboro', 'Harlan', 'Jellico', 'Crossville', 'Warsaw', 'Goshen',
    'Angola', 'Defiance', 'Bellefontaine', 'Millersburg', 'Ironton', 'Coudersport', 'Wellsboro', 'Lock Haven',
    'Huntingdon', 'Uniontown', 'Waynesburg', 'Kittanning', 'Clarion', 'Oil City', 'Wellsville', 'Cobleskill',
    'Lowville', 'Saranac Lake', 'Ticonderoga', 'Middlebury', 'Littleton', 'Ellsworth', 'Winsted',
]
STREET7 = [
    'Foundry', 'Buckboard', 'Silo', 'Corncrib', 'Turkey Foot', 'Possum Trot', 'Indian Paintbrush', 'Tansy',
    'Bergamot', 'Coneflower', 'Milkweed', 'Bulrush', 'Sedge', 'Bobolink', 'Tanager', 'Grosbeak', 'Nuthatch',
    'Chickadee', 'Scuppernong', 'Mulberry Bend', 'Depot', 'Rail Spur', 'Tin Cup', 'Gold Dust', 'Nugget',
    'Prospector', 'Tumbleweed', 'Ocotillo', 'Cholla', 'Yucca', 'Ironweed', 'Jewelweed', 'Trillium', 'Hepatica',
    'Toadflax', 'Smartweed', 'Sorrel', 'Purslane', 'Horsemint', 'Pennyroyal', 'Blue Flag', 'Joe Pye', 'Boneset',
    'Wild Ginger', 'Horsetail',
]
FAC7 = [
    'Big Sky', 'Prairie Lakes', 'Low Country', 'Cumberland Plateau', 'North Woods', 'Sandhills', 'Panhandle',
    'Four Corners', 'Golden Plains', 'Bluegrass', 'Tidewater', 'Coastal Bend', 'Big Bend', 'Lakeshore',
    'Northland', 'Keystone', 'Granite State', 'Upper Peninsula', 'Canyonlands', 'Seacoast', 'Klamath',
    'Chisholm Trail', 'Great River', 'Twin Rivers', 'Flathead', 'Teton', 'Wasatch', 'Uinta', 'Sangre de Cristo',
    'Llano Estacado', 'Brazos Valley', 'Pee Dee', 'Catawba', 'Yadkin', 'Chippewa Valley', 'Fox Valley',
    'Loess Hills', 'Thumb Area', 'Lake Country', 'Mid-Columbia', 'Skagit', 'Olympic Peninsula', 'Kenai', 'Mat-Su',
    'Cape Fear', 'Outer Banks', 'Northern Neck', 'Eastern Shore', 'Delmarva', 'Lehigh Valley', 'Mon Valley',
    'Kanawha', 'Tug Valley', 'Pennyrile', 'Acadiana', 'Piney Woods', 'Golden Isles', 'Space Coast',
    'Treasure Coast', 'Nature Coast', 'Emerald Coast',
]
DOMAINS7 = [
    'fastmail.fm', 'inbox.lv', 'wp.pl', 'o2.pl', 'interia.pl', 'daum.net', 'qq.com', '163.com', '126.com',
    'sina.com', 'yandex.ru', 'xtra.co.nz', 'sympatico.ca', 'telus.net', 'videotron.ca', 'ntlworld.com',
    'virginmedia.com', 'free.fr', 'laposte.net', 'wanadoo.fr', 'bluewin.ch', 'gmx.at', 'posteo.de', 'lycos.com',
    'excite.com', 'hotmail.fr', 'outlook.es', 'yahoo.com.mx', 'prodigy.net.mx', 'uol.com.br', 'bol.com.br',
    'terra.com.br',
]

STREET_SUFFIX7 = ["Hollow Rd", "Bend", "Spur", "Point", "Landing", "Path", "Fork Rd", "Ln.", "Dr", "Street", "Ave.",
                  "Blvd", "Ct.", "Pkwy", "Hwy", "Way", "Circle", "Cir", "Trl", "Place"]
UNIT7 = ["Apt. 2C", "Apt 14", "Unit 305", "Unit B", "#11", "# 3R", "Suite 210", "Lot 44", "Space 18", "Fl 2",
         "Apt #7", "Ste 4A"]
DRUGS7 = ["Coumadin", "Synthroid", "Norco", "Ativan", "Haldol", "Seroquel", "Lantus", "Toradol", "Zofran", "Protonix",
          "Flomax", "Dilaudid", "Augmentin", "Bactrim", "Cipro", "Depakote", "Lipitor", "Tylenol", "Benadryl",
          "Xanax", "Ambien", "Lovenox", "Cardizem", "Lopressor", "Aldactone", "Trulicity", "Farxiga"]
EPONYMS7 = {  # by the noun that follows them in the trap sentences
    "sign": ["Murphy", "Babinski", "Romberg", "Kernig", "Brudzinski", "Trousseau", "Chvostek", "Homans", "Tinel",
             "Phalen", "Hoffmann's", "Lhermitte"],
    "dz": ["Parkinson", "Alzheimer", "Crohn", "Hodgkin", "Graves'", "Addison", "Wilson", "Paget", "Whipple",
           "Kawasaki", "Lyme", "Huntington"],
    "score": ["Wells", "Child-Pugh", "Ranson", "Bishop", "Mallampati", "CHA2DS2-VASc", "Caprini", "Glasgow-Blatchford",
              "Centor", "Alvarado", "Duke", "Tanner"],
}

FACFORMS7 = ["{w} Medical Center", "{w} Regional Hospital", "{c} Memorial", "{c} Memorial Hospital",
             "St. {s}'s", "Saint {s} Medical Center", "{w} Health", "{c} Hospital", "{w} Surgical Hospital",
             "{w} Behavioral Health", "{c} Area Medical Center", "{w} Cancer Institute", "{w} Heart & Vascular",
             "University of {w} Hospital", "{f} Clinic", "{w} Children's Hospital", "{c} Urgent Care",
             "{w} Imaging", "{c} Rehab Hospital", "{w} Hospice House", "{w} Critical Access Hospital",
             "{c} VA Clinic", "{w} Orthopedics", "{c} Health & Rehabilitation", "The {w} Hospital"]


def digits(r, n):
    return "".join(r.choice(string.digits) for _ in range(n))


def caps(r, n):
    return "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))


def mix(r, n):
    return "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(n))


def ascii_fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if c.isascii() and c.isalnum()).lower() or "x"


# ---- Names -----------------------------------------------------------------------------------------------

def given7(r):
    x = r.random()
    if x < 0.12:
        return r.choice(WORD_GIVEN7)
    return r.choice(GIVEN7)


def family7(r):
    x = r.random()
    if x < 0.14:
        return r.choice(PARTICLE7)
    if x < 0.26:
        return r.choice(WORD_FAMILY7)
    if x < 0.32:
        return f"{r.choice(FAMILY7)}-{r.choice(FAMILY7)}"
    return r.choice(FAMILY7)


def name7(r, style):
    g, f = given7(r), family7(r)
    if style in (None, "any"):
        style = r.choices(["f", "g", "l", "mi", "lf", "cap", "low", "ini", "nick"], [34, 14, 14, 8, 8, 6, 6, 6, 4])[0]
    if style == "f":
        return f"{g} {f}"
    if style == "g":
        return g
    if style == "l":
        return f
    if style == "mi":
        return r.choice([f"{g} {r.choice('ABCDEFGHJKLMNPRSTW')}. {f}", f"{g} {r.choice(GIVEN7)} {f}"])
    if style == "lf":
        return r.choice([f"{f}, {g}", f"{f.upper()}, {g.upper()}", f"{f}, {g} {r.choice('ABCDEJKLMRST')}."])
    if style == "cap":
        return r.choice([f"{g} {f}", f]).upper()
    if style == "low":
        return r.choice([f"{g} {f}", g, f]).lower()
    if style == "ini":  # never ends with a period
        return r.choice([f"{g[0]}. {f}", f"{g[0]}.{r.choice('ABDEJKMRS')}. {f}", f"{g[0]} {f}"])
    if style == "nick":
        return r.choice(NICK7)
    if style == "word":
        return f"{r.choice(WORD_GIVEN7)} {r.choice(FAMILY7 + WORD_FAMILY7)}"
    if style == "wf":
        return f"{r.choice(GIVEN7)} {r.choice(WORD_FAMILY7)}"
    if style == "part":
        return f"{r.choice(GIVEN7)} {r.choice(PARTICLE7)}"
    if style == "hy":
        return f"{g} {r.choice(FAMILY7)}-{r.choice(FAMILY7)}"
    if style == "stf":
        return "".join(r.choice("ABCDEFGHJKLMNPRSTW") for _ in range(r.choice([2, 3, 3])))
    raise ValueError(style)


def s_n(r, arg):
    return [(name7(r, arg), "NAME")]


# ---- Dates -----------------------------------------------------------------------------------------------

def ordinal(n):
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def hhmm(r):
    h, m = r.randint(0, 23), r.randint(0, 59)
    return r.choice([f"{h:02}{m:02}", f"{h:02}:{m:02}", f"{h % 12 or 12}:{m:02}{r.choice(['a', 'p', 'AM', ' PM'])}"])


FULL7 = [
    lambda y, m, d, r: f"{m:02}/{d:02}/{y}",
    lambda y, m, d, r: f"{m}/{d}/{y % 100:02}",
    lambda y, m, d, r: f"{y}-{m:02}-{d:02}",
    lambda y, m, d, r: f"{MONP7[m-1]} {d}, {y}",
    lambda y, m, d, r: f"{MONTHS7[m-1]} {ordinal(d)}, {y}",
    lambda y, m, d, r: f"{ordinal(d)} {MONTHS7[m-1]} {y}",
    lambda y, m, d, r: f"{d:02}{MON7[m-1]}{y}",
    lambda y, m, d, r: f"{m}-{d}-{y % 100:02}",
    lambda y, m, d, r: f"{WKD7[r.randint(0, 6)]}, {MONTHS7[m-1]} {d}, {y}",
    lambda y, m, d, r: f"{y}.{m:02}.{d:02}",
    lambda y, m, d, r: f"{MON7[m-1].upper()} {d:02} {y}",
    lambda y, m, d, r: f"{d} {MONTHS7[m-1]}, {y}",
]
PART7 = [
    lambda y, m, d, r: f"{m}/{d}",
    lambda y, m, d, r: f"{MONTHS7[m-1]} {d}",
    lambda y, m, d, r: f"{MONP7[m-1]} {ordinal(d)}",
    lambda y, m, d, r: f"{MON7[m-1]} {y}",
    lambda y, m, d, r: f"{m:02}/{y}",
    lambda y, m, d, r: f"{WKD7[r.randint(0, 6)]} the {ordinal(d)}",
    lambda y, m, d, r: f"{MONTHS7[m-1]} of {y}",
]
TS7 = [
    lambda y, m, d, r: f"{m:02}/{d:02}/{y} {hhmm(r)}",
    lambda y, m, d, r: f"{y}-{m:02}-{d:02} {r.randint(0, 23):02}:{r.randint(0, 59):02}",
    lambda y, m, d, r: f"{m}/{d} @ {hhmm(r)}",
    lambda y, m, d, r: f"{m}/{d}/{y % 100:02} {hhmm(r)}",
]


def ymd7(r, lo=2016, hi=2026):
    return r.randint(lo, hi), r.randint(1, 12), r.randint(1, 28)


def s_d(r, arg):
    y, m, d = ymd7(r)
    if arg == "full":
        pool = FULL7
    elif arg == "part":
        pool = PART7
    elif arg == "ts":
        pool = TS7
    elif arg == "md":
        pool = PART7[:3]
    elif arg == "year":
        return [(str(r.randint(1968, 2025)), "DATE")]
    elif arg == "month":
        return [(MONTHS7[m - 1], "DATE")]
    elif arg == "my":
        return [(r.choice([f"{MONTHS7[m-1]} {y}", f"{MON7[m-1]} {y}", f"{m}/{y}"]), "DATE")]
    elif arg == "day":
        return [(ordinal(d), "DATE")]
    elif arg == "wk":
        return [(f"{WKD7[r.randint(0, 6)]}, {MON7[m-1]} {d}", "DATE")]
    elif arg == "dob":
        y, m, d = ymd7(r, 1918, 1936)
        pool = FULL7
    elif arg == "born":
        y, m, d = ymd7(r, 1940, 2023)
        pool = FULL7
    else:
        pool = FULL7 + PART7 + TS7
    return [(r.choice(pool)(y, m, d, r), "DATE")]


# ---- Ages over 89 -------------------------------------------------------------------------------------------

ONES7 = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def s_a(r, arg):
    n = r.choice(list(range(90, 100)) * 2 + list(range(100, 109)))
    if arg != "w":
        return [(str(n), "AGE")]
    if n < 100:
        t = "ninety" + ("" if n == 90 else r.choice(["-", " "]) + ONES7[n - 90])
    else:
        t = r.choice(["one hundred", "a hundred"]) + ("" if n == 100 else r.choice([" and ", " "]) + ONES7[n - 100])
    return [(t, "AGE")]


# ---- Contact and places --------------------------------------------------------------------------------------

def s_ph(r, arg):
    a = f"{r.randint(2, 9)}{r.randint(0, 9)}{r.randint(0, 9)}"
    b, c = f"{r.randint(2, 9)}{digits(r, 2)}", digits(r, 4)
    t = r.choice([f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"{a} {b} {c}", f"1 ({a}) {b}-{c}",
                  f"+1 ({a}) {b}-{c}", f"{a}-{b}-{c} x{r.randint(2, 9999)}", f"({a}){b}-{c}", f"1.{a}.{b}.{c}"])
    return [(t, "FAX" if arg == "fax" else "PHONE")]


def s_em(r, arg):
    g, f = ascii_fold(r.choice(GIVEN7)), ascii_fold(r.choice(FAMILY7))
    if arg == "org":
        dom = ascii_fold(r.choice(FAC7)) + r.choice(["health.org", "med.org", "hospital.org", "clinic.com"])
        return [(f"{r.choice([f'{g}.{f}', f'{g[0]}.{f}', f'{f}.{g[0]}', f'{g}{f[0]}'])}@{dom}", "EMAIL")]
    u = r.choice([f"{g}{f}", f"{g}.{f}{r.randint(1, 99)}", f"{f}.family", f"{g}_{r.randint(1950, 2005)}",
                  f"{g[0]}{f}{r.randint(1, 9)}", f"mom.of.{g}", f"{f}{g[0]}"])
    return [(f"{u}@{r.choice(DOMAINS7)}", "EMAIL")]


def s_url(r, arg):
    w = ascii_fold(r.choice(FAC7))
    return [(r.choice([f"https://my.{w}health.org/appt/{digits(r, 8)}", f"www.{w}med.org/billing/pay?acct={digits(r, 7)}",
                       f"https://{w}clinic.com/v/{mix(r, 8).lower()}", f"http://records.{w}health.net/roi/{digits(r, 6)}",
                       f"https://telehealth.{w}.org/room/{ascii_fold(r.choice(FAMILY7))}{digits(r, 3)}"]), "URL")]


def s_ip(r, arg):
    if r.random() < 0.3:
        return [(f"2001:db8:{r.randint(0, 0xffff):x}:{r.randint(0, 0xffff):x}::{r.randint(1, 0xfff):x}", "IP")]
    return [(f"{r.choice([10, 172, 192, 66, 98, 24, 73])}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(2, 254)}", "IP")]


def street7(r, unit):
    x = r.random()
    if x < 0.08:
        return r.choice([f"P.O. Box {r.randint(2, 4999)}", f"HC {r.randint(60, 89)} Box {r.randint(10, 999)}",
                         f"{r.randint(100, 9999)} State Route {r.randint(2, 299)}"])
    t = f"{r.randint(3, 19999)} {r.choice(['', '', '', 'W. ', 'North ', 'NE '])}{r.choice(STREET7)} {r.choice(STREET_SUFFIX7)}"
    if unit == "u" or (unit != "n" and r.random() < 0.35):
        t += r.choice([", ", " "]) + r.choice(UNIT7)
    return t


def s_st(r, arg):
    return [(street7(r, arg), "STREET_ADDRESS")]


def s_city(r, arg):
    c = r.choice(CITIES7)
    return [(c.upper() if arg == "up" else c, "CITY")]


def s_zip(r, arg):
    return [(digits(r, 5) if r.random() < 0.75 else f"{digits(r, 5)}-{digits(r, 4)}", "ZIP")]


def s_addr(r, arg):
    return (s_st(r, arg) + [(r.choice([", ", ", ", " ", " / "]), None)] + s_city(r, None)
            + [(f"{r.choice([', ', ' '])}{r.choice(STATES7)} ", None)] + s_zip(r, None))


def s_hosp(r, arg):
    t = r.choice(FACFORMS7).format(w=r.choice(FAC7), c=r.choice(CITIES7), s=r.choice(SAINTS7), f=r.choice(FAMILY7))
    return [(t.upper() if arg == "up" else t, "HOSPITAL")]


# ---- Identifiers ------------------------------------------------------------------------------------------

def s_mrn(r, arg):
    return [(r.choice([digits(r, 8), f"{digits(r, 2)}-{digits(r, 3)}-{digits(r, 3)}", f"M{digits(r, 7)}",
                       f"00{digits(r, 7)}", f"{caps(r, 2)}{digits(r, 6)}"]), "MRN")]


def s_ssn(r, arg):
    a, b, c = r.randint(101, 699), r.randint(10, 99), r.randint(1000, 9999)
    return [(r.choice([f"{a}-{b}-{c}", f"{a} {b} {c}", f"{a}{b}{c}"]), "SSN")]


def s_hp(r, arg):
    return [(r.choice([f"{caps(r, 3)}{digits(r, 8)}", f"{digits(r, 9)}{caps(r, 1)}", f"{caps(r, 1)}{digits(r, 8)}-0{r.randint(1, 4)}",
                       f"{r.randint(1, 9)}{caps(r, 1)}{mix(r, 2)}-{mix(r, 3)}-{mix(r, 4)}", f"ZG{digits(r, 10)}"]), "HEALTH_PLAN")]


def s_acct(r, arg):
    return [(r.choice([digits(r, 9), f"{digits(r, 4)}-{digits(r, 6)}", f"A{digits(r, 8)}", f"{digits(r, 12)}",
                       f"GT{digits(r, 7)}"]), "ACCOUNT")]


def s_lic(r, arg):
    if arg == "dea":
        return [(f"{r.choice('ABFM')}{caps(r, 1)}{digits(r, 7)}", "LICENSE")]
    if arg == "dl":
        return [(r.choice([f"{caps(r, 1)}{digits(r, 8)}", f"{digits(r, 9)}", f"{caps(r, 1)}{digits(r, 3)}-{digits(r, 3)}-{digits(r, 2)}-{digits(r, 3)}-0"]), "LICENSE")]
    return [(r.choice([f"{r.choice(['MD', 'DO', 'RN', 'PA'])}{digits(r, 6)}", f"{caps(r, 2)} {digits(r, 5)}",
                       f"{digits(r, 2)}-{digits(r, 6)}", f"1{digits(r, 9)}"]), "LICENSE")]


def s_veh(r, arg):
    if arg == "vin":
        return [(f"{r.choice('1245J')}{mix(r, 7)}{r.choice('0123456789X')}{mix(r, 8)}", "VEHICLE")]
    return [(r.choice([f"{caps(r, 3)}-{digits(r, 4)}", f"{digits(r, 1)}{caps(r, 2)}{digits(r, 4)}", f"{caps(r, 2)} {digits(r, 3)}{caps(r, 1)}",
                       f"{digits(r, 3)} {caps(r, 3)}"]), "VEHICLE")]


def s_dev(r, arg):
    return [(r.choice([f"{caps(r, 3)}{digits(r, 6)}{caps(r, 1)}", f"{digits(r, 8)}", f"RNR{digits(r, 6)}",
                       f"{caps(r, 2)}-{digits(r, 4)}-{mix(r, 4)}", f"(01){digits(r, 14)}(17){digits(r, 6)}(21){mix(r, 6)}"]), "DEVICE")]


def s_idn(r, arg):
    return [(r.choice([f"ROI-{digits(r, 6)}", f"{r.randint(2020, 2026)}-{digits(r, 5)}", f"CLM{digits(r, 9)}",
                       f"{caps(r, 3)}{digits(r, 5)}", f"PA-{digits(r, 7)}", f"{digits(r, 2)}-CV-{digits(r, 5)}"]), "ID")]


# ---- Trap slots (never labelled) ------------------------------------------------------------------------

def s_drug(r, arg):
    return [(r.choice(DRUGS7), None)]


def s_epo(r, arg):
    return [(r.choice(EPONYMS7[arg]), None)]


def s_num(r, arg):
    return [(str(r.randint(2, 14)), None)]


def wrap(f):
    return lambda r, v, arg: f(r, arg)


FILLERS7 = {k: wrap(f) for k, f in {
    "n": s_n, "d": s_d, "a": s_a, "ph": s_ph, "em": s_em, "url": s_url, "ip": s_ip, "st": s_st, "city": s_city,
    "zip": s_zip, "addr": s_addr, "hosp": s_hosp, "mrn": s_mrn, "ssn": s_ssn, "hp": s_hp, "acct": s_acct,
    "lic": s_lic, "veh": s_veh, "dev": s_dev, "idn": s_idn, "drug": s_drug, "epo": s_epo, "num": s_num}.items()}


# ---- Templates ---------------------------------------------------------------------------------------------

HELDOUT7 = [
    # problem-oriented progress notes with inline family history
    "#1 Afib, on {drug} -- INR 2.4 today. FHx: father ({n:f}) had a stroke at 71; sister {n:g} on dialysis at {hosp}.",
    "Problem: CKD 4. Seen by nephrology (Dr. {n:l}) on {d:md}; pt's brother {n:g} is being worked up as a donor at {hosp}.",
    "A/P: {a}yo with recurrent falls. Daughter {n:f} present for the visit, lives with pt at {addr}.",
    "HPI per pt and his son {n:mi}: cough x 2 wks, no fever. Last CXR {d:full} at {hosp} was clear.",
    "Family history notable for colon cancer in mother {n:f} (dx {d:year}) and maternal uncle {n:f}.",
    "Interval history: since last visit on {d:full} with Dr. {n:f}, she moved in with her niece in {city}.",
    # nursing narrative shift notes
    "0700-1900: Pt resting comfortably. Husband {n:g} at bedside most of the day, asked that {n:f} (granddaughter) be called with updates at {ph}.",
    "1530 pt's wife {n:f} called the unit asking for Dr. {n:l}; message left on {d:md}. Spouse's cell {ph}.",
    "Received report from {n:f}, RN at 1900. Pt is {a}, alert, oriented x2; daughter-in-law {n:g} stayed overnight.",
    "Night shift: pt pulled at IV x2. Sitter {n:g} at bedside 2300-0700. Charge nurse {n:ini} aware.",
    "Patient ambulated 150 ft with RW and PT ({n:f}, DPT). Son {n:nick} brought clothes from home on {d:wk}.",
    "Shift summary {d:ts}: Foley removed, voided x2. Visitor {n:cap} (nephew) left contact number {ph}.",
    # social history paragraphs
    "SOCIAL HISTORY: Widowed, lives alone at {st:u} in {city}. Her neighbor {n:f} checks in daily. Former schoolteacher, quit smoking in {d:year}.",
    "Lives with partner {n:f} and two children in a trailer on {st}; no running water since {d:month}.",
    "Social: retired coal miner from {city}, {a} years old, drives a truck (plate {veh}) to church on Sundays with his wife {n:g}.",
    "She is {a:w} years old and still gardens; her great-grandson {n:f} helps with groceries twice a week.",
    # med rec with prescribers
    "Home meds reviewed with pharmacy tech {n:f} on {d:full}: {drug} 5 mg daily (Dr. {n:l}), {drug} 20 mg qHS (prescribed by {n:mi}, NP).",
    "Med rec: {drug} -- prescriber {n:lf}, last filled {d:md} at the {city} Walgreens; DEA on bottle {lic:dea}.",
    "Pt brought bottles: {drug} from Dr. {n:f} ({hosp}), {drug} from Dr. {n:f}; discrepancy reviewed with daughter {n:g}.",
    "Outside meds list faxed from {hosp} ({ph:fax}) signed by {n:f}, PharmD, dated {d:full}.",
    # radiology comparisons
    "COMPARISON: CT abdomen/pelvis from {hosp} dated {d:full}; outside study read by Dr. {n:l}.",
    "Compared with outside study from {hosp} dated {d:full}, the nodule has grown from 6 to 9 mm. Dr. {n:f} notified by phone at 1412.",
    "FINDINGS communicated to {n:f}, PA-C, by telephone on {d:ts}; read-back confirmed. Accession {idn}.",
    "MRI brain w/o contrast, {d:full}. Clinical history: {a}F, new confusion. Ordering provider: {n:lf}, MD.",
    # discharge summaries with follow-up
    "Follow up with Dr. {n:f} at {hosp} on {d:full} at 10:30 AM; call {ph} if you need to reschedule.",
    "Discharged to {hosp} (SNF) on {d:md}. Accepting physician {n:f}; report called to {n:g} at {ph}.",
    "Appointments: cardiology with Dr. {n:l} {d:wk}; PCP {n:f}, NP in {city} within 7 days.",
    "DISCHARGE SUMMARY -- Admit {d:full}  Discharge {d:full}  Attending: {n:cap}, MD  PCP: {n:f}",
    "Pt discharged home with wife {n:f} to {addr}. Home health ({hosp}) to start {d:md}.",
    # phone encounters
    "Phone encounter {d:ts}: {n:f} (daughter, on HIPAA form) called re: mom's swelling. Advised ED if worse. Callback {ph}.",
    "TC from pt re refill of {drug}. Verified DOB {d:dob} and last 4 of SSN. Sent to CVS in {city}.",
    "Returned call to {n:f} at {ph}, no answer, left VM to call the clinic back. {n:stf}",
    "Spoke with pt's caregiver {n:nick} who reports pt ({a}) ate only breakfast today.",
    # care coordination e-mails
    "Hi {n:g}, can you coordinate a ride for Mr. {n:l} to his infusion at {hosp} on {d:wk}? His email is {em}. Thanks, {n:g}",
    "From: {n:f} <{em:org}>  Sent: {d:full}  To: {n:f}  Subject: placement for bed 12",
    "Looping in {n:f} from case management ({em:org}) -- the family prefers {hosp} over {hosp}.",
    "FYI the daughter {n:mi} ({em}) wants all updates by email, not phone.",
    # patient portal messages, lower case, typos
    "lower|hi dr {n:l} its {n:g} again, my mom {n:f} is still dizzy since tuesday, can u call me at {ph}",
    "lower|i got a bill for acct {acct} from {hosp} but i already payed it on {d:md}??",
    "lower|this is {n:f} writing for my dad, he is {a} and fell last nite, we took him to {hosp}",
    "lower|plz send my records to my new dr, dr {n:f} in {city}. my birthday is {d:born}",
    "lower|hey its me {n:g}!! the pharmacy on {st} says they never got the script for my {drug}",
    "my insurance changed, new member ID is {hp} - can someone update it? thx {n:g}",
    # requests to the assistant
    "Draft a letter to Mrs. {n:l}'s daughter {n:f} explaining that her mother's biopsy on {d:md} was benign.",
    "Can you summarise this note for Dr. {n:f}? Pt is {n:f}, MRN {mrn}, admitted {d:full}.",
    "Write a prior auth appeal for {n:f} (member {hp}) for {drug}; denial letter dated {d:full}, claim {idn}.",
    "Help me reply to {n:g}'s message -- she's asking whether her husband {n:g} can pick up her meds.",
    "Rewrite this for a 6th-grade reading level and address it to {n:f} at {addr}.",
    "Make a handoff for {n:f} (bed 4) and {n:f} (bed 9) for the night team; both are {hosp} transfers.",
    # handoff lists
    "HANDOFF: 1) {n:lf} -- DKA, insulin gtt, AG closed {d:ts}. 2) {n:lf} -- CHF, diurese, wife {n:g} at bedside.",
    "I-PASS {d:md}: {n:l} (rm 3) stable; to do: f/u K, call son {n:g} at {ph} after rounds.",
    "Sign-out from {n:f} to {n:f}: watch {n:l}'s lactate, family meeting w/ daughter at 1600 {d:wk}.",
    # addenda, late entries
    "ADDENDUM {d:ts}: after speaking with pt's sister {n:f}, the correct DOB is {d:dob}, not as listed.",
    "Late entry for {d:full}: pt seen by {n:f}, LCSW, who arranged transport to {addr}.",
    "Addendum by {n:mi}, MD: outside records from {hosp} reviewed; no prior echo.",
    "Correction: the note dated {d:full} was entered on the wrong patient ({n:cap}, MRN {mrn}) and has been moved.",
    # legal / consent
    "Consent obtained from health care proxy {n:f} by phone at {ph}; witnessed by {n:f}, RN, on {d:ts}.",
    "Pt lacks capacity per psychiatry (Dr. {n:l}, {d:md}). Court-appointed guardian is {n:f}, case no. {idn}.",
    "Subpoena received {d:full} from the law office of {n:f}, {addr}, for records of {n:f}, DOB {d:dob}.",
    "POLST completed with pt ({a}) and her son {n:f}; copy given to {hosp} and faxed to {ph:fax}.",
    "Advance directive on file dated {d:full}; agent {n:f}, alternate agent {n:part}.",
    # release of information
    "ROI request {idn}: records of {n:lf}, SSN {ssn}, to be mailed to {addr}.",
    "Authorization signed {d:md} allowing {hosp} to release records to {n:f} ({em}).",
    # DMV / driving / vehicles
    "DMV medical report for {n:f}, driver license {lic:dl}: seizure-free since {d:my}; may drive.",
    "Pt arrived by private vehicle, a gray Ford, plate {veh}, driven by her grandson {n:g}.",
    "MVC: pt was the driver of a vehicle with VIN {veh:vin}; police officer {n:f} (badge {idn}) at bedside.",
    # device interrogation
    "Device check {d:full}: dual-chamber pacemaker S/N {dev}, implanted {d:year} at {hosp} by Dr. {n:l}.",
    "Remote transmission from home monitor ({ip}) received {d:ts}; device {dev}. Called pt {n:f} at {ph}.",
    "Insulin pump serial {dev} registered to {n:f}; rep {n:f} will meet family at {hosp}.",
    # genetic counselling pedigree
    "Pedigree: proband {n:f} (b. {d:born}); mother {n:f} BRCA2+, maternal aunt {n:g} d. ovarian ca at 52.",
    "Genetic counselor {n:f}, MS, CGC reviewed results with pt and her sister {n:word} on {d:full}.",
    # transport bookings
    "Wheelchair van booked for {n:f} {d:wk}, pickup 0730 at {addr}; confirmation {idn}.",
    "Air ambulance to {hosp} accepted by Dr. {n:f} at {d:ts}; flight RN {n:ini}.",
    # billing, proxy access, registration
    "Billing dispute: guarantor {n:f}, account {acct}, DOS {d:full}; plan {hp}.",
    "Proxy access granted to {n:f} (mother) for minor {n:f}, DOB {d:born}, on {d:md}.",
    "Registration: {n:lf}  DOB {d:dob}  SSN {ssn}  MRN {mrn}  Phone {ph}  Addr {addr}",
    "Guarantor changed from {n:f} to {n:f}; new address {st:u}, {city} {zip}.",
    # misc
    "Employee health: nurse {n:f} (license {lic}) exposed to TB on {d:md}; baseline QFT drawn.",
    "Telehealth link for {n:f}: {url} -- visit {d:ts} with Dr. {n:l}.",
    "Pay your balance at {url} or call {ph}; reference account {acct}.",
    "Login from {ip} on {d:ts} by user {n:low} flagged by privacy office ({n:f}).",
    "Chaplain {n:f} visited; pt asked that Father {n:l} from her parish be called.",
    "upper|Patient {n:f} transferred from {hosp} on {d:full}; records to follow by fax {ph:fax}.",
    "Pt goes by \"{n:nick}\"; legal name {n:mi}. Preferred contact: sister {n:f}.",
    "Per {n:stf}, the hospice nurse from {hosp} will visit {n:f} at home in {city} on the {d:day}.",
    "She turned {a} on {d:md} -- family ({n:f}, {n:f} and {n:wf}) threw a party at the nursing home.",
    "{n:f} and {n:hy} (interpreter, Hmong) explained the plan; pt agreed.",
    "Identity verified for {n:f}: SSN {ssn}, DOB {d:dob}, address on file {st:u}.",
    "Badge swipe audit: {n:f} accessed the chart of {n:lf} from workstation {ip} at {d:ts}.",
    "Intake form link sent to {n:f} by text: {url} (expires {d:md}).",
    "Her grandmother {n:f} is {a:w} and lives at {hosp} in {city}; she was the one who raised {n:g}.",
    "{n:part}'s CT from {d:month} was reviewed at tumor board; Dr. {n:wf} to call {ph}.",
]

HELDOUT7_CLEAN = [
    "Positive {epo:sign} sign on exam; will start {drug} and recheck in the morning.",
    "Hx of {epo:dz} disease, stable on current regimen. Continue {drug} per Cardiology.",
    "Will follow up on the Wells score and consider a CTA if D-dimer is elevated.",
    "Mother Superior? No -- pt is a retired nun, prefers to be addressed by her first name (on file).",
    "Pt states the {drug} makes her drowsy; switch to qHS dosing. Fall precautions, bed alarm on.",
    "Consulted Neurology, Vascular Surgery and Palliative Care; Family Medicine to assume care.",
    "Grace period for the insurance has ended, per Social Work; pt Will Call when ready.",
    "Reviewed the {epo:score} criteria with the team at Morning Report; no changes today.",
    "lower|can i take my {drug} with tylenol or should i wait a few hrs?",
    "Baker cyst on ultrasound, Homans negative; hold {drug} until Hematology weighs in.",
    "Switched {drug} to {drug} for cost; Pharmacy verified, no interaction with {drug}.",
    "{epo:sign} and {epo:sign} signs negative bilaterally. Gait steady, {drug} held tonight.",
    "A/P: r/o {epo:dz} disease -- start {drug}, NPO after midnight, Surgery aware.",
    "Discussed {epo:score} score with Hospitalist; plan to continue {drug} and reassess at Rounds.",
    "lower|does {drug} cause hair loss?? started it {num} days ago and my hair is falling out",
    "Bed {num}: Hold {drug} if SBP < 100. Page Rapid Response for MEWS > {num}.",
    "Draft patient instructions for {drug} taper: reduce by 5 mg every {num} days, call the clinic with questions.",
    "Rose from chair independently, Walker at bedside; Will reassess with PT on the next visit.",
    "Hope to wean O2 today; Faith-based support offered by Spiritual Care, pt declined.",
    "Summarise the {epo:score} criteria for me and compare them with the {epo:score} score.",
]

TYPES7 = {"NAME", "DATE", "AGE", "PHONE", "FAX", "EMAIL", "URL", "IP", "SSN", "MRN", "HEALTH_PLAN", "ACCOUNT",
          "LICENSE", "VEHICLE", "DEVICE", "ID", "STREET_ADDRESS", "CITY", "ZIP", "HOSPITAL"}


def _low(words):
    return {w.lower() for w in words}


def check():
    """No word or template of an earlier generation is used again."""
    assert len(set(HELDOUT7)) == len(HELDOUT7) and len(set(HELDOUT7_CLEAN)) == len(HELDOUT7_CLEAN)
    assert not set(HELDOUT7) & set(HELDOUT7_CLEAN)
    names = [GIVEN7, WORD_GIVEN7, NICK7, FAMILY7, WORD_FAMILY7, PARTICLE7]
    flat = [w.lower() for ws in names for w in ws]
    assert len(flat) == len(set(flat)), "a name in two of my lists"
    for ws in (CITIES7, STREET7, FAC7, SAINTS7, DOMAINS7):
        assert len(ws) == len(set(ws)), ws
    import gen4
    import gen5
    import gen6
    import vocab
    earlier = _low(gen4.GIVEN) | _low(gen4.FAMILY) | _low(gen4.PARTICLE_FAMILY) | _low(vocab.WORD_GIVEN)
    earlier |= _low(vocab.SAINTS) | _low(gen5.GIVEN) | _low(gen5.WORD_GIVEN) | _low(gen5.NICKS)
    earlier |= _low(gen5.FAMILY) | _low(gen5.PARTICLE_FAMILY) | _low(gen5.SAINTS5)
    earlier |= _low(gen6.GIVEN6) | _low(gen6.WORD_GIVEN6) | _low(gen6.WORD_FAMILY6) | _low(gen6.FAMILY6)
    earlier |= _low(gen6.PARTICLE6) | _low(gen6.SAINTS6)
    for given, family in vocab.CULTURES.values():
        earlier |= _low(given) | _low(family)
    mine = set(flat) | _low(SAINTS7)
    assert not mine & earlier, f"names in earlier lists: {sorted(mine & earlier)}"
    towns = _low(gen4.CITIES) | _low(gen5.CITIES) | _low(gen6.CITIES6) | {c.split("|")[0].lower() for c in vocab.CITIES}
    assert not _low(CITIES7) & towns, f"towns in earlier lists: {sorted(_low(CITIES7) & towns)}"
    streets = _low(gen4.STREET_WORDS) | _low(gen5.STREET_WORDS) | _low(gen6.STREET6) | _low(vocab.STREETS)
    assert not _low(STREET7) & streets, f"streets in earlier lists: {sorted(_low(STREET7) & streets)}"
    fac = _low(gen4.FAC_WORDS) | _low(gen5.FAC_WORDS) | _low(gen6.FAC6) | _low(vocab.HOSPITAL_WORDS)
    assert not _low(FAC7) & fac, f"facility words in earlier lists: {sorted(_low(FAC7) & fac)}"
    doms = _low(gen4.DOMAINS) | _low(gen5.DOMAINS) | _low(gen6.DOMAINS6) | _low(vocab.EMAIL_DOMAINS)
    assert not _low(DOMAINS7) & doms, f"domains in earlier lists: {sorted(_low(DOMAINS7) & doms)}"
    mine_t = set(HELDOUT7) | set(HELDOUT7_CLEAN)
    earlier_t = set(gen4.HELDOUT4) | set(gen4.TUNE4) | set(gen5.HELDOUT5) | set(gen5.TUNE5)
    earlier_t |= set(gen6.HELDOUT6) | set(gen6.TUNE6) | set(gen6.HELDOUT6_CLEAN) | set(gen6.TUNE6_CLEAN)
    assert not mine_t & earlier_t, "template of gen4/gen5/gen6 used again"
    import importlib
    for name in ("heldout", "heldout2", "heldout3", "tune", "tune2", "tune3"):
        try:
            m = importlib.import_module(name)
        except ImportError:  # the second and third generations need Faker; skipped without it
            continue
        assert not mine_t & set(m.TEMPLATES), f"template of {name} used again"


def build(seed, per, per_clean):
    r = random.Random(seed)
    out, seen = [], set()
    jobs = [(i, t, per) for i, t in enumerate(HELDOUT7)]
    jobs += [(len(HELDOUT7) + i, t, per_clean) for i, t in enumerate(HELDOUT7_CLEAN)]
    for tid, t, n in jobs:
        for _ in range(n):
            text, spans = engine.render(t, FILLERS7, r, None)
            if text in seen:
                continue
            seen.add(text)
            for s in spans:
                assert s["value"] == text[s["start"]:s["end"]], (s, text)
                assert s["value"] and s["value"].strip() == s["value"], (s, text)
                assert s["type"] in TYPES7, s
            if tid >= len(HELDOUT7):
                assert not spans, text
            out.append({"part": "heldout7", "template_id": tid, "text": text, "spans": spans})
    r.shuffle(out)
    return [{"id": i, **x} for i, x in enumerate(out)]


def main():
    check()
    recs = build(70707, 11, 5)
    spans = [s for x in recs for s in x["spans"]]
    names = sum(s["type"] == "NAME" for s in spans) / len(spans)
    empty = sum(not x["spans"] for x in recs) / len(recs)
    types = {s["type"] for s in spans}
    assert names >= 0.40, names
    assert 0.06 <= empty <= 0.11, empty
    assert types == TYPES7, TYPES7 - types
    engine.write_jsonl(os.path.join(HERE, "heldout7.jsonl"), recs)
    print(f"heldout7: {len(recs)} sentences, {len(spans)} spans, NAME {names:.0%}, PHI-free {empty:.1%}")


if __name__ == "__main__":
    main()
