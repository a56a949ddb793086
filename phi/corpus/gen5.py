#!/usr/bin/env python3
"""Fifth generation of Ward's labelled PHI corpora: ``heldout5`` and ``tune5``.

Self-contained (no Faker), written without reading the detector's source or
its word lists, to measure how far the detector generalises. Its own word
lists, written forms and templates, rendered by engine.py.

* Words: every list below is split by position (even entries to ``heldout5``,
  odd to ``tune5``), so the two parts share no name, nickname, town, street
  word, facility word, domain or web name. ``check()`` asserts that no name,
  town, street word or facility word is in an earlier generation's lists
  (gen4.py, vocab.py), compared case-insensitively.
* Templates: ``HELDOUT5`` and ``TUNE5`` share none, and none is in an earlier
  part (checked).
* Styles: operative and pathology/cytology reports, consult notes, ICU
  progress notes, OB/L&D, pediatrics with parents named, psychiatry, PT/OT,
  case management and prior-authorisation letters, incident reports,
  chaplain and hospice notes, dictation transcripts (spoken dates), pager and
  secure chat, voicemail transcriptions, e-mail threads with signatures, lab
  result comments, EMS run sheets and transfers, home health, dental notes,
  death pronouncements; staff and relatives named in passing, in
  parentheses, after slashes, in lists, possessives, lower case, ALL CAPS,
  "LAST, FIRST M", initials, nicknames in quotes, names that are words;
  eponyms and word-traps without PHI.
* Labels (README conventions): titles and credentials outside names, a
  possessive "'s" outside, a nickname's quotes inside when the nickname sits
  inside a full name (``Oluwaseun "Seun" Adeleke`` is one span) and outside
  when alone; in "mid-March 2021", "early May" and "last Tuesday 3/2" only
  the date words are labelled ("March 2021", "May", "Tuesday 3/2"); a time
  right after a date belongs to it ("2/3/21 0800", "3/3/2021 @ 1432");
  spoken dates ("march third twenty twenty one") are dates; ages over 89 are
  only the number or number words ("97" in "a 97-year-old", "nineties" in
  "late nineties"); a phone extension is part of the phone; a unit or
  apartment is part of the street address; a PO box is a street address;
  "County"/state words are outside.

    python3 phi/corpus/gen5.py
"""

import os
import random
import string
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import engine  # noqa: E402

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
MON3 = [m[:3] for m in MONTHS]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WKD3 = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
STATES5 = ["MN", "ND", "SD", "WY", "MT", "ID", "UT", "CO", "NM", "AZ", "CA", "OR", "WA", "TX", "LA", "MS", "AL",
           "GA", "SC", "NC", "VA", "WV", "MD", "DE", "NJ", "NY", "VT", "NH", "ME", "MA", "RI", "CT", "PA", "OH",
           "IN", "IL", "IA", "MO", "KS", "NE", "OK", "AR", "TN", "KY", "MI", "WI", "AK", "HI",
           "Minnesota", "Nebraska", "Kentucky", "Alaska", "Vermont", "N. Dakota"]

# ---- Words (even index: heldout5, odd index: tune5) -------------------------------------------

GIVEN = """Chidubem Ifeoluwa Ebere Adaora Obinna Tochukwu Efua Kwesi Mawuli Selorm Dzifa Olamide Funmilayo Sekou Mariama
Binta Chebet Wambui Nyokabi Meron Yonas Makena Zawadi Baraka Neema Rehema Navjot Sukhwinder Anirudh Vaishnavi
Tejaswini Dhruv Ishaan Saanvi Rohini Venkatesh Thilini Nuwan Dilani Tahmina Rubina Shahidul Farhana Xiaoling
Jianhong Yuting Mingyu Minseo Hinata Daichi Kaede Khanh Somchai Siriporn Nattapong Kanya Sokha Bopha Jomar
Mylene Yousef Nour Khadija Walid Hiba Ghada Lubna Marwan Suhail Bozena Radoslaw Przemyslaw Zdenek Jarmila
Dragana Nemanja Stanislava Vsevolod Yaroslava Taras Bohdan Halyna Mykola Olesya Torbjorn Solveig Eirik
Ragnhild Bjarne Halldora Thorvald Signe Jorunn Kjell Aslaug Frode Runa Remedios Inmaculada Jacinto Eusebio
Fulgencio Rosalba Nayeli Xochitl Yahir Brayan Dulce Amparo Gumersindo Abundio Epifania Rosângela Anouk Gerrit
Hendrika Gottfried Hannelore Liesel Friedhelm Annegret Burkhard Oisín Ruairí Pádraig Gráinne Eilidh Catriona
Dónal Mairéad Tadhg Sorcha Sione Losana Tevita Mele Viliami Salote Kalolaine Iosefa Aiyana Takoda Kohana
Ayasha Chenoa Kiona Mordechai Yitzchak Shoshana Chaya Avraham Tzipporah Yehuda Malka Anahit Gevorg Siranush
Hovhannes Nairi Lusine Vartan Araksi Eleftheria Dimitra Kyriakos Evangelia Spyridon Chrysoula Themistoklis
Nneka Ugochi Kelechi Ikenna Adwoa Yaaba Kwadwo Esi Fiifi Aissatou Djeneba Wairimu Kamande Nyawira Atieno Awino
Kibet Jepchirchir Dawit Hirut Genet Bereket Ruqayya Pranav Keerthana Raghav Sowmya Gayatri Hemant Chathura
Sanduni Mehzabin Xinyi Junhao Ruolan Zixuan Takumi Misaki Rin Kenta Pornthip Anong Sopheap Vanna Jerico
Rhea-Mae Faisal Latifa Munira Samih Dalal Jadwiga Wieslaw Radek Blazena Snezana Dusan Oleksandr Iryna Vitaliy
Gudrun Sindre Tove Ylva Petter Matilde Anselmo Eufemia Rigoberto Milagros Heriberto Odette Xiomara Jandira
Cleonice Wanderley Aafke Tjeerd Geertje Siebe Ortwin Waltraud Klaus-Dieter Eimear Niall Ailbhe Peadar Ofa
Semisi Akanesi Malakai Tavita Lokelani Onawa Wahkan Halona Dyani Tova Ettel Reuven Bracha Hasmik Artavazd Mher
Zabel Theofanis Paraskevi Evdokia Charalambos Mirela-Ioana""".split()

# Given names that are ordinary English words (traps for a detector that skips dictionary words).
WORD_GIVEN = """Verity Ransom Temperance Prudence Blossom Honor Ember Wren Journey Lyric Cash Deacon Goldie Clement
Marigold Sage Bliss Lark Haven Story Bowie Ace Raven Dove""".split()

NICKS = """Seun Tobi Kiki Jojo Dede Lolo Bubba Tink Pip Birdie Skip Boots Tito Chuy Bibi Mimi Gogo Zizi Tata Beto
Kofo Nene""".split()

