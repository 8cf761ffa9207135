//! The tenant actor: owns the studio's artists (with their profiles and
//! time off) and its settings (default hold, working week, holidays), starts one [`ArtistActor`] per artist
//! (linked, so their failures reach it), and applies restores the writer sends
//! ([`Reverts`]) after a refused write.

use crate::artist_actor::{ArtistActor, ArtistArgs, ArtistMsg};
use crate::command::{Accepted, CmdMeta, CommandError, DurableWait, ask};
use crate::domain::{ArtistBook, NotifyCtx, StudioSettings, artist_edit, time_off_decided, validate};
use crate::error::DomainError;
use crate::log::{LogMsg, Sequenced, sequence_all};
use crate::owners::Owners;
use crate::writer::{Restore, Reverts};
use pt_protocol::event::EntityRef;
use pt_protocol::{
    Artist, ArtistId, ArtistPatch, Booking, Event, NewArtist, NewTimeOff, ProfilePatch, TenantId, TimeOffDecision,
    TimeOffId, Timestamp,
};
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort, SupervisionEvent};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tokio::sync::watch;

pub type Reply<T> = RpcReplyPort<Result<Accepted<T>, CommandError>>;

pub enum TenantMsg {
    CreateArtist {
        new: Box<NewArtist>,
        meta: CmdMeta,
        reply: Reply<Artist>,
    },
    UpdateArtist {
        id: ArtistId,
        patch: Box<ArtistPatch>,
        meta: CmdMeta,
        reply: Reply<Artist>,
    },
    ArchiveArtist {
        id: ArtistId,
        meta: CmdMeta,
        reply: Reply<Artist>,
    },
    /// A profile change or a time-off step, on the artist it names (or
    /// the artist owning the time-off entry it names).
    EditArtist {
        edit: Box<ArtistEdit>,
        meta: CmdMeta,
        reply: Reply<Artist>,
    },
    /// Includes archived artists.
    GetArtist {
        id: ArtistId,
        reply: RpcReplyPort<Option<Artist>>,
    },
    /// Excludes archived artists.
    ListArtists {
        reply: RpcReplyPort<Vec<Artist>>,
    },
    /// From the writer: take these durable states.
    Restore(Vec<Restore>),
    /// From [`crate::Tenant::update_settings`]: the studio's settings, validated
    /// and persisted; answers once the artist actors decide with them.
    SetSettings(Arc<StudioSettings>, RpcReplyPort<()>),
}

/// The writer's [`Reverts`] arrive as [`TenantMsg::Restore`] (its `RevertSink`
/// is this actor's reference, derived).
impl From<Reverts> for TenantMsg {
    fn from(Reverts(restores): Reverts) -> Self {
        TenantMsg::Restore(restores)
    }
}

/// The way back, for a send the mailbox refused.
impl TryFrom<TenantMsg> for Reverts {
    type Error = TenantMsg;
    fn try_from(msg: TenantMsg) -> Result<Self, TenantMsg> {
        match msg {
            TenantMsg::Restore(restores) => Ok(Reverts(restores)),
            other => Err(other),
        }
    }
}

/// What [`TenantMsg::EditArtist`] changes.
#[derive(Clone, Debug)]
pub enum ArtistEdit {
    Profile { artist: ArtistId, patch: ProfilePatch },
    RequestTimeOff { artist: ArtistId, id: TimeOffId, new: NewTimeOff, approve: bool },
    DecideTimeOff { id: TimeOffId, decision: TimeOffDecision },
    CancelTimeOff { id: TimeOffId, only_requested: bool },
}

pub struct TenantActor;

pub struct TenantArgs {
    pub tenant: TenantId,
    pub artists: Vec<Artist>,
    pub bookings: Vec<Arc<Booking>>,
    pub owners: Arc<Owners>,
    pub log: ActorRef<LogMsg>,
    pub durable: watch::Receiver<u64>,
    /// The studio's settings as loaded at activation; the actor publishes
    /// every later version here (the [`crate::Tenant`] and the artist actors
    /// read them).
    pub settings: watch::Sender<Arc<StudioSettings>>,
}

