//! Reports computed from memory: utilization per artist and period, and a
//! project's planned vs booked allocation. Hours and days are decimals.

use crate::day::Day;
use crate::ids::{ArtistId, PhaseId, ProjectId};
use serde::{Deserialize, Serialize};

/// Period length of a utilization report.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Granularity {
    Day,
    /// ISO weeks, Monday to Sunday.
    #[default]
    Week,
}

/// One artist in one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UtilizationCell {
    /// First day of the period (a Monday for weeks, clipped to `from`).
    pub period_start: Day,
    /// The studio's working hours in the period minus the artist's time off.
    pub available_hours: f64,
    /// Booked hours within working hours, by status.
    pub hold_hours: f64,
    pub pencil_hours: f64,
    pub confirmed_hours: f64,
    /// (pencil + confirmed) ÷ available; `null` when nothing is available.
    pub utilization: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UtilizationRow {
    pub artist_id: ArtistId,
    pub artist_name: String,
    pub skills: Vec<String>,
    /// One per period, in order.
    pub cells: Vec<UtilizationCell>,
}

/// `GET /api/v1/reports/utilization`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Utilization {
    pub from: Day,
    /// Exclusive.
    pub to: Day,
    pub granularity: Granularity,
    /// Each period's first day, in order.
    pub periods: Vec<Day>,
    /// By artist name.
    pub rows: Vec<UtilizationRow>,
}

/// Whether booked effort meets the plan.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AllocationStatus {
    Under,
    OnPlan,
    Over,
}

/// Planned vs booked artist-days for one phase and skill.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AllocationRow {
    /// `null`: bookings of the project with no phase.
    pub phase_id: Option<PhaseId>,
    pub phase_name: Option<String>,
    /// A skill of the plan, or of the booked artists (their first skill) when unplanned.
    pub skill: String,
    pub planned_days: f64,
    /// Pencil + confirmed, in working days (the working hours they cover ÷ the
    /// length of the studio's working day), time off excluded.
    pub booked_days: f64,
    /// Holds, shown apart.
    pub held_days: f64,
    /// booked − planned.
    pub delta_days: f64,
    pub status: AllocationStatus,
}

/// `GET /api/v1/projects/{id}/allocation`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Allocation {
    pub project_id: ProjectId,
    /// By phase start, then skill.
    pub rows: Vec<AllocationRow>,
    pub planned_days: f64,
    pub booked_days: f64,
    pub held_days: f64,
}
