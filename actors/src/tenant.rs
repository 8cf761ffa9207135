//! [`Tenant`]: the handle the server uses for one active studio. It routes each
//! command to the owning actor and answers reads from memory; history comes
//! from the store. Every write path goes: idempotency check → owning actor
//! (decides) → log (sequences) → caller gets [`Accepted`] → the writer makes it
//! durable (see [`Tenant::wait_durable`]).

use crate::artist_actor::{ArtistMsg, BookingFilter, Reply};
use crate::command::{Accepted, CmdMeta, CommandError, DurableWait, ask, decode_outcome};
use crate::domain::{Availability, CheckResult, SettingsPatch, StudioSettings};
use crate::error::DomainError;
use crate::log::LogMsg;
use crate::owners::Owners;
use crate::presence::PresenceMsg;
use crate::store::{Store, StoredCommand};
use crate::tenant_actor::{ArtistEdit, TenantMsg};
use crate::view::{Published, ViewMsg, ViewSnapshot};
use pt_protocol::booking::BookingView;
use pt_protocol::ws::View;
use pt_protocol::{
    Artist, ArtistId, ArtistPatch, Booking, BookingId, BookingPatch, BookingStatus, CmdId, Event, EventEnvelope,
    NewArtist, NewBooking, TenantId, TimeRange,
};
use ractor::ActorRef;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use tokio::sync::{Mutex, broadcast, watch};
use tokio::task::JoinHandle;

/// Who sends a command and how to recognise its retries.
#[derive(Clone, Debug)]
pub struct CmdInput {
    pub cmd_id: CmdId,
    /// Hash of the request body: a reused key with another body is refused.
    pub request_hash: u64,
    pub by: String,
    /// True when the client chose the `cmd_id` (an idempotency key): only then
    /// can it be a retry, so only then is the store consulted first.
    pub client_chosen: bool,
}

impl CmdInput {
    pub fn system(by: &str) -> Self {
        Self { cmd_id: CmdId::new(), request_hash: 0, by: by.into(), client_chosen: false }
    }

    pub(crate) fn meta(&self) -> CmdMeta {
        CmdMeta { cmd_id: self.cmd_id, request_hash: self.request_hash, by: self.by.clone() }
    }
}

pub struct Tenant {
    pub id: TenantId,
    pub(crate) actor: ActorRef<TenantMsg>,
    pub(crate) log: ActorRef<LogMsg>,
    pub(crate) owners: Arc<Owners>,
    pub(crate) durable: watch::Receiver<u64>,
    pub(crate) view: ActorRef<ViewMsg>,
    pub(crate) presence: ActorRef<PresenceMsg>,
    pub(crate) store: Arc<dyn Store>,
    /// Every client-chosen command id that may be in the store: those
    /// persisted before activation, and every one accepted since (added
    /// before it is decided). An id not in here cannot be a retry of a
    /// persisted command, so it skips the store lookup; a retry still finds
    /// its original answer (from the store, or from the log's recent map).
    pub(crate) known_cmds: dashmap::DashSet<CmdId>,
    /// The studio's settings as the tenant actor publishes them.
    pub(crate) settings: watch::Receiver<Arc<StudioSettings>>,
    /// One settings change at a time, so none is lost between reading the
    /// current settings and publishing the next ones.
    pub(crate) settings_update: Mutex<()>,
    pub(crate) writer: Mutex<Option<JoinHandle<()>>>,
}

/// How many times a command chases a booking that moved while it was routed.
const ROUTE_RETRIES: usize = 3;

impl Tenant {
    /// False once the tenant actor has stopped (it stops when an artist actor fails).
    pub fn is_alive(&self) -> bool {
        matches!(
            self.actor.get_status(),
            ractor::ActorStatus::Starting | ractor::ActorStatus::Running | ractor::ActorStatus::Upgrading
        )
    }

    /// The highest `seq` known durable.
    pub fn durable_seq(&self) -> u64 {
        *self.durable.borrow()
    }

