//! The scanning context shared by the recognizers: the token list, helpers to
//! read tokens and the gaps between them, and the candidate list.

use super::token::{self, Token, ALPHA, CAP, DIGITS, NON_ASCII};
use crate::kind::{NameRole, PhiType};
use crate::lexicon::{self, Lexicon};
use std::cell::Cell;
use std::sync::Arc;

/// Candidate priorities: on overlap, the higher wins, then the longer.
pub(crate) mod prio {
    pub const KNOWN: u8 = 100;
    pub const EMAIL: u8 = 95;
    pub const URL: u8 = 90;
    pub const SSN: u8 = 85;
    pub const PHONE: u8 = 85;
    pub const CUE_ID: u8 = 80;
    pub const DATE: u8 = 70;
    pub const ADDRESS: u8 = 65;
    pub const HOSPITAL: u8 = 60;
    pub const AGE: u8 = 58;
    pub const ZIP: u8 = 55;
    pub const CITY: u8 = 50;
    pub const NAME: u8 = 45;
    /// A known place name after a place cue: a name reading of the same
    /// words wins ("from theodore ortiz").
    pub const GAZETTEER_CITY: u8 = 44;
    pub const ID: u8 = 30;
    /// A year, month or day written alone: any other reading wins.
    pub const PARTIAL_DATE: u8 = 20;
}

/// A known person a detection refers to: their role and full name (the key
/// that keeps one surrogate per person).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Person {
    /// `None` for a name known without a role (surrogates `[PERSON_n]`).
    pub role: Option<NameRole>,
    pub full: Arc<str>,
}

/// A candidate detection before overlaps are resolved.
#[derive(Debug, Clone)]
pub(crate) struct Cand {
    pub start: usize,
    pub end: usize,
    pub kind: PhiType,
    pub prio: u8,
    pub person: Option<Person>,
}

/// One scan over one text.
pub(crate) struct Scan<'a> {
    pub text: &'a str,
    /// `text` with ASCII letters lowercased (same byte offsets).
    lower: &'a str,
    pub b: &'a [u8],
    pub t: &'a [Token],
    /// Whether capitalisation carries signal (the text has both cases).
    pub cased: bool,
    pub lex: &'static Lexicon,
    pub out: &'a mut Vec<Cand>,
    /// Per-token memo: dictionary flags, name-token tests, word class.
    memo: &'a [Cell<u64>],
    /// The name-list pass's working lists.
    pub(crate) lists: &'a mut NameLists,
}

/// The working lists of the name-list pass (`Scan::name_lists`), reused
/// from call to call.
#[derive(Default)]
pub(crate) struct NameLists {
    pub starts: PosSet,
    pub ends: PosSet,
    pub items: Vec<(usize, usize)>,
    pub done: Vec<bool>,
}

/// Working buffers of one scan, kept per thread between scans
/// ([`with_scratch`]).
#[derive(Default)]
pub(crate) struct Scratch {
    toks: Vec<Token>,
    lower: String,
    memo: Vec<Cell<u64>>,
    lists: NameLists,
    /// The candidates, then the resolved detections, of one call.
    pub(crate) cands: Vec<Cand>,
    /// The working lists of `resolve`.
    pub(crate) clusters: super::ClusterBufs,
}

/// Buffers larger than this many tokens are freed after a scan rather than
/// kept for the next one (a 32 MB text must not pin its buffers for good).
const KEEP_TOKENS: usize = 64 * 1024;

impl Scratch {
    /// Empties the buffers and readies them for `text`: the token list
    /// empty, the lowercase copy filled, and a cleared memo of one cell per
    /// token (sized by [`Scan::new`]).
    #[allow(clippy::type_complexity)]
    pub(crate) fn fill(
        &mut self,
        text: &str,
    ) -> (&mut Vec<Token>, &str, &mut Vec<Cell<u64>>, &mut NameLists) {
        self.toks.clear();
        self.lower.clear();
        self.lower.push_str(text);
        self.lower.make_ascii_lowercase();
        self.memo.clear();
        (&mut self.toks, &self.lower, &mut self.memo, &mut self.lists)
    }

    fn shrink(&mut self) {
        if self.toks.capacity() > KEEP_TOKENS || self.cands.capacity() > KEEP_TOKENS {
            *self = Scratch::default();
        }
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Runs `f` with this thread's scratch buffers (fresh ones if they are in
/// use further up the stack).
pub(crate) fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            let r = f(&mut scratch);
            scratch.shrink();
            r
        }
        Err(_) => f(&mut Scratch::default()),
    })
}

