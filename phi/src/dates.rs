//! Dates: a hand-written parser for the common written forms, a renderer that
//! reproduces a parsed form exactly, and day arithmetic for date shifting.
//!
//! Forms recognised (any case for month and weekday names, `.` after
//! abbreviations, ordinals `1st`/`2nd`, optional zero padding):
//! `1/29/21`, `01/29/2021`, `1/29`, `03/2021`, `1-29-2021`, `01.29.2021`,
//! `2021-01-29`, `2021/01/29`, `29-Jan-2021`, `29-jan-21`, `Jan 29`,
//! `Jan. 29th`, `January 29, 2021`, `Jan 29 2021`, `January 2021`,
//! `Jan-2021`, `Jan '21`, `29 January 2021`, `29th of January 2021`,
//! `29 Jan`, a weekday before a full date (`Friday, January 29, 2021`), and
//! a time after one (`2021-01-29T14:30:00Z`, `01/29/2021 14:30`,
//! `1/29/21 1430`). A bare year is not a date here (the detector finds
//! years in context on its own).
//!
//! The parser reads bytes through a cursor that notes when it wanted to look
//! past the end of the available input; with `eof == false` such a parse
//! answers [`Parse::NeedMore`], which is what lets the streaming restorer hold
//! back a date that may still be growing.

use crate::wordlists::{MONTHS, WEEKDAYS};

/// The outcome of trying to parse at a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Parse<T> {
    /// Parsed; the value.
    Match(T),
    /// Not a date here.
    NoMatch,
    /// The answer depends on input not yet seen.
    NeedMore,
}

/// A calendar value; `year` or `day` may be absent in the written form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Civil {
    pub year: Option<i32>,
    pub month: u8,
    pub day: Option<u8>,
}

/// Letter case of a written month or weekday name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Title,
    Lower,
    Upper,
}

/// One element of a written date, enough to write another date the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Literal separator bytes (at most 3).
    Lit([u8; 3], u8),
    /// Month as a number, zero-padded or not.
    MonthNum { pad: bool },
    /// Month as a word: full, 3-letter abbreviation, or `Sept`-style 4 letters.
    MonthName { len: NameLen, case: Case },
    /// Day, zero-padded or not, optionally with an ordinal suffix.
    Day { pad: bool, ordinal: Option<Case> },
    /// Year with 2 or 4 digits.
    Year { digits: u8 },
    /// The weekday of the date, as a full name or a 3-letter abbreviation
    /// (written from the date, so a shifted date gets its own weekday).
    Weekday { full: bool, case: Case },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameLen {
    Full,
    Abbr,
    Sept,
}

/// The longest time of day kept after a date (`T23:59:59.999999+05:30`).
const MAX_TIME: usize = 24;

/// How a date was written: a short sequence of parts, and a time of day
/// after it kept verbatim (shifting moves whole days, so the time stays).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Format {
    parts: [Part; 8],
    n: u8,
    time: [u8; MAX_TIME],
    time_len: u8,
}

impl Format {
    fn new() -> Self {
        Format {
            parts: [Part::Lit([0; 3], 0); 8],
            n: 0,
            time: [0; MAX_TIME],
            time_len: 0,
        }
    }
    fn push(&mut self, p: Part) {
        if (self.n as usize) < self.parts.len() {
            self.parts[self.n as usize] = p;
            self.n += 1;
        }
    }
    fn lit(&mut self, s: &[u8]) {
        let mut b = [0u8; 3];
        let k = s.len().min(3);
        b[..k].copy_from_slice(&s[..k]);
        self.push(Part::Lit(b, k as u8));
    }
    /// Whether the written form names its month with a word.
    pub(crate) fn has_month_name(&self) -> bool {
        self.parts[..self.n as usize]
            .iter()
            .any(|p| matches!(p, Part::MonthName { .. }))
    }
}

/// A parsed date: where it ends, its value and its written form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateMatch {
    pub end: usize,
    pub civil: Civil,
    pub format: Format,
}

struct Cur<'a> {
    b: &'a [u8],
    pos: usize,
    hit_end: bool,
}

