//! PostgreSQL store: the event log, command outcomes and projection tables of
//! every tenant, behind [`Store`].
//!
//! * Schema: `migrations/*.sql`, embedded in the binary and applied by
//!   [`Store::migrate`] (one transaction per migration, serialized across
//!   servers by an advisory lock, recorded in `pt_schema_migrations`), as the
//!   owner URL's role on a connection of its own.
//! * Roles: the pool logs in as `pt_app` (or an explicit app URL's role), and
//!   every connection it opens is checked first: never a superuser, a
//!   `BYPASSRLS` role or an owner of a tenant table ([`runtime`]). A server
//!   starts with [`PgStore::open`]: connect, migrate, check the runtime role.
//! * Writes: [`Store::append`] persists a whole batch in one transaction with
//!   bulk `UNNEST` statements: events, commands, then the last state of every
//!   touched artist and booking (artists first: bookings reference them).
//! * Activation: [`Store::load_tenant`] reads, in one REPEATABLE READ
//!   read-only transaction, the newest snapshot plus the events after it; with
//!   no snapshot, or one that fails its checksum, it reads the projections.
//!   [`Store::save_snapshot`] keeps the two newest snapshots per tenant.
//! * Every transaction sets `app.current_tenant` first, so row-level security
//!   can key off it, and every query also filters by `tenant_id` explicitly.
//!   What belongs to no tenant (users, a token's tenant by its hash, a
//!   user's studios at login) runs in [`global_tx`]. Both also `SET ROLE
//!   pt_app` for the transaction: a no-op when the pool logs in as pt_app,
//!   and what confines a login role of the operator's own (granted pt_app) to
//!   exactly pt_app's privileges.
//!   Identity rows: `auth.rs`.
//! * Errors: integrity violations (SQLSTATE class 23, e.g. the `23P01` of the
//!   double-booking exclusion constraint) are [`StoreError::Rejected`]; a lost
//!   or unreachable server is [`StoreError::Unavailable`]; the rest is `Other`.

use super::{CommandRecord, Store, StoreError, StoredCommand, TenantState, snapshot};
use async_trait::async_trait;
use bb8::{ErrorSink, ManageConnection, Pool, PooledConnection, RunError};
use chrono::{DateTime, Utc};
use pt_protocol::{Artist, ArtistId, Booking, BookingId, BookingStatus, CmdId, EventEnvelope, TenantId, Timestamp};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_postgres::error::SqlState;
use tokio_postgres::{IsolationLevel, NoTls, Row, Transaction};
use uuid::Uuid;

type Conn<'a> = PooledConnection<'a, AppManager>;

/// One embedded schema change. Versions only grow; a released file never changes.
struct Migration {
    version: i32,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "init", sql: include_str!("../../../../migrations/0001_init.sql") },
    Migration { version: 2, name: "snapshots", sql: include_str!("../../../../migrations/0002_snapshots.sql") },
    Migration {
        version: 3,
        name: "row_level_security",
        sql: include_str!("../../../../migrations/0003_row_level_security.sql"),
    },
    Migration { version: 4, name: "identity", sql: include_str!("../../../../migrations/0004_identity.sql") },
    Migration { version: 5, name: "time_off", sql: include_str!("../../../../migrations/0005_time_off.sql") },
    Migration { version: 6, name: "app_login", sql: include_str!("../../../../migrations/0006_app_login.sql") },
    Migration { version: 7, name: "users_rls", sql: include_str!("../../../../migrations/0007_users_rls.sql") },
];

/// Snapshots kept per tenant: the newest, and one before it.
const KEEP_SNAPSHOTS: i64 = 2;

/// Key of the transaction-scoped advisory lock that serializes migrations of
/// concurrently starting servers ("pt_migra" in ASCII). Advisory locks are per
/// database, so servers of different databases never wait on each other.
const MIGRATION_LOCK_KEY: i64 = 0x7074_5f6d_6967_7261;

/// How long a caller waits for a pooled connection (or for a new one to be
/// established) before the store reports itself unavailable.
const POOL_WAIT: Duration = Duration::from_secs(10);

/// Fallback for URLs that name no `connect_timeout`, so a dead host fails fast.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The PostgreSQL [`Store`]: a bb8 pool of tokio-postgres connections that
/// log in as the runtime role, and the owner's configuration for migrations.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool<AppManager>,
    /// Connects as the runtime role, checked (as the pool does).
    manager: AppManager,
    /// The runtime role's login name, for messages.
    app_user: Arc<str>,
    /// The owner URL's configuration: migrations only.
    owner: Arc<tokio_postgres::Config>,
    last_error: LastConnectError,
}

