//! Connecting to the database (an SQLite file by default, PostgreSQL for several
//! replicas), running the migrations, the one way Ward serialises writers that must not
//! interleave (audit appends, rate-limit and budget checks, a chat turn's writes) on
//! either database, and [`Batch`], which sends a transaction's statements to SQLite in one
//! call.

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, QueryResult, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
    Value,
};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::LazyLock;
use std::time::Duration;
use ward_migration::{Migrator, MigratorTrait};

/// Opens a connection pool for `url`. For an SQLite file, creates its directory, and sets
/// WAL journaling, a busy timeout and foreign keys.
///
/// No pool of Ward's has an idle timeout or a maximum lifetime: with either, sqlx runs a
/// reaper task that, in sqlx-core 0.9.0, can read the pool's idle count just as it wraps
/// below zero and then loop about 2^64 times, burning a core for good (sqlx issue #3645,
/// fixed upstream in PR #4289, not yet released; seen here under the gateway bench).
/// Connections are opened on demand and kept; a PostgreSQL connection that sat idle is
/// pinged before use, so one a server restart dropped is replaced.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_string());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .idle_timeout(None::<Duration>)
        .max_lifetime(None::<Duration>);
    if url.starts_with("sqlite:") {
        if let Some(path) = sqlite_file(url) {
            if let Some(dir) = std::path::Path::new(&path).parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        DbErr::Custom(format!("cannot create the database directory: {e}"))
                    })?;
                }
            }
        }
        // A local file needs no liveness ping before each use (a round trip to the
        // connection's thread each time).
        opts.max_connections(8)
            .min_connections(1)
            .test_before_acquire(false);
        opts.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(30))
                .foreign_keys(true)
                .create_if_missing(true)
                // Pages a connection must re-read after another one wrote are read from
                // the mapped file rather than copied in by a system call.
                .pragma("mmap_size", "268435456")
                // Checkpoints are [`spawn_wal_checkpointer`]'s work, off the writers'
                // path; a commit checkpoints by itself only if the log outgrows this
                // (40 MB of 4 KiB pages), when no checkpointer runs (the CLI).
                .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)
        });
    } else {
        // Ping a pooled connection only when it sat idle long enough for a server restart
        // or a proxy to have dropped it, not on every checkout.
        opts.max_connections(32)
            .min_connections(1)
            .test_before_acquire_if_idle_for(Duration::from_secs(10));
    }
    Database::connect(opts).await
}

/// The write-ahead log's size, in pages, past which a committing writer checkpoints it
/// itself (SQLite's default is 1,000).
const WAL_AUTOCHECKPOINT_PAGES: &str = "10000";

/// How often [`spawn_wal_checkpointer`] copies the write-ahead log into the database.
pub const WAL_CHECKPOINT_INTERVAL: Duration = Duration::from_millis(100);

/// For an SQLite file, starts the task that checkpoints its write-ahead log every
/// [`WAL_CHECKPOINT_INTERVAL`] (`PASSIVE`: it never waits for, nor blocks, a writer or a
/// reader), for as long as the pool is open. Otherwise the commit that takes the log past
/// 1,000 pages would copy it and `fsync` the database while holding the write lock, and
/// every turn queued behind it would wait (the gateway bench's p99). In WAL mode with
/// `synchronous = NORMAL` a commit is durable once checkpointed, so this also bounds what
/// a power cut can lose to about the interval. Nothing to do for PostgreSQL.
pub fn spawn_wal_checkpointer(db: &DatabaseConnection) {
    if db.get_database_backend() != DbBackend::Sqlite || sqlite_pool_file(db).is_none() {
        return;
    }
    let pool = db.get_sqlite_connection_pool().clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(WAL_CHECKPOINT_INTERVAL);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut warned = false;
        loop {
            every.tick().await;
            if pool.is_closed() {
                return;
            }
            match sea_orm::sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await
            {
                Ok(_) => warned = false,
                Err(e) if !warned => {
                    // SQLite's message names no data, only the failure.
                    tracing::warn!(error = %e, "could not checkpoint the SQLite write-ahead log");
                    warned = true;
                }
                Err(_) => {}
            }
        }
    });
}

/// The file path of an `sqlite:` URL, if it names a file.
fn sqlite_file(url: &str) -> Option<String> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| path.to_string())
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Whether the database answers (for `/readyz`).
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

/// Begins a transaction for a write that must not interleave with another of its kind.
///
/// On SQLite the transaction is `IMMEDIATE`: it takes the database's write lock at once,
/// so such transactions run one at a time across every connection and process. Within one
/// process they all run on one connection per database file (`sqlite_writer`), so
/// a waiting writer queues in Tokio for that connection and starts the moment the previous
/// one commits, instead of polling in SQLite's busy handler (which backs off in steps of 1
/// to 100 ms); and as no other connection of the process writes between them, that
/// connection's page cache and prepared statements stay warm. On PostgreSQL it is an
/// ordinary transaction; call [`lock_row`] first to serialise on a row.
pub async fn begin_serialized(db: &DatabaseConnection) -> Result<SerializedTxn, DbErr> {
    let writer = match db.get_database_backend() {
        DbBackend::Sqlite => sqlite_writer(db),
        _ => db.clone(),
    };
    let txn = writer
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    Ok(SerializedTxn { txn })
}

