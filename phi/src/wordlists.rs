//! Word lists shared by the detector, the date parser and the restorer: one
//! place for each, so the parts of the engine agree on what a month, a
//! weekday, a title or a date cue is.

/// Month names, lowercase, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Whether a lowercase month name is also a given name ("April", "June").
pub(crate) fn month_also_given_name(word: &str) -> bool {
    matches!(word, "april" | "may" | "june" | "july" | "august")
}

/// Weekday names, lowercase, Monday first.
pub(crate) const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Titles before a person's name ("Dr.", "Mrs.", "Prof.").
pub(crate) const TITLES: &[&str] = &[
    "dr",
    "drs",
    "doctor",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "prof",
    "professor",
    "sr",
    "sra",
    "mme",
    "mlle",
    "rev",
    "fr",
    "sister",
    "brother",
    "nurse",
    "dra",
];

/// Words right before a date that make a bare `N/N` (or a lowercase "may
/// 5") a date: "on 7/10", "since 3/4", "DOB 1/6", "due may 5".
pub(crate) const DATE_CUES: &[&str] = &[
    "on",
    "since",
    "from",
    "until",
    "till",
    "by",
    "before",
    "after",
    "dated",
    "date",
    "dob",
    "seen",
    "next",
    "due",
    "of",
    "through",
    "thru",
    "starting",
    "admitted",
    "discharged",
    "born",
    "to",
    "and",
];

/// Whether a lowercase word is a date cue (see [`DATE_CUES`]).
pub(crate) fn is_date_cue(word: &str) -> bool {
    DATE_CUES.contains(&word)
}

/// The month (1..=12) whose name or three-letter abbreviation `word` is,
/// ignoring ASCII case ("Sept" counts as September).
pub(crate) fn month_number(word: &str) -> Option<u8> {
    if word.len() < 3 || word.len() > 9 || !word.is_ascii() {
        return None;
    }
    if word.eq_ignore_ascii_case("sept") {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| {
            m.eq_ignore_ascii_case(word)
                || (word.len() == 3 && m.as_bytes()[..3].eq_ignore_ascii_case(word.as_bytes()))
        })
        .map(|i| i as u8 + 1)
}

/// Whether a token is a month or a weekday written as a word: its full
/// name, its three-letter abbreviation, or "Sept", "Tues", "Thur", "Thurs",
/// "Weds" (any case). Words that only start like one ("decreased",
/// "monitor", "saturation") are not.
pub(crate) fn date_word(b: &[u8]) -> bool {
    if !date_word_prefix(b) {
        return false;
    }
    let eq =
        |w: &str| w.len() == b.len() && w.bytes().zip(b).all(|(x, y)| x == y.to_ascii_lowercase());
    b.len() == 3
        || MONTHS.iter().chain(WEEKDAYS.iter()).any(|w| eq(w))
        || ["sept", "tues", "thur", "thurs", "weds"]
            .iter()
            .any(|w| eq(w))
}

/// Every word [`date_word`] accepts, lowercase: the months and weekdays,
/// their three-letter abbreviations, and the other short forms.
pub(crate) fn date_words() -> impl Iterator<Item = &'static str> {
    let full = MONTHS.iter().chain(WEEKDAYS.iter()).copied();
    full.clone()
        .chain(full.map(|w| &w[..3]))
        .chain(["sept", "tues", "thur", "thurs", "weds"])
}

/// Whether the first three bytes are a month's or a weekday's first three
/// letters, any case: the cheap test before trying to parse a date.
pub(crate) fn date_word_prefix(b: &[u8]) -> bool {
    if b.len() < 3 {
        return false;
    }
    let l = [
        b[0].to_ascii_lowercase(),
        b[1].to_ascii_lowercase(),
        b[2].to_ascii_lowercase(),
    ];
    matches!(
        &l,
        b"jan"
            | b"feb"
            | b"mar"
            | b"apr"
            | b"may"
            | b"jun"
            | b"jul"
            | b"aug"
            | b"sep"
            | b"oct"
            | b"nov"
            | b"dec"
            | b"mon"
            | b"tue"
            | b"wed"
            | b"thu"
            | b"fri"
            | b"sat"
            | b"sun"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_weekdays_are_recognised_by_name_and_prefix() {
        for w in MONTHS.iter().chain(WEEKDAYS.iter()) {
            assert!(date_word_prefix(w.as_bytes()), "{w}");
        }
        assert_eq!(month_number("Sept"), Some(9));
        assert_eq!(month_number("DEC"), Some(12));
        assert_eq!(month_number("march"), Some(3));
        assert_eq!(month_number("Mayo"), None);
        assert!(date_word_prefix(b"Tuesday"));
        assert!(date_word_prefix(b"JAN"));
        assert!(!date_word_prefix(b"Jam"));
        for w in MONTHS.iter().chain(WEEKDAYS.iter()) {
            assert!(date_word(w.as_bytes()), "{w}");
            assert!(date_word(&w.as_bytes()[..3]), "{w}");
        }
        assert!(date_word(b"SEPT") && date_word(b"Thurs") && date_word(b"JAN"));
        assert!(!date_word(b"decreased") && !date_word(b"monitor") && !date_word(b"Mayo"));
        assert!(is_date_cue("since"));
        assert!(!is_date_cue("pain"));
    }
}
