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
//! * Errors: constraint violations are [`StoreError::Rejected`] with SQLite's
//!   extended code name (e.g. `SQLITE_CONSTRAINT_PRIMARYKEY`); a full disk, I/O
//!   errors, locks and read-only or unopenable files are
//!   [`StoreError::Unavailable`] (the writer holds the batch and retries, so a
//!   full disk never drops acknowledged data); the rest is `Other`.

use super::{CommandRecord, Store, StoreError, StoredCommand, TenantState, snapshot};
use async_trait::async_trait;
use pt_protocol::{Artist, ArtistId, Booking, BookingId, CmdId, EventEnvelope, TenantId, Timestamp};
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior, ffi, params};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use uuid::Uuid;

/// The database file inside the data directory.
pub const FILE_NAME: &str = "production-tool.sqlite3";

/// One embedded schema change. Versions only grow; a released file never changes.
struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "init", sql: include_str!("../../../../migrations/sqlite/0001_init.sql") },
    Migration { version: 2, name: "identity", sql: include_str!("../../../../migrations/sqlite/0002_identity.sql") },
];

/// How long a statement waits for a lock held by another connection (another
/// process on the same file, or a checkpoint) before it reports `SQLITE_BUSY`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Reader connections kept open between calls; more are opened under load and
/// closed afterwards.
const IDLE_READERS: usize = 4;

/// Events decoded per `apply_all` while replaying a log tail, so a tenant
/// without a snapshot is not held in memory twice.
const REPLAY_CHUNK: usize = 4096;

/// Snapshots kept per tenant: the newest, and one to fall back to.
const KEEP_SNAPSHOTS: i64 = 2;

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

/// Takes the data directory's lock file, so a second server on the same
/// directory fails at start with a clear message.
fn lock_dir(dir: &Path) -> Result<std::fs::File, StoreError> {
    let path = dir.join(".lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| unavailable(format!("cannot create the lock file {}", path.display()), &e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Unavailable(format!(
            "the data directory {} is in use by another pt-server (lock file {})",
            dir.display(),
            path.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(unavailable(format!("cannot lock the data directory {}", dir.display()), &e))
        }
    }
}