pub struct TenantState {
    tenant: TenantId,
    artists: BTreeMap<ArtistId, Artist>,
    owners: Arc<Owners>,
    log: ActorRef<LogMsg>,
    durable: watch::Receiver<u64>,
    settings: watch::Sender<Arc<StudioSettings>>,
}

impl TenantState {
    async fn spawn_artist(&self, myself: &ActorRef<TenantMsg>, book: ArtistBook) -> Result<(), ActorProcessingErr> {
        let id = book.artist().id;
        let args = ArtistArgs {
            book,
            log: self.log.clone(),
            owners: self.owners.clone(),
            settings: self.settings.subscribe(),
            durable: self.durable.clone(),
        };
        let (actor, _) = Actor::spawn_linked(None, ArtistActor, args, myself.get_cell()).await?;
        self.owners.artists.insert(id, actor);
        Ok(())
    }

    /// Sequences an artist event; applies it on acceptance.
    async fn commit(&mut self, event: Event, meta: CmdMeta) -> Result<Accepted<Artist>, CommandError> {
        let Some(artist) = event.artist().cloned() else {
            return Err(CommandError::Internal("the tenant actor only commits artist events".into()));
        };
        let mut events = vec![event];
        if let Event::TimeOffDecided { artist, time_off_id } = &events[0] {
            let owners = &self.owners;
            let (linked, prefs) = (|a| owners.linked(a), |u, k| owners.choice(u, k));
            let ctx = NotifyCtx { by: &meta.by, now: Timestamp::now(), linked: &linked, prefs: &prefs };
            let notes = time_off_decided(artist, *time_off_id, &ctx);
            events.extend(notes.into_iter().map(|notification| Event::NotificationCreated { notification }));
        }
        match sequence_all(&self.log, &self.durable, meta, events, &artist).await? {
            Sequenced::New { first_seq, last_seq, durable } => {
                self.artists.insert(artist.id, artist.clone());
                if let Some(actor) = self.owners.artist(artist.id) {
                    let _ = actor.send_message(ArtistMsg::SetArtist(Box::new(artist.clone())));
                }
                let durable = DurableWait::Channel(durable);
                Ok(Accepted { first_seq, last_seq, value: artist, duplicate: false, durable })
            }
            Sequenced::Replay(acc) => Ok(acc),
        }
    }

    fn live(&self, id: ArtistId) -> Result<&Artist, CommandError> {
        self.artists.get(&id).filter(|a| a.archived_at.is_none()).ok_or(CommandError::not_found("artist", id.0))
    }

