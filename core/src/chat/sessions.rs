//! Chat sessions and their stored messages (docs/contract.md §8, compat fields).
//!
//! Owners create, list, read, rename, archive and unarchive their sessions. Reviewers and
//! auditors read archived sessions of anyone, read-only, and each such read is audited.
//! "Missing" and "not yours" give the same 404.

use crate::audit;
use crate::db::{statement, Answering, Sql};
use crate::entity::{chat_messages, chat_sessions, patients, users};
use crate::error::{Error, ErrorKind, Result};
use crate::ids::{SessionId, UserId};
use crate::{Caller, Ward};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QueryResult, Set,
};
use serde_json::Value;
use ward_domain::api::{
    CreatedSession, History, HistoryMessage, JsonText, SessionList, SessionSummary,
    UpdateSessionRequest,
};
use ward_domain::audit::{AuditAction, Outcome};
use ward_domain::chat::{age_on, PatientBanner};

/// The title of a new session when none is given.
pub const DEFAULT_TITLE: &str = "New conversation";
/// The longest title kept.
pub const MAX_TITLE_CHARS: usize = 200;

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn clean_title(title: Option<&str>) -> Result<String> {
    let t: String = title
        .unwrap_or(DEFAULT_TITLE)
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_string();
    if t.chars().count() > MAX_TITLE_CHARS {
        return Err(Error::bad_request(
            "title_too_long",
            format!("A title has at most {MAX_TITLE_CHARS} characters."),
        ));
    }
    Ok(if t.is_empty() {
        DEFAULT_TITLE.to_string()
    } else {
        t
    })
}

/// Parses a session id (a UUID); anything else is simply not found.
pub fn parse_id(id: &str) -> Result<SessionId> {
    SessionId::parse(id)
}

/// Creates a session for the caller.
pub async fn create(ward: &Ward, caller: &Caller, title: Option<&str>) -> Result<CreatedSession> {
    let title = clean_title(title)?;
    let now = Utc::now();
    let id = uuid::Uuid::new_v4().to_string();
    chat_sessions::ActiveModel {
        id: Set(id.clone()),
        user_id: Set(caller.principal.id.get()),
        title: Set(title.clone()),
        patient_id: Set(None),
        is_archived: Set(false),
        phi_vault: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        turn_lease_until: Set(None),
        patient_banner: Set(None),
    }
    .insert(&ward.db)
    .await?;
    Ok(CreatedSession {
        session_id: id,
        title,
        created_at: rfc3339(now),
    })
}

/// The session a first visit opens: the caller's newest session that has no messages
/// yet, else a new one.
pub async fn open_fresh(ward: &Ward, caller: &Caller) -> Result<CreatedSession> {
    let db = &ward.db;
    let empty = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT s.id, s.title, s.created_at FROM chat_sessions s \
             WHERE s.user_id = $1 AND s.is_archived = $2 \
             AND NOT EXISTS (SELECT 1 FROM chat_messages m WHERE m.session_id = s.id) \
             ORDER BY s.updated_at DESC LIMIT 1",
            [caller.principal.id.into(), false.into()],
        ))
        .await?;
    match empty {
        Some(row) => Ok(CreatedSession {
            session_id: row.try_get("", "id")?,
            title: row.try_get("", "title")?,
            created_at: rfc3339(row.try_get::<DateTime<Utc>>("", "created_at")?),
        }),
        None => create(ward, caller, None).await,
    }
}

fn summary_of(row: &QueryResult) -> Result<SessionSummary, sea_orm::DbErr> {
    Ok(SessionSummary {
        id: row.try_get("", "id")?,
        title: row.try_get("", "title")?,
        updated_at: rfc3339(row.try_get::<DateTime<Utc>>("", "updated_at")?),
        message_count: row.try_get("", "message_count")?,
        question_count: row.try_get("", "question_count")?,
        patient_id: row.try_get("", "patient_id")?,
        is_archived: row.try_get("", "is_archived")?,
        owner: row.try_get("", "owner").ok(),
    })
}

/// The caller's sessions, newest first: archived ones when `archived`, else the others.
/// One query, with `message_count`.
pub async fn list(ward: &Ward, caller: &Caller, archived: bool) -> Result<SessionList> {
    let db = &ward.db;
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT s.id, s.title, s.updated_at, s.patient_id, s.is_archived, \
             COUNT(m.id) AS message_count, \
             COUNT(CASE WHEN m.role = 'user' THEN 1 END) AS question_count \
             FROM chat_sessions s LEFT JOIN chat_messages m ON m.session_id = s.id \
             WHERE s.user_id = $1 AND s.is_archived = $2 \
             GROUP BY s.id, s.title, s.updated_at, s.patient_id, s.is_archived \
             ORDER BY s.updated_at DESC LIMIT 500",
            [caller.principal.id.into(), archived.into()],
        ))
        .await?;
    let sessions = rows.iter().map(summary_of).collect::<Result<Vec<_>, _>>()?;
    Ok(SessionList { sessions })
}