impl Cur<'_> {
    fn peek(&mut self) -> Option<u8> {
        self.peek_at(0)
    }
    fn peek_at(&mut self, k: usize) -> Option<u8> {
        match self.b.get(self.pos + k) {
            Some(&c) => Some(c),
            None => {
                self.hit_end = true;
                None
            }
        }
    }
    /// Reads 1..=max ASCII digits; returns (value, count).
    fn digits(&mut self, max: usize) -> Option<(u32, usize)> {
        let mut v = 0u32;
        let mut k = 0;
        while let Some(c) = self.peek() {
            if !c.is_ascii_digit() {
                break;
            }
            if k == max {
                return None; // too many digits: not this shape
            }
            v = v * 10 + (c - b'0') as u32;
            k += 1;
            self.pos += 1;
        }
        (k > 0).then_some((v, k))
    }
    /// Reads exactly `n` ASCII digits.
    fn exact(&mut self, n: usize) -> Option<u32> {
        let save = self.pos;
        match self.digits(n) {
            Some((v, k)) if k == n => Some(v),
            _ => {
                self.pos = save;
                None
            }
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    /// Eats `s` exactly, or nothing.
    fn eat_str(&mut self, s: &[u8]) -> bool {
        for (k, &c) in s.iter().enumerate() {
            if self.peek_at(k) != Some(c) {
                return false;
            }
        }
        self.pos += s.len();
        true
    }
    /// True when the next byte does not continue a word (letter or digit).
    fn boundary(&mut self) -> bool {
        match self.peek() {
            None => true,
            Some(c) if c < 0x80 => !c.is_ascii_alphanumeric(),
            Some(_) => {
                let s = std::str::from_utf8(&self.b[self.pos..]).ok();
                match s.and_then(|s| s.chars().next()) {
                    Some(ch) => !ch.is_alphanumeric(),
                    // A split multi-byte character: treat as a letter.
                    None => {
                        self.hit_end = true;
                        false
                    }
                }
            }
        }
    }
    /// Reads a whole ASCII word of 3..=10 letters in one case style;
    /// returns it lowercased, its length and its case. Moves nothing when
    /// there is no such word.
    fn word(&mut self) -> Option<([u8; 10], usize, Case)> {
        let start = self.pos;
        let mut word = [0u8; 10];
        let mut k = 0;
        while let Some(c) = self.peek() {
            if !c.is_ascii_alphabetic() {
                break;
            }
            if k == word.len() {
                self.pos = start;
                return None;
            }
            word[k] = c;
            k += 1;
            self.pos += 1;
        }
        if k < 3 || !self.boundary() {
            self.pos = start;
            return None;
        }
        let w = &word[..k];
        let case = if w.iter().all(|c| c.is_ascii_lowercase()) {
            Case::Lower
        } else if w.iter().all(|c| c.is_ascii_uppercase()) {
            Case::Upper
        } else if w[0].is_ascii_uppercase() && w[1..].iter().all(|c| c.is_ascii_lowercase()) {
            Case::Title
        } else {
            self.pos = start;
            return None;
        };
        for c in word.iter_mut() {
            *c = c.to_ascii_lowercase();
        }
        Some((word, k, case))
    }
    /// Reads a month name; returns (month 1..=12, length style, case).
    fn month_name(&mut self) -> Option<(u8, NameLen, Case)> {
        let start = self.pos;
        let (word, k, case) = self.word()?;
        let lower = &word[..k];
        for (i, m) in MONTHS.iter().enumerate() {
            let mb = m.as_bytes();
            if lower == mb {
                return Some((i as u8 + 1, NameLen::Full, case));
            }
            if k == 3 && lower == &mb[..3] && mb.len() > 3 {
                return Some((i as u8 + 1, NameLen::Abbr, case));
            }
            if i == 8 && lower == &b"sept"[..] {
                return Some((9, NameLen::Sept, case));
            }
        }
        self.pos = start;
        None
    }
    /// Reads a weekday name or 3-letter abbreviation; returns (full, case).
    fn weekday_name(&mut self) -> Option<(bool, Case)> {
        let start = self.pos;
        let (word, k, case) = self.word()?;
        let lower = &word[..k];
        for d in WEEKDAYS {
            if lower == d.as_bytes() {
                return Some((true, case));
            }
            if k == 3 && lower == &d.as_bytes()[..3] {
                return Some((false, case));
            }
            // "Tues", "Thur", "Thurs", "Weds": read, not rewritten (the
            // renderer writes three letters, so such a date is bracketed).
            if (4..=5).contains(&k)
                && matches!(lower, b"tues" | b"thur" | b"thurs" | b"weds")
                && d.as_bytes()[..3] == lower[..3]
            {
                return Some((false, case));
            }
        }
        self.pos = start;
        None
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

/// The reference year for dates written without one (a leap year, so 2/29 is
/// valid).
const REF_YEAR: i32 = 2000;

fn valid(c: &Civil) -> bool {
    if !(1..=12).contains(&c.month) {
        return false;
    }
    if let Some(y) = c.year {
        if !(1800..=2199).contains(&y) {
            return false;
        }
    }
    match c.day {
        Some(d) => d >= 1 && d <= days_in_month(c.year.unwrap_or(REF_YEAR), c.month),
        None => true,
    }
}

fn two_digit_year(v: u32) -> i32 {
    if v < 50 {
        2000 + v as i32
    } else {
        1900 + v as i32
    }
}

fn ordinal_suffix(cur: &mut Cur<'_>) -> Option<Case> {
    let a = cur.peek()?;
    let b = cur.peek_at(1)?;
    let pair = [a.to_ascii_lowercase(), b.to_ascii_lowercase()];
    if matches!(&pair, b"st" | b"nd" | b"rd" | b"th") {
        let case = if a.is_ascii_uppercase() {
            Case::Upper
        } else {
            Case::Lower
        };
        cur.pos += 2;
        if cur.boundary() {
            return Some(case);
        }
        cur.pos -= 2;
    }
    None
}

/// Parses a date starting exactly at `start` of `b`. The caller checks that
/// `start` is at a word boundary.
pub(crate) fn parse_at(b: &[u8], start: usize, eof: bool) -> Parse<DateMatch> {
    let mut cur = Cur {
        b,
        pos: start,
        hit_end: false,
    };
    let r = parse_inner(&mut cur);
    match r {
        Some(m) if !cur.hit_end || eof => Parse::Match(m),
        None if !cur.hit_end || eof => Parse::NoMatch,
        _ => Parse::NeedMore,
    }
}

fn parse_inner(cur: &mut Cur<'_>) -> Option<DateMatch> {
    let first = cur.peek()?;
    if first.is_ascii_digit() {
        numeric_first(cur, Format::new())
    } else if first.is_ascii_alphabetic() {
        let start = cur.pos;
        if let Some(m) = weekday_first(cur) {
            return Some(m);
        }
        cur.pos = start;
        month_first(cur, Format::new())
    } else {
        None
    }
}

/// "Friday, January 29, 2021", "Tue 1/5/2021": a weekday before a date with
/// a year and a day.
fn weekday_first(cur: &mut Cur<'_>) -> Option<DateMatch> {
    let (full, case) = cur.weekday_name()?;
    let mut f = Format::new();
    f.push(Part::Weekday { full, case });
    if !full && cur.eat(b'.') {
        f.lit(b".");
    }
    if cur.eat_str(b", ") {
        f.lit(b", ");
    } else if cur.eat(b' ') {
        f.lit(b" ");
    } else {
        return None;
    }
    let next = cur.peek()?;
    let m = if next.is_ascii_digit() {
        numeric_first(cur, f)?
    } else {
        month_first(cur, f)?
    };
    // "Fri, Aug 29", "Tues 10/4": a weekday makes a day without a year a date.
    m.civil.day.is_some().then_some(m)
}

/// Ends a date: a time of day after a full date, then the end check and
/// the validity check.
fn finish(cur: &mut Cur<'_>, civil: Civil, mut format: Format) -> Option<DateMatch> {
    // a time after a full date, or after a month and day ("4/28 10:09")
    if civil.day.is_some() {
        let start = cur.pos;
        if time_after(cur) && cur.pos - start <= MAX_TIME {
            let len = cur.pos - start;
            format.time[..len].copy_from_slice(&cur.b[start..cur.pos]);
            format.time_len = len as u8;
        } else {
            cur.pos = start;
        }
    }
    if !end_ok(cur) || !valid(&civil) {
        return None;
    }
    Some(DateMatch {
        end: cur.pos,
        civil,
        format,
    })
}

/// Reads a time of day after a date: `T14:30[:05[.123]][Z|+02:00]`,
/// ` 14:30[:05]`, or ` 1430` (four digits, then the end of the clause).
fn time_after(cur: &mut Cur<'_>) -> bool {
    let clock = |cur: &mut Cur<'_>, hour_digits: usize| -> bool {
        let Some((h, _)) = cur.digits(hour_digits) else {
            return false;
        };
        if h > 23 || !cur.eat(b':') {
            return false;
        }
        match cur.exact(2) {
            Some(m) if m < 60 => {}
            _ => return false,
        }
        let save = cur.pos;
        if cur.eat(b':') {
            match cur.exact(2) {
                Some(s) if s < 60 => {
                    let save = cur.pos;
                    if !(cur.eat(b'.') && cur.digits(6).is_some()) {
                        cur.pos = save;
                    }
                }
                _ => cur.pos = save,
            }
        }
        // " am", " PM", "pm", " a.m.": a 12-hour clock
        let save = cur.pos;
        let _ = cur.eat(b' ');
        let ampm = matches!(cur.peek(), Some(b'a' | b'A' | b'p' | b'P'))
            && matches!(cur.peek_at(1), Some(b'm' | b'M'))
            && !matches!(cur.peek_at(2), Some(c) if c.is_ascii_alphanumeric());
        // "5:12a", "11:00p": a one-letter meridiem glued to the clock
        let glued = cur.pos == save
            && matches!(cur.peek(), Some(b'a' | b'A' | b'p' | b'P'))
            && !matches!(cur.peek_at(1), Some(c) if c.is_ascii_alphanumeric());
        // " a.m.", " P.M."
        let dotted = matches!(cur.peek(), Some(b'a' | b'A' | b'p' | b'P'))
            && cur.peek_at(1) == Some(b'.')
            && matches!(cur.peek_at(2), Some(b'm' | b'M'))
            && cur.peek_at(3) == Some(b'.');
        if dotted {
            cur.pos += 4;
        } else if ampm {
            cur.pos += 2;
        } else if glued {
            cur.pos += 1;
        } else {
            cur.pos = save;
        }
        true
    };
    match cur.peek() {
        // "07/21/22@1024", "10/06/21@21:31"
        Some(b'@') => {
            cur.pos += 1;
            if !matches!(cur.peek(), Some(c) if c.is_ascii_digit()) {
                return false;
            }
            let save = cur.pos;
            if clock(cur, 2) {
                return true;
            }
            cur.pos = save;
            cur.exact(4).is_some_and(|v| v / 100 <= 23 && v % 100 < 60)
                && !matches!(cur.peek(), Some(c) if c.is_ascii_alphanumeric())
        }
        Some(b'T') => {
            cur.pos += 1;
            if !matches!(cur.peek(), Some(c) if c.is_ascii_digit()) || !clock(cur, 2) {
                return false;
            }
            let save = cur.pos;
            match cur.peek() {
                Some(b'Z') => cur.pos += 1,
                Some(b'+' | b'-') => {
                    cur.pos += 1;
                    // "+05:00" or "-0700"
                    let ok = if cur.peek_at(2) == Some(b':') {
                        cur.exact(2).is_some_and(|h| h <= 14) && {
                            cur.eat(b':');
                            cur.exact(2).is_some_and(|m| m < 60)
                        }
                    } else {
                        cur.exact(4).is_some_and(|v| v / 100 <= 14 && v % 100 < 60)
                    };
                    if !ok {
                        cur.pos = save;
                    }
                }
                _ => {}
            }
            true
        }
        Some(b' ') => {
            cur.pos += 1;
            // "3/15/2024 @ 14:00" (a clock only; "at 3:15 pm" stays prose)
            let at = cur.eat_str(b"@ ");
            if at {
                if !matches!(cur.peek(), Some(c) if c.is_ascii_digit()) {
                    return false;
                }
                let save = cur.pos;
                if clock(cur, 2) {
                    return true;
                }
                // "3/2/2020 @ 0900": a 24-hour clock without its colon
                cur.pos = save;
                return cur.exact(4).is_some_and(|v| v / 100 <= 23 && v % 100 < 60)
                    && !matches!(cur.peek(), Some(c) if c.is_ascii_alphanumeric());
            }
            if !matches!(cur.peek(), Some(c) if c.is_ascii_digit()) {
                return false;
            }
            let save = cur.pos;
            if clock(cur, 2) {
                return true;
            }
            cur.pos = save;
            // "1430": only before the end of the clause, so a quantity
            // ("1/5/21 1000 mL") is not taken for a time.
            match cur.exact(4) {
                Some(v) if v / 100 <= 23 && v % 100 < 60 => {}
                _ => return false,
            }
            match cur.peek() {
                None | Some(b'\n' | b',' | b';' | b')' | b'.' | b':') => true,
                Some(b' ') => {
                    // Not a quantity: "1/5/21 1000 mL" keeps its "1000".
                    let mut w = [0u8; 8];
                    let mut k = 0;
                    while k < w.len() {
                        match cur.peek_at(1 + k) {
                            Some(c) if c.is_ascii_alphabetic() => w[k] = c.to_ascii_lowercase(),
                            _ => break,
                        }
                        k += 1;
                    }
                    let word = std::str::from_utf8(&w[..k]).unwrap_or("");
                    !matches!(cur.peek_at(1), Some(c) if c.is_ascii_digit())
                        && !crate::detect::numbers::unit_word(word)
                }
                _ => false,
            }
        }
        _ => false,
    }
}

fn numeric_first(cur: &mut Cur<'_>, mut f: Format) -> Option<DateMatch> {
    let start = cur.pos;
    let (v1, k1) = cur.digits(4)?;
    let pad1 = k1 == 2 && cur.b[start] == b'0';
    let sep = cur.peek();
    if k1 == 4 {
        // YYYY-MM-DD or YYYY/MM/DD
        let s = sep?;
        if s != b'-' && s != b'/' && s != b'.' {
            return None;
        }
        cur.pos += 1;
        let (m, km) = cur.digits(2)?;
        if !cur.eat(s) {
            // "2019-07": a year and a month (two digits, dash only).
            if s != b'-' || km != 2 {
                return None;
            }
            f.push(Part::Year { digits: 4 });
            f.lit(b"-");
            f.push(Part::MonthNum { pad: true });
            return finish(
                cur,
                Civil {
                    year: Some(v1 as i32),
                    month: m as u8,
                    day: None,
                },
                f,
            );
        }
        let (d, kd) = cur.digits(2)?;
        f.push(Part::Year { digits: 4 });
        f.lit(&[s]);
        f.push(Part::MonthNum { pad: km == 2 });
        f.lit(&[s]);
        f.push(Part::Day {
            pad: kd == 2,
            ordinal: None,
        });
        return finish(
            cur,
            Civil {
                year: Some(v1 as i32),
                month: m as u8,
                day: Some(d as u8),
            },
            f,
        );
    }
    if k1 > 2 {
        return None;
    }
    match sep {
        Some(b'.') => {
            // M.D.YYYY or MM.DD.YY: the year is required.
            cur.pos += 1;
            let s2 = cur.pos;
            let (v2, k2) = cur.digits(2)?;
            let pad2 = k2 == 2 && cur.b[s2] == b'0';
            if !cur.eat(b'.') {
                return None;
            }
            let (y, ky) = cur.digits(4)?;
            if !(ky == 4 || ky == 2 && k2 == 2) {
                return None;
            }
            // "14.08.2025": a first number over 12 is the day (day-first).
            let day_first = v1 > 12 && v2 <= 12;
            let (month, day) = if day_first { (v2, v1) } else { (v1, v2) };
            let (pad_m, pad_d) = if day_first {
                (pad2, pad1)
            } else {
                (pad1, pad2)
            };
            let mpart = Part::MonthNum { pad: pad_m };
            let dpart = Part::Day {
                pad: pad_d,
                ordinal: None,
            };
            f.push(if day_first { dpart } else { mpart });
            f.lit(b".");
            f.push(if day_first { mpart } else { dpart });
            f.lit(b".");
            f.push(Part::Year { digits: ky as u8 });
            let year = if ky == 2 { two_digit_year(y) } else { y as i32 };
            finish(
                cur,
                Civil {
                    year: Some(year),
                    month: month as u8,
                    day: Some(day as u8),
                },
                f,
            )
        }
        Some(s @ (b'/' | b'-')) => {
            cur.pos += 1;
            let next = cur.peek()?;
            if next.is_ascii_digit() {
                let s2 = cur.pos;
                let (v2, k2) = cur.digits(4)?;
                let pad2 = k2 == 2 && cur.b[s2] == b'0';
                if k2 == 4 {
                    // MM/YYYY (slash only)
                    if s != b'/' {
                        return None;
                    }
                    f.push(Part::MonthNum { pad: pad1 });
                    f.lit(b"/");
                    f.push(Part::Year { digits: 4 });
                    return finish(
                        cur,
                        Civil {
                            year: Some(v2 as i32),
                            month: v1 as u8,
                            day: None,
                        },
                        f,
                    );
                }
                if k2 > 2 {
                    return None;
                }
                f.push(Part::MonthNum { pad: pad1 });
                f.lit(&[s]);
                f.push(Part::Day {
                    pad: pad2,
                    ordinal: None,
                });
                // A year may follow.
                let save = cur.pos;
                if cur.eat(s) {
                    if let Some((y, ky)) = cur.digits(4) {
                        if ky == 2 || ky == 4 {
                            f.lit(&[s]);
                            f.push(Part::Year { digits: ky as u8 });
                            let year = if ky == 2 { two_digit_year(y) } else { y as i32 };
                            return finish(
                                cur,
                                Civil {
                                    year: Some(year),
                                    month: v1 as u8,
                                    day: Some(v2 as u8),
                                },
                                f,
                            );
                        }
                    }
                    return None; // 1/2/345 or 1/2/3x: not a date
                }
                cur.pos = save;
                if s != b'/' {
                    return None; // M-D without a year is too ambiguous
                }
                finish(
                    cur,
                    Civil {
                        year: None,
                        month: v1 as u8,
                        day: Some(v2 as u8),
                    },
                    f,
                )
            } else if s == b'-' {
                // DD-Mon-YYYY
                let (m, mut len, case) = cur.month_name()?;
                if len == NameLen::Full && m != 5 {
                    return None;
                }
                if len == NameLen::Full {
                    // "28-May" is written like "27-Jun": three letters
                    len = NameLen::Abbr;
                }
                if !cur.eat(b'-') {
                    // "27-Jun", "28-May": a day and a month.
                    if len != NameLen::Abbr && m != 5 {
                        return None;
                    }
                    f.push(Part::Day {
                        pad: pad1,
                        ordinal: None,
                    });
                    f.lit(b"-");
                    f.push(Part::MonthName { len, case });
                    return finish(
                        cur,
                        Civil {
                            year: None,
                            month: m,
                            day: Some(v1 as u8),
                        },
                        f,
                    );
                }
                let (y, ky) = cur.digits(4)?;
                if !(ky == 2 || ky == 4) {
                    return None;
                }
                f.push(Part::Day {
                    pad: pad1,
                    ordinal: None,
                });
                f.lit(b"-");
                f.push(Part::MonthName { len, case });
                f.lit(b"-");
                f.push(Part::Year { digits: ky as u8 });
                let year = if ky == 2 { two_digit_year(y) } else { y as i32 };
                finish(
                    cur,
                    Civil {
                        year: Some(year),
                        month: m,
                        day: Some(v1 as u8),
                    },
                    f,
                )
            } else {
                None
            }
        }
        _ => {
            // D[th] [of] Month [YYYY]
            let ordinal = ordinal_suffix(cur);
            if !cur.eat(b' ') {
                return None;
            }
            f.push(Part::Day { pad: pad1, ordinal });
            f.lit(b" ");
            if ordinal.is_some() && cur.eat_str(b"of ") {
                f.lit(b"of ");
            }
            let (m, len, case) = cur.month_name()?;
            f.push(Part::MonthName { len, case });
            let mut dot = false;
            if len != NameLen::Full && cur.eat(b'.') {
                dot = true;
                f.lit(b".");
            }
            let save = cur.pos;
            let saved_format = f;
            // " 2021" or ", 2021" ("the 4th of March, 2021")
            let comma = !dot && cur.peek() == Some(b',') && cur.peek_at(1) == Some(b' ');
            if comma {
                cur.pos += 1;
            }
            if cur.eat(b' ') {
                if let Some((y, 4)) = cur.digits(4) {
                    f.lit(if comma { b", " } else { b" " });
                    f.push(Part::Year { digits: 4 });
                    if let Some(m) = finish(
                        cur,
                        Civil {
                            year: Some(y as i32),
                            month: m,
                            day: Some(v1 as u8),
                        },
                        f,
                    ) {
                        return Some(m);
                    }
                }
            }
            cur.pos = save;
            let mut f = saved_format;
            if dot {
                // "3 Jan." at a sentence end: keep the dot out of the date.
                cur.pos -= 1;
                f.n -= 1;
            }
            finish(
                cur,
                Civil {
                    year: None,
                    month: m,
                    day: Some(v1 as u8),
                },
                f,
            )
        }
    }
}

fn month_first(cur: &mut Cur<'_>, mut f: Format) -> Option<DateMatch> {
    let (m, mut len, case) = cur.month_name()?;
    if m == 5 && len == NameLen::Full && cur.peek() == Some(b'-') {
        // "MAY-21" is written like "JUL-05": three letters
        len = NameLen::Abbr;
    }
    f.push(Part::MonthName { len, case });
    if (len != NameLen::Full || m == 5) && cur.peek() == Some(b'.') {
        cur.pos += 1;
        f.lit(b".");
    }
    // "Jan-2021", "Jan '21": month and year.
    if (len != NameLen::Full || m == 5) && cur.peek() == Some(b'-') {
        cur.pos += 1;
        f.lit(b"-");
        let (v, k) = cur.digits(4)?;
        if k == 2 {
            // "JUL-05", "nov-06": a month and a day (two digits).
            f.push(Part::Day {
                pad: true,
                ordinal: None,
            });
            // "Sep-17-2021", "NOV-10-2022": then a year
            if cur.peek() == Some(b'-') && cur.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
                let save = cur.pos;
                cur.pos += 1;
                if let Some((y, yk)) = cur.digits(4).filter(|&(_, yk)| yk == 4 || yk == 2) {
                    let mut fy = f;
                    fy.lit(b"-");
                    fy.push(Part::Year { digits: yk as u8 });
                    let year = if yk == 4 { y as i32 } else { two_digit_year(y) };
                    if let Some(d) = finish(
                        cur,
                        Civil {
                            year: Some(year),
                            month: m,
                            day: Some(v as u8),
                        },
                        fy,
                    ) {
                        return Some(d);
                    }
                }
                cur.pos = save;
            }
            return finish(
                cur,
                Civil {
                    year: None,
                    month: m,
                    day: Some(v as u8),
                },
                f,
            );
        }
        if k != 4 {
            return None;
        }
        let y = v;
        f.push(Part::Year { digits: 4 });
        return finish(
            cur,
            Civil {
                year: Some(y as i32),
                month: m,
                day: None,
            },
            f,
        );
    }
    if cur.eat_str(b" '") {
        let y = cur.exact(2)?;
        f.lit(b" '");
        f.push(Part::Year { digits: 2 });
        return finish(
            cur,
            Civil {
                year: Some(two_digit_year(y)),
                month: m,
                day: None,
            },
            f,
        );
    }
    // "February, 2026"
    if len == NameLen::Full && cur.peek() == Some(b',') && cur.peek_at(1) == Some(b' ') {
        let save = cur.pos;
        cur.pos += 2;
        if let Some(y) = cur.exact(4) {
            f.lit(b", ");
            f.push(Part::Year { digits: 4 });
            if let Some(d) = finish(
                cur,
                Civil {
                    year: Some(y as i32),
                    month: m,
                    day: None,
                },
                f,
            ) {
                return Some(d);
            }
        }
        cur.pos = save;
        return None;
    }
    if !cur.eat(b' ') {
        return None;
    }
    f.lit(b" ");
    // "May the 24th": the day must carry its ordinal suffix.
    if cur.eat_str(b"the ") {
        f.lit(b"the");
        f.lit(b" ");
        let ds = cur.pos;
        let (v, k) = cur.digits(2)?;
        let ordinal = Some(ordinal_suffix(cur)?);
        f.push(Part::Day {
            pad: k == 2 && cur.b[ds] == b'0',
            ordinal,
        });
        return finish(
            cur,
            Civil {
                year: None,
                month: m,
                day: Some(v as u8),
            },
            f,
        );
    }
    // "March of 2021"
    if len == NameLen::Full && cur.eat_str(b"of ") {
        let y = cur.exact(4)?;
        f.lit(b"of ");
        f.push(Part::Year { digits: 4 });
        return finish(
            cur,
            Civil {
                year: Some(y as i32),
                month: m,
                day: None,
            },
            f,
        );
    }
    let ds = cur.pos;
    let (v, k) = cur.digits(4)?;
    if k == 4 {
        // Month YYYY
        if len == NameLen::Abbr && case == Case::Lower && m == 3 {
            // "mar 2021" is more likely a typo than a date; keep it simple.
            return None;
        }
        f.push(Part::Year { digits: 4 });
        return finish(
            cur,
            Civil {
                year: Some(v as i32),
                month: m,
                day: None,
            },
            f,
        );
    }
    if k > 2 {
        return None;
    }
    let ordinal = ordinal_suffix(cur);
    if ordinal.is_none() && !cur.boundary() {
        return None;
    }
    f.push(Part::Day {
        pad: k == 2 && cur.b[ds] == b'0',
        ordinal,
    });
    let day = Some(v as u8);
    // ", YYYY" or " YYYY"
    let save = cur.pos;
    let saved_format = f;
    let mut lit: &[u8] = b"";
    if cur.eat(b',') {
        lit = b",";
    }
    if cur.eat(b' ') {
        lit = if lit.is_empty() { b" " } else { b", " };
        if cur.peek() == Some(b'\'') {
            // "Oct 3, '24"
            cur.pos += 1;
            if let Some(y) = cur.exact(2) {
                f.lit(if lit == b", " { b", '" } else { b" '" });
                f.push(Part::Year { digits: 2 });
                if let Some(m) = finish(
                    cur,
                    Civil {
                        year: Some(two_digit_year(y)),
                        month: m,
                        day,
                    },
                    f,
                ) {
                    return Some(m);
                }
            }
        } else if let Some((y, 4)) = cur.digits(4) {
            f.lit(lit);
            f.push(Part::Year { digits: 4 });
            if let Some(m) = finish(
                cur,
                Civil {
                    year: Some(y as i32),
                    month: m,
                    day,
                },
                f,
            ) {
                return Some(m);
            }
        }
    }
    cur.pos = save;
    finish(
        cur,
        Civil {
            year: None,
            month: m,
            day,
        },
        saved_format,
    )
}

/// After a date: not followed by a letter or digit, nor by a separator and a
/// digit (which would make it part of a longer number like `1/2/3/4`).
fn end_ok(cur: &mut Cur<'_>) -> bool {
    if !cur.boundary() {
        return false;
    }
    match cur.peek() {
        // "5/16-5/20": a range of two dates
        Some(b'-') if slash_date_follows(cur) || day_range_follows(cur) => true,
        Some(b'/' | b'-') => !matches!(cur.peek_at(1), Some(c) if c.is_ascii_digit()),
        Some(b'.' | b':') => !matches!(cur.peek_at(1), Some(c) if c.is_ascii_digit()),
        _ => true,
    }
}

/// Whether `-D` follows and then the end of the word (the second day of a
/// range like `March 4-6`).
fn day_range_follows(cur: &mut Cur<'_>) -> bool {
    let digit = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_digit());
    let end =
        |c: Option<u8>| !c.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'/' || c == b'-');
    digit(cur.peek_at(1)) && (end(cur.peek_at(2)) || digit(cur.peek_at(2)) && end(cur.peek_at(3)))
}

