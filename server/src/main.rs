//! `pt-server`: parses the command line, opens the store, serves.

use anyhow::Context;
use axum::http::HeaderValue;
use clap::{Parser, ValueEnum};
use pt_actors::domain::settings::{DEFAULT_HOLD_MINUTES, MAX_HOLD_MINUTES};
use pt_actors::store::Store;
use pt_actors::store::postgres::{AppLogin, PgStore};
use pt_actors::store::sqlite::SqliteStore;
use pt_actors::writer::WriterConfig;
use pt_actors::{EngineConfig, Registry};
use pt_server::auth::oidc::OidcConfig;
use pt_server::auth::password::PasswordHasher;
use pt_server::auth::service::AuthService;
use pt_server::auth::tokens::AccessTokens;
use pt_server::edge::{self, EdgeConfig, RateLimit};
use pt_server::{AppState, ServeConfig, run_with};
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;
use tracing_subscriber::EnvFilter;

/// Production Tool server: realtime booking and scheduling for creative studios.
///
/// Serves the REST API under /api/v1 (OpenAPI at /api/v1/openapi.json),
/// /healthz and /readyz, and the web app (scheduler board) at /. Stores its
/// data in PostgreSQL when --database-url (DATABASE_URL) is given, else in an
/// embedded SQLite file under --data-dir.
/// Every API request and WebSocket carries a bearer token (see /api/v1/auth);
/// the token picks the studio and the role.
#[derive(Parser, Debug)]
#[command(version, about, long_about)]
struct Cli {
    /// Address to listen on (port 0 picks a free port; the log says which).
    #[arg(long, env = "PT_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,

    /// PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/production_tool.
    /// Without it, the embedded store under --data-dir is used. Its role owns the
    /// schema and runs the migrations at start (it may create roles); the server
    /// itself connects as the app role (--app-database-url).
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,

    /// PostgreSQL URL the server's connections use: a role that is not a
    /// superuser, has no BYPASSRLS and owns no table, so row-level security
    /// binds it (the server refuses to start otherwise). Default: --database-url
    /// with its user replaced by pt_app, the role the migrations create.
    #[arg(long, env = "PT_APP_DATABASE_URL", hide_env_values = true)]
    app_database_url: Option<String>,

    /// Password of the app role when its URL has none (with password
    /// authentication: ALTER ROLE pt_app PASSWORD '…' once, then set this).
    #[arg(long, env = "PT_APP_DATABASE_PASSWORD", hide_env_values = true)]
    app_database_password: Option<String>,

    /// Where the embedded store keeps its files when no PostgreSQL URL is given.
    #[arg(long, env = "PT_DATA_DIR", default_value = "./data")]
    data_dir: std::path::PathBuf,

    /// PostgreSQL connections in the pool.
    #[arg(long, env = "PT_DB_POOL", default_value_t = 16)]
    db_pool: u32,

