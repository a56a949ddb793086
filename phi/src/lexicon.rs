//! The embedded name and word dictionary.
//!
//! `data/lexicon.txt` is derived by `data/derive_lexicon.py` from the US
//! Census Bureau's 1990 first-name and surname frequency lists (public domain;
//! as shipped in the MIT-licensed PyPI package `names` 0.3.0), the given and
//! family names of 86 locales of the MIT-licensed PyPI package `Faker`
//! (Latin script, never an English word), and the lowercase entries of the
//! SCOWL-derived Debian `wamerican` word list. It is parsed once per process
//! into a fixed-size map shared by every detector, so it does not grow with
//! use; the map also holds the detector's word classes (see
//! `detect::words`), so one lookup answers both.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// A given name (census first-name lists, Faker given names).
pub(crate) const FIRST: u8 = 1;
/// A surname (census surname list, Faker family names).
pub(crate) const LAST: u8 = 2;
/// A common surname (census rank <= 10,000).
pub(crate) const COMMON_LAST: u8 = 4;
/// An ordinary lowercase English word.
pub(crate) const WORD: u8 = 8;

/// A word's entry in the map holds its flags (bits 0-7), its word classes
/// (bits 8-39, see `detect::scan::wc`) and these gazetteer bits: the word
/// begins a known US place ("grand" of "grand rapids")...
pub(crate) const PLACE_START: u64 = 1 << 48;
/// ...or is one, alone ("baltimore").
pub(crate) const PLACE: u64 = 1 << 49;
/// A month or weekday ([`crate::wordlists::date_word`]).
pub(crate) const DATE_WORD: u64 = 1 << 50;

static RAW: &str = include_str!("../data/lexicon.txt");

/// One-word medicine names (`data/drugs.txt`, derived by
/// `data/derive_drugs.py` from DrugBank open data and MedlinePlus names;
/// no given name or surname of the lexicon is among them).
static DRUGS: &str = include_str!("../data/drugs.txt");

/// The parsed dictionary: lowercase ASCII token → flag bits. Tokens of up
/// to 16 letters (nearly all) are keyed by their bytes packed into a `u128`
/// (see [`word_key`]): hashing an integer is cheaper than hashing a string.
pub(crate) struct Lexicon {
    /// Flags in the low 8 bits, the detector's word classes above them,
    /// then the gazetteer bits ([`PLACE_START`], [`PLACE`]).
    short: WordTable,
    long: FxHashMap<&'static [u8], u8>,
}

/// A fixed hash table from word keys to entries, built once: open
/// addressing with linear probing in a power-of-two table at most half
/// full. One multiply hashes a key, and most lookups read one slot (key
/// and entry side by side: one cache line): this lookup runs once per
/// word of every text.
struct WordTable {
    /// Each slot: the key's low and high halves, then its entry; a key of
    /// 0 (no word's key) marks an empty slot.
    slots: Box<[[u64; 3]]>,
    /// 64 minus the log2 of the table's size: the hash's top bits pick
    /// the first slot.
    shift: u32,
}

impl WordTable {
    fn new(map: &FxHashMap<u128, u64>) -> Self {
        let size = (map.len() * 2).next_power_of_two().max(2);
        let mut table = WordTable {
            slots: vec![[0; 3]; size].into_boxed_slice(),
            shift: 64 - size.trailing_zeros(),
        };
        for (&key, &entry) in map {
            let (lo, hi) = (key as u64, (key >> 64) as u64);
            let mut slot = table.first_slot(lo, hi);
            while table.slots[slot][..2] != [0, 0] {
                slot = (slot + 1) & (size - 1);
            }
            table.slots[slot] = [lo, hi, entry];
        }
        table
    }

