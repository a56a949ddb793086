//! A chat session's pseudonymisation state and the `protect_*` / `restore`
//! operations.
//!
//! Surrogates are `[LABEL_N]` (`[PATIENT_1]`, `[MRN_2]`); another written
//! form of an identifier already seen gets `[LABEL_N.V]` (`[PATIENT_1.2]` for
//! "Smith" after "John Smith"), so the model still sees one person. Dates are
//! shifted by the session's offset and keep their written form; a date that
//! cannot be rewritten exactly, or whose shifted form is already taken, gets
//! `[DATE_N]`. Ages over 89 get `[AGE_N]`.
//!
//! `restore(protect(x)) == x` for every `x` (when the model echoes the
//! protected text): anything in the unprotected parts of `x` that `restore`
//! would rewrite (a literal `[PATIENT_1]`, a date-looking string) is either
//! reserved as mapping to itself or escaped with a `[LITERAL_N]` surrogate,
//! and every protected text is checked by restoring it before it is
//! returned (a failed check is an error: fail closed).
//!
//! Memory: a vault holds only its own session's mappings; nothing global
//! grows per session, and dropping the vault frees everything.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::dates;
use crate::detect::scan::{Cand, Person};
use crate::detect::Detector;
use crate::error::PhiError;
use crate::kind::{FieldClass, NameRole, PhiMode, PhiType};
use crate::known::KnownIdentifiers;
use crate::restore::{self, StreamRestorer};
use crate::tally::DisclosureTally;

/// The deepest JSON nesting `protect_json` walks.
pub const MAX_JSON_DEPTH: usize = 64;

/// A chat session's pseudonymisation state: surrogate table (both
/// directions), counters per label, the per-session date shift (a nonzero
/// number of days), and the identifiers learned from this session's tool
/// results. Serialize it with the session; its size depends only on that
/// session's content.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionVault {
    shift_days: i64,
    /// Whether any text was pseudonymised (otherwise `restore` is identity).
    pseudonymized: bool,
    /// Surrogate (as written in protected text) → original.
    table: BTreeMap<String, String>,
    /// `label \u{1f} original` → surrogate.
    forward: HashMap<String, String>,
    /// `label \u{1f} entity key` → (entity number, variants so far).
    entities: HashMap<String, (u32, u32)>,
    /// Last entity number per label.
    counters: BTreeMap<String, u32>,
    /// Lowercase word of a pattern-found name → its entity key, linking
    /// "Sanchez" to "Judith Sanchez".
    name_parts: HashMap<String, String>,
    /// Identifiers learned from this session: its tool results' structured
    /// fields and every original its free text had replaced, so protection
    /// within a session only grows (a name found once by its context is
    /// replaced later where it stands alone).
    learned: KnownIdentifiers,
    /// The current year as the caller last said ([`SessionVault::set_reference_year`]):
    /// a date 89 or more years before it gets a `[DATE_N]` surrogate instead of a
    /// shifted date, as its year would tell an age over 89.
    #[serde(default)]
    reference_year: Option<i32>,
}

/// SplitMix64: a well-mixed 64-bit value from a seed.
fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// What one protected piece of text becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// A detected identifier.
    Found(usize),
    /// A literal run of the input that must be escaped.
    Literal,
}

impl SessionVault {
    /// A new vault; `seed` picks the date shift deterministically (Ward
    /// passes a random u64 once per session and stores the vault). The shift
    /// is between 30 and 395 days, forward or back.
    pub fn new(seed: u64) -> Self {
        let r = splitmix64(seed);
        let magnitude = 30 + (r % 366) as i64;
        let shift_days = if (r >> 32) & 1 == 0 {
            magnitude
        } else {
            -magnitude
        };
        SessionVault {
            shift_days,
            pseudonymized: false,
            table: BTreeMap::new(),
            forward: HashMap::new(),
            entities: HashMap::new(),
            counters: BTreeMap::new(),
            name_parts: HashMap::new(),
            learned: KnownIdentifiers::new(),
            reference_year: None,
        }
    }

    /// Tells the vault the current year (Ward passes today's; this crate reads no
    /// clock). Dates whose year is 89 or more years earlier are then never shifted
    /// (the year would stay and tell an age over 89): they get `[DATE_N]`.
    pub fn set_reference_year(&mut self, year: i32) {
        self.reference_year = Some(year);
    }

    /// Whether `original` is a date old enough that its year could tell an age
    /// over 89.
    fn is_aged_date(&self, original: &str) -> bool {
        let Some(now) = self.reference_year else {
            return false;
        };
        dates::parse_exact(original)
            .and_then(|m| m.civil.year)
            .is_some_and(|y| y <= now - 89)
    }

