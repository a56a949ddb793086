//! Special word lists (titles, relations, states, cue words, ...) in one
//! process-wide map from lowercase word to class bits (see [`wc`]), with a
//! cheap prefilter on (length, first letter, last letter) so ordinary words
//! skip the hash lookup. Built once; never grows.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::scan::wc;
use crate::wordlists;

/// Words of class `wc::STOP` (with the month and weekday names, the month
/// abbreviations and the titles from [`crate::wordlists`]).
const STOP_WORDS: &[&str] = &[
    "her",
    "his",
    "him",
    "she",
    "he",
    "they",
    "them",
    "their",
    "our",
    "my",
    "your",
    "its",
    "this",
    "that",
    "these",
    "those",
    "pt",
    "patient",
    "pts",
    "the",
    "a",
    "an",
    "and",
    "or",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "with",
    "by",
    "from",
    "per",
    "st",
    "saint",
    "mt",
    "md",
    "do",
    "np",
    "pa",
    "rn",
    "lpn",
    "phd",
    "dds",
    "hospital",
    "clinic",
    "center",
    "centre",
    "medical",
    "regional",
    "general",
    "memorial",
    "health",
    "street",
    "avenue",
    "road",
    "drive",
    "suite",
    "apt",
    "room",
    "unit",
    "floor",
    "north",
    "south",
    "east",
    "west",
    "new",
    "lake",
    "port",
    "fort",
    "mount",
    "attending",
    "resident",
    "provider",
    "name",
    "nurse",
    "pcp",
    "attn",
    "mrn",
    "dob",
    "ssn",
    "age",
    "sex",
    "male",
    "female",
    "hcp",
    "ed",
    "er",
    "icu",
    "hx",
    "pmh",
    "hpi",
    "ros",
    "plan",
    "assessment",
    "impression",
    "diagnosis",
    "dx",
    "rx",
    "tx",
    "sx",
    "labs",
    "echo",
    "ekg",
    "ecg",
    "ct",
    "mri",
    "cxr",
    "xr",
    "us",
    "bp",
    "hr",
    "rr",
    "temp",
    "spo2",
    "wbc",
    "hgb",
    "inr",
    "bmi",
    "a1c",
    "cabg",
    "mi",
    "chf",
    "copd",
    "dm",
    "htn",
    "cad",
    "ckd",
    "afib",
    "dvt",
    "pe",
    "uti",
    "gerd",
    "osa",
    "nkda",
    "prn",
    "bid",
    "tid",
    "qid",
    "qd",
    "po",
    "iv",
    "im",
    "sq",
    "subq",
    "mg",
    "ml",
    "mcg",
    "medicare",
    "medicaid",
    "insulin",
    "tylenol",
    "lasix",
    "coumadin",
    "aspirin",
    "heparin",
    "lovenox",
    "covid",
    "sars",
    "hiv",
    "hcv",
    "hbv",
    "apgar",
    "glasgow",
    // Insurers and their plans (not people)
    "humana",
    "aetna",
    "cigna",
    "anthem",
    "unitedhealthcare",
    "tricare",
    "bcbs",
    "molina",
    "ambetter",
    "wellcare",
    "optum",
    "caresource",
    "amerigroup",
    "highmark",
    "wellmark",
    "premera",
    "regence",
    "carefirst",
    // Eponyms that are rarely a person in a note
    "parkinson",
    "parkinsons",
    "alzheimer",
    "alzheimers",
    "crohn",
    "crohns",
    "cushing",
    "cushings",
    "hodgkin",
    "hodgkins",
    "kaposi",
    "wilms",
    "guillain",
    "tourette",
    "tourettes",
    "raynaud",
    "raynauds",
    "sjogren",
    "sjogrens",
    "kawasaki",
    "meniere",
    "menieres",
    "marfan",
    "klinefelter",
    "wernicke",
    "korsakoff",
    "babinski",
    "mcburney",
    "rovsing",
    "kernig",
    "brudzinski",
    "homans",
    "tinel",
    "phalen",
    "lachman",
    "mcmurray",
    "spurling",
    "trendelenburg",
    "valsalva",
    "heimlich",
    "epley",
    "hallpike",
    "rinne",
    "romberg",
    "karnofsky",
    "gleason",
    "breslow",
    "kegel",
    "foley",
    "billroth",
    "nissen",
    "zollinger",
    "virchow",
    "kussmaul",
    "cheyne",
    "korotkoff",
    "holter",
    "doppler",
    "ziehl",
    "neelsen",
];

