//! Persistence behind one trait.
//!
//! The in-memory actors are the authority for decisions; a store keeps the
//! event log, the command outcomes (idempotency) and the projection tables
//! (current artists and bookings) that a tenant is activated from. The
//! write-behind writer calls [`Store::append`] with a batch of commands, one
//! transaction per batch.
//!
//! Implementations: [`postgres::PgStore`] (production) and
//! [`sqlite::SqliteStore`] (the embedded default). Both pass one conformance
//! suite (`actors/tests/store_conformance.rs`).

pub mod auth;
pub mod feeds;
pub mod jobs;
pub mod notifications;
pub mod outbox;
pub mod plan;
pub mod postgres;
pub mod snapshot;
pub mod sqlite;

use async_trait::async_trait;
use pt_protocol::{
    Artist, ArtistId, Booking, BookingId, CmdId, Dependency, EventEnvelope, Milestone, Phase, Project, ProjectId,
    ProjectPlan, TenantId, Timestamp,
};

/// One accepted command on its way to the store: its events (in `seq` order,
/// contiguous) and the outcome a retry of the same `cmd_id` will receive.
#[derive(Clone, Debug)]
pub struct CommandRecord {
    pub cmd_id: CmdId,
    /// A stable hash of the request, to tell a retry from a reused key.
    pub request_hash: u64,
    pub by: String,
    pub at: Timestamp,
    pub events: Vec<EventEnvelope>,
    /// What the command answered (e.g. the booking after the change), as JSON.
    pub outcome: serde_json::Value,
}

impl CommandRecord {
    pub fn first_seq(&self) -> u64 {
        self.events.first().map_or(0, |e| e.seq)
    }
    pub fn last_seq(&self) -> u64 {
        self.events.last().map_or(0, |e| e.seq)
    }
}

/// A batch's place in a pipeline of transactions (see [`Store::append_in_turn`]).
pub struct Turn {
    /// Told once every statement of the batch has run: its row locks are
    /// held, and only `COMMIT` is left. Dropped unsent when a statement failed.
    pub staged: tokio::sync::oneshot::Sender<()>,
    /// `true` once the batch before this one has committed: commit now.
    /// `false` (or dropped): that batch failed, roll this one back.
    pub go: tokio::sync::oneshot::Receiver<bool>,
}

/// What [`Store::append_in_turn`] answers when it was told not to commit.
pub const NOT_IN_TURN: &str = "the batch before this one did not commit; rolled back";

/// A command as stored: what a retry of its `cmd_id` gets back.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredCommand {
    pub cmd_id: CmdId,
    pub request_hash: u64,
    pub first_seq: u64,
    pub last_seq: u64,
    pub outcome: serde_json::Value,
}

/// Everything needed to activate a tenant.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TenantState {
    /// Includes archived artists (their bookings still exist).
    pub artists: Vec<Artist>,
    /// Every booking, whatever its status.
    pub bookings: Vec<Booking>,
    /// Every project, archived ones included.
    pub projects: Vec<Project>,
    /// Every phase that is not deleted.
    pub phases: Vec<Phase>,
    /// Every dependency that is not removed.
    pub dependencies: Vec<Dependency>,
    /// Every milestone that is not deleted.
    pub milestones: Vec<Milestone>,
    /// The highest `seq` in the tenant's log (0 when empty).
    pub last_seq: u64,
}

/// Writes a fresh snapshot of a tenant's durable state. Runs off the command
/// path (the writer spawns it every so many events): it reads what is
/// committed, so it needs no cooperation from the actors.
pub async fn compact(store: &dyn Store, tenant: TenantId) -> Result<u64, StoreError> {
    let state = store.load_tenant(tenant).await?;
    store.save_snapshot(tenant, &state).await?;
    Ok(state.last_seq)
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// The store refused the data (a constraint: exclusion `23P01`, unique, foreign key …).
    /// Retrying the same batch will fail again; the writer isolates the culprit.
    #[error("store rejected the write ({code}): {message}")]
    Rejected { code: String, message: String },
    /// The store cannot be reached or the connection broke; retrying later may work.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// Anything else (bad data read back, serialization …).
    #[error("store error: {0}")]
    Other(String),
}

