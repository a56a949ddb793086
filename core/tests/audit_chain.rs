//! The audit trail in a real database, on SQLite and on PostgreSQL: tampering is detected,
//! the table refuses changes, and concurrent writers (also from two "replicas") keep one
//! linear chain.

use chrono::Utc;
use sea_orm::ConnectionTrait;
use ward_core::audit;
use ward_core::testing::{Backend, TestDb};
use ward_domain::audit::{AuditAction, AuditEntry, Outcome};

fn entry(i: usize) -> AuditEntry {
    let mut e = AuditEntry::new(
        Utc::now(),
        &format!("user{}", i % 3),
        "doctor",
        AuditAction::ToolCall,
        Outcome::Ok,
    );
    e.patient_id = Some(format!("PAT-{:03}", i % 50 + 1));
    e.tool = Some("get_lab_results".into());
    e.arguments = Some(format!("{{\"patient_id\":\"PAT-{:03}\"}}", i % 50 + 1));
    e
}

async fn append_n(db: &TestDb, n: usize) {
    for i in 0..n {
        audit::append(&db.db, entry(i)).await.expect("append");
    }
}

/// Removes the append-only triggers, as an attacker with database access would.
async fn drop_guards(db: &TestDb) {
    let sql: &[&str] = match db.backend() {
        Backend::Postgres => &[
            "DROP TRIGGER audit_events_no_change ON audit_events",
            "DROP TRIGGER audit_events_no_truncate ON audit_events",
        ],
        Backend::Sqlite => &[
            "DROP TRIGGER audit_events_no_update",
            "DROP TRIGGER audit_events_no_delete",
        ],
    };
    for s in sql {
        db.db.execute_unprepared(s).await.expect("drop trigger");
    }
}

async fn intact_chain_verifies(b: Backend) {
    let db = TestDb::new(b).await;
    append_n(&db, 12).await;
    let r = audit::verify(&db.db).await.unwrap();
    assert!(r.ok, "{r:?}");
    assert_eq!(r.records_checked, 12);
}

async fn the_table_refuses_update_and_delete(b: Backend) {
    let db = TestDb::new(b).await;
    append_n(&db, 3).await;
    let upd = db
        .db
        .execute_unprepared("UPDATE audit_events SET actor = 'mallory' WHERE seq = 2")
        .await;
    assert!(upd.is_err(), "UPDATE must be refused");
    let del = db
        .db
        .execute_unprepared("DELETE FROM audit_events WHERE seq = 3")
        .await;
    assert!(del.is_err(), "DELETE must be refused");
    if b == Backend::Postgres {
        let t = db.db.execute_unprepared("TRUNCATE audit_events").await;
        assert!(t.is_err(), "TRUNCATE must be refused");
    }
    assert!(audit::verify(&db.db).await.unwrap().ok);
}

async fn an_edited_record_is_detected(b: Backend) {
    let db = TestDb::new(b).await;
    append_n(&db, 6).await;
    drop_guards(&db).await;
    db.db
        .execute_unprepared("UPDATE audit_events SET outcome = 'denied' WHERE seq = 4")
        .await
        .unwrap();
    let r = audit::verify(&db.db).await.unwrap();
    assert!(!r.ok);
    assert_eq!(r.first_broken_seq, Some(4), "{r:?}");
}

async fn a_deleted_record_is_detected(b: Backend) {
    let db = TestDb::new(b).await;
    append_n(&db, 6).await;
    drop_guards(&db).await;
    db.db
        .execute_unprepared("DELETE FROM audit_events WHERE seq = 3")
        .await
        .unwrap();
    let r = audit::verify(&db.db).await.unwrap();
    assert_eq!(r.first_broken_seq, Some(3), "{r:?}");
}

async fn a_deleted_last_record_is_detected(b: Backend) {
    let db = TestDb::new(b).await;
    append_n(&db, 6).await;
    drop_guards(&db).await;
    db.db
        .execute_unprepared("DELETE FROM audit_events WHERE seq = 6")
        .await
        .unwrap();
    let r = audit::verify(&db.db).await.unwrap();
    assert_eq!(r.first_broken_seq, Some(6), "{r:?}");
}

