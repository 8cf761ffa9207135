//! `/api/v1/projects/{id}/milestones`, `/api/v1/milestones/{id}`: dated
//! checkpoints of a project.

use crate::commands::Command;
use crate::commands::access::visible_project;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Auth, CmdKey};
use crate::routes::projects::rest_body;
use crate::routes::{Data, command_shaped};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use pt_protocol::project_command::{MilestonePatch, NewMilestone};
use pt_protocol::{Milestone, MilestoneId, ProjectId};

/// The project's milestones, by date.
#[utoipa::path(get, path = "/projects/{id}/milestones", operation_id = "listMilestones", tag = "projects",
    params(("id" = ProjectId, Path)),
    responses((status = 200, body = Data<Vec<Milestone>>), (status = 404, body = ErrorBody)))]
pub async fn list(
    Auth { who, tenant: t }: Auth,
    ApiPath(id): ApiPath<ProjectId>,
) -> Result<Json<Data<Vec<Milestone>>>, ApiError> {
    Ok(Json(Data { data: visible_project(&who, &t, id).await?.milestones }))
}

/// Add a milestone (a date within the project's; optionally tied to a phase of it).
#[utoipa::path(post, path = "/projects/{id}/milestones", operation_id = "createMilestone", tag = "projects",
    request_body = NewMilestone,
    params(("id" = ProjectId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 201, body = Data<Milestone>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<ProjectId>,
    key: CmdKey,
    ApiJson(body): ApiJson<NewMilestone>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("POST /projects/{id}/milestones"), &body, &auth.who);
    let cmd = Command::CreateMilestone { project_id: id, milestone: body };
    command_shaped(&state, auth, input, cmd, StatusCode::CREATED, rest_body).await
}

/// Change a milestone (`done`, date, name, phase). `version`, when given, must match.
#[utoipa::path(patch, path = "/milestones/{id}", operation_id = "updateMilestone", tag = "projects",
    request_body = MilestonePatch,
    params(("id" = MilestoneId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 200, body = Data<Milestone>), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<MilestoneId>,
    key: CmdKey,
    ApiJson(body): ApiJson<MilestonePatch>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("PATCH /milestones/{id}"), &body, &auth.who);
    command_shaped(&state, auth, input, Command::UpdateMilestone { id, patch: body }, StatusCode::OK, rest_body).await
}

/// Delete a milestone.
#[utoipa::path(delete, path = "/milestones/{id}", operation_id = "deleteMilestone", tag = "projects",
    params(("id" = MilestoneId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 200, body = Data<Milestone>), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<MilestoneId>,
    key: CmdKey,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("DELETE /milestones/{id}"), &(), &auth.who);
    command_shaped(&state, auth, input, Command::DeleteMilestone { id }, StatusCode::OK, rest_body).await
}
