//! The write-behind writer of one tenant: group commit to the store.
//!
//! The log actor hands it sequenced command records through an unbounded
//! channel (the bound is enforced upstream: the log refuses new work when too
//! many events are not yet durable). The writer takes whatever has queued up —
//! while one transaction commits, the next batch accumulates, so batches grow
//! with load — writes a batch in ONE transaction, then publishes the `durable`
//! watermark and resolves each command's durability channel. On PostgreSQL
//! two batches overlap: the next one's statements run on a second connection
//! while the previous one commits, and its COMMIT waits for that one's — so
//! the log never has a gap, even across a crash.
//!
//! A batch the store *refuses* (a constraint: this is an invariant breach, the
//! actors should have prevented it) is retried record by record; the culprits
//! are reverted: their callers get `reverted`, their entities are restored in
//! memory from the store, and later events on those entities are skipped until
//! the owning actor fences them (it has restored, and decides from durable
//! state again). The restores travel as [`Reverts`] through the [`RevertSink`]
//! the writer is given at spawn (the tenant actor's reference): the writer
//! knows nothing of the actor that receives them. Any other failure
//! (unreachable, disk full, unexpected) is retried with backoff, forever; the
//! bounded in-flight window turns that into `overloaded` for new commands.

use crate::command::{DurableResult, Reverted};
use crate::log::LogMsg;
use crate::store::{CommandRecord, NOT_IN_TURN, Store, StoreError, Turn};
use pt_protocol::event::EntityRef;
use pt_protocol::{Artist, ArtistId, Booking, BookingId, ProjectId, ProjectPlan, TenantId};
use ractor::{ActorRef, DerivedActorRef};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::{JoinError, JoinHandle};
use tokio::time::Instant;

/// The durable state of an entity, for undoing a refused change.
#[derive(Debug, Clone)]
pub enum Restore {
    Booking(BookingId, Option<Booking>),
    Artist(ArtistId, Option<Artist>),
    /// A project's whole durable plan (`None`: the project was never
    /// persisted), replacing what memory has; `entities` are the refused
    /// change's entities of this project, to fence once it is restored.
    Project {
        id: ProjectId,
        durable: Option<Box<ProjectPlan>>,
        entities: Vec<EntityRef>,
    },
}

/// From the writer, after it reverted a command: the durable states of the
/// entities that command touched. Whoever owns those entities in memory takes
/// them, then fences each entity (`LogMsg::Fence`) so the writer stops
/// skipping its later events.
#[derive(Debug, Clone)]
pub struct Reverts(pub Vec<Restore>);

/// Where the writer sends [`Reverts`]: any actor whose message type converts
/// from them (the tenant actor). A derived reference sends straight into that
/// actor's mailbox, so a revert is queued there before its caller hears
/// `reverted`.
pub type RevertSink = DerivedActorRef<Reverts>;

pub enum WriterMsg {
    Record(Pending),
    /// The owner of this entity restored it; stop skipping its events.
    Fence(EntityRef),
}

pub struct Pending {
    pub record: CommandRecord,
    pub durable_tx: Option<DurableTx>,
}

#[derive(Clone, Debug)]
pub struct WriterConfig {
    /// Most records per transaction.
    pub max_batch: usize,
    /// When more than one record was waiting (the server is busy), wait this
    /// long for more before writing, so transactions carry more per COMMIT.
    /// An idle server writes at once.
    pub linger: Duration,
    /// Take a snapshot after this many events since the last one…
    pub snapshot_every: u64,
    /// …or after this long, if anything was written since.
    pub snapshot_interval: Duration,
}

impl Default for WriterConfig {
    fn default() -> Self {
        Self {
            max_batch: 1_024,
            linger: Duration::from_millis(2),
            snapshot_every: 10_000,
            snapshot_interval: Duration::from_secs(600),
        }
    }
}

