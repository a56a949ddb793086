//! Connecting to the database (an SQLite file by default, PostgreSQL for several
//! replicas), running the migrations, the one way Ward serialises writers that must not
//! interleave (audit appends, rate-limit and budget checks, a chat turn's writes) on
//! either database, and [`Batch`], which sends a transaction's statements to SQLite in one
//! call.

use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous,
};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, ExecResult, QueryResult, RuntimeErr, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait, Value,
};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock};
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
                // No `mmap_size`: the file grows with every checkpoint, and a mapped file
                // that grew is unmapped and mapped again by each connection at its next
                // read (`munmap`, with a TLB shootdown on every core). Under the gateway
                // bench that cost 4 % of Ward's CPU and about 6 % of its turns per
                // second, more than reading pages with `pread` does.
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
/// itself (SQLite's default is 1,000): above what a second of the busiest chat traffic
/// writes (the gateway bench: about 15,000 pages a second), so that only the CLI, which
/// runs no checkpointer, reaches it.
const WAL_AUTOCHECKPOINT_PAGES: &str = "40000";

/// How often [`spawn_wal_checkpointer`] copies the write-ahead log into the database.
pub const WAL_CHECKPOINT_INTERVAL: Duration = Duration::from_secs(1);

/// For an SQLite file, starts the task that checkpoints its write-ahead log every
/// [`WAL_CHECKPOINT_INTERVAL`] (`PASSIVE`: it never waits for, nor blocks, a writer or a
/// reader), for as long as the pool is open. Otherwise the commit that takes the log past
/// 1,000 pages would copy it and `fsync` the database while holding the write lock, and
/// every turn queued behind it would wait (the gateway bench's p99). A checkpoint still
/// slows the turns it overlaps (its copying and `fsync` hold up the writer's log appends):
/// every 100 ms that put a single stream's p99 overhead at about 2 ms, every second at
/// about 1.5 ms. In WAL mode with `synchronous = NORMAL` a commit is durable once
/// checkpointed, so this also bounds what a power cut (not a crash of Ward, whose
/// commits the operating system keeps) can lose to about the interval. Nothing to do
/// for PostgreSQL.
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
/// On an SQLite file the transaction is `IMMEDIATE`: it takes the database's write lock
/// with its first statement, so such transactions run one at a time across every
/// connection and process. Within one process they all run on one connection per database
/// file (`sqlite_writer`), held for the transaction's life, so a waiting writer queues in
/// Tokio for that connection and starts the moment the previous one ends, instead of
/// polling in SQLite's busy handler (which backs off in steps of 1 to 100 ms); and as no
/// other connection of the process writes between them, that connection's page cache and
/// prepared statements stay warm. `BEGIN IMMEDIATE` travels with the first statement and
/// [`Batch::execute_and_commit`] sends `COMMIT` with the last, so a transaction of one
/// batch is one call to the connection's thread. On PostgreSQL (and an in-memory SQLite
/// database) it is an ordinary sea-orm transaction; call [`lock_row`] first to serialise
/// on a row.
pub async fn begin_serialized(db: &DatabaseConnection) -> Result<SerializedTxn, DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        if let Some(writer) = sqlite_writer(db) {
            let mut state = writer.lock_owned().await;
            state.end_abandoned().await;
            return Ok(SerializedTxn {
                inner: Inner::Writer(tokio::sync::Mutex::new(HeldWriter(Some(state)))),
            });
        }
    }
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    Ok(SerializedTxn {
        inner: Inner::Orm(txn),
    })
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

/// The connection this process's serialised writes to `db`'s SQLite file run on, behind
/// the lock that queues them; opened on first use with the pool's own options (WAL, busy
/// timeout, foreign keys) and kept for the life of the process. `None` for an in-memory
/// database, which has no file a second connection could open: it is written through
/// `db`'s own transactions.
fn sqlite_writer(db: &DatabaseConnection) -> Option<Arc<tokio::sync::Mutex<SqliteWriter>>> {
    static WRITERS: LazyLock<
        std::sync::Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<SqliteWriter>>>>,
    > = LazyLock::new(Default::default);
    let file = sqlite_pool_file(db)?;
    let options = db.get_sqlite_connection_pool().connect_options();
    let mut writers = WRITERS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    Some(
        writers
            .entry(file)
            .or_insert_with(|| {
                Arc::new(tokio::sync::Mutex::new(SqliteWriter {
                    options: (*options).clone(),
                    conn: None,
                    open: false,
                }))
            })
            .clone(),
    )
}