    /// The default hold duration of studios signed up on this server (each
    /// studio then changes its own in its settings, `PATCH /studio`).
    #[arg(long, env = "PT_DEFAULT_HOLD_HOURS", default_value_t = DEFAULT_HOLD_MINUTES / 60,
        value_parser = clap::value_parser!(i64).range(1..=MAX_HOLD_MINUTES / 60))]
    default_hold_hours: i64,

    /// Per studio: changes accepted but not yet durable before new ones get 503 overloaded.
    #[arg(long, env = "PT_MAX_IN_FLIGHT", default_value_t = 20_000)]
    max_in_flight: u64,

    /// Most commands per database transaction (group commit).
    #[arg(long, env = "PT_MAX_BATCH", default_value_t = 1_024)]
    max_batch: usize,

    /// Snapshot a studio after this many changes (activation reads the newest
    /// snapshot plus the changes after it).
    #[arg(long, env = "PT_SNAPSHOT_EVERY", default_value_t = 10_000)]
    snapshot_every: u64,

    /// Stop (passivate) a studio nobody used for this many minutes; it restarts on next use.
    #[arg(long, env = "PT_IDLE_MINUTES", default_value_t = 15)]
    idle_minutes: u64,

    /// Seed the demo studio with artists and bookings (unless it has some) and
    /// its sign-ins: owner@, manager@ and freelancer@demo.studio, password
    /// demo-studio-2026.
    #[arg(long, env = "PT_DEMO")]
    demo: bool,

    /// Seconds a connection has to send a complete request head (request line
    /// and headers), counted from its start and again after each response: a
    /// client that sends half a request, or nothing, or idles on a keep-alive
    /// connection is closed after this.
    #[arg(long, env = "PT_HEADER_READ_TIMEOUT_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..))]
    header_read_timeout_secs: u64,

    /// On SIGTERM/Ctrl-C, after new connections stop: seconds open connections
    /// get to finish (requests in progress are answered, WebSockets get close
    /// code 1001, connections with no request yet close at once) before the
    /// rest are cut. Then the store is flushed (--shutdown-grace-secs).
    #[arg(long, env = "PT_DRAIN_SECS", default_value_t = 10)]
    drain_secs: u64,

    /// On SIGTERM/Ctrl-C, after the connections are closed (--drain-secs):
    /// seconds the store gets to take the last accepted changes. If it cannot
    /// (e.g. PostgreSQL is down), the server exits 1 and says so.
    #[arg(long, env = "PT_SHUTDOWN_GRACE_SECS", default_value_t = 30)]
    shutdown_grace_secs: u64,

    /// A browser origin allowed cross-origin access, e.g. https://studio.example
    /// (repeat the flag, or comma-separate in PT_CORS_ORIGINS). Without any,
    /// browsers get no cross-origin access.
    #[arg(long = "cors-origin", env = "PT_CORS_ORIGINS", value_delimiter = ',', value_parser = edge::parse_origin)]
    cors_origins: Vec<HeaderValue>,

    /// Requests per second each client IP may sustain (everything but /healthz
    /// and /readyz; a WebSocket counts once). 0 turns the limit off.
    #[arg(long, env = "PT_RATE_LIMIT_PER_SECOND", default_value_t = edge::API_PER_SECOND)]
    rate_limit_per_second: u32,

    /// Requests a client IP may send at once before the per-second rate applies.
    #[arg(long, env = "PT_RATE_LIMIT_BURST", default_value_t = edge::API_BURST)]
    rate_limit_burst: u32,

    /// Requests per second each bearer token (user or integration) may sustain,
    /// from any address. 0 turns the limit off.
    #[arg(long, env = "PT_USER_RATE_LIMIT_PER_SECOND", default_value_t = edge::API_PER_SECOND)]
    user_rate_limit_per_second: u32,

    /// Requests a bearer token may send at once before its per-second rate applies.
    #[arg(long, env = "PT_USER_RATE_LIMIT_BURST", default_value_t = edge::API_BURST)]
    user_rate_limit_burst: u32,

    /// Requests per minute each client IP may sustain under /api/v1/auth
    /// (on top of the general limit). 0 turns the limit off.
    #[arg(long, env = "PT_AUTH_RATE_LIMIT_PER_MINUTE", default_value_t = edge::AUTH_PER_MINUTE)]
    auth_rate_limit_per_minute: u32,

    /// Requests under /api/v1/auth a client IP may send at once.
    #[arg(long, env = "PT_AUTH_RATE_LIMIT_BURST", default_value_t = edge::AUTH_BURST)]
    auth_rate_limit_burst: u32,

    /// Count rate limits against the last address in X-Forwarded-For instead of
    /// the TCP peer. Only behind a reverse proxy that appends it; otherwise
    /// clients could spoof their way past the limits.
    #[arg(long, env = "PT_TRUST_X_FORWARDED_FOR")]
    trust_x_forwarded_for: bool,

    /// Secret that signs access tokens (at least 32 bytes). Without it, the
    /// embedded store keeps a generated one in <data-dir>/jwt-secret; with
    /// PostgreSQL a random one is used and sign-ins end when the server restarts.
    #[arg(long, env = "PT_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,

    /// The previous signing secret, still accepted while tokens signed with it
    /// expire (rotate by moving --jwt-secret here and setting a new one).
    #[arg(long, env = "PT_JWT_PREVIOUS_SECRET", hide_env_values = true)]
    jwt_previous_secret: Option<String>,

    /// argon2id memory cost for password hashes, in KiB (OWASP: 47104 = 46 MiB).
    /// Lower only on tiny machines or in tests.
    #[arg(long, env = "PT_ARGON2_MEMORY_KIB", default_value_t = PasswordHasher::M_COST_KIB)]
    argon2_memory_kib: u32,

    /// An external OpenID Connect provider (Auth0, Clerk, Keycloak …): a JSON
    /// file with issuer, audience, jwks ({"file": …} or {"url": …}) and claim
    /// mapping. See the README.
    #[arg(long, env = "PT_OIDC_CONFIG")]
    oidc_config: Option<std::path::PathBuf>,

    /// The built web app (scheduler board) served at `/`: `npm run build:web`
    /// in client-ts writes it. Without a build there, `/` says how to make one.
    #[arg(long, env = "PT_WEB_DIR", default_value = pt_server::web::DEFAULT_DIR)]
    web_dir: std::path::PathBuf,

    /// Log format.
    #[arg(long, env = "PT_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,

    #[command(flatten)]
    delivery: pt_server::delivery::cli::DeliveryArgs,
}