    /// Learns an original the detector found in free text, so every later text
    /// of this session replaces it, whatever the detector says then. Dates and
    /// ages are left to the detector (they are found by their form; learning
    /// "97" would replace every 97). A place or address also teaches its
    /// comma-separated parts and any ZIP code in it.
    fn learn_found(&mut self, c: &Cand, original: &str) {
        match c.kind {
            PhiType::Date | PhiType::Age => {}
            // A known patient's or staff member's name is matched already (globally or
            // from this session's tool results); learning a part of it as a person of
            // its own would give it a second entity.
            PhiType::Name if c.person.as_ref().is_some_and(|p| p.role.is_some()) => {}
            PhiType::Name => self.learned.add(PhiType::Name, original),
            kind => {
                self.learned.add(kind, original);
                if matches!(
                    kind,
                    PhiType::StreetAddress | PhiType::City | PhiType::Hospital | PhiType::Zip
                ) {
                    for part in original.split([',', ';', '\n']) {
                        let part = part.trim();
                        if part.len() >= 3 && part != original {
                            self.learned.add(kind, part);
                        }
                    }
                    for word in original.split(|c: char| !c.is_ascii_alphanumeric()) {
                        if (word.len() == 5 || word.len() == 9)
                            && word.bytes().all(|b| b.is_ascii_digit())
                        {
                            self.learned.add(PhiType::Zip, word);
                        }
                    }
                }
            }
        }
    }

    /// The per-session date shift in days (never 0).
    pub fn date_shift_days(&self) -> i64 {
        self.shift_days
    }

    /// How many surrogates this vault maps back.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the vault maps nothing back yet.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// The identifiers learned from this session's tool results.
    pub fn learned(&self) -> &KnownIdentifiers {
        &self.learned
    }

    pub(crate) fn is_pseudonymized(&self) -> bool {
        self.pseudonymized
    }

    pub(crate) fn original_of(&self, surrogate: &str) -> Option<&str> {
        self.table.get(surrogate).map(String::as_str)
    }

    /// Learns an identifier from this session's tool results so later free
    /// text mentioning it is caught.
    pub fn learn(&mut self, kind: PhiType, value: &str) {
        self.learned.add(kind, value);
    }

    /// Learns a person's name (and their given and family names alone).
    pub fn learn_name(&mut self, full_name: &str, role: NameRole) {
        self.learned.add_name(full_name, role);
    }

    /// Free text (clinician message, note text) → text safe for the provider
    /// under `mode`. Errors (fail closed) if detection fails; the caller must
    /// then send nothing.
    pub fn protect_text(
        &mut self,
        detector: &Detector,
        mode: PhiMode,
        text: &str,
        tally: &mut DisclosureTally,
    ) -> Result<String, PhiError> {
        let found = detector.find(text, Some(&self.learned))?;
        if mode != PhiMode::Allow {
            for c in &found {
                self.learn_found(c, &text[c.start..c.end]);
            }
        }
        let out = match mode {
            PhiMode::Allow => text.to_string(),
            PhiMode::Redact => {
                let mut out = String::with_capacity(text.len());
                let mut pos = 0;
                for c in &found {
                    out.push_str(&text[pos..c.start]);
                    out.push_str(&redacted(c.kind));
                    pos = c.end;
                }
                out.push_str(&text[pos..]);
                out
            }
            PhiMode::Pseudonymize => self.pseudonymize(text, &found)?,
        };
        for c in &found {
            tally.record(c.kind, mode);
        }
        Ok(out)
    }

    /// One structured field whose type is known. `FreeText` cannot be
    /// scanned here (no detector): in `pseudonymize` it becomes one `[TEXT_N]`
    /// surrogate, in `redact` `[REDACTED_TEXT]`, in `allow` it is sent as is
    /// and not counted; use [`SessionVault::protect_text`] for free text.
    /// Names and identifiers given here are also learned for later free text.
    pub fn protect_field(
        &mut self,
        mode: PhiMode,
        class: FieldClass,
        value: &str,
        tally: &mut DisclosureTally,
    ) -> String {
        if value.trim().is_empty() {
            return value.to_string();
        }
        let (kind, person) = match class {
            FieldClass::NotPhi => return value.to_string(),
            FieldClass::Age => {
                return match age_of(value.trim().parse::<f64>().ok(), mode, tally) {
                    Some(aggregated) => aggregated.to_string(),
                    None => value.to_string(),
                }
            }
            FieldClass::FreeText => {
                return match mode {
                    PhiMode::Allow => value.to_string(),
                    PhiMode::Redact => "[REDACTED_TEXT]".to_string(),
                    PhiMode::Pseudonymize => {
                        self.pseudonymized = true;
                        self.bracket("TEXT", value, &normalize(PhiType::Id, value))
                    }
                };
            }
            FieldClass::Phi(kind) => (kind, None),
            FieldClass::PatientName | FieldClass::StaffName => {
                let role = if class == FieldClass::PatientName {
                    NameRole::Patient
                } else {
                    NameRole::Staff
                };
                (
                    PhiType::Name,
                    Some(Person {
                        role: Some(role),
                        full: value
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                            .into(),
                    }),
                )
            }
        };
        // Learn it so free text mentioning it later is caught.
        match &person {
            Some(p) => self
                .learned
                .add_name(value, p.role.unwrap_or(NameRole::Patient)),
            None if kind != PhiType::Date && kind != PhiType::Age => self.learned.add(kind, value),
            None => {}
        }
        tally.record(kind, mode);
        match mode {
            PhiMode::Allow => value.to_string(),
            PhiMode::Redact => redacted(kind),
            PhiMode::Pseudonymize => {
                self.pseudonymized = true;
                let cand = Cand {
                    start: 0,
                    end: value.len(),
                    kind,
                    prio: 0,
                    person,
                };
                self.surrogate(&cand, value, false)
            }
        }
    }

