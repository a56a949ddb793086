//! Number-shaped identifiers: phone and fax numbers, SSNs, dates, ZIP codes,
//! identifiers announced by a cue word (MRN, account, licence, plate, serial,
//! member id, ...), and other long identifier-shaped strings.

use super::scan::{prio, Scan};
use super::token::{ALPHA, DIGITS, HAS_DIGIT, UPPER};
use crate::dates::{self, Parse};
use crate::kind::PhiType;

/// Words that make a following `N/N` a score or a fraction rather than a date.
fn scale_word(w: &str) -> bool {
    matches!(
        w,
        "pain"
            | "strength"
            | "murmur"
            | "scale"
            | "score"
            | "reflexes"
            | "reflex"
            | "power"
            | "motor"
            | "rated"
            | "rates"
            | "grade"
            | "sensation"
            | "vision"
            | "dtr"
            | "dtrs"
            | "tab"
            | "tabs"
            | "tablet"
            | "tablets"
            | "cap"
            | "caps"
            | "puffs"
            | "ml"
            | "mg"
            | "mcg"
            | "units"
            | "strength:"
            | "systolic"
            | "diastolic"
            | "holosystolic"
            | "ratio"
            | "cog"
            | "moca"
            | "mmse"
            | "slums"
            | "phq"
            | "gad"
            | "gcs"
            | "apgar"
            | "apgars"
            | "dose"
            | "doses"
            | "bp"
    )
}

/// Units that make a preceding number a quantity, not an identifier.
pub(crate) fn unit_word(w: &str) -> bool {
    matches!(
        w,
        "mg" | "mcg"
            | "g"
            | "kg"
            | "lb"
            | "lbs"
            | "ml"
            | "l"
            | "units"
            | "unit"
            | "u"
            | "iu"
            | "meq"
            | "mmol"
            | "mmhg"
            | "cells"
            | "copies"
            | "tabs"
            | "tablets"
            | "times"
            | "x"
            | "days"
            | "weeks"
            | "hours"
            | "minutes"
            | "steps"
            | "calories"
            | "kcal"
            | "cc"
            | "mm"
            | "cm"
            | "m"
            | "ft"
            | "usd"
            | "dollars"
    )
}

/// Words before a code that is a terminology code, not an identifier.
fn code_word(w: &str) -> bool {
    matches!(
        w,
        "icd" | "icd10" | "icd9" | "cpt" | "ndc" | "loinc" | "snomed" | "rxnorm" | "hcpcs" | "drg"
    )
}

/// Identifier cue words and the kind of identifier each announces (the one
/// list: the word classes in `words.rs` are built from it).
pub(crate) const CUES: &[(&str, PhiType)] = &[
    ("mrn", PhiType::Mrn),
    ("mr", PhiType::Mrn),
    // "Pt #619458", "Patient # 12-34-56" (only with "#")
    ("pt", PhiType::Mrn),
    ("patient", PhiType::Mrn),
    // "Hospital No. 123456", "Med. Rec. No. 12-34-56", "Unit number: 123456"
    // (only before a number word or "#")
    ("hospital", PhiType::Mrn),
    ("rec", PhiType::Mrn),
    ("unit", PhiType::Mrn),
    ("medrec", PhiType::Mrn),
    ("account", PhiType::Account),
    ("acct", PhiType::Account),
    ("acc", PhiType::Account),
    ("license", PhiType::License),
    ("licence", PhiType::License),
    ("lic", PhiType::License),
    ("dl", PhiType::License),
    ("dea", PhiType::License),
    ("npi", PhiType::License),
    ("certificate", PhiType::License),
    ("cert", PhiType::License),
    ("medicare", PhiType::HealthPlan),
    ("medicaid", PhiType::HealthPlan),
    ("mbi", PhiType::HealthPlan),
    ("member", PhiType::HealthPlan),
    ("subscriber", PhiType::HealthPlan),
    ("policy", PhiType::HealthPlan),
    ("insurance", PhiType::HealthPlan),
    ("insurer", PhiType::HealthPlan),
    ("beneficiary", PhiType::HealthPlan),
    ("payer", PhiType::HealthPlan),
    ("hicn", PhiType::HealthPlan),
    ("plate", PhiType::Vehicle),
    ("vin", PhiType::Vehicle),
    ("vehicle", PhiType::Vehicle),
    ("serial", PhiType::Device),
    ("sn", PhiType::Device),
    // "S/N ABC1234567" (only after "S/")
    ("n", PhiType::Device),
    ("udi", PhiType::Device),
    ("imei", PhiType::Device),
    ("device", PhiType::Device),
    // "machine SNLRFUSSBCR5", "pump 577-GXEQGU"
    ("machine", PhiType::Device),
    ("pump", PhiType::Device),
    ("ssn", PhiType::Ssn),
    ("ss", PhiType::Ssn),
    ("zip", PhiType::Zip),
    ("zipcode", PhiType::Zip),
    ("postal", PhiType::Zip),
    ("id", PhiType::Id),
    ("identifier", PhiType::Id),
    ("accession", PhiType::Id),
    ("specimen", PhiType::Id),
    ("encounter", PhiType::Id),
    ("claim", PhiType::Id),
    ("study", PhiType::Id),
    ("subject", PhiType::Id),
    ("case", PhiType::Id),
    ("requisition", PhiType::Id),
    ("confirmation", PhiType::Id),
    ("tracking", PhiType::Id),
    ("record", PhiType::Id),
    ("chart", PhiType::Id),
    ("csn", PhiType::Id),
    ("fin", PhiType::Id),
    ("har", PhiType::Id),
    ("order", PhiType::Id),
    ("ticket", PhiType::Id),
    ("reference", PhiType::Id),
    ("ref", PhiType::Id),
    ("authorization", PhiType::Id),
    ("auth", PhiType::Id),
    ("badge", PhiType::Id),
    ("employee", PhiType::Id),
    ("voucher", PhiType::Id),
    ("invoice", PhiType::Id),
    ("transaction", PhiType::Id),
    ("receipt", PhiType::Id),
    ("pin", PhiType::Id),
    // "Event report REFYWYAK5J", "Cytopathology SP-2026-197693"
    ("report", PhiType::Id),
    ("incident", PhiType::Id),
    ("pathology", PhiType::Id),
    ("cytopathology", PhiType::Id),
];

