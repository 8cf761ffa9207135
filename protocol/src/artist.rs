//! Artists: the people a studio books.

use crate::availability::{TimeOff, TimeOffStatus, WorkingInterval};
use crate::ids::ArtistId;
use crate::profile::{ArtistProfile, DayRate};
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
    /// Time-off entries (requested, approved, declined, cancelled), by start.
    /// Only approved ones count against availability.
    #[serde(default, deserialize_with = "crate::availability::time_off_list")]
    pub time_off: Vec<TimeOff>,
    /// Weekly working hours on the artist's clock; absent = the studio's
    /// working week.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub working_hours: Option<Vec<WorkingInterval>>,
    /// Bio, skill levels, portfolio, languages … (absent when empty).
    #[serde(default, skip_serializing_if = "ArtistProfile::is_empty")]
    #[ts(as = "Option<ArtistProfile>", optional)]
    pub profile: ArtistProfile,
    /// Day rate: owners and managers only; removed from everything a
    /// freelancer receives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub rate: Option<DayRate>,
    /// Archived (deleted) artists are hidden from the API; their history stays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_at: Option<Timestamp>,
    pub version: u64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Artist {
    /// Approved time off, as ranges, by start.
    pub fn approved_time_off(&self) -> impl Iterator<Item = TimeRange> + '_ {
        self.time_off.iter().filter(|t| t.status == TimeOffStatus::Approved).map(TimeOff::range)
    }

    /// A copy without what only owners and managers may see.
    pub fn redacted(&self) -> Artist {
        Artist { rate: None, ..self.clone() }
    }
}