/// The file an SQLite pool is open on; `None` for an in-memory database.
fn sqlite_pool_file(db: &DatabaseConnection) -> Option<PathBuf> {
    let file = db
        .get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf();
    (!file.as_os_str().is_empty() && file.as_os_str() != ":memory:").then_some(file)
}

/// The one-connection pool this process's serialised writes to `db`'s SQLite file use,
/// opened on first use with the pool's own options (WAL, busy timeout, foreign keys) and
/// kept for the life of the process. An in-memory database has no file a second pool
/// could open, so it is written through `db` itself.
fn sqlite_writer(db: &DatabaseConnection) -> DatabaseConnection {
    static WRITERS: LazyLock<std::sync::Mutex<HashMap<PathBuf, DatabaseConnection>>> =
        LazyLock::new(Default::default);
    let Some(file) = sqlite_pool_file(db) else {
        return db.clone();
    };
    let options = db.get_sqlite_connection_pool().connect_options();
    let mut writers = WRITERS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    writers
        .entry(file)
        .or_insert_with(|| {
            let pool = sea_orm::sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(0)
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(30))
                .idle_timeout(None::<Duration>)
                .max_lifetime(None::<Duration>)
                .connect_lazy_with((*options).clone());
            sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
        })
        .clone()
}

/// A transaction from [`begin_serialized`]. It derefs to the sea-orm transaction; end it
/// with [`SerializedTxn::commit`] or [`SerializedTxn::rollback`] (dropping it rolls back).
pub struct SerializedTxn {
    txn: DatabaseTransaction,
}

impl SerializedTxn {
    /// Commits, which lets the next writer in.
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    /// Rolls back, which lets the next writer in.
    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

impl std::ops::Deref for SerializedTxn {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

/// Locks one row for the rest of the transaction (`SELECT … FOR UPDATE` on PostgreSQL;
/// on SQLite the `IMMEDIATE` transaction already excludes other writers). Returns whether
/// the row exists.
pub async fn lock_row(
    txn: &DatabaseTransaction,
    table: &str,
    key_column: &str,
    key: Value,
) -> Result<bool, DbErr> {
    let backend = txn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => format!("SELECT 1 FROM {table} WHERE {key_column} = $1 FOR UPDATE"),
        _ => format!("SELECT 1 FROM {table} WHERE {key_column} = ?"),
    };
    let row = txn
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [key]))
        .await?;
    Ok(row.is_some())
}

/// Builds a statement for the connection's backend from SQL written with `$1, $2, …`
/// placeholders (rewritten to SQLite's numbered `?1, ?2, …`, so a placeholder may be used
/// more than once on both databases). The SQL must contain no other `$`.
pub fn statement(
    backend: DbBackend,
    sql: &str,
    values: impl IntoIterator<Item = Value>,
) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        sql.to_string()
    } else {
        sql.replace('$', "?")
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// The column a batched statement's `RETURNING` names itself by (see [`Batch::step`]).
pub const STEP_COLUMN: &str = "ward_step";

/// Statements that run in order inside one transaction, each written once with `$1, $2, …`
/// placeholders of its own (as for [`statement`]).
///
/// On SQLite the batch is one multi-statement query, so it costs one call to the
/// driver's database thread however many statements it holds (each call is a thread
/// hand-off both ways, which is most of what a small statement costs there); on
/// PostgreSQL the statements are sent one after the other. Every statement runs: a
/// conditional one that finds its condition false simply changes nothing, so a caller
/// marks the ones that must succeed with `RETURNING '<name>' AS ward_step`, reads which
/// steps answered with [`BatchRows::step`], and rolls the transaction back when one is
/// missing.
#[derive(Debug)]
pub struct Batch {
    backend: DbBackend,
    statements: Vec<(String, Vec<Value>)>,
}

impl Batch {
    /// An empty batch for `backend`.
    pub fn new(backend: DbBackend) -> Batch {
        Batch {
            backend,
            statements: vec![],
        }
    }

    /// The backend the batch is for.
    pub fn backend(&self) -> DbBackend {
        self.backend
    }

    /// Adds a statement written with `$n` placeholders numbered from 1 (its own values).
    /// The SQL must contain no other `$`.
    pub fn push(&mut self, sql: impl Into<String>, values: impl IntoIterator<Item = Value>) {
        self.statements
            .push((sql.into(), values.into_iter().collect()));
    }

    /// Whether the batch holds no statement.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// The batch as the statements the backend runs: one per statement, or for SQLite
    /// one in all, with plain `?` placeholders and each value repeated where its `$n` is:
    /// sqlx binds a multi-statement query's plain `?`s in order across the statements,
    /// while numbered ones would leave later statements unbound.
    fn into_statements(self) -> Vec<Statement> {
        if self.backend != DbBackend::Sqlite {
            let b = self.backend;
            return self
                .statements
                .into_iter()
                .map(|(sql, values)| statement(b, &sql, values))
                .collect();
        }
        let mut sql = String::new();
        let mut values = vec![];
        for (part, part_values) in self.statements {
            if !sql.is_empty() {
                sql.push_str(";\n");
            }
            let (part_sql, order) = positional(&part);
            sql.push_str(&part_sql);
            values.extend(order.into_iter().map(|n| {
                part_values
                    .get(n.wrapping_sub(1))
                    .cloned()
                    .unwrap_or(Value::Int(None))
            }));
        }
        vec![Statement::from_sql_and_values(self.backend, sql, values)]
    }

    /// Runs every statement inside `txn`.
    pub async fn execute(self, txn: &impl ConnectionTrait) -> Result<(), DbErr> {
        for s in self.into_statements() {
            txn.execute_raw(s).await?;
        }
        Ok(())
    }

    /// Runs every statement inside `txn` and returns the rows they return, in order.
    pub async fn query_all(self, txn: &impl ConnectionTrait) -> Result<BatchRows, DbErr> {
        let mut rows = vec![];
        for s in self.into_statements() {
            rows.extend(txn.query_all_raw(s).await?);
        }
        Ok(BatchRows { rows })
    }
}

/// Rewrites `$n` placeholders as plain `?`, and returns the `n` of each in order.
fn positional(sql: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(sql.len());
    let mut order = vec![];
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        let mut n = 0usize;
        while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
            n = n * 10 + d as usize;
            chars.next();
        }
        out.push('?');
        order.push(n);
    }
    (out, order)
}

