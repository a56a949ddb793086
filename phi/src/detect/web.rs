//! E-mail addresses, URLs (with a scheme, `www.`, or a bare domain with a
//! common top-level domain), IPv4 addresses (with a port or a prefix length)
//! and IPv6 addresses (full, compressed, with an IPv4 tail).

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
        let gap_end = self.t.get(i + 1).map_or(self.b.len(), |n| n.start);
        let g = &self.b[t.end..gap_end];
        if g.len() <= 3 && g.contains(&b'@') {
            let at = t.end + g.iter().position(|&c| c == b'@').unwrap_or(0);
            if let Some((s, e)) = email_at(self.text, at) {
                self.push(s, e, PhiType::Email, prio::EMAIL);
                return;
            }
        }
        let len = t.len();
        if !(3..=5).contains(&len)
            || !matches!(self.b.get(t.end), Some(b':' | b'.'))
            || !self.is(i, ALPHA)
        {
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
        let mut end = self.t[i + 3].end;
        if let Some(&c) = self.b.get(end) {
            if c == b'.' && self.b.get(end + 1).is_some_and(|c| c.is_ascii_digit()) {
                return;
            }
        }
        // A port ("10.0.0.5:8080") or a prefix length ("10.0.0.0/24").
        let j = i + 4;
        if j < self.n() && self.digits(j) {
            let v = self.num(j).unwrap_or(u32::MAX);
            let ok = match self.gap(i + 3) {
                ":" => self.t[j].len() <= 5 && v <= 65_535,
                "/" => self.t[j].len() <= 2 && v <= 32,
                _ => false,
            };
            let e = self.t[j].end;
            let more = matches!(self.b.get(e), Some(b'.' | b'/' | b':'))
                && self.b.get(e + 1).is_some_and(u8::is_ascii_digit);
            if ok && !more {
                end = self.t[j].end;
            }
        }
        self.push(self.t[i].start, end, PhiType::Ip, prio::URL);
    }

    /// An IPv6 address starting at token `i` (or at the `::` before it).
    pub(crate) fn ipv6_at(&mut self, i: usize) {
        let b = self.b;
        let mut start = self.t[i].start;
        if self.gap_before(i).ends_with("::") {
            start -= 2;
        }
        if start > 0 {
            let c = b[start - 1];
            if c.is_ascii_alphanumeric() || c == b':' || c == b'.' {
                return;
            }
        }
        if let Some(end) = ipv6_end(b, start) {
            self.push(start, end, PhiType::Ip, prio::URL);
        }
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

/// The end of an IPv6 address starting at byte `start`, if one starts
/// there: hexadecimal groups of 1 to 4 digits joined by `:`, eight of them,
/// or fewer with one `::`; the last two may be an IPv4 address
/// (`::ffff:192.0.2.1`).
pub(crate) fn ipv6_end(b: &[u8], start: usize) -> Option<usize> {
    let mut p = start;
    let mut groups = 0usize;
    let mut compressed = false;
    let mut letters = false;
    let mut end = start;
    if b[p..].starts_with(b"::") {
        compressed = true;
        p += 2;
        end = p;
    }
    loop {
        // One group, or an IPv4 tail.
        let g0 = p;
        let mut group_letters = false;
        while p < b.len() && p - g0 < 5 && b[p].is_ascii_hexdigit() {
            group_letters |= b[p].is_ascii_alphabetic();
            p += 1;
        }
        letters |= group_letters;
        let glen = p - g0;
        if glen == 0 {
            break;
        }
        if b.get(p) == Some(&b'.')
            && b.get(p + 1).is_some_and(u8::is_ascii_digit)
            && glen <= 3
            && !group_letters
        {
            // IPv4 tail: d.d.d.d
            let mut q = g0;
            let mut parts = 0;
            loop {
                let d0 = q;
                let mut v = 0u32;
                while q < b.len() && q - d0 < 3 && b[q].is_ascii_digit() {
                    v = v * 10 + (b[q] - b'0') as u32;
                    q += 1;
                }
                if q == d0 || v > 255 {
                    return None;
                }
                parts += 1;
                if parts == 4 {
                    break;
                }
                if b.get(q) != Some(&b'.') {
                    return None;
                }
                q += 1;
            }
            groups += 2;
            end = q;
            break;
        }
        if glen > 4 {
            return None;
        }
        groups += 1;
        end = p;
        if b[p..].starts_with(b"::") {
            if compressed {
                return None;
            }
            compressed = true;
            p += 2;
            end = p;
            continue;
        }
        if b.get(p) == Some(&b':') && b.get(p + 1).is_some_and(u8::is_ascii_hexdigit) {
            p += 1;
            continue;
        }
        break;
    }
    // Not followed by more of a word.
    if b.get(end)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    {
        return None;
    }
    let ok = if compressed {
        groups <= 7 && (groups >= 2 || groups >= 1 && (letters || b[start..].starts_with(b"::")))
    } else {
        groups == 8
    };
    if !ok {
        return None;
    }
    // A zone id ("fe80::1%eth0") and a prefix length ("2001:db8::/48").
    if b.get(end) == Some(&b'%') {
        let z = end + 1;
        let mut q = z;
        while q < b.len() && q - z < 16 && (b[q].is_ascii_alphanumeric() || b[q] == b'_') {
            q += 1;
        }
        if q > z {
            end = q;
        }
    }
    if b.get(end) == Some(&b'/') {
        let d = end + 1;
        let mut q = d;
        let mut v = 0u32;
        while q < b.len() && q - d < 3 && b[q].is_ascii_digit() {
            v = v * 10 + u32::from(b[q] - b'0');
            q += 1;
        }
        if q > d && v <= 128 && !b.get(q).is_some_and(|c| c.is_ascii_alphanumeric()) {
            end = q;
        }
    }
    Some(end)
}
