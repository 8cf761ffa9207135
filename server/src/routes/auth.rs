//! `/api/v1/auth`: sign-up, login, refresh, logout, invitations, who am I.
//!
//! These paths count against the stricter per-IP limit of [`crate::edge`];
//! password attempts are also throttled per account and per IP by
//! [`crate::auth::service::AuthService::login`] ([`crate::auth::login`]).

use crate::AppState;
use crate::auth::service::{AcceptRequest, LoginRequest, LoginResponse, RefreshRequest, SignupRequest};
use crate::edge::ClientIp;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, Caller};
use crate::routes::Data;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::Utc;
use pt_protocol::{ArtistId, TenantId};
use serde::Serialize;

/// Create a studio and its owner; answers signed in as the owner.
#[utoipa::path(post, path = "/auth/signup", operation_id = "signUp", tag = "auth", request_body = SignupRequest,
    responses((status = 201, body = Data<LoginResponse>), (status = 400, body = ErrorBody),
        (status = 409, description = "the email has an account", body = ErrorBody)))]
pub async fn signup(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<SignupRequest>,
) -> Result<(StatusCode, Json<Data<LoginResponse>>), ApiError> {
    let data = state.auth.signup(body, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(Data { data })))
}

/// Sign in with email and password. Give `tenantId` when you belong to
/// several studios (without it, `400` lists them). Repeated failures make the
/// account and the address wait (`429` with `Retry-After`).
#[utoipa::path(post, path = "/auth/login", operation_id = "logIn", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Data<LoginResponse>), (status = 400, body = ErrorBody),
        (status = 401, description = "wrong email or password", body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ip: Option<Extension<ClientIp>>,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<Data<LoginResponse>>, ApiError> {
    let ip = ip.map_or_else(|| "local".to_string(), |Extension(ClientIp(ip))| ip.to_string());
    Ok(Json(Data { data: state.auth.login(body, &ip, Utc::now()).await? }))
}

/// Exchange a refresh token for a new access token and a new refresh token.
/// Each refresh token works once; using one twice ends the session.
#[utoipa::path(post, path = "/auth/refresh", operation_id = "refreshSession", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = Data<LoginResponse>), (status = 401, body = ErrorBody)))]
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> Result<Json<Data<LoginResponse>>, ApiError> {
    Ok(Json(Data { data: state.auth.refresh(&body.refresh_token, Utc::now()).await? }))
}

/// End this login session: its access and refresh tokens stop working at
/// once, and its WebSocket connections close.
#[utoipa::path(post, path = "/auth/logout", operation_id = "logOut", tag = "auth",
    responses((status = 204, description = "signed out"),
        (status = 400, description = "`invalid`: the token is an API token or an OIDC token, which has no session here", body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn logout(State(state): State<AppState>, Caller(who): Caller) -> Result<StatusCode, ApiError> {
    state.auth.logout(&who, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Accept an invitation (`inv_…` token): a new account sets its password and
/// display name; an existing account gives its password. Answers signed in.
#[utoipa::path(post, path = "/auth/accept-invitation", operation_id = "acceptInvitation", tag = "auth", request_body = AcceptRequest,
    responses((status = 200, body = Data<LoginResponse>), (status = 400, body = ErrorBody),
        (status = 401, description = "`unauthenticated`: the email has an account and this is not its password", body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "`conflict`: already a member of this studio", body = ErrorBody),
        (status = 410, description = "used or expired", body = ErrorBody)))]
pub async fn accept_invitation(
    State(state): State<AppState>,
    ip: Option<Extension<ClientIp>>,
    ApiJson(body): ApiJson<AcceptRequest>,
) -> Result<Json<Data<LoginResponse>>, ApiError> {
    let ip = ip.map_or_else(|| "local".to_string(), |Extension(ClientIp(ip))| ip.to_string());
    let (data, inviter) = state.auth.accept(body, &ip, Utc::now()).await?;
    state.memberships_changed(data.tenant.id).await;
    if let Ok(tenant) = state.registry.tenant(data.tenant.id).await {
        let (u, role) = (&data.user, data.role.replace('_', " "));
        let body = format!("{} ({}) accepted your invitation and joined as {role}", u.display_name, u.email);
        let kind = pt_protocol::NotificationKind::InvitationAccepted;
        tenant.notify(inviter, kind, format!("{} joined the studio", u.display_name), body, &format!("user:{}", u.id));
    }
    Ok(Json(Data { data }))
}

/// Who the bearer token speaks for.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    #[schema(value_type = String)]
    pub user_id: pt_protocol::ids::UserId,
    #[schema(value_type = String)]
    pub tenant_id: TenantId,
    pub role: String,
    /// The permissions of that role.
    pub permissions: Vec<String>,
    /// `password`, `api_token` or `oidc`.
    pub via: String,
    #[schema(value_type = Option<String>)]
    pub artist_id: Option<ArtistId>,
}

#[utoipa::path(get, path = "/auth/me", operation_id = "getCurrentUser", tag = "auth",
    responses((status = 200, body = Data<Me>), (status = 401, body = ErrorBody)))]
pub async fn me(Caller(who): Caller) -> Json<Data<Me>> {
    let p = &who.principal;
    let permissions = crate::auth::Permission::ALL
        .into_iter()
        .filter(|&perm| p.role.can(perm))
        .map(|perm| perm.as_str().to_string())
        .collect();
    Json(Data {
        data: Me {
            user_id: p.user_id,
            tenant_id: p.tenant_id,
            role: p.role.as_str().into(),
            permissions,
            via: p.via.kind().into(),
            artist_id: who.own_artist,
        },
    })
}
