//! Mapping a model's reply back: surrogates (`[PATIENT_1]`) to originals and
//! shifted dates to real ones, whole or streamed.
//!
//! One left-to-right scanner serves both. At each position it tries a
//! bracket surrogate (at a `[`) or a date (at a word start); either parser
//! can answer "need more input", and then the streaming restorer holds the
//! rest back until the next chunk. The scanner looks back at most
//! [`LOOKBEHIND`] bytes (to see a word boundary or a date cue), and the
//! streaming restorer keeps that much already-processed text as context, so
//! streamed output equals whole-text output for every chunking.

use crate::dates::{self, Parse};
use crate::detect::token;
use crate::vault::SessionVault;

/// How far back the scanner looks, in bytes.
pub(crate) const LOOKBEHIND: usize = 48;

/// How much processed text the streaming restorer keeps as context.
const CONTEXT: usize = 64;

/// One thing the scanner recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Recognised {
    pub start: usize,
    pub end: usize,
    /// What restore writes instead; `None` leaves the text unchanged.
    pub replacement: Option<String>,
    /// A bracket surrogate (as opposed to a date).
    pub bracket: bool,
}

/// Parses a bracket surrogate `[LABEL_N]` or `[LABEL_N.V]` at `p`, where
/// LABEL is uppercase words joined by `_`.
fn bracket_at(b: &[u8], p: usize, eof: bool) -> Parse<usize> {
    let at = |i: usize| -> Result<u8, Parse<usize>> {
        if i - p > 48 {
            return Err(Parse::NoMatch);
        }
        match b.get(i) {
            Some(&c) => Ok(c),
            None if eof => Err(Parse::NoMatch),
            None => Err(Parse::NeedMore),
        }
    };
    let run = |mut i: usize, f: fn(u8) -> bool| -> Result<usize, Parse<usize>> {
        while f(at(i)?) {
            i += 1;
        }
        Ok(i)
    };
    let inner = || -> Result<usize, Parse<usize>> {
        let upper = |c: u8| c.is_ascii_uppercase();
        let digit = |c: u8| c.is_ascii_digit();
        let mut i = p + 1;
        if !upper(at(i)?) {
            return Err(Parse::NoMatch);
        }
        i = run(i, upper)?;
        loop {
            if at(i)? != b'_' {
                return Err(Parse::NoMatch);
            }
            i += 1;
            let c = at(i)?;
            if upper(c) {
                i = run(i, upper)?;
            } else if digit(c) {
                i = run(i, digit)?;
                break;
            } else {
                return Err(Parse::NoMatch);
            }
        }
        if at(i)? == b'.' {
            i += 1;
            if !digit(at(i)?) {
                return Err(Parse::NoMatch);
            }
            i = run(i, digit)?;
        }
        if at(i)? == b']' {
            Ok(i + 1)
        } else {
            Err(Parse::NoMatch)
        }
    };
    match inner() {
        Ok(e) => Parse::Match(e),
        Err(r) => r,
    }
}

/// Whether the word just before `p` (within the look-behind window, on the
/// same line) announces a date: "on 7/10", "since 3/4", "DOB 1/6".
fn date_cue_before(text: &str, p: usize) -> bool {
    let lo = p.saturating_sub(LOOKBEHIND);
    let Some(window) = text.get(lo..p).or_else(|| {
        // Move lo to a char boundary.
        (lo..p)
            .find(|&k| text.is_char_boundary(k))
            .and_then(|k| text.get(k..p))
    }) else {
        return false;
    };
    let window = window.rsplit('\n').next().unwrap_or("");
    let trimmed = window.trim_end_matches([' ', ':', ',']);
    if trimmed.len() == window.len() {
        return false; // no separator: the date is glued to a word
    }
    let word = trimmed
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    crate::wordlists::is_date_cue(&word)
}

fn is_alnum_at(text: &str, i: usize) -> bool {
    token::decode(text, i).is_alphanumeric()
}

