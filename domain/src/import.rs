//! The report of a FHIR import (the command line's summary, the admin upload's response):
//! what was read, imported, left aside and refused, per FHIR resource type, and why each
//! refused resource could not be used. Issues name files, entries, resource ids and fields,
//! never values from the record.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// At most this many issues are listed; the rest are counted in
/// [`ImportReport::issues_omitted`].
pub const MAX_ISSUES: usize = 1000;

/// What happened to the resources of one FHIR resource type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindCounts {
    /// Resources read.
    pub read: usize,
    /// Imported as new records.
    pub created: usize,
    /// Imported over records Ward already had (same resource id, or a patient with the
    /// same MRN).
    pub updated: usize,
    /// Not used by Ward (a resource type or category Ward does not keep).
    pub not_used: usize,
    /// Could not be used (each has an issue).
    pub failed: usize,
}

impl KindCounts {
    /// Created plus updated.
    pub fn imported(&self) -> usize {
        self.created + self.updated
    }
}

/// One resource (or file) that could not be used, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportIssue {
    /// The file, when the import read files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Where in the file: `entry 3` of a bundle, `line 12` of an NDJSON file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    /// The resource, as `Type/id` (or just the type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Why, naming the field at fault (e.g. `subject.reference is missing`).
    pub reason: String,
}

impl fmt::Display for ImportIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<&str> = vec![];
        if let Some(x) = &self.file {
            parts.push(x);
        }
        if let Some(x) = &self.entry {
            parts.push(x);
        }
        for p in parts {
            write!(f, "{p}: ")?;
        }
        if let Some(r) = &self.resource {
            write!(f, "{r}: ")?;
        }
        f.write_str(&self.reason)
    }
}

/// The whole report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// Files read (bundles, NDJSON files, single resources).
    pub files: usize,
    /// Counts per FHIR resource type (`Patient`, `Observation`, …).
    pub kinds: BTreeMap<String, KindCounts>,
    /// Resources not used by Ward, by what they were (e.g. `Observation (survey)`).
    pub not_used: BTreeMap<String, usize>,
    /// Resources and files that could not be used, at most [`MAX_ISSUES`].
    pub issues: Vec<ImportIssue>,
    /// Issues beyond [`MAX_ISSUES`], counted only.
    pub issues_omitted: usize,
}

impl ImportReport {
    /// The counts of one resource type, created on first use.
    pub fn kind(&mut self, resource_type: &str) -> &mut KindCounts {
        if !self.kinds.contains_key(resource_type) {
            self.kinds
                .insert(resource_type.to_string(), KindCounts::default());
        }
        self.kinds.get_mut(resource_type).expect("just inserted")
    }

    /// Records an issue (kept while fewer than [`MAX_ISSUES`] are listed).
    pub fn issue(&mut self, issue: ImportIssue) {
        if self.issues.len() < MAX_ISSUES {
            self.issues.push(issue);
        } else {
            self.issues_omitted += 1;
        }
    }

    /// Counts a resource that Ward does not use.
    pub fn not_used(&mut self, resource_type: &str, what: &str) {
        self.kind(resource_type).not_used += 1;
        *self.not_used.entry(what.to_string()).or_default() += 1;
    }

    /// All counts summed over the resource types.
    pub fn totals(&self) -> KindCounts {
        self.kinds.values().fold(KindCounts::default(), |mut t, k| {
            t.read += k.read;
            t.created += k.created;
            t.updated += k.updated;
            t.not_used += k.not_used;
            t.failed += k.failed;
            t
        })
    }

    /// Resources imported (created or updated).
    pub fn imported(&self) -> usize {
        self.totals().imported()
    }

    /// Whether nothing at all could be imported (the command line then exits non-zero).
    pub fn nothing_imported(&self) -> bool {
        self.imported() == 0
    }

    /// Adds another report to this one.
    pub fn merge(&mut self, other: ImportReport) {
        self.files += other.files;
        for (k, c) in other.kinds {
            let mine = self.kind(&k);
            mine.read += c.read;
            mine.created += c.created;
            mine.updated += c.updated;
            mine.not_used += c.not_used;
            mine.failed += c.failed;
        }
        for (k, n) in other.not_used {
            *self.not_used.entry(k).or_default() += n;
        }
        self.issues_omitted += other.issues_omitted;
        for i in other.issues {
            self.issue(i);
        }
    }
}

/// The percentage `part` is of `whole`, for people (one decimal).
fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".into()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

impl fmt::Display for ImportReport {
    /// A summary line, a table per resource type, what was not used and the issues.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.totals();
        writeln!(
            f,
            "{} file(s), {} resource(s): {} imported ({} new, {} updated), {} not used by Ward, \
             {} could not be used",
            self.files,
            t.read,
            t.imported(),
            t.created,
            t.updated,
            t.not_used,
            t.failed
        )?;
        writeln!(
            f,
            "{:<28} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "resource type", "read", "new", "updated", "not used", "unusable", "imported"
        )?;
        for (kind, c) in &self.kinds {
            writeln!(
                f,
                "{:<28} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
                kind,
                c.read,
                c.created,
                c.updated,
                c.not_used,
                c.failed,
                percent(c.imported(), c.read)
            )?;
        }
        if !self.not_used.is_empty() {
            writeln!(f, "Not used by Ward:")?;
            for (what, n) in &self.not_used {
                writeln!(f, "  {what}: {n}")?;
            }
        }
        if !self.issues.is_empty() {
            writeln!(f, "Could not be used:")?;
            for i in &self.issues {
                writeln!(f, "  {i}")?;
            }
            if self.issues_omitted > 0 {
                writeln!(f, "  … and {} more", self.issues_omitted)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_and_the_table_count_every_kind() {
        let mut r = ImportReport {
            files: 1,
            ..Default::default()
        };
        r.kind("Patient").read = 2;
        r.kind("Patient").created = 2;
        r.kind("Observation").read = 3;
        r.kind("Observation").updated = 1;
        r.not_used("Observation", "Observation (survey)");
        r.kind("Observation").failed = 1;
        r.issue(ImportIssue {
            file: Some("a.ndjson".into()),
            entry: Some("line 3".into()),
            resource: Some("Observation/x".into()),
            reason: "subject is missing".into(),
        });
        assert_eq!(r.imported(), 3);
        assert!(!r.nothing_imported());
        let text = r.to_string();
        assert!(text.contains("3 imported (2 new, 1 updated)"), "{text}");
        assert!(text.contains("a.ndjson: line 3: Observation/x: subject is missing"));
        assert!(text.contains("Observation (survey): 1"));
        assert!(text.contains("33.3%"), "{text}");
    }

    #[test]
    fn issues_beyond_the_cap_are_counted_not_kept() {
        let mut r = ImportReport::default();
        for i in 0..MAX_ISSUES + 5 {
            r.issue(ImportIssue {
                file: None,
                entry: Some(format!("line {i}")),
                resource: None,
                reason: "bad".into(),
            });
        }
        assert_eq!(r.issues.len(), MAX_ISSUES);
        assert_eq!(r.issues_omitted, 5);
        let mut total = ImportReport::default();
        total.merge(r);
        assert_eq!(total.issues.len() + total.issues_omitted, MAX_ISSUES + 5);
    }
}
