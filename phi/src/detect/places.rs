//! Places: street addresses (number + street name + USPS street suffix +
//! unit), cities (in address grammar, before a state, or after a place cue
//! with place-name morphology), and hospital names (a proper name before a
//! facility word).

use super::scan::{prio, wc, Scan};
use super::token::{ALPHA, DIGITS, HAS_DIGIT, UPPER};
use crate::kind::PhiType;
use crate::lexicon::{FIRST, LAST, WORD};

/// USPS street suffixes (Publication 28, appendix C1: common names and
/// abbreviations), lowercase.
fn street_suffix(w: &str) -> bool {
    matches!(
        w,
        "alley"
            | "aly"
            | "annex"
            | "arcade"
            | "avenue"
            | "ave"
            | "av"
            | "bayou"
            | "beach"
            | "bend"
            | "bluff"
            | "bluffs"
            | "bottom"
            | "boulevard"
            | "blvd"
            | "branch"
            | "bridge"
            | "brook"
            | "brooks"
            | "burg"
            | "burgs"
            | "bypass"
            | "camp"
            | "canyon"
            | "cape"
            | "causeway"
            | "center"
            | "centers"
            | "circle"
            | "cir"
            | "circles"
            | "cliff"
            | "cliffs"
            | "club"
            | "common"
            | "commons"
            | "corner"
            | "corners"
            | "course"
            | "court"
            | "ct"
            | "courts"
            | "cove"
            | "coves"
            | "creek"
            | "crescent"
            | "crest"
            | "crossing"
            | "crossroad"
            | "curve"
            | "dale"
            | "dam"
            | "divide"
            | "drive"
            | "dr"
            | "drives"
            | "estate"
            | "estates"
            | "expressway"
            | "expy"
            | "extension"
            | "ext"
            | "fall"
            | "falls"
            | "ferry"
            | "field"
            | "fields"
            | "flat"
            | "flats"
            | "ford"
            | "fords"
            | "forest"
            | "forge"
            | "forges"
            | "fork"
            | "forks"
            | "fort"
            | "freeway"
            | "fwy"
            | "garden"
            | "gardens"
            | "gateway"
            | "glen"
            | "glens"
            | "green"
            | "greens"
            | "grove"
            | "groves"
            | "harbor"
            | "harbors"
            | "haven"
            | "heights"
            | "hts"
            | "highway"
            | "hwy"
            | "hill"
            | "hills"
            | "hollow"
            | "inlet"
            | "island"
            | "islands"
            | "isle"
            | "junction"
            | "junctions"
            | "key"
            | "keys"
            | "knoll"
            | "knolls"
            | "lake"
            | "lakes"
            | "land"
            | "landing"
            | "lane"
            | "ln"
            | "light"
            | "lights"
            | "loaf"
            | "lock"
            | "locks"
            | "lodge"
            | "loop"
            | "mall"
            | "manor"
            | "manors"
            | "meadow"
            | "meadows"
            | "mews"
            | "mill"
            | "mills"
            | "mission"
            | "motorway"
            | "mount"
            | "mountain"
            | "mountains"
            | "neck"
            | "orchard"
            | "oval"
            | "overpass"
            | "park"
            | "parks"
            | "parkway"
            | "pkwy"
            | "parkways"
            | "pass"
            | "passage"
            | "path"
            | "pike"
            | "pine"
            | "pines"
            | "place"
            | "pl"
            | "plain"
            | "plains"
            | "plaza"
            | "point"
            | "points"
            | "port"
            | "ports"
            | "prairie"
            | "radial"
            | "ramp"
            | "ranch"
            | "rapid"
            | "rapids"
            | "rest"
            | "ridge"
            | "ridges"
            | "river"
            | "road"
            | "rd"
            | "roads"
            | "route"
            | "row"
            | "rue"
            | "run"
            | "shoal"
            | "shoals"
            | "shore"
            | "shores"
            | "skyway"
            | "spring"
            | "springs"
            | "spur"
            | "spurs"
            | "square"
            | "sq"
            | "squares"
            | "station"
            | "stravenue"
            | "stream"
            | "street"
            | "st"
            | "streets"
            | "summit"
            | "terrace"
            | "ter"
            | "throughway"
            | "trace"
            | "track"
            | "trafficway"
            | "trail"
            | "trl"
            | "trailer"
            | "tunnel"
            | "turnpike"
            | "underpass"
            | "union"
            | "unions"
            | "valley"
            | "valleys"
            | "viaduct"
            | "view"
            | "views"
            | "village"
            | "villages"
            | "ville"
            | "vista"
            | "walk"
            | "walks"
            | "wall"
            | "way"
            | "ways"
            | "well"
            | "wells"
            | "via"
    )
}

/// Street suffixes written as abbreviations, which take a dot ("Ave.").
fn abbreviated_suffix(w: &str) -> bool {
    matches!(
        w,
        "st" | "ave"
            | "av"
            | "rd"
            | "dr"
            | "ln"
            | "blvd"
            | "ct"
            | "pl"
            | "ter"
            | "cir"
            | "pkwy"
            | "hwy"
            | "trl"
            | "sq"
            | "expy"
            | "fwy"
            | "hts"
            | "aly"
            | "ext"
    )
}

/// Directions before or after a street name ("N", "West", "NE").
fn direction(w: &str) -> bool {
    matches!(
        w,
        "n" | "s" | "e" | "w" | "ne" | "nw" | "se" | "sw" | "north" | "south" | "east" | "west"
    )
}

/// Unit designators after a street ("Apt. 4", "Suite 200", "#5").
fn unit_designator(w: &str) -> bool {
    matches!(
        w,
        "apt"
            | "apartment"
            | "suite"
            | "ste"
            | "unit"
            | "bldg"
            | "building"
            | "fl"
            | "floor"
            | "lot"
            | "spc"
            | "space"
            | "trlr"
            | "dept"
            | "rm"
            | "room"
            | "box"
            | "flat"
    )
}

/// Unit words that stand without a number ("Covered Bridge Ave., Lower",
/// "Jackrabbit Glen Upper Unit", "Rear").
fn bare_unit(w: &str) -> bool {
    matches!(
        w,
        "upper" | "lower" | "rear" | "front" | "basement" | "bsmt" | "penthouse" | "ph"
    )
}

pub(crate) fn one_word_state(w: &str) -> bool {
    super::words::class_of(w) & super::scan::wc::STATE != 0
}

/// Second words of two-word states, keyed by their first word.
fn two_word_state(first: &str, second: &str) -> bool {
    matches!(
        (first, second),
        ("new", "hampshire" | "jersey" | "mexico" | "york")
            | ("north" | "south", "carolina" | "dakota")
            | ("west", "virginia")
            | ("rhode", "island")
            | ("puerto", "rico")
    )
}

const STATE_ABBR: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC", "PR", "GU", "VI",
];