pub struct Writer {
    pub tenant: TenantId,
    pub store: Arc<dyn Store>,
    pub config: WriterConfig,
    pub durable: watch::Sender<u64>,
    /// Receives the durable states of reverted entities.
    pub reverts: RevertSink,
    pub log: ActorRef<LogMsg>,
    /// Events committed since the newest snapshot.
    pub unsnapshotted: u64,
}

const BACKOFF_START: Duration = Duration::from_millis(50);
const BACKOFF_MAX: Duration = Duration::from_secs(2);

impl Writer {
    /// Runs until every sender is gone and the queue is drained.
    ///
    /// On a store that [`pipelines`](Store::pipelines) two batches overlap:
    /// while one commits, the next runs its statements on another connection
    /// and commits only after it ([`Store::append_in_turn`]). Commits stay in
    /// `seq` order and the watermark moves batch by batch, as before.
    pub async fn run(mut self, mut rx: mpsc::UnboundedReceiver<WriterMsg>) {
        let mut poisoned: HashSet<EntityRef> = HashSet::new();
        let mut compaction = Compaction::default();
        let mut batch: Vec<Pending> = Vec::new();
        let mut inflight: Option<InFlight> = None;
        let pipelines = self.store.pipelines();
        loop {
            // The first message of the next batch — or, while one is in
            // flight, that batch's end if it comes first.
            let first = match inflight.as_mut() {
                None => rx.recv().await,
                Some(f) => tokio::select! {
                    biased;
                    done = &mut f.task => {
                        let f = inflight.take().expect("in flight");
                        self.settle(f.txs, done, &mut poisoned).await;
                        continue;
                    }
                    m = rx.recv() => m,
                },
            };
            let Some(first) = first else { break };
            self.accept(first, &mut batch, &mut poisoned);
            while batch.len() < self.config.max_batch {
                match rx.try_recv() {
                    Ok(m) => self.accept(m, &mut batch, &mut poisoned),
                    Err(_) => break,
                }
            }
            // Linger only when nothing is in flight: otherwise the batch in
            // flight is what this one waits for anyway.
            if inflight.is_none()
                && batch.len() > 1
                && batch.len() < self.config.max_batch
                && !self.config.linger.is_zero()
            {
                let deadline = Instant::now() + self.config.linger;
                while batch.len() < self.config.max_batch {
                    match tokio::time::timeout_at(deadline, rx.recv()).await {
                        Ok(Some(m)) => self.accept(m, &mut batch, &mut poisoned),
                        _ => break,
                    }
                }
            }
            if batch.is_empty() {
                continue;
            }
            let events: usize = batch.iter().map(|p| p.record.events.len()).sum();
            let full = std::mem::take(&mut batch);
            if pipelines && !full.iter().any(|p| touches(&p.record, &poisoned)) {
                inflight = self.overlap(inflight, full, &mut poisoned).await;
            } else {
                // The careful path (an entity awaits its fence, or a store
                // that writes one batch at a time): after what is in flight.
                if let Some(f) = inflight.take() {
                    let done = f.task.await;
                    self.settle(f.txs, done, &mut poisoned).await;
                }
                self.write(full, &mut poisoned, false).await;
            }
            self.unsnapshotted += events as u64;
            self.maybe_compact(&mut compaction);
        }
        if let Some(f) = inflight.take() {
            let done = f.task.await;
            self.settle(f.txs, done, &mut poisoned).await;
        }
        if let Some(task) = compaction.task.take() {
            let _ = task.await;
        }
        tracing::debug!(tenant = %self.tenant, "writer drained and stopped");
    }