FAMILY = """Olatunji Nwachukwu Agyeman Ofori Danquah Sissoko Ouedraogo Ikechukwu Ogundipe Fashola Akinwande Oyewole
Njoroge Wafula Kiprotich Cheruiyot Wekesa Mutua Onyango Gebremariam Kebede Mengistu Nyambura Mugisha Habimana
Raghunathan Chattopadhyay Kulkarni Deshpande Iyengar Jayasuriya Wickramasinghe Bandara Thapa Gurung Shrestha
Fujimoto Matsuda Jeong Baek Ryu Huynh Srisai Chaiyaporn Wongsakul Chea Mangubat Panganiban Haddadin Shaheen
Darwish Najjar Barakat Wisniewski Zielinski Dabrowski Novotny Prochazka Kovacevic Jovanovic Stojanovic
Ivanenko Kuznetsova Bergstrom Sundqvist Johannessen Thorsdottir Gudmundsson Eriksdottir Haraldsen Nyberg
Lundgren Sandvik Ekdahl Iturbide Zubizarreta Etxeberria Goicoechea Arrieta Figueiredo Bettencourt Verhoeven
Schouten Brinkmann Oberholzer Steinmetz Fifita Tupou Taufa Vaipulu Faleolo Tuilagi Leiataua Sapolu Kahale
Kamakana Yellowhorse Silversmith Tohee Wolfchild Deschene Attakai Bitsui Rosenzweig Finkelstein Halberstam
Lefkowitz Mandelbaum Teitelbaum Zilberman Hovsepian Kasparian Manoogian Arakelian Sarkissian Boghossian
Ohanian Konstantopoulos Georgiadis Antonopoulos Karamanlis Stavropoulos Theodorakis Christodoulou Mercer
Sparks Snow Moody Goodnight Noble Sweet Friend Pray Lovejoy
Eze-Udeh Anyanwu Okoli Ezeani Amankwah Osei-Bonsu Sarpong Owusu-Ansah Kouyate Traore-Diarra Sangare Kariuki
Gathoni Wambugu Ochieng Kiplagat Gebreyesus Woldemariam Alemu Ayana Ramaswamy Mukhopadhyay Banerjee-Ghosh
Sidhu Bajwa Patwardhan Gokhale Nambiar Pillai-Menon Siriwardena Rajapaksha Tamang Magar Ouchi Morikawa
Kawaguchi Choe Nam-Gung Phung Lam-Tran Nuon Keo Phommasack Sisavath Saetang Buenaventura Magbanua
Villanueva-Cruz Hajjar Ghanem Sabbagh Atallah Khouri-Haddad Zawisza Przybylski Grzybowski Kucera Blaha Vukovic
Markovic-Ilic Lysenko Hrytsenko Soderberg Ahlqvist Fjeld Brekke Thorvaldsen Aranda-Zuniga Ybarra-Lopez
Urdaneta Olabarrieta Azevedo Mesquita Bakhuizen Terpstra Wiersma Hoogendijk Ratzinger Kleinschmidt Quartermain
Aufderheide Kaufusi Havili Moala Kaleikini Makua Nakamoa Roanhorse Bitsoi Sixkiller Blackfeather Halperin
Weisberg Shapiro-Katz Nadelman Petrosyan Avetisyan Mardirossian Kalogeropoulos Papadimitriou Tsakiris Glass
Baker-Hope Meadows Fairbanks Bliss-Carver Loveless Goodenough Whitlock""".split()

PARTICLE_FAMILY = """van den Heuvel|van 't Hof|ter Haar|van Oosterhout|von Brandenstein|van der Linde|op den Kamp|O'Donoghue|
Ó Súilleabháin|McGillicuddy|MacAulay|McCrory|O'Flaherty|Mac Lochlainn|McEachern|al-Tamimi|Abu Khalil|El-Amin|
Der Bedrosian|Two Bulls|Kills Crow|Running Water|Sepúlveda-Rojas|Mendoza Ybarra|Fuentes de la Garza|
della Rovere|Dos Reis|Ben-Haim|de Oliveira Lima|Saint-Fleur""".replace("\n", "").split("|")

# US towns not in gen4.py or vocab.py (checked).
CITIES = """Hibbing|Brainerd|Fergus Falls|Worthington|Wahpeton|Dickinson|Williston|Aberdeen|Yankton|Pierre|
Spearfish|Sheridan|Gillette|Rock Springs|Riverton|Cody|Havre|Great Falls|Butte|Sandpoint|Idaho Falls|Rexburg|
Cedar City|Vernal|Durango|Alamosa|Grand Junction|Pueblo|Gallup|Taos|Clovis|Hobbs|Alamogordo|Silver City|Nogales|
Sierra Vista|Bullhead City|Show Low|Winslow|Barstow|Ukiah|Crescent City|Susanville|Truckee|Hanford|Tulare|
Porterville|Lompoc|Watsonville|Hollister|Coos Bay|Roseburg|The Dalles|Hood River|Astoria|Wenatchee|Moses Lake|
Ellensburg|Port Angeles|Pullman|Nacogdoches|Lufkin|Kerrville|Del Rio|Eagle Pass|Big Spring|Pampa|Stephenville|
Natchitoches|Opelousas|Thibodaux|Bogalusa|Vicksburg|Clarksdale|Starkville|Cullman|Anniston|Gadsden|Opelika|
Americus|Tifton|Waycross|Statesboro|Milledgeville|Orangeburg|Sumter|Rock Hill|Boone|Goldsboro|Kinston|
Elizabeth City|Rocky Mount|Harrisonburg|Staunton|Martinsville|Bluefield|Beckley|Parkersburg|Clarksburg|
Cumberland|Vineland|Toms River|Oneonta|Plattsburgh|Oswego|Olean|Batavia|Cortland|Bennington|Brattleboro|
St. Johnsbury|Laconia|Presque Isle|Caribou|Waterville|Biddeford|Pittsfield|Hyannis|Woonsocket|Torrington|
Willimantic|Stroudsburg|Williamsport|Pottsville|Hazleton|Chambersburg|Meadville|DuBois|Ashtabula|Sandusky|
Findlay|Wooster|Logansport|Vincennes|Effingham|Mattoon|Galesburg|Macomb|Ottumwa|Keokuk|Mason City|Decorah|
Fort Dodge|Marshalltown|Kirksville|Hannibal|Rolla|Poplar Bluff|Sikeston|West Plains|Hays|Garden City|Emporia|
Chanute|Hutchinson|McCook|North Platte|Scottsbluff|Ardmore|Durant|Tahlequah|Guymon|Ponca City|Russellville|
Searcy|Cookeville|Tullahoma|Dyersburg|Hopkinsville|Hazard|Pikeville|Corbin|Elizabethtown|Madisonville|
Ironwood|Escanaba|Houghton|Alpena|Petoskey|Ludington|Rhinelander|Wausau|Stevens Point|Menomonie|Marshfield|
Manitowoc|Sheboygan|Kodiak|Nome|Bethel|Sitka|Kenai|Wasilla|Lihue|Wailuku|Kaneohe|Waimea""".replace("\n", "").split("|")

STREET_WORDS = """Shagbark|Buttonwood|Sweetgum|Chinquapin|Bittersweet|Thimbleberry|Fiddlehead|Pawpaw|Catalpa|
Hackberry|Wintergreen|Foxglove|Bramble|Thistle|Sandpiper|Killdeer|Bobwhite|Nighthawk|Loon Lake|Beaver Dam|
Otter Creek|Badger Hollow|Antelope|Elk Horn|Chicory|Yarrow|Goldenrod|Cattail|Tidewater|Lighthouse|Windmill|
Gristmill|Tannery|Smokehouse|Pumpkin Vine|Orchard Knoll|Haybarn|Millrace|Sugar Maple|Bur Oak|Quaking Aspen|
Whitetail""".replace("\n", "").split("|")
STREET_SUFFIX = ["Ave", "Avenue", "St", "Street", "Dr", "Drive", "Pl", "Place", "Alley", "Parkway", "Point",
                 "Bend", "Hollow", "Spur", "Ext", "Landing", "Sq", "Heights", "Path", "Walk"]
