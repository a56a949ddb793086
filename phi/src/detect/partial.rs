//! Date elements written alone: a year ("MI in 2019", "(2005)"), a month
//! ("since March") and a day of the month ("on the 25th"). Each counts only
//! in context, and at the lowest priority, so any other reading of the same
//! words (an address number, a name like "June Carter", a full date) wins.

use super::scan::{prio, wc, Scan};
use super::token::{CAP, DIGITS, HAS_DIGIT, LOWER};
use crate::kind::PhiType;
use crate::wordlists::{is_date_cue, month_number};

/// Words before a year, month or day that make it a date element.
fn period_cue(w: &str) -> bool {
    is_date_cue(w)
        || matches!(
            w,
            "in" | "during"
                | "early"
                | "late"
                | "mid"
                | "last"
                | "this"
                | "every"
                | "around"
                | "circa"
                | "ca"
                | "spring"
                | "summer"
                | "fall"
                | "autumn"
                | "winter"
                | "year"
                | "as"
        )
}

/// Words before a four-digit number that make it a quantity, a time or a
/// code rather than a year.
fn not_year_before(w: &str) -> bool {
    matches!(
        w,
        "at" | "x"
            | "room"
            | "rm"
            | "bed"
            | "suite"
            | "ste"
            | "apt"
            | "unit"
            | "ext"
            | "extension"
            | "box"
            | "code"
            | "pin"
            | "no"
            | "number"
            | "intake"
            | "output"
            | "uop"
            | "ebl"
            | "total"
            | "net"
            | "weight"
            | "wt"
            | "plt"
            | "platelets"
            | "wbc"
            | "glucose"
            | "bnp"
            | "probnp"
            | "ldh"
            | "ck"
            | "cpk"
            | "ferritin"
            | "dimer"
            | "lipase"
            | "amylase"
            | "troponin"
            | "ast"
            | "alt"
            | "psa"
            | "afp"
            | "cea"
            | "tsh"
            | "vitamin"
            | "b12"
            | "count"
            | "cd4"
            | "load"
            | "model"
            | "version"
            | "v"
            | "page"
            | "pg"
            | "gauge"
            | "step"
            | "steps"
            | "walked"
            | "kcal"
            | "calories"
            | "fluid"
            | "restriction"
            | "bolus"
            | "icd"
            | "cpt"
            | "hcpcs"
            | "loinc"
    )
}

/// Nouns after "the 5th" that make it an ordinal, not a day of the month.
fn ordinal_noun(w: &str) -> bool {
    matches!(
        w,
        "time"
            | "times"
            | "day"
            | "week"
            | "visit"
            | "dose"
            | "floor"
            | "percentile"
            | "grade"
            | "rib"
            | "ribs"
            | "toe"
            | "finger"
            | "digit"
            | "nerve"
            | "ics"
            | "intercostal"
            | "space"
            | "vertebra"
            | "cycle"
            | "round"
            | "attempt"
            | "trimester"
            | "month"
            | "year"
            | "century"
            | "birthday"
            | "street"
            | "st"
            | "avenue"
            | "ave"
            | "line"
            | "cranial"
            | "metacarpal"
            | "metatarsal"
            | "degree"
            | "generation"
            | "lumbar"
            | "cervical"
            | "thoracic"
            | "episode"
            | "admission"
            | "fraction"
            | "place"
            | "child"
            | "pregnancy"
    )
}