    /// The last assigned `seq`.
    pub async fn last_seq(&self) -> Result<u64, CommandError> {
        ask(&self.log, LogMsg::LastSeq).await
    }

    /// A durable-watermark receiver (changes when `durable_seq` moves).
    pub fn durable_watch(&self) -> watch::Receiver<u64> {
        self.durable.clone()
    }

    /// The state of `view` as of one `seq`, and every later event.
    pub async fn view_snapshot(&self, view: View) -> Result<ViewSnapshot, CommandError> {
        ask(&self.view, |r| ViewMsg::Snapshot(view, r)).await
    }

    /// The current `seq` and every later event.
    pub async fn follow(&self) -> Result<(u64, broadcast::Receiver<Arc<Published>>), CommandError> {
        ask(&self.view, ViewMsg::Follow).await
    }

    /// Every event after `after`, oldest first: from memory when recent, else
    /// from the store (older events are durable). Events read from the store
    /// carry no before-state.
    pub async fn events_after(&self, after: u64) -> Result<Vec<Arc<Published>>, CommandError> {
        let mut out = Vec::new();
        let mut from = after;
        loop {
            match ask(&self.view, |r| ViewMsg::Since(from, r)).await? {
                Ok(tail) => {
                    out.extend(tail);
                    return Ok(out);
                }
                Err(oldest_in_memory) => {
                    let limit = (oldest_in_memory - 1 - from).min(10_000) as usize;
                    let page = self
                        .store
                        .events_since(self.id, from, limit)
                        .await
                        .map_err(|e| CommandError::Unavailable(e.to_string()))?;
                    let Some(last) = page.last() else {
                        return Err(CommandError::Internal(format!(
                            "events after {from} are neither in memory nor stored"
                        )));
                    };
                    from = last.seq;
                    out.extend(page.into_iter().map(|env| Arc::new(Published::new(env, None))));
                }
            }
        }
    }

    /// The tenant's presence actor.
    pub fn presence(&self) -> &ActorRef<PresenceMsg> {
        &self.presence
    }

    /// Waits until an accepted command is durable; a duplicate is re-checked
    /// against the store, since the original may have been reverted.
    pub async fn wait_durable<T>(&self, acc: &mut Accepted<T>) -> Result<u64, CommandError> {
        let seq = acc.wait_watermark().await?;
        if acc.duplicate && matches!(acc.durable, DurableWait::Watermark { .. }) {
            let cmd_id_known = self.store.events_since(self.id, seq.saturating_sub(1), 1).await;
            match cmd_id_known {
                Ok(ev) if ev.first().is_some_and(|e| e.seq == seq) => {}
                Ok(_) => {
                    return Err(crate::command::Reverted { reason: "the original request was undone".into() }.into());
                }
                Err(e) => return Err(CommandError::Unavailable(e.to_string())),
            }
        }
        Ok(seq)
    }

    pub(crate) async fn stored<T: DeserializeOwned>(
        &self,
        input: &CmdInput,
    ) -> Result<Option<Accepted<T>>, CommandError> {
        if !input.client_chosen {
            return Ok(None);
        }
        // `insert` is true for an id never seen: nothing to look up.
        if self.known_cmds.insert(input.cmd_id) {
            return Ok(None);
        }
        // Sequenced but perhaps not yet written: the log remembers it. Asking
        // only the store here let a retry sent before the first send was
        // durable be decided again — and refused as a conflict with itself.
        if let Some(prev) = ask(&self.log, |r| LogMsg::Lookup(input.cmd_id, r)).await? {
            if prev.request_hash != input.request_hash {
                return Err(CommandError::IdempotencyKeyReused);
            }
            return Ok(Some(Accepted {
                first_seq: prev.first_seq,
                last_seq: prev.last_seq,
                value: crate::command::decode_outcome_json(&prev.outcome)?,
                duplicate: true,
                durable: DurableWait::Watermark { seq: prev.last_seq, durable: self.durable.clone() },
            }));
        }
        let found: Option<StoredCommand> = self
            .store
            .find_command(self.id, input.cmd_id)
            .await
            .map_err(|e| CommandError::Unavailable(e.to_string()))?;
        let Some(prev) = found else { return Ok(None) };
        if prev.request_hash != input.request_hash {
            return Err(CommandError::IdempotencyKeyReused);
        }
        Ok(Some(Accepted {
            first_seq: prev.first_seq,
            last_seq: prev.last_seq,
            value: decode_outcome(&prev.outcome)?,
            duplicate: true,
            durable: DurableWait::Done(prev.last_seq),
        }))
    }