/// A set of byte offsets kept sorted (the name-list pass's few name
/// starts and ends): no hashing, one allocation.
#[derive(Default)]
pub(crate) struct PosSet(Vec<usize>);

impl PosSet {
    pub(crate) fn insert(&mut self, pos: usize) {
        if let Err(k) = self.0.binary_search(&pos) {
            self.0.insert(k, pos);
        }
    }

    pub(crate) fn contains(&self, pos: &usize) -> bool {
        self.0.binary_search(pos).is_ok()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
}

/// A short list of token indices (a name's words), kept inline up to
/// eight: no allocation in the usual case. Reads as a slice.
pub(crate) enum Indices {
    Inline { buf: [usize; 8], len: usize },
    Heap(Vec<usize>),
}

impl FromIterator<usize> for Indices {
    fn from_iter<I: IntoIterator<Item = usize>>(iter: I) -> Self {
        let mut buf = [0; 8];
        let mut len = 0;
        let mut iter = iter.into_iter();
        while let Some(k) = iter.next() {
            if len == buf.len() {
                let mut v = buf.to_vec();
                v.push(k);
                v.extend(iter);
                return Indices::Heap(v);
            }
            buf[len] = k;
            len += 1;
        }
        Indices::Inline { buf, len }
    }
}

impl std::ops::Deref for Indices {
    type Target = [usize];
    fn deref(&self) -> &[usize] {
        match self {
            Indices::Inline { buf, len } => &buf[..*len],
            Indices::Heap(v) => v,
        }
    }
}

/// Word classes (see [`Scan::wc`]): which special word lists a token is in.
pub(crate) mod wc {
    /// Never part of a name (function words, months, clinical words...).
    pub const STOP: u32 = 1;
    /// A title ("Dr", "Mrs").
    pub const TITLE: u32 = 1 << 1;
    /// A role label ("Attending", "Name").
    pub const ROLE: u32 = 1 << 2;
    /// A relation ("wife", "nephew").
    pub const RELATION: u32 = 1 << 3;
    /// A credential ("MD", "NP").
    pub const CREDENTIAL: u32 = 1 << 4;
    /// A medical department ("Cardiology").
    pub const DEPARTMENT: u32 = 1 << 5;
    /// A US state name or the second word of one ("Dakota").
    pub const STATE: u32 = 1 << 6;
    /// "in", "from", "to", "near", "at", "of": may precede a city.
    pub const CITY_CUE: u32 = 1 << 7;
    /// An identifier cue word ("MRN", "account").
    pub const CUE_ID: u32 = 1 << 8;
    /// A facility word ("Hospital", "Medical").
    pub const FACILITY: u32 = 1 << 9;
    /// A municipal service word ("Fire", "County").
    pub const SERVICE: u32 = 1 << 10;
    /// A medicine's one-word name ("Keppra", "metoprolol"; `data/drugs.txt`).
    pub const DRUG: u32 = 1 << 11;
    /// The word lists proper: every class above (the bits below are hints
    /// for the name pass, not lists a word is excluded or cued by).
    pub const LISTED: u32 = (1 << 12) - 1;
    /// A word the name pass's cue before a run tests by its spelling
    /// ("called", "by", "spoke", "thanks"; `Scan::cue_before_uncached`).
    pub const CUE_BEFORE: u32 = 1 << 12;
    /// Any of the classes that keep a token out of a name.
    pub const NOT_NAME: u32 = STOP | TITLE | ROLE | RELATION | CREDENTIAL | DEPARTMENT | DRUG;
}

/// Memo bits: the low 8 bits hold the dictionary flags once `LEX_DONE` is
/// set; the name-token tests each have a "done" and a "value" bit.
const LEX_DONE: u64 = 1 << 8;
pub(crate) const NAME_DONE: u64 = 1 << 9;
pub(crate) const NAME_YES: u64 = 1 << 10;
pub(crate) const LOOSE_DONE: u64 = 1 << 11;
pub(crate) const LOOSE_YES: u64 = 1 << 12;
const CLASS_DONE: u64 = 1 << 13;
/// The name pass's cue before a token, once computed: done, weak, strong.
pub(crate) const CUE_DONE: u64 = 1 << 14;
pub(crate) const CUE_WEAK: u64 = 1 << 15;
pub(crate) const CUE_STRONG: u64 = 1 << 16;
/// The name runs from a token (see `Scan::memo_run`): the loose run's
/// length in bits 19-22 (0: not yet known), the strict run's in 23-26.
pub(crate) const RUN_LOOSE_SHIFT: u32 = 19;
pub(crate) const RUN_STRICT_SHIFT: u32 = 23;
/// The token's gazetteer bits, set with its dictionary flags.
const PLACE_START: u64 = 1 << 17;
const PLACE: u64 = 1 << 18;
/// The token is a month or weekday (see `Scan::date_word`).
const DATE_WORD: u64 = 1 << 27;
/// The name pass's cue after a run ending before a token, once computed:
/// done, weak, strong.
pub(crate) const AFTER_DONE: u64 = 1 << 28;
pub(crate) const AFTER_WEAK: u64 = 1 << 29;
pub(crate) const AFTER_STRONG: u64 = 1 << 30;
/// [`names`](super::names) `unknown_word` test on a token, once computed
/// (the class bits above 32 use 13 of their 32).
pub(crate) const UNKNOWN_DONE: u64 = 1 << 31;
pub(crate) const UNKNOWN_YES: u64 = 1 << 60;
const CLASS_SHIFT: u32 = 32;

/// The lowercase text of a token (ASCII letters lowercased; other
/// characters as written), borrowed from the text's lowercase copy.
pub(crate) struct Lw<'a>(&'a str);

