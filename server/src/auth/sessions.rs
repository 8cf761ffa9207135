//! Login sessions (refresh-token families, [`super::refresh`]): starting one
//! at sign-in, refreshing it, ending it at logout, and ending a member's
//! sessions when their membership changes. The sign-in answer
//! ([`LoginResponse`]) is built here.

use super::authenticated::{Authenticated, unauthenticated};
use super::refresh::{RefreshError, RefreshFamily, RefreshToken, Revocation, RevokeReason};
use super::service::{AuthService, Revoked, auth_store_error, dt, parse_role, store_error, ts};
use super::{AuthVia, Role, SessionId};
use crate::error::ApiError;
use chrono::{DateTime, Utc};
use pt_actors::store::auth::{AuthStoreError, MembershipRow, SessionRow, StudioRow, UserRow};
use pt_protocol::ids::UserId;
use pt_protocol::{ArtistId, TenantId, Timestamp};
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// The answer to signup, login, refresh and invitation acceptance.
#[derive(Serialize, Debug, Clone, utoipa::ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer …` and in the WebSocket `hello`.
    pub access_token: String,
    /// Exchange at `/auth/refresh` before `accessExpiresAt`; single use.
    pub refresh_token: String,
    /// RFC 3339.
    #[schema(value_type = String)]
    #[ts(type = "string")]
    pub access_expires_at: Timestamp,
    pub tenant: StudioSummary,
    pub user: UserSummary,
    /// `studio_owner`, `studio_manager` or `freelancer`.
    pub role: String,
    /// A freelancer's own artist record.
    #[schema(value_type = Option<String>)]
    pub artist_id: Option<ArtistId>,
}

/// The studio a session acts in.
#[derive(Serialize, Debug, Clone, utoipa::ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StudioSummary {
    #[schema(value_type = String)]
    pub id: TenantId,
    pub name: String,
}

/// A person, as members and sessions show them.
#[derive(Serialize, Debug, Clone, utoipa::ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UserSummary {
    #[schema(value_type = String)]
    pub id: UserId,
    pub email: String,
    pub display_name: String,
}

impl From<&UserRow> for UserSummary {
    fn from(u: &UserRow) -> Self {
        Self { id: u.id, email: u.email.clone(), display_name: u.display_name.clone() }
    }
}

#[derive(Deserialize, Serialize, Debug, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

fn ended() -> ApiError {
    unauthenticated(RefreshError::CODE, "this login session has ended; sign in again")
}

impl AuthService {
    pub(super) async fn start_session(
        &self,
        studio: &StudioRow,
        user: &UserRow,
        membership: &MembershipRow,
        now: DateTime<Utc>,
    ) -> Result<LoginResponse, ApiError> {
        let role = parse_role(&membership.role)?;
        let (fam, refresh) = RefreshFamily::start(user.id, studio.id, now);
        self.store.insert_session(&session_row(&fam)).await.map_err(store_error)?;
        Ok(self.respond(studio, user, role, membership.artist_id, (fam.id, refresh), now))
    }

    fn respond(
        &self,
        studio: &StudioRow,
        user: &UserRow,
        role: Role,
        artist_id: Option<ArtistId>,
        (sid, refresh): (SessionId, RefreshToken),
        now: DateTime<Utc>,
    ) -> LoginResponse {
        let (access, claims) = self.tokens.issue(user.id, studio.id, role, sid, now);
        self.live_sessions.insert((studio.id, sid, user.id), Instant::now());
        LoginResponse {
            access_token: access,
            refresh_token: refresh.as_str().to_string(),
            access_expires_at: ts(claims.expires_at()),
            tenant: StudioSummary { id: studio.id, name: studio.name.clone() },
            user: user.into(),
            role: role.as_str().into(),
            artist_id,
        }
    }

