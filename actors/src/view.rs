//! The view actor: one per tenant, fed by the log in `seq` order. It keeps the
//! studio's state as the events say it is (the read model realtime clients
//! see), a tail of recent events, and broadcasts each event annotated with the
//! entity's state *before* it — so a subscription to a project or an artist
//! also hears about a booking that just left it.
//!
//! Because snapshot and subscription come from this one actor in one step, a
//! subscriber gets the state as of exactly `seq` and then every later event,
//! with no gap and no repeat.

use crate::domain::project::Projects;
use crate::store::TenantState;
use pt_protocol::ws::View;
use pt_protocol::{Artist, ArtistId, Booking, BookingId, EventEnvelope};
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use tokio::sync::broadcast;

/// Events kept in memory for resuming clients, by default. The registry keeps
/// the tail larger than the in-flight window (`--max-in-flight`, 20,000 by
/// default), so whatever is older is durable and read from the store; with
/// the defaults the tail is that window + 1. It was 65,536: each event is held
/// with its encoded frame (~1 KB), which made the tail the largest live
/// structure under write load (heaptrack, BENCHMARKS.md).
pub const TAIL: usize = 16_384;
/// Broadcast buffer per tenant, by default; a subscriber that falls this far
/// behind is disconnected as a slow consumer (it resumes from its last `seq`).
pub const BROADCAST: usize = 8_192;

/// An event as published to subscribers.
#[derive(Debug)]
pub struct Published {
    pub env: EventEnvelope,
    /// The booking's state before this event (None for a new booking).
    pub booking_before: Option<Arc<Booking>>,
    /// `env` as MessagePack, encoded by the first session that sends it and
    /// shared by the rest (see [`pt_protocol::ws::codec::encode_event_frame`]).
    encoded: std::sync::OnceLock<Vec<u8>>,
}

impl Published {
    pub fn new(env: EventEnvelope, booking_before: Option<Arc<Booking>>) -> Self {
        Self { env, booking_before, encoded: std::sync::OnceLock::new() }
    }

    /// The envelope's MessagePack encoding (computed once).
    pub fn encoded(&self) -> &[u8] {
        self.encoded.get_or_init(|| pt_protocol::ws::codec::encode(&self.env))
    }

    /// Does this event touch `view`? Looks at the state before and after.
    pub fn touches(&self, view: &View) -> bool {
        if self.env.event.is_job() {
            return matches!(view, View::Tenant);
        }
        if let Some(project) = self.env.event.project_id() {
            return match view {
                View::Tenant => true,
                View::Project { project_id } => *project_id == project,
                View::Artist { .. } | View::Window { .. } => false,
            };
        }
        match &self.env.event {
            event if event.artist().is_some() => event.artist().is_some_and(|a| artist_in(view, a.id)),
            _ => {
                let after = self.env.event.booking();
                after.is_some_and(|b| booking_in(view, b))
                    || self.booking_before.as_ref().is_some_and(|b| booking_in(view, b))
            }
        }
    }
}

pub fn artist_in(view: &View, id: ArtistId) -> bool {
    match view {
        View::Tenant => true,
        View::Artist { artist_id } => *artist_id == id,
        View::Project { .. } => false,
        View::Window { artist_ids, .. } => artist_ids.contains(&id),
    }
}

pub fn booking_in(view: &View, b: &Booking) -> bool {
    match view {
        View::Tenant => true,
        View::Artist { artist_id } => b.artist_id == *artist_id,
        View::Project { project_id } => b.project_id == Some(*project_id),
        View::Window { artist_ids, range } => artist_ids.contains(&b.artist_id) && b.range().overlaps(range),
    }
}

/// A view's state at one `seq`, and the stream of what follows.
pub struct ViewSnapshot {
    pub seq: u64,
    pub artists: Vec<Artist>,
    pub bookings: Vec<Arc<Booking>>,
    /// Every plan for the tenant view, the one project's for a project view.
    pub projects: Vec<pt_protocol::ProjectPlan>,
    pub events: broadcast::Receiver<Arc<Published>>,
}

pub enum ViewMsg {
    /// From the log, in `seq` order.
    Apply(Vec<EventEnvelope>),
    /// The state of a view now, and a receiver of every later event.
    Snapshot(View, RpcReplyPort<ViewSnapshot>),
    /// The current `seq` and a receiver of every later event.
    Follow(RpcReplyPort<(u64, broadcast::Receiver<Arc<Published>>)>),
    /// Events after `seq` from the tail: Err(oldest seq held) when `seq` is older.
    Since(u64, RpcReplyPort<Result<Vec<Arc<Published>>, u64>>),
}

