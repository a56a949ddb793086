//! Audit records (spec §8) and their hash chain.
//!
//! Each record's hash covers its own fields and the previous record's hash, so editing,
//! deleting, inserting or reordering any record breaks the chain at that point, and
//! [`verify_chain`] reports the first broken link. The encoding hashed is fixed here and
//! nowhere else.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

/// The hash that the first record links to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// A successful sign-in.
    Login,
    /// A failed sign-in (wrong password, unknown user, throttled).
    LoginFailed,
    /// A sign-out (refresh token revoked).
    Logout,
    /// An access token minted from a refresh token or a browser session.
    TokenIssued,
    /// A tool call through any door, allowed or not.
    ToolCall,
    /// A break-the-glass grant.
    BreakGlass,
    /// A reviewer or auditor read someone else's archived chat session.
    SessionRead,
    /// The audit trail was searched.
    AuditSearch,
    /// The audit trail was exported.
    AuditExport,
    /// The chain was verified.
    AuditVerify,
    /// A user was created or their roles, team or status changed.
    UserAdmin,
    /// A budget was changed.
    BudgetChange,
    /// A clinician message matched a known prompt-injection pattern.
    InjectionFlagged,
    /// The model asked for a tool call that the agent refused before the tool layer.
    AgentRefused,
    /// A chat message was refused by the rate limit or the budget.
    LimitReached,
    /// Clinical data was imported (FHIR bundles or Bulk Data files), by the command line
    /// or an admin's upload.
    DataImport,
    /// A chat session's patient changed: a tool ran on a patient other than the session's,
    /// and the banner now shows them.
    SessionPatient,
}

impl AuditAction {
    /// Every action.
    pub const ALL: [AuditAction; 17] = [
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::Logout,
        AuditAction::TokenIssued,
        AuditAction::ToolCall,
        AuditAction::BreakGlass,
        AuditAction::SessionRead,
        AuditAction::AuditSearch,
        AuditAction::AuditExport,
        AuditAction::AuditVerify,
        AuditAction::UserAdmin,
        AuditAction::BudgetChange,
        AuditAction::InjectionFlagged,
        AuditAction::AgentRefused,
        AuditAction::LimitReached,
        AuditAction::DataImport,
        AuditAction::SessionPatient,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::Logout => "logout",
            AuditAction::TokenIssued => "token_issued",
            AuditAction::ToolCall => "tool_call",
            AuditAction::BreakGlass => "break_glass",
            AuditAction::SessionRead => "session_read",
            AuditAction::AuditSearch => "audit_search",
            AuditAction::AuditExport => "audit_export",
            AuditAction::AuditVerify => "audit_verify",
            AuditAction::UserAdmin => "user_admin",
            AuditAction::BudgetChange => "budget_change",
            AuditAction::InjectionFlagged => "injection_flagged",
            AuditAction::AgentRefused => "agent_refused",
            AuditAction::LimitReached => "limit_reached",
            AuditAction::DataImport => "data_import",
            AuditAction::SessionPatient => "session_patient",
        }
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AuditAction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AuditAction::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| format!("unknown audit action '{s}'"))
    }
}

/// How it ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Allowed and done.
    Ok,
    /// Refused by policy, throttling or limits.
    Denied,
    /// Failed for another reason (invalid input, unknown patient, internal error).
    Error,
}

impl Outcome {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
            Outcome::Error => "error",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Outcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ok" => Ok(Outcome::Ok),
            "denied" => Ok(Outcome::Denied),
            "error" => Ok(Outcome::Error),
            other => Err(format!("unknown outcome '{other}'")),
        }
    }
}