UNITS = ["Apt 2R", "Unit B-4", "#12C", "Space 14", "Suite 1100", "Floor 3", "Room 220", "Apartment 6",
         "Apt. 10-D", "Unit 305", "Lot 61", "Basement"]

FAC_WORDS = """Bitterroot|Sandhill|Cascade Valley|Osage Plains|Tamarind|Three Rivers|Black Hills|Copper Basin|
Saltgrass|Kettle Moraine|Painted Desert|Bluestem|Long Prairie|Sawtooth|High Desert|Cumberland Gap|Piedmont|
Tallgrass|Driftless|Lowcountry|Wiregrass|Palouse|Flint Hills|Upper Valley""".replace("\n", "").split("|")
SAINTS5 = ["Brigid", "Kateri", "Casimir", "Hedwig", "Walburga", "Olaf", "Columba", "Gianna", "Cecilia",
           "Ignatius", "Scholastica", "Adalbert"]

DOMAINS = """posteo.net|tutanota.com|rediffmail.com|yandex.com|naver.com|hushmail.com|runbox.com|btinternet.com|
shaw.ca|rogers.com|centurylink.net|frontiernet.net|netzero.net|q.com|bigpond.com|mac.com""".replace("\n", "").split("|")

WEB = """sandhillsurgical|bitterrootpeds|cascadevalleyob|katericlinic|osagehospice|copperbasinhealth|bluestemdental|
sawtoothortho|palouserehab|driftlesscare|lowcountrymidwives|flinthillsmed|tallgrasspsych|wiregrassent""".replace("\n", "").split("|")

HELD, TUNE = "heldout5", "tune5"


def split(words, part):
    return [w for i, w in enumerate(words) if (i % 2 == 0) == (part == HELD)]


class Vocab5:
    def __init__(self, part):
        self.given = split(GIVEN, part)
        self.word = split(WORD_GIVEN, part)
        self.nicks = split(NICKS, part)
        self.family = split(FAMILY, part)
        self.particle = split(PARTICLE_FAMILY, part)
        self.cities = split(CITIES, part)
        self.streets = split(STREET_WORDS, part)
        self.fac = split(FAC_WORDS, part)
        self.saints = split(SAINTS5, part)
        self.domains = split(DOMAINS, part)
        self.web = split(WEB, part)


def D(rng, n):
    return "".join(rng.choice(string.digits) for _ in range(n))


def L(rng, n):
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))


def AN(rng, n):
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(n))


def ascii_fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if c.isascii() and c.isalnum()).lower() or "x"


# ---- Names ----------------------------------------------------------------------------------

def fam(rng, v):
    return rng.choice(v.particle) if rng.random() < 0.22 else rng.choice(v.family)


def giv(rng, v):
    return rng.choice(v.word) if rng.random() < 0.12 else rng.choice(v.given)


NAME_STYLES = ["full", "fml", "lf", "first", "last", "init", "lower", "upper", "upperlf", "nick", "compound",
               "word", "ff", "ii"]


def name_text(rng, v, style):
    g, f = giv(rng, v), fam(rng, v)
    if style in (None, "any"):
        style = rng.choices(NAME_STYLES, [24, 8, 7, 12, 10, 6, 5, 5, 5, 3, 5, 4, 4, 2])[0]
    mi = rng.choice("ABCDEFGHJKLMNPRSTVWZ")
    if style == "full":
        return f"{g} {f}"
    if style == "fml":
        return f"{g} {mi}. {f}" if rng.random() < 0.8 else f"{g} {mi} {f}"
    if style == "lf":
        return f"{f}, {g}" if rng.random() < 0.6 else f"{f}, {g} {mi}."
    if style == "upperlf":
        return f"{f.upper()}, {g.upper()} {mi}" if rng.random() < 0.6 else f"{f.upper()},{g.upper()}"
    if style == "first":
        return g
    if style == "last":
        return f
    if style == "init":
        return f"{g[0]}. {f}"
    if style == "ii":
        return f"{g[0]}.{mi}. {f}" if rng.random() < 0.5 else f"{g[0]}{mi}{f[0].upper()}"
    if style == "lower":
        return rng.choice([f"{g} {f}", g, f]).lower()
    if style == "upper":
        return rng.choice([f"{g} {f}", f"{g} {mi}. {f}", f]).upper()
    if style == "nick":
        return f"{g} \"{rng.choice(v.nicks)}\" {f}"
    if style == "compound":
        a, b = rng.choice(v.family), rng.choice(v.family)
        return f"{g} {a}-{b}" if rng.random() < 0.5 else f"{g} {a} {b}"
    if style == "word":
        return rng.choice([f"{rng.choice(v.word)} {f}", rng.choice(v.word)])
    if style == "ff":
        return f"{g} {rng.choice(v.given)} {f}"
    raise ValueError(style)


def fill_nm(rng, v, arg):
    return [(name_text(rng, v, arg), "NAME")]


def fill_nk(rng, v, arg):  # a nickname alone, quotes outside the span
    return [("\"", None), (rng.choice(v.nicks), "NAME"), ("\"", None)]


# ---- Dates ------------------------------------------------------------------------------------

def ordinal(n):
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


ORD_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
             "eighteenth", "nineteenth", "twentieth", "twenty first", "twenty second", "twenty third",
             "twenty fourth", "twenty fifth", "twenty sixth", "twenty seventh", "twenty eighth"]
NUM_WORDS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
             "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]


def year_words(y, r):
    rest = y - 2000
    if rest < 10 or r.random() < 0.3:
        return "two thousand" + ("" if rest == 0 else " " + (NUM_WORDS[rest] if rest < 20 else "twenty " + NUM_WORDS[rest - 20]).strip())
    if rest < 20:
        return "twenty " + NUM_WORDS[rest]
    return "twenty twenty" + ("" if rest == 20 else " " + NUM_WORDS[rest - 20])


def hhmm(r):
    return f"{r.randint(0, 23):02}{r.choice(['00', '15', '30', '45', f'{r.randint(0, 59):02}'])}"