/// The serialised writer's connection to one SQLite file: a plain connection, not a
/// pool, so a statement costs one hand-off to its thread and nothing else (a pool pings
/// every connection it gets back, and sea-orm's transactions send `BEGIN` and `COMMIT`
/// on their own). The transaction is begun by its first statement (`BEGIN IMMEDIATE`
/// sent in front of it) and may be committed by its last ([`Batch::execute_and_commit`]).
struct SqliteWriter {
    options: SqliteConnectOptions,
    /// Opened on first use; dropped after an error that may have broken it.
    conn: Option<SqliteConnection>,
    /// A `BEGIN` was sent and no `COMMIT` or `ROLLBACK` is known to have ended it: the
    /// transaction that sent it may have been dropped (its future cancelled) or failed
    /// half-way, so the next one rolls back first.
    open: bool,
}

impl SqliteWriter {
    /// Rolls back what an earlier transaction left open, if anything.
    async fn end_abandoned(&mut self) {
        if !self.open {
            return;
        }
        if let Some(conn) = self.conn.as_mut() {
            match sea_orm::sqlx::query("ROLLBACK").execute(&mut *conn).await {
                Ok(_) => {}
                Err(e) if ended_already(&e) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "could not roll back an abandoned SQLite transaction; reconnecting");
                    self.conn = None;
                }
            }
        }
        self.open = false;
    }

    /// Connects if need be and returns the connection with `stmt`'s SQL, preceded by
    /// `BEGIN IMMEDIATE` if no transaction is open yet and followed by `COMMIT` if
    /// `commit`; the transaction counts as open from here on.
    async fn prepare(
        &mut self,
        stmt: &Statement,
        commit: bool,
    ) -> Result<(&mut SqliteConnection, String), sea_orm::sqlx::Error> {
        use sea_orm::sqlx::ConnectOptions as _;
        if self.conn.is_none() {
            self.conn = Some(self.options.connect().await?);
        }
        let mut sql = String::with_capacity(stmt.sql.len() + 32);
        if !self.open {
            sql.push_str("BEGIN IMMEDIATE;\n");
        }
        sql.push_str(&stmt.sql);
        if commit {
            sql.push_str(";\nCOMMIT");
        }
        self.open = true;
        Ok((self.conn.as_mut().expect("connected above"), sql))
    }

    /// Records how a statement from [`SqliteWriter::prepare`] ended.
    fn finished<T>(&mut self, result: &Result<T, sea_orm::sqlx::Error>, commit: bool) {
        match result {
            Ok(_) if commit => self.open = false,
            Ok(_) => {}
            // The connection may be gone, and its transaction with it.
            Err(sea_orm::sqlx::Error::Io(_) | sea_orm::sqlx::Error::WorkerCrashed) => {
                self.conn = None;
                self.open = false;
            }
            Err(_) => {}
        }
    }

    /// Runs `stmt` (see [`SqliteWriter::prepare`]) and returns its rows.
    async fn fetch(
        &mut self,
        stmt: Statement,
        commit: bool,
    ) -> Result<Vec<QueryResult>, sea_orm::sqlx::Error> {
        let (conn, sql) = self.prepare(&stmt, commit).await?;
        let rows = bound(sql, stmt).fetch_all(&mut *conn).await;
        self.finished(&rows, commit);
        Ok(rows?.into_iter().map(QueryResult::from).collect())
    }

    /// Runs `stmt` (see [`SqliteWriter::prepare`]) for what it changes.
    async fn execute(
        &mut self,
        stmt: Statement,
        commit: bool,
    ) -> Result<ExecResult, sea_orm::sqlx::Error> {
        let (conn, sql) = self.prepare(&stmt, commit).await?;
        let done = bound(sql, stmt).execute(&mut *conn).await;
        self.finished(&done, commit);
        Ok(done?.into())
    }

    /// Ends the open transaction, if any, with `COMMIT` or `ROLLBACK`.
    async fn end(&mut self, sql: &'static str) -> Result<(), DbErr> {
        if !self.open {
            return Ok(());
        }
        let conn = self.conn.as_mut().expect("a transaction is open on it");
        match sea_orm::sqlx::query(sql).execute(&mut *conn).await {
            Ok(_) => {}
            Err(e) if sql == "ROLLBACK" && ended_already(&e) => {}
            Err(e) => return Err(exec_err(e)),
        }
        self.open = false;
        Ok(())
    }
}

