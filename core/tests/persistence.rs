//! Persistence on SQLite and on PostgreSQL: migrations, demo data, users and care teams,
//! chat sessions, the tool layer's policy and audit, and the exactness of the rate limit
//! and the budget under concurrency (also from two connection pools, as two replicas).

use sea_orm::ConnectionTrait;
use serde_json::json;
use ward_core::chat::{limits, sessions, turn as agent};
use ward_core::entity::chat_sessions;
use ward_core::identity::users;
use ward_core::ids::{SessionId, UserId};
use ward_core::testing::{caller, ward_on, Backend, TestDb};
use ward_core::tools::{call_tool, Door, SessionBinding, ToolRequest};
use ward_core::{access, audit, db, Ward};
use ward_domain::role::{Role, Roles};

async fn migrations_are_idempotent(b: Backend) {
    let t = TestDb::new(b).await;
    db::migrate(&t.db).await.expect("a second run is a no-op");
    for table in [
        "users",
        "patients",
        "audit_events",
        "chat_messages",
        "token_usage",
    ] {
        let n =
            t.db.query_one_raw(db::statement(
                t.db.get_database_backend(),
                &format!("SELECT COUNT(*) AS n FROM {table}"),
                [],
            ))
            .await
            .unwrap();
        assert!(n.is_some(), "{table} exists");
    }
}

async fn the_demo_has_its_users_and_fifty_patients(b: Backend) {
    let t = TestDb::new(b).await;
    let ward = ward_on(&t, &[]).await;
    let doctor = caller(&ward, "doctor").await;
    let team = users::care_team(&ward.db, &doctor.principal).await.unwrap();
    let expected: Vec<String> = (1..=25).map(|i| format!("PAT-{i:03}")).collect();
    assert_eq!(team.patients, expected);
    assert_eq!(team.unit.as_deref(), Some("4 West"));
    let nurse = caller(&ward, "nurse").await;
    assert!(users::on_care_team(&ward.db, &nurse.principal, "PAT-007")
        .await
        .unwrap());
    assert!(!users::on_care_team(&ward.db, &nurse.principal, "PAT-030")
        .await
        .unwrap());
    let admin = caller(&ward, "admin").await;
    assert!(admin.principal.is_superuser);
    // Seeding again changes nothing.
    assert_eq!(
        ward_core::clinical::demo::seed_patients(&t.db)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        ward_core::clinical::demo::seed_users(&t.db).await.unwrap(),
        0
    );
}

