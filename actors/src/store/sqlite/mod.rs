//! The embedded store: one SQLite file, `<data dir>/production-tool.sqlite3`,
//! so a fresh machine runs the server with nothing else installed.
//!
//! * Schema: `migrations/sqlite/*.sql`, embedded and applied by
//!   [`Store::migrate`] (one `BEGIN IMMEDIATE` transaction per migration,
//!   recorded in `pt_schema_migrations`). The logical tables of PostgreSQL;
//!   ids are 16-byte BLOBs, instants i64 microseconds, JSON is TEXT.
//! * Durability: WAL with `synchronous=FULL`, so an `append` that returned Ok
//!   is fsynced (the writer's group commit amortizes that fsync).
//! * Threads: rusqlite blocks, so every call runs on tokio's blocking pool. One
//!   writer connection behind a mutex (SQLite admits one writer at a time
//!   anyway) and a small pool of reader connections; in WAL mode readers never
//!   wait for the writer, and a read transaction sees one consistent snapshot.
//! * Activation: [`Store::load_tenant`] reads the newest snapshot that decodes
//!   (falling back to the one before, then to an empty state) and replays the
//!   events after it, all inside one read transaction.
//! * Projection: `artists` and `bookings` keep each entity's latest state as
//!   JSON. Why keep them although the log alone would do: `load_booking` and
//!   `load_artist` (the writer's revert path) stay one index lookup instead of
//!   a scan for the entity's newest event, and they make the double-booking
//!   check cheap. That check is the second guard behind the actors, as the
//!   exclusion constraint is in PostgreSQL: at the end of every `append`, each
//!   exclusive booking the batch touched is probed against the partial index
//!   `bookings_exclusive`. Like PostgreSQL's deferred constraint it sees only
//!   the batch's final states, so cancel-then-rebook within a batch passes.
//!   Projects, phases, dependencies and milestones are projected too (for
//!   `load_project`, and for their foreign keys and the unique project code
//!   as second guards), written in `seq` order.
//! * Errors: constraint violations are [`StoreError::Rejected`] with SQLite's
//!   extended code name (e.g. `SQLITE_CONSTRAINT_PRIMARYKEY`); a full disk, I/O
//!   errors, locks and read-only or unopenable files are
//!   [`StoreError::Unavailable`] (the writer holds the batch and retries, so a
//!   full disk never drops acknowledged data); the rest is `Other`.
//!
//! ## Files
//! This file holds the connections and maps [`Store`] onto them. Opening
//! the file: `open`; migrations and readiness: `schema`; activation and
//! snapshots: `read`; `append`: `write`; project rows and `load_project`:
//! `plan`; point reads (commands, history, one entity): `lookup`; errors and conversions: `errors`; identity rows: `auth`.

use super::{CommandRecord, Store, StoreError, StoredCommand, TenantState, snapshot};
use async_trait::async_trait;
use pt_protocol::{
    Artist, ArtistId, Booking, BookingId, CmdId, Event, EventEnvelope, ProjectId, ProjectPlan, TenantId, Timestamp,
};
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior, ffi, params};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use uuid::Uuid;

mod auth;
mod errors;
mod lookup;
mod open;
mod plan;
mod read;
mod schema;
mod write;

use errors::*;
use open::open_connection;
use read::*;
use write::*;

/// The database file inside the data directory.
pub const FILE_NAME: &str = "production-tool.sqlite3";

/// Reader connections kept open between calls; more are opened under load and
/// closed afterwards.
const IDLE_READERS: usize = 4;

/// The embedded [`Store`]. Cheap to clone; the file closes when the last clone drops.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// Held while the store is open: one server per data directory (two
    /// would both assign `seq`s).
    _lock: std::fs::File,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").field("path", &self.inner.path).finish()
    }
}

/// Environment variable that caps the database at this many pages (tests
/// simulate a full disk with it).
pub const MAX_PAGES_ENV: &str = "PT_EMBEDDED_MAX_PAGES";

