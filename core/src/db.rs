//! Connecting to the database (an SQLite file by default, PostgreSQL for several
//! replicas), running the migrations, and the one way Ward serialises writers that must not
//! interleave (audit appends, rate-limit and budget checks) on either database.

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait, Value,
};
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
/// so such transactions run one at a time across every connection and process. On
/// PostgreSQL it is an ordinary transaction; call [`lock_row`] first to serialise on a row.
pub async fn begin_serialized(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
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
