//! Crash safety (issue 27): the real server binary is killed with SIGKILL while a reply
//! streams, and a fresh process is started on the same database (SQLite and PostgreSQL).
//! The clinician's message and the part of the reply already streamed are in the history,
//! marked interrupted; the session accepts the next question within seconds instead of
//! answering `409 session_busy` until the lease runs out; the audit chain verifies.

use serde_json::{json, Value};
use std::time::{Duration, Instant};
use ward_core::testing::mock_llm::{MockLlm, Plan};
use ward_core::testing::{Backend, TestDb};

#[path = "support/server_process.rs"]
mod server_process;
use server_process::{start, token};

/// Reads NDJSON lines from a streaming response until `n` deltas have arrived; returns
/// their text.
async fn read_deltas(resp: &mut reqwest::Response, n: usize) -> String {
    let (mut buf, mut seen, mut count) = (Vec::new(), String::new(), 0);
    while count < n {
        let chunk = resp
            .chunk()
            .await
            .expect("the stream")
            .expect("the stream ended before the deltas");
        buf.extend_from_slice(&chunk);
        while let Some(i) = buf.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = buf.drain(..=i).collect();
            let event: Value = serde_json::from_slice(&line).expect("an NDJSON line");
            if event["type"] == "delta" {
                seen.push_str(event["content"].as_str().expect("delta text"));
                count += 1;
            }
        }
    }
    seen
}

/// The reply text checkpointed so far in `session`.
async fn checkpoint_of(db: &TestDb, session: &str) -> String {
    use sea_orm::ConnectionTrait;
    let backend = db.db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => {
            "SELECT content FROM chat_reply_checkpoints WHERE session_id = $1"
        }
        _ => "SELECT content FROM chat_reply_checkpoints WHERE session_id = ?",
    };
    db.db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            sql,
            [session.into()],
        ))
        .await
        .unwrap()
        .map(|r| r.try_get::<String>("", "content").unwrap())
        .unwrap_or_default()
}

/// The settings every process of the test runs with: the fake provider, and short
/// heartbeat and checkpoint intervals (`WARD_CRASH_DEFAULT_TIMINGS=1` keeps the defaults,
/// to measure them).
fn settings(mock: &MockLlm) -> Vec<(&'static str, String)> {
    let mut env = mock.env();
    if std::env::var_os("WARD_CRASH_DEFAULT_TIMINGS").is_none() {
        env.extend([
            ("WARD_REPLY_CHECKPOINT_MS", "100".to_string()),
            ("WARD_REPLICA_HEARTBEAT_MS", "200".to_string()),
            ("WARD_REPLICA_STALE_MS", "1000".to_string()),
        ]);
    }
    env
}

/// A turn streams on one process, which is killed (SIGKILL) after some deltas; the session
/// is then used on `survivor` (started after the kill, or before it when
/// `survivor_first`).
async fn crash_mid_reply(backend: Backend, survivor_first: bool) {
    let db = TestDb::new(backend).await;
    // The first request streams 400 pieces, one every 50 ms; later ones answer at once.
    let mock = MockLlm::start(|_, n| {
        if n == 0 {
            Plan::Slow((0..400).map(|i| format!("word{i} ")).collect(), 50)
        } else {
            Plan::Text(vec!["Fine, ".into(), "go on.".into()])
        }
    })
    .await;
    let env = settings(&mock);
    let victim = start(&db.url, &env).await;
    let early = if survivor_first {
        Some(start(&db.url, &env).await)
    } else {
        None
    };

    let client = reqwest::Client::new();
    let t = token(&client, &victim.base, "doctor").await;
    let session: Value = client
        .post(format!("{}/frontend/api/chat/session/", victim.base))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let session = session["session_id"].as_str().unwrap().to_string();
    let question = "Summarise the latest vitals for PAT-004.";
    let mut resp = client
        .post(format!("{}/frontend/api/chat/message/", victim.base))
        .bearer_auth(&t)
        .json(&json!({"session_id": session, "message": question}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let seen = read_deltas(&mut resp, 20).await;
    // Persistence is batched: wait until the deltas read are in the checkpoint (one
    // interval and a write), then kill the process mid-reply.
    let waited = Instant::now();
    while !checkpoint_of(&db, &session).await.starts_with(&seen) {
        assert!(
            waited.elapsed() < Duration::from_secs(30),
            "the deltas shown were never written"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut victim = victim;
    victim.child.kill().expect("SIGKILL the server");
    victim.child.wait().unwrap();
    let killed = Instant::now();
    drop(resp);

    let survivor = match early {
        Some(s) => s,
        None => start(&db.url, &env).await,
    };
    let t = token(&client, &survivor.base, "doctor").await;
    // The next question is accepted within seconds, not refused as busy for the lease's
    // minutes (every provider timeout, 6 × 60 s, plus a minute).
    let mut answer = None;
    let mut refusals = 0;
    while killed.elapsed() < Duration::from_secs(60) {
        let r = client
            .post(format!("{}/frontend/api/chat/message/", survivor.base))
            .bearer_auth(&t)
            .json(&json!({"session_id": session, "message": "And the one before?"}))
            .send()
            .await
            .unwrap();
        if r.status() == 200 {
            answer = Some(r.text().await.unwrap());
            break;
        }
        assert_eq!(r.status(), 409, "only a busy session may refuse");
        refusals += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let usable_after = killed.elapsed();
    eprintln!(
        "{backend:?}: session usable again {:.2} s after the kill ({refusals} refusals)",
        usable_after.as_secs_f64()
    );
    let answer = answer.expect("the session was still busy a minute after the crash");
    assert!(answer.contains("\"type\":\"done\""), "{answer}");

    let history: Value = client
        .get(format!(
            "{}/frontend/api/chat/history/{session}/",
            survivor.base
        ))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let messages = history["messages"].as_array().unwrap();
    let roles: Vec<&str> = messages
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        ["user", "assistant", "interrupted", "user", "assistant"],
        "{history}"
    );
    assert_eq!(messages[0]["content"], question);
    let partial = messages[1]["content"].as_str().unwrap();
    assert!(
        partial.starts_with(&seen),
        "the stored reply holds every delta seen: {seen:?} vs {partial:?}"
    );
    assert_eq!(messages[1]["incomplete"], true);
    assert_eq!(messages[2]["tool_result"]["code"], "reply_interrupted");
    assert_eq!(messages[4]["content"], "Fine, go on.");

    let auditor = token(&client, &survivor.base, "auditor").await;
    let report: Value = client
        .get(format!("{}/frontend/api/audit/verify/", survivor.base))
        .bearer_auth(&auditor)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(report["ok"], true, "{report}");
}

#[tokio::test]
async fn sqlite_a_killed_server_leaves_an_interrupted_reply_and_a_usable_session() {
    crash_mid_reply(Backend::Sqlite, false).await;
}

#[tokio::test]
async fn postgres_a_killed_server_leaves_an_interrupted_reply_and_a_usable_session() {
    crash_mid_reply(Backend::Postgres, false).await;
}

#[tokio::test]
async fn postgres_a_lost_replica_s_session_is_taken_over_by_another() {
    crash_mid_reply(Backend::Postgres, true).await;
}
