//! E-mail addresses, URLs (with a scheme, `www.`, or a bare domain with a
//! common top-level domain) and IPv4 addresses.

use super::scan::{prio, Scan};
use super::token::{ALPHA, DIGITS};
use crate::kind::PhiType;

/// Top-level domains that make `word.word.tld` a web address without a scheme.
const TLDS: &[&str] = &[
    "com", "org", "net", "edu", "gov", "mil", "int", "io", "us", "uk", "ca", "au", "de", "fr",
    "nl", "info", "biz", "health", "care", "co", "me", "app", "ly", "ai", "eu", "in", "nz", "ie",
    "es", "it", "ch", "se", "no", "dk", "fi", "jp", "cn", "br", "mx", "clinic", "hospital",
    "doctor",
];

fn is_local_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-' | '\'')
}

fn is_domain_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '-')
}

fn is_url_char(c: u8) -> bool {
    c >= 0x80 || c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&c)
}

/// Trims trailing punctuation that usually ends the sentence, not the URL.
fn trim_url_end(b: &[u8], start: usize, mut end: usize) -> usize {
    while end > start {
        let c = b[end - 1];
        if matches!(c, b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'"') {
            end -= 1;
        } else if c == b')' {
            // Keep a closing parenthesis only if the URL opened one.
            let opens = b[start..end].iter().filter(|&&c| c == b'(').count();
            let closes = b[start..end].iter().filter(|&&c| c == b')').count();
            if closes > opens {
                end -= 1;
            } else {
                break;
            }
        } else {
            break;
        }
    }
    end
}

impl Scan<'_> {
    /// E-mail addresses and scheme or `www.` URLs at token `i`: an `@` in
    /// the gap after it, or a token `http(s)`/`ftp` + `://`, or `www.`.
    pub(crate) fn web_at(&mut self, i: usize) {
        let t = self.t[i];
        let g = self.gap(i);
        if g.len() <= 3 && g.contains('@') {
            let at = t.end + g.find('@').unwrap_or(0);
            if let Some((s, e)) = email_at(self.text, at) {
                self.push(s, e, PhiType::Email, prio::EMAIL);
                return;
            }
        }
        let len = t.len();
        if !(3..=5).contains(&len) || !self.is(i, ALPHA) {
            return;
        }
        let b = self.b;
        let w = self.lw(i);
        let start = t.start;
        let body = match w.as_str() {
            "http" | "https" | "ftp" if b[t.end..].starts_with(b"://") => t.end + 3,
            "www"
                if b.get(t.end) == Some(&b'.')
                    && b.get(t.end + 1).is_some_and(|c| c.is_ascii_alphanumeric())
                    && (start == 0 || b[start - 1] != b'/') =>
            {
                t.end + 1
            }
            _ => return,
        };
        let mut e = body;
        while e < b.len() && is_url_char(b[e]) {
            e += 1;
        }
        let e = trim_url_end(b, start, e);
        if e > body {
            self.push(start, e, PhiType::Url, prio::URL);
        }
    }

    /// A bare domain ending at token `i` (a known top-level domain preceded
    /// by `label.`), e.g. `portal.example.org/visit`.
    pub(crate) fn bare_domain(&mut self, i: usize) {
        if i == 0 || self.gap_before(i) != "." || !self.is(i, ALPHA) {
            return;
        }
        let tld = self.lw(i);
        if !TLDS.contains(&tld.as_str()) {
            return;
        }
        // Walk back over labels joined by '.' or '-'.
        let mut s = i - 1;
        while s > 0 && matches!(self.gap_before(s), "." | "-") {
            s -= 1;
        }
        let start = self.t[s].start;
        if matches!(self.char_before(start), Some('@' | '.' | '/' | '-')) {
            return;
        }
        // At least one label with a letter, and not a decimal number.
        if (s..i).all(|k| self.is(k, DIGITS)) {
            return;
        }
        // Single-letter labels are abbreviations ("e.g.com" is not a thing).
        if (s..=i).any(|k| self.t[k].len() == 1) {
            return;
        }
        let mut end = self.t[i].end;
        if self.b.get(end) == Some(&b'/') {
            while end < self.b.len() && is_url_char(self.b[end]) {
                end += 1;
            }
            end = trim_url_end(self.b, start, end);
        }
        self.push(start, end, PhiType::Url, prio::URL);
    }

    /// An IPv4 address starting at digit token `i`.
    pub(crate) fn ipv4(&mut self, i: usize) {
        if i + 3 >= self.n()
            || self.gap(i) != "."
            || matches!(self.char_before(self.t[i].start), Some('.'))
        {
            return;
        }
        for k in i..i + 4 {
            if !self.digits(k) || self.t[k].len() > 3 || self.num(k).is_none_or(|v| v > 255) {
                return;
            }
            if k < i + 3 && self.gap(k) != "." {
                return;
            }
        }
        let end = self.t[i + 3].end;
        if let Some(&c) = self.b.get(end) {
            if c == b'.' && self.b.get(end + 1).is_some_and(|c| c.is_ascii_digit()) {
                return;
            }
        }
        self.push(self.t[i].start, end, PhiType::Ip, prio::URL);
    }
}

/// The e-mail address around the `@` at byte `at`.
fn email_at(text: &str, at: usize) -> Option<(usize, usize)> {
    let before = text.get(..at)?;
    let after = text.get(at + 1..)?;
    let mut s = at;
    for (k, c) in before.char_indices().rev() {
        if is_local_char(c) {
            s = k;
        } else {
            break;
        }
    }
    // The local part does not start or end with a dot.
    while s < at && text.as_bytes()[s] == b'.' {
        s += 1;
    }
    if s == at {
        return None;
    }
    let mut e = at + 1;
    for (k, c) in after.char_indices() {
        if is_domain_char(c) {
            e = at + 1 + k + c.len_utf8();
        } else {
            break;
        }
    }
    let b = text.as_bytes();
    while e > at + 1 && matches!(b[e - 1], b'.' | b'-') {
        e -= 1;
    }
    let domain = text.get(at + 1..e)?;
    let dot = domain.rfind('.')?;
    let tld = &domain[dot + 1..];
    if dot == 0 || tld.len() < 2 || !tld.chars().all(|c| c.is_alphabetic()) {
        return None;
    }
    Some((s, e))
}