    fn artist_actor(&self, id: ArtistId) -> Result<ActorRef<ArtistMsg>, CommandError> {
        self.owners.artist(id).ok_or(CommandError::not_found("artist", id.0))
    }

    fn booking_actor(&self, id: BookingId) -> Result<(ArtistId, ActorRef<ArtistMsg>), CommandError> {
        let owner = self.owners.owner(id).ok_or(CommandError::not_found("booking", id.0))?;
        Ok((owner, self.artist_actor(owner)?))
    }

    /// Bookings found by id go through this so a move in flight is followed.
    async fn with_booking<T, F>(
        &self,
        id: BookingId,
        f: impl Fn(ArtistId, ActorRef<ArtistMsg>) -> F,
    ) -> Result<T, CommandError>
    where
        F: std::future::Future<Output = Result<T, CommandError>>,
    {
        let mut last = CommandError::not_found("booking", id.0);
        for _ in 0..ROUTE_RETRIES {
            let (owner, actor) = self.booking_actor(id)?;
            match f(owner, actor).await {
                Err(CommandError::Domain(DomainError::NotFound { entity: "booking", .. }))
                    if self.owners.owner(id) != Some(owner) =>
                {
                    last = CommandError::not_found("booking", id.0);
                }
                other => return other,
            }
        }
        Err(last)
    }

    // ---- bookings: writes ----

    pub async fn create_booking(
        &self,
        new: NewBooking,
        input: CmdInput,
    ) -> Result<Accepted<BookingView>, CommandError> {
        if let Some(prev) = self.stored::<Booking>(&input).await? {
            return Ok(view_of(prev));
        }
        self.check_booking_target(new.project_id, new.phase_id).await?;
        let actor = self.artist_actor(new.artist_id)?;
        let id = BookingId::new();
        let (artist, range) = (new.artist_id, TimeRange { start: new.start_time, end: new.end_time });
        let r = ask(&actor, |reply| ArtistMsg::Create { id, new: Box::new(new), meta: input.meta(), reply }).await?;
        match r {
            Err(CommandError::Domain(DomainError::Conflict(mut info))) => {
                info.alternatives = self.alternatives(artist, range).await;
                Err(CommandError::Domain(DomainError::Conflict(info)))
            }
            other => other,
        }
    }

    /// Most alternatives a conflict answer names.
    const MAX_ALTERNATIVES: usize = 5;

    /// Active artists sharing a skill with `artist` who are free for `range`, by name.
    async fn alternatives(&self, artist: ArtistId, range: TimeRange) -> Vec<Artist> {
        let Ok(all) = self.list_artists().await else { return Vec::new() };
        let Some(me) = all.iter().find(|a| a.id == artist) else { return Vec::new() };
        let mut candidates: Vec<&Artist> = all
            .iter()
            .filter(|a| a.id != artist && a.active && a.skills.iter().any(|s| me.skills.contains(s)))
            .collect();
        candidates.sort_by_key(|a| a.name.to_lowercase());
        let checks = candidates.iter().map(|a| async move {
            let free = match self.owners.artist(a.id) {
                Some(actor) => ask(&actor, |reply| ArtistMsg::IsFree { range, reply }).await.unwrap_or(false),
                None => false,
            };
            free.then(|| (*a).clone())
        });
        futures::future::join_all(checks).await.into_iter().flatten().take(Self::MAX_ALTERNATIVES).collect()
    }

