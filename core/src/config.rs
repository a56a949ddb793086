//! Configuration from the environment (and `.env`), the names of docs/contract.md §7.
//!
//! [`Config::from_lookup`] reads every variable through one function, so tests build a
//! configuration from a map and the binary from `std::env`. Bad values are refused with a
//! message naming the variable; [`Config::check_production`] refuses unsafe production
//! set-ups.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;
use ward_phi::PhiMode;

/// The development JWT secret. Production refuses to start with it.
pub const DEFAULT_JWT_SECRET: &str = "ward-demo-secret-do-not-use-in-production";

/// The value of `WARD_PHI_ALLOW_ACKNOWLEDGED` that lets production run with
/// `LLM_PHI_MODE=allow`.
pub const PHI_ALLOW_ACKNOWLEDGEMENT: &str = "we-have-a-baa-with-the-provider";

/// `demo` (default) or `production`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    /// Demo users and data are created; defaults are allowed.
    Demo,
    /// Defaults that are unsafe are refused.
    Production,
}

/// Which LLM provider answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderKind {
    /// The deterministic local agent (default).
    Offline,
    /// OpenAI.
    OpenAi,
    /// Azure OpenAI.
    Azure,
    /// Anthropic through its OpenAI-compatible endpoint.
    Anthropic,
    /// Any OpenAI-compatible server (vLLM, Ollama, llama.cpp).
    OpenAiCompatible,
}

impl ProviderKind {
    /// The name used in configuration, usage records and disclosures.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Offline => "offline",
            ProviderKind::OpenAi => "openai",
            ProviderKind::Azure => "azure",
            ProviderKind::Anthropic => "anthropic",
            ProviderKind::OpenAiCompatible => "openai-compatible",
        }
    }
}

impl FromStr for ProviderKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "offline" => ProviderKind::Offline,
            "openai" => ProviderKind::OpenAi,
            "azure" => ProviderKind::Azure,
            "anthropic" => ProviderKind::Anthropic,
            "openai-compatible" | "openai_compatible" | "vllm" | "ollama" | "llamacpp" => {
                ProviderKind::OpenAiCompatible
            }
            other => {
                return Err(format!(
                    "unknown provider '{other}' (use offline, openai, azure, anthropic or \
                     openai-compatible)"
                ))
            }
        })
    }
}

/// Single sign-on through an OpenID Provider (`OIDC_*`); configured when
/// `OIDC_ISSUER_URL` is set.
#[derive(Clone, Debug)]
pub struct OidcSettings {
    /// `OIDC_ISSUER_URL`: the provider's issuer; its discovery document is
    /// `<issuer>/.well-known/openid-configuration`.
    pub issuer_url: String,
    /// `OIDC_CLIENT_ID`.
    pub client_id: String,
    /// `OIDC_CLIENT_SECRET` (never logged); none for a public client (PKCE only).
    pub client_secret: Option<String>,
    /// `OIDC_REDIRECT_URL`; default `<WARD_PUBLIC_URL>/frontend/oidc/callback`.
    pub redirect_url: String,
    /// `OIDC_SCOPES` (space- or comma-separated); `openid` is always asked for.
    pub scopes: Vec<String>,
    /// `OIDC_ROLES_CLAIM`: the claim holding the user's roles or groups at the provider
    /// (a string or a list of strings; a dotted path such as `realm_access.roles` reaches
    /// into objects); the policy file's `idp_groups` map them to Ward roles.
    pub roles_claim: String,
    /// `OIDC_UNIT_CLAIM`: the claim holding the user's care-team unit, if any.
    pub unit_claim: Option<String>,
    /// Where the provider sends the browser back after its own sign-out:
    /// `<WARD_PUBLIC_URL>/frontend/login`.
    pub post_logout_redirect_url: String,
}

