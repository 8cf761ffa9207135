//! New accounts: signing up a studio with its owner, and joining a studio by
//! accepting an invitation (a new account sets its password; an existing one
//! proves it, throttled like a login). Both answer signed in. Also the shared
//! checks of names and email addresses.

use super::Role;
use super::authenticated::unauthenticated;
use super::password::check_password_rules;
use super::refresh::RefreshToken;
use super::service::{AuthService, auth_store_error, dt, store_error, ts};
use super::sessions::LoginResponse;
use crate::error::ApiError;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use pt_actors::domain::WorkingWeek;
use pt_actors::store::auth::{AuthStoreError, MembershipRow, StudioRow, UserRow};
use pt_protocol::ids::UserId;
use pt_protocol::{ErrorCode, TenantId};
use serde::{Deserialize, Serialize};

/// Longest studio name, display name, API token name.
pub const MAX_NAME: usize = 200;

#[derive(Deserialize, Serialize, Debug, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignupRequest {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub studio_name: String,
    #[schema(max_length = 254, pattern = r"^\s*[^\s@]+@[^\s.]\S*\.\S*[^\s.]\s*$")]
    pub email: String,
    /// At least 12 characters, 5 different ones, not a common password.
    #[schema(min_length = 12, max_length = 128)]
    pub password: String,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub display_name: String,
    /// IANA zone of the studio; `UTC` by default.
    #[schema(value_type = Option<pt_protocol::openapi::TimeZoneName>)]
    pub timezone: Option<String>,
}

#[derive(Deserialize, Serialize, Debug, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AcceptRequest {
    /// The `inv_…` token from the invitation.
    pub token: String,
    /// A new account's password, or the existing account's password.
    #[schema(min_length = 12, max_length = 128)]
    pub password: String,
    /// Required for a new account.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub display_name: Option<String>,
}

impl AuthService {
    /// A new studio with its owner; answers as a login.
    pub async fn signup(&self, req: SignupRequest, now: DateTime<Utc>) -> Result<LoginResponse, ApiError> {
        let studio_name = validate_name("studioName", &req.studio_name)?;
        let display_name = validate_name("displayName", &req.display_name)?;
        let email = normalize_email(&req.email)?;
        let timezone = req.timezone.unwrap_or_else(|| "UTC".into());
        pt_actors::domain::settings::timezone(&timezone).map_err(|e| ApiError::invalid(&e.field, e.reason))?;
        check_password_rules(&req.password, &[&email, &display_name, &studio_name])
            .map_err(|e| ApiError::invalid("password", e.to_string()))?;
        let password_hash = self.hash_password(req.password).await?;
        let studio = StudioRow {
            id: TenantId::new(),
            name: studio_name,
            timezone,
            default_hold_minutes: self.new_studio_hold_minutes,
            challenge_hours: pt_actors::domain::settings::DEFAULT_CHALLENGE_HOURS,
            working_week: serde_json::to_string(&WorkingWeek::default()).expect("json"),
            holidays: "[]".into(),
            created_at: ts(now),
        };
        let user =
            UserRow { id: UserId::new(), email, display_name, password_hash: Some(password_hash), created_at: ts(now) };
        let membership = MembershipRow {
            tenant_id: studio.id,
            user_id: user.id,
            role: Role::StudioOwner.as_str().into(),
            artist_id: None,
            created_at: ts(now),
        };
        self.store.create_studio(&studio, &user, &membership).await.map_err(|e| match e {
            AuthStoreError::Duplicate(_) => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::Conflict,
                "an account with this email exists; sign in and create the studio from there",
            ),
            other => auth_store_error(other),
        })?;
        tracing::info!(tenant = %studio.id, user = %user.id, "studio signed up");
        self.start_session(&studio, &user, &membership, now).await
    }

    /// Accepts an invitation: a new user sets a password and a display name;
    /// an existing user proves it with their password. Answers as a login,
    /// and who invited them.
    pub async fn accept(
        &self,
        req: AcceptRequest,
        ip: &str,
        now: DateTime<Utc>,
    ) -> Result<(LoginResponse, UserId), ApiError> {
        let gone = || ApiError::not_found("invitation");
        let secret = req.token.trim().strip_prefix("inv_").ok_or_else(gone)?;
        let token = RefreshToken::parse(secret).map_err(|_| gone())?;
        let inv =
            self.store.invitation_by_hash(token.hash().as_bytes()).await.map_err(store_error)?.ok_or_else(gone)?;
        if inv.accepted_at.is_some() || dt(inv.expires_at) <= now {
            return Err(ApiError::new(
                StatusCode::GONE,
                ErrorCode::NotFound,
                "this invitation was used already or has expired; ask for a new one",
            ));
        }
        let (user, new_user) = match self.store.user_by_email(&inv.email).await.map_err(store_error)? {
            Some(u) => {
                // The account's password, guessed here as at login: the same
                // throttle, the same audit log.
                self.check_throttle(&inv.email, ip, now)?;
                let ok = match &u.password_hash {
                    Some(phc) => self.verify_password(req.password.clone(), phc.clone()).await?,
                    None => false,
                };
                if !ok {
                    self.record_failure(&inv.email, ip, now, "wrong password accepting an invitation");
                    return Err(unauthenticated("bad_credentials", "this email has an account: give its password"));
                }
                self.forget_failures(&inv.email);
                (u, false)
            }
            None => {
                let name = validate_name("displayName", req.display_name.as_deref().unwrap_or(""))?;
                check_password_rules(&req.password, &[&inv.email, &name])
                    .map_err(|e| ApiError::invalid("password", e.to_string()))?;
                let hash = self.hash_password(req.password.clone()).await?;
                let u = UserRow {
                    id: UserId::new(),
                    email: inv.email.clone(),
                    display_name: name,
                    password_hash: Some(hash),
                    created_at: ts(now),
                };
                (u, true)
            }
        };
        let membership = MembershipRow {
            tenant_id: inv.tenant_id,
            user_id: user.id,
            role: inv.role.clone(),
            artist_id: inv.artist_id,
            created_at: ts(now),
        };
        self.store
            .accept_invitation(&inv, new_user.then_some(&user), &membership, ts(now))
            .await
            .map_err(auth_store_error)?;
        tracing::info!(target: "pt_server::audit", invitation = %inv.id, user = %user.id, tenant = %inv.tenant_id,
            "invitation accepted");
        self.memberships_changed(inv.tenant_id);
        let studio = self
            .store
            .studio(inv.tenant_id)
            .await
            .map_err(store_error)?
            .ok_or_else(|| ApiError::not_found("studio"))?;
        self.start_session(&studio, &user, &membership, now).await.map(|login| (login, inv.invited_by))
    }
}

/// A name, trimmed: 1 to [`MAX_NAME`] characters.
pub fn validate_name(field: &str, name: &str) -> Result<String, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(ApiError::invalid(field, format!("1 to {MAX_NAME} characters")));
    }
    Ok(name.to_string())
}

/// An email address, trimmed and lower-cased (how accounts are keyed).
pub fn normalize_email(email: &str) -> Result<String, ApiError> {
    let email = email.trim().to_lowercase();
    let ok = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !email.chars().any(char::is_whitespace);
    if ok { Ok(email) } else { Err(ApiError::invalid("email", "not an email address")) }
}
