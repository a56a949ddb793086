//! Spend and budgets: the budgets in force (configuration, overridden at runtime by an
//! admin), and usage reports per day and per user for the admin screens.

use crate::audit;
use crate::chat::limits::GLOBAL_SCOPE;
use crate::config::MAX_BUDGET_USD;
use crate::db::{self, statement, Answering, Batch};
use crate::error::{Error, Result};
use crate::{Caller, Ward};
use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, QueryResult};
use ward_domain::api::{BudgetSettings, UsageReport, UsageRow};
use ward_domain::audit::{AuditAction, Outcome};
use ward_domain::pricing::{from_usd, to_usd, MicroUsd};

const GLOBAL_KEY: &str = "llm_daily_budget_usd";
const USER_KEY: &str = "llm_user_daily_budget_usd";

/// The budgets in force, in micro-dollars.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budgets {
    /// For the deployment, per UTC day.
    pub global_micros: MicroUsd,
    /// For each user, per UTC day.
    pub user_micros: MicroUsd,
}

/// The read of the admins' budget settings; [`budgets_of`] reads its rows.
pub fn budget_settings_read() -> Answering {
    Answering::select(
        "key, value",
        "FROM settings WHERE key IN ($1, $2)",
        [GLOBAL_KEY.into(), USER_KEY.into()],
    )
}

/// The budgets in force from the rows of [`budget_settings_read`]: an admin's setting if
/// there is one, else the configuration.
pub fn budgets_of<'a>(ward: &Ward, rows: impl Iterator<Item = &'a QueryResult>) -> Budgets {
    let rows: Vec<&QueryResult> = rows.collect();
    let get = |k: &str, default: f64| {
        rows.iter()
            .find(|r| r.try_get::<String>("", "key").is_ok_and(|key| key == k))
            .and_then(|r| r.try_get::<String>("", "value").ok())
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(default)
    };
    Budgets {
        global_micros: from_usd(get(GLOBAL_KEY, ward.config.daily_budget_usd)),
        user_micros: from_usd(get(USER_KEY, ward.config.user_daily_budget_usd)),
    }
}

/// The budgets: an admin's setting if there is one, else the configuration. The chat path
/// reads them just before its write transaction; a change racing a message is as if the
/// message had come a moment earlier.
pub async fn budgets(ward: &Ward) -> Result<Budgets> {
    let rows = budget_settings_read().query_all(&ward.db).await?;
    Ok(budgets_of(ward, rows.iter()))
}

/// Sets both budgets (admin), audited.
pub async fn set_budgets(
    ward: &Ward,
    caller: &Caller,
    b: &BudgetSettings,
) -> Result<BudgetSettings> {
    for v in [b.global_daily_usd, b.user_daily_usd] {
        if !v.is_finite() || !(0.0..=MAX_BUDGET_USD).contains(&v) {
            return Err(Error::bad_request(
                "invalid_budget",
                format!("A budget is a number of dollars between 0 and {MAX_BUDGET_USD}."),
            ));
        }
    }
    // The settings and their audit record commit together, or neither does.
    let txn = db::begin_serialized(&ward.db).await?;
    let mut batch = Batch::new(txn.get_database_backend());
    for (k, v) in [
        (GLOBAL_KEY, b.global_daily_usd),
        (USER_KEY, b.user_daily_usd),
    ] {
        batch.push(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = $2",
            [k.into(), v.to_string().into()],
        );
    }
    batch.execute(&txn).await?;
    let mut e = caller.entry(AuditAction::BudgetChange, Outcome::Ok);
    e.reason = Some(format!(
        "global {:.2} USD/day, per user {:.2} USD/day",
        b.global_daily_usd, b.user_daily_usd
    ));
    audit::append_in(&txn, e).await?;
    txn.commit().await?;
    Ok(b.clone())
}

fn row_of(r: &QueryResult) -> Result<UsageRow, sea_orm::DbErr> {
    Ok(UsageRow {
        key: r.try_get("", "k")?,
        calls: r.try_get("", "calls")?,
        prompt_tokens: r.try_get::<Option<i64>>("", "pt")?.unwrap_or(0),
        completion_tokens: r.try_get::<Option<i64>>("", "ct")?.unwrap_or(0),
        cost_usd: to_usd(r.try_get::<Option<i64>>("", "cost")?.unwrap_or(0)),
    })
}

