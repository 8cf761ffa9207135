//! The runtime role: who the store's pool logs in as, and the check that it
//! cannot get around row-level security.
//!
//! Migrations run with the owner URL (`DATABASE_URL`) on a connection of
//! their own; the pool logs in as [`APP_ROLE`] (or the role of an explicit
//! app URL). Every connection the pool opens is checked first
//! ([`AppManager`]): a role that is a superuser, has `BYPASSRLS`, could become
//! one (membership), or owns a tenant table is refused, so no statement of the
//! store — readiness and advisory locks included — runs past the policies.

use super::{CONNECT_TIMEOUT, StoreError, map_pg, with_source};
use bb8::ManageConnection;
use bb8_postgres::PostgresConnectionManager;
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Config, NoTls, Statement};

/// The role the migrations create for the server (0003) and let log in (0006).
pub const APP_ROLE: &str = "pt_app";

/// Every table whose rows belong to one tenant (FORCEd tenant policies). The
/// ownership check also covers any other table with row-level security.
pub const TENANT_TABLES: &[&str] = &[
    "tenants",
    "artists",
    "bookings",
    "events",
    "commands",
    "snapshots",
    "memberships",
    "invitations",
    "auth_sessions",
    "api_tokens",
    "calendar_feeds",
    "projects",
    "project_phases",
    "project_dependencies",
    "project_milestones",
    "notifications",
    "notification_preferences",
    "webhooks",
    "deliveries",
    "delivery_attempts",
    "job_listings",
    "job_applications",
    "saved_jobs",
];

/// How the runtime pool logs in.
#[derive(Clone, Default)]
pub struct AppLogin {
    /// A URL of its own. Without it, the owner URL with its user replaced by
    /// [`APP_ROLE`] (same host, port, database and options).
    pub url: Option<String>,
    /// The runtime role's password, when its URL carries none (without either,
    /// no password is sent: enough under `trust`, peer or cert authentication).
    pub password: Option<String>,
}

impl AppLogin {
    /// From `PT_APP_DATABASE_URL` and `PT_APP_DATABASE_PASSWORD` (the
    /// server's own variables), for code that opens a store without the
    /// server's command line: tests, examples, the load-test audit.
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Self { url: var("PT_APP_DATABASE_URL"), password: var("PT_APP_DATABASE_PASSWORD") }
    }
}

impl std::fmt::Debug for AppLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // URLs may carry passwords.
        f.debug_struct("AppLogin")
            .field("url", &self.url.as_ref().map(|_| "…"))
            .field("password", &self.password.as_ref().map(|_| "…"))
            .finish()
    }
}

/// Defaults every connection of the store gets unless its URL says otherwise.
pub(super) fn with_defaults(mut config: Config) -> Config {
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    if config.get_application_name().is_none() {
        config.application_name("production-tool");
    }
    config
}

pub(super) fn parse_url(url: &str, what: &str) -> Result<Config, StoreError> {
    url.parse::<Config>().map(with_defaults).map_err(|e| StoreError::Other(format!("invalid {what}: {e}")))
}

/// The runtime pool's configuration, from the owner's and `app`.
pub(super) fn app_config(owner: &Config, app: &AppLogin) -> Result<Config, StoreError> {
    let mut config = match &app.url {
        Some(url) => parse_url(url, "app database URL")?,
        None => {
            let mut c = owner.clone();
            c.user(APP_ROLE);
            // Never the owner's password: the app role's, or an empty one
            // (tokio-postgres cannot unset it; it is only sent when asked for).
            c.password(app.password.as_deref().unwrap_or(""));
            c
        }
    };
    if let (Some(pw), None) = (&app.password, config.get_password()) {
        config.password(pw.as_str());
    }
    if config.get_user().is_none() {
        return Err(StoreError::Other("the app database URL names no user".into()));
    }
    Ok(config)
}

/// What a session's role may do around row-level security.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRole {
    /// `current_user`.
    pub user: String,
    /// `rolsuper`: superusers ignore every policy.
    pub superuser: bool,
    /// `rolbypassrls`.
    pub bypass_rls: bool,
    /// Superuser or `BYPASSRLS` roles it belongs to (and could `SET ROLE` to).
    pub privileged_memberships: Vec<String>,
    /// Tenant tables (and any other table with row-level security, on the
    /// search path) it owns, itself or through a role it belongs to: an owner
    /// could turn the policies off.
    pub owned_tables: Vec<String>,
}