    /// Fibonacci hashing of the key's two halves.
    fn first_slot(&self, lo: u64, hi: u64) -> usize {
        let folded = lo ^ hi.rotate_left(29);
        (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The entry of `key`, 0 when it is not in the table.
    fn get(&self, key: u128) -> u64 {
        let (lo, hi) = (key as u64, (key >> 64) as u64);
        let mask = self.slots.len() - 1;
        let mut slot = self.first_slot(lo, hi);
        loop {
            let [k_lo, k_hi, entry] = self.slots[slot];
            if k_lo == lo && k_hi == hi {
                return entry;
            }
            if k_lo == 0 && k_hi == 0 {
                return 0;
            }
            slot = (slot + 1) & mask;
        }
    }
}

/// A word of 1 to 16 ASCII letters packed into an integer, lowercased; the
/// key of the word maps of the detector. `None` for anything else.
pub(crate) fn word_key(word: &[u8]) -> Option<u128> {
    if word.is_empty() || word.len() > 16 || !word.iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut buf = [0u8; 16];
    for (d, c) in buf.iter_mut().zip(word) {
        *d = c.to_ascii_lowercase();
    }
    Some(u128::from_le_bytes(buf))
}

/// [`word_key`] of a word already known to be lowercase ASCII letters (a
/// token of the lowercase text): no checks but the length.
fn lower_word_key(word: &[u8]) -> Option<u128> {
    if word.is_empty() || word.len() > 16 {
        return None;
    }
    let mut buf = [0u8; 16];
    buf[..word.len()].copy_from_slice(word);
    Some(u128::from_le_bytes(buf))
}

/// [`lower_word_key`] of the word at `start..end` of a lowercase text:
/// where 16 bytes can be read from `start`, one fixed-size read, masked to
/// the word's length (no copy of a variable length).
fn lower_key_at(lower: &[u8], start: usize, end: usize) -> Option<u128> {
    let len = end.checked_sub(start)?;
    if len == 0 || len > 16 {
        return None;
    }
    match lower.get(start..start + 16) {
        Some(window) => {
            let mut buf = [0u8; 16];
            buf.copy_from_slice(window);
            Some(u128::from_le_bytes(buf) & (u128::MAX >> (128 - 8 * len)))
        }
        None => lower_word_key(lower.get(start..end)?),
    }
}

/// The process-wide dictionary, parsed on first use.
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut short = FxHashMap::default();
        let mut long = FxHashMap::default();
        short.reserve(180_000);
        for line in RAW.lines() {
            if line.starts_with('#') {
                continue;
            }
            let Some((tok, flags)) = line.split_once('\t') else {
                continue;
            };
            let mut bits = 0u8;
            for c in flags.bytes() {
                bits |= match c {
                    b'F' => FIRST,
                    b'L' => LAST,
                    b'C' => COMMON_LAST,
                    b'W' => WORD,
                    _ => 0,
                };
            }
            match word_key(tok.as_bytes()) {
                Some(k) => {
                    short.insert(k, bits as u64);
                }
                None => {
                    long.insert(tok.as_bytes(), bits);
                }
            }
        }
        let drugs = DRUGS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|w| (w, crate::detect::scan::wc::DRUG));
        for (word, class) in crate::detect::words::special_words()
            .into_iter()
            .chain(drugs)
        {
            if let Some(k) = word_key(word.as_bytes()) {
                *short.entry(k).or_insert(0) |= (class as u64) << 8;
            }
        }
        // Lowercase ASCII words only: a token is looked up by its
        // ASCII-lowercased text, as `gazetteer` does.
        for (word, bit) in crate::gazetteer::place_words() {
            if word.iter().all(u8::is_ascii_lowercase) {
                if let Some(k) = word_key(word) {
                    *short.entry(k).or_insert(0) |= bit;
                }
            }
        }
        for word in crate::wordlists::date_words() {
            if let Some(k) = word_key(word.as_bytes()) {
                *short.entry(k).or_insert(0) |= DATE_WORD;
            }
        }
        Lexicon {
            short: WordTable::new(&short),
            long,
        }
    })
}

