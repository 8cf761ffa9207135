//! Bookings: one artist, one half-open time range, one status.

use crate::ids::{ArtistId, BookingId, PhaseId, ProjectId};
use crate::time::{TimeRange, Timestamp};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// Where a booking is in its life.
///
/// `hold → pencil → confirmed`; any active status → `cancelled`; `hold → expired`.
/// `pencil` and `confirmed` are *exclusive*: one artist never has two overlapping.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum BookingStatus {
    Hold,
    Pencil,
    Confirmed,
    Cancelled,
    Expired,
}

impl BookingStatus {
    pub const ALL: [BookingStatus; 5] = [Self::Hold, Self::Pencil, Self::Confirmed, Self::Cancelled, Self::Expired];

    /// Pencil and confirmed bookings block the slot.
    pub fn is_exclusive(self) -> bool {
        matches!(self, Self::Pencil | Self::Confirmed)
    }

    /// Hold, pencil and confirmed are active; cancelled and expired are final.
    pub fn is_active(self) -> bool {
        matches!(self, Self::Hold | Self::Pencil | Self::Confirmed)
    }

    /// The allowed status changes.
    pub fn can_become(self, to: BookingStatus) -> bool {
        use BookingStatus::*;
        matches!(
            (self, to),
            (Hold, Pencil)
                | (Hold, Confirmed)
                | (Pencil, Confirmed)
                | (Hold | Pencil | Confirmed, Cancelled)
                | (Hold, Expired)
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hold => "hold",
            Self::Pencil => "pencil",
            Self::Confirmed => "confirmed",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl fmt::Display for BookingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The state of one booking after some event; events carry it whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Booking {
    pub id: BookingId,
    pub artist_id: ArtistId,
    pub project_id: Option<ProjectId>,
    /// A phase of `projectId`. Absent (not `null`) when none, so older
    /// clients and stored states read the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub phase_id: Option<PhaseId>,
    pub title: String,
    pub notes: Option<String>,
    pub start_time: Timestamp,
    pub end_time: Timestamp,
    pub status: BookingStatus,
    /// When a hold lapses; `None` for every other status.
    pub expires_at: Option<Timestamp>,
    /// Booked over time off, a holiday or outside working hours on purpose
    /// (`allowOvertime`); absent when not.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(as = "Option<bool>", optional)]
    pub allow_overtime: bool,
    /// A 1st hold under challenge: the hold (of another project, behind this
    /// one on the same slot) that challenged it. Its holder confirms or
    /// releases before `expiresAt` (brought forward to the challenge's
    /// deadline), else the hold lapses and the challenger's moves up. Absent
    /// when not challenged; cleared by any change of status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub challenged_by: Option<BookingId>,
    /// A hold on the waiting list (`queueIfBusy`): the status it asked for
    /// (`pencil` or `confirmed`), which it takes by itself once it is the
    /// 1st hold and the slot is free. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub queued_for: Option<BookingStatus>,
    /// Starts at 1 and grows by one with every change (optimistic locking).
    pub version: u64,
    pub created_at: Timestamp,
    // Who acted: few distinct values across a studio's bookings, so they are
    // shared (`Arc<str>`) rather than copied per booking; on the wire, a string.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_by: Arc<str>,
    pub updated_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_by: Arc<str>,
}

impl Booking {
    pub fn range(&self) -> TimeRange {
        TimeRange { start: self.start_time, end: self.end_time }
    }
}

/// A booking as read by clients: the state plus what is derived from its neighbours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BookingView {
    #[serde(flatten)]
    pub booking: Booking,
    /// For active holds: 1 for the first hold on its slot, 2 for the second …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_rank: Option<u32>,
    /// For a hold (or an overtime booking): where its range meets time off,
    /// a holiday or non-working hours. A warning, not a refusal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<crate::availability::Unavailability>>", optional)]
    pub warnings: Vec<crate::availability::Unavailability>,
}