/// Whether the caller may read other people's archived sessions (their capabilities).
fn is_session_reader(ward: &Ward, caller: &Caller) -> bool {
    caller.principal.capabilities(&ward.policy).review_archives
}

/// Archived sessions of everyone (reviewers and auditors), newest first, optionally
/// filtered by a text found in the title, the owner's username or the patient id.
pub async fn browse_archived(
    ward: &Ward,
    caller: &Caller,
    query: Option<&str>,
) -> Result<SessionList> {
    if !is_session_reader(ward, caller) {
        return Err(Error::forbidden(
            "not_a_reviewer",
            "Only reviewers and auditors browse archived sessions.",
        ));
    }
    let db = &ward.db;
    let pattern = format!(
        "%{}%",
        query
            .unwrap_or_default()
            .trim()
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT s.id, s.title, s.updated_at, s.patient_id, s.is_archived, u.username AS owner, \
             COUNT(m.id) AS message_count, \
             COUNT(CASE WHEN m.role = 'user' THEN 1 END) AS question_count \
             FROM chat_sessions s JOIN users u ON u.id = s.user_id \
             LEFT JOIN chat_messages m ON m.session_id = s.id \
             WHERE s.is_archived = $1 AND (LOWER(s.title) LIKE $2 ESCAPE '\\' \
             OR LOWER(u.username) LIKE $2 ESCAPE '\\' OR LOWER(COALESCE(s.patient_id, '')) LIKE $2 ESCAPE '\\') \
             GROUP BY s.id, s.title, s.updated_at, s.patient_id, s.is_archived, u.username \
             ORDER BY s.updated_at DESC LIMIT 500",
            [true.into(), pattern.into()],
        ))
        .await?;
    let sessions = rows.iter().map(summary_of).collect::<Result<Vec<_>, _>>()?;
    // The titles are the first words of each conversation, often PHI: the list is a read,
    // audited before it is released (which sessions were listed; not the search text).
    let mut e = caller.entry(AuditAction::SessionRead, Outcome::Ok);
    e.reason = Some(format!(
        "archived session list: {} session(s)",
        sessions.len()
    ));
    e.arguments = Some(
        serde_json::json!({
            "query": query.is_some_and(|q| !q.trim().is_empty()),
            "sessions": sessions.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        })
        .to_string(),
    );
    audit::append(db, e).await?;
    Ok(SessionList { sessions })
}

/// The read of session `id` if `user_id` owns it; [`owned_of`] reads its row.
pub fn owned_read(user_id: UserId, id: &SessionId) -> Answering {
    Answering::select(
        "*",
        "FROM chat_sessions WHERE id = $1 AND user_id = $2",
        [id.into(), user_id.into()],
    )
}

/// The session [`owned_read`] read, or 404.
pub fn owned_of(row: Option<&QueryResult>) -> Result<chat_sessions::Model> {
    let row = row.ok_or_else(|| Error::not_found("session"))?;
    Ok(chat_sessions::Model::from_query_result(row, "")?)
}

/// The caller's own session, or 404.
pub async fn load_owned(ward: &Ward, caller: &Caller, id: &str) -> Result<chat_sessions::Model> {
    let id = parse_id(id)?;
    let rows = owned_read(caller.principal.id, &id)
        .query_all(&ward.db)
        .await?;
    owned_of(rows.first())
}

fn message_of(m: chat_messages::Model) -> HistoryMessage {
    HistoryMessage {
        id: m.id,
        role: m.role,
        content: m.content,
        tool_name: m.tool_name,
        created_at: rfc3339(m.created_at),
        tool_call_id: m.tool_call_id,
        tool_result: m.tool_result.as_deref().and_then(JsonText::parse),
        incomplete: m.incomplete,
    }
}