DATE_FORMS = {
    # full dates
    "m/d/yyyy": lambda y, m, d, r: f"{m}/{d}/{y}",
    "mm/dd/yyyy": lambda y, m, d, r: f"{m:02}/{d:02}/{y}",
    "m/d/yy": lambda y, m, d, r: f"{m}/{d}/{y % 100:02}",
    "m-d-yy": lambda y, m, d, r: f"{m}-{d}-{y % 100:02}",
    "mm-dd-yyyy": lambda y, m, d, r: f"{m:02}-{d:02}-{y}",
    "mm.dd.yy": lambda y, m, d, r: f"{m:02}.{d:02}.{y % 100:02}",
    "iso": lambda y, m, d, r: f"{y}-{m:02}-{d:02}",
    "yyyy/m/d": lambda y, m, d, r: f"{y}/{m}/{d}",
    "yyyymmdd": lambda y, m, d, r: f"{y}{m:02}{d:02}",
    "Mon-dd-yyyy": lambda y, m, d, r: f"{MON3[m-1]}-{d:02}-{y}",
    "dd-Mon-yy": lambda y, m, d, r: f"{d:02}-{MON3[m-1]}-{y % 100:02}",
    "dd-MON-yyyy": lambda y, m, d, r: f"{d:02}-{MON3[m-1].upper()}-{y}",
    "dth of Month, yyyy": lambda y, m, d, r: f"{ordinal(d)} of {MONTHS[m-1]}, {y}",
    "d Month yyyy": lambda y, m, d, r: f"{d} {MONTHS[m-1]} {y}",
    "Month d, yyyy": lambda y, m, d, r: f"{MONTHS[m-1]} {d}, {y}",
    "Mon. d, yyyy": lambda y, m, d, r: f"{MON3[m-1]}. {d}, {y}",
    "Mon d 'yy": lambda y, m, d, r: f"{MON3[m-1]} {d} '{y % 100:02}",
    "Weekday, Month dth, yyyy": lambda y, m, d, r: f"{r.choice(WEEKDAYS)}, {MONTHS[m-1]} {ordinal(d)}, {y}",
    # partial dates
    "dth of Month": lambda y, m, d, r: f"{ordinal(d)} of {MONTHS[m-1]}",
    "Month dth": lambda y, m, d, r: f"{MONTHS[m-1]} {ordinal(d)}",
    "Mon d": lambda y, m, d, r: f"{MON3[m-1]} {d}",
    "m/d": lambda y, m, d, r: f"{m}/{d}",
    "m/yy": lambda y, m, d, r: f"{m}/{y % 100:02}",
    "yyyy-mm": lambda y, m, d, r: f"{y}-{m:02}",
    "Mon yyyy": lambda y, m, d, r: f"{MON3[m-1]} {y}",
    "Month yyyy": lambda y, m, d, r: f"{MONTHS[m-1]} {y}",
    "Month": lambda y, m, d, r: MONTHS[m - 1],
    "dth": lambda y, m, d, r: ordinal(d),
    "Wkd m/d": lambda y, m, d, r: f"{r.choice(WEEKDAYS + WKD3)} {m}/{d}",
    # timestamps
    "m/d/yy hhmm": lambda y, m, d, r: f"{m}/{d}/{y % 100:02} {hhmm(r)}",
    "m/d/yyyy @ hhmm": lambda y, m, d, r: f"{m}/{d}/{y} @ {hhmm(r)}",
    "iso hh:mm": lambda y, m, d, r: f"{y}-{m:02}-{d:02} {r.randint(0, 23):02}:{r.randint(0, 59):02}",
    "mm/dd/yyyy hh:mm:ss": lambda y, m, d, r: f"{m:02}/{d:02}/{y} {r.randint(0, 23):02}:{r.randint(0, 59):02}:{r.randint(0, 59):02}",
    "Month d, yyyy h:mm AM": lambda y, m, d, r: f"{MONTHS[m-1]} {d}, {y} {r.randint(1, 12)}:{r.randint(0, 59):02} {r.choice(['AM', 'PM', 'a.m.', 'p.m.'])}",
    "yyyymmddhhmm": lambda y, m, d, r: f"{y}{m:02}{d:02}{hhmm(r)}",
    "dd-Mon-yyyy hh:mm": lambda y, m, d, r: f"{d:02}-{MON3[m-1]}-{y} {r.randint(0, 23):02}:{r.randint(0, 59):02}",
    # spoken (dictation)
    "spoken mdy": lambda y, m, d, r: f"{MONTHS[m-1].lower()} {ORD_WORDS[d-1]} {year_words(y, r)}",
    "spoken dom": lambda y, m, d, r: f"{ORD_WORDS[d-1]} of {MONTHS[m-1].lower()} {year_words(y, r)}",
    "spoken md": lambda y, m, d, r: f"{MONTHS[m-1]} {ORD_WORDS[d-1]}",
}
DATE_GROUPS = {
    "full": ["m/d/yyyy", "mm/dd/yyyy", "m/d/yy", "m-d-yy", "mm-dd-yyyy", "mm.dd.yy", "iso", "yyyy/m/d", "yyyymmdd",
             "Mon-dd-yyyy", "dd-Mon-yy", "dd-MON-yyyy", "dth of Month, yyyy", "d Month yyyy", "Month d, yyyy",
             "Mon. d, yyyy", "Mon d 'yy", "Weekday, Month dth, yyyy"],
    "part": ["dth of Month", "Month dth", "Mon d", "m/d", "m/yy", "yyyy-mm", "Mon yyyy", "Month yyyy"],
    "my": ["Month yyyy", "Mon yyyy", "Month"],
    "month": ["Month"],
    "day": ["dth"],
    "wkd": ["Wkd m/d"],
    "ts": ["m/d/yy hhmm", "m/d/yyyy @ hhmm", "iso hh:mm", "mm/dd/yyyy hh:mm:ss", "Month d, yyyy h:mm AM",
           "yyyymmddhhmm", "dd-Mon-yyyy hh:mm"],
    "q": ["m/d/yy hhmm"],
    "sp": ["spoken mdy", "spoken dom", "spoken md"],
}
DATE_GROUPS["any"] = DATE_GROUPS["full"] + DATE_GROUPS["part"] + DATE_GROUPS["ts"]


def ymd(rng, lo, hi):
    return rng.randint(lo, hi), rng.randint(1, 12), rng.randint(1, 28)


def fill_dd(rng, v, arg):
    y, m, d = ymd(rng, 2016, 2026)
    keys = DATE_GROUPS[arg or "any"]
    return [(DATE_FORMS[rng.choice(keys)](y, m, d, rng), "DATE")]


def fill_bd(rng, v, arg):
    y, m, d = ymd(rng, 1921, 2020)
    return [(DATE_FORMS[rng.choice(DATE_GROUPS["full"])](y, m, d, rng), "DATE")]


def fill_yy(rng, v, arg):
    return [(str(rng.randint(1968, 2025)), "DATE")]


# ---- Ages over 89 ------------------------------------------------------------------------------

def age_words(n, rng):
    if n >= 100:
        rest = n - 100
        if rest == 0:
            return rng.choice(["one hundred", "a hundred"])
        return rng.choice(["one hundred and ", "one hundred "]) + NUM_WORDS[rest]
    return "ninety" + ("" if n == 90 else rng.choice(["-", " "]) + NUM_WORDS[n - 90])


def fill_ag(rng, v, arg):
    n = rng.choice(list(range(90, 100)) * 3 + list(range(100, 109)))
    if arg == "w":
        t = age_words(n, rng)
        return [(t.capitalize() if rng.random() < 0.1 else t, "AGE")]
    if arg == "dec":
        return [(rng.choice(["nineties", "90s", "90's"]), "AGE")]
    return [(str(n), "AGE")]


# ---- Contact and places ----------------------------------------------------------------------------

def phone(rng):
    a = f"{rng.randint(2, 9)}{rng.randint(0, 8)}{rng.randint(0, 9)}"
    b, c = f"{rng.randint(2, 9)}{D(rng, 2)}", D(rng, 4)
    return rng.choice([f"+1 ({a}) {b}-{c}", f"{a}.{b}.{c} ext {rng.randint(2, 999)}", f"{a}{b}{c}", f"({a}){b}-{c}",
                       f"{a} {b} {c}", f"1 ({a}) {b}-{c}", f"{a}-{b}-{c} x {D(rng, 3)}", f"+1{a}{b}{c}",
                       f"{a}-{b}-{c}", f"({a}) {b}-{c}", f"{a}.{b}.{c}", f"1.{a}.{b}.{c}"])


def fill_ph(rng, v, arg):
    return [(phone(rng), "FAX" if arg == "fax" else "PHONE")]


def fill_em(rng, v, arg):
    g, f = ascii_fold(rng.choice(v.given)), ascii_fold(rng.choice(v.family + v.particle))
    if arg == "staff":
        w = rng.choice(v.web)
        return [(f"{rng.choice([f'{g}.{f}', f'{f}.{g[0]}', f'{g[0]}{f}'])}@{w}.org", "EMAIL")]
    user = rng.choice([f"{g}.{f}", f"{g[0]}{f}", f"{g}_{f}{rng.randint(1, 99)}", f"{f}.{g}", f"{g}{f}",
                       f"{g}.{f}{rng.randint(60, 99)}", f"{f}-{g[:3]}"])
    return [(f"{user}@{rng.choice(v.domains)}", "EMAIL")]