impl Scan<'_> {
    /// A year alone: "in 2019", "(2005)", "2012-2014", "since 1998".
    pub(crate) fn bare_year(&mut self, i: usize) {
        if self.t[i].len() != 4 || !self.is(i, DIGITS) {
            return;
        }
        let Some(y) = self.num(i) else { return };
        if !(1900..=2099).contains(&y) {
            return;
        }
        let b = self.b;
        let (s, e) = (self.t[i].start, self.t[i].end);
        // Part of a longer number or expression: "1/2019", "3.2019", "2019:".
        if i > 0 {
            let g = self.gap_before(i);
            let glued = matches!(g, "/" | "." | ":" | "," | "-" | "+" | "x");
            let range = g == "-" && self.t[i - 1].len() == 4 && self.digits(i - 1);
            if glued && !range || g.ends_with(['$', '#']) {
                return;
            }
            if not_year_before(self.lw(i - 1).as_str()) && !g.contains(['\n', '(', ';']) {
                return;
            }
        }
        match b.get(e) {
            Some(b'%') => return,
            Some(b'/' | b':' | b'.' | b',') if b.get(e + 1).is_some_and(u8::is_ascii_digit) => {
                return
            }
            Some(b'-') if b.get(e + 1).is_some_and(u8::is_ascii_digit) => {
                let next_is_year = self.digits(i + 1) && self.t[i + 1].len() == 4;
                if !next_is_year {
                    return;
                }
            }
            _ => {}
        }
        if i + 1 < self.n() && !self.line_break_between(i, i + 1) {
            let next = self.lw(i + 1);
            if super::numbers::unit_word(next.as_str())
                || matches!(
                    next.as_str(),
                    "h" | "hr" | "hrs" | "hour" | "hours" | "min" | "mins" | "cal" | "pg" | "ng"
                )
            {
                return;
            }
        }
        self.push(s, e, PhiType::Date, prio::PARTIAL_DATE);
    }

    /// A month named alone: "since March", "in October", "early Jan".
    pub(crate) fn month_alone(&mut self, i: usize) {
        let tok = self.tok(i);
        let Some(month) = month_number(tok) else {
            return;
        };
        // "June Carter", "April Smith": a name, not a month.
        if self.cap(i + 1)
            && self.wc(i + 1) & wc::STOP == 0
            && self.gap(i) == " "
            && self.is(i + 1, CAP)
        {
            return;
        }
        let cue =
            i > 0 && period_cue(self.lw(i - 1).as_str()) && !self.line_break_between(i - 1, i);
        let lower = self.is(i, LOWER);
        let ambiguous = month == 5 || month == 3 && (lower || tok.len() == 3);
        let abbreviated = tok.len() <= 4;
        // Without a cue only a capitalised, unambiguous, full month name in
        // a text with case counts.
        let plain_month = self.cased && !lower && !ambiguous && !abbreviated;
        if !cue && !plain_month {
            return;
        }
        self.push(
            self.t[i].start,
            self.t[i].end,
            PhiType::Date,
            prio::PARTIAL_DATE,
        );
    }

    /// A day of the month alone: "on the 25th", "by the 3rd".
    pub(crate) fn day_alone(&mut self, i: usize) {
        let tok = self.tok(i);
        let d = tok.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=2).contains(&d) || tok.len() != d + 2 || !self.is(i, HAS_DIGIT) {
            return;
        }
        let suffix = tok[d..].to_ascii_lowercase();
        let Ok(day) = tok[..d].parse::<u32>() else {
            return;
        };
        let expected = match (day % 10, day / 10 == 1) {
            (1, false) => "st",
            (2, false) => "nd",
            (3, false) => "rd",
            _ => "th",
        };
        if suffix != expected || !(1..=31).contains(&day) {
            return;
        }
        // "Monday the 30th": a weekday before makes the day a date, weekday included.
        if i >= 2 && self.eq(i - 1, "the") && weekday_word(self.lw(i - 2).as_str()) {
            let start = self.t[i - 2].start;
            self.push(start, self.t[i].end, PhiType::Date, prio::PARTIAL_DATE);
            return;
        }
        // "call back before 10th", "until 3rd": a day after a word of time
        // order, without "the"
        let bare = i >= 1
            && self.gap_before(i) == " "
            && matches!(
                self.lw(i - 1).as_str(),
                "before" | "after" | "by" | "until" | "till" | "since" | "on" | "from"
            );
        let cue = i >= 2 && {
            let w = self.lw(i - 2);
            period_cue(w.as_str()) || matches!(w.as_str(), "for" | "scheduled" | "set")
        };
        if !bare && (!self.eq(i - 1, "the") || !cue) {
            return;
        }
        if i + 1 < self.n() && self.gap(i) == " " && ordinal_noun(self.lw(i + 1).as_str()) {
            return;
        }
        self.push(
            self.t[i].start,
            self.t[i].end,
            PhiType::Date,
            prio::PARTIAL_DATE,
        );
    }
}

/// Whether a lower-cased word is a weekday name or its usual abbreviation.
fn weekday_word(w: &str) -> bool {
    matches!(
        w,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "mon"
            | "tue"
            | "tues"
            | "wed"
            | "thu"
            | "thur"
            | "thurs"
            | "fri"
            | "sat"
            | "sun"
    )
}