/// How often idle studios are looked for.
const PASSIVATION_SWEEP: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let filter = EnvFilter::try_from_env("PT_LOG").unwrap_or_else(|_| EnvFilter::new("info,tower_http=warn"));
    let fmt = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    match cli.log_format {
        LogFormat::Text => fmt.init(),
        LogFormat::Json => fmt.json().init(),
    }

    let store: Arc<dyn Store> = match cli.database_url.as_deref() {
        Some(url) => {
            // Migrates as DATABASE_URL's role, then checks the app role.
            let app = AppLogin { url: cli.app_database_url.clone(), password: cli.app_database_password.clone() };
            let store = PgStore::open(url, &app, cli.db_pool).await.context(
                "cannot start on PostgreSQL (migrations run as DATABASE_URL's role; the server connects as \
                 --app-database-url / PT_APP_DATABASE_URL, by default DATABASE_URL with the user pt_app)",
            )?;
            Arc::new(store)
        }
        None => {
            let dir = cli.data_dir.clone();
            let store = tokio::task::spawn_blocking(move || SqliteStore::open(&dir))
                .await?
                .with_context(|| format!("cannot open the embedded store in {}", cli.data_dir.display()))?;
            store.migrate().await.context("cannot apply migrations")?;
            Arc::new(store)
        }
    };

    let config = EngineConfig {
        max_in_flight: cli.max_in_flight,
        writer: WriterConfig {
            max_batch: cli.max_batch,
            linger: Duration::from_millis(2),
            snapshot_every: cli.snapshot_every,
            ..WriterConfig::default()
        },
        ..EngineConfig::default()
    };
    let registry = Arc::new(Registry::new(store.clone(), config));
    registry.spawn_passivation(Duration::from_secs(cli.idle_minutes.max(1) * 60), PASSIVATION_SWEEP);
    let tokens = access_tokens(&cli)?;
    let mut auth = AuthService::new(
        store.clone(),
        tokens,
        PasswordHasher::with_params(cli.argon2_memory_kib.max(8), PasswordHasher::T_COST, PasswordHasher::P_COST),
    )
    .with_new_studio_hold(cli.default_hold_hours * 60);
    if let Some(path) = &cli.oidc_config {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let config: OidcConfig = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a valid OIDC configuration", path.display()))?;
        auth = auth.with_oidc(config).await.context("cannot load the OIDC provider's keys")?;
    }
    let auth = Arc::new(auth);
    if cli.demo {
        pt_server::demo::seed(&registry).await.context("cannot seed the demo studio")?;
        pt_server::demo::seed_users(&registry, &auth).await.context("cannot create the demo sign-ins")?;
        pt_server::demo_jobs::seed(&registry).await.context("cannot post the demo job listings")?;
    }
    let listener =
        tokio::net::TcpListener::bind(&cli.listen).await.with_context(|| format!("cannot listen on {}", cli.listen))?;
    let mailer = cli.delivery.mailer().map_err(anyhow::Error::msg)?;
    let mut state = AppState::with_auth(registry, store.clone(), auth);
    let deliverer = pt_server::delivery::Deliverer {
        store,
        mailer,
        webhooks: cli.delivery.webhooks(),
        backoff: cli.delivery.backoff(),
        tick: cli.delivery.tick(),
    };
    deliverer.spawn(state.closing.clone());
    state.shutdown_grace = Duration::from_secs(cli.shutdown_grace_secs);
    if cli.web_dir.join("index.html").is_file() {
        tracing::info!(dir = %cli.web_dir.display(), "serving the web app at /");
    } else {
        tracing::warn!(dir = %cli.web_dir.display(), "no web app build there; / says how to build it (scripts/demo.sh does)");
    }
    state.web_dir = Some(cli.web_dir);
    state.edge = EdgeConfig {
        cors_origins: cli.cors_origins,
        api_limit: (cli.rate_limit_per_second > 0)
            .then(|| RateLimit::per_second(cli.rate_limit_per_second, cli.rate_limit_burst)),
        auth_limit: (cli.auth_rate_limit_per_minute > 0)
            .then(|| RateLimit::per_minute(cli.auth_rate_limit_per_minute, cli.auth_rate_limit_burst)),
        user_limit: (cli.user_rate_limit_per_second > 0)
            .then(|| RateLimit::per_second(cli.user_rate_limit_per_second, cli.user_rate_limit_burst)),
        trust_forwarded_for: cli.trust_x_forwarded_for,
    };
    let serve = ServeConfig {
        header_read_timeout: Duration::from_secs(cli.header_read_timeout_secs),
        drain: Duration::from_secs(cli.drain_secs),
    };
    run_with(listener, state, serve, shutdown_signal()).await
}