impl SessionRole {
    /// Reads the session's role on `client`.
    pub(super) async fn of(client: &Client) -> Result<SessionRole, tokio_postgres::Error> {
        let row = client
            .query_one(
                "SELECT current_user::text, r.rolsuper, r.rolbypassrls,
                        ARRAY(SELECT p.rolname::text FROM pg_roles p
                              WHERE (p.rolsuper OR p.rolbypassrls) AND p.oid <> r.oid
                                AND pg_has_role(r.oid, p.oid, 'MEMBER')
                              ORDER BY 1),
                        ARRAY(SELECT c.relname::text FROM pg_class c
                              WHERE c.relkind IN ('r', 'p')
                                AND (c.relrowsecurity OR c.relname = ANY ($1::text[]))
                                AND c.relnamespace IN
                                    (SELECT oid FROM pg_namespace WHERE nspname = ANY (current_schemas(false)))
                                AND pg_has_role(r.oid, c.relowner, 'MEMBER')
                              ORDER BY 1)
                 FROM pg_roles r WHERE r.rolname = current_user",
                &[&TENANT_TABLES],
            )
            .await?;
        Ok(SessionRole {
            user: row.try_get(0)?,
            superuser: row.try_get(1)?,
            bypass_rls: row.try_get(2)?,
            privileged_memberships: row.try_get(3)?,
            owned_tables: row.try_get(4)?,
        })
    }

    /// Why this role must not run the store, if it must not.
    pub fn refusal(&self) -> Option<String> {
        let mut why = Vec::new();
        if self.superuser {
            why.push("it is a superuser".to_owned());
        } else {
            if self.bypass_rls {
                why.push("it has BYPASSRLS".to_owned());
            }
            if !self.privileged_memberships.is_empty() {
                why.push(format!(
                    "it is a member of {} (superuser or BYPASSRLS)",
                    self.privileged_memberships.join(", ")
                ));
            }
            if !self.owned_tables.is_empty() {
                why.push(format!("it owns {}", self.owned_tables.join(", ")));
            }
        }
        if why.is_empty() {
            return None;
        }
        Some(format!(
            "refusing to run the store as PostgreSQL role \"{}\": {}, so row-level security would not bind it. \
             The runtime connection must log in as a role that is not a superuser, has no BYPASSRLS, belongs to no \
             such role and owns none of the tables: `{APP_ROLE}`, which the migrations create (the default: the \
             database URL with its user replaced by {APP_ROLE}), or a role of your own that is granted {APP_ROLE}",
            self.user,
            why.join("; ")
        ))
    }
}

/// Why the pool could not get a connection.
#[derive(Debug)]
pub(super) enum ConnectError {
    /// Connecting, logging in or the check query failed.
    Pg(tokio_postgres::Error),
    /// The role logged in, but may bypass row-level security ([`SessionRole::refusal`]).
    Refused(String),
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectError::Pg(e) => f.write_str(&with_source(e)),
            ConnectError::Refused(m) => f.write_str(m),
        }
    }
}

impl ConnectError {
    /// The server refused the login itself (SQLSTATE class 28).
    pub(super) fn login_refused(&self) -> Option<&SqlState> {
        match self {
            ConnectError::Pg(e) => e.code().filter(|c| c.code().starts_with("28")),
            ConnectError::Refused(_) => None,
        }
    }

    pub(super) fn into_store_error(self, user: &str) -> StoreError {
        if let Some(code) = self.login_refused() {
            let hint = if *code == SqlState::INVALID_PASSWORD {
                format!(
                    "with password authentication, set one (ALTER ROLE {APP_ROLE} PASSWORD '…') and pass it in \
                     PT_APP_DATABASE_PASSWORD or the app database URL"
                )
            } else {
                format!("the migrations create {APP_ROLE} and let it log in; run them first")
            };
            let message = match &self {
                ConnectError::Pg(e) => e.as_db_error().map_or_else(|| e.to_string(), |d| d.message().to_owned()),
                ConnectError::Refused(m) => m.clone(),
            };
            return StoreError::Other(format!(
                "cannot log in to PostgreSQL as the runtime role \"{user}\": {message} ({}); {hint}",
                code.code()
            ));
        }
        match self {
            ConnectError::Pg(e) => map_pg(e),
            ConnectError::Refused(m) => StoreError::Other(m),
        }
    }
}

/// bb8's PostgreSQL manager, plus the role check on every new connection.
#[derive(Clone)]
pub(super) struct AppManager {
    inner: PostgresConnectionManager<NoTls>,
}

impl AppManager {
    pub(super) fn new(config: Config) -> AppManager {
        AppManager { inner: PostgresConnectionManager::new(config, NoTls) }
    }
}