def fill_ur(rng, v, arg):
    w = rng.choice(v.web)
    return [(rng.choice([f"https://portal.{w}.org/login?mrn={D(rng, 7)}", f"www.{w}.com",
                         f"{w}.org/pay/{AN(rng, 8).lower()}", f"http://{w}.net/forms/intake.pdf",
                         f"https://{w}.health/visit/{AN(rng, 12).lower()}", f"https://video.{w}.com/j/{D(rng, 10)}",
                         f"https://www.{w}.org/providers/{ascii_fold(rng.choice(v.family))}"]), "URL")]


def fill_ip(rng, v, arg):
    if arg == "v6" or (arg is None and rng.random() < 0.4):
        h = [f"{rng.randint(0, 0xffff):x}" for _ in range(8)]
        t = rng.choice([":".join(h), "2001:db8:" + ":".join(h[2:4]) + "::" + h[7],
                        ":".join(h[:4]) + "::" + ":".join(h[5:]), "fe80::" + ":".join(h[4:]),
                        ":".join(x.upper().zfill(4) for x in h), "::ffff:" + ".".join(str(rng.randint(1, 254)) for _ in range(4)),
                        h[0] + "::" + h[7]])
        return [(t, "IP")]
    first = rng.choice([10, 172, 192, rng.randint(11, 223)])
    return [(".".join([str(first)] + [str(rng.randint(0, 254)) for _ in range(3)]), "IP")]


def street_text(rng, v, arg):
    if arg == "po" or (arg is None and rng.random() < 0.12):
        return rng.choice([f"PO Box {rng.randint(2, 9999)}", f"P.O. Box {rng.randint(2, 999)}",
                           f"RR {rng.randint(1, 9)} Box {rng.randint(1, 300)}", f"HC {rng.randint(60, 80)} Box {rng.randint(100, 4000)}"])
    if rng.random() < 0.12:
        return rng.choice([f"{rng.randint(1000, 9999)} {rng.choice(['W', 'E'])} {rng.randint(1, 90)}00 {rng.choice(['S', 'N'])}",
                           f"N{rng.randint(1000, 9999)} County Road {rng.choice(['K', 'JJ', '12', 'B'])}",
                           f"{rng.randint(10, 199)}-{rng.randint(10, 99)} {rng.choice(v.streets)} {rng.choice(STREET_SUFFIX)}",
                           f"{rng.randint(100, 99999)} State Hwy {rng.randint(1, 299)}"])
    t = f"{rng.randint(1, 48999)} {rng.choice(['', '', '', 'NE ', 'SW ', 'North ', 'W. '])}{rng.choice(v.streets)} {rng.choice(STREET_SUFFIX)}"
    if arg == "unit" or rng.random() < 0.35:
        t += rng.choice([", ", " "]) + rng.choice(UNITS)
    return t


def fill_st(rng, v, arg):
    return [(street_text(rng, v, arg), "STREET_ADDRESS")]


def fill_ct(rng, v, arg):
    return [(rng.choice(v.cities), "CITY")]


def fill_cs(rng, v, arg):  # "Town, ST"
    return [(rng.choice(v.cities), "CITY"), (", " + rng.choice(STATES5[:48]), None)]


def fill_zp(rng, v, arg):
    return [(D(rng, 5) if rng.random() < 0.65 else f"{D(rng, 5)}-{D(rng, 4)}", "ZIP")]


def fill_full(rng, v, arg):
    segs = fill_st(rng, v, arg) + [(rng.choice([", ", ", ", "\n", " "]), None)] + fill_ct(rng, v, None)
    segs += [(rng.choice([", ", " "]) + rng.choice(STATES5) + rng.choice([" ", "  ", ", "]), None)] + fill_zp(rng, v, None)
    return segs


def fill_fc(rng, v, arg):
    w, c, s = rng.choice(v.fac), rng.choice(v.cities), rng.choice(v.saints)
    f = rng.choice(v.family)
    forms = {
        None: ["{c} Memorial Hospital", "{w} Regional Hospital", "Our Lady of {c}", "{f} Children's Hospital",
               "{w} Behavioral Health", "{w} Surgical Center", "{w} Cancer Institute", "{c} VA Medical Center",
               "St. {s}'s Hospital", "St. {s} Medical Center", "{w} Long-Term Acute Care Hospital",
               "{w} Birthing Center", "{c} Health System", "{f} University Hospital", "{w} Medical Center",
               "{c} Critical Access Hospital"],
        "snf": ["{w} Skilled Nursing Facility", "{w} Care Center", "{c} Nursing and Rehab", "{w} Manor",
                "St. {s} Hospice House", "{w} Hospice"],
        "clinic": ["{w} Dental Group", "{w} Physical Therapy", "{c} Family Practice", "{w} Pediatrics",
                   "{w} OB/GYN Associates", "{c} Urgent Care", "{w} Dialysis Center", "{w} Home Health Agency"],
    }
    pool = forms.get(arg) or forms[None]
    return [(rng.choice(pool).format(w=w, c=c, s=s, f=f), "HOSPITAL")]


# ---- Identifiers -----------------------------------------------------------------------------------

def fill_mr(rng, v, arg):
    return [(rng.choice([D(rng, 8), f"00{D(rng, 6)}", f"M{D(rng, 7)}", f"{D(rng, 2)}-{D(rng, 3)}-{D(rng, 3)}",
                         f"{L(rng, 2)}{D(rng, 6)}", f"{D(rng, 10)}", f"{D(rng, 4)}-{D(rng, 4)}"]), "MRN")]


def fill_sn(rng, v, arg):
    a, b, c = rng.randint(101, 899), rng.randint(10, 99), D(rng, 4)
    return [(rng.choice([f"{a}-{b}-{c}", f"{a}-{b}-{c}", f"{a} {b} {c}", f"{a}{b}{c}", f"{a}.{b}.{c}"]), "SSN")]


def fill_ac(rng, v, arg):
    if arg != "bare" and rng.random() < 0.2:  # "HAR"/"FIN" labels stay outside the span
        return [(rng.choice(["HAR ", "FIN ", "HAR# "]), None), (D(rng, 8), "ACCOUNT")]
    return [(rng.choice([D(rng, 11), f"{D(rng, 3)}{L(rng, 1)}{D(rng, 6)}", f"{D(rng, 4)}-{D(rng, 5)}-{D(rng, 2)}", f"{D(rng, 2)}-{D(rng, 8)}",
                         f"A{D(rng, 9)}", f"{D(rng, 7)}/{D(rng, 3)}"]), "ACCOUNT")]


def fill_hp(rng, v, arg):
    mbi = f"{rng.randint(1, 9)}{L(rng, 1)}{AN(rng, 1)}{D(rng, 1)}{L(rng, 1)}{AN(rng, 1)}{D(rng, 1)}{L(rng, 2)}{D(rng, 2)}"
    if arg == "mbi":
        return [(mbi, "HEALTH_PLAN")]
    return [(rng.choice([mbi, f"{L(rng, 3)}{D(rng, 8)}", f"ZGP{D(rng, 9)}", f"{D(rng, 11)}", f"{L(rng, 1)}{D(rng, 8)}-0{rng.randint(1, 4)}",
                         f"{D(rng, 3)}-{D(rng, 3)}-{D(rng, 3)}", f"{D(rng, 6)}-{L(rng, 2)}"]), "HEALTH_PLAN")]


