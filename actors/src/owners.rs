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
use pt_protocol::{ArtistId, BookingId};
use ractor::ActorRef;

#[derive(Default)]
pub struct Owners {
    pub artists: DashMap<ArtistId, ActorRef<ArtistMsg>>,
    pub booking_owner: DashMap<BookingId, ArtistId>,
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

    /// Every artist actor, cloned out so no map guard is held across awaits.
    pub fn all_artists(&self) -> Vec<(ArtistId, ActorRef<ArtistMsg>)> {
        self.artists.iter().map(|r| (*r.key(), r.value().clone())).collect()
    }
}
