//! `spawn_app`: a real Ward (router, database, provider) listening on 127.0.0.1:0, with
//! a fresh database per test, and a reqwest client to talk to it.

#![allow(dead_code)]

use serde_json::{json, Value};
use std::sync::Arc;
use tokio::sync::oneshot;
use ward_core::chat::provider::Provider;
use ward_core::config::Config;
pub use ward_core::testing::{Backend, TestDb};
use ward_core::Ward;

/// A running Ward and what a test needs to talk to it.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The service handle (to inspect the database).
    pub ward: Ward,
    /// A client without cookies.
    pub client: reqwest::Client,
    /// The database (dropped with the app).
    pub db: TestDb,
    /// `http://<WARD_METRICS_ADDR as bound>`, when the metrics have a listener of their own.
    pub metrics_base: Option<String>,
    stop: Option<oneshot::Sender<()>>,
}

/// A browser signed in through the login form: its `Cookie` header and CSRF token.
pub struct Browser {
    /// The `Cookie` header the browser sends.
    pub cookies: String,
    /// The CSRF token the app sends with a change.
    pub csrf: String,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// Options for [`spawn`].
#[derive(Default)]
pub struct Spawn {
    /// SQLite unless set.
    pub backend: Option<Backend>,
    /// Extra configuration variables.
    pub env: Vec<(&'static str, String)>,
    /// A provider instead of the configured one.
    pub provider: Option<Arc<dyn Provider>>,
    /// An existing database to share (another replica).
    pub database_url: Option<String>,
    /// The built site's directory (default `target/site`, relative to the test's cwd).
    pub site_root: Option<String>,
}

/// Spawns Ward with the demo data on SQLite.
pub async fn spawn_app() -> TestApp {
    spawn(Spawn::default()).await
}

/// Spawns Ward on `backend` with the demo data.
pub async fn spawn_on(backend: Backend) -> TestApp {
    spawn(Spawn {
        backend: Some(backend),
        ..Default::default()
    })
    .await
}

/// Spawns Ward as `opts` says.
pub async fn spawn(opts: Spawn) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        let _ = server::telemetry::init(false, false);
    }
    let db = TestDb::new(opts.backend.unwrap_or(Backend::Sqlite)).await;
    let url = opts.database_url.clone().unwrap_or_else(|| db.url.clone());
    let env = opts.env.clone();
    let config = Config::from_lookup(|k| {
        if k == "DATABASE_URL" {
            return Some(url.clone());
        }
        env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())
    })
    .expect("test configuration");
    let conn = ward_core::db::connect(&config.database_url)
        .await
        .expect("connect");
    ward_core::db::migrate(&conn).await.expect("migrate");
    ward_core::clinical::demo::seed_if_empty(&conn)
        .await
        .expect("seed");
    let policy = ward_core::load_policy(&config).expect("policy");
    let keys = ward_core::identity::token::TokenKeys::from_config(&config).expect("keys");
    let provider = match opts.provider {
        Some(p) => p,
        None => ward_core::chat::provider::from_config(&config).expect("provider"),
    };
    let ward = Ward::assemble(conn, config, policy, keys, provider)
        .await
        .expect("assemble");
    let leptos = leptos::config::LeptosOptions::builder()
        .output_name("ward")
        .site_root(opts.site_root.unwrap_or_else(|| "target/site".into()))
        .build();
    let app =
        server::startup::Application::build(ward.clone(), leptos, "127.0.0.1:0".parse().unwrap())
            .await
            .expect("bind");
    let base = format!("http://127.0.0.1:{}", app.port());
    let metrics_base = app.metrics_addr().map(|a| format!("http://{a}"));
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    TestApp {
        base,
        ward,
        client: reqwest::Client::new(),
        db,
        metrics_base,
        stop: Some(stop),
    }
}

impl TestApp {
    /// Starts a graceful shutdown: no new connections; open requests finish.
    pub fn stop_accepting(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }

    /// The full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Signs a browser in as a demo user (password `<name>123`) through
    /// `POST /frontend/login/`, as the login page does.
    pub async fn browser(&self, username: &str) -> Browser {
        let r = self
            .client
            .post(self.url("/frontend/login/"))
            .json(&json!({"username": username, "password": format!("{username}123")}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let cookies: Vec<String> = r
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_string())
            .collect();
        let me: Value = r.json().await.unwrap();
        Browser {
            cookies: cookies.join("; "),
            csrf: me["csrf_token"].as_str().unwrap().to_string(),
        }
    }

    /// `POST /api/token/` for a demo user (password `<name>123`); returns the access token.
    pub async fn token(&self, username: &str) -> String {
        let r = self
            .client
            .post(self.url("/api/token/"))
            .json(&json!({"username": username, "password": format!("{username}123")}))
            .send()
            .await
            .expect("token request");
        assert_eq!(r.status(), 200, "login as {username}");
        r.json::<Value>().await.unwrap()["access"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// `GET path` with a Bearer token.
    pub async fn get(&self, token: &str, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET")
    }

    /// `POST path` with a Bearer token and a JSON body.
    pub async fn post(&self, token: &str, path: &str, body: Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("POST")
    }

    /// Audit records matching an action, newest first (read straight from the database).
    pub async fn audit(&self, action: &str) -> Vec<ward_domain::audit::ChainedRecord> {
        let q = ward_core::audit::AuditQuery {
            action: Some(action.into()),
            limit: Some(500),
            ..Default::default()
        };
        ward_core::audit::search(&self.ward.db, &q)
            .await
            .expect("audit search")
            .0
    }

    /// Creates a chat session for `token` and returns its id.
    pub async fn session(&self, token: &str) -> String {
        let r = self
            .post(token, "/frontend/api/chat/session/", json!({}))
            .await;
        assert_eq!(
            r.status(),
            200,
            "session create answers 200, as the prototype"
        );
        r.json::<Value>().await.unwrap()["session_id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Sends a chat message and returns the status and the NDJSON events.
    pub async fn chat(&self, token: &str, session: &str, message: &str) -> (u16, Vec<Value>) {
        let r = self
            .post(
                token,
                "/frontend/api/chat/message/",
                json!({"session_id": session, "message": message}),
            )
            .await;
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        let events = if status == 200 {
            text.lines()
                .map(|l| serde_json::from_str(l).expect("each line is JSON"))
                .collect()
        } else {
            vec![serde_json::from_str(&text).expect("error body is JSON")]
        };
        (status, events)
    }
}