    /// Starts `batch` in its own transaction. With a batch in flight, first
    /// waits until that one's statements have run (it holds its row locks,
    /// so this batch can only queue behind them, never the other way round),
    /// then until it has committed, and only then lets this one commit. If
    /// it did not land, this one is rolled back and both are written again
    /// one after the other ([`Writer::write`]). Returns what is in flight now.
    async fn overlap(
        &self,
        inflight: Option<InFlight>,
        batch: Vec<Pending>,
        poisoned: &mut HashSet<EntityRef>,
    ) -> Option<InFlight> {
        let Some(mut prev) = inflight else {
            let (go_tx, go_rx) = oneshot::channel();
            let _ = go_tx.send(true);
            return Some(self.start(batch, go_rx));
        };
        let _ = (&mut prev.staged).await;
        let (go_tx, go_rx) = oneshot::channel();
        let next = self.start(batch, go_rx);
        let done = prev.task.await;
        if matches!(done, Ok((_, Ok(())))) {
            self.settle(prev.txs, done, poisoned).await;
            let _ = go_tx.send(true);
            return Some(next);
        }
        let _ = go_tx.send(false);
        let next_done = next.task.await;
        self.settle(prev.txs, done, poisoned).await;
        self.settle(next.txs, next_done, poisoned).await;
        None
    }

    /// Spawns the append of `batch`; it commits once `go` says so.
    fn start(&self, batch: Vec<Pending>, go: oneshot::Receiver<bool>) -> InFlight {
        let (records, txs): (Vec<CommandRecord>, Vec<_>) = batch.into_iter().map(|p| (p.record, p.durable_tx)).unzip();
        let (staged_tx, staged) = oneshot::channel();
        let (store, tenant) = (self.store.clone(), self.tenant);
        let task = tokio::spawn(async move {
            let result = store.append_in_turn(tenant, &records, Turn { staged: staged_tx, go }).await;
            (records, result)
        });
        InFlight { txs, staged, task }
    }

    /// A batch's append has ended: on success every command hears it is
    /// durable and the watermark moves; otherwise the batch is written again
    /// the careful way ([`Writer::write`]), which retries, isolates and
    /// reverts as needed.
    async fn settle(
        &self,
        txs: Vec<Option<DurableTx>>,
        done: Result<Landed, JoinError>,
        poisoned: &mut HashSet<EntityRef>,
    ) {
        let (records, result) = match done {
            Ok(landed) => landed,
            Err(e) => {
                // A panic in the store: the records went with it. Their
                // callers hear that their channel closed.
                tracing::error!(tenant = %self.tenant, error = %e, "a batch's append panicked");
                return;
            }
        };
        match result {
            Ok(()) => {
                let last = records.last().map_or(0, |r| r.last_seq());
                for (record, tx) in records.iter().zip(txs) {
                    if let Some(tx) = tx {
                        let _ = tx.send(Ok(record.last_seq()));
                    }
                }
                self.publish(last);
            }
            Err(e) => {
                // Rolled back on purpose, or refused by a statement: nothing
                // landed. A connection lost around COMMIT: it may have.
                let uncertain = matches!(&e, StoreError::Unavailable(m) | StoreError::Other(m) if m != NOT_IN_TURN);
                if uncertain {
                    tracing::warn!(tenant = %self.tenant, error = %e, "a batch's append failed; writing it again");
                }
                let batch =
                    records.into_iter().zip(txs).map(|(record, durable_tx)| Pending { record, durable_tx }).collect();
                self.write(batch, poisoned, uncertain).await;
            }
        }
    }

    /// Starts a snapshot in the background when enough was written, one at a
    /// time. It reads committed data only, so it never blocks the next batch.
    fn maybe_compact(&mut self, c: &mut Compaction) {
        if c.task.as_ref().is_some_and(|t| !t.is_finished()) || self.unsnapshotted == 0 {
            return;
        }
        let due = self.unsnapshotted >= self.config.snapshot_every
            || c.last.is_some_and(|at| at.elapsed() >= self.config.snapshot_interval);
        if c.last.is_none() {
            c.last = Some(Instant::now());
        }
        if !due {
            return;
        }
        let (store, tenant, events) = (self.store.clone(), self.tenant, self.unsnapshotted);
        self.unsnapshotted = 0;
        c.last = Some(Instant::now());
        c.task = Some(tokio::spawn(async move {
            let started = Instant::now();
            match crate::store::compact(&*store, tenant).await {
                Ok(seq) => tracing::info!(tenant = %tenant, seq, events,
                    ms = started.elapsed().as_millis() as u64, "snapshot taken"),
                Err(e) => tracing::warn!(tenant = %tenant, error = %e, "snapshot failed; the log still has everything"),
            }
        }));
    }