/// The rows a [`Batch`] returned.
#[derive(Debug)]
pub struct BatchRows {
    rows: Vec<QueryResult>,
}

impl BatchRows {
    /// The row of the statement that returned `'<name>' AS ward_step`, if it changed
    /// anything.
    pub fn step(&self, name: &str) -> Option<&QueryResult> {
        self.rows.iter().find(|r| is_step(r, name))
    }

    /// Every row of the statements that returned `'<name>' AS ward_step`, in order.
    pub fn steps<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a QueryResult> + 'a {
        self.rows.iter().filter(move |r| is_step(r, name))
    }
}

fn is_step(row: &QueryResult, name: &str) -> bool {
    row.try_get::<String>("", STEP_COLUMN)
        .is_ok_and(|step| step == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// sqlx's reaper task (run for a pool with an idle timeout or a maximum lifetime) can
    /// spin forever in sqlx-core 0.9.0; see [`connect`].
    fn assert_no_reaper<DB: sea_orm::sqlx::Database>(pool: &sea_orm::sqlx::Pool<DB>) {
        assert_eq!(pool.options().get_idle_timeout(), None);
        assert_eq!(pool.options().get_max_lifetime(), None);
    }

    #[tokio::test]
    async fn no_sqlite_pool_runs_the_reaper() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("w.db").display());
        let db = connect(&url).await.unwrap();
        assert_no_reaper(db.get_sqlite_connection_pool());
        let writer = sqlite_writer(&db);
        assert_no_reaper(writer.get_sqlite_connection_pool());
    }

    #[tokio::test]
    async fn no_postgres_pool_runs_the_reaper() {
        let server = std::env::var("WARD_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        let db = connect(&format!("{server}/postgres")).await.unwrap();
        assert_no_reaper(db.get_postgres_connection_pool());
    }

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_file("sqlite://data/ward.db?mode=rwc").as_deref(),
            Some("data/ward.db")
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
    }

    #[test]
    fn placeholders_are_rewritten_for_sqlite() {
        let s = statement(
            DbBackend::Sqlite,
            "SELECT $1, $2 WHERE x = $10 OR y = $1",
            [],
        );
        assert_eq!(s.sql, "SELECT ?1, ?2 WHERE x = ?10 OR y = ?1");
        let p = statement(DbBackend::Postgres, "SELECT $1", []);
        assert_eq!(p.sql, "SELECT $1");
    }

    #[test]
    fn a_sqlite_batch_is_one_statement_with_its_values_in_placeholder_order() {
        let mut b = Batch::new(DbBackend::Sqlite);
        b.push(
            "UPDATE t SET a = $1 WHERE b = $2 OR c = $1",
            [1.into(), 2.into()],
        );
        b.push("INSERT INTO u VALUES ($2, $1)", [3.into(), 4.into()]);
        let s = b.into_statements();
        assert_eq!(s.len(), 1);
        assert_eq!(
            s[0].sql,
            "UPDATE t SET a = ? WHERE b = ? OR c = ?;\nINSERT INTO u VALUES (?, ?)"
        );
        let values: Vec<Value> = s[0].values.clone().unwrap().0;
        let expected: Vec<Value> = [1, 2, 1, 4, 3].map(Value::from).to_vec();
        assert_eq!(values, expected);
        let mut p = Batch::new(DbBackend::Postgres);
        p.push("SELECT $1", [1.into()]);
        p.push("SELECT $1, $2", [2.into(), 3.into()]);
        let s = p.into_statements();
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].sql, "SELECT $1, $2");
    }
}
