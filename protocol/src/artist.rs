//! Artists: the people a studio books.

use crate::ids::ArtistId;
use crate::time::{TimeRange, Timestamp};
use serde::{Deserialize, Serialize};

/// The state of one artist, as stored and as sent to clients.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Artist {
    pub id: ArtistId,
    pub name: String,
    pub email: Option<String>,
    /// Free-form skill tags ("compositing", "rigging" …), lower-cased, unique.
    pub skills: Vec<String>,
    /// IANA time zone name, e.g. `Europe/London`.
    pub timezone: String,
    /// Inactive artists keep their bookings but cannot be booked.
    pub active: bool,
    /// Time off (leave, holidays, unavailable days), sorted by start and not
    /// overlapping: shaded on the board; bookings over it are allowed (a
    /// studio may book someone who moved their leave) but reported.
    #[serde(default)]
    pub time_off: Vec<TimeRange>,
    /// Archived (deleted) artists are hidden from the API; their history stays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_at: Option<Timestamp>,
    pub version: u64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}
