//! Ward's core: everything server-side that is not HTTP.
//!
//! [`Ward`] is the service handle (database, configuration, policy, keys, PHI engine,
//! LLM provider, metrics) that the HTTP layer, the server functions and the CLI share.
//! Every operation on behalf of a person takes a [`Caller`]: who they are and where the
//! request came from, which is what the audit trail records.
//!
//! Code map: [`config`], [`error`], [`db`] and [`entity`] (persistence), [`identity`]
//! (users, tokens, sign-in), [`proxies`] (the client's address behind reverse proxies),
//! [`access`] (care teams and break-the-glass), [`tools`] (the one tool runner),
//! [`audit`] (the hash-chained trail), [`disclosures`] (the accounting of disclosures),
//! [`clinical`] (demo data and FHIR import), [`privacy`] (the PHI engine applied to
//! provider traffic), [`chat`] (sessions, the agent loop, providers, limits), [`usage`]
//! (spend and budgets), [`metrics`], [`spans`] (what OpenTelemetry receives: PHI-free by
//! construction), `testing` (fresh databases and a fake provider, for tests only). The
//! same map, with the invariants: ARCHITECTURE.md.

pub mod access;
pub mod audit;
pub mod chat;
pub mod clinical;
pub mod config;
pub mod db;
pub mod disclosures;
pub mod entity;
pub mod error;
pub mod identity;
pub mod ids;
pub mod metrics;
pub mod privacy;
pub mod proxies;
pub mod spans;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod tools;
pub mod usage;

use anyhow::Context;
use chrono::Utc;
use config::Config;
use identity::token::TokenKeys;
use identity::Principal;
use sea_orm::DatabaseConnection;
use std::ops::Deref;
use std::sync::Arc;
use ward_domain::audit::{AuditAction, AuditEntry, Outcome};
use ward_domain::policy::Policy;
use ward_domain::pricing::{ModelPrice, PriceTable};

pub use error::{Error, ErrorKind, Result};

/// Where a request came from, as the audit trail records it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// The client's IP address.
    pub client_ip: Option<String>,
    /// The request id.
    pub request_id: Option<String>,
}

/// An authenticated person acting through a request.
#[derive(Clone, Debug)]
pub struct Caller {
    /// Who.
    pub principal: Principal,
    /// From where.
    pub origin: Origin,
}

/// A request whose access token is verified but whose user is not read yet: the chat
/// stream reads the user (active, with their roles) in the same database call as the
/// turn's other reads ([`chat::turn::begin_turn`]), one call fewer before its first byte.
#[derive(Clone, Debug)]
pub struct TokenCaller {
    /// The user the token names.
    pub user_id: crate::ids::UserId,
    /// From where.
    pub origin: Origin,
}

impl From<&Caller> for TokenCaller {
    /// The caller as a token names them (the principal already read is set aside).
    fn from(c: &Caller) -> Self {
        TokenCaller {
            user_id: c.principal.id,
            origin: c.origin.clone(),
        }
    }
}

impl Caller {
    /// A new audit entry for this caller, stamped now.
    pub fn entry(&self, action: AuditAction, outcome: Outcome) -> AuditEntry {
        let mut e = AuditEntry::new(
            Utc::now(),
            &self.principal.username,
            &self.principal.roles.joined(),
            action,
            outcome,
        );
        e.client_ip = self.origin.client_ip.clone();
        e.request_id = self.origin.request_id.clone();
        e
    }
}

