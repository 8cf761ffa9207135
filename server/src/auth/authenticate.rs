//! Request authentication: a bearer token → [`Authenticated`] (or a typed `401`).
//! * `pt_…` → an API token, looked up by hash (cached; revocation through this
//!   server drops the cache entry at once), acting for its creator's current role;
//! * a JWT issued by us → an access token, whose login session must be live
//!   and must belong to the token's own studio and user (checked against the
//!   store, cached for [`SESSION_CACHE_TTL`]);
//! * any other JWT → the configured OIDC provider, if any ([`super::external`]).

use super::api_tokens::{ApiToken, ApiTokenError, ApiTokenRecord};
use super::authenticated::{Authenticated, token_error, unauthenticated};
use super::opaque::TokenHash;
use super::refresh::RefreshError;
use super::service::{AuthService, LiveKey, SESSION_CACHE_TTL, dt, parse_role, store_error};
use super::sessions::family;
use super::tokens::AccessClaims;
use super::{Principal, Role};
use crate::error::ApiError;
use chrono::{DateTime, Utc};
use pt_actors::store::auth::ApiTokenRow;
use pt_protocol::TenantId;
use pt_protocol::ids::UserId;
use std::time::Instant;

impl AuthService {
    /// The principal of an `Authorization` header value (or a WS hello token).
    pub async fn authenticate(&self, bearer: &str, now: DateTime<Utc>) -> Result<Authenticated, ApiError> {
        let bearer = bearer.trim();
        if bearer.is_empty() {
            return Err(unauthenticated("missing_token", "sign in: send Authorization: Bearer <token>"));
        }
        let (principal, expires_at) = if ApiToken::looks_like(bearer) {
            self.authenticate_api_token(bearer, now).await?
        } else if self.is_ours(bearer) {
            let claims = self.tokens.verify(bearer, now).map_err(|e| token_error(&e))?;
            self.check_session_live(&claims).await?;
            (claims.principal(), Some(claims.expires_at()))
        } else if let Some(oidc) = &self.oidc {
            self.authenticate_external(oidc, bearer, now).await?
        } else {
            return Err(unauthenticated("invalid_token", "the bearer token was not issued by this server"));
        };
        let own_artist = if principal.role == Role::Freelancer {
            self.store
                .membership(principal.tenant_id, principal.user_id)
                .await
                .map_err(store_error)?
                .and_then(|m| m.artist_id)
        } else {
            None
        };
        Ok(Authenticated { principal, own_artist, expires_at })
    }

    fn is_ours(&self, token: &str) -> bool {
        super::tokens::peek_issuer(token).is_none_or(|iss| iss == self.tokens.issuer())
    }

    /// An access token's login session must be live, and be the session of
    /// the token's own studio and user: a token naming another studio (or
    /// user) with this session's id is refused, cached or not.
    async fn check_session_live(&self, claims: &AccessClaims) -> Result<(), ApiError> {
        let key: LiveKey = (claims.tid, claims.sid, claims.sub);
        if self.live_sessions.get(&key).is_some_and(|at| at.elapsed() < SESSION_CACHE_TTL) {
            return Ok(());
        }
        let row = self.store.session(claims.tid, claims.sid).await.map_err(store_error)?;
        let live = row.is_some_and(|s| {
            s.tenant_id == claims.tid
                && s.user_id == claims.sub
                && s.revoked_at.is_none()
                && family(&s).is_active(&self.refresh_policy, Utc::now())
        });
        if !live {
            self.live_sessions.remove(&key);
            return Err(unauthenticated(RefreshError::CODE, "this login session has ended; sign in again"));
        }
        self.live_sessions.insert(key, Instant::now());
        Ok(())
    }

    async fn authenticate_api_token(
        &self,
        bearer: &str,
        now: DateTime<Utc>,
    ) -> Result<(Principal, Option<DateTime<Utc>>), ApiError> {
        let token = ApiToken::parse(bearer).map_err(|_| unauthenticated("invalid_token", "malformed API token"))?;
        let hash = *token.hash().as_bytes();
        let row = match self.api_tokens.get(&hash) {
            Some(r) => r.clone(),
            None => {
                let Some(row) = self.store.api_token_by_hash(&hash).await.map_err(store_error)? else {
                    return Err(unauthenticated("invalid_token", "unknown API token"));
                };
                self.api_tokens.insert(hash, row.clone());
                row
            }
        };
        let record = api_record(&row)?;
        let principal = record.principal(now).map_err(|e| match e {
            ApiTokenError::Revoked => unauthenticated(ApiTokenError::CODE, "the API token was revoked"),
            ApiTokenError::Expired => unauthenticated(ApiTokenError::CODE, "the API token has expired"),
        })?;
        // A token acts for its creator: it stops when they leave the studio,
        // and when they lose a permission it carries (a demoted owner's
        // token must not keep owner powers).
        match self.member_role(principal.tenant_id, principal.user_id).await? {
            None => {
                Err(unauthenticated(ApiTokenError::CODE, "the API token's creator is no longer a member of the studio"))
            }
            Some(now_role) if !now_role.includes(principal.role) => Err(unauthenticated(
                ApiTokenError::CODE,
                format!(
                    "the API token carries role {} but its creator is now {now_role}; create a new token",
                    principal.role
                ),
            )),
            Some(_) => Ok((principal, record.expires_at)),
        }
    }

    /// A member's current role (cached for [`SESSION_CACHE_TTL`], dropped on change).
    async fn member_role(&self, tenant: TenantId, user: UserId) -> Result<Option<Role>, ApiError> {
        if let Some(hit) = self.member_roles.get(&(tenant, user)).filter(|e| e.1.elapsed() < SESSION_CACHE_TTL) {
            return Ok(hit.0);
        }
        let role = match self.store.membership(tenant, user).await.map_err(store_error)? {
            Some(m) => Some(parse_role(&m.role)?),
            None => None,
        };
        self.member_roles.insert((tenant, user), (role, Instant::now()));
        Ok(role)
    }
}

fn api_record(row: &ApiTokenRow) -> Result<ApiTokenRecord, ApiError> {
    Ok(ApiTokenRecord {
        id: row.id,
        tenant_id: row.tenant_id,
        role: parse_role(&row.role)?,
        name: row.name.clone(),
        hash: TokenHash(row.hash),
        hint: row.hint.clone(),
        created_by: row.created_by,
        created_at: dt(row.created_at),
        expires_at: row.expires_at.map(dt),
        revoked_at: row.revoked_at.map(dt),
    })
}
