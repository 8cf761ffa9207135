//! `/api/v1/projects`: the plans a studio books artists onto. Writes build a
//! project [`Command`] and go through [`crate::commands`]; reads come from
//! the project actor's memory, filtered by what the caller may see
//! (`commands::access::visible_project`: a freelancer sees the projects
//! they are booked on, without budgets).

use crate::commands::Command;
use crate::commands::access::{redact_project, visible_project, visible_project_ids};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, CmdKey};
use crate::routes::{Data, Page, PageQuery, command_shaped, paginate};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use pt_actors::artist_actor::BookingFilter;
use pt_protocol::booking::BookingView;
use pt_protocol::project::Schedule;
use pt_protocol::project_command::{NewProject, ProjectPatch};
use pt_protocol::ws::CommandResult;
use pt_protocol::{Project, ProjectId, ProjectPlan, ProjectStatus};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ProjectListQuery {
    /// Only projects with this status (archived ones are listed only when asked for).
    #[param(value_type = Option<ProjectStatus>)]
    pub status: Option<ProjectStatus>,
    /// Only this client's projects (case-insensitive, exact).
    #[param(max_length = 200)]
    pub client: Option<String>,
    /// Name or code contains this (case-insensitive).
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// From 1 (to 2^31 − 1); 1 by default.
    #[param(value_type = Option<i32>, minimum = 1)]
    pub page: Option<usize>,
    /// 1 to 1000; 100 by default.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
}

/// A project command's result as its REST body: the entity itself; a phase
/// or dependency change with the phases it moved.
pub fn rest_body(result: CommandResult) -> Value {
    let v = match result {
        CommandResult::Project { project } => serde_json::to_value(project),
        CommandResult::Phase { change } => serde_json::to_value(change),
        CommandResult::Dependency { change } => serde_json::to_value(change),
        CommandResult::DependencyRemoved { dependency } => serde_json::to_value(dependency),
        CommandResult::Milestone { milestone } => serde_json::to_value(milestone),
        CommandResult::Booking { booking } => serde_json::to_value(booking),
        CommandResult::Artist { artist } => serde_json::to_value(artist),
        CommandResult::TimeOff { time_off } => serde_json::to_value(time_off),
        CommandResult::Read { receipt } => serde_json::to_value(receipt),
        CommandResult::Job { job } => serde_json::to_value(job),
        CommandResult::Application { application } => serde_json::to_value(application),
    };
    v.unwrap_or(Value::Null)
}

/// The studio's projects, by name: filtered, paginated. A freelancer gets
/// the projects they are booked on, without budgets.
#[utoipa::path(get, path = "/projects", operation_id = "listProjects", tag = "projects", params(ProjectListQuery),
    responses((status = 200, body = Page<Project>), (status = 400, body = ErrorBody)))]
pub async fn list(
    Auth { who, tenant: t }: Auth,
    ApiQuery(q): ApiQuery<ProjectListQuery>,
) -> Result<Json<Page<Project>>, ApiError> {
    for (field, value) in [("client", &q.client), ("q", &q.q)] {
        if value.as_ref().is_some_and(|v| v.chars().count() > 200) {
            return Err(ApiError::invalid(field, "at most 200 characters"));
        }
    }
    let visible = visible_project_ids(&who, &t).await?;
    let client = q.client.map(|c| c.trim().to_lowercase());
    let text = q.q.map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
    let mut all = t.list_projects().await?;
    all.retain(|p| {
        visible.as_ref().is_none_or(|ids| ids.binary_search(&p.id).is_ok())
            && match q.status {
                Some(st) => p.status == st,
                None => p.status != ProjectStatus::Archived,
            }
            && client.as_ref().is_none_or(|c| p.client.as_ref().is_some_and(|pc| pc.to_lowercase() == *c))
            && text.as_ref().is_none_or(|s| p.name.to_lowercase().contains(s) || p.code.to_lowercase().contains(s))
    });
    let all = all.into_iter().map(|p| redact_project(&who, p)).collect();
    Ok(Json(paginate(all, q.page, q.limit)?))
}

