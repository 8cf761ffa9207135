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
//!   touched artist and booking (artists first: bookings reference them), and
//!   of every touched project, phase, dependency and milestone (written or
//!   deleted, in foreign-key order).
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
//!
//! ## Files
//! This file holds the pool and the transaction helpers and maps [`Store`]
//! onto the statements. Connecting: `connect`; the runtime role's check:
//! `runtime`; migrations and readiness: `schema`; activation and snapshots:
//! `read`; `append`: `write` (project rows: `plan_write`); point reads:
//! `lookup`; project rows read back and `load_project`: `plan_read`; rows
//! and errors: `rows`; identity rows: `auth`; throw-away test databases:
//! `testing`.

use super::{CommandRecord, NOT_IN_TURN, Store, StoreError, StoredCommand, TenantState, Turn, snapshot};
use async_trait::async_trait;
use bb8::{ErrorSink, ManageConnection, Pool, PooledConnection, RunError};
use chrono::{DateTime, Utc};
use pt_protocol::{
    Artist, ArtistId, Booking, BookingId, BookingStatus, CmdId, EventEnvelope, PhaseId, ProjectId, ProjectPlan,
    TenantId, Timestamp,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_postgres::error::SqlState;
use tokio_postgres::{IsolationLevel, NoTls, Row, Statement, Transaction};
use uuid::Uuid;

type Conn<'a> = PooledConnection<'a, AppManager>;

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
}

/// Begins a transaction scoped to `tenant` (sets `app.current_tenant` for RLS).
/// The per-tenant write lock: every `append` transaction holds it shared
/// until COMMIT (`write::append`, with the key written out there);
/// `load_tenant` takes it exclusively (as a session lock) before reading, so
/// it never reads around a write still in flight. (It is also what a
/// multi-node deployment builds tenant ownership on.)
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
mod connect;
mod lookup;
mod plan_read;
mod plan_write;
mod read;
mod rows;
pub mod runtime;
mod schema;
pub mod testing;
mod write;

pub use runtime::{APP_ROLE, AppLogin, SessionRole, TENANT_TABLES};
use runtime::{AppManager, ConnectError};

use connect::owner_connection;
use rows::*;

#[async_trait]
impl Store for PgStore {
    async fn save_snapshot(&self, tenant: TenantId, state: &TenantState) -> Result<(), StoreError> {
        read::save_snapshot(self, tenant, state).await
    }

    async fn snapshot_seq(&self, tenant: TenantId) -> Result<u64, StoreError> {
        read::snapshot_seq(self, tenant).await
    }

    fn kind(&self) -> &'static str {
        "postgres"
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        schema::migrate(self).await
    }

    async fn ready(&self) -> Result<(), StoreError> {
        schema::ready(self).await
    }

    async fn ensure_tenant(&self, tenant: TenantId, name: &str) -> Result<(), StoreError> {
        lookup::ensure_tenant(self, tenant, name).await
    }

    async fn load_tenant(&self, tenant: TenantId) -> Result<TenantState, StoreError> {
        read::load_tenant(self, tenant).await
    }

    async fn append(&self, tenant: TenantId, batch: &[CommandRecord]) -> Result<(), StoreError> {
        write::append(self, tenant, batch, None).await
    }

    fn pipelines(&self) -> bool {
        true
    }

    async fn append_in_turn(&self, tenant: TenantId, batch: &[CommandRecord], turn: Turn) -> Result<(), StoreError> {
        write::append(self, tenant, batch, Some(turn)).await
    }

    async fn command_ids(&self, tenant: TenantId) -> Result<Vec<CmdId>, StoreError> {
        lookup::command_ids(self, tenant).await
    }

    async fn find_command(&self, tenant: TenantId, cmd_id: CmdId) -> Result<Option<StoredCommand>, StoreError> {
        lookup::find_command(self, tenant, cmd_id).await
    }

    async fn entity_events(&self, tenant: TenantId, entity: Uuid) -> Result<Vec<EventEnvelope>, StoreError> {
        lookup::entity_events(self, tenant, entity).await
    }

    async fn events_since(&self, tenant: TenantId, after: u64, limit: usize) -> Result<Vec<EventEnvelope>, StoreError> {
        lookup::events_since(self, tenant, after, limit).await
    }

    async fn load_booking(&self, tenant: TenantId, id: BookingId) -> Result<Option<Booking>, StoreError> {
        lookup::load_booking(self, tenant, id).await
    }

    async fn load_artist(&self, tenant: TenantId, id: ArtistId) -> Result<Option<Artist>, StoreError> {
        lookup::load_artist(self, tenant, id).await
    }

    async fn load_project(&self, tenant: TenantId, id: ProjectId) -> Result<Option<ProjectPlan>, StoreError> {
        plan_read::load_project(self, tenant, id).await
    }
}
