//! Ages over 89 (Safe Harbor keeps younger ages): in digits ("96 y/o",
//! "101yo", "94F", "aged 92", "turned 101", "At 94, she…"), in words
//! ("ninety-four-year-old", "one hundred and two"), as a decade ("in her
//! nineties", "in his 90s") and as a noun ("centenarian"). A number counts
//! only with an age unit after it or an age cue before it.

use super::scan::{prio, Scan};
use super::token::{DIGITS, HAS_DIGIT, UPPER};
use crate::kind::PhiType;

/// The ages the recognizers accept.
const AGES: std::ops::RangeInclusive<u32> = 90..=125;

/// Words that make a following "F"/"M" or "F" glued to a number a
/// temperature ("T 101 F", "Tmax 102F", "febrile to 100 F").
fn temperature_word(w: &str) -> bool {
    matches!(
        w,
        "t" | "temp"
            | "temps"
            | "temperature"
            | "tmax"
            | "tm"
            | "tc"
            | "febrile"
            | "afebrile"
            | "fever"
            | "fevers"
            | "spiked"
            | "oral"
            | "rectal"
            | "axillary"
            | "tympanic"
            | "degrees"
    )
}

/// People who can be the subject of "is 94", "was 101".
fn person_word(w: &str) -> bool {
    matches!(
        w,
        "she"
            | "he"
            | "pt"
            | "patient"
            | "mother"
            | "mom"
            | "mum"
            | "father"
            | "dad"
            | "grandmother"
            | "grandma"
            | "grandfather"
            | "grandpa"
            | "wife"
            | "husband"
            | "aunt"
            | "uncle"
            | "sister"
            | "brother"
            | "i"
            | "who"
            | "woman"
            | "man"
            | "lady"
            | "gentleman"
            | "resident"
            | "shes"
            | "hes"
            | "im"
            | "centenarian"
            | "nonagenarian"
    )
}

/// Words after a number that make it a quantity, whatever came before.
fn quantity_after(w: &str) -> bool {
    super::numbers::unit_word(w)
        || matches!(
            w,
            "percent"
                | "degrees"
                | "bpm"
                | "lb"
                | "lbs"
                | "pounds"
                | "kg"
                | "beats"
                | "mmhg"
                | "systolic"
                | "diastolic"
        )
}

/// The value of a number word below 20, or of a tens word.
fn small_number(w: &str) -> Option<u32> {
    Some(match w {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        _ => return None,
    })
}

/// Nouns for a person that may follow an age with a bare unit ("a 94 y
/// woman", "92 years man").
fn person_noun(w: &str) -> bool {
    matches!(
        w,
        "man"
            | "woman"
            | "male"
            | "female"
            | "lady"
            | "gentleman"
            | "gent"
            | "widow"
            | "widower"
            | "veteran"
            | "resident"
            | "patient"
            | "pt"
            | "retired"
            | "white"
            | "black"
            | "hispanic"
            | "asian"
            | "caucasian"
    )
}