impl Scan<'_> {
    /// The speaker of a chat or transcript line, `[10:02] Ana:` or
    /// `[10:02] ana:`: one word after a bracketed clock at the start of a
    /// line, before a colon, is a person's name unless it names a role.
    pub(crate) fn chat_speaker(&mut self, i: usize) {
        let t = self.t[i];
        if self.b.get(t.end) != Some(&b':') || i < 2 {
            return;
        }
        // "[10:02] Hunter Banks:", "[10:02] Dr. Lake:": up to three words
        let mut s = i;
        while s > 1
            && i - s < 2
            && matches!(self.gap_before(s), " " | "-" | "'" | "’" | ". ")
            && self.is(s - 1, super::token::ALPHA)
        {
            s -= 1;
        }
        // "secure msg 7/17/2017 @ 1731 - friedhelm: can u see …": a speaker
        // after a time and a dash
        let after_time = self.gap_before(s) == " - "
            && (self.digits(s - 1)
                || self.eq(s - 1, "m") && self.gap_before(s) == " - " && {
                    let g = self.gap_before(s - 1);
                    g == "." && s >= 2 && matches!(self.lw(s - 2).as_str(), "a" | "p")
                });
        if after_time {
            if (s..=i).all(|w| {
                self.is(w, super::token::ALPHA)
                    && !chat_role(self.lw(w).as_str())
                    && self.wc(w) & (wc::RELATION | wc::NOT_NAME) == 0
            }) {
                self.push(self.t[s].start, t.end, PhiType::Name, prio::NAME);
            }
            return;
        }
        if self.gap_before(s) != "] " {
            return;
        }
        // "[hh:mm] " or "[hh:mm:ss] "
        let mut k = s - 1;
        if !self.digits(k) || self.gap_before(k) != ":" || k == 0 || !self.digits(k - 1) {
            return;
        }
        k -= 1;
        if k > 0 && self.gap_before(k) == ":" && self.digits(k - 1) {
            k -= 1;
        }
        let open = self.gap_before(k);
        if !open.ends_with('[') || !(k == 0 || open.contains('\n') || open == "[") {
            return;
        }
        if (s..=i).any(|w| chat_role(self.lw(w).as_str()) || self.wc(w) & wc::RELATION != 0) {
            return;
        }
        // "front desk:", "care team:": several words need to read as a name
        if s < i
            && (s..=i).any(|w| {
                let f = self.lex_flags(w);
                f & crate::lexicon::WORD != 0
                    && f & (crate::lexicon::FIRST | crate::lexicon::LAST) == 0
                    && self.wc(w) & wc::TITLE == 0
            })
        {
            return;
        }
        // a title opening the speaker is not part of the name
        let first = if s < i && self.wc(s) & wc::TITLE != 0 {
            s + 1
        } else {
            s
        };
        if s < i && first == s && self.gap_before(s + 1) == ". " {
            return;
        }
        self.push(self.t[first].start, t.end, PhiType::Name, prio::NAME);
    }

    /// A given name after a greeting or thanks in lower-case or texting
    /// style (`thx maria`, `hi dev`): a known given name that is not an
    /// ordinary word, in a text without capitals.
    pub(crate) fn name_after_greeting(&mut self, i: usize) {
        if self.cased || i + 1 >= self.n() || self.gap(i) != " " {
            return;
        }
        if !matches!(
            self.lw(i).as_str(),
            "hi" | "hey" | "hello" | "thx" | "thanks" | "ty" | "bye" | "dear" | "love"
        ) {
            return;
        }
        let j = i + 1;
        let f = self.lex_flags(j);
        if f & crate::lexicon::FIRST == 0
            || f & crate::lexicon::WORD != 0
            || !self.is(j, super::token::ALPHA)
        {
            return;
        }
        self.push(self.t[j].start, self.t[j].end, PhiType::Name, prio::NAME);
    }
}

/// Words that name a role, not a person, as a chat speaker.
fn chat_role(w: &str) -> bool {
    matches!(
        w,
        "patient"
            | "pt"
            | "provider"
            | "doctor"
            | "dr"
            | "nurse"
            | "rn"
            | "md"
            | "np"
            | "me"
            | "you"
            | "system"
            | "bot"
            | "interpreter"
            | "admin"
            | "staff"
            | "support"
            | "agent"
            | "caller"
            | "clinician"
            | "user"
            | "guest"
            | "host"
            | "moderator"
            | "assistant"
            | "scribe"
            | "pharmacist"
            | "note"
            | "status"
            | "error"
            | "info"
            | "warning"
            | "alert"
    )
}

