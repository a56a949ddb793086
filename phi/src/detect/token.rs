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

/// What a character contributes to its token's shape.
const SEEN_DIGIT: u8 = 1;
const SEEN_UPPER: u8 = 2;
const SEEN_LOWER: u8 = 4;
const SEEN_LETTER: u8 = 8;
const SEEN_NON_ASCII: u8 = 16;

/// Marks a byte of a multi-byte character in [`BYTE_SHAPE`]: the character
/// must be decoded to know whether it continues a token.
const MULTI_BYTE: u8 = 0x80;

/// The shape bits of each byte: 0 for an ASCII byte that ends a token,
/// [`MULTI_BYTE`] for the bytes of non-ASCII characters.
const BYTE_SHAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if b >= 0x80 {
            MULTI_BYTE
        } else if b.is_ascii_digit() {
            SEEN_DIGIT
        } else if b.is_ascii_uppercase() {
            SEEN_UPPER | SEEN_LETTER
        } else if b.is_ascii_lowercase() {
            SEEN_LOWER | SEEN_LETTER
        } else {
            0
        };
        c += 1;
    }
    t
};

/// A token's flags (but [`CAP`]) from the shape bits of its characters.
const SHAPE_FLAGS: [u8; 32] = {
    let mut t = [0u8; 32];
    let mut seen = 0;
    while seen < 32 {
        let s = seen as u8;
        let mut flags = 0u8;
        if s & (SEEN_LETTER | SEEN_NON_ASCII) == 0 {
            flags |= DIGITS;
        }
        if s & SEEN_DIGIT == 0 {
            flags |= ALPHA;
        } else {
            flags |= HAS_DIGIT;
        }
        if s & (SEEN_UPPER | SEEN_LOWER) == SEEN_UPPER {
            flags |= UPPER;
        }
        if s & (SEEN_UPPER | SEEN_LOWER) == SEEN_LOWER {
            flags |= LOWER;
        }
        if s & SEEN_NON_ASCII != 0 {
            flags |= NON_ASCII;
        }
        t[seen] = flags;
        seen += 1;
    }
    t
};

/// The shape bits of a non-ASCII alphanumeric character.
fn char_shape(ch: char) -> u8 {
    SEEN_NON_ASCII
        | if ch.is_numeric() {
            SEEN_DIGIT
        } else if ch.is_uppercase() {
            SEEN_UPPER | SEEN_LETTER
        } else if ch.is_lowercase() {
            SEEN_LOWER | SEEN_LETTER
        } else {
            SEEN_LETTER
        }
}

/// Tokenizes `text`; also reports whether the text has both upper- and
/// lowercase letters (when it has not, capitalisation carries no signal).
pub(crate) fn tokenize(text: &str, out: &mut Vec<Token>) -> bool {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    let mut all_seen = 0u8;
    while i < n {
        let start = i;
        let first = match BYTE_SHAPE[b[i] as usize] {
            0 => {
                i += 1;
                continue;
            }
            MULTI_BYTE => {
                let ch = decode(text, i);
                i += ch.len_utf8();
                if !ch.is_alphanumeric() {
                    continue;
                }
                char_shape(ch)
            }
            k => {
                i += 1;
                k
            }
        };
        let mut seen = first;
        while i < n {
            match BYTE_SHAPE[b[i] as usize] {
                0 => break,
                MULTI_BYTE => {
                    let ch = decode(text, i);
                    if !ch.is_alphanumeric() {
                        break;
                    }
                    seen |= char_shape(ch);
                    i += ch.len_utf8();
                }
                k => {
                    seen |= k;
                    i += 1;
                }
            }
        }
        all_seen |= seen;
        let cap = if first & SEEN_UPPER != 0 { CAP } else { 0 };
        out.push(Token {
            start,
            end: i,
            flags: SHAPE_FLAGS[seen as usize] | cap,
        });
    }
    all_seen & SEEN_UPPER != 0 && all_seen & SEEN_LOWER != 0
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
