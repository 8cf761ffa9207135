//! Notifications: what a person is told about a change that concerns them.
//!
//! A notification is decided with the change that causes it (the artist actor
//! appends `notificationCreated` to the same command's events), so a change is
//! never stored without its notifications. Each has one recipient, a user.
//! Marking read is a command too (`notificationsRead`, decided by the
//! tenant's inbox actor). Rules: `docs/semantics.md`, "Notifications".

pub use crate::ids::NotificationId;
use crate::ids::{ArtistId, BookingId, UserId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// What a notification is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum NotificationKind {
    /// A booking was made on the freelancer's own artist (or moved onto it).
    BookingOffered,
    /// Its dates, title or notes changed.
    BookingChanged,
    /// It became confirmed.
    BookingConfirmed,
    /// It was cancelled, or moved to another artist.
    BookingCancelled,
    /// A hold ahead on the slot went away: the holder's hold moved up.
    HoldPromoted,
    /// The holder's 1st hold was challenged: answer before the deadline.
    HoldChallenged,
    /// The holder's hold lapsed (at its expiry or a challenge's deadline).
    HoldReleased,
    /// A request on the waiting list got its slot.
    QueuePlaced,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 8] = [
        Self::BookingOffered,
        Self::BookingChanged,
        Self::BookingConfirmed,
        Self::BookingCancelled,
        Self::HoldPromoted,
        Self::HoldChallenged,
        Self::HoldReleased,
        Self::QueuePlaced,
    ];

    /// The name as stored and on the wire (`bookingOffered` …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BookingOffered => "bookingOffered",
            Self::BookingChanged => "bookingChanged",
            Self::BookingConfirmed => "bookingConfirmed",
            Self::BookingCancelled => "bookingCancelled",
            Self::HoldPromoted => "holdPromoted",
            Self::HoldChallenged => "holdChallenged",
            Self::HoldReleased => "holdReleased",
            Self::QueuePlaced => "queuePlaced",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One notification, as listed and as it arrives live.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Notification {
    pub id: NotificationId,
    /// Who it is for.
    pub user_id: UserId,
    pub kind: NotificationKind,
    /// A short line ("Your hold moved up to 1st").
    pub title: String,
    /// One or two sentences with the booking's title, artist and dates.
    pub body: String,
    /// The booking it is about (open it on the board).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking_id: Option<BookingId>,
    /// The booking's artist, to find it on the board.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artist_id: Option<ArtistId>,
    /// Who made the change (`user:<id>`, `system:expiry` …).
    pub by: String,
    pub created_at: Timestamp,
    /// When the recipient read it; `null` while unread.
    pub read_at: Option<Timestamp>,
}

/// What marking notifications read did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReadReceipt {
    /// The notifications this marked read (those already read are not listed).
    pub ids: Vec<NotificationId>,
    pub read_at: Timestamp,
    /// The reader's unread notifications left.
    pub unread_count: u64,
}

/// A page of one user's notifications, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    /// All of the reader's unread notifications (not only this page's).
    pub unread_count: u64,
    /// Pass as `before` for the next (older) page; `null` on the last page.
    pub next_before: Option<NotificationId>,
}
