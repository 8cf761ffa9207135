//! `/api/v1/studio`: the caller's studio — settings, members, invitations,
//! API tokens ([`crate::studio`] does the work). There is no route across
//! studios: every one acts on the studio of the bearer token.

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Auth, Caller};
use crate::routes::Data;
use crate::studio::api_tokens::{self as tokens, ApiTokenView, CreatedApiToken, NewApiToken};
use crate::studio::invitations::{self, CreatedInvitation, InvitationView, InviteRequest};
use crate::studio::members::{self as studio_members, MemberPatch, MemberView};
use crate::studio::settings::{self, StudioPatch, StudioSettings};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use pt_protocol::ids::{ApiTokenId, UserId};

/// The studio's settings (any member may read them).
#[utoipa::path(get, path = "/studio", operation_id = "getStudio", tag = "studio",
    responses((status = 200, body = Data<StudioSettings>), (status = 401, body = ErrorBody)))]
pub async fn get(Auth { tenant, .. }: Auth) -> Json<Data<StudioSettings>> {
    Json(Data { data: settings::get(&tenant) })
}

/// Change name, time zone, default hold duration or working week. Needs
/// `studio:settings` (owners only).
#[utoipa::path(patch, path = "/studio", operation_id = "updateStudio", tag = "studio", request_body = StudioPatch,
    responses((status = 200, body = Data<StudioSettings>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn update(
    Auth { who, tenant }: Auth,
    ApiJson(body): ApiJson<StudioPatch>,
) -> Result<Json<Data<StudioSettings>>, ApiError> {
    Ok(Json(Data { data: settings::update(&tenant, &who, body).await? }))
}

/// The studio's members. Needs `members:manage`.
#[utoipa::path(get, path = "/studio/members", operation_id = "listMembers", tag = "studio",
    responses((status = 200, body = Data<Vec<MemberView>>), (status = 403, body = ErrorBody)))]
pub async fn members(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<Data<Vec<MemberView>>>, ApiError> {
    Ok(Json(Data { data: studio_members::list(&state.auth, &who).await? }))
}

/// Change a member's role or linked artist (`artistId: null` unlinks). Their
/// sessions end, so their next request signs in with the new role.
#[utoipa::path(patch, path = "/studio/members/{userId}", operation_id = "updateMember", tag = "studio", params(("userId" = String, Path, format = Uuid)),
    request_body = MemberPatch,
    responses((status = 200, body = Data<MemberView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "`unprocessable`: you cannot demote yourself, or the artist is linked to another member", body = ErrorBody)))]
pub async fn update_member(
    State(state): State<AppState>,
    Caller(who): Caller,
    ApiPath(user): ApiPath<UserId>,
    ApiJson(body): ApiJson<MemberPatch>,
) -> Result<Json<Data<MemberView>>, ApiError> {
    let data = studio_members::update(&state.auth, &who, user, body, Utc::now()).await?;
    state.memberships_changed(who.principal.tenant_id).await;
    Ok(Json(Data { data }))
}

/// Remove a member from the studio: their sessions end and their open
/// WebSockets close at once. Needs `members:manage`; you cannot remove
/// yourself or a member whose role is stronger than yours.
#[utoipa::path(delete, path = "/studio/members/{userId}", operation_id = "removeMember", tag = "studio", params(("userId" = String, Path, format = Uuid)),
    responses((status = 200, description = "The member as they were", body = Data<MemberView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "`unprocessable`: you cannot remove yourself", body = ErrorBody)))]
pub async fn remove_member(
    State(state): State<AppState>,
    Caller(who): Caller,
    ApiPath(user): ApiPath<UserId>,
) -> Result<Json<Data<MemberView>>, ApiError> {
    let data = studio_members::remove(&state.auth, &who, user, Utc::now()).await?;
    state.memberships_changed(who.principal.tenant_id).await;
    Ok(Json(Data { data }))
}

/// Invitations not accepted yet, newest first; expired ones are marked.
/// Needs `members:manage`.
#[utoipa::path(get, path = "/studio/invitations", operation_id = "listInvitations", tag = "studio",
    responses((status = 200, body = Data<Vec<InvitationView>>), (status = 403, body = ErrorBody)))]
pub async fn invitations(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<Data<Vec<InvitationView>>>, ApiError> {
    Ok(Json(Data { data: invitations::pending(&state.auth, &who, Utc::now()).await? }))
}

/// Revoke a pending invitation: its link stops working at once. Needs
/// `members:manage`.
#[utoipa::path(delete, path = "/studio/invitations/{id}", operation_id = "revokeInvitation", tag = "studio", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Data<InvitationView>), (status = 403, body = ErrorBody),
        (status = 404, description = "No such pending invitation in this studio", body = ErrorBody)))]
pub async fn revoke_invitation(
    State(state): State<AppState>,
    Caller(who): Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
) -> Result<Json<Data<InvitationView>>, ApiError> {
    Ok(Json(Data { data: invitations::revoke(&state.auth, &who, id, Utc::now()).await? }))
}

/// Invite someone by email as `studio_manager`, `freelancer` (with their
/// `artistId`) or `studio_owner`. Needs `members:manage`.
#[utoipa::path(post, path = "/studio/invitations", operation_id = "createInvitation", tag = "studio", request_body = InviteRequest,
    responses((status = 201, body = Data<CreatedInvitation>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "`artistId` names no artist of this studio", body = ErrorBody)))]
pub async fn invite(
    State(state): State<AppState>,
    Caller(who): Caller,
    ApiJson(body): ApiJson<InviteRequest>,
) -> Result<(StatusCode, Json<Data<CreatedInvitation>>), ApiError> {
    let data = invitations::invite(&state.auth, &who, body, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(Data { data })))
}

/// Create an API token for an integration, scoped to this studio and a role
/// no stronger than yours. Needs `api_tokens:manage`.
#[utoipa::path(post, path = "/studio/api-tokens", operation_id = "createApiToken", tag = "studio", request_body = NewApiToken,
    responses((status = 201, body = Data<CreatedApiToken>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_api_token(
    State(state): State<AppState>,
    Caller(who): Caller,
    ApiJson(body): ApiJson<NewApiToken>,
) -> Result<(StatusCode, Json<Data<CreatedApiToken>>), ApiError> {
    let data = tokens::create(&state.auth, &who, body, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(Data { data })))
}

/// The studio's API tokens (never their secrets), revoked ones included.
#[utoipa::path(get, path = "/studio/api-tokens", operation_id = "listApiTokens", tag = "studio",
    responses((status = 200, body = Data<Vec<ApiTokenView>>), (status = 403, body = ErrorBody)))]
pub async fn api_tokens(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<Data<Vec<ApiTokenView>>>, ApiError> {
    Ok(Json(Data { data: tokens::list(&state.auth, &who).await? }))
}

/// Revoke an API token: it stops working at once, and its WebSocket
/// connections close.
#[utoipa::path(delete, path = "/studio/api-tokens/{id}", operation_id = "revokeApiToken", tag = "studio", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Data<ApiTokenView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_api_token(
    State(state): State<AppState>,
    Caller(who): Caller,
    ApiPath(id): ApiPath<ApiTokenId>,
) -> Result<Json<Data<ApiTokenView>>, ApiError> {
    Ok(Json(Data { data: tokens::revoke(&state.auth, &who, id, Utc::now()).await? }))
}