    async fn create(
        &mut self,
        myself: &ActorRef<TenantMsg>,
        new: NewArtist,
        meta: CmdMeta,
    ) -> Result<Accepted<Artist>, CommandError> {
        let errors = validate::new_artist(&new);
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors).into());
        }
        let now = Timestamp::now();
        let artist = Artist {
            id: ArtistId::new(),
            name: new.name.trim().to_string(),
            email: new.email.map(|e| e.trim().to_string()),
            skills: validate::normalize_skills(&new.skills),
            timezone: new.timezone.unwrap_or_else(|| "UTC".into()),
            active: new.active.unwrap_or(true),
            time_off: Vec::new(),
            working_hours: None,
            profile: Default::default(),
            rate: None,
            archived_at: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        // The actor must exist before the event is visible, so a booking that
        // follows the acknowledgement finds it.
        self.spawn_artist(myself, ArtistBook::new(artist.clone()))
            .await
            .map_err(|e| CommandError::Internal(format!("cannot start artist actor: {e}")))?;
        let r = self.commit(Event::ArtistCreated { artist: artist.clone() }, meta).await;
        if r.as_ref().map_or(true, |a| a.duplicate) {
            // Not created after all: stop the fresh actor.
            if let Some((_, actor)) = self.owners.artists.remove(&artist.id) {
                actor.stop(None);
            }
        }
        r
    }

    fn update(&self, id: ArtistId, patch: &ArtistPatch) -> Result<Event, CommandError> {
        let current = self.live(id)?;
        if let Some(v) = patch.version.filter(|v| *v != current.version) {
            return Err(DomainError::VersionMismatch { expected: v, current: current.version }.into());
        }
        let errors = validate::artist_patch(patch);
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors).into());
        }
        let mut a = current.clone();
        if let Some(n) = &patch.name {
            a.name = n.trim().to_string();
        }
        if let Some(e) = &patch.email {
            a.email = e.as_ref().map(|e| e.trim().to_string());
        }
        if let Some(s) = &patch.skills {
            a.skills = validate::normalize_skills(s);
        }
        if let Some(tz) = &patch.timezone {
            a.timezone = tz.clone();
        }
        if let Some(active) = patch.active {
            a.active = active;
        }
        if let Some(h) = &patch.working_hours {
            a.working_hours = h.as_ref().map(|h| validate::normalize_hours(h));
        }
        let skills = a.skills.clone();
        a.profile.skills.retain(|l| skills.contains(&l.name));
        a.version += 1;
        a.updated_at = Timestamp::now();
        Ok(Event::ArtistUpdated { artist: a })
    }

    /// The event of a profile change or time-off step.
    fn edit(&self, edit: &ArtistEdit, by: &str) -> Result<Event, CommandError> {
        let now = Timestamp::now();
        let owner_of = |id: TimeOffId| {
            self.artists
                .values()
                .find(|a| a.archived_at.is_none() && a.time_off.iter().any(|t| t.id == id))
                .ok_or(CommandError::not_found("time off", id.0))
        };
        Ok(match edit {
            ArtistEdit::Profile { artist, patch } => {
                Event::ArtistUpdated { artist: artist_edit::apply_profile(self.live(*artist)?, patch, now)? }
            }
            ArtistEdit::RequestTimeOff { artist, id, new, approve } => {
                let artist = artist_edit::request_time_off(self.live(*artist)?, *id, new, *approve, by, now)?;
                Event::TimeOffRequested { artist, time_off_id: *id }
            }
            ArtistEdit::DecideTimeOff { id, decision } => {
                let artist = artist_edit::decide_time_off(owner_of(*id)?, *id, *decision, by, now)?;
                Event::TimeOffDecided { artist, time_off_id: *id }
            }
            ArtistEdit::CancelTimeOff { id, only_requested } => {
                let artist = artist_edit::cancel_time_off(owner_of(*id)?, *id, *only_requested, by, now)?;
                Event::TimeOffCancelled { artist, time_off_id: *id }
            }
        })
    }

    async fn archive(&mut self, id: ArtistId, meta: CmdMeta) -> Result<Accepted<Artist>, CommandError> {
        let mut a = self.live(id)?.clone();
        let actor = self.owners.artist(id).ok_or(CommandError::not_found("artist", id.0))?;
        if ask(&actor, |reply| ArtistMsg::HasActiveFuture { reply }).await? {
            return Err(DomainError::Unprocessable(format!(
                "artist {} still has active bookings that end in the future; cancel or move them first",
                a.name
            ))
            .into());
        }
        let now = Timestamp::now();
        a.archived_at = Some(now);
        a.active = false;
        a.version += 1;
        a.updated_at = now;
        self.commit(Event::ArtistArchived { artist: a }, meta).await
    }

    fn restore(&mut self, restores: Vec<Restore>) {
        for r in restores {
            match r {
                Restore::Artist(id, durable) => {
                    match durable {
                        Some(a) => {
                            if let Some(actor) = self.owners.artist(id) {
                                let _ = actor.send_message(ArtistMsg::SetArtist(Box::new(a.clone())));
                            }
                            self.artists.insert(id, a);
                        }
                        None => {
                            self.artists.remove(&id);
                            if let Some((_, actor)) = self.owners.artists.remove(&id) {
                                actor.stop(Some("artist creation was refused by the store".into()));
                            }
                        }
                    }
                    tracing::warn!(tenant = %self.tenant, artist = %id, "restored artist from the store after a refused write");
                    let _ = self.log.send_message(LogMsg::Fence(EntityRef::Artist(id)));
                }
                Restore::Project { id, durable, entities } => match self.owners.projects.get() {
                    Some(actor) => {
                        let _ = actor.send_message(crate::project_actor::ProjectMsg::Restore { id, durable, entities });
                    }
                    None => tracing::error!(tenant = %self.tenant, project = %id, "no project actor to restore"),
                },
                Restore::Booking(id, durable) => {
                    // Tell the current owner and, if different, the durable owner.
                    let mut owners: Vec<ArtistId> = self.owners.owner(id).into_iter().collect();
                    if let Some(b) = &durable
                        && !owners.contains(&b.artist_id)
                    {
                        owners.push(b.artist_id);
                    }
                    // The durable owner fences last, once it holds the durable state.
                    owners.sort_by_key(|o| durable.as_ref().is_some_and(|b| b.artist_id == *o));
                    for owner in owners {
                        if let Some(actor) = self.owners.artist(owner) {
                            let _ =
                                actor.send_message(ArtistMsg::Restore { id, durable: durable.clone().map(Box::new) });
                        }
                    }
                }
            }
        }
    }
}

