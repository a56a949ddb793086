//! The command line of the server binary: `serve` (the default), `migrate`, `seed-demo`,
//! `create-user`, `hash-password`, `healthcheck`, `import-fhir`, `audit verify`, `audit
//! checkpoint` and `phi-eval` (README.md, "Command line").

use crate::startup::{shutdown_signal, Application};
use crate::telemetry;
use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use leptos::config::LeptosOptions;
use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use ward_core::config::Config;
use ward_core::identity::{password, users};
use ward_core::Ward;
use ward_domain::audit::{AuditAction, AuditEntry, ChainKey, Checkpoint, Outcome};
use ward_domain::role::{Role, Roles};

/// Ward: a secure clinical AI assistant.
#[derive(Parser, Debug)]
#[command(name = "server", version, about)]
pub struct Cli {
    /// Log JSON lines instead of human-readable lines (also `WARD_LOG_FORMAT=json`).
    #[arg(long, global = true)]
    pub log_json: bool,
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A subcommand.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the server (migrates first; seeds the demo in demo mode).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create the demo users and patients that do not exist yet (demo mode only).
    SeedDemo,
    /// Create a user. The password is read from standard input (or `WARD_NEW_PASSWORD`).
    CreateUser {
        /// Username.
        #[arg(long)]
        username: String,
        /// Display name (default: the username).
        #[arg(long)]
        display_name: Option<String>,
        /// A role; repeat for several (doctor, nurse, billing, reviewer, auditor, admin).
        #[arg(long = "role", required = true)]
        roles: Vec<Role>,
        /// Care unit (doctors and nurses see its patients).
        #[arg(long)]
        unit: Option<String>,
        /// A patient to assign to the user's care team; repeat for several.
        #[arg(long = "patient")]
        patients: Vec<String>,
    },
    /// Print the argon2 hash of a password read from standard input.
    HashPassword,
    /// Check that the server at `LEPTOS_SITE_ADDR` answers `GET /healthz` with 200 (exit
    /// 0), else exit 1: the container image's health check, which has no shell or curl.
    Healthcheck,
    /// Import FHIR R4 data: Bundles (`*.json`), single resources (`*.json`) and Bulk Data
    /// files (`*.ndjson`, one resource a line), given as files or directories. A resource
    /// that cannot be used is reported and the rest is imported; the command exits 1 only
    /// when nothing could be imported.
    ImportFhir {
        /// Files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print the report as JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Audit trail operations.
    Audit {
        /// What to do.
        #[command(subcommand)]
        action: AuditCommand,
    },
    /// Score the PHI detector on a labelled JSONL corpus.
    PhiEval {
        /// The corpus (one `{"text", "spans": [{"start", "end", "type"}]}` a line).
        file: PathBuf,
    },
}

/// Audit subcommands.
#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Verify the keyed hash chain and its signed checkpoints (those in the database and,
    /// with `--checkpoints`, an exported file kept elsewhere); exits 1 and names the first
    /// broken record if it is broken.
    Verify {
        /// A file of exported checkpoints (JSON lines, from `audit checkpoint --export`).
        #[arg(long)]
        checkpoints: Option<PathBuf>,
    },
    /// Sign a checkpoint of the chain's head now and print it; with `--export`, also write
    /// every checkpoint to FILE (JSON lines) to keep outside Ward's database.
    Checkpoint {
        /// Where to write every checkpoint.
        #[arg(long)]
        export: Option<PathBuf>,
    },
}

/// An audit record of the command line (actor `cli`).
fn cli_entry(action: AuditAction, outcome: Outcome) -> AuditEntry {
    AuditEntry::new(chrono::Utc::now(), "cli", "", action, outcome)
}

/// Reads exported checkpoints (one JSON object a line).
fn read_checkpoints(path: &std::path::Path) -> anyhow::Result<Vec<Checkpoint>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading checkpoints from {}", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("{} line {}: not a checkpoint", path.display(), i + 1))
        })
        .collect()
}

