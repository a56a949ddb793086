//! Identifiers Ward already knows: patients' and staff members' names, MRNs
//! and other identifiers from the database, and those learned from a
//! session's tool results. They are matched exactly (ignoring ASCII case)
//! with one Aho-Corasick automaton, built lazily and rebuilt after a change.

use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::detect::scan::{prio, Cand, Person};
use crate::detect::token;
use crate::kind::{NameRole, PhiType};
use crate::lexicon::{self, WORD};

/// One pattern to match.
#[derive(Debug, Clone)]
struct Entry {
    pattern: String,
    kind: PhiType,
    /// Index into `persons` for names of a known person.
    person: Option<u32>,
    /// A given or family name alone: in text it must be capitalised when it
    /// is also an ordinary word ("Hope", "Will").
    needs_cap: bool,
}

#[derive(Debug, Clone, Default)]
struct Inner {
    entries: Vec<Entry>,
    persons: Vec<Person>,
    matcher: OnceLock<Option<AhoCorasick>>,
}

/// Identifiers Ward already knows (patients and staff from the database; a
/// session's tool results). Cheap to clone or share: clones share storage
/// until one of them is changed.
#[derive(Debug, Clone, Default)]
pub struct KnownIdentifiers {
    inner: Arc<Inner>,
}

/// The serialised form: entries only (the automaton is rebuilt on use).
#[derive(Serialize, Deserialize)]
struct Stored {
    names: Vec<(String, Option<NameRole>)>,
    ids: Vec<(PhiType, String)>,
}

impl KnownIdentifiers {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        self.inner.entries.is_empty()
    }

    /// How many patterns are matched (a full name and its parts count
    /// separately).
    pub fn len(&self) -> usize {
        self.inner.entries.len()
    }

    fn inner_mut(&mut self) -> &mut Inner {
        let inner = Arc::make_mut(&mut self.inner);
        inner.matcher = OnceLock::new();
        inner
    }

    /// Adds one known identifier. A `Name` added this way has no role and
    /// gets `[PERSON_n]` surrogates; use [`KnownIdentifiers::add_name`] for
    /// patients and staff. Values shorter than 2 characters are ignored.
    pub fn add(&mut self, kind: PhiType, value: &str) {
        let value = value.trim();
        if value.chars().count() < 2 {
            return;
        }
        if kind == PhiType::Name {
            self.add_person(value, None);
            return;
        }
        let inner = self.inner_mut();
        if inner
            .entries
            .iter()
            .any(|e| e.kind == kind && e.pattern.eq_ignore_ascii_case(value))
        {
            return;
        }
        inner.entries.push(Entry {
            pattern: value.to_string(),
            kind,
            person: None,
            needs_cap: false,
        });
        // "43-039-117" is also written "43039117".
        let compact: String = value.chars().filter(|c| c.is_alphanumeric()).collect();
        if compact.len() >= 6 && compact != value {
            inner.entries.push(Entry {
                pattern: compact,
                kind,
                person: None,
                needs_cap: false,
            });
        }
    }

    /// Adds a person's full name; also learns the given and family names
    /// alone (and "Family, Given").
    pub fn add_name(&mut self, full_name: &str, role: NameRole) {
        self.add_person(full_name, Some(role));
    }

    fn add_person(&mut self, full_name: &str, role: Option<NameRole>) {
        let full: String = full_name.split_whitespace().collect::<Vec<_>>().join(" ");
        if full.chars().count() < 2 {
            return;
        }
        let inner = self.inner_mut();
        if inner
            .persons
            .iter()
            .any(|p| p.full.eq_ignore_ascii_case(&full) && p.role == role)
        {
            return;
        }
        let idx = inner.persons.len() as u32;
        inner.persons.push(Person {
            role,
            full: Arc::from(full.as_str()),
        });
        let words: Vec<&str> = full
            .split(' ')
            .filter(|w| w.trim_end_matches('.').chars().count() > 1)
            .collect();
        // A one-word name that is also an ordinary word ("Hope") must be capitalised.
        let lone_word = words.len() < 2
            && (lexicon::lexicon().flags(&full) & WORD != 0 || full.chars().count() < 3);
        let mut patterns = vec![(full.clone(), lone_word)];
        if words.len() >= 2 {
            let given = words[0];
            let family = words[words.len() - 1];
            patterns.push((format!("{family}, {given}"), false));
            patterns.push((format!("{given} {family}"), false));
            for part in [given, family] {
                let flags = lexicon::lexicon().flags(part);
                patterns.push((part.to_string(), flags & WORD != 0 || part.len() < 3));
            }
        }
        for (pattern, needs_cap) in patterns {
            if inner
                .entries
                .iter()
                .any(|e| e.kind == PhiType::Name && e.pattern.eq_ignore_ascii_case(&pattern))
            {
                continue; // the first person keeps a shared name part
            }
            inner.entries.push(Entry {
                pattern,
                kind: PhiType::Name,
                person: Some(idx),
                needs_cap,
            });
        }
    }

    /// Merges another set into this one.
    pub fn extend(&mut self, other: &KnownIdentifiers) {
        let stored = other.stored();
        for (name, role) in stored.names {
            match role {
                Some(r) => self.add_name(&name, r),
                None => self.add(PhiType::Name, &name),
            }
        }
        for (kind, v) in stored.ids {
            self.add(kind, &v);
        }
    }

    fn matcher(&self) -> Option<&AhoCorasick> {
        self.inner
            .matcher
            .get_or_init(|| {
                if self.inner.entries.is_empty() {
                    return None;
                }
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(self.inner.entries.iter().map(|e| e.pattern.as_str()))
                    .ok()
            })
            .as_ref()
    }

    /// Builds the automaton now (so the first request does not pay for it).
    pub(crate) fn prepare(&self) {
        let _ = self.matcher();
    }

    /// Appends a candidate for every whole-word occurrence in `text`.
    pub(crate) fn find(&self, text: &str, out: &mut Vec<Cand>) {
        let Some(ac) = self.matcher() else { return };
        for m in ac.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            let Some(entry) = self.inner.entries.get(m.pattern().as_usize()) else {
                continue;
            };
            let before = token::char_before(text, s);
            let after = text.get(e..).and_then(|r| r.chars().next());
            if before.is_some_and(|c| c.is_alphanumeric())
                || after.is_some_and(|c| c.is_alphanumeric())
            {
                continue;
            }
            if entry.needs_cap && !text[s..].starts_with(|c: char| c.is_uppercase()) {
                continue;
            }
            out.push(Cand {
                start: s,
                end: e,
                kind: entry.kind,
                prio: prio::KNOWN,
                person: entry
                    .person
                    .and_then(|p| self.inner.persons.get(p as usize).cloned()),
            });
        }
    }

    fn stored(&self) -> Stored {
        let names = self
            .inner
            .persons
            .iter()
            .map(|p| (p.full.to_string(), p.role))
            .collect();
        let ids = self
            .inner
            .entries
            .iter()
            .filter(|e| e.kind != PhiType::Name)
            .map(|e| (e.kind, e.pattern.clone()))
            .collect();
        Stored { names, ids }
    }
}

impl Serialize for KnownIdentifiers {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.stored().serialize(s)
    }
}

impl<'de> Deserialize<'de> for KnownIdentifiers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let stored = Stored::deserialize(d)?;
        let mut k = KnownIdentifiers::new();
        for (name, role) in stored.names {
            match role {
                Some(r) => k.add_name(&name, r),
                None => k.add(PhiType::Name, &name),
            }
        }
        for (kind, v) in stored.ids {
            k.add(kind, &v);
        }
        Ok(k)
    }
}