    pub async fn update_booking(
        &self,
        id: BookingId,
        patch: BookingPatch,
        input: CmdInput,
    ) -> Result<Accepted<BookingView>, CommandError> {
        if let Some(prev) = self.stored::<Booking>(&input).await? {
            return Ok(view_of(prev));
        }
        if patch.project_id.is_some() || patch.phase_id.is_some() {
            let current = self.get_booking(id).await?.booking;
            let project = patch.project_id.unwrap_or(current.project_id);
            // A new project clears the phase unless the patch names one.
            let phase = match patch.phase_id {
                Some(p) => p,
                None if project != current.project_id => None,
                None => current.phase_id,
            };
            self.check_booking_target(project, phase).await?;
        }
        self.with_booking(id, |owner, actor| {
            let (patch, input) = (patch.clone(), input.clone());
            async move {
                if patch.artist_id.is_some_and(|a| a != owner) {
                    self.move_booking(owner, actor, id, patch, input).await
                } else {
                    let patch = Box::new(patch);
                    ask(&actor, |reply| ArtistMsg::Update { id, patch, meta: input.meta(), reply }).await?
                }
            }
        })
        .await
    }

    /// Moves a booking to another artist: the target decides first and
    /// reserves the slot, then the source commits the one accepted change, then
    /// the target takes the booking. If anything refuses, the target releases
    /// and nothing changed anywhere. Runs as its own task so a caller that goes
    /// away mid-way cannot leave a reservation behind.
    async fn move_booking(
        &self,
        source_id: ArtistId,
        source: ActorRef<ArtistMsg>,
        id: BookingId,
        patch: BookingPatch,
        input: CmdInput,
    ) -> Result<Accepted<BookingView>, CommandError> {
        let owners = self.owners.clone();
        let task = async move {
            let by = input.by.clone();
            let expected_version = patch.version;
            let candidate =
                ask(&source, |reply| ArtistMsg::PrepareMove { id, patch: Box::new(patch), by, reply }).await??;
            let target_id = candidate.artist_id;
            let target = owners.artist(target_id).ok_or(CommandError::not_found("artist", target_id.0))?;
            let c = Box::new(candidate.clone());
            ask(&target, |reply| ArtistMsg::Reserve { candidate: c, reply }).await??;
            let c = Box::new(candidate.clone());
            let committed = ask(&source, |reply| ArtistMsg::CommitMove {
                candidate: c,
                expected_version,
                meta: input.meta(),
                reply,
            })
            .await
            .and_then(|r| r);
            match committed {
                Ok(mut acc) if !acc.duplicate => {
                    let event = Event::BookingMoved { booking: candidate.into(), from_artist_id: source_id };
                    // Enqueue the event before re-routing, so any request routed to the
                    // target finds the booking there.
                    let _ = target.send_message(ArtistMsg::ApplyMoved { event: Box::new(event) });
                    owners.booking_owner.insert(id, target_id);
                    if let Ok(Some(v)) = ask(&target, |reply| ArtistMsg::Get { id, reply }).await {
                        acc.value = v;
                    }
                    Ok(acc)
                }
                other => {
                    let _ = target.send_message(ArtistMsg::Release { id });
                    other
                }
            }
        };
        tokio::spawn(task).await.map_err(|e| CommandError::Internal(format!("move task failed: {e}")))?
    }

    pub async fn transition_booking(
        &self,
        id: BookingId,
        version: u64,
        to: BookingStatus,
        allow_overtime: Option<bool>,
        input: CmdInput,
    ) -> Result<Accepted<BookingView>, CommandError> {
        self.decide_on_booking(id, input, move |meta, reply| ArtistMsg::Transition {
            id,
            version,
            to,
            allow_overtime,
            meta,
            reply,
        })
        .await
    }

    /// Challenge the 1st hold `id` with the hold `by` (same artist; see
    /// `domain/artist_book_holds.rs`). Decided by `id`'s artist actor.
    pub async fn challenge_hold(
        &self,
        id: BookingId,
        by: BookingId,
        version: Option<u64>,
        input: CmdInput,
    ) -> Result<Accepted<BookingView>, CommandError> {
        self.decide_on_booking(id, input, move |meta, reply| ArtistMsg::Challenge { id, by, version, meta, reply })
            .await
    }

