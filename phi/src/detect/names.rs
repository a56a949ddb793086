//! Person names. A run of name-shaped tokens (capitalised words, initials,
//! particles such as "de" or "van") is accepted when there is evidence:
//!
//! * a cue before it: a title (`Dr.`, `Mrs.`), a role label (`Attending:`,
//!   `Name:`, `attn:`), a relation (`nephew`, `wife`), `The patient, X,`,
//!   a signature dash;
//! * a cue after it: a credential (`, MD`, `NP`), `'s wife`, `(MRN`, `(HCP)`,
//!   an age statement (`, a 96 yo`, `is a 35 year old`);
//! * or the census name lists: a given name followed by a surname or an
//!   unknown capitalised word, or a middle initial between name words.
//!
//! Ordinary English words (from the word list) never start a run on their
//! own, which keeps headings and sentence starts out.

use super::scan::{
    prio, wc, Scan, CUE_DONE, CUE_STRONG, CUE_WEAK, LOOSE_DONE, LOOSE_YES, NAME_DONE, NAME_YES,
    UNKNOWN_DONE, UNKNOWN_YES,
};
use super::token::{ALPHA, CAP, DIGITS, LOWER, UPPER};
use crate::kind::PhiType;
use crate::lexicon::{COMMON_LAST, FIRST, LAST, WORD};

// The word lists (stop words, titles, role labels, relations, credentials)
// live in `words.rs`; tokens are tested with `Scan::wc`.

/// Verbs that follow a patient's name as a subject.
fn subject_verb(w: &str) -> bool {
    matches!(
        w,
        "denies"
            | "reports"
            | "states"
            | "presents"
            | "presented"
            | "complains"
            | "endorses"
            | "admits"
            | "returns"
            | "returned"
            | "arrived"
            | "tolerated"
            | "underwent"
            | "agrees"
            | "declined"
            | "refused"
            | "understands"
            | "lives"
            | "works"
            | "was"
            | "is"
            | "has"
            | "had"
            | "notes"
            | "reported"
            | "stated"
            | "denied"
            | "expired"
            | "died"
            | "passed"
            | "called"
            | "came"
            | "will"
            | "would"
            | "feels"
            | "felt"
            | "says"
            | "said"
            | "thinks"
            | "wants"
            | "asked"
            | "asks"
            | "told"
            | "tells"
            | "agreed"
            | "prefers"
            | "wishes"
            | "requested"
            | "requests"
            | "verbalized"
            | "verbalizes"
            | "stopped"
            | "started"
            | "needs"
    )
}

/// Verbs only a person does, after a given name opening its clause ("Joy
/// brought her pill box").
fn person_action(w: &str) -> bool {
    matches!(
        w,
        "brought"
            | "brings"
            | "stayed"
            | "stays"
            | "visited"
            | "visits"
            | "drove"
            | "drives"
            | "picked"
            | "helped"
            | "helps"
            | "signed"
            | "consented"
            | "dropped"
            | "phoned"
            | "texted"
            | "emailed"
            | "spoke"
            | "translated"
            | "interpreted"
    )
}

/// Nouns after an eponym ("Graves disease", "Bell's palsy", "Murphy
/// sign"): the capitalised word before them is not a person in the text.
pub(crate) fn medical_noun(w: &str) -> bool {
    matches!(
        w,
        "syndrome"
            | "disease"
            | "sign"
            | "test"
            | "maneuver"
            | "manoeuvre"
            | "reflex"
            | "phenomenon"
            | "procedure"
            | "operation"
            | "catheter"
            | "tube"
            | "scale"
            | "score"
            | "criteria"
            | "classification"
            | "fracture"
            | "palsy"
            | "lymphoma"
            | "sarcoma"
            | "tumor"
            | "tumour"
            | "ulcer"
            | "esophagus"
            | "triad"
            | "node"
            | "position"
            | "drain"
            | "stain"
            | "repair"
            | "hernia"
            | "thyroiditis"
            | "dementia"
            | "chorea"
            | "encephalopathy"
            | "contracture"
            | "anomaly"
            | "respirations"
            | "breathing"
            | "monitor"
            | "line"
            | "pouch"
            | "point"
            | "law"
            | "equation"
            | "formula"
            | "method"
            | "technique"
            | "approach"
            | "incision"
            | "shunt"
            | "valve"
            | "stent"
            | "collar"
            | "splint"
            | "boot"
            | "mask"
            | "needle"
            | "forceps"
            | "retractor"
            | "clamp"
            | "cast"
            | "positive"
            | "negative"
            | "tear"
            | "lesion"
            | "block"
            | "bundle"
            | "canal"
            | "duct"
            | "gland"
            | "cyst"
            | "body"
            | "bodies"
            | "cell"
            | "cells"
            | "fibers"
            | "nodes"
            | "disorder"
            | "anemia"
            | "neuralgia"
            | "neuroma"
            | "deformity"
            | "effect"
            | "curve"
            | "virus"
            | "output"
            | "sequence"
            | "malformation"
            | "strips"
            | "lesions"
            | "spots"
            | "signs"
            | "gangrene"
            | "diverticulum"
            | "angina"
            | "scan"
            | "sump"
            | "brace"
            | "grade"
            | "nodules"
            | "tooth"
            | "fundoplication"
            | "anastomosis"
            | "bypass"
            | "flap"
            | "graft"
            | "pump"
            | "warmer"
            | "dressing"
            | "mattress"
    )
}

/// Name particles inside a name ("Paien de Launay", "van der Berg").
#[inline(always)]
pub(crate) fn particle(w: &str) -> bool {
    // Cheap first (inline): particles are short and start with few letters.
    let b = w.as_bytes();
    !b.is_empty()
        && b.len() <= 6
        && matches!(
            b[0],
            b'd' | b'v'
                | b't'
                | b'b'
                | b'i'
                | b'a'
                | b'e'
                | b'y'
                | b'z'
                | b'l'
                | b'n'
                | b'u'
                | 0xC3
        )
        && particle_bytes(b)
}

fn particle_bytes(b: &[u8]) -> bool {
    // Matched as bytes (a decision on length, then bytes): "Ó", "ó", "ní"
    // and "uí" are written in UTF-8.
    matches!(
        b,
        b"de"
            | b"van"
            | b"von"
            | b"der"
            | b"den"
            | b"da"
            | b"di"
            | b"del"
            | b"della"
            | b"du"
            | b"la"
            | b"le"
            | b"dos"
            | b"das"
            | b"ten"
            | b"ter"
            | b"bin"
            | b"ibn"
            | b"al"
            | b"el"
            | b"y"
            | b"vander"
            | b"vd"
            | b"zu"
            | b"do"
            | b"ben"
            | b"abu"
            | b"abou"
            | b"bint"
            | b"\xC3\x93"
            | b"\xC3\xB3"
            | b"n\xC3\xAD"
            | b"u\xC3\xAD"
    )
}

/// Whether a word ends like a clinical term or a medicine ("Hashimoto's
/// thyroiditis" aside, "Osteomyelitis", "Ceftriaxone", "Lisinopril").
fn clinical_ending(w: &str) -> bool {
    // Grouped by last byte, so that a word is compared only with the
    // endings it could have.
    let endings: &[&str] = match w.as_bytes().last().copied() {
        Some(b'a') => &["emia", "aemia", "algia", "uria", "penia", "oma", "ella"],
        Some(b'b') => &["mab", "nib", "coxib"],
        Some(b'e') => &[
            "ase",
            "azole",
            "cycline",
            "dipine",
            "prazole",
            "tidine",
            "caine",
            "sone",
            "olone",
            "glutide",
            "dronate",
            "semide",
            "thiazide",
            "azepine",
            "oxetine",
            "triptyline",
            "apine",
            "idone",
            "ide",
            "ate",
            "ine",
        ],
        Some(b'f') => &["cef"],
        Some(b'l') => &["pril", "olol", "terol", "peridol", "ol"],
        Some(b'm') => &["zepam", "zolam", "tropium", "ium", "penem"],
        Some(b'n') => &[
            "sartan",
            "statin",
            "mycin",
            "micin",
            "cillin",
            "floxacin",
            "parin",
            "gliptin",
            "gliflozin",
            "triptan",
            "setron",
            "profen",
            "fungin",
        ],
        Some(b'r') => &["vir", "bacter"],
        Some(b's') => &["itis", "osis", "cytosis", "virus", "coccus"],
        Some(b't') => &["lukast", "cept"],
        Some(b'y') => &[
            "ectomy", "otomy", "ostomy", "plasty", "scopy", "graphy", "pathy",
        ],
        _ => &[],
    };
    endings
        .iter()
        .any(|e| w.len() > e.len() + 2 && w.ends_with(e))
}

/// Whether `a-b` (lowercase) is an eponym of two surnames whose halves are
/// also ordinary surnames or places ("Jackson-Pratt" drain, "Epstein-Barr"
/// virus).
fn hyphen_eponym(a: &str, b: &str) -> bool {
    matches!(
        (a, b),
        ("jackson", "pratt")
            | ("epstein", "barr")
            | ("stevens", "johnson")
            | ("mallory", "weiss")
            | ("dandy", "walker")
            | ("sturge", "weber")
            | ("osler", "weber")
            | ("kimmelstiel", "wilson")
            | ("argyll", "robertson")
            | ("wolff", "parkinson")
            | ("roux", "en")
    )
}

/// Irish particles written capitalised before a surname ("Ó Riada", "Ní
/// Bhriain", "Mac an Bhaird").
fn irish_particle(w: &str) -> bool {
    matches!(w, "Ó" | "ní" | "uí" | "nic")
}