/// Scans `buf[from..]`. Returns what was recognised and where scanning
/// stopped: the end of `buf`, or (when `!eof`) the start of something that
/// needs more input.
pub(crate) fn scan(
    vault: &SessionVault,
    buf: &str,
    from: usize,
    eof: bool,
) -> (Vec<Recognised>, usize) {
    let b = buf.as_bytes();
    let mut found = Vec::new();
    let mut p = from;
    while p < b.len() {
        let c = b[p];
        if c == b'[' {
            match bracket_at(b, p, eof) {
                Parse::Match(e) => {
                    let s = &buf[p..e];
                    found.push(Recognised {
                        start: p,
                        end: e,
                        replacement: vault.original_of(s).map(str::to_string),
                        bracket: true,
                    });
                    p = e;
                    continue;
                }
                Parse::NeedMore => return (found, p),
                Parse::NoMatch => {
                    p += 1;
                    continue;
                }
            }
        }
        let alnum = if c < 0x80 {
            c.is_ascii_alphanumeric()
        } else {
            is_alnum_at(buf, p)
        };
        if !alnum {
            p += token::decode(buf, p).len_utf8().max(1);
            continue;
        }
        let at_boundary = token::char_before(buf, p).is_none_or(|ch| !ch.is_alphanumeric());
        if at_boundary && c.is_ascii_alphanumeric() {
            match dates::parse_at(b, p, eof) {
                Parse::Match(m) => {
                    let s = &buf[p..m.end];
                    let replacement = match vault.original_of(s) {
                        Some(orig) => Some(orig.to_string()),
                        None => {
                            let strong = m.format.has_month_name() || m.civil.year.is_some();
                            if vault.is_pseudonymized() && (strong || date_cue_before(buf, p)) {
                                dates::shift_text(s, -vault.date_shift_days())
                            } else {
                                None
                            }
                        }
                    };
                    found.push(Recognised {
                        start: p,
                        end: m.end,
                        replacement,
                        bracket: false,
                    });
                    p = m.end;
                    continue;
                }
                Parse::NeedMore => return (found, p),
                Parse::NoMatch => {}
            }
        }
        // Skip the rest of this alphanumeric run.
        while p < b.len() {
            let c = b[p];
            let more = if c < 0x80 {
                c.is_ascii_alphanumeric()
            } else {
                is_alnum_at(buf, p)
            };
            if !more {
                break;
            }
            p += token::decode(buf, p).len_utf8().max(1);
        }
    }
    (found, b.len())
}

/// Writes `buf[from..to]` with the recognised replacements applied.
pub(crate) fn apply(buf: &str, from: usize, to: usize, found: &[Recognised], out: &mut String) {
    let mut pos = from;
    for r in found {
        if let Some(rep) = &r.replacement {
            out.push_str(&buf[pos..r.start]);
            out.push_str(rep);
            pos = r.end;
        }
    }
    out.push_str(&buf[pos..to]);
}

/// Streaming restore of one reply: feed chunks with [`StreamRestorer::push`],
/// then call [`StreamRestorer::finish`]. The concatenated outputs equal
/// [`SessionVault::restore`] of the whole reply, however it was chunked.
#[derive(Debug)]
pub struct StreamRestorer<'a> {
    vault: &'a SessionVault,
    /// Already-processed text kept as look-behind context.
    ctx: String,
    /// Unprocessed text (a possible partial surrogate or date).
    pending: String,
}

impl<'a> StreamRestorer<'a> {
    pub(crate) fn new(vault: &'a SessionVault) -> Self {
        StreamRestorer {
            vault,
            ctx: String::new(),
            pending: String::new(),
        }
    }

    /// Adds a chunk; returns the restored text that is safe to emit now.
    pub fn push(&mut self, chunk: &str) -> String {
        if !self.vault.is_pseudonymized() {
            return chunk.to_string();
        }
        self.pending.push_str(chunk);
        self.run(false)
    }

    /// Flushes whatever was held back.
    pub fn finish(mut self) -> String {
        if !self.vault.is_pseudonymized() {
            return std::mem::take(&mut self.pending);
        }
        self.run(true)
    }

    fn run(&mut self, eof: bool) -> String {
        let from = self.ctx.len();
        let mut buf = std::mem::take(&mut self.ctx);
        buf.push_str(&self.pending);
        let (found, stop) = scan(self.vault, &buf, from, eof);
        let mut out = String::with_capacity(stop - from + 16);
        apply(&buf, from, stop, &found, &mut out);
        // Keep the tail of the processed text as context.
        let mut cs = stop.saturating_sub(CONTEXT);
        while !buf.is_char_boundary(cs) {
            cs += 1;
        }
        self.ctx = buf[cs..stop].to_string();
        self.pending = buf[stop..].to_string();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracket_surrogates_parse_with_labels_numbers_and_variants() {
        for (s, ok) in [
            ("[PATIENT_1]", true),
            ("[HEALTH_PLAN_12]", true),
            ("[PATIENT_3.2]", true),
            ("[PATIENT_]", false),
            ("[patient_1]", false),
            ("[PATIENT_1.]", false),
            ("[_1]", false),
            ("[A_1_2]", false),
        ] {
            assert_eq!(
                matches!(bracket_at(s.as_bytes(), 0, true), Parse::Match(e) if e == s.len()),
                ok,
                "{s}"
            );
        }
        assert_eq!(bracket_at(b"[PATIENT_1", 0, false), Parse::NeedMore);
        assert_eq!(bracket_at(b"[PATIENT_1", 0, true), Parse::NoMatch);
    }
}
