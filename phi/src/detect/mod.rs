//! The PHI detector for free text.
//!
//! One tokenization pass, then hand-written recognizers that look at tokens
//! and the punctuation between them (no regular expressions), plus an
//! Aho-Corasick pass for identifiers Ward already knows. Candidates overlap
//! freely; [`resolve`] keeps the highest-priority, then longest, of each
//! overlapping group, widened to cover what the losers flagged. The
//! detector is immutable and shared: it holds the known identifiers given at
//! construction and a reference to the process-wide dictionaries (names and
//! words in `lexicon`, US places in `gazetteer`).

mod ages;
mod names;
pub(crate) mod numbers;
mod partial;
mod places;
pub(crate) mod scan;
pub(crate) mod token;
mod web;
pub(crate) mod words;

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::PhiError;
use crate::kind::PhiType;
use crate::known::KnownIdentifiers;
use scan::{Cand, Scan};
use token::{ALPHA, DIGITS, HAS_DIGIT};

/// The largest text the detector accepts in one call (bytes). Longer input is
/// refused (fail closed) rather than scanned partially.
pub const MAX_INPUT_BYTES: usize = 32 * 1024 * 1024;

/// One detected identifier: byte offsets into the text, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Detection {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// What kind of identifier it is.
    pub kind: PhiType,
}

/// The detector: immutable, `Send + Sync`, built once (at start-up and when
/// the database's patients change) and shared by all requests.
#[derive(Debug, Clone)]
pub struct Detector {
    known: KnownIdentifiers,
    #[cfg(test)]
    fault: Option<Fault>,
}

/// Faults a test can inject to exercise the fail-closed path.
#[cfg(test)]
#[derive(Debug, Clone, Copy)]
pub(crate) enum Fault {
    /// The scan panics.
    Panic,
    /// The scan returns an out-of-bounds detection.
    OutOfBounds,
}

impl Detector {
    /// A detector with the built-in patterns and dictionaries plus `known`.
    pub fn new(known: KnownIdentifiers) -> Self {
        crate::lexicon::lexicon();
        crate::gazetteer::load();
        known.prepare();
        Detector {
            known,
            #[cfg(test)]
            fault: None,
        }
    }

    #[cfg(test)]
    pub(crate) fn with_fault(mut self, fault: Fault) -> Self {
        self.fault = Some(fault);
        self
    }

    /// Non-overlapping detections sorted by start, byte offsets into `text`.
    pub fn detect(&self, text: &str) -> Result<Vec<Detection>, PhiError> {
        self.run(text, None, to_detections)
    }

    /// The same, also matching a session's own known identifiers.
    pub fn detect_with(
        &self,
        text: &str,
        session: &KnownIdentifiers,
    ) -> Result<Vec<Detection>, PhiError> {
        self.run(text, Some(session), to_detections)
    }

    /// Detections with the person they refer to, for pseudonymisation.
    pub(crate) fn find(
        &self,
        text: &str,
        session: Option<&KnownIdentifiers>,
    ) -> Result<Vec<Cand>, PhiError> {
        self.run(text, session, <[Cand]>::to_vec)
    }

    /// Finds and resolves the candidates of `text` in this thread's reused
    /// buffers, checks them, and hands them to `output` (which copies out
    /// what the caller needs).
    fn run<T>(
        &self,
        text: &str,
        session: Option<&KnownIdentifiers>,
        output: impl FnOnce(&[Cand]) -> T,
    ) -> Result<T, PhiError> {
        if text.len() > MAX_INPUT_BYTES {
            return Err(PhiError::InputTooLarge {
                len: text.len(),
                limit: MAX_INPUT_BYTES,
            });
        }
        let result = catch_unwind(AssertUnwindSafe(|| {
            scan::with_scratch(|scratch| {
                #[cfg(test)]
                if let Some(Fault::Panic) = self.fault {
                    panic!("injected fault");
                }
                let mut cands = std::mem::take(&mut scratch.cands);
                cands.clear();
                self.known.find(text, &mut cands);
                if let Some(s) = session {
                    s.find(text, &mut cands);
                }
                scan_with(text, scratch, &mut cands);
                #[cfg(test)]
                if let Some(Fault::OutOfBounds) = self.fault {
                    cands.push(Cand {
                        start: 0,
                        end: text.len() + 1,
                        kind: PhiType::Id,
                        prio: 255,
                        person: None,
                    });
                }
                resolve(&mut cands, &mut scratch.clusters);
                let out = validate(text, &cands).map(|()| output(&cands));
                cands.clear();
                scratch.cands = cands;
                out
            })
        }));
        result.map_err(|_| PhiError::DetectionFailed("internal error in the detector"))?
    }
}

/// The public form of resolved candidates (one allocation, none when there
/// are no detections).
fn to_detections(found: &[Cand]) -> Vec<Detection> {
    found
        .iter()
        .map(|c| Detection {
            start: c.start,
            end: c.end,
            kind: c.kind,
        })
        .collect()
}

