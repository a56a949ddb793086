//! The command line of the real binary: migrate, seed-demo, create-user, hash-password,
//! import-fhir, audit verify, phi-eval, and production's refusals.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs the binary in `dir` (so no stray `.env` is read) with only `env` set.
fn ward(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run the binary");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    // Read both pipes on their own threads (a full pipe must not block the
    // child) and give the command a deadline: a binary that starts serving
    // where it should have refused fails the test instead of hanging it.
    let read = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = read(child.stdout.take().map(|p| Box::new(p) as _));
    let err = read(child.stderr.take().map(|p| Box::new(p) as _));
    let deadline = std::time::Instant::now() + COMMAND_DEADLINE;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`server {}` did not exit within {COMMAND_DEADLINE:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// How long one command of the binary may take before the test fails.
const COMMAND_DEADLINE: std::time::Duration = std::time::Duration::from_secs(120);

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

struct Workdir {
    dir: tempfile::TempDir,
    db: String,
}

fn workdir() -> Workdir {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}?mode=rwc", dir.path().join("ward.db").display());
    Workdir { dir, db }
}

#[test]
fn migrate_then_seed_demo_then_create_a_user() {
    let w = workdir();
    let env = [("DATABASE_URL", w.db.as_str())];
    let o = ward(w.dir.path(), &["migrate"], &env, None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("migrations applied"));
    let o = ward(w.dir.path(), &["seed-demo"], &env, None);
    assert!(
        text(&o).contains("created 7 demo users and 51 demo patients"),
        "{}",
        text(&o)
    );
    let o = ward(w.dir.path(), &["seed-demo"], &env, None);
    assert!(
        text(&o).contains("created 0 demo users and 0 demo patients"),
        "{}",
        text(&o)
    );
    let o = ward(
        w.dir.path(),
        &[
            "create-user",
            "--username",
            "cardio",
            "--role",
            "doctor",
            "--role",
            "reviewer",
            "--unit",
            "CCU",
        ],
        &env,
        Some("a sturdy passphrase\n"),
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("created user #8"), "{}", text(&o));
    let o = ward(
        w.dir.path(),
        &["create-user", "--username", "x", "--role", "janitor"],
        &env,
        Some("password123\n"),
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("janitor"), "{}", text(&o));
}

#[test]
fn hash_password_prints_an_argon2id_hash() {
    let w = workdir();
    let o = ward(w.dir.path(), &["hash-password"], &[], Some("s3cret!\n"));
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.trim().starts_with("$argon2id$"), "{out}");
    assert!(!out.contains("s3cret"));
}

#[test]
fn audit_verify_exits_non_zero_on_a_broken_chain() {
    let w = workdir();
    let env = [("DATABASE_URL", w.db.as_str())];
    ward(w.dir.path(), &["seed-demo"], &env, None);
    // Put a few records in the trail by signing in through the library.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let db = ward_core::db::connect(&w.db).await.unwrap();
        for i in 0..3 {
            let e = ward_domain::audit::AuditEntry::new(
                chrono::Utc::now(),
                &format!("u{i}"),
                "doctor",
                ward_domain::audit::AuditAction::Login,
                ward_domain::audit::Outcome::Ok,
            );
            ward_core::audit::append(&db, e).await.unwrap();
        }
    });
    let o = ward(w.dir.path(), &["audit", "verify"], &env, None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("\"ok\": true"));
    rt.block_on(async {
        use sea_orm::ConnectionTrait;
        let db = ward_core::db::connect(&w.db).await.unwrap();
        db.execute_unprepared("DROP TRIGGER audit_events_no_update")
            .await
            .unwrap();
        db.execute_unprepared("UPDATE audit_events SET actor = 'mallory' WHERE seq = 2")
            .await
            .unwrap();
    });
    let o = ward(w.dir.path(), &["audit", "verify"], &env, None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("\"first_broken_seq\": 2"), "{}", text(&o));
}

/// Runs `sql` against the database at `url`.
fn sql(url: &str, statements: &[&str]) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sea_orm::ConnectionTrait;
        let db = ward_core::db::connect(url).await.unwrap();
        for s in statements {
            db.execute_unprepared(s).await.unwrap();
        }
    });
}

fn count(url: &str, query: &str) -> i64 {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sea_orm::ConnectionTrait;
        let db = ward_core::db::connect(url).await.unwrap();
        db.query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            query,
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
    })
}