/// Whether `-M/D` follows (the second date of a range like `5/16-5/20`).
fn slash_date_follows(cur: &mut Cur<'_>) -> bool {
    let d1 = cur.peek_at(1).is_some_and(|c| c.is_ascii_digit());
    let (a, b) = (cur.peek_at(2), cur.peek_at(3));
    d1 && (a == Some(b'/') && b.is_some_and(|c| c.is_ascii_digit())
        || a.is_some_and(|c| c.is_ascii_digit())
            && b == Some(b'/')
            && cur.peek_at(4).is_some_and(|c| c.is_ascii_digit()))
}

// ---- Calendar arithmetic (proleptic Gregorian; Howard Hinnant's algorithms).

fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    (if m <= 2 { y + 1 } else { y } as i32, m, d)
}

/// Shifts a date by `days`. Dates without a day move by whole months (the
/// nearest number to `days`); dates without a year are computed in a leap
/// reference year and keep no year.
pub(crate) fn shift(c: Civil, days: i64) -> Option<Civil> {
    match (c.year, c.day) {
        (Some(y), Some(d)) => {
            let (y2, m2, d2) = civil_from_days(days_from_civil(y, c.month, d) + days);
            Some(Civil {
                year: Some(y2),
                month: m2,
                day: Some(d2),
            })
        }
        (None, Some(d)) => {
            // Day of the (leap) reference year, rotated: a bijection, so
            // shifting back always returns the original month and day.
            let base = days_from_civil(REF_YEAR, 1, 1);
            let doy = days_from_civil(REF_YEAR, c.month, d) - base;
            let (_, m2, d2) = civil_from_days(base + (doy + days).rem_euclid(366));
            Some(Civil {
                year: None,
                month: m2,
                day: Some(d2),
            })
        }
        (Some(y), None) => {
            let months = (days as f64 / 30.436_875).round() as i64;
            let total = y as i64 * 12 + (c.month as i64 - 1) + months;
            Some(Civil {
                year: Some(total.div_euclid(12) as i32),
                month: (total.rem_euclid(12) + 1) as u8,
                day: None,
            })
        }
        (None, None) => None,
    }
}

