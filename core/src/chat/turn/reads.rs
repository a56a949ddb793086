//! What a turn reads before it writes anything, in one batch (one call on SQLite): the
//! caller (active, with their roles), their session, the patients the message names, the
//! budgets and the history.

use super::rules::{NameCandidates, HISTORY_MESSAGES};
use crate::chat::sessions;
use crate::db::{statement, Answering, Batch};
use crate::entity::chat_sessions;
use crate::error::Result;
use crate::identity::{login, users};
use crate::ids::SessionId;
use crate::privacy::{self, PastMessage};
use crate::usage;
use crate::{Caller, TokenCaller, Ward};
use sea_orm::{ConnectionTrait, QueryResult};

/// What a turn starts from.
pub struct TurnContext {
    /// The caller, read again for this turn (active, with their roles).
    pub caller: Caller,
    /// Their session, as it was read (the claim checks it is unchanged).
    pub session: chat_sessions::Model,
    /// The patients the message names, sorted.
    pub named: Vec<String>,
    /// The budgets in force.
    pub budgets: usage::Budgets,
    /// The session's last messages, as the provider saw them.
    pub history: Vec<PastMessage>,
}

impl TurnContext {
    /// 401 if the user is missing or inactive, then 404 if the session is not theirs.
    pub async fn read(
        ward: &Ward,
        who: &TokenCaller,
        session_id: &SessionId,
        text: &str,
    ) -> Result<Self> {
        let user = who.user_id;
        let mut batch = Batch::new(ward.db.get_database_backend());
        let principal = batch.answer(users::principal_read(user));
        let session = batch.answer(sessions::owned_read(user, session_id));
        let named = named_read(&NameCandidates::of(text)).map(|r| batch.answer(r));
        let budgets = batch.answer(usage::budget_settings_read());
        let history = batch.answer(privacy::history_read(session_id, HISTORY_MESSAGES - 1));
        let rows = batch.query_all(&ward.db).await?;
        let principal =
            users::principal_of(rows.all(principal))?.ok_or_else(login::inactive_user)?;
        Ok(TurnContext {
            caller: Caller {
                principal,
                origin: who.origin.clone(),
            },
            session: sessions::owned_of(rows.first(session))?,
            named: match named {
                Some(n) => named_of(rows.all(n))?,
                None => vec![],
            },
            budgets: usage::budgets_of(ward, rows.all(budgets)),
            history: privacy::history_of(rows.all(history))?,
        })
    }
}

/// The look-up of the patients the candidates name: known patient ids, MRNs, and
/// given and family names, in one statement; `None` if there is nothing to look up.
fn named_read(c: &NameCandidates) -> Option<Answering> {
    if c.is_empty() {
        return None;
    }
    let mut values: Vec<sea_orm::Value> = vec![];
    let mut conditions = vec![];
    if !c.ids.is_empty() {
        let marks: Vec<String> = (1..=c.ids.len()).map(|i| format!("${i}")).collect();
        conditions.push(format!("id IN ({m}) OR mrn IN ({m})", m = marks.join(", ")));
        values.extend(c.ids.iter().cloned().map(Into::into));
    }
    for (given, family) in &c.names {
        let n = values.len();
        conditions.push(format!(
            "(LOWER(given_name) = ${} AND LOWER(family_name) = ${})",
            n + 1,
            n + 2
        ));
        values.push(given.clone().into());
        values.push(family.clone().into());
    }
    Some(Answering::select(
        "id",
        &format!("FROM patients WHERE {}", conditions.join(" OR ")),
        values,
    ))
}

/// The patients in the rows of [`named_read`], sorted, once each.
fn named_of<'a>(rows: impl Iterator<Item = &'a QueryResult>) -> Result<Vec<String>> {
    let mut found = rows
        .map(|r| r.try_get::<String>("", "id"))
        .collect::<Result<Vec<_>, _>>()?;
    found.sort();
    found.dedup();
    Ok(found)
}

/// Counts messages in a session (for tests and reports).
pub async fn message_count(ward: &Ward, session_id: &str) -> Result<i64> {
    let row = ward
        .db
        .query_one_raw(statement(
            ward.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM chat_messages WHERE session_id = $1",
            [session_id.into()],
        ))
        .await?;
    Ok(row.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0))
}
