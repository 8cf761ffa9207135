//! What happened. Every accepted command becomes one or more events; each gets
//! the tenant-wide sequence number `seq` from the tenant's log. Events carry the
//! whole entity state *after* the change, so applying an event is "replace", and
//! replaying a log rebuilds exactly the same state.

use crate::artist::Artist;
use crate::booking::{Booking, BookingStatus};
use crate::ids::{ArtistId, BookingId, CmdId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum Event {
    ArtistCreated {
        artist: Artist,
    },
    ArtistUpdated {
        artist: Artist,
    },
    /// The artist was deleted through the API; history stays.
    ArtistArchived {
        artist: Artist,
    },
    BookingCreated {
        booking: Booking,
    },
    /// Title, notes, project, range or hold expiry changed.
    BookingUpdated {
        booking: Booking,
    },
    /// The booking now belongs to `booking.artist_id` (and maybe a new range).
    BookingMoved {
        booking: Booking,
        from_artist_id: ArtistId,
    },
    /// A status change: promotion, confirmation, cancellation, expiry.
    BookingStatusChanged {
        booking: Booking,
        from: BookingStatus,
    },
    /// The store refused a change to this booking (an invariant breach, see
    /// the runtime semantics): it is back to its durable state — `booking`,
    /// or gone when `None` (a refused creation). Published so every copy
    /// converges again.
    BookingRestored {
        booking_id: BookingId,
        booking: Option<Booking>,
    },
}

/// Which entity an event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntityRef {
    Artist(ArtistId),
    Booking(BookingId),
}

impl EntityRef {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Artist(_) => "artist",
            Self::Booking(_) => "booking",
        }
    }

    pub fn uuid(&self) -> uuid::Uuid {
        match self {
            Self::Artist(a) => a.0,
            Self::Booking(b) => b.0,
        }
    }
}

impl Event {
    pub fn entity(&self) -> EntityRef {
        match self {
            Self::ArtistCreated { artist } | Self::ArtistUpdated { artist } | Self::ArtistArchived { artist } => {
                EntityRef::Artist(artist.id)
            }
            Self::BookingCreated { booking }
            | Self::BookingUpdated { booking }
            | Self::BookingMoved { booking, .. }
            | Self::BookingStatusChanged { booking, .. } => EntityRef::Booking(booking.id),
            Self::BookingRestored { booking_id, .. } => EntityRef::Booking(*booking_id),
        }
    }

    /// The event's name as stored in the `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::ArtistCreated { .. } => "artistCreated",
            Self::ArtistUpdated { .. } => "artistUpdated",
            Self::ArtistArchived { .. } => "artistArchived",
            Self::BookingCreated { .. } => "bookingCreated",
            Self::BookingUpdated { .. } => "bookingUpdated",
            Self::BookingMoved { .. } => "bookingMoved",
            Self::BookingStatusChanged { .. } => "bookingStatusChanged",
            Self::BookingRestored { .. } => "bookingRestored",
        }
    }

    pub fn booking(&self) -> Option<&Booking> {
        match self {
            Self::BookingCreated { booking }
            | Self::BookingUpdated { booking }
            | Self::BookingMoved { booking, .. }
            | Self::BookingStatusChanged { booking, .. } => Some(booking),
            Self::BookingRestored { booking, .. } => booking.as_ref(),
            _ => None,
        }
    }

    /// A booking this event removes from the state (a refused creation).
    pub fn removed_booking(&self) -> Option<BookingId> {
        match self {
            Self::BookingRestored { booking_id, booking: None } => Some(*booking_id),
            _ => None,
        }
    }

    pub fn artist(&self) -> Option<&Artist> {
        match self {
            Self::ArtistCreated { artist } | Self::ArtistUpdated { artist } | Self::ArtistArchived { artist } => {
                Some(artist)
            }
            _ => None,
        }
    }
}

/// An event with its place in the tenant's log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EventEnvelope {
    /// Tenant-wide, gap-free, strictly increasing.
    pub seq: u64,
    /// The command that caused it.
    pub cmd_id: CmdId,
    pub at: Timestamp,
    /// Who acted: a user id, an API token, or `system:<what>`.
    pub by: String,
    pub event: Event,
}
