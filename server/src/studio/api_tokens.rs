//! `/studio/api-tokens`: integrations' `pt_…` bearer tokens — created with a
//! role no stronger than their creator's, listed without their secrets,
//! revoked at once (their WebSocket connections close). The token itself is
//! [`crate::auth::api_tokens`]'s.

use crate::auth::api_tokens::ApiTokenRecord;
use crate::auth::service::{AuthService, Authenticated, Revoked, dt, forbidden, store_error, ts};
use crate::auth::signup::validate_name;
use crate::auth::{Permission, Role};
use crate::error::ApiError;
use chrono::{DateTime, Utc};
use pt_actors::store::auth::ApiTokenRow;
use pt_protocol::Timestamp;
use pt_protocol::ids::{ApiTokenId, UserId};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize, Debug, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewApiToken {
    /// What the integration is ("Calendar sync").
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub name: String,
    /// No more than your own role.
    pub role: Role,
    /// In the future; absent, the token does not expire.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<Timestamp>,
}

/// An API token (never its secret).
#[derive(Serialize, Debug, utoipa::ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ApiTokenView {
    #[schema(value_type = String)]
    pub id: ApiTokenId,
    pub name: String,
    pub role: String,
    /// The token's first characters, to recognise it.
    pub hint: String,
    #[schema(value_type = String)]
    pub created_by: UserId,
    /// RFC 3339, like the other instants here.
    #[schema(value_type = String)]
    #[ts(type = "string")]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>)]
    #[ts(type = "string | null")]
    pub expires_at: Option<Timestamp>,
    #[schema(value_type = Option<String>)]
    #[ts(type = "string | null")]
    pub revoked_at: Option<Timestamp>,
}

impl From<&ApiTokenRow> for ApiTokenView {
    fn from(r: &ApiTokenRow) -> Self {
        Self {
            id: r.id,
            name: r.name.clone(),
            role: r.role.clone(),
            hint: r.hint.clone(),
            created_by: r.created_by,
            created_at: r.created_at,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
        }
    }
}

/// An API token and its secret.
#[derive(Serialize, Debug, utoipa::ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CreatedApiToken {
    pub api_token: ApiTokenView,
    /// `pt_…`: shown once; only its hash is kept.
    pub token: String,
}

/// Creates an API token scoped to the caller's studio and a role no stronger
/// than theirs (`403` otherwise).
pub async fn create(
    auth: &AuthService,
    who: &Authenticated,
    req: NewApiToken,
    now: DateTime<Utc>,
) -> Result<CreatedApiToken, ApiError> {
    let name = validate_name("name", &req.name)?;
    let expires_at = req.expires_at.map(dt);
    if expires_at.is_some_and(|e| e <= now) {
        return Err(ApiError::invalid("expiresAt", "must be in the future"));
    }
    let (record, token) =
        ApiTokenRecord::create(&who.principal, req.role, &name, expires_at, now).map_err(forbidden)?;
    let row = ApiTokenRow {
        id: record.id,
        tenant_id: record.tenant_id,
        role: record.role.as_str().into(),
        name: record.name.clone(),
        hash: *record.hash.as_bytes(),
        hint: record.hint.clone(),
        created_by: record.created_by,
        created_at: ts(record.created_at),
        expires_at: record.expires_at.map(ts),
        revoked_at: None,
    };
    auth.store().insert_api_token(&row).await.map_err(store_error)?;
    tracing::info!(target: "pt_server::audit", actor = %who.actor(), token = %row.id, role = %row.role, "API token created");
    Ok(CreatedApiToken { api_token: ApiTokenView::from(&row), token: token.as_str().to_string() })
}

/// The studio's API tokens, revoked ones included. Needs `api_tokens:manage`.
pub async fn list(auth: &AuthService, who: &Authenticated) -> Result<Vec<ApiTokenView>, ApiError> {
    who.require(Permission::ApiTokensManage)?;
    let rows = auth.store().api_tokens(who.principal.tenant_id).await.map_err(store_error)?;
    Ok(rows.iter().map(ApiTokenView::from).collect())
}

/// Revokes a token: it stops working at once and its WebSockets close.
/// Another studio's token id is `404`, before the permission check.
pub async fn revoke(
    auth: &AuthService,
    who: &Authenticated,
    id: ApiTokenId,
    now: DateTime<Utc>,
) -> Result<ApiTokenView, ApiError> {
    let (store, tenant) = (auth.store(), who.principal.tenant_id);
    let exists = store.api_tokens(tenant).await.map_err(store_error)?.iter().any(|t| t.id == id);
    if !exists {
        return Err(ApiError::not_found("API token"));
    }
    who.require(Permission::ApiTokensManage)?;
    let row = store
        .revoke_api_token(tenant, id, ts(now))
        .await
        .map_err(store_error)?
        .ok_or_else(|| ApiError::not_found("API token"))?;
    tracing::info!(target: "pt_server::audit", actor = %who.actor(), token = %id, "API token revoked");
    auth.announce(Revoked::ApiToken(id));
    Ok(ApiTokenView::from(&row))
}