impl Lexicon {
    /// The flags of `word` as it appears in text: ASCII-lowercased, and common
    /// Latin diacritics folded (`Júlia` → `julia`). 0 when unknown.
    pub(crate) fn flags(&self, word: &str) -> u8 {
        if let Some(k) = word_key(word.as_bytes()) {
            return self.short.get(k) as u8;
        }
        let mut buf = [0u8; 40];
        let mut n = 0;
        for c in word.chars() {
            let folded: &[u8] = if c.is_ascii() {
                if !c.is_ascii_alphabetic() {
                    return 0;
                }
                &[c.to_ascii_lowercase() as u8][..]
            } else {
                match fold(c) {
                    Some(s) => s.as_bytes(),
                    None => return 0,
                }
            };
            for &b in folded {
                if n == buf.len() {
                    return 0;
                }
                buf[n] = b;
                n += 1;
            }
        }
        let folded = &buf[..n];
        match word_key(folded) {
            Some(k) => self.short.get(k) as u8,
            None => self.long.get(folded).copied().unwrap_or(0),
        }
    }

    /// The whole entry (flags, word classes, gazetteer bits) of the word of
    /// lowercase ASCII letters at `start..end` of the lowercase text
    /// `lower`; 0 when unknown.
    pub(crate) fn entry_at(&self, lower: &[u8], start: usize, end: usize) -> u64 {
        lower_key_at(lower, start, end).map_or(0, |k| self.short.get(k))
    }

    /// The dictionary flags and the detector's word classes of a word of
    /// lowercase ASCII letters, in one lookup; `(0, 0)` when unknown.
    pub(crate) fn info(&self, lower_word: &str) -> (u8, u32) {
        let v = lower_word_key(lower_word.as_bytes()).map_or(0, |k| self.short.get(k));
        (v as u8, (v >> 8) as u32)
    }
}

/// Folds a non-ASCII Latin letter to lowercase ASCII.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å'
        | 'Ā' | 'Ą' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => "c",
        'ď' | 'đ' | 'Ď' | 'Đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ě' | 'Ę' => {
            "e"
        }
        'ğ' | 'Ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'İ' => "i",
        'ł' | 'ľ' | 'ĺ' | 'Ł' | 'Ľ' => "l",
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' | 'ō' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ő' => {
            "o"
        }
        'œ' | 'Œ' => "oe",
        'ř' | 'ŕ' | 'Ř' => "r",
        'ś' | 'š' | 'ş' | 'ș' | 'Ś' | 'Š' | 'Ş' | 'Ș' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' | 'Ť' | 'Ţ' | 'Ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ů' | 'ű' | 'ū' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ů' | 'Ű' => {
            "u"
        }
        'ý' | 'ÿ' | 'Ý' => "y",
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn census_names_and_english_words_are_known() {
        let lex = lexicon();
        assert_ne!(lex.flags("Michael") & FIRST, 0);
        assert_ne!(lex.flags("GARCIA") & LAST, 0);
        assert_ne!(lex.flags("Júlia") & FIRST, 0);
        assert_ne!(lex.flags("hill") & WORD, 0);
        assert_eq!(lex.flags("xqzzyv"), 0);
        assert_eq!(lex.flags("r2d2"), 0);
    }

    #[test]
    fn keys_read_in_place_match_copied_keys() {
        let text = b"a baltimore b winston-salem abcdefghijklmnop x";
        let mut start = 0;
        for (k, c) in text.iter().enumerate().chain([(text.len(), &b' ')]) {
            if !c.is_ascii_alphabetic() {
                if k > start {
                    assert_eq!(
                        lower_key_at(text, start, k),
                        lower_word_key(&text[start..k])
                    );
                }
                start = k + 1;
            }
        }
        let lex = lexicon();
        assert_ne!(lex.entry_at(b"in baltimore", 3, 12) & PLACE, 0);
        assert_ne!(lex.entry_at(b"grand", 0, 5) & PLACE_START, 0);
        for w in crate::wordlists::date_words() {
            assert!(crate::wordlists::date_word(w.as_bytes()), "{w}");
            assert_ne!(lex.entry_at(w.as_bytes(), 0, w.len()) & DATE_WORD, 0, "{w}");
        }
        for w in ["decreased", "monitor", "saturation", "mayo", "ma", "june"] {
            let bit = lex.entry_at(w.as_bytes(), 0, w.len()) & DATE_WORD != 0;
            assert_eq!(bit, crate::wordlists::date_word(w.as_bytes()), "{w}");
        }
    }
}