/// Runs every built-in recognizer over `text`, with working buffers that
/// one thread reuses from call to call (most texts are a sentence or a
/// message: allocating per call would cost as much as scanning).
fn scan_with(text: &str, scratch: &mut scan::Scratch, out: &mut Vec<Cand>) {
    let (toks, lower, memo, lists) = scratch.fill(text);
    let cased = token::tokenize(text, toks);
    let mut s = Scan::new(text, lower, toks.as_slice(), cased, memo, lists, out);
    let n = s.n();
    let b = s.b;
    for i in 0..n {
        let t = s.t[i];
        // E-mail (an "@" within 3 bytes) and URLs ("http:", "www.": a word
        // of 3 to 5 letters): only where the next bytes allow one.
        let next = b.get(t.end).copied();
        if matches!(next, Some(b':' | b'.')) && (3..=5).contains(&t.len())
            || (t.end..(t.end + 3).min(b.len())).any(|k| b[k] == b'@')
        {
            s.web_at(i);
        }
        let f = s.fl(i);
        if t.len() <= 4
            && (s.b.get(t.end) == Some(&b':')
                || t.start >= 2 && &s.b[t.start - 2..t.start] == b"::")
        {
            s.ipv6_at(i);
        }
        if f & DIGITS != 0 {
            s.numeric(i);
            s.id_shape(i);
        } else if f & ALPHA != 0 {
            let len = s.t[i].len();
            if (3..=9).contains(&len) && s.date_word(i) {
                s.date_at(i);
                s.month_alone(i);
                s.spoken_date(i);
            }
            let c = s.wc(i);
            if c & scan::wc::CUE_ID != 0 {
                s.cue_id(i);
            }
            if len <= 4 && b.get(t.end) == Some(&b'-') && s.digits(i + 1) && f & token::UPPER != 0 {
                s.id_shape(i);
            }
            if c & scan::wc::FACILITY != 0 && s.cap(i) {
                s.hospital(i);
            }
            if len <= 5 && s.b[t.start] == b'S' && matches!(s.lw(i).as_str(), "st" | "saint") {
                s.saint_possessive(i);
            }
            if len == 3 && matches!(s.b[t.start], b'O' | b'o') && s.lw(i).as_str() == "our" {
                s.our_lady(i);
            }
            if c & scan::wc::SERVICE != 0 && s.cap(i) {
                s.city_before_service(i);
            }
            if c & scan::wc::CITY_CUE != 0 {
                s.city_after_cue(i);
            }
            if f & token::CAP != 0 && s.cased && len >= 3 {
                s.city_bare(i);
            }
            let before_zip = || s.digits(i + 1) && s.t[i + 1].len() == 5;
            if c & scan::wc::STATE != 0
                || len == 2 && (!s.cased || f & token::UPPER != 0) && before_zip()
            {
                if let Some(first) = places::state_ends_at(&s, i) {
                    // A two-letter abbreviation ("MD", "PA", "OR") is a state
                    // only before a ZIP code.
                    if first != i || len > 2 || s.digits(i + 1) && s.t[i + 1].len() == 5 {
                        s.city_before_state(first);
                    }
                }
            }
            if (2..=8).contains(&len) && t.start > 0 && b[t.start - 1] == b'.' {
                s.bare_domain(i);
            }
            // "nonagenarian", "centenarian", "supercentenarian", "nineties",
            // "ninety", "hundred"
            if (6..=16).contains(&len) && matches!(s.b[t.start] | 0x20, b'n' | b'c' | b's' | b'h') {
                s.age_words(i);
            }
            if b.get(t.end) == Some(&b':') {
                s.chat_speaker(i);
            }
            if (2..=6).contains(&len) && !s.cased {
                s.name_after_greeting(i);
            }
            if len <= 5 && matches!(s.b[s.t[i].start], b'p' | b'P' | b'r' | b'R' | b'h' | b'H') {
                s.po_box(i);
            }
        } else if f & HAS_DIGIT != 0 {
            s.id_shape(i);
            s.mixed_age(i);
            // "221B Baker Street": a house number with a letter; "N6868
            // County Road 12": a rural grid number after its direction
            let tb = &b[t.start..t.end];
            if (2..=6).contains(&tb.len())
                && tb[..tb.len() - 1].iter().all(u8::is_ascii_digit)
                && tb[tb.len() - 1].is_ascii_alphabetic()
                || (3..=7).contains(&tb.len())
                    && matches!(tb[0], b'N' | b'S' | b'E' | b'W')
                    && tb[1..].iter().all(u8::is_ascii_digit)
            {
                s.street_address(i);
            }
            if s.t[i].len() <= 4 {
                // "8th of March 2021", "on the 25th"
                s.date_at(i);
                s.day_alone(i);
            }
        }
    }
    s.names();
    s.caps_names();
    s.ages_after_names();
}

/// Keeps, of each group of overlapping candidates, the one with the highest
/// priority, then the longest (then the earliest); returns them sorted by
/// start. A losing candidate that reaches past the winner it overlaps
/// widens that winner (when nothing else is in the way): every character
/// some recognizer flagged stays covered ("North Las Vegas" as a city and
/// "Las Vegas" as a name give one detection over all three words).
pub(crate) fn resolve(cands: &mut Vec<Cand>, bufs: &mut ClusterBufs) {
    cands.retain(|c| c.start < c.end);
    // A stable sort: equal ranges keep the order they were found in.
    if !cands.is_sorted_by_key(|c| (c.start, c.end)) {
        if cands.len() <= 32 {
            cands.sort_by_key(|c| (c.start, c.end));
        } else {
            // Many candidates: sort compact keys (start, end, index), then
            // move the candidates into that order (cheaper than moving
            // whole candidates while sorting).
            let mut keys: Vec<(u64, u32)> = cands
                .iter()
                .enumerate()
                .map(|(k, c)| (((c.start as u64) << 32) | c.end as u64, k as u32))
                .collect();
            keys.sort_unstable();
            let mut slots: Vec<Option<Cand>> = cands.drain(..).map(Some).collect();
            cands.extend(keys.iter().filter_map(|&(_, k)| slots[k as usize].take()));
        }
    }
    // Clusters are read at `i..j` and their winners written at `w` (never
    // past `i`): most candidates overlap nothing and just move down.
    let mut w = 0;
    let mut i = 0;
    while i < cands.len() {
        // A cluster: candidates connected by overlaps.
        let mut j = i + 1;
        let mut end = cands[i].end;
        while j < cands.len() && cands[j].start < end {
            end = end.max(cands[j].end);
            j += 1;
        }
        if j == i + 1 {
            if w != i {
                cands.swap(w, i);
            }
            w += 1;
        } else {
            resolve_cluster(&cands[i..j], bufs);
            for c in bufs.chosen.drain(..) {
                cands[w] = c;
                w += 1;
            }
        }
        i = j;
    }
    cands.truncate(w);
}

/// Working lists of [`resolve`], reused from call to call.
#[derive(Default)]
pub(crate) struct ClusterBufs {
    order: Vec<usize>,
    chosen: Vec<Cand>,
    lost: Vec<usize>,
}