fn push_case(out: &mut String, word: &str, case: Case) {
    match case {
        Case::Lower => out.push_str(word),
        Case::Upper => out.push_str(&word.to_ascii_uppercase()),
        Case::Title => {
            let mut cs = word.chars();
            if let Some(c) = cs.next() {
                out.push(c.to_ascii_uppercase());
                out.push_str(cs.as_str());
            }
        }
    }
}

/// Writes `c` in `format`; `None` when the value cannot be written that way
/// (a year out of range, a missing component).
pub(crate) fn render(c: &Civil, format: &Format) -> Option<String> {
    let mut out = String::with_capacity(24);
    for p in &format.parts[..format.n as usize] {
        match *p {
            Part::Lit(b, k) => out.push_str(std::str::from_utf8(&b[..k as usize]).ok()?),
            Part::MonthNum { pad } => {
                if pad {
                    out.push_str(&format!("{:02}", c.month));
                } else {
                    out.push_str(&c.month.to_string());
                }
            }
            Part::MonthName { len, case } => {
                let full = MONTHS[(c.month as usize).checked_sub(1)?];
                let word = match len {
                    NameLen::Full => full,
                    NameLen::Abbr => &full[..3],
                    NameLen::Sept => {
                        if c.month == 9 {
                            "sept"
                        } else {
                            &full[..3]
                        }
                    }
                };
                push_case(&mut out, word, case);
            }
            Part::Day { pad, ordinal } => {
                let d = c.day?;
                if pad {
                    out.push_str(&format!("{d:02}"));
                } else {
                    out.push_str(&d.to_string());
                }
                if let Some(case) = ordinal {
                    let suf = match (d % 10, d / 10 == 1) {
                        (1, false) => "st",
                        (2, false) => "nd",
                        (3, false) => "rd",
                        _ => "th",
                    };
                    push_case(&mut out, suf, case);
                }
            }
            Part::Year { digits } => {
                let y = c.year?;
                if digits == 2 {
                    out.push_str(&format!("{:02}", y.rem_euclid(100)));
                } else {
                    if !(1000..=9999).contains(&y) {
                        return None;
                    }
                    out.push_str(&y.to_string());
                }
            }
            Part::Weekday { full, case } => {
                let days = days_from_civil(c.year?, c.month, c.day?);
                let name = WEEKDAYS[(days + 3).rem_euclid(7) as usize];
                push_case(&mut out, if full { name } else { &name[..3] }, case);
            }
        }
    }
    out.push_str(std::str::from_utf8(&format.time[..format.time_len as usize]).ok()?);
    Some(out)
}