/// The kind of identifier a cue word announces.
/// Whether digits start like a North American area code or exchange: a
/// first digit 2-9 and not "N11".
fn nanp(d: &[u8]) -> bool {
    d.len() >= 3
        && (b'2'..=b'9').contains(&d[0])
        && !(d[1] == b'1' && d[2] == b'1')
        && d.iter().all(u8::is_ascii_digit)
}

pub(crate) fn cue_kind(w: &str) -> Option<PhiType> {
    CUES.iter().find(|(c, _)| *c == w).map(|(_, k)| *k)
}

/// Filler words between a cue and its value ("MRN is", "DEA on file",
/// "Medicare ID:").
fn filler_word(w: &str) -> bool {
    matches!(
        w,
        "id" | "number"
            | "num"
            | "no"
            | "nr"
            | "nbr"
            | "is"
            | "on"
            | "file"
            | "of"
            | "was"
            | "ending"
            | "in"
            | "plate"
            | "card"
            | "the"
            | "code"
            | "identifier"
            | "registration"
            | "reg"
            | "tag"
            | "for"
            | "member"
            | "policy"
            | "serial"
            | "ids"
            | "numbers"
            | "s"
            | "n"
            | "record"
            | "security"
            | "social"
            | "and"
            | "medical"
    )
}

