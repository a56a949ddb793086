//! Benchmark: a tool call through the proxy, end to end (HTTP, JWT, policy, query,
//! masking, audit append), p50/p99 at 1 and 64 concurrent callers; and audit appends per
//! second with 1 and 8 writers. On SQLite and PostgreSQL. Run with
//! `cargo bench -p server --bench tool_layer`; prints a Markdown table.

#[path = "../tests/api/helpers.rs"]
mod helpers;
mod stats;

/// The allocator the server binary uses, so Ward runs here as it runs in production.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use helpers::*;
use serde_json::json;
use std::time::{Duration, Instant};
use ward_domain::audit::{AuditAction, AuditEntry, Outcome};

const TOOLS: [&str; 3] = ["get_lab_results", "get_vital_signs", "get_medications"];

async fn proxy_round(
    app: &TestApp,
    token: &str,
    concurrency: usize,
    total: usize,
) -> (Vec<Duration>, Duration) {
    let started = Instant::now();
    let per = total / concurrency;
    let mut tasks = vec![];
    for w in 0..concurrency {
        let client = app.client.clone();
        let url = app.url("/frontend/mcp-proxy/");
        let token = token.to_string();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(per);
            for i in 0..per {
                let body = json!({
                    "tool": TOOLS[(w + i) % 3],
                    "arguments": {"patient_id": format!("PAT-{:03}", (w * 7 + i) % 25 + 1)}
                });
                let t = Instant::now();
                let r = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
                let _ = r.bytes().await.unwrap();
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    (all, started.elapsed())
}

async fn appends(db: &TestDb, writers: usize, each: usize) -> f64 {
    let started = Instant::now();
    let mut tasks = vec![];
    for w in 0..writers {
        let conn = db.db.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..each {
                let mut e = AuditEntry::new(
                    chrono::Utc::now(),
                    "bench",
                    "doctor",
                    AuditAction::ToolCall,
                    Outcome::Ok,
                );
                e.patient_id = Some(format!("PAT-{:03}", (w + i) % 50 + 1));
                e.tool = Some("get_lab_results".into());
                ward_core::audit::append(&conn, e).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    (writers * each) as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        println!("| database | callers | calls | p50 ms | p99 ms | calls/s |");
        println!("|---|---|---|---|---|---|");
        let mut audit_rows = vec![];
        for backend in [Backend::Sqlite, Backend::Postgres] {
            // One doctor makes every call: lift the per-user tool rate limit.
            let app = spawn(Spawn {
                backend: Some(backend),
                env: vec![("WARD_TOOL_RATE_PER_MINUTE", "100000000".into())],
                ..Default::default()
            })
            .await;
            let token = app.token("doctor").await;
            proxy_round(&app, &token, 4, 200).await; // warm-up
            for (concurrency, total) in [(1, 1000), (64, 3200)] {
                let (lat, elapsed) = proxy_round(&app, &token, concurrency, total).await;
                println!(
                    "| {backend:?} | {concurrency} | {total} | {:.2} | {:.2} | {:.0} |",
                    stats::pct(&lat, 50.0),
                    stats::pct(&lat, 99.0),
                    total as f64 / elapsed.as_secs_f64()
                );
            }
            let db = TestDb::new(backend).await;
            let single = appends(&db, 1, 2000).await;
            let eight = appends(&db, 8, 400).await;
            assert!(ward_core::audit::verify(&db.db).await.unwrap().ok);
            audit_rows.push(format!("| {backend:?} | {single:.0} | {eight:.0} |"));
        }
        println!();
        println!("| database | audit appends/s, 1 writer | audit appends/s, 8 writers |");
        println!("|---|---|---|");
        for r in audit_rows {
            println!("{r}");
        }
    });
}