/// One row for each of the `days` days ending with `last`, oldest first: the day's row
/// from `rows` (keyed `YYYY-MM-DD`), or zeros for a day without usage, so that charts show
/// quiet days as quiet rather than leaving them out.
fn every_day(rows: Vec<UsageRow>, last: chrono::NaiveDate, days: u32) -> Vec<UsageRow> {
    let mut by_day: std::collections::HashMap<String, UsageRow> =
        rows.into_iter().map(|r| (r.key.clone(), r)).collect();
    (0..days as i64)
        .rev()
        .map(|back| {
            let key = (last - Duration::days(back)).format("%Y-%m-%d").to_string();
            by_day.remove(&key).unwrap_or(UsageRow {
                key,
                calls: 0,
                prompt_tokens: 0,
                completion_tokens: 0,
                cost_usd: 0.0,
            })
        })
        .collect()
}

/// Usage of the last `days` days (UTC), per day (every day, quiet ones as zeros) and per
/// user.
pub async fn report(ward: &Ward, days: u32) -> Result<UsageReport> {
    let db = &ward.db;
    let b = db.get_database_backend();
    let days = days.clamp(1, 366);
    let today_date = Utc::now().date_naive();
    let since = (today_date - Duration::days(days as i64 - 1))
        .format("%Y-%m-%d")
        .to_string();
    let per_day = db
        .query_all_raw(statement(
            b,
            "SELECT day AS k, COUNT(*) AS calls, CAST(SUM(prompt_tokens) AS BIGINT) AS pt, CAST(SUM(completion_tokens) AS BIGINT) AS ct, \
             CAST(SUM(CASE WHEN settled THEN cost_micros ELSE reserved_micros END) AS BIGINT) AS cost \
             FROM token_usage WHERE day >= $1 GROUP BY day ORDER BY day",
            [since.clone().into()],
        ))
        .await?;
    let per_user = db
        .query_all_raw(statement(
            b,
            "SELECT u.username AS k, COUNT(*) AS calls, CAST(SUM(t.prompt_tokens) AS BIGINT) AS pt, CAST(SUM(t.completion_tokens) AS BIGINT) AS ct, \
             CAST(SUM(CASE WHEN t.settled THEN t.cost_micros ELSE t.reserved_micros END) AS BIGINT) AS cost \
             FROM token_usage t JOIN users u ON u.id = t.user_id WHERE t.day >= $1 \
             GROUP BY u.username ORDER BY 5 DESC, u.username",
            [since.into()],
        ))
        .await?;
    let today = Utc::now().format("%Y-%m-%d").to_string();
    let spent = db
        .query_one_raw(statement(
            b,
            "SELECT spent_micros FROM budget_counters WHERE scope = $1 AND day = $2",
            [GLOBAL_SCOPE.into(), today.into()],
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "spent_micros"))
        .transpose()?
        .unwrap_or(0);
    let budgets = budgets(ward).await?;
    Ok(UsageReport {
        per_day: every_day(
            per_day.iter().map(row_of).collect::<Result<_, _>>()?,
            today_date,
            days,
        ),
        per_user: per_user.iter().map(row_of).collect::<Result<_, _>>()?,
        budget: BudgetSettings {
            global_daily_usd: to_usd(budgets.global_micros),
            user_daily_usd: to_usd(budgets.user_micros),
        },
        spent_today_usd: to_usd(spent),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, calls: i64) -> UsageRow {
        UsageRow {
            key: key.into(),
            calls,
            prompt_tokens: calls * 10,
            completion_tokens: calls * 5,
            cost_usd: calls as f64 / 100.0,
        }
    }

    #[test]
    fn every_day_of_the_window_has_a_row_and_quiet_days_are_zero() {
        let last = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let days = every_day(vec![row("2026-02-27", 3), row("2026-03-02", 1)], last, 5);
        let keys: Vec<&str> = days.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "2026-02-26",
                "2026-02-27",
                "2026-02-28",
                "2026-03-01",
                "2026-03-02"
            ]
        );
        assert_eq!(days[1], row("2026-02-27", 3));
        assert_eq!(days[4], row("2026-03-02", 1));
        assert_eq!(days[0].calls + days[2].calls + days[3].calls, 0);
        assert_eq!(days[2].cost_usd, 0.0);
    }
}