/// The day of a month spelled as an ordinal ("third", "twenty-first" as
/// its last word "first"); its number, or `None`.
fn ordinal_word(w: &str) -> Option<u32> {
    Some(match w {
        "first" => 1,
        "second" => 2,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        "eleventh" => 11,
        "twelfth" => 12,
        "thirteenth" => 13,
        "fourteenth" => 14,
        "fifteenth" => 15,
        "sixteenth" => 16,
        "seventeenth" => 17,
        "eighteenth" => 18,
        "nineteenth" => 19,
        "twentieth" => 20,
        "thirtieth" => 30,
        _ => return None,
    })
}

/// A number word that can be part of a spoken year ("twenty", "nineteen",
/// "seventeen", "oh", "thousand").
fn year_word(w: &str) -> bool {
    matches!(
        w,
        "one"
            | "two"
            | "three"
            | "four"
            | "five"
            | "six"
            | "seven"
            | "eight"
            | "nine"
            | "ten"
            | "eleven"
            | "twelve"
            | "thirteen"
            | "fourteen"
            | "fifteen"
            | "sixteen"
            | "seventeen"
            | "eighteen"
            | "nineteen"
            | "twenty"
            | "thirty"
            | "forty"
            | "fifty"
            | "sixty"
            | "seventy"
            | "eighty"
            | "ninety"
            | "thousand"
            | "oh"
            | "and"
    )
}

impl Scan<'_> {
    /// The end (exclusive) of a spoken day from token `i`: "third",
    /// "twenty first", "twenty-seventh", "thirty-first". `i` when none.
    fn spoken_day_end(&self, i: usize) -> usize {
        if i >= self.n() {
            return i;
        }
        let w = self.lw(i);
        if ordinal_word(w.as_str()).is_some() {
            return i + 1;
        }
        if matches!(w.as_str(), "twenty" | "thirty")
            && i + 1 < self.n()
            && matches!(self.gap(i), " " | "-")
            && ordinal_word(self.lw(i + 1).as_str()).is_some_and(|d| d < 10)
        {
            return i + 2;
        }
        i
    }

    /// The end (exclusive) of a spoken year after token `b - 1` ("twenty
    /// seventeen", "two thousand and nine", "nineteen eighty-four"): at
    /// least two number words, at most five. `b` when none.
    fn spoken_year_end(&self, b: usize) -> usize {
        let mut e = b;
        while e < self.n()
            && e - b < 5
            && matches!(self.gap(e - 1), " " | "-" | ", ")
            && (e == b || matches!(self.gap(e - 1), " " | "-"))
            && year_word(self.lw(e).as_str())
        {
            e += 1;
        }
        // a year starts with a tens word or "two thousand"; it never ends on "and"
        while e > b && self.eq(e - 1, "and") {
            e -= 1;
        }
        let starts = matches!(
            self.lw(b).as_str(),
            "twenty" | "nineteen" | "eighteen" | "two"
        );
        if e - b >= 2 && starts {
            e
        } else {
            b
        }
    }

    /// A date spoken in full, as dictation writes it: "March third",
    /// "april sixteenth twenty twenty", "tenth of november twenty
    /// seventeen", "the twenty-first of May". Called at a month name.
    pub(crate) fn spoken_date(&mut self, m: usize) {
        let lw = self.lw(m);
        if !crate::wordlists::MONTHS.contains(&lw.as_str()) {
            return;
        }
        let n = self.n();
        // "<day> of <month>"
        let mut start = None;
        if m >= 2 && self.eq(m - 1, "of") && self.gap_before(m) == " " {
            let of = m - 1;
            for back in [2, 1] {
                if of >= back && self.spoken_day_end(of - back) == of && self.gap_before(of) == " "
                {
                    start = Some(of - back);
                    break;
                }
            }
        }
        let mut end = m + 1;
        if start.is_none() {
            // "<month> <day>"
            if m + 1 >= n || self.gap(m) != " " {
                return;
            }
            let d = self.spoken_day_end(m + 1);
            if d == m + 1 {
                return;
            }
            end = d;
            start = Some(m);
        }
        let Some(start) = start else {
            return;
        };
        if end < n && matches!(self.gap(end - 1), " " | ", ") {
            end = self.spoken_year_end(end);
        }
        self.push(
            self.t[start].start,
            self.t[end - 1].end,
            PhiType::Date,
            prio::DATE,
        );
    }
}