/// Words of class `wc::ROLE`.
const ROLE_LABELS: &[&str] = &[
    "name",
    "patient",
    "pt",
    "attending",
    "resident",
    "provider",
    "pcp",
    "physician",
    "surgeon",
    "nurse",
    "rn",
    "np",
    "author",
    "signed",
    "cosigned",
    "referring",
    "contact",
    "guardian",
    "caregiver",
    "interpreter",
    "fellow",
    "intern",
    "consultant",
    "cc",
    "attn",
    "attention",
    "dictated",
    "transcribed",
    "witness",
    "informant",
    "proxy",
    "poa",
    "hcp",
    "surrogate",
    "pharmacist",
    "therapist",
    "scribe",
    "md",
    "doc",
    "clinician",
    "practitioner",
    "anesthesiologist",
    "cardiologist",
    "oncologist",
    "radiologist",
    "pathologist",
    "midwife",
    "obstetrician",
    "pediatrician",
    "psychiatrist",
    "psychologist",
    "dentist",
    "chaplain",
    "volunteer",
    "manager",
    "coordinator",
    "worker",
    "assistant",
    "technician",
    "tech",
    "specialist",
    "navigator",
    "advocate",
    "counselor",
    "educator",
    "dietitian",
    "nutritionist",
    "physiotherapist",
    "paramedic",
    "medic",
    "officer",
    "clerk",
    "receptionist",
    "administrator",
    "supervisor",
    "doula",
    "aide",
    "to",
    "from",
    "by",
    "sender",
    "recipient",
    "re",
    "float",
    "covering",
    "coverage",
    "handoff",
    "caller",
    "guarantor",
    "subscriber",
    "insured",
    "policyholder",
    "kin",
    "nok",
    "sw",
    "cm",
    "ot",
    "slp",
    "charge",
    "preceptor",
    "student",
    "visitor",
    "pastor",
    "priest",
    "rabbi",
    "imam",
    "sitter",
    "cosigner",
    "reviewer",
    "responsible",
    "parent",
];

/// Words of class `wc::RELATION`.
const RELATIONS: &[&str] = &[
    "wife",
    "husband",
    "son",
    "daughter",
    "mother",
    "father",
    "sister",
    "brother",
    "nephew",
    "niece",
    "cousin",
    "aunt",
    "uncle",
    "grandson",
    "granddaughter",
    "grandmother",
    "grandfather",
    "grandma",
    "grandpa",
    "spouse",
    "partner",
    "friend",
    "neighbor",
    "neighbour",
    "boyfriend",
    "girlfriend",
    "fiance",
    "fiancee",
    "stepson",
    "stepdaughter",
    "stepmother",
    "stepfather",
    "roommate",
    "caregiver",
    "guardian",
    "mom",
    "dad",
    "sibling",
    "child",
    "parent",
    "grandchild",
    "relative",
    "family",
    "boss",
    "coworker",
    "colleague",
    "landlord",
    "sponsor",
    "brother-in-law",
    "sister-in-law",
    "proxy",
];

/// Words of class `wc::CREDENTIAL`.
const CREDENTIALS: &[&str] = &[
    "md", "do", "np", "pa", "rn", "lpn", "cna", "phd", "dds", "dmd", "dpm", "pharmd", "cnm",
    "crna", "aprn", "fnp", "dnp", "msw", "lcsw", "od", "mbbs", "facp", "facc", "mph", "pac",
    "psyd", "lmft", "rd", "slp", "ccc", "bsn", "msn", "cns", "agnp", "anp", "pnp", "whnp",
];

/// Words of class `wc::DEPARTMENT`.
const DEPARTMENTS: &[&str] = &[
    "cardiology",
    "oncology",
    "neurology",
    "dermatology",
    "pediatrics",
    "orthopedics",
    "urology",
    "nephrology",
    "pulmonary",
    "pulmonology",
    "gastroenterology",
    "endocrinology",
    "rheumatology",
    "psychiatry",
    "radiology",
    "hematology",
    "neurosurgery",
    "surgery",
    "anesthesia",
    "anesthesiology",
    "hepatology",
    "ophthalmology",
    "otolaryngology",
    "obstetrics",
    "gynecology",
    "geriatrics",
    "palliative",
    "hospice",
    "podiatry",
    "audiology",
    "nutrition",
    "pharmacy",
    "therapy",
    "telemetry",
    "ambulatory",
    "triage",
    "infectious",
    "wound",
    "allergy",
    "immunology",
    "genetics",
    "pathology",
    "hospitalist",
    "medicine",
];

/// Words of class `wc::STATE`.
const STATE_WORDS: &[&str] = &[
    "alabama",
    "alaska",
    "arizona",
    "arkansas",
    "california",
    "colorado",
    "connecticut",
    "delaware",
    "florida",
    "georgia",
    "hawaii",
    "idaho",
    "illinois",
    "indiana",
    "iowa",
    "kansas",
    "kentucky",
    "louisiana",
    "maine",
    "maryland",
    "massachusetts",
    "michigan",
    "minnesota",
    "mississippi",
    "missouri",
    "montana",
    "nebraska",
    "nevada",
    "ohio",
    "oklahoma",
    "oregon",
    "pennsylvania",
    "tennessee",
    "texas",
    "utah",
    "vermont",
    "virginia",
    "washington",
    "wisconsin",
    "wyoming",
    "guam",
    "hampshire",
    "jersey",
    "mexico",
    "york",
    "carolina",
    "dakota",
    "island",
    "rico",
    "columbia",
];


