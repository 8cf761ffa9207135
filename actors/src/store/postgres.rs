//! PostgreSQL store: the event log, command outcomes and projection tables of
//! every tenant, behind [`Store`].
//!
//! * Schema: `migrations/*.sql`, embedded in the binary and applied by
//!   [`Store::migrate`] (one transaction per migration, serialized across
//!   servers by an advisory lock, recorded in `pt_schema_migrations`).
//! * Writes: [`Store::append`] persists a whole batch in one transaction with
//!   bulk `UNNEST` statements: events, commands, then the last state of every
//!   touched artist and booking (artists first: bookings reference them).
//! * Activation: [`Store::load_tenant`] reads, in one REPEATABLE READ
//!   read-only transaction, the newest snapshot plus the events after it; with
//!   no snapshot, or one that fails its checksum, it reads the projections.
//!   [`Store::save_snapshot`] keeps the two newest snapshots per tenant.
//! * Every transaction sets `app.current_tenant` first, so row-level security
//!   can key off it, and every query also filters by `tenant_id` explicitly.
//! * Errors: integrity violations (SQLSTATE class 23, e.g. the `23P01` of the
//!   double-booking exclusion constraint) are [`StoreError::Rejected`]; a lost
//!   or unreachable server is [`StoreError::Unavailable`]; the rest is `Other`.

use super::{CommandRecord, Store, StoreError, StoredCommand, TenantState, snapshot};
use async_trait::async_trait;
use bb8::{ErrorSink, ManageConnection, Pool, PooledConnection, RunError};
use bb8_postgres::PostgresConnectionManager;
use chrono::{DateTime, Utc};
use pt_protocol::{Artist, ArtistId, Booking, BookingId, BookingStatus, CmdId, EventEnvelope, TenantId, Timestamp};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_postgres::error::SqlState;
use tokio_postgres::{IsolationLevel, NoTls, Row, Transaction};
use uuid::Uuid;

type Manager = PostgresConnectionManager<NoTls>;
type Conn<'a> = PooledConnection<'a, Manager>;

/// One embedded schema change. Versions only grow; a released file never changes.
struct Migration {
    version: i32,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "init", sql: include_str!("../../../migrations/0001_init.sql") },
    Migration { version: 2, name: "snapshots", sql: include_str!("../../../migrations/0002_snapshots.sql") },
    Migration {
        version: 3,
        name: "row_level_security",
        sql: include_str!("../../../migrations/0003_row_level_security.sql"),
    },
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

/// The PostgreSQL [`Store`]: a bb8 pool of tokio-postgres connections.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool<Manager>,
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

impl ErrorSink<tokio_postgres::Error> for LastConnectError {
    fn sink(&self, e: tokio_postgres::Error) {
        let e = with_source(&e);
        tracing::warn!(error = %e, "database connection failed");
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
    }

    fn boxed_clone(&self) -> Box<dyn ErrorSink<tokio_postgres::Error>> {
        Box::new(self.clone())
    }
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("pool", &self.pool.state()).finish()
    }
}

