//! Benchmark: Ward as an LLM gateway.
//!
//! 1. Overhead: time to first byte and total time of a chat turn through Ward, minus the
//!    same provider work sent straight to the same fake provider (20 streamed chunks),
//!    tool-free and with one tool round, at 1, 64 and 512 concurrent streams; p50 and p99;
//!    on SQLite and PostgreSQL; and turns per second.
//! 2. Memory: the resident memory of a Ward server process holding 1,000 and 10,000 open
//!    streams (the fake provider keeps them open; Ward reaches it over h2c).
//!
//! Run with `cargo bench -p server --bench gateway` (add `-- memory` or `-- overhead` for
//! one part, and `WARD_BENCH_DB=sqlite` or `postgres` for one database); prints Markdown
//! tables. Ward runs on a runtime of its own, so the CPU it uses per turn is measured
//! apart from the bench client's and the fake provider's.

#[path = "../tests/api/helpers.rs"]
mod helpers;
mod stats;

/// The allocator the server binary uses, so Ward runs here as it runs in production.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use helpers::*;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};
use ward_core::testing::mock_llm::{last_message, patient_ref, MockLlm, Plan};

/// A Ward server on a runtime of its own (threads named `ward-rt`), so the CPU its
/// threads and its SQLite connections' threads use can be told apart from the bench
/// client's and the fake provider's.
struct IsolatedWard {
    app: Option<TestApp>,
    runtime: Option<tokio::runtime::Runtime>,
}

/// The name prefixes of Ward's threads in an [`IsolatedWard`]: its runtime's and sqlx's
/// SQLite connection threads (only Ward opens SQLite connections while the bench runs).
const WARD_THREADS: &[&str] = &["ward-rt", "sqlx-sqlite-wor"];

impl IsolatedWard {
    async fn spawn(opts: Spawn) -> IsolatedWard {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("ward-rt")
            .enable_all()
            .build()
            .unwrap();
        let app = runtime.spawn(spawn(opts)).await.unwrap();
        IsolatedWard {
            app: Some(app),
            runtime: Some(runtime),
        }
    }

    fn app(&self) -> &TestApp {
        self.app.as_ref().expect("running")
    }
}

impl Drop for IsolatedWard {
    fn drop(&mut self) {
        drop(self.app.take());
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

#[derive(Clone, Copy)]
struct Sample {
    ttfb: Duration,
    total: Duration,
}

fn pieces() -> Vec<String> {
    vec!["word ".to_string(); 20]
}

fn planner(tool_round: bool) -> impl Fn(&Value, usize) -> Plan + Send + Sync + 'static {
    move |body, _| {
        let answered = body["messages"]
            .as_array()
            .is_some_and(|m| m.iter().any(|x| x["role"] == "tool"));
        if tool_round && !answered {
            let who = patient_ref(&last_message(body, "user")).unwrap_or_else(|| "PAT-001".into());
            Plan::ToolCalls(vec![(
                "get_vital_signs".into(),
                json!({"patient_id": who}).to_string(),
            )])
        } else {
            Plan::Text(pieces())
        }
    }
}

async fn read_timed(res: reqwest::Response, started: Instant) -> (Option<Duration>, Duration) {
    let mut res = res;
    let mut first = None;
    while let Some(chunk) = res.chunk().await.unwrap() {
        if first.is_none() && !chunk.is_empty() {
            first = Some(started.elapsed());
        }
    }
    (first, started.elapsed())
}

/// The request a provider gets for a one-line question (system prompt, message, tools).
fn provider_body(tool_message: bool) -> Value {
    let tools: Vec<Value> = ward_domain::tool::ToolName::ALL
        .iter()
        .map(|t| json!({"type": "function", "function": {"name": t.as_str(), "description": t.spec().description, "parameters": t.input_schema()}}))
        .collect();
    let mut messages = vec![
        json!({"role": "system", "content": ward_core::chat::framing::SYSTEM_PROMPT}),
        json!({"role": "user", "content": "Latest vitals for [ID_1]?"}),
    ];
    if tool_message {
        messages.push(json!({"role": "assistant", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "get_vital_signs", "arguments": "{\"patient_id\":\"[ID_1]\"}"}}]}));
        messages.push(json!({"role": "tool", "tool_call_id": "c1", "content": "{\"tool\":\"get_vital_signs\",\"status\":\"ok\",\"data\":{}}"}));
    }
    json!({"model": "mock-model", "messages": messages, "tools": tools, "stream": true, "stream_options": {"include_usage": true}, "max_tokens": 256})
}