impl SqliteStore {
    /// Creates `dir` if missing and opens (or creates) the database in it.
    /// Does not migrate. Blocking: call it at startup, not from a handler.
    ///
    /// Fails with a message naming the path and the OS reason when the
    /// directory cannot be created or written (SQLite would otherwise open
    /// the file read-only without a word, and fail at the first write).
    pub fn open(dir: &Path) -> Result<SqliteStore, StoreError> {
        if dir.exists() && !dir.is_dir() {
            return Err(StoreError::Unavailable(format!(
                "the data directory {} exists but is not a directory",
                dir.display()
            )));
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| unavailable(format!("cannot create the data directory {}", dir.display()), &e))?;
        probe_writable(dir)?;
        let lock = lock_dir(dir)?;
        let path = dir.join(FILE_NAME);
        let writer = open_connection(&path, true)?;
        let at = |what: &str, e: rusqlite::Error| match map_sqlite(e) {
            StoreError::Unavailable(m) => {
                StoreError::Unavailable(format!("cannot {what} the database {}: {m}", path.display()))
            }
            e => StoreError::Other(format!("cannot {what} the database {}: {e}", path.display())),
        };
        if writer.is_readonly(rusqlite::MAIN_DB).map_err(|e| at("open", e))? {
            return Err(StoreError::Unavailable(format!(
                "the database {} is read-only (check the permissions and owner of the file and of {})",
                path.display(),
                dir.display()
            )));
        }
        let mode: String =
            writer.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(|e| at("configure", e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            // Still correct (readers then take shared locks), only less concurrent.
            tracing::warn!(path = %path.display(), %mode, "SQLite refused WAL mode (network file system?)");
        }
        // FULL: a commit returns after the WAL is fsynced. The size limit
        // truncates the WAL after a checkpoint that followed a big write (a
        // snapshot of a large studio), instead of keeping its high-water mark.
        writer
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA journal_size_limit = 67108864")
            .map_err(|e| at("configure", e))?;
        // A real write: proves the file, its WAL and the disk accept data now.
        writer.execute_batch("BEGIN IMMEDIATE; COMMIT").map_err(|e| at("write to", e))?;
        // Fault injection for tests: cap the file so writes fail with
        // SQLITE_FULL, exactly as on a full disk.
        if let Some(pages) = std::env::var(MAX_PAGES_ENV).ok().and_then(|v| v.parse::<i64>().ok()) {
            writer.pragma_update(None, "max_page_count", pages).map_err(|e| at("configure", e))?;
            tracing::warn!(pages, "{MAX_PAGES_ENV} is set: the database is capped (simulated full disk)");
        }
        tracing::info!(path = %path.display(), "embedded store opened");
        Ok(SqliteStore {
            inner: Arc::new(Inner { path, writer: Mutex::new(writer), readers: Mutex::new(Vec::new()), _lock: lock }),
        })
    }

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

    fn latest_version() -> i64 {
        MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0)
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

/// Writes, syncs and removes a small file: an unwritable directory or a full
/// disk fails here with the OS's own words.
fn probe_writable(dir: &Path) -> Result<(), StoreError> {
    use std::io::Write;
    let probe = dir.join(".production-tool-write-probe");
    let written = std::fs::File::create(&probe).and_then(|mut f| {
        f.write_all(&[0u8; 4096])?;
        f.sync_all()
    });
    let removed = std::fs::remove_file(&probe);
    written.map_err(|e| unavailable(format!("cannot write to the data directory {}", dir.display()), &e))?;
    removed.map_err(|e| unavailable(format!("cannot write to the data directory {}", dir.display()), &e))
}

fn open_connection(path: &Path, writer: bool) -> Result<Connection, StoreError> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if writer {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let failed = |e: rusqlite::Error| match map_sqlite(e) {
        StoreError::Unavailable(m) => {
            StoreError::Unavailable(format!("cannot open the database {}: {m}", path.display()))
        }
        e => StoreError::Other(format!("cannot open the database {}: {e}", path.display())),
    };
    let conn = Connection::open_with_flags(path, flags).map_err(failed)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(failed)?;
    conn.execute_batch(if writer { "PRAGMA foreign_keys = ON" } else { "PRAGMA query_only = ON" }).map_err(failed)?;
    conn.set_prepared_statement_cache_capacity(32);
    Ok(conn)
}

mod auth;
mod errors;
mod read;
mod write;

use errors::*;
use read::*;
use write::*;

#[async_trait]
impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "embedded"
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        self.write(migrate_tx).await
    }

