//! Places: street addresses (number + street name + USPS street suffix +
//! unit), cities (in address grammar, before a state, or after a place cue
//! with place-name morphology), and hospital names (a proper name before a
//! facility word).

use super::scan::{prio, Scan};
use super::token::{ALPHA, HAS_DIGIT, UPPER};
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
    let w = s.lw(i);
    let ws = w.as_str();
    if s.t[i].len() == 2 {
        if s.cased && !s.is(i, UPPER) {
            return None;
        }
        let tok = s.tok(i);
        if STATE_ABBR.contains(&tok)
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
    const SUFFIXES: &[&str] = &[
        "town", "ton", "ville", "burg", "burgh", "borough", "boro", "bury", "berg", "land", "view",
        "port", "mouth", "stad", "furt", "chester", "caster", "fort", "haven", "side", "shire",
        "field", "ford", "wood", "dale", "ham", "polis", "city", "beach", "falls", "heights",
        "springs", "ridge", "worth", "wick", "mont", "vale",
    ];
    SUFFIXES
        .iter()
        .any(|s| w.len() >= s.len() + 3 && w.ends_with(s))
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

/// Words that are part of a facility's name without being a proper name.
fn generic_facility_word(w: &str) -> bool {
    matches!(
        w,
        "regional"
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
    )
}

impl Scan<'_> {
    // ---- Street addresses ------------------------------------------------

    /// A street address starting at digit token `i`: "8593 Craig Shoals",
    /// "2500 Hill Trace Apt. 927", "302 N Young Street Suite 5".
    pub(crate) fn street_address(&mut self, i: usize) {
        let n = self.n();
        if i > 0 {
            let g = self.gap_before(i);
            if g.ends_with(['.', '/', '-', ',', ':', '$', '#']) && g.len() == 1 {
                return;
            }
        }
        // Street-name words: capitalised (or anything non-numeric in a
        // caseless text), up to 4, ending with a street suffix.
        let mut best: Option<usize> = None;
        let mut k = i;
        for _ in 0..5 {
            if k + 1 >= n || !Self::spaces(self.gap(k)) || self.gap(k).len() > 2 {
                break;
            }
            let next = k + 1;
            let ok_word = if self.is(next, ALPHA) {
                self.cap(next) || (self.cased && self.is(next, UPPER))
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
            if !ok_word {
                break;
            }
            k = next;
            if k > i + 1 && street_suffix(self.lw(k).as_str()) {
                best = Some(k);
            }
        }
        let Some(mut e) = best else { return };
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
                    | "boulevard"
                    | "blvd"
                    | "lane"
                    | "ln"
                    | "court"
                    | "ct"
                    | "terrace"
                    | "parkway"
                    | "highway"
                    | "st"
            )
        {
            return;
        }
        let mut end = self.t[e].end;
        if self.b.get(end) == Some(&b'.') && self.t[e].len() <= 4 {
            // "St." / "Ave." abbreviation dot belongs to the address only if
            // a unit or more address follows
        }
        // Unit: "Apt. 472", "Suite 005", "#5", "Unit 3B"
        let g = self.gap(e);
        if e + 1 < n
            && unit_designator(self.lw(e + 1).as_str())
            && matches!(g, " " | ", " | ". " | ".")
        {
            let u = e + 1;
            if u + 1 < n
                && self.is(u + 1, HAS_DIGIT)
                && matches!(self.gap(u), " " | ". " | "." | " #" | "# ")
                && self.t[u + 1].len() <= 6
            {
                e = u + 1;
                end = self.t[e].end;
            }
        } else if e + 1 < n && matches!(g, " #" | ", #" | " # ") && self.t[e + 1].len() <= 6 {
            e += 1;
            end = self.t[e].end;
        }
        let start = self.t[i].start;
        self.push(start, end, PhiType::StreetAddress, prio::ADDRESS);
        // City after the address: ", City, State" / ", City ZIP" / ", City"
        if e + 1 < n && matches!(self.gap(e), ", " | " , ") {
            self.city_run(e + 1, true);
        }
    }

    /// A city made of up to 3 capitalised tokens starting at `i`; when
    /// `after_address`, any capitalised run ending before a comma, a state or
    /// a ZIP counts; otherwise it must be followed by `, State`.
    fn city_run(&mut self, i: usize, after_address: bool) -> bool {
        let n = self.n();
        if i >= n || !self.city_word(i) || state_starts_at(self, i) {
            return false;
        }
        let mut e = i;
        while e + 1 < n
            && e < i + 3
            && Self::spaces(self.gap(e))
            && self.city_word(e + 1)
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
        let month_after_prefix = matches!(ws, "april" | "may" | "june" | "july" | "august")
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
        if i < 1 || !matches!(self.gap_before(i), ", " | ",") {
            return;
        }
        let e = i - 1;
        let mut s = e;
        while s > 0 && s + 3 > e && Self::spaces(self.gap_before(s)) && self.city_word(s - 1) {
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
        if !matches!(ws, "in" | "from" | "to" | "near" | "at" | "of") {
            return;
        }
        let n = self.n();
        let j = i + 1;
        if j >= n || !Self::spaces(self.gap(i)) || !self.city_word(j) {
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

    /// If token `i` is a facility word (Hospital, Clinic, "Medical Center"),
    /// the index of the last token of the facility phrase.
    fn facility_anchor(&self, i: usize) -> Option<usize> {
        if !self.cap(i) {
            return None;
        }
        let w = self.lw(i);
        match w.as_str() {
            "hospital" | "clinic" | "infirmary" | "hospice" | "sanitarium" | "sanatorium"
            | "healthcare" => Some(i),
            "medical" | "health" | "cancer" | "surgical" | "heart" | "rehabilitation" | "care"
            | "trauma"
                if self.joined(i, " ")
                    && matches!(
                        self.lw(i + 1).as_str(),
                        "center" | "centre" | "system" | "group" | "institute"
                    ) =>
            {
                Some(i + 1)
            }
            _ => None,
        }
    }

    /// A hospital name ending at facility word token `i`.
    pub(crate) fn hospital(&mut self, i: usize) {
        let Some(end_tok) = self.facility_anchor(i) else {
            return;
        };
        // Only the last facility word anchors (skip "Medical" in "Medical
        // Center Hospital").
        if end_tok == i
            && i + 1 < self.n()
            && Self::spaces(self.gap(i))
            && self.facility_anchor(i + 1).is_some()
        {
            return;
        }
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
            // "Cedars-Sinai Medical Center", "Brigham and Women's Hospital"
            if g == "-" && self.cap(p) && self.cased {
                s = p;
                continue;
            }
            if Self::spaces(g) && self.eq(p, "and") && p > 0 && self.cap(p - 1) && self.cased {
                s = p;
                continue;
            }
            if !(Self::spaces(g) || g == ". " && self.eq(p, "st")) || g.len() > 2 {
                break;
            }
            if !self.is(p, ALPHA) || !self.cap(p) {
                break;
            }
            let w = self.lw(p);
            let ws = w.as_str();
            if matches!(
                ws,
                "the" | "at" | "to" | "of" | "from" | "in" | "and" | "by" | "with"
            ) {
                break;
            }
            if ws == "st" || ws == "saint" || ws == "mt" || ws == "mount" {
                s = p;
                steps += 1;
                continue;
            }
            if !generic_facility_word(ws) {
                if self.wc(p) & super::scan::wc::STOP != 0 && !place_prefix(ws) {
                    break;
                }
                if !self.cased
                    && self.lex_flags(p) & (FIRST | LAST) == 0
                    && self.lex_flags(p) & WORD != 0
                    && !place_prefix(ws)
                    && !place_suffix(ws)
                {
                    break;
                }
                if !place_prefix(ws) {
                    proper = true;
                }
            }
            s = p;
            steps += 1;
        }
        if !proper {
            return;
        }
        // Drop a leading generic word ("The").
        let start = self.t[s].start;
        self.push(
            start,
            self.t[end_tok].end,
            PhiType::Hospital,
            prio::HOSPITAL,
        );
    }
}
