//! US place names: every US city, town or borough with at least 5,000
//! inhabitants, from the GeoNames gazetteer (CC BY 4.0), derived by
//! `data/derive_places.py`. Parsed once per process into a fixed set. Many
//! places are also words or names ("Mobile", "Tyler"), so a place name counts
//! as a city after a place cue ("in", "from", "City:"), or without one only
//! when it is capitalised, stands alone and is not a word, a given name, a
//! state or a listed eponym (`Scan::city_bare` in `detect/places.rs`).

use std::sync::OnceLock;

use rustc_hash::FxHashSet;

static RAW: &str = include_str!("../data/us_places.txt");

/// The most words a place name in the list has.
pub(crate) const MAX_WORDS: usize = 5;

/// The places, as bytes: a lookup needs no UTF-8 check of its key.
fn places() -> &'static FxHashSet<&'static [u8]> {
    static SET: OnceLock<FxHashSet<&'static [u8]>> = OnceLock::new();
    SET.get_or_init(|| {
        RAW.lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(str::as_bytes)
            .collect()
    })
}

/// The first words of the places (up to the first character that is not a
/// letter or digit: "winston" of "winston-salem", "st" of "st. louis").
fn first_words() -> &'static FxHashSet<&'static [u8]> {
    static SET: OnceLock<FxHashSet<&'static [u8]>> = OnceLock::new();
    SET.get_or_init(|| {
        RAW.lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|p| p.split(|c: char| !c.is_alphanumeric()).next().unwrap_or(p))
            .map(str::as_bytes)
            .collect()
    })
}

/// The first words of the places (with the lexicon's
/// [`crate::lexicon::PLACE_START`] bit) and the one-word places (with its
/// [`crate::lexicon::PLACE`] bit): the lexicon keeps these bits beside
/// its word entries, so a token's one lookup also answers
/// [`starts_place`] and, for one word, [`is_place`].
pub(crate) fn place_words() -> impl Iterator<Item = (&'static [u8], u64)> {
    let starts = first_words()
        .iter()
        .map(|w| (*w, crate::lexicon::PLACE_START));
    let whole = places()
        .iter()
        .filter(|p| p.iter().all(u8::is_ascii_alphanumeric))
        .map(|p| (*p, crate::lexicon::PLACE));
    starts.chain(whole)
}

/// Loads the lists (so the first detection does not pay for them).
pub(crate) fn load() {
    places();
    first_words();
}

/// Whether a known place begins with the word `w` (one token, any ASCII
/// case): a cheap test before trying the words after it.
pub(crate) fn starts_place(w: &str) -> bool {
    if w.len() > 40 {
        return false;
    }
    let mut buf = [0u8; 40];
    for (d, c) in buf.iter_mut().zip(w.bytes()) {
        *d = c.to_ascii_lowercase();
    }
    first_words().contains(&buf[..w.len()])
}

/// Whether `name` (as written: words, spaces, hyphens, apostrophes, dots)
/// is a US place, ignoring ASCII case.
pub(crate) fn is_place(name: &str) -> bool {
    if name.len() > 40 {
        return false;
    }
    let mut buf = [0u8; 40];
    for (d, c) in buf.iter_mut().zip(name.bytes()) {
        *d = c.to_ascii_lowercase();
    }
    places().contains(&buf[..name.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn us_places_are_known_in_their_written_forms() {
        for p in [
            "Baltimore",
            "grand rapids",
            "St. Louis",
            "Coeur d'Alene",
            "Winston-Salem",
        ] {
            assert!(is_place(p), "{p}");
        }
        assert!(starts_place("Winston") && starts_place("St") && starts_place("grand"));
        assert!(!starts_place("Metformin"));
        assert!(!is_place("Metformin"));
        assert!(!is_place("Cardiology"));
    }
}
