//! Test support (compiled only with the `testing` feature or in this crate's tests): a
//! fresh database per test, on SQLite (a file in a temporary directory) or on the
//! PostgreSQL server of the machine (a new database, dropped afterwards).
//!
//! `WARD_TEST_POSTGRES_URL` names the server (default
//! `postgres://postgres@127.0.0.1:5432`); the tests fail, rather than skip, when it is
//! unreachable, so a green run means both databases were exercised.

pub mod mock_llm;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file.
    Sqlite,
    /// A fresh database on the local PostgreSQL server.
    Postgres,
}

/// A fresh, migrated database that is removed when dropped.
pub struct TestDb {
    /// Its URL (give it to a second process to share the database).
    pub url: String,
    /// A connection pool.
    pub db: DatabaseConnection,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(#[allow(dead_code)] tempfile::TempDir),
    Postgres { server: String, name: String },
}

/// The PostgreSQL server the tests use.
pub fn postgres_server() -> String {
    std::env::var("WARD_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

impl TestDb {
    /// Creates and migrates a fresh database.
    pub async fn new(backend: Backend) -> TestDb {
        let (url, cleanup) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("ward.db").display());
                (url, Cleanup::Dir(dir))
            }
            Backend::Postgres => {
                let server = postgres_server();
                let name = format!("ward_test_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(format!("{server}/postgres"))
                    .await
                    .expect("PostgreSQL must be reachable for the PostgreSQL tests (WARD_TEST_POSTGRES_URL)");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("CREATE DATABASE");
                admin.close().await.ok();
                (
                    format!("{server}/{name}"),
                    Cleanup::Postgres { server, name },
                )
            }
        };
        let db = crate::db::connect(&url)
            .await
            .expect("connect to the test database");
        crate::db::migrate(&db)
            .await
            .expect("migrate the test database");
        TestDb { url, db, cleanup }
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self.cleanup {
            Cleanup::Dir(_) => Backend::Sqlite,
            Cleanup::Postgres { .. } => Backend::Postgres,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { server, name } = &self.cleanup {
            let (server, name) = (server.clone(), name.clone());
            // Drop the database from a thread of its own: Drop cannot await.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    let admin = Database::connect(format!("{server}/postgres")).await.ok()?;
                    admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await
                        .ok()
                })
            })
            .join();
        }
    }
}

/// A [`crate::Ward`] on `db` with the demo data, the offline model and `env` as extra
/// configuration.
pub async fn ward_on(db: &TestDb, env: &[(&str, &str)]) -> crate::Ward {
    let url = db.url.clone();
    let config = crate::config::Config::from_lookup(|k| {
        if k == "DATABASE_URL" {
            return Some(url.clone());
        }
        env.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    })
    .expect("test configuration");
    crate::clinical::demo::seed_if_empty(&db.db)
        .await
        .expect("seed the demo");
    let policy = crate::load_policy(&config).expect("policy");
    let keys = crate::identity::token::TokenKeys::from_config(&config).expect("keys");
    let provider = crate::chat::provider::from_config(&config).expect("provider");
    crate::Ward::assemble(db.db.clone(), config, policy, keys, provider)
        .await
        .expect("assemble")
}

/// The caller for a demo user.
pub async fn caller(ward: &crate::Ward, username: &str) -> crate::Caller {
    let user = crate::identity::users::find_by_username(&ward.db, username)
        .await
        .expect("query")
        .expect("a demo user");
    crate::Caller {
        principal: crate::identity::users::principal_for(&ward.db, user)
            .await
            .expect("principal"),
        origin: crate::Origin {
            client_ip: Some("127.0.0.1".into()),
            request_id: Some("test".into()),
        },
    }
}

/// The stored disclosure tallies (JSON text), oldest first.
pub async fn disclosures(db: &DatabaseConnection) -> Vec<String> {
    use sea_orm::{EntityTrait, QueryOrder};
    crate::entity::phi_disclosures::Entity::find()
        .order_by_asc(crate::entity::phi_disclosures::Column::Id)
        .all(db)
        .await
        .expect("query")
        .into_iter()
        .map(|d| format!("{} {} {}", d.provider, d.mode, d.tally))
        .collect()
}
