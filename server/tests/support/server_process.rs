//! The real server binary as a child process on a free loopback port, for the tests that
//! need whole processes (several replicas on one database; a kill -9 mid-reply).

use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A Ward server process (the real binary); killed when dropped.
pub struct Replica {
    /// The process.
    pub child: Child,
    /// Its base URL.
    pub base: String,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub async fn start(db_url: &str, env: &[(&str, String)]) -> Replica {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.arg("serve")
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", db_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd.spawn().expect("start the server binary");
    let replica = Replica {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if let Ok(r) = client.get(format!("{}/readyz", replica.base)).send().await {
            if r.status() == 200 {
                std::mem::forget(dir);
                return replica;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the replica did not become ready");
}

pub async fn token(client: &reqwest::Client, base: &str, user: &str) -> String {
    let r: Value = client
        .post(format!("{base}/api/token/"))
        .json(&json!({"username": user, "password": format!("{user}123")}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["access"].as_str().expect("a token").to_string()
}