async fn users_are_created_once_with_their_roles(b: Backend) {
    let t = TestDb::new(b).await;
    let new = users::NewUser {
        username: "jdoe".into(),
        display_name: "J. Doe".into(),
        password: "a long passphrase".into(),
        roles: Roles::new([Role::Nurse, Role::Billing]),
        unit: Some("ICU".into()),
        superuser: false,
        patients: vec!["PAT-099".into()],
    };
    let id = users::create_user(&t.db, new.clone(), None).await.unwrap();
    let again = users::create_user(&t.db, new.clone(), None)
        .await
        .unwrap_err();
    assert_eq!(again.code, "username_taken");
    let p = users::load_principal(&t.db, id).await.unwrap().unwrap();
    assert_eq!(p.roles, Roles::new([Role::Billing, Role::Nurse]));
    let weak = users::create_user(
        &t.db,
        users::NewUser {
            username: "x".into(),
            password: "short".into(),
            ..new
        },
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(weak.code, "weak_password");
}

async fn sessions_list_newest_first_with_message_counts(b: Backend) {
    let t = TestDb::new(b).await;
    let ward = ward_on(&t, &[]).await;
    let doctor = caller(&ward, "doctor").await;
    let nurse = caller(&ward, "nurse").await;
    let first = sessions::create(&ward, &doctor, Some("first"))
        .await
        .unwrap();
    let second = sessions::create(&ward, &doctor, None).await.unwrap();
    for (i, role) in ["user", "assistant", "user"].into_iter().enumerate() {
        let position = sessions::append(
            &ward.db,
            &SessionId::parse(&first.session_id).unwrap(),
            sessions::NewMessage {
                role,
                content: format!("m{i}"),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(position, i as i64 + 1);
    }
    // Touch the first so it becomes the newest.
    sessions::update(
        &ward,
        &doctor,
        &first.session_id,
        &ward_domain::api::UpdateSessionRequest {
            title: Some("renamed".into()),
            is_archived: None,
        },
    )
    .await
    .unwrap();
    let list = sessions::list(&ward, &doctor, false)
        .await
        .unwrap()
        .sessions;
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].id, first.session_id);
    assert_eq!(list[0].title, "renamed");
    assert_eq!(list[0].message_count, 3);
    assert_eq!(list[1].id, second.session_id);
    assert_eq!(list[1].message_count, 0);
    // Missing and not-yours are the same 404.
    let not_yours = sessions::history(&ward, &nurse, &first.session_id)
        .await
        .unwrap_err();
    let missing = sessions::history(&ward, &nurse, &uuid::Uuid::new_v4().to_string())
        .await
        .unwrap_err();
    assert_eq!(
        (not_yours.status(), not_yours.code.clone()),
        (404, missing.code.clone())
    );
    assert_eq!(not_yours.message, missing.message);
}

async fn reviewers_read_archived_sessions_and_the_read_is_audited(b: Backend) {
    let t = TestDb::new(b).await;
    let ward = ward_on(&t, &[]).await;
    let doctor = caller(&ward, "doctor").await;
    let reviewer = caller(&ward, "reviewer").await;
    let s = sessions::create(&ward, &doctor, Some("sepsis follow-up"))
        .await
        .unwrap();
    // Not archived yet: invisible to the reviewer.
    assert_eq!(
        sessions::history(&ward, &reviewer, &s.session_id)
            .await
            .unwrap_err()
            .status(),
        404
    );
    let archive = ward_domain::api::UpdateSessionRequest {
        title: None,
        is_archived: Some(true),
    };
    sessions::update(&ward, &doctor, &s.session_id, &archive)
        .await
        .unwrap();
    assert!(sessions::list(&ward, &doctor, false)
        .await
        .unwrap()
        .sessions
        .is_empty());
    let found = sessions::browse_archived(&ward, &reviewer, Some("SEPSIS"))
        .await
        .unwrap();
    assert_eq!(found.sessions.len(), 1);
    assert_eq!(found.sessions[0].owner.as_deref(), Some("doctor"));
    let h = sessions::history(&ward, &reviewer, &s.session_id)
        .await
        .unwrap();
    assert!(h.read_only);
    let reads = audit::search(
        &ward.db,
        &audit::AuditQuery {
            action: Some("session_read".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .0;
    // The list is a read too (its titles are often PHI), then the history.
    assert_eq!(reads.len(), 2);
    assert_eq!(reads[0].entry.actor, "reviewer");
    assert_eq!(
        reads[0].entry.session_id.as_deref(),
        Some(s.session_id.as_str())
    );
    assert!(reads[1]
        .entry
        .arguments
        .as_deref()
        .unwrap()
        .contains(s.session_id.as_str()));
    let nurse = caller(&ward, "nurse").await;
    assert_eq!(
        sessions::browse_archived(&ward, &nurse, None)
            .await
            .unwrap_err()
            .status(),
        403
    );
}

fn req<'a>(c: &'a (&'static str, serde_json::Value)) -> ToolRequest<'a> {
    ToolRequest {
        name: c.0,
        arguments: &c.1,
        door: Door::Proxy,
    }
}

async fn tool_calls_follow_the_policy_and_are_audited(b: Backend) {
    let t = TestDb::new(b).await;
    let ward = ward_on(&t, &[]).await;
    let doctor = caller(&ward, "doctor").await;
    let billing = caller(&ward, "billing").await;
    let call = |name: &'static str, args: serde_json::Value| (name, args);
    let labs = call(
        "get_lab_results",
        json!({"patient_id": "PAT-001", "test": "A1c"}),
    );
    let ok = call_tool(&ward, &doctor, req(&labs)).await.unwrap();
    assert_eq!(ok.result["results"][0]["test"], "Hemoglobin A1c");
    assert_eq!(ok.result["results"][0]["flag"], "H");
    let notes = call("get_clinical_notes", json!({"patient_id": "PAT-001"}));
    let denied = call_tool(&ward, &billing, req(&notes)).await.unwrap_err();
    assert_eq!(
        (denied.status(), denied.code.as_ref()),
        (403, "tool_not_permitted")
    );
    let outside = call("get_clinical_notes", json!({"patient_id": "PAT-030"}));
    let glass = call_tool(&ward, &doctor, req(&outside)).await.unwrap_err();
    assert_eq!(glass.code, "break_glass_required");
    // Break the glass, then the same call is allowed and flagged.
    let short = access::break_glass(&ward, &doctor, "PAT-030", "because")
        .await
        .unwrap_err();
    assert_eq!(short.code, "reason_required");
    access::break_glass(
        &ward,
        &doctor,
        "PAT-030",
        "Cross-cover in the ED, patient unresponsive",
    )
    .await
    .unwrap();
    let ok = call_tool(&ward, &doctor, req(&outside)).await.unwrap();
    assert!(ok.break_glass);
    let nurse = caller(&ward, "nurse").await;
    let no_glass = access::break_glass(&ward, &nurse, "PAT-030", "I would like to look please")
        .await
        .unwrap_err();
    assert_eq!(no_glass.status(), 403);
    let overview = call("get_patient_overview", json!({"patient_id": "PAT-001"}));
    let masked = call_tool(&ward, &doctor, req(&overview)).await.unwrap();
    assert_eq!(masked.result["ssn"], "[MASKED]");
    let claims = call("get_billing_summary", json!({"patient_id": "PAT-001"}));
    assert!(call_tool(&ward, &billing, req(&claims)).await.is_ok());
    // In a chat, a patient the session is not about is refused.
    let binding = SessionBinding {
        session_id: SessionId::parse("6f9619ff-8b86-d011-b42d-00c04fc964ff").unwrap(),
        allowed_patients: vec!["PAT-001".into()],
    };
    let other = json!({"patient_id": "PAT-002"});
    let bound = call_tool(
        &ward,
        &doctor,
        ToolRequest {
            name: "get_lab_results",
            arguments: &other,
            door: Door::Chat(&binding),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(bound.code, "patient_not_in_session");
    let records = audit::search(
        &ward.db,
        &audit::AuditQuery {
            action: Some("tool_call".into()),
            limit: Some(100),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .0;
    let outcomes: Vec<(&str, &str)> = records
        .iter()
        .rev()
        .map(|r| {
            (
                r.entry.tool.as_deref().unwrap_or(""),
                r.entry.outcome.as_str(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        vec![
            ("get_lab_results", "ok"),
            ("get_clinical_notes", "denied"),
            ("get_clinical_notes", "denied"),
            ("get_clinical_notes", "ok"),
            ("get_patient_overview", "ok"),
            ("get_billing_summary", "ok"),
            ("get_lab_results", "denied"),
        ]
    );
    assert!(records[3]
        .entry
        .reason
        .as_deref()
        .unwrap()
        .contains("break_glass"));
    assert!(audit::verify(&ward.db).await.unwrap().ok);
}

async fn the_rate_limit_accepts_exactly_the_limit_across_two_pools(b: Backend) {
    let t = TestDb::new(b).await;
    let ward = ward_on(&t, &[]).await;
    let doctor = caller(&ward, "doctor").await;
    let other = db::connect(&t.url).await.unwrap();
    let limit = 7;
    let mut tasks = vec![];
    for i in 0..20 {
        let pool = if i % 2 == 0 {
            t.db.clone()
        } else {
            other.clone()
        };
        let user = doctor.principal.id;
        tasks.push(tokio::spawn(async move {
            // As the chat turn's ledger takes a slot: a batch in a serialised transaction.
            let mut batch = db::Batch::new(pool.get_database_backend());
            let check = limits::rate_check(batch.backend(), user, limit);
            for w in check.writes {
                batch.add(w);
            }
            let slot = batch.answer(check.slot);
            let txn = db::begin_serialized(&pool).await.unwrap();
            let rows = batch.query_all(&txn).await.unwrap();
            if rows.first(slot).is_some() {
                txn.commit().await.unwrap();
                Ok(())
            } else {
                let refusal = limits::rate_refusal(&txn, user, limit).await.unwrap();
                txn.rollback().await.unwrap();
                Err(refusal)
            }
        }));
    }
    let mut accepted = 0;
    let mut waits = vec![];
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => accepted += 1,
            Err(e) => {
                assert_eq!(e.code, "rate_limited");
                waits.push(e.retry_after_secs.unwrap());
            }
        }
    }
    assert_eq!(accepted, limit);
    assert!(waits.iter().all(|w| (3500..=3600).contains(w)), "{waits:?}");
}

/// One reservation in its own serialised transaction, as the chat turn's ledger makes them.
async fn reserve(
    ward: &Ward,
    user: UserId,
    session: &str,
    micros: i64,
) -> ward_core::error::Result<limits::Reservation> {
    let budgets = ward_core::usage::budgets(ward).await?;
    let session = SessionId::parse(session)?;
    let mut batch = db::Batch::new(ward.db.get_database_backend());
    let (pending, writes) = limits::reservation(ward, &budgets, user, &session, micros);
    let answers = [
        batch.answer(writes.user_counter),
        batch.answer(writes.global_counter),
        batch.answer(writes.usage_row),
    ];
    let txn = db::begin_serialized(&ward.db).await?;
    let rows = batch.query_all(&txn).await?;
    let r = pending.granted(
        rows.first(answers[0]),
        rows.first(answers[1]),
        rows.first(answers[2]),
    );
    match r {
        Ok(_) => txn.commit().await?,
        Err(_) => txn.rollback().await?,
    }
    r
}

/// Settles a reservation at zero tokens in its own serialised transaction.
async fn settle_unused(ward: &Ward, r: &limits::Reservation) {
    let mut batch = db::Batch::new(ward.db.get_database_backend());
    for s in limits::settlement(ward, r, 0, 0, None) {
        batch.add(s);
    }
    let txn = db::begin_serialized(&ward.db).await.unwrap();
    batch.execute_and_commit(txn).await.unwrap();
}

async fn the_budget_is_never_exceeded_under_concurrency(b: Backend) {
    let t = TestDb::new(b).await;
    // $0.01 a day per user: room for exactly 10 reservations of 1000 micro-dollars.
    let ward = ward_on(&t, &[("LLM_USER_DAILY_BUDGET", "0.01")]).await;
    let doctor = caller(&ward, "doctor").await;
    let session = sessions::create(&ward, &doctor, None)
        .await
        .unwrap()
        .session_id;
    let mut tasks = vec![];
    for _ in 0..25 {
        let w = ward.clone();
        let s = session.clone();
        let user = doctor.principal.id;
        tasks.push(tokio::spawn(
            async move { reserve(&w, user, &s, 1000).await },
        ));
    }
    let mut granted = vec![];
    for task in tasks {
        match task.await.unwrap() {
            Ok(r) => granted.push(r),
            Err(e) => assert_eq!(e.code, "budget_exceeded"),
        }
    }
    assert_eq!(granted.len(), 10);
    // Settling below the reservation frees room for more.
    for r in &granted[..5] {
        settle_unused(&ward, r).await;
    }
    let report = ward_core::usage::report(&ward, 1).await.unwrap();
    assert!((report.spent_today_usd - 0.005).abs() < 1e-9, "{report:?}");
    assert!(reserve(&ward, doctor.principal.id, &session, 1000)
        .await
        .is_ok());
}

/// Two replicas (two `Ward`s on one database):
/// while a reply streams in a session, the other replica refuses a second turn there with
/// `session_busy`, takes no rate slot and stores nothing; once the turn ends, or when the
/// lease of a replica that died mid-turn runs out, the session is free again.
async fn one_turn_at_a_time_per_session_across_replicas(b: Backend) {
    use sea_orm::{ActiveModelTrait, Set};
    let t = TestDb::new(b).await;
    let first = ward_on(&t, &[]).await;
    let second = ward_on(&t, &[]).await;
    let doctor = caller(&first, "doctor").await;
    let session = sessions::create(&first, &doctor, None)
        .await
        .unwrap()
        .session_id;
    let turn = agent::begin_turn(
        &first,
        &(&doctor).into(),
        &session,
        "Latest labs for PAT-001",
    )
    .await
    .unwrap();
    let busy = agent::begin_turn(&second, &(&doctor).into(), &session, "And the medications?")
        .await
        .err()
        .expect("the other replica refuses a second turn");
    assert_eq!(busy.code, "session_busy");
    assert_eq!(agent::message_count(&first, &session).await.unwrap(), 1);

    let (tx, mut rx) = ward_core::chat::outbox::outbox(64);
    let run = tokio::spawn(agent::run_turn(turn, tx));
    let mut events = 0;
    while futures::StreamExt::next(&mut rx).await.is_some() {
        events += 1;
    }
    run.await.unwrap();
    assert!(events > 0);
    let count_after_reply = agent::message_count(&first, &session).await.unwrap();
    assert!(count_after_reply > 1);

    // The turn ended: the other replica may start one.
    let taken = agent::begin_turn(&second, &(&doctor).into(), &session, "And the medications?")
        .await
        .expect("the session is free once the reply ended");
    assert_eq!(
        agent::message_count(&first, &session).await.unwrap(),
        count_after_reply + 1
    );
    // That replica dies mid-turn: its lease blocks the session until it runs out.
    drop(taken);
    let blocked = agent::begin_turn(&first, &(&doctor).into(), &session, "Anything else?")
        .await
        .err()
        .expect("a live lease blocks the session");
    assert_eq!(blocked.code, "session_busy");
    chat_sessions::ActiveModel {
        id: Set(session.clone()),
        turn_lease_until: Set(Some(chrono::Utc::now() - chrono::Duration::seconds(1))),
        ..Default::default()
    }
    .update(&first.db)
    .await
    .unwrap();
    assert!(
        agent::begin_turn(&first, &(&doctor).into(), &session, "Anything else?")
            .await
            .is_ok()
    );
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    super::$name(ward_core::testing::Backend::Sqlite).await
                }
                #[tokio::test]
                async fn postgres() {
                    super::$name(ward_core::testing::Backend::Postgres).await
                }
            }
        )*
    };
}

on_both!(
    migrations_are_idempotent,
    the_demo_has_its_users_and_fifty_patients,
    users_are_created_once_with_their_roles,
    sessions_list_newest_first_with_message_counts,
    reviewers_read_archived_sessions_and_the_read_is_audited,
    tool_calls_follow_the_policy_and_are_audited,
    the_rate_limit_accepts_exactly_the_limit_across_two_pools,
    the_budget_is_never_exceeded_under_concurrency,
    one_turn_at_a_time_per_session_across_replicas,
);