    /// A command on the existing booking `id`: a retry gets its first answer,
    /// anything else is decided by the actor owning the booking (`msg`).
    async fn decide_on_booking(
        &self,
        id: BookingId,
        input: CmdInput,
        msg: impl Fn(CmdMeta, Reply<BookingView>) -> ArtistMsg + Sync,
    ) -> Result<Accepted<BookingView>, CommandError> {
        if let Some(prev) = self.stored::<Booking>(&input).await? {
            return Ok(view_of(prev));
        }
        let msg = &msg;
        self.with_booking(id, |_, actor| {
            let meta = input.meta();
            async move { ask(&actor, |reply| msg(meta, reply)).await? }
        })
        .await
    }

    // ---- bookings: reads (from memory) ----

    pub async fn get_booking(&self, id: BookingId) -> Result<BookingView, CommandError> {
        self.with_booking(id, |_, actor| async move {
            ask(&actor, |reply| ArtistMsg::Get { id, reply }).await?.ok_or(CommandError::not_found("booking", id.0))
        })
        .await
    }

    /// Bookings matching the filter, by (start, id). One artist, or all of them
    /// in parallel.
    pub async fn list_bookings(
        &self,
        artist: Option<ArtistId>,
        filter: BookingFilter,
    ) -> Result<Vec<BookingView>, CommandError> {
        let actors = match artist {
            Some(a) => vec![(a, self.artist_actor(a)?)],
            None => self.owners.all_artists(),
        };
        let calls = actors.iter().map(|(_, actor)| {
            let filter = filter.clone();
            ask(actor, |reply| ArtistMsg::List { filter, reply })
        });
        let mut all = Vec::new();
        for r in futures::future::join_all(calls).await {
            all.extend(r?);
        }
        all.sort_by_key(|v| (v.booking.start_time, v.booking.id));
        Ok(all)
    }

    pub async fn check(
        &self,
        artist: ArtistId,
        range: TimeRange,
        exclude: Option<BookingId>,
    ) -> Result<CheckResult, CommandError> {
        self.live_artist(artist).await?;
        ask(&self.artist_actor(artist)?, |reply| ArtistMsg::Check { range, exclude, reply }).await
    }

    pub async fn availability(&self, artist: ArtistId, range: TimeRange) -> Result<Availability, CommandError> {
        self.live_artist(artist).await?;
        ask(&self.artist_actor(artist)?, |reply| ArtistMsg::Availability { range, reply }).await
    }

    /// The audit trail of one booking, from the store.
    pub async fn booking_events(&self, id: BookingId) -> Result<Vec<EventEnvelope>, CommandError> {
        if self.owners.owner(id).is_none() {
            return Err(CommandError::not_found("booking", id.0));
        }
        self.store.entity_events(self.id, id.0).await.map_err(|e| CommandError::Unavailable(e.to_string()))
    }

    // ---- artists ----

    pub async fn create_artist(&self, new: NewArtist, input: CmdInput) -> Result<Accepted<Artist>, CommandError> {
        if let Some(prev) = self.stored(&input).await? {
            return Ok(prev);
        }
        ask(&self.actor, |reply| TenantMsg::CreateArtist { new: Box::new(new), meta: input.meta(), reply }).await?
    }

    pub async fn update_artist(
        &self,
        id: ArtistId,
        patch: ArtistPatch,
        input: CmdInput,
    ) -> Result<Accepted<Artist>, CommandError> {
        if let Some(prev) = self.stored(&input).await? {
            return Ok(prev);
        }
        ask(&self.actor, |reply| TenantMsg::UpdateArtist { id, patch: Box::new(patch), meta: input.meta(), reply })
            .await?
    }

    /// A profile change or time-off step (see [`ArtistEdit`]).
    pub async fn edit_artist(&self, edit: ArtistEdit, input: CmdInput) -> Result<Accepted<Artist>, CommandError> {
        if let Some(prev) = self.stored(&input).await? {
            return Ok(prev);
        }
        ask(&self.actor, |reply| TenantMsg::EditArtist { edit: Box::new(edit), meta: input.meta(), reply }).await?
    }