impl PgStore {
    /// Opens a pool of at most `pool_size` connections and checks that the
    /// server answers. Does not migrate.
    pub async fn connect(url: &str, pool_size: u32) -> Result<PgStore, StoreError> {
        let mut config: tokio_postgres::Config =
            url.parse().map_err(|e| StoreError::Other(format!("invalid database URL: {e}")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("production-tool");
        }
        let manager = PostgresConnectionManager::new(config, NoTls);
        // One direct connection first: a wrong URL or a dead server fails here
        // with its real error instead of a pool timeout. It then joins the pool.
        let first = manager.connect().await.map_err(map_pg)?;
        let last_error = LastConnectError::default();
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            .connection_timeout(POOL_WAIT)
            .error_sink(Box::new(last_error.clone()))
            .build_unchecked(manager);
        let _ = pool.add(first);
        Ok(PgStore { pool, last_error })
    }

    async fn conn(&self) -> Result<Conn<'_>, StoreError> {
        self.pool.get().await.map_err(|e| match e {
            RunError::User(e) => map_pg(e),
            RunError::TimedOut => StoreError::Unavailable(match self.last_error.get() {
                Some(cause) => format!("timed out waiting for a database connection (last error: {cause})"),
                None => "timed out waiting for a database connection".to_owned(),
            }),
        })
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

// ---------------------------------------------------------------------------
// Errors

/// Maps a driver error onto the store's three kinds (see the module docs).
fn map_pg(e: tokio_postgres::Error) -> StoreError {
    let Some(code) = e.code() else {
        // No SQLSTATE: the connection broke or could not be made — unless the
        // driver refused our own values/columns, which retrying will not fix.
        let text = e.to_string();
        let ours = ["error serializing", "error deserializing", "invalid column", "query returned", "expected "];
        return if ours.iter().any(|p| text.starts_with(p)) {
            StoreError::Other(with_source(&e))
        } else {
            StoreError::Unavailable(with_source(&e))
        };
    };
    let message = e.as_db_error().map_or_else(|| e.to_string(), db_message);
    let sqlstate = code.code();
    if sqlstate.starts_with("23") {
        StoreError::Rejected { code: sqlstate.to_owned(), message }
    } else if sqlstate.starts_with("08") // connection exception
        || sqlstate.starts_with("53") // insufficient resources (too many connections …)
        || sqlstate.starts_with("57P") // admin/crash shutdown, cannot connect now
        || sqlstate.starts_with("40") // serialization failure, deadlock: a retry may pass
        || *code == SqlState::QUERY_CANCELED
        || *code == SqlState::READ_ONLY_SQL_TRANSACTION
    {
        StoreError::Unavailable(format!("{message} ({sqlstate})"))
    } else {
        StoreError::Other(format!("{message} ({sqlstate})"))
    }
}

fn db_message(db: &tokio_postgres::error::DbError) -> String {
    match (db.constraint(), db.detail()) {
        (Some(c), Some(d)) => format!("{} [constraint {c}: {d}]", db.message()),
        (Some(c), None) => format!("{} [constraint {c}]", db.message()),
        (None, Some(d)) => format!("{} [{d}]", db.message()),
        (None, None) => db.message().to_owned(),
    }
}

fn with_source(e: &tokio_postgres::Error) -> String {
    match std::error::Error::source(e) {
        Some(s) => format!("{e}: {s}"),
        None => e.to_string(),
    }
}

fn to_i64(v: u64, what: &str) -> Result<i64, StoreError> {
    i64::try_from(v).map_err(|_| StoreError::Other(format!("{what} {v} does not fit a bigint")))
}

fn to_u64(v: i64, what: &str) -> Result<u64, StoreError> {
    u64::try_from(v).map_err(|_| StoreError::Other(format!("negative {what} {v} in the database")))
}

// ---------------------------------------------------------------------------
// Rows ↔ types

fn artist_from_row(row: &Row) -> Result<Artist, StoreError> {
    let archived_at: Option<DateTime<Utc>> = row.try_get("archived_at").map_err(map_pg)?;
    Ok(Artist {
        id: ArtistId(row.try_get("id").map_err(map_pg)?),
        name: row.try_get("name").map_err(map_pg)?,
        email: row.try_get("email").map_err(map_pg)?,
        skills: row.try_get("skills").map_err(map_pg)?,
        timezone: row.try_get("timezone").map_err(map_pg)?,
        active: row.try_get("active").map_err(map_pg)?,
        archived_at: archived_at.map(Timestamp::from_chrono),
        version: to_u64(row.try_get("version").map_err(map_pg)?, "artist version")?,
        created_at: Timestamp::from_chrono(row.try_get("created_at").map_err(map_pg)?),
        updated_at: Timestamp::from_chrono(row.try_get("updated_at").map_err(map_pg)?),
    })
}

fn booking_from_row(row: &Row) -> Result<Booking, StoreError> {
    let status: &str = row.try_get("status").map_err(map_pg)?;
    let project_id: Option<Uuid> = row.try_get("project_id").map_err(map_pg)?;
    let expires_at: Option<DateTime<Utc>> = row.try_get("expires_at").map_err(map_pg)?;
    Ok(Booking {
        id: BookingId(row.try_get("id").map_err(map_pg)?),
        artist_id: ArtistId(row.try_get("artist_id").map_err(map_pg)?),
        project_id: project_id.map(Into::into),
        title: row.try_get("title").map_err(map_pg)?,
        notes: row.try_get("notes").map_err(map_pg)?,
        start_time: Timestamp::from_chrono(row.try_get("start_time").map_err(map_pg)?),
        end_time: Timestamp::from_chrono(row.try_get("end_time").map_err(map_pg)?),
        status: BookingStatus::parse(status)
            .ok_or_else(|| StoreError::Other(format!("unknown booking status `{status}` in the database")))?,
        expires_at: expires_at.map(Timestamp::from_chrono),
        version: to_u64(row.try_get("version").map_err(map_pg)?, "booking version")?,
        created_at: Timestamp::from_chrono(row.try_get("created_at").map_err(map_pg)?),
        created_by: row.try_get("created_by").map_err(map_pg)?,
        updated_at: Timestamp::from_chrono(row.try_get("updated_at").map_err(map_pg)?),
        updated_by: row.try_get("updated_by").map_err(map_pg)?,
    })
}

fn event_from_row(row: &Row) -> Result<EventEnvelope, StoreError> {
    let payload: serde_json::Value = row.try_get("payload").map_err(map_pg)?;
    Ok(EventEnvelope {
        seq: to_u64(row.try_get("seq").map_err(map_pg)?, "seq")?,
        cmd_id: CmdId(row.try_get("cmd_id").map_err(map_pg)?),
        at: Timestamp::from_chrono(row.try_get("at").map_err(map_pg)?),
        by: row.try_get("actor").map_err(map_pg)?,
        event: serde_json::from_value(payload)
            .map_err(|e| StoreError::Other(format!("undecodable event payload in the database: {e}")))?,
    })
}

const ARTIST_COLUMNS: &str = "id, name, email, skills, timezone, active, archived_at, version, created_at, updated_at";
const BOOKING_COLUMNS: &str = "id, artist_id, project_id, title, notes, start_time, end_time, status, expires_at, \
                               version, created_at, created_by, updated_at, updated_by";
const EVENT_COLUMNS: &str = "seq, cmd_id, at, actor, payload";

// ---------------------------------------------------------------------------
// Bulk statements of `append`: each binds one array per column and inserts
// every row with a single `INSERT … SELECT … FROM UNNEST(…)`.

const INSERT_EVENTS: &str = "\
INSERT INTO events (tenant_id, seq, cmd_id, entity, entity_id, kind, payload, actor, at)
SELECT $1::uuid, u.* FROM UNNEST($2::bigint[], $3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::jsonb[],
                                 $8::text[], $9::timestamptz[]) AS u";

const INSERT_COMMANDS: &str = "\
INSERT INTO commands (tenant_id, cmd_id, request_hash, first_seq, last_seq, outcome, actor, at)
SELECT $1::uuid, u.* FROM UNNEST($2::uuid[], $3::bigint[], $4::bigint[], $5::bigint[], $6::jsonb[], $7::text[],
                                 $8::timestamptz[]) AS u";

// A text[] per row cannot travel inside a text[][] (UNNEST flattens it and
// PostgreSQL arrays must be rectangular), so skills travel as one JSON array each.
const UPSERT_ARTISTS: &str = "\
INSERT INTO artists (tenant_id, id, name, email, skills, timezone, active, archived_at, version, created_at, updated_at)
SELECT $1::uuid, u.id, u.name, u.email,
       ARRAY(SELECT s FROM jsonb_array_elements_text(u.skills) WITH ORDINALITY AS k(s, n) ORDER BY n),
       u.timezone, u.active, u.archived_at, u.version, u.created_at, u.updated_at
FROM UNNEST($2::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::bool[], $8::timestamptz[],
            $9::bigint[], $10::timestamptz[], $11::timestamptz[])
     AS u(id, name, email, skills, timezone, active, archived_at, version, created_at, updated_at)
ON CONFLICT (tenant_id, id) DO UPDATE SET
    name = EXCLUDED.name, email = EXCLUDED.email, skills = EXCLUDED.skills, timezone = EXCLUDED.timezone,
    active = EXCLUDED.active, archived_at = EXCLUDED.archived_at, version = EXCLUDED.version,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at";

const UPSERT_BOOKINGS: &str = "\
INSERT INTO bookings (tenant_id, id, artist_id, project_id, title, notes, start_time, end_time, status, expires_at,
                      version, created_at, created_by, updated_at, updated_by)
SELECT $1::uuid, u.* FROM UNNEST($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::timestamptz[],
                                 $8::timestamptz[], $9::text[], $10::timestamptz[], $11::bigint[], $12::timestamptz[],
                                 $13::text[], $14::timestamptz[], $15::text[]) AS u
ON CONFLICT (tenant_id, id) DO UPDATE SET
    artist_id = EXCLUDED.artist_id, project_id = EXCLUDED.project_id, title = EXCLUDED.title,
    notes = EXCLUDED.notes, start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time,
    status = EXCLUDED.status, expires_at = EXCLUDED.expires_at, version = EXCLUDED.version,
    created_at = EXCLUDED.created_at, created_by = EXCLUDED.created_by,
    updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by";

/// Keeps, per entity id, the state carried by the highest `seq` (an
/// `ON CONFLICT DO UPDATE` may not touch one row twice in one statement).
struct LastStates<'a, K, V> {
    order: Vec<K>,
    latest: HashMap<K, (u64, &'a V)>,
}

impl<'a, K: Copy + Eq + std::hash::Hash, V> LastStates<'a, K, V> {
    fn new() -> Self {
        Self { order: Vec::new(), latest: HashMap::new() }
    }