/// Remembers why the pool last failed to connect (bb8 retries in the
/// background and only reports a timeout), so `Unavailable` can say why.
#[derive(Clone, Debug, Default)]
struct LastConnectError(Arc<Mutex<Option<String>>>);

impl LastConnectError {
    fn get(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl ErrorSink<ConnectError> for LastConnectError {
    fn sink(&self, e: ConnectError) {
        let e = e.to_string();
        tracing::warn!(error = %e, "database connection failed");
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
    }

    fn boxed_clone(&self) -> Box<dyn ErrorSink<ConnectError>> {
        Box::new(self.clone())
    }
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("app_user", &self.app_user).field("pool", &self.pool.state()).finish()
    }
}

impl PgStore {
    /// [`PgStore::connect_with`] the runtime login of the environment
    /// ([`AppLogin::from_env`]): `url` with its user replaced by `pt_app`,
    /// unless `PT_APP_DATABASE_URL` or `PT_APP_DATABASE_PASSWORD` say more.
    pub async fn connect(url: &str, pool_size: u32) -> Result<PgStore, StoreError> {
        Self::connect_with(url, &AppLogin::from_env(), pool_size).await
    }

    /// Checks that the owner URL `url` answers (a wrong URL or a dead server
    /// fails here with its real error) and sets up a pool of at most
    /// `pool_size` connections that log in as `app`'s role. The pool connects
    /// lazily (before [`Store::migrate`] that role may not exist yet) and
    /// checks every connection it makes ([`runtime`]). Does not migrate.
    pub async fn connect_with(url: &str, app: &AppLogin, pool_size: u32) -> Result<PgStore, StoreError> {
        let owner = runtime::parse_url(url, "database URL")?;
        let app_config = runtime::app_config(&owner, app)?;
        let app_user: Arc<str> = app_config.get_user().unwrap_or(APP_ROLE).into();
        drop(owner_connection(&owner).await?);
        let manager = AppManager::new(app_config);
        let last_error = LastConnectError::default();
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            .connection_timeout(POOL_WAIT)
            .error_sink(Box::new(last_error.clone()))
            .build_unchecked(manager.clone());
        Ok(PgStore { pool, manager, app_user, owner: Arc::new(owner), last_error })
    }

    /// What a server starts with: connects, applies the migrations (as the
    /// owner), then logs in as the runtime role, refusing it — with an error
    /// that names the role and the fix — if it is a superuser, has
    /// `BYPASSRLS`, belongs to such a role or owns a tenant table.
    pub async fn open(url: &str, app: &AppLogin, pool_size: u32) -> Result<PgStore, StoreError> {
        let store = Self::connect_with(url, app, pool_size).await?;
        store.migrate().await?;
        let client = store.manager.connect().await.map_err(|e| e.into_store_error(&store.app_user))?;
        let _ = store.pool.add(client);
        tracing::info!(role = %store.app_user, "PostgreSQL runtime role checked: row-level security binds it");
        Ok(store)
    }

    /// The role of the pool's sessions, as PostgreSQL sees it.
    pub async fn runtime_role(&self) -> Result<SessionRole, StoreError> {
        let conn = self.conn().await?;
        SessionRole::of(&conn).await.map_err(map_pg)
    }

    /// The login name of the runtime role.
    pub fn app_user(&self) -> &str {
        &self.app_user
    }

    /// The schema version this build migrates to.
    pub fn schema_version() -> i32 {
        Self::latest_version()
    }

    async fn conn(&self) -> Result<Conn<'_>, StoreError> {
        self.pool.get().await.map_err(|e| match e {
            RunError::User(e) => e.into_store_error(&self.app_user),
            RunError::TimedOut => StoreError::Unavailable(match self.last_error.get() {
                Some(cause) => format!("timed out waiting for a database connection (last error: {cause})"),
                None => "timed out waiting for a database connection".to_owned(),
            }),
        })
    }

    /// With no connection in the pool yet, makes one directly: a failure comes
    /// back at once with its cause rather than after the pool's wait.
    async fn first_conn(&self) -> Result<(), ConnectError> {
        if self.pool.state().connections == 0 {
            let client = self.manager.connect().await?;
            let _ = self.pool.add(client);
        }
        Ok(())
    }

    /// The version of the newest embedded migration.
    fn latest_version() -> i32 {
        MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0)
    }
}