impl Scan<'_> {
    /// Whether token `i` can be part of a name (memoised).
    /// (Inline: most calls find the answer memoised.)
    #[inline(always)]
    fn name_token(&self, i: usize) -> bool {
        self.memo_test(i, NAME_DONE, NAME_YES, || self.name_token_uncached(i))
    }

    #[inline(never)]
    fn name_token_uncached(&self, i: usize) -> bool {
        if i >= self.n() || !self.is(i, ALPHA) || self.t[i].len() < 2 {
            return false;
        }
        if self.cased && !self.is(i, CAP) {
            return false;
        }
        // "Van An Hoang", "Thi An": the Vietnamese middle name before "An"
        // and "An" after it (elsewhere "An" is the article)
        let first = self.b[self.t[i].start];
        if self.cased
            && matches!(first, b'V' | b'T')
            && self.gap(i) == " "
            && matches!(self.tok(i), "Van" | "Thi" | "Văn" | "Thị")
            && self.tok(i + 1) == "An"
        {
            return true;
        }
        if self.cased
            && i > 0
            && first == b'A'
            && self.tok(i) == "An"
            && self.gap_before(i) == " "
            && matches!(self.tok(i - 1), "Van" | "Thi" | "Văn" | "Thị")
        {
            return true;
        }
        let w = self.lw(i);
        let ws = w.as_str();
        // "Saint-Fleur", "St-Pierre": a hyphenated surname with "Saint"
        if matches!(ws, "saint" | "st" | "sainte")
            && self.gap(i) == "-"
            && self.cap(i + 1)
            && !self.is(i + 1, UPPER)
        {
            return true;
        }
        if !self.cased && (is_auxiliary_verb(ws) || caseless_non_name(ws)) || self.reaching(i) {
            return false;
        }
        // "La Rosa", "De Souza", "Van Buren": a capitalised particle before
        // a name word.
        if self.cased
            && self.t[i].len() <= 4
            && particle(ws)
            && self.gap(i) == " "
            && self.is(i + 1, CAP)
            && !self.is(i + 1, UPPER)
            && self.lex_flags(i + 1) & (FIRST | LAST) != 0
        {
            return true;
        }
        if self.cased
            && irish_particle(ws)
            && self.gap(i) == " "
            && self.is(i + 1, CAP)
            && !self.is(i + 1, UPPER)
        {
            return true;
        }
        if self.wc(i) & wc::NOT_NAME != 0 {
            return false;
        }
        let f = self.lex_flags(i);
        // An ordinary word counts only if it is also a given name or a common
        // surname ("Hope", "Young"; not "Portal", "Seen").
        let namey = if self.cased {
            f & WORD == 0 || f & (FIRST | COMMON_LAST) != 0
        } else {
            // Without case, a word like "will" or "may" is too ambiguous.
            f & WORD == 0 || f & COMMON_LAST != 0
        };
        if self.cased {
            if !self.is(i, CAP) {
                return false;
            }
            if self.is(i, UPPER) {
                // Acronyms are not names; an all-caps name must be a known one
                // (and no identifier label: "DEA", "NPI").
                return self.t[i].len() >= 3
                    && f & (FIRST | LAST) != 0
                    && f & WORD == 0
                    && self.wc(i) & wc::CUE_ID == 0;
            }
            namey
        } else {
            namey
        }
    }

    /// A looser test used next to a strong cue: any capitalised word that the
    /// census knows as a name, even if it is also an ordinary word
    /// ("Albracca Bonnet", "Anacleto Manna").
    /// (Inline: most calls find the answer memoised.)
    #[inline(always)]
    fn name_token_loose(&self, i: usize) -> bool {
        self.memo_test(i, LOOSE_DONE, LOOSE_YES, || {
            self.name_token_loose_uncached(i)
        })
    }

    #[inline(never)]
    fn name_token_loose_uncached(&self, i: usize) -> bool {
        if i >= self.n() || !self.is(i, ALPHA) || self.t[i].len() < 2 {
            return false;
        }
        if self.cased && !self.is(i, CAP) {
            return false;
        }
        if self.name_token(i) {
            return true;
        }
        if self.cased && self.is(i, UPPER) || self.reaching(i) {
            return false;
        }
        let w = self.lw(i);
        let ws = w.as_str();
        // "August", "June": given names when no day number follows.
        let month_name = crate::wordlists::month_also_given_name(ws) && !self.digits(i + 1);
        // "Brad G. West": a direction word as a surname after an initial.
        // "Dr. Lake", "Dr. Ivy Lake", "Mr. North": after a title (and a given name).
        let direction = matches!(ws, "west" | "north" | "south" | "east" | "lake" | "new")
            && i > 0
            && (self.initial(i - 1)
                || self.wc(i - 1) & wc::TITLE != 0 && matches!(self.gap_before(i), " " | ". ")
                || i > 1
                    && self.gap_before(i) == " "
                    && self.is(i - 1, CAP)
                    && self.lex_flags(i - 1) & FIRST != 0
                    && self.wc(i - 2) & wc::TITLE != 0);
        let c = self.wc(i);
        if (c & wc::STOP != 0 && !month_name && !direction)
            || c & (wc::TITLE | wc::RELATION | wc::ROLE | wc::CREDENTIAL) != 0
        {
            return false;
        }
        if !self.cased {
            // Next to a strong cue, a census name counts even if it is also
            // a word ("tony duncan"), but not a verb that follows a name.
            let f = self.lex_flags(i);
            return f & (FIRST | LAST) != 0
                && (f & WORD == 0 || f & (FIRST | COMMON_LAST) != 0)
                && !is_auxiliary_verb(ws)
                && !caseless_non_name(ws)
                && !matches!(ws, "called" | "said" | "says" | "reports" | "states");
        }
        if self.is(i, CAP) && !self.is(i, UPPER) && self.lex_flags(i) & (FIRST | LAST) != 0 {
            return true;
        }
        // "her husband Sky", "daughter Hope": mid-sentence, a capitalised
        // word right after a relation noun is a name, whatever else it is.
        i > 0
            && self.is(i, CAP)
            && !self.is(i, UPPER)
            && self.gap_before(i) == " "
            && self.wc(i - 1) & wc::RELATION != 0
            && self.is(i - 1, LOWER)
            && c & wc::STOP == 0
            && !medical_noun(ws)
    }

    /// Whether token `i` is a verb of reaching someone followed by a name
    /// ("Call Eoin at …", "paged Dr. Wu"), not a surname ("Dr. Page").
    #[inline(always)]
    fn reaching(&self, i: usize) -> bool {
        i + 1 < self.n()
            && (self.is(i + 1, super::token::CAP) || !self.cased)
            && (4..=7).contains(&self.t[i].len())
            && self.reaching_verb(i)
    }

    fn reaching_verb(&self, i: usize) -> bool {
        self.gap(i) == " " && reach_verb(self.lw(i).as_str())
    }

    /// Whether token `i` is the head of a name with an apostrophe: the "O"
    /// of "O'Neill" ("D'Angelo", "N'Diaye"), the "Da" of "Da'Shawn"
    /// ("Ja'Marcus", "De'Asia").
    #[inline(always)]
    fn apos_prefix(&self, i: usize) -> bool {
        // Cheap first (inline): an apostrophe right after the token.
        self.t
            .get(i)
            .is_some_and(|t| matches!(self.b.get(t.end), Some(b'\'' | 0xE2)))
            && self.apos_prefix_at(i)
    }

    fn apos_prefix_at(&self, i: usize) -> bool {
        if i + 1 >= self.n()
            || !matches!(self.gap(i), "'" | "’")
            || !self.is(i, ALPHA)
            || !self.is(i + 1, ALPHA)
        {
            return false;
        }
        let (head, tail) = (self.t[i].len(), self.t[i + 1].len());
        if self.cased {
            let head_ok = if head == 1 {
                // "O'Neil", and "d'Aubigné", "l'Heureux" after a given name
                self.is(i, UPPER) || matches!(self.tok(i), "d" | "l") && i > 0 && self.cap(i - 1)
            } else {
                head <= 3 && self.is(i, CAP) && !self.is(i, UPPER)
            };
            head_ok && tail >= 2 && self.is(i + 1, CAP)
        } else {
            // Not a contraction: "don't", "she'll", "pt's".
            head <= 3
                && tail >= 3
                && !matches!(
                    self.lw(i + 1).as_str(),
                    "ll" | "re" | "ve" | "s" | "t" | "d" | "m"
                )
                && (head == 1 || self.lex_flags(i) & WORD == 0)
        }
    }

    /// Whether token `b` is the lowercase second half of a hyphenated given
    /// name ("Hye-jin", "Min-jun", "dong-hyun"), not of a word
    /// ("Follow-up", "Self-care").
    #[inline(always)]
    fn hyphen_tail(&self, b: usize) -> bool {
        // Cheap first (inline): a hyphen right after the token before.
        b > 0
            && b < self.n()
            && self.b.get(self.t[b - 1].end) == Some(&b'-')
            && self.hyphen_tail_at(b)
    }

    fn hyphen_tail_at(&self, b: usize) -> bool {
        if self.gap(b - 1) != "-" || !self.is(b, ALPHA) {
            return false;
        }
        let h = b - 1;
        let (head, tail) = (self.t[h].len(), self.t[b].len());
        if !(2..=6).contains(&head) || !(2..=5).contains(&tail) || !self.is(h, ALPHA) {
            return false;
        }
        if self.cased && !(self.is(h, CAP) && self.is(b, LOWER)) {
            return false;
        }
        let name_like = |k: usize| {
            let f = self.lex_flags(k);
            f == 0 || f & (FIRST | LAST) != 0
        };
        name_like(h) && name_like(b)
    }

    /// Whether token `i` starts a name with a lowercase particle after a
    /// strong cue ("Dr. van der Plas", "Mrs. de Swart").
    fn particle_start(&self, i: usize) -> bool {
        if i >= self.n()
            || self.t[i].len() > 6
            || self.is(i, CAP)
            || self.gap(i) != " " && !(self.gap(i) == "-" && self.cap(i + 1))
        {
            return false;
        }
        if !particle(self.lw(i).as_str()) {
            return false;
        }
        let next = if particle(self.lw(i + 1).as_str()) && self.gap(i + 1) == " " {
            i + 2
        } else {
            i + 1
        };
        self.name_token_loose(next)
            && (self.cue_before(i) == Cue::Strong
                || self.cue_after(self.name_run(next, true)) == Cue::Strong)
    }

    /// Whether token `i` is an initial: one letter followed by a dot.
    fn initial(&self, i: usize) -> bool {
        i < self.n()
            && self.t[i].len() == 1
            && self.is(i, ALPHA)
            && (self.is(i, UPPER) || !self.cased)
            && self.gap(i).starts_with('.')
    }

    /// Whether token `i` is a middle initial written without its dot, between
    /// two capitalised words ("Nneka J Huynh", "Kibet R Tuilagi").
    #[inline(always)]
    fn bare_initial(&self, i: usize) -> bool {
        // Cheap first (inline): one capital letter between two tokens.
        self.cased
            && i > 0
            && i + 1 < self.n()
            && self.t[i].len() == 1
            && self.is(i, UPPER | ALPHA)
            && self.bare_initial_between(i)
    }

    fn bare_initial_between(&self, i: usize) -> bool {
        self.gap(i) == " "
            && self.gap_before(i) == " "
            && self.is(i - 1, CAP | ALPHA)
            && !self.is(i - 1, UPPER)
            && self.t[i - 1].len() >= 2
            && (self.is(i + 1, CAP | ALPHA) && !self.is(i + 1, UPPER) && self.t[i + 1].len() >= 2
                || self.is(i + 1, LOWER) && particle(self.lw(i + 1).as_str()))
    }

    /// Whether token `k` has the shape of a surname in cased text: a
    /// capitalised word (not in capitals) that is no English word unless a
    /// known name too, no medicine, organism, title or clinical word, and
    /// not a mixed-case abbreviation ("NSAIDs").
    fn surname_shape(&self, k: usize) -> bool {
        if !self.cased || k >= self.n() || !self.is(k, CAP | ALPHA) || self.is(k, UPPER) {
            return false;
        }
        let tb = &self.b[self.t[k].start..self.t[k].end];
        if tb.len() < 2 || tb[1].is_ascii_uppercase() {
            return false;
        }
        let f = self.lex_flags(k);
        (f & WORD == 0 || f & (FIRST | LAST) != 0)
            && self.wc(k) & (wc::NOT_NAME | wc::STATE) == 0
            && !medical_noun(self.lw(k).as_str())
    }

    /// Whether token `i` is a given name followed by the initial of a
    /// surname and nothing more of the name ("reassessed by Evaristo B. at
    /// 1130", "-- Obiageli S., LPN", "Bertha C. of Vidalia"): a known given
    /// name that is no English word, or a word no dictionary knows after a
    /// cue.
    fn given_and_initial(&self, i: usize) -> bool {
        if !self.cased
            || i + 1 >= self.n()
            || !self.is(i, CAP | ALPHA)
            || self.is(i, UPPER)
            || self.gap(i) != " "
            || !self.initial(i + 1)
        {
            return false;
        }
        let g = self.gap(i + 1);
        let closed = i + 2 >= self.n()
            || matches!(g, ". " | "., " | ".; " | ".\n")
                && !(self.is(i + 2, CAP) && !self.credential_at(i + 2) && g == ". ");
        if !closed {
            return false;
        }
        let f = self.lex_flags(i);
        f & FIRST != 0 && f & WORD == 0 && self.wc(i) & wc::NOT_NAME == 0
            || self.unknown_word(i) && self.cue_before(i) != Cue::None
    }

    /// Whether token `i` is a surname in the plural after "the" ("the
    /// Nguyens", "The Johnsons", "the Garcias"): the word without its "s"
    /// is a surname that is no English word, or a common one.
    fn plural_surname(&self, i: usize) -> bool {
        if !self.cased
            || i == 0
            || !self.is(i, CAP | ALPHA)
            || self.is(i, UPPER)
            || self.t[i].len() < 4
            || self.gap_before(i) != " "
            || !self.eq(i - 1, "the")
        {
            return false;
        }
        let w = self.lw(i);
        let ws = w.as_str();
        let Some(stem) = ws.strip_suffix('s') else {
            return false;
        };
        let f = self.lex.flags(stem);
        f & LAST != 0
            && (f & WORD == 0 || f & COMMON_LAST != 0)
            && self.lex_flags(i) & WORD == 0
            && self.wc(i) & (wc::NOT_NAME | wc::STOP | wc::STATE) == 0
    }

    /// Whether token `i`, in a text without capitals, is a given name that
    /// is also a word ("bobby", "maria") directly before a surname that is
    /// none ("tran", "gonzalez").
    fn caseless_given_pair(&self, i: usize) -> bool {
        !self.cased
            && i + 1 < self.n()
            && self.gap(i) == " "
            && self.given_word(i)
            && self.clean_surname(i + 1)
    }

    /// Whether token `i` can be a given name even if it is also a word
    /// ("maria", "bobby"): a known given name, no auxiliary verb or chat
    /// word ("will", "see"), in no class that keeps a word out of names.
    fn given_word(&self, i: usize) -> bool {
        let w = self.lw(i);
        self.lex_flags(i) & FIRST != 0
            && !is_auxiliary_verb(w.as_str())
            && !caseless_non_name(w.as_str())
            && self.wc(i) & wc::NOT_NAME == 0
    }

    /// Whether token `k` is a known surname that is no English word.
    fn clean_surname(&self, k: usize) -> bool {
        let f = self.lex_flags(k);
        f & LAST != 0 && f & WORD == 0
    }

    /// Whether token `a` is a clinician's initials after a check word:
    /// "verified by KGS", "witnessed by TWB", "cosigned by ALM".
    /// Also after a title or role ("triage RN SGV", "Dr. SSC",
    /// "investigator LWW", "The sitter, TVC,") and before a credential
    /// ("educated by YVL, RN", "GJV, CDS").
    #[inline(always)]
    fn staff_initials(&self, a: usize) -> bool {
        // Cheap first (inline): three capitals after a token, in a cased text.
        a > 0
            && self.cased
            && self.t.get(a).is_some_and(|t| t.len() == 3)
            && self.is(a, UPPER | ALPHA)
            && self.staff_initials_at(a)
    }

    fn staff_initials_at(&self, a: usize) -> bool {
        if a == 0
            || !self.cased
            || self.t[a].len() != 3
            || !self.is(a, UPPER | ALPHA)
            || self.lex_flags(a) & WORD != 0
            || self.wc(a) & wc::LISTED != 0
        {
            return false;
        }
        let g = self.gap_before(a);
        let after_check = a >= 2
            && g == " "
            && self.eq(a - 1, "by")
            && self.gap_before(a - 1) == " "
            && matches!(
                self.lw(a - 2).as_str(),
                "verified" | "witnessed" | "cosigned" | "initialed" | "checked" | "countersigned"
            );
        let after_role = matches!(g, " " | ". " | ", ")
            && self.wc(a - 1) & (wc::TITLE | wc::ROLE | wc::CREDENTIAL) != 0
            && !matches!(
                self.lw(a - 1).as_str(),
                "to" | "from" | "by" | "re" | "name" | "pt" | "patient"
            );
        let before_credential =
            a + 1 < self.n() && self.gap(a) == ", " && self.credential_at(a + 1);
        after_check || after_role || before_credential
    }

    /// Whether a surname follows the initials starting at token `i`: "S.
    /// Wiersma", "D.V. van Oosterhout", "A. O'Donoghue".
    fn surname_after_initials(&self, i: usize) -> bool {
        let mut k = i;
        while k < self.n() && k - i < 3 && self.initial(k) {
            k += 1;
        }
        if k == i || k >= self.n() {
            return false;
        }
        if self.surname_shape(k) || self.apos_prefix(k) {
            return true;
        }
        // a lowercase particle, then the surname
        let mut p = k;
        while p < self.n()
            && p - k < 2
            && self.is(p, LOWER)
            && particle(self.lw(p).as_str())
            && self.gap(p) == " "
        {
            p += 1;
        }
        p > k && self.surname_shape(p)
    }

    /// Whether token `k` is a word nobody would mistake for English in a
    /// cased text: [`Scan::surname_shape`], unknown to the dictionary
    /// altogether (no name list has it either), no medical word by its
    /// ending, and no abbreviation or dose after it ("Hep B", "Tdap 0.5").
    #[inline(always)]
    fn unknown_proper(&self, k: usize) -> bool {
        // The word first: most capitalised words are known (one memo read).
        self.unknown_word(k)
            && !(k + 1 < self.n()
                && self.gap(k) == " "
                && (self.is(k + 1, DIGITS) || self.t[k + 1].len() == 1))
    }

    /// [`Scan::unknown_proper`] whatever follows the word.
    #[inline(always)]
    fn unknown_word(&self, k: usize) -> bool {
        // known words (most capitalised tokens) first: one memo read
        if k >= self.n() || self.t[k].len() < 3 || self.lex_flags(k) != 0 {
            return false;
        }
        self.memo_test(k, UNKNOWN_DONE, UNKNOWN_YES, || {
            self.unknown_word_uncached(k)
        })
    }

    #[inline(never)]
    fn unknown_word_uncached(&self, k: usize) -> bool {
        if !self.surname_shape(k) {
            return false;
        }
        // "Lesch-Nyhan", "Solu-Medrol", "Pleur-evac": the first half of a
        // compound whose second half is a clinical word or lowercase
        if k + 1 < self.n()
            && self.gap(k) == "-"
            && (self.wc(k + 1) & (wc::NOT_NAME | wc::STOP) != 0 || self.is(k + 1, LOWER))
        {
            return false;
        }
        !clinical_ending(self.lw(k).as_str())
    }

    /// The end of a name written in capitals from token `i` in a cased text
    /// ("XIAOLING CHAIYAPORN", "VENKATESH B. WOLFCHILD"): two to four
    /// words in capitals (at least `min_words`), each with a vowel, at
    /// least one of five letters or more, none an English word, title or
    /// clinical abbreviation. `i` when there is none.
    #[inline(always)]
    fn caps_run(&self, i: usize, min_words: usize) -> usize {
        // Cheap first (inline): a cased text and a word in capitals.
        if !self.cased || !self.is(i, UPPER | ALPHA) {
            return i;
        }
        self.caps_run_from(i, min_words)
    }

    fn caps_run_from(&self, i: usize, min_words: usize) -> usize {
        let caps_word = |k: usize| {
            k < self.n()
                && self.is(k, UPPER | ALPHA)
                && self.t[k].len() >= 3
                && self.wc(k) & (wc::NOT_NAME | wc::STATE | wc::CUE_ID | wc::FACILITY) == 0
                && {
                    let f = self.lex_flags(k);
                    f & WORD == 0 || f & (FIRST | LAST) != 0
                }
                && self.b[self.t[k].start..self.t[k].end]
                    .iter()
                    .any(|c| matches!(c, b'A' | b'E' | b'I' | b'O' | b'U' | b'Y'))
        };
        if !self.cased || !caps_word(i) {
            return i;
        }
        let mut b = i + 1;
        while b < self.n() && b - i < 4 {
            let g = self.gap(b - 1);
            if self.initial(b) && g == " " && caps_word(b + 1) && self.gap(b) == ". " {
                b += 2;
            } else if matches!(g, " " | "-") && caps_word(b) {
                b += 1;
            } else {
                break;
            }
        }
        let long = (i..b).any(|k| self.t[k].len() >= 5);
        if b >= i + min_words.max(1) && long {
            b
        } else {
            i
        }
    }

    /// Finds names; called once per text.
    pub(crate) fn names(&mut self) {
        let n = self.n();
        let mut i = 0;
        while i < n {
            // In cased text only capitalised words (or short lowercase
            // particles) can start a name: skip the rest cheaply.
            if self.cased
                && !self.is(i, CAP)
                && !(self.t[i].len() <= 6 && self.is(i, LOWER) && particle(self.lw(i).as_str()))
            {
                i += 1;
                continue;
            }
            let mut before = None;
            if let Some(end) = self.last_first(i, &mut before) {
                i = end;
                continue;
            }
            // "Dr. St. James", "Mrs. St. Clair": a surname with "St." after a title
            if self.cased
                && matches!(self.tok(i), "St" | "Ste" | "Saint")
                && i > 0
                && i + 1 < n
                && self.wc(i - 1) & wc::TITLE != 0
                && matches!(self.gap_before(i), " " | ". ")
                && matches!(self.gap(i), ". " | " ")
                && self.is(i + 1, CAP | ALPHA)
                && !self.is(i + 1, UPPER)
            {
                self.push(
                    self.t[i].start,
                    self.t[i + 1].end,
                    PhiType::Name,
                    prio::NAME,
                );
                i += 2;
                continue;
            }
            // "The Nguyens brought food": a family by its surname in the plural
            if self.plural_surname(i) {
                self.push(self.t[i].start, self.t[i].end, PhiType::Name, prio::NAME);
                i += 1;
                continue;
            }
            if self.given_and_initial(i) {
                let end = self.t[i + 1].end + 1; // the initial's dot
                self.push(self.t[i].start, end, PhiType::Name, prio::NAME);
                i += 2;
                continue;
            }
            let mut strong_before =
                || *before.get_or_insert_with(|| self.cue_before(i)) == Cue::Strong;
            let starts = self.name_token(i)
                || self.apos_prefix(i)
                || self.particle_start(i)
                // "pronounced by S. Wiersma", "Z. Lovejoy": an initial before
                // a capitalised word that is no English word
                || (self.initial(i) && self.surname_after_initials(i))
                // "verified by KGS": staff initials
                || self.staff_initials(i)
                // "when was bobby tran seen": in lower case, a given name
                // that is also a word before a surname that is none
                || self.caseless_given_pair(i)
                // "cousin XIAOLING CHAIYAPORN", "pt KONSTANTOPOULOS, 96":
                // capitals after a strong cue
                || (self.caps_run(i, 1) > i && strong_before())
                // "Dr. J. Ray": an initial and a surname after a title
                || (self.initial(i)
                    && i + 1 < n
                    && (self.name_token_loose(i + 1)
                        || self.apos_prefix(i + 1)
                        || particle(self.lw(i + 1).as_str()) && !self.is(i + 1, CAP)
                        // "Dr. J. R. Whitfield": two initials
                        || self.initial(i + 1) && self.name_token_loose(i + 2))
                    && strong_before())
                || (self.name_token_loose(i)
                    && (strong_before() || self.cue_after(self.name_run(i, true)) == Cue::Strong))
                // "Name: Aria Pedersoli": after a label, a capitalised word
                // that is also an English word starts a name when a name
                // word follows it
                || (self.cased
                    && i + 1 < n
                    && self.is(i, CAP)
                    && !self.is(i, UPPER)
                    && self.is(i, ALPHA)
                    && self.t[i].len() >= 2
                    && self.gap(i) == " "
                    && self.wc(i) & wc::NOT_NAME == 0
                    && (self.name_token(i + 1)
                        // "Discussed with Lyric A. Keo"
                        || (self.initial(i + 1) || self.bare_initial(i + 1))
                            && self.name_token_loose(i + 2))
                    && strong_before());
            if !starts {
                i += 1;
                continue;
            }
            let loose = self.name_run(i, true);
            let b = if strong_before() || self.cue_after(loose) == Cue::Strong {
                loose
            } else {
                self.name_run(i, false)
            };
            let accepted = self.judge(i, b);
            if accepted {
                i = b.max(i + 1);
            } else {
                i += 1;
            }
        }
        self.name_lists();
    }

    /// Whether token `k` can be part of a name written "Last, First":
    /// a name word, a particle, or (in a line of capitals) a capitalised
    /// word that is not an English word.
    fn last_first_piece(&self, k: usize) -> bool {
        if k >= self.n() || !self.is(k, ALPHA) {
            return false;
        }
        if self.name_token_loose(k) || self.apos_prefix(k) || self.hyphen_tail(k) {
            return true;
        }
        // "Tsai,Delight": a capitalised word glued to a surname by a comma
        if self.cased
            && k > 0
            && self.gap(k - 1) == ","
            && self.is(k, CAP)
            && self.is(k - 1, CAP | ALPHA)
            && self.wc(k) & (wc::NOT_NAME | wc::STOP) == 0
        {
            return true;
        }
        if particle(self.lw(k).as_str()) && self.t[k].len() <= 4 && self.is(k, LOWER) {
            return true;
        }
        if self.wc(k) & wc::CREDENTIAL != 0 && self.is(k, UPPER) {
            return false;
        }
        // "KING, VALENTINA": in capitals, a given name or common surname
        // that is also a word.
        if self.cased
            && self.is(k, UPPER)
            && self.t[k].len() >= 3
            && self.lex_flags(k) & (FIRST | COMMON_LAST) != 0
            && self.wc(k) & (wc::NOT_NAME | wc::STOP | wc::TITLE) == 0
        {
            return true;
        }
        self.cased
            && self.is(k, UPPER)
            && self.t[k].len() >= 2
            && self.lex_flags(k) & WORD == 0
            && self.wc(k) & wc::NOT_NAME == 0
    }

    /// The end of a run of "Last, First" pieces from `a` (at most 4 words).
    fn last_first_run(&self, a: usize) -> usize {
        let mut b = a;
        while b < self.n() && b - a < 5 && self.last_first_piece(b) {
            let g = if b > a { self.gap(b - 1) } else { " " };
            let joined =
                g == " " || g == "-" || matches!(g, "'" | "’") || b > a && self.initial(b - 1);
            if !joined {
                break;
            }
            b += 1;
        }
        // "Smith, John A.": a final initial
        if b > a && b < self.n() && self.initial(b) && self.gap(b - 1) == " " {
            b += 1;
        } else if b > a
            && b < self.n()
            && self.t[b].len() == 1
            && self.is(b, ALPHA)
            && (self.is(b, UPPER) || !self.cased)
            && self.gap(b - 1) == " "
            && (b + 1 >= self.n() || {
                let g = self.gap(b);
                g.starts_with("  ")
                    || g.contains('\n')
                    || g.starts_with([',', ')', '|', ';'])
                    // "Savage, Seppo G signed", "Tall, Somsak K to tele"
                    || g == " " && self.is(b + 1, LOWER)
            })
        {
            // "JONES, LAURA R   MRN …": a final initial without its dot
            b += 1;
        }
        b
    }

    /// A name written "Last, First" where a name is expected: at the start
    /// of a line or a field ("Pt: Reyes, Dolores  DOB …", "ICU handoff:
    /// Lam, Li Na, 94 M", "The pt, Nguyen, Dung, is …", "MENON, AARAV  DOB"),
    /// closed by the end of the field. One detection covers both parts and
    /// the comma. Returns the token after it.
    fn last_first(&mut self, a: usize, before: &mut Option<Cue>) -> Option<usize> {
        let n = self.n();
        // Cheap first: a comma after one of the next few tokens.
        if !(a..(a + 5).min(n)).any(|k| self.b.get(self.t[k].end) == Some(&b',')) {
            return None;
        }
        // Then where it stands: the start of a field, or a strong cue (the
        // cue is kept for the caller).
        let field_start = a == 0 || {
            let g = self.gap_before(a);
            g.contains('\n') || g.trim_end().ends_with([':', '(', '|']) || g.starts_with("  ")
        };
        // "Rostami,Wanjiku": a comma without a space between two capitalised
        // words is how record systems write a name
        let glued = self.cased
            && self.gap(a) == ","
            && self.is(a, CAP)
            && a + 1 < n
            && self.is(a + 1, CAP)
            && !self.is(a + 1, DIGITS);
        let cue = if field_start {
            Cue::None
        } else {
            *before.get_or_insert_with(|| self.cue_before(a))
        };
        if !field_start && cue != Cue::Strong && !glued {
            return None;
        }
        if !self.last_first_piece(a) || self.initial(a) {
            return None;
        }
        // "Best, Élodie", "Cheers, Ana": a sign-off, not a surname
        if field_start
            && matches!(
                self.lw(a).as_str(),
                "best" | "cheers" | "regards" | "thanks" | "sincerely" | "warmly" | "respectfully"
            )
            && self.gap(a) == ", "
        {
            return None;
        }
        let b = self.last_first_run(a);
        if b == a || b >= n || !matches!(self.gap(b - 1), ", " | ",") || self.initial(b - 1) {
            return None;
        }
        let c = b;
        let d = self.last_first_run(c);
        if d == c || d - c > 4 {
            return None;
        }
        // Without capitals, the given part must not hold an ordinary word
        // that is no name ("thx maria, see u").
        if !self.cased
            && (c..d).any(|k| {
                let f = self.lex_flags(k);
                self.t[k].len() > 1 && f & FIRST == 0 && f & WORD != 0
            })
        {
            return None;
        }
        // The field ends: a line end, a comma, two spaces, a parenthesis, or
        // what follows a name in a header (DOB, MRN, age).
        let ends = d >= n || {
            let g = self.gap(d - 1);
            // "Bhatt, Ijaya J.  Acct": the initial's dot, then the field's end
            let g = if self.initial(d - 1) {
                g.strip_prefix('.').unwrap_or(g)
            } else {
                g
            };
            g.contains('\n')
                || g.starts_with([',', ';', '(', ')', '|'])
                || g.starts_with("  ")
                || g == " ("
                || (g == "." || g.starts_with(". ")) && cue == Cue::Strong
                || self.cue_after(d) == Cue::Strong
                || matches!(
                    self.lw(d).as_str(),
                    "dob" | "mrn" | "age" | "sex" | "dos" | "is" | "was"
                )
                // "Okafor, Dalia 03/04/1950 …": a header with a date after
                || g == " "
                    && self.is(d, DIGITS)
                    && self.t[d].len() <= 4
                    && matches!(self.b.get(self.t[d].end), Some(b'/' | b'-' | b'.'))
                || cue == Cue::Strong && g == " " && self.is(d, LOWER)
                // "Wadsworth, Diep A to tele": a final initial closes the name
                || self.t[d - 1].len() == 1 && d - 1 > c && g == " " && self.is(d, LOWER)
                || glued && (g == " " || g.starts_with('.'))
        };
        if !ends {
            return None;
        }
        // A census name in either part, or a person's label before it.
        let census = (a..d).any(|k| {
            let f = self.lex_flags(k);
            f & (FIRST | LAST) != 0 && f & WORD == 0
        });
        let label = a > 0 && {
            let g = self.gap_before(a);
            let p = a - 1;
            g.trim_end().ends_with(':') && self.wc(p) & (wc::ROLE | wc::RELATION | wc::TITLE) != 0
        };
        // A header line: "LAM, XIAOLI  DOB 06/23/1986"
        let header = d < n && matches!(self.lw(d).as_str(), "dob" | "mrn");
        let final_initial = d - 1 > c && self.t[d - 1].len() == 1 && self.is(d - 1, UPPER);
        // "Rattanakorn, Chidinma (91)", "Okafor, Dalia, 94,": an age after it
        let age_after = d + 1 < n
            && matches!(self.gap(d - 1), " (" | ", ")
            && self.digits(d)
            && self.num(d).is_some_and(|v| (1..=125).contains(&v))
            && (self.gap(d).starts_with(')')
                || self.gap(d).starts_with(',')
                || self.eq(d + 1, "y"));
        if !(census || label || header || cue == Cue::Strong || glued || final_initial || age_after)
        {
            return None;
        }
        // Two words of a list ("Lasix, Metoprolol") are no name: one part
        // must look like a name, not like an ordinary or clinical word.
        let wordy =
            |k: usize| self.lex_flags(k) & WORD != 0 && self.lex_flags(k) & (FIRST | LAST) == 0;
        if !header && ((a..b).all(wordy) || (c..d).all(wordy)) {
            return None;
        }
        let mut end = self.t[d - 1].end;
        if self.initial(d - 1) && self.b.get(end) == Some(&b'.') {
            end += 1;
        }
        self.push(self.t[a].start, end, PhiType::Name, prio::NAME);
        Some(d)
    }

    /// Names written in capitals inside a text that has both cases
    /// ("ZOLTAN PRICE, 97, from …", "JOLENE MBEKI is a 95 yo"): a run of two
    /// or three capitalised words, at least one a known name that is not an
    /// ordinary word, and each either a known name or no word at all.
    pub(crate) fn caps_names(&mut self) {
        if !self.cased {
            return;
        }
        let n = self.n();
        let mut i = 0;
        while i < n {
            if !(self.is(i, UPPER) && self.is(i, ALPHA)) {
                i += 1;
                continue;
            }
            let mut b = i + 1;
            while b < n
                && self.is(b, UPPER)
                && self.is(b, ALPHA)
                && matches!(self.gap(b - 1), " " | "-" | "'")
            {
                b += 1;
            }
            let mut run = (i, b);
            let mut before_credential = false;
            // A strong cue before the run, asked only where it matters (most
            // runs of capitals are abbreviations: "BP", "MRN").
            let start = i;
            let cued = |s: &Self| start > 0 && s.cue_before(start) == Cue::Strong;
            // "BROWN, JOY, 97, from …", "Ordered by: WINTER, SKY MD",
            // "REFERRING PHYSICIAN: DE LA CRUZ, MATEO": "LAST, FIRST" in
            // capitals before an age, or after a strong cue to the end of
            // its line or a credential
            if b - i <= 3
                && b < n
                && self.gap(b - 1) == ", "
                && self.is(b, UPPER)
                && self.is(b, ALPHA)
                && (b + 1 < n && self.gap(b) == ", " && self.digits(b + 1)
                    || cued(self)
                        && (b + 1 >= n
                            || self.gap(b).contains('\n')
                            || self.gap(b).starts_with(['.', ';'])
                            || self.gap(b) == " " && self.credential_at(b + 1)))
            {
                run.1 = b + 1;
            } else if b - i <= 3 && b < n && self.gap(b - 1) == ", " && self.is(b, UPPER | ALPHA) {
                // "CARTWRIGHT, PUALANI WAYAN, RN", "PAPAZIAN, SADIA, MD": a
                // name in capitals before its credential
                let mut e = b + 1;
                while e < n && e - b < 3 && self.gap(e - 1) == " " && self.is(e, UPPER | ALPHA) {
                    e += 1;
                }
                if e < n
                    && matches!(self.gap(e - 1), ", " | " ")
                    && self.credential_at(e)
                    && !self.credential_at(e - 1)
                {
                    run.1 = e;
                    before_credential = true;
                }
            }
            // "NDLOVU-TAWFIQ, CDS", "VAIDYANATHAN, LPN": one name in capitals
            // before its credential
            let one_word = (run.0 + 1..run.1).all(|k| matches!(self.gap(k - 1), "-" | "'"));
            if one_word {
                let e = run.1;
                if e < n
                    && self.gap(e - 1) == ", "
                    && self.credential_at(e)
                    && self.caps_run(run.0, 1) > run.0
                {
                    self.push(
                        self.t[run.0].start,
                        self.t[e - 1].end,
                        PhiType::Name,
                        prio::NAME,
                    );
                    i = run.1;
                    continue;
                }
            }
            i = run.1;
            // words, counting "O'BRIEN-WALSH" as one
            let words = (run.0..run.1)
                .filter(|&k| k == run.0 || !matches!(self.gap(k - 1), "-" | "'"))
                .count();
            if run.1 - run.0 < 2 || run.1 - run.0 > 6 || words > 4 {
                continue;
            }
            // Evidence that lets name words that are also words ("CHASE
            // RICE") through: a strong cue before ("Pt CHASE RICE") or an
            // age set off by commas after ("HOPE PETRENKO, 105, from …").
            let e = run.1 - 1;
            let age_after = run.1 + 1 < n
                && self.gap(e) == ", "
                && self.digits(run.1)
                && self.t[run.1].len() <= 3
                && self.gap(run.1).starts_with([',', ';'])
                && (run.0 == 0 || self.gap_before(run.0).contains('\n'));
            let evidence = age_after || before_credential || cued(self);
            if evidence
                && (run.0..run.1).all(|k| {
                    let f = self.lex_flags(k);
                    let part = particle(self.lw(k).as_str()) && k + 1 < run.1;
                    (self.t[k].len() >= 3 || f & FIRST != 0 && f & WORD == 0 || part)
                        && self.wc(k)
                            & (wc::NOT_NAME
                                | wc::STOP
                                | wc::TITLE
                                | wc::CREDENTIAL
                                | wc::ROLE
                                | wc::RELATION)
                            == 0
                        && (f & (FIRST | LAST) != 0 || f == 0 && self.t[k].len() >= 3 || part)
                })
                && (run.0..run.1).any(|k| self.lex_flags(k) & (FIRST | LAST) != 0)
            {
                self.push(
                    self.t[run.0].start,
                    self.t[e].end,
                    PhiType::Name,
                    prio::NAME,
                );
                continue;
            }
            if !(2..=3).contains(&words) {
                continue;
            }
            let mut known = false;
            let ok = (run.0..run.1).all(|k| {
                // "JONSSON-HERMANSSON", "O'BRIEN": the pieces joined by a
                // hyphen or an apostrophe are judged as one word
                if k > run.0 && matches!(self.gap(k - 1), "-" | "'")
                    || k + 1 < run.1 && self.gap(k) == "'" && self.t[k].len() == 1
                {
                    return true;
                }
                let f = self.lex_flags(k);
                let c = self.wc(k);
                if self.t[k].len() < 2
                    || c & (wc::NOT_NAME
                        | wc::STOP
                        | wc::TITLE
                        | wc::CREDENTIAL
                        | wc::ROLE
                        | wc::RELATION)
                        != 0
                {
                    return false;
                }
                if f & (FIRST | LAST) != 0 && f & WORD == 0 {
                    known = true;
                }
                f & (FIRST | COMMON_LAST) != 0 || f == 0 && self.t[k].len() >= 3
            });
            if ok && known {
                self.push(
                    self.t[run.0].start,
                    self.t[run.1 - 1].end,
                    PhiType::Name,
                    prio::NAME,
                );
            }
        }
    }

    /// Names in a list with an accepted name: "present were Tola Witan,
    /// Carina Poulsen, and Dr. Szabó". A run of name tokens directly before
    /// ", " / " and " and an accepted name, or directly after one, is a name.
    fn name_lists(&mut self) {
        if !self.out.iter().any(|c| c.kind == PhiType::Name) {
            return;
        }
        let mut lists = std::mem::take(self.lists);
        self.name_lists_in(&mut lists);
        *self.lists = lists;
    }

    fn name_lists_in(&mut self, lists: &mut super::scan::NameLists) {
        let super::scan::NameLists {
            starts,
            ends,
            items,
            done,
        } = lists;
        starts.clear();
        ends.clear();
        items.clear();
        done.clear();
        for c in self.out.iter().filter(|c| c.kind == PhiType::Name) {
            starts.insert(c.start);
            ends.insert(c.end);
        }
        if starts.is_empty() {
            return;
        }
        let list_sep = |g: &str| matches!(g, ", " | ", and " | " and " | ",and " | "; " | "/");
        let n = self.n();
        // Candidate items: name runs next to a list separator.
        let mut i = 0;
        while i < n {
            if (self.cased && !self.is(i, CAP))
                || !self.name_token_loose(i)
                || starts.contains(&self.t[i].start)
            {
                i += 1;
                continue;
            }
            let b = self.name_run(i, true);
            let before_sep = i > 0 && (list_sep(self.gap_before(i)) || self.and_before(i));
            let after_sep = b < n && (list_sep(self.gap(b - 1)) || self.and_after(b));
            let state = (i..b).any(|k| super::places::state_ends_at(self, k).is_some());
            // Without capitals, only known names that are not ordinary words
            // ("thx maria, see u": "see u" is no name).
            let plain = !self.cased
                && (i..b).any(|k| {
                    let f = self.lex_flags(k);
                    f & (FIRST | LAST) == 0 || f & WORD != 0
                });
            // "Best, Élodie": a sign-off opening its line is no list item
            let sign_off = b == i + 1
                && (i == 0 || self.gap_before(i).contains('\n'))
                && matches!(
                    self.lw(i).as_str(),
                    "best" | "cheers" | "regards" | "thanks" | "sincerely" | "warmly"
                );
            if (before_sep || after_sep)
                && !plain
                && !sign_off
                && b - i <= 3
                && !state
                && !self.line_break_between(i, b - 1)
            {
                items.push((i, b));
            }
            i = b;
        }
        done.resize(items.len(), false);
        loop {
            let mut changed = false;
            for (k, &(i, b)) in items.iter().enumerate().rev() {
                if done[k] {
                    continue;
                }
                let prev_is_name = i > 0
                    && (list_sep(self.gap_before(i)) && ends.contains(&self.t[i - 1].end)
                        || self.and_before(i) && i > 1 && ends.contains(&self.t[i - 2].end));
                let next_is_name = b < n && (list_sep(self.gap(b - 1)) || self.and_after(b)) && {
                    let mut x = b;
                    // ", and Dr. X": skip "and" and a title
                    if self.eq(x, "and") {
                        x += 1;
                    }
                    if x < n && self.wc(x) & wc::TITLE != 0 {
                        x += 1;
                    }
                    x < n && starts.contains(&self.t[x].start)
                };
                if prev_is_name || next_is_name {
                    let (s, e) = (self.t[self.particles_before(i)].start, self.t[b - 1].end);
                    self.push(s, e, PhiType::Name, prio::NAME);
                    starts.insert(self.t[i].start);
                    ends.insert(e);
                    done[k] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Whether " and " comes right before token `i` ("Ana Ruiz and Li Wei").
    fn and_before(&self, i: usize) -> bool {
        i > 1
            && self.gap_before(i) == " "
            && (self.eq(i - 1, "and") || self.eq(i - 1, "or"))
            && self.gap_before(i - 1) == " "
    }

    /// Whether " and " or " or " comes right after the run ending before token `b`.
    fn and_after(&self, b: usize) -> bool {
        b + 1 < self.n()
            && self.gap(b - 1) == " "
            && (self.eq(b, "and") || self.eq(b, "or"))
            && self.gap(b) == " "
    }

    /// The first token of lowercase particles right before token `a` that
    /// begin the name ("van der Plas, Michele", "Stijn van de Leemput" in a
    /// list): only at a line start, after a list separator or a label.
    fn particles_before(&self, a: usize) -> usize {
        let mut s = a;
        while s > 0
            && self.gap_before(s) == " "
            && particle(self.lw(s - 1).as_str())
            && !self.is(s - 1, CAP)
            && a - s < 3
        {
            s -= 1;
        }
        if s == a {
            return a;
        }
        let g = self.gap_before(s);
        if s == 0 || g.contains(['\n', ',', ':', ';']) {
            s
        } else {
            a
        }
    }

    /// The end (exclusive) of the name run starting at token `a` (memoised).
    #[inline(always)]
    fn name_run(&self, a: usize, loose: bool) -> usize {
        let shift = if loose {
            super::scan::RUN_LOOSE_SHIFT
        } else {
            super::scan::RUN_STRICT_SHIFT
        };
        self.memo_run(a, shift, || self.name_run_uncached(a, loose))
    }

    #[inline(never)]
    fn name_run_uncached(&self, a: usize, loose: bool) -> usize {
        let n = self.n();
        let tok_ok = |k: usize| {
            if loose {
                // Next to a strong cue, any capitalised word that is not a
                // stop word or clinical noun continues the name ("Dr.
                // Fermuta Bilge", "(Joshua van Mil)").
                self.name_token_loose(k)
                    || self.cased
                        && k < n
                        && self.is(k, ALPHA)
                        && self.t[k].len() >= 2
                        && self.is(k, CAP)
                        && !self.is(k, UPPER)
                        && self.wc(k) & (wc::STOP | wc::NOT_NAME) == 0
                        && !medical_noun(self.lw(k).as_str())
            } else {
                self.name_token(k)
            }
        };
        let caps_end = if loose { self.caps_run(a, 2) } else { a };
        if caps_end > a + 1 {
            return caps_end;
        }
        if loose && self.caps_run(a, 1) > a {
            return a + 1;
        }
        let mut b = a + 1;
        while b < n && b - a < 6 {
            let g = self.gap(b - 1);
            // 'Takoda "Zizi" Wisniewski': a nickname in quotes inside a name
            if matches!(g, " \"" | " “" | " '")
                && b + 1 < n
                && self.cased
                && self.is(b, CAP | ALPHA)
                && matches!(self.gap(b), "\" " | "” " | "' ")
                && tok_ok(b + 1)
            {
                b += 2;
                continue;
            }
            let prev_initial = self.initial(b - 1);
            let sep_ok = if prev_initial {
                g == ". " || g == "."
            } else {
                g == " "
                    || (g == "-" && self.cased && self.cap(b))
                    // "okonkwo-bell" in lower-case text: a name, a hyphen, a surname
                    || (g == "-"
                        && !self.cased
                        && self.lex_flags(b - 1) & (FIRST | LAST) != 0
                        && self.lex_flags(b) & LAST != 0
                        && self.t[b].len() >= 3)
                    || ((g == "'" || g == "’") && self.apos_prefix(b - 1))
            };
            // "Jackson-Pratt", "Epstein-Barr": a two-name eponym, no person
            if g == "-" && hyphen_eponym(self.lw(b - 1).as_str(), self.lw(b).as_str()) {
                break;
            }
            if self.hyphen_tail(b) {
                b += 1;
                continue;
            }
            if !sep_ok {
                break;
            }
            if tok_ok(b) {
                b += 1;
            } else if self.cased
                && g == " "
                && self.is(b, CAP | ALPHA)
                && !self.is(b, UPPER)
                && self.wc(b) & wc::RELATION != 0
                && self.wc(b) & (wc::STOP | wc::TITLE) == 0
                && self.lex_flags(b) & LAST != 0
                && self.lex_flags(b - 1) & WORD == 0
                && self.wc(b - 1) & wc::NOT_NAME == 0
            {
                // "Takumi Friend", "Araksi Friend": a surname that is also a
                // relation, after a given name
                b += 1;
            } else if self.apos_prefix(b) {
                b += 2;
            } else if b + 1 < n
                && self.cased
                && !self.is(b, CAP)
                && self.t[b].len() <= 3
                && particle(self.lw(b).as_str())
                && self.gap(b) == "-"
                && self.cap(b + 1)
            {
                // "Karina al-Majsterek"
                b += 2;
            } else if b + 1 < n
                && self.cased
                && matches!(self.tok(b), "St" | "Ste")
                && matches!(self.gap(b), ". " | " ")
                && self.is(b + 1, CAP)
                && !self.is(b + 1, UPPER)
                && (self.lex_flags(b - 1) & FIRST != 0 || self.unknown_proper(b - 1))
                && self.wc(b + 1) & (wc::STOP | wc::NOT_NAME) == 0
            {
                // "Ebony St. Clair", "Concetta St. Pierre": a surname with "St."
                b += 2;
            } else if ((self.initial(b) || self.bare_initial(b))
                && b + 1 < n
                && (tok_ok(b + 1)
                    // "Malakai T. Friend": a word-name after a middle initial
                    || self.initial(b)
                        && self.is(b + 1, CAP | ALPHA)
                        && self.wc(b + 1) & (wc::STOP | wc::TITLE | wc::CREDENTIAL) == 0
                        && self.lex_flags(b + 1) & (FIRST | LAST) != 0
                    || self.apos_prefix(b + 1)
                    || particle(self.lw(b + 1).as_str()) && !self.is(b + 1, CAP)))
                || (particle(self.lw(b).as_str())
                    && self.gap(b) == " "
                    && (tok_ok(b + 1)
                        || particle(self.lw(b + 1).as_str())
                            && self.gap(b + 1) == " "
                            && tok_ok(b + 2))
                    && !self.is(b, CAP))
            {
                b += 1;
            } else {
                break;
            }
        }
        // A trailing initial is not part of the name ("Vitamin D.").
        while b > a + 1 && self.initial(b - 1) {
            b -= 1;
        }
        b
    }

    /// Decides whether the run `a..b` is a name and records it.
    fn judge(&mut self, a: usize, b: usize) -> bool {
        let n = self.n();
        let mut words: super::scan::Indices = (a..b)
            .filter(|&k| {
                !(self.initial(k)
                    || self.bare_initial(k)
                    || self.apos_prefix(k)
                    || self.hyphen_tail(k)
                    || particle(self.lw(k).as_str()) && k + 1 < b)
            })
            .collect();
        if words.is_empty() {
            // "el-sayed": only a particle and a hyphenated part
            words = (a..b).filter(|&k| !self.initial(k)).collect();
        }
        if words.is_empty() {
            return false;
        }
        let has_initial = (a..b).any(|k| self.initial(k) || self.bare_initial(k));
        let first = words[0];
        let last = *words.last().unwrap_or(&first);
        let ff = self.lex_flags(first);
        let lf = self.lex_flags(last);

        let before = self.cue_before(a);
        let after = self.cue_after(b);
        // "Graves disease", "Stevens-Johnson syndrome", "Bell's palsy",
        // "Tinel and Phalen positive": an eponym, unless a title or role
        // says otherwise.
        if before != Cue::Strong && b < n && self.eponym_after(b) {
            return false;
        }
        let strong = before == Cue::Strong || after == Cue::Strong;
        let weak = before == Cue::Weak || after == Cue::Weak;

        let first_is_given = ff & FIRST != 0 && (ff & WORD == 0 || self.cased);
        // "Min-jun", "Hye-jin": a hyphenated given name is a name by shape
        let hyphenated = (a..b).any(|k| self.hyphen_tail(k));
        let given_clean = ff & FIRST != 0 && ff & WORD == 0 || hyphenated;
        let last_is_name = lf & (LAST | FIRST) != 0;
        let last_unknown = lf == 0;
        let multi = words.len() >= 2;

        let accept = if strong {
            true
        } else if has_initial
            && self.cased
            && (words.len() == 1
                || (ff & (FIRST | LAST) != 0 || ff == 0) && self.surname_shape(first))
            && self.surname_shape(last)
        {
            // "S. Wiersma", "Malakai T. Friend", "Nneka J Huynh": an initial
            // beside capitalised words that are no English words
            true
        } else if multi && self.cased && words.iter().all(|&k| self.unknown_proper(k)) {
            // "Tele: Farrukh Tashkentov, 88": capitalised words no dictionary
            // knows (no medicine, no clinical ending), side by side
            true
        } else if multi {
            if self.cased {
                // "Donnacha Sheriff", "Shmuel Early": a surname that is also a
                // word after a given name that is none
                let word_surname = lf & LAST != 0
                    && self.is(last, CAP)
                    && !self.is(last, UPPER)
                    && self.wc(last) & (wc::NOT_NAME | wc::STOP) == 0
                    && !medical_noun(self.lw(last).as_str());
                (given_clean && (last_is_name || last_unknown))
                    || word_surname && (given_clean || self.unknown_proper(first))
                    || (first_is_given && lf & LAST != 0 && lf & WORD == 0)
                    || (first_is_given && lf & COMMON_LAST != 0)
                    || (has_initial && (ff & (FIRST | LAST) != 0) && (last_is_name || last_unknown))
                    || (weak && (ff & (FIRST | LAST) != 0 || last_is_name))
                    || (ff & LAST != 0 && ff & WORD == 0 && lf & LAST != 0 && lf & WORD == 0)
                    // "Viktor Nakamura", "Declan Bergström": an unknown word
                    // before a clean surname.
                    || (ff == 0 && lf & LAST != 0 && lf & WORD == 0)
                    // "with Lars Achterberg": a weak cue and no ordinary words
                    || (weak && words.iter().all(|&k| self.lex_flags(k) & WORD == 0))
            } else {
                // "labs for maria gonzalez", "when was bobby tran seen": a
                // given name that is also a word ("maria", "bobby") before a
                // surname that is none
                (given_clean && self.clean_surname(last))
                    || (self.given_word(first) && words.len() == 2 && self.clean_surname(last))
                    || (given_clean && has_initial && (last_is_name || last_unknown))
                    || (weak && given_clean && (last_is_name || last_unknown))
            }
        } else if (!self.cased || self.is(first, CAP) && !self.is(first, UPPER))
            && (lf == 0 || lf & LAST != 0 && lf & WORD == 0 || lf & FIRST != 0)
            && self.event_after(b)
        {
            // "Vlachos was admitted on 6/23", "Demir underwent TAVR": an
            // unknown capitalised word as the subject of a patient's event.
            true
        } else if self.unknown_proper(first)
            && a > 0
            && self.gap_before(a) == " "
            && self.is(a - 1, CAP | ALPHA)
            && !self.is(a - 1, UPPER)
            && self.wc(a - 1) & (wc::NOT_NAME | wc::STOP) == 0
            && self.cue_before(a - 1) != Cue::None
        {
            // "Complaint from Merit Kamotho": a surname no dictionary knows
            // after a capitalised word that follows a cue (taken in below)
            true
        } else if weak {
            // A single word with a weak cue: a clean given name or surname,
            // or a capitalised word no dictionary knows ("transfers with
            // Selorm"; medicines and clinical endings are excluded).
            (given_clean || (lf & LAST != 0 && lf & WORD == 0))
                && (!self.cased || self.is(first, CAP))
                || self.unknown_proper(first)
                // "tx by Marvel", "per Clover": a capitalised given name that
                // is also a word, right after "by" or "per" (not "with":
                // "ambulated with Walker" is the device)
                || self.cased
                    && lf & FIRST != 0
                    && self.is(first, CAP)
                    && !self.is(first, UPPER)
                    && self.wc(first) & (wc::NOT_NAME | wc::STOP) == 0
                    && !medical_noun(self.lw(first).as_str())
                    && a == first
                    && a > 0
                    && matches!(self.lw(a - 1).as_str(), "by" | "per")
        } else {
            false
        };
        if accept {
            // Generational suffix: "Francesco Koch II", "John Smith Jr."
            let mut end_tok = b - 1;
            if b < self.n()
                && matches!(self.gap(b - 1), " " | ", ")
                && matches!(self.tok(b), "Jr" | "Sr" | "II" | "III" | "IV" | "jr" | "sr")
            {
                end_tok = b;
            }
            let mut start = self.t[a].start;
            // "MacLeod, Chiara (MRN ...)": a surname before a comma at the
            // start of the line belongs to the name.
            if after == Cue::Strong
                && a >= 1
                && self.gap_before(a) == ", "
                && self.name_token(a - 1)
            {
                let p = a - 1;
                let line_start = p == 0 || self.gap_before(p).contains('\n');
                if line_start {
                    start = self.t[p].start;
                }
            }
            let end = self.t[end_tok].end;
            // "Lei Cai": a given name that is also a word, before an
            // accepted surname
            let clean_surname = lf & LAST != 0 && lf & WORD == 0 || self.unknown_proper(last);
            let mut a2 = a;
            while a2 > 0
                && a - a2 < 2
                && self.gap_before(a2) == " "
                && self.cased
                && (self.name_token_loose(a2 - 1)
                    // "Complaint from Delight Saxena": a word as given name
                    || clean_surname
                        && self.is(a2 - 1, CAP | ALPHA)
                        && !self.is(a2 - 1, UPPER)
                        && self.wc(a2 - 1) & (wc::NOT_NAME | wc::STOP) == 0)
                && self.cue_before(a2 - 1) != Cue::None
                || a2 > 0
                    && a - a2 < 2
                    && self.gap_before(a2) == " "
                    && self.cased
                    && self.name_token_loose(a2 - 1)
                    && (a2 - 1 == 0 || self.gap_before(a2 - 1).contains(['.', '\n', ':']))
            {
                a2 -= 1;
            }
            // "Aria Pedersoli presents …": at the start of a sentence, a
            // given name that is also an English word, before a surname
            // that no given name starts
            if a2 == a
                && a > 0
                && self.cased
                && before == Cue::None
                && after != Cue::None
                && self.gap_before(a) == " "
                && ff & FIRST == 0
                && (a - 1 == 0 || self.gap_before(a - 1).contains(['.', '\n', ':']))
                && self.is(a - 1, CAP)
                && !self.is(a - 1, UPPER)
                && self.is(a - 1, ALPHA)
                && self.t[a - 1].len() >= 3
                && self.wc(a - 1) & wc::LISTED == 0
                && self.lex_flags(a - 1) == WORD
                && !sentence_adverb(self.lw(a - 1).as_str())
            {
                a2 = a - 1;
            }
            let start = self.t[self.particles_before(a2)].start.min(start);
            self.push(start, end, PhiType::Name, prio::NAME);
            // "Sanchez, Judith": a given name after a comma continues it.
            if b + 1 < n && self.gap(b - 1) == ", " && self.name_token(b) {
                let f2 = self.lex_flags(b);
                if f2 & FIRST != 0 && f2 & WORD == 0 && !self.credential_at(b) {
                    let e2 = self.name_run(b, false);
                    if e2 == b + 1 || e2 > b {
                        self.push(
                            self.t[b].start,
                            self.t[e2 - 1].end,
                            PhiType::Name,
                            prio::NAME,
                        );
                    }
                }
            }
        }
        accept
    }

    /// Whether a patient's event follows the run ending before token `b`:
    /// "was admitted", "underwent", "presented", "tolerated".
    fn event_after(&self, b: usize) -> bool {
        if b >= self.n() || self.gap(b - 1) != " " {
            return false;
        }
        let w = self.lw(b);
        match w.as_str() {
            "underwent" | "presented" | "presents" | "tolerated" | "denies" | "denied"
            | "endorses" | "complains" | "reports" | "arrived" | "expired" | "died" | "says"
            | "said" | "states" | "stated" | "thinks" | "wants" | "feels" | "asked" | "told"
            | "called" | "phoned" | "texted" | "emailed" | "messaged" | "declined" | "refused"
            | "agreed" | "requested" => true,
            // "Bertha C. passed away", "X handed off to Y"
            "passed" => self.eq(b + 1, "away"),
            "handed" => self.eq(b + 1, "off") || self.eq(b + 1, "over"),
            // "Cerys Stout of Coldwater passed away"
            "of" => (b + 2..(b + 6).min(self.n().saturating_sub(1)))
                .any(|k| self.eq(k, "passed") && self.eq(k + 1, "away")),
            // "Yael here - running late"
            "here" => self.gap(b).starts_with([' ', ',', '.', '-', '!']),
            "was" | "is" | "has" | "had" => matches!(
                self.lw(b + 1).as_str(),
                "admitted"
                    | "transferred"
                    | "discharged"
                    | "intubated"
                    | "extubated"
                    | "found"
                    | "brought"
                    | "seen"
                    | "evaluated"
                    | "readmitted"
                    | "been"
                    | "covering"
                    | "aware"
                    | "available"
                    | "calling"
                    | "asking"
                    | "requesting"
                    | "here"
            ),
            _ => false,
        }
    }

    /// Whether a medical noun follows the run ending before token `b`
    /// ("… disease", "…'s palsy", "… and Phalen positive").
    fn eponym_after(&self, b: usize) -> bool {
        let g = self.gap(b - 1);
        if g == " " && medical_noun(self.lw(b).as_str()) {
            return true;
        }
        if matches!(g, "'" | "’") && self.eq(b, "s") && self.gap(b) == " " {
            return medical_noun(self.lw(b + 1).as_str());
        }
        // "Tinel and Phalen positive"
        g == " "
            && self.eq(b, "and")
            && self.is(b + 1, CAP)
            && self.gap(b + 1) == " "
            && medical_noun(self.lw(b + 2).as_str())
    }

    fn credential_at(&self, i: usize) -> bool {
        self.wc(i) & wc::CREDENTIAL != 0
    }

    /// Evidence before the run starting at token `a`.
    #[inline(always)]
    fn cue_before(&self, a: usize) -> Cue {
        let bits = (CUE_DONE, CUE_WEAK, CUE_STRONG);
        let v = self.memo_tri(a, bits, || match self.cue_before_uncached(a) {
            Cue::None => 0,
            Cue::Weak => 1,
            Cue::Strong => 2,
        });
        match v {
            0 => Cue::None,
            1 => Cue::Weak,
            _ => Cue::Strong,
        }
    }

    #[inline(never)]
    fn cue_before_uncached(&self, a: usize) -> Cue {
        if a == 0 {
            // "-- John" opening a text: a signature on its own line
            let g = self.gap_before(0).trim();
            return if matches!(g, "-" | "--" | "—" | "–" | "~") && self.run_ends_line(0) {
                Cue::Strong
            } else {
                Cue::None
            };
        }
        let g = self.gap_before(a);
        let p = a - 1;
        let w = self.lw(p);
        let ws = w.as_str();
        // "Best, John", "Cheers, Lea": a one-word sign-off starting its line
        if g == ", "
            && matches!(
                ws,
                "best" | "cheers" | "respectfully" | "warmly" | "thx" | "ty"
            )
            && (p == 0 || self.gap_before(p).contains(['\n', '.', '!']))
            && self.run_ends_line(a)
        {
            return Cue::Strong;
        }
        if g.contains('\n') {
            // "Best regards,\nAna Ruiz": a sign-off, then the name on its line
            if g.starts_with(',')
                && matches!(
                    ws,
                    "regards"
                        | "sincerely"
                        | "thanks"
                        | "best"
                        | "cheers"
                        | "respectfully"
                        | "thank"
                )
                && self.run_ends_line(a)
            {
                return Cue::Strong;
            }
            // "- Ryan" on its own line is still a signature
            return if g.trim_start_matches(['\n', ' ']).starts_with(['-', '—'])
                && self.run_ends_line(a)
            {
                Cue::Strong
            } else {
                Cue::None
            };
        }
        // Signature: "... questions. - Ryan"
        if g.len() >= 2 && g.len() <= 6 && g.ends_with(' ') {
            let gt = g.trim();
            let dash = gt.trim_start_matches(['.', '!', '?', ' ']);
            if matches!(dash, "-" | "--" | "—" | "–" | "~")
                && g.starts_with([' ', '.', '!', '?', '\t'])
                && self.run_ends_line(a)
            {
                return Cue::Strong;
            }
        }
        let c = self.wc(p);
        // Most words are no cue: neither spelled like one of the words the
        // tests below compare with, nor a title, role, relation or service.
        let cue_classes =
            wc::CUE_BEFORE | wc::TITLE | wc::ROLE | wc::RELATION | wc::DEPARTMENT | wc::FACILITY;
        if c & cue_classes == 0 {
            let cue = if self.staff_initials(a) {
                Cue::Strong
            } else {
                Cue::None
            };
            // Every word the tests below compare with must be in
            // `CUE_BEFORE_WORDS` (words.rs); in debug builds (the tests) the
            // skipped tests run anyway and must agree.
            debug_assert_eq!(
                cue,
                self.cue_before_listed(a, g, p, ws, c),
                // (the word itself stays out of the message: it is patient text)
                "a cue word before a name is missing from CUE_BEFORE_WORDS"
            );
            return cue;
        }
        self.cue_before_listed(a, g, p, ws, c)
    }

    /// The cue before the run at `a` when the word before it (`p`, lower
    /// case `ws`, classes `c`, gap `g`) may be one: a listed cue word, a
    /// title, role, relation or service.
    fn cue_before_listed(&self, a: usize, g: &str, p: usize, ws: &str, c: u32) -> Cue {
        // "daughter-in-law Mohammed": the relation before "-in-law"
        let in_law = ws == "law"
            && p >= 2
            && self.gap_before(p) == "-"
            && self.eq(p - 1, "in")
            && self.gap_before(p - 1) == "-"
            && self.wc(p - 2) & wc::RELATION != 0;
        let (is_title, is_role, is_relation) = (
            c & wc::TITLE != 0,
            c & wc::ROLE != 0,
            c & wc::RELATION != 0 || in_law,
        );
        // "It's Erik", "this is Maria", "hi dr jama its erik"
        if g == " "
            && (ws == "its" && !self.cased
                || ws == "s"
                    && p > 0
                    && self.eq(p - 1, "it")
                    && matches!(self.gap_before(p), "'" | "’")
                || ws == "is" && p > 0 && matches!(self.lw(p - 1).as_str(), "this" | "it"))
        {
            return Cue::Strong;
        }
        // 'Known to staff as "Tobi"', 'goes by "Beto"', 'aka "Lolo"'
        if matches!(g, " \"" | " “")
            && (matches!(ws, "aka" | "nicknamed" | "prefers" | "called")
                || matches!(ws, "as" | "by")
                    && (p.saturating_sub(4)..p)
                        .any(|k| matches!(self.lw(k).as_str(), "known" | "goes" | "go" | "going")))
        {
            return Cue::Strong;
        }
        // "Please summarize the notes on Gittel Godly", "labs for Merit Tsai",
        // "custody order for X": a record or request about a person
        let name_like = if self.cased {
            self.is(a, CAP)
        } else {
            let f = self.lex_flags(a);
            f & (FIRST | LAST) != 0 && f & WORD == 0 || self.caseless_given_pair(a)
        };
        if matches!(ws, "on" | "for")
            && g == " "
            && p > 0
            && name_like
            && matches!(
                self.lw(p - 1).as_str(),
                "notes"
                    | "note"
                    | "labs"
                    | "lab"
                    | "meds"
                    | "medications"
                    | "vitals"
                    | "results"
                    | "orders"
                    | "order"
                    | "chart"
                    | "summary"
                    | "history"
                    | "info"
                    | "details"
                    | "records"
                    | "imaging"
                    | "trend"
                    | "update"
                    | "consent"
                    | "referral"
                    | "prescription"
                    | "rx"
                    | "letter"
                    | "appointment"
                    | "rollator"
                    | "walker"
                    | "wheelchair"
            )
        {
            return Cue::Strong;
        }
        // "Newborn female Nagy", "baby boy Quisumbing"
        if matches!(ws, "female" | "male" | "boy" | "girl")
            && g == " "
            && p > 0
            && matches!(self.lw(p - 1).as_str(), "newborn" | "baby" | "infant")
        {
            return Cue::Strong;
        }
        // "calling about Keerthana Sapolu", "a call about Xinyi Ratzinger"
        if ws == "about"
            && g == " "
            && p > 0
            && matches!(
                self.lw(p - 1).as_str(),
                "calling" | "call" | "called" | "asking" | "message" | "voicemail" | "worried"
            )
        {
            return Cue::Strong;
        }
        // "legal name SHAPIRO-KATZ,BINTA", "preferred name Lolo"
        if ws == "name"
            && matches!(g, " " | ": ")
            && p > 0
            && matches!(
                self.lw(p - 1).as_str(),
                "legal" | "full" | "preferred" | "maiden" | "birth" | "given" | "last" | "first"
            )
        {
            return Cue::Strong;
        }
        if self.staff_initials(a) {
            return Cue::Strong;
        }
        // "I, Hodan Gebremedhin, consent …"
        if ws == "i" && g == ", " && self.is(p, UPPER) {
            return Cue::Strong;
        }
        // "call John at …", "paged Dr. …", "texted maria": a person is reached
        if g == " "
            && matches!(
                ws,
                "call"
                    | "called"
                    | "calling"
                    | "phone"
                    | "phoned"
                    | "text"
                    | "texted"
                    | "email"
                    | "emailed"
                    | "page"
                    | "paged"
            )
        {
            return Cue::Strong;
        }
        // "spoke w/ lars koch", "spoke w michael noble": "w" is "with"
        if ws == "w" && (g == "/ " || g == " ") && p > 0 {
            let w2 = self.lw(p - 1);
            return if matches!(
                w2.as_str(),
                "spoke"
                    | "discussed"
                    | "met"
                    | "talked"
                    | "consulted"
                    | "confirmed"
                    | "lives"
                    | "living"
                    | "d"
            ) {
                Cue::Strong
            } else {
                Cue::Weak
            };
        }
        // "PT (Matthew)", "daughter (Jen)": a name in parentheses after a
        // role or a relation
        let service = c & (wc::DEPARTMENT | wc::FACILITY) != 0;
        if (is_role || is_relation || is_title || service)
            && g == " ("
            && self.closes_paren_after_run(a)
        {
            return Cue::Strong;
        }
        if is_title && (g == ". " || g == " " || g == ".") {
            return Cue::Strong;
        }
        if (is_role || is_relation) && (g == ": " || g == ":" || g == " : " || g == ":  ") {
            return Cue::Strong;
        }
        // "NAME ROGER MYHRE": a label in capitals
        if ws == "name" && g == " " && self.is(p, UPPER) && self.is(a, UPPER) {
            return Cue::Strong;
        }
        if is_role
            && g == " "
            && (self.cased || self.lex_flags(a) & WORD == 0)
            && !matches!(
                ws,
                "to" | "from" | "by" | "re" | "name" | "patient" | "pt" | "md" | "doc"
            )
        {
            return Cue::Strong;
        }
        if is_relation && (g == " " || g == ", " || g == " (") {
            return Cue::Strong;
        }
        if matches!(ws, "pt" | "patient" | "attn" | "cc" | "dear" | "pcp")
            && matches!(g, " " | ", " | ". ")
        {
            return Cue::Strong;
        }
        // "Good morning Maria"
        if matches!(ws, "morning" | "afternoon" | "evening")
            && matches!(g, " " | ", ")
            && p > 0
            && self.eq(p - 1, "good")
        {
            return Cue::Strong;
        }
        // "HCP, Maria Ruiz (daughter)", "Attending, Dr. Wu": a role, a comma
        if is_role && g == ", " && !matches!(ws, "to" | "from" | "by" | "re" | "name") {
            return Cue::Strong;
        }
        // "thank you Maria", "thx priya", "thank you so much Jelena"
        if ws == "you" && g == " " && p > 0 && self.eq(p - 1, "thank") {
            return Cue::Strong;
        }
        if ws == "much"
            && matches!(g, " " | ", ")
            && p >= 2
            && self.eq(p - 1, "so")
            && matches!(self.lw(p - 2).as_str(), "you" | "thanks" | "thx")
        {
            return Cue::Strong;
        }
        if matches!(
            ws,
            "thx"
                | "tell"
                | "told"
                | "ask"
                | "asked"
                | "paged"
                | "notified"
                | "contacted"
                | "informed"
                | "thanks"
                | "regards"
                | "sincerely"
                | "signed"
                | "cosigned"
                | "dictated"
                | "accompanied"
                | "visited"
                | "hi"
                | "hey"
                | "hello"
                | "witnessed"
                | "consented"
                | "interpreted"
                | "interviewed"
                | "examined"
                | "evaluated"
                | "seeing"
                | "met"
                | "saw"
                | "discussed"
                | "spoke"
                | "named"
                | "called"
                | "referring"
                // "Relieved Kwame at 0700", "reassured Ines", "educated Farida"
                | "relieved"
                | "messaged"
                | "reassured"
                | "counseled"
                | "counselled"
                | "educated"
                | "instructed"
                | "greeted"
                | "thanked"
                | "introduced"
                | "consoled"
                | "reminded"
        ) && matches!(g, " " | ", " | ": ")
        {
            return Cue::Strong;
        }
        // "Your nurse was Desmond", "your doctor today is Ana Ruiz"
        if matches!(ws, "is" | "was")
            && g == " "
            && p > 0
            && (p.saturating_sub(2)..p).any(|k| {
                self.wc(k) & (wc::ROLE | wc::RELATION) != 0
                    && !matches!(
                        self.lw(k).as_str(),
                        "to" | "from" | "by" | "re" | "name" | "patient" | "pt" | "present"
                    )
            })
            && self.lex_flags(a) & WORD == 0
        {
            return Cue::Strong;
        }
        // "her name is X", "mom is sandra"
        if ws == "is"
            && g == " "
            && p > 0
            && (self.eq(p - 1, "name")
                || self.wc(p - 1) & wc::RELATION != 0 && self.lex_flags(a) & FIRST != 0)
        {
            return Cue::Strong;
        }
        // "Per Sandeep, the pump alarmed"
        if ws == "per" && g == " " {
            let b = self.name_run(a, false);
            let comma = b > a && self.gap(b - 1).starts_with(',');
            return if comma && (a..b).all(|k| self.lex_flags(k) & WORD == 0) {
                Cue::Strong
            } else {
                Cue::Weak
            };
        }
        if matches!(
            ws,
            "by" | "with"
                | "per"
                | "and"
                | "to"
                | "for"
                | "from"
                | "about"
                | "ask"
                | "tell"
                | "asked"
                | "told"
                | "call"
        ) && g == " "
        {
            // "seen by", "spoke with", "confirmed with", "left for": strong
            if p > 0 {
                let w2 = self.lw(p - 1);
                let strong = match ws {
                    "by" => matches!(
                        w2.as_str(),
                        "seen"
                            | "referred"
                            | "signed"
                            | "reviewed"
                            | "examined"
                            | "evaluated"
                            | "accompanied"
                            | "covered"
                            | "staffed"
                            | "managed"
                            | "dictated"
                            | "cosigned"
                            | "obtained"
                            | "followed"
                            | "brought"
                            | "driven"
                            | "escorted"
                            | "visited"
                            | "performed"
                            | "interpreted"
                            | "read"
                            | "authored"
                            | "attested"
                            | "witnessed"
                            | "taken"
                            | "written"
                            | "entered"
                            | "completed"
                            | "reported"
                            | "ordered"
                            | "approved"
                            | "verified"
                            | "transcribed"
                            | "prepared"
                            | "called"
                            | "assisted"
                            | "supervised"
                            | "relieved"
                    ),
                    "with" => matches!(
                        w2.as_str(),
                        "spoke"
                            | "confirmed"
                            | "discussed"
                            | "met"
                            | "talked"
                            | "consulted"
                            | "speak"
                            | "speaking"
                            | "up"
                            | "visited"
                            | "lives"
                            | "living"
                            | "married"
                            | "spoken"
                            | "conferred"
                            | "reviewed"
                            | "u"
                            | "seen"
                            | "works"
                            | "working"
                            | "shared"
                            | "coordinated"
                    ),
                    "for" => matches!(
                        w2.as_str(),
                        "left" | "message" | "voicemail" | "asking" | "ask" | "asked"
                    ),
                    "to" => {
                        matches!(
                            w2.as_str(),
                            "spoke" | "talked" | "spoken" | "married" | "report" | "handoff"
                        ) || self.handoff_to(p)
                    }
                    "from" => matches!(
                        w2.as_str(),
                        "obtained"
                            | "received"
                            | "heard"
                            | "message"
                            | "call"
                            | "handoff"
                            | "handover"
                            | "signout"
                            | "report"
                    ),
                    _ => false,
                };
                if strong {
                    return Cue::Strong;
                }
            }
            return Cue::Weak;
        }
        Cue::None
    }

    /// Whether "to" at `p` closes "handoff from X to", "signout from X to",
    /// "report from X to": a name on both sides of a handover.
    fn handoff_to(&self, p: usize) -> bool {
        (2..=4).any(|back| {
            p > back
                && self.eq(p - back, "from")
                && self.gap_before(p) == " "
                && matches!(
                    self.lw(p - back - 1).as_str(),
                    "handoff" | "handover" | "signout" | "report"
                )
                && (p - back + 1..p).all(|k| self.is(k, CAP))
        })
    }

    /// Whether the name run starting at `a` is closed by a parenthesis:
    /// "(Matthew)".
    fn closes_paren_after_run(&self, a: usize) -> bool {
        let b = self.name_run(a, true);
        self.gap(b - 1).starts_with(')')
    }

    /// Whether the run starting at `a` reaches the end of its line.
    fn run_ends_line(&self, a: usize) -> bool {
        let b = self.name_run(a, false);
        let rest = self.gap(b - 1);
        b >= self.n() || rest.contains('\n')
    }

    /// Evidence after the run ending before token `b` (memoised).
    #[inline(always)]
    fn cue_after(&self, b: usize) -> Cue {
        use super::scan::{AFTER_DONE, AFTER_STRONG, AFTER_WEAK};
        let bits = (AFTER_DONE, AFTER_WEAK, AFTER_STRONG);
        let v = self.memo_tri(b, bits, || match self.cue_after_uncached(b) {
            Cue::None => 0,
            Cue::Weak => 1,
            Cue::Strong => 2,
        });
        match v {
            0 => Cue::None,
            1 => Cue::Weak,
            _ => Cue::Strong,
        }
    }

    #[inline(never)]
    fn cue_after_uncached(&self, b: usize) -> Cue {
        let n = self.n();
        if b >= n {
            return Cue::None;
        }
        let g = self.gap(b - 1);
        // Every cue below follows the run after one of these gaps (not
        // after ". ", ": " or a line break).
        if !matches!(g, " " | ", " | "," | "'" | "’" | " (") {
            return Cue::None;
        }
        let w = self.lw(b);
        let ws = w.as_str();
        // ", MD" / " MD" / ", M.D."
        let c = self.wc(b);
        if matches!(g, ", " | " " | ",") && c & wc::CREDENTIAL != 0 {
            let upper_ok =
                !self.cased || self.is(b, UPPER) || ws == "pharmd" || ws == "phd" || ws == "psyd";
            if upper_ok && !(ws == "do" && g == " ") {
                return Cue::Strong;
            }
        }
        if matches!(g, ", " | " ") && ws == "m" && self.gap(b) == "." && self.eq(b + 1, "d") {
            return Cue::Strong;
        }
        // "'s wife"
        if (g == "'" || g == "’") && ws == "s" && b + 1 < n && self.wc(b + 1) & wc::RELATION != 0
        {
            return Cue::Strong;
        }
        // "(MRN", "(HCP)", "(DOB", "(96 y/o", "(wife)"
        if g == " (" {
            if matches!(
                ws,
                "mrn" | "dob" | "hcp" | "poa" | "age" | "patient" | "pt" | "mr"
            ) || c & (wc::RELATION | wc::DEPARTMENT) != 0
                // "Priyanka (PA student)", "Maria (RN)"
                || c & wc::CREDENTIAL != 0
                    && (self.is(b, UPPER) || !self.cased)
                    && (self.gap(b).starts_with(')') || self.wc(b + 1) & wc::ROLE != 0)
                || c & wc::ROLE != 0 && ws != "to" && ws != "from" && ws != "by" && ws != "re"
            {
                return Cue::Strong;
            }
            if self.digits(b)
                && b + 1 < n
                && matches!(
                    self.lw(b + 1).as_str(),
                    "y" | "yo" | "yr" | "year" | "years" | "yrs"
                )
            {
                return Cue::Strong;
            }
            // "(90M)", "(94yo)", "(101 F)"
            let t = self.tok(b);
            let d = t.bytes().take_while(u8::is_ascii_digit).count();
            if (1..=3).contains(&d)
                && matches!(
                    t[d..].to_ascii_lowercase().as_str(),
                    "m" | "f" | "yo" | "yof" | "yom" | "y"
                )
                || self.digits(b)
                    && self.t[b].len() <= 3
                    && b + 1 < n
                    && matches!(self.tok(b + 1), "F" | "M")
            {
                return Cue::Strong;
            }
        }
        // "Klaus from pharmacy recommends", "Per Chidi in radiology"
        if g == " " && matches!(ws, "from" | "in" | "at") && b + 1 < n && self.gap(b) == " " {
            let next = self.lw(b + 1);
            let the = next.as_str() == "the" && ws != "from";
            if self.wc(b + 1) & wc::DEPARTMENT != 0
                || matches!(
                    next.as_str(),
                    "pharmacy"
                        | "nursing"
                        | "lab"
                        | "billing"
                        | "registration"
                        | "scheduling"
                        | "admissions"
                        | "case"
                        | "social"
                        | "rehab"
                        | "pt"
                        | "ot"
                        | "dietary"
                        | "nutrition"
                        | "transport"
                        | "security"
                        | "interpreter"
                        | "hospice"
                        | "home"
                        | "the"
                        | "insurance"
                ) && !the
            {
                return Cue::Strong;
            }
        }
        // "diop rm 14", "Ortiz in room 12", "Smith bed 3": a patient by room
        if g == " " {
            let mut k = b;
            if ws == "in" {
                k += 1;
            }
            if matches!(self.lw(k).as_str(), "rm" | "room" | "bed")
                && self.digits(k + 1)
                && self.gap(k).len() <= 2
            {
                return Cue::Strong;
            }
        }
        // ", a 96 yo", " is a 35 year old", ", 45 yo"
        if matches!(g, ", " | " ") {
            let mut k = b;
            if matches!(ws, "is" | "was") {
                k += 1;
            }
            if matches!(self.lw(k).as_str(), "a" | "an") {
                k += 1;
                // "is a pleasant 97 y.o.", "a frail, elderly 91 yo"
                let mut adjectives = 0;
                while adjectives < 3 && k < n && self.is(k, LOWER) && self.is(k, ALPHA) {
                    k += 1;
                    adjectives += 1;
                }
            }
            if k > b && self.digits(k) || (g == ", " && self.digits(k)) {
                let u = self.lw(k + 1);
                if matches!(
                    u.as_str(),
                    "y" | "yo"
                        | "yr"
                        | "yrs"
                        | "year"
                        | "years"
                        | "month"
                        | "months"
                        | "yof"
                        | "yom"
                        | "week"
                        | "weeks"
                        | "day"
                ) {
                    return Cue::Strong;
                }
            }
        }
        // "Lei Cai's blood pressure": a possessive before a common noun
        if (g == "'" || g == "’")
            && ws == "s"
            && b + 1 < n
            && self.gap(b) == " "
            && self.is(b + 1, LOWER)
        {
            return Cue::Weak;
        }
        // "the Jenkins family", "Powers family notified"
        if g == " " && ws == "family" && self.cased && !self.is(b, CAP) {
            return Cue::Strong;
        }
        if g == " " && subject_verb(ws) && !self.is(b, CAP) {
            return Cue::Weak;
        }
        // "Oyelaran notified.", "Dr. Wu paged": someone told about the patient
        if g == " "
            && matches!(ws, "notified" | "paged" | "updated" | "informed")
            && self.lex_flags(b - 1) & WORD == 0
        {
            return Cue::Strong;
        }
        // "Joy brought her pill box.", "Hope stayed overnight.": a given name
        // opening its clause before a verb only a person does
        if g == " "
            && person_action(ws)
            && self.lex_flags(b - 1) & FIRST != 0
            && (b == 1
                || self
                    .gap_before(b - 1)
                    .contains(['.', ';', '\n', ':', '!', '?']))
        {
            return Cue::Strong;
        }
        // "Grace, the night nurse, paged", "Ivy, her daughter, called"
        if g == ", "
            && matches!(ws, "the" | "our" | "his" | "her" | "their" | "my" | "your")
            && (b + 1..(b + 4).min(n)).any(|k| {
                self.wc(k) & (wc::ROLE | wc::RELATION) != 0
                    && !matches!(self.lw(k).as_str(), "to" | "from" | "by" | "re" | "name")
            })
        {
            return Cue::Strong;
        }
        if g == ", "
            && matches!(
                ws,
                "who"
                    | "whose"
                    | "the"
                    | "our"
                    | "his"
                    | "her"
                    | "their"
                    | "a"
                    | "an"
                    | "age"
                    | "aged"
            )
        {
            return Cue::Weak;
        }
        Cue::None
    }
}

/// Words that open a sentence before a name without being part of it
/// ("Today Okafor was admitted", "Overnight Diallo spiked a fever").
fn sentence_adverb(w: &str) -> bool {
    w.ends_with("ly")
        || matches!(
            w,
            "today"
                | "yesterday"
                | "tonight"
                | "tomorrow"
                | "overnight"
                | "now"
                | "then"
                | "also"
                | "later"
                | "again"
                | "still"
                | "here"
                | "there"
                | "when"
                | "while"
                | "after"
                | "before"
                | "since"
                | "once"
                | "but"
                | "so"
                | "yet"
                | "meanwhile"
                | "however"
                | "otherwise"
                | "thus"
                | "therefore"
                | "unfortunately"
                | "ms"
                | "mister"
                | "saw"
                | "seen"
                | "met"
                | "called"
                | "asked"
                | "told"
                | "visited"
                | "consulted"
                | "spoke"
                | "note"
                | "please"
                | "thanks"
        )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    None,
    Weak,
    Strong,
}

/// Verbs of reaching someone ("Call Maria", "paged Dr. Wu"): cues, never
/// part of the name.
fn reach_verb(word: &str) -> bool {
    matches!(
        word,
        "call"
            | "called"
            | "calling"
            | "phone"
            | "phoned"
            | "text"
            | "texted"
            | "email"
            | "emailed"
            | "page"
            | "paged"
            | "sats"
    )
}

/// Words that in a caseless text end a name rather than continue it,
/// although some are also surnames ("called marisol back").
fn caseless_non_name(word: &str) -> bool {
    matches!(
        word,
        // message words: "ok thx jessica", "pls call maria"
        "ok" | "okay"
            | "thx"
            | "thanks"
            | "ty"
            | "pls"
            | "plz"
            | "hi"
            | "hey"
            | "lol"
            | "u"
            | "ur"
            | "msg"
            | "back"
            | "again"
            | "today"
            | "tonight"
            | "tomorrow"
            | "yesterday"
            | "now"
            | "soon"
            | "later"
            | "home"
            | "here"
            | "there"
            | "too"
            | "also"
            | "first"
            | "then"
            | "fell"
            | "said"
            | "says"
            | "called"
            | "came"
            | "left"
            | "went"
            | "got"
            | "brought"
            | "took"
            | "thinks"
            | "wants"
            | "needs"
            | "feels"
            // chat verbs and replies: "thx maria, see u", "ok ben, will do"
            | "see"
            | "cya"
            | "talk"
            | "ttyl"
            | "sure"
            | "yes"
            | "yep"
            | "no"
            | "will"
            | "sounds"
            | "np"
    )
}

/// Whether a lower-cased word is an auxiliary or modal verb ("will", "may", "has"…): in
/// uncased text such a word next to a name is the verb after it, not part of the name.
fn is_auxiliary_verb(word: &str) -> bool {
    matches!(
        word,
        "will"
            | "may"
            | "can"
            | "shall"
            | "must"
            | "would"
            | "should"
            | "could"
            | "did"
            | "does"
            | "has"
            | "have"
            | "had"
            | "was"
            | "were"
            | "are"
            | "is"
            | "be"
    )
}