    /// A structured JSON tool result: strings are classified by
    /// `classify(key)` (the object key they sit under; array elements inherit
    /// it; a string with no key is free text); numbers, booleans and null are
    /// unchanged. Object keys are themselves scanned as free text.
    pub fn protect_json(
        &mut self,
        detector: &Detector,
        mode: PhiMode,
        value: &serde_json::Value,
        classify: &dyn Fn(&str) -> FieldClass,
        tally: &mut DisclosureTally,
    ) -> Result<serde_json::Value, PhiError> {
        // Work on a copy of the state so a failure leaves no trace.
        let mut scratch = self.clone();
        // Learn the structured names and identifiers first, so free text
        // anywhere in the result that mentions them is caught.
        scratch.learn_fields(value, FieldClass::FreeText, classify, 0);
        let mut local = DisclosureTally::new();
        let out = scratch.json(
            detector,
            mode,
            value,
            FieldClass::FreeText,
            classify,
            &mut local,
            0,
        )?;
        *self = scratch;
        tally.merge(&local);
        Ok(out)
    }

    fn learn_fields(
        &mut self,
        value: &serde_json::Value,
        class: FieldClass,
        classify: &dyn Fn(&str) -> FieldClass,
        depth: usize,
    ) {
        use serde_json::Value;
        if depth > MAX_JSON_DEPTH {
            return;
        }
        match value {
            Value::String(s) if !s.trim().is_empty() => match class {
                FieldClass::PatientName => self.learn_name(s, NameRole::Patient),
                FieldClass::StaffName => self.learn_name(s, NameRole::Staff),
                FieldClass::Phi(k) if k != PhiType::Date && k != PhiType::Age => self.learn(k, s),
                _ => {}
            },
            Value::Array(items) => {
                for v in items {
                    self.learn_fields(v, class, classify, depth + 1);
                }
            }
            Value::Object(map) => {
                for (k, v) in map {
                    self.learn_fields(v, classify(k), classify, depth + 1);
                }
            }
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn json(
        &mut self,
        detector: &Detector,
        mode: PhiMode,
        value: &serde_json::Value,
        class: FieldClass,
        classify: &dyn Fn(&str) -> FieldClass,
        tally: &mut DisclosureTally,
        depth: usize,
    ) -> Result<serde_json::Value, PhiError> {
        use serde_json::Value;
        if depth > MAX_JSON_DEPTH {
            return Err(PhiError::TooDeep {
                limit: MAX_JSON_DEPTH,
            });
        }
        Ok(match value {
            Value::String(s) => Value::String(match class {
                FieldClass::FreeText => self.protect_text(detector, mode, s, tally)?,
                other => self.protect_field(mode, other, s, tally),
            }),
            Value::Number(n) if class == FieldClass::Age => match age_of(n.as_f64(), mode, tally) {
                Some(aggregated) => Value::String(aggregated.to_string()),
                None => value.clone(),
            },
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|v| self.json(detector, mode, v, class, classify, tally, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => {
                let mut out = serde_json::Map::with_capacity(map.len());
                for (k, v) in map {
                    let key = self.protect_text(detector, mode, k, tally)?;
                    let v2 =
                        self.json(detector, mode, v, classify(k), classify, tally, depth + 1)?;
                    out.insert(key, v2);
                }
                Value::Object(out)
            }
            other => other.clone(),
        })
    }

    /// Maps a model reply back to real values (surrogates → originals,
    /// shifted dates → real dates). Without any pseudonymised text in this
    /// session (`redact` and `allow` modes) it returns the text unchanged.
    pub fn restore(&self, text: &str) -> String {
        if !self.pseudonymized {
            return text.to_string();
        }
        let (found, stop) = restore::scan(self, text, 0, true);
        let mut out = String::with_capacity(text.len() + 16);
        restore::apply(text, 0, stop, &found, &mut out);
        out
    }

    /// Streaming restore: feed chunks as they arrive, get the restored text
    /// that is safe to emit now (a possible partial surrogate or date at the
    /// end is held back); `finish` flushes.
    pub fn restorer(&self) -> StreamRestorer<'_> {
        StreamRestorer::new(self)
    }

    // ---- pseudonymisation -------------------------------------------------

    fn pseudonymize(&mut self, text: &str, found: &[Cand]) -> Result<String, PhiError> {
        self.pseudonymized = true;
        let mut literals: Vec<(usize, usize)> = Vec::new();
        let mut bracket_dates: Vec<usize> = Vec::new(); // indices into found
        for _round in 0..16 {
            // Pieces in text order: found spans and escaped literals.
            let mut pieces: Vec<(usize, usize, Piece)> = found
                .iter()
                .enumerate()
                .map(|(i, c)| (c.start, c.end, Piece::Found(i)))
                .chain(literals.iter().map(|&(s, e)| (s, e, Piece::Literal)))
                .collect();
            pieces.sort_by_key(|p| p.0);
            let mut out = String::with_capacity(text.len() + 32);
            // (out_start, out_end, piece, is a shifted date)
            let mut emitted: Vec<(usize, usize, Piece, bool)> = Vec::new();
            // literal segments: (out_start, text_start, len)
            let mut segs: Vec<(usize, usize, usize)> = Vec::new();
            let mut pos = 0;
            for &(s, e, piece) in &pieces {
                if s < pos {
                    return Err(PhiError::PseudonymizationFailed("overlapping spans"));
                }
                segs.push((out.len(), pos, s - pos));
                out.push_str(&text[pos..s]);
                let original = &text[s..e];
                let (sur, shifted) = match piece {
                    Piece::Found(i) => {
                        let force = bracket_dates.contains(&i);
                        let sur = self.surrogate(&found[i], original, force);
                        let shifted = found[i].kind == PhiType::Date && !sur.starts_with('[');
                        (sur, shifted)
                    }
                    Piece::Literal => (self.bracket("LITERAL", original, original), false),
                };
                let os = out.len();
                out.push_str(&sur);
                emitted.push((os, out.len(), piece, shifted));
                pos = e;
            }
            segs.push((out.len(), pos, text.len() - pos));
            out.push_str(&text[pos..]);

            // Check what restore would do with `out`.
            let (recognised, _) = restore::scan(self, &out, 0, true);
            let mut changed = false;
            let mut matched = vec![false; emitted.len()];
            for r in &recognised {
                // Emitted pieces are sorted and disjoint: binary search.
                let first = emitted.partition_point(|e| e.1 <= r.start);
                let overlapping: Vec<usize> = (first..emitted.len())
                    .take_while(|&k| emitted[k].0 < r.end)
                    .collect();
                if overlapping.len() == 1 {
                    let k = overlapping[0];
                    if emitted[k].0 == r.start && emitted[k].1 == r.end {
                        matched[k] = true;
                        continue;
                    }
                }
                if !overlapping.is_empty() {
                    // A date surrogate glued to its surroundings: fall back
                    // to a bracket surrogate for it.
                    for k in overlapping {
                        if let (Piece::Found(i), true) = (emitted[k].2, emitted[k].3) {
                            if !bracket_dates.contains(&i) {
                                bracket_dates.push(i);
                                changed = true;
                            }
                        }
                    }
                    if !changed {
                        return Err(PhiError::PseudonymizationFailed("surrogate boundary"));
                    }
                    continue;
                }
                // Inside the unprotected text.
                let literal = &out[r.start..r.end];
                match &r.replacement {
                    None => {
                        if r.bracket {
                            // Reserve it, so no later surrogate takes its form.
                            self.table
                                .entry(literal.to_string())
                                .or_insert_with(|| literal.to_string());
                        }
                    }
                    Some(rep) if rep == literal => {}
                    Some(_) => {
                        if !self.table.contains_key(literal) {
                            // Restore would unshift it: make it map to itself.
                            self.table.insert(literal.to_string(), literal.to_string());
                        } else {
                            // Taken by another mapping: escape it.
                            let k = segs.partition_point(|seg| seg.0 <= r.start);
                            let Some(&(os, ts, _)) = k.checked_sub(1).and_then(|k| segs.get(k))
                            else {
                                return Err(PhiError::PseudonymizationFailed("lost segment"));
                            };
                            let start = ts + (r.start - os);
                            literals.push((start, start + (r.end - r.start)));
                            changed = true;
                        }
                    }
                }
            }
            for (k, e) in emitted.iter().enumerate() {
                if e.3 && !matched[k] {
                    if let Piece::Found(i) = e.2 {
                        if !bracket_dates.contains(&i) {
                            bracket_dates.push(i);
                            changed = true;
                        }
                    }
                }
            }
            if changed {
                continue;
            }
            if self.restore(&out) != text {
                return Err(PhiError::PseudonymizationFailed(
                    "protected text does not map back exactly",
                ));
            }
            return Ok(out);
        }
        Err(PhiError::PseudonymizationFailed(
            "no stable pseudonymisation",
        ))
    }

    /// The surrogate for one identifier (assigning it if new).
    fn surrogate(&mut self, c: &Cand, original: &str, force_bracket: bool) -> String {
        let label = label_of(c);
        let force_bracket =
            force_bracket || (c.kind == PhiType::Date && self.is_aged_date(original));
        if c.kind == PhiType::Date && !force_bracket {
            let fkey = format!("DATE~\u{1f}{original}");
            if let Some(s) = self.forward.get(&fkey) {
                return s.clone();
            }
            if let Some(shifted) = dates::shift_text(original, self.shift_days) {
                if !self.table.contains_key(&shifted) {
                    self.table.insert(shifted.clone(), original.to_string());
                    self.forward.insert(fkey, shifted.clone());
                    return shifted;
                }
            }
        }
        let key = match &c.person {
            Some(p) if p.role.is_some() => format!("P:{}", p.full.to_lowercase()),
            // A name this session learned from its own text: the entity it was found as.
            Some(p) => normalize(PhiType::Name, &p.full),
            None => normalize(c.kind, original),
        };
        let key = if c.kind == PhiType::Name && c.person.is_none() {
            // Link a lone given or family name to a name seen before.
            let lower = key.clone();
            if !lower.contains(' ') {
                self.name_parts.get(&lower).cloned().unwrap_or(lower)
            } else {
                lower
            }
        } else {
            key
        };
        if c.kind == PhiType::Name && c.person.is_none() && key.contains(' ') {
            for w in key.split(' ').filter(|w| w.chars().count() > 1) {
                self.name_parts
                    .entry(w.to_string())
                    .or_insert_with(|| key.clone());
            }
        }
        self.bracket(label, original, &key)
    }

    /// A bracket surrogate `[label_N]` / `[label_N.V]` for `original`, with
    /// entity key `key`.
    fn bracket(&mut self, label: &str, original: &str, key: &str) -> String {
        let fkey = format!("{label}\u{1f}{original}");
        if let Some(s) = self.forward.get(&fkey) {
            return s.clone();
        }
        let ekey = format!("{label}\u{1f}{key}");
        let sur = match self.entities.get(&ekey).copied() {
            Some((n, mut v)) => loop {
                v += 1;
                let s = format!("[{label}_{n}.{v}]");
                if !self.table.contains_key(&s) {
                    self.entities.insert(ekey.clone(), (n, v));
                    break s;
                }
            },
            None => loop {
                let counter = self.counters.entry(label.to_string()).or_insert(0);
                *counter += 1;
                let n = *counter;
                let s = format!("[{label}_{n}]");
                if !self.table.contains_key(&s) {
                    self.entities.insert(ekey.clone(), (n, 1));
                    break s;
                }
            },
        };
        self.table.insert(sur.clone(), original.to_string());
        self.forward.insert(fkey, sur.clone());
        sur
    }
}

/// The surrogate label for a detection.
fn label_of(c: &Cand) -> &'static str {
    match (&c.kind, &c.person) {
        (PhiType::Name, Some(p)) => p.role.map_or("PERSON", NameRole::label),
        (k, _) => k.surrogate_label(),
    }
}

/// What an age over 89 becomes in every mode that protects.
pub const AGE_90_OR_OLDER: &str = "90 or older";

/// The protected form of an age in years: `Some("90 or older")` from 90 on
/// in `pseudonymize` and `redact` (counted), `None` (keep it) otherwise.
fn age_of(years: Option<f64>, mode: PhiMode, tally: &mut DisclosureTally) -> Option<&'static str> {
    let years = years?;
    if years < 90.0 {
        return None;
    }
    tally.record(PhiType::Age, mode);
    (mode != PhiMode::Allow).then_some(AGE_90_OR_OLDER)
}