/// Begins a transaction scoped to `tenant` (sets `app.current_tenant` for RLS).
/// The per-tenant write lock: every `append` transaction holds it until COMMIT;
/// `load_tenant` takes it (as a session lock) before reading, so it never reads
/// around a write still in flight. (It is also what a multi-node deployment
/// builds tenant ownership on.)
const TENANT_XACT_LOCK: &str = "SELECT pg_advisory_xact_lock(hashtextextended($1, 7919))";
const TENANT_LOCK: &str = "SELECT pg_advisory_lock(hashtextextended($1, 7919))";
const TENANT_UNLOCK: &str = "SELECT pg_advisory_unlock(hashtextextended($1, 7919))";

async fn tenant_tx<'c>(
    conn: &'c mut Conn<'_>,
    tenant: TenantId,
    read_only: bool,
) -> Result<Transaction<'c>, StoreError> {
    let tx = if read_only {
        // Repeatable read: a multi-statement read (load_tenant) sees one snapshot.
        conn.build_transaction().isolation_level(IsolationLevel::RepeatableRead).read_only(true).start().await
    } else {
        conn.transaction().await
    }
    .map_err(map_pg)?;
    // Data is read and written as `pt_app`, under row-level security, for one
    // tenant (migration 0003). Both settings end with the transaction.
    tx.execute(
        "SELECT set_config('role', 'pt_app', true), set_config('app.current_tenant', $1, true)",
        &[&tenant.to_string()],
    )
    .await
    .map_err(map_pg)?;
    Ok(tx)
}

/// Begins a transaction that belongs to no tenant, for the global identity
/// tables (users, the token index) and, with `user` set, that user's
/// memberships in every studio (`app.current_user`, migration 0004). Like
/// [`tenant_tx`] it runs as `pt_app`: tenant tables show it nothing else.
async fn global_tx<'c>(
    conn: &'c mut Conn<'_>,
    user: Option<pt_protocol::ids::UserId>,
    read_only: bool,
) -> Result<Transaction<'c>, StoreError> {
    let tx = conn.build_transaction().read_only(read_only).start().await.map_err(map_pg)?;
    tx.execute(
        "SELECT set_config('role', 'pt_app', true), set_config('app.current_user', $1, true)",
        &[&user.map(|u| u.to_string()).unwrap_or_default()],
    )
    .await
    .map_err(map_pg)?;
    Ok(tx)
}

mod auth;
mod read;
mod rows;
pub mod runtime;
pub mod testing;
mod write;

pub use runtime::{APP_ROLE, AppLogin, SessionRole, TENANT_TABLES};
use runtime::{AppManager, ConnectError};

/// A connection as the owner URL's role (migrations), outside the pool.
async fn owner_connection(config: &tokio_postgres::Config) -> Result<tokio_postgres::Client, StoreError> {
    let (client, connection) = config.connect(NoTls).await.map_err(map_pg)?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "owner connection ended");
        }
    });
    Ok(client)
}

use read::*;
use rows::*;
use write::*;