/// The parts of Ward every operation needs.
pub struct WardInner {
    /// The database pool.
    pub db: DatabaseConnection,
    /// The configuration.
    pub config: Config,
    /// The access policy.
    pub policy: Policy,
    /// Token keys.
    pub keys: TokenKeys,
    /// Prices per model.
    pub prices: PriceTable,
    /// The PHI engine.
    pub phi: privacy::PhiEngine,
    /// The LLM provider.
    pub provider: Arc<dyn chat::provider::Provider>,
    /// Metrics.
    pub metrics: Arc<metrics::Metrics>,
    /// The per-user limit of the tool proxy and `/mcp`.
    pub tool_rate: tools::rate::ToolRateLimit,
    /// Single sign-on, when `OIDC_ISSUER_URL` is set.
    pub oidc: Option<identity::oidc::Oidc>,
    /// This process's replica id (fresh at every start), which its turn leases name
    /// (`chat::recovery`).
    pub replica_id: String,
}

/// The service handle: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Ward(Arc<WardInner>);

impl Deref for Ward {
    type Target = WardInner;
    fn deref(&self) -> &WardInner {
        &self.0
    }
}

/// Loads the access policy: `WARD_POLICY_FILE` if set, else the built-in one.
pub fn load_policy(config: &Config) -> anyhow::Result<Policy> {
    match &config.policy_file {
        None => Ok(Policy::builtin()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read WARD_POLICY_FILE {}", path.display()))?;
            Policy::from_toml(&text).with_context(|| format!("in {}", path.display()))
        }
    }
}

impl Ward {
    /// Connects, migrates, checks production safety, seeds the demo when configured and the
    /// database is empty, and builds the PHI engine and the provider.
    pub async fn start(config: Config) -> anyhow::Result<Ward> {
        config.check_production()?;
        identity::password::configure(config.password_workers);
        let policy = load_policy(&config)?;
        let keys = TokenKeys::from_config(&config)?;
        let db = db::connect(&config.database_url)
            .await
            .context("cannot connect to the database (DATABASE_URL)")?;
        db::migrate(&db)
            .await
            .context("database migration failed")?;
        if config.seed_demo {
            clinical::demo::seed_if_empty(&db).await?;
        }
        if config.is_production() {
            clinical::demo::refuse_demo_users(&db).await?;
        }
        let provider = chat::provider::from_config(&config)?;
        Ward::assemble(db, config, policy, keys, provider).await
    }

    /// Builds the handle from parts (tests use this to inject a provider).
    pub async fn assemble(
        db: DatabaseConnection,
        config: Config,
        policy: Policy,
        keys: TokenKeys,
        provider: Arc<dyn chat::provider::Provider>,
    ) -> anyhow::Result<Ward> {
        let mut prices = PriceTable::default();
        if let Some((input, output)) = config.price_override {
            prices.set(
                &config.llm_model,
                ModelPrice {
                    input_per_mtok: input,
                    output_per_mtok: output,
                },
            );
        }
        let data_version = clinical::data_version(&db).await?;
        let phi = privacy::PhiEngine::load(&db).await?;
        db::spawn_wal_checkpointer(&db);
        audit::install_key(ward_domain::audit::ChainKey::new(
            config.audit_key.as_bytes(),
        ));
        audit::spawn_checkpointer(
            &db,
            std::time::Duration::from_secs(60 * config.audit_checkpoint_minutes),
        );
        let tool_rate = tools::rate::ToolRateLimit::new(config.tool_rate_per_minute);
        let replica_id = chat::recovery::register(&db).await?;
        let oidc = config
            .oidc
            .clone()
            .map(identity::oidc::Oidc::new)
            .transpose()?;
        let ward = Ward(Arc::new(WardInner {
            db,
            config,
            policy,
            keys,
            prices,
            phi,
            provider,
            metrics: Arc::new(metrics::Metrics::default()),
            tool_rate,
            oidc,
            replica_id,
        }));
        clinical::spawn_phi_reloader(&ward, data_version);
        identity::throttle::spawn_flusher(&ward);
        // The turns of replicas that died (this process's predecessor, say) are marked
        // interrupted and their sessions released.
        chat::recovery::recover_dead(&ward.db, &ward.replica_id, ward.config.replica_stale).await?;
        chat::recovery::spawn_heartbeat(&ward);
        Ok(ward)
    }
}
