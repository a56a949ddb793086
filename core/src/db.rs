//! Connecting to the database (an SQLite file by default, PostgreSQL for several
//! replicas), running the migrations, and the one way Ward serialises writers that must not
//! interleave (audit appends, rate-limit and budget checks) on either database.

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait, Value,
};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use ward_migration::{Migrator, MigratorTrait};

/// Opens a connection pool for `url`. For an SQLite file, creates its directory, and sets
/// WAL journaling, a busy timeout and foreign keys.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_string());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30));
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
        opts.max_connections(8).min_connections(1);
        opts.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(30))
                .foreign_keys(true)
                .create_if_missing(true)
        });
    } else {
        opts.max_connections(32).min_connections(1);
    }
    Database::connect(opts).await
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
/// process they first queue on an async gate per database file, so a waiting writer
/// sleeps in Tokio and starts the moment the lock is free, instead of polling in SQLite's
/// busy handler (which backs off in steps of 1 to 100 ms and caps throughput). On
/// PostgreSQL it is an ordinary transaction; call [`lock_row`] first to serialise on a row.
pub async fn begin_serialized(db: &DatabaseConnection) -> Result<SerializedTxn, DbErr> {
    let gate = match db.get_database_backend() {
        DbBackend::Sqlite => Some(sqlite_write_gate(db).lock_owned().await),
        _ => None,
    };
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    Ok(SerializedTxn { txn, gate })
}

/// The in-process queue of serialised writers to one SQLite file.
fn sqlite_write_gate(db: &DatabaseConnection) -> Arc<tokio::sync::Mutex<()>> {
    static GATES: LazyLock<std::sync::Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>> =
        LazyLock::new(Default::default);
    let file = db
        .get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf();
    let mut gates = GATES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    gates.entry(file).or_default().clone()
}

/// A transaction from [`begin_serialized`]. It derefs to the sea-orm transaction; end it
/// with [`SerializedTxn::commit`] or [`SerializedTxn::rollback`] (dropping it rolls back).
pub struct SerializedTxn {
    txn: DatabaseTransaction,
    /// On SQLite, this process's turn at the file's write lock, held until the end.
    gate: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl SerializedTxn {
    /// Commits, then lets the next writer in.
    pub async fn commit(self) -> Result<(), DbErr> {
        let SerializedTxn { txn, gate } = self;
        let done = txn.commit().await;
        drop(gate);
        done
    }

    /// Rolls back, then lets the next writer in.
    pub async fn rollback(self) -> Result<(), DbErr> {
        let SerializedTxn { txn, gate } = self;
        let done = txn.rollback().await;
        drop(gate);
        done
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