    /// Exchanges a refresh token for a new access token and a new refresh
    /// token. A token used twice revokes its whole session (theft).
    pub async fn refresh(&self, token: &str, now: DateTime<Utc>) -> Result<LoginResponse, ApiError> {
        let token = RefreshToken::parse(token.trim()).map_err(|_| ended())?;
        let hash = token.hash();
        let Some(row) = self.store.session_by_token(hash.as_bytes()).await.map_err(store_error)? else {
            return Err(ended());
        };
        let mut fam = family(&row);
        let result = fam.rotate(&hash, &self.refresh_policy, now);
        let saved = self.store.update_session(&session_row(&fam), row.generation).await;
        match (result, saved) {
            (Ok(next), Ok(())) => {
                let membership =
                    self.store.membership(fam.tenant_id, fam.user_id).await.map_err(store_error)?.ok_or_else(ended)?;
                let studio = self.store.studio(fam.tenant_id).await.map_err(store_error)?.ok_or_else(ended)?;
                let user = self.store.user(fam.user_id).await.map_err(store_error)?.ok_or_else(ended)?;
                let role = parse_role(&membership.role)?;
                Ok(self.respond(&studio, &user, role, membership.artist_id, (fam.id, next), now))
            }
            (Err(RefreshError::Reused), _) => {
                tracing::warn!(target: "pt_server::audit", session = %fam.id, user = %fam.user_id,
                    "refresh token reused: the session is revoked");
                self.announce(Revoked::Session(fam.id));
                Err(ended())
            }
            (Err(_), _) => Err(ended()),
            // Another refresh of the same token won the race: this one is the reuse.
            (Ok(_), Err(AuthStoreError::Stale(_))) => Err(ended()),
            (Ok(_), Err(e)) => Err(auth_store_error(e)),
        }
    }

    /// Ends the caller's login session (access tokens of it stop working at once).
    pub async fn logout(&self, who: &Authenticated, now: DateTime<Utc>) -> Result<(), ApiError> {
        let AuthVia::Password { session } = &who.principal.via else {
            return Err(ApiError::invalid("Authorization", "only a password login has a session to end"));
        };
        let Some(row) = self.store.session(who.principal.tenant_id, *session).await.map_err(store_error)? else {
            return Ok(());
        };
        let mut fam = family(&row);
        fam.revoke(RevokeReason::Logout, now);
        match self.store.update_session(&session_row(&fam), row.generation).await {
            Ok(()) | Err(AuthStoreError::Stale(_)) => {}
            Err(e) => return Err(auth_store_error(e)),
        }
        tracing::info!(target: "pt_server::audit", user = %who.principal.user_id, session = %session, "logout");
        self.announce(Revoked::Session(*session));
        Ok(())
    }

    /// A member's role or artist link changed: every session of theirs in
    /// the studio ends (their tokens carry the old role), their API tokens'
    /// role check reads the new role, and their WebSockets close.
    pub async fn end_member_sessions(
        &self,
        tenant: TenantId,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        self.member_roles.remove(&(tenant, user));
        let ended =
            self.store.revoke_sessions_of(tenant, user, ts(now), "membership_changed").await.map_err(store_error)?;
        for sid in ended {
            self.announce(Revoked::Session(sid));
        }
        self.announce(Revoked::Member(tenant, user));
        self.memberships_changed(tenant);
        Ok(())
    }
}

pub(super) fn family(row: &SessionRow) -> RefreshFamily {
    RefreshFamily {
        id: row.id,
        user_id: row.user_id,
        tenant_id: row.tenant_id,
        current: super::opaque::TokenHash(row.current_hash),
        generation: row.generation,
        created_at: dt(row.created_at),
        last_used_at: dt(row.last_used_at),
        revoked: row.revoked_at.map(|at| Revocation {
            at: dt(at),
            reason: match row.revoked_reason.as_deref() {
                Some("reuse") => RevokeReason::Reuse,
                Some("password_changed") => RevokeReason::PasswordChanged,
                Some("membership_ended") | Some("membership_changed") => RevokeReason::MembershipEnded,
                _ => RevokeReason::Logout,
            },
        }),
    }
}

fn session_row(f: &RefreshFamily) -> SessionRow {
    SessionRow {
        id: f.id,
        user_id: f.user_id,
        tenant_id: f.tenant_id,
        current_hash: *f.current.as_bytes(),
        generation: f.generation,
        created_at: ts(f.created_at),
        last_used_at: ts(f.last_used_at),
        revoked_at: f.revoked.as_ref().map(|r| ts(r.at)),
        revoked_reason: f.revoked.as_ref().map(|r| r.reason.as_str().to_string()),
    }
}