/// Puts in `bufs.chosen` the winners of one cluster of overlapping
/// candidates (sorted by start), widened over what the losers flagged.
fn resolve_cluster(cluster: &[Cand], bufs: &mut ClusterBufs) {
    let ClusterBufs {
        order,
        chosen,
        lost,
    } = bufs;
    order.clear();
    chosen.clear();
    lost.clear();
    order.extend(0..cluster.len());
    order.sort_by(|&a, &b| {
        let (a, b) = (&cluster[a], &cluster[b]);
        b.prio
            .cmp(&a.prio)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    for &k in order.iter() {
        let c = &cluster[k];
        if chosen.iter().all(|x| x.end <= c.start || c.end <= x.start) {
            chosen.push(c.clone());
        } else {
            lost.push(k);
        }
    }
    for &k in lost.iter() {
        let c = &cluster[k];
        let mut hits = chosen
            .iter()
            .enumerate()
            .filter(|(_, x)| x.start < c.end && c.start < x.end)
            .map(|(n, _)| n);
        let (Some(w), None) = (hits.next(), hits.next()) else {
            continue;
        };
        let (s, e) = (chosen[w].start.min(c.start), chosen[w].end.max(c.end));
        let clear = chosen
            .iter()
            .enumerate()
            .all(|(n, x)| n == w || x.end <= s || e <= x.start);
        if clear {
            chosen[w].start = s;
            chosen[w].end = e;
        }
    }
    chosen.sort_by_key(|c| c.start);
}

/// Checks the detector's output invariants; a violation fails closed.
fn validate(text: &str, found: &[Cand]) -> Result<(), PhiError> {
    let mut prev_end = 0;
    for c in found {
        if c.start >= c.end
            || c.end > text.len()
            || !text.is_char_boundary(c.start)
            || !text.is_char_boundary(c.end)
            || c.start < prev_end
        {
            return Err(PhiError::DetectionFailed(
                "detector output broke its invariants",
            ));
        }
        prev_end = c.end;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::NameRole;

    fn found(text: &str) -> Vec<(String, PhiType)> {
        Detector::new(KnownIdentifiers::new())
            .detect(text)
            .unwrap()
            .into_iter()
            .map(|d| (text[d.start..d.end].to_string(), d.kind))
            .collect()
    }

    fn has(text: &str, value: &str, kind: PhiType) {
        let f = found(text);
        assert!(
            f.iter().any(|(v, k)| v == value && *k == kind),
            "expected {kind} {value:?} in {text:?}, got {f:?}"
        );
    }

    fn none(text: &str) {
        let f = found(text);
        assert!(f.is_empty(), "expected nothing in {text:?}, got {f:?}");
    }

    #[test]
    fn known_places_without_a_cue_are_cities_unless_words_eponyms_or_states() {
        has("Kalamazoo resident, retired.", "Kalamazoo", PhiType::City);
        has(
            "Telehealth; pt at home. Paducah. Son drives.",
            "Paducah",
            PhiType::City,
        );
        none("Started Norco 5/325 q6h prn. Glasgow Coma Scale 15.");
        none("History of Cushing syndrome. Cherokee heritage.");
        none("Mobile home. Normal exam. Independence is a goal.");
        none("California resident last year; Wyoming plates now.");
    }

    #[test]
    fn names_are_found_by_their_shape_where_no_cue_word_says_so() {
        // an initial before a capitalised word that is no English word
        has(
            "Extubated by Q. Vandersloot at noon.",
            "Q. Vandersloot",
            PhiType::Name,
        );
        has(
            "Plan per T.R. van Heerden.",
            "T.R. van Heerden",
            PhiType::Name,
        );
        // a middle initial, with or without its dot
        has(
            "Note reviewed with Imogen K Oyelowo today.",
            "Imogen K Oyelowo",
            PhiType::Name,
        );
        has(
            "Thanks,\nBrannagh T. Okoro-Lutz",
            "Brannagh T. Okoro-Lutz",
            PhiType::Name,
        );
        // a nickname in quotes inside a name, and one after "known as"
        has(
            "Family: niece Ottilie \"Tilly\" Brzezinska visits daily.",
            "Ottilie \"Tilly\" Brzezinska",
            PhiType::Name,
        );
        has("Goes by \"Pookie\" on the unit.", "Pookie", PhiType::Name);
        // "Last, First M." after a cue
        has(
            "Claim filed for member Quennell, Odalys R., plan B.",
            "Quennell, Odalys R.",
            PhiType::Name,
        );
        // capitals after a strong cue, one word or several
        has("Nephew TORVALDSEN called.", "TORVALDSEN", PhiType::Name);
        // staff initials after "verified by"
        has(
            "Blood product verified by QZT at 0900.",
            "QZT",
            PhiType::Name,
        );
        // a capitalised word nobody knows after a weak cue, but no medicine
        has(
            "Ambulated 40 ft with Tavaziva today.",
            "Tavaziva",
            PhiType::Name,
        );
        none("Ambulated 40 ft with Xarelto on board.");
        none("Culture grew Klebsiella; E. Coli also seen.");
        none("Jackson-Pratt drain output 30 mL; Epstein-Barr virus negative.");
    }

    #[test]
    fn names_in_record_system_forms_and_clinicians_questions_are_found() {
        // "Last,First" glued by a comma, and a final initial before a verb
        has(
            "BED REQUEST: Oyelowo,Tamsin to 4 West.",
            "Oyelowo,Tamsin",
            PhiType::Name,
        );
        has(
            "Consent signed by member Hrabal, Ottokar J on file.",
            "Hrabal, Ottokar J",
            PhiType::Name,
        );
        // names in capitals before a credential
        has(
            "Reviewed. QUIRINDONGO, MARISELA, RN",
            "QUIRINDONGO, MARISELA",
            PhiType::Name,
        );
        has(
            "Please add the source. BRZOZOWSKA-LUND, CDS",
            "BRZOZOWSKA-LUND",
            PhiType::Name,
        );
        // staff initials after a role or before a credential
        has("Triage RN QWX; ESI 3.", "QWX", PhiType::Name);
        has("Educated by JTV, RN, at bedside.", "JTV", PhiType::Name);
        none("Pt NPO after midnight; RN to page MD.");
        // a given name and the initial of a surname
        has(
            "Reassessed by Anneliese K. at 1400.",
            "Anneliese K.",
            PhiType::Name,
        );
        // a clinician's question about a patient
        has(
            "Please summarize the notes on Orsolya Vantongeren.",
            "Orsolya Vantongeren",
            PhiType::Name,
        );
        has(
            "What are the labs for Tiberiu Hasegawa-Lind?",
            "Tiberiu Hasegawa-Lind",
            PhiType::Name,
        );
        // a surname that is a word after a given name that is none
        has(
            "Kazimierz Early may return to work.",
            "Kazimierz Early",
            PhiType::Name,
        );
        // lower-case questions: a given name that is also a word, a clean surname
        has(
            "whats the latest potassium for maria gonzalez",
            "maria gonzalez",
            PhiType::Name,
        );
        has("when was bobby tran last seen", "bobby tran", PhiType::Name);
        // a given name that is also a word right after "by"
        has(
            "HD run: tx by Marvel; next run Friday.",
            "Marvel",
            PhiType::Name,
        );
        none("Ambulated 150 ft with Walker and 1 assist.");
        // a family by its surname in the plural; "St." after a title
        has(
            "The Nguyens brought food from home.",
            "Nguyens",
            PhiType::Name,
        );
        has(
            "Labs reviewed with Dr. St. James.",
            "St. James",
            PhiType::Name,
        );
        none("The Kidneys are normal. The Labs were drawn.");
        // "Last, First" before an age
        has(
            "Tumor board: Vanterpool, Efua (93) - colon.",
            "Vanterpool, Efua",
            PhiType::Name,
        );
        has(
            "What did Dr. Vance say about Ahmed's CT?",
            "Ahmed",
            PhiType::Name,
        );
    }

    #[test]
    fn childrens_hospitals_by_their_short_names_are_found() {
        has(
            "Transferred from Rady Children's today.",
            "Rady Children's",
            PhiType::Hospital,
        );
        has(
            "Call from Okanogan Women's and Children's at noon.",
            "Okanogan Women's and Children's",
            PhiType::Hospital,
        );
        none("Her Children were present. The Children's ward was full.");
    }

    #[test]
    fn places_ages_and_dates_of_the_sixth_round_are_found() {
        has(
            "Home: PO Box 12; Espanola GA 87532.",
            "Espanola",
            PhiType::City,
        );
        has(
            "Home: 88 Heron Bay Glen, Lower; Omak, WA",
            "88 Heron Bay Glen, Lower",
            PhiType::StreetAddress,
        );
        has(
            "passed away 3-March-2020 at ninety-four; survived by",
            "ninety-four",
            PhiType::Age,
        );
        has(
            "Walk-in 07/21/22@1024; seen promptly.",
            "07/21/22@1024",
            PhiType::Date,
        );
        has(
            "Code called 4/28 10:09: ROSC at 10:21.",
            "4/28 10:09",
            PhiType::Date,
        );
    }

    #[test]
    fn dates_spoken_in_full_and_unusual_written_forms_are_found() {
        has(
            "surgery date march third twenty nineteen",
            "march third twenty nineteen",
            PhiType::Date,
        );
        has(
            "seen on the ninth of may two thousand and six",
            "ninth of may two thousand and six",
            PhiType::Date,
        );
        has(
            "Follow-up Apr-09-2024 in clinic.",
            "Apr-09-2024",
            PhiType::Date,
        );
        has(
            "Drawn 6/3/2022 @ 0615 by RN.",
            "6/3/2022 @ 0615",
            PhiType::Date,
        );
        has(
            "Delivered June 4, 2021 3:15 a.m. without issue.",
            "June 4, 2021 3:15 a.m.",
            PhiType::Date,
        );
        has("Please call before 12th.", "12th", PhiType::Date);
        // a day the month does not have (a typo) is still someone's date
        has(
            "DOB: 02/30/1931, per registration.",
            "02/30/1931",
            PhiType::Date,
        );
        none("Second of three doses given; first dose tolerated.");
    }

    #[test]
    fn hospitals_ids_and_addresses_of_less_common_shapes_are_found() {
        has(
            "Transferred to Our Lady of Ravenna yesterday.",
            "Our Lady of Ravenna",
            PhiType::Hospital,
        );
        has(
            "Discharged to Juniper Ridge Hospice House.",
            "Juniper Ridge Hospice House",
            PhiType::Hospital,
        );
        has(
            "Specimen CX-2024-118273 sent.",
            "CX-2024-118273",
            PhiType::Id,
        );
        has(
            "Lives at 61-14 Larchmont Walk, Astoria.",
            "61-14 Larchmont Walk",
            PhiType::StreetAddress,
        );
        has(
            "Pickup at 4410 S 2700 W then home.",
            "4410 S 2700 W",
            PhiType::StreetAddress,
        );
        has(
            "Farm at W4471 County Road K.",
            "W4471 County Road K",
            PhiType::StreetAddress,
        );
    }

    #[test]
    fn capitals_names_that_are_words_with_a_cue_or_an_age_after() {
        has("Pt CHASE RICE seen today.", "CHASE RICE", PhiType::Name);
        has(
            "BROWN, JOY, 97, from Klamath Falls.",
            "BROWN, JOY",
            PhiType::Name,
        );
        has("BROWN, JOY, 97, from Klamath Falls.", "97", PhiType::Age);
        has(
            "HOPE PETRENKO, 105, from Chattanooga.",
            "HOPE PETRENKO",
            PhiType::Name,
        );
        has(
            "RADIOLOGY REPORT\nREFERRING PHYSICIAN: DE LA CRUZ, MATEO\nEXAM: CT head.",
            "DE LA CRUZ, MATEO",
            PhiType::Name,
        );
        has("PRESCRIBER: HOPE ANGEL", "HOPE ANGEL", PhiType::Name);
        has(
            "COMPARISON: none. PATIENT: KING, HOPE. ORDERING: FOX, AMBER.",
            "KING, HOPE",
            PhiType::Name,
        );
        has("Seen by Dr. Ivy Lake today.", "Ivy Lake", PhiType::Name);
        has("[10:05] Dr. Lake: please come", "Lake", PhiType::Name);
        has(
            "Pt's daughter-in-law Ebony St. Clair is POA.",
            "Ebony St. Clair",
            PhiType::Name,
        );
        has(
            "Forwarded to Marguerite d'Aubign\u{e9} for review.",
            "Marguerite d'Aubign\u{e9}",
            PhiType::Name,
        );
        has("Went to St. Louis.", "St. Louis", PhiType::City);
        none("Pt with CHF COPD exacerbation. Pt NPO AFTER MIDNIGHT.");
        none("Spoke with ICU TEAM about plan. Pt FULL CODE.");
        has(
            "Seen with KERSTIN JONSSON-HERMANSSON today.",
            "KERSTIN JONSSON-HERMANSSON",
            PhiType::Name,
        );
        none("Dx: CHF-HFREF. Plan: NPO-AFTER MIDNIGHT. Pt is DNR-DNI.");
    }

    #[test]
    fn ages_right_after_a_relation_word_and_after_d_at() {
        has("Sister 92 with dementia.", "92", PhiType::Age);
        has("Mother ninety-six and well.", "ninety-six", PhiType::Age);
        has("Father d. at 91 (CVA).", "91", PhiType::Age);
        none("Son 100 mg daily per his notes.");
        // the number is the age; the decade word beside it is not marked
        assert_eq!(
            found("Nonagenarian (94) with recurrent falls."),
            vec![("94".to_string(), PhiType::Age)]
        );
        has("Pt, a centenarian, is here.", "centenarian", PhiType::Age);
    }

    #[test]
    fn a_bracketed_number_ending_the_text_after_a_name_does_not_fail_detection() {
        // the detector failed closed here: a test past the last token
        has(
            "Children: Adaeze (34), Desmond (31)",
            "Adaeze",
            PhiType::Name,
        );
        found("Desmond (31)");
    }

    #[test]
    fn chat_replies_and_handoffs() {
        assert_eq!(
            found("thx maria, see u tomorrow"),
            vec![("maria".to_string(), PhiType::Name)]
        );
        has(
            "I-PASS handoff from Thaddeus to Rose: stable.",
            "Rose",
            PhiType::Name,
        );
        has("Pt Ana Ruiz seen with Rice.", "Rice", PhiType::Name);
        has(
            "If you have questions, ask for Faith or Grace.",
            "Grace",
            PhiType::Name,
        );
        has(
            "Grace, the night nurse, paged twice.",
            "Grace",
            PhiType::Name,
        );
        has(
            "Lunch eaten. Joy brought her pill box.",
            "Joy",
            PhiType::Name,
        );
        none("Oxygen, the nasal cannula, was removed. Hope is low.");
        has(
            "Interaction flagged; Oyelaran notified.",
            "Oyelaran",
            PhiType::Name,
        );
        has("Your nurse was Desmond.", "Desmond", PhiType::Name);
        none("MD notified. Family notified. Security notified. Cardiology paged.");
        none("Your nurse was excellent. The patient is stable.");
    }

    #[test]
    fn date_ranges_weekday_days_and_short_meridiems_are_whole_dates() {
        has("Admitted March 4-6 for CHF.", "March 4-6", PhiType::Date);
        has(
            "Stay: Sep 12\u{2013}14, 2026.",
            "Sep 12\u{2013}14, 2026",
            PhiType::Date,
        );
        has("Labs from 1/14-1/17 reviewed.", "1/14-1/17", PhiType::Date);
        has(
            "Seen again Monday the 30th.",
            "Monday the 30th",
            PhiType::Date,
        );
        has(
            "Printed 9/20/17 5:12a by staff.",
            "9/20/17 5:12a",
            PhiType::Date,
        );
        // a dose range stays a dose
        none("Take 3-4 tabs every 6 hours.");
    }

    #[test]
    fn chat_speakers_capitals_names_and_word_ages_are_found() {
        has("[10:02] Ana: hi doc", "Ana", PhiType::Name);
        has("[14:20] jovan: ok see u then", "jovan", PhiType::Name);
        none("[10:02] Patient: hi doc");
        has("[14:21] hunter banks: np", "hunter banks", PhiType::Name);
        none("[09:01] front desk: yes, come in");
        has(
            "Seen with Van An Hoang today.",
            "Van An Hoang",
            PhiType::Name,
        );
        none("An MRI was done. An echo is pending.");
        assert_eq!(
            found("Thanks for coming.\nBest, Joy"),
            vec![("Joy".to_string(), PhiType::Name)]
        );
        has(
            "talked to nurse amara okonkwo-bell",
            "amara okonkwo-bell",
            PhiType::Name,
        );
        none("pt is a well-known follow-up case, self-care ok");
        has(
            "ZOLTAN PRICE, 97, from Sedona.",
            "ZOLTAN PRICE",
            PhiType::Name,
        );
        has("ZOLTAN PRICE, 97, from Sedona.", "97", PhiType::Age);
        has(
            "KING, VALENTINA, 100, from Eureka.",
            "KING, VALENTINA",
            PhiType::Name,
        );
        none("Dx: CHEST PAIN. NO ACUTE DISTRESS.");
        has(
            "Paternal aunt Rosa Diaz, ninety-eight, lives alone.",
            "ninety-eight",
            PhiType::Age,
        );
        has(
            "Pt is at Tri-County Hospice now.",
            "Tri-County Hospice",
            PhiType::Hospital,
        );
        has(
            "Patient account 988379.22 closed.",
            "988379.22",
            PhiType::Account,
        );
    }

    #[test]
    fn ages_over_89_in_more_phrasings_are_found() {
        has("mid-90s female", "90s", PhiType::Age);
        has("She is a woman of 97.", "97", PhiType::Age);
        has("At 94 she still drives.", "94", PhiType::Age);
        // Not a street: "94 she still drives" in lower case.
        assert!(!found("at 94 she still drives")
            .iter()
            .any(|(_, k)| *k == PhiType::StreetAddress));
        none("In the 90s music was louder.");
    }

    #[test]
    fn ssns_with_any_common_separator_are_found() {
        for (text, ssn) in [
            ("SSN: 633 - 48 - 6388", "633 - 48 - 6388"),
            ("SS# 867/95/4166", "867/95/4166"),
            ("ssn 762–30–6328 on file", "762–30–6328"),
            ("Soc. Sec. No. 479 49 2179", "479 49 2179"),
        ] {
            has(text, ssn, PhiType::Ssn);
        }
        // Without a cue, three spaced groups are not an SSN.
        assert!(!found("Vitals 120 80 1000 today")
            .iter()
            .any(|(_, k)| *k == PhiType::Ssn));
    }

    #[test]
    fn a_record_number_after_pt_hash_and_a_zip_after_an_address_are_found() {
        has("Pt #619458", "619458", PhiType::Mrn);
        has(
            "New address 221B Baker Street",
            "221B Baker Street",
            PhiType::StreetAddress,
        );
        has("Pt # 13-48-64 seen", "13-48-64", PhiType::Mrn);
        none("Pt 2 of 3 today");
        has("Med. Rec. No. 12-34-56", "12-34-56", PhiType::Mrn);
        has("Hospital No. 123456", "123456", PhiType::Mrn);
        has("Unit number: 123 456 789", "123 456 789", PhiType::Mrn);
        none("the hospital no longer bills");
        has(
            "Okafor, Dalia 03/04/1950 1234567",
            "Okafor, Dalia",
            PhiType::Name,
        );
        has("Pt ID 4471023 | Encounter 88", "4471023", PhiType::Id);
        has(
            "Please send it to 12 Oak St, Lake Sara 95456.",
            "95456",
            PhiType::Zip,
        );
    }

    #[test]
    fn names_in_headers_salutations_and_signatures_are_found() {
        has("Pt Name: Aria Pedersoli", "Aria Pedersoli", PhiType::Name);
        has(
            "Attending Dr. J. R. Whitfield",
            "J. R. Whitfield",
            PhiType::Name,
        );
        has("Per Sandeep, the pump alarmed.", "Sandeep", PhiType::Name);
        has("mom is sandra, she is 92", "sandra", PhiType::Name);
        has("ok thx jessica", "jessica", PhiType::Name);
        assert!(!found("ok thx jessica")
            .iter()
            .any(|(v, _)| v.contains("thx")));
        has(
            "Seen jointly with Priyanka (PA student).",
            "Priyanka",
            PhiType::Name,
        );
        none("Per protocol, no.");
        has(
            "Aria Pedersoli presents with 3 days of cough.",
            "Aria Pedersoli",
            PhiType::Name,
        );
        has(
            "Today Pedersoli presents with cough.",
            "Pedersoli",
            PhiType::Name,
        );
        has(
            "Thank you so much Jelena and the whole team!",
            "Jelena",
            PhiType::Name,
        );
        has(
            "I had the pleasure of seeing Mateus today.",
            "Mateus",
            PhiType::Name,
        );
        has(
            "Location: Carriechester Convalescent Center, New Nancy",
            "New Nancy",
            PhiType::City,
        );
        has("NAME ROGER SMITH", "ROGER SMITH", PhiType::Name);
        has("-- John", "John", PhiType::Name);
        has(
            "Patient: Bhatt, Ijaya J.  Acct: 998441-408",
            "Bhatt, Ijaya J.",
            PhiType::Name,
        );
        // The salutation is not part of the name.
        has("Dear Oscar Kykyina,", "Oscar Kykyina", PhiType::Name);
        assert!(!found("Dear Oscar Kykyina,")
            .iter()
            .any(|(v, _)| v.contains("Dear")));
    }

    #[test]
    fn facility_names_with_practice_words_are_found() {
        has(
            "Location: Holloway Pediatrics",
            "Holloway Pediatrics",
            PhiType::Hospital,
        );
        has(
            "Moved to Anderson Senior Care in May.",
            "Anderson Senior Care",
            PhiType::Hospital,
        );
        has(
            "Admitted to Our Lady of Lourdes Hospital.",
            "Our Lady of Lourdes Hospital",
            PhiType::Hospital,
        );
        has("ED at St. Mary's.", "St. Mary's", PhiType::Hospital);
        has(
            "Labs at Quest Diagnostics",
            "Quest Diagnostics",
            PhiType::Hospital,
        );
        none("Marching in the St. Patrick's Day parade.");
        has(
            "HD at Riverside Dialysis MWF.",
            "Riverside Dialysis",
            PhiType::Hospital,
        );
        has(
            "Discharged to Brookdale Health & Rehab.",
            "Brookdale Health & Rehab",
            PhiType::Hospital,
        );
        none("Started dialysis 3 days ago.");
        has("Insulin pump S/N ABC1234567", "ABC1234567", PhiType::Device);
    }

    #[test]
    fn a_name_ending_in_an_initial_at_the_end_of_the_text_does_not_panic() {
        // "Last, First M." as the last words once indexed past the tokens.
        for text in [
            "Condition at discharge: fair. PCP: Okafor, Dalia Q.",
            "PCP: Okafor, Dalia Q.",
            "Seen by Mary J.",
            "Kind regards, Okafor D.",
        ] {
            Detector::new(KnownIdentifiers::new()).detect(text).unwrap();
        }
        has("PCP: Okafor, Dalia Q.", "Okafor, Dalia Q.", PhiType::Name);
    }

    #[test]
    fn names_with_titles_roles_relations_and_credentials_are_found() {
        has(
            "Seen today by Dr. Kevin Alvarado for follow-up.",
            "Kevin Alvarado",
            PhiType::Name,
        );
        has("Mrs. Andresen is 25 years old.", "Andresen", PhiType::Name);
        has(
            "Attending: Judith Sanchez, MD",
            "Judith Sanchez",
            PhiType::Name,
        );
        has(
            "Follow up with Gibson, MD in 2 weeks.",
            "Gibson",
            PhiType::Name,
        );
        has(
            "Nephew Thomas brought the patient.",
            "Thomas",
            PhiType::Name,
        );
        has(
            "The patient, Pomeroy Lemelin, denies fever.",
            "Pomeroy Lemelin",
            PhiType::Name,
        );
        has(
            "History obtained from Caitlin Evans's wife.",
            "Caitlin Evans",
            PhiType::Name,
        );
        has(
            "Josef R. Mališ is a 82 year old male.",
            "Josef R. Mališ",
            PhiType::Name,
        );
        has("Questions? - Ryan", "Ryan", PhiType::Name);
        has(
            "name: keith sullivan\nmrn: 18-644-925",
            "keith sullivan",
            PhiType::Name,
        );
        has(
            "Confirmed with Ries D. van den Nieuwenhuizen (HCP).",
            "Ries D. van den Nieuwenhuizen",
            PhiType::Name,
        );
        has(
            "Michael Grant was admitted overnight.",
            "Michael Grant",
            PhiType::Name,
        );
    }

    #[test]
    fn dates_in_common_formats_and_years_in_context_are_found_but_quantities_are_not() {
        for d in [
            "1/29/21",
            "2023-08-31",
            "19-Dec-2022",
            "October 6, 2023",
            "Sep 14",
            "12/4",
            "September 2001",
            "Jan-2021",
            "01.29.2021",
            "2021-01-29T14:30:00Z",
            "01/29/2021 14:30",
            "Friday, January 29, 2021",
            "29th of January 2021",
        ] {
            has(&format!("Seen on {d} in clinic."), d, PhiType::Date);
        }
        // A year alone is a date element in context (the corpus convention).
        has("Hx of MI in 2021; CABG x3.", "2021", PhiType::Date);
        has("Since March she has lost weight.", "March", PhiType::Date);
        has(
            "Return on the 14th for suture removal.",
            "14th",
            PhiType::Date,
        );
        none("Walks 2000 steps a day; UOP 1950 mL; next dose at 1930.");
        none("Pain 6/10, strength 4/5, on the 3rd floor.");
    }

    #[test]
    fn ages_over_89_in_many_phrasings_are_found() {
        for (text, age) in [
            ("She turned 101 last month.", "101"),
            ("Pt is a 94 y/o woman.", "94"),
            ("97F with advanced dementia.", "97"),
            ("ICU: Lam, Li Na, 94 M, septic shock.", "94"),
            ("At 93, she still gardens.", "93"),
            ("Her mother lived to 104.", "104"),
            ("Mrs. Ortiz, 96, of Tulsa, fell.", "96"),
            ("Patient is 91; no advance directive.", "91"),
            ("shes 95 now", "95"),
            ("Elderly (95) female with UTI.", "95"),
            ("A ninety-four-year-old man.", "ninety-four"),
            (
                "Mr. Diop (age one hundred and three) is a smoker.",
                "one hundred and three",
            ),
            ("She is in her late nineties.", "nineties"),
            ("He is in his 90s.", "90s"),
            ("A centenarian with a UTI.", "centenarian"),
        ] {
            has(text, age, PhiType::Age);
        }
        none("T 101 F, HR 96, SpO2 94% on RA; Tmax 102F.");
        none("Sats in the 90s on room air.");
    }

    #[test]
    fn names_written_last_first_and_with_particles_hyphens_and_apostrophes_are_found() {
        has(
            "Pt: Reyes, Dolores  DOB: 1/2/1950",
            "Reyes, Dolores",
            PhiType::Name,
        );
        has(
            "MENON, AARAV  DOB 26 JUNE 1975",
            "MENON, AARAV",
            PhiType::Name,
        );
        has(
            "ICU handoff: de Jong, Ulrike, 96F, septic shock.",
            "de Jong, Ulrike",
            PhiType::Name,
        );
        has("Seen with Hye-jin Han, MD.", "Hye-jin Han", PhiType::Name);
        has(
            "Can you call me back? - Da'Shawn",
            "Da'Shawn",
            PhiType::Name,
        );
        has(
            "Her husband Sky says she is more confused.",
            "Sky",
            PhiType::Name,
        );
        has(
            "Pt's daughter-in-law Keiko brought her meds.",
            "Keiko",
            PhiType::Name,
        );
        has(
            "Klaus from pharmacy recommends renal dosing.",
            "Klaus",
            PhiType::Name,
        );
        has("Vlachos was admitted on 6/23.", "Vlachos", PhiType::Name);
        none("Tinel and Phalen positive; Graves disease; Bell's palsy.");
        none("Policy with Humana Gold Plus.");
    }

    #[test]
    fn places_and_facilities_beyond_the_usual_shapes_are_found() {
        has(
            "Works as a bus driver in Baltimore.",
            "Baltimore",
            PhiType::City,
        );
        has("lives alone in grand rapids", "grand rapids", PhiType::City);
        has(
            "Street: 1 Main St\nCity: Albuquerque\nZip: 87101",
            "Albuquerque",
            PhiType::City,
        );
        has(
            "Ship to 857 W. Eagle Crest Pkwy Bldg 1, Eau Claire, WI 37539.",
            "857 W. Eagle Crest Pkwy Bldg 1",
            PhiType::StreetAddress,
        );
        has(
            "Mail: PO Box 5062, Denver.",
            "PO Box 5062",
            PhiType::StreetAddress,
        );
        has(
            "Lives at 4410 Rue Dauphine, Apt 2.",
            "4410 Rue Dauphine, Apt 2",
            PhiType::StreetAddress,
        );
        has(
            "Transferred from Children's Hospital of Altoona.",
            "Children's Hospital of Altoona",
            PhiType::Hospital,
        );
        has(
            "Resides at Aguilar Manor Nursing Home.",
            "Aguilar Manor Nursing Home",
            PhiType::Hospital,
        );
        has(
            "From 2001:db8::1 and fe80::3a2f:1cff:fe4b:91d2.",
            "2001:db8::1",
            PhiType::Ip,
        );
        has("Gateway 10.95.165.238:80.", "10.95.165.238:80", PhiType::Ip);
        has(
            "Access from ::ffff:192.168.55.180.",
            "::ffff:192.168.55.180",
            PhiType::Ip,
        );
        none("Time 12:30:45; ratio 1:2; BP 120/80.");
    }

    #[test]
    fn ages_over_89_are_found_and_younger_ages_are_not() {
        has(
            "Alex Berg, a 101 yo woman, lives alone.",
            "101",
            PhiType::Age,
        );
        has("Pt (96 y/o F) fell at home.", "96", PhiType::Age);
        has("A 92-year-old man.", "92", PhiType::Age);
        none("Pt is a 88 y.o. G2P1 at 32 weeks.");
        none("Assessment: 61 yo M with COPD.");
    }

    #[test]
    fn contact_numbers_and_addresses_are_found() {
        has(
            "Call 919.536.4145 to schedule.",
            "919.536.4145",
            PhiType::Phone,
        );
        has(
            "by phone 503-471-2388 x496.",
            "503-471-2388 x496",
            PhiType::Phone,
        );
        has(
            "reach me at (503) 582-2880 today",
            "(503) 582-2880",
            PhiType::Phone,
        );
        has(
            "Please fax records to +1 305 396 3872 attn: records.",
            "+1 305 396 3872",
            PhiType::Fax,
        );
        has(
            "Mail to hudson.cazaly@gmail.com now.",
            "hudson.cazaly@gmail.com",
            PhiType::Email,
        );
        has(
            "Link www.mcbride.com sent.",
            "www.mcbride.com",
            PhiType::Url,
        );
        has(
            "Portal https://portal.avalos.org/visit/bw40uy19.",
            "https://portal.avalos.org/visit/bw40uy19",
            PhiType::Url,
        );
        has(
            "Server 192.168.10.4 logged it.",
            "192.168.10.4",
            PhiType::Ip,
        );
        let t = "She lives at 2500 Hill Trace Apt. 927, Lake Jessicaburgh, North Dakota 54733.";
        has(t, "2500 Hill Trace Apt. 927", PhiType::StreetAddress);
        has(t, "Lake Jessicaburgh", PhiType::City);
        has(t, "54733", PhiType::Zip);
        has(
            "Brought in from West Donna by EMS.",
            "West Donna",
            PhiType::City,
        );
        has("Pharmacy in Elizabethview.", "Elizabethview", PhiType::City);
    }

    #[test]
    fn record_numbers_and_identifiers_are_found() {
        has("SSN 394-52-8537 on file.", "394-52-8537", PhiType::Ssn);
        has("MRN: 43-039-117", "43-039-117", PhiType::Mrn);
        has(
            "Billing account 3056413953 updated.",
            "3056413953",
            PhiType::Account,
        );
        has(
            "Driver's license BM6566701 copied.",
            "BM6566701",
            PhiType::License,
        );
        has(
            "DEA on file D801-3267-7360.",
            "D801-3267-7360",
            PhiType::License,
        );
        has(
            "Medicare ID: 2SX5-BRM-IC17",
            "2SX5-BRM-IC17",
            PhiType::HealthPlan,
        );
        has(
            "vehicle plate ZSJ 131 per EMS report.",
            "ZSJ 131",
            PhiType::Vehicle,
        );
        has(
            "Pump serial PJN9083863H downloaded.",
            "PJN9083863H",
            PhiType::Device,
        );
        has(
            "Study subject 7731-99812 enrolled.",
            "7731-99812",
            PhiType::Id,
        );
        has(
            "Referred by Dr. Laura Moyer of St. Davis Medical Center.",
            "St. Davis Medical Center",
            PhiType::Hospital,
        );
        has(
            "CABG x3 at Rivera Children's Hospital.",
            "Rivera Children's Hospital",
            PhiType::Hospital,
        );
    }

    #[test]
    fn clinical_values_are_not_flagged() {
        none("Takes atorvastatin 40 mg and aspirin 81 mg daily.");
        none("BP 132/84, HR 88, RR 16, SpO2 97% on RA. Temp 98.6 F.");
        none("Labs: Na 138, K 4.1, Cr 1.2, WBC 11.3, Hgb 10.9, A1c 7.8%.");
        none("Assessment: COPD exacerbation, ICD-10 J44.1; DM2 E11.9.");
        none("Room 412B. Code status: DNR/DNI.");
        none("Reports 3/10 knee pain; strength 5/5; 2/6 systolic murmur.");
        none("Lives in Texas.");
        none("Pacemaker model Adapta ADDR01 interrogated.");
        none("Seen in the Cardiology Clinic for follow-up.");
        none("Mammogram was BI-RADS 2. Echo shows LVEF 55-60%.");
        none("Patient portal reviewed. Hospital course uncomplicated.");
        none("Emesis since 08:00, took ondansetron 4 mg x 2 doses.");
    }

    #[test]
    fn known_identifiers_are_matched_as_whole_words() {
        let mut k = KnownIdentifiers::new();
        k.add_name("Zyx Quorrel", NameRole::Patient);
        k.add(PhiType::Mrn, "A-77");
        let d = Detector::new(k);
        let t = "quorrel and Zyx came; mrn a-77; Quorrelx not.";
        let got: Vec<&str> = d
            .detect(t)
            .unwrap()
            .iter()
            .map(|d| &t[d.start..d.end])
            .collect();
        assert_eq!(got, ["quorrel", "Zyx", "a-77"]);
    }

    #[test]
    fn detection_fails_closed_on_oversized_input_panics_and_bad_output() {
        let d = Detector::new(KnownIdentifiers::new());
        let big = "a".repeat(MAX_INPUT_BYTES + 1);
        assert!(matches!(
            d.detect(&big),
            Err(PhiError::InputTooLarge { .. })
        ));
        let p = d.clone().with_fault(Fault::Panic);
        assert!(matches!(
            p.detect("John Smith"),
            Err(PhiError::DetectionFailed(_))
        ));
        let o = d.with_fault(Fault::OutOfBounds);
        assert!(matches!(
            o.detect("John Smith"),
            Err(PhiError::DetectionFailed(_))
        ));
    }
}