/// If a US state name or abbreviation ends at token `i`, its first token.
pub(crate) fn state_ends_at(s: &Scan<'_>, i: usize) -> Option<usize> {
    if i >= s.n() || !s.is(i, ALPHA) || (s.cased && !s.is(i, super::token::CAP)) {
        return None;
    }
    let len = s.t[i].len();
    if !(2..=13).contains(&len) || len == 3 {
        return None;
    }
    // Cheap first: every state word longer than two letters is in the list.
    if len > 2 && s.wc(i) & super::scan::wc::STATE == 0 {
        return None;
    }
    let w = s.lw(i);
    let ws = w.as_str();
    if s.t[i].len() == 2 {
        if s.cased && !s.is(i, UPPER) {
            return None;
        }
        let tok = s.tok(i);
        // Two bytes compared at once (no string compare per abbreviation).
        let pair = |w: &str| {
            w.as_bytes()
                .first_chunk::<2>()
                .map(|&p| u16::from_ne_bytes(p))
        };
        if STATE_ABBR.iter().any(|a| pair(a) == pair(tok))
            || (!s.cased && STATE_ABBR.iter().any(|a| a.eq_ignore_ascii_case(tok)))
        {
            return Some(i);
        }
        return None;
    }
    if i > 0 && s.joined(i - 1, " ") && two_word_state(s.lw(i - 1).as_str(), ws) {
        return Some(i - 1);
    }
    if ws == "columbia" && i >= 2 && s.eq(i - 1, "of") && s.eq(i - 2, "district") {
        return Some(i - 2);
    }
    if one_word_state(ws) {
        return Some(i);
    }
    None
}

/// Whether tokens `i..` start a US state name.
fn state_starts_at(s: &Scan<'_>, i: usize) -> bool {
    (i..(i + 3).min(s.n())).any(|e| state_ends_at(s, e) == Some(i))
}

/// Place prefixes: "North Austin", "Lake Charles", "Port Michael".
pub(crate) fn place_prefix(w: &str) -> bool {
    matches!(
        w,
        "north"
            | "south"
            | "east"
            | "west"
            | "new"
            | "lake"
            | "port"
            | "fort"
            | "mount"
            | "mt"
            | "saint"
            | "st"
            | "san"
            | "santa"
            | "los"
            | "las"
            | "el"
            | "glen"
            | "grand"
            | "point"
            | "palm"
            | "bay"
            | "cape"
            | "little"
            | "great"
            | "old"
    )
}

/// Place-name endings: Jamestown, Davisview, Michaelburgh, Ramosport.
fn place_suffix(w: &str) -> bool {
    // Grouped by last byte, so that a word is compared only with the
    // suffixes it could have.
    let suffixes: &[&str] = match w.as_bytes().last().copied() {
        Some(b'd') => &["land", "stad", "field", "ford", "wood"],
        Some(b'e') => &["ville", "side", "shire", "dale", "ridge", "vale"],
        Some(b'g') => &["burg", "berg"],
        Some(b'h') => &["burgh", "borough", "mouth", "beach", "worth"],
        Some(b'k') => &["wick"],
        Some(b'm') => &["ham"],
        Some(b'n') => &["town", "ton", "haven"],
        Some(b'o') => &["boro"],
        Some(b'r') => &["chester", "caster"],
        Some(b's') => &["polis", "falls", "heights", "springs"],
        Some(b't') => &["port", "furt", "fort", "mont"],
        Some(b'w') => &["view"],
        Some(b'y') => &["bury", "city"],
        _ => &[],
    };
    suffixes
        .iter()
        .any(|s| w.len() >= s.len() + 3 && w.ends_with(s))
}

/// US places whose names are also medical eponyms, drugs or scales
/// ("Cushing syndrome", "Norco 5/325", "Glasgow coma scale"): never a city
/// without a cue.
fn eponym_place(w: &str) -> bool {
    matches!(
        w,
        "cushing"
            | "norco"
            | "glasgow"
            | "norwood"
            | "wilson"
            | "addison"
            | "graves"
            | "murphy"
            | "richmond"
            | "bell"
            | "paget"
            | "hodgkin"
            | "parkinson"
            | "lyme"
            | "denver"
            | "apgar"
            | "crohn"
            | "marshall"
            | "tyler"
            | "braden"
            | "morse"
            | "epic"
            | "cerner"
            | "mayo"
            | "hopkins"
            | "kaiser"
            | "sutter"
            | "baylor"
            | "duke"
            | "emory"
            | "tufts"
            | "stanford"
            | "vanderbilt"
            // peoples and faiths
            | "cherokee"
            | "shawnee"
            | "seneca"
            | "mohave"
            | "comanche"
            | "catholic"
    )
}

/// Words that announce a city with any shape: "lives in X", "pharmacy in X".
fn strong_city_cue(w: &str) -> bool {
    matches!(
        w,
        "lives"
            | "living"
            | "resides"
            | "residing"
            | "resident"
            | "moved"
            | "born"
            | "pharmacy"
            | "located"
            | "based"
            | "relocated"
            | "visiting"
            | "traveled"
            | "travelled"
            | "native"
            | "hometown"
    )
}

/// Words that end a facility's name on their own.
pub(crate) const FACILITY_NOUNS: &[&str] = &[
    "hospital",
    "clinic",
    "infirmary",
    "hospice",
    "sanitarium",
    "sanatorium",
    "healthcare",
    // "Butler Memorial", "Saint Laura Health": the last word of a name
    // (only with a proper word before it).
    "memorial",
    "health",
    "regional",
    "general",
    // "Holloway Pediatrics", "Elm Manor", "Brookside Rehab"
    "pediatrics",
    "orthopedics",
    "orthopaedics",
    "manor",
    "rehab",
    // "Riverside Dialysis"
    "dialysis",
    // "Rady Children's", "Okanogan Women's and Children's": a children's
    // hospital by its usual short name (possessive only, see `hospital`)
    "children",
    // "Walgreens Pharmacy", "Quest Diagnostics", "Mojave Oxygen and DME"
    "pharmacy",
    "dme",
    "diagnostics",
    "laboratories",
];

/// What follows the type word of a facility: "Medical Center", "Heart
/// Institute", "Health System".
const CENTER: &[&str] = &[
    "center",
    "centre",
    "centers",
    "institute",
    "group",
    "associates",
    "partners",
    "system",
    "network",
    "services",
    "pavilion",
    "campus",
    "clinic",
    "unit",
    "agency",
    "equipment",
    "supply",
    "supplies",
];

/// Two-word facility phrases: a first word and the words that may follow
/// it ("Medical Center", "Nursing Home", "Assisted Living", "Urgent Care").
const FACILITY_PHRASES: &[(&str, &[&str])] = &[
    ("medical", CENTER),
    ("health", CENTER),
    ("healthcare", CENTER),
    ("cancer", CENTER),
    ("surgical", CENTER),
    ("surgery", CENTER),
    ("heart", CENTER),
    (
        "rehabilitation",
        &[
            "center",
            "centre",
            "institute",
            "hospital",
            "facility",
            "unit",
        ],
    ),
    ("rehab", &["center", "centre", "facility"]),
    ("care", &["center", "centre", "facility", "home"]),
    ("trauma", CENTER),
    ("dialysis", CENTER),
    ("eye", CENTER),
    ("imaging", CENTER),
    ("infusion", CENTER),
    ("wellness", CENTER),
    ("kidney", CENTER),
    ("sleep", CENTER),
    ("wound", CENTER),
    ("diabetes", CENTER),
    ("birth", CENTER),
    ("birthing", CENTER),
    ("dental", CENTER),
    ("vision", CENTER),
    ("pain", CENTER),
    ("spine", CENTER),
    ("stroke", CENTER),
    ("transplant", CENTER),
    ("burn", CENTER),
    ("cardiac", CENTER),
    ("cardiovascular", CENTER),
    ("vascular", CENTER),
    ("orthopedic", CENTER),
    ("orthopaedic", CENTER),
    ("neuroscience", CENTER),
    ("psychiatric", CENTER),
    ("behavioral", &["health", "center", "hospital", "institute"]),
    ("treatment", CENTER),
    ("recovery", CENTER),
    ("maternity", CENTER),
    ("hearing", CENTER),
    ("breast", CENTER),
    ("endoscopy", CENTER),
    ("ambulatory", CENTER),
    ("outpatient", CENTER),
    ("memory", &["care", "center"]),
    ("nursing", &["home", "facility", "center", "centre"]),
    ("skilled", &["nursing"]),
    ("assisted", &["living"]),
    ("senior", &["living", "center", "care"]),
    ("retirement", &["home", "community", "center"]),
    ("convalescent", &["home", "center", "hospital"]),
    ("urgent", &["care"]),
    // "Long-Term Care"
    ("term", &["care"]),
    ("hospital", &["center", "centre", "district", "authority"]),
    ("veterans", &["home", "hospital", "center", "centre"]),
    ("home", &["health", "care"]),
    ("family", &["medicine", "practice", "health"]),
    ("primary", &["care"]),
    ("physicians", &["group"]),
    ("physical", &["therapy", "medicine", "rehabilitation"]),
    ("occupational", &["therapy", "health", "medicine"]),
    ("speech", &["therapy"]),
    ("hospice", &["house", "home", "care", "center", "centre"]),
];

