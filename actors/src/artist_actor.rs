//! One actor per artist: it serializes every booking command of that artist.
//!
//! The decision is pure ([`ArtistBook`]); the actor asks the tenant's log to
//! sequence the resulting event and applies it only once the log accepted it,
//! so memory never runs ahead of the log. It also owns the artist's hold
//! expiry timer, and it is one side of a move between artists (see
//! [`crate::tenant::Tenant::update_booking`]).

use crate::command::{Accepted, CmdMeta, CommandError, DurableWait, ask};
use crate::domain::availability::SpanCache;
use crate::domain::{ArtistBook, Availability, CheckResult, DecideCtx, Fit, NotifyCtx, StudioSettings};
use crate::error::DomainError;
use crate::log::{AppendRequest, AppendResult, LogMsg, Sequenced, sequence_all};
use crate::owners::Owners;
use pt_protocol::booking::BookingView;
use pt_protocol::event::EntityRef;
use pt_protocol::{
    Artist, ArtistId, Booking, BookingId, BookingPatch, BookingStatus, CmdId, Event, NewBooking, ProjectId, TimeRange,
    Timestamp,
};
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

pub type Reply<T> = RpcReplyPort<Result<Accepted<T>, CommandError>>;

/// Filters for listing bookings.
#[derive(Clone, Debug, Default)]
pub struct BookingFilter {
    pub range: Option<TimeRange>,
    pub project: Option<ProjectId>,
    pub status: Option<BookingStatus>,
}

pub enum ArtistMsg {
    Create {
        id: BookingId,
        new: Box<NewBooking>,
        meta: CmdMeta,
        reply: Reply<BookingView>,
    },
    Update {
        id: BookingId,
        patch: Box<BookingPatch>,
        meta: CmdMeta,
        reply: Reply<BookingView>,
    },
    Transition {
        id: BookingId,
        version: u64,
        to: BookingStatus,
        allow_overtime: Option<bool>,
        meta: CmdMeta,
        reply: Reply<BookingView>,
    },
    /// Challenge the 1st hold `id` with the hold `by` (see `artist_book_holds.rs`).
    Challenge {
        id: BookingId,
        by: BookingId,
        version: Option<u64>,
        meta: CmdMeta,
        reply: Reply<BookingView>,
    },
    /// Move, source side, step 1: validate and compute the moved booking.
    PrepareMove {
        id: BookingId,
        patch: Box<BookingPatch>,
        by: String,
        reply: RpcReplyPort<Result<Booking, DomainError>>,
    },
    /// Move, target side: check and hold the slot.
    Reserve {
        candidate: Box<Booking>,
        reply: RpcReplyPort<Result<(), DomainError>>,
    },
    /// Move, target side: give the slot back (the move failed).
    Release {
        id: BookingId,
    },
    /// Move, source side, step 2: the one accepted change.
    CommitMove {
        candidate: Box<Booking>,
        expected_version: u64,
        meta: CmdMeta,
        reply: Reply<BookingView>,
    },
    /// Move, target side: apply the accepted move event.
    ApplyMoved {
        event: Box<Event>,
    },
    Get {
        id: BookingId,
        reply: RpcReplyPort<Option<BookingView>>,
    },
    List {
        filter: BookingFilter,
        reply: RpcReplyPort<Vec<BookingView>>,
    },
    Check {
        range: TimeRange,
        exclude: Option<BookingId>,
        reply: RpcReplyPort<CheckResult>,
    },
    /// Only whether `range` is free (see [`ArtistBook::is_free`]).
    IsFree {
        range: TimeRange,
        reply: RpcReplyPort<bool>,
    },
    Availability {
        range: TimeRange,
        reply: RpcReplyPort<Availability>,
    },
    /// How the artist's free time fits a search range, at the search's
    /// clock, with the working spans the search's artists share.
    Fit {
        range: TimeRange,
        now: Timestamp,
        spans: Arc<SpanCache>,
        reply: RpcReplyPort<Fit>,
    },
    HasActiveFuture {
        reply: RpcReplyPort<bool>,
    },
    /// The artist's profile changed (from the tenant actor).
    SetArtist(Box<Artist>),
    /// Timer: expire overdue holds.
    ExpireDue,
    /// From the writer (via the tenant): the store refused a change; take its durable state.
    Restore {
        id: BookingId,
        durable: Option<Box<Booking>>,
    },
}

impl ArtistMsg {
    /// A change that may free a slot (or move a waiting hold up), after which
    /// the waiting list is looked at; reads and checks never do.
    fn may_free_a_slot(&self) -> bool {
        matches!(
            self,
            Self::Update { .. }
                | Self::Transition { .. }
                | Self::CommitMove { .. }
                | Self::ApplyMoved { .. }
                | Self::Release { .. }
                | Self::Restore { .. }
                | Self::SetArtist(_)
                | Self::ExpireDue
        )
    }
}