/// Words before a city ("in", "from", "visiting") or labelling one ("City:").
const CITY_CUES: &[&str] = &[
    "in", "from", "to", "near", "at", "of", "outside", "around", "visiting", "city", "town",
    "hometown",
];


const SERVICE_WORDS: &[&str] = &[
    "fire", "police", "sheriff", "ems", "county", "township", "parish", "borough",
];

struct Words {
    map: FxHashMap<&'static str, u32>,
    /// Bit `len * 26 + first`: some word of that length starts with that
    /// letter; and the same for the last letter.
    first: [u64; 8],
    last: [u64; 8],
}

fn key(len: usize, c: u8) -> Option<usize> {
    let c = c.to_ascii_lowercase();
    if !(1..=18).contains(&len) || !c.is_ascii_lowercase() {
        return None;
    }
    Some((len - 1) * 26 + (c - b'a') as usize)
}

fn words() -> &'static Words {
    static W: OnceLock<Words> = OnceLock::new();
    W.get_or_init(|| {
        let mut w = Words {
            map: FxHashMap::default(),
            first: [0; 8],
            last: [0; 8],
        };
        let abbreviations: Vec<&'static str> = wordlists::MONTHS
            .iter()
            .map(|m| &m[..3])
            .chain(["sept"])
            .collect();
        let facility_words: Vec<&'static str> = super::places::facility_words().collect();
        let cue_words: Vec<&'static str> = super::numbers::CUES.iter().map(|(w, _)| *w).collect();
        let lists: [(&[&str], u32); 14] = [
            (STOP_WORDS, wc::STOP),
            (&wordlists::MONTHS, wc::STOP),
            (&wordlists::WEEKDAYS, wc::STOP),
            (&abbreviations, wc::STOP),
            (wordlists::TITLES, wc::STOP | wc::TITLE),
            (ROLE_LABELS, wc::ROLE),
            (RELATIONS, wc::RELATION),
            (CREDENTIALS, wc::CREDENTIAL),
            (DEPARTMENTS, wc::DEPARTMENT),
            (STATE_WORDS, wc::STATE),
            (&cue_words, wc::CUE_ID),
            (CITY_CUES, wc::CITY_CUE),
            (&facility_words, wc::FACILITY),
            (SERVICE_WORDS, wc::SERVICE),
        ];
        for (list, bit) in lists {
            for &word in list {
                *w.map.entry(word).or_insert(0) |= bit;
                let b = word.as_bytes();
                if let (Some(f), Some(l)) = (key(b.len(), b[0]), key(b.len(), b[b.len() - 1])) {
                    w.first[f / 64] |= 1 << (f % 64);
                    w.last[l / 64] |= 1 << (l % 64);
                }
            }
        }
        w
    })
}

/// Whether a word with these bytes could be in a list (no false negatives).
pub(crate) fn maybe_special(b: &[u8]) -> bool {
    let w = words();
    let (Some(&f), Some(&l)) = (b.first(), b.last()) else {
        return false;
    };
    match (key(b.len(), f), key(b.len(), l)) {
        (Some(f), Some(l)) => {
            w.first[f / 64] & (1 << (f % 64)) != 0 && w.last[l / 64] & (1 << (l % 64)) != 0
        }
        _ => false,
    }
}

/// The class bits of a lowercase word (0 when it is in no list).
pub(crate) fn class_of(w: &str) -> u32 {
    if !maybe_special(w.as_bytes()) {
        return 0;
    }
    words().map.get(w).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_map_to_their_classes() {
        assert_ne!(class_of("dr") & wc::TITLE, 0);
        assert_ne!(class_of("nephew") & wc::RELATION, 0);
        assert_ne!(class_of("dakota") & wc::STATE, 0);
        assert_ne!(class_of("mrn") & wc::CUE_ID, 0);
        assert_ne!(class_of("hospital") & wc::FACILITY, 0);
        assert_eq!(class_of("metformin"), 0);
        for list in [
            STOP_WORDS,
            wordlists::TITLES,
            ROLE_LABELS,
            RELATIONS,
            CREDENTIALS,
        ] {
            // Tokens with digits ("spo2") are never classified: only letters.
            for w in list
                .iter()
                .filter(|w| w.bytes().all(|c| c.is_ascii_lowercase()))
            {
                assert!(maybe_special(w.as_bytes()), "{w}");
            }
        }
    }
}