/// The content of one audit record, before it is chained.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// When, truncated to microseconds (the precision every database keeps).
    pub occurred_at: DateTime<Utc>,
    /// The username of the actor (or the name tried, for failed logins).
    pub actor: String,
    /// The actor's roles, comma-separated.
    pub roles: String,
    /// The client's IP address.
    pub client_ip: Option<String>,
    /// The request id of the HTTP request.
    pub request_id: Option<String>,
    /// What happened.
    pub action: AuditAction,
    /// The patient concerned.
    pub patient_id: Option<String>,
    /// The tool concerned.
    pub tool: Option<String>,
    /// The arguments, PHI-free, as compact JSON text.
    pub arguments: Option<String>,
    /// How it ended.
    pub outcome: Outcome,
    /// Why (a denial code, an error code, a break-the-glass reason).
    pub reason: Option<String>,
    /// The chat session concerned.
    pub session_id: Option<String>,
}

impl AuditEntry {
    /// A new entry stamped now (microsecond precision), with everything optional empty.
    pub fn new(
        now: DateTime<Utc>,
        actor: &str,
        roles: &str,
        action: AuditAction,
        outcome: Outcome,
    ) -> Self {
        AuditEntry {
            occurred_at: truncate_to_micros(now),
            actor: actor.to_string(),
            roles: roles.to_string(),
            client_ip: None,
            request_id: None,
            action,
            patient_id: None,
            tool: None,
            arguments: None,
            outcome,
            reason: None,
            session_id: None,
        }
    }
}

/// Drops sub-microsecond precision so a timestamp survives a database round trip.
pub fn truncate_to_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}

/// A record as stored: its entry, its place in the chain and the two hashes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainedRecord {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// The content.
    #[serde(flatten)]
    pub entry: AuditEntry,
    /// The previous record's hash ([`GENESIS_HASH`] for the first).
    pub prev_hash: String,
    /// This record's hash.
    pub hash: String,
}

fn put(h: &mut Sha256, field: Option<&str>) {
    match field {
        None => h.update(b"-;"),
        Some(s) => {
            h.update(s.len().to_string().as_bytes());
            h.update(b":");
            h.update(s.as_bytes());
            h.update(b";");
        }
    }
}

/// The hash of a record at `seq` with content `entry` that follows `prev_hash`: SHA-256
/// over a length-prefixed encoding of every field, in a fixed order.
pub fn chain_hash(seq: i64, entry: &AuditEntry, prev_hash: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"ward-audit-v1;");
    put(&mut h, Some(&seq.to_string()));
    put(
        &mut h,
        Some(
            &entry
                .occurred_at
                .to_rfc3339_opts(SecondsFormat::Micros, true),
        ),
    );
    put(&mut h, Some(&entry.actor));
    put(&mut h, Some(&entry.roles));
    put(&mut h, entry.client_ip.as_deref());
    put(&mut h, entry.request_id.as_deref());
    put(&mut h, Some(entry.action.as_str()));
    put(&mut h, entry.patient_id.as_deref());
    put(&mut h, entry.tool.as_deref());
    put(&mut h, entry.arguments.as_deref());
    put(&mut h, Some(entry.outcome.as_str()));
    put(&mut h, entry.reason.as_deref());
    put(&mut h, entry.session_id.as_deref());
    put(&mut h, Some(prev_hash));
    hex::encode(h.finalize())
}

/// Chains `entry` after a record with `prev` = (seq, hash), or after the genesis.
pub fn chain(entry: AuditEntry, prev: Option<(i64, &str)>) -> ChainedRecord {
    let (seq, prev_hash) = match prev {
        Some((s, h)) => (s + 1, h.to_string()),
        None => (1, GENESIS_HASH.to_string()),
    };
    let hash = chain_hash(seq, &entry, &prev_hash);
    ChainedRecord {
        seq,
        entry,
        prev_hash,
        hash,
    }
}

/// The result of verifying a chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainReport {
    /// Whether every link holds.
    pub ok: bool,
    /// How many records were checked.
    pub records_checked: u64,
    /// The sequence number of the first record that does not verify.
    pub first_broken_seq: Option<i64>,
    /// What is wrong there.
    pub problem: Option<String>,
}

/// Incremental verifier: feed records in `seq` order, then call [`ChainVerifier::finish`]
/// with the chain head as recorded separately.
#[derive(Debug)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
    checked: u64,
    broken: Option<(i64, String)>,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_string(),
            checked: 0,
            broken: None,
        }
    }
}