pub struct ArtistActor;

pub struct ArtistArgs {
    pub book: ArtistBook,
    pub log: ActorRef<LogMsg>,
    pub owners: Arc<Owners>,
    /// The studio's settings, owned by the tenant actor: a hold without
    /// `expiresAt` lasts the default hold current when it is decided.
    pub settings: watch::Receiver<Arc<StudioSettings>>,
    pub durable: watch::Receiver<u64>,
}

pub struct ArtistState {
    book: ArtistBook,
    log: ActorRef<LogMsg>,
    owners: Arc<Owners>,
    settings: watch::Receiver<Arc<StudioSettings>>,
    durable: watch::Receiver<u64>,
    /// When the pending expiry timer fires, if one is armed.
    timer_at: Option<Timestamp>,
}

/// Longest single timer; longer waits re-arm (keeps far-future holds cheap and exact).
const MAX_TIMER: Duration = Duration::from_secs(3_600);
/// Retry delay for expiries refused with `overloaded`.
const EXPIRY_RETRY: Duration = Duration::from_secs(1);

impl ArtistState {
    fn ctx(&self, by: &str) -> DecideCtx {
        let default_hold_micros = self.settings.borrow().default_hold_micros();
        DecideCtx { now: Timestamp::now(), by: by.into(), default_hold_micros }
    }

    /// Sequences `event` through the log; applies it on acceptance.
    async fn commit(&mut self, event: Event, meta: CmdMeta) -> Result<Accepted<BookingView>, CommandError> {
        let Some(booking) = event.booking().cloned() else {
            return Err(CommandError::Internal("artist actors only commit booking events".into()));
        };
        let mut events = vec![event.clone()];
        events.extend(self.notifications(&event, &meta.by));
        match sequence_all(&self.log, &self.durable, meta, events, &booking).await? {
            Sequenced::New { first_seq, last_seq, durable } => {
                self.apply(&event);
                let value = self.book.view(booking.id).unwrap_or(BookingView {
                    booking,
                    hold_rank: None,
                    warnings: Vec::new(),
                });
                Ok(Accepted { first_seq, last_seq, value, duplicate: false, durable: DurableWait::Channel(durable) })
            }
            Sequenced::Replay(acc) => {
                Ok(acc.map(|booking: Booking| BookingView { booking, hold_rank: None, warnings: Vec::new() }))
            }
        }
    }

    /// Who is told about `event` (decided, not yet applied): events of the
    /// same command (see `domain/artist_book_notify.rs`).
    fn notifications(&self, event: &Event, by: &str) -> Vec<Event> {
        let owners = &self.owners;
        let linked = |a: ArtistId| owners.linked(a);
        let prefs = |u, k| owners.choice(u, k);
        let ctx = NotifyCtx { by, now: Timestamp::now(), linked: &linked, prefs: &prefs };
        let notes = self.book.notifications_for(event, &ctx);
        notes.into_iter().map(|notification| Event::NotificationCreated { notification }).collect()
    }

    /// Waiting-list holds whose turn came take the status they asked for
    /// (see `domain/artist_book_holds.rs`), one event each, as `system:queue`.
    async fn place_queued(&mut self, myself: &ActorRef<ArtistMsg>) {
        while let Some(event) = self.book.decide_place_queued(&self.ctx("system:queue")) {
            let id = event.booking().map(|b| b.id);
            let meta = CmdMeta { cmd_id: CmdId::new(), request_hash: 0, by: "system:queue".into() };
            match self.commit(event, meta).await {
                Ok(_) => tracing::info!(booking = ?id, "a waiting hold took its place"),
                Err(e) => {
                    // Tried again after the artist's next change.
                    tracing::warn!(booking = ?id, error = %e, "could not place a waiting hold");
                    break;
                }
            }
        }
        self.arm_timer(myself);
    }

    /// How long the holder of a challenged 1st hold has to answer (the studio's setting).
    fn challenge_micros(&self) -> i64 {
        self.settings.borrow().challenge_micros()
    }

    /// Commits what the book decided, or answers its refusal.
    async fn commit_decided(
        &mut self,
        decided: Result<Event, DomainError>,
        meta: CmdMeta,
    ) -> Result<Accepted<BookingView>, CommandError> {
        match decided {
            Ok(event) => self.commit(event, meta).await,
            Err(e) => Err(e.into()),
        }
    }

    /// Sequences a system event that may carry no booking (a restore).
    async fn commit_event(&mut self, event: Event, meta: CmdMeta) -> Result<(), CommandError> {
        let req = AppendRequest {
            cmd_id: meta.cmd_id,
            request_hash: 0,
            by: meta.by,
            at: Timestamp::now(),
            events: vec![event.clone()],
            outcome: serde_json::Value::Null,
            durable_tx: None,
        };
        match ask(&self.log, |r| LogMsg::Append(Box::new(req), r)).await? {
            AppendResult::Accepted { .. } => {
                self.apply(&event);
                Ok(())
            }
            AppendResult::Duplicate(_) => Ok(()),
            AppendResult::Overloaded => Err(CommandError::Overloaded),
        }
    }

