//! When an artist can work: weekly working hours, time off (requested,
//! approved …), studio holidays, and why a range is not workable.

use crate::day::Day;
use crate::ids::{ArtistId, TimeOffId};
use crate::time::{TimeRange, Timestamp};
use serde::{Deserialize, Serialize};

/// One working interval of a weekday, on the artist's local clock
/// (`09:00`–`13:00` on Mondays). An artist's working hours are a list of
/// these; a weekday may have several (a split shift) or none (a day off).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct WorkingInterval {
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 7))]
    pub day: u8,
    /// `HH:MM`, local time of the artist.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub start: String,
    /// `HH:MM` after `start` (`24:00` ends at midnight).
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"))]
    pub end: String,
}

/// A studio public holiday: a whole local day off for every artist.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Holiday {
    pub date: Day,
    /// 1 to 100 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TimeOffKind {
    Vacation,
    Sick,
    #[default]
    Other,
}

/// `requested → approved | declined`; a requested or approved entry can be
/// `cancelled`. Only `approved` time off counts against availability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TimeOffStatus {
    Requested,
    #[default]
    Approved,
    Declined,
    Cancelled,
}

/// One time-off entry of an artist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TimeOff {
    pub id: TimeOffId,
    pub start: Timestamp,
    pub end: Timestamp,
    pub kind: TimeOffKind,
    pub status: TimeOffStatus,
    pub note: Option<String>,
    /// Who asked (the user id or token name the command came from).
    pub requested_by: String,
    /// Who approved, declined or cancelled it.
    pub decided_by: Option<String>,
    pub decided_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

impl TimeOff {
    pub fn range(&self) -> TimeRange {
        TimeRange { start: self.start, end: self.end }
    }

    /// Approved time off over `range`, kind `other`, with a fresh id (tests, fixtures).
    pub fn approved(range: TimeRange) -> Self {
        TimeOff {
            id: TimeOffId::new(),
            start: range.start,
            end: range.end,
            kind: TimeOffKind::Other,
            status: TimeOffStatus::Approved,
            note: None,
            requested_by: String::new(),
            decided_by: None,
            decided_at: None,
            created_at: range.start,
        }
    }
}

/// One entry of the approval queue (`GET /api/v1/time-off`): the entry and
/// whose it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TimeOffEntry {
    pub artist_id: ArtistId,
    pub artist_name: String,
    pub time_off: TimeOff,
}

/// Reads an artist's `timeOff` list, including the plain `{start, end}`
/// ranges written before entries had ids and statuses (protocol 1): each
/// becomes `approved`, kind `other`, with an id derived from its range and
/// position (stable, so every replay names it the same).
pub fn time_off_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<TimeOff>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Entry(TimeOff),
        Range(TimeRange),
    }
    let stored = Vec::<Stored>::deserialize(d)?;
    Ok(stored
        .into_iter()
        .enumerate()
        .map(|(i, s)| match s {
            Stored::Entry(t) => t,
            Stored::Range(r) => TimeOff {
                id: TimeOffId::from_u128(
                    u128::from(crate::fnv1a64(&[&r.start.0.to_le_bytes(), &r.end.0.to_le_bytes()])) << 64 | i as u128,
                ),
                ..TimeOff::approved(r)
            },
        })
        .collect())
}

/// Ask for time off (a freelancer, for their own artist: `requested`), or
/// record it (an owner or manager: `approved` at once).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct NewTimeOff {
    pub start: Timestamp,
    /// After `start`; at most 366 days later.
    pub end: Timestamp,
    /// `other` when absent.
    #[serde(default)]
    pub kind: Option<TimeOffKind>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub note: Option<String>,
}

/// An owner's or manager's answer to a time-off request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TimeOffDecision {
    Approve,
    Decline,
}

/// Why an artist cannot work (part of) a range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum UnavailableReason {
    /// Approved time off covers working time in the range.
    TimeOff,
    /// A studio holiday falls on a working day in the range.
    Holiday,
    /// The range starts before or ends after the artist's working hours, or
    /// holds no working time at all.
    OutsideWorkingHours,
}

/// One overlap of a range with time the artist does not work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Unavailability {
    pub reason: UnavailableReason,
    /// The part of the range affected.
    pub start: Timestamp,
    pub end: Timestamp,
    /// The time-off entry, for `time_off`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub time_off_id: Option<TimeOffId>,
    /// The holiday's name, for `holiday`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub holiday: Option<String>,
}

/// One result of `GET /api/v1/artists/search`: an artist, how their skills
/// match, and their free time in the searched range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ArtistMatch {
    pub artist: crate::Artist,
    /// Requested skills the artist has at (at least) the requested level,
    /// with their level.
    pub matched_skills: Vec<crate::profile::SkillLevel>,
    /// Requested skills the artist lacks or has below the requested level.
    pub missing_skills: Vec<String>,
    /// Working days (holidays excluded) in the range, from today on.
    pub working_days: u32,
    /// Those with no booking, time off or holiday in their working hours.
    pub free_days: u32,
    /// Free working time in the range, in minutes.
    pub free_minutes: u64,
    /// Free stretches in the range (working time with nothing booked; nights
    /// and weekends inside a stretch are not working time), by start.
    pub free_windows: Vec<TimeRange>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_1_ranges_read_as_approved_entries_with_stable_ids() {
        let json = r#"[{"start":"2026-03-02T00:00:00Z","end":"2026-03-04T00:00:00Z"}]"#;
        let read = || time_off_list(&mut serde_json::Deserializer::from_str(json)).unwrap();
        let (a, b) = (read(), read());
        assert_eq!(a, b, "every decode names the entry the same");
        assert_eq!(
            (a[0].status, a[0].kind, a[0].created_at),
            (TimeOffStatus::Approved, TimeOffKind::Other, a[0].start)
        );
        assert_eq!(a[0].range().duration_micros(), 2 * crate::time::MICROS_PER_DAY);
    }
}