def fill_li(rng, v, arg):
    if arg == "dea":
        return [(f"{rng.choice('ABCFGM')}{L(rng, 1)}{D(rng, 7)}", "LICENSE")]
    if arg == "npi":
        return [(f"1{D(rng, 9)}", "LICENSE")]
    return [(rng.choice([f"{L(rng, 2)}{D(rng, 6)}", f"{L(rng, 1)}{D(rng, 3)}-{D(rng, 4)}-{D(rng, 4)}", f"MD{D(rng, 5)}",
                         f"{D(rng, 9)}", f"DDS-{D(rng, 5)}", f"{L(rng, 1)}{D(rng, 12)}"]), "LICENSE")]


def fill_vh(rng, v, arg):
    if arg == "vin":
        return [(f"{rng.choice('1245J')}{AN(rng, 16)}", "VEHICLE")]
    return [(rng.choice([f"{D(rng, 3)} {L(rng, 3)}", f"{L(rng, 3)}{D(rng, 4)}", f"{rng.randint(1, 9)}-{L(rng, 2)}-{D(rng, 4)}",
                         f"{L(rng, 2)}-{D(rng, 3)}-{L(rng, 1)}", f"{D(rng, 1)}{L(rng, 2)}{D(rng, 3)}"]), "VEHICLE")]


def fill_dv(rng, v, arg):
    if arg != "bare" and rng.random() < 0.15:  # a "S/N" label stays outside the span
        return [("S/N ", None), (D(rng, 8), "DEVICE")]
    return [(rng.choice([f"{L(rng, 3)}{D(rng, 7)}", f"SN{D(rng, 9)}", f"{L(rng, 2)}-{D(rng, 6)}-{L(rng, 1)}",
                         f"(01){D(rng, 14)}(17){D(rng, 6)}(10){AN(rng, 5)}", f"{D(rng, 4)}{L(rng, 4)}{D(rng, 2)}",
                         f"{AN(rng, 12)}"]), "DEVICE")]


def fill_ix(rng, v, arg):
    if arg == "acc":  # pathology accession numbers
        return [(rng.choice([f"S{rng.randint(16, 26)}-{D(rng, 5)}", f"CY{rng.randint(16, 26)}-{D(rng, 4)}",
                             f"SP-{rng.randint(2016, 2026)}-{D(rng, 6)}"]), "ID")]
    return [(rng.choice([f"PA-{D(rng, 8)}", f"{D(rng, 12)}", f"IR{D(rng, 6)}", f"{rng.randint(2016, 2026)}-{D(rng, 5)}",
                         f"REF{AN(rng, 7)}", f"{L(rng, 3)}{D(rng, 7)}"]), "ID")]


FILLERS = {
    "nm": fill_nm, "nk": fill_nk, "dd": fill_dd, "bd": fill_bd, "yy": fill_yy, "ag": fill_ag, "ph": fill_ph,
    "em": fill_em, "ur": fill_ur, "ip": fill_ip, "st": fill_st, "ct": fill_ct, "cs": fill_cs, "zp": fill_zp,
    "full": fill_full, "fc": fill_fc, "mr": fill_mr, "sn": fill_sn, "ac": fill_ac, "hp": fill_hp, "li": fill_li,
    "vh": fill_vh, "dv": fill_dv, "ix": fill_ix,
}

# ---- Templates -------------------------------------------------------------------------------------

