//! The job marketplace (issue 18): listings a studio posts, applications
//! freelancers make, and how well a candidate matches. Rules:
//! `actors/src/domain/jobs/`.

use crate::day::Day;
use crate::ids::{ArtistId, BookingId, ProjectId, TenantId, UserId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

pub use crate::ids::{ApplicationId, JobId};

/// Where a listing stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum JobStatus {
    /// Being written; only the studio sees it.
    Draft,
    /// Taking applications.
    Open,
    /// No longer taking applications.
    Closed,
    /// Every position is taken.
    Filled,
}

/// Who sees a listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum JobVisibility {
    /// The studio's own members (its freelancers).
    Studio,
    /// The cross-studio job board: the listing and the studio's name, nothing else of the studio.
    Public,
}

/// A skill a listing asks for, at least at `minLevel`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SkillRequirement {
    /// A skill tag (lower case, 1 to 64 characters).
    pub skill: String,
    /// 1 (junior) to 5 (lead).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub min_level: u8,
}

/// A day-rate range in one currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RateRange {
    pub min: u32,
    /// At least `min`.
    pub max: u32,
    /// ISO 4217, upper case.
    pub currency: String,
}

/// A job listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JobListing {
    pub id: JobId,
    pub title: String,
    pub description: String,
    pub skills: Vec<SkillRequirement>,
    /// The work's first day.
    pub start_date: Day,
    /// The day after its last (half-open, like every range here).
    pub end_date: Day,
    pub location: Option<String>,
    pub remote: bool,
    pub rate: Option<RateRange>,
    /// How many people it takes (1 to 100).
    pub positions: u32,
    pub project_id: Option<ProjectId>,
    pub status: JobStatus,
    pub visibility: JobVisibility,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Starts at 1; every change adds 1.
    pub version: u64,
}

/// Where an application stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ApplicationStatus {
    Applied,
    Shortlisted,
    Offered,
    /// The freelancer took the offer (its pencil booking exists).
    Accepted,
    /// The freelancer turned the offer down.
    Declined,
    /// The studio said no.
    Rejected,
    /// The freelancer took the application back.
    Withdrawn,
}

impl ApplicationStatus {
    /// Still in play: at most one live application per freelancer and listing.
    pub fn is_live(self) -> bool {
        matches!(self, Self::Applied | Self::Shortlisted | Self::Offered)
    }
}

/// Who asks for an application's change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum JobSide {
    /// The listing's studio (owners and managers).
    Studio,
    /// The freelancer who applied.
    Applicant,
}

/// One application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JobApplication {
    pub id: ApplicationId,
    pub job_id: JobId,
    pub applicant: UserId,
    /// The applicant's display name when they applied.
    pub applicant_name: String,
    /// The studio the applicant applied from: where they are told of each step.
    pub from_studio: TenantId,
    /// The applicant's artist in the listing's studio, once there is one.
    pub artist_id: Option<ArtistId>,
    /// The pencil booking an accepted offer became.
    pub booking_id: Option<BookingId>,
    pub note: String,
    /// The day rate asked for, in the listing's currency.
    pub rate: Option<u32>,
    /// The applicant's skills when they applied (their own artist's profile
    /// in the studio they applied from), for matching before they are one
    /// of the listing studio's artists.
    pub skills: Vec<crate::profile::SkillLevel>,
    pub status: ApplicationStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: u64,
}

/// How well someone fits a listing, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JobMatch {
    /// 0 to 100.
    pub score: u8,
    /// One line per part of the score: "compositing 4 ≥ 3", "free 9 of 10 days", "rate within range".
    pub reasons: Vec<String>,
}

/// Post a listing (`jobs:manage`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct NewJob {
    /// One line of 1 to 200 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200, pattern = r"^[^\n\r]*[^\s][^\n\r]*$"))]
    pub title: String,
    /// At most 10,000 characters; empty when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub description: Option<String>,
    /// At most 20.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub skills: Vec<SkillRequirement>,
    pub start_date: Day,
    /// After `startDate`, at most 400 days later (exclusive: the day after the last).
    pub end_date: Day,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub location: Option<String>,
    /// `false` when absent.
    #[serde(default)]
    pub remote: Option<bool>,
    #[serde(default)]
    pub rate: Option<RateRange>,
    /// 1 to 100; 1 when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    pub positions: Option<u32>,
    #[serde(default)]
    pub project_id: Option<ProjectId>,
    /// `studio` when absent.
    #[serde(default)]
    pub visibility: Option<JobVisibility>,
    /// `draft` or `open`; `draft` when absent.
    #[serde(default)]
    pub status: Option<JobStatus>,
}

/// Change some fields of a listing. `version`, when given, must match.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct JobPatch {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: Option<u64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200, pattern = r"^[^\n\r]*[^\s][^\n\r]*$"))]
    pub title: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub description: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub skills: Option<Vec<SkillRequirement>>,
    #[serde(default)]
    pub start_date: Option<Day>,
    #[serde(default)]
    pub end_date: Option<Day>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::command::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 200))]
    pub location: Option<Option<String>>,
    #[serde(default)]
    pub remote: Option<bool>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::command::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<RateRange>))]
    pub rate: Option<Option<RateRange>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    pub positions: Option<u32>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::command::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<ProjectId>))]
    pub project_id: Option<Option<ProjectId>>,
    #[serde(default)]
    pub visibility: Option<JobVisibility>,
    /// `draft → open → closed | filled`, `closed → open`, `open → draft` while nobody applied.
    #[serde(default)]
    pub status: Option<JobStatus>,
}

/// Apply for a listing (`jobs:apply`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct NewApplication {
    /// At most 5,000 characters; empty when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub note: Option<String>,
    /// The day rate asked for, in the listing's currency (at most 1,000,000).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 1000000))]
    pub rate: Option<u32>,
}

/// A public listing on the cross-studio board: the listing and its studio's
/// name, nothing else of that studio.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JobBoardItem {
    pub job: JobListing,
    pub studio_name: String,
    /// Whether the caller saved it.
    pub saved: bool,
    /// How well the caller's own artist (in the studio they are signed in
    /// to) fits; `null` when they have none.
    pub fit: Option<JobMatch>,
}

/// An application with what its reader needs beside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ApplicationView {
    pub application: JobApplication,
    pub job_title: String,
    pub start_date: Day,
    pub end_date: Day,
    pub studio_name: String,
    /// For the listing's studio: how well the applicant fits (from their
    /// artist there, else from what they applied with); `null` for the applicant.
    pub fit: Option<JobMatch>,
}

/// One of the studio's artists ranked against a listing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JobCandidate {
    pub artist_id: ArtistId,
    pub name: String,
    /// The user linked to the artist, if any (who an invitation goes to).
    pub user_id: Option<UserId>,
    pub fit: JobMatch,
}