    /// How each of `artists` fits `range`, asked of every artist actor at
    /// once: one clock for all, and each distinct working week laid over the
    /// range once.
    pub async fn fits(&self, artists: &[ArtistId], range: TimeRange) -> Vec<(ArtistId, crate::domain::Fit)> {
        let now = pt_protocol::Timestamp::now();
        let spans = Arc::new(crate::domain::availability::SpanCache::default());
        let asks = artists.iter().map(|&id| {
            let spans = spans.clone();
            async move {
                let actor = self.owners.artist(id)?;
                ask(&actor, |reply| ArtistMsg::Fit { range, now, spans, reply }).await.ok().map(|f| (id, f))
            }
        });
        futures::future::join_all(asks).await.into_iter().flatten().collect()
    }

    pub async fn archive_artist(&self, id: ArtistId, input: CmdInput) -> Result<Accepted<Artist>, CommandError> {
        if let Some(prev) = self.stored(&input).await? {
            return Ok(prev);
        }
        ask(&self.actor, |reply| TenantMsg::ArchiveArtist { id, meta: input.meta(), reply }).await?
    }

    /// Whether the studio has (or had: archived ones count) this artist.
    pub async fn has_artist(&self, id: ArtistId) -> Result<bool, CommandError> {
        Ok(ask(&self.actor, |reply| TenantMsg::GetArtist { id, reply }).await?.is_some())
    }

    /// A live (not archived) artist.
    pub async fn live_artist(&self, id: ArtistId) -> Result<Artist, CommandError> {
        ask(&self.actor, |reply| TenantMsg::GetArtist { id, reply })
            .await?
            .filter(|a| a.archived_at.is_none())
            .ok_or(CommandError::not_found("artist", id.0))
    }

    pub async fn list_artists(&self) -> Result<Vec<Artist>, CommandError> {
        ask(&self.actor, |reply| TenantMsg::ListArtists { reply }).await
    }

    // ---- studio settings ----

    /// The studio's current settings (name, time zone, default hold, working week).
    pub fn settings(&self) -> Arc<StudioSettings> {
        self.settings.borrow().clone()
    }

    /// Changes the studio's settings: validated once ([`StudioSettings::apply`]),
    /// saved to the store, then handed to the tenant actor, which publishes
    /// them. When this returns, the next hold without `expiresAt` already
    /// lasts the new default. (The store write happens here, not inside the
    /// actor, so its mailbox never waits on the database.)
    pub async fn update_settings(&self, patch: &SettingsPatch) -> Result<Arc<StudioSettings>, CommandError> {
        let _one_at_a_time = self.settings_update.lock().await;
        let next = Arc::new(self.settings().apply(patch)?);
        self.store.update_studio(&next.to_row()).await.map_err(|e| CommandError::Unavailable(e.to_string()))?;
        ask(&self.actor, |reply| TenantMsg::SetSettings(next.clone(), reply)).await?;
        Ok(next)
    }

    /// Stops the actors and waits until the writer has flushed everything accepted.
    pub async fn shutdown(&self) {
        for (_, a) in self.owners.all_artists() {
            a.stop(Some("shutting down".into()));
        }
        if let Some(p) = self.owners.projects.get() {
            p.stop(Some("shutting down".into()));
        }
        self.actor.stop(Some("shutting down".into()));
        let _ = self.log.stop_and_wait(Some("shutting down".into()), None).await;
        if let Some(w) = self.writer.lock().await.take() {
            let _ = w.await;
        }
        self.view.stop(None);
        self.presence.stop(None);
    }
}

fn view_of(a: Accepted<Booking>) -> Accepted<BookingView> {
    Accepted {
        first_seq: a.first_seq,
        last_seq: a.last_seq,
        value: BookingView { booking: a.value, hold_rank: None, warnings: Vec::new() },
        duplicate: a.duplicate,
        durable: a.durable,
    }
}