async fn an_inserted_record_is_detected(b: Backend) {
    let db = TestDb::new(b).await;
    append_n(&db, 6).await;
    // A forged record appended behind Ward's back (inserts are not blocked by a trigger,
    // so no guard needs dropping), with a plausible but wrong hash.
    db.db
        .execute_unprepared(
            "INSERT INTO audit_events (seq, occurred_at, actor, roles, action, outcome, prev_hash, hash) \
             SELECT 7, occurred_at, 'mallory', 'admin', 'tool_call', 'ok', hash, hash \
             FROM audit_events WHERE seq = 6",
        )
        .await
        .unwrap();
    let r = audit::verify(&db.db).await.unwrap();
    assert!(!r.ok);
    assert_eq!(r.first_broken_seq, Some(7), "{r:?}");
}

async fn reordered_records_are_detected(b: Backend) {
    let db = TestDb::new(b).await;
    append_n(&db, 6).await;
    drop_guards(&db).await;
    // Swap records 2 and 5 by renumbering them.
    for sql in [
        "UPDATE audit_events SET seq = 100 WHERE seq = 2",
        "UPDATE audit_events SET seq = 2 WHERE seq = 5",
        "UPDATE audit_events SET seq = 5 WHERE seq = 100",
    ] {
        db.db.execute_unprepared(sql).await.unwrap();
    }
    let r = audit::verify(&db.db).await.unwrap();
    assert_eq!(r.first_broken_seq, Some(2), "{r:?}");
}

async fn concurrent_writers_keep_one_chain(b: Backend) {
    let db = TestDb::new(b).await;
    let mut tasks = vec![];
    for w in 0..8 {
        let conn = db.db.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..25 {
                audit::append(&conn, entry(w * 100 + i))
                    .await
                    .expect("append");
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let r = audit::verify(&db.db).await.unwrap();
    assert!(r.ok, "{r:?}");
    assert_eq!(r.records_checked, 200);
}

async fn two_replicas_on_one_database_keep_one_chain(b: Backend) {
    let db = TestDb::new(b).await;
    // A second, independent connection pool: another Ward process on the same database.
    let other = ward_core::db::connect(&db.url).await.unwrap();
    let pools = [db.db.clone(), other];
    let mut tasks = vec![];
    for (p, pool) in pools.iter().enumerate() {
        for w in 0..4 {
            let conn = pool.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..20 {
                    audit::append(&conn, entry(p * 1000 + w * 100 + i))
                        .await
                        .expect("append");
                }
            }));
        }
    }
    for t in tasks {
        t.await.unwrap();
    }
    let r = audit::verify(&db.db).await.unwrap();
    assert!(r.ok, "{r:?}");
    assert_eq!(r.records_checked, 160);
    let row = db
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            db.db.get_database_backend(),
            "SELECT COUNT(DISTINCT seq) AS n, MAX(seq) AS m FROM audit_events",
        ))
        .await
        .unwrap()
        .unwrap();
    let distinct: i64 = row.try_get("", "n").unwrap();
    let max: i64 = row.try_get("", "m").unwrap();
    assert_eq!((distinct, max), (160, 160));
}

async fn an_append_fails_closed_when_the_table_rejects_it(b: Backend) {
    let db = TestDb::new(b).await;
    append_n(&db, 2).await;
    let sql: &[&str] = match b {
        Backend::Postgres => &[
            "CREATE FUNCTION refuse_all() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'disk full'; END $$",
            "CREATE TRIGGER refuse_insert BEFORE INSERT ON audit_events \
             FOR EACH ROW EXECUTE FUNCTION refuse_all()",
        ],
        Backend::Sqlite => &[
            "CREATE TRIGGER refuse_insert BEFORE INSERT ON audit_events \
             BEGIN SELECT RAISE(ABORT, 'disk full'); END",
        ],
    };
    for s in sql {
        db.db.execute_unprepared(s).await.unwrap();
    }
    let err = audit::append(&db.db, entry(9)).await.unwrap_err();
    assert_eq!(err.code, "audit_unavailable");
    assert_eq!(err.status(), 503);
    // The failed append left the chain as it was.
    let r = audit::verify(&db.db).await.unwrap();
    assert!(r.ok && r.records_checked == 2, "{r:?}");
}