impl Lw<'_> {
    pub(crate) fn as_str(&self) -> &str {
        self.0
    }
}

impl<'a> Scan<'a> {
    /// A scan of `text` (tokens `t`, lowercase copy `lower`); `memo` is
    /// resized to one cleared cell per token.
    pub(crate) fn new(
        text: &'a str,
        lower: &'a str,
        t: &'a [Token],
        cased: bool,
        memo: &'a mut Vec<Cell<u64>>,
        lists: &'a mut NameLists,
        out: &'a mut Vec<Cand>,
    ) -> Self {
        memo.clear();
        memo.resize(t.len(), Cell::new(0));
        Scan {
            text,
            lower,
            b: text.as_bytes(),
            t,
            cased,
            lex: lexicon::lexicon(),
            out,
            memo,
            lists,
        }
    }

    /// Number of tokens.
    pub(crate) fn n(&self) -> usize {
        self.t.len()
    }

    /// The text of token `i`, or "" past the end.
    pub(crate) fn tok(&self, i: usize) -> &'a str {
        let Some(t) = self.t.get(i) else {
            return "";
        };
        self.text.get(t.start..t.end).unwrap_or("")
    }

    /// Token `i`'s flags, or 0 past the end.
    pub(crate) fn fl(&self, i: usize) -> u8 {
        self.t.get(i).map_or(0, |t| t.flags)
    }

    pub(crate) fn is(&self, i: usize, f: u8) -> bool {
        self.fl(i) & f == f && i < self.n()
    }

    /// Lowercase of token `i` (empty past the end).
    pub(crate) fn lw(&self, i: usize) -> Lw<'a> {
        Lw(self
            .t
            .get(i)
            .and_then(|t| self.lower.get(t.start..t.end))
            .unwrap_or(""))
    }

    /// Whether token `i` equals `w` (lowercase ASCII) ignoring case.
    pub(crate) fn eq(&self, i: usize, w: &str) -> bool {
        i < self.n() && self.tok(i).eq_ignore_ascii_case(w)
    }

    /// The text between token `i` and token `i + 1` (to the end of the text
    /// after the last token).
    pub(crate) fn gap(&self, i: usize) -> &'a str {
        let s = self.t[i].end;
        let e = self.t.get(i + 1).map_or(self.b.len(), |t| t.start);
        self.text.get(s..e).unwrap_or("")
    }

    /// The text between token `i - 1` and token `i` (from the start of the
    /// text before the first token).
    pub(crate) fn gap_before(&self, i: usize) -> &'a str {
        let e = self.t[i].start;
        let s = if i == 0 { 0 } else { self.t[i - 1].end };
        self.text.get(s..e).unwrap_or("")
    }

    /// Whether tokens `i` and `i + 1` are separated by exactly `sep`.
    pub(crate) fn joined(&self, i: usize, sep: &str) -> bool {
        i + 1 < self.n() && self.gap(i) == sep
    }

    /// Flags from the name and word dictionary for token `i`.
    #[inline]
    pub(crate) fn lex_flags(&self, i: usize) -> u8 {
        // Most calls find the flags memoised (a token past 40 bytes may be
        // too: with flags 0, as the lexicon has no such word).
        if let Some(cell) = self.memo.get(i) {
            let m = cell.get();
            if m & LEX_DONE != 0 {
                return m as u8;
            }
        }
        self.lex_flags_uncached(i)
    }

    fn lex_flags_uncached(&self, i: usize) -> u8 {
        if i >= self.n() || self.t[i].len() > 40 {
            return 0;
        }
        let m = self.memo[i].get();
        if self.t[i].flags & (ALPHA | NON_ASCII) == ALPHA {
            return self.word_info(i).0;
        }
        let mut f = self.lex.flags(self.tok(i));
        if self.t[i].flags & NON_ASCII != 0 {
            // "Topić", "Božo": a diacritic marks a name, whatever English
            // word the folded spelling happens to be.
            f &= !lexicon::WORD;
        }
        self.memo[i].set(m | LEX_DONE | f as u64);
        f
    }

    /// The word classes of token `i` (see [`wc`]); 0 for numbers and
    /// non-ASCII tokens.
    pub(crate) fn wc(&self, i: usize) -> u32 {
        let Some(cell) = self.memo.get(i) else {
            return 0;
        };
        let m = cell.get();
        if m & CLASS_DONE != 0 {
            return (m >> CLASS_SHIFT) as u32;
        }
        if self.t[i].flags & (ALPHA | NON_ASCII) != ALPHA {
            cell.set(m | CLASS_DONE);
            return 0;
        }
        self.word_info(i).1
    }

    /// Looks an ASCII word token up once and memoises both its dictionary
    /// flags and its word classes.
    fn word_info(&self, i: usize) -> (u8, u32) {
        let t = self.t[i];
        let e = self.lex.entry_at(self.lower.as_bytes(), t.start, t.end);
        let (f, c) = (e as u8, (e >> 8) as u32);
        let mut m = f as u64 | (c as u64) << CLASS_SHIFT;
        if e & lexicon::PLACE_START != 0 {
            m |= PLACE_START;
        }
        if e & lexicon::PLACE != 0 {
            m |= PLACE;
        }
        if e & lexicon::DATE_WORD != 0 {
            m |= DATE_WORD;
        }
        let cell = &self.memo[i];
        cell.set(cell.get() | LEX_DONE | CLASS_DONE | m);
        (f, c)
    }

    /// Token `i`'s memo bits `bit` from its dictionary entry, if `i` is a
    /// word the lexicon can hold (ASCII letters, at most 16); `None` for
    /// other tokens.
    fn entry_bit(&self, i: usize, bit: u64) -> Option<bool> {
        let t = self.t.get(i)?;
        if t.flags & (ALPHA | NON_ASCII) != ALPHA || t.len() > 16 {
            return None;
        }
        let mut m = self.memo[i].get();
        if m & CLASS_DONE == 0 {
            self.word_info(i);
            m = self.memo[i].get();
        }
        Some(m & bit != 0)
    }

    /// Whether a known US place begins with token `i`
    /// ([`crate::gazetteer::starts_place`], memoised).
    pub(crate) fn starts_place(&self, i: usize) -> bool {
        self.entry_bit(i, PLACE_START)
            .unwrap_or_else(|| crate::gazetteer::starts_place(self.tok(i)))
    }

    /// Whether token `i` is a month or weekday
    /// ([`crate::wordlists::date_word`], memoised).
    pub(crate) fn date_word(&self, i: usize) -> bool {
        self.entry_bit(i, DATE_WORD).unwrap_or_else(|| {
            self.t
                .get(i)
                .is_some_and(|t| crate::wordlists::date_word(&self.b[t.start..t.end]))
        })
    }

    /// Whether token `i` alone is a known US place
    /// ([`crate::gazetteer::is_place`], memoised).
    pub(crate) fn place_word(&self, i: usize) -> bool {
        self.entry_bit(i, PLACE)
            .unwrap_or_else(|| crate::gazetteer::is_place(self.tok(i)))
    }

    /// A memoised three-way value on token `i` (0, 1 or 2) kept in the memo
    /// bits `done`, `one`, `two`.
    pub(crate) fn memo_tri(
        &self,
        i: usize,
        (done, one, two): (u64, u64, u64),
        f: impl FnOnce() -> u8,
    ) -> u8 {
        let Some(cell) = self.memo.get(i) else {
            return f();
        };
        let m = cell.get();
        if m & done != 0 {
            return if m & two != 0 {
                2
            } else {
                u8::from(m & one != 0)
            };
        }
        let v = f();
        let m = cell.get(); // f may have filled other bits
        let bit = match v {
            0 => 0,
            1 => one,
            _ => two,
        };
        cell.set(m | done | bit);
        v
    }

    /// A memoised yes/no test on token `i`: `done`/`yes` are memo bits.
    pub(crate) fn memo_test(
        &self,
        i: usize,
        done: u64,
        yes: u64,
        f: impl FnOnce() -> bool,
    ) -> bool {
        let Some(cell) = self.memo.get(i) else {
            return false;
        };
        let m = cell.get();
        if m & done != 0 {
            return m & yes != 0;
        }
        let v = f();
        let m = cell.get(); // f may have filled other bits
        cell.set(m | done | if v { yes } else { 0 });
        v
    }

    /// A memoised run end on token `i`: `f` gives the end (exclusive) of a
    /// run of tokens from `i`; its length (1 to 15) is kept in the 4 memo
    /// bits at `shift` (a longer run is recomputed each time).
    pub(crate) fn memo_run(&self, i: usize, shift: u32, f: impl FnOnce() -> usize) -> usize {
        let Some(cell) = self.memo.get(i) else {
            return f();
        };
        let len = (cell.get() >> shift) & 0xF;
        if len != 0 {
            return i + len as usize;
        }
        let end = f();
        if let Some(len) = end.checked_sub(i).filter(|l| (1..16).contains(l)) {
            cell.set(cell.get() | (len as u64) << shift);
        }
        end
    }

    /// Whether token `i` is capitalised in a text where case means something
    /// (in a caseless text every alphabetic token counts).
    pub(crate) fn cap(&self, i: usize) -> bool {
        if i >= self.n() || !self.is(i, ALPHA) {
            return false;
        }
        if self.cased {
            self.is(i, CAP)
        } else {
            true
        }
    }

    /// Whether token `i` is made of ASCII digits only.
    pub(crate) fn digits(&self, i: usize) -> bool {
        i < self.n() && self.is(i, DIGITS)
    }

    /// Numeric value of a short digit token.
    pub(crate) fn num(&self, i: usize) -> Option<u32> {
        if !self.digits(i) || self.t[i].len() > 9 {
            return None;
        }
        self.tok(i).parse().ok()
    }

    /// Whether a line break separates tokens `a` and `b` (a < b).
    pub(crate) fn line_break_between(&self, a: usize, b: usize) -> bool {
        let s = self.t[a].end;
        let e = self.t[b].start;
        self.b.get(s..e).is_some_and(|g| g.contains(&b'\n'))
    }

    /// The character just before byte `pos`.
    pub(crate) fn char_before(&self, pos: usize) -> Option<char> {
        token::char_before(self.text, pos)
    }

    pub(crate) fn push(&mut self, start: usize, end: usize, kind: PhiType, prio: u8) {
        if start < end {
            self.out.push(Cand {
                start,
                end,
                kind,
                prio,
                person: None,
            });
        }
    }

    /// Index of the first token at or after byte `pos` (binary search).
    pub(crate) fn token_at(&self, pos: usize) -> usize {
        self.t.partition_point(|t| t.end <= pos)
    }

    /// Whether the gap `g` is plain inline spacing: one or more spaces or
    /// tabs, no line break.
    pub(crate) fn spaces(g: &str) -> bool {
        !g.is_empty() && g.bytes().all(|c| c == b' ' || c == b'\t')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn particles_match_as_written() {
        use crate::detect::names::particle;
        for w in [
            "de", "van", "della", "y", "vander", "bint", "Ó", "ó", "ní", "uí",
        ] {
            assert!(particle(w), "{w}");
        }
        for w in ["", "d", "dee", "Van", "o", "ni", "n", "bintx", "vanderx"] {
            assert!(!particle(w), "{w}");
        }
    }

    #[test]
    fn indices_read_as_the_collected_slice() {
        let short: Indices = (3..7).collect();
        assert_eq!(&*short, &[3, 4, 5, 6]);
        let long: Indices = (0..20).filter(|k| k % 2 == 0).collect();
        assert_eq!(&*long, &(0..20).step_by(2).collect::<Vec<_>>()[..]);
        let none: Indices = std::iter::empty().collect();
        assert!(none.is_empty());
    }
}
