//! What clients ask of projects. Request bodies reject unknown fields. Every
//! date range is half-open: `endDate` is the first day *after* the range.
//! The constraints here are the wire contract; the one validation of them is
//! `pt_actors::domain::project::validate`.

use crate::command::double_option;
use crate::day::Day;
use crate::ids::PhaseId;
use crate::project::{DependencyKind, ProjectStatus, ReplanMode, SkillEffort};
use serde::{Deserialize, Serialize};

/// Create a project. Status defaults to `planning`, colour to a palette colour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct NewProject {
    /// 1 to 200 characters, trimmed.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
        )
    )]
    pub name: String,
    /// 1 to 16 letters, digits, `-` or `_`; unique per studio, ignoring case.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[A-Za-z0-9_-]{1,16}$"))]
    pub code: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub client: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^#[0-9a-fA-F]{6}$"))]
    pub color: Option<String>,
    /// Not `archived` (archive by deleting).
    #[serde(default)]
    pub status: Option<ProjectStatus>,
    pub start_date: Day,
    /// Exclusive, after `startDate`, at most 20 years later.
    pub end_date: Day,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 10000000))]
    pub budget_days: Option<u32>,
    /// With `currency`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 1000000000000u64))]
    pub budget_amount: Option<u64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[A-Z]{3}$"))]
    pub currency: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub description: Option<String>,
}

/// Change some fields of a project. `version`, when given, must match.
/// Nullable fields take `null` to clear them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct ProjectPatch {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: Option<u64>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
        )
    )]
    pub name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[A-Za-z0-9_-]{1,16}$"))]
    pub code: Option<String>,
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 200))]
    pub client: Option<Option<String>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^#[0-9a-fA-F]{6}$"))]
    pub color: Option<String>,
    /// Not `archived` (archive by deleting); an archived project takes only
    /// a status change back.
    #[serde(default)]
    pub status: Option<ProjectStatus>,
    #[serde(default)]
    pub start_date: Option<Day>,
    #[serde(default)]
    pub end_date: Option<Day>,
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>, maximum = 10000000))]
    pub budget_days: Option<Option<u32>>,
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u64>, maximum = 1000000000000u64))]
    pub budget_amount: Option<Option<u64>>,
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = r"^[A-Z]{3}$"))]
    pub currency: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 10000))]
    pub description: Option<Option<String>>,
}

/// Add a phase to a project; it must lie within the project's dates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct NewPhase {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
        )
    )]
    pub name: String,
    pub start_date: Day,
    /// Exclusive, after `startDate`.
    pub end_date: Day,
    /// 0 when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub progress: Option<u8>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^#[0-9a-fA-F]{6}$"))]
    pub color: Option<String>,
    /// At most 50 skills, each once; none when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    #[ts(as = "Option<Vec<SkillEffort>>", optional)]
    pub effort: Vec<SkillEffort>,
}

/// Move, resize or edit a phase. Moving or resizing follows `mode`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct PhasePatch {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: Option<u64>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
        )
    )]
    pub name: Option<String>,
    #[serde(default)]
    pub start_date: Option<Day>,
    #[serde(default)]
    pub end_date: Option<Day>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub progress: Option<u8>,
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = r"^#[0-9a-fA-F]{6}$"))]
    pub color: Option<Option<String>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub effort: Option<Vec<SkillEffort>>,
    /// `push` (default) or `strict`.
    #[serde(default)]
    pub mode: Option<ReplanMode>,
}

/// Make one phase depend on another of the same project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct NewDependency {
    pub predecessor_id: PhaseId,
    pub successor_id: PhaseId,
    /// `finish_to_start` when absent.
    #[serde(default)]
    pub kind: Option<DependencyKind>,
    /// Working days, -365 to 365; 0 when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = -365, maximum = 365))]
    pub lag_days: Option<i32>,
    /// When the phases' dates break the new dependency: `push` (default)
    /// moves the successor and what follows it; `strict` refuses.
    #[serde(default)]
    pub mode: Option<ReplanMode>,
}

/// Add a milestone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct NewMilestone {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
        )
    )]
    pub name: String,
    pub date: Day,
    #[serde(default)]
    pub done: Option<bool>,
    /// A phase of the same project.
    #[serde(default)]
    pub phase_id: Option<PhaseId>,
}

/// Change a milestone. `version`, when given, must match.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct MilestonePatch {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: Option<u64>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
        )
    )]
    pub name: Option<String>,
    #[serde(default)]
    pub date: Option<Day>,
    #[serde(default)]
    pub done: Option<bool>,
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<PhaseId>))]
    pub phase_id: Option<Option<PhaseId>>,
}