    fn offer(&mut self, id: K, seq: u64, state: &'a V) {
        match self.latest.get_mut(&id) {
            Some(slot) if slot.0 <= seq => *slot = (seq, state),
            Some(_) => {}
            None => {
                self.order.push(id);
                self.latest.insert(id, (seq, state));
            }
        }
    }

    fn states(&self) -> impl Iterator<Item = &'a V> + '_ {
        self.order.iter().map(|id| self.latest[id].1)
    }
}

async fn insert_events(tx: &Transaction<'_>, tenant: Uuid, batch: &[CommandRecord]) -> Result<(), StoreError> {
    let n = batch.iter().map(|r| r.events.len()).sum();
    if n == 0 {
        return Ok(());
    }
    let (mut seq, mut cmd, mut entity, mut entity_id, mut kind, mut payload, mut actor, mut at) = (
        Vec::<i64>::with_capacity(n),
        Vec::<Uuid>::with_capacity(n),
        Vec::<&str>::with_capacity(n),
        Vec::<Uuid>::with_capacity(n),
        Vec::<&str>::with_capacity(n),
        Vec::<serde_json::Value>::with_capacity(n),
        Vec::<&str>::with_capacity(n),
        Vec::<DateTime<Utc>>::with_capacity(n),
    );
    for env in batch.iter().flat_map(|r| &r.events) {
        let target = env.event.entity();
        seq.push(to_i64(env.seq, "seq")?);
        cmd.push(env.cmd_id.0);
        entity.push(target.kind());
        entity_id.push(target.uuid());
        kind.push(env.event.kind());
        payload.push(
            serde_json::to_value(&env.event).map_err(|e| StoreError::Other(format!("cannot encode an event: {e}")))?,
        );
        actor.push(&env.by);
        at.push(env.at.to_chrono());
    }
    tx.execute(INSERT_EVENTS, &[&tenant, &seq, &cmd, &entity, &entity_id, &kind, &payload, &actor, &at])
        .await
        .map_err(map_pg)?;
    Ok(())
}

async fn insert_commands(tx: &Transaction<'_>, tenant: Uuid, batch: &[CommandRecord]) -> Result<(), StoreError> {
    let n = batch.len();
    let (mut cmd, mut hash, mut first, mut last, mut outcome, mut actor, mut at) = (
        Vec::<Uuid>::with_capacity(n),
        Vec::<i64>::with_capacity(n),
        Vec::<i64>::with_capacity(n),
        Vec::<i64>::with_capacity(n),
        Vec::<&serde_json::Value>::with_capacity(n),
        Vec::<&str>::with_capacity(n),
        Vec::<DateTime<Utc>>::with_capacity(n),
    );
    for rec in batch {
        cmd.push(rec.cmd_id.0);
        // The u64 keeps its bits: hashes ≥ 2^63 are stored as negative bigints.
        hash.push(rec.request_hash as i64);
        first.push(to_i64(rec.first_seq(), "seq")?);
        last.push(to_i64(rec.last_seq(), "seq")?);
        outcome.push(&rec.outcome);
        actor.push(&rec.by);
        at.push(rec.at.to_chrono());
    }
    tx.execute(INSERT_COMMANDS, &[&tenant, &cmd, &hash, &first, &last, &outcome, &actor, &at]).await.map_err(map_pg)?;
    Ok(())
}

async fn upsert_artists(tx: &Transaction<'_>, tenant: Uuid, artists: &[&Artist]) -> Result<(), StoreError> {
    if artists.is_empty() {
        return Ok(());
    }
    let id: Vec<Uuid> = artists.iter().map(|a| a.id.0).collect();
    let name: Vec<&str> = artists.iter().map(|a| a.name.as_str()).collect();
    let email: Vec<Option<&str>> = artists.iter().map(|a| a.email.as_deref()).collect();
    let skills: Vec<serde_json::Value> = artists.iter().map(|a| serde_json::json!(a.skills)).collect();
    let timezone: Vec<&str> = artists.iter().map(|a| a.timezone.as_str()).collect();
    let active: Vec<bool> = artists.iter().map(|a| a.active).collect();
    let archived_at: Vec<Option<DateTime<Utc>>> =
        artists.iter().map(|a| a.archived_at.map(|t| t.to_chrono())).collect();
    let version: Vec<i64> = artists.iter().map(|a| to_i64(a.version, "artist version")).collect::<Result<_, _>>()?;
    let created_at: Vec<DateTime<Utc>> = artists.iter().map(|a| a.created_at.to_chrono()).collect();
    let updated_at: Vec<DateTime<Utc>> = artists.iter().map(|a| a.updated_at.to_chrono()).collect();
    tx.execute(
        UPSERT_ARTISTS,
        &[&tenant, &id, &name, &email, &skills, &timezone, &active, &archived_at, &version, &created_at, &updated_at],
    )
    .await
    .map_err(map_pg)?;
    Ok(())
}

async fn upsert_bookings(tx: &Transaction<'_>, tenant: Uuid, bookings: &[&Booking]) -> Result<(), StoreError> {
    if bookings.is_empty() {
        return Ok(());
    }
    let id: Vec<Uuid> = bookings.iter().map(|b| b.id.0).collect();
    let artist_id: Vec<Uuid> = bookings.iter().map(|b| b.artist_id.0).collect();
    let project_id: Vec<Option<Uuid>> = bookings.iter().map(|b| b.project_id.map(|p| p.0)).collect();
    let title: Vec<&str> = bookings.iter().map(|b| b.title.as_str()).collect();
    let notes: Vec<Option<&str>> = bookings.iter().map(|b| b.notes.as_deref()).collect();
    let start: Vec<DateTime<Utc>> = bookings.iter().map(|b| b.start_time.to_chrono()).collect();
    let end: Vec<DateTime<Utc>> = bookings.iter().map(|b| b.end_time.to_chrono()).collect();
    let status: Vec<&str> = bookings.iter().map(|b| b.status.as_str()).collect();
    let expires_at: Vec<Option<DateTime<Utc>>> = bookings.iter().map(|b| b.expires_at.map(|t| t.to_chrono())).collect();
    let version: Vec<i64> = bookings.iter().map(|b| to_i64(b.version, "booking version")).collect::<Result<_, _>>()?;
    let created_at: Vec<DateTime<Utc>> = bookings.iter().map(|b| b.created_at.to_chrono()).collect();
    let created_by: Vec<&str> = bookings.iter().map(|b| b.created_by.as_str()).collect();
    let updated_at: Vec<DateTime<Utc>> = bookings.iter().map(|b| b.updated_at.to_chrono()).collect();
    let updated_by: Vec<&str> = bookings.iter().map(|b| b.updated_by.as_str()).collect();
    tx.execute(
        UPSERT_BOOKINGS,
        &[
            &tenant,
            &id,
            &artist_id,
            &project_id,
            &title,
            &notes,
            &start,
            &end,
            &status,
            &expires_at,
            &version,
            &created_at,
            &created_by,
            &updated_at,
            &updated_by,
        ],
    )
    .await
    .map_err(map_pg)?;
    Ok(())
}

/// The newest snapshot, if it decodes and agrees with its `seq` column. An
/// unreadable one is logged and ignored: the projections hold the same state.
async fn newest_snapshot(tx: &Transaction<'_>, tenant: TenantId) -> Result<Option<TenantState>, StoreError> {
    let Some(row) = tx
        .query_opt("SELECT seq, payload FROM snapshots WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1", &[&tenant.0])
        .await
        .map_err(map_pg)?
    else {
        return Ok(None);
    };
    let seq: i64 = row.try_get("seq").map_err(map_pg)?;
    let payload: &[u8] = row.try_get("payload").map_err(map_pg)?;
    match snapshot::decode(payload) {
        Ok(state) if i64::try_from(state.last_seq) == Ok(seq) => Ok(Some(state)),
        Ok(state) => {
            tracing::warn!(%tenant, seq, inner_seq = state.last_seq, "ignoring a misfiled snapshot; loading projections");
            Ok(None)
        }
        Err(e) => {
            tracing::warn!(%tenant, seq, error = %e, "ignoring an unreadable snapshot; loading projections");
            Ok(None)
        }
    }
}

/// The tenant's state from the projection tables and the end of its log.
async fn load_projections(tx: &Transaction<'_>, tenant: TenantId) -> Result<TenantState, StoreError> {
    let artists = tx
        .query(&format!("SELECT {ARTIST_COLUMNS} FROM artists WHERE tenant_id = $1 ORDER BY id"), &[&tenant.0])
        .await
        .map_err(map_pg)?;
    let bookings = tx
        .query(&format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE tenant_id = $1 ORDER BY id"), &[&tenant.0])
        .await
        .map_err(map_pg)?;
    let last_seq: i64 = tx
        .query_one("SELECT coalesce(max(seq), 0) FROM events WHERE tenant_id = $1", &[&tenant.0])
        .await
        .map_err(map_pg)?
        .try_get(0)
        .map_err(map_pg)?;
    Ok(TenantState {
        artists: artists.iter().map(artist_from_row).collect::<Result<_, _>>()?,
        bookings: bookings.iter().map(booking_from_row).collect::<Result<_, _>>()?,
        last_seq: to_u64(last_seq, "seq")?,
    })
}

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
        let mut conn = self.conn().await?;
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
        let conn = self.conn().await?;
        let row =
            conn.query_one("SELECT to_regclass('pt_schema_migrations') IS NOT NULL", &[]).await.map_err(map_pg)?;
        let latest = Self::latest_version();
        if !row.try_get::<_, bool>(0).map_err(map_pg)? {
            return Err(StoreError::Other(format!(
                "migrations not applied: no pt_schema_migrations table (expected version {latest})"
            )));
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
        insert_events(&tx, tenant.0, batch).await?;
        insert_commands(&tx, tenant.0, batch).await?;
        upsert_artists(&tx, tenant.0, &artists).await?;
        upsert_bookings(&tx, tenant.0, &bookings).await?;
        // Deferred constraints (no_double_booking) are checked here; a failure
        // rolls the whole batch back and maps like any other statement error.
        tx.commit().await.map_err(map_pg)?;
        tracing::debug!(%tenant, commands = batch.len(), artists = artists.len(), bookings = bookings.len(), "batch persisted");
        Ok(())
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

/// Throw-away databases for tests (this crate's and the server's).
///
/// Always compiled (integration tests of other crates cannot see
/// `#[cfg(test)]` items) and small: no test-only dependencies.
pub mod testing {
    use tokio_postgres::NoTls;

    /// The admin connection used to create and drop test databases.
    pub const ADMIN_URL_ENV: &str = "PT_TEST_DATABASE_URL";
    pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

    /// A database of its own for one test; dropped (best effort) when this is dropped.
    #[derive(Debug)]
    pub struct TestDb {
        /// Connection URL of the new database.
        pub url: String,
        /// Its name, `pt_test_<uuid>`.
        pub name: String,
    }

    fn admin_url() -> String {
        std::env::var(ADMIN_URL_ENV).unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned())
    }

    /// `admin` with its database replaced by `db`; accepts URLs and `key=value` strings.
    fn with_database(admin: &str, db: &str) -> String {
        let Some((scheme, rest)) = admin.split_once("://") else {
            // key=value form: a later key overrides an earlier one.
            return format!("{admin} dbname={db}");
        };
        let end_of_authority = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end_of_authority);
        let query = tail.find('?').map_or("", |i| &tail[i..]);
        format!("{scheme}://{authority}/{db}{query}")
    }

    async fn admin_client() -> Result<tokio_postgres::Client, tokio_postgres::Error> {
        let (client, connection) = tokio_postgres::connect(&admin_url(), NoTls).await?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(client)
    }

    /// Creates an empty, uniquely named database (not migrated) and returns it.
    ///
    /// Panics when the admin server cannot be reached: tests need it.
    pub async fn fresh_db() -> TestDb {
        let name = format!("pt_test_{}", uuid::Uuid::new_v4().simple());
        let admin = admin_client()
            .await
            .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL at {} ({ADMIN_URL_ENV}): {e}", admin_url()));
        // Concurrent CREATE DATABASEs can collide on the template ("being
        // accessed by other users"); a short retry absorbs that.
        let mut attempt = 0;
        loop {
            match admin.batch_execute(&format!("CREATE DATABASE {name}")).await {
                Ok(()) => break,
                Err(e) if attempt < 20 && e.code() == Some(&tokio_postgres::error::SqlState::OBJECT_IN_USE) => {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                Err(e) => panic!("cannot create test database {name}: {e:?}"),
            }
        }
        TestDb { url: with_database(&admin_url(), &name), name }
    }

    impl Drop for TestDb {
        fn drop(&mut self) {
            // A thread of its own with its own runtime: Drop cannot await, and
            // blocking on a runtime from inside another one panics.
            let name = self.name.clone();
            let dropped = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                runtime.block_on(async {
                    let admin = admin_client().await.ok()?;
                    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok()
                })
            })
            .join();
            if !matches!(dropped, Ok(Some(()))) {
                eprintln!("warning: could not drop test database {}", self.name);
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::with_database;

        #[test]
        fn database_is_replaced_in_urls_and_key_value_strings() {
            assert_eq!(with_database("postgres://u@h:5432/postgres", "x"), "postgres://u@h:5432/x");
            assert_eq!(
                with_database("postgres://u@h/postgres?sslmode=disable", "x"),
                "postgres://u@h/x?sslmode=disable"
            );
            assert_eq!(with_database("postgresql://u@h", "x"), "postgresql://u@h/x");
            assert_eq!(with_database("host=h user=u dbname=postgres", "x"), "host=h user=u dbname=postgres dbname=x");
        }
    }
}