impl Actor for TenantActor {
    type Msg = TenantMsg;
    type State = TenantState;
    type Arguments = TenantArgs;

    async fn pre_start(
        &self,
        myself: ActorRef<TenantMsg>,
        args: TenantArgs,
    ) -> Result<TenantState, ActorProcessingErr> {
        let mut by_artist: HashMap<ArtistId, Vec<Arc<Booking>>> = HashMap::new();
        for b in args.bookings {
            args.owners.booking_owner.insert(b.id, b.artist_id);
            by_artist.entry(b.artist_id).or_default().push(b);
        }
        let state = TenantState {
            tenant: args.tenant,
            artists: args.artists.iter().map(|a| (a.id, a.clone())).collect(),
            owners: args.owners,
            log: args.log,
            durable: args.durable,
            settings: args.settings,
        };
        for artist in args.artists {
            let mut book = ArtistBook::new(artist.clone());
            for b in by_artist.remove(&artist.id).unwrap_or_default() {
                book.apply(&Event::BookingCreated { booking: b });
            }
            state.spawn_artist(&myself, book).await?;
        }
        if !by_artist.is_empty() {
            tracing::error!(tenant = %state.tenant, "bookings reference {} unknown artist(s)", by_artist.len());
        }
        Ok(state)
    }

    async fn handle(
        &self,
        myself: ActorRef<TenantMsg>,
        msg: TenantMsg,
        s: &mut TenantState,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            TenantMsg::CreateArtist { new, meta, reply } => {
                let _ = reply.send(s.create(&myself, *new, meta).await);
            }
            TenantMsg::UpdateArtist { id, patch, meta, reply } => {
                let r = match s.update(id, &patch) {
                    Ok(ev) => s.commit(ev, meta).await,
                    Err(e) => Err(e),
                };
                let _ = reply.send(r);
            }
            TenantMsg::ArchiveArtist { id, meta, reply } => {
                let _ = reply.send(s.archive(id, meta).await);
            }
            TenantMsg::EditArtist { edit, meta, reply } => {
                let r = match s.edit(&edit, &meta.by) {
                    Ok(ev) => s.commit(ev, meta).await,
                    Err(e) => Err(e),
                };
                let _ = reply.send(r);
            }
            TenantMsg::GetArtist { id, reply } => {
                let _ = reply.send(s.artists.get(&id).cloned());
            }
            TenantMsg::ListArtists { reply } => {
                let _ = reply.send(s.artists.values().filter(|a| a.archived_at.is_none()).cloned().collect());
            }
            TenantMsg::Restore(r) => s.restore(r),
            TenantMsg::SetSettings(settings, reply) => {
                s.settings.send_replace(settings);
                let _ = reply.send(());
            }
        }
        Ok(())
    }

    async fn handle_supervisor_evt(
        &self,
        _myself: ActorRef<TenantMsg>,
        evt: SupervisionEvent,
        s: &mut TenantState,
    ) -> Result<(), ActorProcessingErr> {
        if let SupervisionEvent::ActorFailed(cell, err) = evt {
            // A panic in the pure domain is a bug. Its accepted events are in the
            // log; the tenant restarts from the store on its next activation.
            tracing::error!(tenant = %s.tenant, actor = ?cell.get_id(), error = %err,
                "an artist or project actor failed; stopping the tenant so it reactivates from the store");
            return Err(format!("a child actor failed: {err}").into());
        }
        Ok(())
    }
}