/// Everything Ward reads from its environment.
#[derive(Clone, Debug)]
pub struct Config {
    /// `WARD_ENV`.
    pub environment: Environment,
    /// `DATABASE_URL`; default an SQLite file under `data/`.
    pub database_url: String,
    /// `JWT_SECRET` (HS256).
    pub jwt_secret: String,
    /// `JWT_PRIVATE_KEY_FILE` and `JWT_PUBLIC_KEY_FILE` (EdDSA PEM), used instead of the
    /// secret when both are set.
    pub jwt_key_files: Option<(PathBuf, PathBuf)>,
    /// `JWT_ISSUER`.
    pub jwt_issuer: String,
    /// `JWT_AUDIENCE`.
    pub jwt_audience: String,
    /// `ACCESS_TOKEN_MINUTES`.
    pub access_token_ttl: Duration,
    /// `REFRESH_TOKEN_HOURS`.
    pub refresh_token_ttl: Duration,
    /// `LLM_PROVIDER`.
    pub llm_provider: ProviderKind,
    /// `LLM_BASE_URL`.
    pub llm_base_url: Option<String>,
    /// `LLM_MODEL`.
    pub llm_model: String,
    /// `LLM_API_KEY` (never logged).
    pub llm_api_key: Option<String>,
    /// `LLM_AZURE_API_VERSION`.
    pub llm_azure_api_version: String,
    /// `LLM_TEMPERATURE`.
    pub llm_temperature: f32,
    /// `LLM_MAX_TOKENS`: the completion limit per provider call.
    pub llm_max_tokens: u32,
    /// `LLM_TIMEOUT`: seconds per provider call.
    pub llm_timeout: Duration,
    /// `LLM_HTTP2_PRIOR_KNOWLEDGE`: speak HTTP/2 without TLS (h2c) to an
    /// `openai-compatible` server that supports it, multiplexing every stream over a few
    /// connections (TLS providers negotiate HTTP/2 by themselves).
    pub llm_http2_prior_knowledge: bool,
    /// `LLM_MAX_RETRIES`: retries on 429/5xx before the first byte.
    pub llm_max_retries: u32,
    /// `LLM_MAX_TOOL_ROUNDS`.
    pub llm_max_tool_rounds: u32,
    /// `LLM_PHI_MODE`.
    pub phi_mode: PhiMode,
    /// `LLM_DAILY_BUDGET`, USD, whole deployment.
    pub daily_budget_usd: f64,
    /// `LLM_USER_DAILY_BUDGET`, USD, per user.
    pub user_daily_budget_usd: f64,
    /// `LLM_PRICE_INPUT_PER_MTOK` and `LLM_PRICE_OUTPUT_PER_MTOK`: override the price of
    /// the configured model.
    pub price_override: Option<(f64, f64)>,
    /// `RATE_LIMIT_MESSAGES_PER_HOUR`.
    pub rate_limit_per_hour: u32,
    /// `WARD_POLICY_FILE`.
    pub policy_file: Option<PathBuf>,
    /// `WARD_PHI_ALLOW_ACKNOWLEDGED`.
    pub phi_allow_acknowledged: bool,
    /// `WARD_MAX_BODY_BYTES`: request body limit.
    pub max_body_bytes: usize,
    /// `WARD_MAX_IMPORT_BYTES`: size limit of one file an admin uploads for FHIR import.
    pub max_import_bytes: usize,
    /// `WARD_SECURE_COOKIES`: mark cookies `Secure` (default on in production).
    pub secure_cookies: bool,
    /// `WARD_SEED_DEMO`: create demo users and data at start when the database is empty
    /// (default on in demo, impossible in production).
    pub seed_demo: bool,
    /// `WARD_TRUSTED_PROXIES`: the reverse proxies (addresses and CIDR ranges) whose
    /// `X-Forwarded-For` entries are believed; the client is the rightmost hop that is
    /// not one of them ([`crate::proxies::client_address`]). `WARD_TRUST_PROXY=true`
    /// (the old switch, which believed the leftmost entry) now means loopback only.
    pub trusted_proxies: Vec<crate::proxies::IpRange>,
    /// `WARD_TRUST_PROXY=true` was set: Ward warns at start that it only trusts a proxy
    /// on loopback now.
    pub trust_proxy_legacy: bool,
    /// `WARD_METRICS_TOKEN`: the bearer token `/metrics` requires (never logged). Without
    /// it `/metrics` is served only on `WARD_METRICS_ADDR`.
    pub metrics_token: Option<String>,
    /// `WARD_METRICS_ADDR`: a listen address of its own for `/metrics` (for a scraper on
    /// a network the users do not reach).
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// `WARD_HEADER_TIMEOUT`: seconds a connection has to send a request's headers; an
    /// idle keep-alive connection is closed after the same time (hyper starts the clock
    /// when the connection waits for its next request).
    pub header_timeout: Duration,
    /// `WARD_MAX_CONNECTIONS`: open connections served at once; more are answered `503`
    /// and closed.
    pub max_connections: usize,
    /// `WARD_MAX_STREAMS_PER_USER`: chat streams one user may hold open at once (per
    /// process); more get `429 too_many_streams`.
    pub max_streams_per_user: usize,
    /// `WARD_PASSWORD_WORKERS`: password checks (argon2, 19 MiB each) that run at once;
    /// default the machine's cores.
    pub password_workers: usize,
    /// `WARD_DEMO_ON_NETWORK=yes`: lets demo mode listen on an address other than
    /// loopback.
    pub demo_on_network: bool,
    /// `WARD_PUBLIC_URL`: the address browsers reach Ward at (scheme, host, port; no
    /// path); default `http://` and `LEPTOS_SITE_ADDR`.
    pub public_url: String,
    /// `OIDC_*`: single sign-on, if configured.
    pub oidc: Option<OidcSettings>,
    /// `WARD_PASSWORD_SIGN_IN`: whether local usernames and passwords sign in (default
    /// on; off needs single sign-on).
    pub password_sign_in: bool,
    /// `WARD_AUDIT_KEY`: the secret of the audit chain's HMAC and its signed checkpoints
    /// (required in production, at least 32 characters; demo mode uses the published
    /// `ward_domain::audit::DEMO_AUDIT_KEY`). Never logged.
    pub audit_key: String,
    /// `WARD_AUDIT_CHECKPOINT_MINUTES`: how often a signed checkpoint of the chain is
    /// written when it has moved (default 60).
    pub audit_checkpoint_minutes: u64,
    /// `WARD_BTG_DAILY_CAP`: break-the-glass grants one user may take per UTC day
    /// (default 5).
    pub btg_daily_cap: u32,
    /// `WARD_TOOL_RATE_PER_MINUTE`: tool calls one user may make per minute through the
    /// tool proxy and through `/mcp` together (default 120).
    pub tool_rate_per_minute: u32,
    /// `WARD_REPLY_CHECKPOINT_MS`: a streaming reply is written to the database at most
    /// this long after the clinician saw it (default 250; 0 turns streaming persistence
    /// off, leaving only the end of the turn).
    pub reply_checkpoint_interval: Duration,
    /// `WARD_REPLY_CHECKPOINT_BYTES`: or as soon as this many bytes wait (default 4096).
    pub reply_checkpoint_bytes: usize,
    /// `WARD_REPLICA_HEARTBEAT_MS`: how often this process records that it is alive
    /// (default 2000).
    pub replica_heartbeat: Duration,
    /// `WARD_REPLICA_STALE_MS`: a replica silent this long is dead, and its turns are
    /// taken over (default 10000; more than the heartbeat).
    pub replica_stale: Duration,
}