pub struct ViewActor;

pub struct ViewState {
    tail_len: usize,
    seq: u64,
    artists: HashMap<ArtistId, Artist>,
    /// The same `Arc`s the artist actors hold: one copy of each booking.
    bookings: HashMap<BookingId, Arc<Booking>>,
    projects: Projects,
    tail: VecDeque<Arc<Published>>,
    tx: broadcast::Sender<Arc<Published>>,
}

impl ViewState {
    fn apply(&mut self, env: EventEnvelope) {
        if env.seq <= self.seq {
            return;
        }
        self.seq = env.seq;
        let mut booking_before = None;
        if let Some(a) = env.event.artist() {
            self.artists.insert(a.id, a.clone());
        }
        if let Some(b) = env.event.shared_booking() {
            booking_before = self.bookings.insert(b.id, Arc::clone(b));
        }
        if let Some(gone) = env.event.removed_booking() {
            booking_before = self.bookings.remove(&gone);
        }
        if env.event.project_id().is_some() {
            self.projects.apply(&env.event);
        }
        let p = Arc::new(Published::new(env, booking_before));
        if self.tail.len() >= self.tail_len {
            self.tail.pop_front();
        }
        self.tail.push_back(p.clone());
        let _ = self.tx.send(p); // no subscribers is fine
    }

    fn snapshot(&self, view: &View) -> ViewSnapshot {
        let mut artists: Vec<Artist> =
            self.artists.values().filter(|a| a.archived_at.is_none() && artist_in(view, a.id)).cloned().collect();
        artists.sort_by_key(|a| a.id);
        let mut bookings: Vec<Arc<Booking>> = self.bookings.values().filter(|b| booking_in(view, b)).cloned().collect();
        bookings.sort_by_key(|b| (b.start_time, b.id));
        let projects = match view {
            View::Tenant => self.projects.plans(),
            View::Project { project_id } => self.projects.plan(*project_id).into_iter().collect(),
            View::Artist { .. } | View::Window { .. } => Vec::new(),
        };
        ViewSnapshot { seq: self.seq, artists, bookings, projects, events: self.tx.subscribe() }
    }

    fn since(&self, after: u64) -> Result<Vec<Arc<Published>>, u64> {
        let oldest = self.tail.front().map_or(self.seq + 1, |p| p.env.seq);
        if after + 1 < oldest {
            return Err(oldest);
        }
        Ok(self.tail.iter().filter(|p| p.env.seq > after).cloned().collect())
    }
}

impl Actor for ViewActor {
    type Msg = ViewMsg;
    type State = ViewState;
    /// The loaded state (its bookings apart, shared with the artist actors),
    /// how many recent events to keep, and the broadcast buffer.
    type Arguments = (TenantState, Vec<Arc<Booking>>, usize, usize);

    async fn pre_start(
        &self,
        _myself: ActorRef<ViewMsg>,
        (s, bookings, tail_len, broadcast_len): (TenantState, Vec<Arc<Booking>>, usize, usize),
    ) -> Result<ViewState, ActorProcessingErr> {
        Ok(ViewState {
            tail_len: tail_len.max(1),
            seq: s.last_seq,
            artists: s.artists.into_iter().map(|a| (a.id, a)).collect(),
            bookings: bookings.into_iter().map(|b| (b.id, b)).collect(),
            projects: Projects::load(s.projects, s.phases, s.dependencies, s.milestones),
            tail: VecDeque::new(),
            tx: broadcast::channel(broadcast_len.max(1)).0,
        })
    }

    async fn handle(
        &self,
        _myself: ActorRef<ViewMsg>,
        msg: ViewMsg,
        s: &mut ViewState,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            ViewMsg::Apply(events) => events.into_iter().for_each(|e| s.apply(e)),
            ViewMsg::Snapshot(view, reply) => {
                let _ = reply.send(s.snapshot(&view));
            }
            ViewMsg::Follow(reply) => {
                let _ = reply.send((s.seq, s.tx.subscribe()));
            }
            ViewMsg::Since(after, reply) => {
                let _ = reply.send(s.since(after));
            }
        }
        Ok(())
    }
}