/// The words that may follow `w` in a facility phrase.
fn facility_phrase(w: &str) -> Option<&'static [&'static str]> {
    FACILITY_PHRASES
        .iter()
        .find(|(first, _)| *first == w)
        .map(|(_, seconds)| *seconds)
}

/// Words of the facility word class (`wc::FACILITY`): single facility nouns
/// and the first words of facility phrases.
pub(crate) fn facility_words() -> impl Iterator<Item = &'static str> {
    FACILITY_NOUNS
        .iter()
        .copied()
        .chain(FACILITY_PHRASES.iter().map(|(w, _)| *w))
}

/// Words that are part of a facility's name without being a proper name.
fn generic_facility_word(w: &str) -> bool {
    matches!(
        w,
        "regional"
            | "long"
            | "term"
            | "general"
            | "memorial"
            | "community"
            | "university"
            | "county"
            | "medical"
            | "health"
            | "children"
            | "women"
            | "veterans"
            | "district"
            | "state"
            | "city"
            | "heart"
            | "good"
            | "the"
            | "specialty"
            | "surgical"
            | "surgery"
            | "cancer"
            | "rehabilitation"
            | "rehab"
            | "behavioral"
            | "psychiatric"
            | "mental"
            | "care"
            | "primary"
            | "urgent"
            | "family"
            | "internal"
            | "medicine"
            | "cardiology"
            | "oncology"
            | "neurology"
            | "dermatology"
            | "pediatric"
            | "pediatrics"
            | "orthopedic"
            | "orthopedics"
            | "urology"
            | "nephrology"
            | "pulmonary"
            | "gastroenterology"
            | "endocrinology"
            | "rheumatology"
            | "psychiatry"
            | "wound"
            | "pain"
            | "sleep"
            | "diabetes"
            | "eye"
            | "dental"
            | "kidney"
            | "dialysis"
            | "imaging"
            | "radiology"
            | "outpatient"
            | "inpatient"
            | "teaching"
            | "trauma"
            | "center"
            | "centre"
            | "hospital"
            | "clinic"
            | "clinics"
            | "infusion"
            | "anticoagulation"
            | "coumadin"
            | "heme"
            | "hematology"
            | "womens"
            | "childrens"
            | "va"
            | "system"
            | "services"
            | "network"
            | "group"
            | "emergency"
            | "ambulatory"
            | "day"
            | "walk"
            | "in"
            | "and"
            | "of"
            | "s"
            | "cardiac"
            | "vascular"
            | "spine"
            | "joint"
            | "transplant"
            | "burn"
            | "stroke"
            | "maternity"
            | "obstetrics"
            | "gynecology"
            | "ob"
            | "gyn"
            | "ent"
            | "gi"
            | "infectious"
            | "disease"
            | "diseases"
            | "lab"
            | "laboratory"
            | "physical"
            | "therapy"
            | "occupational"
            | "speech"
            | "hearing"
            | "vision"
            | "cardiovascular"
            | "nursing"
            | "skilled"
            | "assisted"
            | "living"
            | "senior"
            | "home"
            | "manor"
            | "institute"
            | "facility"
            | "practice"
            | "wellness"
            | "recovery"
            | "treatment"
            | "retirement"
            | "convalescent"
            | "birth"
            | "birthing"
            | "endoscopy"
            | "breast"
            | "neuroscience"
            | "orthopaedic"
            | "partners"
            | "associates"
            | "physicians"
            | "pavilion"
            | "campus"
            | "unit"
    )
}

