//! Password sign-in: the throttle per account and per address
//! ([`super::password::LoginThrottle`]), the password check (a dummy one for
//! unknown accounts, so timing does not reveal them), the choice of studio,
//! and the audit log (target `pt_server::audit`).

use super::authenticated::unauthenticated;
use super::password::{LoginThrottle, ThrottleDecision};
use super::service::{AuthService, store_error};
use super::sessions::LoginResponse;
use crate::error::ApiError;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use pt_protocol::{ErrorCode, TenantId};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Deserialize, Serialize, Debug, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// Which studio to sign in to; needed only when you belong to several.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub tenant_id: Option<TenantId>,
}

impl AuthService {
    /// Password login. Throttled per account and per IP; failures and
    /// successes are logged (target `pt_server::audit`).
    pub async fn login(&self, req: LoginRequest, ip: &str, now: DateTime<Utc>) -> Result<LoginResponse, ApiError> {
        let email = req.email.trim().to_lowercase();
        self.check_throttle(&email, ip, now)?;
        let user = self.store.user_by_email(&email).await.map_err(store_error)?;
        let ok = match &user {
            Some(u) => match &u.password_hash {
                Some(phc) => self.verify_password(req.password.clone(), phc.clone()).await?,
                None => false,
            },
            None => {
                let hasher = self.hasher.clone();
                let password = req.password.clone();
                tokio::task::spawn_blocking(move || hasher.verify_dummy(&password)).await.unwrap_or(false)
            }
        };
        let fail = |why: &str| {
            self.record_failure(&email, ip, now, why);
            unauthenticated("bad_credentials", "wrong email or password")
        };
        let Some(user) = user.filter(|_| ok) else { return Err(fail("bad credentials")) };
        let memberships = self.store.memberships_of_user(user.id).await.map_err(store_error)?;
        let membership = match req.tenant_id {
            Some(t) => memberships.iter().find(|m| m.tenant_id == t),
            None if memberships.len() == 1 => memberships.first(),
            None if memberships.is_empty() => None,
            None => {
                let mut studios = Vec::new();
                for m in &memberships {
                    if let Some(s) = self.store.studio(m.tenant_id).await.map_err(store_error)? {
                        studios.push(json!({ "id": s.id, "name": s.name, "role": m.role }));
                    }
                }
                return Err(ApiError::invalid("tenantId", "you belong to several studios: name one").with_details(
                    json!({ "fields": [{"field": "tenantId", "reason": "required"}], "studios": studios }),
                ));
            }
        };
        let Some(membership) = membership.cloned() else { return Err(fail("no membership in the studio")) };
        self.forget_failures(&email);
        let studio = self
            .store
            .studio(membership.tenant_id)
            .await
            .map_err(store_error)?
            .ok_or_else(|| ApiError::not_found("studio"))?;
        tracing::info!(target: "pt_server::audit", %email, %ip, user = %user.id, tenant = %studio.id, "login succeeded");
        self.start_session(&studio, &user, &membership, now).await
    }

    /// Refuses (`429`) while an account or an address has failed too often.
    pub(super) fn check_throttle(&self, email: &str, ip: &str, now: DateTime<Utc>) -> Result<(), ApiError> {
        let (acct_key, ip_key) = (format!("acct:{email}"), format!("ip:{ip}"));
        for (key, policy) in [(&acct_key, LoginThrottle::per_account()), (&ip_key, LoginThrottle::per_ip())] {
            let failures = self.failures.get(key).map(|f| f.clone()).unwrap_or_default();
            if let ThrottleDecision::Wait { until } = policy.check(&failures, now) {
                let secs = ThrottleDecision::Wait { until }.retry_after_secs(now).unwrap_or(1);
                tracing::warn!(target: "pt_server::audit", %email, %ip, retry_after = secs, "login throttled");
                return Err(ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    ErrorCode::RateLimited,
                    format!("too many failed sign-ins; try again in {secs} s"),
                )
                .with_details(json!({ "retryAfterSeconds": secs })));
            }
        }
        Ok(())
    }

    /// Counts a wrong password against the account and the address, and logs it.
    pub(super) fn record_failure(&self, email: &str, ip: &str, now: DateTime<Utc>, why: &str) {
        for key in [format!("acct:{email}"), format!("ip:{ip}")] {
            let mut entry = self.failures.entry(key).or_default();
            entry.push(now);
            LoginThrottle::per_account().prune(&mut entry, now);
        }
        tracing::warn!(target: "pt_server::audit", %email, %ip, reason = why, "login failed");
    }

    /// The account proved its password: its failures no longer count.
    pub(super) fn forget_failures(&self, email: &str) {
        self.failures.remove(&format!("acct:{email}"));
    }
}