/// A session's history, oldest first. The owner reads their own; reviewers and auditors
/// read anyone's archived session read-only, and that read is audited (before it is
/// returned).
pub async fn history(ward: &Ward, caller: &Caller, id: &str) -> Result<History> {
    let id = parse_id(id)?.as_str().to_string();
    let session = chat_sessions::Entity::find_by_id(id.clone())
        .one(&ward.db)
        .await?
        .ok_or_else(|| Error::not_found("session"))?;
    let own = session.user_id == caller.principal.id.get();
    if !(own || session.is_archived && is_session_reader(ward, caller)) {
        return Err(Error::not_found("session"));
    }
    let messages = chat_messages::Entity::find()
        .filter(chat_messages::Column::SessionId.eq(id.clone()))
        .order_by_asc(chat_messages::Column::Position)
        .all(&ward.db)
        .await?;
    let owner = users::Entity::find_by_id(session.user_id)
        .one(&ward.db)
        .await?
        .map(|u| u.username);
    let patient = banner_of(&session);
    let history = History {
        session_id: id.clone(),
        title: session.title,
        messages: messages.into_iter().map(message_of).collect(),
        patient,
        patient_id: session.patient_id.clone(),
        is_archived: session.is_archived,
        read_only: !own,
        owner,
    };
    if !own {
        let mut e = caller.entry(AuditAction::SessionRead, Outcome::Ok);
        e.session_id = Some(id);
        e.patient_id = session.patient_id;
        audit::append(&ward.db, e).await?;
    }
    Ok(history)
}

/// The stored banner of the session's patient, if it is the banner of that patient.
pub fn banner_of(session: &chat_sessions::Model) -> Option<PatientBanner> {
    let banner: PatientBanner = serde_json::from_str(session.patient_banner.as_deref()?).ok()?;
    (session.patient_id.as_deref() == Some(banner.id.as_str())).then_some(banner)
}

/// The banner of a patient from their record, their age as of today.
pub async fn patient_banner(ward: &Ward, patient_id: &str) -> Result<Option<PatientBanner>> {
    let Some(p) = patients::Entity::find_by_id(patient_id.to_string())
        .one(&ward.db)
        .await?
    else {
        return Ok(None);
    };
    let birth_date = p.birth_date.map(|d| d.format("%Y-%m-%d").to_string());
    let today = Utc::now().format("%Y-%m-%d").to_string();
    Ok(Some(PatientBanner {
        id: p.id,
        name: format!("{} {}", p.given_name, p.family_name)
            .trim()
            .to_string(),
        age: birth_date.as_deref().and_then(|b| age_on(b, &today)),
        birth_date,
        mrn: p.mrn,
        sex: p.sex,
        unit: p.unit,
    }))
}

/// Makes `patient_id` the patient of a session whose turn the caller holds, after a tool
/// ran on them for the caller (so the caller may see them): the session's `patient_id`
/// and banner change in the transaction of the `session_patient` audit record. Returns
/// the banner, for the `patient` event.
pub async fn bind_patient(
    ward: &Ward,
    caller: &Caller,
    session_id: &str,
    patient_id: &str,
) -> Result<Option<PatientBanner>> {
    let Some(banner) = patient_banner(ward, patient_id).await? else {
        return Ok(None);
    };
    let mut e = caller.entry(AuditAction::SessionPatient, Outcome::Ok);
    e.session_id = Some(session_id.to_string());
    e.patient_id = Some(patient_id.to_string());
    e.reason = Some("chat: a tool ran on this patient".into());
    let stored = serde_json::to_string(&banner).ok();
    audit::append_with(&ward.db, e, |batch| {
        batch.push(
            "UPDATE chat_sessions SET patient_id = $1, patient_banner = $2 WHERE id = $3",
            [patient_id.into(), stored.into(), session_id.into()],
        )
    })
    .await?;
    Ok(Some(banner))
}

/// Renames, archives or unarchives one of the caller's sessions.
pub async fn update(
    ward: &Ward,
    caller: &Caller,
    id: &str,
    change: &UpdateSessionRequest,
) -> Result<SessionSummary> {
    let session = load_owned(ward, caller, id).await?;
    if change.title.is_none() && change.is_archived.is_none() {
        return Err(Error::bad_request(
            "nothing_to_change",
            "Give a title, is_archived, or both.",
        ));
    }
    let mut active: chat_sessions::ActiveModel = session.clone().into();
    if let Some(t) = &change.title {
        active.title = Set(clean_title(Some(t))?);
    }
    if let Some(a) = change.is_archived {
        active.is_archived = Set(a);
    }
    active.updated_at = Set(Utc::now());
    let saved = active.update(&ward.db).await?;
    let count = chat_messages::Entity::find()
        .filter(chat_messages::Column::SessionId.eq(saved.id.clone()))
        .count(&ward.db)
        .await?;
    let questions = chat_messages::Entity::find()
        .filter(chat_messages::Column::SessionId.eq(saved.id.clone()))
        .filter(chat_messages::Column::Role.eq("user"))
        .count(&ward.db)
        .await?;
    Ok(SessionSummary {
        id: saved.id,
        title: saved.title,
        updated_at: rfc3339(saved.updated_at),
        message_count: count as i64,
        question_count: questions as i64,
        patient_id: saved.patient_id,
        is_archived: saved.is_archived,
        owner: Some(caller.principal.username.clone()),
    })
}