    fn apply(&mut self, event: &Event) {
        self.book.apply(event);
        if let Some(b) = event.booking() {
            let me = self.book.artist().id;
            if b.artist_id == me {
                self.owners.booking_owner.insert(b.id, me);
            }
        }
    }

    fn arm_timer(&mut self, myself: &ActorRef<ArtistMsg>) {
        let reminder = self.book.next_reminder(Timestamp::now());
        let Some(next) = self.book.next_expiry().into_iter().chain(reminder).min() else { return };
        if self.timer_at.is_some_and(|armed| armed <= next) {
            return;
        }
        let wait_micros = (next.micros() - Timestamp::now().micros()).max(0) as u64;
        let wait = Duration::from_micros(wait_micros).min(MAX_TIMER);
        self.timer_at = Some(Timestamp::now().plus_micros(wait.as_micros() as i64));
        myself.send_after(wait, || ArtistMsg::ExpireDue);
    }

    /// Reminders whose time came (see `domain/artist_book_reminders.rs`), as
    /// one command of `notificationCreated` events by `system:reminder`.
    async fn remind_due(&mut self) {
        let owners = self.owners.clone();
        let notes = {
            let (linked, prefs) = (|a| owners.linked(a), |u, k| owners.choice(u, k));
            let ctx = NotifyCtx { by: "system:reminder", now: Timestamp::now(), linked: &linked, prefs: &prefs };
            self.book.due_reminders(&ctx, &|id| owners.reminded.contains(&id))
        };
        if notes.is_empty() {
            return;
        }
        let ids: Vec<_> = notes.iter().map(|n| n.id).collect();
        let events = notes.into_iter().map(|notification| Event::NotificationCreated { notification }).collect();
        let meta = CmdMeta { cmd_id: CmdId::new(), request_hash: 0, by: "system:reminder".into() };
        match sequence_all(&self.log, &self.durable, meta, events, &ids).await {
            Ok(_) => ids.into_iter().for_each(|id| {
                owners.reminded.insert(id);
            }),
            Err(e) => tracing::warn!(error = %e, "could not give reminders; trying at the next change"),
        }
    }

    async fn expire_due(&mut self, myself: &ActorRef<ArtistMsg>) {
        self.timer_at = None;
        self.remind_due().await;
        let ctx = self.ctx("system:expiry");
        for id in self.book.overdue_holds(ctx.now) {
            let Some(event) = self.book.decide_expire(id, &ctx) else { continue };
            let meta = CmdMeta { cmd_id: CmdId::new(), request_hash: 0, by: ctx.by.to_string() };
            match self.commit(event, meta).await {
                Ok(_) => tracing::info!(booking = %id, "hold expired"),
                Err(e) => {
                    tracing::warn!(booking = %id, error = %e, "could not expire hold; retrying");
                    self.timer_at = Some(Timestamp::now().plus_micros(EXPIRY_RETRY.as_micros() as i64));
                    myself.send_after(EXPIRY_RETRY, || ArtistMsg::ExpireDue);
                    return;
                }
            }
        }
        self.arm_timer(myself);
    }
}

impl Actor for ArtistActor {
    type Msg = ArtistMsg;
    type State = ArtistState;
    type Arguments = ArtistArgs;

    async fn pre_start(
        &self,
        myself: ActorRef<ArtistMsg>,
        args: ArtistArgs,
    ) -> Result<ArtistState, ActorProcessingErr> {
        // Holds that lapsed while the tenant was inactive expire at once.
        myself.send_message(ArtistMsg::ExpireDue)?;
        let mut book = args.book;
        let mut settings = args.settings;
        book.set_studio(settings.borrow_and_update().clone());
        Ok(ArtistState { book, log: args.log, owners: args.owners, settings, durable: args.durable, timer_at: None })
    }