impl SqliteStore {
    /// The database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` with the writer connection on the blocking pool.
    async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = self.inner.clone();
        blocking(move || {
            let mut conn = inner.writer();
            // A transaction whose ROLLBACK failed (full disk, I/O error) would
            // make every later BEGIN fail; end it before anything else.
            if !conn.is_autocommit() {
                let _ = conn.execute_batch("ROLLBACK");
            }
            f(&mut conn)
        })
        .await
    }

    /// Runs `f` with a reader connection on the blocking pool.
    async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = self.inner.clone();
        blocking(move || {
            let mut conn = match inner.readers.lock().unwrap_or_else(|p| p.into_inner()).pop() {
                Some(conn) => conn,
                None => open_connection(&inner.path, false)?,
            };
            let result = f(&mut conn);
            if conn.is_autocommit() {
                let mut idle = inner.readers.lock().unwrap_or_else(|p| p.into_inner());
                if idle.len() < IDLE_READERS {
                    idle.push(conn);
                }
            }
            result
        })
        .await
    }
}

impl Inner {
    fn writer(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the connection usable: any open
        // transaction is rolled back by the caller before the next use.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| StoreError::Other(format!("embedded store task failed: {e}")))?
}

#[async_trait]
impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "embedded"
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        self.write(schema::migrate_tx).await
    }

    async fn ready(&self) -> Result<(), StoreError> {
        self.read(|conn| schema::ready_tx(conn)).await
    }

    async fn ensure_tenant(&self, tenant: TenantId, name: &str) -> Result<(), StoreError> {
        let name = name.to_owned();
        self.write(move |conn| lookup::ensure_tenant(conn, tenant, &name)).await
    }

    async fn load_tenant(&self, tenant: TenantId) -> Result<TenantState, StoreError> {
        self.read(move |conn| load_tenant_tx(conn, tenant)).await
    }

    async fn save_snapshot(&self, tenant: TenantId, state: &TenantState) -> Result<(), StoreError> {
        let payload = snapshot::encode(state)?;
        let seq = to_i64(state.last_seq, "seq")?;
        self.write(move |conn| save_snapshot_tx(conn, tenant, seq, &payload)).await
    }

    async fn snapshot_seq(&self, tenant: TenantId) -> Result<u64, StoreError> {
        self.read(move |conn| snapshot_seq_tx(conn, tenant)).await
    }

    async fn append(&self, tenant: TenantId, batch: &[CommandRecord]) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let rows = AppendRows::encode(batch)?;
        let (commands, events) = (rows.commands.len(), rows.events.len());
        self.write(move |conn| append_rows(conn, tenant.0, &rows)).await?;
        tracing::debug!(%tenant, commands, events, "batch persisted");
        Ok(())
    }

    async fn command_ids(&self, tenant: TenantId) -> Result<Vec<CmdId>, StoreError> {
        self.read(move |conn| lookup::command_ids(conn, tenant)).await
    }

    async fn find_command(&self, tenant: TenantId, cmd_id: CmdId) -> Result<Option<StoredCommand>, StoreError> {
        self.read(move |conn| lookup::find_command(conn, tenant, cmd_id)).await
    }

    async fn entity_events(&self, tenant: TenantId, entity: Uuid) -> Result<Vec<EventEnvelope>, StoreError> {
        self.read(move |conn| lookup::entity_events(conn, tenant, entity)).await
    }

    async fn events_since(&self, tenant: TenantId, after: u64, limit: usize) -> Result<Vec<EventEnvelope>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(move |conn| lookup::events_since(conn, tenant, after, limit)).await
    }

    async fn load_booking(&self, tenant: TenantId, id: BookingId) -> Result<Option<Booking>, StoreError> {
        self.read(move |conn| lookup::load_booking(conn, tenant, id)).await
    }

    async fn load_artist(&self, tenant: TenantId, id: ArtistId) -> Result<Option<Artist>, StoreError> {
        self.read(move |conn| lookup::load_artist(conn, tenant, id)).await
    }

    async fn load_project(&self, tenant: TenantId, id: ProjectId) -> Result<Option<ProjectPlan>, StoreError> {
        self.read(move |conn| plan::load_project(conn, tenant, id)).await
    }
}

#[cfg(test)]
mod tests;