/// A message to store.
#[derive(Clone, Debug, Default)]
pub struct NewMessage {
    /// user, assistant, tool, error or interrupted.
    pub role: &'static str,
    /// Text.
    pub content: String,
    /// Tool call id.
    pub tool_call_id: Option<String>,
    /// Tool name.
    pub tool_name: Option<String>,
    /// Structured detail (tool status/arguments/result, assistant tool calls, error code).
    pub tool_result: Option<Value>,
    /// Completion tokens, for assistant messages.
    pub tokens_used: i32,
    /// Cut off before the end.
    pub incomplete: bool,
    /// What the provider was sent for it (protected), for user and assistant messages:
    /// later turns send this, never a fresh protection of `content`.
    pub provider_content: Option<String>,
}

/// The columns of a stored message, in the order [`message_values`] gives them.
const MESSAGE_COLUMNS: &str = "(id, session_id, position, role, content, tool_call_id, tool_name, \
     tool_result, tokens_used, incomplete, created_at, provider_content)";

/// A message's values after its id, session and position.
fn message_values(m: &NewMessage, now: DateTime<Utc>) -> [sea_orm::Value; 9] {
    [
        m.role.into(),
        m.content.clone().into(),
        m.tool_call_id.clone().into(),
        m.tool_name.clone().into(),
        m.tool_result.as_ref().map(Value::to_string).into(),
        m.tokens_used.into(),
        m.incomplete.into(),
        now.into(),
        m.provider_content.clone().into(),
    ]
}

/// The append of a message at the session's next free position; [`appended_of`] reads
/// the position it took. The caller holds the session's turn lease, so no one else
/// appends.
pub fn append_write(session_id: &SessionId, m: &NewMessage) -> Answering {
    let mut values: Vec<sea_orm::Value> =
        vec![uuid::Uuid::new_v4().to_string().into(), session_id.into()];
    values.extend(message_values(m, Utc::now()));
    Answering::returning(
        &format!(
            "INSERT INTO chat_messages {MESSAGE_COLUMNS} \
             VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM chat_messages WHERE session_id = $2), \
             $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        ),
        "position",
        values,
    )
}

/// The position the message of [`append_write`] took.
pub fn appended_of(row: Option<&QueryResult>) -> Result<i64> {
    Ok(row
        .ok_or_else(|| Error::internal("INSERT … RETURNING returned no row"))?
        .try_get("", "position")?)
}

/// Appends a message at the session's next free position, in one statement, and returns
/// that position. The caller holds the session's turn lease, so no one else appends.
pub async fn append(
    db: &impl ConnectionTrait,
    session_id: &SessionId,
    m: NewMessage,
) -> Result<i64> {
    let rows = append_write(session_id, &m)
        .query_all(db)
        .await
        .map_err(store_failed)?;
    appended_of(rows.first())
}

/// The insert of messages at the positions given, with the ids given, in one statement
/// (`None` if there are none).
pub fn insert_write(session_id: &SessionId, messages: &[(String, i64, NewMessage)]) -> Option<Sql> {
    if messages.is_empty() {
        return None;
    }
    let now = Utc::now();
    let mut sql = format!("INSERT INTO chat_messages {MESSAGE_COLUMNS} VALUES ");
    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(messages.len() * 12);
    for (i, (id, position, m)) in messages.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        let first = values.len() + 1;
        let marks: Vec<String> = (first..first + 12).map(|n| format!("${n}")).collect();
        sql.push('(');
        sql.push_str(&marks.join(", "));
        sql.push(')');
        values.push(id.clone().into());
        values.push(session_id.into());
        values.push((*position).into());
        values.extend(message_values(m, now));
    }
    Some(Sql::new(sql, values))
}

/// A failed message insert: the only expected cause is a clash of positions, which the
/// turn lease prevents, so it is reported as the session being busy.
fn store_failed(e: sea_orm::DbErr) -> Error {
    match e {
        sea_orm::DbErr::Exec(_) | sea_orm::DbErr::Query(_) => {
            tracing::error!(error = %e, "storing a chat message failed");
            Error::new(
                ErrorKind::Conflict,
                "session_busy",
                "Another reply is being written to this session.",
            )
        }
        other => other.into(),
    }
}
