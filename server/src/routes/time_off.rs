//! `/api/v1/artists/{id}/time-off` and `/api/v1/time-off`: asking for time
//! off, the approval queue, deciding and cancelling. Every write is a
//! command (`requestTimeOff`, `decideTimeOff`, `cancelTimeOff`).

use crate::auth::Permission;
use crate::commands::Command;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, CmdKey};
use crate::routes::{Data, Page, command, paginate};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use pt_protocol::{ArtistId, NewTimeOff, TimeOffDecision, TimeOffEntry, TimeOffId, TimeOffStatus};
use serde::Deserialize;

/// Ask for time off (a freelancer, own artist: `requested`) or record it (an
/// owner or manager: `approved`).
#[utoipa::path(post, path = "/artists/{id}/time-off", operation_id = "requestTimeOff", tag = "artists",
    params(("id" = ArtistId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe")),
    request_body = NewTimeOff,
    responses((status = 201, body = Data<TimeOffEntry>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<ArtistId>,
    key: CmdKey,
    ApiJson(body): ApiJson<NewTimeOff>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("POST /artists/{id}/time-off"), &body, &auth.who);
    command(&state, auth, input, Command::RequestTimeOff { artist_id: id, time_off: body }, StatusCode::CREATED).await
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TimeOffQuery {
    /// Only entries with this status (`requested` for the approval queue).
    pub status: Option<TimeOffStatus>,
    pub artist_id: Option<ArtistId>,
    /// From 1 (to 2^31 − 1); 1 by default.
    #[param(value_type = Option<i32>, minimum = 1)]
    pub page: Option<usize>,
    /// 1 to 1000; 100 by default.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
}

/// Time-off entries by start: every artist's for owners and managers, one's
/// own for a freelancer.
#[utoipa::path(get, path = "/time-off", operation_id = "listTimeOff", tag = "artists", params(TimeOffQuery),
    responses((status = 200, body = Page<TimeOffEntry>), (status = 400, body = ErrorBody)))]
pub async fn list(
    Auth { who, tenant: t }: Auth,
    ApiQuery(q): ApiQuery<TimeOffQuery>,
) -> Result<Json<Page<TimeOffEntry>>, ApiError> {
    let own = who.scope(Permission::ArtistsRead, Permission::AvailabilityManage)?;
    let mut out: Vec<TimeOffEntry> = t
        .list_artists()
        .await?
        .into_iter()
        .filter(|a| own.is_none_or(|o| a.id == o) && q.artist_id.is_none_or(|id| a.id == id))
        .flat_map(|a| {
            let (artist_id, artist_name) = (a.id, a.name.clone());
            a.time_off.into_iter().map(move |time_off| TimeOffEntry {
                artist_id,
                artist_name: artist_name.clone(),
                time_off,
            })
        })
        .filter(|e| q.status.is_none_or(|s| e.time_off.status == s))
        .collect();
    out.sort_by_key(|e| (e.time_off.start, e.time_off.id));
    Ok(Json(paginate(out, q.page, q.limit)?))
}

#[derive(Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    pub decision: TimeOffDecision,
}

/// Approve or decline a `requested` entry (`time_off:approve`).
#[utoipa::path(post, path = "/time-off/{id}/decision", operation_id = "decideTimeOff", tag = "artists",
    params(("id" = TimeOffId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe")),
    request_body = DecisionBody,
    responses((status = 200, body = Data<TimeOffEntry>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TimeOffId>,
    key: CmdKey,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("POST /time-off/{id}/decision"), &body, &auth.who);
    command(&state, auth, input, Command::DecideTimeOff { id, decision: body.decision }, StatusCode::OK).await
}

/// Withdraw a request (its freelancer) or cancel any entry (owner, manager).
#[utoipa::path(post, path = "/time-off/{id}/cancel", operation_id = "cancelTimeOff", tag = "artists",
    params(("id" = TimeOffId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe")),
    responses((status = 200, body = Data<TimeOffEntry>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<TimeOffId>,
    key: CmdKey,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("POST /time-off/{id}/cancel"), &(), &auth.who);
    command(&state, auth, input, Command::CancelTimeOff { id }, StatusCode::OK).await
}