async fn a_rewrite_with_the_key_is_caught_by_an_exported_checkpoint(b: Backend) {
    let db = TestDb::new(b).await;
    append_n(&db, 5).await;
    let cp = audit::checkpoint(&db.db, false).await.unwrap().unwrap();
    assert_eq!(cp.seq, 5);
    assert!(
        audit::checkpoint(&db.db, true).await.unwrap().is_none(),
        "the head did not move"
    );
    let r = audit::verify(&db.db).await.unwrap();
    assert!(r.ok && r.checkpoints_checked == 1, "{r:?}");
    // The checkpoints table refuses changes, like the trail.
    assert!(db
        .db
        .execute_unprepared("DELETE FROM audit_checkpoints")
        .await
        .is_err());
    // Someone holding the key and write access drops the guards and the stored
    // checkpoints, edits record 3 and re-hashes the rest with the key.
    drop_guards(&db).await;
    let sql: &[&str] = match b {
        Backend::Postgres => &[
            "DROP TRIGGER audit_checkpoints_no_change ON audit_checkpoints",
            "DELETE FROM audit_checkpoints",
        ],
        Backend::Sqlite => &[
            "DROP TRIGGER audit_checkpoints_no_delete",
            "DELETE FROM audit_checkpoints",
        ],
    };
    for s in sql {
        db.db.execute_unprepared(s).await.unwrap();
    }
    let key = audit::key();
    let mut records = audit::search(
        &db.db,
        &audit::AuditQuery {
            limit: Some(100),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .0;
    records.reverse();
    records[2].entry.actor = "mallory".into();
    for i in 2..records.len() {
        records[i].prev_hash = records[i - 1].hash.clone();
        records[i].hash = ward_domain::audit::keyed_chain_hash(
            &key,
            records[i].seq,
            &records[i].entry,
            &records[i].prev_hash,
        );
        db.db
            .execute_unprepared(&format!(
                "UPDATE audit_events SET actor = '{}', prev_hash = '{}', hash = '{}' WHERE seq = {}",
                records[i].entry.actor, records[i].prev_hash, records[i].hash, records[i].seq
            ))
            .await
            .unwrap();
    }
    db.db
        .execute_unprepared(&format!(
            "UPDATE audit_head SET last_hash = '{}' WHERE id = 1",
            records[4].hash
        ))
        .await
        .unwrap();
    assert!(
        audit::verify(&db.db).await.unwrap().ok,
        "undetectable without the export"
    );
    let r = audit::verify_with(&db.db, &key, vec![cp]).await.unwrap();
    assert!(!r.ok);
    assert_eq!(r.first_broken_seq, Some(5), "{r:?}");
    assert!(r.problem.unwrap().contains("checkpoint"));
}

async fn a_change_and_its_record_commit_together_or_not_at_all(b: Backend) {
    let db = TestDb::new(b).await;
    append_n(&db, 1).await;
    let count = |sql: &'static str| {
        let conn = db.db.clone();
        async move {
            conn.query_one_raw(sea_orm::Statement::from_string(
                conn.get_database_backend(),
                sql,
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get_by_index::<i64>(0)
            .unwrap()
        }
    };
    // Dropped before commit (an error after the append): neither stays.
    {
        let txn = ward_core::db::begin_serialized(&db.db).await.unwrap();
        txn.execute_unprepared("INSERT INTO settings (key, value) VALUES ('probe', '1')")
            .await
            .unwrap();
        audit::append_in(&txn, entry(1)).await.unwrap();
        txn.rollback().await.unwrap();
    }
    assert_eq!(
        count("SELECT COUNT(*) FROM settings WHERE key = 'probe'").await,
        0
    );
    assert_eq!(count("SELECT COUNT(*) FROM audit_events").await, 1);
    let txn = ward_core::db::begin_serialized(&db.db).await.unwrap();
    txn.execute_unprepared("INSERT INTO settings (key, value) VALUES ('probe', '1')")
        .await
        .unwrap();
    audit::append_in(&txn, entry(2)).await.unwrap();
    txn.commit().await.unwrap();
    assert_eq!(
        count("SELECT COUNT(*) FROM settings WHERE key = 'probe'").await,
        1
    );
    assert_eq!(count("SELECT COUNT(*) FROM audit_events").await, 2);
    assert!(audit::verify(&db.db).await.unwrap().ok);
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
    intact_chain_verifies,
    the_table_refuses_update_and_delete,
    an_edited_record_is_detected,
    a_deleted_record_is_detected,
    a_deleted_last_record_is_detected,
    an_inserted_record_is_detected,
    reordered_records_are_detected,
    concurrent_writers_keep_one_chain,
    two_replicas_on_one_database_keep_one_chain,
    an_append_fails_closed_when_the_table_rejects_it,
    a_rewrite_with_the_key_is_caught_by_an_exported_checkpoint,
    a_change_and_its_record_commit_together_or_not_at_all,
);