/// A pooled connection: the client, and the statements prepared on it.
///
/// The write path's bulk statements (`write::append`) are prepared once per
/// connection instead of once per batch: a batch then costs no Parse round
/// trip and no planning of its three `INSERT … SELECT … FROM UNNEST`.
pub struct AppClient {
    client: Client,
    prepared: std::sync::Mutex<std::collections::HashMap<&'static str, Statement>>,
    /// Set by [`AppClient::retire`]: the pool closes this connection instead
    /// of keeping it.
    retired: std::sync::atomic::AtomicBool,
}

impl AppClient {
    /// `sql` prepared on this connection (once; later calls answer from the cache).
    pub(super) async fn prepared(&self, sql: &'static str) -> Result<Statement, tokio_postgres::Error> {
        if let Some(st) = self.prepared.lock().unwrap_or_else(|e| e.into_inner()).get(sql) {
            return Ok(st.clone());
        }
        let st = self.client.prepare(sql).await?;
        self.prepared.lock().unwrap_or_else(|e| e.into_inner()).insert(sql, st.clone());
        Ok(st)
    }

    /// Close this connection when it goes back to the pool. For a connection
    /// that carried a whole studio (activation, snapshots): its protocol
    /// buffers grew to the size of the largest message and never shrink, so
    /// kept in the pool it would hold tens of megabytes for nothing.
    pub(super) fn retire(&self) {
        self.retired.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

impl std::ops::Deref for AppClient {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

impl std::ops::DerefMut for AppClient {
    fn deref_mut(&mut self) -> &mut Client {
        &mut self.client
    }
}

impl ManageConnection for AppManager {
    type Connection = AppClient;
    type Error = ConnectError;

    async fn connect(&self) -> Result<AppClient, ConnectError> {
        let client = self.inner.connect().await.map_err(ConnectError::Pg)?;
        let role = SessionRole::of(&client).await.map_err(ConnectError::Pg)?;
        match role.refusal() {
            Some(why) => Err(ConnectError::Refused(why)),
            None => Ok(AppClient { client, prepared: Default::default(), retired: Default::default() }),
        }
    }

    async fn is_valid(&self, conn: &mut AppClient) -> Result<(), ConnectError> {
        self.inner.is_valid(&mut conn.client).await.map_err(ConnectError::Pg)
    }

    fn has_broken(&self, conn: &mut AppClient) -> bool {
        conn.retired.load(std::sync::atomic::Ordering::Relaxed) || self.inner.has_broken(&mut conn.client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_url_is_derived_from_the_owner_url() {
        let owner = parse_url("postgres://postgres:secret@db.example:6543/prod?application_name=x", "u").unwrap();
        let c = app_config(&owner, &AppLogin::default()).unwrap();
        assert_eq!(c.get_user(), Some(APP_ROLE));
        assert_eq!(c.get_password(), Some(&b""[..]), "never the owner's password");
        assert_eq!(c.get_dbname(), Some("prod"));
        assert_eq!(c.get_ports(), &[6543]);
        assert_eq!(c.get_application_name(), Some("x"));

        let app = AppLogin { url: None, password: Some("p".into()) };
        assert_eq!(app_config(&owner, &app).unwrap().get_password(), Some(&b"p"[..]));

        let app = AppLogin { url: Some("postgres://runner@h/other".into()), password: Some("p".into()) };
        let c = app_config(&owner, &app).unwrap();
        assert_eq!((c.get_user(), c.get_dbname(), c.get_password()), (Some("runner"), Some("other"), Some(&b"p"[..])));
        let app = AppLogin { url: Some("postgres://runner:own@h/other".into()), password: Some("p".into()) };
        assert_eq!(app_config(&owner, &app).unwrap().get_password(), Some(&b"own"[..]));
        assert!(format!("{app:?}").find("own").is_none(), "Debug hides secrets");
    }

    #[test]
    fn a_privileged_role_is_refused_with_its_reasons() {
        let ok = SessionRole {
            user: "pt_app".into(),
            superuser: false,
            bypass_rls: false,
            privileged_memberships: vec![],
            owned_tables: vec![],
        };
        assert_eq!(ok.refusal(), None);
        let su = SessionRole { user: "postgres".into(), superuser: true, ..ok.clone() };
        let m = su.refusal().unwrap();
        assert!(m.contains("\"postgres\"") && m.contains("superuser") && m.contains(APP_ROLE), "{m}");
        let owner = SessionRole { bypass_rls: true, owned_tables: vec!["bookings".into()], ..ok.clone() };
        let m = owner.refusal().unwrap();
        assert!(m.contains("BYPASSRLS") && m.contains("owns bookings"), "{m}");
        let member = SessionRole { privileged_memberships: vec!["admin".into()], ..ok };
        assert!(member.refusal().unwrap().contains("member of admin"));
    }
}