impl Scan<'_> {
    /// All number-led recognizers at digit token `i`.
    pub(crate) fn numeric(&mut self, i: usize) {
        let t = self.t[i];
        let prev = self.char_before(t.start);
        // Inside a decimal number or a longer numeric expression: skip.
        let after_decimal = matches!(prev, Some('.' | ','))
            && i > 0
            && self.digits(i - 1)
            && self.gap_before(i).len() == 1;
        if after_decimal {
            return;
        }
        self.phone(i);
        self.ssn(i);
        // "5/16-5/20": the second date of a range starts after a dash
        let range = prev == Some('-')
            && i > 0
            && self.gap_before(i) == "-"
            && self.b.get(self.t[i].end) == Some(&b'/')
            && self.is(i - 1, HAS_DIGIT);
        // A date needs a separator after its first number ("1/29", "2021-",
        // "29-Jan", "1.29.") or a month name or an ordinal ("29 Jan").
        let b = self.b;
        let date_shape = match b.get(t.end) {
            Some(b'/' | b'-' | b'.') => true,
            Some(b' ') => i + 1 < self.n() && self.is(i + 1, ALPHA) && self.t[i + 1].len() >= 3,
            _ => false,
        };
        // The date grammar starts with a 4-digit year or a 1-2 digit month
        // or day (so at most 31): "154/90" and "98.6" cannot start a date.
        let date_start = match t.len() {
            1 => true,
            2 => self.num(i).is_some_and(|v| v <= 31),
            4 => true,
            _ => false,
        };
        if date_start && date_shape && (!matches!(prev, Some('/' | '-' | '.')) || range) {
            self.numeric_date(i);
        }
        if t.len() <= 3 {
            self.age_number(i);
            self.age_decade_apostrophe(i);
            self.ipv4(i);
        }
        if t.len() <= 6 {
            self.street_address(i);
        }
        if t.len() == 2 && prev == Some('(') {
            self.gs1_udi(i);
        }
        if t.len() == 5 {
            self.zip(i);
        }
        if t.len() == 4 {
            self.bare_year(i);
            self.masked_ssn(i);
        }
    }

    // ---- Phone and fax -------------------------------------------------

    fn phone(&mut self, i: usize) {
        let b = self.b;
        let t = self.t[i];
        // Only a country code (1 or 3 digits), an area code or exchange (3),
        // or ten or eleven glued digits start a phone number.
        if !matches!(t.len(), 1 | 3 | 10 | 11) {
            return;
        }
        let mut start = t.start;
        let mut k = i;
        let mut country = false;
        let mut paren = false;
        // "+1 305 ..." / "1-800-..." / "001-305-..."
        if matches!(self.tok(i), "1" | "001") && matches!(self.gap(i), " " | "-" | "." | " (") {
            if self.char_before(t.start) == Some('+') {
                start -= 1;
            }
            country = true;
            k = i + 1;
            if self.gap(i) == " (" {
                paren = true;
            }
        } else if self.char_before(t.start) == Some('+') {
            // "+15135415596": the country code glued to the number
            let tok = self.tok(i).as_bytes();
            if tok.len() == 11 && tok[0] == b'1' && nanp(&tok[1..]) {
                let kind = self.phone_kind(t.start);
                self.push(t.start - 1, t.end, kind, prio::PHONE);
            }
            return; // another country code: not handled
        }
        // "6159837186" after a phone cue
        if t.len() == 10 && nanp(self.tok(i).as_bytes()) && self.phone_cue_before(t.start) {
            let glued = self.b.get(t.end).is_some_and(|c| c.is_ascii_alphanumeric());
            if !glued {
                let kind = self.phone_kind(t.start);
                self.push(t.start, t.end, kind, prio::PHONE);
                return;
            }
        }
        if k >= self.n() || !self.digits(k) || self.t[k].len() != 3 {
            return;
        }
        if self.char_before(self.t[k].start) == Some('(') && self.gap(k).starts_with(')') {
            if !country {
                start = self.t[k].start - 1;
            }
            paren = true;
        }
        // area code, exchange, line
        if k + 2 >= self.n() || !self.digits(k + 1) {
            // 7-digit local number with a phone cue: 555-1234
            return self.local_phone(i);
        }
        // The line number may carry a glued extension: "1386x211".
        let line = self.tok(k + 2);
        let glued_ext = line.len() > 5
            && line.as_bytes()[4].eq_ignore_ascii_case(&b'x')
            && line[..4].bytes().all(|c| c.is_ascii_digit())
            && line[5..].bytes().all(|c| c.is_ascii_digit())
            && line.len() <= 11;
        if self.t[k + 1].len() != 3
            || !(self.digits(k + 2) && self.t[k + 2].len() == 4 || glued_ext)
        {
            return self.local_phone(i);
        }
        let g1 = self.gap(k);
        let g2 = self.gap(k + 1);
        let sep_ok = |g: &str| matches!(g, "-" | "." | " ");
        let first_ok = if paren {
            matches!(g1, ")" | ") " | ")-")
        } else {
            // "410/257-4180": a slash after the area code, with a dash after
            sep_ok(g1) || g1 == "/" && g2 == "-"
        };
        if !first_ok || !sep_ok(g2) {
            return;
        }
        // Space-only separators need a country code, parentheses, a cue, or
        // a valid North American area code and exchange.
        if g1 == " "
            && g2 == " "
            && !country
            && !self.phone_cue_before(start)
            && !(nanp(self.tok(k).as_bytes()) && nanp(self.tok(k + 1).as_bytes()))
        {
            return;
        }
        let mut end = self.t[k + 2].end;
        // Not part of a longer digit run.
        if glued_ext {
        } else if let Some(&c) = b.get(end) {
            if c.is_ascii_alphanumeric()
                || (matches!(c, b'-' | b'.' | b'/')
                    && b.get(end + 1).is_some_and(|c| c.is_ascii_digit()))
            {
                return;
            }
        }
        // Extension: " x496", " ext. 12", " ext 12", " extension 12"
        let j = k + 3;
        if j < self.n() && matches!(self.gap(k + 2), " " | ", " | " #") {
            let w = self.lw(j);
            let tw = self.tok(j);
            if (tw.len() >= 2 && (tw.starts_with('x') || tw.starts_with('X')))
                && tw[1..].bytes().all(|c| c.is_ascii_digit())
                && tw.len() <= 7
            {
                end = self.t[j].end;
            } else if matches!(w.as_str(), "x" | "ext" | "extension")
                && j + 1 < self.n()
                && self.digits(j + 1)
                && self.t[j + 1].len() <= 6
                && matches!(self.gap(j), " " | ". " | "." | ": " | "")
            {
                end = self.t[j + 1].end;
            }
        }
        let kind = self.phone_kind(start);
        self.push(start, end, kind, prio::PHONE);
    }

    fn local_phone(&mut self, i: usize) {
        if self.t[i].len() == 3
            && self.joined(i, "-")
            && self.digits(i + 1)
            && self.t[i + 1].len() == 4
            && !matches!(self.b.get(self.t[i + 1].end), Some(b'-'))
            && self.phone_cue_before(self.t[i].start)
        {
            let kind = self.phone_kind(self.t[i].start);
            self.push(self.t[i].start, self.t[i + 1].end, kind, prio::PHONE);
        }
    }

    /// The nearest phone or fax cue within 60 bytes before `pos` on the same
    /// line: `Some(true)` for fax.
    fn nearest_cue(&self, pos: usize) -> Option<bool> {
        let mut lo = pos.saturating_sub(60);
        if let Some(nl) = self.b[lo..pos].iter().rposition(|&c| c == b'\n') {
            lo += nl + 1;
        }
        let mut k = self.token_at(pos);
        while k > 0 {
            k -= 1;
            if self.t[k].start < lo {
                break;
            }
            let w = self.lw(k);
            match w.as_str() {
                "fax" | "faxed" | "faxing" | "facsimile" => return Some(true),
                "f" if self.gap(k).starts_with(':') => return Some(true),
                "phone" | "tel" | "telephone" | "call" | "called" | "cell" | "mobile" | "ph"
                | "pager" | "voicemail" | "contact" | "home" | "work" | "text" | "phoned"
                | "reached" | "number" | "callback" => return Some(false),
                "p" | "t" | "c" | "h" | "w" | "m" if self.gap(k).starts_with(':') => {
                    return Some(false)
                }
                _ => {}
            }
        }
        None
    }

    fn phone_cue_before(&self, pos: usize) -> bool {
        // "wife's # 213 477 1802", "cell#213 477 1802"
        let hash = self.b[..pos].trim_ascii_end().ends_with(b"#");
        hash || self.nearest_cue(pos).is_some()
    }

    fn phone_kind(&self, pos: usize) -> PhiType {
        if self.nearest_cue(pos) == Some(true) {
            PhiType::Fax
        } else {
            PhiType::Phone
        }
    }

    // ---- SSN -------------------------------------------------------------

    fn ssn(&mut self, i: usize) {
        if i + 2 >= self.n() || self.t[i].len() != 3 {
            return;
        }
        if !(self.digits(i + 1) && self.digits(i + 2)) {
            return;
        }
        if self.t[i + 1].len() != 2 || self.t[i + 2].len() != 4 {
            return;
        }
        let (g1, g2) = (self.gap(i), self.gap(i + 1));
        // "123-45-6789", "123.45.6789", "123–45–6789" (en dash),
        // "123/45/6789", "123 - 45 - 6789"
        let dashed = g1 == g2 && matches!(g1, "-" | "." | "–" | "/" | " - " | " – ");
        let spaced = g1 == " " && g2 == " " && self.ssn_cue_before(i);
        if !(dashed || spaced) {
            return;
        }
        let end = self.t[i + 2].end;
        if let Some(&c) = self.b.get(end) {
            if c.is_ascii_alphanumeric()
                || (c == b'-' && self.b.get(end + 1).is_some_and(|c| c.is_ascii_digit()))
            {
                return;
            }
        }
        if matches!(self.char_before(self.t[i].start), Some('-' | '.' | '/')) {
            return;
        }
        self.push(self.t[i].start, end, PhiType::Ssn, prio::SSN);
    }

    /// The last four digits of a masked SSN: "xxx-xx-1234", "***-**-1234".
    fn masked_ssn(&mut self, i: usize) {
        let start = self.t[i].start;
        let before = &self.b[..start];
        let masked = |mask: &[u8]| {
            before.len() >= 7
                && before[before.len() - 7..]
                    .iter()
                    .zip(mask)
                    .all(|(c, m)| c.to_ascii_lowercase() == *m)
        };
        let boundary = || before.len() == 7 || !before[before.len() - 8].is_ascii_alphanumeric();
        let ends = self
            .b
            .get(self.t[i].end)
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        if before.len() >= 7 && (masked(b"xxx-xx-") || masked(b"***-**-")) && boundary() && ends {
            self.push(start, self.t[i].end, PhiType::Ssn, prio::SSN);
        }
    }

    fn ssn_cue_before(&self, i: usize) -> bool {
        (i.saturating_sub(5)..i).any(|k| {
            matches!(
                self.lw(k).as_str(),
                "ssn" | "security" | "ss" | "soc" | "sec" | "social" | "ssns"
            )
        })
    }

    // ---- Dates -----------------------------------------------------------

    /// A date starting at token `i` (a digit token or a month name).
    pub(crate) fn date_at(&mut self, i: usize) {
        let start = self.t[i].start;
        let Parse::Match(m) = dates::parse_at(self.b, start, true) else {
            return;
        };
        let j = self.token_at(m.end); // first token after the date
        let numeric_md = !m.format.has_month_name() && m.civil.year.is_none();
        if numeric_md && self.score_context(i, j) {
            return;
        }
        if m.format.has_month_name() && m.civil.year.is_none() {
            // "may 2 tabs", "March 3 times": a quantity follows.
            if j < self.n() && !self.line_break_between(j - 1, j) && unit_word(self.lw(j).as_str())
            {
                return;
            }
            // Lowercase "may"/"march" need a date-like neighbour in cased text.
            if self.cased && self.is(i, super::token::LOWER) {
                let w = self.lw(i);
                if matches!(w.as_str(), "may" | "march" | "mar") && !self.date_cue_before(i) {
                    return;
                }
            }
        }
        let end = range_end(self.b, m.end);
        self.push(start, end, PhiType::Date, prio::DATE);
    }

    fn numeric_date(&mut self, i: usize) {
        let before = self.out.len();
        self.date_at(i);
        if self.out.len() == before {
            self.misdated(i);
        }
    }

    /// A date written with a day its month does not have ("DOB: 02/30/1931",
    /// "4/31/2020"): still a date of someone's, so still masked. Only the
    /// full `M/D/YYYY` shape (slashes, a month 1–12, a day 29–31, a four-digit
    /// year) counts; the parser rejected it, so it becomes a bracket surrogate.
    fn misdated(&mut self, i: usize) {
        if i + 2 >= self.n()
            || self.gap(i) != "/"
            || self.gap(i + 1) != "/"
            || !self.digits(i + 1)
            || !self.digits(i + 2)
            || self.t[i + 2].len() != 4
        {
            return;
        }
        let (Some(m), Some(d), Some(y)) = (self.num(i), self.num(i + 1), self.num(i + 2)) else {
            return;
        };
        if (1..=12).contains(&m) && (29..=31).contains(&d) && (1900..=2100).contains(&y) {
            self.push(
                self.t[i].start,
                self.t[i + 2].end,
                PhiType::Date,
                prio::DATE,
            );
        }
    }

    /// Whether an `N/N` at tokens `i..j` sits among score or fraction words.
    fn score_context(&self, i: usize, j: usize) -> bool {
        // "Pain 6/10, improved to 2/10", "Strength 4/5 RUE, 5/5 elsewhere":
        // a score word earlier in the sentence.
        let sentence_break = |g: &str| g.contains(['.', ';', '\n']) && !g.starts_with('/');
        let mut k = i;
        for _ in 0..8 {
            if k == 0 || sentence_break(self.gap_before(k)) {
                break;
            }
            k -= 1;
            if matches!(
                self.lw(k).as_str(),
                "pain" | "strength" | "reflexes" | "score" | "scale" | "murmur" | "power"
            ) {
                return true;
            }
        }
        let clause_break = |g: &str| g.contains([';', '.', ',', '\n', '(', ')']);
        let mut k = i;
        for _ in 0..2 {
            if k == 0 || clause_break(self.gap_before(k)) {
                break;
            }
            k -= 1;
            if scale_word(self.lw(k).as_str()) {
                return true;
            }
        }
        for k in j..(j + 2).min(self.n()) {
            if clause_break(self.gap_before(k)) {
                break;
            }
            if scale_word(self.lw(k).as_str()) {
                return true;
            }
        }
        matches!(self.b.get(self.t[j - 1].end), Some(b'%'))
    }

    fn date_cue_before(&self, i: usize) -> bool {
        i > 0 && crate::wordlists::is_date_cue(self.lw(i - 1).as_str())
    }

    // ---- ZIP codes -------------------------------------------------------

    fn zip(&mut self, i: usize) {
        if i == 0
            || matches!(
                self.char_before(self.t[i].start),
                Some('-' | '.' | '/' | '#')
            )
        {
            return;
        }
        let g = self.gap_before(i);
        if !matches!(g, " " | ", " | "  ") {
            return;
        }
        // After a state, or after a city found after an address ("PO Box 5,
        // Lake Sara, 95456").
        // ("12 Oak St, Lake Sara 95456": a space will do after such a city)
        let after_city = matches!(g, ", " | " ")
            && self
                .out
                .iter()
                .rev()
                .take(4)
                .any(|c| c.kind == PhiType::City && c.end == self.t[i - 1].end);
        if !after_city && super::places::state_ends_at(self, i - 1).is_none() {
            return;
        }
        let mut end = self.t[i].end;
        if self.joined(i, "-") && self.digits(i + 1) && self.t[i + 1].len() == 4 {
            end = self.t[i + 1].end;
        }
        self.push(self.t[i].start, end, PhiType::Zip, prio::ZIP);
    }

    // ---- Identifiers announced by a cue word -----------------------------

    /// If token `i` is a cue word, captures the identifier that follows.
    pub(crate) fn cue_id(&mut self, i: usize) {
        let w = self.lw(i);
        let Some(mut kind) = cue_kind(w.as_str()) else {
            return;
        };
        let ws = w.as_str();
        // Short cues must look like abbreviations, not words.
        if matches!(
            ws,
            "mr" | "sn" | "dl" | "ss" | "fin" | "har" | "csn" | "case" | "subject"
        ) && self.cased
            && !self.is(i, UPPER)
        {
            // "Mr. Smith", "case": only the uppercase abbreviations announce ids
            if !matches!(ws, "case" | "subject") {
                return;
            }
        }
        if ws == "n" && !(i > 0 && self.gap_before(i) == "/" && self.eq(i - 1, "s")) {
            return;
        }
        if matches!(ws, "hospital" | "rec" | "unit")
            && !(self.gap(i).trim_start().starts_with('#')
                || i + 1 < self.n()
                    && matches!(
                        self.lw(i + 1).as_str(),
                        "no" | "number" | "num" | "nbr" | "nr"
                    ))
        {
            return;
        }
        if matches!(ws, "mr" | "pt" | "patient") && !self.gap(i).trim_start().starts_with('#') {
            return;
        }
        // "license plate" is a vehicle; "record" after "medical" is an MRN.
        if kind == PhiType::License && self.eq(i + 1, "plate") {
            return;
        }
        if ws == "record" && i > 0 && self.eq(i - 1, "medical") {
            kind = PhiType::Mrn;
        }
        if ws == "id" && i > 0 {
            let prev = self.lw(i - 1);
            // "Pt ID": "pt" announces only with "#", so "ID" captures it
            let hash_only = matches!(prev.as_str(), "mr" | "pt" | "patient");
            if let Some(k) = cue_kind(prev.as_str()).filter(|_| !hash_only) {
                if k != PhiType::Id {
                    return; // the earlier cue captures it
                }
            }
        }
        // Skip fillers and punctuation, staying on the line.
        let mut j = i + 1;
        let limit = self.t[i].end + 48;
        while j < self.n() && self.t[j].start < limit {
            if self.line_break_between(j - 1, j) {
                return;
            }
            let lw = self.lw(j);
            if filler_word(lw.as_str()) && !self.is(j, HAS_DIGIT) {
                // "ID" right after a cue is a filler, but a following value
                // must still come.
                j += 1;
                continue;
            }
            break;
        }
        if j >= self.n() || self.t[j].start >= limit || self.line_break_between(j - 1, j) {
            return;
        }
        let gap = self.gap_before(j);
        let odd_gap =
            gap.len() > 4 || gap.contains(['\n', '(', ')', ';', '.']) && gap.trim() != "#";
        let allowed =
            gap == ". " || gap == ": " || gap == " (" || gap == "." && kind == PhiType::Id;
        if odd_gap && !allowed {
            return;
        }
        self.id_value(j, kind);
    }

    /// A device identifier in GS1 form: "(01)00643169007222(17)250101(21)A1".
    fn gs1_udi(&mut self, i: usize) {
        let start = self.t[i].start - 1;
        let b = self.b;
        let mut p = start;
        let mut ais = 0;
        while b.get(p) == Some(&b'(') {
            let q = p + 1;
            let mut r = q;
            while r < b.len() && r - q < 4 && b[r].is_ascii_digit() {
                r += 1;
            }
            if r - q < 2 || b.get(r) != Some(&b')') {
                break;
            }
            let v = r + 1;
            let mut e = v;
            while e < b.len() && b[e].is_ascii_alphanumeric() {
                e += 1;
            }
            if e == v {
                break;
            }
            ais += 1;
            p = e;
        }
        if ais >= 2 {
            self.push(start, p, PhiType::Device, prio::CUE_ID);
        }
    }

    /// Captures an identifier value starting at token `j`.
    fn id_value(&mut self, j: usize, kind: PhiType) {
        let n = self.n();
        let start = self.t[j].start;
        let mut end = self.t[j].end;
        let mut digits = self.digit_count(j);
        let mut alnum = self.t[j].len();
        let mut k = j;
        let mut parts = 1;
        let mut spaced = false;
        while k + 1 < n && parts < 6 {
            let g = self.gap(k);
            let next_has_digit = self.is(k + 1, HAS_DIGIT);
            let short_code = self.t[k + 1].len() <= 4
                && (self.is(k + 1, UPPER) || self.is(k + 1, HAS_DIGIT) || !self.cased);
            let ok = match g {
                "-" | "/" => next_has_digit || short_code,
                // "MD.864620": letters, a dot, digits (not a decimal)
                // "988379.22": a long account number with a suffix
                "." => {
                    next_has_digit
                        && parts == 1
                        && (!self.is(k, DIGITS) || kind == PhiType::Account && self.t[k].len() >= 6)
                }
                // "O408 808 412 678": a licence written in groups
                " " if kind != PhiType::Vehicle => {
                    self.is(k + 1, DIGITS)
                        && (3..=4).contains(&self.t[k + 1].len())
                        && self.t[j].len() <= 5
                        && self.is(j, HAS_DIGIT)
                        && parts < 5
                        && !unit_word(self.lw(k + 2).as_str())
                        && !matches!(self.gap(k + 1), "/" | ":")
                        // "…347." ends a sentence; "347.5" is a decimal
                        && !(self.b.get(self.t[k + 1].end) == Some(&b'.')
                            && self
                                .b
                                .get(self.t[k + 1].end + 1)
                                .is_some_and(u8::is_ascii_alphanumeric))
                }
                " " => {
                    // "ZSJ 131", "2z 85691", "4W 6095E": short parts only.
                    kind == PhiType::Vehicle
                        && !spaced
                        && !matches!(
                            self.lw(k + 1).as_str(),
                            "per"
                                | "in"
                                | "on"
                                | "at"
                                | "to"
                                | "was"
                                | "is"
                                | "and"
                                | "or"
                                | "the"
                                | "of"
                                | "for"
                                | "from"
                                | "by"
                        )
                        && self.t[k + 1].len() <= 8
                        && self.t[k].len() <= 8
                        && (next_has_digit || short_code)
                        && parts < 3
                        && !unit_word(self.lw(k + 1).as_str())
                }
                _ => false,
            };
            if !ok {
                break;
            }
            spaced |= g == " ";
            k += 1;
            parts += 1;
            digits += self.digit_count(k);
            alnum += self.t[k].len();
            end = self.t[k].end;
        }
        let min_digits = match kind {
            PhiType::Vehicle => 1,
            PhiType::Zip => 5,
            // "PCCGKPZGZR0G" after "Device ID:": long codes need one digit
            _ if alnum >= 6 => 1,
            _ => 2,
        };
        // "HFGEKCPUEJRX" after "SN": a long code in capitals, not a word.
        let capital_code = digits == 0
            && k == j
            && self.t[j].len() >= 8
            && self.is(j, UPPER)
            && self.cased
            && self.lex_flags(j) == 0
            && matches!(kind, PhiType::Device | PhiType::Id | PhiType::License);
        if (digits < min_digits || alnum < 4) && !capital_code {
            return;
        }
        if kind == PhiType::Zip && !(digits == 5 || digits == 9) {
            return;
        }
        // Not a date or a clinical quantity.
        if let Parse::Match(m) = dates::parse_at(self.b, start, true) {
            if m.end >= end {
                return;
            }
        }
        if k + 1 < n && self.gap(k) == " " && unit_word(self.lw(k + 1).as_str()) {
            return;
        }
        self.push(start, end, kind, prio::CUE_ID);
    }

    fn digit_count(&self, i: usize) -> usize {
        if self.is(i, DIGITS) {
            return self.t[i].len();
        }
        self.tok(i).bytes().filter(|c| c.is_ascii_digit()).count()
    }

    // ---- Other identifier-shaped strings ---------------------------------

    /// A chain of alphanumeric tokens joined by hyphens, starting at token
    /// `i`, that looks like an identifier (many digits, or letters and
    /// digits mixed) and not like a quantity or a terminology code.
    pub(crate) fn id_shape(&mut self, i: usize) {
        // A short plain number not joined to more by a hyphen: no identifier.
        if self.is(i, DIGITS) && self.t[i].len() < 7 && self.b.get(self.t[i].end) != Some(&b'-') {
            return;
        }
        if i > 0 && matches!(self.gap_before(i), "-" | "/" | "." | "_") {
            return;
        }
        // "SP-2026-197693", "PA-64740363": a short prefix in capitals
        // before digits is part of the identifier
        if self.is(i, ALPHA) && !(self.is(i, UPPER) && self.t[i].len() <= 4) {
            return;
        }
        let n = self.n();
        let mut k = i;
        let mut digits = self.digit_count(i);
        let mut letters = self.t[i].len() - digits;
        while k + 1 < n && self.gap(k) == "-" && self.t[k + 1].len() <= 12 {
            k += 1;
            let d = self.digit_count(k);
            digits += d;
            letters += self.t[k].len() - d;
        }
        let alnum = digits + letters;
        let mixed = (i..=k).any(|x| self.is(x, HAS_DIGIT) && !self.is(x, DIGITS));
        let idlike = digits >= 7
            || (digits >= 4 && letters >= 1 && alnum >= 6 && mixed)
            || (digits >= 5 && letters >= 2 && alnum >= 8);
        if !idlike || (letters > digits * 2 && digits < 6) {
            return;
        }
        // "70s-80s", "2nd-3rd", "10x": numbers with a short suffix.
        let suffixed = |x: usize| {
            let t = self.tok(x);
            let d = t.bytes().take_while(|c| c.is_ascii_digit()).count();
            d > 0
                && t.len() > d
                && t.len() - d <= 2
                && t[d..].bytes().all(|c| c.is_ascii_lowercase())
        };
        if (i..=k).all(|x| self.is(x, DIGITS) || suffixed(x)) && (i..=k).any(suffixed) {
            return;
        }
        let start = self.t[i].start;
        let end = self.t[k].end;
        // A decimal or grouped number: "1234567.89", "1,234,567".
        if matches!(self.b.get(end), Some(b'.' | b','))
            && self.b.get(end + 1).is_some_and(|c| c.is_ascii_digit())
        {
            return;
        }
        if matches!(self.char_before(start), Some(',' | '.')) && i > 0 && self.digits(i - 1) {
            return;
        }
        if i > 0
            && (code_word(self.lw(i - 1).as_str()) || (i > 1 && code_word(self.lw(i - 2).as_str())))
        {
            return;
        }
        if k + 1 < n && matches!(self.gap(k), " " | "") && unit_word(self.lw(k + 1).as_str()) {
            return;
        }
        // Very long digit strings with no letters are still identifiers; very
        // long letter-heavy words with a digit or two are not.
        if letters > 0 && !self.is(i, ALPHA) && self.t[i].len() > 24 {
            return;
        }
        self.push(start, end, PhiType::Id, prio::ID);
    }
}