/// The access-token signer: the configured secret, else (embedded store) one
/// kept in the data directory, else a random one for this process.
fn access_tokens(cli: &Cli) -> anyhow::Result<AccessTokens> {
    let secret: Vec<u8> = match (&cli.jwt_secret, &cli.database_url) {
        (Some(s), _) => s.as_bytes().to_vec(),
        (None, None) => {
            let path = cli.data_dir.join("jwt-secret");
            match std::fs::read(&path) {
                Ok(s) => s,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    let mut s = [0u8; 32];
                    getrandom::fill(&mut s).context("no OS randomness")?;
                    let hex: String = s.iter().map(|b| format!("{b:02x}")).collect();
                    write_private(&path, hex.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
                    tracing::info!(path = %path.display(), "generated the access-token signing secret");
                    hex.into_bytes()
                }
                Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
            }
        }
        (None, Some(_)) => {
            tracing::warn!(
                "no --jwt-secret (PT_JWT_SECRET): using a random one; sign-ins end when this server restarts"
            );
            return Ok(AccessTokens::random());
        }
    };
    // The key id names the secret (a hash prefix), so a rotated-out secret
    // keeps the id its tokens carry.
    let kid = |s: &[u8]| -> String {
        use sha2::Digest;
        sha2::Sha256::digest(s)[..4].iter().map(|b| format!("{b:02x}")).collect()
    };
    let mut tokens = AccessTokens::new(&kid(&secret), &secret).context("--jwt-secret")?;
    if let Some(prev) = &cli.jwt_previous_secret {
        tokens = tokens.with_previous(&kid(prev.as_bytes()), prev.as_bytes()).context("--jwt-previous-secret")?;
    }
    Ok(tokens)
}

fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutdown requested");
}
