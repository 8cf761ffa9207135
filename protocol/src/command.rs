//! What clients ask for. Request bodies reject unknown fields, so a typo is an
//! error rather than a silently ignored field.

use crate::booking::BookingStatus;
use crate::ids::{ArtistId, BookingId, PhaseId, ProjectId};
use crate::time::Timestamp;
use serde::{Deserialize, Deserializer, Serialize};

/// Distinguishes "field absent" (`None`) from "field set to null" (`Some(None)`).
pub fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Create an artist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct NewArtist {
    /// One line of 1 to 200 characters, white space around it trimmed.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u0000-\u001f\u007f-\u009f]([^\u0000-\u001f\u007f-\u009f]{0,198}[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u0000-\u001f\u007f-\u009f])?[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
        )
    )]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 254,
            pattern = r"^[^\s@\u0000-\u001f\u007f-\u009f]+@[^\s@.\u0000-\u001f\u007f-\u009f]+(\.[^\s@.\u0000-\u001f\u007f-\u009f]+)+$"
        )
    )]
    pub email: Option<String>,
    /// At most 50 tags of 1 to 64 characters; lower-cased and de-duplicated.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::skills))]
    pub skills: Vec<String>,
    /// IANA zone; `UTC` when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::TimeZoneName>))]
    pub timezone: Option<String>,
    /// `true` when absent.
    #[serde(default)]
    pub active: Option<bool>,
}

/// Change some fields of an artist. `version`, when given, must match.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct ArtistPatch {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: Option<u64>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u0000-\u001f\u007f-\u009f]([^\u0000-\u001f\u007f-\u009f]{0,198}[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u0000-\u001f\u007f-\u009f])?[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
        )
    )]
    pub name: Option<String>,
    /// `null` removes the address.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 254, pattern = r"^[^\s@\u0000-\u001f\u007f-\u009f]+@[^\s@.\u0000-\u001f\u007f-\u009f]+(\.[^\s@.\u0000-\u001f\u007f-\u009f]+)+$"))]
    pub email: Option<Option<String>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::skills_or_null))]
    pub skills: Option<Vec<String>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::TimeZoneName>))]
    pub timezone: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
    /// Weekly working hours (at most 50 intervals, not overlapping); `null`
    /// returns to the studio's working week.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<crate::availability::WorkingInterval>>, max_items = 50))]
    pub working_hours: Option<Option<Vec<crate::availability::WorkingInterval>>>,
}

/// Create a booking. Status defaults to `pencil`; holds get `expiresAt`
/// (default: the studio's hold duration from now).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct NewBooking {
    pub artist_id: ArtistId,
    /// A project of the studio that is not archived.
    #[serde(default)]
    pub project_id: Option<ProjectId>,
    /// A phase of `projectId` (which is then required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase_id: Option<PhaseId>,
    /// One line of 1 to 255 characters, white space around it trimmed.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u0000-\u001f\u007f-\u009f]([^\u0000-\u001f\u007f-\u009f]{0,253}[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u0000-\u001f\u007f-\u009f])?[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
        )
    )]
    pub title: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub notes: Option<String>,
    pub start_time: Timestamp,
    pub end_time: Timestamp,
    #[serde(default)]
    pub status: Option<BookingStatus>,
    #[serde(default)]
    pub expires_at: Option<Timestamp>,
    /// Book a pencil or confirmed booking over time off, a holiday or
    /// outside working hours anyway (recorded on the booking).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_overtime: Option<bool>,
    /// A pencil or confirmed request whose slot is taken: instead of the
    /// `conflict`, place it as a hold waiting for that status (`queuedFor`),
    /// behind the holds already there. It becomes that status by itself
    /// once it is the 1st hold and the slot is free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_if_busy: Option<bool>,
}

/// Change a booking. `version` is the version the client last saw.
/// Changing `artistId` moves the booking to another artist atomically.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct BookingPatch {
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: u64,
    #[serde(default)]
    pub artist_id: Option<ArtistId>,
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<ProjectId>))]
    pub project_id: Option<Option<ProjectId>>,
    /// A phase of the booking's project; `null` clears it (so does changing the project).
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<PhaseId>))]
    pub phase_id: Option<Option<PhaseId>>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u0000-\u001f\u007f-\u009f]([^\u0000-\u001f\u007f-\u009f]{0,253}[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u0000-\u001f\u007f-\u009f])?[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
        )
    )]
    pub title: Option<String>,
    /// `null` clears the notes.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 10000))]
    pub notes: Option<Option<String>>,
    #[serde(default)]
    pub start_time: Option<Timestamp>,
    #[serde(default)]
    pub end_time: Option<Timestamp>,
    /// Only for holds.
    #[serde(default)]
    pub expires_at: Option<Timestamp>,
    /// Allow the new range over time off, a holiday or outside working hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_overtime: Option<bool>,
}

impl BookingPatch {
    /// True when the patch changes nothing but could still bump the version.
    pub fn is_empty(&self) -> bool {
        self.artist_id.is_none()
            && self.project_id.is_none()
            && self.phase_id.is_none()
            && self.title.is_none()
            && self.notes.is_none()
            && self.start_time.is_none()
            && self.end_time.is_none()
            && self.expires_at.is_none()
            && self.allow_overtime.is_none()
    }
}

/// Change a booking's status (promote a hold, confirm a pencil, cancel …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Transition {
    pub version: u64,
    pub to: BookingStatus,
    /// Promote to pencil or confirmed over time off, a holiday or outside
    /// working hours anyway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub allow_overtime: Option<bool>,
}

/// Ask whether an artist is free for a range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct CheckAvailability {
    pub artist_id: ArtistId,
    pub start_time: Timestamp,
    pub end_time: Timestamp,
    /// A booking to ignore (the one being moved or resized).
    #[serde(default)]
    pub exclude_booking_id: Option<BookingId>,
}

/// A freelancer's answer to a booking offered to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BookingAnswer {
    /// Take the job: the booking becomes `confirmed` (checked for conflicts then).
    Accept,
    /// Turn it down: the booking is `cancelled`.
    Decline,
}
