//! `/api/v1/projects/{id}/phases`, `/api/v1/project-phases/{id}`,
//! `/api/v1/projects/{id}/dependencies`, `/api/v1/project-dependencies/{id}`:
//! a project's phases and the dependencies between them. Moving or resizing
//! a phase re-plans by `mode` (`push` moves successors, `strict` refuses).

use crate::commands::Command;
use crate::commands::access::{visible_part, visible_project};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Auth, CmdKey};
use crate::routes::projects::rest_body;
use crate::routes::{Data, command_shaped};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use pt_actors::project_actor::ProjectPart;
use pt_protocol::project::{DependencyChange, PhaseChange};
use pt_protocol::project_command::{NewDependency, NewPhase, PhasePatch};
use pt_protocol::ws::CommandResult;
use pt_protocol::{Dependency, DependencyId, Phase, PhaseId, ProjectId};
use serde_json::Value;

/// A phase result answered as the phase alone (creating, deleting).
fn phase_only(result: CommandResult) -> Value {
    match result {
        CommandResult::Phase { change } => serde_json::to_value(change.phase).unwrap_or(Value::Null),
        other => rest_body(other),
    }
}

/// The project's phases, by start date.
#[utoipa::path(get, path = "/projects/{id}/phases", operation_id = "listProjectPhases", tag = "projects",
    params(("id" = ProjectId, Path)),
    responses((status = 200, body = Data<Vec<Phase>>), (status = 404, body = ErrorBody)))]
pub async fn list(
    Auth { who, tenant: t }: Auth,
    ApiPath(id): ApiPath<ProjectId>,
) -> Result<Json<Data<Vec<Phase>>>, ApiError> {
    Ok(Json(Data { data: visible_project(&who, &t, id).await?.phases }))
}

/// Add a phase; its dates must lie within the project's.
#[utoipa::path(post, path = "/projects/{id}/phases", operation_id = "createPhase", tag = "projects", request_body = NewPhase,
    params(("id" = ProjectId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 201, body = Data<Phase>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<ProjectId>,
    key: CmdKey,
    ApiJson(body): ApiJson<NewPhase>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("POST /projects/{id}/phases"), &body, &auth.who);
    let cmd = Command::CreatePhase { project_id: id, phase: body };
    command_shaped(&state, auth, input, cmd, StatusCode::CREATED, phase_only).await
}

/// Edit, move or resize a phase. With `mode: push` (the default) every
/// successor moves as far as its dependencies require and the answer lists
/// each; with `strict` a broken dependency is `422 dependency_violation`.
#[utoipa::path(patch, path = "/project-phases/{id}", operation_id = "updatePhase", tag = "projects", request_body = PhasePatch,
    params(("id" = PhaseId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 200, body = Data<PhaseChange>), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<PhaseId>,
    key: CmdKey,
    ApiJson(body): ApiJson<PhasePatch>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("PATCH /project-phases/{id}"), &body, &auth.who);
    command_shaped(&state, auth, input, Command::UpdatePhase { id, patch: body }, StatusCode::OK, rest_body).await
}

/// What a phase change would do — the phase after it and every phase `push`
/// would move — without changing anything (`strict` and refusals answer as
/// the change would).
#[utoipa::path(post, path = "/project-phases/{id}/preview", operation_id = "previewPhaseChange", tag = "projects",
    request_body = PhasePatch, params(("id" = PhaseId, Path)),
    responses((status = 200, body = Data<PhaseChange>), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn preview(
    Auth { who, tenant: t }: Auth,
    ApiPath(id): ApiPath<PhaseId>,
    ApiJson(body): ApiJson<PhasePatch>,
) -> Result<Json<Data<PhaseChange>>, ApiError> {
    visible_part(&who, &t, ProjectPart::Phase(id)).await?;
    who.require(crate::auth::Permission::ProjectsWrite)?;
    Ok(Json(Data { data: t.preview_phase(id, body).await? }))
}

/// Delete a phase, its dependencies, and its link from milestones. Refused
/// while active bookings name it.
#[utoipa::path(delete, path = "/project-phases/{id}", operation_id = "deletePhase", tag = "projects",
    params(("id" = PhaseId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 200, body = Data<Phase>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn delete(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<PhaseId>,
    key: CmdKey,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("DELETE /project-phases/{id}"), &(), &auth.who);
    command_shaped(&state, auth, input, Command::DeletePhase { id }, StatusCode::OK, phase_only).await
}

/// Make one phase depend on another. A dependency that would close a cycle
/// is `422 dependency_cycle` with `details.cycle` (the phase ids on it, in
/// order). When the phases' dates break it, `push` (default) moves the
/// successor and what follows; `strict` refuses.
#[utoipa::path(post, path = "/projects/{id}/dependencies", operation_id = "addDependency", tag = "projects",
    request_body = NewDependency,
    params(("id" = ProjectId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 201, body = Data<DependencyChange>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_dependency(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<ProjectId>,
    key: CmdKey,
    ApiJson(body): ApiJson<NewDependency>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("POST /projects/{id}/dependencies"), &body, &auth.who);
    let cmd = Command::AddDependency { project_id: id, dependency: body };
    command_shaped(&state, auth, input, cmd, StatusCode::CREATED, rest_body).await
}

/// Remove a dependency.
#[utoipa::path(delete, path = "/project-dependencies/{id}", operation_id = "removeDependency", tag = "projects",
    params(("id" = DependencyId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 200, body = Data<Dependency>), (status = 404, body = ErrorBody)))]
pub async fn remove_dependency(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<DependencyId>,
    key: CmdKey,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("DELETE /project-dependencies/{id}"), &(), &auth.who);
    command_shaped(&state, auth, input, Command::RemoveDependency { id }, StatusCode::OK, rest_body).await
}
