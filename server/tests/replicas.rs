//! Two Ward server processes (the real binary) on one PostgreSQL database, under concurrent
//! sends: exactly the rate limit is accepted across both, and the budget is never
//! exceeded.

use serde_json::{json, Value};
use ward_core::testing::mock_llm::{MockLlm, Plan};
use ward_core::testing::{Backend, TestDb};

#[path = "support/server_process.rs"]
mod server_process;
use server_process::{start, token, Replica};

/// Sends `n` messages at once, alternating between the replicas, each in a new session;
/// returns the status and error code of each.
async fn burst(replicas: &[&Replica], user: &str, n: usize) -> Vec<(u16, String)> {
    let client = reqwest::Client::new();
    let mut prepared = vec![];
    for i in 0..n {
        let base = replicas[i % replicas.len()].base.clone();
        let t = token(&client, &base, user).await;
        let s: Value = client
            .post(format!("{base}/frontend/api/chat/session/"))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        prepared.push((base, t, s["session_id"].as_str().unwrap().to_string()));
    }
    let sends = prepared.into_iter().map(|(base, t, session)| {
        let client = client.clone();
        tokio::spawn(async move {
            let r = client
                .post(format!("{base}/frontend/api/chat/message/"))
                .bearer_auth(&t)
                .json(&json!({"session_id": session, "message": "Vitals for PAT-004?"}))
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let text = r.text().await.unwrap();
            let code = if status == 200 {
                text.lines()
                    .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                    .find(|e| e["type"] == "error")
                    .map(|e| e["content"]["code"].as_str().unwrap().to_string())
                    .unwrap_or_default()
            } else {
                serde_json::from_str::<Value>(&text).unwrap()["code"]
                    .as_str()
                    .unwrap()
                    .to_string()
            };
            (status, code)
        })
    });
    let mut out = vec![];
    for s in sends.collect::<Vec<_>>() {
        out.push(s.await.unwrap());
    }
    out
}

#[tokio::test]
async fn two_processes_on_one_postgres_accept_exactly_the_rate_limit() {
    let db = TestDb::new(Backend::Postgres).await;
    // The per-process cap on one user's open streams is not what this test measures.
    let env = vec![
        ("RATE_LIMIT_MESSAGES_PER_HOUR", "10".to_string()),
        ("WARD_MAX_STREAMS_PER_USER", "1000".to_string()),
    ];
    let a = start(&db.url, &env).await;
    let b = start(&db.url, &env).await;
    let results = burst(&[&a, &b], "nurse", 30).await;
    let accepted = results.iter().filter(|(s, _)| *s == 200).count();
    let limited = results
        .iter()
        .filter(|(s, c)| *s == 429 && c == "rate_limited")
        .count();
    assert_eq!((accepted, limited), (10, 20), "{results:?}");
}

#[tokio::test]
async fn two_processes_on_one_postgres_never_exceed_the_budget() {
    let db = TestDb::new(Backend::Postgres).await;
    // A slow provider priced at $10 per million tokens, LLM_MAX_TOKENS 1000: each call
    // reserves about 2 cents before it starts; the user's budget is 10 cents a day.
    let mock = MockLlm::scripted(vec![Plan::Slow(vec!["Fine. ".into(); 5], 100)]).await;
    let mut env = mock.env();
    env.extend([
        ("LLM_PRICE_INPUT_PER_MTOK", "10".to_string()),
        ("LLM_PRICE_OUTPUT_PER_MTOK", "10".to_string()),
        ("LLM_MAX_TOKENS", "1000".to_string()),
        ("LLM_USER_DAILY_BUDGET", "0.10".to_string()),
        ("LLM_DAILY_BUDGET", "100".to_string()),
        ("WARD_MAX_STREAMS_PER_USER", "1000".to_string()),
    ]);
    let a = start(&db.url, &env).await;
    let b = start(&db.url, &env).await;
    let results = burst(&[&a, &b], "doctor", 24).await;
    let accepted = results
        .iter()
        .filter(|(s, c)| *s == 200 && c.is_empty())
        .count();
    let refused = results
        .iter()
        .filter(|(s, c)| *s == 429 && c == "budget_exceeded")
        .count();
    assert!(accepted >= 1 && refused >= 1, "{results:?}");
    assert_eq!(accepted + refused, 24, "{results:?}");
    // What the database says was spent (settled) or is still reserved never passed the budget.
    use sea_orm::ConnectionTrait;
    let row = db
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT MAX(spent_micros) AS m FROM budget_counters WHERE scope LIKE 'user:%'",
        ))
        .await
        .unwrap()
        .unwrap();
    let spent: i64 = row.try_get("", "m").unwrap();
    assert!(
        spent > 0 && spent <= 100_000,
        "spent {spent} micro-dollars of a 100000 budget"
    );
    let total = db
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT CAST(SUM(cost_micros) AS BIGINT) AS c, COUNT(*) AS n FROM token_usage WHERE settled",
        ))
        .await
        .unwrap()
        .unwrap();
    let settled: i64 = total.try_get("", "c").unwrap();
    let calls: i64 = total.try_get("", "n").unwrap();
    assert_eq!(calls as usize, accepted);
    assert_eq!(settled, spent, "counters and usage rows agree");
}