    fn accept(&self, msg: WriterMsg, batch: &mut Vec<Pending>, poisoned: &mut HashSet<EntityRef>) {
        match msg {
            WriterMsg::Record(p) => batch.push(p),
            WriterMsg::Fence(entity) => {
                poisoned.remove(&entity);
            }
        }
    }

    /// Writes a batch in one transaction, retrying while the store is
    /// unavailable; a refused batch is written command by command. `uncertain`:
    /// an earlier attempt may have committed (see [`Writer::append_retrying`]).
    async fn write(&self, batch: Vec<Pending>, poisoned: &mut HashSet<EntityRef>, uncertain: bool) {
        let clean = !batch.iter().any(|p| touches(&p.record, poisoned));
        if clean {
            let records: Vec<CommandRecord> = batch.iter().map(|p| p.record.clone()).collect();
            match self.append_retrying(&records, uncertain).await {
                Ok(()) => {
                    // Each command hears first, then the watermark moves: whoever
                    // sees the watermark can rely on the outcomes below it.
                    let last = records.last().map_or(0, |r| r.last_seq());
                    for p in batch {
                        let seq = p.record.last_seq();
                        if let Some(tx) = p.durable_tx {
                            let _ = tx.send(Ok(seq));
                        }
                    }
                    self.publish(last);
                    return;
                }
                Err(e) => {
                    tracing::error!(tenant = %self.tenant, error = %e, records = records.len(),
                        "store refused a batch; isolating the offending commands");
                }
            }
        }
        self.write_one_by_one(batch, poisoned).await;
    }

    /// Retries while the store is unreachable; returns a refusal at once.
    ///
    /// A connection that breaks during COMMIT leaves the outcome unknown: the
    /// batch may have landed. So after an `Unavailable`, a refusal of the retry
    /// is checked against the store before it is believed — the batch is one
    /// transaction, so its last command being stored means all of it is.
    async fn append_retrying(&self, records: &[CommandRecord], mut uncertain: bool) -> Result<(), StoreError> {
        let mut backoff = BACKOFF_START;
        loop {
            match self.store.append(self.tenant, records).await {
                // Only a constraint refusal is the data's fault. Anything else —
                // unreachable, full disk, a corrupt file, an unexpected error — is
                // the store's, and reverting accepted commands for it would lose
                // them: hold the batch and retry (the in-flight bound turns this
                // into `overloaded` for new commands).
                Err(StoreError::Unavailable(e) | StoreError::Other(e)) => {
                    uncertain = true;
                    tracing::warn!(tenant = %self.tenant, error = %e, retry_in_ms = backoff.as_millis() as u64,
                        "store not taking writes; holding {} command(s) in memory", records.len());
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(BACKOFF_MAX);
                }
                Err(refused) if uncertain => {
                    let Some(last) = records.last() else { return Err(refused) };
                    match self.store.find_command(self.tenant, last.cmd_id).await {
                        Ok(Some(stored)) if stored.last_seq == last.last_seq() => {
                            tracing::info!(tenant = %self.tenant, "a batch whose COMMIT looked lost had landed");
                            return Ok(());
                        }
                        Ok(_) => return Err(refused),
                        Err(e) => {
                            tracing::warn!(tenant = %self.tenant, error = %e, "cannot check a retried batch; retrying");
                            tokio::time::sleep(backoff).await;
                        }
                    }
                }
                other => return other,
            }
        }
    }