/// Parses the whole of `s` as one date.
pub(crate) fn parse_exact(s: &str) -> Option<DateMatch> {
    match parse_at(s.as_bytes(), 0, true) {
        Parse::Match(m) if m.end == s.len() => Some(m),
        _ => None,
    }
}

/// Shifts the written date `s` by `days`, keeping its form; `None` when `s`
/// is not a date this module can rewrite exactly (rendering it unshifted must
/// give `s` back).
pub(crate) fn shift_text(s: &str, days: i64) -> Option<String> {
    let m = parse_exact(s)?;
    if render(&m.civil, &m.format)? != s {
        return None;
    }
    let shifted = shift(m.civil, days)?;
    let out = render(&shifted, &m.format)?;
    // Two-digit years must survive the trip back.
    let back = parse_exact(&out)?;
    if back.civil != shifted {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<(usize, Civil)> {
        match parse_at(s.as_bytes(), 0, true) {
            Parse::Match(m) => Some((m.end, m.civil)),
            _ => None,
        }
    }

    fn ymd(y: Option<i32>, m: u8, d: Option<u8>) -> Civil {
        Civil {
            year: y,
            month: m,
            day: d,
        }
    }

    #[test]
    fn common_written_forms_parse_to_their_whole_length() {
        let cases: &[(&str, Civil)] = &[
            ("1/29/21", ymd(Some(2021), 1, Some(29))),
            ("01/29/2021", ymd(Some(2021), 1, Some(29))),
            ("12/4", ymd(None, 12, Some(4))),
            ("03/2021", ymd(Some(2021), 3, None)),
            ("2023-08-31", ymd(Some(2023), 8, Some(31))),
            ("19-Dec-2022", ymd(Some(2022), 12, Some(19))),
            ("10-jan-1935", ymd(Some(1935), 1, Some(10))),
            ("Sep 14", ymd(None, 9, Some(14))),
            ("may 25", ymd(None, 5, Some(25))),
            ("December 8, 2024", ymd(Some(2024), 12, Some(8))),
            ("September 2001", ymd(Some(2001), 9, None)),
            ("Jan. 3rd", ymd(None, 1, Some(3))),
            ("3 March 2020", ymd(Some(2020), 3, Some(3))),
            ("Sept 9 2020", ymd(Some(2020), 9, Some(9))),
            ("Jan-2021", ymd(Some(2021), 1, None)),
            ("Jan '21", ymd(Some(2021), 1, None)),
            ("01.29.2021", ymd(Some(2021), 1, Some(29))),
            ("7.23.18", ymd(Some(2018), 7, Some(23))),
            ("29th of January 2021", ymd(Some(2021), 1, Some(29))),
            ("Friday, January 29, 2021", ymd(Some(2021), 1, Some(29))),
            ("Fri 1/29/2021", ymd(Some(2021), 1, Some(29))),
            ("Fri, Aug 29", ymd(None, 8, Some(29))),
            ("Tues 10/4", ymd(None, 10, Some(4))),
            ("2019.04.24", ymd(Some(2019), 4, Some(24))),
            ("2019-07", ymd(Some(2019), 7, None)),
            ("27-Jun", ymd(None, 6, Some(27))),
            ("March of 2021", ymd(Some(2021), 3, None)),
            ("2026-08-20T07:46:07-0700", ymd(Some(2026), 8, Some(20))),
            ("2021-01-29T14:30:05Z", ymd(Some(2021), 1, Some(29))),
            (
                "2021-01-29T14:30:05.123+05:30",
                ymd(Some(2021), 1, Some(29)),
            ),
            ("01/29/2021 14:30", ymd(Some(2021), 1, Some(29))),
            ("1/29/21 1430", ymd(Some(2021), 1, Some(29))),
            ("14.08.2025", ymd(Some(2025), 8, Some(14))),
            ("4th of March, 2021", ymd(Some(2021), 3, Some(4))),
            ("February, 2026", ymd(Some(2026), 2, None)),
            ("May the 24th", ymd(None, 5, Some(24))),
            ("JUL-05", ymd(None, 7, Some(5))),
            ("may-07", ymd(None, 5, Some(7))),
            ("Oct 3, '24", ymd(Some(2024), 10, Some(3))),
            ("11/28/2026 12:36 am", ymd(Some(2026), 11, Some(28))),
            ("03/10/2018 10:22 PM", ymd(Some(2018), 3, Some(10))),
            ("2/10/2016 @ 20:40", ymd(Some(2016), 2, Some(10))),
            ("3/2/2020 @ 0900", ymd(Some(2020), 3, Some(2))),
            ("June 27, 2020 9:42 p.m.", ymd(Some(2020), 6, Some(27))),
            ("Sep-17-2021", ymd(Some(2021), 9, Some(17))),
            ("NOV-10-22", ymd(Some(2022), 11, Some(10))),
            ("07/21/22@1024", ymd(Some(2022), 7, Some(21))),
            ("4/28 10:09", ymd(None, 4, Some(28))),
            ("5/12 10:50 AM", ymd(None, 5, Some(12))),
        ];
        for (s, c) in cases {
            assert_eq!(p(s), Some((s.len(), *c)), "{s}");
        }
    }

    #[test]
    fn clinical_numbers_are_not_dates() {
        for s in [
            "132/84", "2021", "55-60", "11.3", "08:00", "1/2/345", "13/45", "Mayo", "may be",
            "2/30", "7-10", "1.5", "3.14.159", "12:30:45",
        ] {
            assert_eq!(p(s), None, "{s}");
        }
    }

    #[test]
    fn a_date_that_may_still_grow_needs_more_input() {
        assert_eq!(parse_at(b"Jan 5", 0, false), Parse::NeedMore);
        assert_eq!(parse_at(b"1/29/", 0, false), Parse::NeedMore);
        assert!(matches!(parse_at(b"Jan 5 was", 0, false), Parse::Match(_)));
        assert_eq!(parse_at(b"hello there", 0, false), Parse::NoMatch);
    }

    #[test]
    fn shifting_keeps_the_written_form_and_reverses_exactly() {
        for s in [
            "1/29/21",
            "01/29/2021",
            "12/4",
            "03/2021",
            "2023-08-31",
            "19-Dec-2022",
            "10-jan-1935",
            "Sep 14",
            "December 8, 2024",
            "September 2001",
            "Jan. 3rd",
            "SEPT 9",
            "Jan-2021",
            "29th of January 2021",
            "Friday, January 29, 2021",
            "2021-01-29T14:30:05Z",
            "01/29/2021 14:30",
            "February, 2026",
            "May the 24th",
            "JUL-05",
            "MAY-21",
            "4th of March, 2021",
            "28-May",
            "Oct 3, '24",
            "11/28/2026 12:36 am",
            "2/10/2016 @ 20:40",
            "3/2/2020 @ 0900",
            "June 27, 2020 9:42 p.m.",
            "Sep-17-2021",
            "07/21/22@1024",
            "4/28 10:09",
        ] {
            for days in [-400i64, -45, 37, 200, 365] {
                let shifted = shift_text(s, days).unwrap_or_else(|| panic!("{s}"));
                assert_ne!(shifted, s);
                // The value always comes back; the exact text too unless the
                // shifted form hides whether numbers were zero-padded
                // ("12/25" could be "MM/DD" or "M/D"), which is why the vault
                // keeps a table of the dates it wrote.
                let back =
                    shift_text(&shifted, -days).unwrap_or_else(|| panic!("{s} -> {shifted}"));
                assert_eq!(
                    parse_exact(&back).unwrap().civil,
                    parse_exact(s).unwrap().civil
                );
                if !s.starts_with('0') && !s.to_lowercase().starts_with("sept") {
                    assert_eq!(back, s, "{s} {days}");
                }
            }
        }
        assert_eq!(shift_text("1/29/21", 3).as_deref(), Some("2/1/21"));
        assert_eq!(shift_text("2021-12-30", 3).as_deref(), Some("2022-01-02"));
        // The weekday is written for the shifted date; the time stays.
        assert_eq!(
            shift_text("Friday, January 29, 2021", 3).as_deref(),
            Some("Monday, February 1, 2021")
        );
        assert_eq!(
            shift_text("2021-01-29T14:30:05Z", 1).as_deref(),
            Some("2021-01-30T14:30:05Z")
        );
        // A weekday that does not fit its date is not rewritten.
        assert_eq!(shift_text("Monday, January 29, 2021", 3), None);
    }
}