#[test]
fn create_user_commits_with_its_audit_record_or_not_at_all() {
    let w = workdir();
    let env = [("DATABASE_URL", w.db.as_str())];
    let create = |name: &str| {
        ward(
            w.dir.path(),
            &["create-user", "--username", name, "--role", "doctor"],
            &env,
            Some("a sturdy passphrase\n"),
        )
    };
    let o = create("cardio");
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        count(
            &w.db,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'user_admin' AND actor = 'cli' \
             AND reason LIKE 'created user #% ''cardio''%'"
        ),
        1
    );
    // The audit trail cannot be written: the command fails and no user is created.
    sql(
        &w.db,
        &[
            "CREATE TRIGGER refuse_insert BEFORE INSERT ON audit_events \
           BEGIN SELECT RAISE(ABORT, 'disk full'); END",
        ],
    );
    let o = create("neuro");
    assert!(!o.status.success(), "{}", text(&o));
    assert_eq!(
        count(&w.db, "SELECT COUNT(*) FROM users WHERE username = 'neuro'"),
        0
    );
}

#[test]
fn exported_checkpoints_catch_a_chain_re_hashed_with_the_key() {
    let w = workdir();
    let env = [("DATABASE_URL", w.db.as_str())];
    for name in ["one", "two", "three"] {
        let o = ward(
            w.dir.path(),
            &["create-user", "--username", name, "--role", "nurse"],
            &env,
            Some("a sturdy passphrase\n"),
        );
        assert!(o.status.success(), "{}", text(&o));
    }
    let file = w.dir.path().join("checkpoints.jsonl");
    let o = ward(
        w.dir.path(),
        &["audit", "checkpoint", "--export", file.to_str().unwrap()],
        &env,
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let exported = std::fs::read_to_string(&file).unwrap();
    let cp: ward_domain::audit::Checkpoint =
        serde_json::from_str(exported.lines().next().unwrap()).unwrap();
    assert_eq!(cp.seq, 3);
    let with_file = ["audit", "verify", "--checkpoints", file.to_str().unwrap()];
    let o = ward(w.dir.path(), &with_file, &env, None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("\"checkpoints_checked\": 2"),
        "{}",
        text(&o)
    );

    // Rewritten with the (demo) key, stored checkpoints deleted: only the export knows.
    sql(
        &w.db,
        &[
            "DROP TRIGGER audit_events_no_update",
            "DROP TRIGGER audit_checkpoints_no_delete",
            "DELETE FROM audit_checkpoints",
        ],
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sea_orm::ConnectionTrait;
        let db = ward_core::db::connect(&w.db).await.unwrap();
        let key = ward_domain::audit::ChainKey::demo();
        let mut records = ward_core::audit::search(
            &db,
            &ward_core::audit::AuditQuery {
                limit: Some(100),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .0;
        records.reverse();
        records[1].entry.reason = Some("nothing happened".into());
        for i in 1..records.len() {
            records[i].prev_hash = records[i - 1].hash.clone();
            records[i].hash = ward_domain::audit::keyed_chain_hash(
                &key,
                records[i].seq,
                &records[i].entry,
                &records[i].prev_hash,
            );
            db.execute_unprepared(&format!(
                "UPDATE audit_events SET reason = '{}', prev_hash = '{}', hash = '{}' WHERE seq = {}",
                records[i].entry.reason.clone().unwrap_or_default().replace('\'', "''"),
                records[i].prev_hash,
                records[i].hash,
                records[i].seq
            ))
            .await
            .unwrap();
        }
        db.execute_unprepared(&format!(
            "UPDATE audit_head SET last_hash = '{}' WHERE id = 1",
            records.last().unwrap().hash
        ))
        .await
        .unwrap();
    });
    let o = ward(w.dir.path(), &["audit", "verify"], &env, None);
    assert!(o.status.success(), "{}", text(&o));
    let o = ward(w.dir.path(), &with_file, &env, None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("signed checkpoint"), "{}", text(&o));
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/fhir")
}

#[test]
fn import_fhir_imports_what_it_can_and_reports_the_rest_per_kind() {
    let w = workdir();
    let env = [("DATABASE_URL", w.db.as_str())];
    let examples = fixtures().join("hl7-r4-examples");
    let o = ward(
        w.dir.path(),
        &["import-fhir", examples.to_str().unwrap()],
        &env,
        None,
    );
    // One allergy refers to a patient who is not there: reported, exit 0 all the same.
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("1 could not be used"), "{out}");
    assert!(out.contains("AllergyIntolerance/nka"), "{out}");
    let row = out
        .lines()
        .find(|l| l.starts_with("Immunization "))
        .expect("a row per resource type");
    assert_eq!(
        row.split_whitespace().collect::<Vec<_>>(),
        ["Immunization", "3", "3", "0", "0", "0", "100.0%"]
    );
    // Again, as JSON: everything is updated, nothing new.
    let o = ward(
        w.dir.path(),
        &["import-fhir", "--json", examples.to_str().unwrap()],
        &env,
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON report");
    assert_eq!(report["kinds"]["Patient"]["updated"], 2);
    assert_eq!(report["kinds"]["Patient"]["created"], 0);
    // Both runs are in the audit trail, which still verifies.
    let o = ward(w.dir.path(), &["audit", "verify"], &env, None);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn import_fhir_exits_non_zero_only_when_nothing_could_be_imported() {
    let w = workdir();
    let env = [("DATABASE_URL", w.db.as_str())];
    let bad = fixtures().join("not-json.json");
    let o = ward(
        w.dir.path(),
        &["import-fhir", bad.to_str().unwrap()],
        &env,
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("not-json.json: is not valid JSON"),
        "{}",
        text(&o)
    );
    assert!(
        text(&o).contains("nothing could be imported"),
        "{}",
        text(&o)
    );
    // A bad file beside a good one: the good one imports, exit 0.
    let good = fixtures().join("synthea-two-patients.json");
    let o = ward(
        w.dir.path(),
        &["import-fhir", bad.to_str().unwrap(), good.to_str().unwrap()],
        &env,
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = ward(w.dir.path(), &["import-fhir", "/no/such/path"], &env, None);
    assert!(!o.status.success());
    assert!(text(&o).contains("/no/such/path"), "{}", text(&o));
}

#[test]
fn a_running_ward_learns_the_names_a_command_line_import_added() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let db = ward_core::testing::TestDb::new(ward_core::testing::Backend::Sqlite).await;
        let ward = ward_core::testing::ward_on(&db, &[]).await;
        let text = "Seen today: Marisol742 Elena Quintero318, stable.";
        let name = "Marisol742 Elena Quintero318";
        let knows = |ward: &ward_core::Ward| {
            ward.phi
                .detector()
                .detect(text)
                .unwrap()
                .iter()
                .any(|d| text[d.start..d.end].contains("Quintero318"))
        };
        assert!(!knows(&ward), "not a name Ward knew before the import");
        let good = fixtures().join("synthea-two-patients.json");
        let dir = tempfile::tempdir().unwrap();
        let env = [("DATABASE_URL", db.url.as_str())];
        let o = ward_in(dir.path(), &["import-fhir", good.to_str().unwrap()], &env);
        assert!(o.status.success(), "{}", self::text(&o));
        // The server polls the clinical data version every few seconds.
        let mut learned = false;
        for _ in 0..150 {
            if knows(&ward) {
                learned = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(learned, "the detector never learned {name}");
    });
}

/// [`ward`] from async code (no stdin).
fn ward_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    ward(dir, args, env, None)
}

#[test]
fn phi_eval_ends_with_one_json_line() {
    let w = workdir();
    let corpus = w.dir.path().join("mini.jsonl");
    std::fs::write(
        &corpus,
        "{\"text\": \"Seen by Dr. Alice Smith on 03/04/2021, call 617-555-0199.\", \"spans\": [{\"start\": 12, \"end\": 23, \"type\": \"NAME\"}, {\"start\": 27, \"end\": 37, \"type\": \"DATE\"}, {\"start\": 44, \"end\": 56, \"type\": \"PHONE\"}]}\n",
    )
    .unwrap();
    let o = ward(
        w.dir.path(),
        &["phi-eval", corpus.to_str().unwrap()],
        &[],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let last: serde_json::Value =
        serde_json::from_str(out.trim_end().lines().last().unwrap()).unwrap();
    assert_eq!(last["entity_recall"], 1.0, "{out}");
    assert!(last["per_type"]["PHONE"].is_number());
    assert!(last["mb_per_s"].as_f64().unwrap() > 0.0);
}

fn refuses(env: &[(&str, &str)], needle: &str) {
    let w = workdir();
    let mut all = vec![
        ("DATABASE_URL", w.db.as_str()),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
    ];
    all.extend_from_slice(env);
    let o = ward(w.dir.path(), &["serve"], &all, None);
    assert!(!o.status.success(), "production must refuse: {}", text(&o));
    assert!(text(&o).contains(needle), "{}", text(&o));
}

#[test]
fn demo_mode_refuses_an_address_other_machines_reach() {
    refuses(&[("LEPTOS_SITE_ADDR", "0.0.0.0:0")], "WARD_DEMO_ON_NETWORK");
}

#[test]
fn production_refuses_the_default_jwt_secret() {
    refuses(&[("WARD_ENV", "production")], "JWT_SECRET");
}

#[test]
fn production_refuses_a_missing_or_demo_audit_key() {
    let jwt = ("JWT_SECRET", "a-production-secret-of-forty-characters!!");
    refuses(&[("WARD_ENV", "production"), jwt], "WARD_AUDIT_KEY");
    refuses(
        &[
            ("WARD_ENV", "production"),
            jwt,
            ("WARD_AUDIT_KEY", ward_domain::audit::DEMO_AUDIT_KEY),
        ],
        "WARD_AUDIT_KEY",
    );
}

#[test]
fn production_refuses_allow_mode_without_acknowledgement() {
    refuses(
        &[
            ("WARD_ENV", "production"),
            ("JWT_SECRET", "a-production-secret-of-forty-characters!!"),
            ("WARD_AUDIT_KEY", "an-audit-key-of-at-least-32-characters!!"),
            ("LLM_PHI_MODE", "allow"),
        ],
        "WARD_PHI_ALLOW_ACKNOWLEDGED",
    );
}

#[test]
fn production_refuses_demo_users_in_the_database() {
    let w = workdir();
    let seeded = ward(
        w.dir.path(),
        &["seed-demo"],
        &[("DATABASE_URL", w.db.as_str())],
        None,
    );
    assert!(seeded.status.success(), "{}", text(&seeded));
    let o = ward(
        w.dir.path(),
        &["serve"],
        &[
            ("DATABASE_URL", w.db.as_str()),
            ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
            ("WARD_ENV", "production"),
            ("JWT_SECRET", "a-production-secret-of-forty-characters!!"),
            ("WARD_AUDIT_KEY", "an-audit-key-of-at-least-32-characters!!"),
        ],
        None,
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("demo user 'admin'"), "{}", text(&o));
}

#[test]
fn production_refuses_a_policy_that_names_an_unknown_tool() {
    let w = workdir();
    let policy = w.dir.path().join("policy.toml");
    std::fs::write(
        &policy,
        ward_domain::policy::DEFAULT_POLICY_TOML.replace(
            "\"search_patients\", \"get_billing_summary\"",
            "\"search_patients\", \"wire_transfer\"",
        ),
    )
    .unwrap();
    let o = ward(
        w.dir.path(),
        &["serve"],
        &[
            ("DATABASE_URL", w.db.as_str()),
            ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
            ("WARD_POLICY_FILE", policy.to_str().unwrap()),
        ],
        None,
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("wire_transfer"), "{}", text(&o));
}

#[test]
fn logs_hold_no_phi_message_text_password_or_token_even_at_trace_level() {
    let w = workdir();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["serve", "--log-json"])
        .current_dir(w.dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &w.db)
        .env("LEPTOS_SITE_ADDR", &addr)
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read both pipes while the server runs, so it can never stall on a full pipe.
    let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let token = rt.block_on(async {
        let c = reqwest::Client::new();
        let base = format!("http://{addr}");
        // Migrating and seeding the demo data took over 20 s once, on a machine loaded by
        // the other test binaries: allow two minutes before calling it a failure.
        let mut ready = false;
        for _ in 0..1200 {
            if c.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status() == 200) {
                ready = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(ready, "the server did not become ready within 120 s");
        let t: serde_json::Value = c
            .post(format!("{base}/api/token/"))
            .json(&serde_json::json!({"username": "doctor", "password": "doctor123"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = t["access"].as_str().unwrap().to_string();
        let s: serde_json::Value = c
            .post(format!("{base}/frontend/api/chat/session/"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let body = c
            .post(format!("{base}/frontend/api/chat/message/"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"session_id": s["session_id"], "message": "What medications is John Doe taking? SSN 900-12-3456"}))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(body.contains("Lisinopril"), "the turn ran: {body}");
        let _ = c
            .post(format!("{base}/frontend/mcp-proxy/?patient=PAT-001"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"tool": "get_patient_overview", "arguments": {"patient_id": "PAT-001"}}))
            .send()
            .await
            .unwrap();
        token
    });
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let logs = stdout.join().unwrap() + &stderr.join().unwrap();
    assert!(logs.contains("request finished"), "logging works: {logs}");
    assert!(
        logs.lines().filter(|l| l.starts_with('{')).count() > 3,
        "JSON lines"
    );
    for secret in [
        "John",
        "Doe",
        "900-12-3456",
        "doctor123",
        token.as_str(),
        "Lisinopril",
        "What medications",
        "patient=PAT-001",
        "4007919",
    ] {
        assert!(!logs.contains(secret), "the logs contain {secret:?}");
    }
}