#[async_trait]
impl Store for PgStore {
    async fn save_snapshot(&self, tenant: TenantId, state: &TenantState) -> Result<(), StoreError> {
        let payload = snapshot::encode(state)?;
        let seq = to_i64(state.last_seq, "seq")?;
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, false).await?;
        tx.execute(
            "INSERT INTO snapshots (tenant_id, seq, payload) VALUES ($1, $2, $3)
             ON CONFLICT (tenant_id, seq) DO UPDATE SET payload = EXCLUDED.payload, taken_at = now()",
            &[&tenant.0, &seq, &payload],
        )
        .await
        .map_err(map_pg)?;
        tx.execute(
            "DELETE FROM snapshots WHERE tenant_id = $1 AND seq NOT IN
                 (SELECT seq FROM snapshots WHERE tenant_id = $1 ORDER BY seq DESC LIMIT $2)",
            &[&tenant.0, &KEEP_SNAPSHOTS],
        )
        .await
        .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)
    }

    async fn snapshot_seq(&self, tenant: TenantId) -> Result<u64, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let seq: i64 = tx
            .query_one("SELECT coalesce(max(seq), 0) FROM snapshots WHERE tenant_id = $1", &[&tenant.0])
            .await
            .map_err(map_pg)?
            .try_get(0)
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        to_u64(seq, "seq")
    }

    fn kind(&self) -> &'static str {
        "postgres"
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        // As the owner, on a connection of its own (closed when done).
        let mut conn = owner_connection(&self.owner).await?;
        // Every step takes the lock first: even `CREATE TABLE IF NOT EXISTS`
        // fails with a unique violation when two sessions race it.
        let tx = conn.transaction().await.map_err(map_pg)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK_KEY]).await.map_err(map_pg)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS pt_schema_migrations (
                 version    int PRIMARY KEY,
                 name       text NOT NULL,
                 applied_at timestamptz NOT NULL DEFAULT now()
             )",
        )
        .await
        .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;

        for m in MIGRATIONS {
            let tx = conn.transaction().await.map_err(map_pg)?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK_KEY]).await.map_err(map_pg)?;
            let applied = tx
                .query_opt("SELECT 1 FROM pt_schema_migrations WHERE version = $1", &[&m.version])
                .await
                .map_err(map_pg)?
                .is_some();
            if !applied {
                let failed = |e: tokio_postgres::Error| match map_pg(e) {
                    StoreError::Unavailable(e) => StoreError::Unavailable(e),
                    e => StoreError::Other(format!("migration {} ({}) failed: {e}", m.version, m.name)),
                };
                tx.batch_execute(m.sql).await.map_err(failed)?;
                tx.execute("INSERT INTO pt_schema_migrations (version, name) VALUES ($1, $2)", &[&m.version, &m.name])
                    .await
                    .map_err(map_pg)?;
                tracing::info!(version = m.version, name = m.name, "applied migration");
            }
            tx.commit().await.map_err(map_pg)?;
        }
        Ok(())
    }

    async fn ready(&self) -> Result<(), StoreError> {
        let latest = Self::latest_version();
        if let Err(e) = self.first_conn().await {
            // Before the migrations, the runtime role may not exist or log in yet.
            return Err(match e.login_refused() {
                Some(code) if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => StoreError::Other(format!(
                    "migrations not applied? (this build expects version {latest}) {}",
                    e.into_store_error(&self.app_user)
                )),
                _ => e.into_store_error(&self.app_user),
            });
        }
        let conn = self.conn().await?;
        // The runtime role may read the table from version 6 on.
        let row = conn
            .query_one(
                "SELECT CASE WHEN to_regclass('pt_schema_migrations') IS NULL THEN NULL
                             ELSE has_table_privilege('pt_schema_migrations', 'SELECT') END",
                &[],
            )
            .await
            .map_err(map_pg)?;
        match row.try_get::<_, Option<bool>>(0).map_err(map_pg)? {
            None => {
                return Err(StoreError::Other(format!(
                    "migrations not applied: no pt_schema_migrations table (expected version {latest})"
                )));
            }
            Some(false) => {
                return Err(StoreError::Other(format!(
                    "migrations not applied: {} may not read pt_schema_migrations yet (expected version {latest})",
                    self.app_user
                )));
            }
            Some(true) => {}
        }
        let row = conn.query_one("SELECT max(version) FROM pt_schema_migrations", &[]).await.map_err(map_pg)?;
        let applied: Option<i32> = row.try_get(0).map_err(map_pg)?;
        // A newer schema is fine (another server migrated ahead in a rolling
        // deploy; migrations are additive); an older one is not.
        if applied.unwrap_or(0) < latest {
            return Err(StoreError::Other(format!(
                "migrations not applied: database at version {}, this build expects {latest}",
                applied.unwrap_or(0)
            )));
        }
        Ok(())
    }

    async fn ensure_tenant(&self, tenant: TenantId, name: &str) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, false).await?;
        tx.execute("INSERT INTO tenants (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING", &[&tenant.0, &name])
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)
    }

    async fn load_tenant(&self, tenant: TenantId) -> Result<TenantState, StoreError> {
        let mut conn = self.conn().await?;
        // Wait for any write transaction of this tenant still in flight — one
        // from a server that was killed after sending COMMIT completes on its
        // own — so the state read below includes it. A session lock taken
        // before the REPEATABLE READ snapshot (which starts at the first
        // statement inside the transaction, and would predate the wait).
        conn.execute(TENANT_LOCK, &[&tenant.to_string()]).await.map_err(map_pg)?;
        let state = async {
            // One REPEATABLE READ snapshot: the snapshot row, its tail (or the
            // projections) and the log's end all describe the same commit.
            let tx = tenant_tx(&mut conn, tenant, true).await?;
            let state = match newest_snapshot(&tx, tenant).await? {
                Some(mut state) => {
                    let tail = tx
                        .query(
                            &format!(
                                "SELECT {EVENT_COLUMNS} FROM events WHERE tenant_id = $1 AND seq > $2 ORDER BY seq"
                            ),
                            &[&tenant.0, &to_i64(state.last_seq, "seq")?],
                        )
                        .await
                        .map_err(map_pg)?;
                    state.apply_all(&tail.iter().map(event_from_row).collect::<Result<Vec<_>, _>>()?);
                    state
                }
                None => load_projections(&tx, tenant).await?,
            };
            tx.commit().await.map_err(map_pg)?;
            Ok::<_, StoreError>(state)
        }
        .await;
        // Always release: the connection goes back to the pool.
        conn.execute(TENANT_UNLOCK, &[&tenant.to_string()]).await.map_err(map_pg)?;
        state
    }

    async fn append(&self, tenant: TenantId, batch: &[CommandRecord]) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut artists = LastStates::new();
        let mut bookings = LastStates::new();
        for env in batch.iter().flat_map(|r| &r.events) {
            if let Some(a) = env.event.artist() {
                artists.offer(a.id, env.seq, a);
            }
            if let Some(b) = env.event.booking() {
                bookings.offer(b.id, env.seq, b);
            }
        }
        let artists: Vec<&Artist> = artists.states().collect();
        let bookings: Vec<&Booking> = bookings.states().collect();

        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, false).await?;
        // Held to COMMIT: activation (load_tenant) waits for it, see there.
        tx.execute(TENANT_XACT_LOCK, &[&tenant.to_string()]).await.map_err(map_pg)?;
        // Pipelined: the four statements go out back to back instead of one
        // round trip (prepare, then execute) after another. tokio-postgres sends
        // them in the order they are first polled, so PostgreSQL still runs
        // artists before the bookings that reference them; the first failure
        // aborts the transaction and is the error returned.
        futures::try_join!(
            insert_events(&tx, tenant.0, batch),
            insert_commands(&tx, tenant.0, batch),
            upsert_artists(&tx, tenant.0, &artists),
            upsert_bookings(&tx, tenant.0, &bookings),
        )?;
        // Deferred constraints (no_double_booking) are checked here; a failure
        // rolls the whole batch back and maps like any other statement error.
        tx.commit().await.map_err(map_pg)?;
        tracing::debug!(%tenant, commands = batch.len(), artists = artists.len(), bookings = bookings.len(), "batch persisted");
        Ok(())
    }

    async fn command_ids(&self, tenant: TenantId) -> Result<Vec<CmdId>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let rows = tx.query("SELECT cmd_id FROM commands WHERE tenant_id = $1", &[&tenant.0]).await.map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        rows.iter().map(|r| r.try_get::<_, Uuid>(0).map(CmdId).map_err(map_pg)).collect()
    }

    async fn find_command(&self, tenant: TenantId, cmd_id: CmdId) -> Result<Option<StoredCommand>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let row = tx
            .query_opt(
                "SELECT request_hash, first_seq, last_seq, outcome FROM commands WHERE tenant_id = $1 AND cmd_id = $2",
                &[&tenant.0, &cmd_id.0],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(StoredCommand {
            cmd_id,
            request_hash: row.try_get::<_, i64>("request_hash").map_err(map_pg)? as u64,
            first_seq: to_u64(row.try_get("first_seq").map_err(map_pg)?, "seq")?,
            last_seq: to_u64(row.try_get("last_seq").map_err(map_pg)?, "seq")?,
            outcome: row.try_get("outcome").map_err(map_pg)?,
        }))
    }

    async fn entity_events(&self, tenant: TenantId, entity: Uuid) -> Result<Vec<EventEnvelope>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let rows = tx
            .query(
                &format!("SELECT {EVENT_COLUMNS} FROM events WHERE tenant_id = $1 AND entity_id = $2 ORDER BY seq"),
                &[&tenant.0, &entity],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        rows.iter().map(event_from_row).collect()
    }

    async fn events_since(&self, tenant: TenantId, after: u64, limit: usize) -> Result<Vec<EventEnvelope>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let rows = tx
            .query(
                &format!("SELECT {EVENT_COLUMNS} FROM events WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"),
                &[&tenant.0, &after, &limit],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        rows.iter().map(event_from_row).collect()
    }

    async fn load_booking(&self, tenant: TenantId, id: BookingId) -> Result<Option<Booking>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let row = tx
            .query_opt(
                &format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE tenant_id = $1 AND id = $2"),
                &[&tenant.0, &id.0],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        row.as_ref().map(booking_from_row).transpose()
    }

    async fn load_artist(&self, tenant: TenantId, id: ArtistId) -> Result<Option<Artist>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let row = tx
            .query_opt(
                &format!("SELECT {ARTIST_COLUMNS} FROM artists WHERE tenant_id = $1 AND id = $2"),
                &[&tenant.0, &id.0],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        row.as_ref().map(artist_from_row).transpose()
    }
}
