//! `/studio/invitations`: inviting someone by email as owner, manager or
//! freelancer (with their artist), listing the pending ones, revoking one.
//! The invitee accepts at `POST /auth/accept-invitation`
//! ([`crate::auth::signup`]).

use super::studio_artist;
use crate::auth::refresh::RefreshToken;
use crate::auth::service::{AuthService, Authenticated, forbidden, store_error, ts};
use crate::auth::signup::normalize_email;
use crate::auth::{Forbidden, Permission, Role};
use crate::error::ApiError;
use chrono::{DateTime, TimeDelta, Utc};
use pt_actors::store::auth::InvitationRow;
use pt_protocol::{ArtistId, Timestamp};
use serde::{Deserialize, Serialize};

/// How long an invitation token stays valid.
pub const INVITATION_TTL: TimeDelta = TimeDelta::days(7);

#[derive(Deserialize, Serialize, Debug, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InviteRequest {
    #[schema(max_length = 254, pattern = r"^\s*[^\s@]+@[^\s.]\S*\.\S*[^\s.]\s*$")]
    pub email: String,
    pub role: Role,
    /// Required for a freelancer: their artist record in the studio.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub artist_id: Option<ArtistId>,
}

/// An invitation (never its token).
#[derive(Serialize, Debug, utoipa::ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InvitationView {
    #[schema(value_type = String)]
    #[ts(type = "string")]
    pub id: uuid::Uuid,
    pub email: String,
    pub role: String,
    #[schema(value_type = Option<String>)]
    pub artist_id: Option<ArtistId>,
    /// RFC 3339.
    #[schema(value_type = String)]
    #[ts(type = "string")]
    pub created_at: Timestamp,
    /// RFC 3339.
    #[schema(value_type = String)]
    #[ts(type = "string")]
    pub expires_at: Timestamp,
    /// Past `expiresAt`: the link no longer works; invite again.
    pub expired: bool,
}

impl InvitationView {
    fn new(r: &InvitationRow, now: DateTime<Utc>) -> Self {
        Self {
            id: r.id,
            email: r.email.clone(),
            role: r.role.clone(),
            artist_id: r.artist_id,
            created_at: r.created_at,
            expires_at: r.expires_at,
            expired: r.expires_at <= ts(now),
        }
    }
}

/// An invitation and the one-time token to send to the invitee.
#[derive(Serialize, Debug, utoipa::ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CreatedInvitation {
    pub invitation: InvitationView,
    /// `inv_…`: shown once. The invitee accepts at `POST /auth/accept-invitation`.
    pub token: String,
}

/// Invites someone by email; answers the invitation and its one-time token
/// (emailing it is the caller's job until SMTP is configured). Needs
/// `members:manage`, and no stronger role than the inviter's.
pub async fn invite(
    auth: &AuthService,
    who: &Authenticated,
    req: InviteRequest,
    now: DateTime<Utc>,
) -> Result<CreatedInvitation, ApiError> {
    who.require(Permission::MembersManage)?;
    let email = normalize_email(&req.email)?;
    if !who.principal.role.includes(req.role) {
        return Err(forbidden(Forbidden { missing: Permission::MembersManage }));
    }
    if req.role == Role::Freelancer && req.artist_id.is_none() {
        return Err(ApiError::invalid("artistId", "a freelancer is invited as one of the studio's artists"));
    }
    if let Some(artist) = req.artist_id {
        studio_artist(auth.store().as_ref(), who.principal.tenant_id, artist).await?;
    }
    let token = RefreshToken::generate();
    let row = InvitationRow {
        id: uuid::Uuid::now_v7(),
        tenant_id: who.principal.tenant_id,
        email,
        role: req.role.as_str().into(),
        artist_id: req.artist_id,
        token_hash: *token.hash().as_bytes(),
        invited_by: who.principal.user_id,
        created_at: ts(now),
        expires_at: ts(now + INVITATION_TTL),
        accepted_at: None,
    };
    auth.store().insert_invitation(&row).await.map_err(store_error)?;
    tracing::info!(target: "pt_server::audit", actor = %who.actor(), invitation = %row.id, email = %row.email,
        role = %row.role, "invitation created");
    Ok(CreatedInvitation { invitation: InvitationView::new(&row, now), token: format!("inv_{}", token.as_str()) })
}

/// The studio's invitations not accepted yet, newest first (expired ones
/// included, marked). Needs `members:manage`.
pub async fn pending(
    auth: &AuthService,
    who: &Authenticated,
    now: DateTime<Utc>,
) -> Result<Vec<InvitationView>, ApiError> {
    who.require(Permission::MembersManage)?;
    let rows = auth.store().pending_invitations(who.principal.tenant_id).await.map_err(store_error)?;
    Ok(rows.iter().map(|r| InvitationView::new(r, now)).collect())
}

/// Revokes a pending invitation: its link stops working at once (accepting
/// it is then `404`, as for an unknown token). Another studio's id, or an
/// accepted invitation, is `404`, before the permission check.
pub async fn revoke(
    auth: &AuthService,
    who: &Authenticated,
    id: uuid::Uuid,
    now: DateTime<Utc>,
) -> Result<InvitationView, ApiError> {
    let (store, tenant) = (auth.store(), who.principal.tenant_id);
    if !store.pending_invitations(tenant).await.map_err(store_error)?.iter().any(|r| r.id == id) {
        return Err(ApiError::not_found("invitation"));
    }
    who.require(Permission::MembersManage)?;
    let row = store
        .delete_invitation(tenant, id)
        .await
        .map_err(store_error)?
        .ok_or_else(|| ApiError::not_found("invitation"))?;
    tracing::info!(target: "pt_server::audit", actor = %who.actor(), invitation = %id, email = %row.email, "invitation revoked");
    Ok(InvitationView::new(&row, now))
}