/// Whether a `ROLLBACK` failed because no transaction was open: the `BEGIN` in front of
/// the first statement failed (the lock was not had), or the failure or a `COMMIT`
/// that was not waited for had already ended it.
fn ended_already(e: &sea_orm::sqlx::Error) -> bool {
    e.to_string().contains("no transaction is active")
}

/// A transaction from [`begin_serialized`]: run statements on it as on any sea-orm
/// connection, and end it with [`SerializedTxn::commit`], [`SerializedTxn::rollback`] or
/// [`Batch::execute_and_commit`]. Dropping it rolls back (on an SQLite file, on a task
/// of its own that holds the writer until it is done).
pub struct SerializedTxn {
    inner: Inner,
}

enum Inner {
    /// PostgreSQL, or an in-memory SQLite database.
    Orm(DatabaseTransaction),
    /// An SQLite file, on its writer connection (held for the transaction's life).
    Writer(tokio::sync::Mutex<HeldWriter>),
}

/// The writer, held by one transaction. Dropped with its transaction still open (an error
/// passed up with `?`, a cancelled request), it rolls back on a task of its own and lets
/// the next writer in only then, so the database's write lock is not left taken.
struct HeldWriter(Option<tokio::sync::OwnedMutexGuard<SqliteWriter>>);

impl HeldWriter {
    fn get(&mut self) -> &mut SqliteWriter {
        self.0.as_mut().expect("held until dropped")
    }
}

impl Drop for HeldWriter {
    fn drop(&mut self) {
        let Some(mut writer) = self.0.take() else {
            return;
        };
        if !writer.open {
            return;
        }
        // Without a runtime, the next writer rolls back before it begins.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move { writer.end_abandoned().await });
        }
    }
}

impl SerializedTxn {
    /// Commits, which lets the next writer in.
    pub async fn commit(self) -> Result<(), DbErr> {
        match self.inner {
            Inner::Orm(txn) => txn.commit().await,
            Inner::Writer(w) => w.into_inner().get().end("COMMIT").await,
        }
    }

    /// Rolls back, which lets the next writer in.
    pub async fn rollback(self) -> Result<(), DbErr> {
        match self.inner {
            Inner::Orm(txn) => txn.rollback().await,
            Inner::Writer(w) => w.into_inner().get().end("ROLLBACK").await,
        }
    }
}

/// `sql` with `stmt`'s values bound, for sqlx.
fn bound(
    sql: String,
    stmt: Statement,
) -> sea_orm::sqlx::query::Query<'static, sea_orm::sqlx::Sqlite, sea_query_sqlx::SqlxValues> {
    sea_orm::sqlx::query_with(
        sea_orm::sqlx::AssertSqlSafe(sql),
        sea_query_sqlx::SqlxValues(stmt.values.unwrap_or(sea_orm::Values(Vec::new()))),
    )
}

fn query_err(e: sea_orm::sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(e.into()))
}

fn exec_err(e: sea_orm::sqlx::Error) -> DbErr {
    DbErr::Exec(RuntimeErr::SqlxError(e.into()))
}