impl ChainVerifier {
    /// Checks the next record; after the first broken link, later records are ignored.
    pub fn push(&mut self, r: &ChainedRecord) {
        if self.broken.is_some() {
            return;
        }
        self.checked += 1;
        let problem = if r.seq != self.expected_seq {
            Some(format!(
                "expected record {} but found {} (a record was deleted, inserted or moved)",
                self.expected_seq, r.seq
            ))
        } else if r.prev_hash != self.prev_hash {
            Some("its previous-hash does not match the record before it".to_string())
        } else if chain_hash(r.seq, &r.entry, &r.prev_hash) != r.hash {
            Some("its content does not match its hash (the record was edited)".to_string())
        } else {
            None
        };
        if let Some(p) = problem {
            self.broken = Some((self.expected_seq.min(r.seq), p));
            return;
        }
        self.expected_seq += 1;
        self.prev_hash = r.hash.clone();
    }

    /// Ends verification. `head` is the (seq, hash) of the last record as recorded in the
    /// chain head; a mismatch means records were removed from the end.
    pub fn finish(self, head: Option<(i64, &str)>) -> ChainReport {
        let mut broken = self.broken;
        if broken.is_none() {
            let last = (self.expected_seq - 1, self.prev_hash.as_str());
            let expected = head.unwrap_or((0, GENESIS_HASH));
            if last.0 != expected.0 || last.1 != expected.1 {
                broken = Some((
                    last.0 + 1,
                    format!(
                        "the chain ends at record {} but its head says {} (records were removed \
                         from the end)",
                        last.0, expected.0
                    ),
                ));
            }
        }
        ChainReport {
            ok: broken.is_none(),
            records_checked: self.checked,
            first_broken_seq: broken.as_ref().map(|b| b.0),
            problem: broken.map(|b| b.1),
        }
    }
}

/// Verifies a whole chain held in memory.
pub fn verify_chain<'a>(
    records: impl IntoIterator<Item = &'a ChainedRecord>,
    head: Option<(i64, &str)>,
) -> ChainReport {
    let mut v = ChainVerifier::default();
    for r in records {
        v.push(r);
    }
    v.finish(head)
}

/// Export formats of audit records: CSV rows and FHIR R4 AuditEvent resources.
pub mod export {
    use super::{AuditAction, ChainedRecord, Outcome};
    use chrono::SecondsFormat;
    use serde_json::{json, Value};

    /// The CSV header line.
    pub const CSV_HEADER: &str = "seq,occurred_at,actor,roles,client_ip,request_id,action,\
patient_id,tool,arguments,outcome,reason,session_id,prev_hash,hash";

    fn cell(s: Option<&str>) -> String {
        let s = s.unwrap_or_default();
        // Neutralise spreadsheet formulas and quote every cell.
        let guarded = if s.starts_with(['=', '+', '-', '@']) {
            format!("'{s}")
        } else {
            s.to_string()
        };
        format!("\"{}\"", guarded.replace('"', "\"\""))
    }

    /// One record as a CSV row (every cell quoted; formula prefixes neutralised).
    pub fn csv_row(r: &ChainedRecord) -> String {
        let e = &r.entry;
        let time = e.occurred_at.to_rfc3339_opts(SecondsFormat::Micros, true);
        let seq = r.seq.to_string();
        [
            Some(seq.as_str()),
            Some(time.as_str()),
            Some(e.actor.as_str()),
            Some(e.roles.as_str()),
            e.client_ip.as_deref(),
            e.request_id.as_deref(),
            Some(e.action.as_str()),
            e.patient_id.as_deref(),
            e.tool.as_deref(),
            e.arguments.as_deref(),
            Some(e.outcome.as_str()),
            e.reason.as_deref(),
            e.session_id.as_deref(),
            Some(r.prev_hash.as_str()),
            Some(r.hash.as_str()),
        ]
        .into_iter()
        .map(cell)
        .collect::<Vec<_>>()
        .join(",")
    }