async fn direct_turn(client: &reqwest::Client, url: &str, tool_round: bool) -> Sample {
    let started = Instant::now();
    let mut ttfb = None;
    let calls: &[bool] = if tool_round { &[false, true] } else { &[false] };
    for with_tool in calls {
        let res = client
            .post(url)
            .json(&provider_body(*with_tool && tool_round))
            .send()
            .await
            .unwrap();
        let (first, _) = read_timed(res, started).await;
        ttfb = ttfb.or(first);
    }
    Sample {
        ttfb: ttfb.unwrap(),
        total: started.elapsed(),
    }
}

async fn ward_turn(client: &reqwest::Client, url: &str, token: &str, session: &str) -> Sample {
    let started = Instant::now();
    let res = client
        .post(url)
        .bearer_auth(token)
        .json(&json!({"session_id": session, "message": "Latest vitals for PAT-001?"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (first, total) = read_timed(res, started).await;
    Sample {
        ttfb: first.unwrap(),
        total,
    }
}

/// Runs `turns` turns with `concurrency` workers; `turn(worker, i)` does the worker's
/// `i`th.
async fn run<F, Fut>(concurrency: usize, turns: usize, turn: F) -> (Vec<Sample>, f64)
where
    F: Fn(usize, usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Sample> + Send,
{
    let turn = Arc::new(turn);
    let started = Instant::now();
    let per = turns.div_ceil(concurrency);
    let mut tasks = vec![];
    for w in 0..concurrency {
        let turn = turn.clone();
        tasks.push(tokio::spawn(async move {
            let mut v = Vec::with_capacity(per);
            for i in 0..per {
                v.push(turn(w, i).await);
            }
            v
        }));
    }
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let rate = all.len() as f64 / started.elapsed().as_secs_f64();
    (all, rate)
}

/// How many doctors the bench signs in. Its turns go round them, so no one sends more
/// than the default rate limit (100 an hour) in a run, and the limit's table holds what
/// it holds in a busy ward rather than thousands of one user's messages.
const BENCH_USERS: usize = 64;

/// The sessions each of `concurrency` workers goes round, with their owner's token: with
/// fewer workers than users, worker `w` has a session of every user `u` with
/// `u % concurrency == w`; otherwise one session of user `w % BENCH_USERS`.
async fn worker_sessions(
    app: &TestApp,
    tokens: &[String],
    concurrency: usize,
) -> Arc<Vec<Vec<(String, String)>>> {
    let mut all = vec![];
    for w in 0..concurrency {
        let mut mine = vec![];
        for u in (0..tokens.len()).filter(|u| {
            if concurrency < tokens.len() {
                u % concurrency == w
            } else {
                *u == w % tokens.len()
            }
        }) {
            mine.push((tokens[u].clone(), app.session(&tokens[u]).await));
        }
        all.push(mine);
    }
    Arc::new(all)
}

/// Creates `n` doctors on 4 West and returns their access tokens.
async fn bench_users(app: &TestApp, n: usize) -> Vec<String> {
    let mut tokens = vec![];
    for i in 0..n {
        let name = format!("bench{i:03}");
        ward_core::identity::users::create_user(
            &app.ward.db,
            ward_core::identity::users::NewUser {
                username: name.clone(),
                display_name: name.clone(),
                password: "bench-password".into(),
                roles: ward_domain::role::Roles::new([ward_domain::role::Role::Doctor]),
                unit: Some("4 West".into()),
                superuser: false,
                patients: vec![],
            },
            None,
        )
        .await
        .unwrap();
        let r: Value = app
            .client
            .post(app.url("/api/token/"))
            .json(&json!({"username": name, "password": "bench-password"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        tokens.push(r["access"].as_str().unwrap().to_string());
    }
    tokens
}

/// The overhead table's rows: concurrent streams and the turns each row times. One
/// stream's p99 is its 10th-worst turn of 1,000 (with 300 it was the 3rd-worst, and one
/// slow turn moved it by half a millisecond). Per Ward (one per database and tool mode)
/// the rows come to about 70 turns per bench doctor, under the default rate limit (100
/// an hour).
const ROWS: [(usize, usize); 3] = [(1, 1000), (64, 1280), (512, 2048)];

/// Budgets no bench run can exhaust, and the completion length the fake provider's
/// replies fit in. The rate limit stays at its default.
fn unlimited_budgets() -> Vec<(&'static str, String)> {
    vec![
        ("LLM_DAILY_BUDGET", "1000000".into()),
        ("LLM_USER_DAILY_BUDGET", "1000000".into()),
        ("LLM_MAX_TOKENS", "256".into()),
    ]
}

async fn overhead() {
    println!("| database | tools | streams | turns | Ward TTFB p50/p99 ms | direct TTFB p50/p99 ms | TTFB overhead p50/p99 ms | Ward total p50/p99 ms | direct total p50/p99 ms | total overhead p50/p99 ms | Ward turns/s | Ward CPU µs/turn |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    // `WARD_BENCH_DB=sqlite` (or `postgres`) runs one database only.
    let only = std::env::var("WARD_BENCH_DB").unwrap_or_default();
    for backend in [Backend::Sqlite, Backend::Postgres]
        .into_iter()
        .filter(|b| only.is_empty() || format!("{b:?}").eq_ignore_ascii_case(&only))
    {
        for tool_round in [false, true] {
            let mock = MockLlm::unrecorded(planner(tool_round)).await;
            let mut env = mock.env();
            env.extend(unlimited_budgets());
            env.push(("LLM_HTTP2_PRIOR_KNOWLEDGE", "true".into()));
            env.push(("WARD_MAX_STREAMS_PER_USER", "1000000".into()));
            // The reply checkpoint interval (streaming persistence; 0 turns it off).
            if let Ok(ms) = std::env::var("WARD_REPLY_CHECKPOINT_MS") {
                env.push(("WARD_REPLY_CHECKPOINT_MS", ms));
            }
            let ward = IsolatedWard::spawn(Spawn {
                backend: Some(backend),
                env,
                ..Default::default()
            })
            .await;
            let app = ward.app();
            let tokens = bench_users(app, BENCH_USERS).await;
            let client = reqwest::Client::builder()
                .pool_max_idle_per_host(1024)
                .build()
                .unwrap();
            let direct_url = format!("{}/chat/completions", mock.base_url);
            let ward_url = app.url("/frontend/api/chat/message/");
            for (concurrency, turns) in ROWS {
                let sessions = worker_sessions(app, &tokens, concurrency).await;
                let c = client.clone();
                let u = direct_url.clone();
                let (direct, _) = run(concurrency, turns, move |_, _| {
                    let c = c.clone();
                    let u = u.clone();
                    async move { direct_turn(&c, &u, tool_round).await }
                })
                .await;
                let c = client.clone();
                let u = ward_url.clone();
                let cpu_before = stats::threads_cpu(WARD_THREADS);
                let (samples, rate) = run(concurrency, turns, move |w, i| {
                    let c = c.clone();
                    let u = u.clone();
                    let mine = &sessions[w];
                    let (token, session) = mine[i % mine.len()].clone();
                    async move { ward_turn(&c, &u, &token, &session).await }
                })
                .await;
                let cpu = stats::threads_cpu(WARD_THREADS) - cpu_before;
                let ttfb =
                    |v: &[Sample], p| stats::pct(&v.iter().map(|s| s.ttfb).collect::<Vec<_>>(), p);
                let total =
                    |v: &[Sample], p| stats::pct(&v.iter().map(|s| s.total).collect::<Vec<_>>(), p);
                let w = &samples;
                println!(
                    "| {backend:?} | {} | {concurrency} | {} | {:.2} / {:.2} | {:.2} / {:.2} | {:.2} / {:.2} | {:.2} / {:.2} | {:.2} / {:.2} | {:.2} / {:.2} | {rate:.0} | {:.0} |",
                    if tool_round { "1 round" } else { "none" },
                    w.len(),
                    ttfb(w, 50.0), ttfb(w, 99.0),
                    ttfb(&direct, 50.0), ttfb(&direct, 99.0),
                    ttfb(w, 50.0) - ttfb(&direct, 50.0), ttfb(w, 99.0) - ttfb(&direct, 99.0),
                    total(w, 50.0), total(w, 99.0),
                    total(&direct, 50.0), total(&direct, 99.0),
                    total(w, 50.0) - total(&direct, 50.0), total(w, 99.0) - total(&direct, 99.0),
                    cpu.as_secs_f64() * 1e6 / w.len() as f64,
                );
            }
        }
    }
}

async fn memory() {
    let mock = MockLlm::scripted(vec![Plan::Slow(vec!["tick ".to_string(); 600], 1000)]).await;
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let db = format!("sqlite://{}?mode=rwc", dir.path().join("ward.db").display());
    // `WARD_BENCH_WRAP="heaptrack -o /tmp/ward"` runs the server under a profiler.
    let wrap = std::env::var("WARD_BENCH_WRAP").unwrap_or_default();
    let mut words = wrap.split_whitespace();
    let mut cmd = match words.next() {
        Some(tool) => {
            let mut c = std::process::Command::new(tool);
            c.args(words).arg(env!("CARGO_BIN_EXE_server"));
            c
        }
        None => std::process::Command::new(env!("CARGO_BIN_EXE_server")),
    };
    cmd.arg("serve")
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &db)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "error")
        .env("LLM_HTTP2_PRIOR_KNOWLEDGE", "true");
    // One user holds every stream here, so the rate limit is lifted.
    for (k, v) in mock.env().into_iter().chain(unlimited_budgets()) {
        cmd.env(k, v);
    }
    cmd.env("RATE_LIMIT_MESSAGES_PER_HOUR", "1000000000");
    // … and so are the caps on one user's streams and on connections.
    cmd.env("WARD_MAX_STREAMS_PER_USER", "1000000");
    cmd.env("WARD_MAX_CONNECTIONS", "1000000");
    let mut child = cmd.spawn().unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let probe = reqwest::Client::new();
    while probe
        .get(format!("{base}/readyz"))
        .send()
        .await
        .map(|r| r.status() != 200)
        .unwrap_or(true)
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let token: Value = probe
        .post(format!("{base}/api/token/"))
        .json(&json!({"username": "doctor", "password": "doctor123"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access"].as_str().unwrap().to_string();
    println!(
        "| open streams | Ward RSS MiB | of it file-backed MiB | per stream KiB (over idle) |"
    );
    println!("|---|---|---|---|");
    let idle = stats::rss_mib(child.id());
    println!(
        "| 0 | {idle:.1} | {:.1} | — |",
        stats::file_rss_mib(child.id())
    );
    let pid = child.id();
    let row = |label: String, streams: usize| {
        let rss = stats::rss_mib(pid);
        println!(
            "| {label} | {rss:.1} | {:.1} | {:.1} |",
            stats::file_rss_mib(pid),
            (rss - idle) * 1024.0 / streams as f64
        );
    };
    let mut open: Vec<reqwest::Response> = vec![];
    // `WARD_BENCH_STREAMS=1000` stops after the first step.
    let max: usize = std::env::var("WARD_BENCH_STREAMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    for target in [1000usize, 10_000].into_iter().filter(|t| *t <= max) {
        let need = target - open.len();
        // Sessions first (each stream needs its own), 200 requests at a time.
        let mut sessions = vec![];
        for chunk in (0..need).collect::<Vec<_>>().chunks(200) {
            let batch = chunk.iter().map(|_| {
                let c = probe.clone();
                let url = format!("{base}/frontend/api/chat/session/");
                let t = token.clone();
                tokio::spawn(async move {
                    let v: Value = c
                        .post(url)
                        .bearer_auth(t)
                        .send()
                        .await
                        .unwrap()
                        .json()
                        .await
                        .unwrap();
                    v["session_id"].as_str().unwrap().to_string()
                })
            });
            for s in futures::future::join_all(batch).await {
                sessions.push(s.unwrap());
            }
        }
        for chunk in sessions.chunks(250) {
            let batch = chunk.iter().map(|session| {
                // A client of its own: one connection per stream, as browsers have.
                let c = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
                let url = format!("{base}/frontend/api/chat/message/");
                let t = token.clone();
                let s = session.clone();
                tokio::spawn(async move {
                    let mut r = c
                        .post(url)
                        .bearer_auth(t)
                        .json(&json!({"session_id": s, "message": "Tell me everything about PAT-001"}))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status(), 200);
                    let _ = r.chunk().await.unwrap(); // the first delta: the stream is open
                    r
                })
            });
            for r in futures::future::join_all(batch).await {
                open.push(r.unwrap());
            }
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
        row(open.len().to_string(), open.len());
    }
    // The same streams later: an open stream's memory must not grow as it streams.
    let opened = Instant::now();
    for later in [15u64, 30, 60] {
        tokio::time::sleep_until((opened + Duration::from_secs(later)).into()).await;
        row(format!("{} ({later} s later)", open.len()), open.len());
    }
    drop(open);
    let _ = child.kill();
    let _ = child.wait();
}

/// Many tool-free turns on SQLite, for a profiler (`-- profile`); `WARD_BENCH_STREAMS`
/// concurrent streams (1 unless set).
async fn profile() {
    let mock = MockLlm::unrecorded(planner(false)).await;
    let mut env = mock.env();
    env.extend(unlimited_budgets());
    env.push(("WARD_MAX_STREAMS_PER_USER", "1000000".into()));
    if std::env::var("WARD_BENCH_H1").is_err() {
        env.push(("LLM_HTTP2_PRIOR_KNOWLEDGE", "true".into()));
    }
    let ward = IsolatedWard::spawn(Spawn {
        env,
        ..Default::default()
    })
    .await;
    let app = ward.app();
    let concurrency: usize = std::env::var("WARD_BENCH_STREAMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let tokens = bench_users(app, BENCH_USERS).await;
    let sessions = worker_sessions(app, &tokens, concurrency).await;
    let client = reqwest::Client::new();
    let url = app.url("/frontend/api/chat/message/");
    let cpu_before = stats::process_cpu();
    let ward_before = stats::threads_cpu(WARD_THREADS);
    let (samples, rate) = run(concurrency, 3000, move |w, i| {
        let c = client.clone();
        let u = url.clone();
        let mine = &sessions[w];
        let (token, session) = mine[i % mine.len()].clone();
        async move { ward_turn(&c, &u, &token, &session).await }
    })
    .await;
    let per_turn = |d: Duration| d.as_secs_f64() * 1e6 / samples.len() as f64;
    println!(
        "{} turns at {concurrency} streams: {rate:.0} turns/s, total p50 {:.2} ms; CPU per turn: {:.0} µs in all (Ward, client and fake provider), {:.0} µs Ward's",
        samples.len(),
        stats::pct(&samples.iter().map(|s| s.total).collect::<Vec<_>>(), 50.0),
        per_turn(stats::process_cpu() - cpu_before),
        per_turn(stats::threads_cpu(WARD_THREADS) - ward_before),
    );
}

fn main() {
    let which = std::env::args()
        .skip(1)
        .find(|a| a == "memory" || a == "overhead" || a == "profile");
    if which.as_deref() == Some("profile") {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(profile());
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        if which.as_deref() != Some("memory") {
            overhead().await;
            println!();
        }
        if which.as_deref() != Some("overhead") {
            memory().await;
        }
    });
}