    async fn handle(
        &self,
        myself: ActorRef<ArtistMsg>,
        msg: ArtistMsg,
        s: &mut ArtistState,
    ) -> Result<(), ActorProcessingErr> {
        // New working week or holidays: every answer from here on uses them.
        if s.settings.has_changed().unwrap_or(false) {
            let settings = s.settings.borrow_and_update().clone();
            s.book.set_studio(settings);
        }
        let changes = s.book.has_queued() && msg.may_free_a_slot();
        match msg {
            ArtistMsg::Create { id, new, meta, reply } => {
                let ctx = s.ctx(&meta.by);
                let decided = s.book.decide_create(id, &new, &ctx);
                let _ = reply.send(s.commit_decided(decided, meta).await);
                s.arm_timer(&myself);
            }
            ArtistMsg::Update { id, patch, meta, reply } => {
                let ctx = s.ctx(&meta.by);
                let decided = s.book.decide_update(id, &patch, &ctx);
                let _ = reply.send(s.commit_decided(decided, meta).await);
                s.arm_timer(&myself);
            }
            ArtistMsg::Transition { id, version, to, allow_overtime, meta, reply } => {
                let ctx = s.ctx(&meta.by);
                let r = s.commit_decided(s.book.decide_transition(id, version, to, allow_overtime, &ctx), meta).await;
                let _ = reply.send(r);
                s.arm_timer(&myself);
            }
            ArtistMsg::Challenge { id, by, version, meta, reply } => {
                let ctx = s.ctx(&meta.by);
                let decided = s.book.decide_challenge(id, by, version, s.challenge_micros(), &ctx);
                let _ = reply.send(s.commit_decided(decided, meta).await);
                // The deadline is the hold's expiry: the timer may need to fire sooner.
                s.arm_timer(&myself);
            }
            ArtistMsg::PrepareMove { id, patch, by, reply } => {
                let _ = reply.send(s.book.prepare_move(id, &patch, &s.ctx(&by)));
            }
            ArtistMsg::Reserve { candidate, reply } => {
                let r = s.book.check_incoming(&candidate, &s.ctx("system:move"));
                if r.is_ok() {
                    s.book.reserve(&candidate);
                }
                let _ = reply.send(r);
            }
            ArtistMsg::Release { id } => s.book.release_reservation(id),
            ArtistMsg::CommitMove { candidate, expected_version, meta, reply } => {
                let r = match s.book.decide_move_out(&candidate, expected_version) {
                    // The booking leaves this artist; the coordinator asks the target for its view.
                    Ok(ev) => s.commit(ev, meta).await,
                    Err(e) => Err(e.into()),
                };
                let _ = reply.send(r);
            }
            ArtistMsg::ApplyMoved { event } => {
                s.apply(&event);
                s.arm_timer(&myself);
            }
            ArtistMsg::Get { id, reply } => {
                let _ = reply.send(s.book.view(id));
            }
            ArtistMsg::List { filter, reply } => {
                let mut v = s.book.views_in(filter.range);
                v.retain(|b| {
                    filter.project.is_none_or(|p| b.booking.project_id == Some(p))
                        && filter.status.is_none_or(|st| b.booking.status == st)
                });
                let _ = reply.send(v);
            }
            ArtistMsg::Check { range, exclude, reply } => {
                let _ = reply.send(s.book.check(range, exclude, Timestamp::now()));
            }
            ArtistMsg::IsFree { range, reply } => {
                let _ = reply.send(s.book.is_free(range));
            }
            ArtistMsg::Availability { range, reply } => {
                let _ = reply.send(s.book.availability(range, Timestamp::now()));
            }
            ArtistMsg::Fit { range, now, spans, reply } => {
                let _ = reply.send(s.book.fit_with(range, now, &spans));
            }
            ArtistMsg::HasActiveFuture { reply } => {
                let _ = reply.send(s.book.has_active_future(Timestamp::now()));
            }
            ArtistMsg::SetArtist(a) => s.book.set_artist(*a),
            ArtistMsg::ExpireDue => s.expire_due(&myself).await,
            ArtistMsg::Restore { id, durable } => {
                let me = s.book.artist().id;
                let durable = durable.map(|b| std::sync::Arc::new(*b));
                let mine = durable.as_ref().is_some_and(|b| b.artist_id == me);
                if mine {
                    s.owners.booking_owner.insert(id, me);
                } else {
                    s.owners.booking_owner.remove_if(&id, |_, owner| *owner == me);
                }
                s.book.restore(id, durable.clone());
                tracing::warn!(artist = %me, booking = %id, "restored booking from the store after a refused write");
                // Events on this booking decided from now on start from durable state…
                let _ = s.log.send_message(LogMsg::Fence(EntityRef::Booking(id)));
                // …and every copy (subscribers, the view, the store) hears of the
                // restore. The artist that holds the durable state speaks for it;
                // when nobody does (a refused creation), the previous owner does.
                if mine || durable.is_none() {
                    let event = pt_protocol::Event::BookingRestored { booking_id: id, booking: durable };
                    let meta = CmdMeta { cmd_id: CmdId::new(), request_hash: 0, by: "system:revert".into() };
                    if let Err(e) = s.commit_event(event, meta).await {
                        tracing::error!(booking = %id, error = %e, "could not publish the restore");
                    }
                }
                s.arm_timer(&myself);
            }
        }
        if changes {
            s.place_queued(&myself).await;
        }
        Ok(())
    }
}
