//! Who owns what in one tenant: which artist actor owns which artist,
//! which artist owns which booking, and which actor owns the projects — how the tenant finds the actor a command
//! goes to (actor routing; the HTTP routes are the server's).
//!
//! These are routing data, not domain state: the domain lives inside the
//! actors. A lookup that races with a move may name the previous owner, which
//! answers `not_found`; callers look up once more in that case.

use crate::artist_actor::ArtistMsg;
use crate::project_actor::ProjectMsg;
use dashmap::DashMap;
use pt_protocol::{ArtistId, BookingId, UserId};
use ractor::ActorRef;

#[derive(Default)]
pub struct Owners {
    pub artists: DashMap<ArtistId, ActorRef<ArtistMsg>>,
    pub booking_owner: DashMap<BookingId, ArtistId>,
    /// Which user is linked to an artist (a freelancer's own artist), for
    /// the notification rules: filled at activation from the memberships and
    /// kept current by the server when a membership changes.
    pub links: DashMap<ArtistId, UserId>,
    /// Each member's notification preferences in this studio (absent:
    /// everything on), read at activation and replaced when a member
    /// changes theirs.
    pub prefs: DashMap<UserId, std::sync::Arc<pt_protocol::notification::NotificationPreferences>>,
    /// Reminders given (their deterministic ids), so none is given twice:
    /// the last two days' from the store at activation, then each as given.
    pub reminded: dashmap::DashSet<pt_protocol::NotificationId>,
    /// The studio's inbox actor: what is read (set once, at activation).
    pub inbox: std::sync::OnceLock<ActorRef<crate::inbox_actor::InboxMsg>>,
    /// The studio's jobs actor: listings and applications (set once, at activation).
    pub jobs: std::sync::OnceLock<ActorRef<crate::jobs_actor::JobsMsg>>,
    /// The studio's project actor (set once, at activation).
    pub projects: std::sync::OnceLock<ActorRef<ProjectMsg>>,
}

impl Owners {
    pub fn artist(&self, id: ArtistId) -> Option<ActorRef<ArtistMsg>> {
        self.artists.get(&id).map(|r| r.value().clone())
    }

    pub fn owner(&self, id: BookingId) -> Option<ArtistId> {
        self.booking_owner.get(&id).map(|r| *r.value())
    }

    /// The user linked to `artist`, if any.
    pub fn linked(&self, artist: ArtistId) -> Option<UserId> {
        self.links.get(&artist).map(|r| *r.value())
    }

    /// Where `user` wants `kind`.
    pub fn choice(
        &self,
        user: UserId,
        kind: pt_protocol::notification::NotificationKind,
    ) -> pt_protocol::notification::ChannelChoice {
        self.prefs.get(&user).map(|p| p.choice(kind)).unwrap_or_default()
    }

    /// Re-reads which user is linked to which artist from the memberships.
    pub async fn load_links(
        &self,
        store: &dyn crate::store::Store,
        tenant: pt_protocol::TenantId,
    ) -> Result<(), crate::store::StoreError> {
        let members = store.members(tenant).await?;
        self.links.retain(|a, u| members.iter().any(|(m, _)| m.artist_id == Some(*a) && m.user_id == *u));
        for (m, _) in members {
            if let Some(artist) = m.artist_id {
                self.links.insert(artist, m.user_id);
            }
        }
        Ok(())
    }

    /// Every artist actor, cloned out so no map guard is held across awaits.
    pub fn all_artists(&self) -> Vec<(ArtistId, ActorRef<ArtistMsg>)> {
        self.artists.iter().map(|r| (*r.key(), r.value().clone())).collect()
    }
}