HELDOUT5 = [
    # operative reports
    "OPERATIVE REPORT\nPatient: {nm:upperlf}    MRN: {mr}\nDate of surgery: {dd:full}\nSurgeon: {nm:full}, MD\nAssistant: {nm:init}, PA-C\nAnesthesia: {nm:fml}, CRNA",
    "The patient was brought to OR 4 at {fc} and placed supine; time-out led by circulating nurse {nm:full}.",
    "Implant log: generator serial {dv}, leads {dv} and {dv}; registered to {nm:full} on {dd:full}.",
    "EBL 150 mL. Specimens to pathology (accession {ix:acc}). Dictated by {nm:fml} {dd:ts}.",
    "Indications: {nm:first} is a {ag}-year-old who fell at home in {ct} ({dd:part}) and sustained a hip fracture.",
    # pathology / cytology
    "SURGICAL PATHOLOGY REPORT   Accession: {ix:acc}\nName: {nm:upperlf}   DOB: {bd}   Age: {ag}\nCollected: {dd:full}   Received: {dd:full}\nSubmitting physician: {nm:full} ({fc})",
    "Cytology: adequate for evaluation. Reviewed with Dr. {nm:last} on {dd:part}; diagnosis called to {nm:full}, RN at 14:32.",
    "ADDENDUM ({dd:full}): immunostains performed at {fc}, {ct}, {zp}; pathologist {nm:init}.",
    "Gross: received fresh labeled with the patient's name ({nm:upper}) and \"left breast, 12 o'clock\".",
    # consults
    "Thank you for this consult, Dr. {nm:last}. I saw {nm:full}, a {ag}-year-old from {ct}, at the request of {nm:fml}.",
    "Reason for consult: delirium. Collateral from granddaughter {nm:first} ({ph}), who last saw him on {dd:wkd}.",
    "Recommendations discussed with the primary team ({nm:last}/{nm:last}) on {dd:part}; we will follow.",
    # ICU
    "ICU day 6 ({dd:full}). Overnight per night RN {nm:first}: self-extubated at 0300, reintubated by {nm:init}.",
    "Lines: R IJ CVC placed {dd:part} by {nm:last}; art line {dd:part}. Daughter {nm:first} updated by phone, {ph}.",
    "CRRT circuit {dv} clotted; biomed ({nm:full}) swapped the machine {dd:ts}.",
    # OB / L&D
    "G3P2 at 39w2d, EDD {dd:full}, admitted from {fc} triage. Partner {nm:full} and doula {nm:first} at bedside.",
    "SVD at {dd:ts} of a viable female, Apgars 8/9, delivered by {nm:full}, CNM. Baby girl {nm:full}, MRN {mr}.",
    "Prenatal records from {fc} (last visit {dd:part}) reviewed; GBS neg. Great-grandmother {nm:full}, {ag}, is her ride home.",
    "L&D: Bishop score 8, Pitocin started. Husband {nm:lower} requests updates at {ph}.",
    # pediatrics
    "lower|mom {nm:first} at bedside, dad {nm:first} driving in from {ct}",
    "{nm:first} is a 4 y/o brought in by mom {nm:full} and grandma {nm:first}; sibling {nm:first} has the same rash.",
    "Immunizations per state registry ID {ix}, last given {dd:full} at {fc:clinic}.",
    "Foster parent {nm:full} has custody per caseworker {nm:fml} ({em}).",
    # psychiatry
    "Pt states \"{nm:first} told me to stop my meds\"; {nm:first} is her ex-partner who lives on {st}.",
    "Involuntary hold placed {dd:ts} by {nm:full}, LCSW; court case {ix}.",
    "Collateral: sister {nm:full} ({em}) reports pt has not slept since {dd:month}.",
    "MSE: pt believes {nm:full} from church is monitoring her through the TV.",
    # PT / OT
    "PT EVAL {dd:full}: ambulated 150 ft with RW, CGA x1 ({nm:first}, PTA). Home: 2-story at {full}, 12 steps to enter.",
    "OT: husband {nm:full}, {ag}, will help with ADLs; DME order faxed to {fc:clinic} at {ph:fax}.",
    "Trendelenburg gait noted; Homans sign negative. Next session with {nm:first} on {dd:day}.",
    # case management / prior auth
    "RE: Prior authorization request\nMember: {nm:full}\nMember ID: {hp}\nGroup #: {hp}\nDOB: {bd}\nRequesting provider: {nm:fml}, NPI {li:npi}",
    "To whom it may concern: I am writing on behalf of my patient, {nm:full}, to appeal the denial dated {dd:full} (claim {ix}).",
    "CM: SNF bed offers from {fc:snf} and {fc:snf}; son {nm:first} prefers the one closer to {ct}.",
    "Medicaid ID {hp} verified with {nm:first} at the plan on {dd:part}; reference {ix}.",
    # incident reports
    "INCIDENT REPORT #{ix}\nDate/time of event: {dd:ts}\nLocation: 5 West, {fc}\nReported by: {nm:full}, RN\nWitness: {nm:lf}",
    "Pt found on floor by sitter {nm:first} ({nm:last}) at 0415; charge nurse {nm:full} notified; supervisor paged at {ph}.",
    # chaplain / hospice
    "Chaplain visit: sat with pt and wife {nm:first}; prayed with Rev. {nm:full} of their congregation in {ct}.",
    "Hospice admission {dd:full}. Pt is {ag:w} years old and wishes to die at home ({full}). Caregiver: niece {nm:full}.",
    "Bereavement packet mailed to {nm:full}, {full}.",
    "Pt in his late {ag:dec}, comfortable; hospice aide {nm:first} visits {dd:wkd}.",
    # dictation
    "This is Doctor {nm:full} dictating a discharge summary on {nm:full}, medical record number {mr}, date of admission {dd:sp}.",
    "lower|this is dr {nm:last} dictating for patient {nm:lower} date of service {dd:sp} period new paragraph",
    "Dictated {dd:full} by {nm:fml}; transcribed {dd:ts} by {nm:ii} (job {ix}).",
    "The patient was last seen in clinic on the {dd:sp}, comma, at which time she was doing well.",
    # pager / secure chat
    "PAGE to {ph}: pls call re bed 12 {nm:last}, K 6.1 -{nm:first}",
    "[Secure Chat {dd:ts}] {nm:full}: is the pt in 7 ok to go to {fc:snf} today?",
    "lower|@{nm:first} pt in 14 ({nm:lower}) asking for you, wife at bedside",
    # voicemail
    "Voicemail ({dd:ts}): \"Hi, this is {nm:full} calling for my dad {nm:full}, date of birth {bd}, please call me back at {ph}.\"",
    "VM from pharmacy ({nm:first} at {fc:clinic}) re: rx for {nm:lf}; callback {ph}.",
    # e-mail threads
    "From: {nm:full} <{em}>\nSent: {dd:ts}\nTo: {nm:full}\nSubject: {nm:last} - records request",
    "Thanks,\n{nm:full}, MSN, RN\nNurse Navigator | {fc}\n{full}\nP {ph} | F {ph:fax}\n{ur}",
    "> On {dd:full}, {nm:full} <{em:staff}> wrote:\n> pt {nm:first} still waiting on the MRI",
    # lab comments
    "Critical value: K 2.8 called to RN {nm:full} at 14:32 on {dd:full}, read back by {nm:init}.",
    "Specimen hemolyzed; redraw requested. Notified {nm:lower} (5N). Lab ID {ix}.",
    "Comment: results also faxed to {fc} ({ph:fax}) per Dr. {nm:last}'s request.",
    # EMS / transfer
    "EMS RUN SHEET   Unit: Medic 7   Incident #{ix}\nPt: {nm:upperlf}   Age: {ag}\nPickup: {full}\nDestination: {fc}\nCrew: {nm:init}, {nm:init}",
    "Transfer accepted by {nm:full} ({fc}) {dd:ts}; report given to {nm:first} at {ph}.",
    "Pt's car (plate {vh}, VIN {vh:vin}) left at {st}; keys with neighbor {nm:full}.",
    # home health
    "HH skilled nursing visit {dd:full} at pt home, {full}. Lives with son {nm:first} and his wife {nm:first}.",
    "Gate code given by {nm:first}; dog named Biscuit. Next visit {dd:wkd}. Agency: {fc:clinic}, {ph}.",
    # dental
    "DENTAL: #14 MOD composite placed {dd:full} by {nm:full}, DDS; hygienist {nm:first}. Recall {dd:my}.",
    "Referred to oral surgeon {nm:fml} at {fc:clinic} for #32 extraction; pano sent to {em:staff}.",
    # death / pronouncement
    "Pronounced at {dd:ts} by {nm:full}, MD. Family present: wife {nm:first}, sons {nm:first} and {nm:first}. ME case {ix}.",
    "upper|death certificate: decedent {nm:full}, age {ag}, residence {ct}, {zp}; informant {nm:full}",
    # names in many positions
    "Seen with interpreter ({nm:full}, Tigrinya, ID {ix}).",
    "{nm:last}'s daughter called twice today; she is the health care proxy.",
    "{nm:first} tolerated the session well and was discharged to {fc:snf}.",
    "{nm:word} from {fc:clinic} called; she will bring the paperwork on {dd:day}.",
    "Family: wife {nm:first}, sons {nm:first} and {nm:first}, daughter-in-law {nm:full}.",
    "Pt {nm:nick} prefers his nickname; goes by {nk} with staff.",
    "Attending/resident: {nm:last}/{nm:last}. Fellow: {nm:init}.",
    "{nm:upperlf} ({mr}) - {dd:full} - {fc}",
    "Visitors allowed: {nm:full}; {nm:full}; NOT {nm:full} (restraining order on file).",
    # dates, ages, identifiers
    "Symptoms began in mid-{dd:my}, worsened early {dd:month}, ED visit {dd:full}.",
    "Q: {dd:q} A: pain 7/10, took oxycodone at home.",
    "Last seen last {dd:wkd}; returns on the {dd:day} at 10.",
    "Hx: appendectomy {yy}, cholecystectomy {yy}, TKA {dd:part}.",
    "Insurance: {hp} (primary), Medicare MBI {hp:mbi}. Guarantor acct {ac}.",
    "DL {li} (exp {dd:full}); SSN {sn}. Emergency contact {nm:full}, {ph}.",
    "Remote monitor {dv} transmitted from {ip} on {dd:ts}.",
    "Portal login from {ip:v6} at {dd:ts}; username {em}.",
    "Education video sent: {ur}",
    "A {ag}-year-old widow, aged {ag:w} per her son, turned {ag} last month.",
    "Pt is a {ag}yo F from {cs} {zp}.",
    "DEA {li:dea}, state license {li}, for Dr. {nm:full}.",
    "Account {ac} billed {dd:full}; statement to {full}.",
    # no PHI (eponyms, word traps)
    "Murphy sign positive; Whipple discussed but deferred.",
    "Hope to extubate tomorrow if SBT passes.",
    "Rose from the chair without assistance; Romberg negative.",
    "Grant funding covers the home oxygen concentrator.",
    "Parkland formula used; Foley to gravity.",
]