/// Every store also keeps identity rows ([`auth::AuthStore`]).
#[async_trait]
pub trait Store:
    auth::AuthStore
    + feeds::FeedStore
    + jobs::JobStore
    + notifications::NotificationStore
    + outbox::OutboxStore
    + Send
    + Sync
    + 'static
{
    /// A short name for logs and `/readyz` ("postgres", "embedded").
    fn kind(&self) -> &'static str;

    /// Brings the schema up to date. Idempotent; safe to race with other servers.
    async fn migrate(&self) -> Result<(), StoreError>;

    /// Ok when the store answers and the schema is current.
    async fn ready(&self) -> Result<(), StoreError>;

    /// Creates the tenant row if missing.
    async fn ensure_tenant(&self, tenant: TenantId, name: &str) -> Result<(), StoreError>;

    /// The tenant's whole durable state as of its last committed `seq`: the
    /// newest valid snapshot plus the events after it (or an equivalent read
    /// of projections), read consistently — never a half-applied batch.
    async fn load_tenant(&self, tenant: TenantId) -> Result<TenantState, StoreError>;

    /// Saves a snapshot of `state` (at `state.last_seq`, bytes from
    /// [`snapshot::encode`]). Older snapshots may be pruned; the newest is kept.
    async fn save_snapshot(&self, tenant: TenantId, state: &TenantState) -> Result<(), StoreError>;

    /// The newest snapshot's `seq` (0 when there is none).
    async fn snapshot_seq(&self, tenant: TenantId) -> Result<u64, StoreError>;

    /// Persists a batch in ONE transaction: every record's events, its command
    /// outcome, and the projection rows (the entity states the events carry,
    /// applied in `seq` order). All or nothing.
    async fn append(&self, tenant: TenantId, batch: &[CommandRecord]) -> Result<(), StoreError>;

    /// Whether [`Store::append_in_turn`] overlaps batches (PostgreSQL: yes,
    /// on separate connections). A store that says no is written one batch
    /// at a time with [`Store::append`].
    fn pipelines(&self) -> bool {
        false
    }

    /// [`Store::append`] as one stage of a pipeline: runs the batch's
    /// statements in its own transaction while the batch before it commits,
    /// reports `turn.staged`, then waits for `turn.go` and commits only after
    /// that batch did — so commits land in `seq` order and a crash never
    /// leaves a later batch without an earlier one. Told `false`, it rolls
    /// back and answers `Unavailable(`[`NOT_IN_TURN`]`)`. This default is
    /// sequential: it waits for its turn, then appends.
    async fn append_in_turn(&self, tenant: TenantId, batch: &[CommandRecord], turn: Turn) -> Result<(), StoreError> {
        let _ = turn.staged.send(());
        match turn.go.await {
            Ok(true) => self.append(tenant, batch).await,
            _ => Err(StoreError::Unavailable(NOT_IN_TURN.into())),
        }
    }

    /// Every persisted command id of the tenant (read at activation, after
    /// [`Store::load_tenant`], so that a client-chosen id that is not among
    /// them, nor accepted since, needs no [`Store::find_command`]).
    async fn command_ids(&self, tenant: TenantId) -> Result<Vec<CmdId>, StoreError>;

    /// The stored outcome of a command, if it was persisted.
    async fn find_command(&self, tenant: TenantId, cmd_id: CmdId) -> Result<Option<StoredCommand>, StoreError>;

    /// Every event about one entity (booking or artist), in `seq` order.
    async fn entity_events(&self, tenant: TenantId, entity: uuid::Uuid) -> Result<Vec<EventEnvelope>, StoreError>;

    /// Events with `seq > after`, at most `limit`, in `seq` order.
    async fn events_since(&self, tenant: TenantId, after: u64, limit: usize) -> Result<Vec<EventEnvelope>, StoreError>;

    /// The durable state of one booking (used to revert a refused change).
    async fn load_booking(&self, tenant: TenantId, id: BookingId) -> Result<Option<Booking>, StoreError>;

    /// The durable state of one artist (used to revert a refused change).
    async fn load_artist(&self, tenant: TenantId, id: ArtistId) -> Result<Option<Artist>, StoreError>;

    /// The durable plan of one project (used to revert a refused change to
    /// it, its phases, dependencies or milestones).
    async fn load_project(&self, tenant: TenantId, id: ProjectId) -> Result<Option<ProjectPlan>, StoreError>;
}