/// The end of a date range that starts with the date ending at `end`: a
/// dash or en dash, then a day (`March 4-6`, `Sep 12–14, 2026`) or a
/// numeric month and day (`1/14-1/17`, `3/4-3/6/2024`), then an optional
/// `, yyyy`. Returns `end` when no range follows.
pub(crate) fn range_end(b: &[u8], end: usize) -> usize {
    let mut k = end;
    if b.get(k) == Some(&b'-') {
        k += 1;
    } else if b[k..].starts_with("\u{2013}".as_bytes()) {
        k += 3;
    } else {
        return end;
    }
    let digits = |k: usize| {
        b[k..]
            .iter()
            .take(4)
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let d = digits(k);
    if !(1..=2).contains(&d) {
        return end;
    }
    k += d;
    // "-3/6" or "-3/6/2024"
    for _ in 0..2 {
        if b.get(k) == Some(&b'/') {
            let d = digits(k + 1);
            if (1..=4).contains(&d) && d != 3 {
                k += 1 + d;
                continue;
            }
        }
        break;
    }
    if b.get(k)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'/' || *c == b'-')
    {
        return end;
    }
    // ", 2026" after a day range
    if b[k..].starts_with(b", ") && digits(k + 2) == 4 {
        let y = k + 6;
        if !b.get(y).is_some_and(|c| c.is_ascii_alphanumeric()) {
            let year = &b[k + 2..y];
            if year.starts_with(b"19") || year.starts_with(b"20") {
                k = y;
            }
        }
    }
    k
}