impl Scan<'_> {
    /// "94 years" (or "yrs") at tokens `a..b` read as an age: not a span of
    /// time ("for 90 years", "100 years ago"). Someone 90 or older is the
    /// only thing in a note that is commonly that many years.
    fn years_as_age(&self, a: usize, b: usize) -> bool {
        let before = a > 0
            && matches!(
                self.lw(a - 1).as_str(),
                "for"
                    | "x"
                    | "over"
                    | "past"
                    | "last"
                    | "next"
                    | "within"
                    | "in"
                    | "than"
                    | "about"
                    | "around"
                    | "nearly"
                    | "almost"
                    | "approximately"
                    | "some"
            );
        let after = b + 1 < self.n()
            && matches!(
                self.lw(b + 1).as_str(),
                "ago"
                    | "later"
                    | "earlier"
                    | "prior"
                    | "before"
                    | "after"
                    | "since"
                    | "from"
                    | "of"
                    | "and"
                    | "in"
                    | "to"
            );
        !before && !after
    }

    /// "Mother, still living, is 96 and …": a person (or relative) earlier
    /// in the clause of the "is" at token `p`, no number between, and the
    /// age `..b` ending the phrase.
    fn person_subject_before(&self, p: usize, b: usize) -> bool {
        let n = self.n();
        let ends = b >= n || {
            let g = self.gap(b - 1);
            g.starts_with([',', '.', ';', ')', '\n'])
                || g == " "
                    && matches!(
                        self.lw(b).as_str(),
                        "and" | "but" | "with" | "now" | "today" | "when" | "at" | "in"
                    )
        };
        if !ends {
            return false;
        }
        let mut k = p;
        let lo = p.saturating_sub(6);
        while k > lo {
            if self.gap_before(k).contains(['.', ';', '\n', ':']) {
                return false;
            }
            k -= 1;
            if self.is(k, HAS_DIGIT) || temperature_word(self.lw(k).as_str()) {
                return false;
            }
            let w = self.lw(k);
            if person_word(w.as_str()) || self.wc(k) & super::scan::wc::RELATION != 0 {
                return true;
            }
        }
        false
    }

    /// Whether a temperature word comes within 4 tokens before `i` on the
    /// same line.
    fn temperature_before(&self, i: usize) -> bool {
        let lo = i.saturating_sub(4);
        (lo..i)
            .rev()
            .any(|k| !self.line_break_between(k, i) && temperature_word(self.lw(k).as_str()))
            || self.char_before(self.t[i].start) == Some('°')
    }

    /// Evidence after the age written at tokens `a..b`: a unit ("yo",
    /// "y/o", "y.o.", "year old", "years of age", "-year-old") or a sex
    /// letter ("94 F", "101 M").
    fn age_unit_after(&self, a: usize, b: usize) -> bool {
        let n = self.n();
        if b >= n || self.line_break_between(b - 1, b) || self.gap(b - 1).len() > 2 {
            return false;
        }
        let g = self.gap(b - 1);
        // "Elderly (95) female", "(101) M": a bracketed number before a person
        if g == ") " && self.t[a].start > 0 && self.b[self.t[a].start - 1] == b'(' {
            // "Sister (92) is …": a relative's age in brackets
            let relative = a > 0
                && self.gap_before(a) == " ("
                && (self.wc(a - 1) & super::scan::wc::RELATION != 0
                    || person_word(self.lw(a - 1).as_str()));
            return relative
                || matches!(
                    self.lw(b).as_str(),
                    "female"
                        | "male"
                        | "woman"
                        | "man"
                        | "gentleman"
                        | "lady"
                        | "widow"
                        | "widower"
                )
                || matches!(self.tok(b), "F" | "M");
        }
        if !matches!(g, " " | "-" | "" | " -" | "- ") {
            return false;
        }
        let w = self.lw(b);
        match w.as_str() {
            "yo" | "yof" | "yom" | "yowf" | "yowm" | "yoa" | "yrs" | "yr" | "yrsold" => {
                !(w.as_str() == "yr" && self.gap(b).starts_with('/') && !self.eq(b + 1, "o"))
                    && (w.as_str() != "yrs" && w.as_str() != "yr" || self.years_as_age(a, b))
            }
            "y" => {
                matches!(self.gap(b), "/" | "." | ". ") && self.eq(b + 1, "o")
                    || self.gap(b) == " " && matches!(self.tok(b + 1), "F" | "M")
                    || self.gap(b) == " " && b + 1 < n && person_noun(self.lw(b + 1).as_str())
            }
            "year" | "years" => {
                let k = b + 1;
                self.eq(k, "old")
                    || self.eq(k, "young")
                    || (self.eq(k, "of") && self.eq(k + 1, "age"))
                    || self.eq(k, "olds")
                    || self.years_as_age(a, b)
            }
            "f" | "m" => {
                // "94 F", "101 M with", "(92 M)": the sex after an age, but
                // never a temperature.
                self.is(b, UPPER)
                    && self.t[b].len() == 1
                    && matches!(g, " " | "")
                    && !self.gap(b).starts_with(['.', '/'])
                    && !self.temperature_before(a)
            }
            _ => false,
        }
    }

    /// Evidence before the age starting at token `a`: "age 96", "aged 96",
    /// "turned 101", "she is 94", "At 94, …", "died at 92".
    fn age_cue_before(&self, a: usize, b: usize) -> bool {
        if a == 0 {
            return false;
        }
        let g = self.gap_before(a);
        if g.contains('\n') || g.len() > 3 {
            return false;
        }
        let p = a - 1;
        let w = self.lw(p);
        let ws = w.as_str();
        let next_ok = b >= self.n() || !quantity_after(self.lw(b).as_str());
        // "Age at visit: 92", "Age (years): 101"
        if g.trim_end().ends_with(':')
            && (p.saturating_sub(3)..=p).any(|k| matches!(self.lw(k).as_str(), "age" | "aged"))
        {
            return next_ok;
        }
        // "Grandmother, 90, lives …": a relative's age between commas
        if g == ", "
            && (self.wc(p) & super::scan::wc::RELATION != 0 || person_word(ws))
            && self.gap(b - 1).starts_with(',')
        {
            return next_ok;
        }
        // "Sister 92 with dementia", "Mother ninety-six and well": a
        // relative's age right after the relation word
        if g == " "
            && self.wc(p) & super::scan::wc::RELATION != 0
            && self.b.get(self.t[b - 1].end) != Some(&b'%')
        {
            return next_ok;
        }
        match ws {
            "age" | "aged" | "ages" | "agd" => true,
            // "at the age of 94", "a woman of 97."
            "of" => {
                p > 0
                    && (self.eq(p - 1, "age")
                        || person_noun(self.lw(p - 1).as_str())
                            && next_ok
                            && (b >= self.n() || self.gap(b - 1).starts_with([',', '.', ';', ')'])))
            }
            "turned" | "turning" | "turns" | "turn" | "reached" | "reaching" | "reaches" => {
                next_ok && !self.eq(b, "degrees")
            }
            // "will be 91", "she'll be 90"
            "be" => p > 0 && matches!(self.lw(p - 1).as_str(), "will" | "ll" | "would") && next_ok,
            // "she is 94", "he's 101", "Patient is 92;", "who is now 97"
            "is" | "was" | "s" | "now" | "am" => {
                if !next_ok || self.b.get(self.t[a].end) == Some(&b'%') {
                    return false;
                }
                let mut k = p;
                if ws == "now" && k > 0 && matches!(self.lw(k - 1).as_str(), "is" | "s" | "am") {
                    k -= 1;
                }
                if ws == "now" && k == p {
                    // "Now 94, he …" at the start of a clause; "Mr. Ruiz,
                    // now 108, is …" between commas.
                    let start = p == 0 || self.gap_before(p).contains(['.', ';', '\n', ':', ',']);
                    return start && self.gap(b - 1).starts_with(',');
                }
                k > 0 && person_word(self.lw(k - 1).as_str())
                    || ws != "now" && person_word(ws)
                    || matches!(ws, "is" | "was") && self.person_subject_before(p, b)
            }
            // "At 94, she …", "died at 92", "passed away at 101"
            "at" => {
                let clause_start =
                    p == 0 || self.gap_before(p).contains(['.', ';', '\n', ':', '(']);
                // "passed away 13-September-2019 at ninety-four": the death
                // word may stand a date before "at", in the same clause
                let death = (p.saturating_sub(8)..p)
                    .rev()
                    .take_while(|&k| {
                        !self.gap(k).contains(['.', ';', '\n']) || self.digits(k) || k + 1 == p
                    })
                    .any(|k| {
                        matches!(
                            self.lw(k).as_str(),
                            "died" | "away" | "passed" | "deceased" | "expired" | "death" | "d"
                        )
                    });
                // "At 94 she still drives"
                let subject = b < self.n()
                    && self.gap(b - 1) == " "
                    && matches!(self.lw(b).as_str(), "she" | "he" | "they" | "i");
                (clause_start && (self.gap(b - 1).starts_with(',') || subject) || death) && next_ok
            }
            "shes" | "hes" | "im" => next_ok,
            // "lived to 104", "survived to 97"
            "to" => {
                p > 0
                    && matches!(
                        self.lw(p - 1).as_str(),
                        "lived" | "live" | "lives" | "survived"
                    )
                    && next_ok
            }
            _ => false,
        }
    }

    /// An age in digits at digit token `i` ("96 yo", "age 96", "96-year-old").
    pub(crate) fn age_number(&mut self, i: usize) {
        let t = self.t[i];
        let first = self.b[t.start];
        if !(t.len() == 2 && first == b'9' || t.len() == 3 && first == b'1') {
            return;
        }
        let Some(v) = self.num(i) else { return };
        if !AGES.contains(&v) {
            return;
        }
        // Not a decimal ("98.6") or part of a longer number.
        if matches!(self.b.get(t.end), Some(b'.' | b',' | b'/' | b':'))
            && self.b.get(t.end + 1).is_some_and(u8::is_ascii_digit)
        {
            return;
        }
        if self.age_unit_after(i, i + 1) || self.age_cue_before(i, i + 1) {
            self.push(t.start, t.end, PhiType::Age, prio::AGE);
        }
    }

    /// "92yo", "95yoF", "94F", "100th birthday": an age over 89 written as
    /// one token with its unit.
    pub(crate) fn mixed_age(&mut self, i: usize) {
        let t = self.tok(i);
        let digits = t.bytes().take_while(|c| c.is_ascii_digit()).count();
        if !(2..=3).contains(&digits) || t.len() > digits + 4 {
            return;
        }
        let rest = t[digits..].to_ascii_lowercase();
        let ok = match rest.as_str() {
            "yo" | "yof" | "yom" | "y" | "yr" | "yrs" | "yoa" => true,
            "th" => {
                self.eq(i + 1, "birthday")
                    || self.age_cue_before(i, i + 1) && self.eq(i + 1, "birthday")
            }
            "f" | "m" => {
                // "94F", "(101M)": not "Tmax 101F".
                t.as_bytes()[digits].is_ascii_uppercase() && !self.temperature_before(i)
            }
            "s" => {
                // "in her 90s"
                self.decade_cue(i)
            }
            _ => false,
        };
        if !ok {
            return;
        }
        let Ok(v) = t[..digits].parse::<u32>() else {
            return;
        };
        let decade = rest == "s" && v == 90;
        if AGES.contains(&v) && (rest != "s" || decade) {
            let s = self.t[i].start;
            let end = if decade { self.t[i].end } else { s + digits };
            self.push(s, end, PhiType::Age, prio::AGE);
        }
    }

    /// Whether a decade at token `i` is someone's age: "in her 90s", "in
    /// his late nineties", "their mid-90s".
    fn decade_cue(&self, i: usize) -> bool {
        let mut k = i;
        if k > 0
            && matches!(
                self.lw(k - 1).as_str(),
                "early" | "mid" | "late" | "upper" | "lower"
            )
        {
            k -= 1;
        }
        k > 0
            && matches!(
                self.lw(k - 1).as_str(),
                "her" | "his" | "their" | "my" | "your" | "hers"
            )
            // "mid-90s female", "late nineties gentleman"
            || i + 1 < self.n()
                && self.gap(i) == " "
                && person_noun(self.lw(i + 1).as_str())
    }

    /// Ages in words at alphabetic token `i`: "ninety", "ninety-four",
    /// "one hundred and two"; decades ("nineties", "90's" is handled with
    /// digits) and nouns ("centenarian").
    pub(crate) fn age_words(&mut self, i: usize) {
        let w = self.lw(i);
        let ws = w.as_str();
        match ws {
            "nonagenarian" | "centenarian" | "supercentenarian" | "nonagenarians"
            | "centenarians" => {
                // "Nonagenarian (94) with falls": the number after it is the
                // age; the word then only names its decade
                let number_after = i + 1 < self.n()
                    && matches!(self.gap(i), " (" | ", " | " ")
                    && self.digits(i + 1)
                    && self.num(i + 1).is_some_and(|v| AGES.contains(&v));
                if !number_after {
                    self.push(self.t[i].start, self.t[i].end, PhiType::Age, prio::AGE);
                }
                return;
            }
            "nineties" => {
                if self.decade_cue(i) {
                    self.push(self.t[i].start, self.t[i].end, PhiType::Age, prio::AGE);
                }
                return;
            }
            "ninety" | "hundred" => {}
            _ => return,
        }
        let Some((a, b)) = self.word_age_at(i) else {
            return;
        };
        // "Aunt Rosa Diaz, ninety-eight, lives …": an age in words set off by
        // commas (a number in words over 89 is rarely anything else there).
        let between_commas = a > 0
            && self.gap_before(a) == ", "
            && (b >= self.n() || self.gap(b - 1).starts_with([',', ';', ')']))
            && (b >= self.n() || !quantity_after(self.lw(b).as_str()));
        if self.age_unit_after(a, b) || self.age_cue_before(a, b) || between_commas {
            self.push(self.t[a].start, self.t[b - 1].end, PhiType::Age, prio::AGE);
        }
    }

    /// An age over 89 in words around token `i` ("ninety", "ninety-four",
    /// "one hundred and two"), as tokens `a..b`.
    fn word_age_at(&self, i: usize) -> Option<(usize, usize)> {
        let w = self.lw(i);
        let ws = w.as_str();
        let n = self.n();
        let (mut a, mut b) = (i, i + 1);
        let mut v;
        if ws == "ninety" {
            v = 90;
            if b < n && matches!(self.gap(i), "-" | " ") {
                if let Some(o) = small_number(self.lw(b).as_str()).filter(|o| *o < 10) {
                    v += o;
                    b += 1;
                }
            }
        } else {
            // "one hundred", "a hundred", "hundred"; then "and two", "two",
            // "-two", "ten"
            if i > 0 && matches!(self.lw(i - 1).as_str(), "one" | "a") && self.gap_before(i) == " "
            {
                a = i - 1;
            }
            v = 100;
            let mut k = b;
            if k < n && self.gap(k - 1) == " " && self.eq(k, "and") {
                k += 1;
            }
            if k < n && matches!(self.gap(k - 1), " " | "-") {
                if let Some(o) = small_number(self.lw(k).as_str()) {
                    v += o;
                    b = k + 1;
                }
            }
        }
        if ws != "ninety" && ws != "hundred" {
            return None;
        }
        // Numbers in words are only ages with a unit or a cue.
        if self.is(a, DIGITS) || self.is(a, HAS_DIGIT) || !AGES.contains(&v) {
            return None;
        }
        Some((a, b))
    }

    /// "90's" (token "90", then "'s"): a decade as someone's age.
    pub(crate) fn age_decade_apostrophe(&mut self, i: usize) {
        if self.tok(i) == "90"
            && matches!(self.gap(i), "'" | "’")
            && self.eq(i + 1, "s")
            && self.decade_cue(i)
        {
            self.push(self.t[i].start, self.t[i + 1].end, PhiType::Age, prio::AGE);
        }
    }

    /// Ages right after a name: "Mrs. Ortiz, 96, of …", "Ortiz (101)",
    /// "Ortiz is 93". Runs after the names are found.
    pub(crate) fn ages_after_names(&mut self) {
        // The names found so far (the ages pushed here come after them).
        for c in 0..self.out.len() {
            if self.out[c].kind != PhiType::Name {
                continue;
            }
            let end = self.out[c].end;
            let k = self.token_at(end);
            if k >= self.n() || !self.digits(k) {
                // "Ortiz is 93", "Ortiz was 101", "Delgado is ninety-one"
                if k + 1 < self.n()
                    && matches!(self.lw(k).as_str(), "is" | "was")
                    && self.gap(k) == " "
                    && self.text.get(end..self.t[k].start) == Some(" ")
                {
                    if self.digits(k + 1) {
                        self.age_after_name(k + 1);
                    } else if let Some((a, b)) = self.word_age_at(k + 1) {
                        let quantity = b < self.n() && quantity_after(self.lw(b).as_str());
                        if a == k + 1 && !quantity {
                            self.push(self.t[a].start, self.t[b - 1].end, PhiType::Age, prio::AGE);
                        }
                    }
                }
                continue;
            }
            let g = self.text.get(end..self.t[k].start).unwrap_or("");
            let closes = self.gap(k);
            let appositive = g == ", "
                && (closes.starts_with([',', ';', ')']) || k + 1 >= self.n() || closes == ".");
            let parenthesised = g == " (" && closes.starts_with(')');
            if appositive || parenthesised {
                self.age_after_name(k);
            }
        }
    }

    fn age_after_name(&mut self, k: usize) {
        if let Some(v) = self.num(k) {
            if AGES.contains(&v) && self.t[k].len() <= 3 {
                self.push(self.t[k].start, self.t[k].end, PhiType::Age, prio::AGE);
            }
        }
    }
}