/// A variable with a value Ward cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration error: {0}")]
pub struct ConfigError(pub String);

fn parse<T: FromStr>(name: &str, value: Option<String>, default: T) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match value {
        None => Ok(default),
        Some(v) if v.trim().is_empty() => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|e| ConfigError(format!("{name}={v:?} is not valid: {e}"))),
    }
}

/// The largest daily budget accepted, USD (from the environment or from an admin).
pub const MAX_BUDGET_USD: f64 = 1_000_000.0;
/// The largest price per million tokens accepted, USD.
const MAX_PRICE_PER_MTOK: f64 = 10_000.0;

/// `value` if it lies in `low..=high` (a NaN never does), else an error naming `name`.
fn within<T: PartialOrd + std::fmt::Display>(
    name: &str,
    value: T,
    low: T,
    high: T,
) -> Result<T, ConfigError> {
    if value >= low && value <= high {
        Ok(value)
    } else {
        Err(ConfigError(format!(
            "{name}={value} must be between {low} and {high}"
        )))
    }
}

fn flag(name: &str, value: Option<String>, default: bool) -> Result<bool, ConfigError> {
    match value.as_deref().map(|v| v.trim().to_ascii_lowercase()) {
        None => Ok(default),
        Some(v) if v.is_empty() => Ok(default),
        Some(v) if ["1", "true", "yes", "on"].contains(&v.as_str()) => Ok(true),
        Some(v) if ["0", "false", "no", "off"].contains(&v.as_str()) => Ok(false),
        Some(v) => Err(ConfigError(format!("{name}={v:?} must be true or false"))),
    }
}

