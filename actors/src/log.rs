//! The tenant's log actor: the single sequencer of one tenant.
//!
//! Every accepted command passes through here: the log checks that the writer
//! has room (bounded in-flight events → `overloaded`), recognises a retried
//! `cmd_id`, assigns the tenant-wide `seq`, broadcasts the events, and hands the
//! record to the write-behind writer. It never awaits I/O, so it stays fast; the
//! deciding actors call it and apply their events only once it has said yes.

use crate::command::{Accepted, CmdMeta, CommandError, DurableResult, DurableWait, ask, decode_outcome_json};
use crate::store::CommandRecord;
use crate::view::ViewMsg;
use crate::writer::{Pending, WriterMsg};
use pt_protocol::event::EntityRef;
use pt_protocol::{CmdId, Event, EventEnvelope, TenantId, Timestamp};
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::{HashMap, VecDeque};
use tokio::sync::{mpsc, oneshot, watch};

/// Remembered recent commands (for idempotent retries before they are durable
/// and while the store lookup would be racy). Older ones are answered from the
/// store; one not yet durable is never forgotten, however many there are.
/// (65,536 until each outcome's JSON answer showed up as a large live
/// allocation under write load; a retry of an older command is rare.)
const RECENT_COMMANDS: usize = 8_192;

/// A command's outcome as remembered by the log.
#[derive(Clone, Debug, PartialEq)]
pub struct RecentCommand {
    pub request_hash: u64,
    pub first_seq: u64,
    pub last_seq: u64,
    /// The answer as JSON text: a quarter of the memory of a
    /// `serde_json::Value` tree (found with heaptrack: the recent map of
    /// `Value`s was the largest live allocation under write load).
    pub outcome: std::sync::Arc<[u8]>,
}

#[derive(Debug)]
pub struct AppendRequest {
    pub cmd_id: CmdId,
    pub request_hash: u64,
    pub by: String,
    pub at: Timestamp,
    pub events: Vec<Event>,
    pub outcome: serde_json::Value,
    pub durable_tx: Option<oneshot::Sender<DurableResult>>,
}

#[derive(Debug)]
pub enum AppendResult {
    Accepted {
        first_seq: u64,
        last_seq: u64,
    },
    /// The `cmd_id` was seen before: here is what it answered then.
    Duplicate(RecentCommand),
    /// The writer is too far behind; nothing was appended.
    Overloaded,
}

pub enum LogMsg {
    /// From a deciding actor: sequence these events. Answers [`AppendResult`].
    Append(Box<AppendRequest>, RpcReplyPort<AppendResult>),
    /// From a deciding actor after it restored an entity: events on it decided
    /// from now on are based on the durable state again.
    Fence(EntityRef),
    /// From the writer: a command was reverted; forget its outcome.
    Forget(CmdId),
    /// Look up a recent command.
    Lookup(CmdId, RpcReplyPort<Option<RecentCommand>>),
    /// The last assigned `seq`.
    LastSeq(RpcReplyPort<u64>),
}

pub struct LogActor;

pub struct LogArgs {
    pub tenant: TenantId,
    pub last_seq: u64,
    pub writer_tx: mpsc::UnboundedSender<WriterMsg>,
    pub durable: watch::Receiver<u64>,
    /// The read model realtime subscribers follow; it gets every event in `seq` order.
    pub view: ActorRef<ViewMsg>,
    /// Maximum events accepted but not yet durable.
    pub capacity: u64,
}

pub struct LogState {
    args: LogArgs,
    recent: HashMap<CmdId, RecentCommand>,
    recent_order: VecDeque<CmdId>,
}

impl LogState {
    fn in_flight(&self) -> u64 {
        self.args.last_seq.saturating_sub(*self.args.durable.borrow())
    }

    fn remember(&mut self, cmd_id: CmdId, cmd: RecentCommand) {
        self.recent.insert(cmd_id, cmd);
        self.recent_order.push_back(cmd_id);
        let durable = *self.args.durable.borrow();
        while self.recent_order.len() > RECENT_COMMANDS {
            let Some(oldest) = self.recent_order.front().copied() else { break };
            // Only forget what the store can answer for.
            if self.recent.get(&oldest).is_some_and(|c| c.last_seq > durable) {
                break;
            }
            self.recent_order.pop_front();
            self.recent.remove(&oldest);
        }
    }

    fn append(&mut self, req: AppendRequest) -> AppendResult {
        if let Some(prev) = self.recent.get(&req.cmd_id) {
            return AppendResult::Duplicate(prev.clone());
        }
        let n = req.events.len() as u64;
        if n == 0 {
            return AppendResult::Accepted { first_seq: self.args.last_seq, last_seq: self.args.last_seq };
        }
        if self.in_flight() + n > self.args.capacity {
            return AppendResult::Overloaded;
        }
        let first_seq = self.args.last_seq + 1;
        let events: Vec<EventEnvelope> = req
            .events
            .into_iter()
            .enumerate()
            .map(|(i, event)| EventEnvelope {
                seq: first_seq + i as u64,
                cmd_id: req.cmd_id,
                at: req.at,
                by: req.by.clone(),
                event,
            })
            .collect();
        let last_seq = first_seq + n - 1;
        self.args.last_seq = last_seq;
        let _ = self.args.view.send_message(ViewMsg::Apply(events.clone()));
        self.remember(
            req.cmd_id,
            RecentCommand {
                request_hash: req.request_hash,
                first_seq,
                last_seq,
                outcome: serde_json::to_vec(&req.outcome).unwrap_or_default().into(),
            },
        );
        let record = CommandRecord {
            cmd_id: req.cmd_id,
            request_hash: req.request_hash,
            by: req.by,
            at: req.at,
            events,
            outcome: req.outcome,
        };
        if self.args.writer_tx.send(WriterMsg::Record(Pending { record, durable_tx: req.durable_tx })).is_err() {
            tracing::error!(tenant = %self.args.tenant, "writer is gone; the change stays in memory only");
        }
        AppendResult::Accepted { first_seq, last_seq }
    }
}

