//! `/api/v1/jobs` and `/api/v1/job-applications`: the job marketplace's
//! writes — listings, applications, their moves — as commands through
//! [`crate::commands::jobs`], and a studio's own listings read back. The
//! cross-studio reads (the board, saved listings, applications, candidates)
//! are in [`super::job_board`].

use crate::auth::Permission;
use crate::commands::Command;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, CmdKey};
use crate::routes::{Data, command_shaped};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use pt_protocol::job::{
    ApplicationId, ApplicationStatus, JobApplication, JobId, JobListing, JobPatch, JobStatus, NewApplication, NewJob,
};
use pt_protocol::ws::CommandResult;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A marketplace command's result as its REST body: the listing or the application.
pub fn rest_body(result: CommandResult) -> Value {
    match result {
        CommandResult::Job { job } => serde_json::to_value(job).unwrap_or(Value::Null),
        CommandResult::Application { application } => serde_json::to_value(application).unwrap_or(Value::Null),
        other => super::projects::rest_body(other),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct JobListQuery {
    /// Only listings with this status.
    #[param(value_type = Option<JobStatus>)]
    pub status: Option<JobStatus>,
}

/// The studio's listings, newest first: every one for those who manage
/// jobs, the open ones for everyone else.
#[utoipa::path(get, path = "/jobs", operation_id = "listJobs", tag = "jobs", params(JobListQuery),
    responses((status = 200, body = Data<Vec<JobListing>>), (status = 400, body = ErrorBody)))]
pub async fn list(
    Auth { who, tenant }: Auth,
    ApiQuery(q): ApiQuery<JobListQuery>,
) -> Result<Json<Data<Vec<JobListing>>>, ApiError> {
    let manages = who.require(Permission::JobsManage).is_ok();
    let mut all = tenant.jobs().await?;
    all.retain(|j| (manages || j.status == JobStatus::Open) && q.status.is_none_or(|s| j.status == s));
    Ok(Json(Data { data: all }))
}

/// Post a listing, as a `draft` (default) or `open`. `jobs:manage`.
#[utoipa::path(post, path = "/jobs", operation_id = "createJob", tag = "jobs", request_body = NewJob,
    params(("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 201, body = Data<JobListing>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(state): State<crate::AppState>,
    auth: Auth,
    key: CmdKey,
    ApiJson(body): ApiJson<NewJob>,
) -> Result<Response, ApiError> {
    let input = key.input("POST /jobs", &body, &auth.who);
    command_shaped(&state, auth, input, Command::CreateJob { job: body }, StatusCode::CREATED, rest_body).await
}

/// One of the studio's listings (an open one for those who do not manage jobs).
#[utoipa::path(get, path = "/jobs/{id}", operation_id = "getJob", tag = "jobs", params(("id" = JobId, Path)),
    responses((status = 200, body = Data<JobListing>), (status = 404, body = ErrorBody)))]
pub async fn get(Auth { who, tenant }: Auth, ApiPath(id): ApiPath<JobId>) -> Result<Json<Data<JobListing>>, ApiError> {
    let job = tenant.job(id).await?;
    if job.status != JobStatus::Open && who.require(Permission::JobsManage).is_err() {
        return Err(pt_actors::CommandError::not_found("job", id.0).into());
    }
    Ok(Json(Data { data: job }))
}

/// Change a listing's fields or status (`draft → open → closed | filled`,
/// `closed → open`, `open → draft` while nobody applied). `version`, when
/// given, must be the current one. `jobs:manage`.
#[utoipa::path(patch, path = "/jobs/{id}", operation_id = "updateJob", tag = "jobs", request_body = JobPatch,
    params(("id" = JobId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 200, body = Data<JobListing>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<JobId>,
    key: CmdKey,
    ApiJson(body): ApiJson<JobPatch>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("PATCH /jobs/{id}"), &body, &auth.who);
    command_shaped(&state, auth, input, Command::UpdateJob { id, patch: body }, StatusCode::OK, rest_body).await
}

/// Remove a draft listing; answers it as it was. A listing once open is
/// closed instead (`422`). `jobs:manage`.
#[utoipa::path(delete, path = "/jobs/{id}", operation_id = "deleteJob", tag = "jobs",
    params(("id" = JobId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 200, body = Data<JobListing>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn delete(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<JobId>,
    key: CmdKey,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("DELETE /jobs/{id}"), &(), &auth.who);
    command_shaped(&state, auth, input, Command::DeleteJob { id }, StatusCode::OK, rest_body).await
}

/// Apply for a listing: one of the studio you are signed in to, or any
/// studio's open public listing. At most one live application per listing
/// (`422` while one is). `jobs:apply`.
#[utoipa::path(post, path = "/jobs/{id}/applications", operation_id = "applyToJob", tag = "jobs",
    request_body = NewApplication,
    params(("id" = JobId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 201, body = Data<JobApplication>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn apply(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<JobId>,
    key: CmdKey,
    ApiJson(body): ApiJson<NewApplication>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("POST /jobs/{id}/applications"), &body, &auth.who);
    let cmd = Command::ApplyToJob { job_id: id, application: body };
    command_shaped(&state, auth, input, cmd, StatusCode::CREATED, rest_body).await
}

/// An application's next state.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ApplicationMove {
    pub to: ApplicationStatus,
    /// The application's current version, when given, must match.
    #[schema(minimum = 1)]
    pub version: Option<u64>,
}

/// Move an application. The listing's studio (`jobs:manage`) shortlists,
/// offers or rejects; the applicant withdraws, or accepts or declines an
/// offer. Accepting makes a pencil booking for the listing's dates on the
/// applicant's artist in that studio (a new artist linked to them if they
/// have none there); if they are not free it is refused with the booking's
/// `409 conflict` (`details.conflicts`, `details.freeWindows`) or `422
/// unavailable`, and nothing changes.
#[utoipa::path(post, path = "/job-applications/{id}/transition", operation_id = "transitionApplication", tag = "jobs",
    request_body = ApplicationMove,
    params(("id" = ApplicationId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 200, body = Data<JobApplication>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn transition(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<ApplicationId>,
    key: CmdKey,
    ApiJson(body): ApiJson<ApplicationMove>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("POST /job-applications/{id}/transition"), &body, &auth.who);
    let cmd = Command::TransitionApplication { id, to: body.to, version: body.version };
    command_shaped(&state, auth, input, cmd, StatusCode::OK, rest_body).await
}