    /// One record as a FHIR R4 AuditEvent resource.
    pub fn fhir_audit_event(r: &ChainedRecord) -> Value {
        let e = &r.entry;
        let (type_code, type_display) = match e.action {
            AuditAction::Login
            | AuditAction::LoginFailed
            | AuditAction::Logout
            | AuditAction::TokenIssued => ("110114", "User Authentication"),
            AuditAction::AuditExport => ("110106", "Export"),
            AuditAction::ToolCall | AuditAction::SessionRead | AuditAction::BreakGlass => {
                ("110110", "Patient Record")
            }
            _ => ("110100", "Application Activity"),
        };
        let action = match e.action {
            AuditAction::UserAdmin | AuditAction::BudgetChange => "U",
            AuditAction::Login
            | AuditAction::LoginFailed
            | AuditAction::Logout
            | AuditAction::TokenIssued
            | AuditAction::BreakGlass
            | AuditAction::AuditVerify => "E",
            _ => "R",
        };
        let outcome = match e.outcome {
            Outcome::Ok => "0",
            Outcome::Denied => "4",
            Outcome::Error => "8",
        };
        let mut agent = json!({
            "who": {"identifier": {"value": e.actor}},
            "requestor": true,
            "role": [{"text": e.roles}]
        });
        if let Some(ip) = &e.client_ip {
            agent["network"] = json!({"address": ip, "type": "2"});
        }
        let mut entities = vec![];
        if let Some(p) = &e.patient_id {
            entities.push(json!({
                "what": {"reference": format!("Patient/{p}")},
                "type": {"system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "1", "display": "Person"},
                "role": {"system": "http://terminology.hl7.org/CodeSystem/object-role", "code": "1", "display": "Patient"}
            }));
        }
        if let Some(t) = &e.tool {
            let mut ent = json!({"what": {"display": t}, "type": {"system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "2", "display": "System Object"}});
            if let Some(a) = &e.arguments {
                ent["detail"] = json!([{"type": "arguments", "valueString": a}]);
            }
            entities.push(ent);
        }
        if let Some(s) = &e.session_id {
            entities.push(
                json!({"what": {"identifier": {"system": "urn:ward:chat-session", "value": s}}}),
            );
        }
        let mut v = json!({
            "resourceType": "AuditEvent",
            "id": r.seq.to_string(),
            "type": {"system": "http://dicom.nema.org/resources/ontology/DCM", "code": type_code, "display": type_display},
            "subtype": [{"system": "urn:ward:audit-action", "code": e.action.as_str()}],
            "action": action,
            "recorded": e.occurred_at.to_rfc3339_opts(SecondsFormat::Micros, true),
            "outcome": outcome,
            "agent": [agent],
            "source": {"observer": {"display": "Ward"}, "type": [{"system": "http://terminology.hl7.org/CodeSystem/security-source-type", "code": "4", "display": "Application Server"}]},
            "entity": entities,
            "extension": [{"url": "urn:ward:audit-chain", "valueString": format!("{}:{}", r.prev_hash, r.hash)}]
        });
        if let Some(reason) = &e.reason {
            v["outcomeDesc"] = json!(reason);
        }
        if let Some(rid) = &e.request_id {
            v["source"]["site"] = json!(rid);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_chain(n: usize) -> Vec<ChainedRecord> {
        let t0 = DateTime::from_timestamp(1_700_000_000, 123_456_789).unwrap();
        let mut out: Vec<ChainedRecord> = vec![];
        for i in 0..n {
            let mut e = AuditEntry::new(
                t0 + chrono::Duration::seconds(i as i64),
                "doctor",
                "doctor",
                AuditAction::ToolCall,
                Outcome::Ok,
            );
            e.patient_id = Some(format!("PAT-{i:03}"));
            e.tool = Some("get_lab_results".into());
            let prev = out.last().map(|r| (r.seq, r.hash.as_str()));
            out.push(chain(e, prev));
        }
        out
    }

    fn head(c: &[ChainedRecord]) -> Option<(i64, &str)> {
        c.last().map(|r| (r.seq, r.hash.as_str()))
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = sample_chain(5);
        let r = verify_chain(&c, head(&c));
        assert!(r.ok, "{r:?}");
        assert_eq!(r.records_checked, 5);
        assert!(verify_chain(&[], None).ok);
    }

    #[test]
    fn audit_chain_detects_an_edited_record() {
        let mut c = sample_chain(5);
        let h = c[4].hash.clone();
        c[2].entry.outcome = Outcome::Denied;
        let r = verify_chain(&c, Some((5, &h)));
        assert_eq!(r.first_broken_seq, Some(3), "{r:?}");
    }

    #[test]
    fn audit_chain_detects_a_deleted_record() {
        let mut c = sample_chain(5);
        let h = c[4].hash.clone();
        c.remove(1);
        assert_eq!(verify_chain(&c, Some((5, &h))).first_broken_seq, Some(2));
    }

    #[test]
    fn audit_chain_detects_a_deleted_last_record() {
        let mut c = sample_chain(5);
        let h = c[4].hash.clone();
        c.pop();
        assert_eq!(verify_chain(&c, Some((5, &h))).first_broken_seq, Some(5));
    }

    #[test]
    fn audit_chain_detects_an_inserted_record() {
        let mut c = sample_chain(5);
        let h = c[4].hash.clone();
        let mut forged = c[2].clone();
        forged.entry.actor = "mallory".into();
        forged.hash = chain_hash(forged.seq, &forged.entry, &forged.prev_hash);
        c.insert(3, forged);
        assert!(!verify_chain(&c, Some((5, &h))).ok);
    }

    #[test]
    fn audit_chain_detects_reordered_records() {
        let mut c = sample_chain(5);
        let h = c[4].hash.clone();
        // Swap the contents of records 2 and 3 but keep their sequence numbers.
        let (a, b) = (c[1].entry.clone(), c[2].entry.clone());
        c[1].entry = b;
        c[2].entry = a;
        assert_eq!(verify_chain(&c, Some((5, &h))).first_broken_seq, Some(2));
    }

    #[test]
    fn exports_quote_csv_cells_and_map_to_fhir_audit_events() {
        let mut r = sample_chain(1).remove(0);
        r.entry.reason = Some("=HYPERLINK(\"x\")".into());
        r.entry.outcome = Outcome::Denied;
        let row = export::csv_row(&r);
        assert!(row.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{row}");
        assert_eq!(
            row.split("\",\"").count(),
            export::CSV_HEADER.split(',').count()
        );
        let f = export::fhir_audit_event(&r);
        assert_eq!(f["resourceType"], "AuditEvent");
        assert_eq!(f["outcome"], "4");
        assert_eq!(f["entity"][0]["what"]["reference"], "Patient/PAT-000");
    }

    #[test]
    fn every_field_is_covered_by_the_hash() {
        let base = sample_chain(1).remove(0);
        type Edit = Box<dyn Fn(&mut AuditEntry)>;
        let edits: Vec<Edit> = vec![
            Box::new(|e| e.occurred_at += chrono::Duration::microseconds(1)),
            Box::new(|e| e.actor.push('x')),
            Box::new(|e| e.roles.push('x')),
            Box::new(|e| e.client_ip = Some("10.0.0.1".into())),
            Box::new(|e| e.request_id = Some("r".into())),
            Box::new(|e| e.action = AuditAction::Login),
            Box::new(|e| e.patient_id = None),
            Box::new(|e| e.tool = None),
            Box::new(|e| e.arguments = Some("{}".into())),
            Box::new(|e| e.outcome = Outcome::Error),
            Box::new(|e| e.reason = Some("x".into())),
            Box::new(|e| e.session_id = Some("s".into())),
        ];
        for (i, edit) in edits.iter().enumerate() {
            let mut e = base.entry.clone();
            edit(&mut e);
            assert_ne!(chain_hash(1, &e, GENESIS_HASH), base.hash, "field {i}");
        }
    }
}