/// What sequencing a command's event gave.
pub enum Sequenced<T> {
    /// Newly sequenced: the caller applies the event now.
    New { first_seq: u64, last_seq: u64, durable: oneshot::Receiver<DurableResult> },
    /// A retry of a known `cmd_id`: its original answer; nothing was appended.
    Replay(Accepted<T>),
}

/// Asks the log to sequence `event`, the one event of a command whose answer
/// is `value` (stored as its outcome). A retry gets the stored answer back;
/// the same `cmd_id` with another request is refused; a full writer is `overloaded`.
pub async fn sequence<T: Serialize + DeserializeOwned>(
    log: &ActorRef<LogMsg>,
    durable_watch: &watch::Receiver<u64>,
    meta: CmdMeta,
    event: Event,
    value: &T,
) -> Result<Sequenced<T>, CommandError> {
    sequence_all(log, durable_watch, meta, vec![event], value).await
}

/// Waits until everything the log has sequenced so far is durable (a read
/// of the store then sees every change already answered). The inbox and
/// jobs actors decide from the store after it; reads of their rows wait for it.
pub async fn settled(log: &ActorRef<LogMsg>, durable: &watch::Receiver<u64>) -> Result<(), CommandError> {
    let last = crate::command::ask(log, LogMsg::LastSeq).await?;
    durable
        .clone()
        .wait_for(|d| *d >= last)
        .await
        .map(|_| ())
        .map_err(|_| CommandError::Unavailable("the studio is shutting down".into()))
}

/// [`sequence`] for a command with several events (a re-plan that moves many
/// phases): one `cmdId`, contiguous `seq`s, one outcome, all or nothing.
pub async fn sequence_all<T: Serialize + DeserializeOwned>(
    log: &ActorRef<LogMsg>,
    durable_watch: &watch::Receiver<u64>,
    meta: CmdMeta,
    events: Vec<Event>,
    value: &T,
) -> Result<Sequenced<T>, CommandError> {
    let outcome = serde_json::to_value(value).map_err(|e| CommandError::Internal(e.to_string()))?;
    let (durable_tx, durable) = oneshot::channel();
    let request_hash = meta.request_hash;
    let req = AppendRequest {
        cmd_id: meta.cmd_id,
        request_hash,
        by: meta.by,
        at: Timestamp::now(),
        events,
        outcome,
        durable_tx: Some(durable_tx),
    };
    match ask(log, |r| LogMsg::Append(Box::new(req), r)).await? {
        AppendResult::Accepted { first_seq, last_seq } => Ok(Sequenced::New { first_seq, last_seq, durable }),
        AppendResult::Duplicate(prev) if prev.request_hash != request_hash => Err(CommandError::IdempotencyKeyReused),
        AppendResult::Duplicate(prev) => Ok(Sequenced::Replay(Accepted {
            first_seq: prev.first_seq,
            last_seq: prev.last_seq,
            value: decode_outcome_json(&prev.outcome)?,
            duplicate: true,
            durable: DurableWait::Watermark { seq: prev.last_seq, durable: durable_watch.clone() },
        })),
        AppendResult::Overloaded => {
            crate::metrics::OVERLOADED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Err(CommandError::Overloaded)
        }
    }
}

impl Actor for LogActor {
    type Msg = LogMsg;
    type State = LogState;
    type Arguments = LogArgs;

    async fn pre_start(&self, _myself: ActorRef<LogMsg>, args: LogArgs) -> Result<LogState, ActorProcessingErr> {
        Ok(LogState { args, recent: HashMap::new(), recent_order: VecDeque::new() })
    }

    async fn handle(
        &self,
        _myself: ActorRef<LogMsg>,
        msg: LogMsg,
        state: &mut LogState,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            LogMsg::Append(req, reply) => {
                let result = state.append(*req);
                let _ = reply.send(result);
            }
            LogMsg::Fence(entity) => {
                let _ = state.args.writer_tx.send(WriterMsg::Fence(entity));
            }
            LogMsg::Forget(cmd_id) => {
                state.recent.remove(&cmd_id);
            }
            LogMsg::Lookup(cmd_id, reply) => {
                let _ = reply.send(state.recent.get(&cmd_id).cloned());
            }
            LogMsg::LastSeq(reply) => {
                let _ = reply.send(state.args.last_seq);
            }
        }
        Ok(())
    }
}