/// What `redact` mode writes instead of an identifier.
fn redacted(kind: PhiType) -> String {
    format!("[REDACTED_{}]", kind.as_str())
}

/// The key under which different written forms of one identifier share an
/// entity number.
fn normalize(kind: PhiType, s: &str) -> String {
    match kind {
        PhiType::Name | PhiType::City | PhiType::Hospital | PhiType::StreetAddress => s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" "),
        PhiType::Email | PhiType::Url => s.to_lowercase(),
        _ => s
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_uppercase)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Fault;
    use crate::properties::{check_round_trip, check_streaming};

    fn detector() -> Detector {
        Detector::new(KnownIdentifiers::new())
    }

    fn protect(v: &mut SessionVault, text: &str) -> String {
        v.protect_text(
            &detector(),
            PhiMode::Pseudonymize,
            text,
            &mut DisclosureTally::new(),
        )
        .unwrap()
    }

    #[test]
    fn pseudonymize_uses_consistent_surrogates_and_shifts_dates() {
        let mut v = SessionVault::new(7);
        let shift = v.date_shift_days();
        assert_ne!(shift, 0);
        let out = protect(
            &mut v,
            "Attending: Judith Sanchez, MD. MRN: 43-039-117. Seen 1/29/21.",
        );
        assert!(out.contains("[PERSON_1]"), "{out}");
        assert!(out.contains("[MRN_1]"), "{out}");
        assert!(
            !out.contains("Sanchez") && !out.contains("1/29/21"),
            "{out}"
        );
        let shifted = dates::shift_text("1/29/21", shift).unwrap();
        assert!(out.contains(&shifted), "{out}");
        // The same person later, and her family name alone, stay one entity.
        let out2 = protect(&mut v, "Dr. Judith Sanchez and Dr. Sanchez agreed.");
        assert!(
            out2.contains("[PERSON_1]") && out2.contains("[PERSON_1.2]"),
            "{out2}"
        );
        assert_eq!(
            v.restore(&out2),
            "Dr. Judith Sanchez and Dr. Sanchez agreed."
        );
    }

    #[test]
    fn known_patients_and_staff_get_role_labels() {
        let mut k = KnownIdentifiers::new();
        k.add_name("Zelda Quorrel", NameRole::Patient);
        k.add_name("Amos Brackwater", NameRole::Staff);
        let d = Detector::new(k);
        let mut v = SessionVault::new(1);
        let out = v
            .protect_text(
                &d,
                PhiMode::Pseudonymize,
                "zelda quorrel saw Brackwater.",
                &mut DisclosureTally::new(),
            )
            .unwrap();
        assert_eq!(out, "[PATIENT_1] saw [STAFF_1].");
        assert_eq!(
            v.restore("Tell [PATIENT_1] that [STAFF_1] called."),
            "Tell zelda quorrel that Brackwater called."
        );
    }

    #[test]
    fn model_written_dates_are_unshifted_and_surrogates_restored() {
        let mut v = SessionVault::new(3);
        let out = protect(&mut v, "Mr. Oakhurst was admitted on March 3, 2024.");
        let shifted = dates::shift_text("March 3, 2024", v.date_shift_days()).unwrap();
        assert!(out.contains(&shifted));
        let model_date = dates::shift_text("March 10, 2024", v.date_shift_days()).unwrap();
        let reply = format!("[PERSON_1] was admitted on {shifted}; recheck on {model_date}.");
        assert_eq!(
            v.restore(&reply),
            "Oakhurst was admitted on March 3, 2024; recheck on March 10, 2024."
        );
    }

    #[test]
    fn literal_surrogates_and_dates_in_the_input_round_trip() {
        let d = detector();
        for text in [
            "[PATIENT_1] is a literal; so is [MRN_2.3] and [DATE_1].",
            "Pain 3/10 today, seen on 1/5 and 3/10 again.",
            "Mr. Oakhurst: [PERSON_1] [PERSON_1.2] [LITERAL_1]",
            "Dates: 2021-01-05 and 2021-01-05, then Jan 5 2021 and 1/5/21.",
            "Seen 1/29/21/22 and 12/4/ and 5/5 strength.",
        ] {
            for seed in 0..20 {
                check_round_trip(&d, text, seed).unwrap();
            }
        }
    }

    #[test]
    fn a_literal_that_collides_with_an_earlier_surrogate_is_escaped() {
        let d = detector();
        let mut v = SessionVault::new(11);
        let mut t = DisclosureTally::new();
        let first = v
            .protect_text(&d, PhiMode::Pseudonymize, "Dr. Oakhurst saw her.", &mut t)
            .unwrap();
        assert_eq!(first, "Dr. [PERSON_1] saw her.");
        let text = "The string [PERSON_1] is literal here.";
        let second = v
            .protect_text(&d, PhiMode::Pseudonymize, text, &mut t)
            .unwrap();
        assert!(second.contains("[LITERAL_1]"), "{second}");
        assert_eq!(v.restore(&second), text);
    }

    #[test]
    fn streaming_restore_matches_whole_restore_at_every_split() {
        let d = detector();
        let mut v = SessionVault::new(5);
        let text = "Name: Birlant Desheriyev\nMRN: 43-039-117\nAdmit date: 12/4\nDischarge date: 3/6/24. Call 832-570-9310.";
        let out = v
            .protect_text(&d, PhiMode::Pseudonymize, text, &mut DisclosureTally::new())
            .unwrap();
        check_streaming(&v, &out).unwrap();
        assert_eq!(v.restore(&out), text);
        let reply = format!("Summary: {out} Next visit March 3, 2025 or 4/5.");
        check_streaming(&v, &reply).unwrap();
    }

    #[test]
    fn redact_and_allow_modes_count_and_do_not_map_back() {
        let d = detector();
        let mut v = SessionVault::new(2);
        let mut t = DisclosureTally::new();
        let text = "SSN 394-52-8537 for Dr. Oakhurst on 1/29/21.";
        let red = v.protect_text(&d, PhiMode::Redact, text, &mut t).unwrap();
        assert_eq!(
            red,
            "SSN [REDACTED_SSN] for Dr. [REDACTED_NAME] on [REDACTED_DATE]."
        );
        assert_eq!(v.restore("on 1/29/21"), "on 1/29/21");
        let raw = v.protect_text(&d, PhiMode::Allow, text, &mut t).unwrap();
        assert_eq!(raw, text);
        assert_eq!(t.total_raw(), 3);
        assert_eq!(t.get(PhiType::Ssn).redacted, 1);
        assert_eq!(t.get(PhiType::Name).raw, 1);
        let json = serde_json::to_string(&t).unwrap();
        assert!(!json.contains("394") && !json.contains("Oakhurst"));
    }

    #[test]
    fn protect_fails_closed_and_produces_no_output() {
        let mut v = SessionVault::new(4);
        let mut t = DisclosureTally::new();
        let broken = detector().with_fault(Fault::Panic);
        let r = v.protect_text(&broken, PhiMode::Pseudonymize, "John Smith", &mut t);
        assert!(matches!(r, Err(PhiError::DetectionFailed(_))));
        let r = v.protect_text(&broken, PhiMode::Allow, "John Smith", &mut t);
        assert!(r.is_err());
        let json = serde_json::json!({"note": "Dr. Oakhurst", "mrn": "123"});
        let r = v.protect_json(
            &broken,
            PhiMode::Pseudonymize,
            &json,
            &|_| FieldClass::FreeText,
            &mut t,
        );
        assert!(r.is_err());
        assert!(t.is_empty());
        assert!(v.is_empty());
        let big = "x".repeat(crate::MAX_INPUT_BYTES + 1);
        let r = v.protect_text(&detector(), PhiMode::Pseudonymize, &big, &mut t);
        assert!(matches!(r, Err(PhiError::InputTooLarge { .. })));
        let msg = PhiError::DetectionFailed("internal error in the detector").to_string();
        assert!(!msg.contains("John"));
    }

    #[test]
    fn json_tool_results_are_protected_by_field_class() {
        let d = detector();
        let mut v = SessionVault::new(9);
        let mut t = DisclosureTally::new();
        let value = serde_json::json!({
            "patient_name": "Zelda Quorrel",
            "mrn": "88-123-456",
            "dob": "1950-02-03",
            "age": 97,
            "vitals": {"bp": "132/84", "hr": 88},
            "notes": ["Zelda reports 3/10 pain; daughter Ann at 832-570-9310."],
            "code": "E11.9",
        });
        let classify = |k: &str| match k {
            "patient_name" => FieldClass::PatientName,
            "mrn" => FieldClass::Phi(PhiType::Mrn),
            "dob" => FieldClass::Phi(PhiType::Date),
            "bp" | "code" => FieldClass::NotPhi,
            _ => FieldClass::FreeText,
        };
        let out = v
            .protect_json(&d, PhiMode::Pseudonymize, &value, &classify, &mut t)
            .unwrap();
        // Object keys are visited in order, so the note's "Zelda" comes first;
        // both are the same patient.
        assert!(out["patient_name"]
            .as_str()
            .unwrap()
            .starts_with("[PATIENT_1"));
        assert_eq!(out["mrn"], "[MRN_1]");
        assert_ne!(out["dob"], "1950-02-03");
        assert_eq!(out["age"], 97);
        assert_eq!(out["vitals"]["bp"], "132/84");
        assert_eq!(out["code"], "E11.9");
        let note = out["notes"][0].as_str().unwrap();
        assert!(note.starts_with("[PATIENT_1] reports 3/10 pain"), "{note}");
        assert!(!note.contains("832-570"), "{note}");
        assert_eq!(v.restore(&out.to_string()), value.to_string());
        assert_eq!(t.get(PhiType::Name).pseudonymized, 3);
    }

    #[test]
    fn ages_over_89_get_age_surrogates_and_restore_exactly() {
        let mut v = SessionVault::new(8);
        let text = "Alex Berg, a 101 yo woman; her sister is 92 years old; son is 60 yo.";
        let out = protect(&mut v, text);
        assert!(
            out.contains("a [AGE_1] yo") && out.contains("is [AGE_2] years"),
            "{out}"
        );
        assert!(out.contains("60 yo"), "{out}");
        assert_eq!(v.restore(&out), text);
    }

    #[test]
    fn structured_fields_are_replaced_by_type_and_learned() {
        let d = detector();
        let mut v = SessionVault::new(6);
        let mut t = DisclosureTally::new();
        let p = PhiMode::Pseudonymize;
        assert_eq!(
            v.protect_field(p, FieldClass::Phi(PhiType::Mrn), "QX-4471", &mut t),
            "[MRN_1]"
        );
        assert_eq!(
            v.protect_field(p, FieldClass::StaffName, "Amos Brackwater", &mut t),
            "[STAFF_1]"
        );
        assert_eq!(
            v.protect_field(p, FieldClass::NotPhi, "E11.9", &mut t),
            "E11.9"
        );
        assert_eq!(
            v.protect_field(p, FieldClass::FreeText, "anything", &mut t),
            "[TEXT_1]"
        );
        let dob = v.protect_field(p, FieldClass::Phi(PhiType::Date), "1950-02-03", &mut t);
        assert_eq!(
            dob,
            dates::shift_text("1950-02-03", v.date_shift_days()).unwrap()
        );
        assert_eq!(
            v.protect_field(
                PhiMode::Redact,
                FieldClass::Phi(PhiType::Ssn),
                "394-52-8537",
                &mut t
            ),
            "[REDACTED_SSN]"
        );
        // Learned: later free text mentioning them is caught.
        let out = v
            .protect_text(&d, p, "Brackwater reviewed qx-4471 today.", &mut t)
            .unwrap();
        assert_eq!(out, "[STAFF_1.2] reviewed [MRN_1.2] today.");
        assert_eq!(t.get(PhiType::Ssn).redacted, 1);
        assert_eq!(
            v.restore("[STAFF_1] and [MRN_1]"),
            "Amos Brackwater and QX-4471"
        );
    }

    #[test]
    fn the_vault_serializes_and_keeps_working_after_reload() {
        let d = detector();
        let mut v = SessionVault::new(12);
        v.learn_name("Zelda Quorrel", NameRole::Patient);
        v.learn(PhiType::Mrn, "QX-4471");
        let out = protect(&mut v, "Zelda Quorrel, QX-4471, seen Jan 5.");
        assert_eq!(&out[..13], "[PATIENT_1], ");
        let json = serde_json::to_string(&v).unwrap();
        let mut back: SessionVault = serde_json::from_str(&json).unwrap();
        assert_eq!(back.restore(&out), "Zelda Quorrel, QX-4471, seen Jan 5.");
        let again = back
            .protect_text(
                &d,
                PhiMode::Pseudonymize,
                "quorrel again",
                &mut DisclosureTally::new(),
            )
            .unwrap();
        assert_eq!(again, "[PATIENT_1.2] again");
    }

    #[test]
    fn an_original_found_once_is_replaced_later_wherever_it_stands() {
        let d = detector();
        for mode in [PhiMode::Pseudonymize, PhiMode::Redact] {
            let mut v = SessionVault::new(21);
            let mut t = DisclosureTally::new();
            let first = v
                .protect_text(
                    &d,
                    mode,
                    "The daughter, Ms. Qprst, called from Frankfort, KY 40601 at 502-555-0143.",
                    &mut t,
                )
                .unwrap();
            assert!(
                !first.contains("Qprst") && !first.contains("40601"),
                "{first}"
            );
            // Later, without the context that found them.
            let later = v
                .protect_text(
                    &d,
                    mode,
                    "qprst agreed; Frankfort is far; zip 40601",
                    &mut t,
                )
                .unwrap();
            for leaked in ["rst", "Frankfort", "40601"] {
                assert!(!later.contains(leaked), "{mode}: {later}");
            }
            // And after the vault was stored and read back.
            let mut back: SessionVault =
                serde_json::from_str(&serde_json::to_string(&v).unwrap()).unwrap();
            let again = back.protect_text(&d, mode, "Qprst again", &mut t).unwrap();
            assert!(!again.contains("Qprst"), "{mode}: {again}");
        }
    }

    #[test]
    fn structured_ages_are_exact_below_90_and_aggregated_from_90() {
        let d = detector();
        let value = serde_json::json!({"age": 97, "other": {"age": 89}, "text_age": "93"});
        let classify = |k: &str| match k {
            "age" | "text_age" => FieldClass::Age,
            _ => FieldClass::NotPhi,
        };
        for mode in [PhiMode::Pseudonymize, PhiMode::Redact] {
            let mut v = SessionVault::new(1);
            let mut t = DisclosureTally::new();
            let out = v.protect_json(&d, mode, &value, &classify, &mut t).unwrap();
            assert_eq!(out["age"], AGE_90_OR_OLDER);
            assert_eq!(out["other"]["age"], 89);
            assert_eq!(out["text_age"], AGE_90_OR_OLDER);
            let c = t.get(PhiType::Age);
            assert_eq!(c.pseudonymized + c.redacted, 2);
        }
        let mut v = SessionVault::new(1);
        let out = v
            .protect_json(
                &d,
                PhiMode::Allow,
                &value,
                &classify,
                &mut DisclosureTally::new(),
            )
            .unwrap();
        assert_eq!(out, value);
    }

    #[test]
    fn a_date_whose_year_tells_an_age_over_89_is_not_shifted() {
        let mut v = SessionVault::new(2);
        v.set_reference_year(2026);
        let mut t = DisclosureTally::new();
        let old = v.protect_field(
            PhiMode::Pseudonymize,
            FieldClass::Phi(PhiType::Date),
            "1931-05-02",
            &mut t,
        );
        assert!(old.starts_with("[DATE_"), "{old}");
        let recent = v.protect_field(
            PhiMode::Pseudonymize,
            FieldClass::Phi(PhiType::Date),
            "1958-04-12",
            &mut t,
        );
        assert!(
            !recent.starts_with('[') && recent != "1958-04-12",
            "{recent}"
        );
        assert_eq!(
            v.restore(&format!("{old} {recent}")),
            "1931-05-02 1958-04-12"
        );
    }
}
