//! The job marketplace (issue 18): listings a studio posts, applications
//! freelancers make, and how well a candidate matches. Rules:
//! `actors/src/domain/jobs/`.

use crate::day::Day;
use crate::ids::{ArtistId, ProjectId, UserId};
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
    /// The applicant's artist in the listing's studio, once there is one.
    pub artist_id: Option<ArtistId>,
    pub note: String,
    /// The day rate asked for, in the listing's currency.
    pub rate: Option<u32>,
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
