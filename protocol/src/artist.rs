//! Artists: the people a studio books.

use crate::ids::ArtistId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// The state of one artist, as stored and as sent to clients.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, ts_rs::TS)]
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
    /// Archived (deleted) artists are hidden from the API; their history stays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_at: Option<Timestamp>,
    pub version: u64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}
