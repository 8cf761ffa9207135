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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
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
    /// The time off one asked for was approved or declined.
    TimeOffDecided,
    /// Someone one invited joined the studio.
    InvitationAccepted,
    /// One's hold lapses in 24 hours (unless confirmed or extended).
    HoldExpiring,
    /// One's challenged 1st hold: 2 hours left to confirm or release it.
    ChallengeDeadline,
    /// An application moved: to the applicant when the studio shortlists,
    /// offers or rejects (and when their accept pencilled them in), to the
    /// listing's poster when someone applies, withdraws, accepts or declines.
    ApplicationChanged,
    /// A manager asked you to apply for a listing.
    JobInvited,
    /// A new public listing matches your skills.
    JobMatched,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 15] = [
        Self::BookingOffered,
        Self::BookingChanged,
        Self::BookingConfirmed,
        Self::BookingCancelled,
        Self::HoldPromoted,
        Self::HoldChallenged,
        Self::HoldReleased,
        Self::QueuePlaced,
        Self::TimeOffDecided,
        Self::InvitationAccepted,
        Self::HoldExpiring,
        Self::ChallengeDeadline,
        Self::ApplicationChanged,
        Self::JobInvited,
        Self::JobMatched,
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
            Self::TimeOffDecided => "timeOffDecided",
            Self::InvitationAccepted => "invitationAccepted",
            Self::HoldExpiring => "holdExpiring",
            Self::ChallengeDeadline => "challengeDeadline",
            Self::ApplicationChanged => "applicationChanged",
            Self::JobInvited => "jobInvited",
            Self::JobMatched => "jobMatched",
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
    /// When the recipient read it; `null` while unread. A kind the
    /// recipient keeps out of their inbox but wants by email arrives read.
    pub read_at: Option<Timestamp>,
    /// Also sent by email (the recipient's preferences at the time).
    #[serde(default)]
    pub email: bool,
}

/// Where one kind of notification goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChannelChoice {
    /// In the inbox, counted by the bell (off: kept there as read).
    pub in_app: bool,
    /// By email (when the server sends email).
    pub email: bool,
}

impl Default for ChannelChoice {
    fn default() -> Self {
        Self { in_app: true, email: true }
    }
}

/// No email between `start` and `end` on the recipient's clock; what falls
/// in them is sent when they end. `start` after `end` spans midnight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct QuietHours {
    /// `HH:MM`, 24-hour.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub start: String,
    /// `HH:MM`, 24-hour; not equal to `start`.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub end: String,
    /// IANA time zone, e.g. `Europe/London`.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::TimeZoneName))]
    pub timezone: String,
}

/// One user's choices in one studio: every kind's channels, and quiet hours.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NotificationPreferences {
    /// Every kind (a kind never set is on in both channels).
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::BTreeMap<String, ChannelChoice>))]
    pub kinds: std::collections::BTreeMap<NotificationKind, ChannelChoice>,
    pub quiet_hours: Option<QuietHours>,
}

impl NotificationPreferences {
    /// Where `kind` goes.
    pub fn choice(&self, kind: NotificationKind) -> ChannelChoice {
        self.kinds.get(&kind).copied().unwrap_or_default()
    }

    /// With every kind listed (as `GET` answers).
    pub fn complete(mut self) -> Self {
        for k in NotificationKind::ALL {
            self.kinds.entry(k).or_default();
        }
        self
    }
}

/// A change to where one kind goes; what is left out stays.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct ChannelPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_app: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<bool>,
}

/// A change to one's preferences; what is left out stays.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct PreferencesPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<std::collections::BTreeMap<String, ChannelPatch>>))]
    pub kinds: Option<std::collections::BTreeMap<NotificationKind, ChannelPatch>>,
    /// `null` turns quiet hours off.
    #[serde(default, deserialize_with = "crate::command::double_option", skip_serializing_if = "Option::is_none")]
    pub quiet_hours: Option<Option<QuietHours>>,
}

impl NotificationPreferences {
    /// These preferences with `patch` applied.
    pub fn patched(mut self, patch: &PreferencesPatch) -> Self {
        for (kind, p) in patch.kinds.iter().flatten() {
            let c = self.kinds.entry(*kind).or_default();
            c.in_app = p.in_app.unwrap_or(c.in_app);
            c.email = p.email.unwrap_or(c.email);
        }
        if let Some(q) = &patch.quiet_hours {
            self.quiet_hours = q.clone();
        }
        self
    }
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
