//! The accounting of disclosures (HIPAA 164.528): what Ward sent to an LLM provider,
//! per request — when, for which patient (the chat session's), to which provider and
//! model, in which PHI mode, at whose request, and how many identifiers of each kind went
//! out raw, pseudonymised or redacted. Built from `phi_disclosures`, which every chat turn
//! writes in the same transaction as the provider call's reservation; counts only, never
//! a value. Requests that carried no identifier are not disclosures and are left out.
//!
//! Read by auditors as pages (`GET /frontend/api/audit/disclosures/`) and exported, a page
//! at a time while it is sent, as CSV or as FHIR R4 AuditEvent resources (NDJSON).

use crate::db::statement;
use crate::error::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, QueryResult};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use ward_domain::api::{DisclosureKind, DisclosurePage, DisclosureRecord};
use ward_domain::audit::export::cell;

/// Filters of the accounting. All optional; they combine with AND.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DisclosureQuery {
    /// Patient id (exact).
    pub patient: Option<String>,
    /// Provider (exact).
    pub provider: Option<String>,
    /// Clinician username (exact).
    pub clinician: Option<String>,
    /// From this time (RFC 3339 or YYYY-MM-DD), inclusive.
    pub from: Option<String>,
    /// Until this time, exclusive.
    pub to: Option<String>,
    /// Only disclosures older than this id (paging).
    pub before_id: Option<i64>,
    /// Page size (1–500, default 100).
    pub limit: Option<u64>,
}

fn parse_time(field: &'static str, s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc())
        })
        .map_err(|_| {
            Error::bad_request(
                "invalid_query",
                format!("{field} must be an RFC 3339 time or a YYYY-MM-DD date"),
            )
        })
}

/// The SQL `WHERE` clause and values of `q`'s filters, with `extra` (a cursor condition on
/// `d.id`, written with the next placeholder number) appended.
fn where_clause(q: &DisclosureQuery) -> Result<(String, Vec<sea_orm::Value>)> {
    let mut sql = String::from("d.tally <> '{}'");
    let mut values: Vec<sea_orm::Value> = vec![];
    let mut add = |cond: &str, v: sea_orm::Value, values: &mut Vec<sea_orm::Value>| {
        values.push(v);
        sql.push_str(&format!(" AND {cond} ${}", values.len()));
    };
    fn set(o: &Option<String>) -> Option<&str> {
        o.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    if let Some(p) = set(&q.patient) {
        add("s.patient_id =", p.into(), &mut values);
    }
    if let Some(p) = set(&q.provider) {
        add("d.provider =", p.into(), &mut values);
    }
    if let Some(c) = set(&q.clinician) {
        add("u.username =", c.into(), &mut values);
    }
    if let Some(f) = set(&q.from) {
        add(
            "d.created_at >=",
            parse_time("from", f)?.into(),
            &mut values,
        );
    }
    if let Some(t) = set(&q.to) {
        add("d.created_at <", parse_time("to", t)?.into(), &mut values);
    }
    Ok((sql, values))
}

const SELECT: &str = "SELECT d.id, d.created_at, s.patient_id, d.provider, d.model, d.mode, \
     u.username, d.session_id, d.tally FROM phi_disclosures d JOIN users u ON u.id = d.user_id \
     LEFT JOIN chat_sessions s ON s.id = d.session_id WHERE ";

#[derive(Deserialize, Default)]
struct Counts {
    #[serde(default)]
    raw: u64,
    #[serde(default)]
    pseudonymized: u64,
    #[serde(default)]
    redacted: u64,
}

fn record_of(r: &QueryResult) -> Result<DisclosureRecord, sea_orm::DbErr> {
    let tally: String = r.try_get("", "tally")?;
    let counts: BTreeMap<String, Counts> = serde_json::from_str(&tally).unwrap_or_default();
    Ok(DisclosureRecord {
        id: r.try_get("", "id")?,
        disclosed_at: r
            .try_get::<DateTime<Utc>>("", "created_at")?
            .to_rfc3339_opts(SecondsFormat::Secs, true),
        patient_id: r.try_get("", "patient_id")?,
        provider: r.try_get("", "provider")?,
        model: r.try_get("", "model")?,
        phi_mode: r.try_get("", "mode")?,
        clinician: r.try_get("", "username")?,
        session_id: r.try_get("", "session_id")?,
        kinds: counts
            .into_iter()
            .map(|(kind, c)| DisclosureKind {
                kind,
                raw: c.raw,
                pseudonymized: c.pseudonymized,
                redacted: c.redacted,
            })
            .collect(),
    })
}

/// Reads up to `limit` disclosures matching `q`, with ids below `before` (newest first)
/// or, with `after`, above it (oldest first).
async fn read(
    db: &DatabaseConnection,
    q: &DisclosureQuery,
    cursor: Cursor,
    limit: u64,
) -> Result<Vec<DisclosureRecord>> {
    let (mut sql, mut values) = where_clause(q)?;
    let order = match cursor {
        Cursor::Before(Some(b)) => {
            values.push(b.into());
            sql.push_str(&format!(" AND d.id < ${}", values.len()));
            "DESC"
        }
        Cursor::Before(None) => "DESC",
        Cursor::After(a) => {
            values.push(a.into());
            sql.push_str(&format!(" AND d.id > ${}", values.len()));
            "ASC"
        }
    };
    values.push((limit as i64).into());
    let sql = format!(
        "{SELECT}{sql} ORDER BY d.id {order} LIMIT ${}",
        values.len()
    );
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    Ok(rows.iter().map(record_of).collect::<Result<_, _>>()?)
}

#[derive(Clone, Copy)]
enum Cursor {
    Before(Option<i64>),
    After(i64),
}

/// One page of the accounting, newest first.
pub async fn page(db: &DatabaseConnection, q: &DisclosureQuery) -> Result<DisclosurePage> {
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let mut records = read(db, q, Cursor::Before(q.before_id), limit + 1).await?;
    let more = records.len() as u64 > limit;
    records.truncate(limit as usize);
    Ok(DisclosurePage {
        next_before_id: if more {
            records.last().map(|r| r.id)
        } else {
            None
        },
        records,
    })
}

/// Export formats of the accounting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DisclosureFormat {
    /// CSV with a header line, one disclosure a row.
    Csv,
    /// FHIR R4 AuditEvent resources, one a line (NDJSON).
    FhirNdjson,
}