/// Start a project.
#[utoipa::path(post, path = "/projects", operation_id = "createProject", tag = "projects", request_body = NewProject,
    params(("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 201, body = Data<Project>), (status = 400, body = ErrorBody)))]
pub async fn create(
    State(state): State<crate::AppState>,
    auth: Auth,
    key: CmdKey,
    ApiJson(body): ApiJson<NewProject>,
) -> Result<Response, ApiError> {
    let input = key.input("POST /projects", &body, &auth.who);
    command_shaped(&state, auth, input, Command::CreateProject { project: body }, StatusCode::CREATED, rest_body).await
}

/// One project with its phases, dependencies and milestones.
#[utoipa::path(get, path = "/projects/{id}", operation_id = "getProject", tag = "projects", params(("id" = ProjectId, Path)),
    responses((status = 200, body = Data<ProjectPlan>), (status = 404, body = ErrorBody)))]
pub async fn get(
    Auth { who, tenant: t }: Auth,
    ApiPath(id): ApiPath<ProjectId>,
) -> Result<Json<Data<ProjectPlan>>, ApiError> {
    let mut plan = visible_project(&who, &t, id).await?;
    plan.project = redact_project(&who, plan.project);
    Ok(Json(Data { data: plan }))
}

/// Change a project. `version`, when given, must be the current one. Dates
/// may not leave a phase or milestone outside them.
#[utoipa::path(patch, path = "/projects/{id}", operation_id = "updateProject", tag = "projects", request_body = ProjectPatch,
    params(("id" = ProjectId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 200, body = Data<Project>), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<ProjectId>,
    key: CmdKey,
    ApiJson(body): ApiJson<ProjectPatch>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("PATCH /projects/{id}"), &body, &auth.who);
    command_shaped(&state, auth, input, Command::UpdateProject { id, patch: body }, StatusCode::OK, rest_body).await
}

/// Delete (archive) a project: it stays readable, with its history, and
/// takes no new bookings.
#[utoipa::path(delete, path = "/projects/{id}", operation_id = "archiveProject", tag = "projects",
    params(("id" = ProjectId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 200, body = Data<Project>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn archive(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<ProjectId>,
    key: CmdKey,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("DELETE /projects/{id}"), &(), &auth.who);
    command_shaped(&state, auth, input, Command::ArchiveProject { id }, StatusCode::OK, rest_body).await
}

/// The project's bookings (any status), by start. A freelancer sees their own.
#[utoipa::path(get, path = "/projects/{id}/bookings", operation_id = "listProjectBookings", tag = "projects",
    params(("id" = ProjectId, Path), PageQuery),
    responses((status = 200, body = Page<BookingView>), (status = 404, body = ErrorBody)))]
pub async fn bookings(
    Auth { who, tenant: t }: Auth,
    ApiPath(id): ApiPath<ProjectId>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Page<BookingView>>, ApiError> {
    visible_project(&who, &t, id).await?;
    let own = who.scope(crate::auth::Permission::BookingsRead, crate::auth::Permission::BookingsReadOwn)?;
    let filter = BookingFilter { project: Some(id), ..BookingFilter::default() };
    let all = t.list_bookings(own, filter).await?;
    Ok(Json(paginate(all, q.page, q.limit)?))
}

/// The project's schedule over its current dates: each phase's latest start
/// and slack (working days), the critical path, and progress weighted by
/// phase duration.
#[utoipa::path(get, path = "/projects/{id}/schedule", operation_id = "getProjectSchedule", tag = "projects",
    params(("id" = ProjectId, Path)),
    responses((status = 200, body = Data<Schedule>), (status = 404, body = ErrorBody)))]
pub async fn schedule(
    Auth { who, tenant: t }: Auth,
    ApiPath(id): ApiPath<ProjectId>,
) -> Result<Json<Data<Schedule>>, ApiError> {
    visible_project(&who, &t, id).await?;
    Ok(Json(Data { data: t.project_schedule(id).await? }))
}