#[async_trait::async_trait]
impl ConnectionTrait for SerializedTxn {
    fn get_database_backend(&self) -> DbBackend {
        match &self.inner {
            Inner::Orm(txn) => txn.get_database_backend(),
            Inner::Writer(_) => DbBackend::Sqlite,
        }
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        match &self.inner {
            Inner::Orm(txn) => txn.execute_raw(stmt).await,
            Inner::Writer(w) => w
                .lock()
                .await
                .get()
                .execute(stmt, false)
                .await
                .map_err(exec_err),
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        match &self.inner {
            Inner::Orm(txn) => txn.execute_unprepared(sql).await,
            Inner::Writer(_) => {
                self.execute_raw(Statement::from_string(DbBackend::Sqlite, sql))
                    .await
            }
        }
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        match &self.inner {
            Inner::Orm(txn) => txn.query_one_raw(stmt).await,
            Inner::Writer(_) => Ok(self.query_all_raw(stmt).await?.into_iter().next()),
        }
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match &self.inner {
            Inner::Orm(txn) => txn.query_all_raw(stmt).await,
            Inner::Writer(w) => w
                .lock()
                .await
                .get()
                .fetch(stmt, false)
                .await
                .map_err(query_err),
        }
    }
}

/// Locks one row for the rest of the transaction (`SELECT … FOR UPDATE` on PostgreSQL;
/// on SQLite the `IMMEDIATE` transaction already excludes other writers). Returns whether
/// the row exists.
pub async fn lock_row(
    txn: &impl ConnectionTrait,
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

/// The column an answering statement of a batch names itself by (see [`Answering`]).
/// Only this module writes it: a batch numbers its answering statements itself.
const STEP_COLUMN: &str = "ward_step";

/// One statement written with `$1, $2, …` placeholders of its own (as for [`statement`]),
/// with its values: what a module hands to a batch instead of taking the batch.
#[derive(Clone, Debug)]
pub struct Sql {
    sql: String,
    values: Vec<Value>,
}

impl Sql {
    /// A statement and its values.
    pub fn new(sql: impl Into<String>, values: impl IntoIterator<Item = Value>) -> Sql {
        Sql {
            sql: sql.into(),
            values: values.into_iter().collect(),
        }
    }
}

/// A statement whose rows a batch must find again among the rows of the others: a
/// `SELECT` or a write with `RETURNING`. Its SQL never names itself; the batch adds the
/// column that does ([`Batch::answer`]), so no other module knows the batch's step names.
#[derive(Clone, Debug)]
pub struct Answering {
    /// The SQL before the step column (`SELECT cols, ` or `… RETURNING cols, `).
    head: String,
    /// The SQL after it (a `SELECT`'s `FROM …`).
    tail: String,
    values: Vec<Value>,
}

impl Answering {
    /// `SELECT {columns} {rest}`: `rest` starts with `FROM`.
    pub fn select(columns: &str, rest: &str, values: impl IntoIterator<Item = Value>) -> Self {
        Answering {
            head: format!("SELECT {columns}, "),
            tail: format!(" {rest}"),
            values: values.into_iter().collect(),
        }
    }

    /// `{write} RETURNING {columns}`; `columns` may be empty when only whether the write
    /// took effect matters (a conditional statement that changed nothing answers no row).
    pub fn returning(write: &str, columns: &str, values: impl IntoIterator<Item = Value>) -> Self {
        let columns = if columns.is_empty() {
            String::new()
        } else {
            format!("{columns}, ")
        };
        Answering {
            head: format!("{write} RETURNING {columns}"),
            tail: String::new(),
            values: values.into_iter().collect(),
        }
    }

    fn with_step(self, step: &str) -> Sql {
        Sql {
            sql: format!("{}'{step}' AS {STEP_COLUMN}{}", self.head, self.tail),
            values: self.values,
        }
    }

    /// Runs the statement alone on `db` and returns its rows.
    pub async fn query_all(self, db: &impl ConnectionTrait) -> Result<Vec<QueryResult>, DbErr> {
        let s = self.with_step("alone");
        db.query_all_raw(statement(db.get_database_backend(), &s.sql, s.values))
            .await
    }
}

/// Where an [`Answering`] statement's rows are among a batch's rows ([`BatchRows::first`],
/// [`BatchRows::all`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answer(usize);

/// Statements that run in order inside one transaction, each written once with `$1, $2, …`
/// placeholders of its own (as for [`statement`]).
///
/// On SQLite the batch is one multi-statement query, so it costs one call to the
/// driver's database thread however many statements it holds (each call is a thread
/// hand-off both ways, which is most of what a small statement costs there); on
/// PostgreSQL the statements are sent one after the other. Every statement runs: a
/// conditional one that finds its condition false simply changes nothing, so a caller
/// adds the ones that must succeed as [`Answering`] statements ([`Batch::answer`]), reads
/// which answered with [`BatchRows::first`], and rolls the transaction back when one is
/// missing.
#[derive(Debug)]
pub struct Batch {
    backend: DbBackend,
    statements: Vec<(String, Vec<Value>)>,
    answers: usize,
}

impl Batch {
    /// An empty batch for `backend`.
    pub fn new(backend: DbBackend) -> Batch {
        Batch {
            backend,
            statements: vec![],
            answers: 0,
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

    /// Adds a statement.
    pub fn add(&mut self, s: Sql) {
        self.statements.push((s.sql, s.values));
    }

    /// Adds a statement whose rows are read back with the [`Answer`] returned.
    pub fn answer(&mut self, a: Answering) -> Answer {
        let n = self.answers;
        self.answers += 1;
        self.add(a.with_step(&format!("s{n}")));
        Answer(n)
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

    /// Runs every statement inside `txn` and commits it. On SQLite that is one call to
    /// the writer's thread, `BEGIN` (if the batch is the transaction's first), the
    /// statements and `COMMIT` in one.
    pub async fn execute_and_commit(self, txn: SerializedTxn) -> Result<(), DbErr> {
        let mut w = match txn.inner {
            Inner::Writer(w) if !self.is_empty() => w.into_inner(),
            inner => {
                let txn = SerializedTxn { inner };
                self.execute(&txn).await?;
                return txn.commit().await;
            }
        };
        let mut statements = self.into_statements().into_iter().peekable();
        while let Some(s) = statements.next() {
            let last = statements.peek().is_none();
            w.get().execute(s, last).await.map_err(exec_err)?;
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
    /// The first row `answer`'s statement returned; `None` if it returned none (a
    /// conditional write that changed nothing).
    pub fn first(&self, answer: Answer) -> Option<&QueryResult> {
        self.all(answer).next()
    }

    /// Every row `answer`'s statement returned, in order.
    pub fn all(&self, answer: Answer) -> impl Iterator<Item = &QueryResult> + '_ {
        let name = format!("s{}", answer.0);
        self.rows.iter().filter(move |r| is_step(r, &name))
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
    }

    /// A database file with one table, `t (x INTEGER UNIQUE)`.
    async fn scratch() -> (tempfile::TempDir, DatabaseConnection) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        let db = connect(&url).await.unwrap();
        db.execute_unprepared("CREATE TABLE t (x INTEGER UNIQUE)")
            .await
            .unwrap();
        (dir, db)
    }

    /// What the pool (not the writer) reads from `t`.
    async fn xs(db: &DatabaseConnection) -> Vec<i64> {
        db.query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT x FROM t ORDER BY x",
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<i64>("", "x").unwrap())
        .collect()
    }

    fn insert(batch: &mut Batch, x: i64) {
        batch.push("INSERT INTO t (x) VALUES ($1)", [x.into()]);
    }

    #[tokio::test]
    async fn a_writer_batch_commits_in_one_call_and_others_see_it() {
        let (_dir, db) = scratch().await;
        let mut batch = Batch::new(DbBackend::Sqlite);
        insert(&mut batch, 1);
        insert(&mut batch, 2);
        let txn = begin_serialized(&db).await.unwrap();
        assert!(matches!(txn.inner, Inner::Writer(_)));
        batch.execute_and_commit(txn).await.unwrap();
        assert_eq!(xs(&db).await, [1, 2]);
    }

    #[tokio::test]
    async fn nothing_is_seen_before_commit_and_a_rollback_undoes_it_all() {
        let (_dir, db) = scratch().await;
        let txn = begin_serialized(&db).await.unwrap();
        let mut batch = Batch::new(DbBackend::Sqlite);
        insert(&mut batch, 1);
        batch.execute(&txn).await.unwrap();
        assert_eq!(xs(&db).await, Vec::<i64>::new());
        // A second batch in the same transaction fails half-way (a duplicate).
        let mut batch = Batch::new(DbBackend::Sqlite);
        insert(&mut batch, 2);
        insert(&mut batch, 1);
        assert!(batch.execute(&txn).await.is_err());
        txn.rollback().await.unwrap();
        assert_eq!(xs(&db).await, Vec::<i64>::new());
        // The writer is usable again.
        let mut batch = Batch::new(DbBackend::Sqlite);
        insert(&mut batch, 3);
        batch
            .execute_and_commit(begin_serialized(&db).await.unwrap())
            .await
            .unwrap();
        assert_eq!(xs(&db).await, [3]);
    }

    #[tokio::test]
    async fn a_failed_batch_with_its_commit_leaves_nothing_and_frees_the_lock() {
        let (_dir, db) = scratch().await;
        let mut batch = Batch::new(DbBackend::Sqlite);
        insert(&mut batch, 1);
        insert(&mut batch, 1);
        let txn = begin_serialized(&db).await.unwrap();
        assert!(batch.execute_and_commit(txn).await.is_err());
        // Dropped with its transaction open: rolled back before the next writer starts,
        // and the file's write lock is free for other connections meanwhile.
        let txn = begin_serialized(&db).await.unwrap();
        drop(txn);
        db.execute_unprepared("INSERT INTO t (x) VALUES (9)")
            .await
            .unwrap();
        assert_eq!(xs(&db).await, [9]);
    }

    #[tokio::test]
    async fn each_answer_finds_its_own_statements_rows() {
        let (_dir, db) = scratch().await;
        let mut batch = Batch::new(DbBackend::Sqlite);
        let one = batch.answer(Answering::returning(
            "INSERT INTO t (x) VALUES ($1)",
            "x",
            [1i64.into()],
        ));
        // A conditional write whose condition fails answers no row.
        let refused = batch.answer(Answering::returning(
            "INSERT INTO t (x) SELECT $1 WHERE $1 < $2",
            "",
            [5i64.into(), 3i64.into()],
        ));
        batch.add(Sql::new("INSERT INTO t (x) VALUES ($1)", [2i64.into()]));
        let all = batch.answer(Answering::select(
            "x",
            "FROM t WHERE x >= $1 ORDER BY x",
            [1i64.into()],
        ));
        let txn = begin_serialized(&db).await.unwrap();
        let rows = batch.query_all(&txn).await.unwrap();
        txn.commit().await.unwrap();
        let x = |r: &QueryResult| r.try_get::<i64>("", "x").unwrap();
        assert_eq!(rows.first(one).map(x), Some(1));
        assert!(rows.first(refused).is_none());
        assert_eq!(rows.all(all).map(x).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(
            rows.all(one).count(),
            1,
            "the select's rows are not the insert's"
        );
        // Alone, the same read answers the same rows.
        let alone = Answering::select("x", "FROM t WHERE x >= $1 ORDER BY x", [2i64.into()])
            .query_all(&db)
            .await
            .unwrap();
        assert_eq!(alone.iter().map(x).collect::<Vec<_>>(), [2]);
    }

    #[tokio::test]
    async fn a_cancelled_transaction_is_rolled_back() {
        let (_dir, db) = scratch().await;
        let writer = async {
            let txn = begin_serialized(&db).await.unwrap();
            let mut batch = Batch::new(DbBackend::Sqlite);
            insert(&mut batch, 1);
            batch.execute(&txn).await.unwrap();
            // Cancelled here, as a request whose client went away.
            std::future::pending::<()>().await;
        };
        assert!(tokio::time::timeout(Duration::from_millis(50), writer)
            .await
            .is_err());
        let txn = begin_serialized(&db).await.unwrap();
        let mut batch = Batch::new(DbBackend::Sqlite);
        insert(&mut batch, 2);
        batch.execute_and_commit(txn).await.unwrap();
        assert_eq!(xs(&db).await, [2]);
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
