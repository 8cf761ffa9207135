//! Projects: the plan a studio books artists onto. A project has phases
//! (day-granular, half-open date ranges), dependencies between its phases
//! (a DAG), and milestones. Events carry each entity whole, like bookings.

use crate::day::Day;
use crate::ids::{DependencyId, MilestoneId, PhaseId, ProjectId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Where a project is in its life. `archived` is what deleting does: the
/// project stays readable and takes no new bookings.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProjectStatus {
    Planning,
    Active,
    OnHold,
    Done,
    Archived,
}

impl ProjectStatus {
    pub const ALL: [ProjectStatus; 5] = [Self::Planning, Self::Active, Self::OnHold, Self::Done, Self::Archived];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planning => "planning",
            Self::Active => "active",
            Self::OnHold => "on_hold",
            Self::Done => "done",
            Self::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// One project's own fields (its phases, dependencies and milestones are
/// entities of their own).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Project {
    pub id: ProjectId,
    pub name: String,
    /// Short code, unique per studio (case-insensitive), e.g. `NOVA`.
    pub code: String,
    pub client: Option<String>,
    /// `#rrggbb`.
    pub color: String,
    pub status: ProjectStatus,
    pub start_date: Day,
    /// Exclusive: the project ends before this day.
    pub end_date: Day,
    /// Planned effort in artist-days. `null` for a freelancer (budgets are the studio's).
    pub budget_days: Option<u32>,
    /// Whole units of `currency`. `null` when not set, and for a freelancer.
    pub budget_amount: Option<u64>,
    /// ISO 4217 code, with `budgetAmount`.
    pub currency: Option<String>,
    pub description: Option<String>,
    pub version: u64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Planned effort for one skill in a phase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct SkillEffort {
    /// A skill tag (lower-cased).
    pub skill: String,
    /// Artist-days, 1 to 100000.
    pub days: u32,
}

/// A stretch of a project's work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Phase {
    pub id: PhaseId,
    pub project_id: ProjectId,
    pub name: String,
    pub start_date: Day,
    /// Exclusive.
    pub end_date: Day,
    /// 0 to 100.
    pub progress: u8,
    /// `#rrggbb`, or `null` for the project's colour.
    pub color: Option<String>,
    pub effort: Vec<SkillEffort>,
    pub version: u64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// How a successor's dates depend on its predecessor's.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DependencyKind {
    /// The successor starts after the predecessor ends (+ lag).
    FinishToStart,
    /// The successor starts after the predecessor starts (+ lag).
    StartToStart,
    /// The successor ends after the predecessor ends (+ lag).
    FinishToFinish,
    /// The successor ends after the predecessor starts (+ lag).
    StartToFinish,
}

/// `successor` may not start (or end, by `kind`) before `predecessor` allows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Dependency {
    pub id: DependencyId,
    pub project_id: ProjectId,
    pub predecessor_id: PhaseId,
    pub successor_id: PhaseId,
    pub kind: DependencyKind,
    /// Working days (the studio's working week); may be negative.
    pub lag_days: i32,
    pub created_at: Timestamp,
}

/// A dated checkpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Milestone {
    pub id: MilestoneId,
    pub project_id: ProjectId,
    pub name: String,
    pub date: Day,
    pub done: bool,
    pub phase_id: Option<PhaseId>,
    pub version: u64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A project with everything in it: what a project view's snapshot carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProjectPlan {
    pub project: Project,
    /// By start date, then id.
    pub phases: Vec<Phase>,
    pub dependencies: Vec<Dependency>,
    /// By date, then id.
    pub milestones: Vec<Milestone>,
}

/// How moving or resizing a phase treats its successors.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReplanMode {
    /// Move every successor as far as its dependencies require (the answer lists each).
    #[default]
    Push,
    /// Refuse with `dependency_violation` when a dependency would be broken.
    Strict,
}

/// One phase a re-plan moved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PhaseMove {
    pub phase_id: PhaseId,
    pub old_start: Day,
    pub old_end: Day,
    pub new_start: Day,
    pub new_end: Day,
}

/// A phase after a change, and every other phase the change pushed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PhaseChange {
    pub phase: Phase,
    /// Successors moved by `push` (empty otherwise), in the order they were moved.
    pub moved: Vec<PhaseMove>,
}

/// A new dependency, and every phase it pushed to be satisfied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DependencyChange {
    pub dependency: Dependency,
    pub moved: Vec<PhaseMove>,
}

/// One phase in a project's schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScheduledPhase {
    pub phase_id: PhaseId,
    pub start_date: Day,
    pub end_date: Day,
    /// The latest start that delays no successor and not the project's last
    /// phase end.
    pub latest_start: Day,
    /// Working days this phase can slip; 0 on the critical path.
    pub slack_days: i32,
    pub critical: bool,
}

/// A project's computed schedule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Schedule {
    pub project_id: ProjectId,
    /// The earliest phase start (`null` without phases).
    pub start_date: Option<Day>,
    /// The latest phase end, exclusive (`null` without phases).
    pub finish_date: Option<Day>,
    /// Phase progress weighted by duration, 0 to 100.
    pub progress: f64,
    /// In start order.
    pub phases: Vec<ScheduledPhase>,
    /// Phase ids from the first critical phase to the one that ends the project.
    pub critical_path: Vec<PhaseId>,
}

/// A dependency a `strict` change would break: `successor` must start (or,
/// by `kind`, end) on or after `required`, and would be at `actual`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Violation {
    pub dependency_id: DependencyId,
    pub predecessor_id: PhaseId,
    pub successor_id: PhaseId,
    pub kind: DependencyKind,
    pub required: Day,
    pub actual: Day,
}
