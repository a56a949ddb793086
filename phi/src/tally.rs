//! Accounting of disclosures: per provider request, how many identifiers of
//! each kind went out raw, pseudonymised or redacted. Only kinds and counts:
//! never a value.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::kind::{PhiMode, PhiType};

/// Counts for one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCount {
    /// Sent as is (`allow` mode).
    pub raw: u64,
    /// Replaced by a surrogate or shifted (`pseudonymize` mode).
    pub pseudonymized: u64,
    /// Removed (`redact` mode).
    pub redacted: u64,
}

/// Per provider request: how many identifiers of each type went out raw,
/// pseudonymised or redacted. Contains no PHI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DisclosureTally {
    counts: BTreeMap<PhiType, KindCount>,
}

impl DisclosureTally {
    /// An empty tally.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one identifier of `kind` sent under `mode`.
    pub fn record(&mut self, kind: PhiType, mode: PhiMode) {
        let c = self.counts.entry(kind).or_default();
        match mode {
            PhiMode::Allow => c.raw += 1,
            PhiMode::Pseudonymize => c.pseudonymized += 1,
            PhiMode::Redact => c.redacted += 1,
        }
    }

    /// Adds another tally's counts to this one.
    pub fn merge(&mut self, other: &DisclosureTally) {
        for (k, c) in &other.counts {
            let mine = self.counts.entry(*k).or_default();
            mine.raw += c.raw;
            mine.pseudonymized += c.pseudonymized;
            mine.redacted += c.redacted;
        }
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Identifiers sent raw, all kinds together.
    pub fn total_raw(&self) -> u64 {
        self.counts.values().map(|c| c.raw).sum()
    }

    /// Identifiers recorded, all kinds and modes together.
    pub fn total(&self) -> u64 {
        self.counts
            .values()
            .map(|c| c.raw + c.pseudonymized + c.redacted)
            .sum()
    }

    /// The counts for one kind (zero when none).
    pub fn get(&self, kind: PhiType) -> KindCount {
        self.counts.get(&kind).copied().unwrap_or_default()
    }

    /// Every kind with its counts, in kind order.
    pub fn iter(&self) -> impl Iterator<Item = (PhiType, KindCount)> + '_ {
        self.counts.iter().map(|(k, c)| (*k, *c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_by_kind_and_mode_and_merges() {
        let mut a = DisclosureTally::new();
        assert!(a.is_empty());
        a.record(PhiType::Name, PhiMode::Allow);
        a.record(PhiType::Name, PhiMode::Pseudonymize);
        let mut b = DisclosureTally::new();
        b.record(PhiType::Mrn, PhiMode::Redact);
        b.record(PhiType::Name, PhiMode::Allow);
        a.merge(&b);
        assert_eq!(a.total_raw(), 2);
        assert_eq!(a.total(), 4);
        assert_eq!(a.get(PhiType::Mrn).redacted, 1);
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(
            json,
            r#"{"NAME":{"raw":2,"pseudonymized":1,"redacted":0},"MRN":{"raw":0,"pseudonymized":0,"redacted":1}}"#
        );
        assert_eq!(serde_json::from_str::<DisclosureTally>(&json).unwrap(), a);
    }
}