    async fn write_one_by_one(&self, batch: Vec<Pending>, poisoned: &mut HashSet<EntityRef>) {
        for p in batch {
            let seq = p.record.last_seq();
            let result = if touches(&p.record, poisoned) {
                Err(format!("an earlier change to the same {} was refused", entity_kinds(&p.record)))
            } else {
                self.append_retrying(std::slice::from_ref(&p.record), false).await.map_err(|e| e.to_string())
            };
            match result {
                Ok(()) => {
                    if let Some(tx) = p.durable_tx {
                        let _ = tx.send(Ok(seq));
                    }
                    self.publish(seq);
                }
                Err(reason) => {
                    tracing::error!(tenant = %self.tenant, cmd_id = %p.record.cmd_id, seq, %reason,
                        "INVARIANT BREACH: reverting an accepted command");
                    crate::metrics::REVERTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let mut restores = Vec::new();
                    let mut projects: Vec<(ProjectId, Vec<EntityRef>)> = Vec::new();
                    for e in &p.record.events {
                        let entity = e.event.entity();
                        if !poisoned.insert(entity) {
                            continue;
                        }
                        match e.event.project_id() {
                            // Project entities are restored a whole project at a time.
                            Some(id) => match projects.iter_mut().find(|(p, _)| *p == id) {
                                Some((_, entities)) => entities.push(entity),
                                None => projects.push((id, vec![entity])),
                            },
                            None => restores.push(self.durable_state(entity).await),
                        }
                    }
                    for (id, entities) in projects {
                        let durable = self.durable_project(id).await;
                        restores.push(Restore::Project { id, durable, entities });
                    }
                    let _ = self.log.send_message(LogMsg::Forget(p.record.cmd_id));
                    if !restores.is_empty() {
                        let _ = self.reverts.send_message(Reverts(restores));
                    }
                    if let Some(tx) = p.durable_tx {
                        let _ = tx.send(Err(Reverted { reason }));
                    }
                    self.publish(seq);
                }
            }
        }
    }

    async fn durable_state(&self, entity: EntityRef) -> Restore {
        let mut backoff = BACKOFF_START;
        loop {
            let r = match entity {
                EntityRef::Booking(id) => {
                    self.store.load_booking(self.tenant, id).await.map(|b| Restore::Booking(id, b))
                }
                EntityRef::Artist(id) => self.store.load_artist(self.tenant, id).await.map(|a| Restore::Artist(id, a)),
                // Project entities are restored per project (`durable_project`), never here.
                other => return Restore::Booking(BookingId(other.uuid()), None),
            };
            match r {
                Ok(r) => return r,
                Err(e) => {
                    tracing::warn!(tenant = %self.tenant, error = %e, "cannot read durable state to revert; retrying");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(BACKOFF_MAX);
                }
            }
        }
    }

    async fn durable_project(&self, id: ProjectId) -> Option<Box<ProjectPlan>> {
        let mut backoff = BACKOFF_START;
        loop {
            match self.store.load_project(self.tenant, id).await {
                Ok(plan) => return plan.map(Box::new),
                Err(e) => {
                    tracing::warn!(tenant = %self.tenant, error = %e, "cannot read a durable project to revert; retrying");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(BACKOFF_MAX);
                }
            }
        }
    }

    fn publish(&self, seq: u64) {
        self.durable.send_if_modified(|d| {
            if seq > *d {
                *d = seq;
                true
            } else {
                false
            }
        });
    }
}

type DurableTx = oneshot::Sender<DurableResult>;
/// What an append task gives back: its records and how it went.
type Landed = (Vec<CommandRecord>, Result<(), StoreError>);

/// A batch whose transaction is open on its own connection.
struct InFlight {
    /// The commands' durability channels, in the batch's order.
    txs: Vec<Option<DurableTx>>,
    /// Fires once its statements have run (or closes: they failed).
    staged: oneshot::Receiver<()>,
    task: JoinHandle<Landed>,
}

#[derive(Default)]
struct Compaction {
    task: Option<tokio::task::JoinHandle<()>>,
    last: Option<Instant>,
}

fn touches(record: &CommandRecord, poisoned: &HashSet<EntityRef>) -> bool {
    !poisoned.is_empty() && record.events.iter().any(|e| poisoned.contains(&e.event.entity()))
}

fn entity_kinds(record: &CommandRecord) -> &'static str {
    record.events.first().map_or("entity", |e| e.event.entity().kind())
}