fn read_secret(env: &str) -> anyhow::Result<String> {
    if let Ok(v) = std::env::var(env) {
        return Ok(v);
    }
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("reading the password from standard input")?;
    Ok(s.trim_end_matches(['\n', '\r']).to_string())
}

/// The Leptos options: from cargo-leptos' environment when present, else Ward's defaults
/// (`target/site`, 127.0.0.1:3000, overridable with `LEPTOS_SITE_ROOT` and
/// `LEPTOS_SITE_ADDR`).
pub fn leptos_options() -> LeptosOptions {
    // Without cargo-leptos' LEPTOS_OUTPUT_NAME, Leptos would print a warning to stdout.
    if std::env::var_os("LEPTOS_OUTPUT_NAME").is_some() {
        if let Ok(conf) = leptos::config::get_configuration(None) {
            return conf.leptos_options;
        }
    }
    let addr: SocketAddr = std::env::var("LEPTOS_SITE_ADDR")
        .ok()
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000)));
    LeptosOptions::builder()
        .output_name("ward")
        .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()))
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

/// `GET /healthz` on `addr` (an unspecified address is asked on loopback), over plain
/// HTTP/1.0 with a 5-second limit: `Ok` on a 200.
pub async fn healthcheck(mut addr: SocketAddr) -> anyhow::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    if addr.ip().is_unspecified() {
        addr.set_ip(if addr.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    let ask = async {
        let mut tcp = tokio::net::TcpStream::connect(addr).await?;
        tcp.write_all(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n")
            .await?;
        let mut head = vec![0u8; 64];
        let n = tcp.read(&mut head).await?;
        anyhow::Ok(String::from_utf8_lossy(&head[..n]).into_owned())
    };
    let head = tokio::time::timeout(std::time::Duration::from_secs(5), ask)
        .await
        .context("no answer within 5 seconds")??;
    let status = head.split_whitespace().nth(1).unwrap_or("");
    if status == "200" {
        Ok(())
    } else {
        bail!("GET /healthz on {addr} answered {status:?}")
    }
}

/// Runs the command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Healthcheck = command {
        let addr = leptos_options().site_addr;
        return match healthcheck(addr).await {
            Ok(()) => Ok(()),
            Err(e) => {
                eprintln!("unhealthy: {e}");
                std::process::exit(1);
            }
        };
    }
    let json = cli.log_json || std::env::var("WARD_LOG_FORMAT").is_ok_and(|v| v == "json");
    let telemetry = telemetry::init(json, matches!(command, Command::Serve));
    let config = Config::from_env()?;
    ward_core::audit::install_key(ChainKey::new(config.audit_key.as_bytes()));
    match command {
        Command::Serve => {
            let leptos = leptos_options();
            let addr = leptos.site_addr;
            config.check_listen(addr)?;
            if config.trust_proxy_legacy
                && config.trusted_proxies == ward_core::proxies::IpRange::loopback()
            {
                tracing::warn!(
                    "WARD_TRUST_PROXY=true now trusts only a proxy on loopback: list your \
                     proxies in WARD_TRUSTED_PROXIES (addresses and CIDR ranges)"
                );
            }
            let ward = Ward::start(config).await?;
            let app = Application::build(ward, leptos, addr).await?;
            if telemetry.exporting() {
                tracing::info!("exporting traces over OTLP");
            }
            app.run_until_stopped(shutdown_signal()).await?;
            telemetry.shutdown().await;
        }
        Command::Healthcheck => unreachable!("answered above"),
        Command::Migrate => {
            let db = ward_core::db::connect(&config.database_url).await?;
            ward_core::db::migrate(&db).await?;
            println!("migrations applied");
        }
        Command::SeedDemo => {
            if config.is_production() {
                bail!("WARD_ENV=production never creates demo users");
            }
            let db = ward_core::db::connect(&config.database_url).await?;
            ward_core::db::migrate(&db).await?;
            let u = ward_core::clinical::demo::seed_users(&db).await?;
            let p = ward_core::clinical::demo::seed_patients(&db).await?;
            ward_core::clinical::demo::seed_missing_records(&db).await?;
            println!("created {u} demo users and {p} demo patients");
        }
        Command::CreateUser {
            username,
            display_name,
            roles,
            unit,
            patients,
        } => {
            let password = read_secret("WARD_NEW_PASSWORD")?;
            let db = ward_core::db::connect(&config.database_url).await?;
            ward_core::db::migrate(&db).await?;
            let id = users::create_user(
                &db,
                users::NewUser {
                    display_name: display_name.unwrap_or_else(|| username.clone()),
                    username,
                    password,
                    roles: Roles::new(roles),
                    unit,
                    superuser: false,
                    patients,
                },
                // The command line's record: the operator's account on the host, if known.
                Some(cli_entry(AuditAction::UserAdmin, Outcome::Ok)),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.message))?;
            println!("created user #{id}");
        }
        Command::HashPassword => {
            let pw = read_secret("WARD_NEW_PASSWORD")?;
            println!("{}", password::hash(&pw).0);
        }
        Command::ImportFhir { paths, json } => {
            let db = ward_core::db::connect(&config.database_url).await?;
            ward_core::db::migrate(&db).await?;
            let audit = |outcome, reason: String| {
                let mut e = cli_entry(AuditAction::DataImport, outcome);
                e.reason = Some(reason);
                e
            };
            // The start is audited before anything is written: no audit, no import.
            ward_core::audit::append(
                &db,
                audit(
                    Outcome::Ok,
                    format!("import-fhir started: {} path(s)", paths.len()),
                ),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.message))?;
            let result = ward_core::clinical::fhir::import_paths(&db, &paths).await;
            let (outcome, summary) = match &result {
                Ok(r) => (
                    if r.nothing_imported() {
                        Outcome::Error
                    } else {
                        Outcome::Ok
                    },
                    ward_core::clinical::fhir::audit_summary(r),
                ),
                Err(e) => (
                    Outcome::Error,
                    format!(
                        "stopped ({:?}) after {}",
                        e.kind(),
                        ward_core::clinical::fhir::audit_summary(&e.before)
                    ),
                ),
            };
            ward_core::audit::append(&db, audit(outcome, format!("import-fhir: {summary}")))
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message))?;
            let report = match result {
                Ok(r) => r,
                Err(e) => {
                    eprint!("{}", e.before);
                    bail!("import stopped: {e}");
                }
            };
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{report}");
            }
            if report.nothing_imported() {
                eprintln!("nothing could be imported");
                std::process::exit(1);
            }
        }
        Command::Audit {
            action: AuditCommand::Verify { checkpoints },
        } => {
            let exported = match &checkpoints {
                Some(path) => read_checkpoints(path)?,
                None => vec![],
            };
            let db = ward_core::db::connect(&config.database_url).await?;
            ward_core::db::migrate(&db).await?;
            let report =
                ward_core::audit::verify_with(&db, &ward_core::audit::key(), exported).await?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            if !report.ok {
                std::process::exit(1);
            }
        }
        Command::Audit {
            action: AuditCommand::Checkpoint { export },
        } => {
            let db = ward_core::db::connect(&config.database_url).await?;
            ward_core::db::migrate(&db).await?;
            match ward_core::audit::checkpoint(&db, false)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message))?
            {
                Some(cp) => println!("{}", serde_json::to_string(&cp)?),
                None => eprintln!("the audit trail is empty: nothing to sign"),
            }
            if let Some(path) = export {
                let all = ward_core::audit::checkpoints(&db)
                    .await
                    .map_err(|e| anyhow::anyhow!("{}", e.message))?;
                let mut text = String::new();
                for cp in &all {
                    text.push_str(&serde_json::to_string(cp)?);
                    text.push('\n');
                }
                std::fs::write(&path, text)
                    .with_context(|| format!("writing {}", path.display()))?;
                eprintln!("{} checkpoint(s) written to {}", all.len(), path.display());
            }
        }
        Command::PhiEval { file } => {
            let detector = ward_phi::Detector::new(ward_phi::KnownIdentifiers::new());
            let report = ward_phi::eval::evaluate_file(&detector, &file)?;
            print!("{report}");
        }
    }
    Ok(())
}