/// Reads `OIDC_*`: `None` without `OIDC_ISSUER_URL`.
fn oidc_settings(
    non_empty: &impl Fn(&str) -> Option<String>,
    public_url: &str,
) -> Result<Option<OidcSettings>, ConfigError> {
    let Some(issuer_url) = non_empty("OIDC_ISSUER_URL") else {
        return Ok(None);
    };
    let issuer_url = issuer_url.trim().to_string();
    let client_id = non_empty("OIDC_CLIENT_ID").ok_or_else(|| {
        ConfigError("OIDC_ISSUER_URL is set: OIDC_CLIENT_ID must be set too".into())
    })?;
    let redirect_url = non_empty("OIDC_REDIRECT_URL")
        .map(|u| u.trim().to_string())
        .unwrap_or_else(|| format!("{public_url}/frontend/oidc/callback"));
    for (name, value) in [
        ("OIDC_ISSUER_URL", &issuer_url),
        ("OIDC_REDIRECT_URL", &redirect_url),
    ] {
        if !(value.starts_with("http://") || value.starts_with("https://")) || value.contains(' ') {
            return Err(ConfigError(format!(
                "{name}={value:?} must be an http:// or https:// URL"
            )));
        }
    }
    let mut scopes = vec!["openid".to_string()];
    let asked = non_empty("OIDC_SCOPES").unwrap_or_else(|| "openid profile email".into());
    for scope in asked.split([' ', ',']).filter(|s| !s.is_empty()) {
        if !scopes.iter().any(|s| s == scope) {
            scopes.push(scope.to_string());
        }
    }
    Ok(Some(OidcSettings {
        issuer_url,
        client_id: client_id.trim().to_string(),
        client_secret: non_empty("OIDC_CLIENT_SECRET"),
        redirect_url,
        scopes,
        roles_claim: non_empty("OIDC_ROLES_CLAIM")
            .map(|c| c.trim().to_string())
            .unwrap_or_else(|| "groups".into()),
        unit_claim: non_empty("OIDC_UNIT_CLAIM").map(|c| c.trim().to_string()),
        post_logout_redirect_url: format!("{public_url}/frontend/login"),
    }))
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads the configuration through `get` (a variable name → its value).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let non_empty = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let environment = match non_empty("WARD_ENV").as_deref().map(str::trim) {
            None | Some("demo") | Some("development") => Environment::Demo,
            Some("production") => Environment::Production,
            Some(other) => {
                return Err(ConfigError(format!(
                    "WARD_ENV={other:?} must be demo or production"
                )))
            }
        };
        let production = environment == Environment::Production;
        let llm_provider: ProviderKind =
            parse("LLM_PROVIDER", get("LLM_PROVIDER"), ProviderKind::Offline)?;
        let default_model = match llm_provider {
            ProviderKind::Offline => "offline",
            ProviderKind::Anthropic => "claude-sonnet-4-5",
            _ => "gpt-4o-mini",
        };
        let phi_mode: PhiMode = parse("LLM_PHI_MODE", get("LLM_PHI_MODE"), PhiMode::Pseudonymize)?;
        let price_override = match (
            non_empty("LLM_PRICE_INPUT_PER_MTOK"),
            non_empty("LLM_PRICE_OUTPUT_PER_MTOK"),
        ) {
            (None, None) => None,
            (i, o) => Some((
                within(
                    "LLM_PRICE_INPUT_PER_MTOK",
                    parse("LLM_PRICE_INPUT_PER_MTOK", i, 0.0f64)?,
                    0.0,
                    MAX_PRICE_PER_MTOK,
                )?,
                within(
                    "LLM_PRICE_OUTPUT_PER_MTOK",
                    parse("LLM_PRICE_OUTPUT_PER_MTOK", o, 0.0f64)?,
                    0.0,
                    MAX_PRICE_PER_MTOK,
                )?,
            )),
        };
        let jwt_key_files = match (
            non_empty("JWT_PRIVATE_KEY_FILE"),
            non_empty("JWT_PUBLIC_KEY_FILE"),
        ) {
            (Some(p), Some(q)) => Some((PathBuf::from(p), PathBuf::from(q))),
            (None, None) => None,
            _ => {
                return Err(ConfigError(
                    "JWT_PRIVATE_KEY_FILE and JWT_PUBLIC_KEY_FILE must be set together".into(),
                ))
            }
        };
        let public_url = non_empty("WARD_PUBLIC_URL")
            .map(|u| u.trim().trim_end_matches('/').to_string())
            .unwrap_or_else(|| {
                let addr = non_empty("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
                format!("http://{}", addr.trim())
            });
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError(format!(
                "WARD_PUBLIC_URL={public_url:?} must start with http:// or https://"
            )));
        }
        let oidc = oidc_settings(&non_empty, &public_url)?;
        let password_sign_in = flag("WARD_PASSWORD_SIGN_IN", get("WARD_PASSWORD_SIGN_IN"), true)?;
        if !password_sign_in && oidc.is_none() {
            return Err(ConfigError(
                "WARD_PASSWORD_SIGN_IN=false needs single sign-on (OIDC_ISSUER_URL and \
                 OIDC_CLIENT_ID): nobody could sign in"
                    .into(),
            ));
        }
        let trust_proxy_legacy = flag("WARD_TRUST_PROXY", get("WARD_TRUST_PROXY"), false)?;
        let trusted_proxies = match non_empty("WARD_TRUSTED_PROXIES") {
            Some(list) => crate::proxies::parse_ranges(&list)
                .map_err(|e| ConfigError(format!("WARD_TRUSTED_PROXIES: {e}")))?,
            None if trust_proxy_legacy => crate::proxies::IpRange::loopback(),
            None => vec![],
        };
        let config = Config {
            environment,
            database_url: non_empty("DATABASE_URL")
                .unwrap_or_else(|| "sqlite://data/ward.db?mode=rwc".to_string()),
            jwt_secret: non_empty("JWT_SECRET").unwrap_or_else(|| DEFAULT_JWT_SECRET.to_string()),
            jwt_key_files,
            jwt_issuer: non_empty("JWT_ISSUER").unwrap_or_else(|| "ward".into()),
            jwt_audience: non_empty("JWT_AUDIENCE").unwrap_or_else(|| "ward-api".into()),
            access_token_ttl: Duration::from_secs(
                60 * within(
                    "ACCESS_TOKEN_MINUTES",
                    parse::<u64>("ACCESS_TOKEN_MINUTES", get("ACCESS_TOKEN_MINUTES"), 30)?,
                    1,
                    24 * 60,
                )?,
            ),
            refresh_token_ttl: Duration::from_secs(
                3600 * within(
                    "REFRESH_TOKEN_HOURS",
                    parse::<u64>("REFRESH_TOKEN_HOURS", get("REFRESH_TOKEN_HOURS"), 24)?,
                    1,
                    30 * 24,
                )?,
            ),
            llm_provider,
            llm_base_url: non_empty("LLM_BASE_URL"),
            llm_model: non_empty("LLM_MODEL").unwrap_or_else(|| default_model.into()),
            llm_api_key: non_empty("LLM_API_KEY"),
            llm_azure_api_version: non_empty("LLM_AZURE_API_VERSION")
                .unwrap_or_else(|| "2024-10-21".into()),
            llm_temperature: within(
                "LLM_TEMPERATURE",
                parse("LLM_TEMPERATURE", get("LLM_TEMPERATURE"), 0.2f32)?,
                0.0,
                2.0,
            )?,
            llm_max_tokens: parse("LLM_MAX_TOKENS", get("LLM_MAX_TOKENS"), 1024u32)?,
            llm_timeout: Duration::from_secs_f64(within(
                "LLM_TIMEOUT",
                parse("LLM_TIMEOUT", get("LLM_TIMEOUT"), 60.0f64)?,
                0.001,
                86_400.0,
            )?),
            llm_max_retries: parse("LLM_MAX_RETRIES", get("LLM_MAX_RETRIES"), 2u32)?,
            llm_http2_prior_knowledge: flag(
                "LLM_HTTP2_PRIOR_KNOWLEDGE",
                get("LLM_HTTP2_PRIOR_KNOWLEDGE"),
                false,
            )?,
            llm_max_tool_rounds: parse("LLM_MAX_TOOL_ROUNDS", get("LLM_MAX_TOOL_ROUNDS"), 5u32)?,
            phi_mode,
            daily_budget_usd: within(
                "LLM_DAILY_BUDGET",
                parse("LLM_DAILY_BUDGET", get("LLM_DAILY_BUDGET"), 50.0f64)?,
                0.0,
                MAX_BUDGET_USD,
            )?,
            user_daily_budget_usd: within(
                "LLM_USER_DAILY_BUDGET",
                parse(
                    "LLM_USER_DAILY_BUDGET",
                    get("LLM_USER_DAILY_BUDGET"),
                    5.0f64,
                )?,
                0.0,
                MAX_BUDGET_USD,
            )?,
            price_override,
            rate_limit_per_hour: parse(
                "RATE_LIMIT_MESSAGES_PER_HOUR",
                get("RATE_LIMIT_MESSAGES_PER_HOUR"),
                100u32,
            )?,
            policy_file: non_empty("WARD_POLICY_FILE").map(PathBuf::from),
            phi_allow_acknowledged: non_empty("WARD_PHI_ALLOW_ACKNOWLEDGED").as_deref()
                == Some(PHI_ALLOW_ACKNOWLEDGEMENT),
            max_body_bytes: parse(
                "WARD_MAX_BODY_BYTES",
                get("WARD_MAX_BODY_BYTES"),
                1024 * 1024usize,
            )?,
            max_import_bytes: parse(
                "WARD_MAX_IMPORT_BYTES",
                get("WARD_MAX_IMPORT_BYTES"),
                64 * 1024 * 1024usize,
            )?,
            secure_cookies: flag(
                "WARD_SECURE_COOKIES",
                get("WARD_SECURE_COOKIES"),
                production,
            )?,
            seed_demo: flag("WARD_SEED_DEMO", get("WARD_SEED_DEMO"), !production)?,
            trusted_proxies,
            trust_proxy_legacy,
            metrics_token: non_empty("WARD_METRICS_TOKEN").map(|t| t.trim().to_string()),
            metrics_addr: match non_empty("WARD_METRICS_ADDR") {
                None => None,
                Some(a) => Some(a.trim().parse().map_err(|_| {
                    ConfigError(format!(
                        "WARD_METRICS_ADDR={a:?} must be an address and port (127.0.0.1:9100)"
                    ))
                })?),
            },
            header_timeout: Duration::from_secs_f64(within(
                "WARD_HEADER_TIMEOUT",
                parse("WARD_HEADER_TIMEOUT", get("WARD_HEADER_TIMEOUT"), 10.0f64)?,
                0.05,
                3600.0,
            )?),
            max_connections: within(
                "WARD_MAX_CONNECTIONS",
                parse(
                    "WARD_MAX_CONNECTIONS",
                    get("WARD_MAX_CONNECTIONS"),
                    16_384usize,
                )?,
                1,
                10_000_000,
            )?,
            max_streams_per_user: within(
                "WARD_MAX_STREAMS_PER_USER",
                parse(
                    "WARD_MAX_STREAMS_PER_USER",
                    get("WARD_MAX_STREAMS_PER_USER"),
                    10usize,
                )?,
                1,
                10_000_000,
            )?,
            password_workers: within(
                "WARD_PASSWORD_WORKERS",
                parse(
                    "WARD_PASSWORD_WORKERS",
                    get("WARD_PASSWORD_WORKERS"),
                    std::thread::available_parallelism()
                        .map(|n| n.get())
                        .unwrap_or(1),
                )?,
                1,
                1024,
            )?,
            demo_on_network: flag("WARD_DEMO_ON_NETWORK", get("WARD_DEMO_ON_NETWORK"), false)?,
            public_url,
            oidc,
            password_sign_in,
            audit_key: non_empty("WARD_AUDIT_KEY")
                .unwrap_or_else(|| ward_domain::audit::DEMO_AUDIT_KEY.to_string()),
            audit_checkpoint_minutes: parse::<u64>(
                "WARD_AUDIT_CHECKPOINT_MINUTES",
                get("WARD_AUDIT_CHECKPOINT_MINUTES"),
                60,
            )?
            .max(1),
            btg_daily_cap: parse("WARD_BTG_DAILY_CAP", get("WARD_BTG_DAILY_CAP"), 5u32)?,
            tool_rate_per_minute: parse(
                "WARD_TOOL_RATE_PER_MINUTE",
                get("WARD_TOOL_RATE_PER_MINUTE"),
                120u32,
            )?
            .max(1),
            reply_checkpoint_interval: Duration::from_millis(within(
                "WARD_REPLY_CHECKPOINT_MS",
                parse(
                    "WARD_REPLY_CHECKPOINT_MS",
                    get("WARD_REPLY_CHECKPOINT_MS"),
                    250u64,
                )?,
                0,
                60_000,
            )?),
            reply_checkpoint_bytes: within(
                "WARD_REPLY_CHECKPOINT_BYTES",
                parse(
                    "WARD_REPLY_CHECKPOINT_BYTES",
                    get("WARD_REPLY_CHECKPOINT_BYTES"),
                    4096usize,
                )?,
                1,
                1 << 20,
            )?,
            replica_heartbeat: Duration::from_millis(within(
                "WARD_REPLICA_HEARTBEAT_MS",
                parse(
                    "WARD_REPLICA_HEARTBEAT_MS",
                    get("WARD_REPLICA_HEARTBEAT_MS"),
                    2000u64,
                )?,
                50,
                600_000,
            )?),
            replica_stale: Duration::from_millis(within(
                "WARD_REPLICA_STALE_MS",
                parse(
                    "WARD_REPLICA_STALE_MS",
                    get("WARD_REPLICA_STALE_MS"),
                    10_000u64,
                )?,
                100,
                3_600_000,
            )?),
        };
        if config.replica_stale <= config.replica_heartbeat {
            return Err(ConfigError(
                "WARD_REPLICA_STALE_MS must be longer than WARD_REPLICA_HEARTBEAT_MS".into(),
            ));
        }
        if config.llm_max_tokens == 0 || config.llm_max_tool_rounds == 0 {
            return Err(ConfigError(
                "LLM_MAX_TOKENS and LLM_MAX_TOOL_ROUNDS must be at least 1".into(),
            ));
        }
        if config.daily_budget_usd < 0.0 || config.user_daily_budget_usd < 0.0 {
            return Err(ConfigError("budgets cannot be negative".into()));
        }
        if !config.llm_timeout.as_secs_f64().is_finite() || config.llm_timeout.is_zero() {
            return Err(ConfigError(
                "LLM_TIMEOUT must be a positive number of seconds".into(),
            ));
        }
        Ok(config)
    }

    /// Whether this is a production deployment.
    pub fn is_production(&self) -> bool {
        self.environment == Environment::Production
    }

    /// Refuses to serve demo mode (a public JWT secret, well-known passwords) on an
    /// address other than loopback, unless `WARD_DEMO_ON_NETWORK=yes` says it is meant.
    pub fn check_listen(&self, addr: std::net::SocketAddr) -> Result<(), ConfigError> {
        if self.is_production() || self.demo_on_network || addr.ip().is_loopback() {
            return Ok(());
        }
        Err(ConfigError(format!(
            "demo mode (WARD_ENV is not production: a public JWT secret and demo passwords \
             such as admin/admin123) refuses to listen on {addr}, which other machines can \
             reach. Listen on 127.0.0.1 (LEPTOS_SITE_ADDR), set WARD_ENV=production, or set \
             WARD_DEMO_ON_NETWORK=yes if a demo on the network is really meant"
        )))
    }

    /// In production, refuses the default JWT secret, a short secret, demo seeding and
    /// `allow` PHI mode without its acknowledgement. (Demo users already in the database
    /// are checked at start, against the database.)
    pub fn check_production(&self) -> Result<(), ConfigError> {
        if !self.is_production() {
            return Ok(());
        }
        if self.jwt_key_files.is_none() {
            if self.jwt_secret == DEFAULT_JWT_SECRET {
                return Err(ConfigError(
                    "WARD_ENV=production refuses the default JWT_SECRET: set a random secret of \
                     at least 32 characters (or JWT_PRIVATE_KEY_FILE/JWT_PUBLIC_KEY_FILE)"
                        .into(),
                ));
            }
            if self.jwt_secret.len() < 32 {
                return Err(ConfigError(
                    "WARD_ENV=production needs a JWT_SECRET of at least 32 characters".into(),
                ));
            }
        }
        if let Some(oidc) = &self.oidc {
            if !oidc.issuer_url.starts_with("https://")
                || !oidc.redirect_url.starts_with("https://")
            {
                return Err(ConfigError(
                    "WARD_ENV=production needs https:// for OIDC_ISSUER_URL and the redirect URL \
                     (OIDC_REDIRECT_URL, or WARD_PUBLIC_URL)"
                        .into(),
                ));
            }
        }
        if self.metrics_token.as_ref().is_some_and(|t| t.len() < 16) {
            return Err(ConfigError(
                "WARD_ENV=production needs a WARD_METRICS_TOKEN of at least 16 characters".into(),
            ));
        }
        if self.seed_demo {
            return Err(ConfigError(
                "WARD_ENV=production never creates demo users: unset WARD_SEED_DEMO".into(),
            ));
        }
        if self.audit_key == ward_domain::audit::DEMO_AUDIT_KEY || self.audit_key.len() < 32 {
            return Err(ConfigError(
                "WARD_ENV=production needs WARD_AUDIT_KEY, a random secret of at least 32 \
                 characters (the audit chain's key; keep a copy outside the database)"
                    .into(),
            ));
        }
        if self.phi_mode == PhiMode::Allow && !self.phi_allow_acknowledged {
            return Err(ConfigError(format!(
                "LLM_PHI_MODE=allow sends un-redacted PHI to the provider; in production set \
                 WARD_PHI_ALLOW_ACKNOWLEDGED={PHI_ALLOW_ACKNOWLEDGEMENT} to confirm a BAA covers it"
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| m.get(k).cloned())
    }

    #[test]
    fn defaults_are_a_demo_with_sqlite_and_the_offline_model() {
        let c = config(&[]).unwrap();
        assert_eq!(c.environment, Environment::Demo);
        assert!(c.database_url.starts_with("sqlite://data/"));
        assert_eq!(c.llm_provider, ProviderKind::Offline);
        assert_eq!(c.phi_mode, PhiMode::Pseudonymize);
        assert_eq!(c.rate_limit_per_hour, 100);
        assert!(c.seed_demo);
        assert!(c.check_production().is_ok());
        assert_eq!(c.audit_key, ward_domain::audit::DEMO_AUDIT_KEY);
        assert_eq!(c.btg_daily_cap, 5);
    }

    #[test]
    fn production_needs_its_own_audit_key() {
        let base = [
            ("WARD_ENV", "production"),
            ("JWT_SECRET", "a-production-secret-of-forty-characters!!"),
            ("WARD_SEED_DEMO", "no"),
        ];
        let e = config(&base).unwrap().check_production().unwrap_err();
        assert!(e.0.contains("WARD_AUDIT_KEY"), "{e}");
        let mut short = base.to_vec();
        short.push(("WARD_AUDIT_KEY", "too-short"));
        assert!(config(&short).unwrap().check_production().is_err());
        let mut good = base.to_vec();
        good.push(("WARD_AUDIT_KEY", "an-audit-key-of-at-least-32-characters!!"));
        assert!(config(&good).unwrap().check_production().is_ok());
    }

    #[test]
    fn bad_values_name_their_variable() {
        let e = config(&[("LLM_TIMEOUT", "soon")]).unwrap_err();
        assert!(e.0.contains("LLM_TIMEOUT"), "{e}");
        // Numbers that a duration cannot hold are refused, not a panic at start.
        for absurd in ["-1", "0", "NaN", "inf", "1e300"] {
            let e = config(&[("LLM_TIMEOUT", absurd)]).unwrap_err();
            assert!(e.0.contains("LLM_TIMEOUT"), "{absurd}: {e}");
        }
        assert_eq!(
            config(&[("LLM_TIMEOUT", "2.5")]).unwrap().llm_timeout,
            Duration::from_millis(2500)
        );
        for (name, value) in [
            ("ACCESS_TOKEN_MINUTES", "0"),
            ("ACCESS_TOKEN_MINUTES", "18446744073709551615"),
            ("REFRESH_TOKEN_HOURS", "100000"),
            ("LLM_TEMPERATURE", "NaN"),
            ("LLM_TEMPERATURE", "3"),
            ("LLM_DAILY_BUDGET", "-5"),
            ("LLM_USER_DAILY_BUDGET", "inf"),
            ("LLM_PRICE_INPUT_PER_MTOK", "-1"),
        ] {
            let e = config(&[(name, value)]).unwrap_err();
            assert!(e.0.contains(name), "{name}={value}: {e}");
        }
        let e = config(&[("LLM_PROVIDER", "skynet")]).unwrap_err();
        assert!(e.0.contains("skynet"), "{e}");
        let e = config(&[("WARD_ENV", "staging")]).unwrap_err();
        assert!(e.0.contains("WARD_ENV"), "{e}");
    }

    #[test]
    fn production_refuses_the_default_secret() {
        let c = config(&[("WARD_ENV", "production")]).unwrap();
        assert!(c.check_production().unwrap_err().0.contains("JWT_SECRET"));
    }

    #[test]
    fn production_refuses_demo_seeding() {
        let c = config(&[
            ("WARD_ENV", "production"),
            ("JWT_SECRET", "0123456789abcdef0123456789abcdef"),
            ("WARD_SEED_DEMO", "true"),
        ])
        .unwrap();
        assert!(c.check_production().unwrap_err().0.contains("demo"));
    }

    #[test]
    fn production_refuses_allow_mode_without_acknowledgement() {
        let base = [
            ("WARD_ENV", "production"),
            ("JWT_SECRET", "0123456789abcdef0123456789abcdef"),
            ("WARD_AUDIT_KEY", "fedcba9876543210fedcba9876543210"),
            ("LLM_PHI_MODE", "allow"),
        ];
        let c = config(&base).unwrap();
        assert!(c.check_production().unwrap_err().0.contains("allow"));
        let mut acked = base.to_vec();
        acked.push(("WARD_PHI_ALLOW_ACKNOWLEDGED", PHI_ALLOW_ACKNOWLEDGEMENT));
        assert!(config(&acked).unwrap().check_production().is_ok());
    }

    #[test]
    fn single_sign_on_is_configured_by_its_issuer_and_client() {
        assert!(config(&[]).unwrap().oidc.is_none());
        let c = config(&[
            ("OIDC_ISSUER_URL", "https://idp.example/realms/h"),
            ("OIDC_CLIENT_ID", "ward"),
            ("OIDC_SCOPES", "profile,groups email"),
            ("WARD_PUBLIC_URL", "https://ward.example/"),
        ])
        .unwrap();
        let o = c.oidc.expect("configured");
        assert_eq!(
            o.redirect_url,
            "https://ward.example/frontend/oidc/callback"
        );
        assert_eq!(o.scopes, ["openid", "profile", "groups", "email"]);
        assert_eq!(o.roles_claim, "groups");
        assert!(o.client_secret.is_none() && o.unit_claim.is_none());
        let e = config(&[("OIDC_ISSUER_URL", "https://idp.example")]).unwrap_err();
        assert!(e.0.contains("OIDC_CLIENT_ID"), "{e}");
        let e = config(&[("OIDC_ISSUER_URL", "idp.example"), ("OIDC_CLIENT_ID", "w")]).unwrap_err();
        assert!(e.0.contains("OIDC_ISSUER_URL"), "{e}");
    }

    #[test]
    fn password_sign_in_can_be_switched_off_only_with_single_sign_on() {
        let e = config(&[("WARD_PASSWORD_SIGN_IN", "false")]).unwrap_err();
        assert!(e.0.contains("WARD_PASSWORD_SIGN_IN"), "{e}");
        let c = config(&[
            ("WARD_PASSWORD_SIGN_IN", "false"),
            ("OIDC_ISSUER_URL", "https://idp.example"),
            ("OIDC_CLIENT_ID", "ward"),
        ])
        .unwrap();
        assert!(!c.password_sign_in);
        assert!(config(&[]).unwrap().password_sign_in);
    }

    #[test]
    fn production_refuses_single_sign_on_over_plain_http() {
        let base = [
            ("WARD_ENV", "production"),
            ("JWT_SECRET", "0123456789abcdef0123456789abcdef"),
            ("OIDC_ISSUER_URL", "http://idp.example"),
            ("OIDC_CLIENT_ID", "ward"),
            ("WARD_PUBLIC_URL", "https://ward.example"),
            ("WARD_AUDIT_KEY", "fedcba9876543210fedcba9876543210"),
        ];
        let e = config(&base).unwrap().check_production().unwrap_err();
        assert!(e.0.contains("https"), "{e}");
        let mut tls = base.to_vec();
        tls[2] = ("OIDC_ISSUER_URL", "https://idp.example");
        assert!(config(&tls).unwrap().check_production().is_ok());
    }

    #[test]
    fn trusted_proxies_are_ranges_and_the_old_switch_means_loopback() {
        let c = config(&[("WARD_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7")]).unwrap();
        assert_eq!(c.trusted_proxies.len(), 2);
        assert!(!c.trust_proxy_legacy);
        let e = config(&[("WARD_TRUSTED_PROXIES", "not-an-ip")]).unwrap_err();
        assert!(e.0.contains("WARD_TRUSTED_PROXIES"), "{e}");
        let c = config(&[("WARD_TRUST_PROXY", "true")]).unwrap();
        assert!(c.trust_proxy_legacy);
        assert_eq!(c.trusted_proxies, crate::proxies::IpRange::loopback());
        assert!(config(&[]).unwrap().trusted_proxies.is_empty());
    }

    #[test]
    fn demo_mode_listens_on_loopback_unless_told_otherwise() {
        let demo = config(&[]).unwrap();
        assert!(demo.check_listen("127.0.0.1:3000".parse().unwrap()).is_ok());
        assert!(demo.check_listen("[::1]:3000".parse().unwrap()).is_ok());
        let e = demo
            .check_listen("0.0.0.0:3000".parse().unwrap())
            .unwrap_err();
        assert!(e.0.contains("WARD_DEMO_ON_NETWORK"), "{e}");
        assert!(demo
            .check_listen("192.0.2.1:3000".parse().unwrap())
            .is_err());
        let meant = config(&[("WARD_DEMO_ON_NETWORK", "yes")]).unwrap();
        assert!(meant.check_listen("0.0.0.0:3000".parse().unwrap()).is_ok());
        let production = config(&[("WARD_ENV", "production")]).unwrap();
        assert!(production
            .check_listen("0.0.0.0:3000".parse().unwrap())
            .is_ok());
    }

    #[test]
    fn network_limits_have_defaults_and_bounds() {
        let c = config(&[]).unwrap();
        assert_eq!(c.header_timeout, Duration::from_secs(10));
        assert_eq!(c.max_streams_per_user, 10);
        assert!(c.password_workers >= 1 && c.metrics_token.is_none());
        for (name, value) in [
            ("WARD_MAX_CONNECTIONS", "0"),
            ("WARD_HEADER_TIMEOUT", "0"),
            ("WARD_MAX_STREAMS_PER_USER", "0"),
            ("WARD_METRICS_ADDR", "everywhere"),
        ] {
            let e = config(&[(name, value)]).unwrap_err();
            assert!(e.0.contains(name), "{name}={value}: {e}");
        }
    }
}