TUNE5 = [
    "Procedure note: L knee arthroscopy by {nm:full} at {fc} on {dd:full}; scrub tech {nm:first}.",
    "Cytopathology {ix:acc}: atypical cells. Discussed with {nm:fml} ({dd:ts}).",
    "Pathology consult requested by Dr. {nm:last} ({fc}); slides returned to {full}.",
    "Many thanks for asking us to see {nm:full} ({ag} y/o) regarding syncope.",
    "ICU events: pressors weaned by {nm:init}; wife {nm:first} updated at {ph}.",
    "Labor check {dd:ts}: 6/90/0, by {nm:full}, CNM. Support person: {nm:first}.",
    "lower|dad {nm:first} says baby {nm:first} has been fussy since {dd:wkd}",
    "Pediatric well visit: {nm:first} here with grandpa {nm:full} and aunt {nm:first}.",
    "Psych: pt reports voices of {nm:first} and {nm:first}; safety plan reviewed with mother {nm:full}.",
    "OT session {dd:full}: pt practiced transfers with {nm:first}; discharge to {fc:snf}.",
    "Prior auth approved for member {nm:lf}, ID {hp}, auth {ix}, valid through {dd:full}.",
    "Letter of medical necessity for {nm:full} (DOB {bd}) signed by {nm:fml}, NPI {li:npi}.",
    "Event report {ix}: med error caught by {nm:full}, PharmD, on {dd:ts}.",
    "Spiritual care: pt's brother {nm:full} asked for a rabbi; Rabbi {nm:last} visited {dd:part}.",
    "Hospice: pt turned {ag} in {dd:my}; daughter {nm:full} lives in {ct}.",
    "dictating on {nm:lower}, date of visit {dd:sp}, referring physician {nm:full}",
    "Doctor {nm:last} here, dictating operative note for {nm:full}, surgery date {dd:sp}.",
    "PAGE {ph} from {nm:first} 4W: pt {nm:last} BP 82/40",
    "lower|secure msg {dd:ts} - {nm:first}: can u see {nm:lower} in rm 3",
    "Voicemail transcript: \"It's {nm:first} from {fc:clinic}, calling about {nm:full}, please call {ph}.\"",
    "From: {em}\nTo: {em:staff}\nDate: {dd:ts}\nRe: my mother {nm:full}",
    "Regards,\n{nm:fml}\nCase Manager, {fc}\nDirect {ph} | Fax {ph:fax}",
    "Troponin 2.1 phoned to {nm:full} (ED) {dd:ts}; verified by {nm:ii}.",
    "EMS: picked up at {full}, pt {nm:upper}, {ag} y/o, crew {nm:last}/{nm:last}.",
    "Interfacility transfer to {fc} accepted by Dr. {nm:full} on {dd:full}.",
    "Home visit: pt at {st}, {cs} {zp}; caregiver {nm:nick}.",
    "Dental hygiene {dd:full}: perio charting by {nm:full}, RDH; Dr. {nm:last} reviewed.",
    "Time of death {dd:ts}; pronounced by {nm:init}. Next of kin {nm:full} notified at {ph}.",
    "{nm:last}'s son wants a call back before {dd:day}.",
    "Relatives: brothers {nm:first} and {nm:first}, sister {nm:full}, cousin {nm:upper}.",
    "Known to staff as {nk}; legal name {nm:upperlf}.",
    "Team: {nm:last}/{nm:last}/{nm:init} (nights).",
    "{nm:word} called from {ct} about the bill (acct {ac}).",
    "Onset late {dd:my}; seen {dd:full}; biopsy {dd:part}.",
    "Visit date {dd:q}; prior {dd:wkd}.",
    "Ninety-plus: she is {ag:w}; her husband is {ag}.",
    "Plan ID {hp}, MBI {hp:mbi}; SSN {sn}; license {li}.",
    "Plate {vh}; VIN {vh:vin}; pump serial {dv}.",
    "Connection from {ip} and {ip:v6}; patient page {ur}.",
    "MRN {mr}, FIN {ac:bare}, born {bd}, lives at {full}.",
    "upper|pt {nm:full} from {ct}, seen {dd:full} at {fc}",
    "Contact {nm:full} via {em} or {ph}.",
    "Babinski down-going; Kernig negative.",
    "Faith-based support declined; chaplain to revisit.",
]
assert len(set(HELDOUT5)) == len(HELDOUT5) and len(set(TUNE5)) == len(TUNE5)


def build(part, templates, seed, per):
    rng = random.Random(seed)
    v = Vocab5(part)
    records = []
    for tid, t in enumerate(templates):
        n = per if engine.SLOT.search(t) else 3
        for _ in range(n):
            text, spans = engine.render(t, FILLERS, rng, v)
            for s in spans:
                assert s["value"] == text[s["start"]:s["end"]], (s, text)
                assert s["value"].strip() == s["value"] and s["value"], (s, text)
            records.append({"part": part, "template_id": tid, "text": text, "spans": spans})
    rng.shuffle(records)
    return [{"id": i, **r} for i, r in enumerate(records)]


def _low(words):
    return {w.lower() for w in words}


def check():
    assert not set(HELDOUT5) & set(TUNE5), "templates in both parts"
    a, b = Vocab5(HELD), Vocab5(TUNE)
    for key in vars(a):
        both = set(getattr(a, key)) & set(getattr(b, key))
        assert not both, f"{key} in both parts: {both}"
    import gen4
    import vocab
    earlier_names = _low(gen4.GIVEN) | _low(gen4.FAMILY) | _low(gen4.PARTICLE_FAMILY) | _low(vocab.WORD_GIVEN)
    earlier_names |= _low(vocab.SAINTS)
    for given, family in vocab.CULTURES.values():
        earlier_names |= _low(given) | _low(family)
    mine = _low(GIVEN) | _low(WORD_GIVEN) | _low(NICKS) | _low(FAMILY) | _low(PARTICLE_FAMILY) | _low(SAINTS5)
    assert not mine & earlier_names, f"names in earlier lists: {sorted(mine & earlier_names)}"
    earlier_towns = _low(gen4.CITIES) | {c.split("|")[0].lower() for c in vocab.CITIES}
    assert not _low(CITIES) & earlier_towns, f"towns in earlier lists: {sorted(_low(CITIES) & earlier_towns)}"
    earlier_streets = _low(gen4.STREET_WORDS) | _low(vocab.STREETS)
    assert not _low(STREET_WORDS) & earlier_streets, f"streets in earlier lists: {sorted(_low(STREET_WORDS) & earlier_streets)}"
    earlier_fac = _low(gen4.FAC_WORDS) | _low(vocab.HOSPITAL_WORDS)
    assert not _low(FAC_WORDS) & earlier_fac, f"facility words in earlier lists: {sorted(_low(FAC_WORDS) & earlier_fac)}"
    assert not _low(DOMAINS) & (_low(gen4.DOMAINS) | _low(vocab.EMAIL_DOMAINS)), "domain in earlier lists"
    assert not _low(WEB) & (_low(gen4.WEB) | _low(vocab.WEB_WORDS)), "web name in earlier lists"
    mine_t = set(HELDOUT5) | set(TUNE5)
    assert not mine_t & (set(gen4.HELDOUT4) | set(gen4.TUNE4)), "template of gen4 used again"
    import importlib
    for name in ("heldout", "heldout2", "heldout3", "tune", "tune2", "tune3"):
        try:
            m = importlib.import_module(name)
        except ImportError:  # the second and third generations need Faker; skipped without it
            continue
        assert not mine_t & set(m.TEMPLATES), f"template of {name} used again"


def main():
    check()
    engine.write_jsonl(os.path.join(HERE, "heldout5.jsonl"), build(HELD, HELDOUT5, 50521, 15))
    engine.write_jsonl(os.path.join(HERE, "tune5.jsonl"), build(TUNE, TUNE5, 15052, 17))


if __name__ == "__main__":
    main()
