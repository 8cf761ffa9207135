//! [`Authenticated`]: who a request or a WebSocket session acts for, once its
//! bearer token was accepted, and the two refusals every adapter answers
//! with: `401` ([`unauthenticated`]) and `403` ([`forbidden`]).

use super::tokens::TokenError;
use super::{AuthVia, Forbidden, Permission, Principal, Scope};
use crate::error::ApiError;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use pt_protocol::{ArtistId, ErrorCode};
use serde_json::json;

/// A successful authentication.
#[derive(Clone, Debug)]
pub struct Authenticated {
    pub principal: Principal,
    /// A freelancer's own artist record (what "own bookings" means).
    pub own_artist: Option<ArtistId>,
    /// When the credential stops being accepted (WebSocket sessions close then).
    pub expires_at: Option<DateTime<Utc>>,
}

impl Authenticated {
    /// The one permission check ([`super::rbac::authorize`]) as an API error.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        self.principal.authorize(permission).map_err(forbidden)
    }

    /// For reads with an "own" variant: `None` = everything, `Some(artist)` =
    /// only that artist's (a freelancer without a linked artist owns nothing:
    /// a nil id that matches no artist).
    pub fn scope(&self, all: Permission, own: Permission) -> Result<Option<ArtistId>, ApiError> {
        match super::rbac::authorize_scoped(&self.principal, all, own).map_err(forbidden)? {
            Scope::All => Ok(None),
            Scope::Own => Ok(Some(self.own_artist.unwrap_or(ArtistId(uuid::Uuid::nil())))),
        }
    }

    /// Whether `artist` is the principal's own artist record.
    pub fn owns(&self, artist: ArtistId) -> bool {
        self.own_artist == Some(artist)
    }

    /// Who acted, for the audit trail (`events.actor`, `bookings.updated_by`):
    /// `user:<id>`, plus `/token:<id>` for an API token or `/oidc` for an
    /// external login.
    pub fn actor(&self) -> String {
        let user = self.principal.user_id;
        match &self.principal.via {
            AuthVia::Password { .. } => format!("user:{user}"),
            AuthVia::ApiToken { token } => format!("user:{user}/token:{token}"),
            AuthVia::Oidc { .. } => format!("user:{user}/oidc"),
        }
    }
}

/// `403` naming the missing permission.
pub fn forbidden(f: Forbidden) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        ErrorCode::Forbidden,
        format!("your role lacks the permission `{}`", f.missing),
    )
    .with_details(json!({ "missing": f.missing.as_str() }))
}

/// `401` with `details.reason` (`missing_token`, `token_expired`, `session_ended` …).
pub fn unauthenticated(reason: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated, message)
        .with_details(json!({ "reason": reason }))
}

/// A refused access token as a `401`.
pub(crate) fn token_error(e: &TokenError) -> ApiError {
    let message = match e {
        TokenError::Expired => "the access token has expired; refresh it".to_string(),
        other => format!("the bearer token was refused: {other}"),
    };
    unauthenticated(e.code(), message)
}