impl Scan<'_> {
    // ---- Street addresses ------------------------------------------------

    /// A street address starting at digit token `i`: "8593 Craig Shoals",
    /// "2500 Hill Trace Apt. 927", "302 N. Young Street NE, Suite 5",
    /// "51 O'Farrell Ct #4". The street name ends with a USPS suffix.
    #[inline(always)]
    pub(crate) fn street_address(&mut self, i: usize) {
        let n = self.n();
        // "72-77 Yarrow Walk": a hyphenated (Queens-style) house number
        let mut house = i;
        if i > 0 {
            let g = self.gap_before(i);
            let queens = g == "-"
                && self.digits(i - 1)
                && self.digits(i)
                && self.t[i - 1].len() <= 3
                && self.t[i].len() <= 3
                && (i == 1 || !matches!(self.gap_before(i - 1), "-" | "/" | "." | ":"));
            if queens {
                house = i - 1;
            } else if g.ends_with(['.', '/', '-', ',', ':', '$', '#']) && g.len() == 1 {
                return;
            }
        }
        // "8896 W 900 N": a grid address (number, direction, number, direction)
        if i + 3 < n
            && self.digits(i)
            && self.digits(i + 2)
            && (2..=5).contains(&self.t[i + 2].len())
            && [i + 1, i + 3].iter().all(|&k| {
                self.t[k].len() == 1 && self.is(k, UPPER) && direction(self.lw(k).as_str())
            })
            && (i..i + 3).all(|k| self.gap(k) == " ")
        {
            self.push(
                self.t[house].start,
                self.t[i + 3].end,
                PhiType::StreetAddress,
                prio::ADDRESS,
            );
            if matches!(self.gap(i + 3), ", " | " , " | "\n" | " ") {
                self.city_run(i + 4, self.gap(i + 3) != " ");
            }
            return;
        }
        // Street-name words: capitalised (or anything alphabetic in a
        // caseless text), up to 5, ending with a street suffix.
        let mut best: Option<usize> = None;
        let mut k = i;
        let mut words = 0;
        while words < 6 {
            if k + 1 >= n {
                break;
            }
            let g = self.gap(k);
            let next = k + 1;
            // "W. Eagle Crest": a directional abbreviation with its dot.
            let dotted_direction =
                g == ". " && k > i && self.t[k].len() <= 2 && direction(self.lw(k).as_str());
            let apostrophe = matches!(g, "'" | "’") && self.t[k].len() == 1;
            let hyphen = g == "-" && k > i;
            if !(Self::spaces(g) && g.len() <= 2 || dotted_direction || apostrophe || hyphen) {
                break;
            }
            let ok_word = if self.is(next, ALPHA) {
                self.cap(next)
                    || (self.cased && self.is(next, UPPER))
                    || (apostrophe || hyphen) && self.is(next, ALPHA)
                    // "de la Vina": a lowercase particle inside the name
                    || self.cased
                        && super::names::particle(self.lw(next).as_str())
                        && k + 2 < n
                        && self.cap(k + 2)
            } else {
                // "5th", "42nd"
                let w = self.lw(next);
                let s = w.as_str();
                self.is(next, HAS_DIGIT)
                    && (s.ends_with("st")
                        || s.ends_with("nd")
                        || s.ends_with("rd")
                        || s.ends_with("th"))
                    && s.len() <= 6
            };
            // "at 94 she still drives": a pronoun or a verb is no street word
            let pronoun = || {
                matches!(
                    self.lw(next).as_str(),
                    "she" | "he" | "they" | "we" | "i" | "it" | "you" | "is" | "was" | "has"
                )
            };
            if !ok_word || !self.cased && pronoun() {
                break;
            }
            k = next;
            words += 1;
            if k > i + 1 && street_suffix(self.lw(k).as_str()) && !apostrophe {
                best = Some(k);
            }
        }
        // "608 County Road 434": a numbered road reaches past its "Road".
        let numbered = self.street_without_suffix(i);
        let Some(mut e) = best.max(numbered).or(best) else {
            return;
        };
        // Reject clinical phrases: a lone number then one common word and a
        // suffix-like word, in lowercase text ("2 view chest")
        if !self.cased
            && self.lex_flags(i + 1) & WORD != 0
            && e == i + 2
            && !matches!(
                self.lw(e).as_str(),
                "street"
                    | "avenue"
                    | "ave"
                    | "road"
                    | "rd"
                    | "drive"
                    | "dr"
                    | "boulevard"
                    | "blvd"
                    | "lane"
                    | "ln"
                    | "court"
                    | "ct"
                    | "terrace"
                    | "ter"
                    | "parkway"
                    | "pkwy"
                    | "highway"
                    | "hwy"
                    | "st"
                    | "place"
                    | "pl"
                    | "circle"
                    | "cir"
                    | "loop"
                    | "trail"
                    | "way"
            )
        {
            return;
        }
        // Post-directional: "Main St NE", "Oak Ave. SW"
        if e + 1 < n
            && matches!(self.gap(e), " " | ". ")
            && self.t[e + 1].len() <= 2
            && direction(self.lw(e + 1).as_str())
            && (self.is(e + 1, UPPER) || !self.cased)
            && !(e + 2 < n && self.is(e + 2, DIGITS) && self.gap(e + 1) == " ")
        {
            e += 1;
        }
        // Unit: "Apt. 472", ", Suite 005", "#5", "Unit 3B", "Apt #19"
        if let Some(u) = self.unit_after(e) {
            e = u;
        }
        let start = self.t[house].start;
        let mut end = self.t[e].end;
        // "Oak Ave." at the end of a sentence: the abbreviation keeps its dot.
        if self.b.get(end) == Some(&b'.') && abbreviated_suffix(self.lw(e).as_str()) {
            end += 1;
        }
        self.push(start, end, PhiType::StreetAddress, prio::ADDRESS);
        // City after the address: ", City, State" / ", City ZIP" / ", City"
        if e + 1 < n && matches!(self.gap(e), ", " | " , ") {
            self.city_run(e + 1, true);
        } else if e + 1 < n && matches!(self.gap(e), " " | "  " | "\n" | " \n") {
            // "64161 Keller Lodge Markview WA 26748": a city before a state
            self.city_run(e + 1, false);
        }
    }

    /// The last token of a street written without a USPS suffix after the
    /// house number at token `i`: a street-type word first ("4410 Rue
    /// Dauphine", "12 Calle Ocho", "9 Avenida Juárez") or a numbered road
    /// ("3100 Highway 61", "77 County Road 12", "500 Route 9W").
    fn street_without_suffix(&self, i: usize) -> Option<usize> {
        let n = self.n();
        let mut k = i + 1;
        if k < n
            && self.t[k].len() <= 2
            && direction(self.lw(k).as_str())
            && matches!(self.gap(k), " " | ". ")
        {
            k += 1;
        }
        if k >= n || !Self::spaces(self.gap(k - 1)) || !self.cap(k) {
            return None;
        }
        let w = self.lw(k);
        match w.as_str() {
            "rue" | "avenida" | "calle" | "camino" | "via" | "paseo" | "avenue" | "boulevard" => {
                let mut e = k;
                while e + 1 < n && e < k + 3 && Self::spaces(self.gap(e)) && self.cap(e + 1) {
                    let next = self.lw(e + 1);
                    if unit_designator(next.as_str())
                        || self.wc(e + 1) & super::scan::wc::STOP != 0
                            && !place_prefix(next.as_str())
                    {
                        break;
                    }
                    e += 1;
                }
                (e > k).then_some(e)
            }
            "highway" | "hwy" | "route" | "rte" | "interstate" | "county" | "state" | "farm"
            | "fm" | "us" | "sr" | "cr" => {
                let mut e = k;
                // "County Road 12", "State Route 9", "Farm Road 1960"
                if matches!(w.as_str(), "county" | "state" | "farm")
                    && matches!(
                        self.lw(e + 1).as_str(),
                        "road" | "route" | "rd" | "highway" | "hwy"
                    )
                    && Self::spaces(self.gap(e))
                {
                    e += 1;
                }
                let num = e + 1;
                // "County Road 12", and Wisconsin's lettered county roads:
                // "County Road K", "County Road JJ"
                let lettered = e > k
                    && self.eq(k, "county")
                    && self.is(num, UPPER | ALPHA)
                    && self.t[num].len() <= 2;
                (num < n
                    && matches!(self.gap(e), " " | "-" | " #")
                    && (self.is(num, HAS_DIGIT) || lettered)
                    && self.t[num].len() <= 4)
                    .then_some(num)
            }
            _ => None,
        }
    }

    /// The last token of a unit after token `e` ("Apt 4B", ", Suite 200",
    /// "#12", "Bldg 3, Apt. 2"), if one follows.
    fn unit_after(&self, e: usize) -> Option<usize> {
        let n = self.n();
        let g = self.gap(e);
        let value_ok = |v: usize| {
            v < n
                && self.t[v].len() <= 6
                && (self.is(v, HAS_DIGIT) || self.t[v].len() == 1 && self.is(v, UPPER))
        };
        if e + 1 < n
            && unit_designator(self.lw(e + 1).as_str())
            && matches!(g, " " | ", " | ". " | "." | ".. " | "., ")
        {
            let u = e + 1;
            if matches!(
                self.gap(u),
                " " | ". " | "." | " #" | "# " | " # " | "#" | ".#" | ". #"
            ) && value_ok(u + 1)
            {
                let mut v = u + 1;
                // "Apt 7-C", "Apt 4-12"
                if v + 1 < n
                    && self.gap(v) == "-"
                    && self.t[v + 1].len() <= 3
                    && (self.is(v + 1, DIGITS) || self.t[v + 1].len() == 1 && self.is(v + 1, UPPER))
                {
                    v += 1;
                }
                return Some(self.unit_after(v).unwrap_or(v));
            }
        } else if e + 1 < n
            && matches!(g, " #" | ", #" | " # " | ". #" | ", # " | "#")
            && value_ok(e + 1)
        {
            return Some(e + 1);
        } else if e + 1 < n
            && matches!(g, " " | ", " | "., ")
            && self.cap(e + 1)
            && bare_unit(self.lw(e + 1).as_str())
        {
            // "Upper Unit", "Lower", then the end of the address
            let mut u = e + 1;
            if u + 1 < n && self.gap(u) == " " && self.eq(u + 1, "unit") {
                u += 1;
            }
            let ends = u + 1 >= n || self.gap(u).starts_with([';', ',', '\n', '.']);
            if ends {
                return Some(u);
            }
        }
        None
    }

    /// A post-office box: "PO Box 123", "P.O. Box 55", "Post Office Box 9".
    pub(crate) fn po_box(&mut self, i: usize) {
        let n = self.n();
        let w = self.lw(i);
        // "POB 51": the box number right after
        if w.as_str() == "pob"
            && self.gap(i) == " "
            && i + 1 < n
            && self.is(i + 1, DIGITS)
            && self.t[i + 1].len() <= 6
        {
            let e = i + 1;
            self.push(
                self.t[i].start,
                self.t[e].end,
                PhiType::StreetAddress,
                prio::ADDRESS,
            );
            if e + 1 < n && matches!(self.gap(e), ", " | " , ") {
                self.city_run(e + 1, true);
            } else if e + 1 < n && matches!(self.gap(e), " " | "  " | "\n" | " \n") {
                self.city_run(e + 1, false);
            }
            return;
        }
        // Rural routes and highway contract routes: "RR 2 Box 14", "Rural
        // Route 6, Box 28", "HC 64 Box 12"
        let route_num = match w.as_str() {
            "rr" | "hc" if self.gap(i) == " " && (self.is(i, UPPER) || !self.cased) => Some(i + 1),
            "rural" if self.eq(i + 1, "route") && self.gap(i) == " " && self.gap(i + 1) == " " => {
                Some(i + 2)
            }
            _ => None,
        };
        if let Some(r) = route_num {
            if r + 2 < n
                && self.is(r, DIGITS)
                && self.t[r].len() <= 3
                && matches!(self.gap(r), " " | ", ")
                && self.eq(r + 1, "box")
                && matches!(self.gap(r + 1), " " | " #")
                && self.is(r + 2, DIGITS)
                && self.t[r + 2].len() <= 5
            {
                let e = r + 2;
                self.push(
                    self.t[i].start,
                    self.t[e].end,
                    PhiType::StreetAddress,
                    prio::ADDRESS,
                );
                if e + 1 < n && matches!(self.gap(e), ", " | " , ") {
                    self.city_run(e + 1, true);
                } else if e + 1 < n && matches!(self.gap(e), " " | "  " | "\n" | " \n") {
                    self.city_run(e + 1, false);
                }
            }
            return;
        }
        let box_at = match w.as_str() {
            "po" | "pob" if self.gap(i) == " " => i + 1,
            "p" if matches!(self.gap(i), "." | ". ")
                && self.eq(i + 1, "o")
                && matches!(self.gap(i + 1), ". " | " ") =>
            {
                i + 2
            }
            "post" if self.eq(i + 1, "office") && self.gap(i) == " " && self.gap(i + 1) == " " => {
                i + 2
            }
            _ => return,
        };
        if box_at + 1 >= n
            || !self.eq(box_at, "box")
            || !matches!(self.gap(box_at), " " | " #" | " # ")
            || !self.is(box_at + 1, HAS_DIGIT)
            || self.t[box_at + 1].len() > 8
        {
            return;
        }
        let e = box_at + 1;
        self.push(
            self.t[i].start,
            self.t[e].end,
            PhiType::StreetAddress,
            prio::ADDRESS,
        );
        if e + 1 < n && matches!(self.gap(e), ", " | " , ") {
            self.city_run(e + 1, true);
        } else if e + 1 < n && matches!(self.gap(e), " " | "  " | "\n" | " \n") {
            self.city_run(e + 1, false);
        }
    }

    /// A city made of up to 3 capitalised tokens starting at `i`; when
    /// `after_address`, any capitalised run ending before a comma, a state or
    /// a ZIP counts; otherwise it must be followed by `, State`.
    fn city_run(&mut self, i: usize, after_address: bool) -> bool {
        let n = self.n();
        // "…, Colorado Springs.": a known place that starts like a state
        if after_address {
            if let Some(e) = self.gazetteer_run(i) {
                let g = self.gap(e);
                let ends = e + 1 >= n || g.starts_with([',', ';', '.', '\n']) || self.digits(e + 1);
                if ends && state_ends_at(self, e).is_none_or(|s| s != i) {
                    self.push(self.t[i].start, self.t[e].end, PhiType::City, prio::CITY);
                    return true;
                }
            }
        }
        let apostrophe_name = i + 1 < n && self.t[i].len() == 1 && matches!(self.gap(i), "'" | "’");
        if i >= n || !(self.city_word(i) || apostrophe_name) || state_starts_at(self, i) {
            return false;
        }
        let mut e = i;
        while e + 1 < n
            && e < i + 3
            && self.city_join(e)
            && (self.city_word(e + 1) || self.t[e + 1].len() == 1 && self.is(e + 1, ALPHA))
            && !state_starts_at(self, e + 1)
        {
            e += 1;
        }
        let g = self.gap(e);
        let followed_by_state = e + 1 < n
            && matches!(g, ", " | " ")
            && (e + 1..(e + 4).min(n)).any(|k| state_ends_at(self, k).is_some_and(|s| s == e + 1));
        let followed_by_zip =
            e + 1 < n && Self::spaces(g) && self.digits(e + 1) && self.t[e + 1].len() == 5;
        let ends_clause = e + 1 >= n || g.starts_with([',', ';', '.', '\n']);
        if followed_by_state || (after_address && (followed_by_zip || ends_clause)) {
            self.push(self.t[i].start, self.t[e].end, PhiType::City, prio::CITY);
            return true;
        }
        false
    }

    fn city_word(&self, i: usize) -> bool {
        if !self.is(i, ALPHA) || !self.cap(i) {
            return false;
        }
        let w = self.lw(i);
        let ws = w.as_str();
        // "South April": a month name after a place prefix.
        let month_after_prefix = crate::wordlists::month_also_given_name(ws)
            && i > 0
            && place_prefix(self.lw(i - 1).as_str());
        if self.wc(i) & super::scan::wc::STOP != 0 && !place_prefix(ws) && !month_after_prefix {
            return false;
        }
        if !self.cased {
            // lowercase: place words, names or unknown words, not plain words
            let f = self.lex_flags(i);
            return place_prefix(ws)
                || place_suffix(ws)
                || f & WORD == 0
                || f & (FIRST | LAST) != 0;
        }
        true
    }

    /// A city before a state: "Springfield, Illinois", "Austin, TX 78701".
    pub(crate) fn city_before_state(&mut self, i: usize) {
        // token i is the first token of a state; a city ends at i - 1
        // ("Yreka, WA", and without the comma before a state code and a ZIP:
        // "Espanola GA 24855", "Omak WA  02982")
        let code_and_zip = i + 1 < self.n()
            && self.t[i].len() == 2
            && self.is(i, UPPER)
            && Self::spaces(self.gap(i))
            && self.digits(i + 1)
            && self.t[i + 1].len() == 5;
        if i < 1
            || !(matches!(self.gap_before(i), ", " | ",")
                || code_and_zip && self.gap_before(i) == " ")
        {
            return;
        }
        let e = i - 1;
        let mut s = e;
        while s > 0
            && s + 4 > e
            && self.city_join(s - 1)
            && (self.city_word(s - 1) || self.t[s - 1].len() == 1 && self.is(s - 1, ALPHA))
        {
            s -= 1;
        }
        if !self.city_word(e) {
            return;
        }
        // Skip over a leading non-place word in a long run ("Seen in Austin")
        while s < e && !self.city_word(s) {
            s += 1;
        }
        // A street address right before? then the address handled it.
        self.push(self.t[s].start, self.t[e].end, PhiType::City, prio::CITY);
    }

    /// A city after a place cue at token `i` ("in", "from", "to", "near",
    /// "lives in", ...).
    pub(crate) fn city_after_cue(&mut self, i: usize) {
        let w = self.lw(i);
        let ws = w.as_str();
        let n = self.n();
        let j = i + 1;
        // "City: Albuquerque", "Hometown: Grand Rapids"
        if matches!(ws, "city" | "town" | "hometown") {
            if matches!(self.gap(i), ": " | ":") && j < n && self.city_word(j) {
                let mut e = j;
                while e + 1 < n
                    && e < j + 3
                    && self.city_join(e)
                    && (self.city_word(e + 1) || self.t[e + 1].len() == 1)
                {
                    e += 1;
                }
                let ends = e + 1 >= n || self.gap(e).starts_with([',', '\n', ';', ' ']);
                if ends && !state_starts_at(self, j) {
                    self.push(self.t[j].start, self.t[e].end, PhiType::City, prio::CITY);
                }
            }
            return;
        }
        if j >= n || !Self::spaces(self.gap(i)) {
            return;
        }
        // A known US place: "in Baltimore", "from Grand Rapids".
        if let Some(e) = self.gazetteer_run(j) {
            let facility_next = e + 1 < n && self.facility_anchor(e + 1).is_some();
            let more_name = e + 1 < n
                && self.gap(e) == " "
                && self.cased
                && self.is(e + 1, super::token::CAP)
                && self.wc(e + 1) & super::scan::wc::STOP == 0;
            let zip_next = e + 2 < n && self.digits(e + 1) && self.t[e + 1].len() == 5;
            // "Bell's palsy", "Graves disease": an eponym, not a place
            let eponym = e + 1 < n
                && (matches!(self.gap(e), "'" | "’") && self.eq(e + 1, "s")
                    || self.gap(e) == " " && super::names::medical_noun(self.lw(e + 1).as_str()));
            let zip_next = zip_next || eponym;
            if !facility_next && !more_name && !zip_next {
                self.push(
                    self.t[j].start,
                    self.t[e].end,
                    PhiType::City,
                    prio::GAZETTEER_CITY,
                );
            }
        }
        if !self.city_word(j) {
            return;
        }
        if !matches!(ws, "in" | "from" | "to" | "near" | "at" | "of") {
            return;
        }
        let strong = i > 0 && strong_city_cue(self.lw(i - 1).as_str())
            || i > 1 && strong_city_cue(self.lw(i - 2).as_str()) && self.eq(i - 1, "alone");
        let mut e = j;
        while e + 1 < n && e < j + 2 && Self::spaces(self.gap(e)) && self.city_word(e + 1) {
            e += 1;
        }
        // Longest run with place morphology.
        let first = self.lw(j);
        let fs = first.as_str();
        let mut end_tok = None;
        if place_prefix(fs) && e > j {
            // "West Donna", "Lake Charles": prefix + a name-like word
            let f2 = self.lex_flags(j + 1);
            if f2 & WORD == 0 || f2 & (FIRST | LAST) != 0 {
                end_tok = Some(e.min(j + 2));
                if e > j + 1 && !place_suffix(self.lw(j + 2).as_str()) {
                    end_tok = Some(j + 1);
                }
            }
        } else if place_suffix(fs) && self.lex_flags(j) & WORD == 0 {
            end_tok = Some(j);
        } else if strong && !state_starts_at(self, j) {
            end_tok = Some(e);
        }
        let Some(e) = end_tok else { return };
        if state_starts_at(self, j) || (j..=e).any(|k| self.is(k, UPPER) && self.cased) {
            return;
        }
        // Not the start of a facility name: "at Romero Memorial Hospital".
        if e + 1 < n && self.facility_anchor(e + 1).is_some() {
            return;
        }
        self.push(self.t[j].start, self.t[e].end, PhiType::City, prio::CITY);
    }

    /// Whether the gap after token `k` can join the words of a place name
    /// ("Grand Rapids", "Winston-Salem", "Coeur d'Alene", "St. Louis").
    fn city_join(&self, k: usize) -> bool {
        match self.gap(k) {
            " " | "-" => true,
            // "O'Fallon", "Coeur d'Alene"
            "'" | "’" => self.t[k].len() == 1 || self.t.get(k + 1).is_some_and(|t| t.len() == 1),
            // "St. Louis", "Sault Ste. Marie"
            ". " => matches!(self.lw(k).as_str(), "st" | "ste" | "mt" | "ft"),
            _ => false,
        }
    }

    /// The last token of the longest known US place name starting at token
    /// `j` (see [`crate::gazetteer`]).
    pub(crate) fn gazetteer_run(&self, j: usize) -> Option<usize> {
        let n = self.n();
        if j >= n || !self.is(j, ALPHA) || self.cased && !self.is(j, super::token::CAP) {
            return None;
        }
        if !self.starts_place(j) {
            return None;
        }
        let mut best = None;
        let mut e = j;
        loop {
            let name = self.text.get(self.t[j].start..self.t[e].end).unwrap_or("");
            let last_ok = !self.cased || self.is(e, super::token::CAP);
            let known = if e == j {
                self.place_word(j)
            } else {
                crate::gazetteer::is_place(name)
            };
            if last_ok && known {
                best = Some(e);
            }
            if e + 1 >= n || e + 1 - j >= crate::gazetteer::MAX_WORDS || !self.city_join(e) {
                break;
            }
            e += 1;
        }
        best
    }

    /// A known US place with no cue before it ("Kalamazoo resident",
    /// "Telehealth visit; pt at home, Yakima."), in cased text only: the
    /// place must be capitalised, stand alone (no capitalised word joined
    /// to it on either side, no facility word after it), and not read as an
    /// English word, a given name or a medical eponym. Token `i` starts it.
    pub(crate) fn city_bare(&mut self, i: usize) {
        let n = self.n();
        if !self.cased || !self.is(i, super::token::CAP) || self.is(i, UPPER) {
            return;
        }
        // joined to a capitalised word before it: part of a longer name
        if i > 0 && self.cap(i - 1) && matches!(self.gap_before(i), " " | "-" | "'" | "’") {
            return;
        }
        // Cheap first: a word standing alone ("Seen", "Labs", "Maria") that
        // cannot be a one-word place here needs no gazetteer lookup.
        // (The next word's capital, or an apostrophe, before the gap.)
        let capital_or_apostrophe = i + 1 < n
            && (self.cap(i + 1) || matches!(self.b.get(self.t[i].end), Some(b'\'' | 0xE2)));
        let joined_next = capital_or_apostrophe
            && self.city_join(i)
            && (self.cap(i + 1) || matches!(self.gap(i), "'" | "’"));
        if !joined_next {
            let f = self.lex_flags(i);
            if f & (WORD | FIRST) != 0
                || self.wc(i) & super::scan::wc::STOP != 0
                || self.t[i].len() < 4
            {
                return;
            }
        }
        let e = if joined_next {
            if !self.starts_place(i) {
                return;
            }
            let Some(e) = self.gazetteer_run(i) else {
                return;
            };
            e
        } else if self.place_word(i) {
            i
        } else {
            return;
        };
        if state_starts_at(self, i) {
            return;
        }
        if e + 1 < n {
            let g = self.gap(e);
            if matches!(g, " " | "-") && self.cap(e + 1) && !state_starts_at(self, e + 1)
                || matches!(g, "'" | "’") && self.eq(e + 1, "s")
                || g == " " && super::names::medical_noun(self.lw(e + 1).as_str())
                || self.facility_anchor(e + 1).is_some()
            {
                return;
            }
        }
        let words = e + 1 - i;
        let plain = |k: usize| {
            let f = self.lex_flags(k);
            f & WORD != 0 || f & FIRST != 0 || self.wc(k) & super::scan::wc::STOP != 0
        };
        let ok = if words == 1 {
            !plain(i) && !eponym_place(self.lw(i).as_str()) && self.t[i].len() >= 4
        } else {
            (i..=e).any(|k| self.is(k, ALPHA) && !plain(k) && self.t[k].len() >= 3)
        };
        if ok {
            self.push(
                self.t[i].start,
                self.t[e].end,
                PhiType::City,
                prio::GAZETTEER_CITY,
            );
        }
    }

    /// A city before a municipal service or county: "Auburn Fire
    /// Department", "Hennepin County".
    pub(crate) fn city_before_service(&mut self, i: usize) {
        // token i is "Fire" / "Police" / "County" / "Township" / "Parish"
        if !self.cased
            || i == 0
            || !self.is(i, super::token::CAP)
            || !Self::spaces(self.gap_before(i))
        {
            return;
        }
        let w = self.lw(i);
        let ok = match w.as_str() {
            "fire" | "police" | "sheriff" | "ems" => {
                matches!(
                    self.lw(i + 1).as_str(),
                    "department" | "dept" | "rescue" | "station"
                )
            }
            "county" | "township" | "parish" | "borough" => true,
            _ => false,
        };
        if !ok {
            return;
        }
        let e = i - 1;
        // "Hot Springs Police Department": a known place of several words
        for s in (e.saturating_sub(crate::gazetteer::MAX_WORDS - 1)..=e).rev() {
            if self.gazetteer_run(s) == Some(e)
                && (s == 0 || !self.cap(s - 1) || self.gap_before(s) != " ")
            {
                self.push(self.t[s].start, self.t[e].end, PhiType::City, prio::CITY);
                return;
            }
        }
        if !self.city_word(e)
            || self.lex_flags(e) & WORD != 0 && self.lex_flags(e) & (FIRST | LAST) == 0
        {
            return;
        }
        let mut s = e;
        if s > 0
            && Self::spaces(self.gap_before(s))
            && place_prefix(self.lw(s - 1).as_str())
            && self.cap(s - 1)
        {
            s -= 1;
        }
        self.push(self.t[s].start, self.t[e].end, PhiType::City, prio::CITY);
    }

    // ---- Hospitals -------------------------------------------------------

    /// If token `i` is a facility word ("Hospital", "Clinic") or the first
    /// word of a facility phrase ("Medical Center", "Nursing Home"), the
    /// index of the last token of the facility phrase.
    fn facility_anchor(&self, i: usize) -> Option<usize> {
        if !self.cap(i) {
            return None;
        }
        let w = self.lw(i);
        let noun = FACILITY_NOUNS.contains(&w.as_str());
        let Some(seconds) = facility_phrase(w.as_str()) else {
            return noun.then_some(i);
        };
        let second = self.lw(i + 1);
        if self.joined(i, " ") && self.cap(i + 1) && seconds.contains(&second.as_str()) {
            // "Skilled Nursing Facility": a third word may follow
            if self.joined(i + 1, " ")
                && self.cap(i + 2)
                && facility_phrase(second.as_str())
                    .is_some_and(|t| t.contains(&self.lw(i + 2).as_str()))
            {
                return Some(i + 2);
            }
            return Some(i + 1);
        }
        noun.then_some(i)
    }

    /// Whether token `p` may be part of a facility's proper name, and
    /// whether it is a proper word (not "Regional", "Memorial", "Good").
    fn facility_name_word(&self, p: usize) -> Option<bool> {
        if !self.is(p, ALPHA) || !self.cap(p) {
            return None;
        }
        let w = self.lw(p);
        let ws = w.as_str();
        if matches!(
            ws,
            "the" | "at" | "to" | "of" | "from" | "in" | "and" | "by" | "with" | "for" | "on"
        ) {
            return None;
        }
        if matches!(ws, "st" | "saint" | "mt" | "mount") {
            return Some(false);
        }
        if generic_facility_word(ws) {
            return Some(false);
        }
        if self.wc(p) & super::scan::wc::STOP != 0 && !place_prefix(ws) {
            return None;
        }
        if !self.cased
            && self.lex_flags(p) & (FIRST | LAST) == 0
            && self.lex_flags(p) & WORD != 0
            && !place_prefix(ws)
            && !place_suffix(ws)
        {
            return None;
        }
        Some(!place_prefix(ws))
    }

    /// A hospital name around facility word token `i`: "Romero Memorial
    /// Hospital", "St. Jude Medical Center", "O'Neill Eye Clinic", "van der
    /// Linden Rehabilitation Center", "Children's Hospital of Altoona",
    /// "University of Iowa Medical Center".
    pub(crate) fn hospital(&mut self, i: usize) {
        let Some(mut end_tok) = self.facility_anchor(i) else {
            return;
        };
        // Only the last facility word anchors (skip "Medical" in "Medical
        // Center Hospital").
        if i + 1 < self.n()
            && Self::spaces(self.gap(end_tok))
            && self.facility_anchor(end_tok + 1).is_some()
        {
            return;
        }
        let n = self.n();
        let mut s = i;
        let mut proper = false;
        let mut steps = 0;
        while s > 0 && steps < 6 {
            let g = self.gap_before(s);
            let mut p = s - 1;
            // "Children's": token "s" after an apostrophe
            if Self::spaces(g)
                && self.eq(p, "s")
                && p > 0
                && matches!(self.gap_before(p), "'" | "’")
            {
                p -= 1;
            }
            // "O'Neill Eye Clinic": the "O" of a name
            if matches!(g, "'" | "’") && self.t[p].len() == 1 && self.is(p, UPPER) {
                s = p;
                continue;
            }
            // "Cedars-Sinai Medical Center", "Brigham and Women's Hospital"
            if g == "-" && self.cap(p) && self.cased {
                // "Tri-County Hospice": a compound with a part that is no
                // ordinary word is a proper name.
                proper |= self.lex_flags(p) & crate::lexicon::WORD == 0
                    || self.facility_name_word(p) == Some(true);
                s = p;
                continue;
            }
            // "Women's and Children's": a possessive before "and"
            let possessive_before = p >= 2
                && self.eq(p - 1, "s")
                && matches!(self.gap_before(p - 1), "'" | "’")
                && self.cap(p - 2);
            if Self::spaces(g)
                && self.eq(p, "and")
                && p > 0
                && (self.cap(p - 1) || possessive_before)
                && self.cased
            {
                s = if possessive_before { p - 2 } else { p };
                continue;
            }
            // "de la Fuente Rehabilitation Center": lowercase particles
            if Self::spaces(g)
                && self.cased
                && !self.is(p, super::token::CAP)
                && super::names::particle(self.lw(p).as_str())
                && self.t[p].len() <= 3
            {
                let mut q = p;
                while q > 0
                    && Self::spaces(self.gap_before(q))
                    && super::names::particle(self.lw(q - 1).as_str())
                    && !self.is(q - 1, super::token::CAP)
                {
                    q -= 1;
                }
                let before = if q == 0 { "" } else { self.gap_before(q) };
                if q == 0
                    || before.ends_with(' ') && !self.cap(q - 1)
                    || before.contains(['(', ','])
                {
                    s = q;
                    proper = true;
                }
                break;
            }
            // "University of Iowa Medical Center", "Our Lady of Lourdes
            // Hospital", "Sisters of Charity Hospital"
            if Self::spaces(g)
                && self.eq(p, "of")
                && p > 0
                && matches!(
                    self.lw(p - 1).as_str(),
                    "university" | "college" | "lady" | "sisters" | "daughters"
                )
                && self.cap(p - 1)
            {
                s = p - 1;
                steps += 2;
                if self.eq(s, "lady")
                    && s > 0
                    && self.eq(s - 1, "our")
                    && Self::spaces(self.gap_before(s))
                {
                    s -= 1;
                }
                continue;
            }
            if !(Self::spaces(g) || g == ". " && self.eq(p, "st")) || g.len() > 2 {
                break;
            }
            let Some(is_proper) = self.facility_name_word(p) else {
                break;
            };
            proper |= is_proper;
            s = p;
            steps += 1;
        }
        // "Children's Hospital of Altoona", "Medical Center of the Rockies"
        if end_tok + 2 < n && self.gap(end_tok) == " " && self.eq(end_tok + 1, "of") {
            let mut k = end_tok + 2;
            if self.eq(k, "the") && self.gap(k - 1) == " " {
                k += 1;
            }
            let first = k;
            while k < n
                && k < first + 3
                && self.gap(k - 1) == " "
                && self.facility_name_word(k).is_some()
            {
                k += 1;
            }
            // "O'Fallon", "Coeur d'Alene": apostrophe joins
            while k < n && k < first + 4 && matches!(self.gap(k - 1), "'" | "’") && self.cap(k) {
                k += 1;
            }
            if k > first {
                end_tok = k - 1;
                proper = true;
            }
        }
        if !proper {
            return;
        }
        // "Hospital and Clinics", "Hospital & Clinic"
        if end_tok + 1 < n
            && matches!(self.gap(end_tok), " and " | " & " | " ")
            && (self.gap(end_tok) != " " || self.eq(end_tok + 1, "and"))
        {
            let k = if self.gap(end_tok) == " " {
                end_tok + 2
            } else {
                end_tok + 1
            };
            if k < n
                && self.cap(k)
                && matches!(
                    self.lw(k).as_str(),
                    "clinics"
                        | "clinic"
                        | "health"
                        | "medical"
                        | "rehab"
                        | "rehabilitation"
                        | "hospice"
                        | "wellness"
                )
            {
                end_tok = k;
            }
        }
        // "Children's": the possessive belongs to the name, and without it
        // "Children" is no facility ("her Children were present")
        if self.eq(end_tok, "children") {
            if end_tok + 1 < n
                && matches!(self.gap(end_tok), "'" | "’")
                && self.eq(end_tok + 1, "s")
            {
                end_tok += 1;
            } else {
                return;
            }
        }
        let start = self.t[s].start;
        self.push(
            start,
            self.t[end_tok].end,
            PhiType::Hospital,
            prio::HOSPITAL,
        );
        self.city_after_facility(end_tok);
    }

    /// "at Our Lady of Worthington", "OUR LADY OF WENATCHEE": a Catholic
    /// hospital's name even without "Hospital" after it (token `i` is
    /// "Our").
    pub(crate) fn our_lady(&mut self, i: usize) {
        let n = self.n();
        if i + 3 >= n
            || !self.cap(i)
            || !self.eq(i + 1, "lady")
            || !self.eq(i + 2, "of")
            || self.gap(i) != " "
            || self.gap(i + 1) != " "
            || self.gap(i + 2) != " "
        {
            return;
        }
        let mut k = i + 3;
        if self.eq(k, "the") && k + 1 < n && self.gap(k) == " " {
            k += 1;
        }
        let first = k;
        while k < n && k < first + 3 && (k == first || self.gap(k - 1) == " ") && self.cap(k) {
            let w = self.lw(k);
            if self.wc(k) & (wc::STOP | wc::FACILITY) != 0 && k > first || w.as_str() == "and" {
                break;
            }
            k += 1;
        }
        if k == first {
            return;
        }
        self.push(
            self.t[i].start,
            self.t[k - 1].end,
            PhiType::Hospital,
            prio::HOSPITAL,
        );
    }

    /// "seen at St. Mary's", "transferred to Saint Luke's": a saint's name
    /// in the possessive after "at", "to", "from" or "in" names a hospital
    /// (token `i` is "St" or "Saint").
    pub(crate) fn saint_possessive(&mut self, i: usize) {
        let n = self.n();
        if i == 0 || i + 2 >= n || !self.cased || !self.cap(i) {
            return;
        }
        if !matches!(self.lw(i - 1).as_str(), "at" | "to" | "from" | "in")
            || !matches!(self.gap(i), ". " | " ")
        {
            return;
        }
        let name = i + 1;
        if !self.cap(name)
            || !self.is(name, ALPHA)
            || !matches!(self.gap(name), "'" | "’")
            || !self.eq(name + 1, "s")
        {
            return;
        }
        // "St. Mary's Hospital" is found from "Hospital"; here only the
        // short form, ended by punctuation or a lowercase word.
        let after = name + 2;
        if after < n && self.gap(name + 1) == " " && self.cap(after) {
            return;
        }
        let end = self.t[name + 1].end;
        self.push(self.t[i].start, end, PhiType::Hospital, prio::HOSPITAL);
    }

    /// "Mercy Hospital, Lake Kim": the town after a facility name and a
    /// comma, when the clause ends with it (a state after it is found by
    /// `city_before_state`).
    fn city_after_facility(&mut self, end_tok: usize) {
        let n = self.n();
        let j = end_tok + 1;
        if j >= n || self.gap(end_tok) != ", " || !self.cased || !self.city_word(j) {
            return;
        }
        let w = self.lw(j);
        if super::names::medical_noun(w.as_str())
            || self.wc(j) & super::scan::wc::NOT_NAME != 0 && !place_prefix(w.as_str())
            || self.facility_anchor(j).is_some()
            || state_starts_at(self, j)
        {
            return;
        }
        let mut e = j;
        while e + 1 < n && e < j + 2 && self.city_join(e) && self.city_word(e + 1) {
            e += 1;
        }
        if (j..=e).any(|k| self.is(k, UPPER) && self.t[k].len() > 1) {
            return;
        }
        let ends = e + 1 >= n || {
            let g = self.gap(e);
            g.contains('\n') || g.starts_with(['.', ';', ')', '(']) || g.starts_with("  ")
        };
        if ends {
            self.push(self.t[j].start, self.t[e].end, PhiType::City, prio::CITY);
        }
    }
}