    async fn ready(&self) -> Result<(), StoreError> {
        let latest = Self::latest_version();
        self.read(move |conn| {
            let has_table: bool = conn
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'pt_schema_migrations')",
                    [],
                    |r| r.get(0),
                )
                .map_err(map_sqlite)?;
            if !has_table {
                return Err(StoreError::Other(format!(
                    "migrations not applied: no pt_schema_migrations table (expected version {latest})"
                )));
            }
            let applied: Option<i64> =
                conn.query_row("SELECT max(version) FROM pt_schema_migrations", [], |r| r.get(0)).map_err(map_sqlite)?;
            // A newer schema is fine (a newer build migrated ahead; migrations are additive).
            if applied.unwrap_or(0) < latest {
                return Err(StoreError::Other(format!(
                    "migrations not applied: database at version {}, this build expects {latest}",
                    applied.unwrap_or(0)
                )));
            }
            Ok(())
        })
        .await
    }

    async fn ensure_tenant(&self, tenant: TenantId, name: &str) -> Result<(), StoreError> {
        let name = name.to_owned();
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO tenants (id, name, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO NOTHING",
                params![tenant.0.into_bytes(), name, Timestamp::now().micros()],
            )
            .map_err(map_sqlite)?;
            Ok(())
        })
        .await
    }

    async fn load_tenant(&self, tenant: TenantId) -> Result<TenantState, StoreError> {
        self.read(move |conn| load_tenant_tx(conn, tenant)).await
    }

    async fn save_snapshot(&self, tenant: TenantId, state: &TenantState) -> Result<(), StoreError> {
        let payload = snapshot::encode(state)?;
        let seq = to_i64(state.last_seq, "seq")?;
        self.write(move |conn| {
            let t = tenant.0.into_bytes();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(map_sqlite)?;
            tx.execute(
                "INSERT INTO snapshots (tenant_id, seq, taken_at, payload) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (tenant_id, seq) DO UPDATE SET taken_at = excluded.taken_at, payload = excluded.payload",
                params![t, seq, Timestamp::now().micros(), payload],
            )
            .map_err(map_sqlite)?;
            tx.execute(
                "DELETE FROM snapshots WHERE tenant_id = ?1 AND seq NOT IN
                     (SELECT seq FROM snapshots WHERE tenant_id = ?1 ORDER BY seq DESC LIMIT ?2)",
                params![t, KEEP_SNAPSHOTS],
            )
            .map_err(map_sqlite)?;
            tx.commit().map_err(map_sqlite)
        })
        .await
    }

    async fn snapshot_seq(&self, tenant: TenantId) -> Result<u64, StoreError> {
        let seq: i64 = self
            .read(move |conn| {
                conn.query_row(
                    "SELECT coalesce(max(seq), 0) FROM snapshots WHERE tenant_id = ?1",
                    [tenant.0.into_bytes()],
                    |r| r.get(0),
                )
                .map_err(map_sqlite)
            })
            .await?;
        to_u64(seq, "seq")
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
        self.read(move |conn| {
            let mut stmt =
                conn.prepare_cached("SELECT cmd_id FROM commands WHERE tenant_id = ?1").map_err(map_sqlite)?;
            let ids = stmt
                .query_map(params![tenant.0.into_bytes()], |r| r.get::<_, Vec<u8>>(0))
                .map_err(map_sqlite)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(map_sqlite)?;
            ids.into_iter()
                .map(|b| {
                    Uuid::from_slice(&b)
                        .map(CmdId)
                        .map_err(|e| StoreError::Other(format!("a stored command id is not a UUID: {e}")))
                })
                .collect()
        })
        .await
    }

    async fn find_command(&self, tenant: TenantId, cmd_id: CmdId) -> Result<Option<StoredCommand>, StoreError> {
        self.read(move |conn| {
            let row = conn
                .prepare_cached(
                    "SELECT request_hash, first_seq, last_seq, outcome FROM commands
                     WHERE tenant_id = ?1 AND cmd_id = ?2",
                )
                .and_then(|mut stmt| {
                    stmt.query_row(params![tenant.0.into_bytes(), cmd_id.0.into_bytes()], |r| {
                        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?))
                    })
                    .optional()
                })
                .map_err(map_sqlite)?;
            let Some((hash, first, last, outcome)) = row else { return Ok(None) };
            Ok(Some(StoredCommand {
                cmd_id,
                request_hash: hash as u64,
                first_seq: to_u64(first, "seq")?,
                last_seq: to_u64(last, "seq")?,
                outcome: from_json(&outcome, "command outcome")?,
            }))
        })
        .await
    }

    async fn entity_events(&self, tenant: TenantId, entity: Uuid) -> Result<Vec<EventEnvelope>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT {EVENT_COLUMNS} FROM events WHERE tenant_id = ?1 AND entity_id = ?2 ORDER BY seq"
                ))
                .map_err(map_sqlite)?;
            let mut rows = stmt.query(params![tenant.0.into_bytes(), entity.into_bytes()]).map_err(map_sqlite)?;
            let mut out = Vec::new();
            while let Some(row) = rows.next().map_err(map_sqlite)? {
                out.push(event_from_row(row)?);
            }
            Ok(out)
        })
        .await
    }

    async fn events_since(&self, tenant: TenantId, after: u64, limit: usize) -> Result<Vec<EventEnvelope>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(move |conn| {
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT {EVENT_COLUMNS} FROM events WHERE tenant_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"
                ))
                .map_err(map_sqlite)?;
            let mut rows = stmt.query(params![tenant.0.into_bytes(), after, limit]).map_err(map_sqlite)?;
            let mut out = Vec::new();
            while let Some(row) = rows.next().map_err(map_sqlite)? {
                out.push(event_from_row(row)?);
            }
            Ok(out)
        })
        .await
    }

    async fn load_booking(&self, tenant: TenantId, id: BookingId) -> Result<Option<Booking>, StoreError> {
        self.read(move |conn| {
            let state: Option<String> = conn
                .query_row(
                    "SELECT state FROM bookings WHERE tenant_id = ?1 AND id = ?2",
                    params![tenant.0.into_bytes(), id.0.into_bytes()],
                    |r| r.get(0),
                )
                .optional()
                .map_err(map_sqlite)?;
            state.map(|s| from_json(&s, "booking")).transpose()
        })
        .await
    }

    async fn load_artist(&self, tenant: TenantId, id: ArtistId) -> Result<Option<Artist>, StoreError> {
        self.read(move |conn| {
            let state: Option<String> = conn
                .query_row(
                    "SELECT state FROM artists WHERE tenant_id = ?1 AND id = ?2",
                    params![tenant.0.into_bytes(), id.0.into_bytes()],
                    |r| r.get(0),
                )
                .optional()
                .map_err(map_sqlite)?;
            state.map(|s| from_json(&s, "artist")).transpose()
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pt_protocol::Event;

    fn record(seq: u64, event: Event) -> CommandRecord {
        let cmd_id = CmdId::new();
        let at = Timestamp::from_micros(1_000_000);
        CommandRecord {
            cmd_id,
            request_hash: 7,
            by: "user:ana".into(),
            at,
            events: vec![EventEnvelope { seq, cmd_id, at, by: "user:ana".into(), event }],
            outcome: serde_json::json!({ "ok": true }),
        }
    }

    fn artist() -> Artist {
        Artist {
            id: ArtistId::new(),
            name: "Ana".into(),
            email: None,
            skills: vec![],
            timezone: "UTC".into(),
            active: true,
            time_off: Vec::new(),
            archived_at: None,
            version: 1,
            created_at: Timestamp::from_micros(0),
            updated_at: Timestamp::from_micros(0),
        }
    }

    async fn opened() -> (tempfile::TempDir, SqliteStore, TenantId) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        store.migrate().await.unwrap();
        let t = TenantId::new();
        store.ensure_tenant(t, "Studio").await.unwrap();
        (dir, store, t)
    }

    #[test]
    fn code_names_are_readable() {
        assert_eq!(code_name(ffi::SQLITE_CONSTRAINT_PRIMARYKEY), "SQLITE_CONSTRAINT_PRIMARYKEY");
        assert_eq!(code_name(ffi::SQLITE_FULL), "SQLITE_FULL");
        assert_eq!(code_name(ffi::SQLITE_IOERR_FSYNC), "SQLITE_IOERR(1034)");
        let full = rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_FULL), None);
        assert!(matches!(map_sqlite(full), StoreError::Unavailable(m) if m.contains("SQLITE_FULL")));
        let busy = rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_BUSY), None);
        assert!(matches!(map_sqlite(busy), StoreError::Unavailable(_)));
        let corrupt = rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_CORRUPT), None);
        assert!(matches!(map_sqlite(corrupt), StoreError::Other(_)));
    }

    /// A full disk (simulated by capping the file's page count) is Unavailable,
    /// leaves nothing behind, and the same batch lands once there is room.
    #[tokio::test]
    async fn a_full_disk_is_unavailable_and_the_retry_lands() {
        let (_dir, store, t) = opened().await;
        let a = artist();
        store.append(t, &[record(1, Event::ArtistCreated { artist: a.clone() })]).await.unwrap();
        let pages: i64 = {
            let conn = store.inner.writer();
            let pages = conn.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
            conn.pragma_update(None, "max_page_count", pages).unwrap();
            pages
        };
        let big = Artist { name: "x".repeat(64 * 1024), version: 2, ..a.clone() };
        let batch = [record(2, Event::ArtistUpdated { artist: big.clone() })];
        match store.append(t, &batch).await {
            Err(StoreError::Unavailable(m)) => assert!(m.contains("SQLITE_FULL"), "{m}"),
            other => panic!("expected Unavailable(SQLITE_FULL), got {other:?}"),
        }
        assert_eq!(store.load_artist(t, a.id).await.unwrap(), Some(a));
        assert!(store.events_since(t, 1, 10).await.unwrap().is_empty());

        store.inner.writer().pragma_update(None, "max_page_count", pages * 1000).unwrap();
        store.append(t, &batch).await.expect("the retry lands once there is room");
        assert_eq!(store.load_artist(t, big.id).await.unwrap(), Some(big));
        assert_eq!(store.load_tenant(t).await.unwrap().last_seq, 2);
    }

    #[tokio::test]
    async fn the_overlap_check_uses_the_partial_index() {
        let (_dir, store, _t) = opened().await;
        let plan: Vec<String> = {
            let conn = store.inner.writer();
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {OVERLAPPING_BOOKING}")).unwrap();
            stmt.query_map(params![[0u8; 16], [0u8; 16], 0, 1, [1u8; 16]], |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        assert!(plan.iter().any(|p| p.contains("bookings_exclusive")), "{plan:?}");
    }
}
