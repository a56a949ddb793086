//! The tool layer: the one function through which every door (the chat agent, the
//! `mcp-proxy`, the MCP endpoint) runs a tool.
//!
//! [`call_tool`] validates the arguments against the tool's schema, checks the patient
//! exists and (in a chat) is bound to the session, asks the policy, runs the query, masks
//! the result for the caller's roles, and releases it only after its audit record is
//! written. Every outcome, allowed or not, writes exactly one audit record.
//!
//! The order is held by types: a query runs only with a [`queries::Allowed`], which only
//! the policy's `Allow` makes ([`queries::Allowed::decide`]); it answers with the result
//! masked and [`crate::audit::Unreleased`], which only [`crate::audit::release`] opens,
//! after the record is written; and a chat call names its door with its session's
//! binding ([`Door::Chat`]).

pub mod queries;
pub mod rate;

use crate::access;
use crate::audit;
use crate::error::{Error, ErrorKind, Result};
use crate::ids::SessionId;
use crate::{Caller, Ward};
use serde_json::Value;
use ward_domain::audit::{AuditAction, Outcome};
use ward_domain::policy::{Decision, Denial, PatientRelation};
use ward_domain::tool::{CallError, ValidatedCall};

/// Which door a call came through (recorded in the audit trail). A chat call carries its
/// session's binding: the chat door cannot be named without it.
#[derive(Clone, Copy, Debug)]
pub enum Door<'a> {
    /// `POST /frontend/mcp-proxy/`.
    Proxy,
    /// `/mcp`.
    Mcp,
    /// The chat agent, in a session.
    Chat(&'a SessionBinding),
}

impl<'a> Door<'a> {
    fn as_str(self) -> &'static str {
        match self {
            Door::Proxy => "proxy",
            Door::Mcp => "mcp",
            Door::Chat(_) => "chat",
        }
    }

    /// The session binding of a chat call.
    fn binding(self) -> Option<&'a SessionBinding> {
        match self {
            Door::Chat(b) => Some(b),
            Door::Proxy | Door::Mcp => None,
        }
    }
}

/// A chat call's binding: the session, and the patients it may touch (the session's
/// patient and any the clinician named in this turn).
#[derive(Clone, Debug)]
pub struct SessionBinding {
    /// The chat session.
    pub session_id: SessionId,
    /// Patients this turn may touch.
    pub allowed_patients: Vec<String>,
}

/// A tool call as it arrives at a door.
#[derive(Clone, Debug)]
pub struct ToolRequest<'a> {
    /// The tool's name as given.
    pub name: &'a str,
    /// The arguments as given.
    pub arguments: &'a Value,
    /// The door (a chat's carries the session binding).
    pub door: Door<'a>,
}

/// A released, masked tool result.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolSuccess {
    /// The tool.
    pub tool: String,
    /// The patient concerned.
    pub patient_id: Option<String>,
    /// The masked result.
    pub result: Value,
    /// Whether access rested on a break-the-glass grant.
    pub break_glass: bool,
}

/// Runs one tool call through validation, policy, masking and audit.
pub async fn call_tool(ward: &Ward, caller: &Caller, req: ToolRequest<'_>) -> Result<ToolSuccess> {
    let span = crate::spans::WardSpan::tool_call(req.name, req.door.as_str());
    let result =
        tracing::Instrument::instrument(run(ward, caller, &req), span.span().clone()).await;
    let outcome = match &result {
        Ok(_) => "ok",
        Err(e) if e.kind == ErrorKind::Forbidden => "denied",
        Err(_) => "error",
    };
    span.set("ward.tool.outcome", outcome);
    ward.metrics.tool_call(outcome);
    result
}