impl std::str::FromStr for DisclosureFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "csv" => Ok(DisclosureFormat::Csv),
            "fhir" => Ok(DisclosureFormat::FhirNdjson),
            _ => Err(Error::bad_request(
                "invalid_format",
                "format must be csv or fhir",
            )),
        }
    }
}

/// The CSV header of the export.
pub const CSV_HEADER: &str =
    "id,disclosed_at,patient_id,provider,model,phi_mode,clinician,session_id,kinds,identifiers";

/// The kinds of a disclosure as one cell: `NAME pseudonymized=2; DATE redacted=1`.
fn kinds_text(r: &DisclosureRecord) -> String {
    r.kinds
        .iter()
        .map(|k| {
            let mut parts = vec![k.kind.clone()];
            for (n, c) in [
                ("raw", k.raw),
                ("pseudonymized", k.pseudonymized),
                ("redacted", k.redacted),
            ] {
                if c > 0 {
                    parts.push(format!("{n}={c}"));
                }
            }
            parts.join(" ")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn total(r: &DisclosureRecord) -> u64 {
    r.kinds
        .iter()
        .map(|k| k.raw + k.pseudonymized + k.redacted)
        .sum()
}

/// One disclosure as a CSV row.
pub fn csv_row(r: &DisclosureRecord) -> String {
    let id = r.id.to_string();
    let n = total(r).to_string();
    let kinds = kinds_text(r);
    [
        Some(id.as_str()),
        Some(r.disclosed_at.as_str()),
        r.patient_id.as_deref(),
        Some(r.provider.as_str()),
        Some(r.model.as_str()),
        Some(r.phi_mode.as_str()),
        Some(r.clinician.as_str()),
        Some(r.session_id.as_str()),
        Some(kinds.as_str()),
        Some(n.as_str()),
    ]
    .into_iter()
    .map(cell)
    .collect::<Vec<_>>()
    .join(",")
}

/// One disclosure as a FHIR R4 AuditEvent: a transmission (DICOM 110106 "Export") by
/// Ward, requested by the clinician, to the provider as the destination, about the
/// patient, with the kinds and counts as entity details.
pub fn fhir_audit_event(r: &DisclosureRecord) -> Value {
    let mut entities = vec![];
    if let Some(p) = &r.patient_id {
        entities.push(json!({
            "what": {"reference": format!("Patient/{p}")},
            "type": {"system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "1", "display": "Person"},
            "role": {"system": "http://terminology.hl7.org/CodeSystem/object-role", "code": "1", "display": "Patient"}
        }));
    }
    let details: Vec<Value> = r
        .kinds
        .iter()
        .map(|k| {
            json!({"type": k.kind, "valueString": format!("raw={} pseudonymized={} redacted={}", k.raw, k.pseudonymized, k.redacted)})
        })
        .collect();
    entities.push(json!({
        "what": {"identifier": {"system": "urn:ward:chat-session", "value": r.session_id}},
        "type": {"system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "2", "display": "System Object"},
        "description": format!("PHI mode {}", r.phi_mode),
        "detail": details
    }));
    json!({
        "resourceType": "AuditEvent",
        "id": format!("disclosure-{}", r.id),
        "type": {"system": "http://dicom.nema.org/resources/ontology/DCM", "code": "110106", "display": "Export"},
        "subtype": [{"system": "urn:ward:audit-action", "code": "phi_disclosure"}],
        "action": "E",
        "recorded": r.disclosed_at,
        "outcome": "0",
        "purposeOfEvent": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "TREAT"}]}],
        "agent": [
            {"who": {"identifier": {"value": r.clinician}}, "requestor": true},
            {
                "who": {"display": format!("{} ({})", r.provider, r.model)},
                "requestor": false,
                "type": {"coding": [{"system": "http://dicom.nema.org/resources/ontology/DCM", "code": "110152", "display": "Destination Role ID"}]}
            }
        ],
        "source": {"observer": {"display": "Ward"}, "type": [{"system": "http://terminology.hl7.org/CodeSystem/security-source-type", "code": "4", "display": "Application Server"}]},
        "entity": entities
    })
}

/// The records an export reads per query.
const EXPORT_PAGE: u64 = 500;

/// Every disclosure matching `q` (ignoring its paging), oldest first, in `format`, as a
/// stream of text chunks read a page at a time (constant memory). Invalid filters are
/// refused before the stream starts.
pub fn export_stream(
    db: DatabaseConnection,
    q: &DisclosureQuery,
    format: DisclosureFormat,
) -> Result<impl futures::Stream<Item = Result<String>> + Send + 'static> {
    use futures::StreamExt;
    where_clause(q)?;
    let q = q.clone();
    let header = (format == DisclosureFormat::Csv).then(|| format!("{CSV_HEADER}\n"));
    let pages = futures::stream::try_unfold(
        (db, q, 0i64, false),
        move |(db, q, after, done)| async move {
            if done {
                return Ok::<_, Error>(None);
            }
            let records = read(&db, &q, Cursor::After(after), EXPORT_PAGE).await?;
            let Some(last) = records.last().map(|r| r.id) else {
                return Ok(None);
            };
            let full = records.len() as u64 == EXPORT_PAGE;
            let mut out = String::new();
            for r in &records {
                match format {
                    DisclosureFormat::Csv => out.push_str(&csv_row(r)),
                    DisclosureFormat::FhirNdjson => out.push_str(&fhir_audit_event(r).to_string()),
                }
                out.push('\n');
            }
            Ok(Some((out, (db, q, last, !full))))
        },
    );
    Ok(futures::stream::iter(header.map(Ok)).chain(pages))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> DisclosureRecord {
        DisclosureRecord {
            id: 7,
            disclosed_at: "2026-12-07T10:00:00Z".into(),
            patient_id: Some("PAT-001".into()),
            provider: "openai".into(),
            model: "gpt-4o".into(),
            phi_mode: "pseudonymize".into(),
            clinician: "doctor".into(),
            session_id: "s-1".into(),
            kinds: vec![
                DisclosureKind {
                    kind: "NAME".into(),
                    raw: 0,
                    pseudonymized: 2,
                    redacted: 0,
                },
                DisclosureKind {
                    kind: "DATE".into(),
                    raw: 0,
                    pseudonymized: 1,
                    redacted: 0,
                },
            ],
        }
    }

    #[test]
    fn a_disclosure_becomes_a_csv_row_and_a_fhir_audit_event() {
        let r = sample();
        let row = csv_row(&r);
        assert_eq!(row.split("\",\"").count(), CSV_HEADER.split(',').count());
        assert!(
            row.contains("\"NAME pseudonymized=2; DATE pseudonymized=1\""),
            "{row}"
        );
        assert!(row.ends_with("\"3\""), "{row}");
        let f = fhir_audit_event(&r);
        assert_eq!(f["resourceType"], "AuditEvent");
        assert_eq!(f["entity"][0]["what"]["reference"], "Patient/PAT-001");
        assert_eq!(f["agent"][0]["who"]["identifier"]["value"], "doctor");
        assert_eq!(f["entity"][1]["detail"][0]["type"], "NAME");
        assert_eq!(f["entity"][1]["description"], "PHI mode pseudonymize");
    }
}
