//! REST adapters, one file per resource, and the response envelope. A
//! write handler only decodes its request into a [`Command`] and hands it to
//! [`command`]; the rules live in [`crate::commands`].

pub mod artists;
pub mod auth;
pub mod bookings;
pub mod feeds;
pub mod health;
pub mod job_alerts;
pub mod job_board;
pub mod jobs;
pub mod milestones;
pub mod notifications;
pub mod phases;
pub mod profiles;
pub mod projects;
pub mod reports;
pub mod studio;
pub mod time_off;
pub mod transfer;
pub mod webhooks;

use crate::AppState;
use crate::commands::{self, Command, Ctx, Decision, Done};
use crate::error::ApiError;
use crate::extract::Auth;
use axum::Json;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use pt_actors::{CmdInput, Tenant};
use serde::{Deserialize, Serialize};

/// `{ "data": … }`
#[derive(Serialize, utoipa::ToSchema)]
pub struct Data<T> {
    pub data: T,
}

/// `{ "data": [...], "meta": { total, page, limit } }`
#[derive(Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub meta: PageMeta,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PageMeta {
    pub total: usize,
    pub page: usize,
    pub limit: usize,
}

/// Page numbers start at 1.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    #[param(value_type = Option<i32>, minimum = 1)]
    pub page: Option<usize>,
    /// 1 to 1000; 100 by default.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
}

pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 1_000;
/// The highest page number: what the OpenAPI document can say (`int32`), far
/// beyond any real list.
pub const MAX_PAGE: usize = i32::MAX as usize;

pub fn paginate<T>(all: Vec<T>, page: Option<usize>, limit: Option<usize>) -> Result<Page<T>, ApiError> {
    let page = page.unwrap_or(1);
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if page == 0 || page > MAX_PAGE {
        return Err(ApiError::invalid("page", format!("pages go from 1 to {MAX_PAGE}")));
    }
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError::invalid("limit", format!("must be between 1 and {MAX_LIMIT}")));
    }
    let total = all.len();
    let data = all.into_iter().skip((page - 1).saturating_mul(limit)).take(limit).collect();
    Ok(Page { data, meta: PageMeta { total, page, limit } })
}

/// The REST end of the command path: runs `command` through
/// [`crate::commands::execute`] and answers once it is durable — `status`
/// with `{ "data": … }` and the `seq` it got in `X-Seq`. A retried command
/// gets its original answer; a command that changes nothing answers `200`
/// with the current state.
pub async fn command(
    state: &AppState,
    auth: Auth,
    input: CmdInput,
    command: Command,
    status: StatusCode,
) -> Result<Response, ApiError> {
    command_shaped(state, auth, input, command, status, projects::rest_body).await
}

/// [`command`] with the REST body of a project command shaped by the route
/// (creating a phase answers the phase; moving one, the phases it moved).
pub async fn command_shaped(
    state: &AppState,
    auth: Auth,
    input: CmdInput,
    command: Command,
    status: StatusCode,
    shape: fn(pt_protocol::ws::CommandResult) -> serde_json::Value,
) -> Result<Response, ApiError> {
    let cx = Ctx { state, who: &auth.who, tenant: &auth.tenant };
    match commands::execute(cx, command, input).await? {
        Done::Booking(d) => answer(&auth.tenant, d, status).await,
        Done::Artist(d) => {
            let who = &auth.who;
            answer(&auth.tenant, map_decision(d, |a| commands::access::redact_artist(who, a)), status).await
        }
        Done::Project(d) => answer(&auth.tenant, map_decision(d, shape), status).await,
        Done::TimeOff(d) => answer(&auth.tenant, d, status).await,
        Done::Read(d) => answer(&auth.tenant, d, status).await,
        Done::Job(done) => answer(&done.tenant, map_decision(done.decision, jobs::rest_body), status).await,
    }
}

pub(crate) fn map_decision<T, U>(d: Decision<T>, f: impl FnOnce(T) -> U) -> Decision<U> {
    match d {
        Decision::Accepted(acc) => Decision::Accepted(acc.map(f)),
        Decision::Unchanged(v) => Decision::Unchanged(f(v)),
    }
}

pub(crate) async fn answer<T: Serialize>(
    tenant: &Tenant,
    decision: Decision<T>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let mut acc = match decision {
        Decision::Accepted(acc) => acc,
        Decision::Unchanged(value) => return Ok(Json(Data { data: value }).into_response()),
    };
    let seq = tenant.wait_durable(&mut acc).await?;
    let mut res = (status, Json(Data { data: acc.value })).into_response();
    res.headers_mut().insert("x-seq", HeaderValue::from(seq));
    if acc.duplicate {
        res.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(res)
}

pub async fn not_found() -> ApiError {
    ApiError::not_found("route")
}