async fn run(ward: &Ward, caller: &Caller, req: &ToolRequest<'_>) -> Result<ToolSuccess> {
    let mut entry = caller.entry(AuditAction::ToolCall, Outcome::Error);
    entry.tool = Some(req.name.chars().take(64).collect());
    let binding = req.door.binding();
    entry.session_id = binding.map(|b| b.session_id.to_string());
    let door = req.door.as_str();

    let call = match ValidatedCall::parse(req.name, req.arguments) {
        Ok(c) => c,
        Err(e) => {
            let (code, message) = match &e {
                CallError::UnknownTool(u) => (
                    "unknown_tool",
                    format!(
                        "{u}. Call tools/list or see rbac/effective for the tools you may use."
                    ),
                ),
                CallError::InvalidArguments(v) => {
                    ("invalid_arguments", format!("Invalid arguments: {v}"))
                }
            };
            entry.reason = Some(match &e {
                CallError::InvalidArguments(v) => format!("{door}: invalid_arguments: {}", v.field),
                CallError::UnknownTool(_) => format!("{door}: unknown_tool"),
            });
            audit::append(&ward.db, entry).await?;
            return Err(Error::bad_request(code, message));
        }
    };
    entry.tool = Some(call.tool.as_str().to_string());
    entry.arguments = Some(call.audit_arguments().to_string());
    let patient = call.patient().map(|p| p.as_str().to_string());
    entry.patient_id = patient.clone();

    // The tool itself first, so a role without it learns nothing about the patient.
    if let Decision::Deny(d @ Denial::ToolNotPermitted) = ward.policy.decide(
        &caller.principal.subject(),
        call.tool,
        PatientRelation::CareTeam,
    ) {
        entry.outcome = Outcome::Denied;
        entry.reason = Some(format!("{door}: {}", d.code()));
        audit::append(&ward.db, entry).await?;
        return Err(Error::forbidden(d.code(), d.message(call.tool)));
    }

    // Whether the patient exists is told only to a caller the policy lets see them: to
    // anyone else an unknown patient gets the same refusal as a forbidden one (same
    // status, code and message), so no door is an oracle of who is a patient here.
    let mut unknown = false;
    let relation = match &patient {
        None => PatientRelation::NoPatient,
        Some(pid) => {
            if let Some(binding) = binding {
                if !binding.allowed_patients.iter().any(|p| p == pid) {
                    entry.outcome = Outcome::Denied;
                    entry.reason = Some(format!("{door}: patient_not_in_session"));
                    audit::append(&ward.db, entry).await?;
                    return Err(Error::forbidden(
                        "patient_not_in_session",
                        "This conversation is not about that patient. Name the patient in your \
                         message (or start a new session) to look them up.",
                    ));
                }
            }
            unknown = !access::patient_exists(ward, pid).await?;
            access::relation(ward, caller, pid).await?
        }
    };

    // The query runs only with the policy's `Allow` (`Allowed`), and its result stays
    // `Unreleased` until its record is written.
    let allowed = match queries::Allowed::decide(&ward.policy, &caller.principal, &call, relation) {
        Ok(_) if unknown => {
            entry.reason = Some(format!("{door}: unknown_patient"));
            audit::append(&ward.db, entry).await?;
            return Err(Error::new(
                ErrorKind::NotFound,
                "unknown_patient",
                "There is no such patient.",
            ));
        }
        Ok(allowed) => allowed,
        Err(d) => {
            entry.outcome = Outcome::Denied;
            entry.reason = Some(if unknown {
                format!("{door}: {} (unknown_patient)", d.code())
            } else {
                format!("{door}: {}", d.code())
            });
            audit::append(&ward.db, entry).await?;
            return Err(Error::forbidden(d.code(), d.message(call.tool)));
        }
    };

    let break_glass = allowed.break_glass();
    let value = match queries::run(&ward.db, allowed).await {
        Ok(v) => v,
        Err(e) => {
            entry.reason = Some(format!("{door}: {}", e.code));
            audit::append(&ward.db, entry).await?;
            return Err(e);
        }
    };
    entry.outcome = Outcome::Ok;
    entry.reason = Some(if break_glass {
        format!("{door}: break_glass")
    } else {
        door.to_string()
    });
    let result = audit::release(&ward.db, entry, value).await?;
    Ok(ToolSuccess {
        tool: call.tool.as_str().to_string(),
        patient_id: patient,
        result,
        break_glass,
    })
}
