//! The tokenizer: maximal runs of alphanumeric characters, with shape flags.
//! Everything between tokens (spaces, punctuation) is read from the text by
//! the recognizers when they need it.

/// All characters are ASCII digits.
pub(crate) const DIGITS: u8 = 1;
/// All characters are letters.
pub(crate) const ALPHA: u8 = 2;
/// The first character is an uppercase letter.
pub(crate) const CAP: u8 = 4;
/// Every letter is uppercase (and there is at least one).
pub(crate) const UPPER: u8 = 8;
/// Every letter is lowercase (and there is at least one).
pub(crate) const LOWER: u8 = 16;
/// Contains a non-ASCII character.
pub(crate) const NON_ASCII: u8 = 32;
/// Contains at least one digit.
pub(crate) const HAS_DIGIT: u8 = 64;

/// One token: byte range and shape flags.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub flags: u8,
}

impl Token {
    #[cfg(test)]
    pub(crate) fn is(&self, f: u8) -> bool {
        self.flags & f == f
    }
    pub(crate) fn len(&self) -> usize {
        self.end - self.start
    }
}

/// Tokenizes `text`; also reports whether the text has both upper- and
/// lowercase letters (when it has not, capitalisation carries no signal).
pub(crate) fn tokenize(text: &str, out: &mut Vec<Token>) -> bool {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    let (mut any_upper, mut any_lower) = (false, false);
    while i < n {
        let c = b[i];
        if c < 0x80 {
            if !c.is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
        } else {
            let ch = decode(text, i);
            if !ch.is_alphanumeric() {
                i += ch.len_utf8();
                continue;
            }
        }
        // A token starts at i.
        let start = i;
        let mut digits = 0usize;
        let mut letters = 0usize;
        let mut uppers = 0usize;
        let mut lowers = 0usize;
        let mut non_ascii = false;
        let mut first_upper = false;
        while i < n {
            let c = b[i];
            if c < 0x80 {
                if c.is_ascii_digit() {
                    digits += 1;
                } else if c.is_ascii_uppercase() {
                    if i == start {
                        first_upper = true;
                    }
                    letters += 1;
                    uppers += 1;
                } else if c.is_ascii_lowercase() {
                    letters += 1;
                    lowers += 1;
                } else {
                    break;
                }
                i += 1;
            } else {
                let ch = decode(text, i);
                if !ch.is_alphanumeric() {
                    break;
                }
                non_ascii = true;
                if ch.is_numeric() {
                    digits += 1;
                } else {
                    letters += 1;
                    if ch.is_uppercase() {
                        uppers += 1;
                        if i == start {
                            first_upper = true;
                        }
                    } else if ch.is_lowercase() {
                        lowers += 1;
                    }
                }
                i += ch.len_utf8();
            }
        }
        let mut flags = 0u8;
        if letters == 0 && !non_ascii {
            flags |= DIGITS;
        }
        if digits == 0 {
            flags |= ALPHA;
        } else {
            flags |= HAS_DIGIT;
        }
        if first_upper {
            flags |= CAP;
        }
        if uppers > 0 && lowers == 0 {
            flags |= UPPER;
        }
        if lowers > 0 && uppers == 0 {
            flags |= LOWER;
        }
        if non_ascii {
            flags |= NON_ASCII;
        }
        any_upper |= uppers > 0;
        any_lower |= lowers > 0;
        out.push(Token {
            start,
            end: i,
            flags,
        });
    }
    any_upper && any_lower
}

/// The character starting at byte `i` (which must be a char boundary).
pub(crate) fn decode(text: &str, i: usize) -> char {
    text.get(i..)
        .and_then(|s| s.chars().next())
        .unwrap_or('\u{0}')
}

/// The character ending at byte `i`, if any.
pub(crate) fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_alphanumeric_runs_with_shapes() {
        let mut v = Vec::new();
        let mixed = tokenize("Mr. Mališ, MRN 123-45 x9é", &mut v);
        assert!(mixed);
        let words: Vec<&str> = v
            .iter()
            .map(|t| &"Mr. Mališ, MRN 123-45 x9é"[t.start..t.end])
            .collect();
        assert_eq!(words, ["Mr", "Mališ", "MRN", "123", "45", "x9é"]);
        assert!(v[1].is(CAP | ALPHA | NON_ASCII));
        assert!(v[2].is(UPPER | ALPHA));
        assert!(v[3].is(DIGITS));
        assert!(v[5].is(HAS_DIGIT));
        assert!(!tokenize("all lower case", &mut Vec::new()));
    }
}
